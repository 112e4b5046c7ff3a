"""Table 1 from records: row layout and spreadsheet safety."""

from __future__ import annotations

import pandas as pd

from extractor.records import Patient, Report, Treatment
from extractor.table import to_dataframe, to_markdown, write_table


def _report() -> Report:
    patient = Patient(patient="1", fusion="EML4::ALK", age_years=52.0, sex="male", concomitant=["ondansetron"],
                      treatments=[Treatment(drug="alectinib", response="PR"),
                                  Treatment(drug="lorlatinib", dose="=HYPERLINK(\"x\")", response="-SD")])
    return Report(source="a.txt", report="Doe et al. 2021", patients=[patient])


def test_patient_columns_fill_the_first_row_only():
    table = to_dataframe([_report()])
    assert list(table["Drug"]) == ["alectinib", "lorlatinib"]
    assert table["Translocation"].tolist()[0] == "EML4::ALK" and pd.isna(table["Translocation"].tolist()[1])
    assert "concomitant: ondansetron" in table["Comment"].iloc[0]


def test_a_report_with_errors_still_has_a_row():
    table = to_dataframe([Report(source="bad.pdf", errors=["bad.pdf: corrupt"])])
    assert table["Source"].tolist() == ["bad.pdf"] and "corrupt" in table["Comment"].iloc[0]


def test_cells_that_look_like_formulas_are_escaped(tmp_path):
    out = tmp_path / "t.csv"
    write_table(to_dataframe([_report()]), out)
    written = pd.read_csv(out)
    assert written["Dose"].iloc[1] == "'=HYPERLINK(\"x\")"
    assert written["Response"].iloc[1] == "'-SD"


def test_markdown_escapes_pipes():
    frame = pd.DataFrame({"Report": ["a | b"]})
    assert "a \\| b" in to_markdown(frame)
