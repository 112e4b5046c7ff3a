"""The YAML mapping from the reviewed table to a registry's import template."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from extractor.review.mapping import load_mapping

TABLE = pd.DataFrame({"Source": ["a.pdf", "b.txt", "c.txt"], "Sex": ["male", "Female", None],
                      "Age": ["41", "0.5", None], "Drug": ["crizotinib", "lorlatinib", None]})


def _mapping(tmp_path: Path, text: str):
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    return load_mapping(path)


def test_mapping_selects_orders_renames_and_maps_values(tmp_path: Path) -> None:
    mapping = _mapping(tmp_path, """
columns:
  - column: Sex
    name: SEX
    values: {male: M, female: F}
  - Source
  - {column: Age, name: AGE_YEARS}
""")
    out = mapping.apply(TABLE)
    assert list(out.columns) == ["SEX", "Source", "AGE_YEARS"]
    # Value keys match whatever the case ("Female" -> F); an empty value stays empty.
    assert out["SEX"].tolist()[:2] == ["M", "F"] and pd.isna(out["SEX"].iloc[2])
    assert out["AGE_YEARS"].tolist()[:2] == ["41", "0.5"]
    assert "Drug" not in out.columns


def test_values_the_map_does_not_name_are_kept(tmp_path: Path) -> None:
    mapping = _mapping(tmp_path, "columns:\n  - {column: Drug, values: {crizotinib: CRZ}}\n")
    assert mapping.apply(TABLE)["Drug"].tolist()[:2] == ["CRZ", "lorlatinib"]


def test_a_value_can_map_to_empty(tmp_path: Path) -> None:
    mapping = _mapping(tmp_path, "columns:\n  - {column: Sex, values: {male: null}}\n")
    assert mapping.apply(TABLE)["Sex"].tolist()[0] == ""


@pytest.mark.parametrize("text, message", [
    ("columns: [Source, Sex]\nsheet: x\n", "unknown key.*sheet"),
    ("columns: []\n", "non-empty list 'columns:'"),
    ("- Source\n", "non-empty list 'columns:'"),
    ("columns:\n  - {name: X}\n", r"columns\[0\].*'column:'"),
    ("columns:\n  - {column: Sex, rename: X}\n", r"columns\[0\]: unknown key.*rename"),
    ("columns:\n  - {column: Sex, values: [M, F]}\n", "maps each value to one replacement"),
    ("columns: [Source, {column: Sex, name: Source}]\n", "given twice: Source"),
    ("columns: [Source\n", "not valid YAML"),
])
def test_bad_mappings_say_what_to_write(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _mapping(tmp_path, text)


def test_a_column_the_table_lacks_is_named_with_those_it_has(tmp_path: Path) -> None:
    mapping = _mapping(tmp_path, "columns: [Source, Gender]\n")
    with pytest.raises(ValueError, match="lacks: Gender; the table has: Source, Sex, Age, Drug"):
        mapping.apply(TABLE)
