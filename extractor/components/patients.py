"""Case-series markers: "Patient 1", "Case 2:", "Patient #3" where a paragraph or sentence opens.

Assembly splits the case description at these markers, one patient per marker id.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .extensions import PATIENT_MARKERS, add_span, register_extensions
from .regex_rules import find_all, to_number


class PatientMarkers:
    def __init__(self, nlp: Language, name: str, rules_file: str):
        register_extensions()
        self.rules_file = rules_file

    def __call__(self, doc: Doc) -> Doc:
        for match in find_all(doc.text, self.rules_file):
            label = match.group("id")
            number = to_number(label)
            add_span(doc, PATIENT_MARKERS, match.start(), match.end(), "PATIENT",
                     str(int(number)) if number is not None else label.upper())
        return doc


@Language.factory("casetable_patient_markers", default_config={"rules_file": "patient_markers.jsonl"})
def make_patient_markers(nlp: Language, name: str, rules_file: str) -> PatientMarkers:
    return PatientMarkers(nlp, name, rules_file)
