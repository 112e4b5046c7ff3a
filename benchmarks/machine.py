"""What a benchmark prints about the machine it ran on: timings on a shared machine mean little
without the load they were taken under."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]


def load_line(*, cores: bool = False) -> str:
    """'load average: 0.12 0.30 0.41' (with '; cores: N' when asked)."""
    line = f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    return f"{line}; cores: {os.cpu_count()}" if cores else line


@dataclass(frozen=True)
class TreeUsage:
    """What a command and the processes it started (fork server, workers) used, sampled as it ran.

    RSS in bytes: of the command itself, of its largest process, and summed over the tree; PSS
    summed (workers share the pipeline's memory with the fork server they fork from, which RSS
    counts in every process and PSS divides among them). CPU: each process's last reading, summed.
    """

    wall: float
    cpu: float
    own_rss: int
    largest_rss: int
    total_rss: int
    total_pss: int


def checkout_env() -> dict[str, str]:
    """The environment of a casetable process run from this checkout: its package first, warnings off."""
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"}


def run_sampled(command: list[str], interval: float, pss: bool = False) -> TreeUsage:
    """Run a casetable command from this checkout with its output thrown away and sample its process
    tree every ``interval`` seconds: the extraction runs in a worker that the multiprocessing fork
    server, not the command, starts and reaps, so the command's own rusage never sees it. ``pss``
    also reads each process's PSS, which costs more a sample. RuntimeError when the command fails
    (an exit status other than 0, or 1 for documents that could not be read)."""
    started = time.perf_counter()
    process = psutil.Popen(command, env=checkout_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    own = largest = total = total_pss = 0
    cpu: dict[int, float] = {}
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
        except psutil.Error:
            break
        rss, sample_pss = [], 0
        for member in tree:
            try:
                with member.oneshot():
                    memory = member.memory_full_info() if pss else member.memory_info()
                    times = member.cpu_times()
            except psutil.Error:
                continue
            rss.append(memory.rss)
            sample_pss += memory.pss if pss else 0
            cpu[member.pid] = times.user + times.system
            if member is process:
                own = max(own, memory.rss)
        largest, total, total_pss = max(largest, *rss, 0), max(total, sum(rss)), max(total_pss, sample_pss)
        time.sleep(interval)
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command[2:])} failed ({process.returncode})")
    return TreeUsage(time.perf_counter() - started, sum(cpu.values()), own, largest, total, total_pss)
