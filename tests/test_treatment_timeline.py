"""The case as a timeline: each line starts, is assessed and ends; responses, durations and doses
attach to the line that was running when the text reports them.

Every report below is written for these tests; each expected value was checked by reading the
sentence it comes from.
"""

from __future__ import annotations

import pytest

from extractor.api import extract_text
from extractor.evaluation.quantities import dose_matches, duration_matches
from extractor.pipeline import default_pipeline
from extractor.records import Treatment


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def lines(nlp, text: str) -> list[Treatment]:
    report = extract_text(text, nlp=nlp)
    assert report.errors == [] and len(report.patients) == 1
    return report.patients[0].treatments


def by_drug(nlp, text: str) -> dict[str, Treatment]:
    return {t.drug: t for t in lines(nlp, text)}


# -- responses


def test_switching_because_of_progression_gives_the_progression_to_the_line_before(nlp):
    text = ("A 66-year-old man with lung adenocarcinoma was started on gefitinib. Eleven months later he was "
            "switched to osimertinib due to disease progression.")
    found = by_drug(nlp, text)
    assert found["gefitinib"].response == "PD"
    assert found["osimertinib"].response is None
    assert found["gefitinib"].evidence["response"].matched == "disease progression"


def test_a_first_line_started_because_of_progression_takes_no_progression(nlp):
    text = "A 70-year-old woman was started on letrozole because of progression of her breast cancer."
    assert lines(nlp, text)[0].response is None


def test_an_abstract_outcome_naming_no_drug_goes_to_every_line_without_a_response(nlp):
    text = ("Abstract\n\nWe describe a boy with leukaemia who achieved complete remission after treatment and has "
            "stayed free of relapse for nearly three years.\n\n"
            "Case presentation\n\nAn 8-year-old boy received induction with vincristine and daunorubicin. "
            "She then received consolidation with cytarabine.\n\n"
            "Discussion\n\nOther children received imatinib.\n")
    found = by_drug(nlp, text)
    assert set(found) == {"vincristine", "daunorubicin", "cytarabine"}
    assert {t.response for t in found.values()} == {"CR"}
    assert all(duration_matches("three years", t.duration) for t in found.values())


def test_an_abstract_outcome_naming_a_drug_goes_to_that_drug_only(nlp):
    text = ("Abstract\n\nA woman with lung cancer had a partial response to alectinib.\n\n"
            "Case presentation\n\nA 45-year-old woman received carboplatin and pemetrexed. Alectinib was then "
            "started.\n")
    found = by_drug(nlp, text)
    assert found["alectinib"].response == "PR"
    assert found["carboplatin"].response is None


def test_an_abstract_sentence_with_two_outcomes_is_no_case_outcome(nlp):
    text = ("Abstract\n\nThe patient relapsed shortly after a complete remission.\n\n"
            "Case presentation\n\nA 61-year-old man received bortezomib.\n")
    assert lines(nlp, text)[0].response is None


def test_an_outcome_told_before_the_drugs_belongs_to_the_lines_after_it(nlp):
    text = ("A 10-year-old girl with leukaemia was treated in several phases, achieving complete remission. "
            "Induction consisted of vincristine and daunorubicin.")
    assert {t.response for t in lines(nlp, text)} == {"CR"}


def test_a_response_without_a_drug_is_the_anticancer_regimens_not_the_antibiotics(nlp):
    text = ("A 59-year-old woman with myeloid leukaemia received azacitidine and venetoclax. She then developed "
            "pneumonia and was given levofloxacin. Marrow examination showed complete remission two years "
            "after the start of treatment.")
    found = by_drug(nlp, text)
    assert found["azacitidine"].response == "CR" and found["venetoclax"].response == "CR"
    assert duration_matches("two years", found["azacitidine"].duration)
    assert "levofloxacin" not in found or found["levofloxacin"].response is None


@pytest.mark.parametrize("phrase, category", [
    ("a complete metabolic response", "CR"),
    ("a complete hematological response", "CR"),
    ("a near-complete response", "PR"),
])
def test_response_wordings(nlp, phrase, category):
    assert lines(nlp, f"A 50-year-old man received imatinib and had {phrase}.")[0].response == category


@pytest.mark.parametrize("sentence, category", [
    ("The restaging scan showed PR.", "PR"),
    ("The marrow showed sCR.", "CR"),
    ("The restaging scan showed near-CR.", "PR"),
    ("The serum Cr was 1.1 mg/dL.", None),  # creatinine, not a complete response
    ("The ECG showed a prolonged PR interval.", None),
    ("The ECG showed PR prolongation.", None),
])
def test_response_abbreviations_count_as_written(nlp, sentence, category):
    """The abbreviations match in their own case only; an ECG's "PR interval" is no partial response."""
    assert lines(nlp, f"A 50-year-old man received imatinib. {sentence}")[0].response == category


def test_a_regimen_listed_around_mesna_is_one_regimen(nlp):
    text = ("A 3-year-old girl then received ifosfamide 450 mg IV OD for 5 days, mesna 100 mg IV OD for 5 days "
            "and cisplatin 8 mg IV OD for 5 days. Imaging afterwards showed disease progression.")
    found = by_drug(nlp, text)
    assert found["ifosfamide"].response == "PD" and found["cisplatin"].response == "PD"
    assert dose_matches("450 mg IV OD for 5 days", found["ifosfamide"].dose)
    assert found["ifosfamide"].duration is None  # "for 5 days" is the dose's schedule


# -- durations


@pytest.mark.parametrize("text, duration", [
    # how long the response lasted outranks the line's own length
    ("A 48-year-old man received 6 cycles of rituximab and bendamustine, with a complete response maintained "
     "for 10 months.", "10 months"),
    ("A 44-year-old woman received 6 cycles of rituximab and bendamustine. She achieved a complete remission "
     "and remained in complete remission until the 13-month follow-up.", "13 months"),
    # the line's own length outranks other times of its sentence
    ("A 74-year-old woman received two doses of irinotecan and bevacizumab and died 19 months after the "
     "diagnosis.", "two doses"),
    ("A 60-year-old man received two more cycles of carboplatin.", "two more cycles"),
])
def test_the_duration_of_every_line(nlp, text, duration):
    assert all(duration_matches(duration, t.duration) for t in lines(nlp, text))


def test_a_length_written_before_its_drug_is_that_drugs(nlp):
    text = ("A 55-year-old woman first received capecitabine for 2 weeks. She then received chemoradiotherapy "
            "with 6-week cisplatin. Two months after her regimen, new lung nodules were seen.")
    found = by_drug(nlp, text)
    assert duration_matches("2 weeks", found["capecitabine"].duration)
    assert duration_matches("6-week", found["cisplatin"].duration)


@pytest.mark.parametrize("text", [
    "A biopsy of the 64-year-old patient confirmed squamous cell carcinoma. She received paclitaxel.",
    "The 30-year-old patient was 34 weeks and 4 days pregnant. She received paclitaxel.",
    "At a gestational age of 21 weeks 2 days the 30-year-old patient received paclitaxel.",
    "A 52-year-old man received oxycodone and oramorph for pain.",
    "A 49-year-old man received gemcitabine; tolerance was of paramount importance.",
])
def test_words_and_gestational_ages_are_not_durations(nlp, text):
    assert all(t.duration is None for t in lines(nlp, text))


# -- doses


@pytest.mark.parametrize("sentence, dose, part, value", [
    # the frequency is kept
    ("She took osimertinib at a daily dose of 80 mg.", "80 mg daily", "frequency", "once daily"),
    ("He took imatinib 800 mg PO qDay.", "800 mg", "frequency", "once daily"),
    ("She took methotrexate 30 mg twice per week.", "30 mg twice weekly", "frequency", "twice weekly"),
    ("He received pembrolizumab 200 mg IV, once every 3 weeks.", "200 mg every 3 weeks", "frequency",
     "every 3 weeks"),
    ("She received bleomycin 4 IU IV OD.", "4 IU daily", "frequency", "once daily"),
    # and so is the basis
    ("He received cisplatin 75 mg/m 2 on day 1.", "75 mg/m2", "unit", "mg/m2"),
    ("She received fentanyl 150 µg/hr.", "150 µg/hr", "unit", "µg/hr"),
    ("She received carboplatin 2AUC.", "AUC 2", "unit", "AUC"),
])
def test_the_frequency_and_basis_of_a_dose_are_kept(nlp, sentence, dose, part, value):
    treatment = lines(nlp, "A 50-year-old patient with cancer was treated. " + sentence)[0]
    assert dose_matches(dose, treatment.dose)
    assert treatment.dose_detail[part] == value


def test_an_amount_per_volume_is_a_measurement_not_a_dose(nlp):
    text = ("A 63-year-old man with myeloma received bortezomib. Two months later, free lambda light chains "
            "were 2600 mg/L and AFP was 985 IU/mL.")
    assert lines(nlp, text)[0].dose is None


def test_a_dose_written_before_its_drug_with_of_is_that_drugs(nlp):
    text = "A 30-year-old woman received 120 mg of cisplatin and 3 g of ifosfamide."
    found = by_drug(nlp, text)
    assert dose_matches("120 mg", found["cisplatin"].dose)
    assert dose_matches("3 g", found["ifosfamide"].dose)
    assert found["ifosfamide"].evidence["dose"].matched == "3 g"


def test_the_protocol_dose_stays_when_the_amount_given_follows(nlp):
    text = ("A 30-year-old woman was given cisplatin (70 mg/m2). The first cycle was 120 mg of "
            "cisplatin.")
    treatment = lines(nlp, text)[0]
    assert dose_matches("70 mg/m2", treatment.dose)
    assert treatment.evidence["dose"].matched == "70 mg/m2"
    assert treatment.dose_detail["history"] == ["120 mg"]


def test_a_drug_dosed_twice_in_one_sentence_keeps_its_first_dose(nlp):
    text = ("A 7-year-old boy received a block of vincristine 1.4 mg on day 1, high-dose methotrexate 3000 mg "
            "on day 1 and intrathecal methotrexate 10 mg on day 2.")
    found = by_drug(nlp, text)
    assert dose_matches("3000 mg on day 1", found["methotrexate"].dose)
    assert found["methotrexate"].dose_detail["history"] == ["10 mg on day 2"]


@pytest.mark.parametrize("added, matched", [
    ("underwent three additional cycles of the same regimen", "three additional cycles"),
    ("continued the same regimen for an additional three cycles", "an additional three cycles"),
])
def test_additional_cycles_add_to_those_given_before(nlp, added, matched):
    text = ("A 62-year-old woman received a single cycle of azacitidine and venetoclax as induction. She then "
            f"{added}.")
    treatment = lines(nlp, text)[0]
    assert treatment.duration == "4 cycles"
    assert treatment.evidence["duration"].matched.strip() == matched
    assert "1 cycles given before" in treatment.evidence["duration"].note


def test_a_relapse_told_before_any_line_is_history_not_an_outcome(nlp):
    text = "A 58-year-old woman presented with a recurrence of her sarcoma. She then received trabectedin."
    assert lines(nlp, text)[0].response is None


def test_a_later_recurrence_on_the_next_drug_is_that_drugs(nlp):
    text = ("A 57-year-old man received imatinib with a partial response. He was later switched to sunitinib "
            "and had a recurrence on sunitinib after 8 months.")
    found = by_drug(nlp, text)
    assert found["imatinib"].response == "PR"
    assert found["sunitinib"].response == "PD"
    assert duration_matches("8 months", found["sunitinib"].duration)


def test_a_frequency_before_the_drug_is_its_doses(nlp):
    text = ("A 38-year-old woman received weekly paclitaxel 80 mg/m2. Her husband was seen weekly and 50 mg "
            "of nothing was given.")
    treatment = lines(nlp, text)[0]
    assert treatment.dose_detail["frequency"] == "weekly"
    assert treatment.evidence["dose"].matched == "weekly paclitaxel 80 mg/m2"


def test_a_frequency_inside_a_word_is_no_frequency(nlp):
    # "period" ends in "od" (once daily) and "morbid" in "bid" (twice daily): only whole words lead a dose.
    for word in ("period", "morbid"):
        text = f"A 41-year-old man had a long {word} paclitaxel 80 mg/m2 on day 1 every 3 weeks."
        treatment = lines(nlp, text)[0]
        assert treatment.dose == "80 mg/m2 on day 1 every 3 weeks"
        assert treatment.dose_detail.get("frequency") != ("once daily" if word == "period" else "twice daily")


def test_a_frequency_before_a_word_that_is_no_drug_stays_out_of_the_dose(nlp):
    text = "A 41-year-old man received cisplatin; he was seen weekly and 50 mg was given."
    treatment = lines(nlp, text)[0]
    assert treatment.dose == "50 mg"
    assert "frequency" not in treatment.dose_detail
