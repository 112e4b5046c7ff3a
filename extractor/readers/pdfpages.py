"""A PDF's pages as lines, blocks and running text, whichever engine read the characters.

Both engines (``pdf.py`` on pdfminer.six, ``pdfium_engine.py`` on pdfium) hand over the text lines
of each page, grouped in boxes, with position, font size and weight. Everything after that is
decided here, from those lines alone, so the two engines give the same Document for the same lines:

- running headers, footers and page numbers: lines in the top or bottom band of a page (or in a side
  margin) whose text, digits aside, recurs on other pages, and bare page numbers there;
- reading order: text boxes of a two-column page are read left column, then right column, within
  the bands that full-width boxes (title, wide figures) cut the page into;
- superscript citation markers ("tumor.21,22") are dropped; a superscript after a unit ("m2") stays;
- lines broken by hyphenation are mended, and a paragraph that runs on into the next column or
  page is joined again, with the page where its continuation was printed;
- captions and tables (a "Figure 1" / "Table 1" block in smaller print, and the small print that
  follows a table caption) leave the running text and become sections of their own at the end.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from statistics import median
from typing import Iterator

from ..document import Document
from ..sections import HeadingRules
from .builder import Part, compose
from .errors import ReadError
from .layout import join_pair, vocabulary

_BAND = 0.09  # share of the page height at the top and bottom where running headers and footers sit
_MARGIN = 0.08  # share of the page width at each side where margin notes sit
_SMALL_PRINT = 0.93  # a line this much smaller than the body text is a caption, table or footnote
SUPERSCRIPT_SIZE = 0.85  # a character this much smaller than its line's text, and raised, is a superscript
_PAGE_NUMBER = re.compile(r"^\W*(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\W*$", re.I)
_CITATION_MARKER = re.compile(r"^[\d\s,\-\u2010-\u2015\[\]()]+$|^[a-z*\u2020\u2021\u00a7\u00b6]$")
_UNIT_BEFORE = re.compile(r"(?:\d|\b(?:c|m|mm|k|d|µ|u)?m|\b[a-z]?[lL])$")
BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_END_OF_SENTENCE = re.compile(r"[.!?:]\W{0,2}$")
MIN_TEXT_PER_PAGE = 20


@dataclass
class Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool
    gaps: int = 0  # gaps between words wider than a font size: cells of a table row (pdfium engine)


@dataclass
class Block:
    """Lines of one text box that share a font size and weight: a paragraph, heading or caption.
    Its lines are given whole: its box is computed once (reading order compares every pair of
    blocks, the edge test reads each block's box)."""

    page: int
    lines: list[Line]
    kind: str = "body"  # body | heading | caption | table
    text: str = ""
    opens_with_heading: bool = False  # its first line is a line the heading rules know
    x0: float = field(init=False, repr=False, compare=False)
    x1: float = field(init=False, repr=False, compare=False)
    y0: float = field(init=False, repr=False, compare=False)
    y1: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.x0, self.x1 = min(ln.x0 for ln in self.lines), max(ln.x1 for ln in self.lines)
        self.y0, self.y1 = min(ln.y0 for ln in self.lines), max(ln.y1 for ln in self.lines)

    @cached_property
    def size(self) -> float:
        return median(ln.size for ln in self.lines)


@dataclass
class Page:
    number: int
    width: float
    height: float
    blocks: list[Block] = field(default_factory=list)




# ------------------------------------------------------------------------------------ blocks


def blocks_of(page_number: int, boxes: Iterator[list[Line]]) -> list[Block]:
    """Split each box where the font size or weight changes, and around heading lines."""
    rules = HeadingRules.load()
    blocks: list[Block] = []
    for lines in boxes:
        current: list[Line] = []
        opens_with_heading = False  # current holds one line, a heading ("Case presentation", "2 | DISCUSSION")
        for line in lines:
            heading = rules.heading_kind(line.text) is not None
            if current and (heading or _differs(current[-1], line) or (len(current) == 1 and opens_with_heading)):
                blocks.append(Block(page_number, current, opens_with_heading=opens_with_heading))
                current = []
            if not current:
                opens_with_heading = heading
            current.append(line)
        if current:
            blocks.append(Block(page_number, current, opens_with_heading=opens_with_heading))
    return blocks


def _differs(a: Line, b: Line) -> bool:
    return a.bold != b.bold or abs(a.size - b.size) > 0.08 * max(a.size, b.size)


# ------------------------------------------------------------------------------------ pages


def _normalized(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def _at_edge(block: Block, page: Page) -> bool:
    return (block.y0 > (1 - _BAND) * page.height or block.y1 < _BAND * page.height
            or block.x1 < _MARGIN * page.width or block.x0 > (1 - _MARGIN) * page.width)


def remove_running_text(pages: list[Page]) -> None:
    """Drop headers, footers, page numbers and margin notes: recurring text at the page edges."""
    seen = Counter(key for page in pages for key in {_normalized(b.text) for b in page.blocks if _at_edge(b, page)})
    for page in pages:
        page.blocks = [b for b in page.blocks
                       if not (_at_edge(b, page) and (seen[_normalized(b.text)] > 1 or _PAGE_NUMBER.match(b.text)))]


def reading_order(page: Page) -> list[Block]:
    """Blocks of one page in reading order: bands cut by full-width blocks, then left before right."""
    mid, slack = page.width / 2, 0.02 * page.width
    left = [b for b in page.blocks if b.x1 <= mid + slack]
    right = [b for b in page.blocks if b.x0 >= mid - slack and b.x1 > mid + slack]
    two_columns = any(min(a.y1, b.y1) > max(a.y0, b.y0) for a in left for b in right)
    if not two_columns:
        return sorted(page.blocks, key=lambda b: (-b.y1, b.x0))
    in_column = {id(b) for b in left + right}
    full = sorted((b for b in page.blocks if id(b) not in in_column), key=lambda b: -b.y1)
    ordered: list[Block] = []
    upper = float("inf")
    for cut in [*full, None]:
        lower = cut.y1 if cut is not None else float("-inf")
        for column in (left, right):
            ordered.extend(sorted((b for b in column if lower <= (b.y0 + b.y1) / 2 < upper), key=lambda b: -b.y1))
        if cut is not None:
            ordered.append(cut)
            upper = cut.y0
    placed = {id(b) for b in ordered}
    ordered.extend(b for b in page.blocks if id(b) not in placed)  # a block between two cuts' edges
    return ordered


# ------------------------------------------------------------------------------------ document


def _body_size(pages: list[Page]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for block in page.blocks:
            for line in block.lines:
                sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def tabular(block: Block) -> bool:
    """Set as table rows: most lines hold two or more gaps wider than the font size between cells."""
    return 2 * sum(line.gaps >= 2 for line in block.lines) > len(block.lines)


def classify(blocks: list[Block], body_size: float) -> None:
    """Mark headings, captions, tables and their small print; the rest is running text.

    A caption is known by its words ("Table 2.", "Figure 1") and by being set apart: in small print,
    in bold, or (a table caption at body size) right above a block in small print or set as rows.
    Rows of cells are a table wherever they are, also on the page a table continues on.
    """
    rules = HeadingRules.load()
    in_table_on: int | None = None
    for block, following in zip(blocks, [*blocks[1:], None]):
        first = block.lines[0].text
        small = block.size < _SMALL_PRINT * body_size
        caption = rules.caption_kind(first)
        above_table = caption == "table" and following is not None and following.page == block.page and (
            following.size < _SMALL_PRINT * body_size or tabular(following))
        if caption and (small or block.lines[0].bold or above_table):
            block.kind = "table" if caption == "table" else "caption"
            in_table_on = block.page if caption == "table" else None
        elif (in_table_on == block.page and small) or tabular(block):
            block.kind = "table"
            in_table_on = block.page
        else:
            in_table_on = None
            if len(block.lines) == 1 and (block.opens_with_heading or block.lines[0].bold):
                block.kind = "heading"


def _continues(previous: Block, block: Block) -> bool:
    """A paragraph broken by a column or page end: no sentence end before, lower case after."""
    return (previous.kind == block.kind == "body"
            and not _END_OF_SENTENCE.search(previous.text)
            and (block.text[:1].islower() or previous.text.endswith("-"))
            and abs(previous.size - block.size) <= 0.08 * max(previous.size, block.size))


def _without_interruptions(ordered: list[Block], pages: list[Page]) -> list[Block]:
    """Drop a line at a page edge that comes between a paragraph and its continuation: a running
    header or footer that does not recur (a two-page paper whose first page has none)."""
    by_number = {page.number: page for page in pages}
    kept: list[Block] = []
    for block, following in zip(ordered, [*ordered[1:], None]):
        if (kept and following is not None and len(block.lines) == 1 and _at_edge(block, by_number[block.page])
                and not _continues(kept[-1], block) and _continues(kept[-1], following)):
            continue
        kept.append(block)
    return kept


def assemble(source: str, pages: list[Page], metadata: dict[str, object]) -> Document:
    words = vocabulary(line.text for page in pages for block in page.blocks for line in block.lines)
    for page in pages:
        for block in page.blocks:
            for line in block.lines:
                block.text = join_pair(block.text, line.text, words)
    remove_running_text(pages)
    ordered = _without_interruptions([block for page in pages for block in reading_order(page)], pages)
    classify(ordered, _body_size(pages))
    body = Part()
    extras: list[Part] = []
    previous: Block | None = None
    for block in ordered:
        if block.kind in ("caption", "table"):
            if block.kind == "caption" or not extras or extras[-1].kind != "table" \
                    or HeadingRules.load().caption_kind(block.lines[0].text):
                extras.append(Part(block.kind, block.lines[0].text[:80]))
            extras[-1].add(block.text, block.page)
            continue
        if previous is not None and _continues(previous, block):
            body.extend_last(block.text, block.page, lambda left, right: join_pair(left, right, words))
        else:
            body.add(block.text, block.page)
        previous = block
    return compose(source, [body, *extras], metadata)




# ------------------------------------------------------------------------------------ shared checks


def raised_characters(bottoms: list[float], sizes: list[float], size: float) -> list[bool]:
    """Which characters of a line of ``size`` are superscripts: much smaller than the size and above
    the line's baseline (the median bottom of its characters of that size)."""
    baseline = median([bottom for bottom, s in zip(bottoms, sizes) if s == size])
    return [s < SUPERSCRIPT_SIZE * size and bottom > baseline + 0.15 * size for bottom, s in zip(bottoms, sizes)]


def close_superscript(run: list[str], parts: list[str]) -> None:
    """Drop a citation or footnote marker; keep an exponent ("m2", "10^9") as plain characters."""
    marker = "".join(run)
    before = "".join(parts[-3:]).rstrip()
    if _CITATION_MARKER.match(marker.strip()) and before and not _UNIT_BEFORE.search(before):
        if marker != marker.rstrip():
            parts.append(" ")
        return
    parts.append(marker)


def check_complete(path: Path, data: bytes | None = None) -> None:
    """A PDF ends with %%EOF: a file without it was cut off while downloading. ``data``: the file's
    bytes, where the caller has read them."""
    if data is not None:
        tail = data[-2048:]
    else:
        with path.open("rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - 2048))
            tail = handle.read()
    if b"%%EOF" not in tail:
        raise ReadError(f"{path}: truncated PDF (the file ends before the PDF's end marker): "
                        "download it again")


def password_error(path: Path) -> ReadError:
    return ReadError(f"{path}: password-protected PDF: save an unprotected copy "
                     "(e.g. qpdf --decrypt --password=... in.pdf out.pdf)")


def restricted_error(path: Path) -> ReadError:
    return ReadError(f"{path}: the PDF forbids text extraction: ask the publisher for an "
                     "unrestricted copy, or remove the restriction (e.g. qpdf --decrypt)")


def text_size(pages: list[Page]) -> int:
    """Characters of text on the pages: too few per page means a scan or a damaged file."""
    return sum(len(line.text) for page in pages for block in page.blocks for line in block.lines)
