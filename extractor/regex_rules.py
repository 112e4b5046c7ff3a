"""Regex rule files (patterns/*.jsonl with named groups) for forms that tokens do not capture.

Numeric forms such as "23-year-old", "250 mg/m2 on days 1-5" or ">13 cycles" cross token
boundaries in scispaCy's tokenizer, so their components match on the document text and turn the
matches into spans. Placeholders let rule files share vocabularies kept as data:
``{NUM}`` (patterns/numbers.tsv), ``{ROUTE}``, ``{FREQ}``, ``{SCHEDULE}`` (patterns/dose_parts.tsv).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from .annotations import doc_folded, doc_text, register_extensions
from .linear_regex import bounded
from .regex_folding import FoldedSearch
from .regex_screen import Screened, case_folded, required_words, telling
from .rules import read_jsonl, read_tsv, row_format

REGEX_ROW = row_format("label pattern")
DOSE_PART_ROW = row_format("part regex", "norm", part="route frequency schedule filler")


@lru_cache(maxsize=1)
def number_words() -> dict[str, float]:
    return {row["word"]: float(row["value"]) for row in read_tsv("numbers.tsv")}


@lru_cache(maxsize=1)
def dose_parts() -> list[tuple[str, re.Pattern[str], str]]:
    """(part, regex, normalised value) for routes, frequencies and schedules."""
    return [(row["part"], re.compile(bounded(_expand(row["regex"], {})), re.I), row.get("norm", ""))
            for row in read_tsv("dose_parts.tsv", DOSE_PART_ROW)]


def word_trie(words: list[str]) -> str:
    """An alternation of words as a prefix tree: "s(?:even(?:t(?:een|y))?|ix...)".

    Python's ``re`` tries every branch of a flat alternation at every position of the text, and
    these rules are tried at every position; a tree tries one branch per first letter. It matches
    the same words with the same preference as the flat alternation sorted longest first: at each
    node the longer continuations are tried before the word that ends there.
    """
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def branch(node: dict[str, dict]) -> str:
        alternatives = [re.escape(char) + branch(child) for char, child in sorted(node.items()) if char]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(root)


def _num_alternation() -> str:
    return r"(?:\d+(?:\.\d+)?|" + word_trie(list(number_words())) + ")"


def _expand(pattern: str, extra: dict[str, str]) -> str:
    pattern = pattern.replace("{NUM}", _num_alternation())
    for key, value in extra.items():
        pattern = pattern.replace("{" + key + "}", value)
    return pattern


@lru_cache(maxsize=1)
def _dose_placeholders() -> dict[str, str]:
    rows = read_tsv("dose_parts.tsv", DOSE_PART_ROW)
    joined = {part: "|".join(f"(?:{r['regex']})" for r in rows if r["part"] == part)
              for part in ("route", "frequency", "schedule")}
    return {"ROUTE": joined["route"], "FREQ": joined["frequency"],
            "SCHEDULE": _expand(joined["schedule"], {})}


@dataclass(frozen=True)
class RegexRule:
    """A row of a rule file: its label, its regex with the words every match holds, and how to
    find its matches fast: in the case-folded text (``regex_folding``), from its core where it
    opens with optional items or a word boundary (``regex_starts``)."""

    label: str
    screened: Screened
    search: FoldedSearch

    @property
    def regex(self) -> re.Pattern[str]:
        return self.screened.regex

    def finditer(self, text: str, folded: str) -> Iterator[re.Match[str]]:
        """``regex.finditer(text)``; nothing where ``folded`` (the text ``case_folded``) lacks the
        words every match holds."""
        if not self.screened.may_match(folded):
            return iter(())
        return self.search.finditer(text, folded)


def _rule(label: str, pattern: str) -> RegexRule:
    regex = re.compile(bounded(_expand(pattern, _dose_placeholders())), re.I)
    return RegexRule(label, Screened(regex, tuple(filter(telling, required_words(regex)))), FoldedSearch.of(regex))


@lru_cache(maxsize=None)
def load_rules(filename: str) -> tuple[RegexRule, ...]:
    return tuple(_rule(row["label"], row["pattern"]) for row in read_jsonl(filename, REGEX_ROW))


def find_all(text: str, filename: str, folded: str | None = None) -> Iterator[re.Match[str]]:
    """Non-overlapping matches of all rules of a file, leftmost first, longest at a tie.

    A rule is not run over a text that lacks a word each of its matches holds ("AUC", "gestation"):
    a scan costs about as much whether it finds anything or not. ``folded`` is the text
    ``case_folded``, where the caller has it (``doc_folded``).
    """
    rules = load_rules(filename)
    if folded is None:
        folded = case_folded(text)
    matches = [m for rule in rules for m in rule.finditer(text, folded) if m.group(0).strip()]
    matches.sort(key=lambda m: (m.start(), -(m.end() - m.start())))
    last_end = -1
    for match in matches:
        if match.start() >= last_end:
            last_end = match.end()
            yield match


def label_of(filename: str, match: re.Match[str]) -> str:
    """The label of the rule of a file that made a match (a rule file may hold blocking rows)."""
    return next(rule.label for rule in load_rules(filename) if rule.regex is match.re)


def to_number(value: str | None) -> float | None:
    """'27' -> 27.0, 'six' -> 6.0, '2,5' -> 2.5; None for what is not a number."""
    if value is None:
        return None
    value = value.strip().lower().replace(",", ".")
    if value in number_words():
        return number_words()[value]
    try:
        return float(value)
    except ValueError:
        return None


class RegexRecognizer:
    """Base of the components that match one regex rule file on the document text; a subclass says
    what a match marks (``mark``)."""

    def __init__(self, nlp: Language, name: str, rules_file: str):
        register_extensions()
        self.rules_file = rules_file

    def __call__(self, doc: Doc) -> Doc:
        for match in find_all(doc_text(doc), self.rules_file, doc_folded(doc)):
            self.mark(doc, match)
        return doc

    def mark(self, doc: Doc, match: re.Match[str]) -> None:
        raise NotImplementedError
