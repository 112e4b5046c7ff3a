"""The default number of processes: one for a batch too small to win back the pool's start-up,
all cores for a batch large enough, decided from the number and size of the inputs."""

from __future__ import annotations

from pathlib import Path

from extractor.inputs import discover
from extractor.jobs import default_jobs, estimated_seconds
from extractor.tasks import BatchOptions


def batch_tasks(paths, options=BatchOptions()):
    return discover(paths, options).tasks


def _copies(corpus_dir: Path, folder: Path, times: int) -> list[Path]:
    """``times`` copies of each text report of the project corpus (about 4,000 characters each)."""
    folder.mkdir()
    for i in range(times):
        for report in sorted((corpus_dir / "reports").glob("*.txt")):
            (folder / f"{i}_{report.name}").write_bytes(report.read_bytes())
    return [folder]


def test_a_hundred_short_reports_run_in_one_process(corpus_dir, tmp_path):
    tasks = batch_tasks(_copies(corpus_dir, tmp_path / "short", 10))
    assert len(tasks) == 100
    assert default_jobs(tasks, cores=2) == 1


def test_six_hundred_short_reports_use_every_core(corpus_dir, tmp_path):
    """600 short reports ran 1.45x faster with two processes than with one."""
    tasks = batch_tasks(_copies(corpus_dir, tmp_path / "many", 60))
    assert default_jobs(tasks, cores=2) == 2
    assert default_jobs(tasks, cores=4) == 4


def test_one_document_or_one_core_runs_in_one_process(tmp_path):
    thesis = tmp_path / "thesis.txt"
    thesis.write_text("The patient received crizotinib. " * 200_000, encoding="utf-8")
    assert default_jobs(batch_tasks([thesis]), cores=8) == 1
    assert default_jobs(batch_tasks([thesis, thesis.with_name("missing.txt")]), cores=1) == 1


def test_a_jsonl_file_counts_once_for_all_its_lines(tmp_path):
    lines = tmp_path / "abstracts.jsonl"
    lines.write_text("".join(f'{{"id": "{i}", "text": "A 40-year-old man."}}\n' for i in range(1000)), encoding="utf-8")
    tasks = batch_tasks([lines], BatchOptions())
    assert len(tasks) == 1000
    assert estimated_seconds(task.path for task in tasks) == estimated_seconds([str(lines)])
    assert default_jobs(tasks, cores=2) == 1


def test_pdf_bytes_weigh_more_than_text_bytes(tmp_path):
    text, pdf = tmp_path / "a.txt", tmp_path / "a.pdf"
    text.write_bytes(b"x" * 100_000)
    pdf.write_bytes(b"x" * 100_000)
    assert estimated_seconds([str(pdf)]) > 2 * estimated_seconds([str(text)])
