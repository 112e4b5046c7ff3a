"""Write tests/snapshots/records.tsv: a hash of every record casetable gives for the documents of corpus/
and ../shared/corpus (and the CIViC statements), for tests/test_records_snapshot.py.

The test is a guard for changes that must not change output (a new layout, a faster path): it fails
on any change to any value or evidence. A change that alters records on purpose runs this script in
the same commit, and its message says what changed and why (the `casetable evaluate` figures).
Only hashes are stored: the evaluation texts stay in ../shared.

    python scripts/snapshot_records.py          # from the repository root, ../shared beside it
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "corpus"
SNAPSHOT = REPO / "tests" / "snapshots" / "records.tsv"
# Fields left out of the hash: the version changes with each release, not with what was extracted.
UNHASHED_FIELDS = ("casetable_version",)


def documents() -> Iterator[tuple[str, Path | None, str | None]]:
    """(name, path, None) for files; (name, None, text) for the CIViC statements."""
    for path in sorted((REPO / "corpus" / "reports").iterdir()):
        yield f"corpus/reports/{path.name}", path, None
    for gold in sorted((SHARED / "gold").glob("*.jsonl")):
        for line in gold.read_text(encoding="utf-8").splitlines():
            if line.strip():
                file = json.loads(line)["file"]
                yield f"shared/{file}", SHARED / file, None
    for line in (SHARED / "civic_auto" / "statements.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            statement = json.loads(line)
            yield f"civic/{statement['id']}", None, statement["text"]


def _without_unhashed(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_unhashed(v) for k, v in value.items() if k not in UNHASHED_FIELDS}
    if isinstance(value, list):
        return [_without_unhashed(v) for v in value]
    return value


def record_hash(record: dict[str, Any]) -> str:
    canonical = json.dumps(_without_unhashed(record), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def hashes() -> dict[str, str]:
    sys.path.insert(0, str(REPO))
    from extractor.api import extract, extract_text
    from extractor.pipeline import default_pipeline

    nlp = default_pipeline()
    result = {}
    for name, path, text in documents():
        report = extract(path, nlp) if path is not None else extract_text(text, name.split("/", 1)[1], nlp)
        record = report.to_dict()
        record["source"] = name  # the path relative to the checkout, the same on every machine
        result[name] = record_hash(record)
    return result


def main() -> None:
    rows = "".join(f"{name}\t{digest}\n" for name, digest in hashes().items())
    SNAPSHOT.write_text("# document\thash of its record (scripts/snapshot_records.py)\n" + rows, encoding="utf-8")
    print(f"wrote {SNAPSHOT.relative_to(REPO)}: {rows.count(chr(10))} documents")


if __name__ == "__main__":
    main()
