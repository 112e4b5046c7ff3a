"""Evidence in long, tidy form: one row per extracted value, with its sentence, span, page and section.

The nested JSONL keeps each value's evidence beside it; a spreadsheet cannot. This module flattens a
report into *values*, each addressed by (source, patient, line, field), the same key a curator's
decision is stored under (``extractor.review``), so the Evidence sheet, the ``--evidence`` columns
and the review app all read one flattening. The long form follows medspaCy's DocConsumer: one row
per value rather than one wide row per patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

import pandas as pd

from .records import Evidence, Patient, Report, Treatment, columns

# The fields a curator checks, with the Table 1 column each fills: patient fields (line 0) first,
# then treatment fields (line 1, 2, ...). Read from the record schema, so a new column appears here.
PATIENT_FIELDS = {name: column for name, column, _ in columns(Patient, values_only=True)}
TREATMENT_FIELDS = {name: column for name, column, _ in columns(Treatment, values_only=True)}
FIELD_COLUMNS = {**PATIENT_FIELDS, **TREATMENT_FIELDS}
# Line number of the patient's own values (fusion, site, age, sex). Treatment lines are numbered by
# their row, from 1: each drug of a combination has a row of its own in Table 1, while the records'
# ``line`` gives the drugs of one regimen the same number, so it cannot tell their values apart.
PATIENT_LINE = 0

EVIDENCE_COLUMNS = ["Document", "Patient", "Line", "Field", "Value", "Sentence", "Start", "End", "Page", "Section"]
# The evidence of one value, as columns beside it in the wide table (``--evidence``).
EVIDENCE_PARTS = {"sentence": "text", "start": "start", "end": "end", "page": "page"}


@dataclass(frozen=True)
class Value:
    """One value of a report, where a curator's decision about it is filed, and its evidence."""

    source: str
    patient: str
    line: int
    field: str
    value: str | None
    evidence: Evidence | None

    @property
    def column(self) -> str:
        return FIELD_COLUMNS[self.field]


def display(value: object) -> str | None:
    """A record value as a table shows it: ages without a trailing .0, None kept."""
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def patient_values(source: str, patient: Patient) -> list[Value]:
    return [Value(source, patient.patient, PATIENT_LINE, name, display(getattr(patient, name)),
                  patient.evidence.get(name)) for name in PATIENT_FIELDS]


def treatment_values(source: str, patient: Patient, line: int, treatment: Treatment) -> list[Value]:
    return [Value(source, patient.patient, line, name, display(getattr(treatment, name)),
                  treatment.evidence.get(name)) for name in TREATMENT_FIELDS]


def report_values(report: Report) -> Iterator[Value]:
    """Every value a curator checks in a report: each patient's fields, then each line's, in order."""
    for patient in report.patients:
        yield from patient_values(report.source, patient)
        for i, treatment in enumerate(patient.treatments):
            yield from treatment_values(report.source, patient, i + 1, treatment)


def evidence_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """The long form: one row per value that was found, with the sentence, span, page and section."""
    rows = [[v.source, v.patient, v.line, v.field, v.value, v.evidence.text if v.evidence else None,
             v.evidence.start if v.evidence else None, v.evidence.end if v.evidence else None,
             v.evidence.page if v.evidence else None, v.evidence.section if v.evidence else None]
            for report in reports for v in report_values(report) if v.value is not None]
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS).astype({"Start": "Int64", "End": "Int64", "Page": "Int64"})


def _row_evidence(report: Report) -> Iterator[dict[str, object]]:
    """Evidence columns for each Table 1 row of a report, in the order ``table.to_dataframe`` writes
    the rows (patient by patient, one row per treatment line, one row for a patient without one);
    the patient's evidence on each of its rows, as its values are."""
    for patient in report.patients or [None]:
        if patient is None:
            yield {}
            continue
        own = dict(_columns(patient_values(report.source, patient)))
        for i, treatment in enumerate(patient.treatments or [None]):
            row = dict(own)
            if treatment is not None:
                row.update(_columns(treatment_values(report.source, patient, i + 1, treatment)))
            yield row


def _columns(values: list[Value]) -> Iterator[tuple[str, object]]:
    for value in values:
        if value.evidence is not None and value.value is not None:
            for part, attribute in EVIDENCE_PARTS.items():
                yield f"{value.column} {part}", getattr(value.evidence, attribute)


def with_evidence_columns(frame: pd.DataFrame, reports: list[Report]) -> pd.DataFrame:
    """Table 1 with each value's sentence, start, end and page in columns beside the table's own."""
    rows = [row for report in reports for row in _row_evidence(report)]
    if len(rows) != len(frame):
        raise ValueError(f"{len(frame)} table rows but {len(rows)} evidence rows: the table was not made "
                         "from these reports")
    names = [f"{column} {part}" for column in FIELD_COLUMNS.values() for part in EVIDENCE_PARTS]
    evidence = pd.DataFrame(rows, columns=names, index=frame.index)
    evidence = evidence.astype({n: "Int64" for n in names if not n.endswith(" sentence")})
    return pd.concat([frame, evidence.dropna(axis=1, how="all")], axis=1)
