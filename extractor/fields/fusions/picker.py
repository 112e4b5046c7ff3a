"""The patient's fusion, and the fusions a document names, picked from the fusion spans.

The patient's fusion is the first named one of the patient's scope (else a partner-less one,
v::ROS1 or FGFR2::v); fusions of sentences about a kind of tumour ("In IMTs, YWHAE::ROS1 and
TFG::ROS1 ...") only when nothing else. Negated fusions never count.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span

from ...annotations import FUSIONS, NEGATED, detail_of, modifiers_of, norm_of, spans_of
from ...pickers import Picked, picks
from ...records import Patient, Report
from ...scope import Scope
from ..picking import document_mentions, first_in_scope
from .recognizer import partner_less_gene


def drop_covered(names: Iterable[str]) -> list[str]:
    """The names without a partner-less fusion whose gene also appears with a named partner:
    "ROS1 fusion ... TFG::ROS1" is one fusion, TFG::ROS1."""
    names = list(dict.fromkeys(names))
    named = {gene for n in names if partner_less_gene(n) is None for gene in n.split("::")}
    return [n for n in names if partner_less_gene(n) not in named]


def fusion_note(span: Span) -> str | None:
    """What a curator checks beside the sentence of a fusion, for Evidence.note: the exons and
    variant the text gives, the symbols as written when they were not approved ones, a reversed order."""
    detail = detail_of(span)
    parts = []
    if detail.get("exons"):
        parts.append("exons " + "/".join(e or "?" for e in detail["exons"]))
    if detail.get("variant"):
        parts.append(f"variant {detail['variant']}")
    if detail.get("genes_as_written"):
        parts.append("written " + ", ".join(detail["genes_as_written"]))
    if detail.get("reversed_in_text"):
        parts.append("written 3'-5'")
    return "; ".join(parts) or None


def is_generic(span: Span) -> bool:
    """True for a fusion named in a sentence about a kind of tumour, not about a patient."""
    return bool(detail_of(span).get("generic"))


@picks(Patient, "fusion", "fusions")
def pick_fusion(doc: Doc, scope: Scope) -> dict[str, Picked]:
    """The patient's fusion, and every fusion of the patient's scope (``fusions``)."""
    fusions = [f for f in sorted(spans_of(doc, FUSIONS), key=lambda s: s.start)
               if NEGATED not in modifiers_of(f)]
    specific = [f for f in fusions if not is_generic(f)]
    named = lambda s: partner_less_gene(norm_of(s)) is None  # noqa: E731
    chosen = (first_in_scope(specific, scope, named) or first_in_scope(fusions, scope, named)
              or first_in_scope(specific, scope) or first_in_scope(fusions, scope))
    if chosen is None:
        return {}
    inside = [norm_of(f) for f in specific if scope.contains(f)]
    return {"fusion": Picked(norm_of(chosen), chosen, fusion_note(chosen)),
            "fusions": Picked(drop_covered([norm_of(chosen)] + inside))}


@picks(Report, "fusions")
def document_fusions(doc: Doc) -> dict[str, Picked]:
    """Every fusion the document names anywhere, not negated, first-seen order."""
    return {"fusions": Picked(drop_covered(document_mentions(doc, FUSIONS)))}
