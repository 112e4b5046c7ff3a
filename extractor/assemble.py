"""Assembly: the annotated Doc -> Report -> Patient -> Treatment, each value with its Evidence.

The rules that make a value trustworthy live here, in one place:
- a patient's values come from the case description (the whole text when it has no headings);
  the abstract and title are a fallback for age, sex, site and fusion, never for treatments;
- a case series is split at its "Patient 1 / Case 2" markers, one patient each;
- a drug is a treatment only if the patient received it: in the case description, not negated,
  hypothetical or about other patients, and with a sign of administration (a cue such as
  "received", a dose, or a response in its sentence);
- dose, duration and response attach to the treatment line they follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from .citation import cite
from .components.extensions import (
    ADMINISTERED, AGES, DOSES, DRUGS, DURATIONS, FUSIONS, HYPOTHETICAL, NEGATED, OTHER_PATIENT,
    PATIENT_MARKERS, RESPONSES, RESUMED, SEXES, SITES, SUPPORTIVE_CUE,
)
from .document import CASE, Document
from .records import Evidence, Patient, Report, Treatment

# Parts of a paper whose drugs, fusions and ages belong to other patients or to background.
NOT_PATIENT_KINDS = frozenset({"introduction", "discussion", "conclusion", "references", "table",
                               "caption", "back_matter", "methods", "results"})
FALLBACK_KINDS = frozenset({"abstract", "front_matter", "title"})
EXCLUDED_FROM_DRUG = frozenset({NEGATED, HYPOTHETICAL, OTHER_PATIENT})
COORDINATORS = frozenset({",", "and", "plus", "+", "/", "with", "&", "or"})


def evidence(document: Document, span: Span, note: str | None = None) -> Evidence:
    sent = span.sent
    return Evidence(text=sent.text.strip(), start=span.start_char, end=span.end_char,
                    page=document.page_at(span.start_char), section=span._.ct_section,
                    matched=span.text, note=note)


@dataclass
class Scope:
    """Character ranges of the text that speak of one patient, plus a fallback for demographics."""

    ranges: list[tuple[int, int]]
    fallback: list[tuple[int, int]] = field(default_factory=list)

    def contains(self, span: Span) -> bool:
        return any(start <= span.start_char < end for start, end in self.ranges)

    def in_fallback(self, span: Span) -> bool:
        return any(start <= span.start_char < end for start, end in self.fallback)


def _case_ranges(document: Document) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    sections = document.sections or []
    if document.has_case_section:
        case = [(s.start, s.end) for s in sections if s.kind == CASE]
    else:
        case = [(s.start, s.end) for s in sections if s.kind not in NOT_PATIENT_KINDS | FALLBACK_KINDS]
        if not case:
            case = [(s.start, s.end) for s in sections if s.kind in FALLBACK_KINDS]
    fallback = [(s.start, s.end) for s in sections if s.kind in FALLBACK_KINDS and (s.start, s.end) not in case]
    return case, fallback


def patient_scopes(doc: Doc, document: Document) -> list[tuple[str, Scope]]:
    """One scope per patient: the case description split at case-series markers."""
    case, fallback = _case_ranges(document)
    markers = [m for m in doc.spans.get(PATIENT_MARKERS, []) if Scope(case).contains(m)]
    ids = list(dict.fromkeys(m._.ct_norm for m in markers))
    if len(ids) < 2:
        return [("1", Scope(case, fallback))]
    scopes: dict[str, list[tuple[int, int]]] = {pid: [] for pid in ids}
    for i, marker in enumerate(markers):
        end = markers[i + 1].start_char if i + 1 < len(markers) else max(e for _, e in case)
        for start, stop in case:
            lo, hi = max(start, marker.start_char), min(stop, end)
            if lo < hi:
                scopes[marker._.ct_norm].append((lo, hi))
    return [(pid, Scope(ranges)) for pid, ranges in scopes.items()]


def _first(spans: list[Span], scope: Scope, accept=lambda s: True) -> Span | None:
    """The first acceptable span in the patient's scope, else in its fallback (abstract, title)."""
    inside = [s for s in spans if scope.contains(s) and accept(s)]
    if inside:
        return inside[0]
    outside = [s for s in spans if scope.in_fallback(s) and accept(s)]
    return outside[0] if outside else None


def _pick_age(doc: Doc, scope: Scope) -> tuple[Span | None, Span | None]:
    ages = sorted(doc.spans.get(AGES, []), key=lambda s: s.start)
    usable = lambda s: not (s._.ct_detail.get("relative") or s._.ct_detail.get("cohort"))  # noqa: E731
    at_presentation = _first(ages, scope, lambda s: usable(s) and not s._.ct_detail.get("diagnosis"))
    at_diagnosis = _first(ages, scope, lambda s: usable(s) and s._.ct_detail.get("diagnosis"))
    return at_presentation or at_diagnosis, at_diagnosis if at_presentation else None


def _pick_sex(doc: Doc, scope: Scope) -> Span | None:
    spans = sorted(doc.spans.get(SEXES, []), key=lambda s: s.start)
    word = _first(spans, scope, lambda s: s.label_ == "SEX")
    if word is not None:
        return word
    pronouns = [s for s in spans if s.label_ == "SEX_PRONOUN" and scope.contains(s)]
    if pronouns:
        counts = {sex: sum(p._.ct_norm == sex for p in pronouns) for sex in ("male", "female")}
        majority = max(counts, key=counts.get)
        return next(p for p in pronouns if p._.ct_norm == majority)
    return None


def _pick_site(doc: Doc, scope: Scope) -> Span | None:
    sites = sorted(doc.spans.get(SITES, []), key=lambda s: s.start)
    not_primary = {"metastasis", "procedure", "imaging"}
    usable = lambda s: not (set(s._.ct_detail.get("roles", [])) & not_primary) and NEGATED not in s._.ct_modifiers  # noqa: E731
    primary = _first(sites, scope, lambda s: usable(s) and "primary" in s._.ct_detail.get("roles", []))
    return primary or _first(sites, scope, usable)


def _pick_fusion(doc: Doc, scope: Scope) -> tuple[Span | None, list[str]]:
    fusions = [f for f in sorted(doc.spans.get(FUSIONS, []), key=lambda s: s.start)
               if NEGATED not in f._.ct_modifiers]
    named = _first(fusions, scope, lambda s: not s._.ct_norm.startswith("v::"))
    chosen = named or _first(fusions, scope)
    inside = [f._.ct_norm for f in fusions if scope.contains(f)]
    names = list(dict.fromkeys(inside or ([chosen._.ct_norm] if chosen is not None else [])))
    if named is not None:
        partners = {n.split("::")[1] for n in names if not n.startswith("v::")}
        names = [n for n in names if not (n.startswith("v::") and n[3:] in partners)]
    return chosen, names


@dataclass
class _Line:
    treatment: Treatment
    mention: Span
    group: int


class TreatmentLines:
    """Builds the patient's treatment lines in text order and attaches dose, duration, response."""

    def __init__(self, document: Document, doc: Doc, scope: Scope):
        self.document, self.doc, self.scope = document, doc, scope
        self.lines: list[_Line] = []
        self.concomitant: list[str] = []
        self.current: list[_Line] = []  # the regimen the text is talking about

    def build(self) -> tuple[list[Treatment], list[str]]:
        events: list[tuple[int, int, str, Span]] = []
        for order, group in enumerate((DRUGS, DOSES, RESPONSES, DURATIONS)):
            for span in self.doc.spans.get(group, []):
                if self.scope.contains(span):
                    events.append((span.start, order, group, span))
        ages = [(a.start_char, a.end_char) for a in self.doc.spans.get(AGES, [])]
        events.sort(key=lambda e: (e[0], e[1]))
        for _, _, group, span in events:
            if group == DRUGS:
                self._drug(span)
            elif group == DOSES:
                self._dose(span)
            elif group == RESPONSES:
                self._response(span)
            elif not any(s < span.end_char and span.start_char < e for s, e in ages):
                self._duration(span)
        return [line.treatment for line in self.lines], self.concomitant

    def _received(self, span: Span) -> bool:
        mods = span._.ct_modifiers
        if mods & EXCLUDED_FROM_DRUG:
            return False
        sent = span.sent
        has_dose = any(d.sent == sent for d in self.doc.spans.get(DOSES, []))
        has_response = any(r.sent == sent and r._.ct_norm for r in self.doc.spans.get(RESPONSES, []))
        return ADMINISTERED in mods or has_dose or has_response

    def _drug(self, span: Span) -> None:
        if not self._received(span):
            return
        inn = span._.ct_norm
        if span._.ct_detail.get("supportive") or SUPPORTIVE_CUE in span._.ct_modifiers:
            if inn not in self.concomitant:
                self.concomitant.append(inn)
            return
        coordinated = bool(self.current) and self._coordinated(self.current[-1].mention, span)
        existing = [ln for ln in self.lines if ln.treatment.drug == inn]
        if existing and RESUMED not in span._.ct_modifiers:
            line = existing[-1]
        else:
            group = self.current[-1].group if coordinated else len({ln.group for ln in self.lines})
            line = _Line(Treatment(drug=inn, line=group + 1), span, group)
            line.treatment.evidence["drug"] = evidence(self.document, span)
            self.lines.append(line)
        if coordinated and line not in self.current:
            self.current.append(line)
        elif not coordinated:
            self.current = [ln for ln in self.lines if ln.group == line.group]
        line.mention = span

    def _coordinated(self, previous: Span, span: Span) -> bool:
        """Two drugs joined by commas/and/plus in one sentence form one regimen."""
        if previous.sent != span.sent or previous.end > span.start:
            return False
        between = self.doc[previous.end:span.start]
        return len(between) <= 3 and all(t.lower_ in COORDINATORS for t in between)

    def _lines_for(self, span: Span) -> list[_Line]:
        """The regimen a dose/response/duration speaks of: the drugs of its own sentence if it
        names any, else the regimen the text last spoke of."""
        in_sentence = [ln for ln in self.current if ln.mention.sent == span.sent]
        if in_sentence:
            return in_sentence
        same_sentence = [ln for ln in self.lines if ln.mention.sent == span.sent]
        return same_sentence or self.current

    def _dose(self, span: Span) -> None:
        if span._.ct_modifiers & {NEGATED, HYPOTHETICAL, OTHER_PATIENT}:
            return
        lines = [ln for ln in self._lines_for(span) if ln.mention.sent == span.sent] or self.current[-1:]
        if not lines:
            return
        line = min(lines, key=lambda ln: abs(ln.mention.start - span.start))
        treatment = line.treatment
        if treatment.dose is not None and treatment.dose != span._.ct_norm:
            history = treatment.dose_detail.setdefault("history", [])
            history.append(treatment.dose)
        treatment.dose = span._.ct_norm
        treatment.dose_detail = {**(treatment.dose_detail or {}), **span._.ct_detail}
        treatment.evidence["dose"] = evidence(self.document, span)

    def _response(self, span: Span) -> None:
        if span._.ct_modifiers & {NEGATED, HYPOTHETICAL, OTHER_PATIENT}:
            return
        for line in self._lines_for(span):
            treatment = line.treatment
            if span._.ct_norm and treatment.response is None:
                treatment.response = span._.ct_norm
                treatment.evidence["response"] = evidence(self.document, span)
            elif "response" not in treatment.evidence:
                treatment.evidence["response"] = evidence(self.document, span, note="response named without a category")

    def _duration(self, span: Span) -> None:
        if span._.ct_modifiers & {NEGATED, HYPOTHETICAL, OTHER_PATIENT}:
            return
        for line in self._lines_for(span):
            treatment = line.treatment
            ongoing = span._.ct_detail.get("ongoing")
            if treatment.duration is None or (ongoing and not (treatment.duration_detail or {}).get("ongoing")):
                treatment.duration = span._.ct_norm
                treatment.duration_detail = dict(span._.ct_detail)
                treatment.evidence["duration"] = evidence(self.document, span)


def build_patient(document: Document, doc: Doc, pid: str, scope: Scope) -> Patient:
    patient = Patient(patient=pid)
    age, age_at_diagnosis = _pick_age(doc, scope)
    if age is not None:
        patient.age_years = age._.ct_norm
        patient.evidence["age_years"] = evidence(document, age)
    if age_at_diagnosis is not None:
        patient.age_at_diagnosis_years = age_at_diagnosis._.ct_norm
        patient.evidence["age_at_diagnosis_years"] = evidence(document, age_at_diagnosis)
    sex = _pick_sex(doc, scope)
    if sex is not None:
        patient.sex = sex._.ct_norm
        patient.evidence["sex"] = evidence(document, sex, note="from pronouns" if sex.label_ == "SEX_PRONOUN" else None)
    site = _pick_site(doc, scope)
    if site is not None:
        patient.primary_site = site._.ct_norm
        patient.evidence["primary_site"] = evidence(document, site)
    fusion, names = _pick_fusion(doc, scope)
    if fusion is not None:
        patient.fusion = fusion._.ct_norm
        patient.fusions = names
        patient.evidence["fusion"] = evidence(document, fusion)
    patient.treatments, patient.concomitant = TreatmentLines(document, doc, scope).build()
    return patient


def document_mentions(doc: Doc, group: str) -> list[str]:
    """Every normalised value of a group the document names anywhere, not negated, first-seen order."""
    values = [s._.ct_norm for s in sorted(doc.spans.get(group, []), key=lambda s: s.start)
              if NEGATED not in s._.ct_modifiers and s._.ct_section != "references"]
    values = list(dict.fromkeys(values))
    if group == FUSIONS:
        named = {v.split("::")[1] for v in values if not v.startswith("v::")}
        values = [v for v in values if not (v.startswith("v::") and v[3:] in named)]
    return values


def assemble(document: Document, doc: Doc) -> Report:
    report = Report(source=document.source)
    cite(document, report)
    report.patients = [build_patient(document, doc, pid, scope) for pid, scope in patient_scopes(doc, document)]
    report.fusions = document_mentions(doc, FUSIONS)
    report.drugs = document_mentions(doc, DRUGS)
    return report
