"""A patient's scope: the character ranges of the text that speak of one patient.

Set on the Doc by the patients component (``doc._.ct_patients``); the pickers of the fields and the
treatment lines read only the mentions a scope contains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from spacy.tokens import Span

from .intervals import Intervals


@dataclass
class Scope:
    """Character ranges of the text that speak of one patient, plus a fallback for demographics
    (the abstract and title, when the case description says nothing)."""

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
