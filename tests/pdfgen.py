"""Make journal-like PDFs for tests and for the example corpus (reportlab).

The PDFs imitate what casetable meets in real papers: a title, paragraphs, headings on their own
lines, an optional running header on every page, a page number in the footer, figure captions in a
small font between paragraphs, and one or two text columns.  Output is deterministic (reportlab's
``invariant`` mode), so regenerating a file gives the same bytes.

Input text: blocks separated by blank lines become paragraphs; a line break inside a block is kept as
a line break.  A block that is a single short line without end punctuation (``Case presentation``,
``2 | CASE DESCRIPTION``, ``Patient 1``) or that starts with ``#`` is set as a heading.

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

STYLES = {
    "title": ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=15, leading=19, spaceAfter=10),
    "heading": ParagraphStyle(
        "heading", fontName="Helvetica-Bold", fontSize=10.5, leading=13, spaceBefore=8, spaceAfter=4
    ),
    "body": ParagraphStyle(
        "body", fontName="Times-Roman", fontSize=10, leading=12.5, alignment=TA_LEFT, spaceAfter=6
    ),
    "caption": ParagraphStyle(
        "caption", fontName="Helvetica", fontSize=7.5, leading=9, alignment=TA_LEFT, spaceBefore=3, spaceAfter=8
    ),
}

_LIST_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*\u2022])\s+")
_FIGURE_NO = re.compile(r"^\s*(?:Figure|Fig\.?)\s*(\d+)", re.I)


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


def _paragraphs(block: str) -> list[Flowable]:
    if _is_heading(block):
        return [Paragraph(escape(block.lstrip("#").strip()), STYLES["heading"])]
    lines = block.split("\n")
    if len(lines) > 1 and all(_LIST_ITEM.match(line) for line in lines):
        return [Paragraph(escape(line.strip()), STYLES["body"]) for line in lines]
    return [Paragraph("<br/>".join(escape(line.strip()) for line in lines), STYLES["body"])]


def _story(text: str, captions: Iterable[str]) -> list[Flowable]:
    """Paragraph flowables, with each caption placed after the first paragraph citing its figure."""
    blocks = _blocks(text)
    pending: dict[int, list[str]] = {}
    trailing: list[str] = []
    for caption in captions:
        match = _FIGURE_NO.match(caption)
        cited = None
        if match:
            cite = re.compile(rf"\b(?:Figure|Fig\.?)\s*{match.group(1)}(?!\d)", re.I)
            cited = next((i for i, b in enumerate(blocks) if cite.search(b)), None)
        if cited is None:
            trailing.append(caption)
        else:
            pending.setdefault(cited, []).append(caption)

    def figure(caption: str) -> Flowable:
        return KeepTogether([Spacer(1, 4), FigureBox(), Paragraph(escape(caption), STYLES["caption"])])

    story: list[Flowable] = []
    for i, block in enumerate(blocks):
        story.extend(_paragraphs(block))
        story.extend(figure(c) for c in pending.get(i, []))
    story.extend(figure(c) for c in trailing)
    return story


# --------------------------------------------------------------------------- documents


def _decorate(header: str | None, footer: bool):
    def on_page(canv, doc):
        canv.saveState()
        if header:
            canv.setFont("Helvetica-Oblique", 8)
            canv.drawString(MARGIN, HEADER_Y, header)
            canv.setLineWidth(0.4)
            canv.line(MARGIN, HEADER_Y - 3, PAGE_W - MARGIN, HEADER_Y - 3)
        if footer:
            canv.setFont("Helvetica", 8)
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
        author="casetable test corpus",
        creator="casetable tests/pdfgen.py",
        subject="",
        invariant=1,
        encrypt=encrypt,
    )
    x0, y0 = MARGIN, MARGIN
    width, height = PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN
    on_page = _decorate(header, footer)

    story: list[Flowable] = []
    title_height = 0.0
    if title:
        title_para = Paragraph(escape(title), STYLES["title"])
        title_height = title_para.wrap(width, height)[1] + STYLES["title"].spaceAfter + 14

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
        story += [NextPageTemplate("later"), Paragraph(escape(title), STYLES["title"]), FrameBreak()]
    else:
        doc.addPageTemplates([later])
    story += _story(text, captions)
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
) -> Path:
    """Lay ``text`` out as a journal article and write it to ``out_path``; return the path."""
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    _build(text, str(out), columns=columns, header=header, footer=footer, title=title, captions=captions)
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
