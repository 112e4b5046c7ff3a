"""Sex: the EntityRuler's sex words ("woman", "boy") and pronouns (patterns/sex.jsonl), and the
patient's sex picked from them.

The sex that counts most is the one written beside the patient's age ("a 28-year-old woman"): a
page's navigation or a cited paper may name a man first. Then the first sex word of the patient's
scope (or of the abstract and title), then the majority of the pronouns.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..annotations import SEXES, add_span, attribute, norm_of, register_extensions, spans_of
from ..pickers import Picked, picker_of, picks
from ..records import Patient
from ..scope import Scope
from .picking import first_in_scope

COMPONENT = "casetable_sex"
RULER_PATTERNS = "sex.jsonl"
LABELS = ("SEX", "SEX_PRONOUN")


class SexMentions:
    """Moves the EntityRuler's SEX and SEX_PRONOUN entities into their span group."""

    def __init__(self, nlp: Language, name: str):
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        for ent in doc.ents:
            if ent.label_ in LABELS:
                add_span(doc, SEXES, ent.start_char, ent.end_char, ent.label_, ent.ent_id_)
        return doc


@Language.factory(COMPONENT, assigns=[attribute(SEXES)], requires=["doc.ents"])
def make_sex_mentions(nlp: Language, name: str) -> SexMentions:
    return SexMentions(nlp, name)


@picks(Patient, "sex")
def pick_sex(doc: Doc, scope: Scope) -> dict[str, Picked]:
    """The sex word beside the patient's age, else the first sex word, else the pronouns' majority."""
    span = _sex_span(doc, scope)
    if span is None:
        return {}
    return {"sex": Picked(norm_of(span), span, "from pronouns" if span.label_ == "SEX_PRONOUN" else None)}


def _sex_span(doc: Doc, scope: Scope) -> Span | None:
    spans = sorted(spans_of(doc, SEXES), key=lambda s: s.start)
    words = [s for s in spans if s.label_ == "SEX"]
    age = picker_of(Patient, "age_years")(doc, scope).get("age_years")
    if age is not None:
        beside = [s for s in words if s.sent.start == age.span.sent.start]
        if beside:
            return min(beside, key=lambda s: abs(s.start - age.span.start))
    word = first_in_scope(words, scope)
    if word is not None:
        return word
    pronouns = [s for s in spans if s.label_ == "SEX_PRONOUN" and scope.contains(s)]
    if pronouns:
        counts = {sex: sum(norm_of(p) == sex for p in pronouns) for sex in ("male", "female")}
        majority = max(counts, key=counts.get)
        return next(p for p in pronouns if norm_of(p) == majority)
    return None
