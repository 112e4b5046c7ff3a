"""FoldedSearch: a case-blind rule matched case-sensitively over the case-folded text finds what
the rule finds in the text, with the groups as written; and the facts about case folding that
the module's proof rests on, checked for every code point."""

from __future__ import annotations

import random
import re
import sys

import pytest

from extractor.regex_folding import FoldedSearch
from extractor.regex_rules import load_rules
from extractor.regex_screen import case_folded

_PIECES = ["A 23-year-old ", "twenty-THREE-Year-Old ", "aged 61 ", "AT THE AGE OF 27 YEARS", "a Man, 45, ",
           "woman (52 yrs)", "6 Months of age", "14 y/o ", "ſix-year-old ", "Kelvin 5 \u212a ", "İ ", "ı ",
           "received PACLITAXEL 80 mg/m2 ", "weekly ", "Twice Daily ", "AUC 5 ", "5 µg/kg ", "5 μg/KG ",
           "5 \u039cG ", "for 6 Cycles", "more than 13 CYCLES ", "over 5 MONTHS ", "ongoing ", "ΣΑΣ ", "σ ς ",
           "\u00c5 ", "\u2010", "–", "\n", "  ", ".", ",", "(", ")", "12", "three ", "Three ", "THREE "]
_RULE_FILES = ["ages.jsonl", "durations.jsonl", "doses.jsonl"]


def _texts(count: int) -> list[str]:
    chance = random.Random(6)
    return ["".join(chance.choice(_PIECES) for _ in range(chance.randint(1, 30))) for _ in range(count)]


@pytest.mark.parametrize("rules_file", _RULE_FILES)
def test_the_folded_search_finds_the_rules_matches(rules_file: str) -> None:
    rules = load_rules(rules_file)
    assert any(rule.search.folded is not None for rule in rules)
    for text in _texts(300):
        folded = case_folded(text)
        assert len(folded) == len(text)
        for rule in rules:
            expected = [(m.span(), m.groupdict()) for m in rule.regex.finditer(text)]
            assert [(m.span(), m.groupdict()) for m in rule.search.finditer(text, folded)] == expected, text


def test_groups_hold_the_text_as_written() -> None:
    search = FoldedSearch.of(re.compile(r"(?P<value>\d+)[- ](?P<unit>years?)[- ]old", re.I))
    text = "A 23-YEAR-OLD Man"
    assert search.folded is not None
    assert [m.group("unit") for m in search.finditer(text, case_folded(text))] == ["YEAR"]


def test_a_folded_text_of_another_length_gets_the_regex_as_it_is() -> None:
    """Not a case_folded text: the rule's own matches, not those of its twin's scan over the text."""
    search = FoldedSearch.of(re.compile(r"(?:(?:more than|over)\s{0,9})?\d+ MONTHS", re.I))
    assert search.folded is not None and search.scan is not None
    text = "More than 5 Months"
    assert [m.group(0) for m in search.finditer(text, "other length")] == ["More than 5 Months"]


@pytest.mark.parametrize("pattern", [
    r"\d+\s*µg",  # 'µ' also matches 'μ' and 'Μ', which fold apart
    r"[A-z]+",  # a range across the cases
    r"(?-i:Mg)",  # an inline case flag
    r"(a)\1",  # a back reference
])
def test_patterns_that_are_run_as_they_are(pattern: str) -> None:
    assert FoldedSearch.of(re.compile(pattern, re.I)).folded is None


def test_a_case_sensitive_regex_is_run_as_it_is() -> None:
    assert FoldedSearch.of(re.compile(r"CR")).folded is None


@pytest.fixture(scope="module")
def characters() -> tuple[str, str]:
    """Every code point: the cased ones (upper or lower case differs) and the rest."""
    every = [chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF]
    cased = "".join(c for c in every if c.lower() != c or c.upper() != c)
    uncased = "".join(c for c in every if c.lower() == c == c.upper())
    return cased, uncased


def test_folding_leaves_every_uncased_character_as_it_is(characters: tuple[str, str]) -> None:
    """No uncased character matches an ASCII letter when case is ignored, so case_folded, which
    replaces only those and lower-cases the rest, leaves them all as they are."""
    cased, uncased = characters
    assert re.search(r"[a-z]", uncased, re.I) is None
    assert case_folded(uncased[:5000]) == uncased[:5000]


def test_folding_keeps_the_length_of_every_character(characters: tuple[str, str]) -> None:
    cased, _ = characters
    assert len(case_folded(cased)) == len(cased)


def test_a_character_matches_an_ascii_letter_case_blind_exactly_when_it_folds_to_it(
        characters: tuple[str, str]) -> None:
    cased, _ = characters
    folded = case_folded(cased)
    matching = [m.start() for m in re.finditer(r"[a-z]", cased, re.I)]
    assert [m.start() for m in re.finditer(r"[a-z]", folded)] == matching
    for position in matching:
        letters = [a for a in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(a, cased[position], re.I)]
        assert letters == [folded[position]]


@pytest.mark.parametrize("category", [r"\w", r"\d", r"\s"])
def test_folding_keeps_the_categories(characters: tuple[str, str], category: str) -> None:
    cased, _ = characters
    folded = case_folded(cased)
    assert [m.start() for m in re.finditer(category, folded)] == [m.start() for m in re.finditer(category, cased)]


def test_folding_keeps_cased_characters_cased(characters: tuple[str, str]) -> None:
    """A cased character never folds into an uncased one, the literals a folded pattern keeps as they are."""
    cased, _ = characters
    for original, changed in zip(cased, case_folded(cased)):
        assert changed.lower() != changed.upper() or changed.isascii(), (original, changed)
