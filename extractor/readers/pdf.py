"""PDF reader: the pdfminer.six engine, and the choice of engine (``Limits.pdf_engine``).

Two engines read the characters of a PDF: pdfium (``pdfium_engine.py``, the default, chosen by
measurement on the producer set of ``tests/producer_pdfs/``: the same records, several times faster) and
pdfminer.six (this module). Each hands its text lines, box by box, to ``pdfpages``, which does the
rest (running headers, columns, hyphens, captions and tables) the same way for both.

pdfminer: ``LAParams(all_texts=True)`` because some journals put the page text inside form
XObjects, where pdfminer otherwise leaves the characters unanalysed and words run together.
``boxes_flow=None`` because the column order is decided in ``pdfpages``, which spares pdfminer's box
clustering. The characters come from ``pdfchars.CharAggregator``: the same ones pdfminer's own
aggregator makes, for less. The garbage collector is paused while pdfminer reads
(``collector_paused``): its passes took about a fifth of the reading time in a process holding
the pipeline. pdfminer also diagnoses a file from which pdfium read too little text: it tells a
damaged file from a scan.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Iterator

from pdfminer.layout import LAParams, LTChar, LTContainer, LTPage, LTTextBox, LTTextLine
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect, PDFXRefFallback
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser, PDFSyntaxError
from pdfminer.psparser import PSException

from ..collector import collector_paused
from ..document import Document
from .errors import ReadError
from .layout import normalize_characters
from .limits import Limits
from .pdfchars import CharAggregator
from .pdfpages import (
    BOLD,
    MIN_TEXT_PER_PAGE,
    SUPERSCRIPT_SIZE,
    Line,
    Page,
    assemble,
    blocks_of,
    check_complete,
    close_superscript,
    password_error,
    raised_characters,
    restricted_error,
    text_size,
)
from .streamcap import check_streams, stream_cap

LAPARAMS = LAParams(all_texts=True, boxes_flow=None)


# ------------------------------------------------------------------------------------ lines


def _line(line: LTTextLine) -> Line | None:
    """A text line with superscript citation markers dropped; None when it holds no text.

    Runs once per line of every page, so the common case (one font size in the line) takes the
    shortest path: the text of all the line's items (pdfminer's ``get_text``, without its type
    check per item: a line holds only characters and the spaces pdfminer inserted).
    """
    chars = [c for c in line if isinstance(c, LTChar)]
    if not chars:
        return None
    sizes = [c.size for c in chars]
    smallest, largest = min(sizes), max(sizes)
    size = largest if smallest == largest else max(set(sizes), key=sizes.count)
    if smallest >= SUPERSCRIPT_SIZE * size:
        text = "".join([item.get_text() for item in line])
    else:
        text = _without_superscripts(line, chars, size)
    text = normalize_characters(text).strip()
    if not text:
        return None
    font = next(c.fontname for c in chars if c.size == size)
    return Line(text, line.x0, line.y0, line.x1, line.y1, size, bool(BOLD.search(font)))


def _without_superscripts(line: LTTextLine, chars: list[LTChar], size: float) -> str:
    """The line's text without its citation markers; ``chars``: its characters (the items that are not
    spaces pdfminer inserted)."""
    raised = iter(raised_characters([c.y0 for c in chars], [c.size for c in chars], size))
    parts: list[str] = []
    run: list[str] = []
    for item in line:
        if isinstance(item, LTChar):
            if next(raised):
                run.append(item.get_text())
                continue
            if run:
                close_superscript(run, parts)
                run = []
        elif run:  # a space pdfminer inserted inside the superscript
            run.append(item.get_text())
            continue
        parts.append(item.get_text())
    if run:
        close_superscript(run, parts)
    return "".join(parts)


def _text_lines(item: LTContainer) -> Iterator[list[Line]]:
    """The lines of each text box of a page (also those inside figures), box by box."""
    for child in item:
        if isinstance(child, LTTextBox):
            lines = [ln for ln in map(_line, child) if ln is not None]
            if lines:
                yield lines
        elif isinstance(child, LTTextLine):
            line = _line(child)
            if line is not None:
                yield [line]
        elif isinstance(child, LTContainer):
            yield from _text_lines(child)


def _metadata(document: PDFDocument) -> dict[str, object]:
    """Title, author and DOI from the PDF info dictionary, where the publisher filled them in."""
    found: dict[str, object] = {}
    for info in document.info:
        for key, name in (("Title", "title"), ("Author", "author"), ("Subject", "subject"), ("doi", "doi")):
            value = info.get(key)
            if isinstance(value, bytes):
                value = value.decode("utf-16" if value.startswith(b"\xfe\xff") else "latin-1", "replace")
            if isinstance(value, str) and value.strip():
                found[name] = normalize_characters(value).strip()
    return found


class _ParseProblems(logging.Handler):
    """Counts what pdfminer reports while it recovers from damage (it logs and goes on), so that a
    damaged file without text is not mistaken for a scan."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.first: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        self.first = self.first or record.getMessage()[:120]


def read_pdf(path: Path, limits: Limits | None = None) -> Document:
    """Read a PDF with the engine ``limits`` names; ReadError for a protected, corrupt, truncated or
    image-only file, LimitExceeded for one whose streams inflate past the memory limits.

    With pdfium the file's bytes are read here once: checked (end marker, streams), then parsed,
    also by pdfminer where pdfium finds no text."""
    limits = limits or Limits()
    data = path.read_bytes() if limits.pdf_engine == "pdfium" else None
    check_complete(path, data)
    if limits.max_stream_bytes is None:
        return _read_pdf(path, limits, data)
    if data is not None:  # pdfium inflates in its own C code: the streams are measured first
        check_streams(data, limits.max_stream_bytes, limits.max_memory, str(path))
    with stream_cap(limits.max_stream_bytes, str(path)):  # pdfminer inflates through the cap
        return _read_pdf(path, limits, data)


def _read_pdf(path: Path, limits: Limits, data: bytes | None) -> Document:
    if limits.pdf_engine == "pdfium":
        from .pdfium_engine import read_pdfium_pages

        pages, metadata = read_pdfium_pages(path, limits, data)
        if pages and text_size(pages) >= MIN_TEXT_PER_PAGE * len(pages):
            return assemble(str(path), pages, {**metadata, "pdf_engine": "pdfium"})
    pages, metadata = read_pdfminer_pages(path, limits, data)
    return assemble(str(path), pages, {**metadata, "pdf_engine": "pdfminer"})


def read_pdfminer_pages(path: Path, limits: Limits, data: bytes | None = None) -> tuple[list[Page], dict[str, object]]:
    """The pages of a PDF as pdfminer reads them, and its metadata; ReadError where no text can be
    read. From ``data`` (the file's bytes) where the caller has read them."""
    pages: list[Page] = []
    problems = _ParseProblems()
    logger = logging.getLogger("pdfminer")
    logger.addHandler(problems)
    try:
        with collector_paused(), (io.BytesIO(data) if data is not None else path.open("rb")) as handle:
            document = PDFDocument(PDFParser(handle))
            if not document.is_extractable:
                raise restricted_error(path)
            metadata = _metadata(document)
            damaged = any(isinstance(xref, PDFXRefFallback) for xref in document.xrefs)
            manager = PDFResourceManager()
            device = CharAggregator(manager, laparams=LAPARAMS)
            interpreter = PDFPageInterpreter(manager, device)
            for number, page in enumerate(PDFPage.create_pages(document), start=1):
                if number > limits.max_pages:
                    metadata["truncated_at_page"] = limits.max_pages
                    break
                interpreter.process_page(page)
                layout: LTPage = device.get_result()
                pages.append(Page(number, layout.width, layout.height, blocks_of(number, _text_lines(layout))))
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise password_error(path) from error
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError,
            IndexError, AssertionError, OverflowError, ZeroDivisionError, RecursionError) as error:
        raise ReadError(f"{path}: corrupt PDF ({type(error).__name__}): download it again, "
                        "or repair it (e.g. qpdf in.pdf out.pdf)") from error
    finally:
        logger.removeHandler(problems)
    characters = text_size(pages)
    if (damaged or problems.first) and characters < MIN_TEXT_PER_PAGE * max(1, len(pages)):
        reason = "its index of objects is broken" if damaged else f"pdfminer: {problems.first}"
        raise ReadError(f"{path}: corrupt PDF ({reason}; no text could be read): download it again, "
                        "or repair it (e.g. qpdf in.pdf out.pdf)")
    if not pages:
        raise ReadError(f"{path}: the PDF has no pages: download it again")
    if characters < MIN_TEXT_PER_PAGE * len(pages):
        raise ReadError(f"{path}: no text layer (a scanned or image-only PDF): run OCR first, "
                        "e.g. ocrmypdf in.pdf out.pdf, and read the result")
    return pages, metadata
