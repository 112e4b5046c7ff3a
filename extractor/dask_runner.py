"""Batches on a Dask distributed cluster, for runs that outgrow one machine.

``casetable extract ... --scheduler tcp://HOST:8786`` (or ``extract_many(..., scheduler=...)``)
sends each document to the cluster's workers instead of the local process pool. Dask already
schedules, retries on a lost worker and scales over machines; casetable only adds what a batch
needs on top: each worker process builds the pipeline once and keeps it for every later document
(and later batch), and the reports come back in input order with at most a small window of
documents submitted ahead, so memory stays flat for any batch size.

The workers need casetable installed and the input paths readable at the same place (a shared
file system). The per-document time limit (a SIGALRM timer) cannot run in Dask's worker threads;
Dask's own task timeouts or a worker restart take its place there.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import TYPE_CHECKING, Iterator

from .records import Report
from .tasks import BatchOptions, Task, lost_report, run_task, warm_pipeline

if TYPE_CHECKING:
    from spacy.language import Language

# Documents go to the cluster in small groups, one Dask task each: a task costs the scheduler and
# the network a round trip of some milliseconds, as much as a short document takes to extract.
_DOCUMENTS_PER_TASK = 4
_AHEAD_PER_THREAD = 3  # groups submitted ahead of the one awaited, per worker thread
_CONNECT_SECONDS = 10

# In each worker process: the warm pipeline of each model, built on the first document it gets.
# A lock, since a worker may run several threads and a spaCy pipeline is not made to be shared
# by them (the rule pipeline is pure Python, so a second thread would not add speed anyway).
_pipelines: dict[str | None, Language] = {}
_worker_lock = threading.Lock()


def _run_on_worker(tasks: list[Task], options: BatchOptions, model: str | None) -> list[Report]:
    """A group of tasks on a Dask worker, with the pipeline that worker built once."""
    with _worker_lock:
        if model not in _pipelines:
            _pipelines[model] = warm_pipeline(model)
        return [run_task(task, _pipelines[model], options) for task in tasks]


def _client(scheduler: str):
    """A client of the cluster at ``scheduler``; ValueError (a usage error) when it cannot be had."""
    try:
        from distributed import Client
    except ImportError:
        raise ValueError('--scheduler needs Dask: pip install "casetable[dask]"') from None
    try:
        return Client(scheduler, timeout=_CONNECT_SECONDS)
    except (OSError, TimeoutError) as error:
        raise ValueError(f"cannot reach the Dask scheduler at {scheduler} ({error}): start one with "
                         "'dask scheduler' and workers with 'dask worker ADDRESS', or check the address") from None


def run_on_dask(tasks: list[Task], options: BatchOptions, *, scheduler: str,
                model: str | None = None) -> Iterator[Report]:
    """Reports of ``tasks`` in their order, computed on the Dask cluster at ``scheduler``."""
    groups = [tasks[i:i + _DOCUMENTS_PER_TASK] for i in range(0, len(tasks), _DOCUMENTS_PER_TASK)]
    with _client(scheduler) as client:
        threads = sum(client.nthreads().values()) or 1
        waiting: deque = deque()
        upcoming = iter(groups)

        def submit_next() -> None:
            group = next(upcoming, None)
            if group is not None:
                waiting.append((group, client.submit(_run_on_worker, group, options, model, pure=False)))

        for _ in range(_AHEAD_PER_THREAD * threads):
            submit_next()
        while waiting:
            group, future = waiting.popleft()
            try:
                reports = future.result()
            except Exception as error:  # noqa: BLE001 - a lost worker costs its documents only
                reports = [lost_report(task, f"the Dask cluster could not run it ({type(error).__name__}: {error})")
                           for task in group]
            future.release()
            submit_next()
            yield from reports
