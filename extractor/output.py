"""Streamed, atomic output that survives an interrupted run, and ``--resume``.

Each record is appended, in input order, to a journal beside the target (``out.jsonl.XXXX.partial``)
the moment its document is done, so an interrupted run loses only the documents in flight. The
target itself changes only by a rename: a JSONL target is the finished journal renamed into place,
a table (CSV, XLSX, Markdown) is written from the journal to a temporary file that is renamed. A
reader never sees a half-written table, and a run that dies leaves no old output looking current
(it is removed when a new run starts, unless that run resumes it).

A lock (``out.jsonl.lock``, held with ``flock`` for the run) keeps two runs from writing the same
output. Every record carries ``input``: its path, JSONL line and content hash, so a resumed run
knows which documents are done, and redoes those whose file has changed since.
"""

from __future__ import annotations

import fcntl
import glob
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from .records import Evidence, Patient, Report, Treatment
from .safe_text import plain_text

if TYPE_CHECKING:
    from .tasks import Task

JSONL = ".jsonl"
MIN_FREE_BYTES = 16 * 2**20  # less free space than this on the output's disk: refuse to start


def _mkstemp_like_open(folder: Path, prefix: str, suffix: str) -> tuple[int, Path]:
    """A new temporary file in ``folder`` with the permissions ``open`` would give it (mkstemp's are
    private to the user, which a renamed output must not keep)."""
    fd, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix)
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)
    return fd, Path(name)


class OutputError(Exception):
    """The output cannot be written; the message is one line that says what to do."""


def check_format(path: Path, suffixes: tuple[str, ...]) -> None:
    """Refuse an output whose extension names no format casetable writes."""
    if path.suffix.lower() not in suffixes:
        raise OutputError(f"unknown output format {path.suffix or path.name!r}: use one of {', '.join(suffixes)}")


def check_writable(path: Path) -> None:
    """Refuse, before any document is read, an output file that could not be written at the end.
    Cheap and light on imports, so that the command line refuses in a moment."""
    if path.is_dir():
        raise OutputError(f"{path} is a folder: give a file name in it, e.g. {path / 'out.jsonl'}")
    folder = path.parent
    if not folder.exists():
        raise OutputError(f"cannot write {path}: the folder {folder} does not exist: create it "
                          f"(mkdir -p {folder}) or choose another -o")
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: {folder} is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {path}: the folder {folder} is not writable: choose another -o")
    free = shutil.disk_usage(folder).free
    if free < MIN_FREE_BYTES:
        raise OutputError(f"cannot write {path}: the disk holding {folder} is full ({free // 1024} KB free): "
                          "free some space or choose another -o")


def write_atomically(path: Path, text: str) -> None:
    """Write a small file through a temporary file beside it and a rename."""
    fd, name = _mkstemp_like_open(path.parent, "." + path.name + ".", ".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(name, path)


def report_from_record(record: dict[str, Any]) -> Report:
    """A Report rebuilt from its JSONL record (``Report.to_dict``), for tables written from a journal."""
    def known(kind: type, data: dict[str, Any]) -> dict[str, Any]:
        names = {f.name for f in fields(kind)}
        return {k: v for k, v in data.items() if k in names}

    def evidence(data: dict[str, Any]) -> dict[str, Evidence]:
        return {name: Evidence(**value) for name, value in (data.get("evidence") or {}).items()}

    patients = [Patient(**{**known(Patient, p), "evidence": evidence(p),
                           "treatments": [Treatment(**{**known(Treatment, t), "evidence": evidence(t)})
                                          for t in p.get("treatments", [])]})
                for p in record.get("patients", [])]
    return Report(**{**known(Report, record), "patients": patients, "evidence": evidence(record)})


def _records(path: Path) -> Iterator[dict[str, Any]]:
    """The complete, valid records of a JSONL file (a line cut short by a killed run is left out)."""
    with path.open("rb") as handle:
        for line in handle:
            if not line.endswith(b"\n"):
                return
            try:
                record = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue
            if isinstance(record, dict):
                yield record


def _input_key(record: dict[str, Any]) -> tuple[str, int | None] | None:
    identity = record.get("input")
    if not isinstance(identity, dict) or not isinstance(identity.get("path"), str):
        return None
    return identity["path"], identity.get("line")


class _Lock:
    """An exclusive ``flock`` on ``TARGET.lock``, removed when released. A lock file unlinked by its
    previous holder while this process waited is not the lock any more, so the check of the inode."""

    def __init__(self, target: Path):
        self.path = target.with_name(target.name + ".lock")
        while True:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(self.fd, 32).decode(errors="replace").strip() or "?"
                os.close(self.fd)
                raise OutputError(f"{target} is being written by another casetable run (process {holder}): "
                                  "wait for it to finish, or choose another -o") from None
            try:
                same = os.stat(self.path).st_ino == os.fstat(self.fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(self.fd)
        os.ftruncate(self.fd, 0)
        os.write(self.fd, f"{os.getpid()}\n".encode())

    def release(self) -> None:
        os.unlink(self.path)
        os.close(self.fd)


@dataclass(frozen=True)
class TableOptions:
    """How a table output is written from the records: the printed look (Markdown), evidence columns."""

    print_style: bool = False
    evidence: bool = False


@dataclass
class Written:
    """Where the records of a run are, once it has ended or stopped."""

    path: Path
    complete: bool


class StreamedOutput:
    """The output of one batch: a locked target, its journal, and the records of an earlier run.

    Use as a context manager; ``write``/``carry`` each document in input order, then ``finish``
    (the run is complete) or ``stop`` (interrupted: the journal keeps what is done).
    """

    def __init__(self, target: Path, *, resume: bool = False, tables: TableOptions = TableOptions()):
        from .table import OUTPUT_SUFFIXES

        check_format(target, OUTPUT_SUFFIXES)
        check_writable(target)
        self.target = target
        self.tables = tables
        self.lock = _Lock(target)
        try:
            self._open(resume)
        except BaseException:
            self.lock.release()
            raise

    def _open(self, resume: bool) -> None:
        target = self.target
        self.earlier_journals = [Path(p) for p in
                                 glob.glob(glob.escape(str(target)) + ".*.partial")]
        self.previous: dict[tuple[str, int | None], dict[str, Any]] = {}
        if resume:
            sources = [target] if target.suffix.lower() == JSONL and target.is_file() else []
            for source in sources + self.earlier_journals:
                for record in _records(source):
                    if (key := _input_key(record)) is not None:
                        self.previous[key] = record
        elif target.exists():
            target.unlink()  # an old output must not look like the result of this run
        self.fd, self.journal = _mkstemp_like_open(target.parent, target.name + ".", ".partial")
        self.size = 0
        self.carried_over: dict[tuple[str, int | None], dict[str, Any]] = {}

    def __enter__(self) -> StreamedOutput:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.fd >= 0:  # neither finished nor stopped (a full disk, a bug): keep the whole records
            try:
                os.ftruncate(self.fd, self.size)
            finally:
                os.close(self.fd)
        self.lock.release()

    def done_before(self, tasks: list[Task]) -> set[int]:
        """Indexes of the tasks whose record an earlier run wrote for the same content."""
        done = set()
        for index, task in enumerate(tasks):
            record = self.previous.get(task.key)
            if record is not None and record["input"].get("sha256") == task.content_hash():
                done.add(index)
                self.carried_over[task.key] = record
        self.previous.clear()  # what is not carried over is of no more use
        return done

    def write(self, task: Task, report: Report) -> dict[str, Any]:
        """Append the record of a document just done; returns the record."""
        record = {**report.to_dict(), "input": task.identity()}
        self._append(record)
        return record

    def carry(self, task: Task) -> dict[str, Any]:
        """Append the record an earlier run wrote for ``task``; returns the record."""
        record = self.carried_over.pop(task.key)
        self._append(record)
        return record

    def _append(self, record: dict[str, Any]) -> None:
        # A name that is not UTF-8 (lone surrogates from os.fsdecode) is written with its bytes escaped;
        # the record is walked for them only when it does not encode (nearly never).
        try:
            data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        except UnicodeEncodeError:
            data = (json.dumps(plain_text(record), ensure_ascii=False) + "\n").encode("utf-8")
        written = 0
        while written < len(data):  # at the end of the whole records: over the rest of a write cut short
            written += os.pwrite(self.fd, data[written:], self.size + written)
        self.size += len(data)

    def _seal(self) -> None:
        """The journal cut to its whole records and on disk."""
        os.ftruncate(self.fd, self.size)
        os.fsync(self.fd)
        os.close(self.fd)
        self.fd = -1

    def finish(self) -> Written:
        """Every document is done: the target is replaced by the new output, in one rename."""
        self._seal()
        if self.target.suffix.lower() == JSONL:
            os.replace(self.journal, self.target)
        else:
            self._write_table()
            self.journal.unlink()
        self._forget_earlier_journals()
        return Written(self.target, complete=True)

    def stop(self) -> Written:
        """An interrupted run: the records so far, and those of an earlier run not yet copied, are
        kept (a JSONL target gets them; a table keeps its journal) for ``--resume``."""
        for record in self.carried_over.values():
            self._append(record)
        self.carried_over.clear()
        self._seal()
        self._forget_earlier_journals()
        if self.target.suffix.lower() == JSONL:
            os.replace(self.journal, self.target)
            return Written(self.target, complete=False)
        return Written(self.journal, complete=False)

    def _write_table(self) -> None:
        from .table import write_reports  # pandas, needed at the end of a table run only

        reports = [report_from_record(record) for record in _records(self.journal)]
        fd, name = _mkstemp_like_open(self.target.parent, "." + self.target.stem + ".", self.target.suffix)
        os.close(fd)
        try:
            write_reports(reports, Path(name), printed=self.tables.print_style, evidence=self.tables.evidence)
            os.replace(name, self.target)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise

    def _forget_earlier_journals(self) -> None:
        for journal in self.earlier_journals:
            journal.unlink(missing_ok=True)
