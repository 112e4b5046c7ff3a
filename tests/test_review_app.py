"""The review app through Flask's test client, over a real SQLite store and a real source file:
escaping, the path rules, input validation, adding values, re-extraction and the export."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from review_fixtures import DRUG, PAPER, write_records

from extractor.readers import read
from extractor.records import Evidence
from extractor.review.app import ReviewConfig, Span, create_app, utf16_offset
from extractor.review.batch import Batch, load_reports
from extractor.review.export import reviewed_frame
from extractor.review.store import Key, Store


@pytest.fixture()
def paper(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "papers" / "doe2024.txt"
    path.parent.mkdir()
    path.write_text(PAPER, encoding="utf-8")
    return path, read(path).text


@pytest.fixture()
def records(tmp_path: Path, paper) -> Path:
    path, text = paper
    return write_records(tmp_path / "records.jsonl", str(path), text)


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "decisions.sqlite")


@pytest.fixture()
def client(records: Path, store: Store):
    return create_app(ReviewConfig(records, store, "alice")).test_client()


def _token(client) -> str:
    return re.search(r'name="token" value="([^"]+)"', client.get("/doc/0").get_data(as_text=True)).group(1)


def _decide(client, token: str, **form: str):
    return client.post("/doc/0/decide", data={"token": token, **form}, headers={"Accept": "application/json"})


def test_a_drug_named_script_renders_as_text(client) -> None:
    html = client.get("/doc/0").get_data(as_text=True)
    assert DRUG not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # The text panel's data escapes it too (a "</script>" in the text cannot close the data block).
    data = re.search(r'<script id="doc-text" type="application/json">(.*?)</script>', html, re.S).group(1)
    assert "<script>" not in data and json.loads(data).count(DRUG) == 1


def test_a_corrected_value_with_markup_is_escaped_in_page_and_answer(client) -> None:
    answer = _decide(client, _token(client), patient="1", line="1", field="dose", action="correct",
                     value="<img src=x onerror=alert(1)>")
    assert answer.status_code == 200
    html = client.get("/doc/0").get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert answer.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("url", ["/doc/2", "/doc/-1", "/doc/..%2F..%2Fetc%2Fpasswd", "/doc/0/../../../etc/passwd",
                                 "/static/..%2F..%2F..%2Fpyproject.toml", "/static/../app.py", "/etc/passwd"])
def test_no_request_reaches_a_file_outside_the_batch(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert b"root:" not in response.data and b"[build-system]" not in response.data


def test_the_app_serves_its_own_script(client) -> None:
    assert client.get("/static/review.js").status_code == 200


def test_a_missing_source_is_reported_on_the_page(client) -> None:
    html = client.get("/doc/1").get_data(as_text=True)
    assert "doe2024.txt.missing.txt: file not found" in html and "--sources DIR" in html


def test_pages_carry_a_content_security_policy(client) -> None:
    assert "default-src 'self'" in client.get("/").headers["Content-Security-Policy"]


def test_a_foreign_host_name_is_refused(client) -> None:
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400


@pytest.mark.parametrize("form, message", [
    ({"patient": "1", "line": "0", "field": "password", "action": "accept"}, "unknown field"),
    ({"patient": "../1", "line": "0", "field": "sex", "action": "accept"}, "a patient is named by"),
    ({"patient": "1", "line": "x", "field": "sex", "action": "accept"}, "a line is a number"),
    ({"patient": "7", "line": "0", "field": "sex", "action": "accept"}, "no such value"),
    ({"patient": "1", "line": "0", "field": "sex", "action": "delete"}, "unknown action"),
    ({"patient": "1", "line": "0", "field": "sex", "action": "correct", "value": "other"},
     "sex is one of male, female"),
    ({"patient": "1", "line": "1", "field": "response", "action": "correct", "value": "MR"}, "response is one of CR"),
    ({"patient": "1", "line": "0", "field": "age_years", "action": "correct", "value": "forty"}, "age is a number"),
    ({"patient": "1", "line": "0", "field": "age_years", "action": "correct", "value": "400"}, "not between 0 and 130"),
    ({"patient": "1", "line": "1", "field": "dose", "action": "correct", "value": "x" * 501}, "at most 500"),
    ({"patient": "1", "line": "1", "field": "dose", "action": "correct", "value": "a\nb"}, "one line"),
    ({"patient": "1", "line": "1", "field": "dose", "action": "correct", "value": "  "}, "no value given"),
    ({"patient": "1", "line": "1", "field": "duration", "action": "accept"}, "nothing was extracted"),
])
def test_bad_decisions_are_refused_with_a_reason(client, store: Store, form: dict, message: str) -> None:
    answer = _decide(client, _token(client), **form)
    assert answer.status_code == 400 and message in answer.json["error"]
    assert store.decisions() == {}


def test_a_post_without_the_page_token_is_refused(client, store: Store) -> None:
    answer = _decide(client, "forged", patient="1", line="0", field="sex", action="accept")
    assert answer.status_code == 403 and store.decisions() == {}


def test_choices_are_stored_in_the_contract_vocabulary(client, store: Store, records: Path) -> None:
    token = _token(client)
    assert _decide(client, token, patient="1", line="0", field="sex", action="correct", value="Female").json[
        "value"] == "female"
    assert _decide(client, token, patient="1", line="1", field="response", action="correct", value="cr").json[
        "value"] == "CR"
    assert _decide(client, token, patient="1", line="0", field="age_years", action="correct", value="40.0").json[
        "value"] == "40"


@pytest.mark.parametrize("back, location", [("/doc/1", "/doc/1"), ("//evil.example/", "/"),
                                            ("/\\evil.example", "/"), ("https://evil.example/", "/")])
def test_setting_the_name_returns_only_to_a_page_of_the_app(client, back: str, location: str) -> None:
    redirect = client.post("/curator", data={"token": _token(client), "curator": "Bob", "back": back})
    assert redirect.headers["Location"] == location


def test_the_curator_name_set_on_the_page_signs_the_decisions(client, store: Store, paper) -> None:
    token = _token(client)
    client.post("/curator", data={"token": token, "curator": "Bob Smith", "back": "/"})
    _decide(client, token, patient="1", line="0", field="fusion", action="accept")
    decision = store.decisions()[Key(str(paper[0]), "1", 0, "fusion")]
    assert (decision.curator, decision.status, decision.value) == ("Bob Smith", "accepted", "TFG::ROS1")


def test_without_scripts_a_decision_returns_to_its_value(client) -> None:
    answer = client.post("/doc/0/decide", data={"token": _token(client), "patient": "1", "line": "1",
                                                "field": "drug", "action": "absent"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/doc/0#v-1-1-drug")


def test_a_missing_line_and_patient_can_be_added_and_are_exported(client, store: Store, records: Path) -> None:
    token = _token(client)
    assert client.post("/doc/0/add", data={"token": token, "patient": "1", "drug": "lorlatinib",
                                           "response": "cr"}).status_code == 302
    assert client.post("/doc/0/add", data={"token": token, "patient": "2", "sex": "female", "age_years": "9",
                                           "drug": "entrectinib"}).status_code == 302
    # Only the patients of the document, or the one new patient the form offers.
    refused = client.post("/doc/0/add", data={"token": token, "patient": "9", "drug": "x"},
                          headers={"Accept": "application/json"})
    assert refused.status_code == 400
    html = client.get("/doc/0").get_data(as_text=True)
    assert "Line 2" in html and "Patient 2" in html and "added: lorlatinib (alice" in html
    frame = reviewed_frame(load_reports(records), store.decisions())
    added = frame[(frame["Patient"] == "1") & (frame["Line"] == 2)].iloc[0]
    assert (added["Drug"], added["Response"], added["Translocation"]) == ("lorlatinib", "CR", "TFG::ROS1")
    new = frame[frame["Patient"] == "2"].iloc[0]
    assert (new["Sex"], new["Age (years)"], new["Drug"], new["Line"]) == ("female", "9", "entrectinib", 1)
    progress = client.get("/").get_data(as_text=True)
    assert "0 accepted, 0 corrected, 0 not in paper, 5 added" in progress


def test_decisions_survive_a_reextraction_and_a_changed_value_is_flagged(tmp_path: Path, paper, store: Store) -> None:
    path, text = paper
    records = write_records(tmp_path / "records.jsonl", str(path), text)
    client = create_app(ReviewConfig(records, store, "alice")).test_client()
    token = _token(client)
    _decide(client, token, patient="1", line="1", field="dose", action="accept")
    _decide(client, token, patient="1", line="0", field="sex", action="absent")
    _decide(client, token, patient="1", line="0", field="fusion", action="correct", value="TFG::ROS1 (exon 4)")
    # Extracted again, by a casetable that now reads the dose differently.
    write_records(records, str(path), text, dose="250 mg")
    client = create_app(ReviewConfig(records, store, "alice")).test_client()
    html = client.get("/doc/0").get_data(as_text=True)
    assert re.search(r'class="cell status-accepted stale" id="v-1-1-dose"', html)
    frame = reviewed_frame(load_reports(records), store.decisions())
    row = frame.iloc[0]
    assert row["Dose"] == "250 mg daily"  # what the curator accepted, not what the new extraction says
    assert row["Translocation"] == "TFG::ROS1 (exon 4)"
    assert row["Translocation decision"].startswith("corrected by alice")
    assert pd.isna(row["Sex"])  # not in paper: empty
    assert row["Drug evidence"].startswith("He received") and row["Drug"] == DRUG


def test_the_export_keeps_a_document_without_patients(records: Path, store: Store) -> None:
    frame = reviewed_frame(load_reports(records), store.decisions())
    assert frame["Source"].tolist()[-1].endswith(".missing.txt")
    assert len(frame) == 2


def test_relative_sources_are_found_under_the_sources_directory(tmp_path: Path, paper) -> None:
    path, text = paper
    (tmp_path / "out").mkdir()
    records = write_records(tmp_path / "out" / "records.jsonl", "papers/doe2024.txt", text)
    assert Batch(records, sources_root=tmp_path).text(0).text == text
    missing = Batch(records, sources_root=tmp_path / "out").text(0)
    assert missing.text == "" and "papers/doe2024.txt: file not found" in missing.error


def test_a_changed_source_is_reported(tmp_path: Path, paper) -> None:
    path, text = paper
    records = write_records(tmp_path / "records.jsonl", str(path), text)
    path.write_text(PAPER.replace("A 41-year-old", "An older"), encoding="utf-8")
    assert "fusion of patient 1" in Batch(records).text(0).mismatched


def test_offsets_are_counted_as_the_browser_counts_them() -> None:
    # A character outside the Basic Multilingual Plane is two UTF-16 units in JavaScript.
    assert utf16_offset("\U0001d465 = 2; TFG::ROS1", 7) == 8
    assert utf16_offset("plain text", 5) == 5


def test_the_text_of_a_jsonl_abstract_is_rebuilt_from_its_line(tmp_path: Path) -> None:
    from extractor.cli import main
    from extractor.review.batch import TextFields

    abstracts = tmp_path / "pubmed.jsonl"
    lines = [{"pmid": "111", "abstract": "A 7-year-old girl with an ETV6::NTRK3 fusion received larotrectinib "
                                         "100 mg/m2 twice daily and had a complete response."},
             {"abstract": "A 52-year-old man with a CD74::ROS1 fusion was treated with crizotinib."}]
    abstracts.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    records = tmp_path / "records.jsonl"
    assert main(["extract", str(abstracts), "--text-field", "abstract", "--id-field", "pmid", "-o", str(records),
                 "-q", "--jobs", "1"]) == 0
    batch = Batch(records, fields=TextFields("abstract", "pmid"))
    assert [r.source for r in batch.reports] == [f"{abstracts}#111", f"{abstracts}:2"]
    for index, drug in enumerate(["larotrectinib", "crizotinib"]):
        text = batch.text(index)
        assert text.error is None and not text.mismatched
        value = next(v for v in batch.values(index) if v.field == "drug")
        assert text.text[value.evidence.start:value.evidence.end] == drug
    wrong = Batch(records).text(0)  # the default field names do not fit this export
    assert "give the --text-field and --id-field extraction used" in wrong.error


def test_the_export_escapes_formulas_and_writes_xlsx_through_a_mapping(client, records: Path, tmp_path: Path) -> None:
    from extractor.cli import main

    _decide(client, _token(client), patient="1", line="1", field="dose", action="correct", value="=1+1 mg")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns: [{column: Dose, name: DOSE}, {column: Sex, values: {male: M}}]\n", encoding="utf-8")
    out = tmp_path / "registry.xlsx"
    assert main(["export", str(records), "--db", str(tmp_path / "decisions.sqlite"), "--mapping", str(mapping),
                 "-o", str(out)]) == 0
    sheet = pd.read_excel(out, sheet_name="Reviewed")
    assert list(sheet.columns) == ["DOSE", "Sex"]
    # XLSX: kept as written, in a string cell that Excel does not run (no formula cell is ever written)
    assert (sheet["DOSE"].iloc[0], sheet["Sex"].iloc[0]) == ("=1+1 mg", "M")
    assert all(cell.data_type != "f" for row in load_workbook(out)["Reviewed"].iter_rows() for cell in row)


@pytest.mark.parametrize("argv, message", [
    (["export", "{records}", "--db", "{tmp}/none.sqlite", "-o", "{tmp}/out.csv"], "no decisions database"),
    (["export", "{records}", "--db", "{tmp}/none.sqlite", "-o", "{tmp}/out.json"], "use .csv or .xlsx"),
    (["review", "{tmp}/absent.jsonl"], "records file not found"),
    (["export", "{tmp}/absent.jsonl", "--db", "x", "-o", "{tmp}/out.csv"], "records file not found"),
])
def test_command_misuse_exits_2_and_says_what_to_do(records: Path, tmp_path: Path, capsys, argv, message) -> None:
    from extractor.cli import main

    assert main([a.format(records=records, tmp=tmp_path) for a in argv]) == 2
    assert message in capsys.readouterr().err


def test_a_bad_mapping_file_exits_2(records: Path, store: Store, tmp_path: Path, capsys) -> None:
    from extractor.cli import main

    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns: [Gender]\n", encoding="utf-8")
    assert main(["export", str(records), "--db", store.location, "--mapping", str(mapping),
                 "-o", str(tmp_path / "out.csv")]) == 2
    assert "lacks: Gender" in capsys.readouterr().err


def test_the_page_marks_the_words_inside_their_sentence() -> None:
    text = "Intro. \U0001d465 He received crizotinib daily. End."
    start = text.index("crizotinib")
    evidence = Evidence("He received crizotinib daily.", start, start + 10)
    # Offsets after the non-BMP character count one more in UTF-16.
    assert Span.of(text, evidence) == Span(text.index("He") + 1, start + 1, start + 11, text.index(" End") + 1)
    moved = Evidence("He was given crizotinib daily.", start, start + 10)  # a sentence the text lacks
    assert Span.of(text, moved) == Span(start + 1, start + 1, start + 11, start + 11)


def test_a_superseded_decision_stays_readable_on_the_page(client) -> None:
    token = _token(client)
    _decide(client, token, patient="1", line="1", field="dose", action="correct", value="200 mg daily")
    client.set_cookie("curator", "bob")
    _decide(client, token, patient="1", line="1", field="dose", action="correct", value="300 mg daily")
    html = client.get("/doc/0").get_data(as_text=True)
    cell = re.search(r'<td class="decision" title="before: ([^"]*)">([^<]*)</td>', html)
    assert cell.group(1).startswith("corrected to 200 mg daily (alice, ")
    assert cell.group(2).startswith("corrected to 300 mg daily (bob, ")


def test_the_batch_page_continues_with_the_first_document_not_reviewed(client) -> None:
    token = _token(client)
    for field in ("fusion", "age_years", "sex"):
        _decide(client, token, patient="1", line="0", field=field, action="accept")
    assert 'id="continue" href="/doc/0"' in client.get("/").get_data(as_text=True)
    for field in ("drug", "dose", "response"):
        _decide(client, token, patient="1", line="1", field=field, action="accept")
    page = client.get("/").get_data(as_text=True)
    assert 'id="continue" href="/doc/1"' in page and "1 of 2 documents reviewed" in page


def test_a_document_without_values_is_reviewed_once_the_curator_confirms_nothing_is_missing(
        client, records: Path, store: Store) -> None:
    token = _token(client)
    assert "0 of 2 documents reviewed" in client.get("/").get_data(as_text=True)
    refused = client.post("/doc/0/nothing-found", data={"token": token}, headers={"Accept": "application/json"})
    assert refused.status_code == 400 and "decide each of them" in refused.json["error"]
    assert client.post("/doc/1/nothing-found", data={"token": token}).status_code == 302
    page = client.get("/doc/1").get_data(as_text=True)
    assert 'id="nothing-found">Nothing to add: accepted (alice, ' in page
    assert "1 of 2 documents reviewed" in client.get("/").get_data(as_text=True)
    # The confirmation is no value: the export still has one row per document, no patient "".
    frame = reviewed_frame(load_reports(records), store.decisions())
    assert len(frame) == 2 and frame["Patient"].tolist()[0] == "1" and pd.isna(frame["Patient"].iloc[1])
