"""Input folders: symlinks that leave the folder, dangle or loop, and special files are skipped and
counted, never read; ``--follow-symlinks`` reads links that leave the folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.inputs import discover
from extractor.tasks import BatchOptions

CASE = "A 40-year-old man with a TPM3-ALK fusion received crizotinib 250 mg twice daily.\n"


@pytest.fixture
def folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    papers = tmp_path / "papers"
    (papers / "sub").mkdir(parents=True)
    (papers / "case.txt").write_text(CASE, encoding="utf-8")
    (papers / "sub" / "inner.txt").write_text(CASE, encoding="utf-8")
    (papers / "inner_link.txt").symlink_to(papers / "case.txt")  # stays inside: read
    (papers / "leak.txt").symlink_to(outside / "secret.txt")
    (papers / "leak_dir").symlink_to(outside)
    (papers / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (papers / "loop.txt").symlink_to(papers / "loop.txt")
    (papers / "parent").symlink_to(papers)  # a directory loop
    os.mkfifo(papers / "fifo.txt")
    return papers


def test_links_out_of_the_folder_dangling_or_looping_and_fifos_are_skipped_with_reasons(folder):
    inputs = discover([folder])
    assert [Path(t.path).name for t in inputs.tasks] == ["case.txt", "inner_link.txt", "inner.txt"]
    reasons = {Path(p.path).name: p.reason for p in inputs.skipped}
    assert set(reasons) == {"leak.txt", "leak_dir", "dangling.txt", "loop.txt", "fifo.txt"}
    assert reasons["leak.txt"].startswith("a symlink leaving the folder") and "--follow-symlinks" in reasons["leak.txt"]
    assert reasons["dangling.txt"] == "a dangling symlink" and reasons["loop.txt"] == "a symlink loop"
    assert reasons["fifo.txt"] == "a FIFO, not a file"


def test_follow_symlinks_reads_links_out_of_the_folder_and_still_ends_on_loops(folder):
    inputs = discover([folder], BatchOptions(follow_symlinks=True))
    assert {Path(t.path).name for t in inputs.tasks} == {"case.txt", "inner_link.txt", "inner.txt", "leak.txt",
                                                         "secret.txt"}
    assert {Path(p.path).name for p in inputs.skipped} == {"dangling.txt", "loop.txt", "fifo.txt"}


def test_cli_counts_what_it_skipped_and_reads_nothing_outside(folder, tmp_path, capsys):
    out = tmp_path / "records.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "--jobs", "1", "-q"]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 3 and not any("secret" in r["source"] or "root:x" in json.dumps(r) for r in records)
    err = capsys.readouterr().err
    assert "5 file(s) skipped" in err and "leak.txt: a symlink leaving the folder" in err
