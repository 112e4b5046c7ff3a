"""Per-document resource limits that hold in C code: PDF bombs, the address-space cap, the workers.

A PDF bomb inflates in zlib, where no time limit reaches; these tests check that it ends as an
error record naming the limit, that a worker's memory stays under its cap, and that ``--jobs 1``
and ``--jobs 2`` give the same records.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from pdfbomb import make_pdf_bomb

from extractor import extract
from extractor.cli import main
from extractor.guard import address_space, confine_worker
from extractor.readers import Limits

MB = 2**20


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {
        # one stream of 200 MB: over the stream limit of the default 2 GB memory limit (64 MB)
        "stream": make_pdf_bomb(folder / "stream.pdf", 200),
        # 60 streams of 3 MB each: every one under the stream limit of --max-memory 128 (4 MB),
        # together over the memory limit
        "many": make_pdf_bomb(folder / "many.pdf", 3, streams=60),
        "fine": make_pdf_bomb(folder / "fine.pdf", 1),
    }


def test_a_bomb_is_a_few_hundred_kilobytes(bombs):
    assert bombs["stream"].stat().st_size < 400_000 and bombs["many"].stat().st_size < 400_000


def test_an_inflating_stream_stops_at_the_stream_limit(bombs):
    report = extract(bombs["stream"])
    assert not report.patients
    assert "inflates to more than 64 MB (the stream limit" in report.errors[0] and "--max-memory" in report.errors[0]
    # The same PDF with a small stream reads.
    assert extract(bombs["fine"]).patients[0].fusion == "TPM3::ALK"


def _confined_extract(path: str, max_memory: int, conn) -> None:
    confine_worker(max_memory)
    start = address_space()
    report = extract(Path(path), limits=Limits(max_memory=max_memory))
    # VmHWM, the peak RSS of this process's memory since it started (ru_maxrss would also count
    # the pytest process it was forked from before its exec).
    status = Path("/proc/self/status").read_text(encoding="ascii")
    conn.send((report.errors, start, int(status.split("VmHWM:")[1].split()[0]) * 1024))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc for the peak RSS")
def test_memory_of_a_confined_worker_stays_under_its_cap(bombs):
    parent, child = mp.get_context("spawn").Pipe()
    process = mp.get_context("spawn").Process(target=_confined_extract, args=(str(bombs["many"]), 128 * MB, child))
    process.start()
    child.close()  # a worker that dies then ends the pipe, and recv raises instead of waiting
    assert parent.poll(120), "the confined worker gave no answer"
    errors, start, peak_rss = parent.recv()
    process.join(30)
    assert "(the memory limit of 128 MB" in errors[0] and "--max-memory" in errors[0]
    assert peak_rss < start + 128 * MB


@pytest.mark.parametrize("bomb, limit", [("stream", "the stream limit"), ("many", "the memory limit of 128 MB")])
def test_cli_bombs_give_the_same_error_record_with_one_or_two_jobs(bombs, tmp_path, bomb, limit):
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}.jsonl"
        assert main(["extract", str(bombs[bomb]), str(bombs["fine"]), "-o", str(out), "--jobs", jobs, "-q",
                     "--max-memory", "128" if bomb == "many" else "2048", "--timeout", "60"]) == 1
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    records = [json.loads(line) for line in outputs[0].splitlines()]
    assert limit in records[0]["errors"][0] and not records[0]["patients"]
    assert records[1]["patients"][0]["fusion"] == "TPM3::ALK" and not records[1]["errors"]


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def _descendants(pid: int) -> set[int]:
    tree, found, pending = _children(), set(), [pid]
    while pending:
        for child in tree.get(pending.pop(), []):
            found.add(child)
            pending.append(child)
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc to follow the processes")
def test_kill_9_of_casetable_ends_its_busy_worker_and_leaves_no_temporary_folder(tmp_path):
    slow = tmp_path / "slow.txt"  # a sentence with thousands of doses: tens of seconds of work
    slow.write_text("A 40-year-old man received crizotinib. " + "1.5 mg " * 8000, encoding="utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "extractor.cli", "extract", str(slow), "-o",
                                str(tmp_path / "out.jsonl"), "--jobs", "1", "-q", "--timeout", "600"],
                               env={**os.environ, "TMPDIR": str(temp)})
    deadline = time.monotonic() + 60
    while len(_descendants(process.pid)) < 3 and time.monotonic() < deadline:  # tracker, fork server, worker
        time.sleep(0.5)
    time.sleep(3)  # the worker takes the document
    family = _descendants(process.pid)
    assert len(family) >= 3
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 20
    while (family & set().union(*_children().values())) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not family & set().union(*_children().values())
    assert not list(temp.glob("pymp-*"))


@pytest.mark.parametrize("strategy", [zlib.Z_DEFAULT_STRATEGY, zlib.Z_RLE])
def test_no_deflate_data_inflates_past_the_bound_the_stream_check_trusts(strategy):
    """check_streams leaves uninflated a stream too short to pass the cap: the bound must hold for
    the most compressible data there is, and it is close to what zlib reaches (1029:1)."""
    from extractor.readers.streamcap import _most_inflated

    packer = zlib.compressobj(9, zlib.DEFLATED, 15, 9, strategy)
    packed = packer.compress(bytes(20 * MB)) + packer.flush()
    assert 20 * MB <= _most_inflated(len(packed)) < 1.01 * 20 * MB
