"""The two engines of a batch side by side, and whether a streamed run's memory stays flat.

    pip install ".[bench]" && PYTHONPATH=. python benchmarks/batch_engines.py [--docs 2000] [--repeat 3]

On copies of the corpus texts (``--docs`` reports of about 4,000 characters), it prints

1. reports/s of ``casetable extract DIR -o out.jsonl`` with the local process pool (``--jobs 2``)
   and with ``--scheduler`` on a dask.distributed LocalCluster of 2 worker processes (1 thread
   each): the first run on a new cluster (its workers build the pipeline) and a later one (warm);
   the cluster's own start-up is timed apart. Each run is a fresh ``casetable`` process, start-up
   included; medians of ``--repeat`` runs;
2. peak memory (RSS of the ``casetable`` process alone; RSS and PSS summed over it, the fork server
   and the workers) for a quarter of the batch and for all of it, with ``--jobs 1`` and ``--jobs 2``:
   records are streamed to the output, not held, so the two should be about the same.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from distributed import LocalCluster

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from machine import checkout_env, load_line  # noqa: E402
from throughput import batch_memory  # noqa: E402

ENV = checkout_env()


def make_batch(folder: Path, docs: int) -> Path:
    texts = sorted((ROOT / "corpus" / "reports").glob("*.txt"))
    batch = folder / "texts"
    batch.mkdir()
    for i in range(docs):
        shutil.copy(texts[i % len(texts)], batch / f"{i:05d}_{texts[i % len(texts)].name}")
    return batch


def extract_command(batch: Path, out: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "extractor.cli", "extract", str(batch), "-o", str(out), "-q", *options]


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def engines(batch: Path, docs: int, repeat: int) -> dict[str, float]:
    out = batch.parent / "out.jsonl"
    pool = [seconds(extract_command(batch, out, "--jobs", "2")) for _ in range(repeat)]
    pool_output = out.read_bytes()
    result = {"documents": docs, "pool_reports_s": docs / statistics.median(pool)}
    cold, warm, start_up = [], [], []
    for _ in range(repeat):
        started = time.perf_counter()
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=40) as cluster:
            start_up.append(time.perf_counter() - started)
            command = extract_command(batch, out, "--scheduler", cluster.scheduler_address)
            cold.append(seconds(command))
            warm.append(seconds(command))
    if out.read_bytes() != pool_output:
        raise RuntimeError("the Dask run wrote other records than the process pool")
    result.update({"dask_cluster_start_s": statistics.median(start_up),
                   "dask_first_run_reports_s": docs / statistics.median(cold),
                   "dask_warm_reports_s": docs / statistics.median(warm)})
    result["dask_warm_vs_pool"] = result["dask_warm_reports_s"] / result["pool_reports_s"]
    return result


def memory(batch: Path, docs: int, repeat: int) -> dict[str, float]:
    files = sorted(batch.iterdir())
    return batch_memory({docs // 4: files[:docs // 4], docs: files}, batch.parent / "mem.jsonl", repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000, help="reports in the batch")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure")
    parser.add_argument("--only", choices=["engines", "memory"], help="one part of the benchmark")
    args = parser.parse_args()
    print(load_line(cores=True), flush=True)
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        batch = make_batch(Path(tmp), args.docs)
        if args.only in (None, "engines"):
            figures["engines"] = engines(batch, args.docs, args.repeat)
            print(json.dumps(figures["engines"]), flush=True)
        if args.only in (None, "memory"):
            figures["memory"] = memory(batch, args.docs, args.repeat)
            print(json.dumps(figures["memory"]), flush=True)
    print(load_line())
    print("\n".join(f"{part}.{key}: {value:.3g}" for part, values in figures.items() for key, value in values.items()))


if __name__ == "__main__":
    main()
