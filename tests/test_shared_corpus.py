"""Figures on the shared evaluation corpus stay at the thresholds the issues set.

Reads ../shared/corpus (beside the repo in CI and on developers' machines); skips without it.
"""

from __future__ import annotations

import pytest

from extractor.api import extract, extract_text
from extractor.evaluation import Scores, evaluate, load_gold, score_documents


def _run(gold, corpus) -> Scores:
    return evaluate(gold, corpus, extract_path=lambda path: extract(path).to_dict(),
                    extract_text=lambda text, source: extract_text(text, source).to_dict())


@pytest.fixture(scope="module")
def seeds_and_cases(shared_corpus) -> Scores:
    gold = load_gold(shared_corpus / "gold" / "seeds.jsonl") + load_gold(shared_corpus / "gold" / "cases.jsonl")
    predictions = {doc["file"]: extract(shared_corpus / doc["file"]).to_dict() for doc in gold}
    return score_documents(gold, predictions)


@pytest.mark.parametrize("field,minimum", [
    ("fusion", 0.95), ("drug", 0.90), ("response", 0.85), ("dose", 0.85), ("duration", 0.75),
    ("age_years", 0.95), ("sex", 0.95), ("primary_site", 0.80),
])
def test_seeds_and_cases_f1(seeds_and_cases, field, minimum):
    assert seeds_and_cases[field].f1 >= minimum


def test_civic_statements_recall(shared_corpus):
    scores = _run(shared_corpus / "civic_auto" / "statements.jsonl", shared_corpus)
    assert scores["fusion"].recall >= 0.95
    assert scores["drug"].recall >= 0.95


def test_web_page_reports_age_and_sex(shared_corpus):
    scores = _run(shared_corpus / "gold" / "ada.jsonl", shared_corpus)
    assert scores["age_years"].f1 >= 0.95
    assert scores["sex"].f1 >= 0.95


def test_seed_reports_take_nothing_from_background_or_literature(shared_corpus):
    gold = {doc["file"]: doc for doc in load_gold(shared_corpus / "gold" / "seeds.jsonl")}
    for file, doc in gold.items():
        patient = extract(shared_corpus / file).patients[0]
        expected = doc["patients"][0]
        assert patient.fusions == [expected["fusion"]]
        assert {t.drug for t in patient.treatments}.isdisjoint(expected["not_treatments"])
        assert sorted(patient.concomitant) == sorted(expected.get("concomitant", []))
