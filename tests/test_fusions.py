"""The casetable_fusions component through the API: every way of writing a fusion the issue lists.

Each sentence is written for this test (none is taken from a paper). Expected values follow HGNC
5'::3' notation with approved symbols and the VICC ``v::`` for an unnamed partner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from spacy.language import Language

from extractor.annotations import FUSIONS, NEGATED
from extractor.api import extract_text
from extractor.fields.fusions.picker import drop_covered
from extractor.fields.fusions.recognizer import partner_less_gene
from extractor.pipeline import build_pipeline
from extractor.records import Report
from extractor.regex_screen import case_folded


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def extract(nlp: Language, text: str) -> Report:
    return extract_text(text, nlp=nlp)


def patient_fusion(nlp: Language, text: str) -> str | None:
    report = extract(nlp, text)
    assert len(report.patients) == 1
    return report.patients[0].fusion


@dataclass(frozen=True)
class Mention:
    """What the component put on one fusion span (copied out: spans die with their Doc)."""

    norm: str
    modifiers: frozenset[str]
    detail: dict


def fusion_spans(nlp: Language, text: str) -> list[Mention]:
    doc = nlp(text)
    return [Mention(s._.ct_norm, frozenset(s._.ct_modifiers), dict(s._.ct_detail))
            for s in doc.spans.get(FUSIONS, [])]


# -- the separators of a written pair ---------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "Sequencing of the biopsy identified an EML4::ALK fusion.",
        "Sequencing of the biopsy identified an EML4-ALK fusion.",
        "Sequencing of the biopsy identified an EML4–ALK fusion.",  # en dash
        "Sequencing of the biopsy identified an EML4/ALK fusion.",
        "Sequencing of the biopsy identified an EML4:ALK fusion.",
        "Sequencing of the biopsy identified a fusion of EML4 and ALK.",
        "Sequencing showed that EML4 was fused to ALK.",
        "Sequencing showed that the EML4 gene was fused in-frame with the ALK gene.",
    ],
)
def test_pair_forms(nlp: Language, text: str) -> None:
    assert patient_fusion(nlp, text) == "EML4::ALK"


def test_pair_without_a_fusion_word_when_the_partners_are_known(nlp: Language) -> None:
    # A 5' partner and a 3' kinase of the orientation data side by side need no "fusion" nearby.
    assert patient_fusion(nlp, "A 52-year-old man with a BCR-ABL positive leukaemia started imatinib.") == "BCR::ABL1"
    assert patient_fusion(nlp, "TPR-NTRK1 was reported by the molecular tumour board.") == "TPR::NTRK1"


def test_exons_are_kept_as_detail(nlp: Language) -> None:
    text = "RNA sequencing showed a CD74 (exon 6)::ROS1 (exon 34) fusion in the tumour."
    assert patient_fusion(nlp, text) == "CD74::ROS1"
    (span,) = fusion_spans(nlp, text)
    assert span.detail["exons"] == ["6", "34"]


def test_breakpoint_exons_of_the_sentence(nlp: Language) -> None:
    text = "The panel found a TFG::ROS1 fusion with breakpoints at exon 4/35 of the two genes."
    patient = extract(nlp, text).patients[0]
    assert patient.fusion == "TFG::ROS1"
    assert patient.evidence["fusion"].note == "exons 4/35"
    (span,) = [s for s in fusion_spans(nlp, text) if s.norm == "TFG::ROS1"]
    assert span.detail["exons"] == ["4", "35"]


def test_variant_is_detail_not_a_new_fusion(nlp: Language) -> None:
    text = "Her tumour carried an EML4-ALK variant 3 fusion."
    report = extract(nlp, text)
    assert report.fusions == ["EML4::ALK"]
    (span,) = fusion_spans(nlp, text)
    assert span.detail["variant"] == "3"


def test_two_fusions_written_in_one_word(nlp: Language) -> None:
    report = extract(nlp, "Profiling revealed FGFR3-TACC3/FGFR2-CCDC6 fusions in the resected tumour.")
    assert set(report.fusions) == {"FGFR3::TACC3", "FGFR2::CCDC6"}


# -- symbols as papers write them --------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The leukaemia expressed the PML-RARa fusion transcript.", "PML::RARA"),  # Greek letter as 'a'
        ("Archival tissue harboured a ZNF198-FGFR1 fusion.", "ZMYM2::FGFR1"),  # previous symbol
        ("Karyotyping was followed by RT-PCR, which detected TEL-AML1 fusion transcripts.", "ETV6::RUNX1"),
        ("The specimen carried an etv6-ntrk3 fusion.", "ETV6::NTRK3"),  # lower case
        ("Break-apart FISH and sequencing showed ETV6::NTRK in the tumour.", "ETV6::NTRK3"),  # family stem
        ("Next-generation sequencing revealed the YWHAE1-ROS1 fusion.", "YWHAE::ROS1"),  # footnote digit
        ("The web page wrote the EML4\u2010ALK fusion with a Unicode hyphen.", "EML4::ALK"),
    ],
)
def test_written_symbols_normalise_to_approved(nlp: Language, text: str, expected: str) -> None:
    assert patient_fusion(nlp, text) == expected


def test_original_spelling_stays_in_the_evidence(nlp: Language) -> None:
    text = "Next-generation sequencing revealed the YWHAE1-ROS1 fusion."
    patient = extract(nlp, text).patients[0]
    assert patient.fusion == "YWHAE::ROS1"
    assert patient.evidence["fusion"].matched == "YWHAE1-ROS1"
    assert patient.evidence["fusion"].text == text
    assert patient.evidence["fusion"].note == "written YWHAE1"
    (span,) = fusion_spans(nlp, text)
    assert span.detail["genes_as_written"] == ["YWHAE1"]


# -- orientation --------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The tumour was found to carry an NTRK3-ETV6 fusion.", "ETV6::NTRK3"),
        ("The tumour was found to carry an ALK-EML4 rearrangement.", "EML4::ALK"),
        ("The tumour was found to carry a RUNX1-ETV6 fusion.", "ETV6::RUNX1"),  # documented pair
        ("Sequencing showed a fusion of NTRK3 and ETV6.", "ETV6::NTRK3"),
        # NTRK1 is never the 5' partner: a partner the orientation tables do not know goes first.
        ("A rare NTRK1-KANK1 fusion was detected by RNA sequencing.", "KANK1::NTRK1"),
        ("The ROS1-ZCCHC8 rearrangement was confirmed by FISH.", "ZCCHC8::ROS1"),
        # MET rests on the kinase prior alone: a fusion written with MET first is kept as written.
        ("NGS revealed a MET-CAPZA2 fusion.", "MET::CAPZA2"),
    ],
)
def test_pairs_come_back_in_canonical_order(nlp: Language, text: str, expected: str) -> None:
    assert patient_fusion(nlp, text) == expected


def test_reversed_exons_follow_their_genes(nlp: Language) -> None:
    (span,) = fusion_spans(nlp, "Sequencing found NTRK3 (exon 14)::ETV6 (exon 5) in the mass.")
    assert span.norm == "ETV6::NTRK3"
    assert span.detail["exons"] == ["5", "14"]
    assert span.detail["reversed_in_text"] is True


# -- partner-less fusions (VICC v::) -----------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Molecular work-up showed a ROS1 rearrangement.", "v::ROS1"),
        ("The patient had a ROS1-rearranged myofibroblastic tumour.", "v::ROS1"),
        ("The tumour was ALK-positive by FISH.", "v::ALK"),
        ("FISH demonstrated rearrangement of the RET gene.", "v::RET"),
        ("RNA sequencing detected an FGFR2 fusion with an unknown partner.", "FGFR2::v"),  # 5' gene
    ],
)
def test_partner_less(nlp: Language, text: str, expected: str) -> None:
    assert patient_fusion(nlp, text) == expected


def test_named_partner_of_the_same_patient_wins(nlp: Language) -> None:
    text = ("FISH first showed a ROS1 rearrangement in the biopsy. "
            "RNA sequencing then identified the partner: a TFG-ROS1 fusion.")
    patient = extract(nlp, text).patients[0]
    assert patient.fusion == "TFG::ROS1"
    assert patient.fusions == ["TFG::ROS1"]


def test_a_named_5prime_partner_covers_the_partner_less_5prime_gene(nlp: Language) -> None:
    text = "An FGFR2 fusion was suspected on DNA testing, and RNA sequencing confirmed FGFR2-BICC1."
    report = extract(nlp, text)
    assert report.patients[0].fusion == "FGFR2::BICC1"
    assert report.fusions == ["FGFR2::BICC1"]


def test_positivity_of_a_gene_that_is_amplified_is_no_fusion(nlp: Language) -> None:
    report = extract(nlp, "Immunohistochemistry showed a HER2-positive, KIT-positive tumour.")
    assert report.fusions == []


def test_partner_less_vocabulary() -> None:
    assert partner_less_gene("v::ROS1") == "ROS1"
    assert partner_less_gene("FGFR2::v") == "FGFR2"
    assert partner_less_gene("TFG::ROS1") is None
    assert drop_covered(["v::ROS1", "FGFR2::v", "TFG::ROS1", "v::ALK"]) == ["FGFR2::v", "TFG::ROS1", "v::ALK"]


# -- what is not a fusion ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "Cytogenetics showed 46,XY,t(2;17)(p23;q23) in all metaphases.",
        "Cytogenetics showed 46,XX,t(9;22)(q34;q11.2) in twenty metaphases.",
        "The drug blocks signalling through the RAS-RAF-MEK-ERK and JAK-STAT3 pathways.",
        "The panel tested for ALK/ROS1 fusions and KRAS/BRAF mutations.",
        "Her leukaemia was classified as BCR-ABL1-like, a fusion-negative subtype.",
    ],
)
def test_no_fusion(nlp: Language, text: str) -> None:
    report = extract(nlp, text)
    assert report.fusions == []
    assert report.patients[0].fusion is None


def test_clinical_abbreviations_are_not_genes(nlp: Language) -> None:
    text = ("After CAR-T cells she reached a CR, then PR, SD and PD on later lines; PET-CT, MRI, IHC, "
            "FISH and NGS of the IMT were repeated after each line.")
    report = extract(nlp, text)
    assert report.fusions == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sequencing detected a KIF5B-MET fusion, without MET amplification.", "KIF5B::MET"),
        ("The blasts carried a SET-NUP214 fusion.", "SET::NUP214"),
        ("Thyroid cancer with a CCDC6-RET rearrangement responded to selpercatinib.", "CCDC6::RET"),
    ],
)
def test_word_like_genes_count_in_genetic_context(nlp: Language, text: str, expected: str) -> None:
    assert extract(nlp, text).fusions == [expected]


# -- negation ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "The myofibroblastic tumour was ALK-negative.",
        "The spindle cells were negative for ALK expression and rearrangement.",
        "IHC for ALK was negative in every block examined.",
        "No ALK rearrangement was detected by break-apart FISH.",
        "ALK break-apart FISH was negative.",
        "The lung adenocarcinoma was negative for ALK, ROS1 and RET rearrangements.",
        "No EML4-ALK fusion was found in the plasma.",
        "An EML4-ALK fusion was not detected by the RNA panel.",
        "There was neither ALK nor ROS1 rearrangement in the resected lesion.",
        "Molecular results: ALK (negative), EGFR wild type.",
        "The adenocarcinoma was wild type for EGFR, KRAS and ALK.",
    ],
)
def test_negated_alk_is_never_a_fusion(nlp: Language, text: str) -> None:
    report = extract(nlp, text)
    assert report.fusions == []
    assert report.patients[0].fusion is None
    spans = fusion_spans(nlp, text)
    assert spans and all(NEGATED in s.modifiers for s in spans)


def test_negative_gene_beside_a_positive_fusion(nlp: Language) -> None:
    text = "The tumour was ALK-negative, and sequencing identified a CD74-ROS1 fusion."
    report = extract(nlp, text)
    assert report.fusions == ["CD74::ROS1"]
    assert report.patients[0].fusion == "CD74::ROS1"


# -- scope: the patient's fusion comes from the case description -------------------------------------

SECTIONED = """Crizotinib for a ROS1 rearranged tumour of the thigh

Introduction

Inflammatory myofibroblastic tumours carry kinase fusions. EML4-ALK and KIF5B-RET fusions have been
described in lung cancer, and ALK-positive tumours respond to crizotinib.

Case report

A 31-year-old woman presented with a painful mass of the right thigh. Targeted RNA sequencing of the
biopsy identified a TFG-ROS1 fusion. She was treated with crizotinib 250 mg twice daily.

Discussion

In IMTs, YWHAE-ROS1 and TFG-ROS1 are the commonest ROS1 fusions. A cited patient with a CLTC-ALK
fusion responded to ceritinib.
"""


def test_introduction_and_discussion_fusions_are_not_the_patients(nlp: Language) -> None:
    report = extract(nlp, SECTIONED)
    (patient,) = report.patients
    assert patient.fusion == "TFG::ROS1"
    assert patient.fusions == ["TFG::ROS1"]
    assert patient.evidence["fusion"].section == "case"
    # The document-level list still names every fusion the paper mentions.
    assert {"EML4::ALK", "KIF5B::RET", "YWHAE::ROS1", "CLTC::ALK", "TFG::ROS1"} <= set(report.fusions)


def test_a_sentence_about_a_kind_of_tumour_inside_the_case_is_not_the_patients(nlp: Language) -> None:
    text = ("A 12-year-old boy had a mass of the bladder. In IMTs, TPM3-ALK and CLTC-ALK are the "
            "predominant fusions. Sequencing of his tumour found a RANBP2-ALK fusion.")
    patient = extract(nlp, text).patients[0]
    assert patient.fusion == "RANBP2::ALK"
    assert patient.fusions == ["RANBP2::ALK"]


def test_text_without_sections_is_all_case(nlp: Language) -> None:
    text = "A 40-year-old man with lung adenocarcinoma harbouring a KIF5B-RET fusion received selpercatinib."
    assert patient_fusion(nlp, text) == "KIF5B::RET"


def test_every_fusion_carries_its_evidence(nlp: Language) -> None:
    report = extract(nlp, SECTIONED)
    evidence = report.patients[0].evidence["fusion"]
    assert evidence.text.startswith("Targeted RNA sequencing")
    assert SECTIONED[evidence.start:evidence.end] == "TFG-ROS1"


def test_rule_data_names_approved_oriented_genes() -> None:
    from extractor.fields.fusions.genes import GeneLexicon
    from extractor.rules import read_jsonl

    lexicon = GeneLexicon.load()
    rows = [r for r in read_jsonl("fusions.jsonl") if r.get("kind") == "rearranged_when_positive"]
    assert rows, "patterns/fusions.jsonl lost its rearranged_when_positive row"
    for gene in rows[0]["genes"]:
        assert lexicon.lookup(gene).kind == "approved", gene
        assert lexicon.orientation(gene) == "3p", gene


def test_no_rule_is_screened_off_a_sentence_it_matches(nlp: Language) -> None:
    """Every screened regex of the recogniser, over every sentence of the project corpus."""
    recognizer = nlp.get_pipe("casetable_fusions")
    regexes = [r.regex for r in recognizer.forms] + recognizer.masks + recognizer.breakpoints + recognizer.generic
    regexes += [*recognizer.cues.values(), recognizer.tested_before]
    texts = sorted((Path(__file__).resolve().parent.parent / "corpus" / "reports").glob("*.txt"))
    assert texts
    for path in texts:
        for sentence in re.split(r"(?<=\.)\s+", path.read_text(encoding="utf-8")):
            folded = case_folded(sentence)
            for regex in regexes:
                assert regex.may_match(folded) or not regex.regex.search(sentence), (regex.regex.pattern, sentence)
