"""PDF reader (pdfminer.six): text boxes in reading order, a page map, and the PDF's own metadata.

``LAParams(all_texts=True)`` because some journals put the page text inside form XObjects, where
pdfminer otherwise leaves the characters unanalysed and words run together.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from pdfminer.layout import LAParams, LTContainer, LTPage, LTTextBox, LTTextLine
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.converter import PDFPageAggregator
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser, PDFSyntaxError
from pdfminer.psparser import PSException

from ..document import Document
from ..sections import split_sections
from .errors import ReadError
from .layout import join_lines, normalize_characters

DEFAULT_MAX_PAGES = 200
LAPARAMS = LAParams(all_texts=True)


def _text_blocks(item: LTContainer) -> Iterator[str]:
    """Each text box of a page (also those inside figures) as one paragraph, in layout order."""
    for child in item:
        if isinstance(child, LTTextBox):
            lines = normalize_characters(child.get_text()).split("\n")
            block = join_lines(lines)
            if block:
                yield block
        elif isinstance(child, LTTextLine):
            block = normalize_characters(child.get_text()).strip()
            if block:
                yield block
        elif isinstance(child, LTContainer):
            yield from _text_blocks(child)


def _metadata(document: PDFDocument) -> dict[str, object]:
    """Title, author and DOI from the PDF info dictionary, where the publisher filled them in."""
    found: dict[str, object] = {}
    for info in document.info:
        for key, field in (("Title", "title"), ("Author", "author"), ("Subject", "subject"), ("doi", "doi")):
            value = info.get(key)
            if isinstance(value, bytes):
                value = value.decode("utf-16" if value.startswith(b"\xfe\xff") else "latin-1", "replace")
            if isinstance(value, str) and value.strip():
                found[field] = value.strip()
    return found


def read_pdf(path: Path, max_pages: int = DEFAULT_MAX_PAGES) -> Document:
    pages: list[str] = []
    try:
        with path.open("rb") as handle:
            document = PDFDocument(PDFParser(handle))
            if not document.is_extractable:
                raise ReadError(f"{path}: the PDF forbids text extraction: ask the publisher for an "
                                "unrestricted copy, or remove the restriction (e.g. qpdf --decrypt)")
            metadata = _metadata(document)
            manager = PDFResourceManager()
            device = PDFPageAggregator(manager, laparams=LAPARAMS)
            interpreter = PDFPageInterpreter(manager, device)
            for number, page in enumerate(PDFPage.create_pages(document), start=1):
                if number > max_pages:
                    metadata["truncated_at_page"] = max_pages
                    break
                interpreter.process_page(page)
                layout: LTPage = device.get_result()
                pages.append("\n\n".join(_text_blocks(layout)))
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise ReadError(f"{path}: password-protected PDF: save an unprotected copy "
                        "(e.g. qpdf --decrypt --password=... in.pdf out.pdf)") from error
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError,
            IndexError, AssertionError, OverflowError, ZeroDivisionError) as error:
        raise ReadError(f"{path}: corrupt or truncated PDF ({type(error).__name__}): "
                        "download it again, or repair it (e.g. qpdf in.pdf out.pdf)") from error
    if not pages:
        raise ReadError(f"{path}: the PDF has no pages: download it again")
    if not any(p.strip() for p in pages):
        raise ReadError(f"{path}: no text layer (scanned or image-only PDF): run OCR first, "
                        "e.g. ocrmypdf in.pdf out.pdf")
    text, page_starts = "", []
    for page_text in pages:
        page_starts.append(len(text) + (2 if text else 0))
        text = f"{text}\n\n{page_text}" if text else page_text
    return Document(source=str(path), text=text, sections=split_sections(text),
                    page_starts=page_starts, metadata=metadata)
