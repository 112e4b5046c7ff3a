"""Fuzzing through the command line, as a batch: a few hundred mutated PDFs, texts and HTML pages.

Seeded, so a failure can be reproduced. Every document runs in a worker process under the time and
memory limits, so the run must end (no hang), print no traceback, give one record per file, and
never give an empty record without an error for a file that still holds the case's sentence
intact (silent garbage from decoding would do that).
"""

from __future__ import annotations

import json
import random

import pytest
from pdfgen import make_pdf
from test_fuzz import mutate
from test_readers import html_page, plain_text

from extractor.cli import main

CASES_PER_KIND = 100
CASE_SENTENCE = "A 58-year-old man presented with a slowly enlarging mass"


@pytest.fixture(scope="module")
def mutated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz_batch")
    pdf = make_pdf(plain_text(), folder / "sample.pdf", columns=2, header="Imaginary Journal", author="")
    samples = {".pdf": pdf.read_bytes(), ".txt": plain_text().encode(), ".html": html_page().encode()}
    pdf.unlink()
    rng = random.Random("fuzz batch")
    files = {}
    for suffix, data in samples.items():
        for i in range(CASES_PER_KIND):
            path = folder / f"m{i:03d}{suffix}"
            path.write_bytes(mutate(data, rng))
            files[str(path)] = path.read_bytes()
    return folder, files


def test_a_batch_of_mutated_files_ends_with_a_record_for_each_and_no_traceback(mutated, tmp_path, capsys):
    folder, files = mutated
    out = tmp_path / "records.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "--jobs", "2", "--timeout", "30", "-q"]) in (0, 1)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "please report" not in err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["source"] for r in records) == sorted(files)
    for record in records:
        assert not any("please report" in error or "ended unexpectedly" in error for error in record["errors"])
        if not record["patients"] and not record["errors"]:
            data = files[record["source"]]
            assert CASE_SENTENCE.encode() not in data, f"{record['source']}: the case is there but no patient"
