"""Lab values and test results: a substance named right before a concentration, or a stain's result,
was measured, not given.

Many substances the drug dictionary lists are also lab analytes (uric acid, lactic acid, folic acid,
vitamin D, cortisol). Laboratory sentences name them with a value in a concentration unit ("uric acid
4.7 mg/dL", "vitamin B12 of 150 pg/mL"), which a dose never has: a dose is an amount (mg, mg/m2,
mg/kg), not an amount per volume. Hormones are also receptors a tumour is stained for ("estrogen (ER)
90% positive", "progesterone receptor negative"). The words and units are data (patterns/lab_values.tsv).
An analyte whose name holds a drug name ("protein induced by vitamin K absence or antagonist-II
(PIVKA-II) of 3000 mAU/mL") is written with its value after its short form, so that is where the value
is sought.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from ...annotations import doc_text
from ...rules import read_tsv, row_format

LAB_VALUE_ROW = row_format("part regex", part="lead amount volume status")
_NUMBER = r"\d+(?:[.,]\d+)?"
_LOOKAHEAD = 80  # characters after a name in which its value may be written


class LabValues:
    """Tells a drug mention followed by a lab value or a test result (patterns/lab_values.tsv)."""

    def __init__(self, file: str):
        parts: dict[str, list[str]] = {}
        for row in read_tsv(file, LAB_VALUE_ROW):
            parts.setdefault(row["part"], []).append(row["regex"])
        lead, amount, volume, status = ("|".join(parts.get(name, [])) for name in ("lead", "amount", "volume", "status"))
        value = rf"[<>≤≥~]?\s*{_NUMBER}(?:\s*(?:-|–|to)\s*{_NUMBER})?\s*(?:{amount})\s*/\s*(?:{volume})"
        result = rf"(?:{_NUMBER}\s*%\s*)?(?:{status})"
        self.pattern = re.compile(rf"(?:\s*(?:{lead})(?![a-z]))*\s*(?:{value}|{result})(?![a-z])", re.IGNORECASE)

    def measured(self, doc: Doc, span: Span, after_short_forms: dict[int, int]) -> bool:
        """Whether a lab value or result follows the mention, or the short form of a name it is inside
        (``after_short_forms``, worked out once per document)."""
        after = after_short_forms.get(span.start, span.end_char)
        return self.pattern.match(doc_text(doc), after, after + _LOOKAHEAD) is not None


def after_short_forms(abbreviations: list[Span]) -> dict[int, int]:
    """For each token inside the long form of a defined abbreviation (the document's short forms,
    ``doc._.abbreviations``), where the text goes on after its short form: read once per document, as
    asking each mention would cost the square of its length."""
    found: dict[int, int] = {}
    for short in abbreviations:
        long_form = short._.long_form
        if long_form is not None and long_form.end < short.start:
            for i in range(long_form.start, long_form.end):
                found[i] = min(found.get(i, short.end_char), short.end_char)  # the defining short form
    return found
