"""Diagnosis: the tumour type as the report names it, on sentences written for these tests."""

from __future__ import annotations

import pytest

from extractor.api import extract_text
from extractor.evaluation.matchers import diagnosis_matches
from extractor.pipeline import default_pipeline


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def diagnosis(nlp, text: str) -> str | None:
    report = extract_text(text, nlp=nlp)
    assert not report.errors and len(report.patients) == 1
    return report.patients[0].diagnosis


@pytest.mark.parametrize(("text", "expected"), [
    ("A 34-year-old woman was diagnosed with an inflammatory myofibroblastic tumor of the mesentery.",
     "inflammatory myofibroblastic tumor"),
    ("Biopsy of the hilar mass showed a poorly differentiated non-small cell lung adenocarcinoma.",
     "poorly differentiated non-small cell lung adenocarcinoma"),
    ("A 3-month-old boy was diagnosed with infantile fibrosarcoma after a rapidly growing thigh mass.",
     "infantile fibrosarcoma"),
    ("Histology was consistent with diffuse large B-cell lymphoma.", "diffuse large b-cell lymphoma"),
    # stage, extent, markers and place words are not part of the name
    ("He was diagnosed with stage IVA ALK-negative lung adenocarcinoma.", "lung adenocarcinoma"),
    ("Core biopsy confirmed metastatic secretory carcinoma.", "secretory carcinoma"),
    ("She was diagnosed with an unresectable pelvic inflammatory myofibroblastic tumour.",
     "inflammatory myofibroblastic tumour"),
])
def test_the_name_the_report_gives(nlp, text, expected):
    assert diagnosis(nlp, text) == expected


def test_a_fuller_name_in_the_title_is_preferred_to_the_bare_noun_of_the_case():
    text = ("ROS1-rearranged lung adenocarcinoma treated with crizotinib\n\nCase presentation\n\n"
            "A 48-year-old man presented with cough. Biopsy of the right lung mass showed adenocarcinoma.")
    assert diagnosis(nlp=default_pipeline(), text=text) == "lung adenocarcinoma"


@pytest.mark.parametrize("text", [
    "The tumour was removed and the margins were clear.",       # a generic noun alone names nothing
    "Lung adenocarcinomas with ROS1 fusions respond to crizotinib.",  # plural: a kind, not this patient
    "The haematoma and the granuloma resolved; the stroma was oedematous.",  # -oma words that are no tumours
])
def test_no_diagnosis(nlp, text):
    assert diagnosis(nlp, text) is None


def test_evidence_points_at_the_name(nlp):
    text = "A 61-year-old man was diagnosed with papillary thyroid carcinoma in 2015."
    patient = extract_text(text, nlp=nlp).patients[0]
    evidence = patient.evidence["diagnosis"]
    assert text[evidence.start:evidence.end] == "papillary thyroid carcinoma"
    assert evidence.text == text


@pytest.mark.parametrize(("gold", "predicted", "same"), [
    ("spindle cell neoplasm", "monomorphic spindle cell neoplasm", True),
    ("inflammatory myofibroblastic tumor", "Inflammatory myofibroblastic tumours", True),
    ("lung adenocarcinoma", "adenocarcinoma", False),
    ("lung adenocarcinoma", "lung cancer", False),
    ("acute myeloid leukaemia", "acute myeloid leukemia", True),
])
def test_diagnosis_matching(gold, predicted, same):
    assert diagnosis_matches(gold, predicted) is same
