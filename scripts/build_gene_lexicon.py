#!/usr/bin/env python
"""Build the gene lexicon (patterns/genes.tsv) and the guard list (patterns/gene_ambiguous.txt) from HGNC.

Why: casetable must normalise whatever a paper writes (ZNF198, TEL, HER2, PDGFRbeta) to HGNC approved
symbols, offline and on a user's machine that has no copy of HGNC. This script is the repeatable way to
refresh that data from a new HGNC release; its outputs are committed under patterns/.

    /tmp/venv/bin/python scripts/build_gene_lexicon.py [--hgnc PATH] [--words PATH | --no-words]

genes.tsv: one row per (symbol, approved) pair, columns `symbol approved kind locus_group`, kind being
approved | previous | alias. All approved symbols of every locus group are kept; previous and alias
symbols only for protein-coding genes and the `other` group (the pseudogene and non-coding RNA ones are
~14k rows of identifiers that no case report uses, and they only add false ambiguity, e.g. CAR ->
CXADRP1). Symbols shorter than 2 characters, clone identifiers (FLJ12345, MGC1234, DKFZp..., dJ.., bA..)
and symbols with whitespace or ':' (which is the fusion separator) are dropped. An alias that maps to
several approved genes keeps one row per gene: the loader resolves it.

gene_ambiguous.txt: lexicon symbols that are also English words, clinical abbreviations or units.
Method (repeatable):
  * clinical = the token is listed in patterns/clinical_abbreviations.txt (hand-written, case-sensitive);
  * function word = lower-cased symbol is a spaCy English stop word (shipped with spaCy);
  * English word = lower-cased symbol is an all-lowercase entry of a word list
    (default /usr/share/dict/words, Debian package `wamerican`).
  Class: an approved symbol that collides becomes `context` (a gene only in genetic context: MET, KIT,
  SET, AR); an alias/previous symbol that is a clinical abbreviation or a function word becomes `stop`
  (never a gene unless written inside an explicit `A::B` fusion: CR, PR, ALL, CML); an alias/previous
  symbol that is only an ordinary English word becomes `context` (NUT, as in BRD4-NUT, stays usable).
  Every clinical abbreviation that is not an HGNC symbol (PD, IHC, PET) is listed as `stop` as well.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import re
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_HGNC = REPO.parent / "shared" / "data" / "hgnc" / "hgnc_complete_set.txt.gz"
DEFAULT_WORDS = Path("/usr/share/dict/words")
PATTERNS = REPO / "patterns"

KIND_RANK = {"approved": 0, "previous": 1, "alias": 2}
ALIAS_GROUPS = {"protein-coding gene", "other"}
# Clone and assembly identifiers: never written in a case report, and they bloat the file.
CLONE_ID = re.compile(r"^(FLJ\d|MGC\d|DKFZ|dJ\d|bA\d|cI\d|hCG_?\d|PRO\d{3,}|UNQ\d|RP\d+-|CT[ABCD]-|AC\d{6}|AL\d{6})")
MAX_TSV_BYTES = 3_000_000


def split_field(value: str) -> list[str]:
    """HGNC multi-valued cells look like `"A|B|C"`."""
    return [v for v in value.strip().strip('"').split("|") if v]


def keep_symbol(symbol: str) -> bool:
    """Symbols worth matching in running text."""
    if len(symbol) < 2 or any(ch.isspace() for ch in symbol) or ":" in symbol:
        return False
    return not CLONE_ID.match(symbol)


def read_hgnc(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(fh, delimiter="\t") if row["status"] == "Approved"]


def lexicon_rows(hgnc: list[dict[str, str]]) -> list[tuple[str, str, str, str]]:
    """(symbol, approved, kind, locus_group), one per (symbol, approved), best kind kept, sorted."""
    best: dict[tuple[str, str], tuple[str, str]] = {}

    def add(symbol: str, approved: str, kind: str, group: str) -> None:
        if len(symbol) < 2 or (kind != "approved" and not keep_symbol(symbol)):
            return
        key = (symbol, approved)
        if key not in best or KIND_RANK[kind] < KIND_RANK[best[key][0]]:
            best[key] = (kind, group)

    for row in hgnc:
        approved, group = row["symbol"], row["locus_group"]
        add(approved, approved, "approved", group)
        if group not in ALIAS_GROUPS:
            continue
        for sym in split_field(row["prev_symbol"]):
            add(sym, approved, "previous", group)
        for sym in split_field(row["alias_symbol"]):
            add(sym, approved, "alias", group)
    rows = [(sym, appr, kind, group) for (sym, appr), (kind, group) in best.items()]
    rows.sort(key=lambda r: (r[0], KIND_RANK[r[2]], r[1]))
    return rows


def write_lexicon(rows: list[tuple[str, str, str, str]], hgnc_path: Path, out_dir: Path) -> Path:
    lines = [
        f"# HGNC symbols for text matching; built by scripts/build_gene_lexicon.py from {hgnc_path.name}",
        "# (HGNC, CC0). One row per (symbol, approved); kind = approved | previous | alias. Do not edit by hand.",
        "symbol\tapproved\tkind\tlocus_group",
    ]
    lines += ["\t".join(r) for r in rows]
    text = "\n".join(lines) + "\n"
    plain, packed = out_dir / "genes.tsv", out_dir / "genes.tsv.gz"
    if len(text.encode("utf-8")) <= MAX_TSV_BYTES:
        plain.write_text(text, encoding="utf-8")
        packed.unlink(missing_ok=True)
        return plain
    # mtime=0 keeps the gzip bytes identical between runs (deterministic output).
    with open(packed, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(text.encode("utf-8"))
    plain.unlink(missing_ok=True)
    return packed


def read_clinical(path: Path) -> dict[str, str]:
    """token -> 'category: meaning' from clinical_abbreviations.txt (duplicates merged)."""
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        token, category, meaning = (line.split("\t") + ["", ""])[:3]
        note = f"{category}: {meaning}".strip()
        out[token] = f"{out[token]}; {note}" if token in out else note
    return out


def read_words(path: Path | None) -> set[str]:
    """All-lowercase entries of a word list (proper nouns and possessives excluded)."""
    if path is None:
        return set()
    words = set()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        w = line.strip()
        if len(w) >= 2 and w.islower() and w.isalpha():
            words.add(w)
    return words


def stop_words() -> set[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return {w for w in STOP_WORDS if len(w) >= 2 and w.isalpha()}


def guard_entries(
    rows: list[tuple[str, str, str, str]], clinical: dict[str, str], words: set[str], function_words: set[str]
) -> list[tuple[str, str, str]]:
    """(symbol, class, reason) for every symbol that needs a guard."""
    symbols: dict[str, set[str]] = defaultdict(set)
    for sym, _appr, kind, _group in rows:
        symbols[sym].add(kind)
    out: list[tuple[str, str, str]] = []
    for sym, kinds in symbols.items():
        low = sym.lower()
        reasons = []
        if sym in clinical:
            reasons.append(f"clinical {clinical[sym]}")
        if low in function_words:
            reasons.append("English function word")
        elif low in words:
            reasons.append("English word")
        if not reasons:
            continue
        if "approved" in kinds:
            cls = "context"
        elif sym in clinical or low in function_words:
            cls = "stop"
        else:
            cls = "context"
        kind = "approved symbol" if "approved" in kinds else "alias/previous symbol"
        out.append((sym, cls, f"{kind}; " + "; ".join(reasons)))
    for token, note in clinical.items():
        if token not in symbols:
            out.append((token, "stop", f"not an HGNC symbol; clinical {note}"))
    out.sort(key=lambda e: (e[1] != "stop", e[0]))
    return out


def write_guard(entries: list[tuple[str, str, str]], word_source: str, out: Path) -> None:
    n_stop = sum(1 for e in entries if e[1] == "stop")
    header = [
        "# Gene symbols that are also words, clinical abbreviations or units. Built by",
        "# scripts/build_gene_lexicon.py (see its docstring for the method); do not edit by hand: edit",
        "# patterns/clinical_abbreviations.txt and rebuild.",
        f"# word list: {word_source}; function words: spaCy English stop words",
        "# Columns: symbol<TAB>class<TAB>why (case-sensitive, as HGNC / clinicians write it)",
        "#   stop    = never a gene unless written inside an explicit fusion with '::' (CR, PR, ALL, CML)",
        "#   context = a gene only with genetic context: fusion, rearrangement, mutation, exon, amplification,",
        "#             positive/negative by FISH/IHC (word-like genes such as MET, KIT, SET, ERG)",
        f"# {n_stop} stop, {len(entries) - n_stop} context",
    ]
    lines, section = list(header), None
    for sym, cls, why in entries:
        if cls != section:
            section = cls
            lines.append(f"# == {cls} ==")
        lines.append(f"{sym}\t{cls}\t{why}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hgnc", type=Path, default=DEFAULT_HGNC, help="hgnc_complete_set.txt(.gz)")
    ap.add_argument("--out-dir", type=Path, default=PATTERNS)
    ap.add_argument("--words", type=Path, default=DEFAULT_WORDS, help="English word list, one word a line")
    ap.add_argument("--no-words", action="store_true", help="build the guard list without a word list")
    args = ap.parse_args(argv)

    if not args.hgnc.exists():
        sys.exit(f"HGNC file not found: {args.hgnc} (pass --hgnc PATH)")
    words_path: Path | None = None if args.no_words else args.words
    if words_path is not None and not words_path.exists():
        sys.exit(
            f"word list not found: {words_path}. Install one (apt-get install wamerican), "
            "pass --words FILE, or --no-words (the guard list then misses English-word collisions)."
        )
    hgnc = read_hgnc(args.hgnc)
    rows = lexicon_rows(hgnc)
    lex_path = write_lexicon(rows, args.hgnc, args.out_dir)

    clinical = read_clinical(args.out_dir / "clinical_abbreviations.txt")
    words = read_words(words_path)
    word_source = f"{words_path} ({len(words)} lowercase words)" if words_path else "none (--no-words)"
    entries = guard_entries(rows, clinical, words, stop_words())
    guard_path = args.out_dir / "gene_ambiguous.txt"
    write_guard(entries, word_source, guard_path)

    print(f"{lex_path}: {len(rows)} rows, {lex_path.stat().st_size} bytes")
    print(f"{guard_path}: {len(entries)} entries ({sum(e[1] == 'stop' for e in entries)} stop)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
