"""Shared fixtures: the project's corpus and, where present, the evaluation corpus in ../shared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SHARED_CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def corpus_gold() -> dict[str, dict]:
    """The project's own gold, keyed by file path relative to corpus/."""
    with (CORPUS / "gold.jsonl").open(encoding="utf-8") as handle:
        return {doc["file"]: doc for doc in map(json.loads, handle)}


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    if not (SHARED_CORPUS / "gold").is_dir():
        pytest.skip("../shared/corpus not present: the evaluation corpus is only beside the repo in CI "
                    "and on the developers' machines")
    return SHARED_CORPUS
