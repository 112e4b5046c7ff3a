"""Who the text speaks of: the case description split into one scope per patient.

A patient's values come from the case description (the whole text when it has no headings); the
abstract and title are a fallback for age, sex, site and fusion, never for treatments. A case
series is split at its "Patient 1 / Case 2" markers, one patient each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from spacy.tokens import Doc, Span

from .components.extensions import PATIENT_MARKERS
from .document import CASE, Document
from .intervals import Intervals
from .records import Evidence

# Parts of a paper whose drugs, fusions and ages belong to other patients or to background.
NOT_PATIENT_KINDS = frozenset({"introduction", "discussion", "conclusion", "references", "table",
                               "caption", "back_matter", "methods", "results"})
FALLBACK_KINDS = frozenset({"abstract", "front_matter", "title"})


def evidence(document: Document, span: Span, note: str | None = None) -> Evidence:
    sent = span.sent
    return Evidence(text=sent.text.strip(), start=span.start_char, end=span.end_char,
                    page=document.page_at(span.start_char), section=span._.ct_section,
                    matched=span.text, note=note)


@dataclass
class Scope:
    """Character ranges of the text that speak of one patient, plus a fallback for demographics."""

    ranges: list[tuple[int, int]]
    fallback: list[tuple[int, int]] = field(default_factory=list)

    def contains(self, span: Span) -> bool:
        return span.start_char in self._ranges

    def in_fallback(self, span: Span) -> bool:
        return span.start_char in self._fallback

    @cached_property
    def _ranges(self) -> Intervals:  # a long document has many case sections, asked about every span
        return Intervals(self.ranges)

    @cached_property
    def _fallback(self) -> Intervals:
        return Intervals(self.fallback)


def _case_ranges(document: Document) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    sections = document.sections or []
    if document.has_case_section:
        case = [(s.start, s.end) for s in sections if s.kind == CASE]
    else:
        case = [(s.start, s.end) for s in sections if s.kind not in NOT_PATIENT_KINDS | FALLBACK_KINDS]
        if not case:
            case = [(s.start, s.end) for s in sections if s.kind in FALLBACK_KINDS]
    fallback = [(s.start, s.end) for s in sections if s.kind in FALLBACK_KINDS and (s.start, s.end) not in case]
    return case, fallback


def patient_scopes(doc: Doc, document: Document) -> list[tuple[str, Scope]]:
    """One scope per patient: the case description split at case-series markers."""
    case, fallback = _case_ranges(document)
    markers = [m for m in doc.spans.get(PATIENT_MARKERS, []) if Scope(case).contains(m)]
    ids = list(dict.fromkeys(m._.ct_norm for m in markers))
    if len(ids) < 2:
        return [("1", Scope(case, fallback))]
    scopes: dict[str, list[tuple[int, int]]] = {pid: [] for pid in ids}
    for i, marker in enumerate(markers):
        end = markers[i + 1].start_char if i + 1 < len(markers) else max(e for _, e in case)
        for start, stop in case:
            lo, hi = max(start, marker.start_char), min(stop, end)
            if lo < hi:
                scopes[marker._.ct_norm].append((lo, hi))
    return [(pid, Scope(ranges)) for pid, ranges in scopes.items()]
