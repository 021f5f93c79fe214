"""From plain data to a ``Protocol``: pydantic errors become located findings.

Pydantic reports a location as a tuple that mixes the document's keys with the names of union
branches (``steps[3].heat.temperature``); this module walks that tuple against the data so each
finding points at the line and column of the key or value in the file.
"""

from __future__ import annotations

import difflib
import functools
import math
from collections.abc import Iterator
from typing import Any, TypeVar, get_args

import annotated_types
from pydantic import BaseModel, TypeAdapter, ValidationError

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


class PartModels:
    """What a file's next variant takes instead of validating: the base's expanded data and
    model (``base``), and the model of each part (a material, a step, ...) an earlier variant
    validated, by the identity of the part's data.

    ``expand`` gives a variant the very part object an earlier variant had when the values
    its templates read are the same (``expand.Templates``). A part's model is made from its
    own data alone: the models are frozen, their validators read only their own fields, and
    the protocol has no validator across parts. So the same data makes the same model, and
    a part's data seen before takes the model made of it then (within its own section: an
    anchored mapping may stand in two). The data is held beside its model, so its id stays
    its own while it is held; this lives as long as one file's validation."""

    __slots__ = ("_made", "base")

    def __init__(self, data: Any, protocol: Protocol) -> None:
        self.base: tuple[Any, Protocol] = (data, protocol)
        self._made: dict[tuple[str, int], tuple[Any, Any]] = {}

    def made(self, section: str, data: Any) -> Any:
        """The model an earlier variant made of the part ``data`` of ``section``, or None."""
        hit = self._made.get((section, id(data)))
        return hit[1] if hit is not None and hit[0] is data else None

    def remember(self, section: str, data: Any, model: Any) -> None:
        """Remember ``model``, made of the part ``data`` of ``section``."""
        self._made[(section, id(data))] = (data, model)

    def keep(self, merged: dict[str, Any], protocol: Protocol) -> None:
        """Remember the model of each part a variant validated (a mapping in ``merged``,
        what ``Protocol.model_validate`` was given and made ``protocol`` of)."""
        for name in _BY_KEY:
            entries = merged.get(name)
            if isinstance(entries, dict):
                models = getattr(protocol, name)
                for key, value in entries.items():
                    if type(value) is dict and type(key) is str and key in models:
                        self._made[(name, id(value))] = (value, models[key])
        steps = merged.get("steps")
        if isinstance(steps, list) and len(steps) == len(protocol.steps):
            for value, model in zip(steps, protocol.steps, strict=True):
                if type(value) is dict:
                    self._made[("steps", id(value))] = (value, model)


def _with_base_models(data: Any, base: tuple[Any, Protocol] | PartModels) -> Any:
    """``data`` with each material, vessel, step, ... whose data is the base's (the very
    object, or the same values: ``_same``) replaced by the base's model of it, and each
    whose data is the very object an earlier variant validated by that model
    (``PartModels``). Models are frozen and their validators read only their own fields, so
    the model is the one validation would make; pydantic takes a model instance as it is, so
    a variant that differs in a few values validates only those parts."""
    parts = base if isinstance(base, PartModels) else None
    base_data, protocol = base.base if isinstance(base, PartModels) else base
    if not isinstance(data, dict) or not isinstance(base_data, dict):
        return data
    out = dict(data)
    for name in _BY_KEY:
        entries, before = data.get(name), base_data.get(name)
        models = getattr(protocol, name)
        if isinstance(entries, dict) and isinstance(before, dict) and entries is not before:
            out[name] = {key: _model_of(name, key, value, before, models, parts)
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
                        and _same(before_steps[i], step) else _made_of("steps", step, parts)
                        for i, step in enumerate(steps)]
    return out


def _model_of(name: str, key: Any, value: Any, before: dict[Any, Any], models: dict[str, Any],
              parts: PartModels | None) -> Any:
    """The model the entry ``key: value`` of section ``name`` takes: the base's when the base
    has the same data there, an earlier variant's made of this very data, else the data."""
    if key in models and key in before and _same(before[key], value):
        return models[key]
    return _made_of(name, value, parts)


def _made_of(name: str, value: Any, parts: PartModels | None) -> Any:
    """The model an earlier variant made of the very data ``value``, else ``value``."""
    made = parts.made(name, value) if parts is not None else None
    return value if made is None else made


def _fresh(value: Any) -> Any:
    """A field's value for another protocol: its own mapping or list (as validation would
    make), the same models and text inside."""
    kind = type(value)
    return dict(value) if kind is dict else list(value) if kind is list else value


@functools.cache
def _protocol_fields() -> tuple[str, ...]:
    """The protocol's fields, in the order a validated protocol holds them."""
    return tuple(Protocol.model_fields)


@functools.cache
def _part_validator(name: str) -> TypeAdapter[Any]:
    """What ``Protocol`` validates each entry of its field ``name`` with (a mapping's values,
    a list's items): the model, or the union of step or claim kinds."""
    args = get_args(Protocol.model_fields[name].annotation)
    return TypeAdapter(args[-1])


# What the protocol's sections may declare beside their entries' type for ``_assembled`` to
# stand in for validation: the steps' "at least one" (an empty list is left to validation).
_SECTION_CONSTRAINTS: dict[str, list[Any]] = {"steps": [annotated_types.MinLen(1)]}


@functools.cache
def _assembly_allowed() -> bool:
    """Whether ``_assembled`` may make a protocol of its parts without validating it whole:
    only while ``Protocol`` has no validator of its own (a model or field validator would
    read across parts and must run) and its sections no constraint but the known ones. A
    validator added to ``Protocol`` turns the shortcut off, not silently past it."""
    found = Protocol.__pydantic_decorators__
    if found.model_validators or found.field_validators or found.validators or (
            found.root_validators):
        return False
    return all(Protocol.model_fields[name].metadata == _SECTION_CONSTRAINTS.get(name, [])
               for name in (*_BY_KEY, "steps"))


def _assembled(data: Any, parts: PartModels) -> Protocol | None:
    """The protocol ``Protocol.model_validate(_with_base_models(data, parts))`` would make,
    made without walking the parts it takes as models, or None where this cannot be told
    (the caller validates).

    Every top-level field must be the base's data (the very object: the base's checked
    value is its value), or a section whose entries have the base's keys (checked
    identifiers), each of which takes a model as ``_with_base_models`` gives it or validates
    on its own as that section's entries do (models are made from their own data alone, and
    the protocol has no validator of its own). A part that does not validate gives None: the
    caller's validation reports it, in place. Fields the data leaves out are the base's,
    which left them out too: their defaults."""
    base_data, protocol = parts.base
    if not _assembly_allowed() or type(data) is not dict or type(base_data) is not dict or (
            data.keys() != base_data.keys()):
        return None
    values: dict[str, Any] = {}
    validated: list[tuple[str, Any, Any]] = []  # (section, data, model) to remember
    for name, value in data.items():
        before = base_data[name]
        if value is before:
            values[name] = _fresh(getattr(protocol, name))
            continue
        made: dict[str, Any] | list[Any] | None
        if name in _BY_KEY:
            made = _section(name, value, before, getattr(protocol, name), parts, validated)
        elif name == "steps":
            made = _steps(value, before, protocol.steps, parts, validated)
        else:  # a templated field of the protocol itself: validated as a whole
            return None
        if made is None:
            return None
        values[name] = made
    for name, entry, model in validated:
        parts.remember(name, entry, model)
    fields = {name: values[name] if name in values else _fresh(getattr(protocol, name))
              for name in _protocol_fields()}
    return unvalidated(Protocol, fields, set(values))


_Model = TypeVar("_Model", bound=BaseModel)


def unvalidated(model: type[_Model], fields: dict[str, Any],
                fields_set: set[str] | None = None) -> _Model:
    """A frozen ``model`` holding ``fields`` as they are, without validation (the caller
    knows them valid, or wants only these): ``fields_set`` are those the data gave (default:
    all of ``fields``). ``model_construct`` would fill in every default left out, a kB a
    protocol, and copy what it is given."""
    made = model.__new__(model)
    object.__setattr__(made, "__dict__", fields)
    object.__setattr__(made, "__pydantic_fields_set__",
                       set(fields) if fields_set is None else fields_set)
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made


def _section(name: str, value: Any, before: Any, models: dict[str, Any], parts: PartModels,
             validated: list[tuple[str, Any, Any]]) -> dict[str, Any] | None:
    """The models of a variant's section ``name`` (``value``; ``before`` is the base's data
    of it and ``models`` its models), or None unless it has exactly the base's keys and
    each entry is the base's data, an earlier variant's or validates."""
    if type(value) is not dict or type(before) is not dict or value.keys() != models.keys():
        return None
    section = {}
    for key, entry in value.items():
        same = key in before and _same(before[key], entry)
        made = models[key] if same else _validated(name, entry, parts, validated)
        if made is None:
            return None
        section[key] = made
    return section


def _steps(value: Any, before: Any, models: list[Any], parts: PartModels,
           validated: list[tuple[str, Any, Any]]) -> list[Any] | None:
    """The models of a variant's steps, position by position as ``_section`` by key; None
    for no steps (the protocol needs one) or a base whose steps are not its data's."""
    if type(value) is not list or not value or type(before) is not list or (
            len(before) != len(models)):
        return None
    steps = []
    for index, entry in enumerate(value):
        same = index < len(before) and _same(before[index], entry)
        made = models[index] if same else _validated("steps", entry, parts, validated)
        if made is None:
            return None
        steps.append(made)
    return steps


def _validated(name: str, entry: Any, parts: PartModels,
               validated: list[tuple[str, Any, Any]]) -> Any:
    """The model of one entry of section ``name`` that is not the base's: the one an earlier
    variant made of this very data, else its data validated (and noted in ``validated``),
    or None when that fails."""
    made = parts.made(name, entry)
    if made is not None:
        return made
    if type(entry) is not dict:
        return None
    try:
        model = _part_validator(name).validate_python(entry)
    except ValidationError:
        return None
    validated.append((name, entry, model))
    return model


def _same(data: Any, other: Any) -> bool:
    """Whether two pieces of expanded data are the same, value for value and type for type
    (``1`` is not ``1.0`` nor ``True`` here, as a model may tell them apart): an entry whose
    templates give the base's values in this variant too makes the base's model."""
    if data is other:
        return True
    if type(data) is not type(other):
        return False
    if isinstance(data, dict):
        if data.keys() != other.keys():
            return False
        # A loop, not all() of a generator: this runs for every part of every variant.
        for key, value in data.items():  # noqa: SIM110
            if not _same(value, other[key]):
                return False
        return True
    if isinstance(data, list):
        if len(data) != len(other):
            return False
        for value, before in zip(data, other, strict=True):  # noqa: SIM110
            if not _same(value, before):
                return False
        return True
    if type(data) is float:  # -0.0 equals 0.0, yet a model keeps and shows its sign
        return data == other and math.copysign(1.0, data) == math.copysign(1.0, other)
    return bool(data == other)


def parse_protocol(data: Any, doc: LoadedDocument, variant: str = "",
                   base: tuple[Any, Protocol] | PartModels | None = None) -> tuple[
    Protocol | None, list[Finding]
]:
    """Validate expanded data into a Protocol, or return located findings.

    ``base`` is the base protocol's expanded data and its model, or a ``PartModels`` that
    holds them and the parts the file's earlier variants validated: the parts of ``data``
    that are the base's (or an earlier variant's) are taken from their models, not validated
    again. A ``PartModels`` is told the parts this variant validates.
    """
    try:
        if base is None:
            return Protocol.model_validate(data), []
        if isinstance(base, PartModels):
            made = _assembled(data, base)
            if made is not None:
                return made, []
        merged = _with_base_models(data, base)
        protocol = Protocol.model_validate(merged)
        if isinstance(base, PartModels) and isinstance(merged, dict):
            base.keep(merged, protocol)
        return protocol, []
    except ValidationError as exc:
        return None, _located(exc, data, doc, variant)


def _located(exc: ValidationError, data: Any, doc: LoadedDocument, variant: str
             ) -> list[Finding]:
    """The findings of a failed validation of ``data``: per place, its most specific error.

    A function of its own, not a part of ``parse_protocol``: an error raised by a model's
    validator holds its traceback, whose frames lead back to ``parse_protocol``'s; held in
    that frame, the errors would make a reference cycle that keeps the file's data alive
    until the cycle collector runs."""
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
    return [_finding_for(best[p][1], p, doc, variant) for p in kept]
