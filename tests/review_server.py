"""Helpers of the review tests: records extracted by the real CLI, the review server as a process."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def extract_records(paths: list[Path], output: Path) -> Path:
    """``casetable extract PATHS -o output`` in a process of its own, as a curator would run it."""
    subprocess.run([sys.executable, "-m", "extractor.cli", "extract", *map(str, paths), "-o", str(output),
                    "-q", "--jobs", "1"], check=True, cwd=ROOT)
    return output


@dataclass
class ReviewServer:
    """``casetable review`` on a free port, stopped by ``stop`` (or leaving the ``with`` block)."""

    records: Path
    db: Path
    curator: str = "alice"

    def __post_init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "extractor.cli", "review", str(self.records), "--db", str(self.db),
             "--port", "0", "--curator", self.curator],
            stdout=subprocess.PIPE, text=True, cwd=ROOT)
        line = self.process.stdout.readline()
        found = re.search(r"http://[\d.]+:\d+/", line)
        if found is None:
            self.stop()
            raise RuntimeError(f"the review server did not start: {line!r}")
        self.url = found.group(0)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        self.process.stdout.close()

    def __enter__(self) -> ReviewServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
