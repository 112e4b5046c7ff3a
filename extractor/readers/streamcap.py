"""A cap on what one compressed PDF stream may inflate to, checked while it inflates.

A "PDF bomb" is a few megabytes of FlateDecode data that inflate to gigabytes: pdfminer calls
``zlib.decompress`` on the whole stream, so the memory is gone before layout analysis starts,
inside C code no time limit can interrupt. pdfminer's stream decoding looks ``zlib`` up in its
own module, so this module puts a stand-in there whose ``decompress`` inflates in bounded steps
and stops at the cap; the rest of zlib passes through. pdfium inflates in its own C code:
``check_streams`` inflates the file's streams, bounded, before it reads them.
"""

from __future__ import annotations

import re
import zlib
from contextlib import contextmanager
from typing import Iterator

import pdfminer.pdftypes

from .limits import STREAM_SHARE, LimitExceeded

_STEP = 1 << 20  # input fed to the inflater at a time, so no single call can outgrow the cap by much


class _CappedZlib:
    """The ``zlib`` pdfminer's stream decoding sees: ``decompress`` stops at ``cap`` bytes, and so
    does the inflater pdfminer's lenient decoder of damaged streams asks ``decompressobj`` for."""

    def __init__(self, cap: int, source: str) -> None:
        self.cap, self.source = cap, source

    def __getattr__(self, name: str):
        return getattr(zlib, name)

    def check(self, size: int) -> None:
        if size > self.cap:
            raise LimitExceeded(
                f"{self.source}: a compressed stream of this PDF inflates to more than {self.cap / 2**20:g} MB "
                "(the stream limit; a 'PDF bomb'?): not read. If the PDF is genuine, raise the limit with "
                f"--max-memory (the stream limit is 1/{STREAM_SHARE} of it)")

    def decompressobj(self) -> _CappedInflater:
        return _CappedInflater(self)

    def decompress(self, data: bytes) -> bytes:
        return b"".join(self.inflate(data))

    def inflate(self, data: bytes) -> Iterator[bytes]:
        """The inflated parts of a whole deflate stream, in bounded steps; LimitExceeded past the cap."""
        inflater = zlib.decompressobj()
        size = 0
        for start in range(0, len(data), _STEP):
            chunk = data[start:start + _STEP]
            while chunk and not inflater.eof:
                part = inflater.decompress(chunk, self.cap + 1 - size)
                size += len(part)
                self.check(size)
                yield part
                chunk = inflater.unconsumed_tail
            if inflater.eof:
                return
        # As zlib.decompress does; pdfminer then tries its lenient decoder.
        raise zlib.error("incomplete or truncated stream")


class _CappedInflater:
    """A ``zlib.decompressobj`` that counts what it gave out."""

    def __init__(self, owner: _CappedZlib) -> None:
        self.owner, self.inner, self.size = owner, zlib.decompressobj(), 0

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        part = self.inner.decompress(data, max_length)
        self.size += len(part)
        self.owner.check(self.size)
        return part


@contextmanager
def stream_cap(cap: int, source: str) -> Iterator[None]:
    """pdfminer's FlateDecode inflates at most ``cap`` bytes per stream in the block."""
    previous = pdfminer.pdftypes.zlib
    pdfminer.pdftypes.zlib = _CappedZlib(cap, source)  # type: ignore[assignment]
    try:
        yield
    finally:
        pdfminer.pdftypes.zlib = previous


_STREAM_START = re.compile(rb"stream\r?\n")
# Deflate writes at most 258 bytes for 2 bits of input (a length code and a distance code of one
# bit each), so no deflate data inflates to more than 1032 times its size (and a header's worth).
_MAX_DEFLATE_RATIO = 1032
_MAX_DEFLATE_EXTRA = 1024


def _most_inflated(size: int) -> int:
    return _MAX_DEFLATE_RATIO * size + _MAX_DEFLATE_EXTRA


def check_streams(data: bytes, cap: int, total: int, source: str) -> None:
    """Raise LimitExceeded when a stream of the PDF's bytes inflates past ``cap``, or all of them
    together past ``total`` (the memory a worker may take).

    For readers that inflate streams in C code of their own (pdfium), where running out of memory
    ends the process instead of raising: the stream data between ``stream`` and ``endstream`` is
    inflated here first, in bounded steps; what is not deflate data (images, damaged streams) is
    left to the reader. Only what could change the answer is inflated (``_MAX_DEFLATE_RATIO``
    bounds what a stream can inflate to): every stream that could pass ``cap``, then the largest
    of the rest until what they could still add keeps the sum within ``total``. Most PDFs inflate
    none of their streams here."""
    streams = []
    position = 0
    while (match := _STREAM_START.search(data, position)) is not None:
        end = data.find(b"endstream", match.end())
        if end < 0:
            break
        streams.append((match.end(), end))
        position = end + len(b"endstream")  # not the "stream" that ends "endstream"
    # The streams that could pass the cap first, then the others from the largest down.
    streams.sort(key=lambda stream: (_most_inflated(stream[1] - stream[0]) <= cap, stream[0] - stream[1]))
    still_possible = sum(_most_inflated(end - start) for start, end in streams)  # from the streams not inflated
    capped = _CappedZlib(cap, source)
    inflated = 0
    for start, end in streams:
        if _most_inflated(end - start) <= cap and inflated + still_possible <= total:
            return  # no stream left can pass the cap, nor take the sum past the total
        still_possible -= _most_inflated(end - start)
        try:
            inflated += sum(map(len, capped.inflate(data[start:end])))
        except zlib.error:
            continue
        if inflated > total:
            raise LimitExceeded(
                f"{source}: the compressed streams of this PDF inflate to more than {total / 2**20:g} MB together "
                f"(the memory limit of {total / 2**20:g} MB; a 'PDF bomb'?): not read. If the PDF is genuine, "
                "raise the limit with --max-memory")
