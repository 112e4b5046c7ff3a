"""Genes and fusions: every way papers write a fusion, normalised to HGNC ``5'::3'``.

The forms are rule data (patterns/fusions.jsonl, cues in patterns/fusion_cues.txt); this module holds
the logic that judges them, one sentence at a time:

* Unicode hyphens read as '-', karyotypes ("t(2;17)(p23;q23)") blanked: bands are not genes;
* negative forms ("ALK-negative", "no ALK, RET or NTRK fusion", "IHC for ALK was negative") give
  fusion spans marked NEGATED, which claim their words so no positive form reads them again;
* pairs in so many words ("fusion of ETV6 and NTRK3", "EML4 exon 13 fused to ALK exon 20");
* chains of symbols joined by ``::``, a dash, ``/`` or ``:`` ("EML4-ALK", "FGFR3-TACC3/FGFR2-CCDC6"):
  a pair counts when it is written ``::``, is a documented fusion or a 5'/3' pair of known partners,
  is followed by a fusion noun, or stands in a sentence that speaks of a fusion; lists ("ALK/ROS1")
  and pathways ("RAS-RAF-MEK", "JAK-STAT pathway") do not; "no EML4-ALK fusion" is NEGATED;
* partner-less forms ("ROS1-rearranged", "FGFR2 fusion") give ``v::ROS1`` / ``FGFR2::v`` (VICC); a
  bare "X-positive" only for genes whose positivity means a rearrangement (ALK, ROS1) or beside a
  rearrangement test ("by FISH"): "HER2-positive" is no fusion;
* what a test looked for ("screened for ALK/ROS1 fusions") is not a fusion found.

Symbols resolve through the HGNC lexicon (approved, previous and alias symbols, near misses such as
"YWHAE1", lower case "etv6" for known fusion partners, family shorthand such as "NTRK" in "ETV6-NTRK");
the written spelling stays in the span and its detail. The pair's order comes from the data
(GeneLexicon.canonical_pair). A fusion in a sentence about a kind of tumour ("In IMTs, ...") or one of
several alternative partners named together is marked ``generic``: the literature's, not the patient's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from ...annotations import FUSIONS, NEGATED, add_span, attribute, detail_of, doc_text, modifiers_of, register_extensions
from ...regex_screen import Screened, case_folded
from ...rules import read_jsonl, read_lines, row_format
from .genes import GeneHit, GeneLexicon

PARTNER_UNKNOWN = "v"
_CHAIN_CACHE_SIZE = 8192  # chain texts whose gene pairs are remembered
ORIENTED = ("5p", "3p", "either")
# A row defines a named sub-pattern, lists genes, or is a rule of a kind (needing a cue strength).
FUSION_ROW = row_format("", "define pattern kind needs genes why",
                        kind="after chain exons generic mask negative pair partnerless rearranged_when_positive",
                        needs="method strong")


# -- the vocabulary of normalised fusion names ------------------------------------------------------

def partner_less_gene(norm: str) -> str | None:
    """The gene of a partner-less fusion ("v::ROS1" -> ROS1, "FGFR2::v" -> FGFR2), else None."""
    five, _, three = norm.partition("::")
    if five == PARTNER_UNKNOWN:
        return three
    return five if three == PARTNER_UNKNOWN else None


# -- the recogniser ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """One row of patterns/fusions.jsonl: its kind, compiled pattern and the cue it needs, if any."""

    kind: str
    regex: Screened
    needs: str | None = None


class Cues:
    """Which cue strengths of patterns/fusion_cues.txt the sentence holds, each searched for when a rule
    first asks: most sentences are settled without any."""

    def __init__(self, regexes: dict[str, Screened], text: str, folded: str) -> None:
        self._regexes, self._text, self._folded = regexes, text, folded

    def _holds(self, strength: str) -> bool:
        regex = self._regexes.get(strength)
        return regex is not None and regex.search(self._text, self._folded) is not None

    @cached_property
    def strong(self) -> bool:
        return self._holds("strong")

    @cached_property
    def weak(self) -> bool:
        return self._holds("weak")

    @cached_property
    def method(self) -> bool:
        return self._holds("method")


@dataclass
class Sentence:
    """One sentence being read: ``raw`` as written, ``text`` with hyphens normalised and karyotypes
    blanked (same length), ``folded`` for ``Screened`` regexes, ``offset`` of its first character in
    the Doc, the fusions found so far."""

    doc: Doc
    raw: str
    text: str
    folded: str
    offset: int
    cues: Cues
    found: list[Found] = field(default_factory=list)


@dataclass(frozen=True)
class Found:
    """A fusion span of the sentence with the norm and the detail dict it was given: read here
    rather than through ``span._``, where every read is a Doc-wide look-up."""

    span: Span
    norm: str
    detail: dict


class Element(NamedTuple):
    """One symbol-like word of a chain, with its exon when the text gives one ("CD74 (exon 6)").
    A named tuple: chains are many ("follow-up", "18F-FDG") and a frozen dataclass is slow to build."""

    text: str
    start: int
    end: int
    exon: str | None
    sep_before: str | None


def _load_rules(rules_file: str) -> tuple[dict[str, str], list[Rule], frozenset[str]]:
    """Defines (expanded in order), rules and the rearranged-when-positive genes of patterns/fusions.jsonl."""
    defines: dict[str, str] = {}
    rules: list[Rule] = []
    positive: set[str] = set()

    def expand(pattern: str) -> str:
        return re.sub(r"\{([A-Z_]+)\}", lambda m: defines[m.group(1)], pattern)

    for row in read_jsonl(rules_file, FUSION_ROW):
        if "define" in row:
            defines[row["define"]] = expand(row["pattern"])
        elif row["kind"] == "rearranged_when_positive":
            positive.update(row["genes"])
        else:
            rules.append(Rule(row["kind"], Screened.compile(expand(row["pattern"]), re.IGNORECASE), row.get("needs")))
    return defines, rules, frozenset(positive)


class FusionRecognizer:
    """Marks fusion mentions in ``doc.spans["ct_fusions"]`` with ``span._.ct_norm = "A::B"``.

    ``span._.ct_detail`` keeps what a curator checks: ``as_written``, ``form``, ``genes_as_written``
    (symbols that were not approved as written: aliases, near misses), ``exons``, ``variant``,
    ``reversed_in_text`` and ``generic``.
    """

    def __init__(self, nlp: Language, name: str, rules_file: str, cues_file: str):
        register_extensions()
        self.lexicon = GeneLexicon.load()
        defines, rules, self.rearranged_when_positive = _load_rules(rules_file)
        self.masks = [r.regex for r in rules if r.kind == "mask"]
        self.forms = [r for r in rules if r.kind in ("negative", "pair", "chain", "partnerless")]
        self.breakpoints = [r.regex for r in rules if r.kind == "exons"]
        self.after = [r.regex.regex for r in rules if r.kind == "after"]
        self.generic = [r.regex for r in rules if r.kind == "generic"]
        unknown = {r.kind for r in rules} - {"mask", "negative", "pair", "chain", "partnerless", "exons", "after", "generic"}
        if unknown:
            raise ValueError(f"patterns/{rules_file}: unknown rule kinds {sorted(unknown)}")
        self.may_name_gene = re.compile(defines["MAY_NAME_GENE"])
        self.gene = re.compile(defines["GENE"])
        self.not_after = re.compile(defines["NOT_AFTER"], re.IGNORECASE)
        self.fusion_after = re.compile(defines["FUSION_AFTER"], re.IGNORECASE)
        self.neg_before = re.compile(defines["NEG_BEFORE"], re.IGNORECASE)
        self.neg_after = re.compile(defines["NEG_AFTER"], re.IGNORECASE)
        self.tested_before = Screened.compile(defines["TESTED_BEFORE"], re.IGNORECASE)
        self.hyphens = re.compile(defines["HYPHENS"])
        self.chain_token = re.compile(
            f"(?P<exon>{defines['EXON']})|(?P<sep>{defines['SEP']})|(?P<elem>{defines['ELEM']})", re.IGNORECASE)
        cues: dict[str, list[str]] = {}
        for line in read_lines(cues_file):
            strength, regex = line.split("\t", 1)
            cues.setdefault(strength, []).append(regex)
        self.cues = {k: Screened.compile("|".join(v), re.IGNORECASE) for k, v in cues.items()}
        self.chain_pairs = lru_cache(maxsize=_CHAIN_CACHE_SIZE)(self._chain_pairs)  # bounded: one entry per chain text

    # -- driving -------------------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        doc_chars = doc_text(doc)  # Span.text would join the sentence's tokens anew
        for sent in doc.sents:
            raw = doc_chars[sent.start_char:sent.end_char]
            if not self.may_name_gene.search(raw):
                continue
            text, folded = self._normalised(raw)
            self._read(Sentence(doc, raw, text, folded, sent.start_char, Cues(self.cues, text, folded)))
        return doc

    def _read(self, sent: Sentence) -> None:
        taken: list[tuple[int, int]] = []
        for rule in self.forms:
            if not rule.regex.may_match(sent.folded) or (rule.needs == "strong" and not sent.cues.strong):
                continue
            for match in rule.regex.regex.finditer(sent.text):
                if any(s < match.end() and match.start() < e for s, e in taken):
                    continue
                spans = self._apply(sent, rule, match)
                if spans:
                    taken.append((match.start(), match.end()) if rule.kind != "chain" else
                                 (min(s.start_char for s in spans) - sent.offset,
                                  max(s.end_char for s in spans) - sent.offset))
        if sent.found:
            self._details(sent)

    def _normalised(self, raw: str) -> tuple[str, str]:
        """The sentence with Unicode hyphens read as '-' and karyotypes blanked (offsets unchanged),
        and that text ``case_folded``."""
        text = self.hyphens.sub("-", raw)
        folded = case_folded(text)
        for mask in self.masks:
            if mask.may_match(folded):
                blanked = mask.regex.sub(lambda m: " " * len(m.group(0)), text)
                if blanked != text:
                    text, folded = blanked, case_folded(blanked)
        return text, folded

    def _apply(self, sent: Sentence, rule: Rule, match: re.Match[str]) -> list[Span]:
        if rule.kind == "negative":
            return self._negative(sent, match)
        if self.tested_before.search(sent.text, sent.folded, match.start()):
            return []  # "the panel tested for ALK/ROS1 fusions": what was looked for, not what was found
        if rule.kind == "chain":
            return self._chain(sent, match)
        if rule.kind == "pair":
            groups = match.groupdict()
            a, b = self._resolve(groups["a"]), self._resolve(groups["b"])
            if a is None or b is None or a.approved == b.approved or "stop" in (a.ambiguity, b.ambiguity):
                return []
            span = self._pair(sent, a, b, match.start(), match.end(), rule.kind,
                              [groups.get("ex_a"), groups.get("ex_b")])
            return [span] if span is not None else []
        hit = self._resolve(match.group("b"))  # partnerless
        if hit is None or hit.ambiguity == "stop" or hit.candidates:
            return []
        if rule.needs == "method" and not (sent.cues.method or hit.approved in self.rearranged_when_positive):
            return []
        span = self._partner_less(sent, hit, match.start(), match.end(), rule.kind)
        return [span] if span is not None else []

    # -- genes ---------------------------------------------------------------------------------------

    def _resolve(self, token: str | None, *, partner: GeneHit | None = None) -> GeneHit | None:
        """The gene a written token names, or None. An all-lower-case token ("etv6") counts only for
        a known fusion partner that is no word; a family stem ("NTRK") only beside a documented partner."""
        if not token:
            return None
        hit = self.lexicon.lookup(token)
        if hit is not None:
            return hit
        if token.islower():
            upper = self.lexicon.lookup(token.upper())
            if upper is not None and upper.ambiguity is None and self.lexicon.orientation(upper.approved):
                return GeneHit(upper.approved, token, "near_miss", None)
        if partner is not None:
            member = self.lexicon.family_member(token.upper(), partner.approved)
            if member is not None:
                return GeneHit(member, token, "family", None)
        return None

    def _orientation(self, hit: GeneHit) -> str | None:
        return self.lexicon.orientation(hit.approved)

    # -- spans ---------------------------------------------------------------------------------------

    def _add(self, sent: Sentence, start: int, end: int, norm: str, detail: dict) -> Span | None:
        """A fusion span over sentence characters start..end; one token may hold two fusions
        ("FGFR3-TACC3/FGFR2-CCDC6" is one token), each its own span."""
        span = sent.doc.char_span(sent.offset + start, sent.offset + end, alignment_mode="expand")
        if span is None:
            return None
        if any(f.norm == norm and (f.span.start, f.span.end) == (span.start, span.end) for f in sent.found):
            return None
        detail = {"as_written": sent.raw[start:end], **detail}
        span = add_span(sent.doc, FUSIONS, sent.offset + start, sent.offset + end, "FUSION", norm, detail)
        if span is not None:
            sent.found.append(Found(span, norm, detail_of(span)))
        return span

    def _negative(self, sent: Sentence, match: re.Match[str]) -> list[Span]:
        """One NEGATED span per oriented gene of the list (over the gene itself when there are several)."""
        tokens = list(self.gene.finditer(match.group("genes")))
        base = match.start("genes")
        spans = []
        for token in tokens:
            hit = self._resolve(token.group(0))
            if hit is None or hit.ambiguity == "stop":
                continue
            start, end = ((match.start(), match.end()) if len(tokens) == 1
                          else (base + token.start(), base + token.end()))
            span = self._partner_less(sent, hit, start, end, "negative")
            if span is not None:
                modifiers_of(span).add(NEGATED)
                spans.append(span)
        return spans

    def _partner_less(self, sent: Sentence, hit: GeneHit, start: int, end: int, form: str) -> Span | None:
        orientation = self._orientation(hit)
        if orientation not in ORIENTED:
            return None
        norm = f"{hit.approved}::{PARTNER_UNKNOWN}" if orientation == "5p" else f"{PARTNER_UNKNOWN}::{hit.approved}"
        detail: dict = {"form": form}
        if hit.kind != "approved":
            detail["genes_as_written"] = [hit.as_written]
        return self._add(sent, start, end, norm, detail)

    def _pair(self, sent: Sentence, a: GeneHit, b: GeneHit, start: int, end: int, form: str,
              exons: list[str | None]) -> Span | None:
        """A named fusion, put in 5'::3' order, with the exons and variant written beside it; NEGATED
        when the words around deny it ("no EML4-ALK fusion", "EML4-ALK was not detected")."""
        five, three = self.lexicon.canonical_pair(a.approved, b.approved)
        reversed_in_text = (five, three) != (a.approved, b.approved)
        detail: dict = {"form": form}
        written = [h.as_written for h in (a, b) if h.kind != "approved"]
        if written:
            detail["genes_as_written"] = written
        for regex in self.after:
            after = regex.match(sent.text, end)
            found = after.groupdict() if after is not None else {}
            if found.get("variant"):
                detail.setdefault("variant", found["variant"])
            if found.get("ex_a") and not any(exons):
                exons = [found["ex_a"], found["ex_b"]]
        if any(exons):
            detail["exons"] = exons[::-1] if reversed_in_text else exons
        if reversed_in_text:
            detail["reversed_in_text"] = True
        span = self._add(sent, start, end, f"{five}::{three}", detail)
        if span is not None and (self.neg_before.search(sent.text, 0, start) or self.neg_after.match(sent.text, end)):
            modifiers_of(span).add(NEGATED)
        return span

    # -- chains of symbols ---------------------------------------------------------------------------

    def _chain(self, sent: Sentence, match: re.Match[str]) -> list[Span]:
        """Pairs of a chain of symbols: runs of genes split at '/', two genes a pair."""
        spans = []
        base = match.start()
        for first, a, second, b in self.chain_pairs(match.group(0)):
            end = base + second.end
            named_a_fusion = bool(self.fusion_after.match(sent.text, end))
            if a.approved == b.approved or not self._is_fusion(a, b, second.sep_before or "", sent.cues, named_a_fusion):
                continue
            if self.not_after.match(sent.text, end):
                continue  # "JAK-STAT pathway", "BCR-ABL1-like", "a BCR-ABL1 probe"
            span = self._pair(sent, a, b, base + first.start, end, "chain", [first.exon, second.exon])
            if span is not None:
                spans.append(span)
        return spans

    def _chain_pairs(self, chain: str) -> tuple[tuple[Element, GeneHit, Element, GeneHit], ...]:
        """The two-gene groups of a chain's text, positions counted from its start. They depend on the
        text alone, so ``self.chain_pairs`` remembers them: chains recur ("follow-up", "EML4-ALK")."""
        return tuple((first, a, second, b) for (first, a), (second, b) in
                     (g for g in self._groups(self._elements(chain)) if len(g) == 2))

    def _elements(self, chain: str) -> list[Element]:
        """The words of a chain with the separator before each and the exon after each; a hyphenated
        HGNC symbol ("NKX2-1", "HLA-A") stays one word."""
        elements: list[Element] = []
        sep: str | None = None
        for token in self.chain_token.finditer(chain):
            start, end = token.start(), token.end()
            if token.group("sep") is not None:
                sep = token.group("sep").strip()
            elif token.group("exon") is not None and elements:
                last = elements[-1]
                exon = re.search(r"\d+", token.group(0)).group(0)
                elements[-1] = Element(last.text, last.start, end, exon, last.sep_before)
            elif token.group("elem") is not None:
                word, last = token.group("elem"), elements[-1] if elements else None
                joined = f"{last.text}-{word}" if last is not None and sep == "-" and last.exon is None else ""
                hit = self.lexicon.lookup(joined) if joined else None
                if hit is not None and hit.kind != "near_miss":
                    elements[-1] = Element(joined, last.start, end, None, last.sep_before)
                else:
                    elements.append(Element(word, start, end, None, sep))
                sep = None
        return elements

    def _groups(self, elements: list[Element]) -> list[list[tuple[Element, GeneHit]]]:
        """Runs of words that name genes, each split at '/' when it holds more than two ("A-B/C-D").
        A family stem ("NTRK") counts as a gene beside a partner it is documented with."""
        hits = [self._resolve(e.text) for e in elements]
        for i, element in enumerate(elements):
            for j in (i - 1, i + 1):
                if hits[i] is None and 0 <= j < len(elements) and hits[j] is not None:
                    hits[i] = self._resolve(element.text, partner=hits[j])
        runs: list[list[tuple[Element, GeneHit]]] = [[]]
        for element, hit in zip(elements, hits):
            if hit is None:
                runs.append([])
            else:
                runs[-1].append((element, hit))
        groups = []
        for run in runs:
            part: list[tuple[Element, GeneHit]] = []
            for item in run:
                if part and len(run) > 2 and item[0].sep_before == "/":
                    groups.append(part)
                    part = []
                part.append(item)
            groups.append(part)
        return groups

    def _is_fusion(self, a: GeneHit, b: GeneHit, sep: str, cues: Cues, named_a_fusion: bool) -> bool:
        """Whether two genes written side by side name a fusion rather than a list or a pathway.
        ``named_a_fusion``: a fusion noun follows the pair ("SET-NUP214 fusion")."""
        if sep == "::":
            return True
        if "stop" in (a.ambiguity, b.ambiguity):
            return False
        oa, ob = self._orientation(a), self._orientation(b)
        documented = (self.lexicon.known_pair(a.approved, b.approved) or self.lexicon.known_pair(b.approved, a.approved)
                      or {oa, ob} == {"5p", "3p"})
        if documented:
            return True
        if oa == ob == "3p":
            return False  # two 3' kinases: a list of drivers ("ALK/ROS1 fusions")
        if named_a_fusion:
            return True
        if oa is None and ob is None:
            return False  # neither gene is a known fusion partner, and no fusion noun follows
        if sep == "/":
            return False  # "KRAS/BRAF mutations": a slash joins list items unless the pair is documented
        return cues.strong or cues.weak

    # -- sentence-level detail -----------------------------------------------------------------------

    def _details(self, sent: Sentence) -> None:
        """Breakpoint exons for the pair before them; ``generic`` for a sentence about a kind of tumour
        or one that names several alternative partners of a gene."""
        pairs = [f for f in sent.found if partner_less_gene(f.norm) is None]
        for regex in self.breakpoints if pairs else ():
            for match in regex.finditer(sent.text, sent.folded):
                before = [f for f in pairs if f.span.start_char - sent.offset <= match.start()] or pairs
                detail = before[-1].detail
                exons = [match.group("ex_a"), match.group("ex_b")]
                detail["exons"] = exons[::-1] if detail.get("reversed_in_text") else exons
        named = {f.norm for f in pairs if NEGATED not in modifiers_of(f.span)}
        genes = [g for n in named for g in n.split("::")]
        if len(genes) != len(set(genes)) or any(r.search(sent.text, sent.folded) for r in self.generic):
            for found in sent.found:
                found.detail["generic"] = True


COMPONENT = "casetable_fusions"


@Language.factory(
    COMPONENT,
    assigns=[attribute(FUSIONS)],
    default_config={"rules_file": "fusions.jsonl", "cues_file": "fusion_cues.txt"},
)
def make_fusion_recognizer(nlp: Language, name: str, rules_file: str, cues_file: str) -> FusionRecognizer:
    return FusionRecognizer(nlp, name, rules_file, cues_file)
