"""Access to the rule data under patterns/ (JSONL, TSV, TXT), wherever the package is installed.

The pyproject maps the repository's top-level ``patterns/`` directory to the package
``extractor.patterns``; running from a checkout without installing falls back to the directory.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any, Iterator


@lru_cache(maxsize=1)
def patterns_dir() -> Traversable:
    try:
        root = resources.files("extractor.patterns")
        if root.joinpath("sections.jsonl").is_file():
            return root
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "patterns"


def pattern_file(name: str) -> Traversable:
    path = patterns_dir().joinpath(name)
    if not path.is_file():
        raise FileNotFoundError(
            f"rule data file patterns/{name} is missing: reinstall casetable (pip install .) "
            "or restore it from the repository"
        )
    return path


def read_jsonl(name: str) -> list[dict[str, Any]]:
    """Rows of a JSONL rule file; blank lines and lines starting with // are skipped."""
    rows = []
    for line in pattern_file(name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("//"):
            rows.append(json.loads(line))
    return rows


def read_lines(name: str) -> Iterator[str]:
    """Non-empty lines of a TXT/TSV rule file, without # comments."""
    for line in pattern_file(name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].rstrip() if not line.startswith("#") else ""
        if line.strip():
            yield line


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a TSV rule file whose first non-comment line names the columns."""
    lines = list(read_lines(name))
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]
