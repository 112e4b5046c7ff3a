"""The reviewed table: one row per patient and treatment line, the curators' values winning.

Unlike Table 1, every row repeats its patient's values, so each row can be imported on its own, and
each value keeps its evidence (sentence and page) and the decision taken on it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..evidence_table import FIELD_COLUMNS, report_values
from ..records import Report
from ..table import write_csv, write_xlsx
from .mapping import Mapping
from .reviewed import Cell, reviewed_patients
from .store import Decision, Key

EXPORT_SUFFIXES = (".csv", ".xlsx")


def reviewed_columns() -> list[str]:
    """Report, Patient, Line, the values, Source, then each value's evidence, page and decision."""
    per_value = [f"{column} {part}" for column in FIELD_COLUMNS.values() for part in ("evidence", "page", "decision")]
    return ["Report", "Patient", "Line", *FIELD_COLUMNS.values(), "Source", *per_value]


def _cells(cells: list[Cell]) -> dict[str, object]:
    row: dict[str, object] = {}
    for cell in cells:
        row[cell.column] = cell.value
        if cell.evidence is not None and cell.value is not None:
            row[f"{cell.column} evidence"] = cell.evidence.text
            row[f"{cell.column} page"] = cell.evidence.page
        if cell.decision is not None:
            row[f"{cell.column} decision"] = f"{cell.status} by {cell.decision.curator} at {cell.decision.decided_at}"
    return row


def reviewed_frame(reports: list[Report], decisions: dict[Key, Decision]) -> pd.DataFrame:
    """The reviewed table of a batch; a document without patients keeps a row, so none goes missing."""
    rows = []
    for report in reports:
        base = {"Report": report.report or Path(report.source).stem, "Source": report.source}
        patients = reviewed_patients(report.source, list(report_values(report)), decisions)
        if not patients:
            rows.append(base)
        for patient in patients:
            own = {**base, "Patient": patient.patient, **_cells(patient.cells)}
            rows.extend([{**own, "Line": line.number, **_cells(line.cells)} for line in patient.lines] or [own])
    frame = pd.DataFrame(rows, columns=reviewed_columns())
    return frame.astype({c: "Int64" for c in frame.columns if c == "Line" or c.endswith(" page")})


def write_export(frame: pd.DataFrame, path: Path, mapping: Mapping | None = None) -> None:
    """The reviewed table, shaped by the mapping when one is given, as CSV or XLSX."""
    shaped = mapping.apply(frame) if mapping is not None else frame
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_csv(shaped, path)
    elif suffix == ".xlsx":
        write_xlsx({"Reviewed": shaped}, path)
    else:
        raise ValueError(f"unknown export format {suffix!r}: use {' or '.join(EXPORT_SUFFIXES)}")
