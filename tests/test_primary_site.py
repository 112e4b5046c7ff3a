"""The primary site from tumour names, tumour types and sides, on sentences written for these tests."""

from __future__ import annotations

import pytest

from extractor.api import extract_text
from extractor.pipeline import default_pipeline


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def site_of(nlp, text: str) -> str | None:
    report = extract_text(text, nlp=nlp)
    assert len(report.patients) == 1
    return report.patients[0].primary_site


@pytest.mark.parametrize(
    ("text", "site"),
    [
        # the name of the tumour places it, whatever "metastatic" says of the name
        ("A 66-year-old man had metastatic breast carcinoma; a subcutaneous mass in his axilla was excised.",
         "breast"),
        ("Neck ultrasound found enlarged cervical lymph nodes in a 45-year-old man with nasopharyngeal carcinoma.",
         "nasopharynx"),
        ("A 39-year-old pregnant woman was diagnosed with cervical carcinoma of stage IB2.", "cervix"),
        ("A 58-year-old man was treated for a colorectal cancer that had spread to the lungs.", "colorectum"),
        ("A 50-year-old woman had a painful vaginal sarcoma.", "vagina"),
        ("A 38-year-old man had a primary melanoma of the glans penis.", "glans penis"),
    ],
)
def test_a_tumour_name_names_its_place(nlp, text, site):
    assert site_of(nlp, text) == site


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("A 58-year-old woman was diagnosed with acute myeloid leukemia; her heart rate was 110 per minute.",
         "bone marrow / blood"),
        ("A 9-year-old boy was diagnosed with a low-grade glioma after a seizure.", "brain"),
        ("A 63-year-old man with multiple myeloma was admitted with back pain.", "bone marrow"),
        ("A 67-year-old man was diagnosed with a myeloproliferative neoplasm; his spleen was large.",
         "bone marrow / blood"),
    ],
)
def test_a_tumour_type_implies_its_place(nlp, text, site):
    assert site_of(nlp, text) == site


def test_implied_place_gives_way_to_a_named_one(nlp):
    assert site_of(nlp, "A 10-year-old boy had a low-grade glioma of the spinal cord.") == "spinal cord"


def test_a_large_tumour_somewhere_is_no_tumour_name(nlp):
    text = "A 52-year-old woman with plasma cell leukemia had several large tumor masses in the abdomen."
    assert site_of(nlp, text) == "bone marrow / blood"


def test_the_side_comes_from_where_the_case_locates_the_tumour(nlp):
    text = ("A 70-year-old man was diagnosed with lung adenocarcinoma. "
            "CT showed a 4 cm mass in the right upper lobe.")
    assert site_of(nlp, text) == "right upper lobe"


def test_the_organ_with_its_side_beats_a_part_of_it(nlp):
    text = ("A 76-year-old woman had pulmonary lymphoma. Consolidation was seen in the right middle lobe. "
            "The lymphoma involved the stomach and the right lung.")
    assert site_of(nlp, text) == "right lung"


def test_the_place_named_again_and_again_beats_one_named_once(nlp):
    text = ("A 71-year-old woman was found to have adenocarcinoma in the liver. Colonoscopy showed a rectal "
            "adenocarcinoma, and the rectal adenocarcinoma was resected.")
    assert site_of(nlp, text) == "rectum"


def test_a_kind_of_tumour_is_not_the_patients(nlp):
    text = "Lung adenocarcinomas rarely spread to the skin. A 60-year-old man had a mass in the left thigh."
    assert site_of(nlp, text) == "left thigh"


def test_an_organs_function_is_no_place(nlp):
    text = "A 44-year-old man had a normal heart rate and renal function. A mass was found in the left thigh."
    assert site_of(nlp, text) == "left thigh"


@pytest.mark.parametrize("text", [
    "A 60-year-old man with initially suspected pancreatic cancer was found to have a urachal adenocarcinoma.",
    "Pancreatic cancer was excluded, and the biopsy of the mass showed a urachal adenocarcinoma in a 60-year-old man.",
])
def test_a_suspected_place_gives_way_to_the_confirmed_one(nlp, text):
    assert site_of(nlp, text) == "urachus"


def test_a_part_named_away_from_the_tumour_gives_no_side(nlp):
    text = "A 64-year-old woman had a hepatic neuroendocrine carcinoma. She also had right lower lobe pneumonia."
    assert site_of(nlp, text) == "liver"


def test_a_place_right_before_a_tumour_name_is_named_by_it(nlp):
    text = ("A 55-year-old man presented with a mass in the abdomen. "
            "Biopsy showed a well-differentiated retroperitoneal liposarcoma.")
    assert site_of(nlp, text) == "retroperitoneum"
