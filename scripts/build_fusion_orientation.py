#!/usr/bin/env python
"""Build patterns/fusion_orientation.tsv: which genes are the 5' and which the 3' partner of fusions.

Why: papers write fusions in either order ("NTRK3-ETV6", "ALK/EML4") while the output contract wants
HGNC 5'::3'. GeneLexicon.canonical_pair() reorders a pair only when this table (plus the hand-written
patterns/fusion_orientation_overrides.tsv) says the first gene is a 3' gene and the second a 5' one.

    /tmp/venv/bin/python scripts/build_gene_lexicon.py          # first: the lexicon this script uses
    /tmp/venv/bin/python scripts/build_fusion_orientation.py [--civicmine DIR] [--hgnc PATH]

Evidence, in order of strength:
1. CIViCmine sentences (CC0; {training,testing}.tar.gz: .txt sentence + .json entities): every fusion
   written `A::B`, `A-B` or `A/B` in a sentence with a fusion cue (fusion, fused, rearranged,
   translocation, chimeric, t(..;..), Philadelphia) counts A as written 5' and B as written 3'. Pairs
   come from CIViCmine's own `fusion,HGNC:a,HGNC:b` entity ids and from a regex over the sentence; both
   genes must resolve to one approved symbol (an alias that names several genes is resolved only when
   exactly one candidate starts with the written name: ABL -> ABL1, RAR -> RARA), and neither may be a
   `stop` word of gene_ambiguous.txt (RET/PTC: PTC is papillary thyroid carcinoma) unless written `::`.
   Counted once per distinct sentence.
2. HGNC gene groups: protein kinases of the tyrosine-kinase families, the RAF family, the MAP3Ks and the
   AGC kinases are 3' by default when the sentences say nothing: an oncogenic kinase fusion keeps the
   C-terminal kinase domain, which the 3' partner contributes (ALK, ROS1, NTRK1-3, RET, ABL1, BRAF).
Decision per gene with n = n_5prime + n_3prime >= --min-mentions: 5p when >= 75% of its mentions are
5', 3p when <= 25%, else either; genes without mentions but in a kinase group: 3p.

It also writes patterns/fusion_orientation_pairs.tsv, the documented fusions (5', 3'): every pair
counted in the CIViCmine sentences plus every fusion that a reason of fusion_orientation_overrides.tsv
names in HGNC notation (A::B). GeneLexicon uses them to order a pair whose genes' orientations alone
cannot decide it (RUNX1-ETV6 -> ETV6::RUNX1) and to resolve a family shorthand ("ETV6-NTRK" -> NTRK3).

With shared/corpus present, the merged table (with overrides) is also checked against the curated
fusions of the evaluation corpus and the agreement is printed; the corpus is never used as evidence.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
import tarfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from extractor.fields.fusions.genes import GeneLexicon, orientation_of  # noqa: E402

SHARED = REPO.parent / "shared"
DEFAULT_CIVICMINE = SHARED / "data" / "civicmine"
DEFAULT_HGNC = SHARED / "data" / "hgnc" / "hgnc_complete_set.txt.gz"
DEFAULT_CORPUS = SHARED / "corpus"
PATTERNS = REPO / "patterns"

HGNC_FUSION = re.compile(r"\b([A-Z][A-Z0-9-]*[A-Z0-9])::([A-Z][A-Z0-9-]*[A-Z0-9])\b")
CUE = re.compile(r"fusion|fused|rearrang|translocat|chimer|::|\bt\(\d|Philadelphia|\bPh\s?\+", re.IGNORECASE)
PAIR = re.compile(r"(?=\b([A-Za-z][A-Za-z0-9]*)(::|[-/\u2013])([A-Za-z][A-Za-z0-9]*)\b)")
SPLIT = re.compile(r"::|[-/\u2013]")
KINASE_GROUP = re.compile(
    r"tyrosine kinases$|^RAF family$|^Mitogen-activated protein kinase kinase kinases$|^AGC family kinases$"
)
# Genes the lead listed as sanity checks: reported with their counts, never hard-coded.
EXPECTED_3P = ["ALK", "ROS1", "NTRK1", "NTRK2", "NTRK3", "RET", "BRAF", "ABL1", "PDGFRA", "RARA", "MET"]
EXPECTED_5P = ["EML4", "ETV6", "BCR", "TPM3", "KIF5B", "CD74", "NPM1", "PML", "FGFR1", "FGFR2", "FGFR3"]


@dataclass(frozen=True)
class Sentence:
    text: str
    pmid: str
    entities: tuple[dict, ...]


def read_civicmine(folder: Path) -> list[Sentence]:
    """Distinct sentences of every *.json member of the CIViCmine tarballs in folder."""
    seen: dict[str, Sentence] = {}
    for name in ("training.tar.gz", "testing.tar.gz"):
        with tarfile.open(folder / name) as tar:
            for member in sorted(tar.getmembers(), key=lambda m: m.name):
                if not member.name.endswith(".json"):
                    continue
                doc = json.load(tar.extractfile(member))
                text = doc["text"]
                if text not in seen:
                    seen[text] = Sentence(text, str(doc.get("pmid", "")), tuple(doc["entities"].values()))
    return [seen[t] for t in sorted(seen)]


def read_hgnc(path: Path) -> dict[str, dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return {r["hgnc_id"]: r for r in csv.DictReader(fh, delimiter="\t") if r["status"] == "Approved"}


def pick(written: str, ids: list[str], hgnc: dict[str, dict[str, str]]) -> str | None:
    """One approved symbol for a written fusion part from CIViCmine's candidate HGNC ids."""
    symbols = sorted({hgnc[i]["symbol"] for i in ids if i in hgnc})
    if len(symbols) == 1:
        return symbols[0]
    if written in symbols:
        return written
    prefixed = [s for s in symbols if s.upper().startswith(written.upper())]
    return prefixed[0] if len(prefixed) == 1 else None


def annotated_pairs(sent: Sentence, hgnc: dict[str, dict[str, str]], lex: GeneLexicon) -> set[tuple[str, str]]:
    """Pairs from CIViCmine entities whose ids read `fusion,<5' ids>,<3' ids>`."""
    pairs = set()
    for ent in sent.entities:
        ids = ent.get("entityids", "").split(",")
        parts = SPLIT.split(ent.get("entitytxt", ""))
        if ids[0] != "fusion" or len(ids) != 3 or len(parts) != 2:
            continue
        if "::" not in ent["entitytxt"] and any(lex.ambiguity(p) == "stop" for p in parts):
            continue
        five, three = pick(parts[0], ids[1].split(";"), hgnc), pick(parts[1], ids[2].split(";"), hgnc)
        if five and three and five != three:
            pairs.add((five, three))
    return pairs


def regex_pairs(text: str, lex: GeneLexicon) -> set[tuple[str, str]]:
    """A-B, A/B and A::B in the sentence where both sides are one HGNC gene each (no near misses)."""
    pairs = set()
    for m in PAIR.finditer(text):
        a, sep, b = m.group(1), m.group(2), m.group(3)
        hits = [lex.lookup(a), lex.lookup(b)]
        if any(h is None or h.kind == "near_miss" or h.candidates for h in hits):
            continue
        if sep != "::" and any(h.ambiguity == "stop" for h in hits):
            continue
        if hits[0].approved != hits[1].approved:
            pairs.add((hits[0].approved, hits[1].approved))
    return pairs


def count_orientations(
    sentences: list[Sentence], hgnc: dict[str, dict[str, str]], lex: GeneLexicon
) -> tuple[Counter, Counter, Counter]:
    n5: Counter = Counter()
    n3: Counter = Counter()
    pair_counts: Counter = Counter()
    for sent in sentences:
        if not CUE.search(sent.text):
            continue
        for five, three in annotated_pairs(sent, hgnc, lex) | regex_pairs(sent.text, lex):
            n5[five] += 1
            n3[three] += 1
            pair_counts[f"{five}::{three}"] += 1
    return n5, n3, pair_counts


def kinase_genes(hgnc: dict[str, dict[str, str]]) -> dict[str, str]:
    """Approved protein-coding kinases -> the HGNC gene group that marks them."""
    out = {}
    for row in hgnc.values():
        if row["locus_group"] != "protein-coding gene":
            continue
        groups = [g for g in row["gene_group"].strip('"').split("|") if KINASE_GROUP.search(g)]
        if groups:
            out[row["symbol"]] = groups[0]
    return out


def decide(n5: int, n3: int, min_mentions: int) -> str | None:
    n = n5 + n3
    if n < min_mentions or n == 0:
        return None
    share = n5 / n
    return "5p" if share >= 0.75 else "3p" if share <= 0.25 else "either"


def build_table(n5: Counter, n3: Counter, kinases: dict[str, str], min_mentions: int) -> list[tuple]:
    rows = []
    for gene in sorted(set(n5) | set(n3) | set(kinases)):
        label = decide(n5[gene], n3[gene], min_mentions)
        if label is not None:
            basis = "civicmine"
        elif gene in kinases:
            label, basis = "3p", f"hgnc kinase prior ({kinases[gene]})"
        else:
            continue
        rows.append((gene, n5[gene], n3[gene], label, basis))
    return rows


def write_table(rows: list[tuple], n_sent: int, pair_counts: Counter, out: Path) -> None:
    counted = {r[0] for r in rows if r[4] == "civicmine"}
    thin = [g for g in EXPECTED_3P + EXPECTED_5P if g not in counted]
    lines = [
        "# Fusion partner orientation, built by scripts/build_fusion_orientation.py; do not edit by hand",
        "# (hand-written calls go to fusion_orientation_overrides.tsv, which GeneLexicon applies on top).",
        f"# Evidence: {n_sent} distinct CIViCmine sentences (CC0) -> {sum(pair_counts.values())} fusion mentions:",
        "#   " + ", ".join(f"{p} x{n}" for p, n in sorted(pair_counts.items())),
        "# plus the HGNC kinase-group prior (a kinase fusion keeps the C-terminal kinase: kinase = 3').",
        "# The CIViCmine sample is too thin to decide most genes: no mention at all for "
        + ", ".join(thin) + ";",
        "# those rest on the kinase prior or on the overrides file. n_5prime/n_3prime count sentences.",
        "# orientation: 5p | 3p | either; basis: civicmine (counted) or the HGNC kinase prior.",
        "gene\tn_5prime\tn_3prime\torientation\tbasis",
    ]
    lines += ["\t".join(str(c) for c in r) for r in rows]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_overrides(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        cells = line.split("\t")
        if line and not line.startswith("#") and cells[0] != "gene":
            out[cells[0]] = cells[1]
    return out


def override_pairs(path: Path, lex: GeneLexicon) -> set[tuple[str, str]]:
    """Fusions named as A::B in the reasons of the overrides file, both sides approved symbols."""
    pairs = set()
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        cells = line.split("\t")
        if not line or line.startswith("#") or cells[0] == "gene" or len(cells) < 3:
            continue
        for five, three in HGNC_FUSION.findall(cells[2]):
            hits = lex.lookup(five), lex.lookup(three)
            if any(h is None or h.kind != "approved" for h in hits):
                sys.exit(f"override reason names {five}::{three}, not two approved symbols: {line}")
            pairs.add((five, three))
    return pairs


def write_pairs(pair_counts: Counter, from_overrides: set[tuple[str, str]], out: Path) -> int:
    counted = {tuple(p.split("::")): n for p, n in pair_counts.items()}
    pairs = sorted(set(counted) | from_overrides)
    lines = [
        "# Documented fusions (HGNC 5'::3'), built by scripts/build_fusion_orientation.py; do not edit by hand.",
        "# source: civicmine (counted in CIViCmine sentences, n_civicmine) and/or overrides (named as A::B in a",
        "# reason of fusion_orientation_overrides.tsv). GeneLexicon.known_pair() reads them.",
        "five\tthree\tn_civicmine\tsource",
    ]
    for pair in pairs:
        source = "+".join(s for s, has in (("civicmine", pair in counted), ("overrides", pair in from_overrides)) if has)
        lines.append(f"{pair[0]}\t{pair[1]}\t{counted.get(pair, 0)}\t{source}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(pairs)


def check_corpus(corpus: Path, lex: GeneLexicon) -> None:
    """Print how the merged table treats the curated fusions of the evaluation corpus (measure only)."""
    gold: Counter = Counter()
    statements = corpus / "civic_auto" / "statements.jsonl"
    if statements.exists():
        for line in statements.read_text(encoding="utf-8").splitlines():
            gold.update(json.loads(line).get("fusions", []))
    for path in sorted((corpus / "gold").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            gold.update(p["fusion"] for p in json.loads(line).get("patients", []) if p.get("fusion"))
    pairs = sorted({tuple(f.split("::")) for f in gold if "::" in f and not f.startswith("v::")})
    print(f"check against {corpus} ({len(pairs)} distinct curated fusions, measure only):")
    kept = [p for p in pairs if lex.canonical_pair(*p) == p]
    fixed = [p for p in pairs if lex.canonical_pair(p[1], p[0]) == p]
    print(f"  written 5'::3' kept {len(kept)}/{len(pairs)}, written reversed put back {len(fixed)}/{len(pairs)}")
    print(f"    broken: {['::'.join(p) for p in pairs if p not in kept]}")
    print(f"    left reversed: {['::'.join(p) for p in pairs if p not in fixed]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--civicmine", type=Path, default=DEFAULT_CIVICMINE)
    ap.add_argument("--hgnc", type=Path, default=DEFAULT_HGNC)
    ap.add_argument("--out", type=Path, default=PATTERNS / "fusion_orientation.tsv")
    ap.add_argument("--pairs-out", type=Path, default=PATTERNS / "fusion_orientation_pairs.tsv")
    ap.add_argument("--min-mentions", type=int, default=1, help="sentences a gene needs to be judged")
    ap.add_argument("--check-corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args(argv)
    for need in (args.civicmine / "training.tar.gz", args.hgnc):
        if not need.exists():
            sys.exit(f"not found: {need} (see --help)")

    lex = GeneLexicon.from_directory(PATTERNS)
    hgnc = read_hgnc(args.hgnc)
    sentences = read_civicmine(args.civicmine)
    n5, n3, pair_counts = count_orientations(sentences, hgnc, lex)
    rows = build_table(n5, n3, kinase_genes(hgnc), args.min_mentions)
    write_table(rows, len(sentences), pair_counts, args.out)
    n_pairs = write_pairs(pair_counts, override_pairs(PATTERNS / "fusion_orientation_overrides.tsv", lex),
                          args.pairs_out)
    print(f"{args.pairs_out}: {n_pairs} documented fusions")

    by_gene = {r[0]: r for r in rows}
    overrides = read_overrides(PATTERNS / "fusion_orientation_overrides.tsv")
    print(f"{args.out}: {len(rows)} genes ({sum(r[4] == 'civicmine' for r in rows)} counted in "
          f"{len(sentences)} sentences, {len(pair_counts)} distinct fusions)")
    for gene, label in sorted(overrides.items()):
        row = by_gene.get(gene)
        if row and row[4] == "civicmine" and row[3] != orientation_of(label):
            print(f"  WARNING: data say {gene} {row[3]} ({row[1]}/{row[2]}), override says {label}")
    print("gene\tn_5prime\tn_3prime\tdata\toverride\tused")
    for gene in EXPECTED_3P + EXPECTED_5P:
        row = by_gene.get(gene, (gene, 0, 0, "-", ""))
        print(f"{gene}\t{row[1]}\t{row[2]}\t{row[3]}\t{overrides.get(gene, '-')}\t"
              f"{overrides.get(gene, row[3])}")
    if args.check_corpus.exists():
        check_corpus(args.check_corpus, GeneLexicon.from_directory(PATTERNS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
