"""Abbreviation definitions ("inflammatory myofibroblastic tumour (IMT)"), found in time linear in
the document: casetable's spaCy component ``casetable_abbreviations``.

It keeps exactly the pairs scispaCy's ``abbreviation_detector`` keeps (Schwartz & Hearst, 2003), and
reuses scispaCy's functions for the choice (``filter_matches``, ``find_abbreviation``), but differs
from that detector in two ways:

- scispaCy's matcher pattern ``( + )`` returns every pair of an opening and a later closing bracket
  in the document, a number that grows with the square of the document's length, and
  ``filter_matches`` then drops all but those of at most 8 tokens between the brackets. Here only
  those pairs are made, in the order spaCy's Matcher gives them (by closing bracket, then nearest
  opening bracket first), so the first definition of a short form wins as before.
- scispaCy keeps Span objects in ``doc.user_data``: each holds its Doc, so every Doc becomes a
  reference cycle only the garbage collector frees, and memory climbs over a batch. Here the pairs
  are token offsets, and ``doc._.abbreviations`` and ``span._.long_form`` make the Spans on access.

Occurrences of a defined short form elsewhere in the document are found by a scan of the tokens too,
not by adding rules to a Matcher kept across documents (each rule's name would stay in the
vocabulary's strings).
"""

from __future__ import annotations

from collections import defaultdict

from scispacy.abbreviation import filter_matches, find_abbreviation
from spacy.language import Language
from spacy.tokens import Doc, Span

from .annotations import token_texts

MAX_INNER_TOKENS = 8  # filter_matches keeps no bracket pair with more tokens between the brackets
_PAIRS = "ct_abbreviation_pairs"  # user_data key: {(short start, short end): (long start, long end)}


def bracket_pairs(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) token offsets of what stands between "(" and a later ")", with at most
    MAX_INNER_TOKENS tokens, ordered as spaCy's Matcher orders the matches of ``( + )``."""
    pairs = []
    words = token_texts(doc)
    for close, word in enumerate(words):
        if word != ")":
            continue
        for start in range(close - 1, max(close - MAX_INNER_TOKENS, 1) - 1, -1):
            if words[start - 1] == "(":
                pairs.append((start, close))
    return pairs


def _occurrences(doc: Doc, forms: list[tuple[str, ...]]) -> list[tuple[int, tuple[str, ...]]]:
    """(start, form) of every place where the tokens read as one of ``forms``."""
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for form in forms:
        by_first[form[0]].append(form)
    words = token_texts(doc)
    return [(i, form) for i, word in enumerate(words) for form in by_first.get(word, ())
            if tuple(words[i:i + len(form)]) == form]


def abbreviation_pairs(doc: Doc) -> dict[tuple[int, int], tuple[int, int]]:
    """Every short form of the document, defined or used again, mapped to its long form's offsets:
    grouped by long form in the order of definition (as scispaCy lists them), each group in text order."""
    candidates = filter_matches([(0, start, end) for start, end in bracket_pairs(doc)], doc)
    long_of_form: dict[tuple[str, ...], tuple[int, int]] = {}
    seen_long: set[str] = set()
    seen_short: set[str] = set()
    for long_candidate, short_candidate in candidates:
        short, long = find_abbreviation(long_candidate, short_candidate)
        if long is None or long.text in seen_long or short.text in seen_short:
            continue
        seen_long.add(long.text)
        seen_short.add(short.text)
        long_of_form[tuple(token.text for token in short)] = (long.start, long.end)
    rank = {form: i for i, form in enumerate(long_of_form)}
    found = sorted(_occurrences(doc, list(long_of_form)), key=lambda hit: (rank[hit[1]], hit[0]))
    return {(start, start + len(form)): long_of_form[form] for start, form in found}


def _abbreviations(doc: Doc) -> list[Span]:
    return [doc[start:end] for start, end in doc.user_data.get(_PAIRS, {})]


def _long_form(span: Span) -> Span | None:
    long = span.doc.user_data.get(_PAIRS, {}).get((span.start, span.end))
    return span.doc[long[0]:long[1]] if long else None


@Language.factory("casetable_abbreviations")
class AbbreviationDetector:
    """Sets ``doc._.abbreviations`` (the short forms, as Spans) and ``span._.long_form`` on each,
    the attributes scispaCy's detector sets, so components read either the same way."""

    def __init__(self, nlp: Language, name: str = "casetable_abbreviations") -> None:
        Doc.set_extension("abbreviations", getter=_abbreviations, force=True)
        Span.set_extension("long_form", getter=_long_form, force=True)

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[_PAIRS] = abbreviation_pairs(doc)
        return doc
