"""Bytes -> text, saying which encoding was used, and refusing to guess below a confidence floor.

Order: a byte order mark; UTF-8 (text in another encoding is almost never valid UTF-8, while pages
saved from a browser often keep a meta tag naming the encoding they were served in); the charset
the file declares (an HTML page's meta tag); UTF-8 with a few stray Windows-1252 bytes (a curly
quote pasted into a UTF-8 file: the rest of the file stays UTF-8, which decoding the whole file as
cp1252 would turn into mojibake); then
charset-normalizer's detection, accepted only when its decoding reads as text (``CHAOS_FLOOR``,
``COHERENCE_FLOOR``). Below that, ReadError: an error record is better than a table of garbage.
Trying decoders in turn (UTF-16, then Latin-1, which decodes anything) used to give garbage
silently.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from .errors import ReadError

CHAOS_FLOOR = 0.2  # charset-normalizer's mess ratio of its best guess; over it, refused
# ... and the share of its decoding that reads as a language: random bytes decoded as Korean or
# EBCDIC have no mess but read as no language (0.0); a cp1252 case report reads 0.7 and up.
COHERENCE_FLOOR = 0.3
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
BYTE_ORDER_MARKS = tuple(bom for bom, _ in _BOMS)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_STRAY = "casetable-cp1252-stray"


def _cp1252_byte(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decode the one byte UTF-8 refused as Windows-1252 (Latin-1 where cp1252 has no character)."""
    byte = error.object[error.start:error.start + 1]
    try:
        return byte.decode("cp1252"), error.start + 1
    except UnicodeDecodeError:
        return byte.decode("latin-1"), error.start + 1


codecs.register_error(_STRAY, _cp1252_byte)


@dataclass(frozen=True)
class Decoded:
    """The text and how it was decoded (``how``: "byte order mark", "declared", "UTF-8",
    "UTF-8 with N Windows-1252 bytes" or "detected"), for the document's metadata."""

    text: str
    encoding: str
    how: str


def declared_charset(head: bytes) -> str | None:
    """The charset an HTML page declares in its first bytes (``<meta charset>`` or
    ``http-equiv`` content), if Python knows it."""
    match = _META_CHARSET.search(head[:4096])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None


def decode(data: bytes, source: str, declared: str | None = None) -> Decoded:
    """``data`` as text; ReadError when no encoding reads it with confidence."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding, "byte order mark")
            except UnicodeDecodeError as error:
                raise ReadError(f"{source}: starts with a {encoding} byte order mark but is not {encoding} "
                                f"({error.reason} at byte {error.start}): save it as UTF-8") from error
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "UTF-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return Decoded(data.decode(declared), declared, "declared")
        except UnicodeDecodeError:
            pass  # a wrong declaration: detect as if there were none
    stray = _mostly_utf8(data)
    if stray:
        return Decoded(data.decode("utf-8", _STRAY), "utf-8", f"UTF-8 with {stray} Windows-1252 byte(s)")
    return _detected(data, source)


def _mostly_utf8(data: bytes) -> int:
    """The number of bytes UTF-8 refuses, when the file also holds at least as many valid UTF-8
    sequences of non-ASCII characters (so it is UTF-8 with a few strays); else 0."""
    multibyte = len(_UTF8_MULTIBYTE.findall(data))
    invalid = data.decode("utf-8", "replace").count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    return invalid if 0 < invalid <= multibyte else 0


def _detected(data: bytes, source: str) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if (best is None or best.chaos > CHAOS_FLOOR or best.coherence < COHERENCE_FLOOR
            or best.encoding.startswith(("utf_16", "utf_32"))):
        guess = "" if best is None else f" (best guess {best.encoding}, reading as {best.coherence:.0%} language)"
        raise ReadError(f"{source}: not UTF-8, and its encoding cannot be told with confidence{guess}: "
                        "save it as UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8 in.txt > out.txt)")
    return Decoded(data.decode(best.encoding, "replace"), best.encoding, "detected")
