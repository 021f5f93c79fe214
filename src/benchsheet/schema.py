"""The JSON Schema of the protocol format, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

SCHEMA_ID = "https://benchsheet.example/schemas/protocol.schema.json"
SCHEMA_PATH = "schemas/protocol.schema.json"


def protocol_json_schema() -> dict[str, Any]:
    """The schema editors and check-jsonschema use; the models are its single source."""
    from benchsheet.model.protocol import Protocol

    schema = Protocol.model_json_schema(by_alias=True)
    _require_key_patterns(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def schema_text() -> str:
    """The schema as committed: stable key order, UTF-8, trailing newline."""
    return json.dumps(protocol_json_schema(), indent=2, ensure_ascii=False) + "\n"


def _require_key_patterns(node: Any) -> None:
    """Make mapping keys that must be identifiers refuse other keys, as the model does.

    pydantic writes ``dict[Identifier, X]`` as ``patternProperties`` alone, which lets a key
    such as ``1-CdCl2`` through unchecked; the same pattern in ``propertyNames`` refuses it.
    """
    if isinstance(node, dict):
        patterns = node.get("patternProperties")
        names = node.get("propertyNames")
        if isinstance(patterns, dict) and len(patterns) == 1 and isinstance(names, dict):
            names.setdefault("pattern", next(iter(patterns)))
        for value in node.values():
            _require_key_patterns(value)
    elif isinstance(node, list):
        for item in node:
            _require_key_patterns(item)
