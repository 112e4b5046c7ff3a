"""The output contract: the shipped JSON Schema is the one the record classes give, and every
record of the corpora follows it."""

from __future__ import annotations

import json

import jsonschema
import pytest

import extractor
from extractor.cli import main
from extractor.contract import SCHEMA_FILE, contract_schema


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_shipped_schema_is_derived_from_the_records():
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == contract_schema(), \
        "records changed: rewrite the schema with python -m extractor.contract"


def test_every_project_corpus_record_validates(validator, corpus_dir):
    for report in extractor.extract_many([corpus_dir]):
        record = report.to_dict()
        assert record["casetable_version"] == extractor.__version__
        errors = [e.message for e in validator.iter_errors(record)]
        assert errors == [], report.source


def test_every_shared_corpus_record_validates(validator, shared_corpus):
    texts = sorted(p for p in shared_corpus.rglob("*.txt"))
    for report in extractor.extract_many(texts):
        assert not list(validator.iter_errors(report.to_dict())), report.source


def test_a_record_that_breaks_the_contract_is_caught(validator):
    record = extractor.extract_text("A 40-year-old man received crizotinib 250 mg twice daily.").to_dict()
    record["patients"][0]["age_years"] = "forty"
    assert any("age_years" in list(map(str, e.path)) for e in validator.iter_errors(record))


def test_schema_command_prints_the_schema(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == contract_schema()
