"""A patient's age, sex, primary site and fusion: the first trustworthy mention in its scope.

Ages of relatives and cohorts, sites of metastases, biopsy routes and imaging planes, and negated
fusions are passed over; the abstract and title are the fallback when the case description says
nothing.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from .components.extensions import AGES, FUSIONS, NEGATED, SEXES, SITES
from .scopes import Scope


def _first(spans: list[Span], scope: Scope, accept=lambda s: True) -> Span | None:
    """The first acceptable span in the patient's scope, else in its fallback (abstract, title)."""
    inside = [s for s in spans if scope.contains(s) and accept(s)]
    if inside:
        return inside[0]
    outside = [s for s in spans if scope.in_fallback(s) and accept(s)]
    return outside[0] if outside else None


def pick_age(doc: Doc, scope: Scope) -> tuple[Span | None, Span | None]:
    ages = sorted(doc.spans.get(AGES, []), key=lambda s: s.start)
    usable = lambda s: not (s._.ct_detail.get("relative") or s._.ct_detail.get("cohort"))  # noqa: E731
    at_presentation = _first(ages, scope, lambda s: usable(s) and not s._.ct_detail.get("diagnosis"))
    at_diagnosis = _first(ages, scope, lambda s: usable(s) and s._.ct_detail.get("diagnosis"))
    return at_presentation or at_diagnosis, at_diagnosis if at_presentation else None


def pick_sex(doc: Doc, scope: Scope) -> Span | None:
    spans = sorted(doc.spans.get(SEXES, []), key=lambda s: s.start)
    word = _first(spans, scope, lambda s: s.label_ == "SEX")
    if word is not None:
        return word
    pronouns = [s for s in spans if s.label_ == "SEX_PRONOUN" and scope.contains(s)]
    if pronouns:
        counts = {sex: sum(p._.ct_norm == sex for p in pronouns) for sex in ("male", "female")}
        majority = max(counts, key=counts.get)
        return next(p for p in pronouns if p._.ct_norm == majority)
    return None


def pick_site(doc: Doc, scope: Scope) -> Span | None:
    sites = sorted(doc.spans.get(SITES, []), key=lambda s: s.start)
    not_primary = {"metastasis", "procedure", "imaging"}
    usable = lambda s: not (set(s._.ct_detail.get("roles", [])) & not_primary) and NEGATED not in s._.ct_modifiers  # noqa: E731
    primary = _first(sites, scope, lambda s: usable(s) and "primary" in s._.ct_detail.get("roles", []))
    return primary or _first(sites, scope, usable)


def pick_fusion(doc: Doc, scope: Scope) -> tuple[Span | None, list[str]]:
    fusions = [f for f in sorted(doc.spans.get(FUSIONS, []), key=lambda s: s.start)
               if NEGATED not in f._.ct_modifiers]
    named = _first(fusions, scope, lambda s: not s._.ct_norm.startswith("v::"))
    chosen = named or _first(fusions, scope)
    inside = [f._.ct_norm for f in fusions if scope.contains(f)]
    names = list(dict.fromkeys(inside or ([chosen._.ct_norm] if chosen is not None else [])))
    if named is not None:
        partners = {n.split("::")[1] for n in names if not n.startswith("v::")}
        names = [n for n in names if not (n.startswith("v::") and n[3:] in partners)]
    return chosen, names
