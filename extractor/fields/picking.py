"""What the pickers of several fields share: the first acceptable mention of a patient's scope, and
the values a document names anywhere."""

from __future__ import annotations

from typing import Callable

from spacy.tokens import Doc, Span

from ..annotations import NEGATED, detail_of, modifiers_of, norm_of, section_of, spans_of
from ..scope import Scope


def first_in_scope(spans: list[Span], scope: Scope, accept: Callable[[Span], bool] = lambda s: True) -> Span | None:
    """The first acceptable span in the patient's scope, else in its fallback (abstract, title)."""
    inside = [s for s in spans if scope.contains(s) and accept(s)]
    if inside:
        return inside[0]
    outside = [s for s in spans if scope.in_fallback(s) and accept(s)]
    return outside[0] if outside else None


def document_mentions(doc: Doc, group: str) -> list[str]:
    """Every normalised value of a group the document names anywhere, not negated nor in the
    references, first-seen order. A span naming several drugs at once ("gemcitabine/cisplatin")
    counts each of its regimen's drugs."""
    values = [value for s in sorted(spans_of(doc, group), key=lambda s: s.start)
              if NEGATED not in modifiers_of(s) and section_of(s) != "references"
              for value in detail_of(s).get("regimen") or [norm_of(s)]]
    return list(dict.fromkeys(values))
