"""OpeningScan: the matches of a regex that opens with optional items, found from its core first."""

from __future__ import annotations

import random
import re

import pytest

from extractor.regex_rules import load_rules
from extractor.regex_starts import BoundaryScan, OpeningScan

_PIECES = ["daily ", "weekly ", "twice daily ", "b.i.d. ", "paclitaxel ", "cisplatin at ", "dose of ", "80 mg",
           " mg/m2 ", "AUC 5 ", "5 AUC", "  ", "\n", "more than ", "over ", "an additional ", "further ", "3 ",
           "three ", "months", " cycles", "-", "period ", "q3w ", "every 3 weeks ", "12", ".", ",",
           "weeks pregnant ", "at least ", ">", "≥", "ongoing", "S-1 ", "5-FU ", "aged ", "caged ", "patient, ",
           "Man (", "woman, 45 ", "-year-old ", "years of age", "A549 ", "x23 ", "two patients ", "case series"]


def _texts(count: int) -> list[str]:
    chance = random.Random(14)
    return [
        "She received weekly paclitaxel 80 mg/m2, then carboplatin AUC 5 on day 1 every 3 weeks for 6 cycles.",
        "After a long period cisplatin 75 mg/m2 was given daily 100 mg for more than 13 cycles.",
        *("".join(chance.choice(_PIECES) for _ in range(chance.randint(1, 25))) for _ in range(count)),
    ]


@pytest.mark.parametrize("rules_file, kind", [("doses.jsonl", OpeningScan), ("durations.jsonl", OpeningScan),
                                              ("durations.jsonl", BoundaryScan), ("ages.jsonl", BoundaryScan),
                                              ("patient_series.jsonl", BoundaryScan)])
def test_the_scan_finds_the_matches_finditer_finds(rules_file: str, kind: type) -> None:
    scans = [rule.search.scan for rule in load_rules(rules_file) if isinstance(rule.search.scan, kind)]
    assert scans, "rules that open with optional items, or with \\b before letters, are scanned from their core"
    for text in _texts(400):
        for scan in scans:
            expected = [(m.span(), m.groupdict()) for m in scan.regex.finditer(text)]
            assert [(m.span(), m.groupdict()) for m in scan.finditer(text)] == expected, text


def test_a_match_keeps_its_optional_opening() -> None:
    scan = OpeningScan.of(re.compile(r"(?:(?P<lead>daily|weekly)\s{1,8})?(?P<value>\d+)\s*mg", re.I))
    assert scan is not None and scan.reach > len("weekly ")
    assert [m.group(0) for m in scan.finditer("given weekly 80 mg, then 40 mg")] == ["weekly 80 mg", "40 mg"]


@pytest.mark.parametrize("pattern", [
    r"\d+\s*mg",  # no optional opening
    r"(a)?b\1",  # the core refers back to a group of the opening
    r"(?:x)?y*",  # the core can match nothing
    r"\bweekly\s*(\d+)?",  # an assertion first: the regex does not match wherever the core does
    r"(?:weekly\s+)?\d+",  # an opening of unbounded length (the rule files' repeats are bounded)
])
def test_regexes_the_scan_does_not_split(pattern: str) -> None:
    assert OpeningScan.of(re.compile(pattern)) is None


def test_a_boundary_scan_tries_each_place_of_its_core() -> None:
    scan = BoundaryScan.of(re.compile(r"\baged\s+\d+"))  # case-sensitive, as the rules' folded twins are
    assert scan is not None
    assert [m.group(0) for m in scan.finditer("caged 3, a man aged 61, aged 7")] == ["aged 61", "aged 7"]
    assert BoundaryScan.of(re.compile(r"\baged\s+\d+", re.I)) is None  # re looks for no case-blind letters in C


@pytest.mark.parametrize("pattern", [
    r"aged\s+\d+",  # no word boundary first
    r"\b(?:\d+|aged)\s",  # a core with nothing to look for in C (a class in one branch)
    r"\b\s*",  # a core that can match nothing
])
def test_regexes_the_boundary_scan_does_not_split(pattern: str) -> None:
    assert BoundaryScan.of(re.compile(pattern)) is None
