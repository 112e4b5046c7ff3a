"""The producer set: the corpus texts typeset by real producers (scripts/make_producer_pdfs.py).

Shared by the tests and the benchmark: which PDFs there are, the text each was made from, the
per-patient records compared, and the text printed on each page of a PDF (pdfium's own reading,
independent of both casetable engines) to check evidence pages against.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from make_producer_pdfs import OUT, PRODUCERS, Source, sources  # noqa: E402

from extractor.records import Report  # noqa: E402


def producer_pdfs(producer: str) -> list[tuple[Source, Path]]:
    """(source, committed PDF) of one producer, in name order."""
    return [(source, OUT / producer / f"{source.name}.pdf") for source in sources()]


def patient_records(report: Report) -> list[dict]:
    """What the issue compares: per patient fusion, age, sex, site, and per drug dose, duration, response."""
    return [{"fusion": p.fusion, "age": p.age_years, "sex": p.sex, "site": p.primary_site,
             "treatments": [(t.drug, t.dose, t.duration, t.response) for t in p.treatments]}
            for p in report.patients]


def squashed(text: str) -> str:
    """Letters and digits only, lower case, compatibility forms folded ("m²" as "m2"): text compared
    whatever spaces, hyphens and breaks a producer left."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())


def page_texts(pdf: Path) -> list[str]:
    """The squashed text of each page, as pdfium reads it in storage order."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return [squashed(page.get_textpage().get_text_range().replace("\ufffe", "")) for page in document]
    finally:
        document.close()


__all__ = ["PRODUCERS", "Source", "page_texts", "patient_records", "producer_pdfs", "squashed"]


def evidence_pages(report: Report, text: str, pages: list[str]) -> list[tuple[str, int, bool]]:
    """For every value's evidence: the value, the page given, and whether that page prints it.

    A page prints the value when its text holds the value's words together with the words around
    them in their sentence (up to 30 characters on either side), so a word that recurs elsewhere
    (a response category, a drug) is found only where that sentence of it is.
    """
    found: list[tuple[str, int, bool]] = []
    holders = [(report.evidence, None)] + [(p.evidence, p) for p in report.patients] + \
        [(t.evidence, t) for p in report.patients for t in p.treatments]
    for evidence, _ in holders:
        for item in evidence.values():
            if item.page is None:
                continue
            value = text[item.start:item.end]
            before = text[max(0, item.start - 30):item.start].rsplit("\n", 1)[-1]
            after = text[item.end:item.end + 30].split("\n", 1)[0]
            page = pages[item.page - 1] if 1 <= item.page <= len(pages) else ""
            printed = squashed(before + value) in page or squashed(value + after) in page
            found.append((value, item.page, printed))
    return found
