"""The JSON Schema of the protocol format, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

# An identifier, not an address: nothing is served there, and tools that meet it never fetch
# it (the refs inside are all "#/$defs/..."). The last part is the major version of the
# protocol format (`format: 1`); it changes only when old protocols stop validating. Editors
# find the schema through the modeline `# yaml-language-server: $schema=<path to the file>`.
SCHEMA_ID = "urn:benchsheet:schema:protocol:1"
SCHEMA_PATH = "schemas/protocol.schema.json"
#: The same file inside the package (the wheel ships it; `benchsheet init` copies it out).
PACKAGED_SCHEMA_PATH = "src/benchsheet/schemas/protocol.schema.json"


def packaged_schema_text() -> str:
    """The schema as shipped in the installed package."""
    from importlib.resources import files

    return files("benchsheet").joinpath("schemas", "protocol.schema.json").read_text("utf-8")


def protocol_json_schema() -> dict[str, Any]:
    """The schema editors and check-jsonschema use; the models are its single source."""
    from benchsheet.model.protocol import Protocol

    schema = Protocol.model_json_schema(by_alias=True)
    _require_key_patterns(schema)
    schema = _allow_templates(schema)
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


# Before a parametrised protocol's variants are expanded, any value may be a ${...} template.
TEMPLATE_SCHEMA: dict[str, Any] = {"type": "string", "pattern": r"\$\{[^}]+\}"}
# Sections whose values describe the series itself; they are never substituted.
_NOT_SUBSTITUTED = frozenset({"parameters", "tables", "variants"})


def _is_template_leaf(node: dict[str, Any]) -> bool:
    """A leaf the model validates after expansion: an enum, a number, a boolean or a pattern."""
    if "enum" in node or "const" in node:
        return True
    kind = node.get("type")
    return kind in ("integer", "number", "boolean") or (kind == "string" and "pattern" in node)


def _allow_templates(node: Any, key: str = "") -> Any:
    """Let every checked leaf also be a ${...} template, as the model does before expansion."""
    if isinstance(node, list):
        return [_allow_templates(item) for item in node]
    if not isinstance(node, dict):
        return node
    if key in _NOT_SUBSTITUTED or node == TEMPLATE_SCHEMA:
        return node
    if _is_template_leaf(node) and key not in ("propertyNames", "patternProperties"):
        if any(alt == TEMPLATE_SCHEMA for alt in node.get("anyOf", ())):
            return node
        meta = {k: node[k] for k in ("title", "description", "default") if k in node}
        body = {k: v for k, v in node.items() if k not in meta}
        return {**meta, "anyOf": [body, TEMPLATE_SCHEMA]}
    out: dict[str, Any] = {}
    for k, v in node.items():
        if k == "properties" and isinstance(v, dict):
            out[k] = {name: (sub if name in _NOT_SUBSTITUTED else _allow_templates(sub, name))
                      for name, sub in v.items()}
        elif k in ("propertyNames", "patternProperties") or (
            k == "anyOf" and isinstance(v, list) and TEMPLATE_SCHEMA in v
        ):
            out[k] = v  # keys, or a quantity that already admits templates
        else:
            out[k] = _allow_templates(v, k)
    return out
