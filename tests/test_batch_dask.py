"""A batch sent to a real Dask cluster (a dask.distributed LocalCluster of two worker processes)
writes the bytes a local run writes, in input order, bad files included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pdfgen import make_corrupt_pdf

from extractor import extract_many
from extractor.cli import main

distributed = pytest.importorskip("distributed", reason='the Dask extra is not installed: pip install ".[dask]"')

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "reports"


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as local:
        yield local


@pytest.fixture
def batch(tmp_path: Path) -> list[Path]:
    make_corrupt_pdf(tmp_path / "cut.pdf")
    (tmp_path / "abstracts.jsonl").write_text("\n".join([
        json.dumps({"id": "a1", "text": "A 12-year-old boy with an LMNA::NTRK1 fusion received larotrectinib."}),
        "not json",
    ]), encoding="utf-8")
    return [CORPUS, tmp_path / "cut.pdf", tmp_path / "abstracts.jsonl"]


def test_a_dask_cluster_writes_the_output_of_a_local_run(cluster, batch, tmp_path):
    local, remote = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    arguments = ["extract", *map(str, batch), "-q"]
    assert main([*arguments, "-o", str(local), "--jobs", "1"]) == 1
    assert main([*arguments, "-o", str(remote), "--scheduler", cluster.scheduler_address]) == 1
    assert remote.read_bytes() == local.read_bytes()
    sources = [json.loads(line)["source"] for line in remote.read_text(encoding="utf-8").splitlines()]
    assert sources[:len(list(CORPUS.iterdir()))] == [str(p) for p in sorted(CORPUS.iterdir())]
    assert sources[-3:] == [str(batch[1]), f"{batch[2]}#a1", f"{batch[2]}:2"]


def test_each_worker_builds_the_pipeline_once(cluster, batch):
    reports = list(extract_many(batch[:1], scheduler=cluster.scheduler_address))
    assert len(reports) == len(list(CORPUS.iterdir()))
    with distributed.Client(cluster.scheduler_address) as client:
        built = client.run(lambda: list(__import__("extractor.dask_runner").dask_runner._pipelines))
    assert sorted(built.values()) == [[None], [None]]  # one default pipeline in each of the two workers


def test_an_unreachable_scheduler_is_one_line_of_usage_error(batch, capsys):
    assert main(["extract", str(batch[1]), "--scheduler", "tcp://127.0.0.1:9", "-q"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
