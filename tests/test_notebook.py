"""The walkthrough notebook runs from top to bottom (CI executes it, so it cannot rot)."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"


def test_walkthrough_notebook_executes(monkeypatch):
    # The kernel is a new process: let it import this checkout's package even when not installed.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    notebook = nbformat.read(NOTEBOOKS / "walkthrough.ipynb", as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "11 reports, 13 patients, 0 with errors" in printed
    assert "page:" in printed


def test_reviewer_notebook_draws_its_figures(monkeypatch, tmp_path):
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("CASETABLE_FIGURES", str(tmp_path))
    notebook = nbformat.read(NOTEBOOKS / "reviewer.ipynb", as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 4
    figures = {"responses_by_gene.png", "swimmer.png", "ages.png", "prisma.png"}
    assert {p.name for p in tmp_path.glob("*.png")} == figures
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    # corpus/: 11 reports, 13 patients (corpus/gold.jsonl), every one with a patient
    assert "PRISMA: 11 documents, 0 failed, 11 with a patient, 13 patients" in printed
