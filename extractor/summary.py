"""The end-of-run account of a batch, in the terms of a PRISMA flow diagram: documents found,
passed over (and why), read, failed (by kind), carried over from an interrupted run, and what
they gave (patients, Table 1 rows), with the time taken. Printed to stderr, and written as JSON
with ``--summary FILE``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .rules import read_tsv

OTHER_FAILURE = "other"


@lru_cache(maxsize=1)
def _failure_phrases() -> tuple[tuple[str, str], ...]:
    return tuple((row["phrase"].lower(), row["kind"]) for row in read_tsv("failure_kinds.tsv"))


def failure_kind(error: str) -> str:
    """The kind of failure an error message reports (patterns/failure_kinds.tsv)."""
    lowered = error.lower()
    return next((kind for phrase, kind in _failure_phrases() if phrase in lowered), OTHER_FAILURE)


def table_rows(record: dict[str, Any]) -> int:
    """Rows the record gives in Table 1: one per treatment line, one for a patient without any,
    one for a document without patients (it shows the error or "no patient found")."""
    patients = record.get("patients") or []
    return sum(max(1, len(p.get("treatments") or [])) for p in patients) or 1


@dataclass
class RunSummary:
    """Counts of one run, updated record by record (nothing held but the counts)."""

    found: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    read: int = 0
    failed: Counter = field(default_factory=Counter)
    carried_over: int = 0
    patients: int = 0
    rows: int = 0
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def documents(self) -> int:
        """Documents with a record in the output."""
        return self.read + sum(self.failed.values())

    def add(self, record: dict[str, Any], *, carried: bool = False) -> None:
        errors = record.get("errors") or []
        if errors:
            self.failed[failure_kind(errors[0])] += 1
        else:
            self.read += 1
        self.carried_over += carried
        self.patients += len(record.get("patients") or [])
        self.rows += table_rows(record)

    def per_second(self) -> float:
        """Documents extracted by this run (not carried over) per second."""
        return (self.documents - self.carried_over) / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"documents_found": self.found, "documents_written": self.documents, "read": self.read,
                "failed": sum(self.failed.values()), "failed_by_kind": dict(sorted(self.failed.items())),
                "skipped": sum(self.skipped.values()), "skipped_by_reason": dict(sorted(self.skipped.items())),
                "carried_over": self.carried_over, "patients": self.patients, "rows": self.rows,
                "seconds": round(self.seconds, 2), "documents_per_second": round(self.per_second(), 2),
                "interrupted": self.interrupted}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def lines(self) -> list[str]:
        """The account for a terminal, a few short lines."""
        def kinds(counts: dict[str, int]) -> str:
            return " (" + ", ".join(f"{k}: {n}" for k, n in sorted(counts.items())) + ")" if counts else ""

        carried = f", {self.carried_over} carried over from the earlier run" if self.carried_over else ""
        return [f"{self.found} document(s) found, {sum(self.skipped.values())} file(s) skipped"
                f"{kinds(self.skipped)}",
                f"{self.documents} written: {self.read} read, {sum(self.failed.values())} failed"
                f"{kinds(dict(self.failed))}{carried}",
                f"{self.patients} patient(s), {self.rows} table row(s), {self.seconds:.1f} s, "
                f"{self.per_second():.1f} documents/s"]
