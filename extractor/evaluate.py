"""Per-field precision / recall / F1 of extracted reports against gold annotations.

Scoring follows the conventions of the evaluation corpus README (``../shared/corpus/README.md``); each
rule below says how it reads them. Everything here works on plain dicts in the output-contract shape
(``Report.to_dict()``), and extraction comes in as callables, so the scoring can be tested with
hand-made predictions and the CLI can pass the real extractor.

Two kinds of reference data:

- gold documents (``gold/*.jsonl``: objects with ``file`` and ``patients``) -> :func:`score_documents`,
  precision / recall / F1 for fusion, primary_site, age_years, sex, drug, dose, duration, response;
- CIViC evidence statements (``civic_auto/statements.jsonl``: objects with ``id`` and ``text``) ->
  :func:`score_civic_auto`, recall of the curated fusions and therapies (precision is not defined
  there: the statements list only what the curators chose to record).

Counts are micro-averaged: true/false positives and false negatives are summed over documents before
the ratios are taken, so a 5-patient series weighs more than a one-line abstract.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from extractor.fields.drugs.names import normalize_drug

FIELDS: tuple[str, ...] = (
    "fusion", "primary_site", "age_years", "sex", "drug", "dose", "duration", "response",
)
PATIENT_FIELDS: tuple[str, ...] = ("fusion", "primary_site", "age_years", "sex")
LINE_FIELDS: tuple[str, ...] = ("dose", "duration", "response")
CIVIC_FIELDS: tuple[str, ...] = ("fusion", "drug")

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")


# --------------------------------------------------------------------------------------------
# Counts and the score report


@dataclass
class FieldCounts:
    """True positives, false positives and false negatives of one field, summed over documents.

    ``recall_only`` marks counts where false positives are not observable (civic_auto): precision
    and F1 are then None rather than a misleading 1.0.
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0
    recall_only: bool = False

    @property
    def precision(self) -> float | None:
        if self.recall_only or self.tp + self.fp == 0:
            return None
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """2TP / (2TP + FP + FN): the harmonic mean of P and R, defined whenever anything was scored."""
        if self.recall_only:
            return None
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None

    def __add__(self, other: FieldCounts) -> FieldCounts:
        return FieldCounts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn,
                           self.recall_only or other.recall_only)

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": _round(self.precision),
                "recall": _round(self.recall), "f1": _round(self.f1)}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@dataclass
class Scores:
    """Per-field counts plus what went wrong where, so a low score can be traced to documents.

    ``misses[file]`` lists every false negative and false positive: ``gold`` is the missed gold value
    (None for a pure false positive), ``predicted`` the wrong or extra predicted value (None for a pure
    false negative). ``skipped[file]`` lists reference values that the conventions exclude from
    scoring (civic_auto); ``errors[file]`` extractions that raised.
    """

    kind: str = "gold"
    fields: tuple[str, ...] = FIELDS
    counts: dict[str, FieldCounts] = field(default_factory=dict)
    misses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    skipped: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    documents: int = 0

    def __post_init__(self) -> None:
        recall_only = self.kind == "civic_auto"
        for name in self.fields:
            self.counts.setdefault(name, FieldCounts(recall_only=recall_only))

    def __getitem__(self, name: str) -> FieldCounts:
        return self.counts[name]

    @property
    def overall(self) -> FieldCounts:
        total = FieldCounts(recall_only=self.kind == "civic_auto")
        for name in self.fields:
            total = total + self.counts[name]
        return total

    @property
    def precision(self) -> float | None:
        return self.overall.precision

    @property
    def recall(self) -> float | None:
        return self.overall.recall

    @property
    def f1(self) -> float | None:
        return self.overall.f1

    def add(self, file: str, name: str, *, tp: int = 0, fp: int = 0, fn: int = 0,
            gold: Any = None, predicted: Any = None, **where: Any) -> None:
        """Count one comparison; keep a miss record when it produced a FP or FN."""
        counts = self.counts[name]
        counts.tp += tp
        counts.fp += fp
        counts.fn += fn
        if fp or fn:
            self.misses.setdefault(file, []).append(
                {"field": name, "gold": gold if fn else None,
                 "predicted": predicted if fp else None, **where})

    def merge(self, other: Scores) -> Scores:
        """The scores of two sets together (for example seeds + cases); kinds must agree."""
        if other.kind != self.kind:
            raise ValueError(f"cannot merge {self.kind} scores with {other.kind} scores")
        merged = Scores(kind=self.kind, fields=self.fields, documents=self.documents + other.documents)
        for name in self.fields:
            merged.counts[name] = self.counts[name] + other.counts[name]
        for target, a, b in ((merged.misses, self.misses, other.misses),
                             (merged.skipped, self.skipped, other.skipped)):
            for file, items in itertools.chain(a.items(), b.items()):
                target.setdefault(file, []).extend(items)
        merged.errors = {**self.errors, **other.errors}
        return merged

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "documents": self.documents,
            "fields": {name: self.counts[name].to_dict() for name in self.fields},
            "overall": self.overall.to_dict(),
            "misses": self.misses,
            "skipped": self.skipped,
            "errors": self.errors,
        }

    def format_table(self) -> str:
        """A plain-text table: one row per field and an overall row (``-`` where undefined)."""
        def cell(value: float | None) -> str:
            return "-" if value is None else f"{value:.3f}"

        width = max(len(name) for name in (*self.fields, "overall"))
        lines = [f"{'field':<{width}}  {'P':>5}  {'R':>5}  {'F1':>5}  {'TP':>5}  {'FP':>5}  {'FN':>5}"]
        rows = [(name, self.counts[name]) for name in self.fields] + [("overall", self.overall)]
        for name, c in rows:
            lines.append(f"{name:<{width}}  {cell(c.precision):>5}  {cell(c.recall):>5}  "
                         f"{cell(c.f1):>5}  {c.tp:>5}  {c.fp:>5}  {c.fn:>5}")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Value matchers: one per field, each a small documented rule


def normalize_fusion(value: str) -> str:
    """HGNC ``5'::3'`` spelling of a predicted fusion, for exact comparison.

    Only the separator is normalised: spaces around ``::`` go, and a name without ``::`` that has a
    single hyphen between two symbols starting with a letter ("EML4-ALK") becomes ``EML4::ALK``.
    Symbols are compared as written (case included); ``v::ROS1`` is not ``TFG::ROS1``.
    """
    text = unicodedata.normalize("NFKC", str(value)).translate(_DASHES).strip()
    text = re.sub(r"\s*::\s*", "::", text)
    if "::" not in text:
        parts = text.split("-")
        if len(parts) == 2 and all(re.match(r"[A-Za-z]", p.strip()) for p in parts):
            text = "::".join(p.strip() for p in parts)
    return text


def _given(value: Any) -> Any:
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


_SITE_STOP = frozenset(
    "of the and or in on at a an with to from into soft tissue tissues region area site sites primary "
    "side mass tumor tumour lesion lesions gland all".split()
)
_LATERALITY = frozenset({"left", "right", "bilateral"})
_SITE_MODIFIERS = _LATERALITY | frozenset(
    "upper lower anterior posterior proximal distal medial lateral inferior superior middle central "
    "deep superficial".split()
)
_SITE_SYNONYMS = {
    "pulmonary": "lung", "hepatic": "liver", "renal": "kidney", "cerebral": "brain",
    "caecum": "cecum", "oesophagus": "esophagus", "oesophageal": "esophagus", "gastric": "stomach",
    "colonic": "colon", "mammary": "breast", "osseous": "bone", "cutaneous": "skin",
}


def site_words(value: str) -> set[str]:
    """Content words of a site: lowercase alphanumeric tokens, stop words and 1-letter tokens
    dropped, a plural ``-s`` dropped, adjectives mapped to the organ ("pulmonary" -> "lung")."""
    words = set()
    for token in re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", str(value)).lower()):
        if len(token) < 2 or token in _SITE_STOP:
            continue
        if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
            token = token[:-1]
        words.add(_SITE_SYNONYMS.get(token, token))
    return words


def site_matches(gold: str, predicted: Any) -> bool:
    """Content words of one side all appear in the other (either way round), they share at least one
    word that is not a laterality/position modifier, and laterality agrees when gold states one.

    So "left thigh" = "thigh, left" = "left thigh soft tissue"; "right upper thigh (soft tissue)"
    = "right thigh"; but "thigh" != "left thigh" and "left" != "left arm".
    """
    g, p = site_words(gold), site_words(predicted)
    if not (g & p) - _SITE_MODIFIERS:
        return False
    if not (g <= p or p <= g):
        return False
    gold_side = g & _LATERALITY
    return not gold_side or gold_side == p & _LATERALITY


_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
}
_NUMBER_WORD_RE = re.compile(
    r"\b(twenty|thirty|forty|fifty|sixty)[- ](one|two|three|four|five|six|seven|eight|nine)\b"
    r"|\b(" + "|".join(_NUMBER_WORDS) + r")\b"
)


def _words_to_digits(text: str) -> str:
    def replace(m: re.Match[str]) -> str:
        if m.group(1):
            return str(_NUMBER_WORDS[m.group(1)] + _NUMBER_WORDS[m.group(2)])
        return str(_NUMBER_WORDS[m.group(3)])

    return _NUMBER_WORD_RE.sub(replace, text)


def _prepare(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value)).translate(_DASHES).lower()
    return _words_to_digits(text)


def _number(text: str) -> float:
    """'1,000' -> 1000 (thousands separator), '2,5' -> 2.5 (decimal comma)."""
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):
        return float(text.replace(",", ""))
    if text.count(",") == 1 and "." not in text:
        return float(text.replace(",", "."))
    try:
        return float(text)
    except ValueError:
        return float(re.sub(r"[.,](?=.*[.,])", "", text).replace(",", "."))


def _squash(value: Any) -> str:
    return re.sub(r"[^a-z0-9]+", " ", _prepare(value)).strip()


# -- dose

_DOSE_RE = re.compile(
    r"(\d+(?:[.,]\d+)*)\s*(mg|mcg|µg|μg|ug|g|iu|units?|u|ml|%)"
    r"(?:\s*(?:/|per)\s*(m2|m\^2|sqm|kg))?(?![a-z])"
)
_AUC_RE = re.compile(r"\bauc\s*(?:=|of|:)?\s*(\d+(?:[.,]\d+)?)")
_MASS_TO_MG = {"mg": 1.0, "g": 1000.0, "mcg": 0.001, "µg": 0.001, "μg": 0.001, "ug": 0.001}
_TIMES_DAY = r"(?:a |per |each |every )?(?:day|daily)\b"
# Most specific first: "100 mg/m2/day given twice daily" states bid (the daily dose is split).
_FREQUENCIES: tuple[tuple[str, str], ...] = (
    ("qid", rf"\b(?:four times|4 times) {_TIMES_DAY}|\bq\.?\s?i\.?\s?d\b|\bq6h\b|\bevery 6 hours?\b"),
    ("tid", rf"\b(?:three times|3 times|thrice) {_TIMES_DAY}|\bt\.?\s?i\.?\s?d\b|\bq8h\b|\bevery 8 hours?\b"),
    ("bid", rf"\b(?:twice|two times|2 times) {_TIMES_DAY}|\bb\.?\s?i\.?\s?d\b|\bq12h\b"
            r"|\bevery 12 hours?\b|\b2\s?x\s?/?\s?(?:day|daily|d)\b"),
    ("qod", r"\bevery other day\b|\bon alternate days\b|\bq\.?o\.?d\b"),
    ("3/week", r"\b(?:three times|3 times|thrice|3\s?x)\s?(?:/|a |per |each )?\s?week"),
    ("2/week", r"\b(?:twice|two times|2 times|2\s?x)\s?(?:/|a |per |each )?\s?week"),
    ("every-n-weeks", r"\bevery (\d+) weeks\b|\bq(\d+)w\b"),
    ("weekly", r"\bweekly\b|\bonce (?:a |per |each )?week\b|/\s?w(?:ee)?k\b|\bper week\b"),
    ("daily", r"\bonce (?:a |per |each )?day\b|\bonce daily\b|\bdaily\b|\bq\.?\s?d\b|/\s?d(?:ay)?\b"
              r"|\bper day\b|\ba day\b|\bevery day\b|\beach day\b"),
)


@dataclass(frozen=True)
class Dose:
    """Parsed dose: the set of (amount, unit) pairs in mg-based units, and one frequency or None."""

    amounts: frozenset[tuple[float, str]]
    frequency: str | None


def parse_dose(value: Any) -> Dose:
    """Amounts with units (mg, g, µg/mcg, IU, mL, %, per m² or per kg; AUC n) and a frequency word.

    Mass units are converted to mg ("0.25 g" = "250 mg"); "250mg" = "250 mg"; mg/m² = mg/m2.
    Frequency synonyms collapse: twice daily = twice per day = bid = b.i.d.; once daily = daily = qd.
    """
    text = _prepare(value)
    amounts: set[tuple[float, str]] = set()
    for m in _DOSE_RE.finditer(text):
        unit = m.group(2)
        number = _number(m.group(1))
        if unit in _MASS_TO_MG:
            number, unit = number * _MASS_TO_MG[unit], "mg"
        elif unit in ("u", "unit", "units"):
            unit = "iu"
        per = m.group(3)
        if per:
            unit += "/kg" if per == "kg" else "/m2"
        amounts.add((round(number, 6), unit))
    for m in _AUC_RE.finditer(text):
        amounts.add((_number(m.group(1)), "auc"))
    frequency = None
    for name, pattern in _FREQUENCIES:
        m = re.search(pattern, text)
        if m:
            every = next((g for g in m.groups() if g), None) if m.groups() else None
            frequency = f"q{every}w" if name == "every-n-weeks" else name
            break
    return Dose(frozenset(amounts), frequency)


def dose_matches(gold: str, predicted: Any) -> bool:
    """Same set of amounts+units, and the same frequency when both sides state one.

    "250 mg orally, twice daily" = "250mg b.i.d." = "250 mg"; "250 mg daily" != "250 mg twice daily";
    "AUC = 5 day 1" = "AUC 5". When neither side has a parseable amount the texts are compared
    after lowercasing and dropping punctuation.
    """
    g, p = parse_dose(gold), parse_dose(predicted)
    if not g.amounts and not p.amounts:
        return _squash(gold) == _squash(predicted)
    if g.amounts != p.amounts:
        return False
    return g.frequency is None or p.frequency is None or g.frequency == p.frequency


# -- duration

_DAYS_PER_MONTH = 30.44
_MONTHS_PER_UNIT = {"d": 1 / _DAYS_PER_MONTH, "w": 7 / _DAYS_PER_MONTH, "m": 1.0, "y": 12.0}
_DUR_UNIT = r"(days?|d|weeks?|wks?|months?|mos?|years?|yrs?|cycles?|courses?)\b"
_DUR_RE = re.compile(r"(\d+(?:\.\d+)?)\s*-?\s*" + _DUR_UNIT)
_RANGE_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:-|to)\s*(?=\d+(?:\.\d+)?\s*-?\s*" + _DUR_UNIT + ")")
_HALF_RE = re.compile(r"(\d+) and a half\s+" + _DUR_UNIT)
_DAY_N_RE = re.compile(r"\bday\s+(\d+)\b")


@dataclass(frozen=True)
class Duration:
    """Parsed duration: total months of the time units, and a count of cycles/courses."""

    months: float | None
    cycles: float | None


def parse_duration(value: Any) -> Duration:
    """Sum of all "<number> <unit>" parts, in months; cycles/courses counted apart.

    Number words are digits ("three months" = "3 months"); "1 year and 5 months" = 17 months;
    "a year" = 1 year; "2 and a half years" = 30 months; a range "3-5 months" counts its upper end;
    comparison words (">", "ongoing at", "at least") are ignored; "by day 106" = 106 days when no
    other unit is given. Days are /30.44, weeks *7/30.44, years *12. Parenthesised text is used
    only when the rest gives nothing ("4 weeks (1 month)" is 4 weeks, not 4 weeks + 1 month).
    """
    text = _prepare(value)
    text = re.sub(r"\ban?\s+(?=(?:day|week|month|year)s?\b)", "1 ", text)
    text = re.sub(r"\bhalf (?:a |an )?(?=(?:day|week|month|year)\b)", "0.5 ", text)
    text = _HALF_RE.sub(lambda m: f"{float(m.group(1)) + 0.5} {m.group(2)}", text)
    text = _RANGE_RE.sub("", text)
    outside = re.sub(r"\([^)]*\)", " ", text)
    parsed = _sum_units(outside)
    return parsed if parsed != Duration(None, None) else _sum_units(text)


def _sum_units(text: str) -> Duration:
    months = cycles = None
    for m in _DUR_RE.finditer(text):
        number, unit = float(m.group(1)), m.group(2)
        if unit.startswith(("cycle", "course")):
            cycles = (cycles or 0) + number
        else:
            key = "m" if unit.startswith("mo") else unit[0]
            months = (months or 0) + number * _MONTHS_PER_UNIT[key]
    if months is None and cycles is None:
        day = _DAY_N_RE.search(text)
        if day:
            months = float(day.group(1)) * _MONTHS_PER_UNIT["d"]
    return Duration(months, cycles)


def duration_matches(gold: str, predicted: Any) -> bool:
    """Months agree within ±0.5 month or ±10% of gold, whichever is larger; or cycle counts agree.

    Cycles compare only with cycles ("four cycles" != "3 months"). "ongoing at 9 months" = "9 months",
    "1 year and 5 months" = "17 months" = "about 1.4 years". Unparseable on both sides: compare the
    texts after lowercasing and dropping punctuation.
    """
    g, p = parse_duration(gold), parse_duration(predicted)
    if g.months is not None and p.months is not None:
        if abs(g.months - p.months) <= max(0.5, 0.1 * g.months) + 1e-9:
            return True
    if g.cycles is not None and p.cycles is not None and g.cycles == p.cycles:
        return True
    if g == Duration(None, None) and p == Duration(None, None):
        return _squash(gold) == _squash(predicted)
    return False


_MATCHERS: dict[str, Callable[[Any, Any], bool]] = {
    "fusion": fusion_matches, "primary_site": site_matches, "sex": sex_matches,
    "dose": dose_matches, "duration": duration_matches, "response": response_matches,
}


# --------------------------------------------------------------------------------------------
# Gold documents


def load_gold(path: Path | str) -> list[dict[str, Any]]:
    """Objects of a JSONL file, one per non-empty line."""
    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _drug(value: Any) -> str:
    return normalize_drug(value) if isinstance(value, str) else ""


def _treatments(patient: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [t for t in patient.get("treatments") or [] if isinstance(t, Mapping) and _drug(t.get("drug"))]


def _drug_set(patient: Mapping[str, Any]) -> set[str]:
    return {_drug(t["drug"]) for t in _treatments(patient)}


def _patient_similarity(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> float:
    """How well a predicted patient agrees with a gold patient: rewards for agreeing age, sex,
    fusion, site and shared drugs, penalties for conflicting age/sex/fusion."""
    score = 0.0
    gold = {k: _given(v) for k, v in gold.items()}
    pred = {k: _given(v) for k, v in pred.items()}
    if gold.get("age_years") is not None and pred.get("age_years") is not None:
        agree = age_matches(gold["age_years"], gold.get("age_alternatives") or [], pred["age_years"])
        score += 2 if agree else -1
    for name, reward in (("sex", 1), ("fusion", 2), ("primary_site", 1)):
        if gold.get(name) is not None and pred.get(name) is not None:
            agree = _MATCHERS[name](gold[name], pred[name])
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
        g = _given(gold.get(name)) if gold else None
        p = _given(pred.get(name)) if pred else None
        if g is None:
            continue  # the text does not say: a predicted value is neither right nor wrong
        if p is None:
            scores.add(file, name, fn=1, gold=g, **where)
        elif (age_matches(g, gold.get("age_alternatives") or [], p) if name == "age_years"
              else _MATCHERS[name](g, p)):
            scores.add(file, name, tp=1)
        else:
            scores.add(file, name, fp=1, fn=1, gold=g, predicted=p, **where)
    if gold is None and pred is not None:
        # An extra predicted patient: every value it states is unsupported by gold.
        for name in PATIENT_FIELDS:
            if name in scored and _given(pred.get(name)) is not None:
                scores.add(file, name, fp=1, predicted=pred[name], **where)


def _score_drugs(scores: Scores, file: str, scored: set[str], gold_lines: list[dict[str, Any]],
                 concomitant: Iterable[str], pred_lines: list[dict[str, Any]],
                 where: dict[str, Any]) -> None:
    """Set comparison of normalised drug names, then dose/duration/response on shared drugs.

    A predicted drug listed under gold ``concomitant`` counts neither way. For each drug both sides
    have, gold lines and predicted lines of that drug pair in text order; a gold line with no
    predicted partner (the drug was given twice, found once) scores its values as missed.
    """
    gold_set = {_drug(t["drug"]) for t in gold_lines}
    pred_set = {_drug(t["drug"]) for t in pred_lines}
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
        g_lines = [t for t in gold_lines if _drug(t["drug"]) == name]
        p_lines = [t for t in pred_lines if _drug(t["drug"]) == name]
        for index, g in enumerate(g_lines):
            p = p_lines[index] if index < len(p_lines) else {}
            for field_name in LINE_FIELDS:
                gv, pv = _given(g.get(field_name)), _given(p.get(field_name))
                if field_name not in scored or gv is None:
                    continue
                line_where = {**where, "drug": name}
                if pv is None:
                    scores.add(file, field_name, fn=1, gold=gv, **line_where)
                elif _MATCHERS[field_name](gv, pv):
                    scores.add(file, field_name, tp=1)
                else:
                    scores.add(file, field_name, fp=1, fn=1, gold=gv, predicted=pv, **line_where)


def _as_dict(prediction: Any) -> dict[str, Any]:
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
    pred_patients = [p for p in _as_dict(prediction).get("patients") or [] if isinstance(p, Mapping)]
    pairs = align_patients(gold_patients, pred_patients)
    matched_g = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}

    for i, j in pairs:
        where = {"gold_patient": i + 1, "predicted_patient": j + 1}
        _score_patient_fields(scores, file, scored, gold_patients[i], pred_patients[j], where)
        if not document_scope:
            _score_drugs(scores, file, scored, _treatments(gold_patients[i]),
                         gold_patients[i].get("concomitant") or [], _treatments(pred_patients[j]), where)
    for i, g in enumerate(gold_patients):
        if i not in matched_g:
            where = {"gold_patient": i + 1, "predicted_patient": None}
            _score_patient_fields(scores, file, scored, g, None, where)
            if not document_scope:
                _score_drugs(scores, file, scored, _treatments(g), [], [], where)
    for j, p in enumerate(pred_patients):
        if j not in matched_p and not document_scope:
            where = {"gold_patient": None, "predicted_patient": j + 1}
            _score_patient_fields(scores, file, scored, None, p, where)
            _score_drugs(scores, file, scored, [], [], _treatments(p), where)
    if document_scope:
        _score_drugs(scores, file, scored,
                     [t for g in gold_patients for t in _treatments(g)],
                     [c for g in gold_patients for c in g.get("concomitant") or []],
                     [t for p in pred_patients for t in _treatments(p)],
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


# --------------------------------------------------------------------------------------------
# civic_auto statements

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
    names = [_drug(d) for d in pred.get("drugs") or []]
    for patient in pred.get("patients") or []:
        names.extend(_drug(t["drug"]) for t in _treatments(patient))
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
        pred = _as_dict(predictions.get(sid))
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
            elif _CODE_NAME_RE.match(name) and _squash(name).replace(" ", "") not in _squash(text).replace(" ", ""):
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


# --------------------------------------------------------------------------------------------
# Runner


def evaluate(gold_path: Path, corpus_dir: Path, extract_path: Callable[[Path], Any],
             extract_text: Callable[[str, str], Any]) -> Scores:
    """Extract every document of a reference file and score it.

    A gold file (objects with ``file`` and ``patients``) calls ``extract_path(corpus_dir / file)``
    and scores with :func:`score_documents`; a statements file (objects with ``id`` and ``text``)
    calls ``extract_text(text, id)`` and scores with :func:`score_civic_auto`. An extraction that
    raises scores as an empty prediction and is listed in ``Scores.errors``: one bad file does not
    stop the evaluation.
    """
    rows = load_gold(gold_path)
    errors: dict[str, str] = {}

    def attempt(key: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - one failing document must not end the run
            errors[key] = f"{type(exc).__name__}: {exc}"
            return None

    if rows and all("id" in r and "text" in r for r in rows):
        predictions = {r["id"]: attempt(r["id"], lambda r=r: extract_text(r["text"], r["id"])) for r in rows}
        scores = score_civic_auto(rows, predictions)
    elif all("file" in r and "patients" in r for r in rows):
        predictions = {r["file"]: attempt(r["file"], lambda r=r: extract_path(Path(corpus_dir) / r["file"]))
                       for r in rows}
        scores = score_documents(rows, predictions)
    else:
        raise ValueError(
            f"{gold_path}: not a gold file (objects with 'file' and 'patients') nor a statements file "
            "(objects with 'id' and 'text')")
    scores.errors.update(errors)
    return scores
