"""The output contract: Report -> Patient -> Treatment, every value with its Evidence.

The field names are fixed by the design (evaluation and users read the JSONL). Each record declares
its fields once; the Table 1 column a field fills is declared beside it (``column`` metadata), so the
table writer never repeats the schema, and the parsers that fill the records never see it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


def column(name: str) -> Any:
    """Metadata that names the Table 1 column a record field fills."""
    return {"column": name}


# Fields beyond the fixed contract: left out of the JSON while empty, so records stay readable.
OPTIONAL = {"optional": True}


def _json(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


def record_to_dict(record: Any) -> dict[str, Any]:
    """JSON-ready dict of a record: every contract field, and the optional ones that hold a value."""
    return {f.name: _json(getattr(record, f.name)) for f in fields(record)
            if not (f.metadata.get("optional") and getattr(record, f.name) in (None, [], {}))}


@dataclass
class Evidence:
    """Where a value came from: the sentence, the character span in the document text, the PDF page.

    ``start``/``end`` are offsets into ``Document.text`` (the text casetable read, after unwrapping
    PDF lines), covering the words that gave the value; ``text`` is the whole sentence around them.
    """

    text: str
    start: int
    end: int
    page: int | None = None
    section: str | None = None
    matched: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class Treatment:
    """One treatment line: one drug, with the dose, duration and response of that line."""

    drug: str = field(metadata=column("Drug"))
    dose: str | None = field(default=None, metadata=column("Dose"))
    duration: str | None = field(default=None, metadata=column("Duration of response"))
    response: str | None = field(default=None, metadata=column("Response"))
    line: int | None = field(default=None, metadata=OPTIONAL)
    regimen: list[str] = field(default_factory=list, metadata=OPTIONAL)
    dose_detail: dict[str, Any] | None = field(default=None, metadata=OPTIONAL)
    duration_detail: dict[str, Any] | None = field(default=None, metadata=OPTIONAL)
    evidence: dict[str, Evidence] = field(default_factory=dict)

    to_dict = record_to_dict


@dataclass
class Patient:
    """One patient of the report, with the treatment lines in the order the text gives them."""

    patient: str
    fusion: str | None = field(default=None, metadata=column("Translocation"))
    primary_site: str | None = field(default=None, metadata=column("Primary lesion"))
    age_years: float | None = field(default=None, metadata=column("Age"))
    sex: str | None = field(default=None, metadata=column("Sex"))
    fusions: list[str] = field(default_factory=list)
    age_at_diagnosis_years: float | None = field(default=None, metadata=OPTIONAL)
    treatments: list[Treatment] = field(default_factory=list)
    concomitant: list[str] = field(default_factory=list)
    evidence: dict[str, Evidence] = field(default_factory=dict)

    to_dict = record_to_dict


@dataclass
class Report:
    """One input document: its citation, its patients, and what went wrong reading it."""

    source: str
    report: str | None = field(default=None, metadata=column("Report"))
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    doi: str | None = None
    patients: list[Patient] = field(default_factory=list)
    fusions: list[str] = field(default_factory=list)
    drugs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    evidence: dict[str, Evidence] = field(default_factory=dict, metadata=OPTIONAL)

    to_dict = record_to_dict


def table_columns() -> list[str]:
    """Table 1 columns in order: the record fields that declare one, then Comment and Source."""
    declared = [
        f.metadata["column"]
        for record in (Report, Patient, Treatment)
        for f in fields(record)
        if "column" in f.metadata
    ]
    return declared + ["Comment", "Source"]
