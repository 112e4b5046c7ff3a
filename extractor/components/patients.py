"""Case-series markers: "Patient 1", "Case 2:", "Patient #3", "Patient A" where a paragraph or sentence opens.

Assembly splits the case description at these markers, one patient per marker id.
"""

from __future__ import annotations

import re
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from .extensions import PATIENT_MARKERS, add_span, doc_text
from .regex_rules import RegexRecognizer, find_all, to_number


class PatientMarkers(RegexRecognizer):
    def __call__(self, doc: Doc) -> Doc:
        seen: set[int] = set()
        for offset, match in self._candidates(doc):
            start = offset + match.start()
            if start in seen:
                continue
            seen.add(start)
            label = match.group("id")
            number = None if label.isalpha() and len(label) == 1 else to_number(label)  # "Patient A" is not 1
            add_span(doc, PATIENT_MARKERS, start, offset + match.end(), "PATIENT",
                     str(int(number)) if number is not None else label.upper())
        return doc

    def _candidates(self, doc: Doc) -> Iterator[tuple[int, re.Match[str]]]:
        """(offset, match) pairs: case sections headed "Case 1" / "Patient 2" first (in run-on web
        text such a heading has no line start before it), then markers opening a line or sentence."""
        for section in doc._.ct_sections:
            if section.kind == "case" and section.heading:
                head = doc_text(doc)[section.start:section.start + len(section.heading) + 40]
                match = next(iter(find_all(head, self.rules_file)), None)
                if match is not None and match.start() == 0:
                    yield section.start, match
        for match in find_all(doc_text(doc), self.rules_file):
            yield 0, match


@Language.factory("casetable_patient_markers", default_config={"rules_file": "patient_markers.jsonl"})
def make_patient_markers(nlp: Language, name: str, rules_file: str) -> PatientMarkers:
    return PatientMarkers(nlp, name, rules_file)
