"""Readers: a file on disk -> Document. They know about encodings, layout and markup, nothing of medicine.

The format is recognised from the file's first bytes, then from its name, so a PDF saved as .txt
is read as a PDF, and a login page saved as .pdf gets an error that says so. Every reader ends in
the same Document shape: paragraphs separated by blank lines, sections, a page map where there
are pages, and the metadata the file carries.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..document import Document, Section
from .errors import ReadError
from .html import read_html
from .jats import read_jats
from .jsonl import JSONL_SUFFIXES, TextItem, jsonl_lines, read_jsonl_line
from .limits import DocumentTimeout, LimitExceeded, Limits, time_limit, timeout_error
from .pdf import read_pdf
from .text import document_from_text, read_text

SUFFIXES = {".txt": "text", ".text": "text", ".pdf": "pdf", ".xml": "jats", ".nxml": "jats",
            ".html": "html", ".htm": "html", **dict.fromkeys(JSONL_SUFFIXES, "jsonl")}
SUPPORTED_SUFFIXES = tuple(SUFFIXES)
# What a directory is searched for: articles. JSONL files are read when named, since a folder of
# papers often holds other JSONL (casetable's own output, for one).
ARTICLE_SUFFIXES = tuple(s for s, kind in SUFFIXES.items() if kind != "jsonl")

# First bytes of formats that are not articles casetable reads, and what to do about each.
_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive or a Word/OpenDocument file (.docx, .odt): save the article as PDF or text"),
    (b"\xd0\xcf\x11\xe0", "an old Word or Excel file (.doc, .xls): save the article as PDF or text"),
    (b"{\\rtf", "an RTF file: save the article as PDF or text"),
    (b"%!PS", "a PostScript file: convert it to PDF (e.g. ps2pdf)"),
    (b"\x1f\x8b", "a gzip archive: unpack it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive: unpack it first"),
    (b"Rar!", "a RAR archive: unpack it first"),
    (b"\x89PNG", "an image (PNG): run OCR first, e.g. ocrmypdf, and read the PDF it makes"),
    (b"\xff\xd8\xff", "an image (JPEG): run OCR first, e.g. ocrmypdf, and read the PDF it makes"),
    (b"GIF8", "an image (GIF): run OCR first and read the text it makes"),
    (b"II*\x00", "an image (TIFF): run OCR first, e.g. ocrmypdf, and read the PDF it makes"),
    (b"MM\x00*", "an image (TIFF): run OCR first, e.g. ocrmypdf, and read the PDF it makes"),
)
_READERS = {"pdf": read_pdf, "jats": read_jats, "html": read_html, "text": read_text}


def _markup_kind(head: bytes) -> str | None:
    """"jats" or "html" for a file that starts with markup, else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode("ascii", "ignore")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not start.startswith(b"<"):
        return None
    if b"<!doctype html" in start or b"<html" in start:
        return "html"
    if b"<article" in start or b"jats" in start or b"journalpublishing" in start or b"archivearticle" in start:
        return "jats"
    if any(tag in start for tag in (b"<head", b"<body", b"<meta", b"<div", b"<p>")):
        return "html"
    return "jats" if start.startswith(b"<?xml") else "html"


def sniff(path: Path, head: bytes) -> str:
    """The reader for a file: its first bytes first, then its suffix; ReadError for what none reads."""
    suffix = SUFFIXES.get(path.suffix.lower())
    if b"%PDF-" in head[:1024]:
        return "pdf"
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            raise ReadError(f"{path}: {what}")
    markup = _markup_kind(head)
    if suffix == "pdf":
        found = {"html": "an HTML page (often a login or cookie page saved instead of the PDF)",
                 "jats": "an XML file"}.get(markup or "", "not a PDF (no %PDF header)")
        raise ReadError(f"{path}: named .pdf but is {found}: download the PDF again")
    if suffix == "jsonl":
        raise ReadError(f"{path}: a JSONL file holds one document per line: read it with "
                        "extract_many() or 'casetable extract'")
    if markup is not None and suffix in (None, "text", "html", "jats"):
        return markup
    if suffix == "jats":
        raise ReadError(f"{path}: named {path.suffix} but is not XML: give the article's JATS XML")
    return "text"


def clip(document: Document, max_chars: int) -> Document:
    """The document cut at the last paragraph break before ``max_chars`` (the rest noted in its
    metadata), so that one huge text cannot take a batch's memory and time."""
    if len(document.text) <= max_chars:
        return document
    cut = document.text.rfind("\n\n", 0, max_chars)
    cut = cut if cut > 0 else max_chars
    sections = [Section(s.kind, s.heading, s.start, min(s.end, cut)) for s in document.sections if s.start < cut]
    return replace(document, text=document.text[:cut], sections=sections,
                   page_map=[(o, p) for o, p in document.page_map if o < cut],
                   metadata={**document.metadata, "truncated_at_char": cut, "length": len(document.text)})


def read(path: str | Path, limits: Limits | None = None) -> Document:
    """Read one file into a Document; ReadError says what is wrong and what the user can do."""
    path = Path(path)
    limits = limits or Limits()
    if not path.exists():
        raise ReadError(f"{path}: no such file")
    if path.is_dir():
        raise ReadError(f"{path}: is a directory; pass it to 'casetable extract' to read the files inside")
    size = path.stat().st_size
    if size == 0:
        raise ReadError(f"{path}: empty file: nothing to extract")
    if size > limits.max_bytes:
        raise ReadError(f"{path}: {size / 2**20:.0f} MB, more than the limit of {limits.max_bytes / 2**20:.0f} MB "
                        "for one document: is it the article? (raise the limit with --max-mb)")
    with path.open("rb") as handle:
        head = handle.read(8192)
    kind = sniff(path, head)
    document = read_pdf(path, limits) if kind == "pdf" else _READERS[kind](path)
    return clip(document, limits.max_chars)


__all__ = ["ARTICLE_SUFFIXES", "SUPPORTED_SUFFIXES", "DocumentTimeout", "LimitExceeded", "Limits", "ReadError", "TextItem", "clip",
           "document_from_text", "jsonl_lines", "read", "read_jsonl_line", "sniff", "time_limit", "timeout_error"]
