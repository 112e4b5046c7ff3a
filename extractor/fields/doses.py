"""Doses: amount and unit, with the route, frequency and schedule written after them.

"250 mg orally, twice daily" -> text as written plus parts {value: 250, unit: mg, route: oral,
frequency: twice daily}. Forms are rule data: patterns/doses.jsonl and dose_parts.tsv. When the drug
name sits between the amount and the frequency ("250 mg crizotinib twice daily"), the dose spans
all three, so that the frequency is not lost (drugs are found before doses).
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..annotations import DOSES, DRUGS, add_span, attribute, doc_text
from ..regex_rules import RegexRecognizer, dose_parts, to_number

_DRUG_ENDS = "ct_drug_ends"  # user_data key: {start: end} characters of the drug spans

SPLIT_SQUARE = re.compile(r"(/m)\s+(2)(?!\d)")
FILLER = "filler"  # dose_parts.tsv: a verb before the route or frequency, not a part of the dose


@lru_cache(maxsize=1)
def _tail() -> re.Pattern[str]:
    """Route / frequency / schedule words following a drug name, anchored at its end."""
    parts = "|".join(f"(?:{regex.pattern})" for part, regex, _ in dose_parts() if part != FILLER)
    fillers = "|".join(f"(?:{regex.pattern})" for part, regex, _ in dose_parts() if part == FILLER)
    return re.compile(rf"(?:\s*,?\s*(?:{fillers})?(?:{parts}))+", re.IGNORECASE)


def _without_full_stop(text: str) -> str:
    """"400 mg BID." ends a sentence; "250 mg b.i.d." keeps the dot of its abbreviation."""
    last = text.rsplit(" ", 1)[-1]
    return text[:-1] if text.endswith(".") and "." not in last[:-1] else text


def parse_dose(groups: dict[str, str | None]) -> dict[str, object]:
    """The parts of one matched dose; the tail after the amount (and a frequency before it) holds
    route, frequency, schedule."""
    unit = re.sub(r"\s+", "", groups.get("unit") or "").replace("²", "2").replace("μ", "µ")
    per = (groups.get("per") or "").strip()
    parts: dict[str, object] = {"value": to_number((groups.get("value") or "").split("-")[0].split("–")[0]),
                                "unit": unit + (per.replace(" ", "") if per else "")}
    tail = f"{groups.get('lead') or ''} {groups.get('tail') or ''}"  # "a daily dose of 80 mg" is daily too
    for part, regex, norm in dose_parts():
        match = regex.search(tail)
        if match and part not in parts and part != FILLER:
            parts[part] = norm or match.group(0).strip()
    if re.fullmatch(r"(?:/|per)\s*(?:day|d)", per):
        parts.setdefault("frequency", "once daily")  # "100 mg/m2/day, given twice daily" is split in two
    return parts


class DoseRecognizer(RegexRecognizer):
    def mark(self, doc: Doc, match: re.Match[str]) -> None:
        groups = match.groupdict()
        begin = match.start()
        if groups.get("drug") and not any(d.start_char == match.start("drug") for d in doc.spans.get(DRUGS, [])):
            # "weekly and 50 mg": the frequency before a word that is no drug is not this dose's
            begin, groups = match.start("value"), {**groups, "lead": None, "drug": None}
        written = match.string[begin:match.end()]
        text = _without_full_stop(written.strip().rstrip(","))
        start = begin + (len(written) - len(written.lstrip()))
        end = start + len(text)
        if not groups.get("tail"):
            drugs = doc.user_data.get(_DRUG_ENDS)
            if drugs is None:  # read once per Doc, not once per dose (the square of a long document)
                drugs = {span.start_char: span.end_char for span in doc.spans.get(DRUGS, [])}
                doc.user_data[_DRUG_ENDS] = drugs
            end, groups = self._across_drug(doc_text(doc), end, drugs, groups)
        # "mg/m 2" (a superscript flattened by the PDF or web page) is written back as mg/m2
        as_written = SPLIT_SQUARE.sub(r"\1\2", doc_text(doc)[start:end])
        add_span(doc, DOSES, start, end, "DOSE", as_written, parse_dose(groups))

    @staticmethod
    def _across_drug(text: str, end: int, drugs: dict[int, int],
                     groups: dict[str, str | None]) -> tuple[int, dict[str, str | None]]:
        """"250 mg crizotinib twice daily": extend the dose over the drug name to its frequency."""
        gap = len(text[end:]) - len(text[end:].lstrip(" "))
        drug_end = drugs.get(end + gap) if 0 < gap <= 2 else None
        if drug_end is None:
            return end, groups
        tail = _tail().match(text, drug_end)
        if tail is None:
            return end, groups
        return tail.end(), {**groups, "tail": tail.group(0)}


COMPONENT = "casetable_doses"


@Language.factory(COMPONENT, default_config={"rules_file": "doses.jsonl"}, assigns=[attribute(DOSES)],
                  requires=[attribute(DRUGS)])
def make_dose_recognizer(nlp: Language, name: str, rules_file: str) -> DoseRecognizer:
    return DoseRecognizer(nlp, name, rules_file)
