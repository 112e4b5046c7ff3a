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
_AUC_RE = re.compile(r"\bauc\s*(?:=|of|:)?\s*(\d+(?:[.,]\d+)?)|(\d+(?:[.,]\d+)?)\s*auc\b")
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
    ("daily", r"\bonce (?:a |per |each )?day\b|\bonce daily\b|\bdaily\b|\bq\.?\s?d\b|\bo\.?d\b|/\s?d(?:ay)?\b"
              r"|\bper day\b|\ba day\b|\bevery day\b|\beach day\b"),
)


@dataclass(frozen=True)
class Dose:
    """Parsed dose: its first amount with its basis (mg, mg/m2, mg/kg, iu, auc ...), every amount, and
    one frequency or None."""

    first: tuple[float, str] | None
    amounts: frozenset[tuple[float, str]]
    frequency: str | None


def read_dose(value: Any) -> Dose:
    """Amounts with units (mg, g, µg/mcg, IU, mL, %, per m² or per kg; AUC n, n AUC) and a frequency word.

    Mass units are converted to mg ("0.25 g" = "250 mg"); "250mg" = "250 mg"; mg/m² = mg/m2.
    Frequency synonyms collapse: twice daily = twice per day = bid = b.i.d.; once daily = daily = qd.
    """
    text = _prepare(value).replace("m²", "m2")
    found: list[tuple[int, tuple[float, str]]] = []
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
        found.append((m.start(), (round(number, 6), unit)))
    for m in _AUC_RE.finditer(text):
        found.append((m.start(), (_number(m.group(1) or m.group(2)), "auc")))
    frequency = None
    for name, pattern in _FREQUENCIES:
        m = re.search(pattern, text)
        if m:
            every = next((g for g in m.groups() if g), None) if m.groups() else None
            frequency = f"q{every}w" if name == "every-n-weeks" else name
            break
    found.sort()
    return Dose(found[0][1] if found else None, frozenset(a for _, a in found), frequency)


def dose_matches(gold: str, predicted: Any) -> bool:
    """The corpus convention: the same first amount with the same basis (flat, per m2, per kg, AUC)
    and, where gold gives a frequency, the same frequency.

    "250 mg twice daily" = "250mg b.i.d." = "250 mg orally, twice daily"; "250 mg twice daily" !=
    "250 mg" (gold's frequency is missing) but "250 mg" = "250 mg twice daily"; "AUC = 5 day 1" =
    "AUC 5". When neither side has a parseable amount the texts are compared after lowercasing and
    dropping punctuation.
    """
    g, p = read_dose(gold), read_dose(predicted)
    if g.first is None and p.first is None:
        return squash(gold) == squash(predicted)
    if g.first != p.first:
        return False
    return g.frequency is None or g.frequency == p.frequency


# -- duration

_DUR_UNIT = r"(days?|d|weeks?|wks?|months?|mos?|years?|yrs?|cycles?|courses?|doses?)\b"
_DUR_RE = re.compile(r"(\d+(?:\.\d+)?)\s*-?\s*(?:more\s+)?" + _DUR_UNIT)
_RANGE_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:-|to)\s*(?=\d+(?:\.\d+)?\s*-?\s*" + _DUR_UNIT + ")")
_HALF_RE = re.compile(r"(\d+) and a half\s+" + _DUR_UNIT)
_DAY_N_RE = re.compile(r"\bday\s+(\d+)\b")
_UNIT_NAMES = {"d": "day", "w": "week", "m": "month", "y": "year", "c": "cycle", "do": "dose"}


def _unit(written: str) -> str:
    if written.startswith(("course", "cycle")):
        return "cycle"
    if written.startswith("do"):
        return "dose"
    return _UNIT_NAMES["m" if written.startswith("mo") else written[0]]


def read_duration(value: Any) -> list[tuple[float, str]]:
    """The "<number> <unit>" parts of a duration, in text order, units as day, week, month, year,
    cycle (courses too) or dose.

    Number words are digits ("three months" = "3 months"); "a year" = 1 year; "2 and a half years" =
    2.5 years; a range "3-5 months" keeps its upper end; "6-week" = 6 weeks; "two more cycles" = 2 cycles;
    "by day 106" = 106 days when no other unit is given.
    """
    text = _prepare(value)
    text = re.sub(r"\ban?\s+(?=(?:day|week|month|year)s?\b)", "1 ", text)
    text = re.sub(r"\bhalf (?:a |an )?(?=(?:day|week|month|year)\b)", "0.5 ", text)
    text = _HALF_RE.sub(lambda m: f"{float(m.group(1)) + 0.5} {m.group(2)}", text)
    text = _RANGE_RE.sub("", text)
    parts = [(float(m.group(1)), _unit(m.group(2))) for m in _DUR_RE.finditer(text)]
    return parts or [(float(m.group(1)), "day") for m in _DAY_N_RE.finditer(text)]


def duration_matches(gold: str, predicted: Any) -> bool:
    """The corpus convention: gold's last number and its unit are in the prediction.

    "nearly four years" = "4 years"; "1 year and 5 months" = "at 5 months"; "four cycles" = "4 courses";
    "33 months" != "2.75 years". Without a number and unit on the gold side the texts are compared
    after lowercasing and dropping punctuation.
    """
    g = read_duration(gold)
    if not g:
        return squash(gold) == squash(predicted)
    number, unit = g[-1]
    return any(abs(n - number) < 1e-6 and u == unit for n, u in read_duration(predicted))
