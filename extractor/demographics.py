"""A patient's age, sex, primary site and fusion, each from the most trustworthy mention in its scope.

Ages of relatives and cohorts, sites of metastases, biopsy routes and imaging planes, and negated
fusions are passed over; the abstract and title are the fallback when the case description says
nothing. The sex that counts most is the one written beside the patient's age ("a 28-year-old
woman"): a page's navigation or a cited paper may name a man first. The primary site is ranked by
what its words say (components/ruler_spans.py): the tumour's stated origin, then a place holding a
tumour, then a tissue whose tumour's place is named after it, then a bare mention.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from .components.extensions import AGES, FUSIONS, NEGATED, OTHER_PATIENT, SEXES, SITES
from .components.genes import drop_covered, is_generic, partner_less_gene
from .components.ruler_spans import NOT_PRIMARY_ROLES
from .scopes import Scope

# Ages flagged by components/ages.py as someone else's.
_NOT_THE_PATIENTS_AGE = frozenset({"relative", "cohort", "literature"})
# Site ranks: what the words around a site mention say of it.
_ORIGIN, _TUMOUR, _TISSUE, _MENTION = 4, 3, 2, 1


def _first(spans: list[Span], scope: Scope, accept=lambda s: True) -> Span | None:
    """The first acceptable span in the patient's scope, else in its fallback (abstract, title)."""
    inside = [s for s in spans if scope.contains(s) and accept(s)]
    if inside:
        return inside[0]
    outside = [s for s in spans if scope.in_fallback(s) and accept(s)]
    return outside[0] if outside else None


def pick_age(doc: Doc, scope: Scope) -> tuple[Span | None, Span | None]:
    ages = sorted(doc.spans.get(AGES, []), key=lambda s: s.start)
    usable = lambda s: not (s._.ct_detail.keys() & _NOT_THE_PATIENTS_AGE)  # noqa: E731
    at_presentation = _first(ages, scope, lambda s: usable(s) and not s._.ct_detail.get("diagnosis"))
    at_diagnosis = _first(ages, scope, lambda s: usable(s) and s._.ct_detail.get("diagnosis"))
    return at_presentation or at_diagnosis, at_diagnosis if at_presentation else None


def pick_sex(doc: Doc, scope: Scope) -> Span | None:
    """The sex word beside the patient's age, else the first sex word, else the pronouns' majority."""
    spans = sorted(doc.spans.get(SEXES, []), key=lambda s: s.start)
    words = [s for s in spans if s.label_ == "SEX"]
    age, _ = pick_age(doc, scope)
    if age is not None:
        beside = [s for s in words if s.sent.start == age.sent.start]
        if beside:
            return min(beside, key=lambda s: abs(s.start - age.start))
    word = _first(words, scope)
    if word is not None:
        return word
    pronouns = [s for s in spans if s.label_ == "SEX_PRONOUN" and scope.contains(s)]
    if pronouns:
        counts = {sex: sum(p._.ct_norm == sex for p in pronouns) for sex in ("male", "female")}
        majority = max(counts, key=counts.get)
        return next(p for p in pronouns if p._.ct_norm == majority)
    return None


def site_rank(span: Span) -> int:
    """How surely a site mention names the primary tumour's place; 0 when it names another place."""
    roles = set(span._.ct_detail.get("roles", []))
    if roles & NOT_PRIMARY_ROLES or OTHER_PATIENT in span._.ct_modifiers:
        return 0
    if "origin" in roles:
        return _ORIGIN
    if "tissue" in roles:
        return _TISSUE
    return _TUMOUR if "tumour" in roles else _MENTION


def pick_site(doc: Doc, scope: Scope) -> Span | None:
    """The best-ranked site of the case description (earliest among equals); a bare mention there
    yields to a tumour's place in the abstract or title; a negated mention is the last resort."""
    sites = sorted(doc.spans.get(SITES, []), key=lambda s: s.start)
    inside = [s for s in sites if scope.contains(s)]
    outside = [s for s in sites if scope.in_fallback(s)]
    steps = ((inside, _TISSUE, False), (outside, _TISSUE, False), (inside, _MENTION, False),
             (outside, _MENTION, False), (inside, _MENTION, True), (outside, _MENTION, True))
    for group, minimum, negated in steps:
        ranked = [s for s in group if site_rank(s) >= minimum and (NEGATED in s._.ct_modifiers) == negated]
        if ranked:
            return max(ranked, key=lambda s: (site_rank(s), -s.start))
    return None


def pick_fusion(doc: Doc, scope: Scope) -> tuple[Span | None, list[str]]:
    """The first named fusion (else a partner-less one, v::ROS1 or FGFR2::v) of the scope; fusions of
    sentences about a kind of tumour ("In IMTs, YWHAE::ROS1 and TFG::ROS1 ...") only when nothing else."""
    fusions = [f for f in sorted(doc.spans.get(FUSIONS, []), key=lambda s: s.start)
               if NEGATED not in f._.ct_modifiers]
    specific = [f for f in fusions if not is_generic(f)]
    named = lambda s: partner_less_gene(s._.ct_norm) is None  # noqa: E731
    chosen = (_first(specific, scope, named) or _first(fusions, scope, named)
              or _first(specific, scope) or _first(fusions, scope))
    inside = [f._.ct_norm for f in specific if scope.contains(f)]
    return chosen, drop_covered(([chosen._.ct_norm] if chosen is not None else []) + inside)
