"""Plain-text reader: honest decoding (``decoding.py``), binary detection, and PDF-style line unwrapping."""

from __future__ import annotations

from pathlib import Path

from ..document import Document
from ..sections import split_sections
from .decoding import BYTE_ORDER_MARKS, Decoded, decode
from .errors import ReadError
from .layout import paragraphs_text


def _decode(data: bytes, source: str) -> Decoded:
    if not data.startswith(BYTE_ORDER_MARKS) and (b"\x00" in data[:4096] or _control_share(data[:4096]) > 0.1):
        raise ReadError(f"{source}: binary file, not text: give a .txt or .pdf of the article")
    return decode(data, source)


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
    decoded = _decode(data, str(path))
    return document_from_text(decoded.text, source=str(path), metadata={"encoding": decoded.encoding,
                                                                        "decoded_by": decoded.how})
