"""Patients: who the text speaks of, as one Scope per patient (``doc._.ct_patients``).

A patient's values come from the case description (the whole text when it has no headings); the
abstract and title are a fallback for age, sex, site and fusion, never for treatments. A case
series is split at its markers, "Patient 1", "Case 2:", "Patient #3", "Patient A" where a paragraph
or sentence opens: one patient per marker id. A series written in one sentence, "two children
(2 years and 5 months old)" (patterns/patient_series.jsonl), gives one patient per age in its
brackets: each patient's scope is the case description without the other patients' ages, so the
text they share (fusion, drugs) is each one's and the ages are told apart. A paper with the parts
of an article (introduction, methods, discussion) but no case section and no patient's age in the
text left for one is a review or a study: it has no patient.
"""

from __future__ import annotations

import re
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..annotations import AGES, PATIENT_MARKERS, PATIENTS, add_span, attribute, doc_folded, doc_text, norm_of
from ..document import CASE, Section
from ..regex_rules import RegexRecognizer, find_all, to_number
from ..scope import Scope
from .ages import patients_age

COMPONENT = "casetable_patients"
SERIES_RULES = "patient_series.jsonl"
# Parts of a paper whose drugs, fusions and ages belong to other patients or to background.
NOT_PATIENT_KINDS = frozenset({"introduction", "discussion", "conclusion", "references", "table",
                               "caption", "back_matter", "methods", "results"})
FALLBACK_KINDS = frozenset({"abstract", "front_matter", "title"})
_ARTICLE_KINDS = frozenset({"introduction", "methods", "results", "discussion"})
_NOT_CASE_TEXT_KINDS = frozenset({"references", "back_matter", "methods", "results"})  # a study's cohort


class Patients(RegexRecognizer):
    def __call__(self, doc: Doc) -> Doc:
        self._mark(doc)
        doc._.set(PATIENTS, patient_scopes(doc))
        return doc

    def _mark(self, doc: Doc) -> None:
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

    def _candidates(self, doc: Doc) -> Iterator[tuple[int, re.Match[str]]]:
        """(offset, match) pairs: case sections headed "Case 1" / "Patient 2" first (in run-on web
        text such a heading has no line start before it), then markers opening a line or sentence."""
        for section in doc._.ct_sections:
            if section.kind == "case" and section.heading:
                head = doc_text(doc)[section.start:section.start + len(section.heading) + 40]
                match = next(iter(find_all(head, self.rules_file)), None)
                if match is not None and match.start() == 0:
                    yield section.start, match
        for match in find_all(doc_text(doc), self.rules_file, doc_folded(doc)):
            yield 0, match


@Language.factory(COMPONENT, default_config={"rules_file": "patient_markers.jsonl"},
                  assigns=[attribute(PATIENT_MARKERS), f"doc._.{PATIENTS}"], requires=[attribute(AGES)])
def make_patients(nlp: Language, name: str, rules_file: str) -> Patients:
    return Patients(nlp, name, rules_file)


def _case_ranges(sections: list[Section]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    if any(s.kind == CASE for s in sections):
        case = [(s.start, s.end) for s in sections if s.kind == CASE]
    else:
        case = [(s.start, s.end) for s in sections if s.kind not in NOT_PATIENT_KINDS | FALLBACK_KINDS]
        if not case:
            case = [(s.start, s.end) for s in sections if s.kind in FALLBACK_KINDS]
    fallback = [(s.start, s.end) for s in sections if s.kind in FALLBACK_KINDS and (s.start, s.end) not in case]
    return case, fallback


def _series_ages(doc: Doc, case: list[tuple[int, int]]) -> list[Span]:
    """The ages of a series written in one sentence of the case description, one per patient;
    empty when there is none or its brackets do not hold as many ages as it counts patients."""
    ages = doc.spans.get(AGES, [])
    for match in find_all(doc_text(doc), SERIES_RULES, doc_folded(doc)):
        if not any(start <= match.start() < end for start, end in case):
            continue
        inside = [a for a in ages if match.start("ages") <= a.start_char < match.end("ages")]
        if len(inside) > 1 and len(inside) == to_number(match.group("count")):
            return inside
    return []


def _without(ranges: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ranges with the holes cut out."""
    kept = []
    for start, end in ranges:
        for lo, hi in sorted(h for h in holes if h[0] < end and h[1] > start):
            if lo > start:
                kept.append((start, lo))
            start = max(start, hi)
        if start < end:
            kept.append((start, end))
    return kept


def _no_case(doc: Doc, sections: list[Section]) -> bool:
    """An article without a case section whose text (a study's methods and results, references and
    back matter aside) holds no patient's age."""
    kinds = {s.kind for s in sections}
    if CASE in kinds or not kinds & _ARTICLE_KINDS:
        return False
    text = Scope([(s.start, s.end) for s in sections if s.kind not in _NOT_CASE_TEXT_KINDS])
    return not any(text.contains(a) and patients_age(a) for a in doc.spans.get(AGES, []))


def patient_scopes(doc: Doc) -> list[tuple[str, Scope]]:
    """One scope per patient: the case description split at case-series markers, or shared by the
    patients of a one-sentence series."""
    sections = doc._.ct_sections or []
    case, fallback = _case_ranges(sections)
    if _no_case(doc, sections):
        return []
    markers = [m for m in doc.spans.get(PATIENT_MARKERS, []) if Scope(case).contains(m)]
    ids = list(dict.fromkeys(norm_of(m) for m in markers))
    if len(ids) < 2:
        ages = _series_ages(doc, case)
        if ages:
            spans = [(a.start_char, a.end_char) for a in ages]
            return [(str(i), Scope(_without(case, spans[:i - 1] + spans[i:]), fallback))
                    for i in range(1, len(ages) + 1)]
        return [("1", Scope(case, fallback))]
    scopes: dict[str, list[tuple[int, int]]] = {pid: [] for pid in ids}
    for i, marker in enumerate(markers):
        end = markers[i + 1].start_char if i + 1 < len(markers) else max(e for _, e in case)
        for start, stop in case:
            lo, hi = max(start, marker.start_char), min(stop, end)
            if lo < hi:
                scopes[norm_of(marker)].append((lo, hi))
    return [(pid, Scope(ranges)) for pid, ranges in scopes.items()]
