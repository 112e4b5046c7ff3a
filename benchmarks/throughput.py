"""Throughput and memory of casetable against the cost of reading the PDF, in one run.

    PYTHONPATH=. python benchmarks/throughput.py [--repeat 3] [--docs 200]

On PDFs generated from the project's own corpus (tests/pdfgen.py: two columns, running header,
page numbers, a figure caption, hyphenated line ends, embedded fonts), it prints

1. pdfminer.six ``extract_text`` pages/s (default LAParams, and casetable's LAParams), in a
   process that runs pdfminer alone;
2. casetable end-to-end pages/s (read + pipeline + records, one process, pipeline built and
   warmed as the CLI has it) and its ratio to (1); the two take turns;
3. text reports/s with ``--jobs 1`` and ``--jobs 2`` (``extract_many`` on copies of the corpus
   texts, in a fresh process each time): overall, start-up included, the steady rate after
   the first report, and the start-up (seconds to the first report);
4. peak memory (RSS and PSS, summed over the process, the fork server and the workers) of
   ``casetable extract`` on a batch of ``--docs`` PDFs and on a quarter of it, to show whether it
   grows with the batch;
5. the length-scaling curve (a document at 1x to 32x its length) and the times of a small batch
   (100 short reports with the default ``--jobs``, ``--jobs 1`` and ``--jobs 2``): see
   ``benchmarks/scaling.py``.

Each figure is the median of ``--repeat`` runs (``--pdf-turns`` for the PDF comparison). Timings
on a shared machine are noisy: run it when the load (``uptime``) is low.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from machine import checkout_env, load_line, run_sampled  # noqa: E402
from pdfgen import make_pdf  # noqa: E402
from scaling import length_curve, small_batch  # noqa: E402

CAPTION = "Figure 1. Imaging before treatment and at the first evaluation of the response."
HEADER = "Annals of Imaginary Oncology | Case Reports"


def make_inputs(folder: Path) -> tuple[list[Path], list[Path]]:
    """The corpus texts and a two-column PDF of each."""
    texts = sorted((ROOT / "corpus" / "reports").glob("*.txt"))
    pdfs = [make_pdf(t.read_text(encoding="utf-8"), folder / f"{t.stem}.pdf", columns=2, header=HEADER,
                     captions=[CAPTION], hyphenate=True, author="") for t in texts]
    return texts, pdfs


def pages(pdfs: list[Path]) -> int:
    from pdfminer.pdfpage import PDFPage

    total = 0
    for pdf in pdfs:
        with pdf.open("rb") as handle:
            total += sum(1 for _ in PDFPage.get_pages(handle))
    return total


# One side of the PDF comparison, in a process of its own: pdfminer alone ("raw", "raw_same":
# casetable's LAParams), or casetable with its pipeline built and warmed as the CLI has it. It
# reads all the PDFs once, says "ready", then times one pass over them for each line on stdin.
_PDF_SIDE = """
import sys, time
from pathlib import Path
side, pdfs = sys.argv[1], sys.argv[2:]
if side == "casetable":
    from extractor import extract
    from extractor.tasks import warm_pipeline
    nlp = warm_pipeline()
    def work():
        reports = [extract(Path(p), nlp) for p in pdfs]
        assert not any(r.errors for r in reports), [r.errors for r in reports if r.errors]
else:  # "raw" imports nothing of casetable, whose modules would be in its heap
    from pdfminer.high_level import extract_text
    laparams = None
    if side == "raw_same":
        from extractor.readers.pdf import LAPARAMS as laparams
    def work():
        for p in pdfs:
            extract_text(p, laparams=laparams)
work()
print("ready", flush=True)
for _ in sys.stdin:
    start = time.perf_counter()
    work()
    print(time.perf_counter() - start, flush=True)
"""


def pdf_rates(pdfs: list[Path], repeat: int) -> dict[str, float]:
    """Seconds per pass over the PDFs for each side, each in its own process, the sides taking turns
    (so that a change in the machine's speed hits all of them alike); medians of ``repeat`` turns.

    pdfminer runs in a process of its own, as a user of pdfminer alone has it: in casetable's
    process it would also pay for the garbage collector walking casetable's lexicons."""
    env = checkout_env()
    sides = ("raw", "raw_same", "casetable")
    processes = {side: subprocess.Popen([sys.executable, "-c", _PDF_SIDE, side, *map(str, pdfs)], env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                 for side in sides}
    try:
        for side, process in processes.items():
            if process.stdout.readline().strip() != "ready":
                raise RuntimeError(f"the {side} side of the PDF benchmark failed")
        runs: dict[str, list[float]] = {side: [] for side in sides}
        for _ in range(repeat):
            for side, process in processes.items():
                process.stdin.write("go\n")
                process.stdin.flush()
                runs[side].append(float(process.stdout.readline()))
    finally:
        for process in processes.values():
            process.stdin.close()
            process.wait()
    raw, raw_same, ours = (statistics.median(runs[side]) for side in sides)
    n = pages(pdfs)
    return {"pages": n, "raw_pages_s": n / raw, "raw_same_laparams_pages_s": n / raw_same,
            "casetable_pages_s": n / ours, "ratio": raw / ours, "ratio_same_laparams": raw_same / ours}


_JOBS_SCRIPT = """
import json, sys, time
start = time.perf_counter()
from extractor import extract_many
first = None
count = 0
for report in extract_many(sys.argv[2:], jobs=int(sys.argv[1])):
    count += 1
    first = first or time.perf_counter()
end = time.perf_counter()
print(json.dumps({"total": end - start, "steady": (end - first) / max(1, count - 1), "count": count,
                  "start_up": first - start}))
"""


def text_rates(texts: list[Path], folder: Path, copies: int, repeat: int) -> dict[str, float]:
    batch = folder / "texts"
    batch.mkdir()
    for i in range(copies):
        for text in texts:
            shutil.copy(text, batch / f"{i:03d}_{text.name}")
    env = checkout_env()
    result: dict[str, float] = {"documents": copies * len(texts)}
    for jobs in (1, 2):
        runs = [json.loads(subprocess.run([sys.executable, "-c", _JOBS_SCRIPT, str(jobs), str(batch)], env=env,
                                          check=True, capture_output=True, text=True).stdout)
                for _ in range(repeat)]
        result[f"jobs{jobs}_reports_s"] = runs[0]["count"] / statistics.median(r["total"] for r in runs)
        result[f"jobs{jobs}_steady_reports_s"] = 1 / statistics.median(r["steady"] for r in runs)
        result[f"jobs{jobs}_start_up_s"] = statistics.median(r["start_up"] for r in runs)
    result["speedup"] = result["jobs2_reports_s"] / result["jobs1_reports_s"]
    result["steady_speedup"] = result["jobs2_steady_reports_s"] / result["jobs1_steady_reports_s"]
    return result


def peak_memory(paths: list[Path], jobs: int, out: Path) -> tuple[float, float, float]:
    """Peak RSS of ``casetable extract`` alone, and peak RSS and PSS summed over it and the processes
    it starts (fork server, workers), in MB, sampled every 0.1 s while it runs (``run_sampled``)."""
    command = [sys.executable, "-m", "extractor.cli", "extract", *map(str, paths), "-o", str(out),
               "--jobs", str(jobs), "-q"]
    usage = run_sampled(command, 0.1, pss=True)
    return usage.own_rss / 2**20, usage.total_rss / 2**20, usage.total_pss / 2**20


def batch_memory(batches: dict[int, list[Path]], out: Path, repeat: int) -> dict[str, float]:
    """Peak memory (see ``peak_memory``) of each batch, keyed by its size, with 1 and 2 jobs; medians."""
    result = {}
    for jobs in (1, 2):
        for size, paths in batches.items():
            runs = [peak_memory(paths, jobs, out) for _ in range(repeat)]
            for i, name in enumerate(("main_rss", "peak_rss", "peak_pss")):
                result[f"jobs{jobs}_docs{size}_{name}_mb"] = statistics.median(r[i] for r in runs)
    return result


def memory(pdfs: list[Path], folder: Path, docs: int, repeat: int) -> dict[str, float]:
    batch = folder / "pdfs"
    batch.mkdir()
    copies = [batch / f"{i:03d}_{pdf.name}" for i in range(docs // len(pdfs) + 1) for pdf in pdfs][:docs]
    for i, copy in enumerate(copies):
        shutil.copy(pdfs[i % len(pdfs)], copy)
    return batch_memory({docs // 4: copies[:docs // 4], docs: copies}, folder / "out.jsonl", repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure of the text and memory parts")
    parser.add_argument("--pdf-turns", type=int, default=9, help="turns of each side of the PDF comparison")
    parser.add_argument("--docs", type=int, default=200, help="documents in the memory batch")
    parser.add_argument("--text-copies", type=int, default=200,
                        help="copies of the corpus texts in the --jobs batch; the default, 2000 reports of about "
                             "4,000 characters, holds as much text as some 400 full case reports (start-up "
                             "counts less in a longer batch)")
    parser.add_argument("--only", choices=["pdf", "text", "memory", "length", "small"],
                        help="one part of the benchmark")
    args = parser.parse_args()
    print(load_line(cores=True), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        texts, pdfs = make_inputs(folder)
        figures: dict[str, dict[str, float]] = {}
        if args.only in (None, "pdf"):
            figures["pdf"] = pdf_rates(pdfs, args.pdf_turns)
            print(json.dumps(figures["pdf"]), flush=True)
        if args.only in (None, "text"):
            figures["text"] = text_rates(texts, folder, args.text_copies, args.repeat)
            print(json.dumps(figures["text"]), flush=True)
        if args.only in (None, "memory"):
            figures["memory"] = memory(pdfs, folder, args.docs, args.repeat)
            print(json.dumps(figures["memory"]), flush=True)
        for part, measure in (("length", length_curve), ("small", small_batch)):  # see benchmarks/scaling.py
            if args.only in (None, part):
                figures[part] = measure(folder, args.repeat)
                print(json.dumps(figures[part]), flush=True)
    print(load_line())
    print("\n".join(f"{part}.{key}: {value:.3g}" for part, values in figures.items() for key, value in values.items()))


if __name__ == "__main__":
    main()
