"""Sex, response and site mentions: the EntityRuler's entities, moved into their span groups.

The EntityRuler (patterns/sex.jsonl, responses.jsonl, sites.jsonl) finds the phrases and gives
each its normalised value as the pattern id; these components add what a phrase alone does not
say: a site's laterality and role (primary, metastasis, biopsy route, imaging plane).
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..rules import read_tsv
from .extensions import RESPONSES, SEXES, SITES, add_span, register_extensions


@lru_cache(maxsize=1)
def _site_context() -> list[tuple[str, str, int]]:
    return [(row["word"], row["category"], int(row["window"])) for row in read_tsv("site_context.tsv")]


def _site_parts(span: Span) -> tuple[int, dict[str, object]]:
    """Start char of the site phrase with its laterality/qualifier words, and its role."""
    doc, sent = span.doc, span.sent
    start = span.start
    while start > sent.start and any(doc[start - 1].lower_ == w and c in ("laterality", "qualifier")
                                     for w, c, _ in _site_context()):
        start -= 1
    detail: dict[str, object] = {"laterality": next((t.lower_ for t in doc[start:span.start]
                                                     if t.lower_ in ("left", "right", "bilateral")), None)}
    roles = set()
    for word, category, window in _site_context():
        if category in ("laterality", "qualifier"):
            continue
        lo, hi = (max(sent.start, start + window), start) if window < 0 else (span.end, min(sent.end, span.end + window))
        if any(t.lower_ == word for t in doc[lo:hi]):
            roles.add(category)
    detail["roles"] = sorted(roles)
    return doc[start].idx, detail


class RulerSpans:
    def __init__(self, nlp: Language, name: str):
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        for ent in doc.ents:
            if ent.label_ in ("SEX", "SEX_PRONOUN"):
                add_span(doc, SEXES, ent.start_char, ent.end_char, ent.label_, ent.ent_id_)
            elif ent.label_ == "RESPONSE":
                category = None if ent.ent_id_ == "NONE" else ent.ent_id_
                add_span(doc, RESPONSES, ent.start_char, ent.end_char, "RESPONSE", category, {"as_written": ent.text})
            elif ent.label_ == "SITE":
                start, detail = _site_parts(ent)
                laterality = detail["laterality"]
                words = doc.text[start:ent.start_char].lower().split()
                qualifiers = [w for w in words if w not in ("left", "right", "bilateral")]
                name = " ".join(([laterality] if laterality else []) + qualifiers + [ent.ent_id_])
                add_span(doc, SITES, start, ent.end_char, "SITE", name, {**detail, "as_written": doc.text[start:ent.end_char]})
        return doc


@Language.factory("casetable_ruler_spans")
def make_ruler_spans(nlp: Language, name: str) -> RulerSpans:
    return RulerSpans(nlp, name)
