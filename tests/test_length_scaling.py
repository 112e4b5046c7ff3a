"""Extraction takes time linear in the length of a document: a report repeated 16 times takes at most
24 times as long as the report once (the margin is for timer noise on a shared machine). A part
whose cost grows with the square of the length (scispaCy's bracket matcher, ``Span.ents`` per age)
makes the ratio far larger than 24 at this length.

A ratio measured within one run, so that it holds on a slow or busy machine too; the absolute
figures are in benchmarks/scaling.py.
"""

from __future__ import annotations

from time import process_time

from extractor.api import extract_text
from extractor.pipeline import default_pipeline

REPEATS = 16
MAX_RATIO = 24


def _best_time(text: str, runs: int) -> float:
    """The fastest of a few runs, in CPU time of this process: other work on the machine only ever adds time."""
    nlp = default_pipeline()
    times = []
    for _ in range(runs):
        started = process_time()
        report = extract_text(text, nlp=nlp)
        times.append(process_time() - started)
        assert not report.errors
    return min(times)


def test_time_grows_linearly_with_the_length_of_a_document(corpus_dir):
    """The project's text reports, one after another, as one document (about 40,000 characters)."""
    reports = sorted((corpus_dir / "reports").glob("*.txt"))
    document = "\n\n".join(path.read_text(encoding="utf-8") for path in reports)
    _best_time(document, 1)  # loads the lexicons and the drug dictionary
    ratio = _best_time("\n\n".join([document] * REPEATS), 2) / _best_time(document, 3)
    assert ratio <= MAX_RATIO
