"""A pdfminer page aggregator that builds its characters cheaply, for the same layout analysis.

pdfminer spends a good part of its time making one ``LTChar`` per printed glyph: for each one it
calls ``render_char`` with a freshly translated matrix, asks the font for the glyph's text, width
and descent, and pushes the glyph box through the matrix corner by corner. In running text nearly
every glyph repeats (same font, size and code) and the text matrix only moves the glyph along the
line, so this device walks each string itself, remembers each glyph's text, advance and vertical
extent, and places the box with the few multiplications an unrotated matrix needs. Anything else
(vertical writing, rotated or skewed text, non-finite sizes) is left to pdfminer's own code.
pdfminer's layout analysis then runs unchanged on the result.
"""

from __future__ import annotations

from math import isfinite
from typing import NamedTuple

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar
from pdfminer.pdfcolor import PDFColorSpace
from pdfminer.pdfdevice import PDFTextSeq
from pdfminer.pdffont import PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFGraphicState
from pdfminer.utils import Matrix, Point, translate_matrix


class Glyph(NamedTuple):
    """One glyph of one font at one size, scaling and rise, as ``LTChar`` derives it: its text, the
    font's name, its advance, and its bottom and top edges in text space."""

    text: str
    fontname: str
    adv: float
    bottom: float
    top: float


class Char(LTChar):
    """An ``LTChar`` built from a cached ``Glyph`` (see ``Char.from_glyph``)."""

    @classmethod
    def from_glyph(cls, glyph: Glyph, matrix: Matrix, scaling: float, ncs: PDFColorSpace,
                graphicstate: PDFGraphicState) -> Char:
        """The character ``LTChar(matrix, ...)`` would make, for a matrix without rotation or skew.

        ``LTChar`` maps the four corners of the box (0, bottom, adv, top) and takes their minimum
        and maximum. With b == c == 0 and finite a, d, bottom, top and adv, the two left corners
        map to the same x, the two right ones to the same x, the two lower ones to the same y and
        the two upper ones to the same y, so one corner of each pair, computed with pdfminer's own
        expression, and one comparison give pdfminer's bounds exactly.
        """
        a, b, c, d, e, f = matrix
        text, fontname, adv, bottom, top = glyph
        left = a * 0 + c * bottom + e
        right = a * adv + c * bottom + e
        low = b * 0 + d * bottom + f
        high = b * adv + d * top + f
        x0, x1 = (right, left) if right < left else (left, right if right > left else left)
        y0, y1 = (high, low) if high < low else (low, high if high > low else low)
        char = cls.__new__(cls)
        char._text = text
        char.matrix = matrix
        char.fontname = fontname
        char.ncs = ncs
        char.graphicstate = graphicstate
        char.adv = adv
        char.upright = a * d * scaling > 0 and b * c <= 0
        char.x0 = x0
        char.y0 = y0
        char.x1 = x1
        char.y1 = y1
        char.width = x1 - x0
        char.height = char.size = y1 - y0
        char.bbox = (x0, y0, x1, y1)
        return char


class CharAggregator(PDFPageAggregator):
    """``PDFPageAggregator`` whose pages hold ``Char``s; one per document (the glyph cache keeps
    the document's fonts)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._glyphs: dict[tuple[PDFFont, float, float, float], dict[int, Glyph | None]] = {}

    def render_string_horizontal(self, seq: PDFTextSeq, matrix: Matrix, pos: Point, font: PDFFont,
                                 fontsize: float, scaling: float, charspace: float, wordspace: float,
                                 rise: float, dxscale: float, ncs: PDFColorSpace,
                                 graphicstate: PDFGraphicState) -> Point:
        """pdfminer's walk along a string (kerning, character and word spacing), with each glyph
        taken from the cache and its character made by ``Char.from_glyph``.

        Glyphs are cached by font, size, scaling and rise, then code; values that compare equal
        share an entry (a size of 10 and of 10.0 give the same floats; 0.0 and -0.0 could at most
        flip the sign of a zero). A string under a matrix with rotation or skew (b or c not 0) or a
        non-finite one, or holding something pdfminer warns about, goes through pdfminer's own
        walk; a glyph ``_glyph`` leaves out, through pdfminer's ``render_char`` (a plain LTChar).
        """
        a, b, c, d, e, f = matrix
        if b != 0 or c != 0 or not isfinite(a * d) \
                or not all(isinstance(obj, (int, float, bytes)) for obj in seq):
            return super().render_string_horizontal(seq, matrix, pos, font, fontsize, scaling, charspace,
                                                    wordspace, rise, dxscale, ncs, graphicstate)
        glyphs = self._glyphs.setdefault((font, fontsize, scaling, rise), {})
        add = self.cur_item.add
        x, y = pos
        needcharspace = False
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
                continue
            for cid in font.decode(obj):
                if needcharspace:
                    x += charspace
                try:
                    glyph = glyphs[cid]
                except KeyError:
                    glyph = glyphs[cid] = self._glyph(font, cid, fontsize, scaling, rise)
                if glyph is None:
                    x += self.render_char(translate_matrix(matrix, (x, y)), font, fontsize, scaling, rise, cid,
                                          ncs, graphicstate)
                else:
                    add(Char.from_glyph(glyph, (a, b, c, d, x * a + y * c + e, x * b + y * d + f), scaling,
                                        ncs, graphicstate))
                    x += glyph.adv
                if cid == 32 and wordspace:
                    x += wordspace
                needcharspace = True
        return (x, y)

    def _glyph(self, font: PDFFont, cid: int, fontsize: float, scaling: float, rise: float) -> Glyph | None:
        """The glyph as pdfminer's render_char and LTChar compute it (for a horizontal font); None
        where ``Char.from_glyph`` does not apply (a non-finite size)."""
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        if not isinstance(text, str):  # pdfminer's render_char fails on it: let it say so
            return None
        adv = font.char_width(cid) * fontsize * scaling
        descent = font.get_descent() * fontsize
        bottom, top = descent + rise, descent + rise + fontsize
        if not (isfinite(adv) and isfinite(bottom) and isfinite(top)):
            return None
        return Glyph(text, font.fontname, adv, bottom, top)
