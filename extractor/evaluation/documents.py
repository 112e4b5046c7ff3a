"""Gold documents: patients aligned with the predicted ones, then each field compared by its matcher."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any, Iterable, Mapping

from .fields import FIELDS, LINE_FIELDS, MATCHERS, PATIENT_FIELDS
from .matchers import age_matches, given
from .names import normalize_drug
from .scores import Scores


def load_gold(path: Path | str) -> list[dict[str, Any]]:
    """Objects of a JSONL file, one per non-empty line."""
    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def drug_name(value: Any) -> str:
    return normalize_drug(value) if isinstance(value, str) else ""


def treatments(patient: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [t for t in patient.get("treatments") or [] if isinstance(t, Mapping) and drug_name(t.get("drug"))]


def _drug_set(patient: Mapping[str, Any]) -> set[str]:
    return {drug_name(t["drug"]) for t in treatments(patient)}


def _patient_similarity(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> float:
    """How well a predicted patient agrees with a gold patient: rewards for agreeing age, sex,
    fusion, site and shared drugs, penalties for conflicting age/sex/fusion."""
    score = 0.0
    gold = {k: given(v) for k, v in gold.items()}
    pred = {k: given(v) for k, v in pred.items()}
    if gold.get("age_years") is not None and pred.get("age_years") is not None:
        agree = age_matches(gold["age_years"], gold.get("age_alternatives") or [], pred["age_years"])
        score += 2 if agree else -1
    for name, reward in (("sex", 1), ("fusion", 2), ("primary_site", 1)):
        if gold.get(name) is not None and pred.get(name) is not None:
            agree = MATCHERS[name](gold[name], pred[name])
            score += reward if agree else (0 if name == "primary_site" else -1)
    score += len(_drug_set(gold) & _drug_set(pred))
    return score


def align_patients(gold: list[Mapping[str, Any]], pred: list[Mapping[str, Any]]) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index) that maximise total agreement, as many pairs as possible.

    Exhaustive over assignments for the small patient counts of case reports (ties go to the pairing
    that keeps the text order); greedy by agreement above 40,320 assignments. Single-patient
    documents pair trivially.
    """
    if not gold or not pred:
        return []
    if len(gold) == 1 and len(pred) == 1:
        return [(0, 0)]
    sim = [[_patient_similarity(g, p) - 1e-3 * abs(i - j) for j, p in enumerate(pred)]
           for i, g in enumerate(gold)]
    n, m = len(gold), len(pred)
    k = min(n, m)
    count = 1
    for i in range(k):
        count *= max(n, m) - i
    if count <= 40320:
        best: tuple[float, list[tuple[int, int]]] = (float("-inf"), [])
        if n <= m:
            for chosen in itertools.permutations(range(m), n):
                pairs = list(zip(range(n), chosen))
                total = sum(sim[i][j] for i, j in pairs)
                if total > best[0]:
                    best = (total, pairs)
        else:
            for chosen in itertools.permutations(range(n), m):
                pairs = list(zip(chosen, range(m)))
                total = sum(sim[i][j] for i, j in pairs)
                if total > best[0]:
                    best = (total, pairs)
        return sorted(best[1])
    pairs, used_g, used_p = [], set(), set()
    for _, i, j in sorted(((-sim[i][j], i, j) for i in range(n) for j in range(m))):
        if i not in used_g and j not in used_p:
            pairs.append((i, j))
            used_g.add(i)
            used_p.add(j)
    return sorted(pairs)


def _score_patient_fields(scores: Scores, file: str, scored: set[str], gold: Mapping[str, Any] | None,
                          pred: Mapping[str, Any] | None, where: dict[str, Any]) -> None:
    """age, sex, fusion, site of one (possibly unmatched) patient pair; gold null is not scored."""
    for name in PATIENT_FIELDS:
        if name not in scored:
            continue
        g = given(gold.get(name)) if gold else None
        p = given(pred.get(name)) if pred else None
        if g is None:
            continue  # the text does not say: a predicted value is neither right nor wrong
        if p is None:
            scores.add(file, name, fn=1, gold=g, **where)
        elif (age_matches(g, gold.get("age_alternatives") or [], p) if name == "age_years"
              else MATCHERS[name](g, p)):
            scores.add(file, name, tp=1)
        else:
            scores.add(file, name, fp=1, fn=1, gold=g, predicted=p, **where)
    if gold is None and pred is not None:
        # An extra predicted patient: every value it states is unsupported by gold.
        for name in PATIENT_FIELDS:
            if name in scored and given(pred.get(name)) is not None:
                scores.add(file, name, fp=1, predicted=pred[name], **where)


def _score_drugs(scores: Scores, file: str, scored: set[str], gold_lines: list[dict[str, Any]],
                 concomitant: Iterable[str], pred_lines: list[dict[str, Any]],
                 where: dict[str, Any]) -> None:
    """Set comparison of normalised drug names, then dose/duration/response on shared drugs.

    A predicted drug listed under gold ``concomitant`` counts neither way. For each drug both sides
    have, gold lines and predicted lines of that drug pair in text order; a gold line with no
    predicted partner (the drug was given twice, found once) scores its values as missed.
    """
    gold_set = {drug_name(t["drug"]) for t in gold_lines}
    pred_set = {drug_name(t["drug"]) for t in pred_lines}
    support = {normalize_drug(c) for c in concomitant if isinstance(c, str)}
    if "drug" in scored:
        for name in sorted(gold_set | pred_set):
            if name in gold_set and name in pred_set:
                scores.add(file, "drug", tp=1)
            elif name in gold_set:
                scores.add(file, "drug", fn=1, gold=name, **where)
            elif name not in support:
                scores.add(file, "drug", fp=1, predicted=name, **where)
    for name in sorted(gold_set & pred_set):
        g_lines = [t for t in gold_lines if drug_name(t["drug"]) == name]
        p_lines = [t for t in pred_lines if drug_name(t["drug"]) == name]
        for index, g in enumerate(g_lines):
            p = p_lines[index] if index < len(p_lines) else {}
            for field_name in LINE_FIELDS:
                gv, pv = given(g.get(field_name)), given(p.get(field_name))
                if field_name not in scored or gv is None:
                    continue
                line_where = {**where, "drug": name}
                if pv is None:
                    scores.add(file, field_name, fn=1, gold=gv, **line_where)
                elif MATCHERS[field_name](gv, pv):
                    scores.add(file, field_name, tp=1)
                else:
                    scores.add(file, field_name, fp=1, fn=1, gold=gv, predicted=pv, **line_where)


def as_dict(prediction: Any) -> dict[str, Any]:
    if prediction is None:
        return {}
    if hasattr(prediction, "to_dict"):
        return prediction.to_dict()
    return dict(prediction)


def score_document(scores: Scores, gold_doc: Mapping[str, Any], prediction: Any) -> None:
    """Add one document's comparisons to ``scores``.

    ``scored_fields`` limits the fields. Patients are aligned by :func:`align_patients`; an
    unmatched gold patient's values are false negatives, an unmatched predicted patient's values
    false positives — except with ``drug_scope: "document"``, where gold describes the report's index
    patient and pools every patient's drugs, so extra predicted patients add only their drugs (to
    the pool), not age/sex errors.
    """
    file = gold_doc["file"]
    scored = set(gold_doc.get("scored_fields") or FIELDS)
    document_scope = gold_doc.get("drug_scope") == "document"
    gold_patients = list(gold_doc.get("patients") or [])
    pred_patients = [p for p in as_dict(prediction).get("patients") or [] if isinstance(p, Mapping)]
    pairs = align_patients(gold_patients, pred_patients)
    matched_g = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}

    for i, j in pairs:
        where = {"gold_patient": i + 1, "predicted_patient": j + 1}
        _score_patient_fields(scores, file, scored, gold_patients[i], pred_patients[j], where)
        if not document_scope:
            _score_drugs(scores, file, scored, treatments(gold_patients[i]),
                         gold_patients[i].get("concomitant") or [], treatments(pred_patients[j]), where)
    for i, g in enumerate(gold_patients):
        if i not in matched_g:
            where = {"gold_patient": i + 1, "predicted_patient": None}
            _score_patient_fields(scores, file, scored, g, None, where)
            if not document_scope:
                _score_drugs(scores, file, scored, treatments(g), [], [], where)
    for j, p in enumerate(pred_patients):
        if j not in matched_p and not document_scope:
            where = {"gold_patient": None, "predicted_patient": j + 1}
            _score_patient_fields(scores, file, scored, None, p, where)
            _score_drugs(scores, file, scored, [], [], treatments(p), where)
    if document_scope:
        _score_drugs(scores, file, scored,
                     [t for g in gold_patients for t in treatments(g)],
                     [c for g in gold_patients for c in g.get("concomitant") or []],
                     [t for p in pred_patients for t in treatments(p)],
                     {"gold_patient": "all", "predicted_patient": "all"})
    scores.documents += 1


def score_documents(gold_docs: list[dict[str, Any]], predictions: Mapping[str, Any]) -> Scores:
    """Precision / recall / F1 per field over gold documents.

    ``predictions`` maps a gold ``file`` to its output-contract dict (or a ``Report``); a missing
    prediction, or one without patients, scores as empty (all gold values missed).
    """
    scores = Scores(kind="gold", fields=FIELDS)
    for doc in gold_docs:
        score_document(scores, doc, predictions.get(doc["file"]))
    return scores
