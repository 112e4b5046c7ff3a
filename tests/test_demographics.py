"""Age, sex and primary site of the patient, on sentences written for these tests."""

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
    assert not report.errors
    assert len(report.patients) == 1
    return report.patients[0]


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("A 23-year-old man presented with a slowly growing lump.", 23),
        ("We saw a 61-yr-old man with weight loss and a cough.", 61),
        ("The patient, a farmer aged 27, was admitted with fever.", 27),
        ("At the age of 27 years the patient noticed a painless swelling.", 27),
        ("A twenty-three-year-old student was referred for a biopsy.", 23),
        ("A female patient, 43, presented with abdominal pain.", 43),
        ("A 52 y/o man was seen in clinic.", 52),
        ("The child was 4 years of age at referral.", 4),
        ("A 14-month-old girl was brought in by her parents.", 14 / 12),
        ("A 2-month old infant was admitted with poor feeding.", 2 / 12),
        ("A six-day-old boy was admitted with a swelling on his back.", 6 / 365.25),
    ],
)
def test_age_forms(nlp, text, years):
    assert patient(nlp, text).age_years == pytest.approx(years, abs=0.01)


def test_relatives_ages_are_ignored(nlp):
    text = ("Her 58-year-old mother had been treated for breast cancer, and her father died at the age of 66. "
            "The patient, a 34-year-old teacher, presented with a cough. Her 6-year-old son was well.")
    person = patient(nlp, text)
    assert person.age_years == 34
    assert person.age_at_diagnosis_years is None


def test_cohort_ages_and_cited_patients_are_ignored(nlp):
    text = ("Among children with this tumour the median age is 9 years, and most are aged 5-12 years. "
            "Lee et al. described a 45-year-old man with the same fusion. "
            "Our patient was a 16-year-old boy with a mass in the neck.")
    assert patient(nlp, text).age_years == 16


def test_age_at_presentation_and_at_diagnosis(nlp):
    text = ("A 32-year-old woman presented with recurrent disease in 2022. "
            "The tumour had first been diagnosed at the age of 27 years and was resected twice.")
    person = patient(nlp, text)
    assert person.age_years == 32
    assert person.age_at_diagnosis_years == 27
    assert person.evidence["age_at_diagnosis_years"].matched == "at the age of 27 years"


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("A 70-year-old gentleman was admitted with jaundice.", "male"),
        ("An elderly lady presented with a breast lump.", "female"),
        ("The first patient, a boy of 9, complained of headache.", "male"),
        ("A female infant was born at term.", "female"),
    ],
)
def test_sex_words(nlp, text, sex):
    assert patient(nlp, text).sex == sex


def test_sex_from_pronouns_when_no_word_says_it(nlp):
    text = "The patient was admitted with fever. He had lost weight, and his cough had worsened over a month."
    person = patient(nlp, text)
    assert person.sex == "male"
    assert person.evidence["sex"].note == "from pronouns"


def test_sex_beside_the_age_outweighs_an_earlier_word(nlp):
    # A page menu names "Man" (a database title) before the patient's own sentence.
    text = ("Resources Online Mendelian Inheritance in Man Gene Expression Omnibus. "
            "A 28-year-old woman presented with fever and chest pain.")
    assert patient(nlp, text).sex == "female"


def test_site_with_laterality(nlp):
    text = "A 23-year-old man presented with a painful mass in the left thigh that had grown for a year."
    assert patient(nlp, text).primary_site == "left thigh"


def test_site_from_an_adjective_and_an_abbreviation(nlp):
    text = ("A 45-year-old woman had a retroperitoneal inflammatory myofibroblastic tumour (IMT). "
            "CT of the abdomen showed the retroperitoneal IMT encasing the aorta.")
    assert patient(nlp, text).primary_site == "retroperitoneum"


def test_metastasis_site_is_not_the_primary(nlp):
    text = ("A 50-year-old man was found to have metastases to the liver and bone. "
            "A biopsy of the liver showed adenocarcinoma, and CT showed the primary tumour in the left lung.")
    person = patient(nlp, text)
    assert person.primary_site == "left lung"
    assert "primary tumour" in person.evidence["primary_site"].text


def test_place_of_a_tumour_beats_its_tissue_and_the_imaging(nlp):
    text = "MRI of the pelvis showed a soft tissue sarcoma of the right upper thigh in a 15-month-old boy."
    assert patient(nlp, text).primary_site == "right upper thigh"


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("A 16-year-old boy had a 6 cm mass of the chest wall.", "chest wall"),
        ("A 38-year-old woman noticed an ulcerated lesion on the tongue.", "tongue"),
        ("CT showed a 3 cm spiculated mass in the right lower lobe and pleural effusion.", "right lower lobe"),
        ("A 60-year-old man had an adenocarcinoma of the small bowel mesentery.", "small bowel mesentery"),
    ],
)
def test_site_phrases(nlp, text, site):
    assert patient(nlp, text).primary_site == site


def test_symptom_and_imaging_sites_are_not_the_primary(nlp):
    text = ("A 40-year-old woman reported pain in the right hip. Brain MRI was normal. "
            "Ultrasound showed a solid mass in the left kidney.")
    assert patient(nlp, text).primary_site == "left kidney"


def test_relatives_disease_is_not_the_primary(nlp):
    text = "A 50-year-old woman, whose mother had breast cancer, presented with a mass in the right kidney."
    assert patient(nlp, text).primary_site == "right kidney"
