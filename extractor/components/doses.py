"""Doses: amount and unit, with the route, frequency and schedule written after them.

"250 mg orally, twice daily" -> text as written plus parts {value: 250, unit: mg, route: oral,
frequency: twice daily}. Forms are rule data: patterns/doses.jsonl and dose_parts.tsv.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .extensions import DOSES, add_span, register_extensions
from .regex_rules import dose_parts, find_all, to_number


def parse_dose(groups: dict[str, str | None]) -> dict[str, object]:
    """The parts of one matched dose; the tail after the amount holds route, frequency, schedule."""
    unit = (groups.get("unit") or "").replace("²", "2").replace("μ", "µ")
    per = (groups.get("per") or "").strip()
    parts: dict[str, object] = {"value": to_number((groups.get("value") or "").split("-")[0].split("–")[0]),
                                "unit": unit + (per.replace(" ", "") if per else "")}
    tail = groups.get("tail") or ""
    if per and any(word in per for word in ("day", "/d")):
        parts["frequency"] = "once daily"
    for part, regex, norm in dose_parts():
        match = regex.search(tail)
        if match and part not in parts:
            parts[part] = norm or match.group(0).strip()
    return parts


class DoseRecognizer:
    def __init__(self, nlp: Language, name: str, rules_file: str):
        register_extensions()
        self.rules_file = rules_file

    def __call__(self, doc: Doc) -> Doc:
        for match in find_all(doc.text, self.rules_file):
            text = match.group(0).strip().rstrip(",")
            start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
            add_span(doc, DOSES, start, start + len(text), "DOSE", text, parse_dose(match.groupdict()))
        return doc


@Language.factory("casetable_doses", default_config={"rules_file": "doses.jsonl"})
def make_dose_recognizer(nlp: Language, name: str, rules_file: str) -> DoseRecognizer:
    return DoseRecognizer(nlp, name, rules_file)
