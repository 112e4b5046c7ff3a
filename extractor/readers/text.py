"""Plain-text reader: UTF-8 with fallbacks, binary detection, and PDF-style line unwrapping."""

from __future__ import annotations

from pathlib import Path

from ..document import Document
from ..sections import split_sections
from .errors import ReadError
from .layout import paragraphs_text

# Tried in order after UTF-8; latin-1 decodes anything, so it is last.
_FALLBACK_ENCODINGS = ("utf-8-sig", "utf-16", "cp1252", "latin-1")


def _decode(data: bytes, source: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096] or _control_share(data[:4096]) > 0.1:
        raise ReadError(f"{source}: binary file, not text: give a .txt or .pdf of the article")
    for encoding in ("utf-8", *_FALLBACK_ENCODINGS):
        try:
            return data.decode(encoding)
        except UnicodeError:
            continue
    raise ReadError(f"{source}: cannot decode the text: save it as UTF-8")  # pragma: no cover


def _control_share(sample: bytes) -> float:
    if not sample:
        return 0.0
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample)


def document_from_text(text: str, source: str = "<text>", metadata: dict | None = None) -> Document:
    """A Document from text already in memory (the API's extract on a string uses this)."""
    body = paragraphs_text(text)
    if not body.strip():
        raise ReadError(f"{source}: empty: the file has no text")
    return Document(source=source, text=body, sections=split_sections(body), metadata=metadata or {})


def read_text(path: Path) -> Document:
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(f"{path}: empty file: nothing to extract")
    return document_from_text(_decode(data, str(path)), source=str(path))
