"""Parallel batches: --jobs N gives the records of --jobs 1, in input order, and survives a worker
that crashes or hangs."""

from __future__ import annotations

import json
import os
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pytest
from pdfgen import make_corrupt_pdf, make_pdf

from extractor import extract_many
from extractor.batch import run_parallel
from extractor.cli import main
from extractor.readers import Limits
from extractor.records import Report
from extractor.tasks import BatchOptions, Task

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "reports"


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> list[Path]:
    """The project corpus, a PDF made from one of its reports, bad files and a JSONL of abstracts."""
    folder = tmp_path_factory.mktemp("batch")
    paths = sorted(CORPUS.glob("*"))
    make_pdf((CORPUS / "c03_pelvic_imt_ros1_three_lines.txt").read_text(encoding="utf-8"), folder / "c03.pdf",
             columns=2, header="Imaginary Journal | 2024", author="")
    make_corrupt_pdf(folder / "cut.pdf")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "abstracts.jsonl").write_text("\n".join([
        json.dumps({"id": "a1", "text": "A 12-year-old boy with an LMNA::NTRK1 fusion received larotrectinib."}),
        "not json",
        json.dumps({"id": "a3", "text": "A 70-year-old woman with a CD74::ROS1 fusion was treated with entrectinib."}),
    ]), encoding="utf-8")
    return [*paths, folder, folder / "abstracts.jsonl"]


def as_dicts(reports) -> list[dict]:
    return [r.to_dict() for r in reports]


def test_two_jobs_give_the_records_of_one_job_in_input_order(batch):
    one = as_dicts(extract_many(batch, jobs=1))
    two = as_dicts(extract_many(batch, jobs=2))
    assert two == one
    corpus = [str(p) for p in sorted(CORPUS.glob("*"))]
    sources = [r["source"] for r in one]
    assert len(sources) == len(corpus) + 3 + 3  # three files and three JSONL lines besides the corpus
    assert sources[:len(corpus)] == corpus
    assert sources[-3:] == [f"{batch[-1]}#a1", f"{batch[-1]}:2", f"{batch[-1]}#a3"]
    assert sum(bool(r["errors"]) for r in one) == 3  # cut.pdf, empty.txt and the bad JSONL line


def test_cli_jobs_two_writes_the_file_of_jobs_one(batch, tmp_path):
    out1, out2 = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert main(["extract", *map(str, batch), "-o", str(out1), "--jobs", "1", "-q"]) == 1
    assert main(["extract", *map(str, batch), "-o", str(out2), "--jobs", "2", "-q"]) == 1
    assert out1.read_bytes() == out2.read_bytes()


def unreliable_worker(conn: Connection, model: str | None, options: BatchOptions) -> None:
    """A worker loop that dies on a task named "crash" and never answers one named "hang"."""
    conn.send(("ready", None))
    while (message := conn.recv()) is not None:
        index, task = message
        if "crash" in task.path:
            os._exit(3)
        if "hang" in task.path:
            time.sleep(3600)
        conn.send((index, Report(source=task.path)))


def test_a_crashing_or_hanging_worker_costs_only_its_document():
    tasks = [Task("a"), Task("crash"), Task("b"), Task("hang"), Task("c"), Task("d")]
    options = BatchOptions(Limits(timeout=0.1))
    reports = list(run_parallel(tasks, options, jobs=2, target=unreliable_worker))
    assert [r.source for r in reports] == ["a", "crash", "b", "hang", "c", "d"]
    assert [bool(r.errors) for r in reports] == [False, True, False, True, False, False]
    assert "ended unexpectedly (exit code 3)" in reports[1].errors[0]
    # The message of the in-process time limit, so --jobs 1 and --jobs N say the same.
    assert reports[3].errors[0].startswith("hang: stopped after 0.1 s (the time limit)")


def test_the_batch_modules_do_not_import_the_api():
    """The dependency runs one way: api uses the batch modules, none of them imports api."""
    import ast

    package = ROOT / "extractor"
    for name in ("batch", "dask_runner", "tasks", "inputs", "output", "summary", "extraction"):
        tree = ast.parse((package / f"{name}.py").read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 1}
        assert "api" not in imported, f"extractor/{name}.py imports extractor.api"
