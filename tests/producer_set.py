"""The producer set: the corpus texts typeset by real producers (scripts/make_producer_pdfs.py).

Shared by the tests and the benchmark: which PDFs there are, the text each was made from, the
per-patient records compared, and the text printed on each page of a PDF (pdfium's own reading,
independent of both casetable engines) to check evidence pages against.
"""

from __future__ import annotations

import re
import sys
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
    """Letters and digits only, lower case: text compared whatever spaces, hyphens and breaks a producer left."""
    return re.sub(r"[\W_]+", "", text.lower())


def page_texts(pdf: Path) -> list[str]:
    """The squashed text of each page, as pdfium reads it in storage order."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return [squashed(page.get_textpage().get_text_range().replace("\ufffe", "")) for page in document]
    finally:
        document.close()


__all__ = ["PRODUCERS", "Source", "page_texts", "patient_records", "producer_pdfs", "squashed"]
