"""One document in, one Report out: a file (any format the readers know) or a text in memory.

``extract`` never raises for a bad input file: it returns a Report whose ``errors`` says what is
wrong and what to do, so a batch goes on. Every document runs under ``Limits`` (pages, size,
characters, time), so a pathological file costs at most its time limit. The batch modules
(``tasks``, ``batch``, ``dask_runner``) build on this one, and ``api`` shows both to users.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .document import Document
from .readers import (
    SUPPORTED_SUFFIXES,
    DocumentTimeout,
    LimitExceeded,
    Limits,
    ReadError,
    clip,
    document_from_text,
    read,
    time_limit,
    timeout_error,
)
from .records import Report

if TYPE_CHECKING:
    from spacy.language import Language

PathOrText = str | os.PathLike


def load_pipeline(model: str | None = None) -> Language:
    """The default pipeline, imported on first use: spaCy and the components take seconds to import,
    and the parent of a parallel batch never needs them (its workers do)."""
    from .pipeline import default_pipeline

    return default_pipeline(model)


def extract_document(document: Document, nlp: Language | None = None) -> Report:
    """Records of a Document a reader made, with notes on what its limits left unread."""
    from .assemble import assemble
    from .pipeline import annotate

    nlp = nlp or load_pipeline()
    # spaCy refuses texts over max_length (a guard for memory-hungry parsers, which this rule
    # pipeline has none of); the size limit that matters is Limits.max_chars.
    nlp.max_length = max(nlp.max_length, len(document.text) + 1)
    report = assemble(document, annotate(document, nlp))
    report.errors.extend(_unread_notes(document))
    return report


def _unread_notes(document: Document) -> list[str]:
    notes = []
    if "truncated_at_page" in document.metadata:
        notes.append(f"{document.source}: only the first {document.metadata['truncated_at_page']} pages were read "
                     "(the page limit): raise it with --max-pages to read the rest")
    if "truncated_at_char" in document.metadata:
        notes.append(f"{document.source}: only the first {document.metadata['truncated_at_char']} of "
                     f"{document.metadata['length']} characters were read (the size limit): raise it with "
                     "--max-chars to read the rest")
    return notes


def _guarded(source: str, limits: Limits, work: Callable[[], Report]) -> Report:
    """Run the work on one document within its time limit; any failure becomes an error record."""
    try:
        with time_limit(limits.timeout):
            return work()
    except DocumentTimeout:
        return Report(source=source, errors=[timeout_error(source, limits.timeout or 0)])
    except (LimitExceeded, ReadError) as error:
        return Report(source=source, errors=[str(error)])
    except RecursionError:
        return Report(source=source, errors=[f"{source}: nested too deeply to read (a damaged or generated "
                                             "file?): save the article again from its source"])
    except MemoryError:
        cap = "" if limits.max_memory is None else f" of {limits.max_memory / 2**20:g} MB"
        return Report(source=source, errors=[f"{source}: not enough memory to read this file (the memory "
                                             f"limit{cap}): raise it with --max-memory, or lower --max-pages / "
                                             "--max-chars"])
    except Exception as error:  # noqa: BLE001 - one bad file must never stop a batch
        return Report(source=source, errors=[f"{source}: could not be read ({type(error).__name__}: {error}); "
                                             "please report this file to the casetable issue tracker"])


def extract_text(text: str, source: str = "<text>", nlp: Language | None = None, *,
                 limits: Limits | None = None) -> Report:
    """Extract from text in memory (an abstract, a statement); ``source`` names it in the output."""
    limits = limits or Limits()
    return _guarded(source, limits,
                    lambda: extract_document(clip(document_from_text(text, source=source), limits.max_chars), nlp))


def _looks_like_path(text: str) -> bool:
    return not any(c.isspace() for c in text) and Path(text).suffix.lower() in SUPPORTED_SUFFIXES


def extract(path_or_text: PathOrText, nlp: Language | None = None, *, limits: Limits | None = None) -> Report:
    """Extract one report from a file path (str or Path) or, failing that, from the string as text.

    A str is a path when a file of that name exists, or when it looks like one (no spaces, a
    suffix casetable reads: "paper.pdf"), so that a mistyped path gives "no such file" rather than
    an empty report; pass a Path to insist on a file, or use ``extract_text`` to insist on text.
    A JSONL file holds many documents: use ``extract_many``.
    """
    if isinstance(path_or_text, str) and not os.path.exists(path_or_text) and not _looks_like_path(path_or_text):
        return extract_text(path_or_text, nlp=nlp, limits=limits)
    path = Path(path_or_text)
    limits = limits or Limits()
    return _guarded(str(path), limits, lambda: extract_document(read(path, limits), nlp))
