"""JATS XML, HTML and JSONL readers: the same records as the text, sections and citation from markup.

One short fictional case report (written for these tests) is rendered as plain text, as PubMed
Central JATS XML and as a journal web page with site navigation around it; each format must give
the patient records of the plain text.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

import pytest
from pdfgen import make_pdf

from extractor import extract, extract_many, extract_text
from extractor.pipeline import default_pipeline
from extractor.readers import read

TITLE = "Sustained response to entrectinib in a man with an ETV6::NTRK3 fusion-positive salivary carcinoma"
AUTHORS = [("Maren", "Solberg"), ("Tomasz", "Wierzbicki"), ("Ines", "Carvalho")]
YEAR, DOI = 2023, "10.5555/casetable.test.0042"
ABSTRACT = ("We report a 58-year-old man with a secretory carcinoma of the parotid gland harbouring an "
            "ETV6::NTRK3 fusion who achieved a partial response to entrectinib.")
SECTIONS = [
    ("Introduction", "intro", [
        "Secretory carcinoma of the salivary glands is defined by rearrangements of ETV6, most often with NTRK3.",
        "Larotrectinib and entrectinib are approved for tumours with NTRK fusions regardless of histology."]),
    ("Case presentation", "cases", [
        "A 58-year-old man presented with a slowly enlarging mass of the left parotid gland.",
        "After parotidectomy, lung metastases appeared within two years. Sequencing of the resected tumour "
        "detected an ETV6::NTRK3 fusion.",
        "He started entrectinib 600 mg once daily in March 2021. The first CT after eight weeks showed a "
        "partial response, which was ongoing after 18 months."]),
    ("Discussion", "discussion", [
        "Responses to NTRK inhibitors in salivary carcinoma are frequent and durable."]),
]
REFERENCES = ["Okafor L, Brandt J. Kinase fusions in salivary gland tumours. Head Neck Pathol Rev. 2020;5:11-19."]
CAPTION = "Figure 1. Chest CT before treatment and after eight weeks of entrectinib."
TABLE = ("Table 1. Laboratory values at diagnosis.", [["Test", "Value"], ["Haemoglobin", "13.1 g/dL"]])


def plain_text() -> str:
    parts = [TITLE, "Abstract", ABSTRACT]
    for heading, _, paragraphs in SECTIONS:
        parts += [heading, *paragraphs]
    parts += ["References", *REFERENCES]
    return "\n\n".join(parts)


def jats_xml() -> str:
    authors = "".join(f'<contrib contrib-type="author"><name><surname>{s}</surname><given-names>{g}</given-names>'
                      f"</name></contrib>" for g, s in AUTHORS)
    body = []
    for heading, sec_type, paragraphs in SECTIONS:
        paras = [f"<p>{escape(p)}</p>" for p in paragraphs]
        if sec_type == "cases":
            # A citation marker, a figure inside a paragraph and a table between paragraphs.
            paras[0] = paras[0].replace("gland.</p>", 'gland.<sup><xref ref-type="bibr" rid="r1">1</xref></sup>'
                                                      f'<fig id="f1"><label>Figure 1.</label><caption><p>'
                                                      f"{escape(CAPTION[10:])}</p></caption></fig></p>")
            rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in TABLE[1])
            paras.insert(1, f"<table-wrap><label>Table 1.</label><caption><p>{escape(TABLE[0][9:])}</p></caption>"
                            f"<table><tbody>{rows}</tbody></table></table-wrap>")
        body.append(f'<sec sec-type="{sec_type}"><title>{heading}</title>{"".join(paras)}</sec>')
    refs = "".join(f'<ref id="r{i}"><mixed-citation>{escape(r)}</mixed-citation></ref>'
                   for i, r in enumerate(REFERENCES, 1))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.2//EN" '
            '"JATS-archivearticle1.dtd">\n'
            '<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="case-report"><front>'
            '<journal-meta><journal-title-group><journal-title>Imaginary Case Reports</journal-title>'
            '</journal-title-group></journal-meta><article-meta>'
            f'<article-id pub-id-type="pmid">99999999</article-id><article-id pub-id-type="doi">{DOI}</article-id>'
            f"<title-group><article-title>{escape(TITLE)}</article-title></title-group>"
            f'<contrib-group>{authors}</contrib-group><pub-date pub-type="epub"><day>4</day><month>5</month>'
            f"<year>{YEAR}</year></pub-date><abstract><p>{escape(ABSTRACT)}</p></abstract></article-meta></front>"
            f'<body>{"".join(body)}</body><back><ref-list><title>References</title>{refs}</ref-list></back>'
            "</article>")


SITE_NOISE = "Pembrolizumab in melanoma: a trial update"  # a drug in the site's sidebar, not the article


def html_page() -> str:
    meta = "".join(f'<meta name="citation_author" content="{g} {s}">' for g, s in AUTHORS)
    sections = []
    for heading, sec_type, paragraphs in SECTIONS:
        paras = [f"<p>{escape(p)}</p>" for p in paragraphs]
        if sec_type == "cases":
            paras[0] = paras[0].replace("gland.</p>", 'gland.<sup><a href="#r1">1</a></sup></p>')
            paras.insert(1, f'<figure><img src="f1.png" alt=""><figcaption>{escape(CAPTION)}</figcaption></figure>')
            rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in TABLE[1])
            paras.insert(2, f"<table><caption>{escape(TABLE[0])}</caption>{rows}</table>")
        sections.append(f"<section><h2>{heading}</h2>{''.join(paras)}</section>")
    refs = "".join(f'<li id="r{i}">{escape(r)}</li>' for i, r in enumerate(REFERENCES, 1))
    return ("<!DOCTYPE html><html><head><title>Imaginary Case Reports</title>"
            f'<meta name="citation_title" content="{escape(TITLE)}">{meta}'
            f'<meta name="citation_publication_date" content="{YEAR}/05/04"><meta name="citation_doi" content="{DOI}">'
            '<script>var tracking = "crizotinib";</script><style>p { color: black; }</style></head><body>'
            '<header class="site-header"><a href="/">Home</a> <a href="/journals">Journals</a></header>'
            '<nav><ul><li>Browse issues</li><li>Submit a manuscript</li></ul></nav>'
            '<div id="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>'
            f'<main><article><h1>{escape(TITLE)}</h1><div class="abstract"><h2>Abstract</h2><p>{escape(ABSTRACT)}</p>'
            f'</div>{"".join(sections)}<section><h2>References</h2><ol>{refs}</ol></section></article>'
            f'<aside class="related-articles"><h3>Related articles</h3><p>{SITE_NOISE}</p></aside></main>'
            '<footer><p>Copyright Imaginary Publishing. Privacy policy.</p></footer></body></html>')


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


@pytest.fixture(scope="module")
def text_report(nlp):
    return extract_text(plain_text(), "case.txt", nlp)


def records(report) -> dict:
    data = {"patients": [p.to_dict() for p in report.patients], "fusions": report.fusions, "drugs": report.drugs}

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("start", "end", "page", "section")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(data)


def test_text_version_has_the_patient(text_report):
    patient = text_report.patients[0]
    assert patient.age_years == 58 and patient.sex == "male" and patient.fusion == "ETV6::NTRK3"
    assert [t.drug for t in patient.treatments] == ["entrectinib"]


def test_jats_sections_metadata_and_records(tmp_path, nlp, text_report):
    path = tmp_path / "article.nxml"
    path.write_text(jats_xml(), encoding="utf-8")
    document = read(path)
    kinds = [s.kind for s in document.sections]
    assert kinds[:3] == ["title", "front_matter", "abstract"]
    body = ("introduction", "case", "discussion", "references")
    assert [k for k in kinds if k in body] == list(body)
    assert kinds[-2:] == ["caption", "table"]
    case = next(s for s in document.sections if s.kind == "case")
    case_text = document.text[case.start:case.end]
    assert "parotid gland. After parotidectomy" in case_text.replace("\n\n", " ")
    assert "gland.1" not in document.text and "Chest CT" not in case_text and "Haemoglobin" not in case_text
    table = document.text[document.sections[-1].start:document.sections[-1].end]
    assert table.startswith("Table 1. Laboratory values") and "Haemoglobin | 13.1 g/dL" in table
    assert document.metadata == {"title": TITLE, "author": "Maren Solberg, Tomasz Wierzbicki, Ines Carvalho",
                                 "year": YEAR, "doi": DOI}
    report = extract(path, nlp)
    assert not report.errors
    assert (report.title, report.year, report.doi, report.report) == (TITLE, YEAR, DOI, f"Solberg et al. {YEAR}")
    assert records(report) == records(text_report)


def test_html_article_without_site_navigation(tmp_path, nlp, text_report):
    path = tmp_path / "article.html"
    path.write_text(html_page(), encoding="utf-8")
    document = read(path)
    for noise in ("Browse issues", "cookies", "Related articles", SITE_NOISE, "Copyright", "tracking", "color"):
        assert noise not in document.text, noise
    kinds = [s.kind for s in document.sections]
    for kind in ("abstract", "introduction", "case", "discussion", "references", "caption", "table"):
        assert kind in kinds, kind
    assert "gland.1" not in document.text
    report = extract(path, nlp)
    assert not report.errors
    assert (report.title, report.year, report.doi, report.report) == (TITLE, YEAR, DOI, f"Solberg et al. {YEAR}")
    assert records(report) == records(text_report)


def test_jsonl_of_abstracts_one_record_per_line(tmp_path, nlp):
    path = tmp_path / "pubmed.jsonl"
    lines = [json.dumps({"pmid": "111", "abstract": ABSTRACT}),
             "{not json",
             json.dumps({"pmid": "333", "title": "no abstract here"}),
             "",
             json.dumps({"pmid": 444, "abstract": "A 7-month-old girl with an infantile fibrosarcoma received "
                                                 "larotrectinib and had a complete response."})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reports = list(extract_many([path], nlp, text_field="abstract", id_field="pmid"))
    assert [r.source for r in reports] == [f"{path}#111", f"{path}:2", f"{path}#333", f"{path}#444"]
    assert not reports[0].errors and reports[0].patients[0].fusion == "ETV6::NTRK3"
    assert "not a JSON object" in reports[1].errors[0]
    assert "no text in field 'abstract'" in reports[2].errors[0] and "--text-field" in reports[2].errors[0]
    assert reports[3].patients[0].age_years == pytest.approx(7 / 12, abs=0.01)
    assert reports[3].patients[0].treatments[0].response == "CR"


def test_extract_on_a_jsonl_file_points_to_extract_many(tmp_path, nlp):
    path = tmp_path / "statements.jsonl"
    path.write_text(json.dumps({"id": "1", "text": ABSTRACT}) + "\n", encoding="utf-8")
    report = extract(path, nlp)
    assert report.errors and "extract_many" in report.errors[0]


def test_format_is_recognised_from_content_not_name(tmp_path, nlp):
    pdf = make_pdf(plain_text(), tmp_path / "saved.pdf", author="")
    as_text = tmp_path / "saved_as.txt"
    as_text.write_bytes(pdf.read_bytes())
    html = tmp_path / "page.txt"
    html.write_text(html_page(), encoding="utf-8")
    assert records(extract(as_text, nlp)) == records(extract(pdf, nlp))
    assert SITE_NOISE not in read(html).text
