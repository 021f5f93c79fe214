"""The public API: load a protocol, validate files, render sheets (also what the CLI calls).

>>> proto = benchsheet.load("protocols/mn-cdse13-bda-msc.yaml")   # doctest: +SKIP
>>> proto.render("md", scale=2)                                    # doctest: +SKIP

In Jupyter a loaded protocol displays as its bench sheet, as a fragment whose styles apply to
it alone (``_repr_html_``). ``proto.actual({"CdCl2": "276.1 mg"}, obtained={"msc": "95 mg"})``
recomputes everything for the amounts actually used (a ``BenchRun``: ratios, limiting
reagent, theoretical and % yield, findings).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchsheet.bench_run import BenchRun
    from benchsheet.findings import Finding
    from benchsheet.reagents.library import ReagentLibrary
    from benchsheet.render import Paper, SheetFormat
    from benchsheet.validate import FileResult, Options, VariantResult

__all__ = ["ProtocolHandle", "SheetRequest", "VariantError", "load", "load_text", "render",
           "validate"]

PathLike = str | os.PathLike[str]
Settings = Mapping[str, object]


class VariantError(ValueError):
    """A variant that cannot be chosen or made; the message says why."""


@dataclass(frozen=True)
class SheetRequest:
    """Which sheet: a variant (its name or parameter settings), and a scale or a target."""

    variant: str | Settings | None = None
    scale: Decimal | float | str | None = None
    target: str | None = None


def _defaults(result: FileResult) -> dict[str, object]:
    data = result.document.data if isinstance(result.document.data, dict) else {}
    declared = data.get("parameters") or {}
    return {k: v.get("default") for k, v in declared.items() if isinstance(v, dict)}


def choose_variant(result: FileResult, variant: str | Settings | None,
                   library: ReagentLibrary, options: Options | None = None) -> VariantResult:
    """The base (``None`` or ``""``), a declared variant by name, or parameter settings.

    Settings that match a declared variant give that variant; other settings are expanded and
    validated here, through the same pipeline as ``benchsheet validate``.
    """
    from benchsheet.expand import VariantSpec, expand, format_value
    from benchsheet.validate import Options, validate_variant

    if not result.variants:
        raise VariantError(f"{result.document.path}: the file did not load, so it has no "
                           "variants")
    if variant is None or variant == "":
        return result.variants[0]
    if isinstance(variant, str):
        for v in result.variants:
            if v.name == variant:
                return v
        names = ", ".join(v.name for v in result.variants[1:]) or "none"
        raise VariantError(f"{result.document.path}: no variant named '{variant}' "
                           f"(variants: {names})")
    defaults = _defaults(result)
    unknown = sorted(k for k in variant if k not in defaults)
    if unknown:
        raise VariantError(f"{result.document.path}: {', '.join(unknown)} "
                           f"{'is not a parameter' if len(unknown) == 1 else 'are not parameters'}"
                           f" (parameters: {', '.join(defaults) or 'none'})")
    values = {**defaults, **variant}
    for v in result.variants:
        if v.values == values:
            return v
    name = ",".join(f"{k}={format_value(val)}" for k, val in variant.items())
    spec = VariantSpec(name, values, ("parameters",))
    options = options or Options()
    data, problems = expand(result.document.data, spec, options.limits)
    if problems:
        raise VariantError(f"{result.document.path}: {name}: "
                           + "; ".join(p.message for p in problems))
    return validate_variant(result.document, data, name, values, library, options)


def prepare_sheet(result: FileResult, request: SheetRequest, library: ReagentLibrary,
                  options: Options | None = None) -> tuple[VariantResult, Decimal, str]:
    """The variant a sheet shows, scaled through the pipeline; the factor and why."""
    from benchsheet.scaling import (
        ScaleError,
        factor_for_target,
        parse_factor,
        parse_target,
        scale_variant,
    )

    chosen = choose_variant(result, request.variant, library, options)
    if request.scale is not None and request.target is not None:
        raise ScaleError("give a scale factor or a target, not both")
    factor, basis = Decimal(1), ""
    if request.scale is not None:
        factor = parse_factor(str(request.scale))
    elif request.target is not None:
        if chosen.protocol is None or chosen.amounts is None:
            raise ScaleError(f"{result.document.path}: the protocol does not model, so it "
                             "cannot be scaled")
        scaling = factor_for_target(chosen.protocol, chosen.amounts,
                                    parse_target(request.target))
        factor, basis = scaling.factor, scaling.basis
    if factor != 1:
        chosen = scale_variant(result.document, chosen, factor, library, options)
    return chosen, factor, basis


class ProtocolHandle:
    """One validated protocol file; renders its sheets, and shows as a sheet in Jupyter."""

    def __init__(self, result: FileResult, library: ReagentLibrary,
                 options: Options | None = None) -> None:
        self.result = result
        self._library = library
        self._options = options

    def __repr__(self) -> str:
        return (f"<ProtocolHandle {self.result.document.path}: {len(self.variants)} "
                f"variant(s), {len(self.result.findings)} finding(s)>")

    @property
    def path(self) -> str:
        return self.result.document.path

    @property
    def variants(self) -> list[str]:
        """Variant names; ``""`` is the base protocol."""
        return [v.name for v in self.result.variants]

    @property
    def findings(self) -> list[Finding]:
        return list(self.result.findings)

    def variant(self, variant: str | Settings | None = None) -> VariantResult:
        return choose_variant(self.result, variant, self._library, self._options)

    def render(self, fmt: SheetFormat = "html", *, variant: str | Settings | None = None,
               scale: Decimal | float | str | None = None, target: str | None = None,
               paper: Paper = "a4", templates: PathLike | None = None) -> str:
        """The bench sheet as Markdown or HTML; ``scale=2`` or ``target="CdCl2=3 mmol"``."""
        from benchsheet.render import render_sheet

        chosen, factor, basis = prepare_sheet(
            self.result, SheetRequest(variant, scale, target), self._library, self._options)
        return render_sheet(self.result, chosen, fmt, paper=paper, scale=factor,
                            scale_basis=basis,
                            templates=Path(templates) if templates is not None else None)

    def actual(self, amounts: Mapping[str, str] | None = None, *,
               obtained: Mapping[str, str] | None = None,
               variant: str | Settings | None = None) -> BenchRun:
        """The protocol as actually run: ``amounts`` (material id → what was weighed or
        measured, e.g. ``{"CdCl2": "276.1 mg"}``) replace the planned ones, and everything is
        recomputed through the pipeline: amounts, ratios, limiting reagent, theoretical
        yield, findings; ``obtained`` (product id → mass) gives the % yield. Mole ratios are
        against the planned protocol's limiting material, to compare with its own.

        Raises ``KeyError`` for a material or product the protocol does not have, and
        ``ValueError`` for an obtained mass that is not a mass.
        """
        from benchsheet.bench_run import apply_actual_amounts, bench_run, reference_material
        from benchsheet.validate import validate_text

        chosen = self.variant(variant)
        planned = reference_material(chosen.amounts) if chosen.amounts is not None else None
        text = apply_actual_amounts(self.result.document.text, amounts or {})
        rerun = validate_text(text, self.result.document.path, self._options, self._library)
        again = next((v for v in rerun.variants if v.name == chosen.name), None)
        if again is None:  # settings that are not a declared variant: choose them again
            again = choose_variant(rerun, variant, self._library, self._options)
        return bench_run(again, obtained or {}, planned)

    def _repr_html_(self) -> str:
        """A fragment for Jupyter: no document, no page rules, every style scoped to it, so
        the rest of the notebook looks as before."""
        from benchsheet.render.fragment import render_fragment

        return render_fragment(self.result,
                               self.result.variants[0] if self.result.variants else None)

    def _repr_markdown_(self) -> str:
        return self.render("md")


def load(path: PathLike, *, reagents: Sequence[PathLike] = ()) -> ProtocolHandle:
    """Validate one protocol file and hold the result (every variant, every finding)."""
    from benchsheet.reagents.library import load_library
    from benchsheet.validate import Options, validate_file

    options = Options(reagent_files=tuple(Path(r) for r in reagents))
    library = load_library(options.reagent_files)
    return ProtocolHandle(validate_file(Path(path), options, library), library, options)


def load_text(text: str, name: str = "<text>", *, reagents: Sequence[PathLike] = ()
              ) -> ProtocolHandle:
    """Like ``load``, for a protocol held as text (a notebook carries its protocol this way);
    ``name`` is the file name findings point at."""
    from benchsheet.reagents.library import load_library
    from benchsheet.validate import Options, validate_text

    options = Options(reagent_files=tuple(Path(r) for r in reagents))
    library = load_library(options.reagent_files)
    return ProtocolHandle(validate_text(text, name, options, library), library, options)


def validate(paths: PathLike | Sequence[PathLike], *, select: Sequence[str] = (),
             ignore: Sequence[str] = (), reagents: Sequence[PathLike] = ()
             ) -> list[FileResult]:
    """Validate files or folders; raises ``FileNotFoundError`` for a path that is not there."""
    from benchsheet.validate import Options, validate_paths

    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    options = Options(select=tuple(select), ignore=tuple(ignore),
                      reagent_files=tuple(Path(r) for r in reagents))
    results, errors = validate_paths([Path(p) for p in items], options)
    if errors:
        raise FileNotFoundError("; ".join(errors))
    return results


def render(protocol: PathLike | ProtocolHandle, fmt: SheetFormat = "html", *,
           variant: str | Settings | None = None, scale: Decimal | float | str | None = None,
           target: str | None = None, paper: Paper = "a4",
           templates: PathLike | None = None) -> str:
    """The bench sheet of a protocol file (or a loaded protocol) as Markdown or HTML."""
    handle = protocol if isinstance(protocol, ProtocolHandle) else load(protocol)
    return handle.render(fmt, variant=variant, scale=scale, target=target, paper=paper,
                         templates=templates)
