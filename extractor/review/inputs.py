"""What a curator may type: validated before it reaches the store, so the export holds only values a
registry can take, and error messages say what to type instead."""

from __future__ import annotations

import re

from ..evidence_table import FIELD_COLUMNS

# Fields with a closed vocabulary (the JSONL contract's): the page offers a choice, not free text.
CHOICES = {"sex": ("male", "female"), "response": ("CR", "PR", "SD", "PD")}
MAX_VALUE = 500
_PATIENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
_CURATOR = re.compile(r"[\w .@'-]{1,60}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class InputError(ValueError):
    """A form value the store does not take; the message is shown to the curator."""


def field_name(raw: str) -> str:
    if raw not in FIELD_COLUMNS:
        raise InputError(f"unknown field {raw!r}: one of {', '.join(FIELD_COLUMNS)}")
    return raw


def patient_id(raw: str) -> str:
    if not _PATIENT.fullmatch(raw):
        raise InputError("a patient is named by up to 40 letters, digits, dots, dashes or underscores")
    return raw


def line_number(raw: str) -> int:
    if not raw.isdigit() or int(raw) > 999:
        raise InputError(f"a line is a number from 0 to 999, not {raw[:20]!r}")
    return int(raw)


def curator_name(raw: str) -> str:
    name = raw.strip()
    if not _CURATOR.fullmatch(name):
        raise InputError("give your name as a curator: up to 60 letters, digits, spaces or . @ ' -")
    return name


def value(field: str, raw: str) -> str:
    """A corrected or added value, checked against its field: a choice, an age, or free text."""
    text = raw.strip()
    if not text:
        raise InputError(f"no value given for {field}: type one, or mark the value 'not in paper'")
    if len(text) > MAX_VALUE or _CONTROL.search(text):
        raise InputError(f"a value is one line of at most {MAX_VALUE} characters")
    if field in CHOICES:
        choices = {c.lower(): c for c in CHOICES[field]}
        if text.lower() not in choices:
            raise InputError(f"{field} is one of {', '.join(CHOICES[field])}, not {text[:40]!r}")
        return choices[text.lower()]
    if field == "age_years":
        try:
            years = float(text)
        except ValueError:
            raise InputError(f"age is a number of years (0.5 for six months), not {text[:40]!r}") from None
        if not 0 <= years <= 130:
            raise InputError(f"age {years:g} is not between 0 and 130 years")
        return f"{years:g}"
    return text
