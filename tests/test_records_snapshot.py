"""Records unchanged by changes that must not change them (a layout change, a fast path).

Compares a hash of every record of corpus/, ../shared/corpus and the CIViC statements with
tests/snapshots/records.tsv. A change that alters records on purpose regenerates the snapshot with
scripts/snapshot_records.py in the same commit.
"""

from __future__ import annotations

import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
from snapshot_records import SNAPSHOT, hashes  # noqa: E402


def test_records_match_the_snapshot(shared_corpus):
    stored = dict(line.split("\t") for line in SNAPSHOT.read_text(encoding="utf-8").splitlines()[1:])
    current = hashes()
    assert current.keys() == stored.keys()
    changed = sorted(name for name in current if current[name] != stored[name])
    assert not changed, (f"{len(changed)} record(s) changed, e.g. {changed[:5]}: if on purpose, run "
                         "python scripts/snapshot_records.py and say why in the commit")
