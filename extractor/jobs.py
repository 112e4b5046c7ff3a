"""How many processes a batch runs in when the user does not say: the machine's cores, or one
process for a batch too small to gain from them.

A process pool costs start-up the batch must win back: its fork server builds and warms the
pipeline once more (about a second; the parent needs none of it). With the default ``--jobs 2``, 100
short reports (about 400 KB) ran at 0.89x the speed of ``--jobs 1``; 600 of them at 1.45x. The work
of a batch is estimated from the size of its input files, and the pool is used only when the time
it saves is clearly larger than its start-up.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from .tasks import Task

POOL_START_SECONDS = 1.0  # the pool's start-up beyond a single process's
MIN_SAVING = 2 * POOL_START_SECONDS  # the pool must save this much: estimates and machines vary
# Input bytes one process reads and extracts per second: text (the corpus reports: about 290 KB/s)
# and PDF (about 100 KB/s for the generated two-column PDFs; PDFs with images or embedded fonts
# hold fewer words per byte, so their work is overestimated, which only favours the pool).
BYTES_PER_SECOND = {".pdf": 100_000}
TEXT_BYTES_PER_SECOND = 290_000


def usable_cores() -> int:
    """Cores this process may run on (a container or taskset may allow fewer than the machine has)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def estimated_seconds(paths: Iterable[str]) -> float:
    """One process's time for the input files (each counted once: a JSONL file gives many tasks)."""
    seconds = 0.0
    for path in set(paths):
        try:
            size = os.path.getsize(path)
        except OSError:
            continue  # the task becomes an error record, which costs nothing
        suffix = os.path.splitext(path)[1].lower()
        seconds += size / BYTES_PER_SECOND.get(suffix, TEXT_BYTES_PER_SECOND)
    return seconds


def default_jobs(tasks: list[Task], cores: int | None = None) -> int:
    """The processes for ``tasks``: all cores when the pool saves more than MIN_SAVING, else one."""
    workers = min(cores or usable_cores(), len(tasks))
    if workers < 2:
        return 1
    saving = estimated_seconds(task.path for task in tasks) * (1 - 1 / workers)
    return workers if saving >= MIN_SAVING else 1
