"""Which fields are scored, read from the record schema (``extractor.records``), and the matcher of each.

A Table 1 field of the schema must have a matcher here (a test checks it), so that a new field is
scored, or consciously not, from the day it is declared.
"""

from __future__ import annotations

from typing import Any, Callable

from extractor.records import Patient, Treatment, columns

from .matchers import diagnosis_matches, fusion_matches, response_matches, sex_matches, site_matches
from .quantities import dose_matches, duration_matches

# age_years compares with the gold's age_alternatives too (matchers.age_matches); drug is scored as a
# set of names per patient (documents.score_drugs).
MATCHERS: dict[str, Callable[[Any, Any], bool]] = {
    "fusion": fusion_matches, "primary_site": site_matches, "sex": sex_matches, "diagnosis": diagnosis_matches,
    "dose": dose_matches, "duration": duration_matches, "response": response_matches,
}

PATIENT_FIELDS: tuple[str, ...] = tuple(name for name, _, _ in columns(Patient, values_only=True))
LINE_FIELDS: tuple[str, ...] = tuple(name for name, _, _ in columns(Treatment, values_only=True) if name != "drug")
FIELDS: tuple[str, ...] = PATIENT_FIELDS + ("drug",) + LINE_FIELDS
CIVIC_FIELDS: tuple[str, ...] = ("fusion", "drug")
