"""Assembly: the annotated Doc -> Report -> Patient -> Treatment, each value with its Evidence.

Driven by the record schema: every field ``records`` declares as picked is filled by the picker its
field's module registered (``extractor.pickers``); treatment lines come from ``lines``, the
citation from ``citation``. Assembly reads the Doc only through the extension contract
(``extractor.annotations``) and the pickers, never a recogniser's internals.
"""

from __future__ import annotations

from typing import Any, Callable

from spacy.tokens import Doc

from .annotations import PATIENTS, drop_span_lists
from .citation import cite
from .document import Document
from .evidence import evidence
from .lines import TreatmentLines
from .pickers import Picked, picker_of
from .records import Patient, Report, picked_fields
from .scope import Scope

Picker = Callable[..., dict[str, Picked]]


def _fill(record: Patient | Report, document: Document, pick: Callable[[Picker], dict[str, Picked]]) -> None:
    """Set every picked field of the record, each picker called once, with the evidence of its span."""
    results: dict[Any, dict[str, Picked]] = {}
    for name in picked_fields(type(record)):
        picker = picker_of(type(record), name)
        if picker not in results:
            results[picker] = pick(picker)
        picked = results[picker].get(name)
        if picked is None:
            continue
        setattr(record, name, picked.value)
        if picked.span is not None:
            record.evidence[name] = evidence(document, picked.span, note=picked.note)


def build_patient(document: Document, doc: Doc, pid: str, scope: Scope) -> Patient:
    patient = Patient(patient=pid)
    _fill(patient, document, lambda picker: picker(doc, scope))
    lines = TreatmentLines(document, doc, scope)
    patient.treatments, patient.concomitant = lines.build()
    patient.regimens = lines.regimen_names()
    return patient


def assemble(document: Document, doc: Doc) -> Report:
    report = Report(source=document.source)
    cite(document, report)
    try:
        report.patients = [build_patient(document, doc, pid, scope) for pid, scope in doc._.get(PATIENTS)]
        _fill(report, document, lambda picker: picker(doc))
    finally:
        drop_span_lists(doc)
    return report
