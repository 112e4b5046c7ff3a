"""Regimen acronyms, lab values and discussion drugs: what is and is not a treatment line.

The short reports below are written for these tests; each expected value was checked by reading
the sentence it comes from.
"""

from __future__ import annotations

import pytest

from extractor.api import extract_text
from extractor.pipeline import default_pipeline
from extractor.records import Patient


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def patient(nlp, text: str) -> Patient:
    report = extract_text(text, nlp=nlp)
    assert report.errors == [] and len(report.patients) == 1
    return report.patients[0]


# -- acronyms


def test_an_acronym_is_one_line_per_member_the_text_names(nlp):
    text = ("A 66-year-old man with diffuse large B-cell lymphoma received six cycles of R-CHOP and achieved "
            "a complete response. R-CHOP combines rituximab, cyclophosphamide, doxorubicin, vincristine and "
            "prednisolone.")
    found = patient(nlp, text)
    assert [(t.drug, t.response, t.line, t.regimen_name) for t in found.treatments] == [
        ("rituximab", "CR", 1, "R-CHOP"), ("cyclophosphamide", "CR", 1, "R-CHOP"), ("doxorubicin", "CR", 1, "R-CHOP"),
        ("vincristine", "CR", 1, "R-CHOP"), ("prednisolone", "CR", 1, "R-CHOP")]
    assert found.treatments[0].regimen == ["rituximab", "cyclophosphamide", "doxorubicin", "vincristine",
                                           "prednisolone"]
    assert found.regimens == ["R-CHOP"]


def test_members_the_text_never_names_give_no_line_and_the_acronym_is_kept(nlp):
    text = ("A 34-year-old woman with Hodgkin lymphoma was treated with four cycles of ABVD, with a partial "
            "response.")
    found = patient(nlp, text)
    assert found.treatments == []
    assert found.regimens == ["ABVD"]


def test_an_unknown_acronym_beside_a_regimen_word_is_kept(nlp):
    text = ("A 59-year-old man with myeloma received two cycles of the XQZ-7 regimen and then bortezomib "
            "1.3 mg/m2 twice weekly, with a partial response.")
    found = patient(nlp, text)
    assert [t.drug for t in found.treatments] == ["bortezomib"]
    assert found.regimens == ["XQZ-7"]


def test_a_joined_acronym_is_read_part_by_part(nlp):
    text = ("A 47-year-old man with relapsed lymphoma was given two cycles of R-ICE, with a partial response. "
            "Ifosfamide, carboplatin and etoposide were well tolerated, and rituximab was continued.")
    found = patient(nlp, text)
    assert [(t.drug, t.response, t.regimen_name) for t in found.treatments] == [
        ("rituximab", "PR", "R-ICE"), ("ifosfamide", "PR", "R-ICE"), ("carboplatin", "PR", "R-ICE"),
        ("etoposide", "PR", "R-ICE")]


def test_a_joined_acronym_is_read_by_its_longest_listed_parts():
    from extractor.fields.drugs.regimens import RegimenTable

    table = RegimenTable("regimens.tsv", "regimen_cues.txt")
    epoch = table.resolve("EPOCH")[0]
    rituximab = table.resolve("R-CHOP")[0][:1]
    # DA-EPOCH (dose-adjusted EPOCH) and R; not DA (daunorubicin and cytarabine), EPOCH and R.
    assert table.resolve("DA-EPOCH-R") == (epoch + rituximab, False)
    assert table.resolve("R-DA-EPOCH") == (rituximab + epoch, False)


def test_an_acronym_that_is_also_an_abbreviation_needs_a_regimen_word(nlp):
    regimen = patient(nlp, "A 61-year-old man with small-cell lung cancer received the EP regimen "
                           "(etoposide 100 mg/m2 and cisplatin 75 mg/m2), with stable disease.")
    assert [(t.drug, t.dose, t.regimen_name) for t in regimen.treatments] == [
        ("etoposide", "100 mg/m2", "EP"), ("cisplatin", "75 mg/m2", "EP")]
    other = patient(nlp, "A 61-year-old man had chest pain; PE was excluded. He was given aspirin 100 mg daily.")
    assert [t.drug for t in other.treatments] == ["acetylsalicylic acid"]
    assert other.regimens == []


def test_a_replaced_drug_keeps_both_lines(nlp):
    text = ("A 55-year-old woman with ovarian cancer received paclitaxel and cisplatin. After two cycles, "
            "cisplatin was replaced by carboplatin because of nephrotoxicity, and she achieved a partial response.")
    assert [t.drug for t in patient(nlp, text).treatments] == ["paclitaxel", "cisplatin", "carboplatin"]


# -- measured, not given


def test_a_substance_with_a_lab_value_is_no_drug(nlp):
    text = ("A 58-year-old man with a gastrointestinal stromal tumour was treated with imatinib 400 mg daily. "
            "Blood tests showed folic acid 2.1 ng/mL, vitamin D 12 ng/mL and a vitamin B12 of 150 pg/mL.")
    report = extract_text(text, nlp=nlp)
    assert [t.drug for t in report.patients[0].treatments] == ["imatinib"]
    assert report.drugs == ["imatinib"]


def test_the_same_substance_given_with_a_dose_is_a_drug(nlp):
    text = "A 70-year-old woman with anaemia received folic acid 5 mg daily and vitamin K 10 mg intravenously."
    assert [(t.drug, t.dose) for t in patient(nlp, text).treatments] == [
        ("folic acid", "5 mg daily"), ("phytomenadione", "10 mg intravenously")]


def test_a_receptor_status_and_an_analyte_named_after_a_vitamin_are_no_drugs(nlp):
    text = ("A 52-year-old woman had a ductal carcinoma with estrogen (ER) 90% positive and HER2 3+ staining, "
            "and a protein induced by vitamin K absence or antagonist-II (PIVKA-II) of 40 mAU/mL. "
            "She received trastuzumab 6 mg/kg every 3 weeks.")
    report = extract_text(text, nlp=nlp)
    assert [t.drug for t in report.patients[0].treatments] == ["trastuzumab"]
    assert report.drugs == ["trastuzumab"]


# -- named, not given


def test_a_drug_named_only_in_the_discussion_is_no_treatment(nlp):
    text = ("Case presentation\n\nA 44-year-old woman with melanoma received nivolumab 240 mg every 2 weeks and "
            "had a partial response.\n\nDiscussion\n\nIpilimumab added to nivolumab gives higher response "
            "rates in melanoma.\n")
    assert [t.drug for t in patient(nlp, text).treatments] == ["nivolumab"]


def test_a_plan_that_comprised_drugs_and_was_adjusted_gives_every_line(nlp):
    text = ("A 63-year-old man had gastric cancer. His first treatment comprised oxaliplatin and capecitabine, "
            "which was adjusted to pembrolizumab after grade 3 neuropathy. Functional tests of NK cells were normal.")
    assert [t.drug for t in patient(nlp, text).treatments] == ["oxaliplatin", "capecitabine", "pembrolizumab"]


def test_a_combination_product_is_one_line_per_drug(nlp):
    text = "A 72-year-old man with COVID-19 was given Paxlovid for 5 days and recovered."
    assert [(t.drug, t.regimen) for t in patient(nlp, text).treatments] == [
        ("nirmatrelvir", ["nirmatrelvir", "ritonavir"]), ("ritonavir", ["nirmatrelvir", "ritonavir"])]
