"""Per-document limits, so that one huge or pathological file cannot hold up a batch.

A case report is a few pages and a few tens of thousands of characters; the defaults leave room
for long reviews and theses, and the CLI lets a user raise them (--max-pages, --timeout).
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

PDF_ENGINES = ("pdfium", "pdfminer")
STREAM_SHARE = 32  # one inflated PDF stream may take 1/STREAM_SHARE of a document's memory


@dataclass(frozen=True)
class Limits:
    """``max_pages``: PDF pages read (the rest is reported, not read); ``max_bytes``: largest input
    file; ``max_chars``: text passed to the pipeline (the rest is reported, not read);
    ``timeout``: seconds for reading and extracting one document (None: no limit); ``pdf_engine``:
    what reads a PDF's characters, "pdfium" or "pdfminer" (``extractor.readers.pdf``);
    ``max_memory``: bytes a worker process may take beyond its pipeline for one document (the
    CLI's workers set it as their address-space limit), and a ``STREAM_SHARE``th of it for one
    inflated PDF stream (None: no limit)."""

    max_pages: int = 100
    max_bytes: int = 200 * 1024 * 1024
    max_chars: int = 1_000_000
    timeout: float | None = 120.0
    pdf_engine: str = "pdfium"
    max_memory: int | None = 2 * 1024**3

    @property
    def max_stream_bytes(self) -> int | None:
        return None if self.max_memory is None else self.max_memory // STREAM_SHARE


def timeout_error(source: str, seconds: float) -> str:
    """The one message of a document stopped by the time limit, whichever process stopped it."""
    return (f"{source}: stopped after {seconds:g} s (the time limit): the file may be damaged or unusually "
            "large; raise the limit with --timeout to try again")


class DocumentTimeout(BaseException):
    """Raised inside the work on a document when its time is up; a BaseException, so that no
    library's ``except Exception`` swallows it and carries on."""


def _expire(signum, frame) -> None:
    raise DocumentTimeout


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise DocumentTimeout in the block after ``seconds`` (a SIGALRM timer).

    Only in the main thread of a process whose real-time timer is free (signals are delivered
    there alone); elsewhere the block runs unlimited. The process pool of ``extractor.batch``
    also stops a worker that overruns, for code that a signal cannot interrupt.
    """
    usable = (seconds is not None and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread()
              and signal.getitimer(signal.ITIMER_REAL)[0] == 0)
    if not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class LimitExceeded(BaseException):
    """A document over one of its resource limits (a stream that inflates too far); the message
    says which limit and how to raise it. A BaseException for the reason DocumentTimeout is one."""
