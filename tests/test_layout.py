"""The layout holds: each field declared once and filled by its picker, scored by the evaluation,
components ordered by what they assign and require, one-way imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from spacy.language import Language

import extractor
from extractor.evaluation.fields import MATCHERS
from extractor.pickers import picker_of
from extractor.pipeline import component_order, default_pipeline
from extractor.records import Patient, Report, Treatment, columns, picked_fields, table_columns

PACKAGE = Path(extractor.__file__).resolve().parent


def test_every_picked_field_has_a_picker():
    default_pipeline()  # imports the fields, which register their pickers
    for record in (Patient, Report):
        for name in picked_fields(record):
            assert callable(picker_of(record, name)), f"{record.__name__}.{name}"


def test_a_declared_field_without_a_picker_fails_loudly():
    class Staged(Patient):  # a record class that declares a field no module picks
        pass
    with pytest.raises(LookupError, match=r"no picker fills Staged.tumour_stage: register one with"):
        picker_of(Staged, "tumour_stage")


def test_every_table_column_of_a_patient_or_line_is_scored():
    scored = set(MATCHERS) | {"age_years", "drug"}
    for record in (Patient, Treatment):
        for name, column, _ in columns(record, values_only=True):
            assert name in scored, f"{record.__name__}.{name} ({column}) has no matcher in extractor/evaluation/fields.py"


def test_no_table_column_is_empty_on_the_project_corpus(corpus_dir):
    """A field declared but never filled shows here, not as an empty spreadsheet column."""
    table = extractor.extract_table([corpus_dir])
    assert list(table.columns) == table_columns()
    empty = [c for c in table.columns if table[c].dropna().empty]
    assert empty == []


def test_pipeline_analysis_reports_no_missing_provider():
    analysis = default_pipeline().analyze_pipes(pretty=False)
    assert all(problems == [] for problems in analysis["problems"].values()), analysis["problems"]


def test_component_order_follows_requires_and_names_a_missing_provider():
    @Language.factory("test_needs_doses", requires=["doc._.ct_doses"])
    def needs_doses(nlp, name):
        return lambda doc: doc

    order = component_order(["test_needs_doses", "casetable_doses", "casetable_drugs"], provided=set())
    assert order.index("casetable_drugs") < order.index("casetable_doses") < order.index("test_needs_doses")
    with pytest.raises(ValueError, match="test_needs_doses requires doc._.ct_doses, which no component assigns"):
        component_order(["test_needs_doses"], provided=set())


def _imports(path: Path) -> set[str]:
    """Modules of the package a file imports (absolute names)."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package if node.level else ""
            name = ".".join(p for p in (base, node.module or "") if p)
            if name.startswith("extractor"):
                found.add(name)
                found.update(f"{name}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("extractor"))
    return found


def _graph() -> dict[str, set[str]]:
    files = {".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): p
             for p in PACKAGE.rglob("*.py")}
    return {module: {m for m in _imports(path) if m in files and m != module} for module, path in files.items()}


def test_no_import_cycle_in_the_package():
    graph = _graph()
    state: dict[str, int] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                raise AssertionError("import cycle: " + " -> ".join(trail[trail.index(target):] + [target]))
            if target not in state:
                visit(target, trail + [target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


def test_assembly_does_not_import_a_recogniser():
    graph = _graph()
    for module in ("extractor.assemble", "extractor.lines"):
        assert not {m for m in graph[module] if m.startswith("extractor.fields")}, module
