"""What a batch reads and what it accounts for: hidden files and unsupported files are skipped
and counted, a named unsupported file or a missing path is an error record, and an output that
cannot be written is refused before any document, in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.inputs import HIDDEN, JSONL_IN_FOLDER, UNSUPPORTED, discover

REPO = Path(__file__).resolve().parent.parent
GOOD_REPORT = REPO / "corpus" / "reports" / "c09_thyroid_ccdc6_ret_abstract.txt"


@pytest.fixture
def papers(tmp_path: Path) -> Path:
    """Two reports, a notebook checkpoint copy and a macOS fork of one, and files that are not articles."""
    folder = tmp_path / "papers"
    (folder / "sub").mkdir(parents=True)
    (folder / ".ipynb_checkpoints").mkdir()
    text = GOOD_REPORT.read_text(encoding="utf-8")
    for path in (folder / "a.txt", folder / "sub" / "b.txt", folder / ".ipynb_checkpoints" / "a-checkpoint.txt"):
        path.write_text(text, encoding="utf-8")
    (folder / "._a.txt").write_bytes(b"\x00\x05\x16\x07 Mac OS X resource fork")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    (folder / "data.csv").write_text("pmid,text\n1,abc\n", encoding="utf-8")
    (folder / "earlier.jsonl").write_text("{}\n", encoding="utf-8")
    return folder


def test_a_folder_gives_its_articles_and_accounts_for_the_rest(papers):
    inputs = discover([papers])
    assert [Path(t.path).relative_to(papers).as_posix() for t in inputs.tasks] == ["a.txt", "sub/b.txt"]
    assert inputs.skipped_by_reason() == {HIDDEN: 2, UNSUPPORTED: 2, JSONL_IN_FOLDER: 1}


def test_named_files_are_read_as_given_or_get_an_error_record(papers):
    tasks = discover([papers / "data.csv", papers / "._a.txt", papers / "gone.pdf", papers / "a.txt"]).tasks
    assert [Path(t.path).name for t in tasks] == ["data.csv", "._a.txt", "gone.pdf", "a.txt"]
    assert "does not read .csv files" in tasks[0].error
    assert tasks[1].error is None  # a hidden file named on purpose is read
    assert "no such file" in tasks[2].error
    assert tasks[3].error is None


def test_the_summary_counts_what_a_prisma_diagram_needs(papers, tmp_path, capsys):
    out, summary = tmp_path / "table.csv", tmp_path / "summary.json"
    status = main(["extract", str(papers), str(papers / "data.csv"), str(tmp_path / "missing.pdf"),
                   "-o", str(out), "--summary", str(summary), "-q", "--jobs", "1"])
    assert status == 1  # two documents failed; the batch went on
    counts = json.loads(summary.read_text(encoding="utf-8"))
    assert counts["documents_found"] == 4 and counts["documents_written"] == 4
    assert counts["read"] == 2 and counts["patients"] == 2
    assert counts["failed_by_kind"] == {"missing file": 1, "unsupported extension": 1}
    assert counts["skipped_by_reason"] == {HIDDEN: 2, UNSUPPORTED: 2, JSONL_IN_FOLDER: 1}
    assert counts["rows"] == 2 * 2 + 2  # two drugs for each report, one row for each failure
    assert counts["interrupted"] is False and counts["documents_per_second"] > 0
    err = capsys.readouterr().err
    assert "4 written: 2 read, 2 failed (missing file: 1, unsupported extension: 1)" in err
    assert "missing.pdf: no such file" in err


def test_a_missing_output_folder_is_refused_at_once_in_one_line(papers):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "extractor.cli", "extract", str(papers), "-o",
                           "/nonexistent/out.csv"], capture_output=True, text=True, env=env)
    elapsed = time.monotonic() - started
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "/nonexistent does not exist" in done.stderr
    assert elapsed < 2.0


@pytest.mark.parametrize("output, message", [
    ("{folder}", "is a folder: give a file name in it"),
    ("{folder}/a.txt/out.csv", "is a file, not a folder"),
    ("{folder}/out.docx", "unknown output format '.docx'"),
])
def test_outputs_that_cannot_be_written_exit_2_before_any_document(papers, output, message, capsys):
    assert main(["extract", str(papers), "-o", output.format(folder=papers)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_a_read_only_output_folder_is_refused(papers, tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    assert main(["extract", str(papers), "-o", str(locked / "out.csv")]) == 2
    assert "is not writable" in capsys.readouterr().err


def test_an_output_from_an_earlier_run_is_replaced_not_mixed(papers, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"\x00" * 4096)
    assert main(["extract", str(papers / "a.txt"), "-o", str(out), "-q"]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [Path(r["source"]).name for r in records] == ["a.txt"]


def test_failures_are_counted_by_kind(tmp_path, capsys):
    from pdfgen import make_corrupt_pdf, make_no_text_pdf

    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    make_corrupt_pdf(folder / "corrupt.pdf")
    make_no_text_pdf(folder / "scanned.pdf")
    (folder / "slides.pdf").write_bytes(b"PK\x03\x04 a pptx saved as .pdf")
    summary = tmp_path / "summary.json"
    assert main(["extract", str(folder), "-o", str(tmp_path / "out.jsonl"), "--summary", str(summary),
                 "-q", "--jobs", "1"]) == 1
    assert json.loads(summary.read_text(encoding="utf-8"))["failed_by_kind"] == {
        "damaged file": 1, "empty file": 1, "no text layer (needs OCR)": 1, "not an article format": 1}


@pytest.fixture
def full_disk(tmp_path):
    """A 1 MB tmpfs, mounted where the machine allows it (root with the capability to mount)."""
    mount_point = tmp_path / "small_disk"
    mount_point.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root and the capability to mount)")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


def test_an_output_on_a_full_disk_is_refused_before_any_document(papers, full_disk, capsys):
    assert main(["extract", str(papers), "-o", str(full_disk / "out.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is full" in err
