"""Resource limits of a worker process, which hold where a time limit cannot reach.

SIGALRM is only looked at between Python bytecodes, so a document stuck in C code (zlib inflating
a PDF bomb, a regex) runs past ``--timeout``, and its memory has no bound at all. Every document
of the CLI therefore runs in a worker process (``extractor.batch``), also for ``--jobs 1``: the
parent kills a worker that overruns its time, and the worker caps its own address space here,
so an allocation over the cap fails (MemoryError, or the worker dies) instead of the machine
swapping. A worker also asks the kernel to kill it when its parent dies, so a ``kill -9`` of
casetable leaves no worker running on, and the fork server removes the parent's temporary folder.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import resource
import shutil
import signal
import sys
from multiprocessing import util

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_PARENT_TEMP_DIR = "CASETABLE_POOL_TEMP_DIR"


def address_space() -> int:
    """Bytes of address space this process has mapped now (VmSize), 0 where /proc is missing."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        return 0


def cap_memory(max_memory: int | None) -> None:
    """Limit this process's address space to what it maps now (the warm pipeline) plus
    ``max_memory`` bytes for the document; never above a limit set from outside."""
    if not max_memory:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = address_space() + max_memory
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft == resource.RLIM_INFINITY or cap < soft:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def die_with_parent(signal_number: int = signal.SIGKILL) -> None:
    """Have the kernel send ``signal_number`` to this process when the process that started it
    ends (Linux)."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal_number, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the request was made
        os._exit(1)


def confine_worker(max_memory: int | None) -> None:
    """Both limits, for a worker process about to take documents."""
    die_with_parent()
    cap_memory(max_memory)


def hand_temp_dir_to_fork_server() -> None:
    """Tell the fork server (started after this, inheriting the environment) where this process's
    multiprocessing folder (``/tmp/pymp-*``, holding the server's socket) is. A parent killed with
    ``kill -9`` cannot remove it; the fork server, which exits when its parent dies, does."""
    os.environ[_PARENT_TEMP_DIR] = util.get_temp_dir()


def fork_server_ends_with_parent() -> None:
    """In the fork server: exit when the parent dies (the workers hold the pipe it would otherwise
    wait on, so it would wait for them), and remove the parent's multiprocessing folder on the way
    out. The workers, forked from the server, then get their own SIGKILL (``die_with_parent``)."""
    folder = os.environ.pop(_PARENT_TEMP_DIR, None)
    owned = folder if folder and os.path.basename(folder).startswith("pymp-") else None
    if owned:
        atexit.register(shutil.rmtree, owned, ignore_errors=True)

    def end(signum: int, frame: object) -> None:
        # The folder removed, then out at once: an exception raised here (sys.exit, to run atexit)
        # could meet the server already on its way out, in threading's shutdown, and print a
        # traceback to the stderr it shares with the parent (seen after a Ctrl-C).
        if owned:
            shutil.rmtree(owned, ignore_errors=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, end)
    die_with_parent(signal.SIGTERM)
