"""Sections of a paper, in paragraph text and in web-page text with inline headings (texts written
for these tests)."""

from __future__ import annotations

from extractor.document import Section
from extractor.sections import split_sections

# One run of text, as a web page saves it: a menu, a table of contents, a structured abstract,
# keywords, the body and the bibliography, with the headings inside the line.
WEB_PAGE = (
    "A rare tumour of the thigh in a young woman | Journal of Invented Cases | Full Text Skip to content "
    "Menu Home About Articles Table of Contents Abstract Introduction Case presentation Discussion "
    "References Case report Open Access A rare tumour of the thigh in a young woman Jane Doe and John Roe "
    "Published: 3 May 2020 Abstract Background Rare tumours of the thigh are seldom reported in adults. "
    "Case presentation We describe a woman with a painless mass that grew over a year. "
    "Conclusions Such masses can be removed with good results. Keywords Thigh Tumour Surgery "
    "Introduction Soft tissue tumours of the limbs are usually benign and often missed in practice. "
    "Case presentation A 30-year-old woman presented with a mass in her left thigh. "
    "Discussion of the findings with her family took place before surgery. "
    "Discussion The mass was a benign lesion of the thigh and did not recur. "
    "References Doe J, Roe J: Case report: a tumour of the arm. J Invented Cases 2019, 4: 10-12."
)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(s.kind, text[s.start:s.end]) for s in split_sections(text)]


def section_of(sections: list[Section], text: str, words: str) -> str:
    offset = text.index(words)
    return next(s.kind for s in sections if s.start <= offset < s.end)


def test_paragraph_headings():
    text = ("A title line\n\nIntroduction\n\nBackground text here.\n\nCase report\n\n"
            "A 40-year-old man presented.\n\nDiscussion\n\nThis is the discussion.")
    sections = split_sections(text)
    assert [s.kind for s in sections] == ["front_matter", "introduction", "case", "discussion"]
    assert section_of(sections, text, "A 40-year-old man") == "case"


def test_text_without_headings_is_one_case():
    text = "A 52-year-old woman presented with a lung mass. Biopsy showed adenocarcinoma."
    assert [(s.kind, s.start, s.end) for s in split_sections(text)] == [("case", 0, len(text))]


def test_inline_headings_of_a_web_page():
    sections = split_sections(WEB_PAGE)
    headings = [(s.kind, s.heading) for s in sections if s.heading]
    assert headings == [("abstract", "Abstract"), ("front_matter", "Keywords"), ("introduction", "Introduction"),
                        ("case", "Case presentation"), ("discussion", "Discussion"), ("references", "References")]


def test_table_of_contents_and_menu_open_no_section():
    sections = split_sections(WEB_PAGE)
    assert section_of(sections, WEB_PAGE, "Table of Contents") == "front_matter"
    assert section_of(sections, WEB_PAGE, "Case report Open Access") == "front_matter"


def test_structured_abstract_keeps_its_parts():
    sections = split_sections(WEB_PAGE)
    assert section_of(sections, WEB_PAGE, "We describe a woman") == "abstract"
    assert section_of(sections, WEB_PAGE, "Such masses can be removed") == "abstract"


def test_case_description_is_found_inside_the_run():
    sections = split_sections(WEB_PAGE)
    case = [s for s in sections if s.kind == "case"]
    assert len(case) == 1
    assert WEB_PAGE[case[0].start:case[0].end].startswith("Case presentation A 30-year-old woman")
    # "Discussion of the findings" is a sentence, not a heading.
    assert section_of(sections, WEB_PAGE, "Discussion of the findings") == "case"
    assert section_of(sections, WEB_PAGE, "The mass was a benign lesion") == "discussion"


def test_nothing_but_back_matter_follows_the_bibliography():
    sections = split_sections(WEB_PAGE)
    assert section_of(sections, WEB_PAGE, "Case report: a tumour of the arm") == "references"


def test_article_label_above_the_abstract_is_no_case_section():
    text = ("CASE REPORT  An unusual infection of the hand  ABSTRACT We report an infection of the hand in a "
            "farmer who had been bitten by a dog. INTRODUCTION Bites of animals often lead to infections of "
            "the hand in rural areas. CASE REPORT A 43-year-old farmer was admitted with a swollen hand. "
            "DISCUSSION Early surgery was needed in this farmer.")
    sections = split_sections(text)
    assert section_of(sections, text, "An unusual infection") == "front_matter"
    assert section_of(sections, text, "A 43-year-old farmer") == "case"


def test_table_row_named_after_a_patient_is_no_heading():
    text = ("Introduction Skin diseases of this kind are rare and easily missed by clinicians. "
            "Results were collected for four patients as shown below. Patient 2 19 y Female White No "
            "Severe itching all over the body Oral dapsone Improvement after 2 weeks. "
            "Discussion The disease responded well to a diet without gluten.")
    sections = split_sections(text)
    assert section_of(sections, text, "19 y Female") == "introduction"
    assert not any(s.kind == "case" for s in sections)


def test_numbered_cases_of_a_series():
    text = ("Introduction Carriers are often missed in clinical practice today. CASE REPORT Case 1 A 9-year-old "
            "girl was admitted with weakness of the legs. Case 2 A 32-year-old woman was admitted with "
            "weakness of the arms. DISCUSSION Female carriers may show symptoms.")
    headings = [s.heading for s in split_sections(text) if s.kind == "case"]
    assert headings == ["CASE REPORT", "Case 1", "Case 2"]
