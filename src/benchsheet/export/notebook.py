"""Bench notebooks: a Jupyter notebook per protocol variant for notebook-based ELNs.

The notebook carries the protocol's own text, a `parameters` cell (papermill's convention)
holding the amounts actually weighed and the masses obtained, the bench sheet as Markdown, and
cells that hand both to benchsheet's public API (`benchsheet.load_text(...).actual(...)`): the
amounts, mole ratios, limiting reagent, theoretical and % yield and the findings are
recomputed by the pipeline from what went into the flask, not re-derived by code in the
notebook, and no cell imports anything but `benchsheet`. Output is deterministic (fixed cell
ids, no wall clock).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat

from benchsheet.atomic import write_atomic
from benchsheet.export.records import (
    ExportError,
    clashing_names,
    protocol_bytes,
    render_sheet,
    variant_slug,
)
from benchsheet.units import format_measured
from benchsheet.validate import FileResult, VariantResult

__all__ = ["bench_notebook", "notebook_text", "write_notebooks"]

NOTEBOOK_SUFFIX = ".ipynb"
# nbformat ships partial type hints; its cell and notebook factories are untyped.
_nbformat: Any = nbformat


def _markdown_cells(sheet: str) -> list[str]:
    """The sheet split at its second-level headings, one Markdown cell per section."""
    parts = re.split(r"\n(?=## )", sheet.strip())
    return [part.strip() for part in parts if part.strip()]


_RECOMPUTE = '''\
import benchsheet

protocol = benchsheet.load_text(PROTOCOL_YAML, name=PROTOCOL_FILE)
run = protocol.actual(actual, obtained={product: mass for product, mass in obtained.items()
                                        if mass}, variant=VARIANT or None)
amounts = run.variant.amounts
if amounts is None:
    raise ValueError("the protocol with these amounts does not model; see the findings below")
print(f"{'material':16} {'mmol':>12} {'mg':>12} {'mL':>10}")
for material_id, entry in amounts.materials.items():
    cells = [f"{x.nominal * k:12.5g}" if x is not None else f"{'-':>12}"
             for x, k in ((entry.moles, 1e3), (entry.mass, 1e3))]
    volume = f"{entry.volume.nominal:10.4g}" if entry.volume is not None else f"{'-':>10}"
    print(f"{material_id:16} {cells[0]} {cells[1]} {volume}")'''

_RATIOS = '''\
ratios = run.ratios
for name, value in ratios.items():
    print(f"{name:32} {value:.5g}")'''

_YIELDS = '''\
for product in run.yields.values():
    limiting = " + ".join(product.limiting) or "-"
    theory = f"{product.theoretical_g * 1e3:.5g} mg" if product.theoretical_g else "-"
    got = f"{product.obtained_g * 1e3:.5g} mg" if product.obtained_g is not None else "-"
    percent = f"{product.percent:.1f} %" if product.percent is not None else "-"
    print(f"{product.product}: limiting {limiting}; theoretical {theory}; obtained {got};"
          f" yield {percent}")'''

_FINDINGS = '''\
for f in run.findings:
    state = f" (acknowledged: {f.acknowledged})" if f.acknowledged else ""
    print(f"{f.code} {f.severity}: {f.message}{state}")
print(f"{len(run.findings)} finding(s)")'''


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
    weighed = [pid for pid, balance in amounts.balances_main_first()
               if balance.theoretical_mass_g is not None]
    masses = ",\n".join(f"    {pid!r}: ''" for pid in weighed)
    parameters = (
        "# The amounts actually weighed or measured; the planned ones to start with.\n"
        + (f"actual = {{\n{lines},\n}}" if planned else "actual = {}")
        + "\n# The mass of each product obtained, e.g. '95.2 mg'; '' until it is weighed.\n"
        + (f"obtained = {{\n{masses},\n}}" if weighed else "obtained = {}"))
    source = protocol_bytes(result).decode("utf-8-sig")
    title = protocol.title + (f" ({variant.name})" if variant.name else "")
    cells = [
        v4.new_markdown_cell(
            f"# Bench notebook: {title}\n\nEnter the actual amounts and the masses obtained "
            "in the `parameters` cell and run all cells: benchsheet recomputes the amounts, "
            "ratios, limiting reagent, theoretical and % yield and the findings from them."),
        v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
        *(v4.new_markdown_cell(section) for section in
          _markdown_cells(render_sheet(result, variant, "md"))),
        v4.new_markdown_cell("## Recomputed from the actual amounts"),
        v4.new_code_cell(
            f"PROTOCOL_FILE = {Path(result.document.path).name!r}\n"
            f"VARIANT = {variant.name!r}\n"
            f"PROTOCOL_YAML = {source!r}"),
        v4.new_code_cell(_RECOMPUTE),
        v4.new_code_cell(_RATIOS),
        v4.new_code_cell(_YIELDS),
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
