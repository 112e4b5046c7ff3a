"""Outputs that no name or value can break: CSV, XLSX, Markdown, JSONL and the terminal.

A file name that is not UTF-8 reaches Python with lone surrogates; names and ids can hold control
characters and terminal escapes; a value can hold a carriage return followed by a formula. Each
output must still be valid, keep every row whole, and run nothing.
"""

from __future__ import annotations

import csv
import io
import json
import os

import pytest
from openpyxl import load_workbook

from extractor.cli import main
from extractor.records import Patient, Report, Treatment
from extractor.safe_text import terminal_text
from extractor.table import to_dataframe, write_table

BAD_BYTE_NAME = os.fsdecode(b"case_\xff\xfe.txt")  # "case_\udcff\udcfe.txt"
CONTROL_NAME = "case_\x07bell_\x1b[31mred\x1b[0m.txt"
INJECTED_DRUG = "crizotinib\r=HYPERLINK(\"http://evil\")\n@SUM(1)\r\n-2+3"


def reports() -> list[Report]:
    patient = Patient(patient="1", fusion="TPM3::ALK", sex="male",
                      treatments=[Treatment(drug=INJECTED_DRUG, dose="250 mg | <b>twice</b>\ndaily", line=1)])
    return [Report(source=BAD_BYTE_NAME, patients=[patient]),
            Report(source=CONTROL_NAME, errors=[f"{CONTROL_NAME}: empty file: nothing to extract"])]


def test_csv_is_valid_and_a_line_break_in_a_value_starts_no_row(tmp_path):
    path = tmp_path / "table.csv"
    write_table(to_dataframe(reports()), path)
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 2
    assert rows[0]["Source"] == "case_\\xff\\xfe.txt" and rows[1]["Source"] == "case_bell_[31mred[0m.txt"
    assert rows[0]["Drug"].startswith("crizotinib\r=HYPERLINK") and rows[0]["Drug"].endswith("-2+3")
    # Every CR or LF of a value is inside a quoted field: outside quotes, the file's only line
    # breaks are the CRLFs that end its three records.
    outside_quotes = text.split('"')[::2]
    assert sum(part.count("\r\n") for part in outside_quotes) == 3
    assert not any("\r" in part.replace("\r\n", "") or "\n" in part.replace("\r\n", "") for part in outside_quotes)


def test_xlsx_takes_any_name_and_control_characters(tmp_path):
    path = tmp_path / "table.xlsx"
    write_table(to_dataframe(reports()), path)
    sheet = load_workbook(path)["Table 1"]
    header = [cell.value for cell in sheet[1]]
    sources = [row[header.index("Source")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sources == ["case_\\xff\\xfe.txt", "case_bell_[31mred[0m.txt"]


def test_markdown_cells_keep_the_table_shape_and_run_no_html(tmp_path):
    path = tmp_path / "table.md"
    write_table(to_dataframe(reports()), path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4  # header, rule, two rows: no value broke a row
    columns = lines[0].count(" | ")
    assert all(line.replace("\\|", "").count(" | ") == columns for line in lines[2:])
    assert "<b>" not in lines[2] and "&lt;b&gt;twice&lt;/b&gt;<br>daily" in lines[2]
    assert "250 mg \\| " in lines[2] and "\x1b" not in path.read_text(encoding="utf-8")


def test_terminal_text_runs_no_escape_sequence():
    assert terminal_text("a\x1b[2Jb\rc\x9bd\n") == "a\\x1b[2Jb\\x0dc\\x9bd\n"
    assert terminal_text(BAD_BYTE_NAME) == "case_\\xff\\xfe.txt"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".md", ".jsonl"])
def test_cli_reads_files_with_odd_names_into_every_format(tmp_path, capsys, suffix):
    folder = tmp_path / "papers"
    folder.mkdir()
    case = b"A 40-year-old man with a TPM3-ALK fusion received crizotinib 250 mg twice daily.\n"
    for name in (os.fsencode(BAD_BYTE_NAME), CONTROL_NAME.encode()):
        with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
            handle.write(case)
    out = tmp_path / f"table{suffix}"
    assert main(["extract", str(folder), "-o", str(out), "--jobs", "1", "-q"]) == 0
    assert out.stat().st_size > 0
    assert "\x1b" not in capsys.readouterr().err
    if suffix == ".jsonl":  # valid UTF-8, the undecodable bytes of the name escaped, the case read
        records = [json.loads(line) for line in out.read_bytes().decode("utf-8").splitlines()]
        sources = {os.path.basename(r["source"]): r for r in records}
        assert sources["case_\\xff\\xfe.txt"]["patients"][0]["fusion"] == "TPM3::ALK"
