"""Fuzzing: random and mutated bytes and text through every reader and the pipeline.

Whatever comes in, ``extract`` returns a Report, and a failure is one of the errors the readers
anticipate (a message that says what to do), never the catch-all "please report this file" that
stands for an exception nobody expected. Seeded, so that a failure can be reproduced.
"""

from __future__ import annotations

import random

import pytest
from pdfgen import make_pdf
from test_readers import html_page, jats_xml, plain_text

from extractor import extract_many, extract_text
from extractor.pipeline import default_pipeline
from extractor.readers import Limits
from extractor.records import Report

SUFFIXES = (".txt", ".pdf", ".xml", ".html", ".jsonl", ".bin")
UNEXPECTED = "please report"


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("fuzz")
    pdf = make_pdf(plain_text(), folder / "sample.pdf", columns=2, header="Imaginary Journal", author="")
    return {".pdf": pdf.read_bytes(), ".xml": jats_xml().encode(), ".html": html_page().encode(),
            ".txt": plain_text().encode(), ".jsonl": b'{"id": "1", "text": "A 40-year-old man received crizotinib."}\n'}


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One of: flip bytes, cut the end, cut out a piece, repeat a piece, insert random bytes."""
    data = bytearray(data)
    kind = rng.randrange(5)
    if kind == 0:
        for _ in range(rng.randint(1, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == 1:
        del data[rng.randrange(1, len(data)):]
    elif kind == 2:
        start = rng.randrange(len(data))
        del data[start:start + rng.randint(1, 2000)]
    elif kind == 3:
        start = rng.randrange(len(data))
        data[start:start] = data[start:start + rng.randint(1, 500)] * rng.randint(2, 20)
    else:
        start = rng.randrange(len(data))
        data[start:start] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))
    return bytes(data)


def assert_handled(report: Report) -> None:
    assert isinstance(report, Report)
    assert not any(UNEXPECTED in error for error in report.errors), report.errors


@pytest.mark.parametrize("suffix", [".pdf", ".xml", ".html", ".txt", ".jsonl"])
def test_mutated_files(tmp_path, nlp, samples, suffix):
    rng = random.Random(f"mutate{suffix}")
    for i in range(25):
        data = mutate(samples[suffix], rng)
        # Keep the PDF end marker on half of the PDFs, so the parser itself meets the damage.
        if suffix == ".pdf" and i % 2 and b"%%EOF" not in data[-2048:]:
            data += b"\n%%EOF\n"
        path = tmp_path / f"mutated{i}{suffix}"
        path.write_bytes(data)
        for report in extract_many([path], nlp):
            assert_handled(report)


def test_random_bytes_under_every_name(tmp_path, nlp):
    rng = random.Random("bytes")
    for i in range(60):
        size = rng.choice([1, 3, 17, 512, 5000])
        prefix = rng.choice([b"", b"%PDF-1.7\n", b"<?xml version='1.0'?><article>", b"<html><body>", b"{"])
        path = tmp_path / f"random{i}{rng.choice(SUFFIXES)}"
        path.write_bytes(prefix + bytes(rng.randrange(256) for _ in range(size)))
        for report in extract_many([path], nlp):
            assert_handled(report)
            assert report.errors or report.source == str(path)


def test_random_text_through_the_pipeline(nlp):
    rng = random.Random("text")
    alphabet = ("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:()[]-–—/%+<>=:: \n\n"
                "µ²×±≥≤ﬁﬂ\u00a0\u200b\u00ad\t\r\x00\x07 ::ALK ROS1 mg crizotinib year-old months PR CR")
    words = ["crizotinib", "ROS1", "ALK::", "::", "year-old", "months", "mg", "twice", "daily", "Patient", "1",
             "Case", "presentation", "Figure", "Table", "(", ")", "-", "response", "partial", "progression", "\n\n"]
    for _ in range(40):
        if rng.random() < 0.5:
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3000)))
        else:
            text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 800)))
        assert_handled(extract_text(text, "fuzz", nlp))


def test_pathological_repetition(nlp):
    """Long runs of one character or token: the kind of input that makes rules backtrack. Some take
    time that grows with the square of their length (a run of brackets in the tokenizer, a sentence
    of thousands of tokens in the matchers), so the time limit may stop them: that is a handled error."""
    limits = Limits(timeout=20)
    for text in ("(" * 3000, "a" * 100000, "1-" * 10000, "ALK::" * 3000, "mg " * 3000, "\n" * 50000 + "x",
                 ". " * 20000, "Patient 1 " * 3000):
        report = extract_text(text, "repeat", nlp, limits=limits)
        assert_handled(report)
        assert not report.errors or "time limit" in report.errors[0]
