"""Readers: a file on disk -> Document. They know about encodings and PDF layout, nothing of medicine."""

from __future__ import annotations

from pathlib import Path

from ..document import Document
from .errors import ReadError
from .pdf import read_pdf
from .text import document_from_text, read_text

READERS = {".txt": read_text, ".text": read_text, ".pdf": read_pdf}
SUPPORTED_SUFFIXES = tuple(READERS)


def read(path: str | Path) -> Document:
    """Read one file into a Document, choosing the reader by content first, then by suffix.

    Raises ReadError with a message that says what is wrong and what the user can do.
    """
    path = Path(path)
    if not path.exists():
        raise ReadError(f"{path}: no such file")
    if path.is_dir():
        raise ReadError(f"{path}: is a directory; pass it to 'casetable extract' to read the files inside")
    with path.open("rb") as handle:
        head = handle.read(5)
    if head.startswith(b"%PDF"):
        return read_pdf(path)
    reader = READERS.get(path.suffix.lower(), read_text)
    if reader is read_pdf:
        raise ReadError(f"{path}: named .pdf but is not a PDF (no %PDF header): check the download")
    return reader(path)


__all__ = ["READERS", "SUPPORTED_SUFFIXES", "ReadError", "document_from_text", "read"]
