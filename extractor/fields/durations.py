"""Durations: "for 8 months", ">13 cycles", "1 year and 5 months", "ongoing at 3 years", "by day 106".

Each span keeps the words as written (``ct_norm``) and the parsed parts: value, unit, months
(cycles stay cycles), qualifier (">", "more than") and whether the text says it is ongoing.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from ..annotations import DURATIONS, add_span, attribute
from ..regex_rules import RegexRecognizer, label_of, to_number

NOT_DURATION = "NOT_DURATION"  # durations.jsonl: a time that is no treatment's length ("34 weeks pregnant")
MONTHS_PER_UNIT = {"day": 1 / 30.44, "week": 7 / 30.44, "wk": 7 / 30.44, "month": 1.0, "mo": 1.0,
                   "year": 12.0, "yr": 12.0}


def _unit(word: str | None) -> str:
    word = (word or "").lower()
    for unit in ("cycle", "course", "dose", *MONTHS_PER_UNIT):
        if word.startswith(unit):
            return "cycle" if unit == "course" else unit
    return word


def parse_duration(groups: dict[str, str | None]) -> dict[str, object]:
    value, unit = to_number(groups.get("value")), _unit(groups.get("unit"))
    parts: dict[str, object] = {"value": value, "unit": unit,
                                "ongoing": bool(groups.get("ongoing")), "additional": bool(groups.get("more") or groups.get("added")),
                                "qualifier": (groups.get("qualifier") or "").strip() or None}
    if value is not None and unit in MONTHS_PER_UNIT:
        months = value * MONTHS_PER_UNIT[unit]
        extra, extra_unit = to_number(groups.get("value2")), _unit(groups.get("unit2"))
        if extra is not None and extra_unit in MONTHS_PER_UNIT:
            months += extra * MONTHS_PER_UNIT[extra_unit]
        parts["months"] = round(months, 2)
    return parts


class DurationRecognizer(RegexRecognizer):
    """Marks durations; the span covers the whole phrase, ``ct_norm`` the amount as Table 1
    writes it ("> 13 cycles", "9 months ongoing")."""

    def mark(self, doc: Doc, match: re.Match[str]) -> None:
        if label_of(self.rules_file, match) == NOT_DURATION:
            return
        parts = parse_duration(match.groupdict())
        add_span(doc, DURATIONS, match.start(), match.end(), "DURATION", self._as_written(match, parts), parts)

    @staticmethod
    def _as_written(match: re.Match[str], parts: dict[str, object]) -> str:
        present = [g for g in ("qualifier", "value", "unit", "value2", "unit2") if match.groupdict().get(g)]
        first = min(match.start(g) for g in present)
        last = max(match.end(g) for g in present)
        amount = re.sub(r"\s+", " ", match.string[first:last]).strip()
        return f"{amount} ongoing" if parts["ongoing"] else amount


COMPONENT = "casetable_durations"


@Language.factory(COMPONENT, default_config={"rules_file": "durations.jsonl"}, assigns=[attribute(DURATIONS)])
def make_duration_recognizer(nlp: Language, name: str, rules_file: str) -> DurationRecognizer:
    return DurationRecognizer(nlp, name, rules_file)
