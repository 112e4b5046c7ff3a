"""Genes and fusions: every way papers write a fusion, normalised to HGNC ``5'::3'``.

Forms are rule data (patterns/fusions.jsonl, named groups ``a``/``b`` for the genes as written and
``ex_a``/``ex_b`` for exons); gene symbols resolve through the HGNC lexicon (approved, previous and
alias symbols, near misses such as "YWHAE1"); the orientation of a pair comes from data
(patterns/fusion_orientation.tsv). A partner-less "ROS1 rearrangement" gives ``v::ROS1``; a
negative form ("ALK-negative") gives a fusion span marked NEGATED, so nothing downstream counts it.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from ..gene_lexicon import GeneHit, GeneLexicon
from ..rules import read_jsonl, read_lines
from .extensions import FUSIONS, NEGATED, add_span, register_extensions

# A gene symbol as papers write it: starts upper-case, may hold digits, a few lower-case letters
# ("C11orf95") and a Greek suffix ("PDGFRβ").
GENE = r"(?-i:[A-Z][A-Za-z0-9]*[A-Z0-9βα])(?![A-Za-z0-9βα])"


class FusionRecognizer:
    """Marks fusion mentions in ``doc.spans["ct_fusions"]`` with ``span._.ct_norm = "A::B"``."""

    def __init__(self, nlp: Language, name: str, rules_file: str, cues_file: str):
        register_extensions()
        self.lexicon = GeneLexicon.load()
        self.rules = [(row["kind"], re.compile(row["pattern"].replace("{GENE}", GENE), re.I))
                      for row in read_jsonl(rules_file)]
        self.cue = re.compile("|".join(read_lines(cues_file)), re.I)

    def __call__(self, doc: Doc) -> Doc:
        taken: list[tuple[int, int]] = []
        for sent in doc.sents:
            text, offset = sent.text, sent.start_char
            has_cue = bool(self.cue.search(text))
            for kind, regex in self.rules:
                for match in regex.finditer(text):
                    start, end = offset + match.start(), offset + match.end()
                    if any(s < end and start < e for s, e in taken):
                        continue
                    if self._add(doc, kind, match, start, end, has_cue):
                        taken.append((start, end))
        return doc

    def _gene(self, symbol: str | None) -> GeneHit | None:
        if not symbol:
            return None
        hit = self.lexicon.lookup(symbol)
        if hit is None or hit.ambiguity == "stop":
            return None
        return hit

    def _add(self, doc: Doc, kind: str, match: re.Match[str], start: int, end: int, has_cue: bool) -> bool:
        groups = match.groupdict()
        a, b = self._gene(groups.get("a")), self._gene(groups.get("b"))
        detail = {"as_written": match.group(0), "form": kind}
        if kind in ("pair", "pair_weak"):
            if a is None or b is None or a.approved == b.approved:
                return False
            if kind == "pair_weak" and not (has_cue and self._fusion_capable(a, b)):
                return False
            five, three = self.lexicon.canonical_pair(a.approved, b.approved)
            if (five, three) != (a.approved, b.approved):
                detail["reversed_in_text"] = True
                groups["ex_a"], groups["ex_b"] = groups.get("ex_b"), groups.get("ex_a")
            exons = [groups.get("ex_a"), groups.get("ex_b")]
            if any(exons):
                detail["exons"] = exons
            detail["genes_as_written"] = [h.as_written for h in (a, b) if h.kind != "approved"]
            return add_span(doc, FUSIONS, start, end, "FUSION", f"{five}::{three}", detail) is not None
        if b is None or self.lexicon.orientation(b.approved) != "3p":
            return False
        span = add_span(doc, FUSIONS, start, end, "FUSION", f"v::{b.approved}", detail)
        if span is not None and kind == "negative":
            span._.ct_modifiers.add(NEGATED)
        return span is not None

    def _fusion_capable(self, a: GeneHit, b: GeneHit) -> bool:
        """A pair written with a plain hyphen or slash is a fusion only if one side is known as a
        fusion partner: "JAK/STAT" or "RAS-RAF" pathways are not fusions."""
        return any(self.lexicon.orientation(h.approved) for h in (a, b))


@Language.factory(
    "casetable_fusions",
    default_config={"rules_file": "fusions.jsonl", "cues_file": "fusion_cues.txt"},
)
def make_fusion_recognizer(nlp: Language, name: str, rules_file: str, cues_file: str) -> FusionRecognizer:
    return FusionRecognizer(nlp, name, rules_file, cues_file)
