"""Intervals answer as the scans over ranges they replace: half-open ranges, which may overlap."""

from __future__ import annotations

import random

from extractor.intervals import Intervals


def test_half_open_ranges():
    ranges = Intervals([(10, 20), (0, 3)])
    assert 0 in ranges and 19 in ranges
    assert 3 not in ranges and 20 not in ranges and 9 not in ranges
    assert ranges.overlaps(19, 25) and not ranges.overlaps(20, 25) and not ranges.overlaps(3, 10)


def test_a_long_range_reaches_past_shorter_ones_after_its_start():
    ranges = Intervals([(0, 100), (5, 6)])
    assert ranges.overlaps(50, 51)
    assert 99 in ranges


def test_no_ranges():
    assert 0 not in Intervals([]) and not Intervals([]).overlaps(0, 10)


def test_same_answers_as_a_scan_of_every_range():
    rng = random.Random(5)
    for _ in range(200):
        pairs = [(s, s + rng.randint(1, 15)) for s in (rng.randint(0, 60) for _ in range(rng.randint(0, 8)))]
        ranges = Intervals(pairs)
        for start in range(0, 80):
            end = start + rng.randint(1, 5)
            assert ranges.overlaps(start, end) == any(s < end and start < e for s, e in pairs)
            assert (start in ranges) == any(s <= start < e for s, e in pairs)
