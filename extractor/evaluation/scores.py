"""Counts and the score report: per-field true/false positives and negatives, and what was missed where.

Counts are micro-averaged: true/false positives and false negatives are summed over documents before
the ratios are taken, so a 5-patient series weighs more than a one-line abstract.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any


@dataclass
class FieldCounts:
    """True positives, false positives and false negatives of one field, summed over documents.

    ``recall_only`` marks counts where false positives are not observable (civic_auto): precision
    and F1 are then None rather than a misleading 1.0.
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0
    recall_only: bool = False

    @property
    def precision(self) -> float | None:
        if self.recall_only or self.tp + self.fp == 0:
            return None
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """2TP / (2TP + FP + FN): the harmonic mean of P and R, defined whenever anything was scored."""
        if self.recall_only:
            return None
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None

    def __add__(self, other: FieldCounts) -> FieldCounts:
        return FieldCounts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn,
                           self.recall_only or other.recall_only)

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": _round(self.precision),
                "recall": _round(self.recall), "f1": _round(self.f1)}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@dataclass
class Scores:
    """Per-field counts plus what went wrong where, so a low score can be traced to documents.

    ``misses[file]`` lists every false negative and false positive: ``gold`` is the missed gold value
    (None for a pure false positive), ``predicted`` the wrong or extra predicted value (None for a pure
    false negative). ``skipped[file]`` lists reference values that the conventions exclude from
    scoring (civic_auto); ``errors[file]`` extractions that raised.
    """

    kind: str = "gold"
    fields: tuple[str, ...] = ()
    counts: dict[str, FieldCounts] = field(default_factory=dict)
    misses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    skipped: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    documents: int = 0

    def __post_init__(self) -> None:
        recall_only = self.kind == "civic_auto"
        for name in self.fields:
            self.counts.setdefault(name, FieldCounts(recall_only=recall_only))

    def __getitem__(self, name: str) -> FieldCounts:
        return self.counts[name]

    @property
    def overall(self) -> FieldCounts:
        total = FieldCounts(recall_only=self.kind == "civic_auto")
        for name in self.fields:
            total = total + self.counts[name]
        return total

    @property
    def precision(self) -> float | None:
        return self.overall.precision

    @property
    def recall(self) -> float | None:
        return self.overall.recall

    @property
    def f1(self) -> float | None:
        return self.overall.f1

    def add(self, file: str, name: str, *, tp: int = 0, fp: int = 0, fn: int = 0,
            gold: Any = None, predicted: Any = None, **where: Any) -> None:
        """Count one comparison; keep a miss record when it produced a FP or FN."""
        counts = self.counts[name]
        counts.tp += tp
        counts.fp += fp
        counts.fn += fn
        if fp or fn:
            self.misses.setdefault(file, []).append(
                {"field": name, "gold": gold if fn else None,
                 "predicted": predicted if fp else None, **where})

    def merge(self, other: Scores) -> Scores:
        """The scores of two sets together (for example seeds + cases); kinds must agree."""
        if other.kind != self.kind:
            raise ValueError(f"cannot merge {self.kind} scores with {other.kind} scores")
        merged = Scores(kind=self.kind, fields=self.fields, documents=self.documents + other.documents)
        for name in self.fields:
            merged.counts[name] = self.counts[name] + other.counts[name]
        for target, a, b in ((merged.misses, self.misses, other.misses),
                             (merged.skipped, self.skipped, other.skipped)):
            for file, items in itertools.chain(a.items(), b.items()):
                target.setdefault(file, []).extend(items)
        merged.errors = {**self.errors, **other.errors}
        return merged

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "documents": self.documents,
            "fields": {name: self.counts[name].to_dict() for name in self.fields},
            "overall": self.overall.to_dict(),
            "misses": self.misses,
            "skipped": self.skipped,
            "errors": self.errors,
        }

    def format_table(self) -> str:
        """A plain-text table: one row per field and an overall row (``-`` where undefined)."""
        def cell(value: float | None) -> str:
            return "-" if value is None else f"{value:.3f}"

        width = max(len(name) for name in (*self.fields, "overall"))
        lines = [f"{'field':<{width}}  {'P':>5}  {'R':>5}  {'F1':>5}  {'TP':>5}  {'FP':>5}  {'FN':>5}"]
        rows = [(name, self.counts[name]) for name in self.fields] + [("overall", self.overall)]
        for name, c in rows:
            lines.append(f"{name:<{width}}  {cell(c.precision):>5}  {cell(c.recall):>5}  "
                         f"{cell(c.f1):>5}  {c.tp:>5}  {c.fp:>5}  {c.fn:>5}")
        return "\n".join(lines)

    def format_misses(self, most: int) -> str:
        """The first ``most`` misses of each field, for reading under the table: where, gold, predicted."""
        lines = []
        for name in self.fields:
            found = [(file, miss) for file, misses in self.misses.items() for miss in misses if miss["field"] == name]
            if not found:
                continue
            lines.append(f"\n{name}: {len(found)} miss(es)" + (f", the first {most}" if len(found) > most else ""))
            for file, miss in found[:most]:
                where = f" ({miss['drug']})" if miss.get("drug") else ""
                lines.append(f"  {file}{where}: gold {miss['gold']!r}, predicted {miss['predicted']!r}")
        return "\n".join(lines)

