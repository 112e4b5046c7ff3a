"""The output contract: Report -> Patient -> Treatment, every value with its Evidence.

The field names are fixed by the design (evaluation and users read the JSONL). Each record declares
its fields once, and beside each field what the rest of the code needs to know of it:

- ``column``: the Table 1 column it fills, and how the table shows it (``show``);
- ``picked``: a picker registered for it in the field's module (``extractor.pickers``) fills it;
  assembly fills every picked field through the registry, so a field declared here and in no
  module's picker fails loudly (and a test), not as an empty spreadsheet column.

The table writer and assembly read these declarations; the parsers that fill the records never
see them. Treatment fields are filled by treatment-line assembly (``extractor.lines``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Callable

from .version import __version__


def column(name: str, show: Callable[[Any], Any] | None = None, *, picked: bool = False,
           identifies: bool = False) -> dict[str, Any]:
    """Metadata: the Table 1 column a field fills; ``show(record)`` gives the cell (default: the
    value); ``picked``: a registered picker fills the field; ``identifies``: the column names the
    row (patient, line) rather than giving a value to check."""
    return {"column": name, "show": show, "picked": picked, "identifies": identifies}


# A field filled by a registered picker that has no column of its own.
PICKED = {"picked": True}
# Fields beyond the fixed contract: left out of the JSON while empty, so records stay readable.
OPTIONAL = {"optional": True}
OPTIONAL_PICKED = {"optional": True, "picked": True}


def _rounded(years: float | None) -> float | None:
    """An age to two decimals (a 7-month-old is 0.58), as Table 1 shows it."""
    return None if years is None else round(years, 2)


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
    line: int | None = field(default=None, metadata={**OPTIONAL, **column("Line", identifies=True)})
    regimen: list[str] = field(default_factory=list, metadata=OPTIONAL)
    # The acronym the text gave the regimen by ("R-CHOP"), as written, when the line came from one.
    regimen_name: str | None = field(default=None, metadata=OPTIONAL)
    dose_detail: dict[str, Any] | None = field(default=None, metadata=OPTIONAL)
    duration_detail: dict[str, Any] | None = field(default=None, metadata=OPTIONAL)
    evidence: dict[str, Evidence] = field(default_factory=dict)

    to_dict = record_to_dict


@dataclass
class Patient:
    """One patient of the report, with the treatment lines in the order the text gives them."""

    patient: str = field(metadata=column("Patient", identifies=True))
    fusion: str | None = field(default=None, metadata=column("Translocation", picked=True))
    diagnosis: str | None = field(default=None, metadata=column("Diagnosis", picked=True))
    primary_site: str | None = field(default=None, metadata=column("Primary lesion", picked=True))
    age_years: float | None = field(default=None, metadata=column("Age (years)", lambda p: _rounded(p.age_years),
                                                                  picked=True))
    sex: str | None = field(default=None, metadata=column("Sex", picked=True))
    fusions: list[str] = field(default_factory=list, metadata=PICKED)
    age_at_diagnosis_years: float | None = field(default=None, metadata=OPTIONAL_PICKED)
    treatments: list[Treatment] = field(default_factory=list)
    concomitant: list[str] = field(default_factory=list)
    # Regimen acronyms the patient received, as written, listed or not: "Dd-PACE" gives no line when
    # the text never names its drugs, and is kept here.
    regimens: list[str] = field(default_factory=list, metadata=OPTIONAL)
    evidence: dict[str, Evidence] = field(default_factory=dict)

    to_dict = record_to_dict


@dataclass
class Report:
    """One input document: its citation, its patients, and what went wrong reading it."""

    source: str
    casetable_version: str = __version__
    report: str | None = field(default=None, metadata=column("Report", lambda r: r.report or Path(r.source).stem))
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    doi: str | None = None
    patients: list[Patient] = field(default_factory=list)
    fusions: list[str] = field(default_factory=list, metadata=PICKED)
    drugs: list[str] = field(default_factory=list, metadata=PICKED)
    errors: list[str] = field(default_factory=list)
    evidence: dict[str, Evidence] = field(default_factory=dict, metadata=OPTIONAL)
    # Which input this is (path, JSONL line, content hash), as a batch's streamed output records it for --resume.
    input: dict[str, Any] | None = field(default=None, metadata=OPTIONAL)

    to_dict = record_to_dict


def columns(record: type, *, values_only: bool = False) -> list[tuple[str, str, Callable[[Any], Any]]]:
    """(field name, column, show) of the fields of a record class that fill a Table 1 column;
    the columns that name the row (Patient, Line) come first, and ``values_only`` leaves them out."""
    declared = sorted((f for f in fields(record) if "column" in f.metadata), key=lambda f: not f.metadata["identifies"])
    return [(f.name, f.metadata["column"], f.metadata["show"] or (lambda r, name=f.name: getattr(r, name)))
            for f in declared if not (values_only and f.metadata["identifies"])]


def picked_fields(record: type) -> list[str]:
    """Names of the fields of a record class that registered pickers fill."""
    return [f.name for f in fields(record) if f.metadata.get("picked")]


def table_columns() -> list[str]:
    """Table 1 columns in order: the record fields that declare one, then Comment and Source."""
    return [name for record in (Report, Patient, Treatment) for _, name, _ in columns(record)] + ["Comment", "Source"]
