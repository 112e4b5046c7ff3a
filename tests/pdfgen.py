"""Make journal-like PDFs for tests and for the example corpus (reportlab).

The PDFs imitate what casetable meets in real papers: a title, paragraphs, headings on their own
lines, an optional running header on every page, a page number in the footer, figure captions in a
small font between paragraphs, and one or two text columns.  Output is deterministic (reportlab's
``invariant`` mode), so regenerating a file gives the same bytes.

Input text: blocks separated by blank lines become paragraphs; a line break inside a block is kept as
a line break.  A block that is a single short line without end punctuation (``Case presentation``,
``2 | CASE DESCRIPTION``, ``Patient 1``) or that starts with ``#`` is set as a heading.  ``^{21,22}``
is set as a superscript (a citation marker, or the 2 of m²); ``plain_text`` gives the text without
that markup, as a text version of the paper would read.  ``tables`` are set in small print under
their caption, like figure captions after the paragraph that first cites them; ``hyphenate``
breaks long words at line ends with a hyphen ("chemo-" + "therapy"), as typeset journals do.

Run ``python tests/pdfgen.py`` to rebuild ``corpus/reports/<name>.pdf`` from every
``corpus/pdf_source/<name>.source.md``; ``--check`` only reports whether the committed PDFs are current.
A source file may start with a front-matter block between ``---`` lines holding ``title:``,
``header:``, ``columns:``, ``footer:`` and any number of ``caption:`` lines.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from typing import Iterable
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = ROOT / "corpus" / "pdf_source"
REPORTS_DIR = ROOT / "corpus" / "reports"
SOURCE_SUFFIX = ".source.md"

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
GUTTER = 7 * mm
HEADER_Y = PAGE_H - 11 * mm
FOOTER_Y = 10 * mm

# Fonts by role. The PDF standard fonts know only Latin-1-like characters (no "č", "≥", "β");
# make_pdf embeds TrueType fonts instead: DejaVu where the system has it, else the Vera fonts that
# ship with reportlab (which lack Greek). The corpus PDF keeps the standard fonts it was built with.
STANDARD_FONTS = {"serif": "Times-Roman", "sans": "Helvetica", "bold": "Helvetica-Bold", "italic": "Helvetica-Oblique"}
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_TTF = {"serif": ("DejaVuSerif.ttf", "Vera.ttf"), "sans": ("DejaVuSans.ttf", "Vera.ttf"),
        "bold": ("DejaVuSans-Bold.ttf", "VeraBd.ttf"), "italic": ("DejaVuSans-Oblique.ttf", "VeraIt.ttf")}


def unicode_fonts() -> dict[str, str]:
    """Register (once) and name the TrueType fonts for each role."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    bundled = Path(reportlab.__file__).parent / "fonts"
    names = {}
    for role, (dejavu, vera) in _TTF.items():
        path = _DEJAVU / dejavu if (_DEJAVU / dejavu).is_file() else bundled / vera
        name = f"casetable-{path.stem}"
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        names[role] = name
    return names


def _styles(fonts: dict[str, str]) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=fonts["bold"], fontSize=15, leading=19, spaceAfter=10),
        "heading": ParagraphStyle(
            "heading", fontName=fonts["bold"], fontSize=10.5, leading=13, spaceBefore=8, spaceAfter=4
        ),
        "body": ParagraphStyle(
            "body", fontName=fonts["serif"], fontSize=10, leading=12.5, alignment=TA_LEFT, spaceAfter=6
        ),
        "caption": ParagraphStyle(
            "caption", fontName=fonts["sans"], fontSize=7.5, leading=9, alignment=TA_LEFT, spaceBefore=3, spaceAfter=8
        ),
    }


_LIST_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*\u2022])\s+")
_FIGURE_NO = re.compile(r"^\s*(Figure|Fig\.?|Table)\s*(\d+)", re.I)
_SUPERSCRIPT = re.compile(r"\^\{([^{}]*)\}")
_MIN_SPLIT = 3  # letters kept on each side of a hyphenation point


def plain_text(text: str) -> str:
    """The text without ``^{...}`` superscript markup: what a text version of the paper holds."""
    return _SUPERSCRIPT.sub("", text)


def _markup(line: str) -> str:
    """Escape a line for reportlab, turning ``^{...}`` into a superscript."""
    return _SUPERSCRIPT.sub(lambda m: f"<super>{m.group(1)}</super>", escape(line))


def _hyphenation_points(word: str):
    """Where a long lower-case word may break at a line end, longest head first (reportlab asks for
    (head, tail) pairs). Any point between letters will do for tests: the reader must mend them all."""
    if len(word) < 2 * _MIN_SPLIT + 2 or not word.isalpha() or not word.islower():
        return
    for cut in range(len(word) - _MIN_SPLIT, _MIN_SPLIT - 1, -1):
        yield word[:cut], word[cut:]


# --------------------------------------------------------------------------- text -> flowables


def _is_heading(block: str) -> bool:
    if block.startswith("#"):
        return True
    if "\n" in block:
        return False
    line = block.strip()
    return (
        0 < len(line) <= 60
        and len(line.split()) <= 7
        and line[-1] not in ".,;:!?"
        and ":" not in line
        and "," not in line
        and (line[0].isupper() or line[0].isdigit())
    )


def _blocks(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [b.strip("\n") for b in re.split(r"\n[ \t]*\n", text) if b.strip()]


class FigureBox(Flowable):
    """A grey placeholder where a journal would print the figure: drawn shapes, no text."""

    def __init__(self, height: float = 38 * mm):
        super().__init__()
        self.box_height = height

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.box_height

    def draw(self):
        c = self.canv
        c.saveState()
        c.setFillGray(0.9)
        c.setStrokeGray(0.6)
        c.rect(0, 0, self.width, self.box_height, stroke=1, fill=1)
        c.setFillGray(0.7)
        c.circle(self.width * 0.3, self.box_height * 0.5, self.box_height * 0.28, stroke=0, fill=1)
        c.rect(self.width * 0.58, self.box_height * 0.2, self.width * 0.3, self.box_height * 0.6, stroke=0, fill=1)
        c.restoreState()


def _paragraphs(block: str, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    if _is_heading(block):
        return [Paragraph(_markup(block.lstrip("#").strip()), styles["heading"])]
    lines = block.split("\n")
    if len(lines) > 1 and all(_LIST_ITEM.match(line) for line in lines):
        return [Paragraph(_markup(line.strip()), styles["body"]) for line in lines]
    return [Paragraph("<br/>".join(_markup(line.strip()) for line in lines), styles["body"])]


def _table(caption: str, rows: list[list[str]], width: float, styles: dict[str, ParagraphStyle]) -> Flowable:
    """A journal table: caption above, cells in small print, rules above and below the header row."""
    cell = ParagraphStyle("cell", parent=styles["caption"], spaceBefore=0, spaceAfter=0)
    data = [[Paragraph(_markup(value), cell) for value in row] for row in rows]
    table = Table(data, colWidths=[width / max(len(r) for r in rows)] * max(len(r) for r in rows))
    table.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 0.6, "black"),
                               ("LINEBELOW", (0, 0), (-1, 0), 0.4, "black"),
                               ("LINEBELOW", (0, -1), (-1, -1), 0.6, "black"),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 4), Paragraph(_markup(caption), styles["caption"]), table, Spacer(1, 6)])


def _story(text: str, captions: Iterable[str], tables: Iterable[tuple[str, list[list[str]]]],
           styles: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    """Paragraph flowables, with each figure or table placed after the first paragraph citing it."""
    blocks = _blocks(text)
    pending: dict[int, list[Flowable]] = {}
    trailing: list[Flowable] = []

    def figure(caption: str) -> Flowable:
        return KeepTogether([Spacer(1, 4), FigureBox(), Paragraph(_markup(caption), styles["caption"])])

    floats = [(caption, figure(caption)) for caption in captions]
    floats += [(caption, _table(caption, rows, width, styles)) for caption, rows in tables]
    for caption, flowable in floats:
        match = _FIGURE_NO.match(caption)
        cited = None
        if match:
            word = "Table" if match.group(1).lower() == "table" else "(?:Figure|Fig\\.?)"
            cite = re.compile(rf"\b{word}\s*{match.group(2)}(?!\d)", re.I)
            cited = next((i for i, b in enumerate(blocks) if cite.search(b)), None)
        if cited is None:
            trailing.append(flowable)
        else:
            pending.setdefault(cited, []).append(flowable)

    story: list[Flowable] = []
    for i, block in enumerate(blocks):
        story.extend(_paragraphs(block, styles))
        story.extend(pending.get(i, []))
    story.extend(trailing)
    return story


# --------------------------------------------------------------------------- documents


def _decorate(header: str | None, footer: bool, fonts: dict[str, str]):
    def on_page(canv, doc):
        canv.saveState()
        if header:
            canv.setFont(fonts["italic"], 8)
            canv.drawString(MARGIN, HEADER_Y, header)
            canv.setLineWidth(0.4)
            canv.line(MARGIN, HEADER_Y - 3, PAGE_W - MARGIN, HEADER_Y - 3)
        if footer:
            canv.setFont(fonts["sans"], 8)
            canv.drawCentredString(PAGE_W / 2, FOOTER_Y, str(doc.page))
        canv.restoreState()

    return on_page


def _build(
    text: str,
    out,
    *,
    columns: int = 1,
    header: str | None = None,
    footer: bool = True,
    title: str | None = None,
    captions: Iterable[str] = (),
    tables: Iterable[tuple[str, list[list[str]]]] = (),
    hyphenate: bool = False,
    author: str = "casetable test corpus",
    fonts: dict[str, str] = STANDARD_FONTS,
    encrypt: StandardEncryption | None = None,
) -> None:
    if columns not in (1, 2):
        raise ValueError(f"columns must be 1 or 2, not {columns!r}")
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title or "",
        author=author,
        creator="casetable tests/pdfgen.py",
        subject="",
        invariant=1,
        encrypt=encrypt,
    )
    x0, y0 = MARGIN, MARGIN
    width, height = PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN
    on_page = _decorate(header, footer, fonts)
    styles = _styles(fonts)
    if hyphenate:
        styles["body"] = ParagraphStyle("body-hyphenated", parent=styles["body"], hyphenationLang=_hyphenation_points)

    story: list[Flowable] = []
    title_height = 0.0
    if title:
        title_para = Paragraph(escape(title), styles["title"])
        title_height = title_para.wrap(width, height)[1] + styles["title"].spaceAfter + 14

    def column_frames(prefix: str, top: float) -> list[Frame]:
        if columns == 1:
            return [Frame(x0, y0, width, top - y0, id=f"{prefix}1", leftPadding=0, rightPadding=0)]
        col_w = (width - GUTTER) / 2
        return [
            Frame(x0 + k * (col_w + GUTTER), y0, col_w, top - y0, id=f"{prefix}{k + 1}", leftPadding=0, rightPadding=0)
            for k in range(2)
        ]

    later = PageTemplate(id="later", frames=column_frames("col", y0 + height), onPage=on_page)
    if title:
        top = y0 + height
        title_frame = Frame(x0, top - title_height, width, title_height, id="title", leftPadding=0, rightPadding=0)
        first = PageTemplate(
            id="first", frames=[title_frame, *column_frames("first", top - title_height)], onPage=on_page
        )
        doc.addPageTemplates([first, later])
        story += [NextPageTemplate("later"), Paragraph(escape(title), styles["title"]), FrameBreak()]
    else:
        doc.addPageTemplates([later])
    column_width = width if columns == 1 else (width - GUTTER) / 2
    story += _story(text, captions, tables, styles, column_width)
    doc.build(story)


def make_pdf(
    text: str,
    out_path,
    *,
    columns: int = 1,
    header: str | None = None,
    footer: bool = True,
    title: str | None = None,
    captions: Iterable[str] = (),
    tables: Iterable[tuple[str, list[list[str]]]] = (),
    hyphenate: bool = False,
    author: str = "casetable test corpus",
) -> Path:
    """Lay ``text`` out as a journal article and write it to ``out_path``; return the path.

    ``tables``: (caption, rows of cells) pairs; ``author`` goes into the PDF's info dictionary
    (pass "" for a PDF that names no author there, as many publishers' PDFs do). The fonts are
    embedded TrueType fonts (``unicode_fonts``), as in publishers' PDFs.
    """
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    _build(text, str(out), columns=columns, header=header, footer=footer, title=title, captions=captions,
           tables=tables, hyphenate=hyphenate, author=author, fonts=unicode_fonts())
    return out


def make_encrypted_pdf(text: str, out_path, password: str) -> Path:
    """A PDF that opens only with ``password`` (user password; 128-bit RC4)."""
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    encryption = StandardEncryption(password, ownerPassword=password + "-owner", strength=128)
    _build(text, str(out), encrypt=encryption)
    return out


def make_no_text_pdf(out_path) -> Path:
    """A one-page PDF with drawn shapes only: no text layer at all (like an unscanned image page)."""
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    c = rl_canvas.Canvas(str(out), pagesize=A4, invariant=1)
    c.setFillGray(0.85)
    c.rect(MARGIN, PAGE_H / 2, PAGE_W - 2 * MARGIN, PAGE_H / 3, stroke=1, fill=1)
    c.setFillGray(0.55)
    for k in range(12):  # grey "lines" that look like text but are only rectangles
        c.rect(MARGIN, PAGE_H / 2 - 20 - k * 14, (PAGE_W - 2 * MARGIN) * (0.6 + 0.03 * (k % 5)), 6, stroke=0, fill=1)
    c.showPage()
    c.save()
    return out


def make_corrupt_pdf(out_path, text: str = "A 40-year-old man was treated with crizotinib.") -> Path:
    """The first ~40% of a valid PDF's bytes: header present, body cut off, no xref or trailer."""
    buffer = io.BytesIO()
    _build(text * 20, buffer)
    data = buffer.getvalue()
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data[: int(len(data) * 0.4)])
    return out


# --------------------------------------------------------------------------- corpus PDFs


def read_source(path: Path) -> tuple[str, dict]:
    """Split a ``.source.md`` file into body text and make_pdf options from its front matter."""
    raw = path.read_text(encoding="utf-8")
    options: dict = {"captions": []}
    match = re.match(r"---\n(.*?)\n---\n", raw, re.S)
    if match:
        raw = raw[match.end():]
        for line in match.group(1).splitlines():
            key, _, value = line.partition(":")
            key, value = key.strip().lower(), value.strip()
            if key == "caption":
                options["captions"].append(value)
            elif key == "columns":
                options["columns"] = int(value)
            elif key == "footer":
                options["footer"] = value.lower() not in ("no", "false", "0")
            elif key in ("title", "header"):
                options[key] = value
            elif key:
                raise ValueError(f"{path}: unknown front-matter key {key!r}")
    return raw, options


def build_corpus(check: bool = False) -> int:
    """Regenerate (or, with ``check``, compare) every corpus PDF; return the number out of date."""
    stale = 0
    for source in sorted(SOURCE_DIR.glob("*" + SOURCE_SUFFIX)):
        name = source.name[: -len(SOURCE_SUFFIX)]
        target = REPORTS_DIR / f"{name}.pdf"
        text, options = read_source(source)
        buffer = io.BytesIO()
        _build(text, buffer, **options)
        fresh = buffer.getvalue()
        current = target.read_bytes() if target.exists() else None
        if check:
            if fresh != current:
                stale += 1
                print(f"out of date: {target.relative_to(ROOT)}")
        elif fresh != current:
            target.write_bytes(fresh)
            print(f"wrote {target.relative_to(ROOT)}")
        else:
            print(f"unchanged {target.relative_to(ROOT)}")
    return stale


if __name__ == "__main__":
    sys.exit(1 if build_corpus(check="--check" in sys.argv[1:]) else 0)
