"""One spelling per drug: the lowercase INN, without salt forms.

Every drug the extractor reports goes through :func:`normalize_drug` (the evaluation keeps its own
reading of names, ``extractor/evaluation/names.py``). The knowledge lives in data files under
``patterns/`` so a curator can extend it without touching code:

- ``inn_synonyms.tsv`` (columns ``name``, ``inn``, ``note``): USAN/BAN/common/code names -> INN
  (acetaminophen -> paracetamol, rifampin -> rifampicin, 5-FU -> fluorouracil, LOXO-101 -> larotrectinib).
- ``salt_forms.txt``: counter-ion and ester words dropped from the end of a name (imatinib mesylate ->
  imatinib), and ``!``-prefixed exceptions that are never shortened (magnesium citrate).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ...rules import read_lines, read_tsv

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")


@dataclass(frozen=True)
class _Lexicon:
    synonyms: dict[str, str]      # lowercase name -> INN
    compact: dict[str, str]       # name without spaces/hyphens -> INN ("pf02341066")
    salts: frozenset[str]         # counter-ion / ester words
    keep: frozenset[str]          # names never shortened


def _compact(name: str) -> str:
    return re.sub(r"[\s\-]+", "", name)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """Load the two data files once per process."""
    synonyms: dict[str, str] = {}
    for row in read_tsv("inn_synonyms.tsv"):
        name, inn = _clean(row["name"]), _clean(row["inn"])
        if name and inn:
            synonyms[name] = inn
    salts, keep = set(), set()
    for line in read_lines("salt_forms.txt"):
        word = _clean(line)
        if word.startswith("!"):
            keep.add(word[1:].strip())
        elif word:
            salts.add(word)
    compact = {_compact(name): inn for name, inn in synonyms.items()}
    return _Lexicon(synonyms, compact, frozenset(salts), frozenset(keep))


def _fold(name: str) -> str:
    return unicodedata.normalize("NFKC", name).translate(_DASHES).lower()


def _clean(name: str) -> str:
    """Lowercase, NFKC, one kind of dash, single spaces, no surrounding punctuation or brackets."""
    text = _fold(name)
    text = re.sub(r"[()\[\],;:]", " ", text)
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip(" .'\"*")


def letters_and_digits(text: str) -> str:
    """The letters and digits of a text, in order."""
    return "".join(ch for ch in text if ch.isalnum())


def name_skeleton(name: str) -> str:
    """The letters and digits cleaning keeps of a name: those of its NFKC, dash-folded, lower-case form.

    Cleaning after that first step only replaces or drops characters that are no letter or digit, and
    compacting drops spaces and hyphens, so a name, its cleaned and its compact form share a skeleton.
    Tokens joined by spaces have their skeletons joined: a space starts afresh both Unicode
    normalisation and the context lower-casing looks at (final sigma).
    """
    return letters_and_digits(_fold(name))


def listed_skeletons() -> frozenset[str]:
    """The skeletons of every name ``listed_synonym`` knows: a name whose ``name_skeleton`` is none of
    them is not listed (both look-ups of ``_lookup`` compare a form with that skeleton; a compact
    form has the skeleton of its name, so the synonyms give them all)."""
    return frozenset(letters_and_digits(name) for name in _lexicon().synonyms)


def _lookup(name: str, lex: _Lexicon) -> str | None:
    return lex.synonyms.get(name) or lex.compact.get(_compact(name))


def _drop_salts(name: str, lex: _Lexicon) -> str:
    """Drop trailing counter-ion words while the rest is still a drug name, not itself a counter-ion.

    "dexamethasone sodium phosphate" -> "dexamethasone"; "magnesium citrate" stays (the remainder
    "magnesium" is a counter-ion, so the salt *is* the drug); exceptions in the data stay whole.
    """
    words = name.split(" ")
    while len(words) > 1 and words[-1] in lex.salts:
        if " ".join(words) in lex.keep:
            break
        rest = words[:-1]
        if all(w in lex.salts for w in rest):
            break
        words = rest
    return " ".join(words)


@lru_cache(maxsize=65536)
def normalize_drug(name: str) -> str:
    """The lowercase INN for a drug name: synonyms mapped, trailing salt/ester words dropped.

    Synonyms are looked up before and after dropping salt words, so "leucovorin calcium" and
    "calcium folinate" both give "folinic acid". Names the data does not know come back cleaned
    (lowercase, single spaces), which keeps INNs and unknown code names comparable.
    """
    lex = _lexicon()
    text = _clean(name)
    if not text:
        return ""
    if text in lex.keep:
        return text
    found = _lookup(text, lex)
    if found:
        return found
    stripped = _drop_salts(text, lex)
    return _lookup(stripped, lex) or stripped


@lru_cache(maxsize=65536)
def listed_synonym(name: str) -> str | None:
    """The INN when ``name`` itself is listed in inn_synonyms.tsv ("nab-paclitaxel", "5-FU"), else None.

    The drug recogniser uses it to accept a name the dictionary lacks but the synonym data knows.
    """
    text = _clean(name)
    return _lookup(text, _lexicon()) if text else None
