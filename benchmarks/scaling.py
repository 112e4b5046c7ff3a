"""How casetable's time grows with the length of a document, and what a small batch pays to start.

    PYTHONPATH=. python benchmarks/scaling.py [--repeat 3] [--only length|small]

1. Length: the project's text reports joined into one document (about 40,000 characters), repeated
   1 to 32 times. For each length: the extraction time with the pipeline built (in one process that
   does nothing else; wall and CPU) and the ratio of the CPU time to 1x's, which stays near the
   multiple when the cost is linear;
   and ``casetable extract`` on the document as a file, start-up included: wall time and peak RSS.
2. Small batches: ``casetable extract`` on 100 short reports (copies of the corpus texts) with
   the default ``--jobs``, ``--jobs 1`` and ``--jobs 2``, taking turns; and on one short report.

Each figure is the median of ``--repeat`` runs. ``benchmarks/throughput.py`` prints these beside
its own figures. Timings on a shared machine are noisy: run it when the load (``uptime``) is low.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from machine import checkout_env, load_line, run_sampled

ROOT = Path(__file__).resolve().parents[1]
MULTIPLES = (1, 2, 4, 8, 16, 32)
SMALL_BATCH = 100
_MAX_CHARS = str(2**21)  # the 32x document is longer than the default limit of 1,000,000 characters

# The extraction side, in a process of its own: the pipeline built and warmed, then each document
# of argv extracted ``repeat`` times; prints the median wall and CPU seconds of each (the CPU time
# counts only this process's work, which other work on a shared machine does not stretch).
_EXTRACT_SIDE = """
import json, statistics, sys, time
from extractor.api import extract_text
from extractor.readers import Limits
from extractor.batch import warm_pipeline
nlp = warm_pipeline()
repeat, paths = int(sys.argv[1]), sys.argv[2:]
limits = Limits(max_chars=2**21, timeout=None)
medians = []
for path in paths:
    text = open(path, encoding="utf-8").read()
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        report = extract_text(text, nlp=nlp, limits=limits)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        assert not report.errors, report.errors
    medians.append((statistics.median(walls), statistics.median(cpus)))
print(json.dumps(medians))
"""


def run_cli(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user and system) and peak RSS in MB (the largest process) of
    ``casetable`` in a fresh process, over its whole process tree, sampled every 20 ms."""
    usage = run_sampled([sys.executable, "-m", "extractor.cli", *args], 0.02)
    return usage.wall, usage.cpu, usage.largest_rss / 2**20


def corpus_texts() -> list[Path]:
    return sorted((ROOT / "corpus" / "reports").glob("*.txt"))


def length_curve(folder: Path, repeat: int) -> dict[str, float]:
    unit = "\n\n".join(path.read_text(encoding="utf-8") for path in corpus_texts())
    documents = []
    for multiple in MULTIPLES:
        document = folder / f"joined_{multiple}x.txt"
        document.write_text("\n\n".join([unit] * multiple), encoding="utf-8")
        documents.append(document)
    output = subprocess.run([sys.executable, "-c", _EXTRACT_SIDE, str(repeat), *map(str, documents)],
                            env=checkout_env(), check=True, capture_output=True, text=True).stdout
    seconds = json.loads(output.strip().splitlines()[-1])
    result: dict[str, float] = {}
    for multiple, document, (wall, cpu) in zip(MULTIPLES, documents, seconds):
        runs = [run_cli(["extract", str(document), "-o", str(folder / "out.jsonl"), "--max-chars", _MAX_CHARS,
                         "--jobs", "1", "-q"]) for _ in range(repeat)]
        result[f"{multiple}x_kb"] = document.stat().st_size / 1000
        result[f"{multiple}x_extract_s"] = wall
        result[f"{multiple}x_extract_cpu_s"] = cpu
        result[f"{multiple}x_cpu_ratio_to_1x"] = cpu / seconds[0][1]
        result[f"{multiple}x_cli_wall_s"] = statistics.median(r[0] for r in runs)
        result[f"{multiple}x_cli_cpu_s"] = statistics.median(r[1] for r in runs)
        result[f"{multiple}x_cli_peak_rss_mb"] = statistics.median(r[2] for r in runs)
    return result


def small_batch(folder: Path, repeat: int) -> dict[str, float]:
    batch = folder / "short_batch"
    batch.mkdir()
    texts = corpus_texts()
    for i in range(SMALL_BATCH):
        source = texts[i % len(texts)]
        (batch / f"{i:03d}_{source.name}").write_bytes(source.read_bytes())
    out = str(folder / "out.jsonl")
    settings = {"default_jobs": [], "jobs1": ["--jobs", "1"], "jobs2": ["--jobs", "2"]}
    walls: dict[str, list[float]] = {name: [] for name in settings}
    for _ in range(repeat):  # taking turns, so that a change in the machine's load touches all alike
        for name, jobs in settings.items():
            walls[name].append(run_cli(["extract", str(batch), "-o", out, "-q", *jobs])[0])
    result = {f"short{SMALL_BATCH}_{name}_s": statistics.median(times) for name, times in walls.items()}
    result["default_speed_vs_jobs1"] = (result[f"short{SMALL_BATCH}_jobs1_s"]
                                        / result[f"short{SMALL_BATCH}_default_jobs_s"])
    result["one_short_report_s"] = statistics.median(
        run_cli(["extract", str(texts[0]), "-o", out, "-q"])[0] for _ in range(repeat))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure")
    parser.add_argument("--only", choices=["length", "small"], help="one part of the benchmark")
    args = parser.parse_args()
    print(load_line(cores=True), flush=True)
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "length"):
            figures["length"] = length_curve(Path(tmp), args.repeat)
        if args.only in (None, "small"):
            figures["small"] = small_batch(Path(tmp), args.repeat)
    print(load_line())
    print("\n".join(f"{part}.{key}: {value:.3g}" for part, values in figures.items() for key, value in values.items()))


if __name__ == "__main__":
    main()
