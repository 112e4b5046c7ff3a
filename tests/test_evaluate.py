"""Scoring rules of extractor.evaluation, on small hand-made gold documents and predictions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extractor.evaluation import Scores, evaluate, load_gold, score_civic_auto, score_documents
from extractor.evaluation.fields import FIELDS
from extractor.evaluation.matchers import normalize_fusion, site_matches
from extractor.evaluation.names import normalize_drug
from extractor.evaluation.quantities import dose_matches, duration_matches

SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def gold_patient(**values: Any) -> dict[str, Any]:
    base = {"fusion": None, "primary_site": None, "age_years": None, "sex": None, "treatments": []}
    return {**base, **values}


def line(drug: str, dose: str | None = None, duration: str | None = None,
         response: str | None = None) -> dict[str, Any]:
    return {"drug": drug, "dose": dose, "duration": duration, "response": response}


def as_prediction(doc: dict[str, Any]) -> dict[str, Any]:
    """A gold document written out in the output-contract shape (Report.to_dict())."""
    patients = []
    for number, p in enumerate(doc["patients"], start=1):
        patients.append({
            "patient": str(number),
            "fusion": p.get("fusion"),
            "fusions": [p["fusion"]] if p.get("fusion") else [],
            "primary_site": p.get("primary_site"),
            "age_years": p.get("age_years"),
            "sex": p.get("sex"),
            "treatments": [line(t["drug"], t.get("dose"), t.get("duration"), t.get("response"))
                           for t in p.get("treatments") or []],
            "evidence": {},
        })
    return {"source": doc["file"], "report": doc.get("report"), "patients": patients,
            "fusions": [], "drugs": [], "errors": []}


def counts(scores: Scores, field: str) -> tuple[int, int, int]:
    c = scores[field]
    return c.tp, c.fp, c.fn


# A one-patient report with every field filled, invented for these tests.
ONE = {
    "file": "x/one.txt",
    "patients": [gold_patient(
        fusion="NPM1::ALK", primary_site="right forearm", age_years=41, sex="female",
        treatments=[line("vincristine", None, None, "PD"),
                    line("ceritinib", "450 mg once daily", "14 months", "PR")])],
}


def test_exact_match_scores_one_everywhere() -> None:
    scores = score_documents([ONE], {ONE["file"]: as_prediction(ONE)})
    for field in FIELDS:
        assert scores[field].fp == scores[field].fn == 0, field
        if scores[field].tp:
            assert scores[field].precision == scores[field].recall == scores[field].f1 == 1.0
    assert scores.f1 == 1.0
    assert scores.misses == {}


def test_missing_prediction_scores_as_empty() -> None:
    scores = score_documents([ONE], {})
    assert scores.recall == 0.0
    assert counts(scores, "drug") == (0, 0, 2)
    assert counts(scores, "dose") == (0, 0, 0)  # line fields need a drug both sides found


def test_wrong_age_is_a_false_positive_and_a_false_negative() -> None:
    pred = as_prediction(ONE)
    pred["patients"][0]["age_years"] = 44
    scores = score_documents([ONE], {ONE["file"]: pred})
    assert counts(scores, "age_years") == (0, 1, 1)
    assert scores.misses[ONE["file"]] == [
        {"field": "age_years", "gold": 41, "predicted": 44, "gold_patient": 1, "predicted_patient": 1}]


@pytest.mark.parametrize("gold_age, alternatives, predicted, ok", [
    (41, [], 41.4, True),
    (41, [], 41.6, False),
    (41, [42], 42.2, True),          # an alternative age the text also gives
    (0.5, [], 0.55, True),            # infants: within a month
    (0.5, [], 0.75, False),
    (1.25, [], 15 / 12, True),
])
def test_age_tolerance_and_alternatives(gold_age: float, alternatives: list[float],
                                        predicted: float, ok: bool) -> None:
    doc = {"file": "x/age.txt",
           "patients": [gold_patient(age_years=gold_age, age_alternatives=alternatives)]}
    pred = {"patients": [{"age_years": predicted, "treatments": []}]}
    scores = score_documents([doc], {doc["file"]: pred})
    assert counts(scores, "age_years") == ((1, 0, 0) if ok else (0, 1, 1))


def test_gold_null_is_not_scored() -> None:
    doc = {"file": "x/null.txt",
           "patients": [gold_patient(age_years=60, treatments=[line("imatinib")])]}
    pred = {"patients": [{"age_years": 60, "sex": "male", "fusion": "BCR::ABL1",
                          "primary_site": "blood",
                          "treatments": [line("imatinib", "400 mg daily", "2 years", "CR")]}]}
    scores = score_documents([doc], {doc["file"]: pred})
    for field in ("sex", "fusion", "primary_site", "dose", "duration", "response"):
        assert counts(scores, field) == (0, 0, 0), field
    assert counts(scores, "age_years") == (1, 0, 0)
    assert counts(scores, "drug") == (1, 0, 0)


def test_scored_fields_limit_the_fields() -> None:
    doc = {"file": "x/limited.txt", "scored_fields": ["sex"],
           "patients": [gold_patient(sex="male", age_years=30, treatments=[line("tacrolimus")])]}
    pred = {"patients": [{"sex": "male", "age_years": 50, "treatments": [line("pimecrolimus")]}]}
    scores = score_documents([doc], {doc["file"]: pred})
    assert counts(scores, "sex") == (1, 0, 0)
    assert scores.overall.fp == scores.overall.fn == 0


def test_concomitant_drug_counts_neither_way() -> None:
    doc = {"file": "x/support.txt",
           "patients": [gold_patient(treatments=[line("crizotinib")],
                                     concomitant=["ondansetron", "acetaminophen"])]}
    pred = {"patients": [{"treatments": [line("crizotinib"), line("ondansetron"),
                                         line("paracetamol"), line("lorlatinib")]}]}
    scores = score_documents([doc], {doc["file"]: pred})
    assert counts(scores, "drug") == (1, 1, 0)  # only lorlatinib is a false positive
    assert scores.misses[doc["file"]][0]["predicted"] == "lorlatinib"


def test_document_scope_pools_drugs_of_all_patients() -> None:
    doc = {"file": "x/series.txt", "scored_fields": ["age_years", "sex", "drug"],
           "drug_scope": "document",
           "patients": [gold_patient(age_years=44, sex="male",
                                     treatments=[line("dapsone"), line("tetracycline"),
                                                 line("nicotinamide")])]}
    pred = {"patients": [
        {"age_years": 44, "sex": "male", "treatments": [line("tetracycline")]},
        {"age_years": 51, "sex": "female", "treatments": [line("dapsone"), line("heparin")]},
    ]}
    scores = score_documents([doc], {doc["file"]: pred})
    assert counts(scores, "drug") == (2, 1, 1)       # nicotinamide missed, heparin extra
    assert counts(scores, "age_years") == (1, 0, 0)  # the second case is not an age error
    assert counts(scores, "sex") == (1, 0, 0)


def test_patient_scope_does_not_pool() -> None:
    doc = {"file": "x/two.txt", "patients": [
        gold_patient(age_years=3, treatments=[line("larotrectinib")]),
        gold_patient(age_years=70, treatments=[line("entrectinib")])]}
    pred = {"patients": [{"age_years": 3, "treatments": [line("entrectinib")]},
                         {"age_years": 70, "treatments": [line("larotrectinib")]}]}
    scores = score_documents([doc], {doc["file"]: pred})
    assert counts(scores, "age_years") == (2, 0, 0)
    assert counts(scores, "drug") == (0, 2, 2)


def test_line_fields_only_on_drugs_both_sides_found() -> None:
    doc = {"file": "x/lines.txt", "patients": [gold_patient(treatments=[
        line("alectinib", "600 mg twice daily", "11 months", "PR"),
        line("brigatinib", "180 mg daily", "3 months", "PD"),
    ])]}
    pred = {"patients": [{"treatments": [
        line("alectinib", "600mg b.i.d.", "about 11 months", "SD"),
        line("lorlatinib", "100 mg daily", "5 months", "CR"),  # not in gold: values not scored
    ]}]}
    scores = score_documents([doc], {doc["file"]: pred})
    assert counts(scores, "drug") == (1, 1, 1)
    assert counts(scores, "dose") == (1, 0, 0)
    assert counts(scores, "duration") == (1, 0, 0)
    assert counts(scores, "response") == (0, 1, 1)  # brigatinib's values are not missed either


def test_repeated_drug_lines_pair_in_order() -> None:
    doc = {"file": "x/rechallenge.txt", "patients": [gold_patient(treatments=[
        line("crizotinib", None, "10 months", "PR"), line("erlotinib"),
        line("crizotinib", None, "2 weeks", "PD")])]}
    pred = {"patients": [{"treatments": [
        line("crizotinib", None, "10 months", "PR"), line("crizotinib", None, None, "PD")]}]}
    scores = score_documents([doc], {doc["file"]: pred})
    assert counts(scores, "response") == (2, 0, 0)
    assert counts(scores, "duration") == (1, 0, 1)


def test_salt_forms_and_usan_names_are_the_same_drug() -> None:
    doc = {"file": "x/names.txt", "patients": [gold_patient(treatments=[
        line("imatinib"), line("paracetamol"), line("rifampicin"), line("folinic acid"),
        line("fluorouracil"), line("magnesium citrate")])]}
    pred = {"patients": [{"treatments": [
        line("Imatinib mesylate"), line("acetaminophen"), line("rifampin"),
        line("calcium folinate"), line("5-FU"), line("magnesium citrate")]}]}
    scores = score_documents([doc], {doc["file"]: pred})
    assert counts(scores, "drug") == (6, 0, 0)


@pytest.mark.parametrize("name, inn", [
    ("Imatinib Mesylate", "imatinib"),
    ("crizotinib hydrochloride", "crizotinib"),
    ("dexamethasone sodium phosphate", "dexamethasone"),
    ("leucovorin calcium", "folinic acid"),
    ("magnesium citrate", "magnesium citrate"),
    ("sodium chloride", "sodium chloride"),
    ("ferrous sulfate", "ferrous sulfate"),
    ("Dipyrone", "metamizole"),
    ("all-trans retinoic acid", "tretinoin"),
    ("ATRA", "tretinoin"),
    ("Adriamycin", "doxorubicin"),
    ("cyclosporine", "ciclosporin"),
    ("aspirin", "acetylsalicylic acid"),
    ("cholestyramine", "colestyramine"),
    ("polyethylene glycol", "macrogol"),
    ("5\u2013fluorouracil", "fluorouracil"),
    ("LOXO 101", "larotrectinib"),
    ("PF02341066", "crizotinib"),
    ("  Selpercatinib. ", "selpercatinib"),
])
def test_normalize_drug(name: str, inn: str) -> None:
    assert normalize_drug(name) == inn


def test_three_patients_align_whatever_the_order() -> None:
    doc = {"file": "x/three.txt", "patients": [
        gold_patient(fusion="ETV6::NTRK3", age_years=0.3, sex="male",
                     treatments=[line("larotrectinib", None, "6 months", "CR")]),
        gold_patient(fusion="TPM3::NTRK1", age_years=12, sex="female",
                     treatments=[line("larotrectinib", None, "9 months", "PR")]),
        gold_patient(fusion="LMNA::NTRK1", age_years=35, sex="male",
                     treatments=[line("entrectinib", None, None, "SD")]),
    ]}
    pred = as_prediction(doc)
    pred["patients"] = [pred["patients"][2], pred["patients"][0], pred["patients"][1]]
    scores = score_documents([doc], {doc["file"]: pred})
    assert scores.overall.fp == scores.overall.fn == 0
    assert counts(scores, "duration") == (2, 0, 0)

    pred["patients"].append({"patient": "4", "age_years": 60, "sex": "female",
                             "treatments": [line("crizotinib")]})
    scores = score_documents([doc], {doc["file"]: pred})
    assert counts(scores, "age_years") == (3, 1, 0)  # an extra patient's values are false positives
    assert counts(scores, "drug") == (3, 1, 0)


def test_unmatched_gold_patient_values_are_missed() -> None:
    doc = {"file": "x/two_children.txt", "patients": [
        gold_patient(age_years=2, treatments=[line("larotrectinib")]),
        gold_patient(age_years=0.4, sex="female", treatments=[line("larotrectinib")])]}
    pred = {"patients": [{"age_years": 0.4, "sex": "female", "treatments": [line("larotrectinib")]}]}
    scores = score_documents([doc], {doc["file"]: pred})
    assert counts(scores, "age_years") == (1, 0, 1)
    assert counts(scores, "drug") == (1, 0, 1)
    assert counts(scores, "sex") == (1, 0, 0)


def test_fusion_is_exact_after_separator_normalisation() -> None:
    assert normalize_fusion("EML4-ALK") == "EML4::ALK"
    assert normalize_fusion("EML4 :: ALK") == "EML4::ALK"
    assert normalize_fusion("NKX2-1") == "NKX2-1"
    doc = {"file": "x/fusion.txt", "patients": [gold_patient(fusion="TFG::ROS1")]}
    scores = score_documents([doc], {doc["file"]: {"patients": [{"fusion": "v::ROS1"}]}})
    assert counts(scores, "fusion") == (0, 1, 1)


@pytest.mark.parametrize("gold, predicted, ok", [
    ("left thigh", "thigh, left", True),
    ("left thigh", "thigh", False),                     # laterality must agree when gold has one
    ("left thigh", "right thigh", False),
    ("right upper thigh (soft tissue)", "right thigh", True),
    ("lung", "left lower lobe of the lung", True),
    ("lung", "pulmonary", True),
    ("left arm", "left", False),                       # laterality alone is not a site
    ("pancreas", "liver", False),
])
def test_site_rule(gold: str, predicted: str, ok: bool) -> None:
    assert site_matches(gold, predicted) is ok


@pytest.mark.parametrize("gold, predicted, ok", [
    ("250 mg twice daily", "250mg b.i.d.", True),
    ("250 mg twice daily", "250 mg bid orally", True),
    ("100mg twice per day", "100 mg twice daily", True),
    ("250 mg orally, twice daily", "250 mg", False),    # gold states a frequency: it must be there
    ("250 mg", "250 mg orally, twice daily", True),     # gold states none: any frequency
    ("2AUC weekly", "AUC 2 weekly", True),
    ("4IU IV OD -1/7", "4 IU once daily", True),           # OD: once a day
    ("4IU IV OD -1/7", "4IU IV", False),
    ("75 mg/m2", "75 mg", False),                       # another basis
    ("250 mg daily", "250 mg twice daily", False),
    ("250 mg daily", "200 mg daily", False),
    ("1 g daily", "1000 mg qd", True),
    ("75 mg/m2", "75 mg/m²", True),
    ("75 mg/m2", "75 mg/kg", False),
    ("AUC = 5 day 1", "AUC 5", True),
])
def test_dose_rule(gold: str, predicted: str, ok: bool) -> None:
    assert dose_matches(gold, predicted) is ok


@pytest.mark.parametrize("gold, predicted, ok", [
    ("three months", "3 months", True),
    ("1 year and 5 months", "17 months", False),        # gold's last number and unit: 5 months
    ("nearly four years", "4 years", True),
    ("four cycles", "4 courses", True),
    ("9 months", "ongoing at 9 months", True),
    ("6 weeks", "42 days", False),
    ("20 months", "22 months", False),                  # the number itself
    ("20 months", "23 months", False),
    ("2 months", "2.4 months", False),
    ("four cycles", "4 cycles", True),
    ("four cycles", "4 months", False),                 # cycles only compare with cycles
    ("by day 106", "3.5 months", False),
    ("by day 106", "day 106", True),
])
def test_duration_rule(gold: str, predicted: str, ok: bool) -> None:
    assert duration_matches(gold, predicted) is ok


STATEMENTS = [
    {"id": "S1", "text": "An ALK-rearranged tumour responded to alectinib.",
     "fusions": ["v::ALK"], "drugs": ["alectinib"]},
    {"id": "S2", "text": "A child with a KLC1-ROS1 fusion received lorlatinib mesylate.",
     "fusions": ["KLC1::ROS1"], "drugs": ["lorlatinib", "ROS1 inhibitor"]},
    {"id": "S3", "text": "Cells with a ROS1 fusion were sensitive to the compound.",
     "fusions": ["SDC4::ROS1"], "drugs": ["not applicable"]},
    {"id": "S4", "text": "A fusion-positive sarcoma was treated with LOXO-101.",
     "fusions": ["LMNA::NTRK1"], "drugs": ["larotrectinib", "xy-1234"]},
]


def test_civic_auto_rules() -> None:
    predictions = {
        "S1": {"patients": [{"fusion": "EML4::ALK", "treatments": [line("alectinib")]}]},
        "S2": {"patients": [], "fusions": ["KLC1::ROS1"], "drugs": ["lorlatinib"]},
        "S3": {"patients": [{"fusion": "v::ROS1", "treatments": []}]},
        "S4": {"patients": [{"fusion": None, "treatments": [line("loxo-101")]}]},
    }
    scores = score_civic_auto(STATEMENTS, predictions)
    # v::ALK is any ALK fusion; SDC4 is never named, so v::ROS1 counts; S4 names neither gene
    assert counts(scores, "fusion") == (3, 0, 0)
    assert [s["value"] for s in scores.skipped["S4"]] == ["LMNA::NTRK1", "xy-1234"]
    # the class "ROS1 inhibitor", "not applicable" and an unnamed code name are skipped
    assert counts(scores, "drug") == (3, 0, 0)
    assert scores["drug"].precision is None and scores.f1 is None
    assert scores.recall == 1.0


def test_civic_auto_both_genes_named_needs_the_exact_fusion() -> None:
    predictions = {"S2": {"patients": [{"fusion": "v::ROS1", "treatments": []}]}}
    scores = score_civic_auto([STATEMENTS[1]], predictions)
    assert counts(scores, "fusion") == (0, 0, 1)
    assert counts(scores, "drug") == (0, 0, 1)
    assert scores.misses["S2"][0]["gold"] == "KLC1::ROS1"


def test_report_shapes() -> None:
    scores = score_documents([ONE], {ONE["file"]: as_prediction(ONE)})
    data = scores.to_dict()
    json.dumps(data)
    assert data["fields"]["drug"] == {"tp": 2, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    table = scores.format_table().splitlines()
    assert table[0].split() == ["field", "P", "R", "F1", "TP", "FP", "FN"]
    assert [row.split()[0] for row in table[1:]] == [*FIELDS, "overall"]
    merged = scores.merge(score_documents([ONE], {}))
    assert merged.documents == 2 and merged["drug"].fn == 2


def test_evaluate_runner_detects_the_file_kind(tmp_path: Path) -> None:
    gold_file = tmp_path / "gold.jsonl"
    broken = {"file": "x/broken.txt", "patients": [gold_patient(age_years=5)]}
    gold_file.write_text("\n".join(json.dumps(d) for d in (ONE, broken)) + "\n", encoding="utf-8")

    def extract_path(path: Path) -> dict[str, Any]:
        if path.name == "broken.txt":
            raise ValueError("unreadable")
        assert path == tmp_path / ONE["file"]
        return as_prediction(ONE)

    scores = evaluate(gold_file, tmp_path, extract_path, lambda text, key: {})
    assert scores.kind == "gold" and scores.documents == 2
    assert counts(scores, "age_years") == (1, 0, 1)
    assert scores.errors == {"x/broken.txt": "ValueError: unreadable"}

    statements_file = tmp_path / "statements.jsonl"
    statements_file.write_text(json.dumps(STATEMENTS[0]) + "\n", encoding="utf-8")
    seen: list[str] = []

    def extract_text(text: str, key: str) -> dict[str, Any]:
        seen.append(key)
        return {"patients": [], "fusions": ["v::ALK"], "drugs": ["alectinib"]}

    scores = evaluate(statements_file, tmp_path, extract_path, extract_text)
    assert seen == ["S1"] and scores.kind == "civic_auto" and scores.recall == 1.0


def test_shared_gold_scored_against_itself_is_perfect() -> None:
    gold_dir = SHARED_CORPUS / "gold"
    if not gold_dir.is_dir():
        pytest.skip(f"../shared/corpus not present: {gold_dir} is missing")
    files = sorted(gold_dir.glob("*.jsonl"))
    assert files, f"no gold files in {gold_dir}"
    total: Scores | None = None
    for path in files:
        docs = load_gold(path)
        scores = score_documents(docs, {d["file"]: as_prediction(d) for d in docs})
        assert scores.misses == {}, path.name
        total = scores if total is None else total.merge(scores)
    assert total is not None
    # Every field the shared gold annotates (it has no diagnosis) scores perfectly against itself.
    annotated = [f for f in FIELDS if total[f].tp + total[f].fn > 0]
    assert set(FIELDS) - set(annotated) <= {"diagnosis"}
    for field in annotated:
        assert total[field].f1 == 1.0, field
