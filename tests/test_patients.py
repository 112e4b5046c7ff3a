"""Who the text speaks of: case-series markers, series written in one sentence, papers without a case,
and the sections a patient is read from; on texts written for these tests."""

from __future__ import annotations

import pytest

from extractor.api import extract_text
from extractor.pipeline import default_pipeline
from extractor.records import Patient
from extractor.sections import split_sections


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def patients(nlp, text: str) -> list[Patient]:
    return extract_text(text, nlp=nlp).patients


REVIEW = ("Kinase inhibitors for ROS1 fusions: a review\n\n"
          "Abstract\n\nROS1 fusions occur in a few lung cancers. We review crizotinib and entrectinib.\n\n"
          "Introduction\n\nROS1 fusions were first found in glioblastoma.\n\n"
          "Methods\n\nWe searched for trials that enrolled patients aged 18 years or older.\n\n"
          "Discussion\n\nEntrectinib reaches the brain better than crizotinib.\n")


@pytest.mark.parametrize("joined", [
    "the tumour shrank (Figure 2).Case 2 A 41-year-old woman",   # a heading run into the sentence before
    "the tumour shrank.\n\nCase 2A 41-year-old woman",          # a heading run into the first word
    "the tumour shrank.\n\nCASE #2: A 41-year-old woman",
])
def test_numbered_cases_are_found(nlp, joined):
    text = ("Case presentation\n\nCase 1\n\nA 30-year-old man with an ALK fusion received alectinib and "
            f"{joined} with a ROS1 fusion received crizotinib.\n")
    found = patients(nlp, text)
    assert [(p.patient, p.age_years, [t.drug for t in p.treatments]) for p in found] == [
        ("1", 30, ["alectinib"]), ("2", 41, ["crizotinib"])]


def test_a_series_in_one_sentence_gives_one_patient_per_age(nlp):
    text = ("Two NTRK3-rearranged children (3 years and 8 months old) received larotrectinib, "
            "and both tumours shrank by half.")
    found = patients(nlp, text)
    assert [round(p.age_years, 2) for p in found] == [3, 0.67]
    assert [[t.drug for t in p.treatments] for p in found] == [["larotrectinib"], ["larotrectinib"]]
    assert [text[p.evidence["age_years"].start:p.evidence["age_years"].end] for p in found] == [
        "3 years", "8 months old"]


@pytest.mark.parametrize("text", [
    "Two children (the older aged 6 years) were treated with larotrectinib.",  # one age for two: not told apart
    "A 6-year-old boy received two cycles (21 days and 28 days long) of larotrectinib.",  # no patients counted
])
def test_no_series_without_an_age_per_patient(nlp, text):
    assert len(patients(nlp, text)) == 1


def test_a_review_without_a_case_has_no_patient(nlp):
    report = extract_text(REVIEW, nlp=nlp)
    assert report.patients == []
    assert report.drugs == ["crizotinib", "entrectinib"]


def test_a_paper_whose_case_heading_is_bare_has_its_patient(nlp):
    text = REVIEW.replace("Methods\n\nWe searched for trials that enrolled patients aged 18 years or older.",
                          "Case\n\nA 45-year-old woman was treated with crizotinib.")
    found = patients(nlp, text)
    assert [(p.age_years, [t.drug for t in p.treatments]) for p in found] == [(45, ["crizotinib"])]


def test_a_case_heading_with_more_words_opens_the_case():
    text = ("A title\n\nIntroduction\n\nRare tumours are rare.\n\n"
            "2. Case Presentation and Clinical Follow-Up\n\nA 45-year-old woman was treated.\n\n"
            "3. Discussion\n\nTreatment helped.")
    assert [s.kind for s in split_sections(text)] == ["front_matter", "introduction", "case", "discussion"]


def test_the_word_case_in_running_text_is_no_heading():
    text = ("A title\n\nIntroduction\n\nIn our Case The tumour was large and we treated it with surgery alone.\n\n"
            "Discussion\n\nSurgery helped.")
    assert [s.kind for s in split_sections(text)] == ["front_matter", "introduction", "discussion"]


def test_a_structured_abstract_without_its_heading_is_the_abstract():
    text = ("A title\n\nBackground/Objectives: Rare tumours are seldom treated.\n"
            "Methods: We describe one patient.\nResults: The tumour shrank.\nConclusions: Crizotinib helped.\n\n"
            "1. Introduction\n\nRare tumours are rare.\n\n"
            "2. Case Presentation and Clinical Follow-Up\n\nA 45-year-old woman was treated with crizotinib.\n\n"
            "3. Discussion\n\nCrizotinib is approved.")
    sections = split_sections(text)
    assert [s.kind for s in sections] == ["front_matter", "abstract", "introduction", "case", "discussion"]
    assert text[sections[1].start:].startswith("Background/Objectives")
