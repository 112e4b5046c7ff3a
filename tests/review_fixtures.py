"""Helpers of the review tests: records (extracted by the real CLI, or written for a small paper),
and the review server as a process of its own."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PAPER = ("Case report\n\nA 41-year-old man had an inflammatory myofibroblastic tumour with a TFG::ROS1 fusion. "
         "He received <script>alert(1)</script> 250 mg daily and had a partial response.\n")
DRUG = "<script>alert(1)</script>"


def _evidence(text: str, words: str) -> dict:
    start = text.index(words)
    sentence_start = text.rfind(". ", 0, start) + 2
    return {"text": text[sentence_start:text.index(".", start) + 1], "start": start, "end": start + len(words),
            "matched": words}


def write_records(path: Path, source: str, text: str, dose: str = "250 mg daily") -> Path:
    """A records file as ``casetable extract`` writes it, for the paper above."""
    record = {"source": source, "report": "Doe et al. 2024", "patients": [{
        "patient": "1", "fusion": "TFG::ROS1", "primary_site": None, "age_years": 41.0, "sex": "male",
        "fusions": ["TFG::ROS1"],
        "evidence": {"fusion": _evidence(text, "TFG::ROS1"), "age_years": _evidence(text, "41-year-old"),
                     "sex": _evidence(text, "man")},
        "treatments": [{"drug": DRUG, "dose": dose, "duration": None, "response": "PR", "line": 1,
                        "evidence": {"drug": _evidence(text, DRUG), "dose": _evidence(text, "250 mg daily"),
                                     "response": _evidence(text, "partial response")}}]}],
        "fusions": ["TFG::ROS1"], "drugs": [DRUG], "errors": []}
    empty = {"source": source + ".missing.txt", "report": None, "patients": [], "fusions": [], "drugs": [],
             "errors": ["no patient found"]}
    path.write_text(json.dumps(record) + "\n" + json.dumps(empty) + "\n", encoding="utf-8")
    return path


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
