"""Assembly: the annotated Doc -> Report -> Patient -> Treatment, each value with its Evidence.

The parts: ``scopes`` (which text speaks of which patient), ``demographics`` (age, sex, site,
fusion), ``treatments`` (treatment lines), ``citation`` (the report's own citation).
"""

from __future__ import annotations

from spacy.tokens import Doc

from .citation import cite
from .components.extensions import DRUGS, FUSIONS, NEGATED
from .components.genes import drop_covered, fusion_note
from .demographics import pick_age, pick_fusion, pick_sex, pick_site
from .document import Document
from .records import Patient, Report
from .scopes import Scope, evidence, patient_scopes
from .treatments import TreatmentLines


def build_patient(document: Document, doc: Doc, pid: str, scope: Scope) -> Patient:
    patient = Patient(patient=pid)
    age, age_at_diagnosis = pick_age(doc, scope)
    if age is not None:
        patient.age_years = age._.ct_norm
        patient.evidence["age_years"] = evidence(document, age)
    if age_at_diagnosis is not None:
        patient.age_at_diagnosis_years = age_at_diagnosis._.ct_norm
        patient.evidence["age_at_diagnosis_years"] = evidence(document, age_at_diagnosis)
    sex = pick_sex(doc, scope)
    if sex is not None:
        patient.sex = sex._.ct_norm
        patient.evidence["sex"] = evidence(document, sex, note="from pronouns" if sex.label_ == "SEX_PRONOUN" else None)
    site = pick_site(doc, scope)
    if site is not None:
        patient.primary_site = site._.ct_norm
        patient.evidence["primary_site"] = evidence(document, site)
    fusion, names = pick_fusion(doc, scope)
    if fusion is not None:
        patient.fusion = fusion._.ct_norm
        patient.fusions = names
        patient.evidence["fusion"] = evidence(document, fusion, note=fusion_note(fusion))
    patient.treatments, patient.concomitant = TreatmentLines(document, doc, scope).build()
    return patient


def document_mentions(doc: Doc, group: str) -> list[str]:
    """Every normalised value of a group the document names anywhere, not negated, first-seen order.

    A span naming several drugs at once ("gemcitabine/cisplatin") counts each of its regimen's drugs.
    """
    values = [value for s in sorted(doc.spans.get(group, []), key=lambda s: s.start)
              if NEGATED not in s._.ct_modifiers and s._.ct_section != "references"
              for value in s._.ct_detail.get("regimen") or [s._.ct_norm]]
    values = list(dict.fromkeys(values))
    return drop_covered(values) if group == FUSIONS else values


def assemble(document: Document, doc: Doc) -> Report:
    report = Report(source=document.source)
    cite(document, report)
    report.patients = [build_patient(document, doc, pid, scope) for pid, scope in patient_scopes(doc, document)]
    report.fusions = document_mentions(doc, FUSIONS)
    report.drugs = document_mentions(doc, DRUGS)
    return report
