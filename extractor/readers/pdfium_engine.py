"""The pdfium engine: a PDF's characters and boxes from pdfium, its lines and boxes made here.

pdfium (pypdfium2) reads the characters of a page, with their boxes and fonts, many times faster
than pdfminer's interpreter, but in the order the PDF stores them and with its own guesses at
spaces and line ends, which fail on groff output ("failurewith") and on browser-printed lines that
are split into fragments. So only the characters the PDF draws are kept, each with its loose box
(advance width, font ascent and descent: its height is the size; the glyph's own box for a font
that gives pdfium no ascent and descent, as LibreOffice's) and its font's weight, and
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
from collections import Counter, deque
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from operator import attrgetter
from pathlib import Path
from types import SimpleNamespace

import cffi
import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..collector import collector_paused
from .layout import normalize_characters
from .limits import Limits
from .pdfpages import (
    BOLD,
    SUPERSCRIPT_SIZE,
    Line,
    Page,
    blocks_of,
    close_superscript,
    password_error,
    raised_characters,
    restricted_error,
)

_WORD_GAP = 0.16  # a gap between two characters wider than this share of the font size is a space
# (word spaces are 0.22 to 0.33 of it in justified text; letters of one word are placed within 0.13)
_RUN_BREAK = 1.0  # a gap this many font sizes wide ends a run (a column gutter, a table cell)
_GUTTER_COVER = 0.15  # a gutter column is covered by at most this share of the most covered column
_COLUMN_LINES = 3  # runs that start at one x in the middle of a page to make a second column
_PARAGRAPH_INDENT = 0.6  # an indent of this many font sizes starts a paragraph
_BOX_GAP = 0.5  # more space than this many font sizes between two lines starts a new box
_SAME_SIZE = 0.05  # sizes this close are one (loose boxes of one font differ by rounding, italics a little)
# pdfium marks a hyphen it takes for a line-end break with U+FFFE (older builds with U+0002); a soft
# hyphen that is drawn is a break hyphen too. All become "-", and layout.join_pair decides.
_BREAK_HYPHENS = ("\ufffe", "\x02", "\u00ad")
_SPACES = [ord(space) for space in " \t\r\n\u00a0"]
# The calls made per character (a box) and per line or page (a character's text object and font,
# the page's text) go through cffi, whose calls cost less than ctypes' (the engine read the producer
# set 5% faster), to the functions of the library pypdfium2 loaded: cffi calls them at the
# addresses of pypdfium2's own (ctypes) functions. Handles and the box to write are addresses:
# integers, passed as pointers are, and compared and looked up cheaply.
_FFI = cffi.FFI()
_SIGNATURES = {
    "FPDFText_GetLooseCharBox": "int(*)(uintptr_t text_page, int index, uintptr_t rect)",
    "FPDFText_GetText": "int(*)(uintptr_t text_page, int start_index, int count, unsigned short* result)",
    "FPDFText_CountChars": "int(*)(uintptr_t text_page)",
    "FPDFText_GetUnicode": "unsigned int(*)(uintptr_t text_page, int index)",
    "FPDFText_GetTextObject": "uintptr_t(*)(uintptr_t text_page, int index)",
    "FPDFTextObj_GetFont": "uintptr_t(*)(uintptr_t text_object)",
}
_PDFIUM = SimpleNamespace(**{name: _FFI.cast(signature, ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value)
                             for name, signature in _SIGNATURES.items()})
_FONT_NAME = ctypes.create_string_buffer(256)
_LEFT = attrgetter("x0")


@dataclass
class PageChars:
    """The characters a page draws, in storage order: their text, and their loose boxes as arrays.

    ``size`` is the height of the loose box (the font's ascent to descent, as printed; the glyph's
    own height where the font gives pdfium neither, as LibreOffice's embedded fonts): pdfium's
    font size leaves out the page's scaling (Chromium's pages are scaled by 3/4). ``index`` is each
    character's index in pdfium's text page, to ask for its font.
    """

    text: str
    index: list[int]
    x0: np.ndarray
    y0: np.ndarray
    x1: np.ndarray
    y1: np.ndarray
    size: np.ndarray


@dataclass(slots=True)
class Run:
    """Characters ``start`` to ``end`` (exclusive) of a page, following one another on one baseline:
    their box, their text with the word gaps as spaces, their size, whether some are much smaller
    (a superscript), and how many gaps wider than the size they hold (cells of a table row)."""

    start: int
    end: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float
    mixed: bool
    cells: int

    @property
    def middle(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(slots=True)
class _OpenLine:
    runs: list[Run] = field(default_factory=list)
    y0: float = 0.0
    y1: float = 0.0


def _bold(font: int | None) -> bool:
    """Whether a font is bold, by its name."""
    if not font:
        return False
    length = pdfium_c.FPDFFont_GetBaseFontName(ctypes.cast(font, pdfium_c.FPDF_FONT), _FONT_NAME, len(_FONT_NAME))
    return bool(BOLD.search(_FONT_NAME.raw[:max(0, length - 1)].decode("latin-1")))


def _page_text(textpage: int, count: int) -> str:
    """The page's characters, one per character index (pdfium's text, or one by one where it differs)."""
    buffer = _FFI.new("unsigned short[]", count + 1)
    _PDFIUM.FPDFText_GetText(textpage, 0, count, buffer)
    text = _FFI.buffer(buffer)[:2 * count].decode("utf-16-le", "replace")
    if len(text) == count:
        return text
    return "".join(chr(_PDFIUM.FPDFText_GetUnicode(textpage, i)) for i in range(count))


def page_chars(textpage: int) -> PageChars:
    """The characters the page draws, without spaces: pdfium adds its own, and the space glyphs a
    PDF draws say less than the gaps (groff's overlap the letter after them). ``textpage``: the
    text page's address.

    The hottest loop of the engine: one call into pdfium per character, mapped over all of them
    with no Python code between the calls, each writing its loose box straight into an array.
    """
    count = _PDFIUM.FPDFText_CountChars(textpage)
    text = _page_text(textpage, count)
    for hyphen in _BREAK_HYPHENS:  # str.replace: a translate table looks up every character
        text = text.replace(hyphen, "-")
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    drawn = np.logical_and.reduce([codes != space for space in _SPACES])  # five comparisons: isin sorts
    kept = np.flatnonzero(drawn).tolist()
    rects = np.empty((len(kept), 4), dtype=np.float32)  # FS_RECTF: left, top, right, bottom as floats
    base, step = rects.ctypes.data, 4 * rects.itemsize
    addresses = range(base, base + len(kept) * step, step)
    deque(map(_PDFIUM.FPDFText_GetLooseCharBox, repeat(textpage), kept, addresses), 0)
    left, top, right, bottom = rects.T.astype(float)
    size = np.round(top - bottom, 1)
    size[size <= 0] = 0.1
    letters = codes[drawn].tobytes().decode("utf-32-le", "surrogatepass")
    return PageChars(letters, kept, left, bottom, right, top, size)  # the kept characters


def runs(chars: PageChars) -> list[Run]:
    """Cut the storage order where the baseline changes, the text goes back, or a wide gap opens.

    A smaller character whose middle lies within the box of the one before (a superscript, and
    the return from it) stays in the run; a ligature's letters ("fi") come one by one, each with
    the whole ligature's box, and stay together too.
    """
    if not chars.text:
        return []
    x0, y0, x1, y1, size = chars.x0, chars.y0, chars.x1, chars.y1, chars.size
    tolerance = 0.3 * np.maximum(np.maximum(size[1:], size[:-1]), 1.0)
    middle = (y0[1:] + y1[1:]) / 2
    same_base = np.abs(y0[1:] - y0[:-1]) <= tolerance
    resized = np.abs(size[1:] - size[:-1]) > _SAME_SIZE * np.maximum(size[1:], size[:-1])
    raised = resized & (middle >= y0[:-1] - tolerance) & (middle <= y1[:-1] + tolerance)
    onward = (x0[1:] >= np.minimum(x1[:-1] - tolerance, x0[:-1])) & (x0[1:] <= x1[:-1] + _RUN_BREAK * size[1:])
    bounds = [0, *(np.flatnonzero(~((same_base | raised) & onward)) + 1).tolist(), len(chars.text)]
    starts = np.array(bounds[:-1])
    boxes = zip(np.minimum.reduceat(x0, starts).tolist(), np.minimum.reduceat(y0, starts).tolist(),
                np.maximum.reduceat(x1, starts).tolist(), np.maximum.reduceat(y1, starts).tolist())
    gaps = x0[1:] - x1[:-1]
    ends = np.array(bounds[1:]) - 1
    # The page's characters with a space at each word gap, once; a run's text is a slice of it.
    spaced_text, first, last = _spaced(chars.text, np.flatnonzero(gaps > _WORD_GAP * size[1:]) + 1, starts, ends)
    wide = np.concatenate([[0], np.cumsum(gaps > size[1:])])  # gaps wider than the size before each character
    cells = (wide[ends] - wide[starts]).tolist()
    # A run holds a superscript when its smallest characters are much smaller than its largest.
    mixed = (np.minimum.reduceat(size, starts) < SUPERSCRIPT_SIZE * np.maximum.reduceat(size, starts)).tolist()
    middle_sizes = size[(starts + ends) // 2].tolist()  # the size of each run's middle character
    return [Run(start, end, *box, spaced_text[a:b], run_size, small, run_cells)
            for start, end, box, small, a, b, run_size, run_cells
            in zip(bounds[:-1], bounds[1:], boxes, mixed, first, last, middle_sizes, cells)]


def _spaced(text: str, breaks: np.ndarray, firsts: np.ndarray, lasts: np.ndarray) -> tuple[str, list[int], list[int]]:
    """``text`` with a space before each of the places ``breaks``, and where each stretch of the text
    from ``firsts[i]`` to ``lasts[i]`` (inclusive) begins and ends in it: place p stands at p plus
    the number of breaks up to p."""
    cuts = [0, *breaks.tolist(), len(text)]
    spaced = " ".join([text[a:b] for a, b in zip(cuts, cuts[1:])])
    return (spaced, (firsts + np.searchsorted(breaks, firsts, side="right")).tolist(),
            (lasts + np.searchsorted(breaks, lasts, side="right") + 1).tolist())


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


def lines(chars: PageChars, page_runs: list[Run], middle: float | None, textpage: int) -> list[tuple[int, Line]]:
    """The page's lines with their side of the gutter, top to bottom (``textpage``: the text page's
    address, to ask for fonts)."""
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
    texts = _line_texts([line for _, line in made], chars, textpage)
    return [(side, text_line) for (side, _), text_line in zip(made, texts) if text_line is not None]


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


def _line_texts(open_lines: list[_OpenLine], chars: PageChars, textpage: int) -> list[Line | None]:
    """Each line's Line (None for a line whose text normalises to nothing): a line of one size from
    its runs' text; the lines of several sizes, or with superscripts, character by character, all of
    the page's together (``_mixed_lines``)."""
    bold_fonts: dict[int | None, bool] = {}
    made: list[Line | None] = []
    mixed: list[tuple[int, _OpenLine, list[Run]]] = []  # (place in made, line, its runs left to right)
    for line in open_lines:
        ordered = sorted(line.runs, key=_LEFT) if len(line.runs) > 1 else line.runs  # most lines are one run
        size = ordered[0].size
        for run in ordered:
            if run.mixed or not SUPERSCRIPT_SIZE < run.size / size < 1 / SUPERSCRIPT_SIZE:
                mixed.append((len(made), line, ordered))
                made.append(None)
                break
        else:
            made.append(_text_line(line, ordered, chars, textpage, bold_fonts))
    if mixed:
        mixed_lines = _mixed_lines([(line, ordered) for _, line, ordered in mixed], chars, textpage, bold_fonts)
        for (position, _, _), text_line in zip(mixed, mixed_lines):
            made[position] = text_line
    return made


def _text_line(line: _OpenLine, ordered: list[Run], chars: PageChars, textpage: int,
               bold_fonts: dict[int | None, bool]) -> Line | None:
    """A line of one size, its runs left to right (``ordered``), word gaps as spaces."""
    first = ordered[0]
    size = first.size
    parts, cells, right = [first.text], first.cells, first.x1
    before = first
    for run in ordered[1:]:
        gap = run.x0 - before.x1
        parts.append(" " + run.text if gap > _WORD_GAP * size else run.text)
        cells += run.cells + (gap > size)
        right = max(right, run.x1)
        before = run
    text = normalize_characters("".join(parts)).strip()
    if text.endswith(" -"):  # the hyphen a word processor sets at a line end stands a little apart
        text = text[:-2] + "-"
    if not text:
        return None
    bold = _bold_at(chars, first.start, textpage, bold_fonts)
    return Line(text, first.x0, line.y0, right, line.y1, size, bold, cells)


def _bold_at(chars: PageChars, position: int, textpage: int, bold_fonts: dict[int | None, bool]) -> bool:
    """Whether the font of a page's character is bold (fonts looked up once a page)."""
    font = _PDFIUM.FPDFTextObj_GetFont(_PDFIUM.FPDFText_GetTextObject(textpage, chars.index[position]))
    if font not in bold_fonts:
        bold_fonts[font] = _bold(font)
    return bold_fonts[font]


def _mixed_lines(open_lines: list[tuple[_OpenLine, list[Run]]], chars: PageChars, textpage: int,
                 bold_fonts: dict[int | None, bool]) -> list[Line | None]:
    """Lines of several sizes (each with its runs left to right), character by character: each
    line's size is its most common character size (the smallest at a tie), a gap wider than
    ``_WORD_GAP`` of it is a space, superscripts are found and citation markers dropped.

    All of a page's such lines at once, as one sequence of characters: numpy's cost per call is
    then paid once a page, not once a line (a LibreOffice page, whose loose boxes are the glyphs'
    own, has all its lines here).
    """
    pieces = [run for _, ordered in open_lines for run in ordered]
    starts = np.array([run.start for run in pieces])
    lengths = np.array([run.end - run.start for run in pieces])
    # The lines' characters one after another: place p holds the page's character index[p].
    index = np.arange(int(lengths.sum())) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    runs_of = np.array([len(ordered) for _, ordered in open_lines])
    counts = np.add.reduceat(lengths, np.cumsum(runs_of) - runs_of)  # characters per line
    line_of = np.repeat(np.arange(len(open_lines)), counts)
    firsts = np.cumsum(counts) - counts
    lasts = firsts + counts - 1
    sizes = chars.size[index]
    line_size = _most_common(sizes, line_of, len(open_lines))
    gaps = chars.x0[index[1:]] - chars.x1[index[:-1]]  # gap k: between places k and k + 1
    within = line_of[1:] == line_of[:-1]
    gap_size = line_size[line_of[1:]]
    spaced = within & (gaps > _WORD_GAP * gap_size)
    cells = np.bincount(line_of[1:][within & (gaps > gap_size)], minlength=len(open_lines)).tolist()
    letters = "".join([chars.text[run.start:run.end] for run in pieces])
    for last in lasts[counts > 1].tolist():
        if letters[last] == "-":
            spaced[last - 1] = False  # the hyphen a word processor sets at a line end stands a little apart
    spaced_text, text_starts, text_ends = _spaced(letters, np.flatnonzero(spaced) + 1, firsts, lasts)
    at_size = np.flatnonzero(sizes == line_size[line_of])
    bold_places = index[at_size[np.searchsorted(at_size, firsts)]].tolist()  # each line's first character of its size
    small = (np.minimum.reduceat(sizes, firsts) < SUPERSCRIPT_SIZE * line_size).tolist()
    made: list[Line | None] = []
    for i, ((line, ordered), size) in enumerate(zip(open_lines, line_size.tolist())):
        text = spaced_text[text_starts[i]:text_ends[i]]
        if small[i]:
            first, last = int(firsts[i]), int(lasts[i])
            raised = raised_characters(chars.y0[index[first:last + 1]].tolist(), sizes[first:last + 1].tolist(), size)
            if any(raised):
                line_spaced = set((np.flatnonzero(spaced[first:last]) + 1).tolist())
                text = _without_superscripts(letters[first:last + 1], line_spaced, raised)
        text = normalize_characters(text).strip()
        if not text:
            made.append(None)
            continue
        made.append(Line(text, ordered[0].x0, line.y0, max(r.x1 for r in ordered), line.y1, size,
                         _bold_at(chars, bold_places[i], textpage, bold_fonts), cells[i]))
    return made


def _most_common(values: np.ndarray, groups: np.ndarray, count: int) -> np.ndarray:
    """Each group's most common value, the smallest at a tie (``groups`` numbers ``values`` 0 to
    ``count - 1`` in order, none empty)."""
    by = np.lexsort((values, groups))
    ordered, owners = values[by], groups[by]
    heads = np.flatnonzero(np.concatenate([[True], (ordered[1:] != ordered[:-1]) | (owners[1:] != owners[:-1])]))
    members = np.diff(np.append(heads, len(ordered)))
    head_group = owners[heads]
    most = np.maximum.reduceat(members, np.searchsorted(head_group, np.arange(count)))
    winners = np.flatnonzero(members == most[head_group])  # in order of value within each group
    return ordered[heads[winners[np.searchsorted(head_group[winners], np.arange(count))]]]


def _without_superscripts(letters: str, spaced: set[int], raised: list[bool]) -> str:
    parts: list[str] = []
    marker: list[str] = []
    for position, (letter, high) in enumerate(zip(letters, raised)):
        piece = " " + letter if position in spaced else letter
        if high:
            marker.append(piece)
            continue
        if marker:
            close_superscript(marker, parts)
            marker = []
        parts.append(piece)
    if marker:
        close_superscript(marker, parts)
    return "".join(parts)


@dataclass(slots=True)
class _OpenBox:
    """A box being made: its lines and the left and right edges they reach so far."""

    lines: list[Line]
    left: float
    right: float

    def add(self, line: Line) -> None:
        self.lines.append(line)
        self.left, self.right = min(self.left, line.x0), max(self.right, line.x1)


def boxes(page_lines: list[tuple[int, Line]]) -> list[list[Line]]:
    """Consecutive lines of one side with the usual spacing; an indented line starts a paragraph."""
    found: list[_OpenBox] = []
    last: dict[int, _OpenBox] = {}
    for side, line in page_lines:
        box = last.get(side)
        if box is not None and not _breaks(box, line):
            box.add(line)
            continue
        box = _OpenBox([line], line.x0, line.x1)
        found.append(box)
        last[side] = box
        if side == 0:
            last = {0: box}
    return [box.lines for box in found]


def _breaks(box: _OpenBox, line: Line) -> bool:
    previous = box.lines[-1]
    size = max(previous.size, line.size)
    if previous.y0 - line.y1 > _BOX_GAP * size or line.x0 >= previous.x1 or line.x1 <= previous.x0:
        return True
    return len(box.lines) > 1 and line.x0 - box.left > _PARAGRAPH_INDENT * size and abs(line.x1 - box.right) < size


def _metadata(document) -> dict[str, object]:
    """Title, author, subject and DOI from the PDF info dictionary, where the publisher filled them in."""
    found: dict[str, object] = {}
    for key, name in (("Title", "title"), ("Author", "author"), ("Subject", "subject"), ("doi", "doi")):
        size = pdfium_c.FPDF_GetMetaText(document, key.encode(), None, 0)
        if size <= 2:
            continue
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDF_GetMetaText(document, key.encode(), buffer, size)
        value = normalize_characters(buffer.raw[:size - 2].decode("utf-16-le", "replace")).strip()
        if value:
            found[name] = value
    return found


_EXTRACT_PERMISSION = 1 << 4


def _read_page(document, index: int) -> Page:
    """One page, through pdfium's own calls: pypdfium2's page objects add a finaliser each, which
    cost more than the page's text is worth to close."""
    page = pdfium_c.FPDF_LoadPage(document, index)
    if not page:
        raise pdfium.PdfiumError(f"page {index + 1} cannot be loaded")
    try:
        width, height = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
        textpage = pdfium_c.FPDFText_LoadPage(page)
        if not textpage:
            raise pdfium.PdfiumError(f"the text of page {index + 1} cannot be loaded")
        try:
            address = ctypes.cast(textpage, ctypes.c_void_p).value  # an int passes faster than a pointer
            chars = page_chars(address)
            page_runs = runs(chars)
            page_lines = lines(chars, page_runs, gutter(page_runs, width), address)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
    finally:
        pdfium_c.FPDF_ClosePage(page)
    return Page(index + 1, width, height, blocks_of(index + 1, iter(boxes(page_lines))))


def read_pdfium_pages(path: Path, limits: Limits, data: bytes) -> tuple[list[Page], dict[str, object]]:
    """The pages of a PDF as pdfium reads them from ``data`` (the file's bytes; ``path`` names it in
    messages), and its metadata.

    No pages for a file pdfium cannot open (other than for a password): the pdfminer engine then
    says what is wrong with it.
    """
    # pdfium's own calls, as for the pages: pypdfium2's document object adds finalisers. ``data``
    # stays referenced here while pdfium reads from it.
    document = pdfium_c.FPDF_LoadMemDocument64(data, len(data), None)
    count = pdfium_c.FPDF_GetPageCount(document) if document else 0
    if count < 1:
        error = pdfium_c.FPDF_GetLastError()
        if document:
            pdfium_c.FPDF_CloseDocument(document)
        if error == pdfium_c.FPDF_ERR_PASSWORD:
            raise password_error(path)
        return [], {}
    try:
        if not pdfium_c.FPDF_GetDocPermissions(document) & _EXTRACT_PERMISSION:
            raise restricted_error(path)
        metadata = _metadata(document)
        pages: list[Page] = []
        with collector_paused():
            for index in range(count):
                if index >= limits.max_pages:
                    metadata["truncated_at_page"] = limits.max_pages
                    break
                pages.append(_read_page(document, index))
        return pages, metadata
    finally:
        pdfium_c.FPDF_CloseDocument(document)
