"""Value matchers of the patient fields, one small documented rule each, as the evaluation corpus's
conventions state them; the vocabulary they need is data under ``vocabulary/``."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterable

from .vocabulary import DASHES, site_vocabulary


def normalize_fusion(value: str) -> str:
    """HGNC ``5'::3'`` spelling of a predicted fusion, for exact comparison.

    Only the separator is normalised: spaces around ``::`` go, and a name without ``::`` that has a
    single hyphen between two symbols starting with a letter ("EML4-ALK") becomes ``EML4::ALK``.
    Symbols are compared as written (case included); ``v::ROS1`` is not ``TFG::ROS1``.
    """
    text = unicodedata.normalize("NFKC", str(value)).translate(DASHES).strip()
    text = re.sub(r"\s*::\s*", "::", text)
    if "::" not in text:
        parts = text.split("-")
        if len(parts) == 2 and all(re.match(r"[A-Za-z]", p.strip()) for p in parts):
            text = "::".join(p.strip() for p in parts)
    return text


def given(value: Any) -> Any:
    """None for a missing value: null, or a string with nothing in it."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _as_float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def age_matches(gold: float, alternatives: Iterable[float], predicted: Any) -> bool:
    """Within half a year of the gold age or one of its ``age_alternatives``; within one month
    (1/12 year) when that gold age is below 2 years, where half a year would be a different child."""
    value = _as_float(predicted)
    if value is None:
        return False
    for reference in (gold, *alternatives):
        reference = float(reference)
        tolerance = 1 / 12 if reference < 2 else 0.5
        if abs(value - reference) <= tolerance + 1e-6:
            return True
    return False


def sex_matches(gold: str, predicted: Any) -> bool:
    """Exact category, ignoring case and surrounding space."""
    return str(predicted).strip().casefold() == str(gold).strip().casefold()


def response_matches(gold: str, predicted: Any) -> bool:
    """Exact RECIST-style category (CR, PR, SD, PD), ignoring case."""
    return str(predicted).strip().upper() == str(gold).strip().upper()


def fusion_matches(gold: str, predicted: Any) -> bool:
    return normalize_fusion(predicted) == normalize_fusion(gold)


def site_words(value: str) -> set[str]:
    """Content words of a site: lowercase alphanumeric tokens, stop words and 1-letter tokens
    dropped, a plural ``-s`` dropped, adjectives mapped to the organ ("pulmonary" -> "lung")."""
    vocabulary = site_vocabulary()
    words = set()
    for token in re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", str(value)).lower()):
        if len(token) < 2 or token in vocabulary.stop:
            continue
        if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
            token = token[:-1]
        words.add(vocabulary.synonyms.get(token, token))
    return words


def site_alternatives(gold: str) -> list[str]:
    """The places a gold site allows: "bone marrow / blood" either, "brain (left frontal lobe)" the
    brain or the left frontal lobe (the corpus convention for ambiguous or nested primaries)."""
    places = []
    for part in str(gold).split("/"):
        inside = re.findall(r"\(([^)]*)\)", part)
        places += [p.strip() for p in [re.sub(r"\([^)]*\)", " ", part), *inside] if p.strip()]
    return places or [str(gold)]


def site_matches(gold: str, predicted: Any) -> bool:
    """One of gold's alternatives matches: the content words of one side all appear in the other
    (either way round), they share at least one word that is not a laterality/position modifier,
    and laterality agrees when gold states one.

    So "left thigh" = "thigh, left" = "left thigh soft tissue"; "right upper thigh (soft tissue)"
    = "right thigh"; but "thigh" != "left thigh" and "left" != "left arm"; "bone marrow / blood" =
    "blood".
    """
    return any(_one_site_matches(place, predicted) for place in site_alternatives(gold))


def _one_site_matches(gold: str, predicted: Any) -> bool:
    vocabulary = site_vocabulary()
    g, p = site_words(gold), site_words(predicted)
    if not (g & p) - vocabulary.modifiers:
        return False
    if not (g <= p or p <= g):
        return False
    gold_side = g & vocabulary.laterality
    return not gold_side or gold_side == p & vocabulary.laterality


def diagnosis_words(value: Any) -> list[str]:
    """Lowercase words of a tumour name, British spellings folded ("tumour" = "tumor",
    "leukaemia" = "leukemia"), a plural -s dropped, "of"/"the"/"a" left out."""
    text = unicodedata.normalize("NFKC", str(value)).translate(DASHES).lower()
    words = []
    for word in re.findall(r"[a-z0-9]+", text.replace("our", "or").replace("ae", "e").replace("oe", "e")):
        if word in ("of", "the", "a", "an", "and", "with"):
            continue
        words.append(word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "is")) else word)
    return words


def diagnosis_matches(gold: str, predicted: Any) -> bool:
    """The same tumour noun (the last word), and every word of gold in the prediction: "spindle cell
    neoplasm" = "monomorphic spindle cell neoplasm" = "spindle-cell neoplasms"; "adenocarcinoma" !=
    "lung adenocarcinoma" when gold names the lung, and "lung adenocarcinoma" != "lung cancer"."""
    g, p = diagnosis_words(gold), diagnosis_words(predicted)
    return bool(g) and bool(p) and g[-1] == p[-1] and set(g) <= set(p)
