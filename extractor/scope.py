"""A patient's scope: the character ranges of the text that speak of one patient.

Set on the Doc by the patients component (``doc._.ct_patients``); the pickers of the fields and the
treatment lines read only the mentions a scope contains.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span


@dataclass
class Scope:
    """Character ranges of the text that speak of one patient, plus a fallback for demographics
    (the abstract and title, when the case description says nothing)."""

    ranges: list[tuple[int, int]]
    fallback: list[tuple[int, int]] = field(default_factory=list)

    def contains(self, span: Span) -> bool:
        return any(start <= span.start_char < end for start, end in self.ranges)

    def in_fallback(self, span: Span) -> bool:
        return any(start <= span.start_char < end for start, end in self.fallback)
