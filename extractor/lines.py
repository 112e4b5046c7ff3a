"""Treatment lines: which drugs the patient received, in order, with dose, duration and response.

A drug is a treatment only if the patient received it: in the patient's scope, not negated,
hypothetical or about other patients, and with a sign of administration: a cue such as "received",
or a dose or response in its sentence, or a duration tied to it ("six weeks of temozolomide").

The text is read sentence by sentence, in order:

- Drugs joined by "and", commas or "plus" (their doses in between) form one regimen; each drug is a
  line, and the lines of a regimen share its response and duration. Naming a known drug again
  refers to its line; a drug resumed after another regimen was started opens a new line (a pause
  and restart of the same drug, with nothing in between, stays one line, as review tables write it).
- A dose, duration or response belongs to a drug of its own sentence when there is one: a drug it
  is linked to by a preposition ("progression on crizotinib", "six weeks of temozolomide"), else the
  nearest drug before it; one named before the sentence's drugs and not linked to them ("After
  progression, she received X") speaks of the regimen given before, if any. A sentence without a
  drug speaks of the current regimen.
- A sentence without a drug speaks of the current regimen; its categorised response is the tumour's,
  so it goes to the latest anticancer regimen when an antibiotic or other drug was named since, and
  the durations of that sentence go with it. A progression given as the cause of a change ("switched
  to B due to progression") is the regimen's given before the sentence.
- The case's outcome told before any line ("treated in several phases, achieving CR") or in the title
  or abstract ("complete remission with gefitinib") goes, with the durations of its sentence, to the
  lines of the drugs it names, or, naming none and being a CR, PR or SD, to every line that has no
  response of its own.
- A line keeps its best response (CR > PR > SD > PD: review tables give the best response). Its
  duration is how long the response lasted where a word of lasting ties a duration to a response
  ("CR for 10 months", "remained in CR, 24 months after"); else its own length tied to a drug of its
  regimen ("six doses of X", "6-week X", "three additional cycles", added to those given before);
  else the longest time the text reports on it. A new dose of a later sentence replaces the old one,
  which is kept in ``dose_detail["history"]``; a protocol dose (per m2, per kg, AUC) is not replaced by
  the amount given, nor the first dose of a sentence by another of the same drug.
- A patient on anticancer treatment (patterns/antineoplastic_drugs.txt) gets supportive drugs
  (patterns/supportive_drugs.txt, or any drug named with a supportive cue: "as antiemetic
  prophylaxis") in ``concomitant``. They still take the doses and durations of their own sentences.
  Outside oncology the same drugs are the treatment (morphine in a report on pain).
- Dates give a duration too: "started in May 2019" ... "stopped in February 2020" is 9 months, used
  when the text states no longer one; the evidence says it was derived.
- A trial report ("In a phase 1 trial of entrectinib, ... a patient who had a CR") names the drug only
  in a sentence about the trial: when a patient has no line and a categorised response follows such
  a drug mention, that drug is taken as the patient's treatment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from spacy.tokens import Doc, Span

from .annotations import (
    ADMINISTERED,
    AGES,
    CUES,
    DOSES,
    DRUGS,
    DURATIONS,
    HYPOTHETICAL,
    NEGATED,
    NOT_TREATMENT_TIME,
    OTHER_PATIENT,
    REGIMENS,
    RESPONSES,
    RESUMED,
    SUPPORTIVE_CUE,
    detail_of,
    doc_text,
    modifiers_of,
    norm_of,
    section_of,
    sentence_of,
    spans_of,
    token_lowers,
    token_texts,
)
from .document import Document
from .evidence import evidence
from .intervals import Intervals
from .records import Evidence, Treatment
from .rules import read_lines, read_tsv, row_format
from .scope import Scope

EXCLUDED = frozenset({NEGATED, HYPOTHETICAL, OTHER_PATIENT})
# A duration is a time, not a finding: "no side effects during 42 days of X" does not negate it.
NOT_A_DURATION = frozenset({HYPOTHETICAL, OTHER_PATIENT, NOT_TREATMENT_TIME})
LINK_WINDOW = 6  # tokens between a response or duration and the drug it is linked to
RESPONSE_RANK = {"CR": 4, "PR": 3, "SD": 2, "PD": 1}
# An outcome that names no drug, in the abstract or before the first line, is the case's only when it
# is a response to treatment: a progression or relapse named there is the history ("presented with
# recurrence") or of no one line.
CASE_OUTCOMES = frozenset({"CR", "PR", "SD"})
MONTHS_PER_CYCLE = 0.75  # only to compare a line's cycle counts with its months ("2 cycles" < "15 months")
LINE_WORD_ROW = row_format("word role", role="coordinator link stop start pd_link link_filler time_before time_after "
                                              "dose_link pd_cause lasting")
MONTH_YEAR = re.compile(r"\b([A-Z][a-z]{2,8})\s+((?:19|20)\d\d)\b")


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    """patterns/treatment_line_words.tsv by role."""
    roles: dict[str, set[str]] = {}
    for row in read_tsv("treatment_line_words.tsv", LINE_WORD_ROW):
        roles.setdefault(row["role"], set()).add(row["word"])
    return {role: frozenset(words) for role, words in roles.items()}


@lru_cache(maxsize=1)
def _antineoplastic() -> tuple[frozenset[str], tuple[str, ...]]:
    lines = list(read_lines("antineoplastic_drugs.txt"))
    return frozenset(n for n in lines if not n.startswith("-")), tuple(n[1:] for n in lines if n.startswith("-"))


def is_antineoplastic(inn: str) -> bool:
    names, stems = _antineoplastic()
    return inn in names or inn.endswith(stems)


@dataclass
class _Line:
    """A treatment line while it is being built: the Treatment plus what was attached to it."""

    treatment: Treatment
    regimen: int
    order: int  # creation order, to tell whether another regimen started after it
    supportive: bool
    mentions: list[Span] = field(default_factory=list)
    responses: list[Span] = field(default_factory=list)
    durations: list[Span] = field(default_factory=list)
    outcomes: list[Span] = field(default_factory=list)  # a summary's response and its duration naming this drug
    concomitant: bool = False


@dataclass
class _Anchor:
    """A received drug mention of the sentence being read, and the lines it names."""

    mention: Span
    lines: list[_Line]

    @property
    def supportive(self) -> bool:
        return all(line.supportive for line in self.lines)


class TreatmentLines:
    """Builds the patient's treatment lines in text order and attaches dose, duration, response."""

    def __init__(self, document: Document, doc: Doc, scope: Scope):
        self.document, self.doc, self.scope = document, doc, scope
        self.doses = Intervals((d.start_char, d.end_char) for d in spans_of(doc, DOSES))
        self.ages_and_doses = Intervals((s.start_char, s.end_char) for g in (AGES, DOSES) for s in spans_of(doc, g))
        self.cue_tokens = {i for cue in spans_of(doc, CUES) if cue.label_ == ADMINISTERED
                           for i in range(cue.start, cue.end)}
        # The sentences with a sign that a drug named in them was given, read once, not per drug.
        self.dose_sentences = {self._bounds(d) for d in spans_of(doc, DOSES) if not modifiers_of(d) & EXCLUDED}
        self.response_sentences = {self._bounds(r) for r in spans_of(doc, RESPONSES)
                                   if not modifiers_of(r) & {HYPOTHETICAL, OTHER_PATIENT}}
        self.duration_tokens = {i for d in spans_of(doc, DURATIONS) for i in range(d.start, d.end)}
        self.durations_by_sentence: dict[tuple[int, int], list[Span]] = {}
        for duration in spans_of(doc, DURATIONS):
            if not modifiers_of(duration) & NOT_A_DURATION and not self._overlaps(duration):
                self.durations_by_sentence.setdefault(self._bounds(duration), []).append(duration)
        self._reset()

    def _bounds(self, span: Span) -> tuple[int, int]:
        return sentence_of(self.doc, span.start, span.end)

    def _reset(self) -> None:
        self.lines: list[_Line] = []
        self.current: list[_Line] = []  # the regimen the text is talking about
        self.regimens = 0
        self.outcomes: list[Span] = []  # the case's outcome, said before any line or in the abstract

    # -- the whole scope

    def build(self) -> tuple[list[Treatment], list[str]]:
        self._read(trial_drugs=set())
        if not any(not ln.supportive for ln in self.lines):
            trial = self._trial_drugs()
            if trial:
                self._reset()
                self._read(trial_drugs=trial)
        self._read_summary()
        return self._finish()

    def regimen_names(self) -> list[str]:
        """The regimen acronyms the patient received, as written, in text order: received as a drug
        is ("the patient received four cycles of R-CHOP"), whether or not the text names its drugs."""
        return list(dict.fromkeys(norm_of(r) for r in spans_of(self.doc, REGIMENS)
                                  if self.scope.contains(r) and self._received(r, set())))

    def _read_summary(self) -> None:
        """The title's and abstract's outcomes ("achieved complete remission with gefitinib"): a
        categorised response there, with the durations of its sentence, belongs to the lines of the
        drugs it names, or to the case when it names none (CR, PR or SD only). Lines without a response of their own
        take them (``_finish``); the abstract never makes a line."""
        responses = [r for r in spans_of(self.doc, RESPONSES) if self.scope.in_fallback(r)
                     and norm_of(r) in RESPONSE_RANK and not modifiers_of(r) & EXCLUDED]
        for sentence in dict.fromkeys(self._bounds(r) for r in responses):
            said = [r for r in responses if self._bounds(r) == sentence]
            if len({norm_of(r) for r in said}) > 1:  # "relapsed shortly after complete remission": no one outcome
                continue
            said += self.durations_by_sentence.get(sentence, [])
            named = [self._latest(inn) for drug in spans_of(self.doc, DRUGS)
                     if self._bounds(drug) == sentence and not modifiers_of(drug) & EXCLUDED
                     for inn in (detail_of(drug).get("regimen") or [norm_of(drug)])]
            lines = [ln for ln in named if ln is not None and not ln.supportive]
            if lines:
                for line in lines:
                    line.outcomes.extend(said)
            elif not named and norm_of(said[0]) in CASE_OUTCOMES:
                self.outcomes.extend(said)

    def _read(self, trial_drugs: set[tuple[int, int]]) -> None:
        by_sentence: dict[int, dict[str, list[Span]]] = {}
        for group in (DRUGS, DOSES, RESPONSES, DURATIONS):
            for span in spans_of(self.doc, group):
                if self.scope.contains(span):
                    by_sentence.setdefault(self._bounds(span)[0], {}).setdefault(group, []).append(span)
        for start in sorted(by_sentence):
            groups = {g: sorted(spans, key=lambda s: s.start) for g, spans in by_sentence[start].items()}
            self._sentence(groups, trial_drugs)

    def _finish(self) -> tuple[list[Treatment], list[str]]:
        oncology = any(is_antineoplastic(ln.treatment.drug) for ln in self.lines if not ln.supportive)
        for line in self.lines:
            cued = (any(SUPPORTIVE_CUE in modifiers_of(m) for m in line.mentions)
                    and not is_antineoplastic(line.treatment.drug))
            line.concomitant = oncology and (line.supportive or cued)
        kept = [ln for ln in self.lines if not ln.concomitant]
        numbers = {regimen: i + 1 for i, regimen in enumerate(dict.fromkeys(ln.regimen for ln in kept))}
        for line in kept:
            if not any(norm_of(r) in RESPONSE_RANK for r in line.responses):
                outcome = line.outcomes or self.outcomes
                line.responses += [x for x in outcome if x.label_ == "RESPONSE"]
                line.durations += [x for x in outcome if x.label_ == "DURATION"]
            self._settle_response(line)
            self._settle_duration(line)
            members = [ln.treatment.drug for ln in kept if ln.regimen == line.regimen]
            line.treatment.line = numbers[line.regimen]
            line.treatment.regimen = members if len(members) > 1 else []
        concomitant = [ln.treatment.drug for ln in self.lines if ln.concomitant]
        return [ln.treatment for ln in kept], list(dict.fromkeys(concomitant))

    # -- one sentence

    def _sentence(self, groups: dict[str, list[Span]], trial_drugs: set[tuple[int, int]]) -> None:
        before = list(self.current)
        received = [m for m in groups.get(DRUGS, []) if self._received(m, trial_drugs)]
        anchors = [anchor for mentions in self._coordinated(received) for anchor in self._regimen(mentions)]
        dosed: set[int] = set()  # lines given a dose in this sentence
        for dose in groups.get(DOSES, []):
            if not modifiers_of(dose) & EXCLUDED:
                self._dose(dose, anchors, dosed)
        started = any(not ln.supportive for ln in self.lines)
        outcome = False  # the sentence tells the case's outcome before any line: "treated, achieving CR"
        assessed: list[_Line] = []  # the lines a categorised response of a sentence without a drug went to
        for response in groups.get(RESPONSES, []):
            if not modifiers_of(response) & EXCLUDED:
                targets = self._targets(response, [a for a in anchors if not a.supportive], before)
                for line in targets:
                    line.responses.append(response)
                if not anchors and norm_of(response) in RESPONSE_RANK:
                    assessed = targets
                if not started and norm_of(response) in CASE_OUTCOMES:
                    self.outcomes.append(response)
                    outcome = True
        treated = [a for a in anchors if not a.supportive] or anchors
        for duration in groups.get(DURATIONS, []):
            if not modifiers_of(duration) & NOT_A_DURATION and not self._overlaps(duration):
                for line in assessed or self._targets(duration, treated, before):
                    line.durations.append(duration)
                if outcome:
                    self.outcomes.append(duration)

    def _received(self, span: Span, trial_drugs: set[tuple[int, int]]) -> bool:
        mods = modifiers_of(span)
        if (span.start, span.end) in trial_drugs:
            return not mods & {NEGATED, HYPOTHETICAL}
        if mods & EXCLUDED:
            return False
        sent = self._bounds(span)
        return (ADMINISTERED in mods or sent in self.dose_sentences or sent in self.response_sentences
                or any(self._adjacent(d, span) for d in self.durations_by_sentence.get(sent, ())))

    def _adjacent(self, duration: Span, drug: Span) -> bool:
        """A duration tied to the drug by a preposition: "six weeks of X", "X for 8 months"."""
        between = self.doc[duration.end:drug.start] if duration.end <= drug.start else self.doc[drug.end:duration.start]
        if duration.end == drug.start:  # "6-week cisplatin"
            return True
        return len(between) <= 3 and any(t.lower_ in _words()["link"] for t in between)

    def _trial_drugs(self) -> set[tuple[int, int]]:
        """Drug mentions that only a trial or cohort cue keeps from being the patient's, followed in
        their sentence or the next by a categorised response that is the patient's own."""
        responses = [r for r in spans_of(self.doc, RESPONSES) if self.scope.contains(r) and norm_of(r)
                     and not modifiers_of(r) & EXCLUDED]
        found = set()
        for drug in spans_of(self.doc, DRUGS):
            mods = modifiers_of(drug)
            if not self.scope.contains(drug) or OTHER_PATIENT not in mods or mods & {NEGATED, HYPOTHETICAL}:
                continue
            sent = self._bounds(drug)
            following = sentence_of(self.doc, sent[1], sent[1] + 1) if sent[1] < len(self.doc) else sent
            if any(r.start >= drug.end and self._bounds(r) in (sent, following) for r in responses):
                found.add((drug.start, drug.end))
        return found

    # -- regimens and lines

    def _coordinated(self, mentions: list[Span]) -> list[list[Span]]:
        """Received mentions in runs joined by coordinators (doses, their days and brackets in between
        allowed); supportive drugs stand alone, and a regimen listed around one goes on after it
        ("ifosfamide 1.2 g/m2, mesna 1.2 g/m2 and cisplatin 20 mg/m2" is one regimen and mesna)."""
        runs: list[list[Span]] = []
        regimen: list[Span] | None = None  # the run of anticancer drugs the list is building
        for previous, mention in zip([None, *mentions], mentions):
            joined = previous is not None and self._joined(previous, mention)
            if self._supportive(mention):
                runs.append([mention])
                regimen = regimen if joined else None
            elif regimen is not None and joined:
                regimen.append(mention)
            else:
                regimen = [mention]
                runs.append(regimen)
        return runs

    def _joined(self, previous: Span, mention: Span) -> bool:
        tokens = self.doc[previous.end:mention.start]
        between = [t for t in tokens if not self._in_dose(t.idx) and t.i not in self.duration_tokens
                   and not (t.lower_ in _words()["link"] and t.i + 1 in self.duration_tokens)]
        return len(between) <= 4 and all(t.lower_ in _words()["coordinator"] for t in between)

    def _supportive(self, mention: Span) -> bool:
        return bool(detail_of(mention).get("supportive")) and not detail_of(mention).get("regimen")

    def _regimen(self, mentions: list[Span]) -> list[_Anchor]:
        """The lines named by one coordinated run of mentions: the known regimen when all its drugs
        are already lines of it, else a new regimen (a new drug joined, or a drug resumed after another
        regimen was started)."""
        names = [(m, inn) for m in mentions for inn in (detail_of(m).get("regimen") or [norm_of(m)])]
        # "PF-02341066 (crizotinib)" names one drug twice: one line, both mentions
        repeats = [(m, inn) for i, (m, inn) in enumerate(names) if inn in {n for _, n in names[:i]}]
        names = [(m, inn) for m, inn in names if (m, inn) not in repeats]
        supportive = self._supportive(mentions[0])  # a supportive drug is never coordinated
        resumed = any(RESUMED in modifiers_of(m) for m in mentions)
        known = [self._latest(inn) for _, inn in names]
        if all(known) and len({ln.regimen for ln in known}) == 1 and not (resumed and self._ended(known[0])):
            lines = known
        else:
            regimen = self.regimens
            self.regimens += 1
            lines = [self._new_line(inn, mention, regimen, supportive) for mention, inn in names]
        anchors: dict[int, _Anchor] = {}
        by_drug = {line.treatment.drug: line for line in lines}
        for mention, inn in names + repeats:
            by_drug[inn].mentions.append(mention)
            anchors.setdefault(mention.start, _Anchor(mention, [])).lines.append(by_drug[inn])
        if not supportive:
            regimen = lines[0].regimen
            self.current = [ln for ln in self.lines if ln.regimen == regimen]
        return list(anchors.values())

    def _latest(self, inn: str) -> _Line | None:
        return next((ln for ln in reversed(self.lines) if ln.treatment.drug == inn), None)

    def _ended(self, line: _Line) -> bool:
        """Whether another regimen was started after this line: resuming the drug is then a new line."""
        return any(ln.order > line.order and ln.regimen != line.regimen and not ln.supportive for ln in self.lines)

    def _new_line(self, inn: str, mention: Span, regimen: int, supportive: bool) -> _Line:
        line = _Line(Treatment(drug=inn, regimen_name=detail_of(mention).get("acronym")), regimen, len(self.lines),
                     supportive)
        line.treatment.evidence["drug"] = evidence(self.document, mention)
        self.lines.append(line)
        return line

    # -- attaching values

    def _in_dose(self, char: int) -> bool:
        return char in self.doses

    def _overlaps(self, span: Span) -> bool:
        return self.ages_and_doses.overlaps(span.start_char, span.end_char)

    def _dose(self, span: Span, anchors: list[_Anchor], dosed: set[int]) -> None:
        """The dose goes to the drug it is written with. A protocol dose (per m2, per kg, AUC) is not
        replaced by the amount given, nor is the first dose of a sentence by another of the same drug
        ("methotrexate 2500 mg on day 1; ... intrathecal methotrexate 12 mg"); a later sentence's
        dose replaces it ("the dose was reduced to 200 mg"). Replaced doses are kept in the history."""
        if anchors:
            anchor = min(anchors, key=lambda a: (not self._dose_of(span, a.mention), self._distance(a.mention, span),
                                                 a.mention.start > span.start))
            lines = anchor.lines[:1] if len(anchor.lines) == 1 else []
        else:
            lines = [ln for ln in self.current if not ln.supportive]
            lines = lines if len(lines) == 1 else []
        for line in lines:
            treatment = line.treatment
            kept = (id(line) in dosed or _per_body_size(treatment.dose_detail)
                    and not _per_body_size(detail_of(span)))
            dosed.add(id(line))
            if kept:
                history = [*(treatment.dose_detail or {}).get("history", []), norm_of(span)]
                treatment.dose_detail = {**(treatment.dose_detail or {}), "history": history}
                continue
            if treatment.dose is not None and treatment.dose != norm_of(span):
                history = [*(treatment.dose_detail or {}).get("history", []), treatment.dose]
                treatment.dose_detail = {**detail_of(span), "history": history}
                treatment.evidence["dose"] = evidence(self.document, span, note=f"dose changed from {treatment.dose}")
            else:
                treatment.dose_detail = dict(detail_of(span))
                treatment.evidence["dose"] = evidence(self.document, span)
            treatment.dose = norm_of(span)

    def _dose_of(self, dose: Span, mention: Span) -> bool:
        """"120 mg of cisplatin and 3 g of ifosfamide": a dose written before its drug, joined by "of"."""
        between = self.doc[dose.end:mention.start]
        return 0 < len(between) <= 2 and between[-1].lower_ in _words()["dose_link"]

    @staticmethod
    def _distance(mention: Span, span: Span) -> int:
        return span.start - mention.end if mention.end <= span.start else mention.start - span.end

    def _targets(self, span: Span, anchors: list[_Anchor], before: list[_Line]) -> list[_Line]:
        """The lines a response or duration speaks of (see the module docstring)."""
        if not anchors:
            lines = [ln for ln in self.current if not ln.supportive]
            if span.label_ == "RESPONSE" and not any(is_antineoplastic(ln.treatment.drug) for ln in lines):
                return self._last_anticancer() or lines  # the tumour's response, not the antibiotic's
            return lines
        inside = [a for a in anchors if span.start <= a.mention.start < span.end]
        if inside:  # "still on treatment with ceritinib 9 months after initiation"
            return self._regimen_lines(inside[0])
        if self._cause_of_change(span):
            return [ln for ln in before if not ln.supportive]
        following = [a for a in anchors if a.mention.start >= span.end]
        if self._progressed_on(span):
            clause = [a for a in following if not self._clause_break(span, a.mention)]
            if clause:
                return [ln for a in clause for ln in self._regimen_lines(a)]
        if following and self._linked(span, following[0].mention):
            return self._regimen_lines(following[0])
        preceding = [a for a in anchors if a.mention.end <= span.start]
        if preceding:
            return self._regimen_lines(preceding[-1])
        return [ln for ln in before if not ln.supportive]

    def _last_anticancer(self) -> list[_Line]:
        """The lines of the latest regimen with an anticancer drug."""
        latest = next((ln for ln in reversed(self.lines) if not ln.supportive and is_antineoplastic(ln.treatment.drug)),
                      None)
        return [ln for ln in self.lines if latest is not None and ln.regimen == latest.regimen and not ln.supportive]

    def _linked(self, span: Span, mention: Span) -> bool:
        """A response or duration tied to the drug named after it: "progression on X", "two cycles
        of chemotherapy (the R-CHOP regimen)"."""
        if span.end > mention.start:
            return False
        between = self.doc[span.end:mention.start]
        if not len(between):  # "6-week cisplatin"
            return True
        return (len(between) <= LINK_WINDOW and any(t.lower_ in _words()["link"] for t in between)
                and not any(t.lower_ in (",", ";", "and") or self._verb_cue(t) for t in between))

    def _progressed_on(self, span: Span) -> bool:
        """"progressed on X", "progression following X and then Y": a PD about the drugs after it."""
        after = self.doc[span.end] if span.end < len(self.doc) else None
        return (span.label_ == "RESPONSE" and norm_of(span) == "PD" and after is not None
                and after.lower_ in _words()["pd_link"])

    def _cause_of_change(self, span: Span) -> bool:
        """"switched to B due to progression", "A was stopped because of progression": the progression
        is of the regimen running before the sentence."""
        before = " ".join(t.lower_ for t in self.doc[max(0, span.start - 2):span.start])
        return (norm_of(span) == "PD"
                and any(before.endswith(phrase) for phrase in _words()["pd_cause"]))

    def _clause_break(self, first: Span, second: Span) -> bool:
        return any(t.text in ",;" or self._verb_cue(t) for t in self.doc[first.end:second.start])

    def _verb_cue(self, token) -> bool:
        """A word of an administration cue ("received", "was switched to"), not its preposition."""
        return token.i in self.cue_tokens and token.lower_ not in _words()["link"] | _words()["link_filler"]

    def _regimen_lines(self, anchor: _Anchor) -> list[_Line]:
        regimens = {ln.regimen for ln in anchor.lines}
        return [ln for ln in self.lines if ln.regimen in regimens and (ln.supportive == anchor.supportive)]

    # -- settling each line's values

    def _settle_response(self, line: _Line) -> None:
        categorised = [r for r in line.responses if norm_of(r) in RESPONSE_RANK]
        if categorised:
            best = max(categorised, key=lambda r: (RESPONSE_RANK[norm_of(r)], -r.start))
            line.treatment.response = norm_of(best)
            others = sorted({norm_of(r) for r in categorised} - {norm_of(best)}, key=RESPONSE_RANK.get)
            note = f"best response; the text also reports {', '.join(others)}" if others else None
            line.treatment.evidence["response"] = evidence(self.document, best, note=note)
        elif line.responses:
            line.treatment.evidence["response"] = evidence(self.document, line.responses[0],
                                                           note="response named without a category")

    def _settle_duration(self, line: _Line) -> None:
        """How long the response lasted where the text says ("CR for 10 months", "a response
        lasting 20 months"); else the line's own length ("six doses of X", "6-week X") over other
        times of its sentences ("died 19 months after diagnosis"); else the longest time given."""
        regimen = [m for ln in self.lines if ln.regimen == line.regimen for m in ln.mentions]
        tiers = ([d for d in line.durations if any(self._lasting(r, d) for r in line.responses)],
                 [d for d in line.durations if detail_of(d).get("additional")  # "three more cycles" go on
                  or any(self._adjacent(d, m) or self._linked(d, m) for m in regimen)],
                 line.durations)
        chosen = next((tier for tier in tiers if tier), [])
        longest = max(chosen, key=lambda d: (_months(d), d.start)) if chosen else None
        derived = self._duration_from_dates(line)
        if longest is not None and (derived is None or not self._time_point(longest) or _months(longest) >= derived[0]):
            line.treatment.duration = norm_of(longest)
            line.treatment.duration_detail = dict(detail_of(longest))
            line.treatment.evidence["duration"] = evidence(self.document, longest)
            self._add_earlier_cycles(line, longest)
        elif derived is not None:
            months, ev = derived
            line.treatment.duration = f"{months} months"
            line.treatment.duration_detail = {"value": months, "unit": "month", "months": months,
                                              "ongoing": False, "derived_from_dates": True}
            line.treatment.evidence["duration"] = ev

    def _add_earlier_cycles(self, line: _Line, added: Span) -> None:
        """"a single cycle of D-CAG ... three additional cycles of the same regimen" is 4 cycles: the
        added cycles plus the most the line was given before them; the evidence says it was summed."""
        detail = detail_of(added)
        earlier = [detail_of(d)["value"] for d in line.durations if d.start < added.start
                   and detail_of(d).get("unit") == "cycle" and not detail_of(d).get("additional")
                   and detail_of(d).get("value")]
        if not (detail.get("additional") and detail.get("unit") == "cycle" and detail.get("value") and earlier):
            return
        total = max(earlier) + detail["value"]
        line.treatment.duration = f"{total:g} cycles"
        line.treatment.duration_detail = {**detail, "value": total, "additional": False}
        line.treatment.evidence["duration"] = evidence(
            self.document, added, note=f"{max(earlier):g} cycles given before and {norm_of(added)}: {total:g} cycles")

    def _lasting(self, response: Span, duration: Span) -> bool:
        """A duration a few words after a response, with a word of lasting before or after the
        response: "CR for 10 months", "a response lasting 20 months", "remained in complete
        response, 24 months after the start of X"."""
        if not response.end <= duration.start <= response.end + LINK_WINDOW:
            return False
        lowers = token_lowers(self.doc)  # the words as strings: a Span makes a Token of each word
        around = lowers[max(0, response.start - 3):response.start] + lowers[response.end:duration.start]
        return (any(word in _words()["lasting"] for word in around)
                and ";" not in token_texts(self.doc)[response.end:duration.start])

    def _time_point(self, span: Span) -> bool:
        """"after 2 months", "at 3 months", "two months later": when something was seen, which a
        start and stop date can outdo; "for 8 months", "lasted 14 months" say how long."""
        before = self.doc[span.start - 1].lower_ if span.start > 0 else ""
        after = self.doc[span.end].lower_ if span.end < len(self.doc) else ""
        return before in _words()["time_before"] or after in _words()["time_after"]

    def _duration_from_dates(self, line: _Line) -> tuple[int, Evidence] | None:
        """Months between the date of the sentence that starts the line and the date of a later
        sentence that stops it (or reports its progression), when both give a month and year."""
        start = end = None
        text, lowers = doc_text(self.doc), token_lowers(self.doc)
        for mention in line.mentions:
            sent = self.doc[slice(*sentence_of(self.doc, mention.start, mention.start + 1))]  # mention.sent
            found = _month_year(text[sent.start_char:sent.end_char])
            if found is None:
                continue
            words = set(lowers[sent.start:sent.end])
            if start is None and words & _words()["start"]:
                start = (found, sent)
            elif start is not None and words & _words()["stop"] and found[0] > start[0][0]:
                end = (found, sent)
                break
        if start is None or end is None:
            return None
        (begun, _), first = start
        (stopped, match), last = end
        months = (stopped.year - begun.year) * 12 + stopped.month - begun.month
        at = last.start_char + match.start()
        note = f"derived from dates: {begun:%B %Y} to {stopped:%B %Y} = {months} months"
        return months, Evidence(text=f"{first.text.strip()} ... {last.text.strip()}", start=at,
                                end=at + len(match.group(0)), page=self.document.page_at(at),
                                section=section_of(last), matched=match.group(0), note=note)


def _per_body_size(detail: dict | None) -> bool:
    """A dose per m2, per kg or as an AUC: how protocols write it, as opposed to the amount given."""
    unit = str((detail or {}).get("unit") or "").lower()
    return unit == "auc" or "/m2" in unit or "/kg" in unit


def _months(span: Span) -> float:
    detail = detail_of(span)
    if detail.get("months") is not None:
        return float(detail["months"])
    if detail.get("unit") in ("cycle", "dose") and detail.get("value") is not None:
        return float(detail["value"]) * MONTHS_PER_CYCLE
    return 0.0


def _month_year(sentence: str) -> tuple[date, re.Match[str]] | None:
    """The first "Month YYYY" date of a sentence ("May 2019"), as the first day of that month."""
    for match in MONTH_YEAR.finditer(sentence):
        try:
            return datetime.strptime(f"{match.group(1)} {match.group(2)}", "%B %Y").date(), match
        except ValueError:
            continue
    return None
