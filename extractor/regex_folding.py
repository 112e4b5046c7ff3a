"""A case-blind regex matched case-sensitively over the case-folded text, where that finds the same.

Python's ``re`` compares each letter of a ``re.IGNORECASE`` pattern through its Unicode case
tables. The same pattern with its letters in lower case, matched case-sensitively over the text
``case_folded`` (``regex_screen``; once per document, ``annotations.doc_folded``), tries the same
things at the same places in about two thirds of the time (the age, duration and dose rule files
over the producer set: 165 ms -> 107 ms). The Match objects are then taken from the case-blind
regex at each place found, so their groups hold the text as written.

Why the folded regex matches where the case-blind one does, character for character (the folded
text has the length of the text, or the regex runs as it is): ``case_folded`` turns each character ``x``
into ``f(x)``: the ASCII character it matches when case is ignored (KELVIN SIGN 'k', long s 's',
'İ' and 'ı' 'i'), else its lower case. A pattern qualifies when every cased literal in it, alone or
in a class, is ASCII, and every range of a class is all upper-case ASCII letters, all lower-case,
or holds no cased character; with no inline case flag, back reference, conditional or atomic
group. Then, item by item:

- a letter ``a`` (lower-cased in the folded pattern) matches ``x`` when case is ignored exactly
  when ``f(x)`` is lower(``a``): an ASCII ``x`` by its case, a non-ASCII one only if it is one of
  the few characters case-folding replaces by an ASCII letter, and it is replaced by that letter;
  no other character lower-cases to an ASCII letter (``tests/test_regex_folding.py`` checks every
  code point);
- an uncased literal (a digit, a dash) matches only itself in both, and ``f`` keeps it, and turns
  no cased character into it;
- a class is its items, so a negated class is too; a class of lower-case letters matches their
  upper case when case is ignored, which the folded text holds in lower case;
- the categories (``\\w``, ``\\d``, ``\\s``), and so ``\\b``, hold for ``x`` exactly when they hold
  for ``f(x)`` (checked for every code point), and line ends and the dot are uncased;
- groups, repeats, alternatives and lookarounds combine these, the same in both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .re_internals import sre as _sre
from .re_internals import sre_compile as _sre_compile
from .re_internals import sre_parse as _sre_parse
from .regex_screen import cased
from .regex_starts import BoundaryScan, OpeningScan

_UPPER = (ord("A"), ord("Z"))
_LOWER = (ord("a"), ord("z"))
_REPEATS = tuple(getattr(_sre, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                 if hasattr(_sre, name))  # possessive repeats from Python 3.11
_AS_THEY_ARE = (_sre.AT, _sre.ANY, _sre.CATEGORY)


class _Unfoldable(Exception):
    """The pattern holds what case folding does not keep (see the module doc)."""


@dataclass(frozen=True)
class FoldedSearch:
    """Matches of a regex, looked for in the folded text where the regex qualifies (``folded``),
    else in the text; from its core first where it opens with optional items or a word boundary
    (``regex_starts``)."""

    regex: re.Pattern[str]
    folded: re.Pattern[str] | None  # the case-sensitive twin for case-folded text, where there is one
    scan: OpeningScan | BoundaryScan | None

    @classmethod
    def of(cls, regex: re.Pattern[str]) -> FoldedSearch:
        tree = _folded_tree(regex)
        if tree is None:
            return cls(regex, None, OpeningScan.of(regex) or BoundaryScan.of(regex))
        folded = _sre_compile.compile(tree, regex.flags & ~re.IGNORECASE)
        return cls(regex, folded, OpeningScan.of(folded, tree) or BoundaryScan.of(folded, tree))

    def finditer(self, text: str, folded_text: str) -> Iterator[re.Match[str]]:
        """``regex.finditer(text)``; ``folded_text`` is the text ``case_folded``."""
        if self.folded is None:
            return self.scan.finditer(text) if self.scan is not None else self.regex.finditer(text)
        if len(folded_text) != len(text):  # not case_folded's: the scan is the twin's, so the regex as it is
            return self.regex.finditer(text)
        places = self.scan.finditer(folded_text) if self.scan is not None else self.folded.finditer(folded_text)
        return self._as_written(text, places)

    def _as_written(self, text: str, places: Iterator[re.Match[str]]) -> Iterator[re.Match[str]]:
        for place in places:
            match = self.regex.match(text, place.start())
            assert match is not None and match.end() == place.end(), (self.regex.pattern, place)
            yield match


def _folded_tree(regex: re.Pattern[str]) -> _sre_parse.SubPattern | None:
    """The parse tree of the case-sensitive twin that matches ``case_folded`` text where ``regex``
    matches the text, its letters in lower case; None for a regex that is not case-blind or does
    not qualify (see the module doc)."""
    if not regex.flags & re.IGNORECASE:
        return None
    parsed = _sre_parse.parse(regex.pattern, regex.flags)
    try:
        folded = _subpattern(parsed)
    except _Unfoldable:
        return None
    folded.state.flags &= ~re.IGNORECASE
    return folded


def _subpattern(pattern: _sre_parse.SubPattern) -> _sre_parse.SubPattern:
    return _sre_parse.SubPattern(pattern.state, [_item(op, av) for op, av in pattern.data])


def _item(op: object, av: object) -> tuple:
    if op is _sre.LITERAL or op is _sre.NOT_LITERAL:
        return op, _literal(av)
    if op is _sre.IN:
        return op, [_class_item(kind, value) for kind, value in av]
    if op is _sre.SUBPATTERN:
        group, add_flags, del_flags, body = av
        if (add_flags | del_flags) & re.IGNORECASE:
            raise _Unfoldable("an inline case flag")
        return op, (group, add_flags, del_flags, _subpattern(body))
    if op is _sre.BRANCH:
        return op, (av[0], [_subpattern(branch) for branch in av[1]])
    if op in _REPEATS:
        return op, (av[0], av[1], _subpattern(av[2]))
    if op is _sre.ASSERT or op is _sre.ASSERT_NOT:
        return op, (av[0], _subpattern(av[1]))
    if op in _AS_THEY_ARE:
        return op, av
    raise _Unfoldable(f"{op}")  # back references, conditionals, atomic groups


def _literal(code: int) -> int:
    char = chr(code)
    if char.isascii():
        return ord(char.lower())
    if cased(char):
        raise _Unfoldable(f"the cased letter {char!r}")  # 'µ' also matches 'μ' and 'Μ'
    return code


def _class_item(kind: object, value: object) -> tuple:
    if kind is _sre.LITERAL:
        return kind, _literal(value)
    if kind is _sre.RANGE:
        low, high = value
        if _UPPER[0] <= low <= high <= _UPPER[1]:
            return kind, (low + 32, high + 32)
        if _LOWER[0] <= low <= high <= _LOWER[1] or not any(cased(chr(c)) for c in range(low, high + 1)):
            return kind, value
        raise _Unfoldable(f"the range {chr(low)}-{chr(high)}")
    if kind is _sre.NEGATE or kind is _sre.CATEGORY:
        return kind, value
    raise _Unfoldable(f"{kind}")
