"""``finditer`` for a regex that opens with optional items, looking first for the part that is not.

A dose rule opens with an optional lead ("weekly paclitaxel 80 mg/m2": ``(?:{FREQ}\\s+drug\\s+)?``)
and a duration rule with an optional qualifier, so Python's ``re`` enters the whole pattern at
every position of the text, and fails there on nearly all. The rest of the pattern (the ``core``:
"80 mg/m2") opens with a digit, which ``re`` looks for in C without entering the pattern. So the
core is looked for first, and the whole regex is tried only just before each core found.

Why the matches are those of ``regex.finditer`` (a match of the optional items has at most
``reach`` characters; each item can also match nothing, so the whole regex matches wherever the
core does): ``finditer`` returns, from ``pos``, the match at the first position ``s >= pos`` where
the regex matches. Any match at ``s`` holds a match of the core at some ``v'`` in ``[s, s + reach]``;
with ``v`` the first position ``>= pos`` where the core matches, ``v' >= v``, so ``s >= v - reach``;
and the regex matches at ``v``. So a search from ``max(pos, v - reach)`` finds the same first
match, at ``v`` at the latest. (A core that refers back to a group of the opening items is not split.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .re_internals import sre as _sre
from .re_internals import sre_compile as _sre_compile
from .re_internals import sre_parse as _sre_parse

_MAX_REACH = 1000  # opening items longer than this make the positions to try back from a core too many
_BOUNDARIES = [(_sre.AT, _sre.AT_BOUNDARY), (_sre.AT, _sre.AT_UNI_BOUNDARY), (_sre.AT, _sre.AT_LOC_BOUNDARY)]
_REFERENCES = (_sre.GROUPREF, _sre.GROUPREF_EXISTS, _sre.GROUPREF_IGNORE, _sre.GROUPREF_LOC_IGNORE,
               _sre.GROUPREF_UNI_IGNORE)


@dataclass(frozen=True)
class OpeningScan:
    """A regex, its core (the regex without its optional opening items) and their reach."""

    regex: re.Pattern[str]
    core: re.Pattern[str]
    reach: int

    @classmethod
    def of(cls, regex: re.Pattern[str], parsed: _sre_parse.SubPattern | None = None) -> OpeningScan | None:
        """The scan of a regex that opens with optional items (``(...)?``, ``\\s*``) before a core
        that cannot match nothing; None for any other regex, which ``finditer`` serves as it is.
        ``parsed`` is the regex's parse tree, for a regex compiled from one (it has no pattern)."""
        parsed = parsed if parsed is not None else _sre_parse.parse(regex.pattern, regex.flags)
        opening = 0
        while opening < len(parsed.data) and _optional(parsed.data[opening]):
            opening += 1
        if opening == 0 or opening == len(parsed.data) or _refers_back(parsed.data):
            return None
        core = _sre_parse.SubPattern(parsed.state, parsed.data[opening:])
        reach = _sre_parse.SubPattern(parsed.state, parsed.data[:opening]).getwidth()[1]
        if core.getwidth()[0] == 0 or reach > _MAX_REACH:
            return None
        return cls(regex, _sre_compile.compile(core, regex.flags), reach)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches ``self.regex.finditer(text)`` gives (see the module doc)."""
        pos = 0
        while (core := self.core.search(text, pos)) is not None:
            at = core.start()
            # The first match from the reach before the core, which is at the core at the latest.
            found = self.regex.search(text, max(pos, at - self.reach))
            assert found is not None and found.start() <= at
            yield found
            pos = found.end()


@dataclass(frozen=True)
class BoundaryScan:
    """A regex that opens with a word boundary (``\\b``) before a core that ``re`` looks for in C
    (it opens, case-sensitively, with a letter or one of a set of letters: "aged", "patient|man").

    ``re`` enters a pattern that opens with ``\\b`` at every position; the core alone it seeks by its
    first letters. The regex matches at ``s`` exactly where the boundary holds at ``s`` and the core
    matches there, so the first match from ``pos`` is at the first place the core matches where the
    boundary holds: each place the core is found is tried in turn.
    """

    regex: re.Pattern[str]
    core: re.Pattern[str]

    @classmethod
    def of(cls, regex: re.Pattern[str], parsed: _sre_parse.SubPattern | None = None) -> BoundaryScan | None:
        """The scan of a regex that opens with a word boundary before a core that cannot match nothing
        and has letters to look for; None for any other regex."""
        parsed = parsed if parsed is not None else _sre_parse.parse(regex.pattern, regex.flags)
        if not parsed.data or parsed.data[0] not in _BOUNDARIES:
            return None
        core = _sre_parse.SubPattern(parsed.state, parsed.data[1:])
        flags = regex.flags | parsed.state.flags
        if core.getwidth()[0] == 0 or not (_sre_compile._get_literal_prefix(core, flags)[0]
                                            or _sre_compile._get_charset_prefix(core, flags)):
            return None
        return cls(regex, _sre_compile.compile(core, regex.flags))

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches ``self.regex.finditer(text)`` gives."""
        pos = 0
        while (core := self.core.search(text, pos)) is not None:
            found = self.regex.match(text, core.start())
            if found is None:  # no word boundary where the core is
                pos = core.start() + 1
                continue
            yield found
            pos = found.end()


def _optional(item: tuple) -> bool:
    """An item that matches nothing wherever it is tried: a repeat that may match no times."""
    op, av = item
    return op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] == 0


def _refers_back(items: object) -> bool:
    if isinstance(items, _sre_parse.SubPattern):
        items = items.data
    if isinstance(items, (list, tuple)):
        if len(items) == 2 and any(items[0] is reference for reference in _REFERENCES):  # opcodes are singletons
            return True
        return any(_refers_back(item) for item in items)
    return False
