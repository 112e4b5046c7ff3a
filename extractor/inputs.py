"""Which documents a batch reads, and an account of every file it passed over.

A reviewer reports in a PRISMA flow diagram how many records were screened and why some were
excluded, so nothing is dropped uncounted: a directory is searched recursively for articles, and
each file it holds that is not read is listed with the reason (hidden, not an article format).
Hidden files and folders (``.ipynb_checkpoints/``, macOS ``._paper.pdf`` forks, ``.git/``) are
passed over, since they hold copies or metadata, not papers. A symlink inside a folder of papers can
point anywhere (``/etc/passwd`` ended up as evidence), dangle or loop, and a FIFO or device named
``x.txt`` would block or stream forever: links whose target leaves the folder (unless
``follow_symlinks``), dangling and looping links and special files are skipped and counted too, and
each directory is entered once, so a loop ends. A path named on the command line is
read as given, and when it cannot be read it gets an error record instead of being guessed at:
a file with an extension casetable does not read (a ``.csv``) is not taken for a case report.
"""

from __future__ import annotations

import os
import stat
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
OF_ANOTHER_KIND = (HIDDEN, UNSUPPORTED, JSONL_IN_FOLDER)  # counted; the other reasons are named one by one


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


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _entry_problem(entry: os.DirEntry[str], root: str, follow_symlinks: bool) -> str | None:
    """Why an entry under ``root`` (its real path) is not read, or None to read it (the listing's
    own answers about the entry, which it keeps, not a look at the file again)."""
    if entry.is_symlink():
        try:
            target = os.path.realpath(entry.path, strict=True)
        except FileNotFoundError:
            return "a dangling symlink"
        except OSError:
            return "a symlink loop"
        if not follow_symlinks and not _inside(target, root):
            return "a symlink leaving the folder (--follow-symlinks reads it)"
    try:
        if entry.is_file() or entry.is_dir():  # the listing's file type: no stat call for the usual entries
            return None
        mode = entry.stat().st_mode
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    for test, kind in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return f"{kind}, not a file"
    return None


def _format_problem(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return JSONL_IN_FOLDER
    return None if suffix in ARTICLE_SUFFIXES else UNSUPPORTED


def _search(folder: Path, skipped: list[Skipped], follow_symlinks: bool = False) -> list[Path]:
    """Articles under ``folder`` sorted by path; what is passed over goes to ``skipped`` with its
    reason (a hidden folder is one entry, not entered); each directory is entered once."""
    root = os.path.realpath(folder)
    found: list[Path] = []
    entered: set[str] = set()
    pending = [folder]
    while pending:
        current = pending.pop()
        real = os.path.realpath(current)
        if real in entered:
            continue
        entered.add(real)
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as error:
            skipped.append(Skipped(str(current) + os.sep, f"cannot be listed ({error.strerror})"))
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:  # a symlink loop
                is_dir = False
            reason = HIDDEN if _is_hidden(entry.name) else None if is_dir else _format_problem(path)
            reason = reason or _entry_problem(entry, root, follow_symlinks)
            if reason is not None:
                skipped.append(Skipped(str(path) + (os.sep if is_dir and reason == HIDDEN else ""), reason))
            elif is_dir:
                pending.append(path)
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
        named = _search(path, inputs.skipped, options.follow_symlinks) if path.is_dir() else [path]
        for file in named:
            if file in seen:
                continue
            seen.add(file)
            inputs.tasks.extend(_named_file_tasks(file, options) if file is path else [Task(str(file))])
    return inputs
