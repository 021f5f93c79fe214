"""Bench notebooks: a Jupyter notebook per protocol variant for notebook-based ELNs.

The notebook carries the protocol's own text, a `parameters` cell (papermill's convention)
holding the amounts actually weighed and the masses obtained, the bench sheet as Markdown, and
cells that hand both to benchsheet's public API (`benchsheet.load_text(...).actual(...)`): the
amounts, mole ratios, limiting reagent, theoretical and % yield and the findings are
recomputed by the pipeline from what went into the flask, not re-derived by code in the
notebook, and no cell imports anything but `benchsheet`. Output is deterministic (fixed cell
ids, no wall clock).

The notebook is built as the plain JSON that nbformat 4.5 describes and written the way
nbformat writes it, without importing nbformat: its schema validation of every cell took
longer than rendering the sheets. The tests validate what is written against nbformat's
schema and compare it with nbformat's own writer, byte for byte.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchsheet.atomic import (
    AtomicWriter,
    commit_staged,
    discard_staged,
    write_atomic,
)
from benchsheet.export.records import (
    ExportError,
    SlugClashes,
    clashing_names,
    protocol_bytes,
    render_sheet,
    variant_slug,
)
from benchsheet.jsontext import dumps_indented
from benchsheet.spool import SpooledList
from benchsheet.units import format_measured
from benchsheet.validate import FileResult, VariantResult

if TYPE_CHECKING:
    from benchsheet.render import SheetBook

__all__ = ["NotebookExport", "bench_notebook", "notebook_text", "write_notebooks"]

NOTEBOOK_SUFFIX = ".ipynb"
#: The nbformat version written: 4.5 is the first with cell ids.
NBFORMAT, NBFORMAT_MINOR = 4, 5


def _markdown_cell(cell_id: str, source: str) -> dict[str, Any]:
    return {"id": cell_id, "cell_type": "markdown", "source": source, "metadata": {}}


def _code_cell(cell_id: str, source: str, tags: Sequence[str] = ()) -> dict[str, Any]:
    return {"id": cell_id, "cell_type": "code", "metadata": {"tags": list(tags)} if tags else {},
            "execution_count": None, "source": source, "outputs": []}


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


def bench_notebook(result: FileResult, variant: VariantResult,
                   sheets: SheetBook | None = None) -> dict[str, Any]:
    """The bench notebook of one variant, as nbformat 4.5 JSON (a dict); its Markdown sheet
    from `sheets` when a build has rendered it already."""
    protocol, amounts = variant.protocol, variant.amounts
    if protocol is None or amounts is None:
        raise ExportError([f"{result.document.path}: variant {variant.name or '(base)'}"
                           " does not model; nothing to put in a notebook"])
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
    source = (protocol_bytes(result) if sheets is None
              else sheets.source(result)).decode("utf-8-sig")
    title = protocol.title + (f" ({variant.name})" if variant.name else "")
    sheet = (render_sheet(result, variant, "md") if sheets is None
             else sheets.render(result, variant, "md"))
    # (kind, source, tags); the cells are numbered in order (nbformat would draw random ids;
    # fixed ones keep diffs quiet).
    kinds: list[tuple[str, str, Sequence[str]]] = [
        ("markdown",
         f"# Bench notebook: {title}\n\nEnter the actual amounts and the masses obtained "
         "in the `parameters` cell and run all cells: benchsheet recomputes the amounts, "
         "ratios, limiting reagent, theoretical and % yield and the findings from them.", ()),
        ("code", parameters, ("parameters",)),
        *(("markdown", section, ()) for section in _markdown_cells(sheet)),
        ("markdown", "## Recomputed from the actual amounts", ()),
        ("code",
         f"PROTOCOL_FILE = {Path(result.document.path).name!r}\n"
         f"VARIANT = {variant.name!r}\n"
         f"PROTOCOL_YAML = {source!r}", ()),
        ("code", _RECOMPUTE, ()),
        ("code", _RATIOS, ()),
        ("code", _YIELDS, ()),
        ("code", _FINDINGS, ()),
    ]
    cells = [_markdown_cell(f"cell-{index}", text) if kind == "markdown"
             else _code_cell(f"cell-{index}", text, tags)
             for index, (kind, text, tags) in enumerate(kinds)]
    return {"nbformat": NBFORMAT, "nbformat_minor": NBFORMAT_MINOR, "cells": cells,
            "metadata": {
                "kernelspec": {"display_name": "Python 3", "language": "python",
                               "name": "python3"},
                "language_info": {"name": "python"},
                "benchsheet": {"protocol": protocol.id, "version": protocol.version,
                               "variant": variant.name},
            }}


def notebook_text(notebook: dict[str, Any]) -> str:
    """The notebook as the JSON text Jupyter (nbformat.writes) writes: sorted keys, one-space
    indent, every cell's source split into its lines."""
    lined = {**notebook, "cells": [
        {**cell, "source": cell["source"].splitlines(True)}
        if isinstance(cell.get("source"), str) else cell for cell in notebook["cells"]]}
    return dumps_indented(lined, 1, sort_keys=True) + "\n"


class NotebookExport:
    """The bench notebooks of a run, made a batch of files at a time: each batch's notebooks
    are written under temporary names as they are made (``AtomicWriter(defer=True)``) and
    renamed into place by ``finish`` only when every file of the run could be exported, so a
    build of ten thousand files holds one batch's notebooks, and a failed export still
    writes none. ``write_notebooks`` for a list."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self._clashes = SlugClashes()
        self._problems: list[str] = []
        # Every notebook written so far under its temporary name, (temporary, final): on
        # disk (``benchsheet.spool``), as a build of many files writes hundreds of thousands.
        self._staged: SpooledList[tuple[str, str]] | None = None
        self._one_file = target.suffix == NOTEBOOK_SUFFIX
        self._single: str | None = None  # into one .ipynb file: the first notebook
        self._count = 0
        self._made_folder = not self._one_file and not target.exists()

    def add(self, results: Sequence[FileResult], sheets: SheetBook | None = None) -> None:
        """Make the notebooks of ``results``; the Markdown sheets from ``sheets`` when a build
        has rendered them."""
        built: list[tuple[str, str]] = []
        for result in results:
            self._clashes.add(result)
            if not result.variants:
                self._problems.append(f"{result.document.path}: cannot be exported, it does "
                                      "not load")
                continue
            for variant in result.variants:
                try:
                    notebook = bench_notebook(result, variant, sheets)
                except ExportError as error:
                    self._problems += error.problems
                    continue
                assert variant.protocol is not None
                built.append((variant_slug(variant.protocol.id, variant.name),
                              notebook_text(notebook)))
        self._count += len(built)
        if self._one_file:
            if built and self._single is None:
                self._single = built[0][1]
            return
        try:
            with AtomicWriter(defer=True) as writer:
                for slug, text in built:
                    writer.write(self.target / f"{slug}{NOTEBOOK_SUFFIX}", text)
        except BaseException:  # a write that failed: none of the run's notebooks is kept
            self._discard_staged()
            raise
        if self._staged is None:
            self._staged = SpooledList(list, _pair)
        self._staged.extend(writer.staged)

    def finish(self) -> Iterable[str]:
        """Put every notebook in place; the paths written, as text, read back one at a time
        (a build of many files writes hundreds of thousands). Raises ``ExportError`` (and
        writes none) when a protocol does not model, when two variants would go to one
        notebook, or when several notebooks would go to one ``.ipynb`` file."""
        try:
            if self._clashes.problems:
                raise ExportError(self._clashes.problems)
            if self._problems:
                raise ExportError(self._problems)
            if self._one_file:
                if self._count != 1 or self._single is None:
                    raise ExportError([f"{self.target}: {self._count} notebooks cannot go "
                                       "into one file; give a folder with -o"])
                write_atomic(self.target, self._single)
                self._made_folder = False
                return [os.fspath(self.target)]
            staged, self._staged = self._staged, None
            if staged is None:
                return []
            commit_staged(staged)
            self._made_folder = False  # the notebooks are in it: no longer this export's to undo
            return (path for _, path in staged)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Write none of the notebooks (another export of the run failed): what was written
        under temporary names is removed, and the folder too if this export made it. Once
        ``finish`` has put the notebooks in place there is nothing left to discard."""
        self._discard_staged()
        if self._made_folder:
            with contextlib.suppress(OSError):  # only if empty: a folder that was ours
                self.target.rmdir()

    def _discard_staged(self) -> None:
        """Remove the notebooks written under temporary names, and the list of them."""
        staged, self._staged = self._staged, None
        if staged is not None:
            discard_staged(staged)
            staged.close()


def _pair(row: list[str]) -> tuple[str, str]:
    return row[0], row[1]


def write_notebooks(results: Sequence[FileResult], target: Path, *,
                    sheets: SheetBook | None = None) -> list[Path]:
    """One notebook per variant: into folder `target`, or to file `target` if it is `.ipynb`;
    the Markdown sheets from `sheets` when a build has rendered them.

    Nothing is put in place unless every notebook could be made; raises `ExportError` when a
    protocol does not model, or when several notebooks would go to one `.ipynb` file.
    """
    clashes = clashing_names(results)
    if clashes:  # refused before a sheet is rendered: the notebooks would overwrite each other
        raise ExportError(clashes)
    export = NotebookExport(target)
    export.add(results, sheets)
    return [Path(path) for path in export.finish()]
