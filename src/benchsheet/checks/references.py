"""References: every id a protocol names is declared, every declared thing is used, and every
reagent resolves to one substance."""

from __future__ import annotations

import difflib
import functools
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any, Literal

from pydantic import BaseModel

from benchsheet.checks import rule
from benchsheet.checks.context import CheckContext, LinkedProtocol
from benchsheet.findings import Finding, PathPart, Severity
from benchsheet.model.common import RefKind, RefTo
from benchsheet.model.materials import GasAtmosphere

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
    if origin is list and args and typing.get_origin(args[0]) in (typing.Union, types.UnionType):
        # A list of references or models holding them (materials: [id, {material: id, ...}]).
        found = next((f for a in typing.get_args(args[0]) if (f := _direct(a)) is not None),
                     None)
        if found is not None:
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


def _models_in(annotation: Any) -> Iterator[type[BaseModel] | None]:
    """The model classes a value of this type can hold, at any depth of lists, mappings,
    unions and annotations; None for ``Any`` (anything, models included). Plain text,
    numbers and quantities hold none."""
    if annotation is Any:
        yield None
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    else:
        for arg in typing.get_args(annotation):
            if not isinstance(arg, (str, int, float, bool)) and arg is not None:
                yield from _models_in(arg)


def _holds_references(model: type[BaseModel], seen: frozenset[type[BaseModel]] = frozenset()
                      ) -> bool:
    """Whether a ``model`` can hold a reference: in a field of its own, or in a model below
    it (a material's gas charge names its vessel; a vessel holds none)."""
    if _ref_fields(model):
        return True
    seen = seen | {model}
    return any(inner is None or (inner not in seen and _holds_references(inner, seen))
               for info in model.model_fields.values()
               for inner in _models_in(info.annotation))


@functools.cache
def _walk_plan(model: type[BaseModel]) -> tuple[tuple[str, str, RefKind | None, Shape | None],
                                                 ...]:
    """For each field of ``model`` the walk visits: its name, its key in the file, and its
    reference kind and shape if it holds references. Fields that can hold neither are left
    out, nor those whose models hold none (a vessel, a reagent's hazards), so a protocol of
    hundreds of materials is walked in its references, not its text."""
    refs = {name: (kind, shape) for name, kind, shape in _ref_fields(model)}
    plan: list[tuple[str, str, RefKind | None, Shape | None]] = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        if name in refs:
            plan.append((name, key, *refs[name]))
        elif any(inner is None or _holds_references(inner)
                 for inner in _models_in(info.annotation)):
            plan.append((name, key, None, None))
    return tuple(plan)


Reference = tuple[RefKind, str, tuple[PathPart, ...]]


def iter_references(node: Any, path: tuple[PathPart, ...]) -> Iterator[Reference]:
    """Every (kind, id, path) reference under ``node``, skipping inactive entries."""
    found: list[Reference] = []
    _collect(node, path, found)
    return iter(found)


def _collect(node: Any, path: tuple[PathPart, ...], found: list[Reference]) -> None:
    """``iter_references`` of ``node``, added to ``found`` (a walk of plain calls: a model
    of a thousand steps is walked without a generator per node)."""
    if isinstance(node, BaseModel):
        if node.__dict__.get("when", True) is not True:  # a model's fields are in its __dict__
            return
        for name, key, kind, shape in _walk_plan(type(node)):
            value = getattr(node, name)
            if value is not None:  # most optional fields are not given: no call for them
                _collect_value(value, key, kind, shape, path, found)
    elif isinstance(node, dict):
        for k, v in node.items():
            _collect(v, (*path, k), found)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _collect(v, (*path, i), found)


def _collect_value(value: Any, key: str, kind: RefKind | None, shape: Shape | None,
                   path: tuple[PathPart, ...], found: list[Reference]) -> None:
    """The references held in ``value``, a field's value other than None (the field an
    entry of its model's ``_walk_plan``, at ``key`` under ``path``)."""
    if kind is None:
        _collect(value, (*path, key), found)
    elif shape == "value":
        if isinstance(value, str):
            found.append((kind, value, (*path, key)))
    elif shape == "list":
        if isinstance(value, list):
            # A field may take a list of references or free text (an eluent).
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _collect(item, (*path, key, i), found)
                else:
                    found.append((kind, item, (*path, key, i)))
    elif shape == "keys":
        for item in value:
            found.append((kind, item, (*path, key, item)))


def _walked(node: Any, path: tuple[PathPart, ...]) -> list[Reference]:
    return list(iter_references(node, path))


def _references(ctx: CheckContext) -> list[Reference]:
    """Every reference of the variant, walked once for the rules that read them; each part
    of the model (a section's entry, a step) once for all the variants that share it: a
    part's references depend on the part and where it sits alone (``CheckContext.part_memo``,
    looked up without a call per part, as a protocol has dozens of parts and a file dozens
    of variants)."""

    def walk() -> list[Reference]:
        protocol = ctx.protocol
        if protocol.__dict__.get("when", True) is not True:
            return []
        memo = ctx.part_memo("references")
        found: list[Reference] = []
        for name, key, kind, shape in _walk_plan(type(protocol)):
            value = getattr(protocol, name)
            if kind is not None or not isinstance(value, (list, dict, BaseModel)):
                if value is not None:
                    _collect_value(value, key, kind, shape, (), found)
                continue
            parts: Iterable[tuple[PathPart | None, Any]]
            if isinstance(value, list):  # the steps: each step on its own, by its index
                parts = enumerate(value)
            elif isinstance(value, dict):  # materials, products, claims: each entry, by key
                parts = value.items()
            else:  # a model of its own: where it sits is the key alone
                parts = ((None, value),)
            for where, item in parts:
                hit = memo.get(slot := (id(item), key, where))
                if hit is None or hit[0] is not item:
                    path = (key,) if where is None else (key, where)
                    hit = memo[slot] = (item, _walked(item, path))
                found.extend(hit[1])
        return found

    return ctx.computed("references", walk)


def _declared(ctx: CheckContext) -> dict[RefKind, set[str]]:
    """The active ids of each kind, once per variant for RF301 and RF302."""
    from benchsheet.checks.context import iter_steps

    p = ctx.protocol

    def active(section: dict[str, Any]) -> set[str]:
        return {k for k, v in section.items() if v.__dict__.get("when", True) is True}

    return ctx.computed("declared", lambda: {
        "materials": active(p.materials), "vessels": active(p.vessels),
        "equipment": active(p.equipment), "products": active(p.products),
        "claims": active(p.claims),
        "steps": {s.id for _, s in iter_steps(p.steps) if s.id},
    })


@rule("RF301", Severity.ERROR, "reference to something not declared")
def undeclared_reference(ctx: CheckContext) -> Iterator[Finding]:
    """A step, product or claim names a material, vessel, equipment, product, step or claim
    that the protocol does not declare. The bench sheet could not say what to use."""
    declared = _declared(ctx)
    for kind, name, path in _references(ctx):
        if name not in declared[kind]:
            close = difflib.get_close_matches(name, sorted(declared[kind]), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"declare it under '{kind}:'"
            yield ctx.finding("RF301", f"'{name}' is not declared under '{kind}'", path, hint)


# What a step's ``atmosphere:`` names, as a formula: a blanket gas material of that formula
# is used by the step (air and vacuum are no material).
_ATMOSPHERE_FORMULAS = {"argon": "Ar", "nitrogen": "N2", "hydrogen": "H2", "CO": "CO",
                        "CO2": "CO2"}


def _blanket_gases_used(ctx: CheckContext) -> set[tuple[RefKind, str]]:
    """Blanket-gas materials (``gas: {mode: atmosphere}``) that a step's ``atmosphere:``
    names by its gas: ``atmosphere: nitrogen`` uses the material whose formula is N2."""
    from benchsheet.checks.context import iter_steps
    from benchsheet.chemistry.formula import parse_formula

    def atoms(formula: str) -> frozenset[tuple[str, float]]:
        return frozenset(parse_formula(formula).elements.items())

    named = {atoms(_ATMOSPHERE_FORMULAS[air]) for _, step in iter_steps(ctx.protocol.steps)
             if (air := step.__dict__.get("atmosphere")) in _ATMOSPHERE_FORMULAS}
    used: set[tuple[RefKind, str]] = set()
    if not named:  # no step names a blanket gas: no material to look at
        return used
    for mid, entry in ctx.amounts.materials.items():
        formula = entry.reagent.formula
        if isinstance(entry.material.gas, GasAtmosphere) and formula is not None \
                and frozenset(formula.elements.items()) in named:
            used.add(("materials", mid))
    return used


@rule("RF302", Severity.WARNING, "declared but never used")
def unused_declaration(ctx: CheckContext) -> Iterator[Finding]:
    """A material, vessel or equipment is declared but no step, product or claim uses it: a
    step is missing, or the declaration is left over. A blanket gas (``gas: {mode:
    atmosphere}``) is used by the steps whose ``atmosphere:`` names it (nitrogen: N2)."""
    used = {(kind, name) for kind, name, _ in _references(ctx)}
    used |= _blanket_gases_used(ctx)
    declared = _declared(ctx)
    for kind in ("materials", "vessels", "equipment"):
        # Sorted once something is found unused, not before.
        for name in sorted(n for n in declared[kind] if (kind, n) not in used):
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
            from benchsheet.reagents.from_database import suggested, without_phase

            name = entry.material.reagent
            unphased = without_phase(name)
            if unphased is not None:
                yield ctx.finding(
                    "RF303", f"material '{mid}': the reagent database knows '{name}' "
                    f"({unphased.cas}, {unphased.formula}) but has neither its melting nor "
                    "its boiling point, so it cannot say whether it is a solid, a liquid or "
                    "a gas at 25 °C, and does not use it", ("materials", mid, "reagent"),
                    f"write the reagent out with its phase ({{name: {unphased.name}, formula: "
                    f"{unphased.formula}, cas: {unphased.cas}, phase: solid or liquid}}, "
                    "with its hazards), or add it with --reagents FILE")
                continue
            known = [c for c in suggested(name) if c.name != name]
            usable = [f"{c.name} ({c.cas})" for c in known if without_phase(c.cas) is None]
            unknown = [f"{c.name} ({c.cas})" for c in known if without_phase(c.cas) is not None]
            near = "".join([
                f"the reagent database has it as another name of {', '.join(usable)}: "
                "write that name or CAS number if it is meant; " if usable else "",
                f"the reagent database has it as another name of {', '.join(unknown)}, "
                "whose phase at 25 °C it does not know: write the reagent out with its phase "
                "if it is meant; " if unknown else ""]) + ("otherwise " if known else "")
            yield ctx.finding(
                "RF303", f"material '{mid}': no reagent '{name}' in the "
                "library or the reagent database", ("materials", mid, "reagent"),
                near + "use a library id or a CAS number ('benchsheet reagents NAME' searches "
                "both), write the reagent out with name, formula and CAS, or add it with "
                "--reagents FILE",
            )


@rule("RF304", Severity.ERROR, "formula cannot be read")
def bad_formula(ctx: CheckContext) -> Iterator[Finding]:
    """A formula that cannot be parsed gives no molar mass and no element balance."""
    for mid, entry in ctx.amounts.materials.items():
        if entry.reagent.formula_error:
            yield ctx.finding("RF304", f"material '{mid}': {entry.reagent.formula_error}",
                              ("materials", mid, "reagent", "formula"),
                              "write a formula such as 'MnCl2·4H2O' or 'C4H12N2'")


@rule("RF305", Severity.ERROR, "reagent file conflicts with the library", base_only=True)
def library_conflicts(ctx: CheckContext) -> Iterator[Finding]:
    """A lab's reagent file changes the identity (CAS, formula) of a library reagent without
    saying it overrides it, or gives one CAS to two reagents."""
    for conflict in ctx.library.conflicts:
        found = ctx.finding("RF305", conflict.message, (), conflict.hint)
        if conflict.line is not None:
            # The conflict is in the lab's reagent file: point there, not at the protocol.
            index = () if conflict.index is None else ("reagents", conflict.index)
            found = replace(found, file=conflict.source_file, line=conflict.line,
                            column=conflict.column or 1, path=(*index, conflict.field))
        yield found


# A hint lists at most this many names: a run of thousands of protocols would otherwise
# write every id into every broken link's hint.
MOST_NAMES = 20


def _names(items: Iterable[str]) -> str:
    names = sorted(items)
    shown = ", ".join(names[:MOST_NAMES]) or "none"
    return shown + (f" and {len(names) - MOST_NAMES} more" if len(names) > MOST_NAMES else "")


def _variant_hint(linked: LinkedProtocol, variant: str) -> str:
    """The variants a link may name: the declared ones, and the concrete ones of a series."""
    series = variant.partition("[")[0]
    concrete = linked.series.get(series, ())
    if concrete and concrete != (series,):
        return f"variants of '{linked.id}' in series '{series}': {', '.join(concrete)}"
    close = difflib.get_close_matches(variant, [*linked.series, *linked.products], n=1)
    listed = (f"variants of '{linked.id}': {_names(linked.series)}" if linked.series
              else f"'{linked.id}' has no variants; omit 'variant:'")
    return (f"did you mean '{close[0]}'? " if close and close[0] else "") + listed


@rule("RF306", Severity.ERROR, "made by a protocol, variant or product that is not there",
      across_files=True)
def made_by_link(ctx: CheckContext) -> Iterator[Finding]:
    """A material says it is the product of another protocol (made_by), but that protocol is
    not among the files validated with it, has no such variant, or makes no such product: the
    bench would use a sample nobody can trace to how it was made. A variant or product is
    checked whenever the linked protocol is in the run. A missing protocol is an error only
    for a file found by searching a folder (validate protocols/, benchsheet build), since the
    folder is then its library; a file named on its own (a single file, or a pre-commit hook
    passing only the changed files) says nothing about protocols it was not given, not even a
    note: a file's result would otherwise depend on how it was invoked, a note could only be
    silenced by an acknowledgement that goes stale in the full run, and the lab's CI, which
    validates the whole folder, checks every link."""
    known = ctx.protocols
    if known is None:
        return
    for mid, material in ctx.protocol.materials.items():
        link = material.made_by
        if link is None or material.when is not True:
            continue
        here: tuple[PathPart, ...] = ("materials", mid, "made_by")
        linked = known.protocols.get(link.protocol)
        if linked is None:
            if ctx.document.path not in known.complete_for:
                continue
            nearest = known.close_to(link.protocol, besides=ctx.protocol.id)
            others = (p for p in known.ids_sorted() if p != ctx.protocol.id)
            hint = (f"did you mean '{nearest}'? " if nearest else "") + (
                f"protocols validated with it: {_names(others)}; validate it together with "
                "the file that makes the material")
            yield ctx.finding("RF306", f"material '{mid}': made by protocol "
                              f"'{link.protocol}', which is not among the protocols validated",
                              (*here, "protocol"), hint)
            continue
        if not linked.judged:
            continue
        if link.variant is None:
            variants: tuple[str, ...] = ("",)
        elif link.variant in linked.products:
            variants = (link.variant,)
        elif link.variant in linked.series:
            variants = linked.series[link.variant]
        else:
            yield ctx.finding("RF306", f"material '{mid}': protocol '{linked.id}' has no "
                              f"variant '{link.variant}'", (*here, "variant"),
                              _variant_hint(linked, link.variant))
            continue
        if link.product is None:
            continue
        for variant in variants:
            products = linked.products.get(variant)
            if products is None or link.product in products:
                continue
            which = f"variant '{variant}' of '{linked.id}'" if variant else f"'{linked.id}'"
            close = difflib.get_close_matches(link.product, sorted(products), n=1)
            yield ctx.finding("RF306", f"material '{mid}': {which} makes no product "
                              f"'{link.product}'", (*here, "product"),
                              (f"did you mean '{close[0]}'? " if close else "")
                              + f"its products: {_names(products)}")
            break


@rule("RF307", Severity.ERROR, "two protocol files share one id", across_files=True)
def duplicate_protocol_id(ctx: CheckContext) -> Iterator[Finding]:
    """Two files validated together declare the same protocol id. The id is how other
    protocols link to a protocol (made_by), how an ELN finds the dataset again and how an
    export names it, so two files with one id make every such reference ambiguous; links
    resolve to the first file. Usually a file was copied and its id not changed."""
    known = ctx.protocols
    if known is None:
        return
    files = known.declared_in.get(ctx.protocol.id, ())
    others = [f for f in files if f != ctx.document.path]
    if len(files) > 1 and others:
        yield ctx.finding("RF307", f"protocol id '{ctx.protocol.id}' is also declared by "
                          f"{_names(others)}", ("id",),
                          "give each protocol file its own id (a copied file keeps the id of "
                          "its original)")
