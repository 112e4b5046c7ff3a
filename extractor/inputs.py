"""Which documents a batch reads, and an account of every file it passed over.

A reviewer reports in a PRISMA flow diagram how many records were screened and why some were
excluded, so nothing is dropped uncounted: a directory is searched recursively for articles, and
each file it holds that is not read is listed with the reason (hidden, not an article format).
Hidden files and folders (``.ipynb_checkpoints/``, macOS ``._paper.pdf`` forks, ``.git/``) are
passed over, since they hold copies or metadata, not papers. A path named on the command line is
read as given, and when it cannot be read it gets an error record instead of being guessed at:
a file with an extension casetable does not read (a ``.csv``) is not taken for a case report.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .readers import ARTICLE_SUFFIXES, SUPPORTED_SUFFIXES, ReadError, jsonl_lines
from .readers.jsonl import JSONL_SUFFIXES
from .tasks import BatchOptions, Task

HIDDEN = "hidden"
UNSUPPORTED = "unsupported extension"
JSONL_IN_FOLDER = "JSONL in a folder (name the file to read it)"


@dataclass(frozen=True)
class Skipped:
    """A file or folder found in a directory and not read, and why."""

    path: str
    reason: str


@dataclass
class Inputs:
    """The documents of a batch in input order, and what the search passed over."""

    tasks: list[Task] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def skipped_by_reason(self) -> dict[str, int]:
        return dict(Counter(s.reason for s in self.skipped))


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _search(folder: Path, skipped: list[Skipped]) -> list[Path]:
    """Articles under ``folder`` sorted by path; hidden folders are not entered (one entry each)."""
    found: list[Path] = []
    for root, folders, files in os.walk(folder):
        for name in [f for f in folders if _is_hidden(f)]:
            folders.remove(name)
            skipped.append(Skipped(str(Path(root, name)) + os.sep, HIDDEN))
        for name in files:
            path = Path(root, name)
            suffix = path.suffix.lower()
            if _is_hidden(name):
                skipped.append(Skipped(str(path), HIDDEN))
            elif suffix in JSONL_SUFFIXES:
                skipped.append(Skipped(str(path), JSONL_IN_FOLDER))
            elif suffix not in ARTICLE_SUFFIXES:
                skipped.append(Skipped(str(path), UNSUPPORTED))
            else:
                found.append(path)
    return sorted(found)


def _named_file_tasks(path: Path, options: BatchOptions) -> Iterator[Task]:
    """The tasks of a path given by name: the file, its JSONL lines, or an error record."""
    suffix = path.suffix.lower()
    if not path.exists():
        yield Task(str(path), error=f"{path}: no such file or directory: check the path; the rest of the "
                                    "batch went on")
    elif suffix and suffix not in SUPPORTED_SUFFIXES:
        yield Task(str(path), error=f"{path}: casetable does not read {suffix} files (it reads "
                                    f"{' '.join(SUPPORTED_SUFFIXES)}): save the article as PDF or text, or a "
                                    "table of abstracts as JSONL with one object per line")
    elif suffix in JSONL_SUFFIXES and path.is_file():
        try:
            yield from (Task(str(path), number, offset)
                        for number, offset in jsonl_lines(path, options.limits.max_bytes))
        except (ReadError, OSError) as error:
            yield Task(str(path), error=str(error))
    else:
        yield Task(str(path))


def discover(paths: Iterable[str | os.PathLike], options: BatchOptions = BatchOptions()) -> Inputs:
    """The documents under ``paths`` in input order (a JSONL file gives one per line), each once."""
    inputs = Inputs()
    seen: set[Path] = set()
    for item in paths:
        path = Path(item)
        named = _search(path, inputs.skipped) if path.is_dir() else [path]
        for file in named:
            if file in seen:
                continue
            seen.add(file)
            inputs.tasks.extend(_named_file_tasks(file, options) if file is path else [Task(str(file))])
    return inputs
