"""Bench notebooks: a Jupyter notebook per protocol variant for notebook-based ELNs.

The notebook carries the protocol's own text, a `parameters` cell (papermill's convention)
holding the amounts actually weighed, the bench sheet as Markdown, and code that puts the
actual amounts into the protocol and runs benchsheet's own pipeline on it: the amounts table,
the mole ratios and the findings are recomputed from what went into the flask, not re-derived
by code in the notebook. Output is deterministic (fixed cell ids, no wall clock).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import nbformat
import yaml

from benchsheet.atomic import write_atomic
from benchsheet.chemistry.amounts import AmountsTable
from benchsheet.export.records import (
    ExportError,
    clashing_names,
    protocol_bytes,
    render_sheet,
    variant_slug,
)
from benchsheet.model.claims import RatioClaim
from benchsheet.model.protocol import Protocol
from benchsheet.units import format_measured
from benchsheet.validate import FileResult, VariantResult

__all__ = [
    "apply_actual_amounts",
    "bench_notebook",
    "claim_ratios",
    "mole_ratios",
    "notebook_text",
    "write_notebooks",
]

NOTEBOOK_SUFFIX = ".ipynb"
# nbformat ships partial type hints; its cell and notebook factories are untyped.
_nbformat: Any = nbformat


def apply_actual_amounts(text: str, actual: Mapping[str, str]) -> str:
    """The protocol text with each named material's `amount` replaced by the actual one.

    Raises KeyError for a material the protocol does not declare: a typo in the parameters
    cell must not silently leave the planned amount in place.
    """
    data = yaml.safe_load(text)
    materials = data.get("materials") or {}
    for material_id, amount in actual.items():
        if material_id not in materials:
            raise KeyError(f"{material_id!r} is not a material of this protocol; "
                           f"materials: {', '.join(materials)}")
        materials[material_id]["amount"] = amount
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def mole_ratios(amounts: AmountsTable, reference: str) -> dict[str, float]:
    """n(material) / n(reference) for every material with a molar amount."""
    base = amounts.materials[reference].moles
    if base is None or base.nominal == 0:
        return {}
    return {
        f"{mid} : {reference}": entry.moles.nominal / base.nominal
        for mid, entry in amounts.materials.items()
        if entry.moles is not None and mid != reference
    }


def claim_ratios(protocol: Protocol, amounts: AmountsTable) -> dict[str, float]:
    """The protocol's ratio claims recomputed from the amounts table (element counts or moles),
    by the same sum the claims check uses (``AmountsTable.moles_of``)."""
    out: dict[str, float] = {}
    for cid, claim in protocol.claims.items():
        if isinstance(claim, RatioClaim) and claim.when is True:
            element = claim.element or None
            num = amounts.moles_of(claim.numerator, element)
            den = amounts.moles_of(claim.denominator, element)
            if num is None or den is None:
                out[cid] = float("nan")
            elif den.nominal:
                out[cid] = num.nominal / den.nominal
    return out


def _reference_material(amounts: AmountsTable) -> str | None:
    """What ratios are taken against: the main product's limiting material, else the first
    amount."""
    for _, balance in amounts.balances_main_first():
        if balance.limiting_materials:
            return balance.limiting_materials[0]
    return next((mid for mid, e in amounts.materials.items() if e.moles is not None), None)


def _markdown_cells(sheet: str) -> list[str]:
    """The sheet split at its second-level headings, one Markdown cell per section."""
    parts = re.split(r"\n(?=## )", sheet.strip())
    return [part.strip() for part in parts if part.strip()]


_RECOMPUTE = '''\
from benchsheet.export.notebook import apply_actual_amounts, claim_ratios, mole_ratios
from benchsheet.validate import validate_text

result = validate_text(apply_actual_amounts(PROTOCOL_YAML, actual), name=PROTOCOL_FILE)
variant = next(v for v in result.variants if v.name == VARIANT)
if variant.amounts is None or variant.protocol is None:
    raise ValueError("the protocol with these amounts does not model; see the findings below")
amounts = variant.amounts
print(f"{'material':16} {'mmol':>12} {'mg':>12} {'mL':>10}")
for material_id, entry in amounts.materials.items():
    cells = [f"{x.nominal * k:12.5g}" if x is not None else f"{'-':>12}"
             for x, k in ((entry.moles, 1e3), (entry.mass, 1e3))]
    volume = f"{entry.volume.nominal:10.4g}" if entry.volume is not None else f"{'-':>10}"
    print(f"{material_id:16} {cells[0]} {cells[1]} {volume}")'''

_RATIOS = '''\
ratios = mole_ratios(amounts, REFERENCE) if REFERENCE else {}
ratios.update(claim_ratios(variant.protocol, amounts))
for name, value in ratios.items():
    print(f"{name:32} {value:.5g}")'''

_FINDINGS = '''\
findings = [f for f in result.findings if f.variant == VARIANT]
for f in findings:
    state = f" (acknowledged: {f.acknowledged})" if f.acknowledged else ""
    print(f"{f.code} {f.severity}: {f.message}{state}")
print(f"{len(findings)} finding(s)")'''


def bench_notebook(result: FileResult, variant: VariantResult) -> Any:
    """The bench notebook of one variant (an nbformat v4 NotebookNode, validated)."""
    protocol, amounts = variant.protocol, variant.amounts
    if protocol is None or amounts is None:
        raise ExportError([f"{result.document.path}: variant {variant.name or '(base)'}"
                           " does not model; nothing to put in a notebook"])
    v4 = _nbformat.v4
    planned = {
        mid: format_measured(entry.material.amount)
        for mid, entry in amounts.materials.items() if entry.material.amount is not None
    }
    lines = ",\n".join(f"    {mid!r}: {amount!r}" for mid, amount in planned.items())
    parameters = ("# The amounts actually weighed or measured; the planned ones to start with.\n"
                  f"actual = {{\n{lines},\n}}" if planned else "actual = {}")
    source = protocol_bytes(result).decode("utf-8-sig")
    reference = _reference_material(amounts)
    title = protocol.title + (f" ({variant.name})" if variant.name else "")
    cells = [
        v4.new_markdown_cell(
            f"# Bench notebook: {title}\n\nEnter the actual amounts in the `parameters` cell "
            "and run all cells: benchsheet recomputes the amounts, ratios and findings from "
            "them."),
        v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
        *(v4.new_markdown_cell(section) for section in
          _markdown_cells(render_sheet(result, variant, "md"))),
        v4.new_markdown_cell("## Recomputed from the actual amounts"),
        v4.new_code_cell(
            f"PROTOCOL_FILE = {Path(result.document.path).name!r}\n"
            f"VARIANT = {variant.name!r}\nREFERENCE = {reference!r}\n"
            f"PROTOCOL_YAML = {source!r}"),
        v4.new_code_cell(_RECOMPUTE),
        v4.new_code_cell(_RATIOS),
        v4.new_code_cell(_FINDINGS),
    ]
    for index, cell in enumerate(cells):
        cell["id"] = f"cell-{index}"  # nbformat draws random ids; fixed ones keep diffs quiet
    notebook = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "benchsheet": {"protocol": protocol.id, "version": protocol.version,
                       "variant": variant.name},
    })
    _nbformat.validate(notebook)
    return notebook


def notebook_text(notebook: Any) -> str:
    """The notebook as the JSON text Jupyter writes (sorted keys, one-space indent)."""
    return str(_nbformat.writes(notebook)) + "\n"


def write_notebooks(results: Sequence[FileResult], target: Path) -> list[Path]:
    """One notebook per variant: into folder `target`, or to file `target` if it is `.ipynb`.

    Everything is built before anything is written; raises `ExportError` when a protocol does
    not model, or when several notebooks would go to one `.ipynb` file.
    """
    clashes = clashing_names(results)
    if clashes:
        raise ExportError(clashes)
    built: list[tuple[str, str]] = []
    problems: list[str] = []
    for result in results:
        if not result.variants:
            problems.append(f"{result.document.path}: cannot be exported, it does not load")
            continue
        for variant in result.variants:
            try:
                notebook = bench_notebook(result, variant)
            except ExportError as error:
                problems += error.problems
                continue
            assert variant.protocol is not None
            built.append((variant_slug(variant.protocol.id, variant.name),
                          notebook_text(notebook)))
    if problems:
        raise ExportError(problems)
    if target.suffix == NOTEBOOK_SUFFIX:
        if len(built) != 1:
            raise ExportError([f"{target}: {len(built)} notebooks cannot go into one file;"
                               " give a folder with -o"])
        paths = [(target, built[0][1])]
    else:
        paths = [(target / f"{slug}{NOTEBOOK_SUFFIX}", text) for slug, text in built]
    for path, text in paths:
        write_atomic(path, text)
    return [path for path, _ in paths]
