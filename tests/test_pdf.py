"""PDF reading: text quality on generated journal-like PDFs, and the same records as from the text.

The PDFs are made here with tests/pdfgen.py (reportlab) from sentences written for these tests and
from the project's own corpus, with running headers, page numbers, figure captions, tables,
superscript citation markers and hyphenated line ends, in one and two columns.
"""

from __future__ import annotations

import gc
import json
import re
import unicodedata
from pathlib import Path

import pytest
from pdfgen import make_corrupt_pdf, make_pdf, plain_text, read_source, unicode_fonts
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from extractor import extract, extract_text
from extractor.evaluation import evaluate
from extractor.pipeline import default_pipeline
from extractor.readers import read
from extractor.readers.errors import ReadError
from extractor.readers.layout import join_lines, normalize_characters
from extractor.readers.pdf import LAPARAMS
from extractor.readers.pdfchars import Char, CharAggregator

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "reports"
SHARED = ROOT.parent / "shared" / "corpus"
HEADER = "Annals of Imaginary Oncology | 2024 | Volume 12 | Issue 3"

# Paragraphs numbered in words, so that the reading order can be checked in the extracted text.
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "eleventh", "twelfth", "thirteenth", "fourteenth"]
FILLER = ("The clinicians documented every visit with care, recording symptoms, laboratory values, imaging "
          "findings and the decisions of the multidisciplinary board, so that the course of the illness could "
          "be reconstructed later without relying on memory.")


def numbered_article() -> str:
    paragraphs = ["Case presentation"]
    for ordinal in ORDINALS:
        paragraphs.append(f"This is the {ordinal} paragraph of the story. {FILLER} {FILLER}")
    return "\n\n".join(paragraphs)


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


# ------------------------------------------------------------------------------------ text quality


@pytest.mark.parametrize("columns", [1, 2])
def test_reading_order_headers_and_page_numbers(tmp_path, columns):
    pdf = make_pdf(numbered_article(), tmp_path / "order.pdf", columns=columns, header=HEADER, author="")
    document = read(pdf)
    positions = [document.text.find(f"This is the {o} paragraph") for o in ORDINALS]
    assert -1 not in positions
    assert positions == sorted(positions)
    assert document.page_count >= 2
    assert "Annals of Imaginary Oncology" not in document.text
    # No page number left between paragraphs, and every paragraph is whole (a paragraph broken by a
    # column or page end is joined again).
    assert not re.search(r"(^|\n\n)\d{1,3}(\n\n|$)", document.text)
    for paragraph in document.text.split("\n\n")[1:]:
        assert paragraph.startswith("This is the ") and paragraph.endswith("without relying on memory."), paragraph


def test_hyphenated_line_ends_are_mended(tmp_path):
    text = ("Case presentation\n\n" + " ".join(
        "Chemotherapy with doxorubicin and ifosfamide was followed by crizotinib, and the radiologists "
        "documented shrinkage of the intraabdominal mass on consecutive examinations." for _ in range(12)))
    pdf = make_pdf(text, tmp_path / "hyphens.pdf", columns=2, hyphenate=True, author="")
    raw = tmp_path / "raw.txt"
    from pdfminer.high_level import extract_text as pdfminer_text

    raw.write_text(pdfminer_text(str(pdf)))
    assert re.search(r"[a-z]-\n[a-z]", raw.read_text()), "the generator should have hyphenated some line ends"
    document = read(pdf)
    body = document.text.split("\n\n", 1)[1]
    assert body == " ".join(text.split("\n\n")[1].split())


def test_join_lines_keeps_hyphens_of_compounds_and_symbols():
    words = frozenset({"non-small", "follow-up"})
    assert join_lines(["treated with che-", "motherapy and"], words) == "treated with chemotherapy and"
    assert join_lines(["a non-", "small cell carcinoma"], words) == "a non-small cell carcinoma"
    assert join_lines(["the tumour was ALK-", "positive"], words) == "the tumour was ALK-positive"
    assert join_lines(["on days 1-", "14 of each cycle"], words) == "on days 1-14 of each cycle"
    assert join_lines(["treated with", "crizotinib"], words) == "treated with crizotinib"


def test_a_broken_word_is_mended_after_a_long_paragraph_and_whatever_its_length():
    # join_lines looks for the broken word in the end of the text it has joined so far: a word
    # longer than that end must still be read whole ("a" * 120 + "bc-" is no syllable of a word).
    paragraph = ["The patient received several lines of treatment before"] * 20 + ["che-", "motherapy was given."]
    assert join_lines(paragraph).endswith("before chemotherapy was given.")
    long_word = "x" * 120 + "y"
    words = frozenset({long_word + "-z"})
    assert join_lines(["see " + long_word + "-", "z here"], words) == f"see {long_word}-z here"
    assert join_lines(["see " + long_word + "-", "z here"]) == f"see {long_word}z here"


def test_ligatures_and_odd_spaces_are_normalised(tmp_path):
    text = "Case presentation\n\nA signi\ufb01cant re\ufb02ux of 250\u00a0mg was seen."
    document = read(make_pdf(text, tmp_path / "ligatures.pdf", author=""))
    assert "A significant reflux of 250 mg was seen." in document.text
    assert normalize_characters("signi\ufb01cant e\ufb03cacy") == "significant efficacy"
    assert normalize_characters("250\u00a0mg\u2009twice\u200b daily") == "250 mg twice daily"
    assert normalize_characters("glyph (cid:12)gone") == "glyph gone"


def test_printable_ascii_is_left_as_it_is_by_the_normalisation():
    """normalize_characters returns printable ASCII without "(cid:" at once: NFKC and the odd-space,
    invisible and control-character rules leave each such character as it is."""
    from extractor.readers import layout

    for code in range(0x20, 0x7F):
        character = chr(code)
        assert character.isprintable() and unicodedata.normalize("NFKC", character) == character
        for rule in (layout._ODD_SPACES, layout._INVISIBLE, layout._CONTROL, layout._UNMAPPED_GLYPH):
            assert not rule.search(character)
    assert not "\t".isprintable() and not "\n".isprintable() and not "\x7f".isprintable()
    assert normalize_characters("a\tb\x07c") == "a bc", "the rules still run on other text"


def test_superscript_citations_dropped_and_exponents_kept(tmp_path):
    text = ("Case presentation\n\nSuch tumours respond to kinase inhibitors in most published series.^{21,22} "
            "Our patient received doxorubicin 75 mg/m^{2} on day 1 of each cycle.^{3} "
            "She also had anaemia.^{4-6}")
    document = read(make_pdf(text, tmp_path / "sup.pdf", author=""))
    assert "most published series. Our patient" in document.text
    assert "75 mg/m2 on day 1 of each cycle. She also had anaemia." in document.text
    assert not re.search(r"series\.\s*21|anaemia\.\s*4", document.text)


def test_captions_and_tables_leave_the_running_text(tmp_path):
    paragraphs = [f"This is the {o} paragraph of the story. {FILLER}" for o in ORDINALS[:6]]
    paragraphs[1] += " The mass is shown in Figure 1."
    paragraphs[2] += " Earlier cases are listed in Table 1."
    text = "Case presentation\n\n" + "\n\n".join(paragraphs)
    caption = "Figure 1. Axial MRI of the pelvis showing the mass before treatment."
    table = ("Table 1. Published cases treated with kinase inhibitors.",
             [["Case", "Age", "Drug", "Response"], ["A", "23", "crizotinib", "CR"], ["B", "16", "ceritinib", "PR"]])
    document = read(make_pdf(text, tmp_path / "floats.pdf", columns=2, captions=[caption], tables=[table], author=""))
    kinds = [s.kind for s in document.sections]
    assert kinds[-2:] == ["caption", "table"] or kinds[-2:] == ["table", "caption"]
    caption_section = next(s for s in document.sections if s.kind == "caption")
    table_section = next(s for s in document.sections if s.kind == "table")
    assert document.text[caption_section.start:caption_section.end] == caption
    table_text = document.text[table_section.start:table_section.end]
    assert table_text.startswith("Table 1. Published cases")
    assert "ceritinib" in table_text and "crizotinib" in table_text
    body_end = min(caption_section.start, table_section.start)
    body = document.text[:body_end]
    assert "Axial MRI" not in body and "ceritinib" not in body
    for paragraph in body.strip().split("\n\n")[1:]:
        assert paragraph.startswith("This is the "), paragraph
    assert document.page_at(caption_section.start) == 1


def test_page_map_gives_the_page_of_each_offset(tmp_path):
    document = read(make_pdf(numbered_article(), tmp_path / "pages.pdf", header=HEADER, author=""))
    assert document.page_at(document.text.find("first paragraph")) == 1
    last = document.text.find(f"{ORDINALS[-1]} paragraph")
    assert document.page_at(last) == document.page_count >= 2
    starts = [offset for offset, _ in document.page_map]
    assert starts == sorted(starts)


def odd_glyphs_pdf(path: Path) -> Path:
    """One page of text set every way the character fast path must tell apart: upright in an
    embedded and a standard font, raised, with character and word spacing, kerned, mirrored,
    upside down, narrowed and with negative scaling, of size 0 (all kept on the fast path), and
    rotated, skewed and vertical CJK (left to pdfminer)."""
    if "HeiseiMin-W3" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3", "UniJIS-UCS2-V"))
    fonts = unicode_fonts()
    c = canvas.Canvas(str(path), invariant=1)
    c.setFont(fonts["serif"], 10)
    c.drawString(72, 700, "Upright text in an embedded TrueType font.")
    c.setFont("Times-Roman", 11)
    c.drawString(72, 680, "Upright text in a standard font, x")
    raised = c.beginText(250, 680)
    raised.setFont("Times-Roman", 7)
    raised.setRise(4)
    raised.textOut("21,22")
    c.drawText(raised)
    for matrix, text in [((0.866, 0.5, -0.5, 0.866, 300, 400), "Rotated thirty degrees"),
                         ((0, 1, -1, 0, 100, 300), "Rotated a quarter turn"),
                         ((1, 0, 0.3, 1, 100, 250), "Skewed text"),
                         ((-1, 0, 0, 1, 400, 200), "Mirrored text"),
                         ((1, 0, 0, -1, 100, 150), "Upside down")]:
        c.saveState()
        c.transform(*matrix)
        c.setFont("Helvetica", 9)
        c.drawString(0, 0, text)
        c.restoreState()
    spaced = c.beginText(300, 120)
    spaced.setFont("Helvetica", 9)
    spaced.setCharSpace(1.5)
    spaced.setWordSpace(3)
    spaced.textOut("Spaced out words")
    c.drawText(spaced)
    c.addLiteral("BT /F1 9 Tf 300 100 Td [(Ke) 120 (rned) -250.5 (text)] TJ ET")  # F1: Helvetica
    scaled = c.beginText(72, 120)
    scaled.setFont("Helvetica", 9)
    scaled.setHorizScale(60)
    scaled.textOut("Narrow text")
    scaled.setHorizScale(-50)
    scaled.textOut(" negative scaling")
    c.drawText(scaled)
    c.setFont("HeiseiMin-W3", 12)
    c.drawString(500, 700, "\u65e5\u672c\u8a9e")
    c.setFont("Helvetica", 0)
    c.drawString(72, 90, "zero size")
    c.showPage()
    c.save()
    return path


def test_char_aggregator_gives_pdfminers_characters(tmp_path):
    """CharAggregator's shortcut makes exactly the characters (and so the layout) pdfminer makes."""
    def layout(path: Path, device_class) -> tuple[list, set[type]]:
        items: list = []
        kinds: set[type] = set()

        def walk(item) -> None:
            if isinstance(item, LTChar):
                kinds.add(type(item))
                items.append({k: v if k in ("ncs", "graphicstate") else repr(v) for k, v in vars(item).items()})
                items[-1]["graphicstate"] = vars(items[-1]["graphicstate"])
            else:
                items.append((type(item).__name__, repr(getattr(item, "bbox", None))))
            if isinstance(item, LTContainer):
                for child in item:
                    walk(child)

        with path.open("rb") as handle:
            manager = PDFResourceManager()
            device = device_class(manager, laparams=LAPARAMS)
            interpreter = PDFPageInterpreter(manager, device)
            for page in PDFPage.get_pages(handle):
                interpreter.process_page(page)
                walk(device.get_result())
        return items, kinds

    pdf = odd_glyphs_pdf(tmp_path / "odd.pdf")
    ours, kinds = layout(pdf, CharAggregator)
    assert kinds == {Char, LTChar}  # both the shortcut and pdfminer's own way were taken
    assert any(isinstance(item, dict) and item["_text"] == "'K'" for item in ours)  # the kerned string
    assert ours == layout(pdf, PDFPageAggregator)[0]
    two_columns = make_pdf(numbered_article(), tmp_path / "order.pdf", columns=2, header=HEADER, author="")
    assert layout(two_columns, CharAggregator)[0] == layout(two_columns, PDFPageAggregator)[0]


def test_garbage_collector_runs_again_after_reading(tmp_path):
    """read_pdf pauses the cyclic collector while pdfminer reads, and restores it, also on errors."""
    read(make_pdf(numbered_article(), tmp_path / "ok.pdf", author=""))
    assert gc.isenabled()
    with pytest.raises(ReadError):
        read(make_corrupt_pdf(tmp_path / "corrupt.pdf"))
    assert gc.isenabled()
    gc.disable()
    try:
        read(make_pdf(numbered_article(), tmp_path / "ok.pdf", author=""))
        assert not gc.isenabled()  # a caller's own pause is left alone
    finally:
        gc.enable()


# ------------------------------------------------------------------------------------ records


CITATION = ("report", "title", "authors", "year", "doi", "evidence")


def comparable(report, citation: bool = True) -> dict:
    """A report's values without where they lie: offsets and pages differ between PDF and text."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("start", "end", "page", "text")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    data = report.to_dict()
    data.pop("source")
    if not citation:
        data = {k: v for k, v in data.items() if k not in CITATION}
    return strip(data)


def evidence_sentences(report) -> list[tuple[str, str]]:
    found = []

    def walk(value, path):
        if isinstance(value, dict):
            if "text" in value and "start" in value:
                found.append((path, " ".join(value["text"].split())))
            for key, item in value.items():
                walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")

    walk(report.to_dict(), "")
    return found


def assert_same_records(text_report, pdf_report, citation: bool = True) -> None:
    """The same patients, treatments, fusions and drugs, with evidence in the same sentences.

    ``citation`` False: a running header on a one-page PDF cannot be told from the journal banner
    of a first page, so it stays in the text, where the citation step may read it; the citation
    is then not compared.
    """
    assert not pdf_report.errors
    assert comparable(pdf_report, citation) == comparable(text_report, citation)
    # The evidence is the same sentence (a running header on a one-page PDF may precede the first).
    text_evidence = [e for e in evidence_sentences(text_report) if citation or e[0].startswith(".patients")]
    pdf_evidence = [e for e in evidence_sentences(pdf_report) if citation or e[0].startswith(".patients")]
    for (path, sentence), (pdf_path, pdf_sentence) in zip(text_evidence, pdf_evidence, strict=True):
        assert path == pdf_path and sentence in pdf_sentence, (path, sentence, pdf_sentence)
    pages = [e.page for p in pdf_report.patients for e in p.evidence.values()]
    assert pages and all(isinstance(page, int) and page >= 1 for page in pages)


CAPTIONS = ["Figure 1. Imaging at diagnosis, before any systemic treatment was started.",
            "Figure 2. Histology of the biopsy specimen, haematoxylin and eosin."]


@pytest.mark.parametrize("columns", [1, 2])
@pytest.mark.parametrize("report", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_corpus_pdf_gives_the_records_of_its_text(tmp_path, nlp, report, columns):
    pdf = make_pdf(report.read_text(encoding="utf-8"), tmp_path / f"{report.stem}.pdf", columns=columns,
                   header=HEADER, captions=CAPTIONS, hyphenate=True, author="")
    assert_same_records(extract(report, nlp), extract(pdf, nlp), citation=read(pdf).page_count > 1)


def test_committed_corpus_pdf_gives_the_records_of_its_source(nlp):
    source = ROOT / "corpus" / "pdf_source" / "c11_bladder_imt_tpm3_alk_twocolumn.source.md"
    body, options = read_source(source)
    text_report = extract_text(f"{options['title']}\n\n{plain_text(body)}", "c11", nlp)
    pdf_report = extract(CORPUS / "c11_bladder_imt_tpm3_alk_twocolumn.pdf", nlp)
    # Its info dictionary names the title (and the generator as author), which the citation prefers.
    assert pdf_report.title == options["title"]
    assert_same_records(text_report, pdf_report, citation=False)


def test_seed_pdfs_score_as_their_texts(tmp_path, nlp):
    """The evaluation figures of the two seed reports are the same from PDFs made of their text."""
    gold_path = SHARED / "gold" / "seeds.jsonl"
    if not gold_path.is_file():
        pytest.skip("../shared/corpus not present: the seed reports are evaluation data kept outside the repo")
    rows = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        text = (SHARED / row["file"]).read_text(encoding="utf-8")
        row["file"] = f"{Path(row['file']).stem}.pdf"
        make_pdf(text, tmp_path / row["file"], columns=2, header=HEADER, hyphenate=True, author="")
    pdf_gold = tmp_path / "seeds_pdf.jsonl"
    pdf_gold.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")

    def score(gold: Path, corpus: Path) -> str:
        return evaluate(gold, corpus, extract_path=lambda p: extract(p, nlp).to_dict(),
                        extract_text=lambda t, s: extract_text(t, s, nlp).to_dict()).format_table()

    assert score(pdf_gold, tmp_path) == score(gold_path, SHARED)
