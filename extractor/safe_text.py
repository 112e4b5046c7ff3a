"""Text from outside (file names, JSONL ids, the papers themselves) made safe for each output.

A file name on Linux is bytes: one that is not UTF-8 reaches Python as lone surrogates
(``os.fsdecode``), which no UTF-8 writer accepts, so one odd name used to fail a whole table.
Spreadsheet cells refuse control characters; a Markdown cell ends at ``|`` or a line break and
runs raw HTML; a terminal runs the escape sequences a name may hold. Each writer passes its
strings through the function for its medium, so every output is valid whatever the input was.
"""

from __future__ import annotations

import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls but tab, line feed and carriage return; DEL and the C1 controls (which terminals
# also obey). Spreadsheets (XML 1.0) refuse the C0 ones, terminals run ESC and CSI sequences.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    # A surrogate from os.fsdecode stands for the byte 0x80-0xff it could not decode.
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def escape_surrogates(text: str) -> str:
    """``text`` that encodes as UTF-8: an undecodable byte of a file name becomes ``\\xNN``."""
    return _SURROGATE.sub(_escape, text)


def plain_text(value: Any) -> Any:
    """Strings, and strings inside lists and dicts, with undecodable bytes escaped (for JSON)."""
    if isinstance(value, str):
        return escape_surrogates(value)
    if isinstance(value, dict):
        return {plain_text(k): plain_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_text(v) for v in value]
    return value


def spreadsheet_cell(value: Any) -> Any:
    """A cell value XLSX and CSV readers take: no control character, no lone surrogate."""
    return _CONTROL.sub("", escape_surrogates(value)) if isinstance(value, str) else value


def markdown_cell(value: str) -> str:
    """One Markdown table cell: ``|`` and HTML escaped, line breaks as ``<br>``, no control character."""
    text = spreadsheet_cell(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _LINE_BREAK.sub("<br>", text.replace("|", "\\|"))


def terminal_text(text: str) -> str:
    """``text`` for a terminal: control characters (escape sequences, a carriage return that would
    overwrite the line) shown as ``\\xNN``, not run."""
    return _TERMINAL_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", escape_surrogates(text))
