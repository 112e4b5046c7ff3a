"""civic_auto statements: recall of the curated fusions and therapies over each whole statement."""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from .documents import as_dict, drug_name, treatments
from .fields import CIVIC_FIELDS
from .matchers import normalize_fusion
from .names import normalize_drug
from .quantities import squash
from .scores import Scores

_THERAPY_CLASS_RE = re.compile(
    r"\b(?:inhibitors?|therapy|therapies|chemotherapy|regimens?|agents?|blockers?|antagonists?|"
    r"antibod(?:y|ies)|not applicable|n/?a|unknown|none)\b"
)
_CODE_NAME_RE = re.compile(r"^[a-z]{1,6}[- ]?\d{2,}[a-z0-9-]*$")


def _gene_named(symbol: str, text: str, aliases: Mapping[str, Iterable[str]] | None) -> bool:
    """The text names a gene by its symbol, the symbol without its trailing number ("ABL" in
    "BCR-ABL" names ABL1), or an alias from ``aliases``; case-sensitive, as gene symbols are."""
    names = {symbol, re.sub(r"\d+$", "", symbol), *(aliases.get(symbol, ()) if aliases else ())}
    return any(re.search(rf"(?<![A-Za-z0-9]){re.escape(n)}(?![A-Za-z0-9])", text)
               for n in names if len(n) >= 2)


def _predicted_fusions(pred: Mapping[str, Any]) -> set[str]:
    values: list[Any] = list(pred.get("fusions") or [])
    for patient in pred.get("patients") or []:
        values.append(patient.get("fusion"))
        values.extend(patient.get("fusions") or [])
    return {normalize_fusion(v) for v in values if isinstance(v, str) and v.strip()}


def _predicted_drugs(pred: Mapping[str, Any]) -> set[str]:
    names = [drug_name(d) for d in pred.get("drugs") or []]
    for patient in pred.get("patients") or []:
        names.extend(drug_name(t["drug"]) for t in treatments(patient))
    return {n for n in names if n}


def score_civic_auto(statements: list[dict[str, Any]], predictions: Mapping[str, Any],
                     gene_aliases: Mapping[str, Iterable[str]] | None = None) -> Scores:
    """Recall of curated fusions and therapies over each whole statement.

    Predicted values are pooled over the statement: every patient's ``fusion``/``fusions`` and
    treatment drugs, plus the document-level ``fusions`` and ``drugs`` lists.

    Fusions: ``v::X`` is found by any predicted fusion involving X (any partner, named or not). A
    curated ``A::B`` is skipped when the text names neither gene; when it names only the 3' gene B,
    ``v::B`` also counts; otherwise ``A::B`` must be predicted exactly (aliases such as BCR-ABL or
    ZNF198 must have been normalised by the extractor).

    Therapies: classes ("ALK inhibitor TAE684", "chemotherapy", "not applicable") are skipped; names
    compare after :func:`normalize_drug` (imatinib mesylate = imatinib, LOXO-101 = larotrectinib); a
    curated code name with no INN that the text never mentions cannot be resolved and is skipped.
    """
    scores = Scores(kind="civic_auto", fields=CIVIC_FIELDS)
    for statement in statements:
        sid, text = statement["id"], statement.get("text") or ""
        pred = as_dict(predictions.get(sid))
        fusions, drugs = _predicted_fusions(pred), _predicted_drugs(pred)
        for curated in statement.get("fusions") or []:
            five, _, three = normalize_fusion(curated).partition("::")
            if five == "v":
                if not _gene_named(three, text, gene_aliases):
                    scores.skipped.setdefault(sid, []).append(
                        {"field": "fusion", "value": curated, "why": "gene never named in the text"})
                    continue
                hit = any(three in f.split("::") for f in fusions)
            else:
                named5 = _gene_named(five, text, gene_aliases)
                named3 = _gene_named(three, text, gene_aliases)
                if not (named5 or named3):
                    scores.skipped.setdefault(sid, []).append(
                        {"field": "fusion", "value": curated, "why": "genes never named in the text"})
                    continue
                hit = f"{five}::{three}" in fusions or (named3 and not named5 and f"v::{three}" in fusions)
            if hit:
                scores.add(sid, "fusion", tp=1)
            else:
                scores.add(sid, "fusion", fn=1, gold=curated, found=sorted(fusions))
        for curated in statement.get("drugs") or []:
            name = normalize_drug(curated)
            why = None
            if not name or _THERAPY_CLASS_RE.search(name):
                why = "therapy class, not a drug name"
            elif _CODE_NAME_RE.match(name) and squash(name).replace(" ", "") not in squash(text).replace(" ", ""):
                why = "code name without INN, never named in the text"
            if why:
                scores.skipped.setdefault(sid, []).append({"field": "drug", "value": curated, "why": why})
                continue
            if name in drugs:
                scores.add(sid, "drug", tp=1)
            else:
                scores.add(sid, "drug", fn=1, gold=name, found=sorted(drugs))
        scores.documents += 1
    return scores
