"""Screened regexes: the words every match holds, derived from the pattern, and the screen built on them."""

from __future__ import annotations

import re

import pytest

from extractor.regex_screen import Screened, case_folded, required_words


@pytest.mark.parametrize("pattern, clauses", [
    (r"\bIHC\s+for\s+(?P<b>[A-Z]+)", [{"ihc"}, {"for"}]),
    (r"re-?arranged|translocat(?:ed|ion)", [{"arranged", "translocat"}]),
    (r"wild[- ]?type\s+(?:for|of)", [{"wild"}, {"type"}, {"for", "of"}]),
    (r"(?:negative)?\s*[A-Z]+", []),
    (r"[A-Z]+(?:-[A-Z]+)+", [{"-"}]),
    (r"[A-Z]+(?:[-–/][A-Z]+)+", [{"-", "–", "/"}]),
    (r"[A-Z]+(?:[^a-z][A-Z]+)+", []),
    (r"PDGFRβ", [{"pdgfr"}]),
])
def test_required_words_every_match_holds(pattern: str, clauses: list[set[str]]) -> None:
    found = required_words(re.compile(pattern, re.IGNORECASE))
    assert set(found) == {frozenset(c) for c in clauses} and len(found) == len(clauses)


def test_screened_regexes_never_skip_a_sentence_they_match() -> None:
    """Case-blind matches through non-ASCII characters (KELVIN SIGN, long s) still pass the screen."""
    regex = Screened.compile(r"\bfusion\b|\bALK\b", re.IGNORECASE)
    for text in ["EML4-ALK FUSION", "fu\u017fion", "AL\u212a", "ALK\u2011positive"]:
        assert regex.regex.search(text) and regex.may_match(case_folded(text)), text
    assert not regex.may_match(case_folded("no such word here"))
