"""GeneLexicon on the committed patterns/ data (no ../shared needed)."""
from __future__ import annotations

import time

import pytest

from extractor.fields.fusions.genes import ALWAYS_3P, GeneHit, GeneLexicon
from extractor.rules import patterns_dir


@pytest.fixture(scope="module")
def lex() -> GeneLexicon:
    return GeneLexicon.load()


def test_load_is_cached_and_fast() -> None:
    start = time.perf_counter()
    fresh = GeneLexicon.from_directory(patterns_dir())
    elapsed = time.perf_counter() - start
    assert elapsed < 1.5, f"lexicon load took {elapsed:.2f}s"
    assert GeneLexicon.load() is GeneLexicon.load()
    assert len(fresh.symbols()) > 50_000


def test_approved_symbol(lex: GeneLexicon) -> None:
    assert lex.lookup("ALK") == GeneHit("ALK", "ALK", "approved", "context")
    hit = lex.lookup("ROS1")
    assert (hit.approved, hit.kind, hit.ambiguity) == ("ROS1", "approved", None)


@pytest.mark.parametrize(
    ("written", "approved", "kind"),
    [("ZNF198", "ZMYM2", "previous"), ("AML1", "RUNX1", "previous"), ("TEL", "ETV6", "alias"),
     ("HER2", "ERBB2", "alias"), ("ABL", "ABL1", "previous")],
)
def test_previous_and_alias_resolve_to_approved(lex: GeneLexicon, written: str, approved: str, kind: str) -> None:
    hit = lex.lookup(written)
    assert (hit.approved, hit.as_written, hit.kind) == (approved, written, kind)


@pytest.mark.parametrize(
    ("written", "approved"),
    [("YWHAE1", "YWHAE"), ("NTRK-1", "NTRK1"), ("EML-4", "EML4"), ("Ros1", "ROS1"), ("Her2", "ERBB2")],
)
def test_near_miss(lex: GeneLexicon, written: str, approved: str) -> None:
    hit = lex.lookup(written)
    assert (hit.approved, hit.kind, hit.as_written) == (approved, "near_miss", written)


def test_near_miss_never_overrides_a_real_symbol(lex: GeneLexicon) -> None:
    # ALK2 is an HGNC alias of ACVR1, not ALK with a footnote digit.
    assert lex.lookup("ALK2").approved == "ACVR1"
    # MALAT1 is a non-coding RNA: no near-miss repair onto it.
    assert lex.lookup("MALAT11") is None
    # Word-like genes are not reached through letter case: "Met" is not MET.
    assert lex.lookup("Met").approved != "MET"
    assert lex.lookup("Kit") is None


@pytest.mark.parametrize(
    ("written", "approved"),
    [("PDGFRβ", "PDGFRB"), ("PDGFRα", "PDGFRA"), ("PDGFR-alpha", "PDGFRA"), ("RARα", "RARA"),
     ("PPARγ", "PPARG"), ("HIF-1α", "HIF1A"), ("c-KIT", "KIT")],
)
def test_greek_and_orthographic_variants(lex: GeneLexicon, written: str, approved: str) -> None:
    hit = lex.lookup(written)
    assert hit.approved == approved
    assert hit.kind != "near_miss"


def test_ambiguity_markers(lex: GeneLexicon) -> None:
    assert lex.lookup("CR").ambiguity == "stop"  # complete response; an alias of CD55 and others
    assert lex.ambiguity("PD") == "stop"  # progressive disease; no HGNC symbol at all
    assert lex.lookup("PD") is None
    assert lex.ambiguity("IHC") == "stop"
    assert lex.lookup("ALL").ambiguity == "stop"  # BCR alias and acute lymphoblastic leukemia
    met = lex.lookup("MET")
    assert (met.approved, met.ambiguity) == ("MET", "context")  # a driver gene that is also a word
    assert lex.lookup("KIT").ambiguity == "context"
    assert lex.lookup("EML4").ambiguity is None


def test_alias_of_several_genes_is_flagged(lex: GeneLexicon) -> None:
    hit = lex.lookup("TRK")  # HGNC alias of NTRK1 and of TPM3
    assert {"NTRK1", "TPM3"} <= set(hit.candidates)
    assert hit.approved in hit.candidates
    assert hit.ambiguity == "context"


def test_unknown_token(lex: GeneLexicon) -> None:
    assert lex.lookup("crizotinib") is None
    assert lex.lookup("") is None


def test_orientation(lex: GeneLexicon) -> None:
    for gene in ("ALK", "ROS1", "NTRK3", "RET", "ABL1", "RARA"):
        assert lex.orientation(gene) == "3p", gene
    for gene in ("EML4", "ETV6", "BCR", "CD74", "PML", "FGFR3"):
        assert lex.orientation(gene) == "5p", gene
    assert lex.orientation("TACC3") == "3p"
    assert lex.orientation("GAPDH") is None


def test_canonical_pair(lex: GeneLexicon) -> None:
    assert lex.canonical_pair("NTRK3", "ETV6") == ("ETV6", "NTRK3")
    assert lex.canonical_pair("EML4", "ALK") == ("EML4", "ALK")
    assert lex.canonical_pair("ALK", "EML4") == ("EML4", "ALK")
    assert lex.canonical_pair("ABL1", "BCR") == ("BCR", "ABL1")
    # FGFR3 keeps its kinase at the 5' end: FGFR3::TACC3 must not be flipped by the kinase prior.
    assert lex.canonical_pair("FGFR3", "TACC3") == ("FGFR3", "TACC3")
    assert lex.canonical_pair("TACC3", "FGFR3") == ("FGFR3", "TACC3")
    # No documented fusion puts ALK or NTRK1 at the 5' end: a partner the data know nothing of goes first.
    assert lex.canonical_pair("ALK", "KANK4") == ("KANK4", "ALK")
    assert lex.canonical_pair("NTRK1", "PDE4DIP") == ("PDE4DIP", "NTRK1")
    assert lex.orientation("NTRK1") == "3p"
    # MET has only the kinase prior: a rare fusion written with MET first keeps the written order.
    assert lex.canonical_pair("MET", "ATXN7L1") == ("MET", "ATXN7L1")
    # Two kinases, one a 3' gene the tables do not know to be 'always': the written order stays.
    assert lex.canonical_pair("ALK", "MET") == ("ALK", "MET")


def test_documented_pairs(lex: GeneLexicon) -> None:
    assert lex.known_pair("ETV6", "NTRK3")
    assert not lex.known_pair("NTRK3", "ETV6")
    # RUNX1 is 5' in RUNX1::RUNX1T1 and 3' in ETV6::RUNX1: only the documented pair can order it.
    assert lex.orientation("RUNX1") == "either"
    assert lex.canonical_pair("RUNX1", "ETV6") == ("ETV6", "RUNX1")
    assert lex.canonical_pair("RUNX1", "RUNX1T1") == ("RUNX1", "RUNX1T1")


def test_family_member(lex: GeneLexicon) -> None:
    # "ETV6-NTRK": of NTRK1/2/3 only NTRK3 is documented with ETV6; TPM3 goes with NTRK1.
    assert lex.family_member("NTRK", "ETV6") == "NTRK3"
    assert lex.family_member("NTRK", "TPM3") == "NTRK1"
    assert lex.family_member("NTRK", "GAPDH") is None
    assert lex.family_member("ALK", "EML4") is None  # a symbol is no family stem


def test_rule_data_is_consistent(lex: GeneLexicon) -> None:
    root = patterns_dir()
    overrides = root.joinpath("fusion_orientation_overrides.tsv").read_text(encoding="utf-8")
    for line in overrides.splitlines():
        cells = line.split("\t")
        if line and not line.startswith("#") and cells[0] != "gene":
            assert lex.lookup(cells[0]).kind == "approved", cells[0]
            assert cells[1] in ("5p", "3p", "either", ALWAYS_3P), line
            assert cells[2].strip(), f"override without a reason: {line}"
    pairs = root.joinpath("fusion_orientation_pairs.tsv").read_text(encoding="utf-8")
    for line in pairs.splitlines():
        cells = line.split("\t")
        if line and not line.startswith("#") and cells[0] != "five":
            assert all(lex.lookup(g).kind == "approved" for g in cells[:2]), line
            assert lex.canonical_pair(cells[0], cells[1]) == (cells[0], cells[1]), line
    guard = root.joinpath("gene_ambiguous.txt").read_text(encoding="utf-8")
    for line in guard.splitlines():
        if line and not line.startswith("#"):
            symbol, cls, _why = line.split("\t")
            hit = lex.lookup(symbol)
            # An approved symbol is never a plain stop word: it must stay reachable in genetic context.
            if cls == "stop" and hit is not None:
                assert hit.kind != "approved" or hit.as_written != hit.approved, symbol
