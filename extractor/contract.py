"""The output contract as a JSON Schema, derived from the record classes (``extractor.records``), and
the schema file shipped in the package (``contract.schema.json``, printed by ``casetable schema``).

Deriving it keeps the schema the one declaration of the records: a field added to a record is in the
schema the next time the file is written (``python -m extractor.contract``); a test checks that the
shipped file is the derived one and validates every corpus record against it.
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import fields
from pathlib import Path
from typing import Any

from .records import Evidence, Patient, Report, Treatment

SCHEMA_FILE = Path(__file__).resolve().parent / "contract.schema.json"
_RECORDS = {cls.__name__: cls for cls in (Report, Patient, Treatment, Evidence)}
_SCALARS = {str: {"type": "string"}, int: {"type": "integer"}, float: {"type": "number"},
            bool: {"type": "boolean"}, type(None): {"type": "null"}}


def _type_schema(hint: Any) -> dict[str, Any]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [_type_schema(arg) for arg in args]}
    if origin is list:
        return {"type": "array", "items": _type_schema(args[0])}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type_schema(args[1])}
    if hint in _SCALARS:
        return dict(_SCALARS[hint])
    if getattr(hint, "__name__", None) in _RECORDS:
        return {"$ref": f"#/$defs/{hint.__name__}"}
    return {}  # Any: details whose keys depend on what the text gave


def _record_schema(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    properties = {f.name: _type_schema(hints[f.name]) for f in fields(cls)}
    # Optional fields are left out while empty; Evidence leaves out what is None.
    required = [f.name for f in fields(cls) if not f.metadata.get("optional")
                and not (cls is Evidence and f.default is None)]
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False,
            **({"description": cls.__doc__.strip().splitlines()[0]} if cls.__doc__ else {})}


def contract_schema() -> dict[str, Any]:
    """The JSON Schema of one JSONL record (a Report)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "casetable record",
            **_record_schema(Report), "$defs": {name: _record_schema(cls) for name, cls in _RECORDS.items() if cls is not Report}}


def schema_text() -> str:
    return json.dumps(contract_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_FILE.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
