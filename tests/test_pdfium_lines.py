"""The pdfium engine's lines of several sizes, read all of a page's at once, say what reading them
one by one says: the rule, written out here line by line, on generated pages.

The rule (``_mixed_lines``): a line's size is its most common character size, the smallest at a
tie; a gap between two characters wider than 0.16 of that size is a space, except before a
hyphen that ends the line; characters much smaller than the size and above the baseline (the
median bottom of the characters of that size) are superscripts, and a citation marker among them
is dropped; the line is bold when the first character of its size is; its cells are the gaps wider
than the size.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter

import numpy as np

from extractor.readers import pdfium_engine
from extractor.readers.layout import normalize_characters
from extractor.readers.pdfium_engine import PageChars, Run, _mixed_lines, _OpenLine, _without_superscripts
from extractor.readers.pdfpages import SUPERSCRIPT_SIZE, Line

_SIZES = (5.7, 5.8, 6.9, 7.9, 8.1, 10.5, 4.0, 3.2)
_LETTERS = "abcdeftrn1234,.-"


def _bold(position: int) -> bool:
    return position % 3 == 0  # stands for the font's weight: any rule of the character will do


def _one_line(line: _OpenLine, chars: PageChars) -> Line | None:
    """The rule of the module doc for one line, in plain Python."""
    order = [i for run in sorted(line.runs, key=lambda r: r.x0) for i in range(run.start, run.end)]
    sizes = [float(chars.size[i]) for i in order]
    counts = Counter(sizes)
    size = min(value for value, count in counts.items() if count == max(counts.values()))
    gaps = [float(chars.x0[b]) - float(chars.x1[a]) for a, b in zip(order, order[1:])]
    letters = "".join(chars.text[i] for i in order)
    spaced = {k for k, gap in enumerate(gaps, 1) if gap > 0.16 * size}
    if len(letters) - 1 in spaced and letters[-1] == "-":
        spaced.discard(len(letters) - 1)
    text = "".join(" " + letter if k in spaced else letter for k, letter in enumerate(letters))
    if min(sizes) < SUPERSCRIPT_SIZE * size:
        baseline = statistics.median([float(chars.y0[i]) for i, s in zip(order, sizes) if s == size])
        raised = [s < SUPERSCRIPT_SIZE * size and float(chars.y0[i]) > baseline + 0.15 * size
                  for i, s in zip(order, sizes)]
        if any(raised):
            text = _without_superscripts(letters, spaced, raised)
    text = normalize_characters(text).strip()
    if not text:
        return None
    return Line(text, min(r.x0 for r in line.runs), line.y0, max(r.x1 for r in line.runs), line.y1, size,
                _bold(order[sizes.index(size)]), sum(gap > size for gap in gaps))


def _page(seed: int) -> tuple[PageChars, list[_OpenLine]]:
    """Lines of runs of characters of mixed sizes, some raised, at gaps from touching to wide."""
    rng = random.Random(seed)
    text: list[str] = []
    boxes: list[tuple[float, float, float, float, float]] = []
    lines = []
    y = 800.0
    for _ in range(rng.randint(1, 12)):
        runs = []
        x = 72.0
        for _ in range(rng.randint(1, 4)):
            start = len(text)
            for _ in range(rng.randint(1, 9)):
                size = rng.choice(_SIZES)
                bottom = y + (rng.choice((0.0, 0.0, 3.0)) if size < 5 else rng.choice((0.0, -0.4, 0.2)))
                width = rng.uniform(2.0, 6.0)
                text.append(rng.choice(_LETTERS))
                boxes.append((x, bottom, x + width, bottom + size, size))
                x += width + rng.choice((0.0, 0.3, 0.9, 1.4, 2.5, 9.0))
            end = len(text)
            x0 = min(b[0] for b in boxes[start:end])
            x1 = max(b[2] for b in boxes[start:end])
            runs.append(Run(start, end, x0, y, x1, y + 8, "", 8.0, True, 0))
            x += rng.uniform(0.0, 12.0)
        rng.shuffle(runs)  # storage order need not be reading order
        lines.append(_OpenLine(runs, y - 0.4, y + 10.5))
        y -= 14
    columns = np.array(boxes, dtype=float).T
    chars = PageChars("".join(text), list(range(len(text))), columns[0], columns[1], columns[2], columns[3], columns[4])
    return chars, lines


def test_a_pages_mixed_lines_read_together_are_read_as_one_by_one(monkeypatch):
    monkeypatch.setattr(pdfium_engine, "_bold_at", lambda chars, position, textpage, fonts: _bold(position))
    markers = 0
    for seed in range(300):
        chars, lines = _page(seed)
        expected = [_one_line(line, chars) for line in lines]
        ordered = [(line, sorted(line.runs, key=lambda r: r.x0)) for line in lines]
        assert _mixed_lines(ordered, chars, None, {}) == expected, f"page {seed}"
        markers += sum(len(chars.text[r.start:r.end]) for line in lines for r in line.runs) - sum(
            len(made.text.replace(" ", "")) for made in expected if made is not None)
    assert markers > 100, "the generated pages hold superscript markers to drop"


def test_superscript_markers_are_dropped_and_the_size_is_the_most_common(monkeypatch):
    """A hand-made line: "response" at 8.1 with a raised "12" marker, one wider letter gap."""
    letters = "response12"
    x = np.array([0, 4, 8, 12, 16, 20, 24, 28, 33.0, 36.0])
    chars = PageChars(letters, list(range(10)), x, np.array([0.0] * 8 + [4.0, 4.0]), x + 4,
                      np.array([8.1] * 8 + [7.0, 7.0]), np.array([8.1] * 8 + [3.0, 3.0]))
    line = _OpenLine([Run(0, 10, 0.0, 0.0, 40.0, 8.1, "", 8.1, True, 0)], 0.0, 8.1)
    monkeypatch.setattr(pdfium_engine, "_bold_at", lambda chars, position, textpage, fonts: False)
    (made,) = _mixed_lines([(line, line.runs)], chars, None, {})
    assert made is not None and made.text == "response" and made.size == 8.1
