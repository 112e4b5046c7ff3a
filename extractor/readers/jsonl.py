"""JSONL of abstracts or statements (a PubMed export, CIViC statements): one document per line.

Each line is a JSON object; ``text_field`` names the text and ``id_field`` the identifier that
names the document in the output (``file.jsonl#PMID``). A line that is not such an object gives
an error record of its own, so one bad line does not lose the others.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import ReadError

JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True)
class TextItem:
    """One line's document: its name, and its text or what is wrong with the line."""

    source: str
    text: str | None = None
    error: str | None = None


def _item(path: Path, number: int, line: str, text_field: str, id_field: str) -> TextItem:
    where = f"{path}:{number}"
    try:
        row = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as error:
        message = error.msg if isinstance(error, json.JSONDecodeError) else "nested too deeply"
        return TextItem(where, error=f"{where}: not a JSON object ({message}): one object per line, "
                                     f'e.g. {{"{id_field}": "...", "{text_field}": "..."}}')
    if not isinstance(row, dict):
        return TextItem(where, error=f"{where}: a JSON {type(row).__name__}, not an object with a "
                                     f"'{text_field}' field")
    identifier = row.get(id_field)
    source = f"{path}#{identifier}" if isinstance(identifier, (str, int)) and str(identifier).strip() else where
    text = row.get(text_field)
    if not isinstance(text, str) or not text.strip():
        fields = ", ".join(sorted(k for k, v in row.items() if isinstance(v, str))[:8]) or "none"
        return TextItem(source, error=f"{source}: no text in field '{text_field}' (text fields of this "
                                      f"line: {fields}): name the right one with --text-field")
    return TextItem(source, text=text)


def jsonl_lines(path: Path, max_bytes: int | None = None) -> list[tuple[int, int]]:
    """(line number, byte offset) of every non-blank line, so that each line can be read where it
    is needed (in a worker process) without holding a large export in memory.

    Raises ReadError when the file as a whole is unreadable (binary, empty, too large).
    """
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise ReadError(f"{path}: {size / 2**20:.0f} MB, more than the limit of {max_bytes / 2**20:.0f} MB "
                        "for one input: split the file")
    lines: list[tuple[int, int]] = []
    offset = 0
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if b"\x00" in line:
                raise ReadError(f"{path}: binary file, not JSON lines: give a UTF-8 file with one JSON "
                                "object per line")
            if line.strip():
                lines.append((number, offset))
            offset += len(line)
    if not lines:
        raise ReadError(f"{path}: empty file: nothing to extract")
    return lines


def read_jsonl_line(path: Path, number: int, offset: int, text_field: str = "text",
                    id_field: str = "id") -> TextItem:
    """The document on one line of a JSONL file."""
    with path.open("rb") as handle:
        handle.seek(offset)
        line = handle.readline().decode("utf-8", "replace").lstrip("\ufeff")
    return _item(path, number, line, text_field, id_field)
