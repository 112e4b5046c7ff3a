"""Long runs of characters without a space kept as one token, so tokenizing stays linear.

spaCy's tokenizer takes a prefix or suffix off a whitespace-free string one character at a time,
and searches the whole remaining string for a suffix each time: a run of 20,000 brackets costs
20,000² steps (two minutes), and the abbreviation detector then meets 20,000 bracket tokens in one
sentence. No word, code name or fusion of a case report is near ``LONGEST_WORD`` characters, so a
longer run is a single token: nothing is lost, and each string is looked at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from spacy.language import Language

LONGEST_WORD = 500  # characters; a URL or a DOI with its query string fits


@dataclass
class _LongRunOrMatch:
    """The tokenizer's ``token_match``: a string over ``LONGEST_WORD`` is one token; else the
    tokenizer's own rule (if any) decides."""

    token_match: Callable[[str], object] | None

    def __call__(self, string: str) -> object:
        return len(string) > LONGEST_WORD or (self.token_match is not None and self.token_match(string))


def keep_long_runs_whole(nlp: Language) -> None:
    """Make ``nlp``'s tokenizer keep a whitespace-free run over ``LONGEST_WORD`` characters whole."""
    nlp.tokenizer.token_match = _LongRunOrMatch(nlp.tokenizer.token_match)
