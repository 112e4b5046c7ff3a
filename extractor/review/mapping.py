"""A registry's import template as a YAML mapping: which columns, in which order, under which names,
with which values.

    columns:
      - Source                      # kept as it is
      - column: Sex                 # a column of the reviewed table
        name: SEX                   # the registry's name for it
        values: {male: M, female: F}  # value map; case-insensitive; other values kept

Only the listed columns are written, in the listed order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

_KEYS = {"column", "name", "values"}


@dataclass(frozen=True)
class ColumnMap:
    column: str
    name: str
    values: dict[str, str] = field(default_factory=dict)

    def apply(self, series: pd.Series) -> pd.Series:
        if not self.values:
            return series
        lookup = {str(k).lower(): v for k, v in self.values.items()}
        return series.map(lambda v: lookup.get(str(v).lower(), v) if isinstance(v, str) else v)


@dataclass(frozen=True)
class Mapping:
    columns: list[ColumnMap]

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        missing = [c.column for c in self.columns if c.column not in frame.columns]
        if missing:
            raise ValueError(f"mapping names column(s) the reviewed table lacks: {', '.join(missing)}; "
                             f"the table has: {', '.join(frame.columns)}")
        return pd.DataFrame({c.name: c.apply(frame[c.column]) for c in self.columns}, index=frame.index)


def _column(entry: Any, where: str) -> ColumnMap:
    if isinstance(entry, str):
        return ColumnMap(entry, entry)
    if not isinstance(entry, dict) or not isinstance(entry.get("column"), str):
        raise ValueError(f"{where}: each entry of 'columns' is a column name or a mapping with 'column:'")
    unknown = set(entry) - _KEYS
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}: "
                         f"use {', '.join(sorted(_KEYS))}")
    values = entry.get("values") or {}
    if not isinstance(values, dict) or any(isinstance(v, (dict, list)) for v in values.values()):
        raise ValueError(f"{where}: 'values' maps each value to one replacement, e.g. {{male: M}}")
    name = entry.get("name", entry["column"])
    return ColumnMap(entry["column"], str(name), {str(k): "" if v is None else str(v) for k, v in values.items()})


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; errors name the entry and say what to write."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: not valid YAML ({error})") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("columns"), list) or not raw["columns"]:
        raise ValueError(f"{path}: a mapping holds a non-empty list 'columns:' (see casetable export --help)")
    extra = set(raw) - {"columns"}
    if extra:
        raise ValueError(f"{path}: unknown key(s) {', '.join(sorted(map(str, extra)))}: only 'columns' is read")
    columns = [_column(entry, f"{path}: columns[{i}]") for i, entry in enumerate(raw["columns"])]
    names = [c.name for c in columns]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"{path}: column name(s) given twice: {', '.join(repeated)}")
    return Mapping(columns)
