"""The report's own citation, never one from its bibliography (texts written for these tests)."""

from __future__ import annotations

from extractor.citation import cite
from extractor.readers import document_from_text
from extractor.records import Report


def citation(text: str, metadata: dict | None = None) -> Report:
    report = Report(source="test.txt")
    cite(document_from_text(text, metadata=metadata), report)
    return report


PAPER = """Crizotinib for a fusion-positive tumour of the thigh in a teenager

Adaeze Okafor, Lars Petersen and Mei Tanaka

Journal of Invented Oncology 2019; 7(2): 101–105
DOI: 10.5555/jio.2019.101

Abstract

We describe a 16-year-old boy whose tumour responded to crizotinib.

Case report

A 16-year-old boy presented with a mass in the left thigh.

Discussion

Similar responses were described by Brown and colleagues in 2015.

References

1. Brown K, Ivanova S, Smith J. Crizotinib in rare tumours. J Rare Dis. 2015;3:1-5. doi:10.1000/jrd.2015.1
2. Garcia L, Novak P. Fusions in sarcoma. Sarcoma Res. 2012;8:22-30. doi:10.1000/sr.2012.22
"""


def test_citation_from_the_front_of_the_paper():
    report = citation(PAPER)
    assert report.title == "Crizotinib for a fusion-positive tumour of the thigh in a teenager"
    assert report.authors == ["Adaeze Okafor", "Lars Petersen", "Mei Tanaka"]
    assert report.year == 2019
    assert report.doi == "10.5555/jio.2019.101"
    assert report.report == "Okafor et al. 2019"
    assert report.evidence["doi"].start == PAPER.index("10.5555")


def test_bibliography_never_sets_the_citation():
    body = PAPER[PAPER.index("Abstract"):]
    report = citation(body)
    assert report.report is None
    assert report.authors == []
    assert report.doi is None
    assert report.year is None


def test_header_lines_come_first():
    text = ("Title: Entrectinib in a child with a brain tumour\nAuthors: Ravi Menon, Clara Weiss\nYear: 2021\n"
            "DOI: 10.5555/x.2021.9\n\nA 9-year-old girl was treated with entrectinib.")
    report = citation(text)
    assert report.title == "Entrectinib in a child with a brain tumour"
    assert report.authors == ["Ravi Menon", "Clara Weiss"]
    assert report.report == "Menon et al. 2021"
    assert report.doi == "10.5555/x.2021.9"


def test_summary_is_cited_as_the_paper_it_summarises():
    text = ("Title: Evidence item 12 - curator summary of Novak et al., 2017\nAuthors: Database curators\n\n"
            "A 60-year-old man received larotrectinib.")
    assert citation(text).report == "Novak et al. 2017"


def test_metadata_of_the_file_is_used_unless_it_is_a_tools():
    text = "Introduction\n\nSome background.\n\nCase report\n\nA 30-year-old man presented with a mass."
    report = citation(text, {"title": "Microsoft Word - draft3.docx", "author": "Lena Berg, Omar Said", "year": 2018})
    assert report.title is None
    assert report.report == "Berg et al. 2018"


def test_web_page_run_of_text():
    text = ("A teenager with a rare tumour of the thigh | Journal of Invented Cases | Full Text Menu Home "
            "Articles A teenager with a rare tumour of the thigh Jane Li 1 Email author and Tom Ng 2 "
            "Received: 2 May 2015 Published: 9 January 2016 © Li et al.; licensee Invented Ltd. 2016 "
            "Abstract Introduction Rare tumours of the thigh are seldom seen in teenagers at all. "
            "Case presentation A 15-year-old boy had a mass in the thigh. Conclusion It was removed. "
            "References Smith A, Jones B: Tumours of the thigh. J Cases 2010, 1: 1-2.")
    report = citation(text)
    assert report.title == "A teenager with a rare tumour of the thigh"
    assert report.year == 2016
    assert report.report == "Li et al. 2016"
