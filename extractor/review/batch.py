"""A batch under review: the records of one JSONL file and the text of each document.

The records hold each value's span in the text casetable read, not the text itself, so the text is
rebuilt from the source file with the same readers. The files the app may open are exactly the
sources the records name, addressed by their place in the batch: no request names a path.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..document import Document
from ..evidence_table import Value, report_values
from ..readers import Limits, ReadError, document_from_text, jsonl_lines, read, read_jsonl_line
from ..records import Evidence, Patient, Report, Treatment


def _evidence(raw: dict[str, Any]) -> dict[str, Evidence]:
    names = {f.name for f in fields(Evidence)}
    return {key: Evidence(**{k: v for k, v in value.items() if k in names}) for key, value in raw.items()}


def _known(record: type, raw: dict[str, Any]) -> dict[str, Any]:
    """The keys of a JSON object that are fields of ``record`` (a newer casetable may add others)."""
    names = {f.name for f in fields(record)}
    return {k: v for k, v in raw.items() if k in names}


def report_from_dict(raw: dict[str, Any]) -> Report:
    """A Report back from its JSONL object, evidence included."""
    patients = []
    for p in raw.get("patients", []):
        treatments = [Treatment(**{**_known(Treatment, t), "evidence": _evidence(t.get("evidence", {}))})
                      for t in p.get("treatments", [])]
        patients.append(Patient(**{**_known(Patient, p), "treatments": treatments,
                                   "evidence": _evidence(p.get("evidence", {}))}))
    return Report(**{**_known(Report, raw), "patients": patients, "evidence": _evidence(raw.get("evidence", {}))})


def load_reports(path: Path) -> list[Report]:
    """The reports of a records file written by ``casetable extract -o records.jsonl``."""
    reports = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                reports.append(report_from_dict(json.loads(line)))
            except (json.JSONDecodeError, TypeError, AttributeError) as error:
                raise ValueError(f"{path}:{number}: not a casetable record ({error}): pass the JSONL "
                                 "written by 'casetable extract ... -o records.jsonl'") from error
    return reports


# A document from a line of a JSONL input: "export.jsonl#PMID", or "export.jsonl:LINE" without an id.
_JSONL_SOURCE = re.compile(r"(?P<file>.+\.(?:jsonl|ndjson))(?:#(?P<id>.+)|:(?P<line>\d+))", re.IGNORECASE)


@dataclass(frozen=True)
class TextFields:
    """For JSONL inputs: the fields that held each document's text and name at extraction."""

    text: str = "text"
    id: str = "id"


def read_source(path: Path, source: str, fields: TextFields) -> Document:
    """The Document extraction read: the file, or for a JSONL source the text of its line."""
    line = _JSONL_SOURCE.fullmatch(source)
    if line is None:
        return read(path, Limits())
    for number, offset in jsonl_lines(path):
        if line["line"] is not None and number != int(line["line"]):
            continue
        item = read_jsonl_line(path, number, offset, fields.text, fields.id)
        if item.text is not None and (line["id"] is None or item.source.endswith(f"#{line['id']}")):
            return document_from_text(item.text, source)
    raise ReadError(f"{path}: no line with {fields.id} {line['id'] or line['line']} and a '{fields.text}' field: "
                    "give the --text-field and --id-field extraction used")


@dataclass(frozen=True)
class DocumentText:
    """The text a document's offsets point into, with its page map, or why it could not be rebuilt."""

    text: str = ""
    page_map: tuple[tuple[int, int], ...] = ()
    error: str | None = None
    # Values whose span no longer holds the words they came from: the source changed since extraction.
    mismatched: tuple[str, ...] = field(default=())


class Batch:
    """The reports of a records file, and where each source lies on disk."""

    def __init__(self, records: Path, sources_root: Path | None = None, fields: TextFields = TextFields()) -> None:
        self.records = records.resolve()
        self.fields = fields
        self.reports = load_reports(records)
        # Relative sources are looked up under the given root, the working directory, then beside
        # the records: extraction is usually run from the directory above the papers.
        self.roots = [r for r in (sources_root, Path.cwd(), self.records.parent) if r is not None]
        self.text = lru_cache(maxsize=64)(self._text)

    def __len__(self) -> int:
        return len(self.reports)

    def values(self, index: int) -> list[Value]:
        return list(report_values(self.reports[index]))

    def source_path(self, index: int) -> Path | None:
        """The file of the document at ``index``, if it exists; only sources the records name."""
        source = self.reports[index].source
        line = _JSONL_SOURCE.fullmatch(source)
        file = Path(line["file"] if line else source)
        candidates = [file] if file.is_absolute() else [root / file for root in self.roots]
        return next((c for c in candidates if c.is_file()), None)

    def _text(self, index: int) -> DocumentText:
        report = self.reports[index]
        path = self.source_path(index)
        if path is None:
            return DocumentText(error=f"{report.source}: file not found (looked in "
                                      f"{', '.join(map(str, self.roots))}): start the review with "
                                      "--sources DIR, the directory extraction was run from")
        try:
            document = read_source(path, report.source, self.fields)
        except ReadError as error:
            return DocumentText(error=str(error))
        mismatched = tuple(f"{v.field} of patient {v.patient}" for v in self.values(index)
                           if v.evidence is not None and v.evidence.matched is not None
                           and document.text[v.evidence.start:v.evidence.end] != v.evidence.matched)
        return DocumentText(document.text, tuple(document.page_map), mismatched=mismatched)
