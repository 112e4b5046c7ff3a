"""The registry of pickers: the functions that choose, from a field's mentions in the annotated
Doc, the value a patient (or the whole document) gets.

A field's module registers its picker here (``@picks(Patient, "age_years", ...)``), beside the
component that recognises the field; assembly looks pickers up by the fields the record schema
declares (``records.filled_by``), so it never imports a recogniser. A picker returns a ``Picked``
per field it fills: the value and the span that gives its evidence.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

from spacy.tokens import Doc, Span

from .scope import Scope


class Picked(NamedTuple):
    """A field's value, the span its evidence comes from (None for derived lists), and a note."""

    value: Any
    span: Span | None = None
    note: str | None = None


PatientPicker = Callable[[Doc, Scope], dict[str, Picked]]
DocumentPicker = Callable[[Doc], dict[str, Picked]]

_REGISTRY: dict[tuple[str, str], Callable[..., dict[str, Picked]]] = {}


def picks(record: type, *names: str) -> Callable[[Callable], Callable]:
    """Register a picker for fields ``names`` of ``record`` (Patient: called with the Doc and the
    patient's Scope; Report: with the Doc alone)."""
    def register(function: Callable) -> Callable:
        for name in names:
            key = (record.__name__, name)
            if _REGISTRY.get(key, function) is not function:
                raise ValueError(f"{record.__name__}.{name} has two pickers: {_REGISTRY[key].__qualname__} "
                                 f"and {function.__qualname__}; a field has one home")
            _REGISTRY[key] = function
        return function
    return register


def picker_of(record: type, name: str) -> Callable[..., dict[str, Picked]]:
    try:
        return _REGISTRY[(record.__name__, name)]
    except KeyError:
        raise LookupError(f"no picker fills {record.__name__}.{name}: register one with "
                          f"@picks({record.__name__}, {name!r}) in the field's module under extractor/fields/, "
                          "and list that module in extractor/fields/__init__.py") from None
