"""Drug names as the evaluation compares them: the lowercase INN, without salt forms.

The corpus README's conventions: names compare after salt forms are dropped ("imatinib mesylate" =
imatinib) and USAN/BAN and code names are mapped to the INN (acetaminophen = paracetamol, LOXO-101
= larotrectinib). The words are the evaluation's own data (``vocabulary/``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .vocabulary import DASHES, lines, rows


def _clean(name: str) -> str:
    """Lowercase NFKC, one kind of dash, no brackets or list punctuation, single spaces."""
    text = unicodedata.normalize("NFKC", name).translate(DASHES).lower()
    text = re.sub(r"\s+", " ", re.sub(r"\s*-\s*", "-", re.sub(r"[()\[\],;:]", " ", text)))
    return text.strip(" .'\"*")


def _compact(name: str) -> str:
    return re.sub(r"[\s\-]+", "", name)


@lru_cache(maxsize=1)
def _synonyms() -> tuple[dict[str, str], dict[str, str]]:
    """Cleaned name -> INN, and the same by compact name ("pf02341066")."""
    table = {name: inn for row in rows("drug_synonyms.tsv")
             if (name := _clean(row["name"])) and (inn := _clean(row["inn"]))}
    return table, {_compact(name): inn for name, inn in table.items()}


def _listed(name: str) -> str | None:
    by_name, by_compact = _synonyms()
    return by_name.get(name) or by_compact.get(_compact(name))


@lru_cache(maxsize=1)
def _salts() -> tuple[frozenset[str], frozenset[str]]:
    """Counter-ion words, and the names never shortened (``!`` lines)."""
    words = [_clean(line) for line in lines("salt_forms.txt")]
    salts = frozenset(w for w in words if w and not w.startswith("!"))
    return salts, frozenset(w[1:].strip() for w in words if w.startswith("!"))


@lru_cache(maxsize=65536)
def normalize_drug(name: str) -> str:
    """The INN of a name: a listed synonym, else the name without trailing counter-ion words (while
    what is left is not itself a counter-ion: magnesium citrate stays), looked up again."""
    text = _clean(name)
    salts, keep = _salts()
    if not text or text in keep:
        return text
    found = _listed(text)
    if found:
        return found
    words = text.split(" ")
    while len(words) > 1 and words[-1] in salts and " ".join(words) not in keep and not set(words[:-1]) <= salts:
        words = words[:-1]
    text = " ".join(words)
    return _listed(text) or text
