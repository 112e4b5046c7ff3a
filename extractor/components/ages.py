"""Ages: "23-year-old", "aged 27", "at the age of 27 years", "14-month-old" (months / 12).

Each age span carries its value in years and, from the words before it (patterns/age_context.tsv)
and a kinship word next to it (KIN entities), whether it is a cohort's age, the age at diagnosis,
or a relative's age, so that assembly can pick the patient's age at presentation.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..rules import read_tsv
from .extensions import AGES, add_span, register_extensions
from .regex_rules import find_all, to_number

YEARS_PER_UNIT = {"y": 1.0, "m": 1 / 12, "w": 7 / 365.25, "d": 1 / 365.25}
_CONTEXT_WINDOW = 6


@lru_cache(maxsize=1)
def _age_context() -> dict[str, str]:
    return {row["word"]: row["category"] for row in read_tsv("age_context.tsv")}


def _years(value: str | None, unit: str | None) -> float | None:
    number = to_number(value)
    if number is None:
        return None
    unit = (unit or "year").lower()
    factor = YEARS_PER_UNIT["m" if unit.startswith("mo") else unit[0]] if unit[0] in "ymwd" else 1.0
    return round(number * factor, 3)


def _context(span: Span) -> dict[str, bool]:
    sent = span.sent
    before = span.doc[max(sent.start, span.start - _CONTEXT_WINDOW):span.start]
    words = " ".join(t.lower_ for t in before)
    flags = {category: True for word, category in _age_context().items() if f" {word} " in f" {words} "}
    if any(e.label_ == "KIN" and (span.start - 4 <= e.start < span.start or span.end <= e.start <= span.end + 1)
           for e in sent.ents):
        flags["relative"] = True
    return flags


class AgeRecognizer:
    def __init__(self, nlp: Language, name: str, rules_file: str):
        register_extensions()
        self.rules_file = rules_file

    def __call__(self, doc: Doc) -> Doc:
        for match in find_all(doc.text, self.rules_file):
            years = _years(match.group("value"), match.groupdict().get("unit"))
            if years is None or years > 120:
                continue
            span = add_span(doc, AGES, match.start(), match.end(), "AGE", years, {"as_written": match.group(0)})
            if span is not None:
                span._.ct_detail.update(_context(span))
        return doc


@Language.factory("casetable_ages", default_config={"rules_file": "ages.jsonl"})
def make_age_recognizer(nlp: Language, name: str, rules_file: str) -> AgeRecognizer:
    return AgeRecognizer(nlp, name, rules_file)
