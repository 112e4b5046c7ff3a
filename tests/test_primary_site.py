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


@pytest.mark.parametrize(
    ("text", "site"),
    [
        pytest.param("A 10-year-old boy had a low-grade glioma of the spinal cord.", "spinal cord",
                     id="an implied place gives way to a named one"),
        pytest.param("A 52-year-old woman with plasma cell leukemia had several large tumor masses in the abdomen.",
                     "bone marrow / blood", id="a large tumour somewhere is no tumour name"),
        pytest.param("A 70-year-old man was diagnosed with lung adenocarcinoma. "
                     "CT showed a 4 cm mass in the right upper lobe.", "right upper lobe",
                     id="the side comes from where the case locates the tumour"),
        pytest.param("A 76-year-old woman had pulmonary lymphoma. Consolidation was seen in the right middle lobe. "
                     "The lymphoma involved the stomach and the right lung.", "right lung",
                     id="the organ with its side beats a part of it"),
        pytest.param("A 64-year-old woman had a hepatic neuroendocrine carcinoma. "
                     "She also had right lower lobe pneumonia.", "liver",
                     id="a part named away from the tumour gives no side"),
        pytest.param("A 71-year-old woman was found to have adenocarcinoma in the liver. Colonoscopy showed a rectal "
                     "adenocarcinoma, and the rectal adenocarcinoma was resected.", "rectum",
                     id="the place named again and again beats one named once"),
        pytest.param("Lung adenocarcinomas rarely spread to the skin. A 60-year-old man had a mass in the left thigh.",
                     "left thigh", id="a kind of tumour is not the patient's"),
        pytest.param("A 44-year-old man had a normal heart rate and renal function. "
                     "A mass was found in the left thigh.", "left thigh", id="an organ's function is no place"),
        pytest.param("A 55-year-old man presented with a mass in the abdomen. "
                     "Biopsy showed a well-differentiated retroperitoneal liposarcoma.", "retroperitoneum",
                     id="a place right before a tumour name is named by it"),
        pytest.param("A 60-year-old man with initially suspected pancreatic cancer was found to have a urachal "
                     "adenocarcinoma.", "urachus", id="a suspected place gives way to the confirmed one"),
        pytest.param("Pancreatic cancer was excluded, and the biopsy of the mass showed a urachal adenocarcinoma "
                     "in a 60-year-old man.", "urachus", id="an excluded place gives way to the confirmed one"),
    ],
)
def test_which_place_is_the_primary(nlp, text, site):
    assert site_of(nlp, text) == site
