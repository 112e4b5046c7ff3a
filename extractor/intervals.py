"""Character ranges asked "does any of you overlap this?" once per token or span of a document:
by bisection, so that the questions of a long document cost time linear in it, not its square."""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate
from typing import Iterable


class Intervals:
    """Half-open ranges [start, end), which may overlap one another."""

    def __init__(self, ranges: Iterable[tuple[int, int]]):
        ordered = sorted(ranges)
        self._starts = [start for start, _ in ordered]
        # The furthest end of the ranges up to each one: a range starting before ``end`` overlaps
        # [start, end) when any of them ends after ``start``.
        self._reach = list(accumulate((end for _, end in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a range overlaps [start, end)."""
        before_end = bisect_left(self._starts, end)
        return before_end > 0 and self._reach[before_end - 1] > start

    def __contains__(self, char: int) -> bool:
        """Whether a range holds the character at offset ``char``."""
        return self.overlaps(char, char + 1)
