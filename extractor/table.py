"""Records -> Table 1 (pandas), and the writers for CSV, XLSX, Markdown and JSONL.

One row per patient and treatment line; the patient's columns are filled on the first row of the
patient only, as review tables print them. Column names come from the record schema.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .records import Patient, Report, Treatment, table_columns

if TYPE_CHECKING:
    import pandas as pd

# A cell a spreadsheet would run as a formula: escaped with a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _age(value: float | None) -> str | None:
    if value is None:
        return None
    return f"{round(value, 1):g}" if value >= 2 else f"{round(value * 12, 1):g} months"


def _rows(report: Report) -> Iterable[dict[str, object]]:
    comment = "; ".join(report.errors) if report.errors else None
    if not report.patients:
        yield {"Report": report.report, "Comment": comment or "no patient found", "Source": report.source}
        return
    for patient in report.patients:
        for i, treatment in enumerate(patient.treatments or [None]):
            yield _row(report, patient, treatment, first=i == 0, comment=comment)


def _row(report: Report, patient: Patient, treatment: Treatment | None, first: bool, comment: str | None) -> dict:
    notes = []
    if first and patient.concomitant:
        notes.append("concomitant: " + ", ".join(patient.concomitant))
    if treatment is not None and treatment.dose_detail and treatment.dose_detail.get("history"):
        notes.append("dose before: " + ", ".join(treatment.dose_detail["history"]))
    if comment:
        notes.append(comment)
    row = {"Report": report.report or Path(report.source).stem if first else None,
           "Translocation": patient.fusion if first else None,
           "Primary lesion": patient.primary_site if first else None,
           "Age": _age(patient.age_years) if first else None,
           "Sex": patient.sex.capitalize() if first and patient.sex else None,
           "Comment": "; ".join(notes) or None, "Source": report.source}
    if treatment is not None:
        row.update({"Drug": treatment.drug, "Dose": treatment.dose,
                    "Duration of response": treatment.duration, "Response": treatment.response})
    return row


def to_dataframe(reports: Iterable[Report]) -> pd.DataFrame:
    import pandas as pd  # imported where used: it takes most of a second, and JSONL output needs none

    rows = [row for report in reports for row in _rows(report)]
    return pd.DataFrame(rows, columns=table_columns())


def _escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.map(lambda v: f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_START) else v)


def write_jsonl(reports: Iterable[Report], path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for report in reports:
            handle.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")


def write_table(frame: pd.DataFrame, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        _escape_formulas(frame).to_csv(path, index=False)
    elif suffix == ".xlsx":
        _escape_formulas(frame).to_excel(path, index=False, sheet_name="Table 1")
    elif suffix == ".md":
        path.write_text(to_markdown(frame), encoding="utf-8")
    else:
        raise ValueError(f"unknown output format {suffix!r}: use .jsonl, .csv, .xlsx or .md")


def to_markdown(frame: pd.DataFrame) -> str:
    """A GitHub-style table without the optional 'tabulate' dependency of DataFrame.to_markdown."""
    import pandas as pd

    def cell(value: object) -> str:
        return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).replace("|", "\\|")
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines) + "\n"


OUTPUT_SUFFIXES = (".jsonl", ".csv", ".xlsx", ".md")
