"""From plain data to a ``Protocol``: pydantic errors become located findings.

Pydantic reports a location as a tuple that mixes the document's keys with the names of union
branches (``steps[3].heat.temperature``); this module walks that tuple against the data so each
finding points at the line and column of the key or value in the file.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from benchsheet.findings import Finding, PathPart, Severity
from benchsheet.loader import LoadedDocument
from benchsheet.model.protocol import Protocol

QUANTITY_CODES = {
    "quantity_bare_number": "UN201",
    "quantity_wrong_dimension": "UN202",
    "quantity_unknown_unit": "UN203",
    "quantity_ambiguous_unit": "UN204",
    "quantity_malformed": "UN205",
    "quantity_pressure_reference": "UN206",
    "quantity_reversed_range": "UN207",
    "quantity_negative": "UN208",
    "quantity_too_large": "UN209",
}
# Which of several errors at one place to show: the most specific first.
_PRIORITY = ["quantity_", "union_tag", "missing", "extra_forbidden", "literal_error",
             "string_pattern", "value_error"]


@functools.cache
def _all_field_names() -> frozenset[str]:
    names: set[str] = set()
    seen: set[type[BaseModel]] = set()

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            names.add(info.alias or name)
            for arg in _types_in(info.annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    visit(arg)

    visit(Protocol)
    return frozenset(names)


def _types_in(annotation: Any) -> Iterator[Any]:
    yield annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _types_in(arg)
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        yield from _types_in(origin)


def _is_branch_tag(part: str, node: Any) -> bool:
    if isinstance(node, dict):
        for key in ("action", "mode", "kind"):
            if node.get(key) == part:
                return True
    return (
        part[:1].isupper() or part in {"str", "int", "float", "bool", "list", "dict", "none"}
        or "[" in part or part.startswith(("function-", "literal", "union"))
    )


def clean_location(loc: tuple[int | str, ...], data: Any) -> tuple[PathPart, ...]:
    """Drop union-branch names from a pydantic location, keeping the document's own keys."""
    node: Any = data
    out: list[PathPart] = []
    for part in loc:
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        in_map = isinstance(node, dict) and isinstance(part, str) and part in node
        if in_list or in_map:
            out.append(part)
            node = node[part]
        elif isinstance(part, str) and not _is_branch_tag(part, node):
            out.append(part)  # a missing key, or a key of a mapping we no longer track
            node = None
    return tuple(out)


def _action_of(data: Any, path: tuple[PathPart, ...]) -> str | None:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    if isinstance(node, dict) and isinstance(node.get("action"), str):
        return str(node["action"])
    return None


@functools.lru_cache(maxsize=1024)
def _closest_field_name(name: str) -> str | None:
    """The known key an unknown one is most likely a typo of (difflib costs ~1 ms a call, and a
    file with a key misspelt in every step asks the same question thousands of times)."""
    close = difflib.get_close_matches(name, _all_field_names() - {name}, n=1, cutoff=0.75)
    return close[0] if close else None


def _finding_for(error: Any, path: tuple[PathPart, ...], doc: LoadedDocument,
                 variant: str) -> Finding:
    kind: str = error["type"]
    ctx = error.get("ctx") or {}
    hint = str(ctx.get("hint", ""))
    message = str(error["msg"])
    key = False
    if kind in QUANTITY_CODES:
        code = QUANTITY_CODES[kind]
        message = str(ctx.get("message", message))
        field = path[-1] if path else "value"
        message = f"{field}: {message}"
    elif kind == "missing":
        code = "SC101"
        where = _action_of(doc.data, path[:-1])
        owner = f"a '{where}' step" if where else (
            "the protocol" if len(path) == 1 else f"'{path[-2]}'")
        message = f"'{path[-1]}' is required in {owner}"
        hint = f"add '{path[-1]}:'"
    elif kind == "extra_forbidden":
        code, key = "SC102", True
        name = str(path[-1]) if path else "?"
        close = _closest_field_name(name)
        message = f"unknown key '{name}'"
        hint = f"did you mean '{close}'?" if close else "this kind of entry has no such " \
            "key; 'benchsheet schema' writes every key the format has"
    elif kind.startswith("union_tag"):
        code = "SC105"
        tag = ctx.get("tag", "")
        expected = ctx.get("expected_tags", "")
        message = f"unknown {ctx.get('discriminator', 'kind')} {tag}".replace("'action'", "action")
        hint = f"use one of: {expected}"
    elif kind in ("literal_error", "enum"):
        code = "SC104"
        hint = f"use {ctx.get('expected', 'one of the listed values')}"
    elif kind.startswith("string_pattern"):
        code = "SC106"
    elif kind == "value_error":
        code = "SC107"
        message = message.removeprefix("Value error, ")
    elif kind in ("too_short", "too_long", "greater_than", "greater_than_equal", "less_than",
                  "less_than_equal"):
        code = "SC108"
    else:
        code = "SC103"
        got = error.get("input")
        message = f"{message} (got {type(got).__name__} {got!r})" if got is not None else message
    line, column = doc.position(path, key=key)
    return Finding(doc.path, line, column, code, Severity.ERROR, message, hint, path, variant)


# Fields of a protocol that hold models by key or by position: a variant takes the base's
# checked model for every entry whose data is the base's own (``expand.templated``).
_BY_KEY = ("materials", "vessels", "equipment", "products", "claims")


def _with_base_models(data: Any, base: tuple[Any, Protocol]) -> Any:
    """``data`` with each material, vessel, step, ... whose data is the base's (the very
    object, or the same values: ``_same``) replaced by the base's model of it. Models are
    frozen and their validators read only their own fields, so the model is the one
    validation would make; pydantic takes a model instance as it is, so a variant that differs
    in a few values
    validates only those parts."""
    base_data, protocol = base
    if not isinstance(data, dict) or not isinstance(base_data, dict):
        return data
    out = dict(data)
    for name in _BY_KEY:
        entries, before = data.get(name), base_data.get(name)
        models = getattr(protocol, name)
        if isinstance(entries, dict) and isinstance(before, dict) and entries is not before:
            out[name] = {key: models[key] if key in models and key in before
                         and _same(before[key], value) else value
                         for key, value in entries.items()}
        elif entries is before and isinstance(entries, dict) and entries.keys() == models.keys():
            out[name] = dict(models)
    # The series' own description is the same object in every variant (expand keeps it):
    # validating a matrix of a thousand values once per variant made variants quadratic.
    for name in ("parameters", "variants"):
        if name in data and data[name] is base_data.get(name):
            out[name] = getattr(protocol, name)
    steps, before_steps = data.get("steps"), base_data.get("steps")
    if isinstance(steps, list) and isinstance(before_steps, list) and (
            len(before_steps) == len(protocol.steps)):
        out["steps"] = [protocol.steps[i] if i < len(before_steps)
                        and _same(before_steps[i], step) else step
                        for i, step in enumerate(steps)]
    return out


def _same(data: Any, other: Any) -> bool:
    """Whether two pieces of expanded data are the same, value for value and type for type
    (``1`` is not ``1.0`` nor ``True`` here, as a model may tell them apart): an entry whose
    templates give the base's values in this variant too makes the base's model."""
    if data is other:
        return True
    if type(data) is not type(other):
        return False
    if isinstance(data, dict):
        return data.keys() == other.keys() and all(_same(v, other[k]) for k, v in data.items())
    if isinstance(data, list):
        return len(data) == len(other) and all(map(_same, data, other))
    return bool(data == other)


def parse_protocol(data: Any, doc: LoadedDocument, variant: str = "",
                   base: tuple[Any, Protocol] | None = None) -> tuple[
    Protocol | None, list[Finding]
]:
    """Validate expanded data into a Protocol, or return located findings.

    ``base`` is the base protocol's expanded data and its model: the parts of ``data`` that
    are the base's own objects are taken from the model, not validated again.
    """
    try:
        return Protocol.model_validate(_with_base_models(data, base) if base else data), []
    except ValidationError as exc:
        best: dict[tuple[PathPart, ...], Any] = {}
        for error in exc.errors(include_url=False):
            path = clean_location(error["loc"], data)
            rank = next((i for i, p in enumerate(_PRIORITY) if error["type"].startswith(p)),
                        len(_PRIORITY))
            held = best.get(path)
            if held is None or rank < held[0]:
                best[path] = (rank, error)
        # A failed branch of a union also reports at the parent: keep only the deepest paths.
        # (Every proper prefix of every path, collected once: comparing each path with every
        # other was quadratic, minutes for a file with ten thousand errors.)
        paths = sorted(best, key=len, reverse=True)
        parents = {q[:end] for q in paths for end in range(len(q))}
        kept = [p for p in paths if p not in parents
                or best[p][1]["type"] in ("missing", "extra_forbidden")]
        findings = [_finding_for(best[p][1], p, doc, variant) for p in kept]
        return None, findings
