"""Evidence in the ordinary outputs: the XLSX "Evidence" sheet (one row per value) and ``--evidence``
columns in CSV, from a real extraction of a text report and a two-page PDF."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from review_fixtures import ROOT

from extractor.cli import main
from extractor.readers import read

PDF = ROOT / "corpus/reports/c11_bladder_imt_tpm3_alk_twocolumn.pdf"
TEXT = ROOT / "corpus/reports/c03_pelvic_imt_ros1_three_lines.txt"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("evidence")
    paths = {"xlsx": out / "table.xlsx", "csv": out / "table.csv", "plain": out / "plain.csv"}
    assert main(["extract", str(TEXT), str(PDF), "-o", str(paths["xlsx"]), "-q", "--jobs", "1"]) == 0
    assert main(["extract", str(TEXT), str(PDF), "-o", str(paths["csv"]), "-q", "--jobs", "1", "--evidence"]) == 0
    assert main(["extract", str(TEXT), str(PDF), "-o", str(paths["plain"]), "-q", "--jobs", "1"]) == 0
    return paths


def test_the_workbook_has_an_evidence_sheet_one_row_per_value(outputs) -> None:
    sheets = pd.read_excel(outputs["xlsx"], sheet_name=None)
    assert list(sheets) == ["Table 1", "Evidence"]
    evidence = sheets["Evidence"]
    assert list(evidence.columns) == ["Document", "Patient", "Line", "Field", "Value", "Sentence", "Start", "End",
                                      "Page", "Section"]
    # The PDF: the response lasted "24 months", printed on page 2, in the case description.
    row = evidence[(evidence["Document"] == str(PDF)) & (evidence["Field"] == "duration")].iloc[0]
    assert (row["Patient"], row["Line"], row["Value"], row["Page"], row["Section"]) == (1, 1, "24 months", 2, "case")
    assert row["Sentence"].startswith("At his last visit in March 2022, he remained in complete response, 24 months")
    assert read(PDF).text[row["Start"]:row["End"]] == "24 months"
    # The text report: doxorubicin with ifosfamide, then crizotinib (written "Xalkori"), then lorlatinib.
    # Each drug of the combination has a row (a line number) of its own, so their doses stay apart.
    text_rows = evidence[evidence["Document"] == str(TEXT)]
    drugs = text_rows[text_rows["Field"] == "drug"]
    assert list(zip(drugs["Line"], drugs["Value"])) == [(1, "doxorubicin"), (2, "ifosfamide"), (3, "crizotinib"),
                                                        (4, "lorlatinib")]
    doses = text_rows[text_rows["Field"] == "dose"].set_index("Line")["Value"]
    assert (doses[1], doses[2]) == ("75 mg/m2 on day 1", "3 g/m2 on days 1–3")
    crizotinib = text_rows[(text_rows["Line"] == 3) & (text_rows["Field"] == "dose")].iloc[0]
    assert crizotinib["Value"] == "250 mg twice daily" and pd.isna(crizotinib["Page"])
    assert read(TEXT).text[crizotinib["Start"]:crizotinib["End"]] == "250 mg twice daily"
    # Only values that were found: no row holds an empty value.
    assert evidence["Value"].notna().all()


def test_evidence_columns_sit_beside_each_value_in_csv(outputs) -> None:
    table, plain = pd.read_csv(outputs["csv"], encoding="utf-8-sig"), pd.read_csv(outputs["plain"], encoding="utf-8-sig")
    assert list(table.columns[:len(plain.columns)]) == list(plain.columns)
    assert {"Dose sentence", "Dose start", "Dose end", "Dose page", "Translocation sentence"} <= set(table.columns)
    pdf_row = table[(table["Source"] == str(PDF))].iloc[0]
    assert pdf_row["Dose page"] == 1
    assert "neoadjuvant crizotinib was started in March 2020 at 280 mg/m2 twice daily" in pdf_row["Dose sentence"]
    assert read(PDF).text[int(pdf_row["Dose start"]):int(pdf_row["Dose end"])] == "280 mg/m2 twice daily"
    # The patient's evidence on each of its rows, as Table 1 repeats the patient's values.
    text_rows = table[table["Source"] == str(TEXT)]
    assert text_rows["Translocation sentence"].notna().tolist() == [True, True, True, True]
    assert text_rows["Translocation sentence"].nunique() == 1


def test_without_the_option_csv_is_table_1_alone(outputs) -> None:
    assert not any(c.endswith(" sentence") for c in pd.read_csv(outputs["plain"], encoding="utf-8-sig").columns)
