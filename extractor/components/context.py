"""ConText-style modifiers (after medspaCy's ConText) on drugs, fusions, responses and sites.

A cue (patterns/context_cues.jsonl) has a category (NEGATED, HYPOTHETICAL, OTHER_PATIENT,
ADMINISTERED, RESUMED, SUPPORTIVE) and a direction; it modifies the targets of its sentence on that
side, up to a termination word of its category (patterns/context_terminations.txt) or ``max_scope`` tokens.
medspaCy itself is not used: its 1.3 release needs spaCy < 3.8, and scispaCy 0.6 wants 3.8.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..rules import read_jsonl, read_tsv
from .extensions import CUES, register_extensions


class ContextModifiers:
    def __init__(self, nlp: Language, name: str, cues_file: str, terminations_file: str,
                 targets: list[str], max_scope: int):
        register_extensions()
        self.matchers = (PhraseMatcher(nlp.vocab, attr="LOWER"), PhraseMatcher(nlp.vocab, attr="ORTH"))
        self.cues: dict[str, tuple[str, str]] = {}
        for i, row in enumerate(read_jsonl(cues_file)):
            key = f"cue{i}"
            self.cues[key] = (row["category"], row["direction"])
            self.matchers[bool(row.get("case_sensitive"))].add(key, [nlp.make_doc(row["literal"])])
        self.terminations: dict[str, set[str]] = {}
        for row in read_tsv(terminations_file):
            self.terminations[row["word"]] = set(row["categories"].split())
        self.targets = targets
        self.max_scope = max_scope

    def __call__(self, doc: Doc) -> Doc:
        cues: list[Span] = []
        for match_id, start, end in (m for matcher in self.matchers for m in matcher(doc)):
            category, direction = self.cues[doc.vocab.strings[match_id]]
            cue = Span(doc, start, end, label=category)
            cue._.ct_norm = direction
            cues.append(cue)
        doc.spans[CUES] = cues
        by_sentence: dict[int, list[Span]] = {}
        for cue in cues:
            by_sentence.setdefault(cue.sent.start, []).append(cue)
        for group in self.targets:
            for target in doc.spans.get(group, []):
                for cue in by_sentence.get(target.sent.start, []):
                    if self._in_scope(doc, cue, target):
                        target._.ct_modifiers.add(cue.label_)
        return doc

    def _in_scope(self, doc: Doc, cue: Span, target: Span) -> bool:
        direction = cue._.ct_norm
        if cue.start < target.end and target.start < cue.end:
            return False
        if cue.end <= target.start:
            if direction == "backward":
                return False
            between = doc[cue.end:target.start]
        else:
            if direction == "forward":
                return False
            between = doc[target.end:cue.start]
        if len(between) > self.max_scope:
            return False
        return not any(self._terminates(t.lower_, cue.label_) for t in between)

    def _terminates(self, word: str, category: str) -> bool:
        categories = self.terminations.get(word)
        return categories is not None and ("all" in categories or category in categories)


@Language.factory(
    "casetable_context",
    default_config={"cues_file": "context_cues.jsonl", "terminations_file": "context_terminations.txt",
                    "targets": ["ct_drugs", "ct_fusions", "ct_responses", "ct_sites", "ct_durations", "ct_doses"],
                    "max_scope": 12},
)
def make_context(nlp: Language, name: str, cues_file: str, terminations_file: str,
                 targets: list[str], max_scope: int) -> ContextModifiers:
    return ContextModifiers(nlp, name, cues_file, terminations_file, targets, max_scope)
