"""Treatment lines: which drugs the patient received, in order, with dose, duration and response.

A drug is a treatment only if the patient received it: in the patient's scope, not negated,
hypothetical or about other patients, and with a sign of administration (a cue such as "received",
a dose, or a categorised response in its sentence). Supportive drugs go to ``concomitant``.
Drugs joined by "and"/commas in one sentence form one regimen and share its response and duration;
a dose goes to the nearest drug of its sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from .components.extensions import (
    ADMINISTERED, AGES, DOSES, DRUGS, DURATIONS, HYPOTHETICAL, NEGATED, OTHER_PATIENT, RESPONSES,
    RESUMED, SUPPORTIVE_CUE,
)
from .document import Document
from .records import Treatment
from .scopes import Scope, evidence

EXCLUDED_FROM_DRUG = frozenset({NEGATED, HYPOTHETICAL, OTHER_PATIENT})
COORDINATORS = frozenset({",", "and", "plus", "+", "/", "with", "&", "or"})


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
