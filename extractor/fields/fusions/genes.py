"""Gene lexicon: written gene names -> HGNC approved symbols, word-likeness guards, fusion orientation.

Why this module exists: case reports write genes as HGNC never would (ZNF198 for ZMYM2, TEL for ETV6,
PDGFRβ, NTRK-1, "YWHAE1" with a footnote digit glued on by PDF extraction) and write fusions in either
order ("NTRK3-ETV6"). The output contract wants approved symbols in 5'::3' order, offline, so this module
answers three questions from the rule data committed under patterns/:

* lookup(token)        which approved gene a token names, how it was written, and whether the token is
                       also a clinical word (CR, PD) that needs genetic context before it counts;
* orientation(gene)    whether a gene is usually the 5' or the 3' partner of a fusion;
* canonical_pair(a, b) put a fusion written in the wrong order back to 5', 3';
* known_pair(a, b) / family_member(stem, partner)
                       whether a::b is a documented fusion, and which member of a gene family a
                       shorthand such as "NTRK" in "ETV6-NTRK" names.

Data files (built by scripts/build_gene_lexicon.py and scripts/build_fusion_orientation.py):
genes.tsv(.gz), gene_ambiguous.txt, fusion_orientation.tsv, fusion_orientation_overrides.tsv,
fusion_orientation_pairs.tsv.
"""
from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ...collector import collector_paused
from ...rules import patterns_dir

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["GeneHit", "GeneLexicon"]

PROTEIN_CODING = "protein-coding gene"
ALWAYS_3P = "3p-always"  # orientation label of the overrides file: never the 5' partner

_LOOKUP_CACHE_SIZE = 16384  # distinct tokens remembered per lexicon; a document has a few hundred

# HGNC spells Greek letters with Latin ones (PDGFRβ -> PDGFRB, PKCθ -> PRKCQ): same mapping here.
_GREEK = {
    "α": "A", "β": "B", "γ": "G", "δ": "D", "ε": "E", "ζ": "Z", "η": "H", "θ": "Q", "ι": "I",
    "κ": "K", "λ": "L", "μ": "M", "µ": "M", "ν": "N", "σ": "S", "τ": "T", "ω": "W",
}
_GREEK_RE = re.compile("[" + "".join(_GREEK) + "]")
_SPELLED = {
    "alpha": "A", "beta": "B", "gamma": "G", "delta": "D", "epsilon": "E", "zeta": "Z", "eta": "H",
    "theta": "Q", "iota": "I", "kappa": "K", "lambda": "L", "sigma": "S", "omega": "W",
}
# "PDGFRalpha", "PDGFR-beta", "HIF-1alpha": a spelled Greek letter after an upper-case letter or digit.
_SPELLED_RE = re.compile(r"(?<=[A-Z0-9])[- ]?(" + "|".join(sorted(_SPELLED, key=len, reverse=True)) + r")(\d*)$",
                         re.IGNORECASE)


@dataclass(frozen=True)
class GeneHit:
    """One token resolved to an approved HGNC symbol.

    kind says how far the written form is from HGNC: approved | previous | alias (the token, or its
    orthographic variant with Greek letters transliterated or a "c-" prefix dropped, is that kind of HGNC
    symbol), or near_miss (it only matched after correcting a likely error: an extra hyphen, one extra
    trailing digit, or mouse-style letter case). ambiguity is None, 'context' (count as a gene only with
    genetic context: fusion, rearrangement, mutation, FISH/IHC result...) or 'stop' (never a gene unless
    written inside an explicit A::B fusion). candidates lists every approved gene the symbol names when
    it names more than one (approved is then the preferred one and ambiguity is at least 'context').
    """

    approved: str
    as_written: str
    kind: str  # approved | previous | alias | near_miss
    ambiguity: str | None  # None | 'stop' | 'context'
    candidates: tuple[str, ...] = ()


def _read_text(root: Traversable, name: str) -> str | None:
    """Text of root/name, or of root/name.gz; None when neither exists."""
    plain, packed = root.joinpath(name), root.joinpath(name + ".gz")
    if plain.is_file():
        return plain.read_text(encoding="utf-8")
    if packed.is_file():
        return gzip.decompress(packed.read_bytes()).decode("utf-8")
    return None


def _data_lines(text: str | None, header: str) -> list[list[str]]:
    """Tab-split rows, without '#' comments, blank lines and the header row (first cell == header)."""
    if not text:
        return []
    rows = []
    for line in text.splitlines():
        if not line or line[0] == "#":
            continue
        cells = line.split("\t")
        if cells[0] != header:
            rows.append(cells)
    return rows


def orientation_of(label: str) -> str:
    """The orientation an orientation label gives ('5p', '3p', 'either'): '3p-always' is a '3p'."""
    return "3p" if label == ALWAYS_3P else label


class GeneLexicon:
    """HGNC symbols, their guard classes and fusion orientations; use GeneLexicon.load()."""

    def __init__(
        self,
        symbols: dict[str, list[tuple[str, str]]],
        groups: dict[str, str],
        guard: dict[str, str],
        orientations: dict[str, str],
        pairs: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        self._symbols = symbols  # symbol -> [(approved, kind), ...]
        self._groups = groups  # approved symbol -> HGNC locus_group
        self._guard = guard  # token -> 'stop' | 'context'
        # approved symbol -> '5p' | '3p' | 'either'; '3p-always' (a kinase no documented fusion puts at
        # the 5' end) answers '3p' to orientation() and lets canonical_pair() put an unknown partner first.
        self._always_3p = frozenset(gene for gene, label in orientations.items() if label == ALWAYS_3P)
        self._orient = {gene: orientation_of(label) for gene, label in orientations.items()}
        self._pairs = pairs  # documented fusions as (5', 3') approved symbols
        # Documents repeat their symbols and the data never changes after loading: each lexicon keeps
        # its recent answers (bounded, so a long batch does not grow it).
        self._lookup_cached = lru_cache(maxsize=_LOOKUP_CACHE_SIZE)(self._lookup)

    # -- loading -------------------------------------------------------------------------------------

    @classmethod
    def load(cls) -> GeneLexicon:
        """The lexicon from the committed patterns/, built once per process (about 0.2 s)."""
        return _load_default()

    @classmethod
    def from_directory(cls, root: Traversable | Path) -> GeneLexicon:
        """Build from a patterns directory (not cached; for scripts and tests of other data)."""
        genes = _read_text(root, "genes.tsv")
        if genes is None:
            raise FileNotFoundError(f"no genes.tsv(.gz) in {root}: run scripts/build_gene_lexicon.py")
        symbols: dict[str, list[tuple[str, str]]] = {}
        groups: dict[str, str] = {}
        # ~80k rows: one plain loop with the cyclic GC paused (the new tuples cannot form cycles, and
        # GC passes over them doubled the parse time).
        with collector_paused():
            for line in genes.splitlines():
                if not line or line[0] == "#" or line.startswith("symbol\t"):
                    continue
                symbol, approved, kind, group = line.split("\t")
                rows = symbols.get(symbol)
                if rows is None:
                    symbols[symbol] = [(approved, kind)]
                else:
                    rows.append((approved, kind))
                if kind == "approved":
                    groups[approved] = group
        guard = {cells[0]: cells[1] for cells in _data_lines(_read_text(root, "gene_ambiguous.txt"), "symbol")}
        orientations = {
            cells[0]: cells[3] for cells in _data_lines(_read_text(root, "fusion_orientation.tsv"), "gene")
        }
        # Hand-written overrides win: they exist for what the data cannot decide.
        for cells in _data_lines(_read_text(root, "fusion_orientation_overrides.tsv"), "gene"):
            orientations[cells[0]] = cells[1]
        pairs = frozenset(
            (cells[0], cells[1]) for cells in _data_lines(_read_text(root, "fusion_orientation_pairs.tsv"), "five")
        )
        return cls(symbols, groups, guard, orientations, pairs)

    # -- queries -------------------------------------------------------------------------------------

    def symbols(self) -> list[str]:
        """Every symbol the lexicon knows (approved, previous and alias), e.g. to build matchers."""
        return list(self._symbols)

    def locus_group(self, approved: str) -> str | None:
        """HGNC locus group of an approved symbol ('protein-coding gene', 'non-coding RNA', ...)."""
        return self._groups.get(approved)

    def ambiguity(self, token: str) -> str | None:
        """'stop', 'context' or None for a token as written, whether or not it is an HGNC symbol (PD, IHC)."""
        return self._guard.get(token)

    def lookup(self, token: str) -> GeneHit | None:
        """Resolve a token to an approved symbol, or None when it names no gene.

        Matching is case-sensitive, as HGNC writes symbols: "MET" is a gene, "Met" is only the HGNC alias
        that happens to be an English word. Mouse-style case ("Ros1", "Ntrk3", "Her2") is accepted as a
        near_miss when the upper-cased token names exactly one protein-coding gene and is not word-like
        (so "Met", "Kit", "Alk" stay out). Order of attempts: exact symbol; orthographic variants (Greek
        letters "PDGFRβ", spelled Greek "PDGFR-alpha", "c-" prefix) resolved like exact symbols; near
        misses: an extra hyphen ("NTRK-1") or one extra trailing digit ("YWHAE1", a footnote glued on by
        PDF extraction) onto an approved protein-coding symbol, then letter case. A near miss is tried
        only for a token that is no symbol itself, so "ALK2" stays the ACVR1 alias.
        """
        return self._lookup_cached(token)

    def _lookup(self, token: str) -> GeneHit | None:
        token = token.strip()
        if not token:
            return None
        exact = self._resolve(token)
        if exact is not None:
            return self._hit(token, exact, self._guard.get(token))
        variants = self._variants(token)
        for variant in variants:
            found = self._resolve(variant)
            if found is not None:
                return self._hit(token, found, self._guard.get(token))
        for form in [token, *variants]:
            base = self._near_miss(form)
            if base is not None:
                return GeneHit(base, token, "near_miss", self._guard.get(token) or self._guard.get(base))
        return None

    def orientation(self, approved: str) -> str | None:
        """'5p' or '3p' when the gene is usually that partner of a fusion, 'either' when it is commonly
        both, None when neither the data nor the overrides say."""
        return self._orient.get(approved)

    def known_pair(self, five: str, three: str) -> bool:
        """True when five::three is a documented fusion (fusion_orientation_pairs.tsv)."""
        return (five, three) in self._pairs

    def canonical_pair(self, a: str, b: str) -> tuple[str, str]:
        """(5', 3') for a fusion written as a-b (approved symbols).

        A documented fusion (known_pair) keeps its documented order ("RUNX1-ETV6" -> ETV6::RUNX1, which
        the gene orientations alone cannot decide: RUNX1 is either). Otherwise the pair swaps when a is a
        3' gene and b a 5' (or either-way) gene, or when a is a gene no documented fusion puts at the 5'
        end (ALK, NTRK1: '3p-always' in the overrides) and b is no 3' gene ("NTRK1-PDE4DIP" ->
        PDE4DIP::NTRK1). A pair the data cannot judge keeps the order the authors wrote (most write 5'
        first, as HGNC asks): a kinase of the plain kinase prior may lead a rare fusion (MET::ATXN7L1).
        """
        if self.known_pair(a, b) or self.known_pair(b, a):
            return (a, b) if self.known_pair(a, b) else (b, a)
        oa, ob = self.orientation(a), self.orientation(b)
        if oa == "3p" and (ob in ("5p", "either") or (a in self._always_3p and ob is None)):
            return b, a
        return a, b

    def family_member(self, stem: str, partner: str) -> str | None:
        """The member of a gene family written as its stem ("NTRK" for NTRK1/2/3) that is documented
        as a fusion partner of ``partner``, when exactly one is; None otherwise.

        Papers shorten a fusion to its family ("ETV6-NTRK", "TPM3-NTRK"); the stem is no HGNC symbol,
        and only the documented fusions can tell which member is meant.
        """
        if self._symbols.get(stem) or not stem[:1].isalpha():
            return None
        members = [f"{stem}{n}" for n in range(1, 10) if self._is_coding_approved(f"{stem}{n}")]
        known = [m for m in members if self.known_pair(partner, m) or self.known_pair(m, partner)]
        return known[0] if len(members) > 1 and len(known) == 1 else None

    # -- internals -----------------------------------------------------------------------------------

    def _resolve(self, symbol: str) -> tuple[str, str, tuple[str, ...]] | None:
        """(approved, kind, candidates) for an exact symbol. An approved symbol always wins; an alias of
        several genes prefers the one protein-coding gene, else flags all candidates."""
        rows = self._symbols.get(symbol)
        if not rows:
            return None
        for approved, kind in rows:
            if kind == "approved":
                return approved, kind, ()
        if len(rows) == 1:
            return rows[0][0], rows[0][1], ()
        coding = [r for r in rows if self._groups.get(r[0]) == PROTEIN_CODING]
        if len(coding) == 1:
            return coding[0][0], coding[0][1], ()
        # Several genes: prefer protein-coding, then genes known as fusion partners, then alphabetical.
        ranked = sorted(
            rows, key=lambda r: (self._groups.get(r[0]) != PROTEIN_CODING, r[0] not in self._orient, r[0])
        )
        return ranked[0][0], ranked[0][1], tuple(r[0] for r in ranked)

    def _hit(self, token: str, found: tuple[str, str, tuple[str, ...]], guard: str | None) -> GeneHit:
        approved, kind, candidates = found
        if candidates and guard is None:
            guard = "context"
        return GeneHit(approved, token, kind, guard, candidates)

    @staticmethod
    def _variants(token: str) -> list[str]:
        """Orthographic spellings of the same symbol: Greek letters, spelled Greek, 'c-' prefix."""
        forms: list[str] = []
        base = token[2:] if token[:2] in ("c-", "C-") and len(token) > 3 else token
        if base != token:
            forms.append(base)
        greek = _GREEK_RE.sub(lambda m: _GREEK[m.group(0)], base)
        greek = _SPELLED_RE.sub(lambda m: _SPELLED[m.group(1).lower()] + m.group(2), greek)
        if greek != base:
            forms.append(greek)
            if "-" in greek:
                forms.append(greek.replace("-", ""))
        return forms

    def _is_coding_approved(self, symbol: str) -> bool:
        return self._groups.get(symbol) == PROTEIN_CODING

    def _near_miss(self, token: str) -> str | None:
        """An approved protein-coding symbol the token most likely meant, for a token that is no symbol."""
        if "-" in token:
            joined = token.replace("-", "")
            if self._is_coding_approved(joined):
                return joined  # NTRK-1 -> NTRK1
        if len(token) > 2 and token[-1].isdigit() and self._is_coding_approved(token[:-1]):
            return token[:-1]  # YWHAE1 -> YWHAE (a footnote digit glued on)
        upper = token.upper()
        if len(token) >= 3 and upper != token and any(ch.isupper() for ch in token) and upper not in self._guard:
            found = self._resolve(upper)  # Ros1 -> ROS1, Her2 -> HER2 -> ERBB2
            if found is not None and not found[2] and self._is_coding_approved(found[0]):
                return found[0]
        return None


@lru_cache(maxsize=1)
def _load_default() -> GeneLexicon:
    return GeneLexicon.from_directory(patterns_dir())
