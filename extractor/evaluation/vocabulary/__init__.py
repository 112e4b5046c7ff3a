"""The evaluation's own vocabulary, read from the data files beside this module."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")


def lines(name: str) -> list[str]:
    """Non-empty lines of a data file, without # comment lines."""
    text = (HERE / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def rows(name: str) -> list[dict[str, str]]:
    """Rows of a TSV data file whose first line names the columns."""
    header, *body = lines(name)
    columns = header.split("\t")
    return [dict(zip(columns, line.split("\t"))) for line in body]


@dataclass(frozen=True)
class SiteVocabulary:
    stop: frozenset[str]
    laterality: frozenset[str]
    modifiers: frozenset[str]  # laterality and position words
    synonyms: dict[str, str]


@lru_cache(maxsize=1)
def site_vocabulary() -> SiteVocabulary:
    by_role: dict[str, set[str]] = {}
    synonyms = {}
    for row in rows("site_words.tsv"):
        by_role.setdefault(row["role"], set()).add(row["word"])
        if row["role"] == "synonym":
            synonyms[row["word"]] = row["means"]
    laterality = frozenset(by_role["laterality"])
    return SiteVocabulary(frozenset(by_role["stop"]), laterality, laterality | by_role["modifier"], synonyms)


@lru_cache(maxsize=1)
def number_words() -> dict[str, int]:
    return {row["word"]: int(row["value"]) for row in rows("number_words.tsv")}
