"""Per-field precision / recall / F1 of extracted reports against gold annotations.

Its own subpackage, independent of the extractor: it reads records in the output-contract shape
(``Report.to_dict()``) and the record schema's field declarations, and nothing else of casetable; its
vocabulary (drug-name synonyms, salt forms, site words, number words) is data under ``vocabulary/``.
Scoring follows the conventions of the evaluation corpus README; each matcher says how it reads them.

- gold documents (``gold/*.jsonl``: objects with ``file`` and ``patients``) -> ``documents``,
  precision / recall / F1 of every scored field (``fields``);
- CIViC evidence statements (``civic_auto/statements.jsonl``: objects with ``id`` and ``text``) ->
  ``civic``, recall of the curated fusions and therapies (precision is not defined there: the
  statements list only what the curators chose to record).

Extraction comes in as callables, so the scoring can be tested with hand-made predictions and the
CLI can pass the real extractor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from .civic import score_civic_auto
from .documents import load_gold, score_documents
from .scores import Scores

__all__ = ["Scores", "evaluate", "load_gold", "missing_documents", "score_civic_auto", "score_documents"]


def missing_documents(gold_path: Path, corpus_dir: Path) -> list[str]:
    """The ``file`` paths of a gold file that are not under ``corpus_dir``: scoring them would count every
    gold value as missed, a table of zeros that looks like a result."""
    return [row["file"] for row in load_gold(gold_path) if "file" in row and not (Path(corpus_dir) / row["file"]).is_file()]


def evaluate(gold_path: Path, corpus_dir: Path, extract_path: Callable[[Path], Any],
             extract_text: Callable[[str, str], Any]) -> Scores:
    """Extract every document of a reference file and score it.

    A gold file (objects with ``file`` and ``patients``) calls ``extract_path(corpus_dir / file)``
    and scores with :func:`score_documents`; a statements file (objects with ``id`` and ``text``)
    calls ``extract_text(text, id)`` and scores with :func:`score_civic_auto`. An extraction that
    raises scores as an empty prediction and is listed in ``Scores.errors``: one bad file does not
    stop the evaluation.
    """
    rows = load_gold(gold_path)
    errors: dict[str, str] = {}

    def attempt(key: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - one failing document must not end the run
            errors[key] = f"{type(exc).__name__}: {exc}"
            return None

    if rows and all("id" in r and "text" in r for r in rows):
        predictions = {r["id"]: attempt(r["id"], lambda r=r: extract_text(r["text"], r["id"])) for r in rows}
        scores = score_civic_auto(rows, predictions)
    elif all("file" in r and "patients" in r for r in rows):
        predictions = {r["file"]: attempt(r["file"], lambda r=r: extract_path(Path(corpus_dir) / r["file"]))
                       for r in rows}
        scores = score_documents(rows, predictions)
    else:
        raise ValueError(
            f"{gold_path}: not a gold file (objects with 'file' and 'patients') nor a statements file "
            "(objects with 'id' and 'text')")
    scores.errors.update(errors)
    return scores
