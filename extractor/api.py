"""The Python API; the CLI is a thin layer over it, so both give the same records.

``extract`` never raises for a bad input file: it returns a Report whose ``errors`` says what is
wrong and what to do, so a batch goes on. Every document runs under ``Limits`` (pages, size,
characters, time), so a pathological file costs at most its time limit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from .document import Document
from .jobs import default_jobs
from .readers import (
    ARTICLE_SUFFIXES,
    SUPPORTED_SUFFIXES,
    DocumentTimeout,
    Limits,
    ReadError,
    clip,
    document_from_text,
    jsonl_lines,
    read,
    read_jsonl_line,
    time_limit,
)
from .readers.jsonl import JSONL_SUFFIXES
from .records import Report
from .table import to_dataframe

if TYPE_CHECKING:
    import pandas as pd
    from spacy.language import Language

PathOrText = str | os.PathLike


def _pipeline(model: str | None = None) -> Language:
    """The default pipeline, imported on first use: spaCy and the components take seconds to import,
    and the parent of a parallel batch never needs them (its workers do)."""
    from .pipeline import default_pipeline

    return default_pipeline(model)


def extract_document(document: Document, nlp: Language | None = None) -> Report:
    """Records of a Document a reader made, with notes on what its limits left unread."""
    from .assemble import assemble
    from .pipeline import annotate

    nlp = nlp or _pipeline()
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
        return Report(source=source, errors=[f"{source}: stopped after {limits.timeout:g} s (the time limit): "
                                             "the file may be damaged or unusually large; raise the limit "
                                             "with --timeout to try again"])
    except ReadError as error:
        return Report(source=source, errors=[str(error)])
    except RecursionError:
        return Report(source=source, errors=[f"{source}: nested too deeply to read (a damaged or generated "
                                             "file?): save the article again from its source"])
    except MemoryError:
        return Report(source=source, errors=[f"{source}: not enough memory to read this file: split it, or "
                                             "lower --max-pages / --max-chars"])
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


# ------------------------------------------------------------------------------------ batches


@dataclass(frozen=True)
class Task:
    """One document of a batch: a file, or one line of a JSONL file, or a file that cannot be
    split into lines (``error``). Small and picklable, so that a worker process reads the input."""

    path: str
    line: int | None = None
    offset: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class BatchOptions:
    """How every document of a batch is read: its limits and, for JSONL, which fields to use."""

    limits: Limits = field(default_factory=Limits)
    text_field: str = "text"
    id_field: str = "id"


def find_inputs(paths: Iterable[PathOrText]) -> list[Path]:
    """Files as given, and articles (not JSONL) found recursively in directories, in a stable order."""
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def batch_tasks(paths: Iterable[PathOrText], options: BatchOptions = BatchOptions()) -> list[Task]:
    """The documents under ``paths`` in input order; a JSONL file gives one task per line."""
    tasks: list[Task] = []
    for path in find_inputs(paths):
        if path.suffix.lower() not in JSONL_SUFFIXES or not path.is_file():
            tasks.append(Task(str(path)))
            continue
        try:
            lines = jsonl_lines(path, options.limits.max_bytes)
            tasks.extend(Task(str(path), number, offset) for number, offset in lines)
        except (ReadError, OSError) as error:
            tasks.append(Task(str(path), error=str(error)))
    return tasks


def run_task(task: Task, nlp: Language | None, options: BatchOptions) -> Report:
    """The Report of one task; never raises for a bad input."""
    if task.error is not None:
        return Report(source=task.path, errors=[task.error])
    if task.line is None:
        return extract(Path(task.path), nlp, limits=options.limits)
    try:
        item = read_jsonl_line(Path(task.path), task.line, task.offset or 0, options.text_field, options.id_field)
    except OSError as error:
        return Report(source=f"{task.path}:{task.line}", errors=[f"{task.path}: could not be read ({error})"])
    if item.error is not None:
        return Report(source=item.source, errors=[item.error])
    return extract_text(item.text or "", item.source, nlp, limits=options.limits)


def extract_tasks(tasks: list[Task], options: BatchOptions, nlp: Language | None = None, *, jobs: int | None = 1,
                  model: str | None = None) -> Iterator[Report]:
    """Reports of ``tasks`` in their order; ``jobs`` > 1 runs them in worker processes, None as
    many as the batch gains from (``jobs.default_jobs``)."""
    jobs = default_jobs(tasks) if jobs is None else jobs
    if jobs > 1 and len(tasks) > 1:
        if nlp is not None:
            raise ValueError("a custom nlp object runs in this process only: use jobs=1, or pass model=")
        from .batch import run_parallel

        yield from run_parallel(tasks, options, jobs=jobs, model=model)
        return
    nlp = nlp or _pipeline(model)
    for task in tasks:
        yield run_task(task, nlp, options)


def extract_many(paths: Iterable[PathOrText], nlp: Language | None = None, *, jobs: int = 1,
                 model: str | None = None, limits: Limits | None = None, text_field: str = "text",
                 id_field: str = "id") -> Iterator[Report]:
    """One Report per document under ``paths`` (a JSONL file: one per line), in input order,
    the same whatever ``jobs`` is.

    ``jobs`` > 1 reads and extracts in that many worker processes, each building the pipeline
    (``model``) once; a custom ``nlp`` object cannot be shared with them, so it needs ``jobs=1``.
    As with any use of multiprocessing, a script that passes ``jobs`` > 1 must call it under
    ``if __name__ == "__main__":`` (the workers import the script).
    """
    options = BatchOptions(limits or Limits(), text_field, id_field)
    yield from extract_tasks(batch_tasks(paths, options), options, nlp, jobs=jobs, model=model)


def extract_table(paths: Iterable[PathOrText] | PathOrText, nlp: Language | None = None, *, jobs: int = 1,
                  **options) -> pd.DataFrame:
    """Table 1 of every report under ``paths``: one row per patient and treatment line."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return to_dataframe(list(extract_many(paths, nlp, jobs=jobs, **options)))
