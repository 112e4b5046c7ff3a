"""A batch interrupted midway (Ctrl-C, or killed outright) loses at most the documents in flight,
its output is valid JSONL at every moment, and ``--resume`` completes it with each document once.
The real command line runs in a subprocess on a folder of short generated reports."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.output import report_from_record

REPO = Path(__file__).resolve().parent.parent
DOCUMENTS = 240
FUSIONS = ["TPM3::ALK", "TFG::ROS1", "ETV6::NTRK3", "CCDC6::RET", "EML4::ALK", "LMNA::NTRK1"]
DRUGS = ["crizotinib", "entrectinib", "larotrectinib", "selpercatinib", "alectinib", "lorlatinib"]


def report_text(number: int) -> str:
    """A short case report, different for every number."""
    fusion, drug = FUSIONS[number % len(FUSIONS)], DRUGS[number % len(DRUGS)]
    sex = "man" if number % 2 else "woman"
    return (f"Case {number}\n\nA {20 + number % 60}-year-old {sex} presented with an inflammatory "
            f"myofibroblastic tumour of the lung. Sequencing found a {fusion.replace('::', '-')} fusion. "
            f"She received {drug} 250 mg twice daily and achieved a partial response lasting "
            f"{3 + number % 20} months.\n").replace("She", "He" if sex == "man" else "She")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    for number in range(DOCUMENTS):
        (folder / f"case{number:04d}.txt").write_text(report_text(number), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def uninterrupted(reports, tmp_path_factory) -> bytes:
    """The output of the same batch run once without interruption."""
    out = tmp_path_factory.mktemp("whole") / "out.jsonl"
    assert main(["extract", str(reports), "-o", str(out), "--jobs", "1", "-q"]) == 0
    return out.read_bytes()


def start(reports: Path, out: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, "-m", "extractor.cli", "extract", str(reports), "-o", str(out),
                             "-q", *extra], env=env, stderr=subprocess.PIPE, text=True)


def lines_of(path: Path, *, whole_only: bool) -> list[dict] | None:
    """The records of a JSONL file (None if absent); every line must parse. ``whole_only``: a last
    line still being appended (no newline yet) is allowed and left out."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    lines = data.split(b"\n")
    if lines[-1] and not whole_only:
        raise AssertionError(f"{path.name} ends inside a record")
    return [json.loads(line) for line in lines[:-1]]


class Watcher(threading.Thread):
    """Reads the output and its journals over and over while the run goes on; any invalid read fails."""

    def __init__(self, out: Path):
        super().__init__(daemon=True)
        self.out, self.stop, self.reads, self.problems = out, threading.Event(), 0, []

    def journals(self) -> list[Path]:
        return list(self.out.parent.glob(self.out.name + ".*.partial"))

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                lines_of(self.out, whole_only=False)
                for journal in self.journals():
                    lines_of(journal, whole_only=True)
                self.reads += 1
            except (AssertionError, json.JSONDecodeError, UnicodeDecodeError) as error:
                self.problems.append(repr(error))


def wait_for_records(watcher: Watcher, count: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if sum(len(lines_of(j, whole_only=True) or []) for j in watcher.journals()) >= count:
            return
        time.sleep(0.01)
    raise AssertionError("the run ended or stalled before it could be interrupted")


def interrupt(reports: Path, out: Path, sig: int, jobs: str) -> tuple[subprocess.Popen, str, Watcher]:
    watcher = Watcher(out)
    watcher.start()
    process = start(reports, out, "--jobs", jobs)
    wait_for_records(watcher, 25, process)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)
    watcher.stop.set()
    watcher.join()
    return process, stderr, watcher


def resume_and_check(reports: Path, out: Path, uninterrupted: bytes) -> None:
    watcher = Watcher(out)
    watcher.start()
    process = start(reports, out, "--jobs", "1", "--resume")
    _, stderr = process.communicate(timeout=300)
    watcher.stop.set()
    watcher.join()
    assert process.returncode == 0, stderr
    assert not watcher.problems
    assert "carried over from the earlier run" in stderr
    records = lines_of(out, whole_only=False)
    names = [Path(r["input"]["path"]).name for r in records]
    assert names == [f"case{n:04d}.txt" for n in range(DOCUMENTS)]  # each once, in input order
    assert out.read_bytes() == uninterrupted
    assert not list(out.parent.glob("out.jsonl.*")), "journals or the lock were left behind"


def test_ctrl_c_keeps_the_records_done_and_resume_completes_the_batch(reports, uninterrupted, tmp_path):
    out = tmp_path / "out.jsonl"
    process, stderr, watcher = interrupt(reports, out, signal.SIGINT, jobs="2")
    assert process.returncode == 130
    assert not watcher.problems and watcher.reads > 0
    kept = lines_of(out, whole_only=False)
    assert 25 <= len(kept) < DOCUMENTS  # stopped midway
    assert f"interrupted after {len(kept)}/{DOCUMENTS} documents; records so far in {out}; rerun with --resume" \
        in stderr
    assert "Traceback" not in stderr
    resume_and_check(reports, out, uninterrupted)


def test_a_killed_run_leaves_no_stale_output_and_resume_completes_it(reports, uninterrupted, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    out.write_text('{"source": "an earlier run"}\n', encoding="utf-8")
    watcher = Watcher(out)
    watcher.start()
    process = start(reports, out, "--jobs", "1")
    wait_for_records(watcher, 25, process)
    # A second run on the same output refuses at once, in one line, while the first holds it.
    assert main(["extract", str(reports), "-o", str(out), "-q"]) == 2
    refused = capsys.readouterr().err.strip().splitlines()
    assert len(refused) == 1 and "being written by another casetable run" in refused[0]
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    watcher.stop.set()
    watcher.join()
    assert not watcher.problems
    assert not out.exists(), "the earlier run's output is still in place, looking current"
    journal, = watcher.journals()
    assert 25 <= len(lines_of(journal, whole_only=True)) < DOCUMENTS
    resume_and_check(reports, out, uninterrupted)


def test_resume_redoes_a_document_whose_file_changed(reports, uninterrupted, tmp_path):
    folder = tmp_path / "few"
    folder.mkdir()
    for number in range(3):
        (folder / f"case{number:04d}.txt").write_text(report_text(number), encoding="utf-8")
    out = tmp_path / "few.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "-q", "--jobs", "1"]) == 0
    (folder / "case0001.txt").write_text(report_text(1).replace("250 mg", "100 mg"), encoding="utf-8")
    assert main(["extract", str(folder), "-o", str(out), "-q", "--jobs", "1", "--resume"]) == 0
    records = lines_of(out, whole_only=False)
    assert [r["patients"][0]["treatments"][0]["dose"] for r in records] == [
        "250 mg twice daily", "100 mg twice daily", "250 mg twice daily"]


def test_a_table_is_written_from_the_records(reports, uninterrupted, tmp_path):
    """The records read back give the same Report (the table is written from them), input identity included."""
    for line in uninterrupted.decode("utf-8").splitlines()[:20]:
        record = json.loads(line)
        assert "input" in record and report_from_record(record).to_dict() == record


def test_an_interrupted_table_keeps_its_records_and_resume_writes_the_whole_table(reports, tmp_path):
    whole = tmp_path / "whole.csv"
    assert main(["extract", str(reports), "-o", str(whole), "--jobs", "1", "-q"]) == 0
    out = tmp_path / "out.csv"
    process, stderr, watcher = interrupt(reports, out, signal.SIGINT, jobs="1")
    assert process.returncode == 130 and not watcher.problems
    journal, = watcher.journals()
    assert f"records so far in {journal}; rerun with --resume" in stderr
    assert not out.exists(), "a table of part of the batch looks like the whole"
    resumed = start(reports, out, "--jobs", "1", "--resume")
    _, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    assert out.read_bytes() == whole.read_bytes()
    assert not list(tmp_path.glob("out.csv.*")), "journals or the lock were left behind"
