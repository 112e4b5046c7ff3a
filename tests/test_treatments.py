"""Treatment lines: drug, dose, duration and response for what the patient actually received.

The short reports below are written for these tests; each expected value was checked by reading
the sentence it comes from. The last tests run the project's own corpus (corpus/gold.jsonl).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import extractor
from extractor.api import extract_text
from extractor.evaluation.quantities import dose_matches, duration_matches
from extractor.pipeline import default_pipeline
from extractor.records import Patient, Treatment

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def patients(nlp, text: str) -> list[Patient]:
    report = extract_text(text, nlp=nlp)
    assert report.errors == []
    return report.patients


def lines(nlp, text: str) -> list[Treatment]:
    found = patients(nlp, text)
    assert len(found) == 1
    return found[0].treatments


def drugs(nlp, text: str) -> list[str]:
    return [t.drug for t in lines(nlp, text)]


def line_of(treatments: list[Treatment], drug: str) -> Treatment:
    matches = [t for t in treatments if t.drug == drug]
    assert len(matches) == 1, f"{drug}: {len(matches)} lines"
    return matches[0]


# -- drug names


@pytest.mark.parametrize("written, inn", [
    ("Xalkori", "crizotinib"),          # brand name
    ("PF-02341066", "crizotinib"),      # code name
    ("crizonitib", "crizotinib"),       # misspelling seen in print
    ("imatanib", "imatinib"),           # misspelling: closest name with the stem, not any close word
    ("larotrectnib", "larotrectinib"),  # misspelling
    ("Adriamycin", "doxorubicin"),      # former brand name
    ("LOXO-101", "larotrectinib"),      # code name
    ("imatinib mesylate", "imatinib"),  # salt form
    ("hydroxyurea", "hydroxycarbamide"),  # USAN; the dictionary's own entry is named by it
    ("chidamide", "tucidinostat"),      # the dictionary's synonym
    ("apatinib", "rivoceranib"),        # the dictionary's synonym
    ("interleukin-2", "aldesleukin"),   # the dictionary's synonym
    ("Taxol", "paclitaxel"),            # brand whose dictionary entry is a formulation
    ("L-asparaginase", "asparaginase"),  # the dictionary's entry names the source organism
    ("tegafur-gimeracil-oteracil", "tegafur"),  # S-1: the modulators are no drug of their own
    ("trichloroacetic acid", "trichloroacetic acid"),  # a dictionary heading without a drug record
])
def test_names_resolve_to_the_inn(nlp, written, inn):
    text = f"A 45-year-old man with a fusion-positive sarcoma was treated with {written} and had a partial response."
    assert drugs(nlp, text) == [inn]


def test_drugs_joined_in_one_word_are_one_regimen(nlp):
    text = ("A 31-year-old woman received gemcitabine/docetaxel, and her disease progressed after two cycles. "
            "She then started pazopanib.")
    treatments = lines(nlp, text)
    assert [t.drug for t in treatments] == ["gemcitabine", "docetaxel", "pazopanib"]
    assert [t.response for t in treatments] == ["PD", "PD", None]


def test_a_defined_short_form_is_the_drug(nlp):
    text = ("A 50-year-old man was given arsenic trioxide (ATO) with a complete remission. "
            "ATO was later stopped.")
    assert drugs(nlp, text) == ["arsenic trioxide"]


# -- supportive medication


def test_supportive_drugs_of_an_oncology_patient_are_concomitant(nlp):
    text = ("A 60-year-old woman received cisplatin 75 mg/m2 on day 1 every 3 weeks. Before each infusion she was "
            "given ondansetron 8 mg and dexamethasone 8 mg as antiemetic prophylaxis, and pain was treated with "
            "oxycodone 5 mg twice daily. The best response was stable disease.")
    patient = patients(nlp, text)[0]
    assert [t.drug for t in patient.treatments] == ["cisplatin"]
    assert patient.treatments[0].response == "SD"
    assert patient.treatments[0].dose == "75 mg/m2 on day 1 every 3 weeks"
    assert patient.concomitant == ["ondansetron", "dexamethasone", "oxycodone"]


def test_analgesics_are_the_treatment_outside_oncology(nlp):
    text = ("A 38-year-old man with chronic pancreatitis was treated with morphine 10 mg every 4 hours "
            "and paracetamol 1 g three times daily.")
    patient = patients(nlp, text)[0]
    assert [t.drug for t in patient.treatments] == ["morphine", "paracetamol"]
    assert patient.concomitant == []


# -- received, or only mentioned


def test_recommended_considered_and_other_patients_drugs_are_not_treatments(nlp):
    text = ("A 27-year-old woman with a ROS1-rearranged tumour received crizotinib 250 mg twice daily. "
            "Lorlatinib was recommended by the tumour board but was not given. "
            "Entrectinib may be an option at progression, and repotrectinib could be considered later. "
            "Other patients with this fusion received ceritinib. "
            "Brigatinib has been investigated in ROS1-positive lung cancer.")
    assert drugs(nlp, text) == ["crizotinib"]


def test_drugs_of_the_introduction_and_discussion_are_not_treatments(nlp):
    text = ("Introduction\n\nCrizotinib and ceritinib are given to patients with ALK-positive tumours.\n\n"
            "Case presentation\n\nA 19-year-old man with an ALK-rearranged tumour was treated with alectinib "
            "600 mg twice daily, with a partial response.\n\n"
            "Discussion\n\nLorlatinib produced responses after alectinib in a published series.\n")
    assert drugs(nlp, text) == ["alectinib"]


def test_trial_enrolment_is_this_patients_treatment(nlp):
    text = ("A 12-year-old girl with a TPM3-NTRK1 sarcoma received larotrectinib on a phase I/II study "
            "and remained on therapy after 10 months.")
    treatments = lines(nlp, text)
    assert [t.drug for t in treatments] == ["larotrectinib"]
    assert treatments[0].duration_detail["ongoing"] is True


def test_a_trial_summary_gives_the_trial_drug_to_its_patient(nlp):
    text = ("In a phase 2 trial of selpercatinib in patients with RET fusion-positive cancers, the objective "
            "response rate was 64%. This included a 40-year-old man with a KIF5B-RET fusion who had a complete "
            "response lasting 20 months.")
    treatments = lines(nlp, text)
    assert [(t.drug, t.response, t.duration) for t in treatments] == [("selpercatinib", "CR", "20 months")]


def test_a_cue_in_a_fronted_clause_stays_in_it(nlp):
    text = ("Because the ALK inhibitor was not yet available, chemotherapy with doxorubicin 60 mg/m2 was "
            "started in a 22-year-old man.")
    assert drugs(nlp, text) == ["doxorubicin"]


# -- dose


def test_dose_text_and_parts(nlp):
    text = "A 44-year-old man started crizotinib 250 mg orally, twice daily in March 2021."
    treatment = lines(nlp, text)[0]
    assert treatment.dose == "250 mg orally, twice daily"
    assert treatment.dose_detail == {"value": 250.0, "unit": "mg", "route": "oral", "frequency": "twice daily"}


def test_dose_per_body_surface_and_weight(nlp):
    text = ("A 2-year-old boy received vincristine 0.05 mg/kg weekly and dactinomycin 0.045 mg/kg every "
            "3 weeks, then larotrectinib 100 mg/m2 BID.")
    treatments = lines(nlp, text)
    assert [(t.drug, t.dose_detail["unit"], t.dose_detail.get("frequency")) for t in treatments] == [
        ("vincristine", "mg/kg", "weekly"), ("dactinomycin", "mg/kg", "every 3 weeks"),
        ("larotrectinib", "mg/m2", "twice daily")]


def test_dose_written_around_the_drug_name(nlp):
    text = "A 70-year-old woman was given 100 mg larotrectinib twice daily."
    treatment = lines(nlp, text)[0]
    assert treatment.dose == "100 mg larotrectinib twice daily"
    assert treatment.dose_detail["frequency"] == "twice daily"


def test_dose_change_updates_the_line_and_keeps_history(nlp):
    text = ("A 35-year-old woman started crizotinib 250 mg twice daily. Because of edema, the dose was reduced "
            "to 250 mg daily. She had a partial response.")
    treatment = lines(nlp, text)[0]
    assert treatment.dose == "250 mg daily"
    assert treatment.dose_detail["history"] == ["250 mg twice daily"]
    assert "changed" in treatment.evidence["dose"].note


def test_a_supportive_drugs_dose_stays_with_it(nlp):
    text = ("A 56-year-old man received docetaxel 75 mg/m2 every 3 weeks, with granisetron 1 mg before each "
            "infusion.")
    assert lines(nlp, text)[0].dose == "75 mg/m2 every 3 weeks"


# -- duration


@pytest.mark.parametrize("sentence, duration, ongoing", [
    ("He was treated with alectinib for 8 months until progression.", "8 months", False),
    ("Pazopanib was stopped after 22 cycles.", "22 cycles", False),
    ("She has received >13 cycles of trabectedin.", ">13 cycles", False),
    ("He continues entrectinib, with the response ongoing at 3 years.", "3 years", True),
    ("She is still on treatment with ceritinib 9 months after initiation.", "9 months", True),
])
def test_duration_forms(nlp, sentence, duration, ongoing):
    treatment = lines(nlp, "A 48-year-old patient had an ALK-rearranged tumour. " + sentence)[0]
    assert duration_matches(duration, treatment.duration)
    assert bool(treatment.duration_detail.get("ongoing")) is ongoing


def test_a_qualifier_inside_a_word_is_no_qualifier(nlp):
    # "Moreover" ends in "over" (more than): only a whole word qualifies a duration.
    treatment = lines(nlp, "A 48-year-old patient had an ALK-rearranged tumour. Moreover 5 months of "
                           "crizotinib followed.")[0]
    assert treatment.duration == "5 months"
    assert treatment.duration_detail["qualifier"] is None


def test_the_longest_time_the_text_gives_for_a_line_is_its_duration(nlp):
    text = ("A 52-year-old woman started pralsetinib. After 2 months, CT showed a partial response. "
            "The response lasted 13 months.")
    assert lines(nlp, text)[0].duration == "13 months"


def test_times_of_other_events_and_ages_are_not_durations(nlp):
    text = ("A 9-month-old boy started larotrectinib, with a partial response. The tumour had recurred "
            "12 months after diagnosis. The dose was given every 3 weeks.")
    treatment = lines(nlp, text)[0]
    assert treatment.duration is None


def test_duration_derived_from_start_and_stop_dates(nlp):
    text = ("A 61-year-old man started lorlatinib in May 2019. "
            "Lorlatinib was discontinued in February 2020 because of progressive disease.")
    treatment = lines(nlp, text)[0]
    assert treatment.duration == "9 months"
    assert treatment.duration_detail["derived_from_dates"] is True
    assert "derived from dates" in treatment.evidence["duration"].note


# -- response


@pytest.mark.parametrize("phrase, category", [
    ("achieved a complete remission", "CR"),
    ("had a complete regression of all lesions", "CR"),
    ("had a near-complete response", "PR"),
    ("had a partial response", "PR"),
    ("had stable disease", "SD"),
])
def test_response_categories(nlp, phrase, category):
    text = f"A 33-year-old woman was treated with entrectinib and {phrase}."
    assert lines(nlp, text)[0].response == category


def test_progression_on_a_drug_is_its_pd_not_the_next_lines(nlp):
    text = ("A 59-year-old man with lung cancer progressed on crizotinib after 14 months and was switched "
            "to lorlatinib, which gave a partial response.")
    treatments = lines(nlp, text)
    assert [(t.drug, t.response) for t in treatments] == [("crizotinib", "PD"), ("lorlatinib", "PR")]
    assert duration_matches("14 months", treatments[0].duration)


def test_progression_opening_a_sentence_belongs_to_the_line_before(nlp):
    text = ("A 64-year-old man received gemcitabine and cisplatin. After disease progression, he was "
            "given alectinib with a partial response.")
    treatments = lines(nlp, text)
    assert [(t.drug, t.response) for t in treatments] == [
        ("gemcitabine", "PD"), ("cisplatin", "PD"), ("alectinib", "PR")]


def test_uncategorised_response_is_null_with_the_phrase_in_evidence(nlp):
    text = "A 23-year-old man was treated with crizotinib and showed a dramatic response."
    treatment = lines(nlp, text)[0]
    assert treatment.response is None
    assert treatment.evidence["response"].matched == "dramatic response"


def test_best_response_is_the_lines_response(nlp):
    text = ("A 41-year-old woman started entrectinib. Two months later the scan showed a partial response, "
            "and after 5 months a complete response. The best response of the lung nodules was stable disease "
            "on a later scan.")
    assert lines(nlp, text)[0].response == "CR"


def test_best_response_statement_belongs_to_the_line_it_describes(nlp):
    text = ("A 71-year-old man received capecitabine and oxaliplatin, with progressive disease after four "
            "cycles. He then started larotrectinib 100 mg twice daily. The best response was stable disease.")
    treatments = lines(nlp, text)
    assert [(t.drug, t.response) for t in treatments] == [
        ("capecitabine", "PD"), ("oxaliplatin", "PD"), ("larotrectinib", "SD")]


# -- lines


def test_regimen_drugs_share_the_response(nlp):
    text = ("A 29-year-old woman received doxorubicin 75 mg/m2 on day 1 and ifosfamide 3 g/m2 on days 1-3. "
            "After three cycles, MRI showed progressive disease.")
    treatments = lines(nlp, text)
    assert [(t.drug, t.response, t.line) for t in treatments] == [("doxorubicin", "PD", 1), ("ifosfamide", "PD", 1)]
    assert treatments[0].regimen == ["doxorubicin", "ifosfamide"]
    assert treatments[0].dose == "75 mg/m2 on day 1"
    assert treatments[1].dose == "3 g/m2 on days 1-3"


def test_a_drug_resumed_after_another_line_is_two_lines(nlp):
    text = ("A 50-year-old man was treated with crizotinib and achieved a partial response. Crizotinib was "
            "discontinued, and he received erlotinib. Crizotinib was resumed, but the disease progressed.")
    treatments = lines(nlp, text)
    assert [(t.drug, t.response, t.line) for t in treatments] == [
        ("crizotinib", "PR", 1), ("erlotinib", None, 2), ("crizotinib", "PD", 3)]


def test_a_pause_and_restart_of_the_same_drug_stays_one_line(nlp):
    text = ("A 41-year-old man started crizotinib 250 mg twice daily. Crizotinib was withheld for eight days "
            "because of hepatitis and restarted at the same dose. He achieved a complete response.")
    treatments = lines(nlp, text)
    assert [(t.drug, t.response) for t in treatments] == [("crizotinib", "CR")]


def test_naming_a_drug_again_refers_to_its_line(nlp):
    text = ("A 45-year-old woman received alectinib 600 mg twice daily and then lorlatinib 100 mg daily. "
            "Alectinib had given a partial response lasting 27 months.")
    treatments = lines(nlp, text)
    assert [(t.drug, t.response) for t in treatments] == [("alectinib", "PR"), ("lorlatinib", None)]
    assert duration_matches("27 months", treatments[0].duration)


# -- case series


def test_case_series_gives_one_patient_each_with_own_lines(nlp):
    text = ("Case 1\n\nA 30-year-old man with an ALK-rearranged tumour received alectinib 600 mg twice daily "
            "and had a partial response lasting 11 months.\n\n"
            "Case 2\n\nA 52-year-old woman with an ETV6-NTRK3 fusion was treated with larotrectinib 100 mg twice "
            "daily. The best response was stable disease.\n\n"
            "Case 3\n\nA 61-year-old man received gemcitabine plus cisplatin with progressive disease, then "
            "entrectinib with a complete response.\n")
    found = patients(nlp, text)
    assert [p.patient for p in found] == ["1", "2", "3"]
    assert [[(t.drug, t.response) for t in p.treatments] for p in found] == [
        [("alectinib", "PR")],
        [("larotrectinib", "SD")],
        [("gemcitabine", "PD"), ("cisplatin", "PD"), ("entrectinib", "CR")],
    ]


@pytest.mark.parametrize("first, second", [
    ("Patient 1:", "Patient 2:"), ("Case 1.", "Case 2."), ("Patient #1 -", "Patient #2 -"), ("Patient A:", "Patient B:"),
])
def test_case_series_marker_forms(nlp, first, second):
    text = (f"{first} A 30-year-old man received alectinib with a partial response.\n"
            f"{second} A 40-year-old woman received crizotinib with stable disease.")
    found = patients(nlp, text)
    assert [[(t.drug, t.response) for t in p.treatments] for p in found] == [
        [("alectinib", "PR")], [("crizotinib", "SD")]]


# -- the project's corpus: c02 (three-patient series) and c03 (three lines), checked against the gold


@pytest.mark.parametrize("file", ["reports/c02_ntrk_case_series_three_patients.txt",
                                  "reports/c03_pelvic_imt_ros1_three_lines.txt"])
def test_corpus_report_lines_match_gold(corpus_gold, file):
    """Every gold line is extracted, in order, with the same drug and response, a matching dose
    and duration (the evaluation's matchers) wherever gold states one, and nothing else."""
    gold = corpus_gold[file]
    report = extractor.extract(CORPUS / file)
    assert len(report.patients) == len(gold["patients"])
    for gold_patient, patient in zip(gold["patients"], report.patients):
        expected = gold_patient["treatments"]
        assert [t.drug for t in patient.treatments] == [g["drug"] for g in expected]
        for g, t in zip(expected, patient.treatments):
            assert t.response == g["response"], g["drug"]
            if g["dose"] is not None:
                assert dose_matches(g["dose"], t.dose), (g["drug"], g["dose"], t.dose)
            if g["duration"] is not None:
                assert duration_matches(g["duration"], t.duration), (g["drug"], g["duration"], t.duration)
        assert sorted(patient.concomitant) == sorted(gold_patient.get("concomitant") or [])


def test_corpus_c03_uses_the_brand_name_and_keeps_statin_concomitant():
    report = extractor.extract(CORPUS / "reports/c03_pelvic_imt_ros1_three_lines.txt")
    patient = report.patients[0]
    crizotinib = line_of(patient.treatments, "crizotinib")
    assert crizotinib.evidence["drug"].matched == "Xalkori"
    assert (crizotinib.dose, crizotinib.duration, crizotinib.response) == ("250 mg twice daily", "14 months", "PR")
    assert [t.line for t in patient.treatments] == [1, 1, 2, 3]
    assert patient.concomitant == ["mesna", "atorvastatin"]


def corpus_docs(nlp, *more: str):
    texts = [path.read_text(encoding="utf-8") for path in sorted((CORPUS / "reports").glob("*.txt"))]
    return [nlp.make_doc(text) for text in [*texts, *more]]


def test_drug_dictionary_holds_the_packages_tables():
    """Read from the package's file, the tables are those the package builds on import (which also adds
    to each record the names of its entry: casetable reads those from the name table)."""
    from drug_named_entity_recognition import drugs_finder

    from extractor.fields.drugs.dictionary import drug_dictionary

    dictionary = drug_dictionary()
    assert dictionary.variant_to_canonical == drugs_finder.drug_variant_to_canonical
    assert dictionary.variant_to_variant_data == drugs_finder.drug_variant_to_variant_data
    assert dictionary.canonical_to_data.keys() == drugs_finder.drug_canonical_to_data.keys()
    def without_synonyms(record: dict) -> dict:
        return {k: v for k, v in record.items() if k != "synonyms"}

    for canonical, record in drugs_finder.drug_canonical_to_data.items():
        assert without_synonyms(dictionary.canonical_to_data[canonical]) == without_synonyms(record)
    assert dictionary.variant_to_canonical["xalkori"] == ["crizotinib"]


def test_dictionary_hits_are_find_drugs_hits(nlp):
    """The recogniser reads drug-named-entity-recognition's tables itself; it must find what find_drugs finds."""
    from drug_named_entity_recognition import find_drugs

    from extractor.fields.drugs.recognizer import _dictionary_hits

    recognizer = nlp.get_pipe("casetable_drugs")
    keys = ("name", "drugbank_id", "medline_plus_id", "matching_string")
    for doc in corpus_docs(nlp, "Gleevec and vitamin B12 with 5-FU"):
        words = recognizer.words(doc)
        expected = find_drugs([w.text for w in words], is_ignore_case=True)
        assert ([(tuple(d.get(k) for k in keys), s, e) for d, s, e in _dictionary_hits(words)]
                == [(tuple(d.get(k) for k in keys), s, e) for d, s, e in expected])


def test_listed_windows_never_pass_over_a_listed_name(nlp):
    """Every 1- to 3-token window the data lists (corpus text, and every listed name tokenised) is a
    window the recogniser looks up."""
    from extractor.fields.drugs.names import _lexicon
    from extractor.fields.drugs.recognizer import _MAX_WIDTH

    recognizer = nlp.get_pipe("casetable_drugs")
    names = [*recognizer.supplement, *_lexicon().synonyms]
    looked_up = 0
    for doc in corpus_docs(nlp, *(f"given {name} daily" for name in names)):
        words = recognizer.words(doc)
        for start in range(len(words)):
            widths = recognizer.listed_windows.widths(words, start)
            for width in range(1, min(_MAX_WIDTH, len(words) - start) + 1):
                if recognizer._listed(" ".join(w.text for w in words[start:start + width])):
                    looked_up += 1
                    skipped_anyway = words[start].punct or words[start].space  # the recogniser never starts there
                    assert skipped_anyway or (width in widths and words[start].begins_listed), doc[start:start + width]
    assert looked_up > len(names) / 2


@pytest.mark.parametrize("words", [("5", "-", "FU"), ("Pf", "02341066"), ("ＡＢＣ", "d\u00e9"), ("\u039f\u03a3", "x")])
def test_skeleton_of_joined_tokens_is_their_skeletons_joined(words):
    from extractor.fields.drugs.names import name_skeleton

    assert name_skeleton(" ".join(words)) == "".join(map(name_skeleton, words))


def test_closest_stem_name_is_difflibs():
    import difflib

    from extractor.fields.drugs.recognizer import _FUZZY_CUTOFF, _stem_names
    from extractor.rules import read_lines

    names = _stem_names(tuple(read_lines("drug_stems.txt")))
    words = ["crizonitib", "imatanib", "larotrectnib", "gemcitabin", "intestine", "chemotherapy"]
    words += [name[:-2] + name[-1] + name[-2] for name in names.names[::40]]  # last two letters swapped
    for word in words:
        expected = difflib.get_close_matches(word, names.names, n=1, cutoff=_FUZZY_CUTOFF)
        assert names.closest(word, _FUZZY_CUTOFF) == (expected[0] if expected else None), word
