"""Access to the rule data under patterns/ (JSONL, TSV, TXT), wherever the package is installed,
and its validation when loaded.

The pyproject maps the repository's top-level ``patterns/`` directory to the package
``extractor.patterns``; running from a checkout without installing falls back to the directory.

A module that reads a rule file says what a row holds (``RowFormat``: its keys and the values a key
may take), as medspaCy's ``ConTextRule`` checks its arguments: a misspelt key, direction or
category is an error that names the file and line, not a rule that silently does something else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any, Iterator, Mapping


class RuleFileError(ValueError):
    """A rule file under patterns/ holds a row its reader does not understand."""


@dataclass(frozen=True)
class RowFormat:
    """What a row of a rule file holds: the keys it must have, those it may have, and for some keys
    the values they may take (for a TSV column holding several words, each word)."""

    required: frozenset[str]
    optional: frozenset[str] = frozenset()
    choices: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def check_keys(self, keys: set[str], where: str) -> None:
        unknown = sorted(keys - self.required - self.optional)
        if unknown:
            raise RuleFileError(f"{where}: unknown key {unknown[0]!r}; a row holds "
                                f"{', '.join(sorted(self.required | self.optional))}")
        absent = sorted(self.required - keys)
        if absent:
            raise RuleFileError(f"{where}: {absent[0]!r} is missing")

    def check(self, row: Mapping[str, Any], where: str) -> None:
        self.check_keys(set(row), where)
        missing = sorted(k for k in self.required if row.get(k) in (None, ""))
        if missing:
            raise RuleFileError(f"{where}: {missing[0]!r} is missing")
        for key, allowed in self.choices.items():
            value = row.get(key)
            for word in (str(value).split() if isinstance(value, str) else [value]) if value not in (None, "") else []:
                if str(word) not in allowed:
                    raise RuleFileError(f"{where}: {key} {word!r} is not one of {', '.join(sorted(allowed))}")


def row_format(required: str, optional: str = "", **choices: str) -> RowFormat:
    """A RowFormat from space-separated names: ``row_format("literal category", "weak", category="A B")``."""
    return RowFormat(frozenset(required.split()), frozenset(optional.split()),
                     {key: frozenset(values.split()) for key, values in choices.items()})


@lru_cache(maxsize=1)
def patterns_dir() -> Traversable:
    try:
        root = resources.files("extractor.patterns")
        if root.joinpath("sections.jsonl").is_file():
            return root
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "patterns"


def pattern_file(name: str) -> Traversable:
    path = patterns_dir().joinpath(name)
    if not path.is_file():
        raise FileNotFoundError(
            f"rule data file patterns/{name} is missing: reinstall casetable (pip install .) "
            "or restore it from the repository"
        )
    return path


def read_jsonl(name: str, row: RowFormat | None = None) -> list[dict[str, Any]]:
    """Rows of a JSONL rule file, each checked against ``row``; blank lines and lines starting
    with // are skipped."""
    rows = []
    for number, line in enumerate(pattern_file(name).read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        where = f"patterns/{name}, line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise RuleFileError(f"{where}: not a JSON object ({error.msg})") from None
        if row is not None:
            row.check(data, where)
        rows.append(data)
    return rows


def _numbered_lines(name: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(pattern_file(name).read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].rstrip() if not line.startswith("#") else ""
        if line.strip():
            yield number, line


def read_lines(name: str) -> Iterator[str]:
    """Non-empty lines of a TXT/TSV rule file, without # comments."""
    return (line for _, line in _numbered_lines(name))


def read_tsv(name: str, row: RowFormat | None = None) -> list[dict[str, str]]:
    """Rows of a TSV rule file whose first non-comment line names the columns, each checked
    against ``row`` (a row with more cells than columns is an error)."""
    (_, header_line), *lines = list(_numbered_lines(name))
    header = header_line.split("\t")
    if row is not None:
        row.check_keys(set(header), f"patterns/{name}, header")
    rows = []
    for number, line in lines:
        cells = line.split("\t")
        where = f"patterns/{name}, line {number}"
        if len(cells) > len(header):
            raise RuleFileError(f"{where}: {len(cells)} cells for the {len(header)} columns {', '.join(header)}")
        data = dict(zip(header, cells))
        if row is not None:
            row.check(data, where)
        rows.append(data)
    return rows
