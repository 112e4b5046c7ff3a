"""Table 1 from records: row layout, types, and spreadsheets that open safely in Excel and pandas."""

from __future__ import annotations

import pandas as pd
from openpyxl import load_workbook

from extractor.records import Patient, Report, Treatment
from extractor.table import print_style, to_dataframe, to_markdown, write_table


def _reports() -> list[Report]:
    first = Patient(patient="1", fusion="EML4::ALK", age_years=52.0, sex="male", concomitant=["ondansetron"],
                    treatments=[Treatment(drug="alectinib", response="PR", line=1),
                                Treatment(drug="lorlatinib", dose="=HYPERLINK(\"x\")", response="-SD", line=2)])
    infant = Patient(patient="2", fusion="ETV6::NTRK3", age_years=7 / 12, sex="female",
                     treatments=[Treatment(drug="larotrectinib", response="CR", line=1)])
    return [Report(source="papers/-2+3.txt", report="Lourenço et al. 2021", patients=[first, infant]),
            Report(source="papers/bad.pdf", errors=["papers/bad.pdf: corrupt PDF; save it again from the journal"])]


def test_every_row_carries_its_report_and_patient():
    table = to_dataframe(_reports())
    assert table["Patient"].tolist()[:3] == ["1", "1", "2"] and pd.isna(table["Patient"].iloc[3])
    assert table["Translocation"].tolist()[:3] == ["EML4::ALK", "EML4::ALK", "ETV6::NTRK3"]
    assert table["Line"].tolist()[:3] == [1, 2, 1]
    assert table["Sex"].tolist()[:3] == ["male", "male", "female"]  # spelled as in the JSONL


def test_age_is_a_number_of_years():
    table = to_dataframe(_reports())
    assert table["Age (years)"].dtype == "float64"
    assert table["Age (years)"].tolist()[:3] == [52.0, 52.0, 0.58]


def test_a_file_that_failed_has_a_row_that_says_so():
    row = to_dataframe(_reports()).iloc[3]
    assert row["Report"] == "bad.pdf (not read)"
    assert "corrupt PDF" in row["Comment"] and row["Source"] == "papers/bad.pdf"


def test_print_style_shows_patient_columns_on_the_first_row_only():
    shown = print_style(to_dataframe(_reports()))
    assert shown["Translocation"].tolist()[:3] == ["EML4::ALK", None, "ETV6::NTRK3"]
    assert shown["Drug"].tolist()[:3] == ["alectinib", "lorlatinib", "larotrectinib"]


def test_csv_sorted_by_drug_keeps_each_rows_patient(tmp_path):
    out = tmp_path / "t.csv"
    write_table(to_dataframe(_reports()), out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    table = pd.read_csv(out, encoding="utf-8-sig").sort_values("Drug")
    by_drug = dict(zip(table["Drug"], zip(table["Patient"], table["Translocation"])))
    assert by_drug["larotrectinib"] == (2, "ETV6::NTRK3")
    assert by_drug["lorlatinib"] == (1, "EML4::ALK")
    assert table["Report"].iloc[0] == "Lourenço et al. 2021"


def test_csv_escapes_formulas_but_never_the_source(tmp_path):
    out = tmp_path / "t.csv"
    write_table(to_dataframe(_reports()), out)
    written = pd.read_csv(out, encoding="utf-8-sig")
    assert written["Dose"].iloc[1] == "'=HYPERLINK(\"x\")"
    assert written["Response"].iloc[1] == "'-SD"
    assert written["Source"].iloc[0] == "papers/-2+3.txt"


def test_xlsx_has_a_usable_header_numbers_and_no_formula(tmp_path):
    out = tmp_path / "t.xlsx"
    write_table(to_dataframe(_reports()), out)
    sheet = load_workbook(out)["Table 1"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Report", "Patient", "Translocation"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == sheet.dimensions
    ages = [row[header.index("Age (years)")] for row in sheet.iter_rows(min_row=2, max_row=3)]
    assert [(cell.value, cell.data_type) for cell in ages] == [(52, "n"), (52, "n")]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    dose = next(cell for cell in cells if cell.value and str(cell.value).startswith("=HYPERLINK"))
    assert dose.value == "=HYPERLINK(\"x\")"  # kept as written: a string cell, not a formula
    widths = [sheet.column_dimensions[c].width for c in "ABC"]
    assert all(8 <= w <= 60 for w in widths)


def test_markdown_escapes_pipes():
    frame = pd.DataFrame({"Report": ["a | b"]})
    assert "a \\| b" in to_markdown(frame)
