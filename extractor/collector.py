"""The cyclic garbage collector, paused around work that allocates many objects that form no cycles.

Loading the gene lexicon (~80k rows of tuples) and letting pdfminer read a PDF (several objects per
printed character) both make the collector run pass after pass; in a process that holds a spaCy
pipeline each full pass walks hundreds of thousands of objects. Reference counting frees what that
work throws away; the few cycles left are collected once the collector runs again.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the collector for the block; a caller's own pause is left as it was, also on errors."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
