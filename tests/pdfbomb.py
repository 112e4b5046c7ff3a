"""Write a "PDF bomb": a small PDF whose FlateDecode content streams inflate to far more than it is.

Built by hand (no PDF producer compresses that well on purpose): one page with a line of real text
and ``streams`` content streams, each ``inflated_mb`` megabytes of spaces once inflated, which
zlib packs about a thousand to one. The generator is kept instead of a committed file, as the
sizes are what the tests choose.
"""

from __future__ import annotations

import zlib
from pathlib import Path

_TEXT = b"BT /F1 12 Tf 72 720 Td (A 40-year-old man with a TPM3-ALK fusion received crizotinib.) Tj ET\n"


def _spaces_deflated(megabytes: int) -> bytes:
    packer = zlib.compressobj(9)
    block = b" " * 2**20
    return b"".join(packer.compress(block) for _ in range(megabytes)) + packer.flush()


def make_pdf_bomb(path: Path, inflated_mb: int, streams: int = 1) -> Path:
    body = zlib.compress(_TEXT)
    bomb = _spaces_deflated(inflated_mb)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents [" + b" ".join(b"%d 0 R" % n for n in range(5, 6 + streams)) + b"] >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream",
    ]
    objects += [b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream"] * streams
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path
