"""The two PDF engines on the producer set, in one run on the same files.

    PYTHONPATH=. python benchmarks/pdf_engines.py [--turns 5] [--repeat 3]

On the committed PDFs of ``tests/producer_pdfs/`` (the corpus texts typeset by pdflatex, LibreOffice,
Chromium and groff), it prints for each engine (pdfium, pdfminer):

1. reading pages/s (``read``: characters, lines, columns, the Document), the engines taking turns,
   and the ratio of the two within each turn;
2. end-to-end pages/s (read, pipeline, records; the pipeline built and warmed as the CLI has it);
3. per producer, how many documents give the records of their text (per patient: fusion, age,
   sex, site, and per drug dose, duration and response).

Each speed is the median over ``--turns`` turns of the fastest of ``--repeat`` passes over all the
files in the turn (``timeit``'s convention: a pass is only ever slowed by what else the machine
does). Within a turn the passes take turns too (a pdfium reading pass, a pdfminer reading pass, a
pdfium end-to-end pass, a pdfminer one, and again): each engine's fastest pass is then picked from
the same stretch of time. (Run one engine's passes back to back and a slow spell of the shared
machine, which lasts seconds, falls on all three short pdfium passes but on one of the long
pdfminer ones.) Timings on a shared machine are noisy: run it when the load (``uptime``) is low.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
from producer_set import PRODUCERS, patient_records, producer_pdfs  # noqa: E402

from extractor import extract, extract_text  # noqa: E402
from extractor.batch import warm_pipeline  # noqa: E402
from extractor.readers import Limits, read  # noqa: E402
from extractor.readers.limits import PDF_ENGINES  # noqa: E402


def page_count(pdf: Path) -> int:
    document = pdfium.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


def timed(work, files: list[Path]) -> float:
    """Seconds of one pass of ``work`` over ``files``."""
    start = time.perf_counter()
    for path in files:
        work(path)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sets = {producer: producer_pdfs(producer) for producer in PRODUCERS}
    files = [pdf for found in sets.values() for _, pdf in found]
    pages = sum(map(page_count, files))
    nlp = warm_pipeline()
    limits = {engine: Limits(pdf_engine=engine) for engine in PDF_ENGINES}
    reading = {engine: [] for engine in PDF_ENGINES}
    whole = {engine: [] for engine in PDF_ENGINES}
    for _ in range(args.turns):  # the engines take turns, so that a change in load falls on both
        passes: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.repeat):
            for kind in ("read", "whole"):
                for engine in PDF_ENGINES:
                    work = (partial(read, limits=limits[engine]) if kind == "read"
                            else partial(extract, nlp=nlp, limits=limits[engine]))
                    passes.setdefault((kind, engine), []).append(timed(work, files))
        for engine in PDF_ENGINES:
            reading[engine].append(min(passes["read", engine]))
            whole[engine].append(min(passes["whole", engine]))
    print(f"{len(files)} PDFs, {pages} pages ({', '.join(PRODUCERS)}); medians of {args.turns} turns, "
          f"each the fastest of {args.repeat} passes")
    rate = {engine: pages / statistics.median(reading[engine]) for engine in PDF_ENGINES}
    end_to_end = {engine: pages / statistics.median(whole[engine]) for engine in PDF_ENGINES}
    for engine in PDF_ENGINES:
        print(f"{engine:9s} reading {rate[engine]:7.1f} pages/s   end-to-end {end_to_end[engine]:6.1f} pages/s")
    # The load of a shared machine shifts between turns: the ratio of each turn, whose two engines
    # ran back to back, is steadier than the ratio of the medians.
    for name, times in (("reading", reading), ("end-to-end", whole)):
        ratios = sorted(m / p for p, m in zip(times["pdfium"], times["pdfminer"]))
        print(f"pdfium / pdfminer {name}: median of the turns' ratios {statistics.median(ratios):.1f}x "
              f"(from {ratios[0]:.1f}x to {ratios[-1]:.1f}x)")
    texts = {source.name: patient_records(extract_text(source.text, source.name, nlp))
             for source, _ in next(iter(sets.values()))}
    for engine in PDF_ENGINES:
        counts = []
        for producer, found in sets.items():
            equal = sum(patient_records(extract(pdf, nlp, limits=limits[engine])) == texts[source.name]
                        for source, pdf in found)
            counts.append(f"{producer} {equal}/{len(found)}")
        print(f"{engine:9s} records equal to the text's: {', '.join(counts)}")


if __name__ == "__main__":
    main()
