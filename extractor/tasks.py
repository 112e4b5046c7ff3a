"""One document of a batch as a small, picklable task, and the work on it.

Shared by every way of running a batch (this process, the process pool of ``batch``, a Dask
cluster in ``dask_runner``) and by the API that offers them, so that none of those imports another.
A task also knows the identity of its input (path, line, content hash), which the streamed output
records so that ``--resume`` can tell what is already done.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .extraction import extract, extract_text, load_pipeline
from .readers import Limits, read_jsonl_line
from .records import Report

if TYPE_CHECKING:
    from spacy.language import Language

_WARM_UP = "A 40-year-old man with a TPM3-ALK fusion received crizotinib 250 mg twice daily."


@dataclass(frozen=True)
class Task:
    """One document of a batch: a file, or one line of a JSONL file, or a file that cannot be
    split into lines (``error``). Small and picklable, so that a worker process reads the input."""

    path: str
    line: int | None = None
    offset: int | None = None
    error: str | None = None

    @property
    def key(self) -> tuple[str, int | None]:
        """What names the document across runs: its path and, in a JSONL file, its line."""
        return self.path, self.line

    @property
    def source(self) -> str:
        """The document as its records and error messages name it: the path, with ':LINE' in a JSONL file."""
        return self.path if self.line is None else f"{self.path}:{self.line}"

    def content_hash(self) -> str | None:
        """SHA-256 of the document's bytes (the file, or its JSONL line); None when unreadable."""
        try:
            with open(self.path, "rb") as handle:
                if self.line is not None:
                    handle.seek(self.offset or 0)
                    return hashlib.sha256(handle.readline()).hexdigest()
                digest = hashlib.sha256()
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
                return digest.hexdigest()
        except OSError:
            return None

    def identity(self) -> dict[str, Any]:
        """The ``input`` field of the document's record: path, JSONL line and content hash."""
        line = {} if self.line is None else {"line": self.line}
        return {"path": self.path, **line, "sha256": self.content_hash()}


@dataclass(frozen=True)
class BatchOptions:
    """How every document of a batch is read: its limits, for JSONL which fields to use, and
    whether symlinks in a folder may lead out of it."""

    limits: Limits = field(default_factory=Limits)
    text_field: str = "text"
    id_field: str = "id"
    follow_symlinks: bool = False


def warm_pipeline(model: str | None = None) -> Language:
    """The pipeline, built and run once on a sentence (which loads the drug dictionary and the
    lexicons that load on first use), so that a worker's first document costs no more than the rest."""
    nlp = load_pipeline(model)
    extract_text(_WARM_UP, nlp=nlp)
    return nlp


def run_task(task: Task, nlp: Language | None, options: BatchOptions) -> Report:
    """The Report of one task; never raises for a bad input."""
    if task.error is not None:
        return Report(source=task.path, errors=[task.error])
    if task.line is None:
        return extract(Path(task.path), nlp, limits=options.limits)
    try:
        item = read_jsonl_line(Path(task.path), task.line, task.offset or 0, options.text_field, options.id_field)
    except OSError as error:
        return Report(source=task.source, errors=[f"{task.path}: could not be read ({error})"])
    if item.error is not None:
        return Report(source=item.source, errors=[item.error])
    return extract_text(item.text or "", item.source, nlp, limits=options.limits)


def lost_report(task: Task, reason: str) -> Report:
    """The error record of a document whose worker gave no report (it crashed, hung or vanished)."""
    source = task.source
    return Report(source=source, errors=[f"{source}: {reason}; the rest of the batch went on. Try this file "
                                         "alone (casetable extract FILE --jobs 1) or report it to the casetable "
                                         "issue tracker"])
