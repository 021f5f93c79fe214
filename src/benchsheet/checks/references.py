"""References: every id a protocol names is declared, every declared thing is used, and every
reagent resolves to one substance."""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel

from benchsheet.checks import rule
from benchsheet.checks.context import CheckContext
from benchsheet.findings import Finding, PathPart, Severity
from benchsheet.model.common import RefKind, RefTo

Shape = Literal["value", "list", "keys"]


def _direct(annotation: Any) -> RefTo | None:
    """The RefTo on ``Annotated[str, RefTo(...)]``, else None."""
    return next((m for m in getattr(annotation, "__metadata__", ()) if isinstance(m, RefTo)),
                None)


def _shape(annotation: Any) -> tuple[RefKind, Shape] | None:
    """Whether a field type holds a reference as its value, in a list, or as mapping keys."""
    if (found := _direct(annotation)) is not None:
        return found.kind, "value"
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is list and args and (found := _direct(args[0])) is not None:
        return found.kind, "list"
    if origin is dict and args and (found := _direct(args[0])) is not None:
        return found.kind, "keys"
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            if (shape := _shape(arg)) is not None:
                return shape
    return None


@functools.cache
def _ref_fields(model: type[BaseModel]) -> tuple[tuple[str, RefKind, Shape], ...]:
    """The fields of ``model`` that hold references, and whether as value, list or keys."""
    out: list[tuple[str, RefKind, Shape]] = []
    for name, info in model.model_fields.items():
        direct = next((m for m in info.metadata if isinstance(m, RefTo)), None)
        if direct is not None:
            out.append((name, direct.kind, "value"))
        elif (shape := _shape(info.annotation)) is not None:
            out.append((name, *shape))
    return tuple(out)


def iter_references(node: Any, path: tuple[PathPart, ...]) -> Iterator[
    tuple[RefKind, str, tuple[PathPart, ...]]
]:
    """Every (kind, id, path) reference under ``node``, skipping inactive entries."""
    if isinstance(node, BaseModel):
        if getattr(node, "when", True) is not True:
            return
        refs = {name: (kind, shape) for name, kind, shape in _ref_fields(type(node))}
        for name in type(node).model_fields:
            value = getattr(node, name)
            key = type(node).model_fields[name].alias or name
            if name in refs and value is not None:
                kind, shape = refs[name]
                if shape == "value" and isinstance(value, str):
                    yield kind, value, (*path, key)
                elif shape == "list":
                    for i, item in enumerate(value):
                        yield kind, item, (*path, key, i)
                elif shape == "keys":
                    for item in value:
                        yield kind, item, (*path, key, item)
                continue
            yield from iter_references(value, (*path, key))
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from iter_references(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from iter_references(v, (*path, i))


def _declared(ctx: CheckContext) -> dict[RefKind, set[str]]:
    from benchsheet.checks.context import iter_steps

    p = ctx.protocol

    def active(section: dict[str, Any]) -> set[str]:
        return {k for k, v in section.items() if getattr(v, "when", True) is True}

    return {
        "materials": active(p.materials), "vessels": active(p.vessels),
        "equipment": active(p.equipment), "products": active(p.products),
        "claims": active(p.claims),
        "steps": {s.id for _, s in iter_steps(p.steps) if s.id},
    }


@rule("RF301", Severity.ERROR, "reference to something not declared")
def undeclared_reference(ctx: CheckContext) -> Iterator[Finding]:
    """A step, product or claim names a material, vessel, equipment, product, step or claim
    that the protocol does not declare. The bench sheet could not say what to use."""
    declared = _declared(ctx)
    for kind, name, path in iter_references(ctx.protocol, ()):
        if name not in declared[kind]:
            import difflib

            close = difflib.get_close_matches(name, sorted(declared[kind]), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"declare it under '{kind}:'"
            yield ctx.finding("RF301", f"'{name}' is not declared under '{kind}'", path, hint)


@rule("RF302", Severity.WARNING, "declared but never used")
def unused_declaration(ctx: CheckContext) -> Iterator[Finding]:
    """A material, vessel or equipment is declared but no step, product or claim uses it: a
    step is missing, or the declaration is left over."""
    used = {(kind, name) for kind, name, _ in iter_references(ctx.protocol, ())}
    declared = _declared(ctx)
    for kind in ("materials", "vessels", "equipment"):
        for name in sorted(declared[kind]):
            if (kind, name) not in used:
                yield ctx.finding("RF302", f"{kind[:-1] if kind != 'equipment' else kind} "
                                  f"'{name}' is declared but no step uses it", (kind, name),
                                  "add the step that uses it, or remove it", key=True)


@rule("RF303", Severity.ERROR, "reagent not found in the library")
def unknown_reagent(ctx: CheckContext) -> Iterator[Finding]:
    """A material names a reagent the library does not know. Without its identity there is
    no molar mass, density or hazard data, so nothing about it can be checked."""
    for mid, entry in ctx.amounts.materials.items():
        r = entry.reagent
        if r.record is None and not r.candidates and isinstance(entry.material.reagent, str):
            yield ctx.finding(
                "RF303", f"material '{mid}': no reagent '{entry.material.reagent}' in the "
                "library", ("materials", mid, "reagent"),
                "use a library id ('benchsheet reagents' lists them), write the reagent out "
                "with name, formula and CAS, or add it with --reagents FILE",
            )


@rule("RF304", Severity.ERROR, "formula cannot be read")
def bad_formula(ctx: CheckContext) -> Iterator[Finding]:
    """A formula that cannot be parsed gives no molar mass and no element balance."""
    for mid, entry in ctx.amounts.materials.items():
        if entry.reagent.formula_error:
            yield ctx.finding("RF304", f"material '{mid}': {entry.reagent.formula_error}",
                              ("materials", mid, "reagent", "formula"),
                              "write a formula such as 'MnCl2·4H2O' or 'C4H12N2'")


@rule("RF305", Severity.ERROR, "reagent file conflicts with the library")
def library_conflicts(ctx: CheckContext) -> Iterator[Finding]:
    """A lab's reagent file changes the identity (CAS, formula) of a library reagent without
    saying it overrides it, or gives one CAS to two reagents."""
    if ctx.variant:
        return
    for conflict in ctx.library.conflicts:
        yield ctx.finding("RF305", f"{conflict.source_file}: reagent '{conflict.reagent_id}' "
                          f"{conflict.field}: {conflict.message}", (),
                          "add 'override: true' and a 'reason:' to the lab's entry")
