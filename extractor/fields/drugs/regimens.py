"""Regimen acronyms: "R-CHOP" is rituximab, cyclophosphamide, doxorubicin, vincristine and prednisone.

Case reports name a combination by its acronym more often than by its drugs, so an acronym read as
a word would lose every line of the regimen. The acronyms and their members are data
(patterns/regimens.tsv, patterns/regimen_cues.txt); this module only reads a token against them:

- a listed acronym as written, or in any case when the text writes it with two capitals or more
  ("GemOx" = GEMOX; "Beam" and "chop" are words);
- a joined acronym ("R-THP-COP", "VCD/PAD", "R-ICE") part by part, each part the longest listed run
  of pieces ("DA-EPOCH-R": DA-EPOCH and R), when every part is listed and one of them is a
  regimen, not only a prefix such as R (rituximab);
- an acronym that is also a common abbreviation or word (EP, PE, AC, GP, ICE) only beside a cue:
  "the EP regimen", "two cycles of ICE";
- an unlisted acronym beside a cue ("the Dd-PACE regimen") as a regimen whose members are unknown,
  so that what the text says the patient had is kept rather than dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ...rules import read_lines, read_tsv, row_format

REGIMEN_ROW = row_format("acronym members use", "note", use="alone cued part")
_JOINERS = re.compile(r"[-/]")
_ACRONYM = re.compile(r"[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*")


@dataclass(frozen=True)
class Regimen:
    """A regimen acronym as written, and its members: each member's INNs, the usual one first
    ("prednisone", "prednisolone"); no members when the acronym is not listed."""

    acronym: str
    members: tuple[tuple[str, ...], ...]

    def named(self, inns: set[str]) -> list[str]:
        """The members the document names elsewhere, each as the text names it. Review tables, and
        the project's gold, expand an acronym only into the drugs the text names: "R-CHOP, which
        includes rituximab, cyclophosphamide, doxorubicin, vincristine and steroids" has no prednisone."""
        return [next(inn for inn in member if inn in inns) for member in self.members
                if any(inn in inns for inn in member)]


@dataclass(frozen=True)
class _Entry:
    members: tuple[tuple[str, ...], ...]
    use: str


def may_be_acronym(text: str) -> bool:
    """Two capitals or more: how a regimen acronym is written ("R-CHOP", "GemOx"; not "chop", "Beam")."""
    return sum(char.isupper() for char in text) >= 2


class RegimenTable:
    """patterns/regimens.tsv and the cue words of patterns/regimen_cues.txt."""

    def __init__(self, table_file: str, cues_file: str):
        self.entries: dict[str, _Entry] = {}
        for row in read_tsv(table_file, REGIMEN_ROW):
            members = tuple(tuple(member.split("|")) for member in row["members"].split("+"))
            self.entries[row["acronym"]] = _Entry(members, row["use"])
        self.folded = {acronym.upper(): entry for acronym, entry in self.entries.items()}
        # The most pieces a listed acronym is written in ("DA-EPOCH": 2): no longer run is tried.
        self.most_pieces = max((len(_JOINERS.split(acronym)) for acronym in self.entries), default=1)
        cues = list(read_lines(cues_file))
        self.cues_after = frozenset(c for c in cues if not c.startswith(">"))
        self.cues_before = tuple(c[1:].strip() for c in cues if c.startswith(">"))
        self.resolve = lru_cache(maxsize=4096)(self._resolve)

    def read(self, texts: list[str], i: int) -> Regimen | None:
        """The regimen token ``i`` of a sentence's or document's token texts names, if it names one."""
        text = texts[i]
        if not may_be_acronym(text) or not _ACRONYM.fullmatch(text):
            return None
        found = self.resolve(text)
        if found is not None and not found[1]:
            return Regimen(text, found[0])
        if self._cued(texts, i):
            return Regimen(text, found[0] if found is not None else ())
        return None

    def _resolve(self, text: str) -> tuple[tuple[tuple[str, ...], ...], bool] | None:
        """(members, whether a cue is needed) of a listed or joined acronym; None when not listed."""
        entry = self._entry(text)
        if entry is not None:
            return (entry.members, entry.use == "cued") if entry.use != "part" else None
        parts = self._parts(text)
        if parts is None or len(parts) < 2 or all(part.use == "part" for part in parts):
            return None
        members = dict.fromkeys(member for part in parts for member in part.members)
        return tuple(members), False

    def _parts(self, text: str) -> list[_Entry] | None:
        """The listed acronyms a joined one is made of, left to right, each the longest listed run of
        its pieces ("DA-EPOCH-R" is DA-EPOCH and R, not DA, EPOCH and R); None when a piece is in none."""
        pieces = _JOINERS.split(text)
        joiners = _JOINERS.findall(text)
        parts: list[_Entry] = []
        start = 0
        while start < len(pieces):
            for end in range(min(len(pieces), start + self.most_pieces), start, -1):
                written = pieces[start] + "".join(joiners[k] + pieces[k + 1] for k in range(start, end - 1))
                entry = self._entry(written)
                if entry is not None:
                    break
            else:
                return None
            parts.append(entry)
            start = end
        return parts

    def _entry(self, text: str) -> _Entry | None:
        """The listed acronym as written, or as folded when the text writes two capitals or more."""
        return self.entries.get(text) or (self.folded.get(text.upper()) if may_be_acronym(text) else None)

    def _cued(self, texts: list[str], i: int) -> bool:
        after = texts[i + 1].lower() if i + 1 < len(texts) else ""
        before = " ".join(texts[max(0, i - 2):i]).lower()
        return after in self.cues_after or any(before.endswith(cue) for cue in self.cues_before)
