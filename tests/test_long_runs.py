"""Long runs that used to cost the square of their length: digits, brackets, hyphens, gene chains.

The issue's budget is 5 s for a 20,000-character run; each document here runs under a time limit
of that size, so a rule that turns quadratic again shows as a "time limit" error record.
"""

from __future__ import annotations

import random

import pytest

from extractor import extract_text
from extractor.linear_regex import bounded
from extractor.pipeline import default_pipeline
from extractor.readers import Limits

BUDGET = Limits(timeout=5)
CASE = "A 40-year-old man with a TPM3-ALK fusion received crizotinib 250 mg twice daily. "


@pytest.fixture(scope="module")
def nlp():
    nlp = default_pipeline()
    extract_text(CASE, nlp=nlp)  # loads the lexicons that load on first use, outside the budget
    return nlp


@pytest.mark.parametrize("run", ["1" * 20_000, "(" * 20_000, ")" * 20_000, "[(" * 10_000, "-" * 20_000,
                                 "1-" * 10_000, "ALK-" * 5_000, "ALK::" * 4_000, "TPM3-ALK-ROS1-" * 1_500,
                                 "12345 " * 3_400, " " * 20_000 + "1 mg", "R-" * 2_000 + "R"],
                         ids=lambda run: repr(run[:8]))
def test_a_long_run_finishes_within_the_budget_and_the_case_still_reads(nlp, run):
    report = extract_text(CASE + run + "\n\n" + CASE, "run", nlp, limits=BUDGET)
    assert not report.errors, report.errors
    treatment = report.patients[0].treatments[0]
    assert (report.patients[0].fusion, treatment.drug) == ("TPM3::ALK", "crizotinib")


def test_random_chains_of_the_characters_rules_repeat(nlp):
    rng = random.Random("chains")
    pieces = ["1", "0", ".", ",", "-", "–", "(", ")", "[", "]", "/", " ", "ALK", "ROS1", "::", "mg", "x", "×"]
    for _ in range(6):
        run = "".join(rng.choice(pieces) * rng.randint(1, 400) for _ in range(60))[:20_000]
        report = extract_text(CASE + run, "chain", nlp, limits=BUDGET)
        assert not report.errors, report.errors


def test_bounded_keeps_escapes_and_classes():
    assert bounded(r"\d+(?:[.,]\d+)?\s*mg") == r"\d{1,64}(?:[.,]\d{1,64})?\s{0,64}mg"
    assert bounded(r"[+*]+\+x*?") == r"[+*]{1,64}\+x{0,64}?"
    assert bounded(r"[]+]*[^]*]+\\+") == r"[]+]{0,64}[^]*]{1,64}\\{1,64}"
