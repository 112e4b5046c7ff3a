"""Records -> Table 1 (pandas), and the writers for CSV, XLSX, Markdown and JSONL.

One row per patient and treatment line, every row carrying its report's and patient's values and
the Patient and Line columns, so that a table sorted or filtered in Excel or pandas keeps each
row's patient. Values are spelled as in the JSONL; Age (years) is a number. ``print_style`` gives
the look of a printed review table (patient columns only on a patient's first row) for reading.
Columns and their cells come from the record schema.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .records import Patient, Report, Treatment, columns, table_columns
from .safe_text import markdown_cell, spreadsheet_cell

if TYPE_CHECKING:
    import pandas as pd

# A cell a spreadsheet would run as a formula when it reads a CSV: escaped with a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NOT_ESCAPED = ("Source",)  # a file name is data the user gave: never altered
NUMBER_COLUMNS = {"Age (years)": "float64", "Line": "Int64"}
_MAX_WIDTH = 60


def _rows(report: Report) -> Iterable[dict[str, object]]:
    source = {"Source": report.source}
    if not report.patients:
        name = report.report or Path(report.source).name
        if report.errors:
            yield {"Report": f"{name} (not read)", "Comment": "; ".join(report.errors), **source}
        else:
            yield {"Report": name, "Comment": "no patient found", **source}
        return
    for patient in report.patients:
        for treatment in patient.treatments or [None]:
            yield _row(report, patient, treatment)


def _row(report: Report, patient: Patient, treatment: Treatment | None) -> dict[str, object]:
    """One Table 1 row, its cells as the record schema declares them (``records.columns``)."""
    notes = []
    if patient.concomitant:
        notes.append("concomitant: " + ", ".join(patient.concomitant))
    if treatment is not None and treatment.dose_detail and treatment.dose_detail.get("history"):
        notes.append("dose before: " + ", ".join(treatment.dose_detail["history"]))
    notes.extend(report.errors)
    row: dict[str, object] = {}
    for record in (report, patient) + ((treatment,) if treatment is not None else ()):
        row.update({name: show(record) for _, name, show in columns(type(record))})
    row.update({"Comment": "; ".join(notes) or None, "Source": report.source})
    return row


def to_dataframe(reports: Iterable[Report]) -> pd.DataFrame:
    import pandas as pd  # imported where used: it takes most of a second, and JSONL output needs none

    rows = [row for report in reports for row in _rows(report)]
    frame = pd.DataFrame(rows, columns=table_columns())
    return frame.astype(NUMBER_COLUMNS)


def print_style(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as a review prints it: report and patient columns only on a patient's first row."""
    patient_columns = [name for record in (Report, Patient) for _, name, _ in columns(record)]
    repeated = frame[["Source", "Patient"]].eq(frame[["Source", "Patient"]].shift()).all(axis=1)
    shown = frame.astype(object)
    shown.loc[repeated, patient_columns] = None
    return shown


def _escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    escaped = frame.astype(object)
    for name in escaped.columns.difference(NOT_ESCAPED):
        escaped[name] = escaped[name].map(lambda v: f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    return escaped


def write_reports(reports: list[Report], path: Path, *, printed: bool = False, evidence: bool = False) -> None:
    """Table 1 of the reports in the format the suffix names: ``printed`` (the printed look) for Markdown, each value's
    evidence in columns beside it (``evidence``), and in an XLSX workbook the Evidence sheet."""
    from .evidence_table import evidence_frame, with_evidence_columns

    frame = to_dataframe(reports)
    suffix = path.suffix.lower()
    if printed and suffix == ".md":
        frame = print_style(frame)
    if evidence:
        frame = with_evidence_columns(frame, reports)
    write_table(frame, path, {"Evidence": evidence_frame(reports)} if suffix == ".xlsx" else None)


def write_table(frame: pd.DataFrame, path: Path, more_sheets: dict[str, pd.DataFrame] | None = None) -> None:
    """Table 1 in the format the suffix names; an XLSX workbook also gets ``more_sheets``."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_csv(frame, path)
    elif suffix == ".xlsx":
        write_xlsx({"Table 1": frame, **(more_sheets or {})}, path)
    elif suffix == ".md":
        path.write_text(to_markdown(frame), encoding="utf-8")
    else:
        raise ValueError(f"unknown output format {suffix!r}: use .jsonl, .csv, .xlsx or .md")


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    # utf-8-sig: Excel reads the byte order mark as UTF-8 (else "Lourenço" shows as "LourenÃ§o").
    # Lines end in CRLF: the csv module quotes a field holding a character of the line terminator,
    # so a CR or LF inside a value is always quoted and cannot start a row of its own.
    cells = frame.astype(object).apply(lambda column: column.map(spreadsheet_cell))
    _escape_formulas(cells).to_csv(path, index=False, encoding="utf-8-sig", quoting=csv.QUOTE_MINIMAL,
                                   lineterminator="\r\n")


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path) -> None:
    """Worksheets a reviewer can work in: bold frozen header, a filter on every column, widths that
    fit the text, numbers as numbers, and no cell that Excel would run as a formula."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, frame in sheets.items():
        _write_sheet(book.create_sheet(title), frame)
    book.save(path)


def _write_sheet(sheet, frame: pd.DataFrame) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append([spreadsheet_cell(name) for name in frame.columns])
    for values in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
        sheet.append([spreadsheet_cell(value) for value in values])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":  # openpyxl reads a string starting with "=" as a formula
                cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for i, name in enumerate(frame.columns, start=1):
        longest = max([len(str(name))] + [len(str(v)) for v in frame[name].dropna()])
        sheet.column_dimensions[get_column_letter(i)].width = min(longest + 2, _MAX_WIDTH)


def to_markdown(frame: pd.DataFrame) -> str:
    """A GitHub-style table without the optional 'tabulate' dependency of DataFrame.to_markdown."""
    import pandas as pd

    def cell(value: object) -> str:
        return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else markdown_cell(str(value))
    lines = ["| " + " | ".join(cell(name) for name in frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines) + "\n"


OUTPUT_SUFFIXES = (".jsonl", ".csv", ".xlsx", ".md")
