"""Extracted values joined with curators' decisions: what the review page shows and the export writes.

A decision whose key no extracted value has is a value the curator added (a patient or a line the
extraction missed), or one whose value a re-extraction no longer finds; it is kept either way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..evidence_table import FIELD_COLUMNS, PATIENT_FIELDS, PATIENT_LINE, TREATMENT_FIELDS, Value
from ..records import Evidence
from .store import Decision, Key


@dataclass(frozen=True)
class Cell:
    """One value under review: as extracted, with its evidence, and the curator's decision."""

    key: Key
    extracted: str | None
    evidence: Evidence | None
    decision: Decision | None

    @property
    def column(self) -> str:
        return FIELD_COLUMNS[self.key.field]

    @property
    def value(self) -> str | None:
        """The reviewed value: the curator's when there is a decision, else the extracted one."""
        if self.decision is None:
            return self.extracted
        return None if self.decision.status == "absent" else self.decision.value

    @property
    def status(self) -> str:
        if self.decision is not None:
            return self.decision.status
        return "pending" if self.extracted is not None else "empty"

    @property
    def stale(self) -> bool:
        """Accepted, but a re-extraction has since given another value: to be looked at again."""
        return self.decision is not None and self.decision.status == "accepted" \
            and self.decision.value != self.extracted


@dataclass
class Line:
    number: int
    cells: list[Cell]


@dataclass
class PatientCells:
    patient: str
    cells: list[Cell]
    lines: list[Line] = field(default_factory=list)

    def all_cells(self) -> list[Cell]:
        return self.cells + [c for line in self.lines for c in line.cells]


def nothing_found_key(source: str) -> Key:
    """Where a curator confirms that a document without extracted values holds nothing to add: its
    only way to count as reviewed. Not a value: the page and the export leave it out."""
    return Key(source, "", PATIENT_LINE, "nothing found")


def reviewed_patients(source: str, values: list[Value], decisions: dict[Key, Decision]) -> list[PatientCells]:
    """The patients of a document in extraction order, then those the curators added, each with its lines."""
    found: dict[Key, Value] = {Key(v.source, v.patient, v.line, v.field): v for v in values}
    added = (k for k in decisions if k.source == source and k not in found and k != nothing_found_key(source))
    keys = list(found) + sorted(added, key=lambda k: (_patient_order(k.patient), k.line))
    order: dict[str, list[int]] = {}  # patient -> its line numbers, in order
    for key in keys:
        numbers = order.setdefault(key.patient, [])
        if key.line != PATIENT_LINE and key.line not in numbers:
            numbers.append(key.line)

    def cells(patient: str, line: int) -> list[Cell]:
        names = PATIENT_FIELDS if line == PATIENT_LINE else TREATMENT_FIELDS
        return [_cell(Key(source, patient, line, name), found, decisions) for name in names]

    return [PatientCells(p, cells(p, PATIENT_LINE), [Line(n, cells(p, n)) for n in numbers])
            for p, numbers in order.items()]


def _patient_order(patient: str) -> tuple[int, str]:
    return (int(patient), "") if patient.isdigit() else (1 << 30, patient)


def _cell(key: Key, found: dict[Key, Value], decisions: dict[Key, Decision]) -> Cell:
    value = found.get(key)
    return Cell(key, value.value if value else None, value.evidence if value else None, decisions.get(key))


def next_patient(patients: list[PatientCells]) -> str:
    """An id for a patient the curator adds: one past the highest numbered patient."""
    return str(max((int(p.patient) for p in patients if p.patient.isdigit()), default=0) + 1)


def next_line(patient: PatientCells) -> int:
    return max((line.number for line in patient.lines), default=0) + 1


@dataclass
class Progress:
    """How far a document (or a batch, summed) is: values to check, and the decisions made."""

    documents: int = 0
    reviewed: int = 0
    values: int = 0
    decided: int = 0
    counts: Counter = field(default_factory=Counter)

    @classmethod
    def of(cls, patients: list[PatientCells], nothing_found: bool = False) -> Progress:
        cells = [c for p in patients for c in p.all_cells()]
        to_check = [c for c in cells if c.extracted is not None]
        decided = sum(1 for c in to_check if c.decision is not None)
        counts = Counter(c.decision.status for c in cells if c.decision is not None)
        # Reviewed: every extracted value has a decision, and the curator made one (or confirmed
        # that a document without values holds nothing to add).
        reviewed = int(decided == len(to_check) and (bool(counts) or nothing_found))
        return cls(1, reviewed, len(to_check), decided, counts)

    def __add__(self, other: Progress) -> Progress:
        return Progress(self.documents + other.documents, self.reviewed + other.reviewed,
                        self.values + other.values, self.decided + other.decided, self.counts + other.counts)
