"""A process pool for batches: each worker builds the pipeline once, results come back in input order.

Why not ``concurrent.futures``: a document that hangs inside code a signal cannot interrupt, or
that kills its process (a crash in a C extension, the kernel's OOM killer), would stall or break
the whole pool. Here each worker has its own pipe; the parent knows which document each worker
holds, gives it ``timeout`` plus a grace period (the worker's own SIGALRM limit normally fires
first), and replaces a worker that overruns or dies, with an error record for that document
alone. Workers start with ``forkserver`` (``spawn`` where there is none), never plain ``fork``
from a parent that may run threads (the progress bar's). The fork server builds and warms the
default pipeline once (``extractor._warm``, about 2 s), so each worker forked from it starts at
once with the pipeline in memory it shares with its siblings, and a worker replaced after a crash
is back as fast.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from time import monotonic
from typing import Callable, Iterator

from .guard import confine_worker, hand_temp_dir_to_fork_server
from .readers import timeout_error
from .records import Report
from .tasks import BatchOptions, Task, lost_report, run_task, warm_pipeline

_WINDOW_PER_WORKER = 8  # results held back for order, at most, per worker
# Imported once by the fork server: the default pipeline, built and warmed.
_PRELOAD = ["extractor._warm"]


def _work(conn: Connection, model: str | None, options: BatchOptions) -> None:
    """Worker process: take the warm pipeline (forked from the fork server, or built here for a
    ``model``, or without a fork server), then serve tasks."""
    try:
        nlp = warm_pipeline(model)
    except Exception as error:  # noqa: BLE001 - reported to the parent, which stops the batch
        conn.send(("failed", f"{type(error).__name__}: {error}"))
        return
    confine_worker(options.limits.max_memory)
    try:
        conn.send(("ready", None))
        while (message := conn.recv()) is not None:
            index, task = message
            conn.send((index, run_task(task, nlp, options)))
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        return  # the parent has gone, or the user pressed Ctrl-C (the parent stops the batch)


@dataclass
class _Worker:
    process: mp.process.BaseProcess
    conn: Connection
    ready: bool = False
    task: tuple[int, Task] | None = None
    deadline: float | None = None


Target = Callable[[Connection, "str | None", BatchOptions], None]


class _Pool:
    def __init__(self, jobs: int, model: str | None, options: BatchOptions, target: Target):
        if "forkserver" in mp.get_all_start_methods():
            hand_temp_dir_to_fork_server()
            self.context = mp.get_context("forkserver")
            self.context.set_forkserver_preload(_PRELOAD)
        else:
            self.context = mp.get_context("spawn")
        self.model, self.options, self.target = model, options, target
        timeout = options.limits.timeout
        self.grace = None if timeout is None else timeout + max(5.0, 0.25 * timeout)
        self.workers = [self.start() for _ in range(jobs)]

    def start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=self.target, args=(child, self.model, self.options), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def replace(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
        self.workers[self.workers.index(worker)] = self.start()

    def close(self) -> None:
        for worker in self.workers:
            try:
                worker.conn.send(None)
            except (OSError, ValueError):
                pass
        for worker in self.workers:
            worker.process.join(5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(5)
            worker.conn.close()


def run_parallel(tasks: list[Task], options: BatchOptions, *, jobs: int, model: str | None = None,
                 target: Target = _work) -> Iterator[Report]:
    """Reports of ``tasks`` in their order, computed by ``jobs`` worker processes running ``target``
    (the worker loop; tests pass one that crashes or hangs, to check that the batch survives)."""
    pool = _Pool(min(jobs, len(tasks)), model, options, target)
    queue = deque(enumerate(tasks))
    done: dict[int, Report] = {}
    emitted = 0
    window = _WINDOW_PER_WORKER * len(pool.workers)
    try:
        while emitted < len(tasks):
            for worker in pool.workers:
                if worker.ready and worker.task is None and queue and queue[0][0] < emitted + window:
                    worker.task = queue.popleft()
                    worker.deadline = None if pool.grace is None else monotonic() + pool.grace
                    worker.conn.send(worker.task)
            deadlines = [w.deadline for w in pool.workers if w.deadline is not None]
            timeout = max(0.0, min(deadlines) - monotonic()) if deadlines else None
            ready = wait([w.conn for w in pool.workers] + [w.process.sentinel for w in pool.workers], timeout)
            for worker in list(pool.workers):
                if worker.conn in ready:
                    try:
                        message = worker.conn.recv()
                    except (EOFError, OSError):
                        message = None
                    if message is None:
                        _worker_died(pool, worker, done)
                    elif message[0] == "ready":
                        worker.ready = True
                    elif message[0] == "failed":
                        raise ValueError(f"the pipeline could not be built in a worker process: {message[1]}")
                    else:
                        done[message[0]] = message[1]
                        worker.task = worker.deadline = None
                elif worker.process.sentinel in ready:
                    _worker_died(pool, worker, done)
                elif worker.deadline is not None and monotonic() > worker.deadline and worker.task is not None:
                    index, task = worker.task
                    limit = pool.options.limits.timeout
                    done[index] = Report(source=task.source, errors=[timeout_error(task.source, limit)])
                    pool.replace(worker)
            while emitted in done:
                yield done.pop(emitted)
                emitted += 1
    finally:
        pool.close()


def _worker_died(pool: _Pool, worker: _Worker, done: dict[int, Report]) -> None:
    """A worker that exits: its document gets an error record; before its first task, the batch stops."""
    if worker.task is None and not worker.ready:
        raise ValueError(f"a worker process exited while starting (exit code {worker.process.exitcode}): run with "
                         "--jobs 1 to see the error; a script that calls extract_many(jobs=...) needs "
                         "'if __name__ == \"__main__\":'")
    if worker.task is not None:
        index, task = worker.task
        worker.process.join(1)
        done[index] = lost_report(task, f"the process reading it ended unexpectedly (exit code "
                                        f"{worker.process.exitcode}), perhaps over the memory limit (raise it with "
                                        "--max-memory)")
    pool.replace(worker)
