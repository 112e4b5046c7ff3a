"""Turn extracted lines back into running text: one paragraph per block, words whole again.

PDF text (and text files saved from PDFs) arrive as lines broken at the column width, words split
by hyphens ("che-" + "motherapy"), ligatures and odd spaces. Matchers need sentences, and
curators need offsets into one stable text, so every reader passes its lines through here once.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

from ..sections import HeadingRules

# Spaces other than the plain one, soft hyphens and zero-width characters that PDFs and web pages leave.
_ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
# Glyphs a PDF font does not map to Unicode come out of pdfminer as "(cid:123)": no text to keep.
_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_WRAP_BAND = 0.75  # a line at least this share of the column width was broken by the layout
_WORD = re.compile(r"[^\W\d_][\w-]*", re.UNICODE)
_BROKEN_WORD = re.compile(r"(\w+)-$")
_NEXT_WORD = re.compile(r"^(\w+)")
_BROKEN_TAIL = 80  # characters at the end of a piece that hold its broken word, nearly always
_WHOLE_WORD = 5  # letters of each part of a compound that two words of the document can vouch for


def normalize_characters(text: str) -> str:
    """NFKC (ligatures, full-width forms), one kind of space, no invisible or control characters.

    Most lines and paragraphs are printable ASCII, which NFKC, the odd spaces and the invisible and
    control characters leave as they are: only an unmapped glyph's "(cid:N)" can be there to drop.
    """
    if text.isascii() and text.isprintable() and "(cid:" not in text:
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFKC", text)
    text = _UNMAPPED_GLYPH.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    return _ODD_SPACES.sub(" ", text)


def vocabulary(lines: Iterable[str]) -> frozenset[str]:
    """The lower-case words (hyphenated compounds whole) of a document, to mend its line breaks.

    The pieces of a word broken at a line end ("che-" and the "motherapy" that opens the next
    line) are not words of the document: they are left out.
    """
    written: set[str] = set()  # as written: a document repeats its words, so each is lower-cased once
    broken = False
    for line in lines:
        found = _WORD.findall(line)
        ends_broken = line.rstrip().endswith("-") and bool(found)
        written.update(found[int(broken):len(found) - int(ends_broken)])
        broken = ends_broken
    return frozenset(word.lower().strip("-") for word in written)


def join_pair(left: str, right: str, words: frozenset[str] = frozenset()) -> str:
    """Join two pieces of one paragraph (two lines, or a paragraph continued in the next column).

    A piece ending in "word-" was broken at the line end. "che-" + "motherapy" becomes one word;
    "non-" + "small" keeps its hyphen when the document writes "non-small" elsewhere and never
    "nonsmall"; "ALK-" + "positive" keeps it always (a symbol before the hyphen is never a syllable);
    see ``_real_hyphen``.
    """
    if not left:
        return right
    if not right:
        return left
    # _BROKEN_WORD needs a hyphen at the very end (or before a final newline); the check spares a
    # search through the whole of a long left piece, as a paragraph grows line by line.
    broken = _broken_word(left) if "-" in left[-2:] else None
    following = _NEXT_WORD.match(right) if broken else None
    if broken and following:
        return left + right if _real_hyphen(broken.group(1), following.group(1), words) else left[:-1] + right
    return f"{left} {right}"


def _broken_word(text: str) -> re.Match[str] | None:
    """``_BROKEN_WORD.search(text)``, looked for in the end of the text: a search from its start
    tries every position of a paragraph that grows line by line. Only a word longer than the end
    looked at needs the whole text."""
    start = max(0, len(text) - _BROKEN_TAIL)
    found = _BROKEN_WORD.search(text, start)
    if found is not None and found.start() == start and start and (text[start - 1].isalnum() or text[start - 1] == "_"):
        return _BROKEN_WORD.search(text)  # the word began before the end looked at (\w: alphanumeric or "_")
    return found


def _real_hyphen(head: str, tail: str, words: frozenset[str]) -> bool:
    """Whether "head-" + "tail" at a line break is a hyphenated compound rather than one word split.

    The document's own words are the dictionary: the joined word written elsewhere decides for
    joining, the compound written elsewhere for the hyphen, and so do two long words that each
    stand alone elsewhere ("gemcitabine-" + "cisplatin"): syllables ("che-", "re-") never do.
    """
    if not head[-1].islower() or not tail[0].islower():
        return True
    compound, joined = f"{head}-{tail}".lower(), f"{head}{tail}".lower()
    if joined in words:
        return False
    return compound in words or (len(head) >= _WHOLE_WORD and len(tail) >= _WHOLE_WORD
                                 and head.lower() in words and tail.lower() in words)


def join_lines(lines: list[str], words: frozenset[str] = frozenset()) -> str:
    """Join the lines of one paragraph, mending words hyphenated across the break."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if line:
            out = join_pair(out, line, words)
    return out


def _column_width(lines: list[str]) -> int:
    lengths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def is_hard_wrapped(lines: list[str]) -> bool:
    """Most lines end near one width: the text was broken at a column edge, not at paragraphs."""
    nonempty = [ln.strip() for ln in lines if ln.strip()]
    width = _column_width(nonempty)
    if len(nonempty) < 10 or width < 40:
        return False
    full = sum(len(ln) >= _WRAP_BAND * width for ln in nonempty)
    return full >= 0.6 * len(nonempty)


def reflow(lines: list[str]) -> str:
    """Paragraphs of hard-wrapped lines: a short line, or a heading, ends a paragraph."""
    rules = HeadingRules.load()
    nonempty = [ln.strip() for ln in lines if ln.strip()]
    width = _column_width(nonempty)
    words = vocabulary(nonempty)
    paragraphs: list[list[str]] = []
    open_paragraph = False
    for line in nonempty:
        heading = rules.heading_kind(line) is not None
        if heading or rules.caption_kind(line) or not open_paragraph:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
        open_paragraph = not heading and len(line) >= _WRAP_BAND * width
    return "\n\n".join(join_lines(p, words) for p in paragraphs)


def paragraphs_text(text: str) -> str:
    """Normalised text with blank lines between paragraphs, whatever wrapping it came with."""
    text = normalize_characters(text)
    lines = text.split("\n")
    if is_hard_wrapped(lines):
        return reflow(lines)
    return "\n\n".join(_split_out_headings(b.strip("\n")) for b in re.split(r"\n\s*\n", text) if b.strip())


def _split_out_headings(block: str) -> str:
    """A heading line inside a block becomes a paragraph of its own; a caption line starts one."""
    rules = HeadingRules.load()
    paragraphs: list[list[str]] = [[]]
    for line in block.split("\n"):
        if rules.heading_kind(line) is not None:
            paragraphs += [[line], []]
        elif rules.caption_kind(line) is not None:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return "\n\n".join("\n".join(p) for p in paragraphs if p)
