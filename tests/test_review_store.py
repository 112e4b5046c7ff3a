"""The decision store: SQLite always, PostgreSQL when CASETABLE_TEST_PG holds a URL."""

from __future__ import annotations

import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from extractor.review.store import Key, Store

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.skipif(
    not os.environ.get("CASETABLE_TEST_PG"),
    reason="set CASETABLE_TEST_PG=postgresql://user@host/db to test the PostgreSQL store"))]


@pytest.fixture(params=BACKENDS)
def location(request, tmp_path: Path) -> str:
    return str(tmp_path / "decisions.sqlite") if request.param == "sqlite" else os.environ["CASETABLE_TEST_PG"]


@pytest.fixture()
def source() -> str:
    """A source no other run uses, so a shared PostgreSQL database holds no stray decisions for it."""
    return f"papers/{uuid.uuid4().hex}.pdf"


def test_decisions_survive_reopening_the_database(location: str, source: str) -> None:
    Store(location).record(Key(source, "1", 0, "sex"), "corrected", "female", "alice")
    reopened = Store(location).decisions(source)
    decision = reopened[Key(source, "1", 0, "sex")]
    assert (decision.status, decision.value, decision.curator) == ("corrected", "female", "alice")
    assert decision.decided_at.endswith("+00:00")


def test_last_write_wins_and_the_log_keeps_both(location: str, source: str) -> None:
    store = Store(location)
    key = Key(source, "1", 2, "dose")
    store.record(key, "corrected", "250 mg", "alice")
    store.record(key, "accepted", "200 mg", "bob")
    assert store.decisions(source)[key].curator == "bob"
    assert [(d.curator, d.value) for d in store.history(source)[key]] == [("alice", "250 mg"), ("bob", "200 mg")]


def test_decisions_are_filed_per_document(location: str, source: str) -> None:
    store = Store(location)
    other = source.replace(".pdf", "-other.pdf")
    store.record(Key(source, "1", 0, "age_years"), "absent", None, "alice")
    store.record(Key(other, "1", 0, "age_years"), "accepted", "40", "alice")
    assert list(store.decisions(source)) == [Key(source, "1", 0, "age_years")]
    assert store.decisions(source)[Key(source, "1", 0, "age_years")].value is None


def test_unknown_status_is_refused(location: str, source: str) -> None:
    with pytest.raises(ValueError, match="accepted, corrected, absent, added"):
        Store(location).record(Key(source, "1", 0, "sex"), "maybe", None, "alice")


def test_two_curators_editing_at_once_lose_no_edit(location: str, source: str) -> None:
    """Two curators, each with a server (a Store) of their own on the same database, write at once:
    40 values of their own each, and 10 values both write. Every value has a decision, every write is in the log,
    and the current decision of a shared value is the last one logged."""
    curators = {"alice": Store(location), "bob": Store(location)}
    fields = {"alice": "drug", "bob": "duration"}
    writes = [(name, Key(source, "1", line, fields[name]), f"{name}-{line}")
              for name in curators for line in range(1, 41)]
    shared = [(name, Key(source, "2", line, "dose"), f"{name}-{line}")
              for line in range(1, 11) for name in curators]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda w: curators[w[0]].record(w[1], "corrected", w[2], w[0]), writes + shared))
    decisions = Store(location).decisions(source)
    assert len(decisions) == 90
    assert all(decisions[key].value == value for _, key, value in writes)
    log = Store(location).history(source)
    assert sum(map(len, log.values())) == len(writes) + len(shared)
    for _, key, _ in shared[::2]:
        history = log[key]
        assert sorted(d.curator for d in history) == ["alice", "bob"]
        assert decisions[key].value == history[-1].value
