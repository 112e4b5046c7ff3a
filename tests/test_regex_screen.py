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


@pytest.mark.parametrize("text", [
    "Carboplatin AUC 5 and paclitaxel 175 mg/m2 every 3 weeks.",
    "carboplatin (5 auc) was given; at a gestational age of 30 weeks she stopped.",
    "At a ge\u017ftational age of 30 weeks she stopped.",  # long s: a case-blind "s", no ASCII "gestation"
    "She is 34 weeks pregnant; still on therapy at 3 months after the start.",
    "A 48-year-old woman; ongoing at 9 months.",
])
@pytest.mark.parametrize("rules_file", ["doses.jsonl", "durations.jsonl", "ages.jsonl"])
def test_a_rule_files_screens_skip_no_match(rules_file: str, text: str) -> None:
    """find_all skips the rules whose words a text lacks: its matches are those of every rule run."""
    from extractor.regex_rules import find_all, load_rules

    every_rule = sorted(((m.start(), m.end()) for rule in load_rules(rules_file) for m in rule.regex.finditer(text)
                         if m.group(0).strip()), key=lambda span: (span[0], -span[1]))
    kept, last_end = [], -1
    for start, end in every_rule:
        if start >= last_end:
            kept.append((start, end))
            last_end = end
    assert [(m.start(), m.end()) for m in find_all(text, rules_file)] == kept


def test_a_case_blind_twin_passes_the_screen() -> None:
    from extractor.regex_rules import find_all

    text = "At a ge\u017ftational age of 30 weeks she stopped."  # long s, which a case-blind "s" matches
    assert [m.group(0) for m in find_all(text, "durations.jsonl")] == ["ge\u017ftational age of 30 weeks"]
