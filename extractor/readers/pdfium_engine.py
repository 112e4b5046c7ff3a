"""The pdfium engine: a PDF's characters and boxes from pdfium, its lines and boxes made here.

pdfium (pypdfium2) reads the characters of a page, with their boxes and fonts, many times faster
than pdfminer's interpreter, but in the order the PDF stores them and with its own guesses at
spaces and line ends, which fail on groff output ("failurewith") and on browser-printed lines that
are split into fragments. So only the characters the PDF draws are kept, each with its loose box
(advance width, font ascent and descent: its height is the size) and its font's weight, and
casetable builds:

- runs: characters in storage order that follow one another on one baseline;
- the gutter of a two-column page: the widest band in the middle of the page that (almost) no run
  covers;
- lines: the runs of one baseline on one side of the gutter, left to right, with a space wherever
  the gap between two characters is a word gap, so a justified line split into fragments, or set
  without space glyphs, reads in order with its words apart;
- boxes: lines of one column that follow with the usual line spacing; an indented first line
  starts a paragraph (LaTeX and groff set no space between paragraphs).

``pdfpages`` then does the rest, as for pdfminer's lines.
"""

from __future__ import annotations

import ctypes
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..collector import collector_paused
from .errors import ReadError
from .layout import normalize_characters
from .limits import Limits
from .pdfpages import BOLD, SUPERSCRIPT_SIZE, Line, Page, blocks_of, close_superscript

_WORD_GAP = 0.16  # a gap between two characters wider than this share of the font size is a space
# (word spaces are 0.22 to 0.33 of it in justified text; letters of one word are placed within 0.13)
_RUN_BREAK = 1.0  # a gap this many font sizes wide ends a run (a column gutter, a table cell)
_GUTTER_COVER = 0.15  # a gutter column is covered by at most this share of the most covered column
_COLUMN_LINES = 3  # runs that start at one x in the middle of a page to make a second column
_PARAGRAPH_INDENT = 0.6  # an indent of this many font sizes starts a paragraph
_BOX_GAP = 0.5  # more space than this many font sizes between two lines starts a new box
# pdfium marks a hyphen it takes for a line-end break with U+FFFE (older builds with U+0002); a soft
# hyphen that is drawn is a break hyphen too. All become "-", and layout.join_pair decides.
_BREAK_HYPHENS = {"\ufffe": "-", "\x02": "-", "\u00ad": "-"}
_SPACES = frozenset(" \t\r\n\u00a0")
# pdfium's FPDFText_GetTextObject with the handle as a plain address, to compare objects cheaply.
_TEXT_OBJECT = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
    ctypes.cast(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p).value)
_FONT_NAME = ctypes.create_string_buffer(256)


@dataclass(slots=True)
class Glyph:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool


@dataclass(slots=True)
class Run:
    """Glyphs that follow one another on one baseline, in storage order."""

    glyphs: list[Glyph]
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def middle(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(slots=True)
class _OpenLine:
    runs: list[Run] = field(default_factory=list)
    y0: float = 0.0
    y1: float = 0.0


def _bold(text_object: int) -> bool:
    """Whether a text object's font is bold (shared by all its characters)."""
    font = pdfium_c.FPDFTextObj_GetFont(ctypes.cast(text_object, pdfium_c.FPDF_PAGEOBJECT))
    length = pdfium_c.FPDFFont_GetBaseFontName(font, _FONT_NAME, len(_FONT_NAME)) if font else 0
    name = _FONT_NAME.raw[:max(0, length - 1)].decode("latin-1")
    return bool(BOLD.search(name))


def _page_text(textpage, count: int) -> str:
    """The page's characters, one per character index (pdfium's text, or one by one where it differs)."""
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    pdfium_c.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[:2 * count].decode("utf-16-le", "replace")
    if len(text) == count:
        return text
    return "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(count))


def glyphs(textpage) -> list[Glyph]:
    """The characters the page draws, in storage order, without spaces: pdfium adds its own, and the
    space glyphs a PDF draws say less than the gaps (groff's overlap the letter after them)."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    text = _page_text(textpage, count)
    rect = pdfium_c.FS_RECTF()
    box = pdfium_c.FPDFText_GetLooseCharBox
    found: list[Glyph] = []
    last_object, bold = None, False
    for index, char in enumerate(text):
        if char in _SPACES:
            continue
        text_object = _TEXT_OBJECT(textpage, index)
        if text_object != last_object:
            last_object = text_object
            bold = _bold(text_object) if text_object else bold
        box(textpage, index, ctypes.byref(rect))
        # The size is the height of the loose box (the font's ascent to descent, as printed): pdfium's
        # font size leaves out the page's scaling (Chromium's pages are scaled by 3/4).
        size = round(rect.top - rect.bottom, 1) or 0.1
        found.append(Glyph(_BREAK_HYPHENS.get(char, char), rect.left, rect.bottom, rect.right, rect.top, size, bold))
    return found


def runs(page_glyphs: list[Glyph]) -> list[Run]:
    """Cut the storage order where the baseline changes, the text goes back, or a wide gap opens."""
    found: list[Run] = []
    current: Run | None = None
    for glyph in page_glyphs:
        if current is not None:
            previous = current.glyphs[-1]
            tolerance = 0.3 * max(glyph.size, previous.size, 1.0)
            same_line = abs(glyph.y0 - previous.y0) <= tolerance or (
                glyph.size != previous.size and current.y0 - tolerance <= (glyph.y0 + glyph.y1) / 2 <= current.y1)
            # A ligature's letters ("fi") come one by one, each with the whole ligature's box.
            back = min(previous.x1 - tolerance, previous.x0)
            if same_line and back <= glyph.x0 <= previous.x1 + _RUN_BREAK * glyph.size:
                current.glyphs.append(glyph)
                current.x1 = max(current.x1, glyph.x1)
                current.y0, current.y1 = min(current.y0, glyph.y0), max(current.y1, glyph.y1)
                continue
        current = Run([glyph], glyph.x0, glyph.y0, glyph.x1, glyph.y1)
        found.append(current)
    return found


def gutter(page_runs: list[Run], width: float) -> float | None:
    """Where the second column starts (less a little), or None on a one-column page.

    The second column is where many runs in the middle of the page start at one x (the lines of
    the column), with (almost) nothing printed just left of it: at most a few lines that cross, a
    title or a wide table. Coverage alone misleads: a column that is short on its page is little
    covered too.
    """
    steps = [0] * (int(width) + 2)
    starts: Counter[int] = Counter()
    low, high = 0.3 * width, 0.7 * width
    for run in page_runs:
        steps[max(0, min(int(run.x0), len(steps) - 1))] += 1
        steps[max(0, min(int(run.x1) + 1, len(steps) - 1))] -= 1
        if low <= run.x0 <= high:
            starts[round(run.x0)] += 1
    cover = list(accumulate(steps))
    ceiling = _GUTTER_COVER * max(cover, default=0)
    lines_at = {x: starts[x - 1] + starts[x] + starts[x + 1] for x in starts}
    for x in sorted(lines_at, key=lines_at.__getitem__, reverse=True):
        if lines_at[x] < _COLUMN_LINES:
            break
        if cover[x - 3] <= ceiling:
            return x - 2.0
    return None


def _side(run: Run, middle: float | None) -> int:
    """-1 left of the gutter, 1 right of it, 0 across it (or no gutter)."""
    if middle is None:
        return 0
    if run.x1 <= middle + 1:
        return -1
    if run.x0 >= middle - 1:
        return 1
    return 0


def lines(page_runs: list[Run], middle: float | None) -> list[tuple[int, Line]]:
    """The page's lines with their side of the gutter, top to bottom."""
    open_lines: dict[int, _OpenLine] = {}
    made: list[tuple[int, _OpenLine]] = []
    for run in sorted(page_runs, key=lambda r: -r.middle):
        side = _side(run, middle)
        line = open_lines.get(side)
        if line is not None and line.y0 <= run.middle <= line.y1:
            line.runs.append(run)
            line.y0, line.y1 = min(line.y0, run.y0), max(line.y1, run.y1)
            continue
        line = _OpenLine([run], run.y0, run.y1)
        open_lines[side] = line
        if side == 0:
            open_lines.pop(-1, None)
            open_lines.pop(1, None)
        made.append((side, line))
    _join_across(made)
    return [(side, text_line) for side, line in made if (text_line := _text_line(line)) is not None]


def _join_across(made: list[tuple[int, _OpenLine]]) -> None:
    """A line across the gutter (a title) takes the pieces of its baseline that lie on either side:
    a justified title line has gaps as wide as the gutter."""
    across = [line for side, line in made if side == 0]
    if not across:
        return
    for side, line in list(made):
        if side == 0:
            continue
        middle = (line.y0 + line.y1) / 2
        host = next((a for a in across if a.y0 <= middle <= a.y1 and line.y0 <= (a.y0 + a.y1) / 2 <= line.y1), None)
        if host is not None:
            host.runs.extend(line.runs)
            made.remove((side, line))


def _text_line(line: _OpenLine) -> Line | None:
    """The line's text, left to right, word gaps as spaces, superscript citation markers dropped."""
    ordered = [g for run in sorted(line.runs, key=lambda r: r.x0) for g in run.glyphs]
    sizes: dict[float, int] = {}
    for glyph in ordered:
        sizes[glyph.size] = sizes.get(glyph.size, 0) + 1
    if not sizes:
        return None
    size = max(sizes, key=sizes.__getitem__)
    body = [g for g in ordered if g.size == size]
    baseline = sorted(g.y0 for g in body)[len(body) // 2]
    parts: list[str] = []
    marker: list[str] = []
    previous: Glyph | None = None
    cells = 0
    for glyph in ordered:
        gap = glyph.x0 - previous.x1 if previous is not None else 0.0
        cells += gap > size
        # The hyphen a word processor sets at a line end stands a little apart: it is no word.
        space = " " if gap > _WORD_GAP * size and not (glyph is ordered[-1] and glyph.text == "-") else ""
        if glyph.size < SUPERSCRIPT_SIZE * size and glyph.y0 > baseline + 0.15 * size:
            marker.append(space + glyph.text)
        else:
            if marker:
                close_superscript(marker, parts)
                marker = []
            parts.append(space + glyph.text)
        previous = glyph
    if marker:
        close_superscript(marker, parts)
    text = normalize_characters("".join(parts)).strip()
    if not text:
        return None
    bold = next(g.bold for g in body)
    return Line(text, min(r.x0 for r in line.runs), line.y0, max(r.x1 for r in line.runs), line.y1, size, bold,
                cells)


def boxes(page_lines: list[tuple[int, Line]]) -> list[list[Line]]:
    """Consecutive lines of one side with the usual spacing; an indented line starts a paragraph."""
    found: list[list[Line]] = []
    last: dict[int, list[Line]] = {}
    for side, line in page_lines:
        box = last.get(side)
        if box is not None and not _breaks(box, line):
            box.append(line)
            continue
        box = [line]
        found.append(box)
        last[side] = box
        if side == 0:
            last = {0: box}
    return found


def _breaks(box: list[Line], line: Line) -> bool:
    previous = box[-1]
    size = max(previous.size, line.size)
    if previous.y0 - line.y1 > _BOX_GAP * size or line.x0 >= previous.x1 or line.x1 <= previous.x0:
        return True
    left = min(ln.x0 for ln in box)
    right = max(ln.x1 for ln in box)
    return len(box) > 1 and line.x0 - left > _PARAGRAPH_INDENT * size and abs(line.x1 - right) < size


def _metadata(document: pdfium.PdfDocument) -> dict[str, object]:
    """Title, author, subject and DOI from the PDF info dictionary, where the publisher filled them in."""
    found: dict[str, object] = {}
    for key, name in (("Title", "title"), ("Author", "author"), ("Subject", "subject"), ("doi", "doi")):
        size = pdfium_c.FPDF_GetMetaText(document.raw, key.encode(), None, 0)
        if size <= 2:
            continue
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDF_GetMetaText(document.raw, key.encode(), buffer, size)
        value = normalize_characters(buffer.raw[:size - 2].decode("utf-16-le", "replace")).strip()
        if value:
            found[name] = value
    return found


_EXTRACT_PERMISSION = 1 << 4


def read_pdfium_pages(path: Path, limits: Limits) -> tuple[list[Page], dict[str, object]]:
    """The pages of a PDF as pdfium reads them, and its metadata.

    No pages for a file pdfium cannot open (other than for a password): the pdfminer engine then
    says what is wrong with it.
    """
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise ReadError(f"{path}: password-protected PDF: save an unprotected copy "
                            "(e.g. qpdf --decrypt --password=... in.pdf out.pdf)") from error
        return [], {}
    try:
        if not pdfium_c.FPDF_GetDocPermissions(document.raw) & _EXTRACT_PERMISSION:
            raise ReadError(f"{path}: the PDF forbids text extraction: ask the publisher for an "
                            "unrestricted copy, or remove the restriction (e.g. qpdf --decrypt)")
        metadata = _metadata(document)
        pages: list[Page] = []
        with collector_paused():
            for index in range(len(document)):
                if index >= limits.max_pages:
                    metadata["truncated_at_page"] = limits.max_pages
                    break
                page = document[index]
                width, height = page.get_size()
                textpage = page.get_textpage()
                page_runs = runs(glyphs(textpage.raw))
                page_lines = lines(page_runs, gutter(page_runs, width))
                pages.append(Page(index + 1, width, height, blocks_of(index + 1, iter(boxes(page_lines)))))
                textpage.close()
                page.close()
        return pages, metadata
    finally:
        document.close()
