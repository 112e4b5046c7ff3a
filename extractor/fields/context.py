"""ConText-style modifiers (after medspaCy's ConText) on drugs, fusions, responses, sites, doses, durations.

A cue (patterns/context_cues.jsonl) has a category (NEGATED, HYPOTHETICAL, OTHER_PATIENT,
ADMINISTERED, RESUMED, SUPPORTIVE, NOT_TREATMENT_TIME) and a direction; it modifies the targets of its
sentence on that side, up to a termination phrase of its category (patterns/context_terminations.txt)
or the cue's ``max_scope`` tokens (default: the component's). As in ConText:

- overlapping cue matches keep the longest ("was not treated with" is one NEGATED cue, not also an
  ADMINISTERED "treated with");
- pseudo-terminations ("such as", "as well as") contain a termination word but end nothing; a
  termination marked ``backward`` ("that") only stops cues after it from reaching back before it;
- a clause that opens the sentence ("Because the inhibitor was not reimbursed, chemotherapy was
  started") ends at its first comma: no cue reaches across that comma;
- a cue marked ``weak`` ("trial", "study", "options") only modifies drugs, and gives way to an
  ADMINISTERED cue on the same drug: "received larotrectinib on a phase I/II study" speaks of this
  patient, and "stable for 15 months until the study endpoint" is this patient's time.

medspaCy itself is not used: its 1.3 release needs spaCy < 3.8, while scispaCy 0.6 (tokenizer,
sentence splitter, abbreviations) needs 3.8, so the two cannot be installed together and a
measured comparison on this pipeline is not possible. The cue, termination and pseudo data keep
medspaCy's shape (literal, category, direction, max_scope) so that they could move to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..annotations import (
    ADMINISTERED,
    CUES,
    DOSES,
    DRUGS,
    DURATIONS,
    MODIFIERS,
    REGIMENS,
    RESPONSES,
    SITES,
    attribute,
    modifiers_of,
    register_extensions,
    sentence_of,
)
from ..rules import read_jsonl, read_tsv, row_format

PSEUDO = "pseudo"
CLAUSE_OPENER = "clause_opener"
ALL = "all"
CUE_ROW = row_format("literal category direction", "max_scope weak case_sensitive",
                     category=" ".join(MODIFIERS), direction="forward backward bidirectional")
TERMINATION_ROW = row_format("word categories", "direction",
                             categories=" ".join((*MODIFIERS, PSEUDO, CLAUSE_OPENER, ALL)), direction="backward")


@dataclass(frozen=True)
class Cue:
    category: str
    direction: str
    max_scope: int
    weak: bool


class ContextModifiers:
    def __init__(self, nlp: Language, name: str, cues_file: str, terminations_file: str,
                 targets: list[str], max_scope: int):
        register_extensions()
        self.matchers = (PhraseMatcher(nlp.vocab, attr="LOWER"), PhraseMatcher(nlp.vocab, attr="ORTH"))
        self.cues: dict[str, Cue] = {}
        for i, row in enumerate(read_jsonl(cues_file, CUE_ROW)):
            key = f"cue{i}"
            self.cues[key] = Cue(row["category"], row["direction"], int(row.get("max_scope", max_scope)),
                                 bool(row.get("weak")))
            self.matchers[bool(row.get("case_sensitive"))].add(key, [nlp.make_doc(row["literal"])])
        self.termination_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.termination_categories: dict[str, set[str]] = {}
        self.backward_only: set[str] = set()
        for i, row in enumerate(read_tsv(terminations_file, TERMINATION_ROW)):
            key = f"term{i}"
            self.termination_categories[key] = set(row["categories"].split())
            if (row.get("direction") or "").strip() == "backward":
                self.backward_only.add(key)
            self.termination_matcher.add(key, [nlp.make_doc(row["word"])])
        self.targets = targets

    def __call__(self, doc: Doc) -> Doc:
        cues = self._cues(doc)
        doc.spans[CUES] = cues
        stops, back_stops, openers = self._terminations(doc)
        by_sentence: dict[int, list[Span]] = {}
        for cue in cues:
            by_sentence.setdefault(sentence_of(doc, cue.start, cue.end)[0], []).append(cue)
        clause_ends: dict[tuple[int, int], int | None] = {}
        for group in self.targets:
            for target in doc.spans.get(group, []):
                sent = sentence_of(doc, target.start, target.end)
                sent_cues = by_sentence.get(sent[0])
                if not sent_cues:
                    continue
                if sent not in clause_ends:
                    clause_ends[sent] = self._fronted_clause_end(doc[sent[0]:sent[1]], openers)
                strong, weak = set(), set()
                for cue in sent_cues:
                    if self._in_scope(cue, target, back_stops if cue.start > target.start else stops, clause_ends[sent]):
                        (weak if self.cues[cue.id_].weak else strong).add(cue.label_)
                if group in (DRUGS, REGIMENS) and ADMINISTERED not in strong:
                    strong |= weak
                if strong:
                    modifiers_of(target).update(strong)
        return doc

    def _cues(self, doc: Doc) -> list[Span]:
        """Cue matches, the longest of overlapping ones kept (two cues on the very same words,
        "resumed" as ADMINISTERED and RESUMED, are both kept)."""
        matches = [Span(doc, start, end, label=self.cues[doc.vocab.strings[match_id]].category,
                        span_id=doc.vocab.strings[match_id])
                   for matcher in self.matchers for match_id, start, end in matcher(doc)]
        by_start: dict[int, list[Span]] = {}
        for match in matches:
            by_start.setdefault(match.start, []).append(match)
        reach = max((len(m) for m in matches), default=0)

        def inside_longer(span: Span) -> bool:
            return any(o.end >= span.end and len(o) > len(span)
                       for start in range(span.start - reach + 1, span.start + 1) for o in by_start.get(start, []))

        return sorted((m for m in matches if not inside_longer(m)), key=lambda s: (s.start, s.end))

    def _terminations(self, doc: Doc) -> tuple[dict[int, set[str]], dict[int, set[str]], set[int]]:
        """Token index -> categories whose scope it ends, for cues before the target and for cues
        after it; and the tokens that open a fronted clause. Tokens of a pseudo phrase ("such as")
        end nothing."""
        pseudo: set[int] = set()
        forward: dict[int, set[str]] = {}
        backward: dict[int, set[str]] = {}
        openers: set[int] = set()
        for match_id, start, end in self.termination_matcher(doc):
            key = doc.vocab.strings[match_id]
            categories = self.termination_categories[key]
            if PSEUDO in categories:
                pseudo.update(range(start, end))
            elif CLAUSE_OPENER in categories:
                openers.add(start)
            else:
                for i in range(start, end):
                    backward.setdefault(i, set()).update(categories)
                    if key not in self.backward_only:
                        forward.setdefault(i, set()).update(categories)
        return ({i: c for i, c in forward.items() if i not in pseudo},
                {i: c for i, c in backward.items() if i not in pseudo}, openers)

    @staticmethod
    def _fronted_clause_end(sent: Span, openers: set[int]) -> int | None:
        """The comma that closes a clause opening the sentence ("Because ..., "), if any."""
        first = next((t.i for t in sent if not t.is_space), sent.start)
        if first not in openers:
            return None
        return next((t.i for t in sent if t.text == ","), None)

    def _in_scope(self, cue: Span, target: Span, stops: dict[int, set[str]], clause_end: int | None) -> bool:
        spec = self.cues[cue.id_]
        if cue.start < target.end and target.start < cue.end:
            return False
        if cue.end <= target.start:
            if spec.direction == "backward":
                return False
            lo, hi = cue.end, target.start
        else:
            if spec.direction == "forward":
                return False
            lo, hi = target.end, cue.start
        if hi - lo > spec.max_scope:
            return False
        if clause_end is not None and lo <= clause_end < hi:
            return False
        return not any(ALL in stops.get(i, ()) or spec.category in stops.get(i, ()) for i in range(lo, hi))


COMPONENT = "casetable_context"
TARGETS = [DRUGS, REGIMENS, RESPONSES, SITES, DURATIONS, DOSES]


@Language.factory(
    COMPONENT,
    default_config={"cues_file": "context_cues.jsonl", "terminations_file": "context_terminations.txt",
                    "targets": TARGETS, "max_scope": 12},
    assigns=[attribute(CUES), "span._.ct_modifiers"],
    requires=[attribute(group) for group in TARGETS],
)
def make_context(nlp: Language, name: str, cues_file: str, terminations_file: str,
                 targets: list[str], max_scope: int) -> ContextModifiers:
    return ContextModifiers(nlp, name, cues_file, terminations_file, targets, max_scope)
