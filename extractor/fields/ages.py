"""Ages: "23-year-old", "a 61-yr-old man", "aged 27", "at the age of 27 years", "six-day-old",
"14-month-old" (months / 12), "twenty-three-year-old", "a female patient, 43, presented".

Each age span carries its value in years and, from the words around it, whose age it is:
- ``cohort``: a group's ("median age 9", "aged 20-50 years": a range is never one patient's age);
- ``diagnosis``: the age at diagnosis rather than at presentation;
- ``literature``: a patient of a cited report ("Lee et al. described a 45-year-old man");
- ``relative``: a relative's ("her 58-year-old mother", "her father died at the age of 66"), from a
  kinship word (KIN entities) next to the age, or earlier in the sentence with no word for the
  patient in between.
Words before the age are data (patterns/age_context.tsv); the picker below takes the patient's
age at presentation from what is left.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..annotations import AGES, add_span, attribute, detail_of, doc_text, norm_of, spans_of
from ..pickers import Picked, picks
from ..records import Patient
from ..regex_rules import RegexRecognizer, to_number
from ..rules import read_tsv, row_format
from ..scope import Scope
from .picking import first_in_scope

YEARS_PER_UNIT = {"y": 1.0, "m": 1 / 12, "w": 7 / 365.25, "d": 1 / 365.25}
_CONTEXT_WINDOW = 6
_MAX_YEARS = 120
# "a" and "an" are numbers only before a unit ("a 2-month-old" is not "aged a").
_ARTICLES = frozenset({"a", "an"})
_RANGE_AFTER = re.compile(r"\s*(?:-|–|—|to)\s*\d")
_RANGE_BEFORE = re.compile(r"\d\s*(?:-|–|—|to)\s*$")
# Between a kinship word and the age after it: "her father, aged 60"; before: "a 6-year-old son".
_KIN_BEFORE_REACH = 4
_KIN_AFTER_REACH = 3
_POSSESSIVES = frozenset({"her", "his", "their", "the", "patient", "'s", "’s", "a", "an", "aged", "who", "was"})
_ENTITY_OFFSETS = "ct_entity_offsets"  # user_data key: (start, end, label) of the Doc's entities


@lru_cache(maxsize=1)
def _age_context() -> dict[str, str]:
    rows = read_tsv("age_context.tsv", row_format("word category", category="cohort diagnosis literature"))
    return {row["word"]: row["category"] for row in rows}


def _years(value: str | None, unit: str | None) -> float | None:
    """The age in years; "twenty-three" is 20 + 3; a month is 1/12 year."""
    if value is None or (unit is None and value.strip().lower() in _ARTICLES):
        return None
    parts = [to_number(p) for p in re.split(r"[- ]", value.strip()) if p]
    if not parts or any(p is None for p in parts):
        return None
    number = sum(parts)
    unit = (unit or "year").lower()
    factor = YEARS_PER_UNIT["m" if unit.startswith("mo") else unit[0]] if unit[0] in "ymwd" else 1.0
    return round(number * factor, 3)


def _in_range(text: str, start: int, end: int) -> bool:
    """"aged 20-50 years", "2 to 3 years old": a range is a group's ages, never one patient's."""
    return bool(_RANGE_AFTER.match(text, end) or _RANGE_BEFORE.search(text[max(0, start - 8):start]))


def _sentence_entities(sent: Span) -> list[Span]:
    """``sent.ents`` from entity offsets read once per Doc: ``Span.ents`` walks all the Doc's
    entities on every call, which made ages take time with the square of a long document."""
    doc = sent.doc
    offsets = doc.user_data.get(_ENTITY_OFFSETS)
    if offsets is None:
        offsets = doc.user_data[_ENTITY_OFFSETS] = [(e.start, e.end, e.label) for e in doc.ents]
    found = []
    for start, end, label in offsets[bisect_left(offsets, (sent.start,)):]:
        if end > sent.end:
            break
        found.append(Span(doc, start, end, label=label))
    return found


def _is_patient_word(span: Span) -> bool:
    return span.label_ in ("SEX", "SEX_PRONOUN")


def _relative(span: Span) -> bool:
    """A kinship word governs the age: next to it ("her 58-year-old mother", "her mother, a 58-year-old
    woman"), or earlier in the sentence with no word for the patient between or right after the age
    ("her father died at the age of 66", but not "with no family history, a 45-year-old man")."""
    doc, sent = span.doc, span.sent
    for ent in (e for e in _sentence_entities(sent) if e.label_ == "KIN"):
        if ent.start >= span.end:
            between = doc[span.end:ent.start]
            if len(between) <= _KIN_AFTER_REACH and all(_joins(t) for t in between):
                return True
            continue
        between = doc[ent.end:span.start]
        if len(between) <= _KIN_BEFORE_REACH and all(_joins(t) for t in between):
            return True
        if not (_patient_named(doc, sent, ent.end, span.start) or _patient_named(doc, sent, span.end, span.end + 2)):
            return True
    return False


def _joins(token: Token) -> bool:
    return token.is_punct or token.lower_ in _POSSESSIVES


def _patient_named(doc: Doc, sent: Span, start: int, end: int) -> bool:
    """A word for the patient (a sex word, a pronoun, "patient") between two token offsets."""
    return any(start <= e.start < end and _is_patient_word(e) for e in _sentence_entities(sent)) or any(
        t.lower_ in ("patient", "patients") for t in doc[start:min(end, sent.end)])


def _context(span: Span) -> dict[str, bool]:
    sent = span.sent
    before = span.doc[max(sent.start, span.start - _CONTEXT_WINDOW):span.start]
    words = " ".join(t.lower_.strip(".") for t in before)  # "et al." as "et al"
    flags = {category: True for word, category in _age_context().items() if f" {word} " in f" {words} "}
    if _relative(span):
        flags["relative"] = True
    return flags


class AgeRecognizer(RegexRecognizer):
    def mark(self, doc: Doc, match: re.Match[str]) -> None:
        years = _years(match.group("value"), match.groupdict().get("unit"))
        if years is None or years > _MAX_YEARS:
            return
        span = add_span(doc, AGES, match.start(), match.end(), "AGE", years, {"as_written": match.group(0)})
        if span is not None:
            detail_of(span).update(_context(span))
            if _in_range(doc_text(doc), match.start(), match.end()):
                detail_of(span)["cohort"] = True


COMPONENT = "casetable_ages"


@Language.factory(COMPONENT, default_config={"rules_file": "ages.jsonl"}, assigns=[attribute(AGES)],
                  requires=["doc.ents"])
def make_age_recognizer(nlp: Language, name: str, rules_file: str) -> AgeRecognizer:
    return AgeRecognizer(nlp, name, rules_file)


# Ages flagged above as someone else's.
_NOT_THE_PATIENTS_AGE = frozenset({"relative", "cohort", "literature"})


def patients_age(span: Span) -> bool:
    """An age not flagged as a relative's, a cohort's or a cited patient's."""
    return not (detail_of(span).keys() & _NOT_THE_PATIENTS_AGE)


@picks(Patient, "age_years", "age_at_diagnosis_years")
def pick_age(doc: Doc, scope: Scope) -> dict[str, Picked]:
    """The patient's age at presentation (else at diagnosis), and the age at diagnosis when the text
    gives both; ages of relatives, cohorts and cited patients are passed over."""
    ages = sorted(spans_of(doc, AGES), key=lambda s: s.start)
    at_presentation = first_in_scope(ages, scope, lambda s: patients_age(s) and not detail_of(s).get("diagnosis"))
    at_diagnosis = first_in_scope(ages, scope, lambda s: patients_age(s) and detail_of(s).get("diagnosis"))
    picked = {}
    age = at_presentation or at_diagnosis
    if age is not None:
        picked["age_years"] = Picked(norm_of(age), age)
    if at_presentation is not None and at_diagnosis is not None:
        picked["age_at_diagnosis_years"] = Picked(norm_of(at_diagnosis), at_diagnosis)
    return picked
