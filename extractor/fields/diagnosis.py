"""Diagnosis: the tumour type as the report names it ("inflammatory myofibroblastic tumour",
"non-small cell lung adenocarcinoma", "infantile fibrosarcoma"), and the patient's diagnosis picked
from those names.

A name is a tumour noun (patterns/diagnoses.tsv: "carcinoma", a word ending in "-oma", "tumour"
with a word before it) and the words before it, back to the first word that is not part of a name:
a function word, a number or gene symbol ("stage IVA", "ALK-negative"), a word of stage, course or
place in the body ("metastatic", "recurrent", "mesenteric"), a participle ("diagnosed"). Where the
tumour is (the primary site) is a field of its own: "adenocarcinoma of the ascending colon" names an
adenocarcinoma. A plural name ("lung adenocarcinomas") speaks of a kind of tumour, not of the patient.

The patient's diagnosis is the first name with a specific tumour noun in a sentence of the case
description that states one ("was diagnosed with", "biopsy showed"), else the first name of the
title or abstract, else the first stated name with a generic noun ("polypoid tumour"), else the
first name of the case description. A fuller name of the same tumour elsewhere in the patient's
text or the title ("lung adenocarcinoma" for "showed adenocarcinoma") is taken instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..annotations import (
    add_span,
    attribute,
    detail_of,
    norm_of,
    register_extensions,
    register_group,
    sentence_of,
    spans_of,
    token_lowers,
)
from ..pickers import Picked, picks
from ..records import Patient
from ..rules import read_tsv, row_format
from ..scope import Scope

COMPONENT = "casetable_diagnosis"
DIAGNOSES = "ct_diagnoses"
DIAGNOSIS_ROW = row_format("word role", role="head generic suffix not_head ends ends_suffix keeps cue")
_MAX_WORDS_BEFORE = 6
_WORD_CACHE = 65536  # distinct words whose tumour noun is remembered


@dataclass(frozen=True)
class DiagnosisWords:
    """patterns/diagnoses.tsv by role."""

    heads: frozenset[str]
    generic: frozenset[str]
    suffixes: tuple[str, ...]
    not_heads: frozenset[str]
    ends: frozenset[str]
    ends_suffixes: tuple[str, ...]
    keeps: frozenset[str]
    cues: frozenset[str]

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> DiagnosisWords:
        by_role: dict[str, list[str]] = {}
        for row in read_tsv("diagnoses.tsv", DIAGNOSIS_ROW):
            by_role.setdefault(row["role"], []).append(row["word"])
        words = {role: by_role.get(role, []) for role in ("head", "generic", "suffix", "not_head", "ends",
                                                           "ends_suffix", "keeps", "cue")}
        return cls(frozenset(words["head"]), frozenset(words["generic"]), tuple(words["suffix"]),
                   frozenset(words["not_head"]), frozenset(words["ends"]), tuple(words["ends_suffix"]),
                   frozenset(words["keeps"]), frozenset(words["cue"]))

    def head(self, word: str) -> tuple[str, bool] | None:
        """(singular form, plural?) of a tumour noun, None for any other word."""
        for singular, plural in ((word, False), (word[:-1], True), (word[:-2], True)):
            if singular in self.not_heads or len(singular) < 4:
                continue
            if singular in self.heads or singular in self.generic or singular.endswith(self.suffixes):
                return singular, plural
        return None

    def ends_name(self, token: Token) -> bool:
        """True when the token cannot be a word of a tumour's name."""
        text, lower = token.text, token.lower_
        if token.is_punct or token.is_space or token.is_stop or token.like_num or lower in self.ends:
            return True
        if any(c.isdigit() for c in text) or sum(c.isupper() for c in text) > 1 or not text[0].isalpha():
            return True
        if "-" in lower:
            return lower.endswith(self.ends_suffixes)
        return lower.endswith("ed") and lower not in self.keeps


class DiagnosisNames:
    """Marks tumour names in ``doc.spans["ct_diagnoses"]``, norm the lowercase name; ``detail``
    holds the tumour noun (``head``, singular), whether the name is plural and whether its noun is
    a generic one ("tumour")."""

    def __init__(self, nlp: Language, name: str):
        register_extensions()
        register_group(DIAGNOSES)
        # Per distinct word, bounded: a batch of documents repeats its words, as a document does.
        self.head = lru_cache(maxsize=_WORD_CACHE)(DiagnosisWords.load().head)

    def __call__(self, doc: Doc) -> Doc:
        words = DiagnosisWords.load()
        lowers = token_lowers(doc)
        heads = {lower: self.head(lower) for lower in set(lowers)}
        for i, lower in enumerate(lowers):
            found = heads[lower]
            if found is None:
                continue
            sent_start = sentence_of(doc, i, i + 1)[0]
            start = i
            while start > max(sent_start, i - _MAX_WORDS_BEFORE) and not words.ends_name(doc[start - 1]):
                start -= 1
            singular, plural = found
            if singular in words.generic and start == i:
                continue  # "the tumour": no name
            span = doc[start:i + 1]
            add_span(doc, DIAGNOSES, span.start_char, span.end_char, "DIAGNOSIS", span.text.lower(),
                     {"head": singular, "plural": plural, "generic": singular in words.generic})
        return doc


@Language.factory(COMPONENT, assigns=[attribute(DIAGNOSES)])
def make_diagnosis_names(nlp: Language, name: str) -> DiagnosisNames:
    return DiagnosisNames(nlp, name)


def _states_diagnosis(span: Span, cues: frozenset[str]) -> bool:
    start, end = sentence_of(span.doc, span.start, span.end)
    return any(t.lower_ in cues for t in span.doc[start:end])


def _words(span: Span) -> list[str]:
    return [t.lower_ for t in span if not t.is_stop]


def _fuller(chosen: Span, names: list[Span]) -> Span:
    """The longest name of the same tumour noun that holds every word of ``chosen``; the earliest
    among the longest."""
    head, words = detail_of(chosen)["head"], set(_words(chosen))
    same = [s for s in names if detail_of(s)["head"] == head and words <= set(_words(s))]
    return max(same, key=lambda s: (len(_words(s)), -s.start), default=chosen)


@picks(Patient, "diagnosis")
def pick_diagnosis(doc: Doc, scope: Scope) -> dict[str, Picked]:
    cues = DiagnosisWords.load().cues
    names = [s for s in sorted(spans_of(doc, DIAGNOSES), key=lambda s: s.start)
             if not detail_of(s)["plural"] and (scope.contains(s) or scope.in_fallback(s))]
    stated = [s for s in names if scope.contains(s) and _states_diagnosis(s, cues)]
    chosen = (next((s for s in stated if not detail_of(s)["generic"]), None)
              or next((s for s in names if scope.in_fallback(s)), None)
              or next(iter(stated), None) or next(iter(names), None))
    if chosen is None:
        return {}
    chosen = _fuller(chosen, names)
    return {"diagnosis": Picked(norm_of(chosen), chosen)}
