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
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def schema_text() -> str:
    """The schema as committed: stable key order, UTF-8, trailing newline."""
    return json.dumps(protocol_json_schema(), indent=2, ensure_ascii=False) + "\n"
