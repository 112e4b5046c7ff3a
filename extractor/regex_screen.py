"""Regexes that skip texts they cannot match.

Most sentences that name a gene lack the words a given fusion rule needs ("negative", "fusion",
"wild"); most paragraphs hold no section heading. Scanning a text costs a Python regex about as
much whether it matches or not, so each pattern carries the words every match must hold, derived
from the pattern itself (never written twice), and a text without them is not scanned: same
matches, less work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .re_internals import sre as _sre
from .re_internals import sre_parse as _sre_parse

_MAX_CLAUSES = 3  # word sets a screen checks (required_words)
_MIN_TELLING = 3  # characters of the shortest word of a set worth looking for ("auc"; "g" or "pt" is in every text)


def required_words(regex: re.Pattern[str]) -> tuple[frozenset[str], ...]:
    """Sets of lower-case strings such that every match of ``regex`` holds one string of each set; none
    when the pattern promises nothing (one made of classes only, such as a bare {GENE}). At most the
    ``_MAX_CLAUSES`` most telling sets are kept: each costs a look at every text.

    Why a text missing every string of one set cannot match: the strings are runs of literal
    characters the pattern matches one after the other. A sequence needs what each of its items needs;
    an alternation one of what its branches need (nothing when a branch needs nothing); a class of
    literals one of them; a repeat what its body needs, only when it must match at least once; other
    classes, anchors, lookarounds and non-ASCII cased literals need nothing. Case is folded on both
    sides (``case_folded``), which can only let more in.
    """
    clauses = set(_sequence_needs(_sre_parse.parse(regex.pattern, regex.flags)))
    return tuple(sorted(clauses, key=_selectivity, reverse=True)[:_MAX_CLAUSES])


def telling(words: frozenset[str]) -> bool:
    """Whether a set of words is worth looking for in a text: none is a letter or two that nearly
    every text holds."""
    return min(map(len, words)) >= _MIN_TELLING


def cased(char: str) -> bool:
    """Whether a character has case (its lower or upper case differs from it)."""
    return char.lower() != char or char.upper() != char


def _sequence_needs(items: Iterable) -> list[frozenset[str]]:
    clauses: list[frozenset[str]] = []
    run = ""
    for op, av in [*items, (None, None)]:
        char = _plain(av) if op is _sre.LITERAL else None
        if char is not None:
            run += char
            continue
        if run:
            clauses.append(frozenset([run]))
            run = ""
        clauses.extend(_item_needs(op, av))
    return clauses


def _plain(code: int) -> str | None:
    """A literal as ``case_folded`` text holds it: ASCII in lower case, or a character without case
    ('–', which the regex engine matches only as itself); None for other characters."""
    char = chr(code)
    if char.isascii():
        return char.lower()
    return None if cased(char) else char


def _item_needs(op: object, av: object) -> list[frozenset[str]]:
    if op is _sre.IN:  # a class of literals ("[–—/]") needs one of them
        chars = [_plain(code) if kind is _sre.LITERAL else None for kind, code in av]
        return [] if None in chars else [frozenset(chars)]
    if op is _sre.SUBPATTERN:
        return _sequence_needs(av[-1])
    if op is _sre.BRANCH:  # each branch's most telling set holds for a match through it
        branches = [_sequence_needs(branch) for branch in av[1]]
        return [] if [] in branches else [frozenset().union(*(max(b, key=_selectivity) for b in branches))]
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
        return _sequence_needs(av[2])
    return []


def _selectivity(clause: frozenset[str]) -> tuple[int, int]:
    """Sets of longer strings, then of fewer, let fewer texts through."""
    return min(map(len, clause)), -len(clause)


@lru_cache(maxsize=1024)
def _ascii_twin(char: str) -> str | None:
    """The ASCII character a non-ASCII one matches when case is ignored (KELVIN SIGN 'k', long s 's'),
    asked of the regex engine itself; None for nearly all."""
    return next((a for a in map(chr, range(128)) if re.fullmatch(re.escape(a), char, re.IGNORECASE)), None)


def case_folded(text: str) -> str:
    """The text as ``required_words`` are looked for: lower case, the few non-ASCII characters that
    match an ASCII one when case is ignored replaced by it, so no case-blind match is missed."""
    if not text.isascii():
        twins = {ord(c): twin for c in set(text) if not c.isascii() and (twin := _ascii_twin(c))}
        if twins:  # nearly never: a translation with no entries still visits every character
            text = text.translate(twins)
    return text.lower()


@dataclass(frozen=True)
class Screened:
    """A compiled regex and the words every match holds (``required_words``)."""

    regex: re.Pattern[str]
    clauses: tuple[frozenset[str], ...]

    @classmethod
    def compile(cls, pattern: str, flags: int = 0) -> Screened:
        regex = re.compile(pattern, flags)
        return cls(regex, required_words(regex))

    def may_match(self, folded: str) -> bool:
        """False when the text (``case_folded``) cannot hold a match."""
        for clause in self.clauses:  # plain loops: all()/any() over generators cost more than the look-ups
            for word in clause:
                if word in folded:
                    break
            else:
                return False
        return True

    def search(self, text: str, folded: str, endpos: int | None = None) -> re.Match[str] | None:
        if not self.may_match(folded):
            return None
        return self.regex.search(text, 0, len(text) if endpos is None else endpos)

    def finditer(self, text: str, folded: str) -> Iterable[re.Match[str]]:
        return self.regex.finditer(text) if self.may_match(folded) else ()
