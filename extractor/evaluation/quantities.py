"""Doses and durations as the evaluation reads them from gold and predicted text: amounts with their
basis and frequency, and lengths in months or cycles. Independent of the extractor's parsers: the
scoring must not share the extractor's mistakes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from .vocabulary import DASHES, number_words


def _number_word_re() -> re.Pattern[str]:
    tens = "|".join(w for w, n in number_words().items() if n >= 20 and n % 10 == 0)
    units = "|".join(w for w, n in number_words().items() if n < 10)
    return re.compile(rf"\b({tens})[- ]({units})\b|\b(" + "|".join(number_words()) + r")\b")


def _words_to_digits(text: str) -> str:
    def replace(m: re.Match[str]) -> str:
        if m.group(1):
            return str(number_words()[m.group(1)] + number_words()[m.group(2)])
        return str(number_words()[m.group(3)])

    return _number_word_re().sub(replace, text)


def _prepare(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value)).translate(DASHES).lower()
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


def squash(value: Any) -> str:
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


def read_dose(value: Any) -> Dose:
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
    g, p = read_dose(gold), read_dose(predicted)
    if not g.amounts and not p.amounts:
        return squash(gold) == squash(predicted)
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


def read_duration(value: Any) -> Duration:
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
    g, p = read_duration(gold), read_duration(predicted)
    if g.months is not None and p.months is not None:
        if abs(g.months - p.months) <= max(0.5, 0.1 * g.months) + 1e-9:
            return True
    if g.cycles is not None and p.cycles is not None and g.cycles == p.cycles:
        return True
    if g == Duration(None, None) and p == Duration(None, None):
        return squash(gold) == squash(predicted)
    return False
