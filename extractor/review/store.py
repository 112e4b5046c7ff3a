"""Curators' decisions: an embedded SQLite file by default, a PostgreSQL database for a team.

A decision is filed by (source, patient, line, field), not by row number, so it outlives a restart
and a re-extraction of the same documents. Each value has one current decision, the last one
written (the latest stamp, with who and when); every write is also appended to a log, so when two curators decide the
same value at once the earlier decision is superseded, not lost. Each write is one transaction, so
decisions about different values never overwrite each other.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

# accepted: the extracted value is right; corrected: the curator's value replaces it; absent: the
# paper does not say it ("not in paper"); added: a value the extraction missed (a patient, a line).
STATUSES = ("accepted", "corrected", "absent", "added")

_COLUMNS = "source, patient, line, field, status, value, curator, decided_at"
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS decisions (
        source TEXT NOT NULL, patient TEXT NOT NULL, line INTEGER NOT NULL, field TEXT NOT NULL,
        status TEXT NOT NULL, value TEXT, curator TEXT NOT NULL, decided_at TEXT NOT NULL,
        PRIMARY KEY (source, patient, line, field))""",
    """CREATE TABLE IF NOT EXISTS decision_log (
        source TEXT NOT NULL, patient TEXT NOT NULL, line INTEGER NOT NULL, field TEXT NOT NULL,
        status TEXT NOT NULL, value TEXT, curator TEXT NOT NULL, decided_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS decision_log_key ON decision_log (source, patient, line, field)",
)
_UPSERT = (f"INSERT INTO decisions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
           "ON CONFLICT (source, patient, line, field) DO UPDATE SET status = excluded.status, "
           "value = excluded.value, curator = excluded.curator, decided_at = excluded.decided_at "
           # Two writes of one value can commit in the other order than they were stamped; the later
           # stamp wins either way, so the current decision is always the log's last.
           "WHERE decisions.decided_at <= excluded.decided_at")
_LOG = f"INSERT INTO decision_log ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"


@dataclass(frozen=True)
class Key:
    """Where a value sits: the document, the patient, the line (0: the patient's own fields), the field."""

    source: str
    patient: str
    line: int
    field: str


@dataclass(frozen=True)
class Decision:
    key: Key
    status: str
    value: str | None
    curator: str
    decided_at: str

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown decision {self.status!r}: use one of {', '.join(STATUSES)}")

    def row(self) -> tuple[Any, ...]:
        k = self.key
        return (k.source, k.patient, k.line, k.field, self.status, self.value, self.curator, self.decided_at)

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Decision:
        source, patient, line, field, status, value, curator, decided_at = row
        return cls(Key(source, patient, int(line), field), status, value, curator, decided_at)


def now() -> str:
    """UTC time to the microsecond, ISO 8601: sorts as text, reads in the log."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class Store:
    """Decisions in SQLite (a path) or PostgreSQL (a ``postgresql://`` URL).

    A connection is opened per operation: the web server answers requests on several threads, and
    short connections keep SQLite's file lock and PostgreSQL's sessions brief.
    """

    def __init__(self, location: str | Path) -> None:
        self.location = str(location)
        self.postgres = self.location.startswith(("postgresql://", "postgres://"))
        if not self.postgres:
            Path(self.location).parent.mkdir(parents=True, exist_ok=True)
            with self._sqlite() as connection:
                # WAL lets curators read while another writes; it is a property of the file.
                connection.execute("PRAGMA journal_mode=WAL")
        with self._transaction(write=True) as cursor:
            for statement in _SCHEMA:
                cursor.execute(statement)

    def _sqlite(self) -> sqlite3.Connection:
        return sqlite3.connect(self.location, timeout=30, isolation_level=None)

    @contextmanager
    def _transaction(self, write: bool = False) -> Iterator[Any]:
        """A cursor inside one transaction, committed on success and rolled back on error.

        A SQLite write takes the file's write lock at the start (BEGIN IMMEDIATE), so two writers
        queue instead of one failing halfway; reads take no lock and see the last commit (WAL).
        """
        if self.postgres:
            try:
                import psycopg
            except ImportError:
                raise ValueError("a PostgreSQL database needs psycopg: pip install \"casetable[postgres]\"") from None
            with psycopg.connect(self.location) as connection, connection.cursor() as cursor:
                yield _PostgresCursor(cursor)
            return
        connection = self._sqlite()
        try:
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            yield connection.cursor()
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        finally:
            connection.close()

    def record(self, key: Key, status: str, value: str | None, curator: str) -> Decision:
        """File a decision as the current one for its value, and append it to the log."""
        with self._transaction(write=True) as cursor:
            # Stamped inside the transaction: SQLite's write lock is held, so stamps follow commits.
            decision = Decision(key, status, value, curator, now())
            cursor.execute(_UPSERT, decision.row())
            cursor.execute(_LOG, decision.row())
        return decision

    def decisions(self, source: str | None = None) -> dict[Key, Decision]:
        """The current decision of every value (of one document when ``source`` is given)."""
        query = f"SELECT {_COLUMNS} FROM decisions"
        with self._transaction() as cursor:
            if source is None:
                cursor.execute(query)
            else:
                cursor.execute(query + " WHERE source = ?", (source,))
            decisions = [Decision.from_row(row) for row in cursor.fetchall()]
        return {d.key: d for d in decisions}

    def history(self, source: str) -> dict[Key, list[Decision]]:
        """Every decision ever written for the values of a document, oldest first: what a later
        decision by someone else superseded stays readable."""
        with self._transaction() as cursor:
            cursor.execute(f"SELECT {_COLUMNS} FROM decision_log WHERE source = ? ORDER BY decided_at", (source,))
            rows = cursor.fetchall()
        history: dict[Key, list[Decision]] = {}
        for decision in map(Decision.from_row, rows):
            history.setdefault(decision.key, []).append(decision)
        return history


class _PostgresCursor:
    """psycopg's cursor with SQLite's ``?`` placeholders, so both databases run the same statements."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def execute(self, query: str, parameters: tuple[Any, ...] = ()) -> None:
        self._cursor.execute(query.replace("?", "%s"), parameters)

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._cursor.fetchall()
