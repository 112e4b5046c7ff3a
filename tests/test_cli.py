"""The command line: formats by extension, exit status, and a batch that survives bad files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pdfgen import make_corrupt_pdf, make_no_text_pdf

from extractor.cli import main

REPO = Path(__file__).resolve().parent.parent
GOOD_REPORT = REPO / "corpus" / "reports" / "c09_thyroid_ccdc6_ret_abstract.txt"


@pytest.fixture
def mixed_batch(tmp_path: Path) -> Path:
    """A good report, an empty file, a corrupt PDF and a PDF with no text layer."""
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.txt").write_text(GOOD_REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    (batch / "empty.txt").write_bytes(b"")
    make_corrupt_pdf(batch / "corrupt.pdf")
    make_no_text_pdf(batch / "scanned.pdf")
    return batch


def test_bad_files_give_error_records_and_the_batch_goes_on(mixed_batch, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(mixed_batch), "-o", str(out)]) == 1
    records = {Path(r["source"]).name: r for r in map(json.loads, out.read_text().splitlines())}
    assert set(records) == {"good.txt", "empty.txt", "corrupt.pdf", "scanned.pdf"}
    assert records["good.txt"]["errors"] == [] and records["good.txt"]["patients"]
    assert "empty" in records["empty.txt"]["errors"][0]
    assert "corrupt" in records["corrupt.pdf"]["errors"][0]
    assert "OCR" in records["scanned.pdf"]["errors"][0]
    assert "scanned.pdf" in capsys.readouterr().err


def test_table_output_keeps_the_good_rows(mixed_batch, tmp_path):
    out = tmp_path / "table.csv"
    assert main(["extract", str(mixed_batch), "-o", str(out), "-q"]) == 1
    table = pd.read_csv(out)
    good = table[table["Source"].str.endswith("good.txt")]
    assert set(good["Drug"]) == {"lenvatinib", "pralsetinib"}
    assert good["Translocation"].iloc[0] == "CCDC6::RET"
    failed = table[table["Source"].str.endswith("corrupt.pdf")]
    assert "corrupt" in failed["Comment"].iloc[0]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".md", ".jsonl"])
def test_each_output_format_holds_the_report(tmp_path, suffix):
    out = tmp_path / f"table{suffix}"
    assert main(["extract", str(GOOD_REPORT), "-o", str(out)]) == 0
    if suffix == ".xlsx":
        text = pd.read_excel(out).to_csv()
    else:
        text = out.read_text(encoding="utf-8")
    assert "CCDC6::RET" in text and "pralsetinib" in text


def test_stdout_table_without_output(capsys):
    assert main(["extract", str(GOOD_REPORT)]) == 0
    assert "pralsetinib" in capsys.readouterr().out


def test_progress_bar_for_several_files(tmp_path, capsys):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(GOOD_REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["extract", str(tmp_path), "-o", str(tmp_path / "t.csv")]) == 0
    assert "2/2" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["extract", "no/such/dir"],
    ["extract", str(GOOD_REPORT), "-o", "table.docx"],
    ["frobnicate"],
])
def test_bad_usage_exits_2(argv, capsys):
    try:
        status = main(argv)
    except SystemExit as exit_:  # argparse's own usage errors
        status = exit_.code
    assert status == 2
    assert capsys.readouterr().err


def test_console_script_help_names_the_commands():
    done = subprocess.run([sys.executable, "-m", "extractor.cli", "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    assert "extract" in done.stdout and "evaluate" in done.stdout
