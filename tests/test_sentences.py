"""A blank line ends a sentence: a title or heading without a full stop is not part of the next one."""

from __future__ import annotations

from extractor.api import extract_text


def test_evidence_sentence_stops_at_a_paragraph_break():
    text = ("Crizotinib in a ROS1-rearranged tumour of the thigh\n\n"
            "A 23-year-old man presented with a painless mass of the left thigh.")
    patient = extract_text(text).patients[0]
    assert patient.evidence["age_years"].text == "A 23-year-old man presented with a painless mass of the left thigh."


def test_a_single_line_break_does_not_end_a_sentence():
    text = "A 23-year-old man presented with a painless\nmass of the left thigh."
    assert extract_text(text).patients[0].evidence["age_years"].text == text


def test_a_long_paragraph_split_by_a_blank_line_goes_on():
    """A PDF reader leaves a blank line where a paragraph continues in the next column."""
    first = ("She was treated with crizotinib 250 mg twice daily from March 2019 and tolerated it well apart from "
             "mild visual disturbance and oedema of both ankles; restaging CT in")
    text = f"{first}\n\nMay 2019 showed a partial response of the thigh mass."
    report = extract_text(text)
    assert report.patients[0].treatments[0].evidence["response"].text == text
