"""Ligand shells: what the ligands (or end groups) a product carries add to its mass.

A magic-sized cluster is isolated with its amines bound, a polymer chain with its two end
groups: the weighed product is heavier than its core, so a theoretical yield counted on the
core alone can be passed by a real, correct isolated mass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from benchsheet.chemistry.formula import FormulaError, parse_formula
from benchsheet.chemistry.interval import Interval
from benchsheet.model.product import LigandShell, Product


@dataclass(frozen=True)
class Shell:
    """A declared shell as numbers: ``count`` ligands per ``per`` formula units."""

    ligand: str | None  # material id
    formula: str | None
    count: Interval
    per: float | None  # None: the default (nuclearity of a cluster, else 1)

    def words(self) -> str:
        """``13 × 'BDA' per cluster`` / ``2 × C4H9 per 50 formula units``, for messages."""
        count = f"{self.count.low:g}" if self.count.is_point else (
            f"{self.count.low:g}–{self.count.high:g}")
        what = f"'{self.ligand}'" if self.ligand is not None else str(self.formula)
        per = f" per {self.per:g} formula units" if self.per is not None else ""
        return f"{count} × {what}{per}"


def shell_of(shell: LigandShell) -> Shell:
    """A written shell as numbers."""
    return Shell(shell.ligand, shell.formula,
                 Interval.of(shell.count.magnitudes("dimensionless")), shell.per)


def declared_shell(product: Product) -> Shell | None:
    """The product's ligand shell: ``shell``, or the composition's ``ligand`` with its
    ``ligands_per_cluster`` (the older way of writing the same)."""
    if product.shell is not None:
        return shell_of(product.shell)
    c = product.composition
    if c is not None and c.ligand is not None and c.ligands_per_cluster is not None:
        return Shell(c.ligand, None, Interval.point(c.ligands_per_cluster), None)
    return None


def shell_unit_mass(shell: Shell, material_molar_mass: Callable[[str], float | None],
                    default_per: float) -> Interval | None:
    """g/mol of shell per formula unit: count × M(ligand) / formula units the count is per
    (13 BDA of 88.15 g/mol per (CdSe)13 cluster: 88.15 g/mol per CdSe unit). None when the
    ligand's molar mass is not known."""
    if shell.formula is not None:
        try:
            ligand_mass: float | None = parse_formula(shell.formula).molar_mass
        except FormulaError:  # the model refuses an unreadable formula; defensive
            return None
    else:
        ligand_mass = material_molar_mass(shell.ligand) if shell.ligand else None
    if ligand_mass is None:
        return None
    per = shell.per if shell.per is not None else default_per
    return shell.count * (ligand_mass / per)


def theoretical_mass_with_shell(product: Product, formula_units: Interval | None,
                                core_mass_g: Interval | None, nuclearity: int | None,
                                material_molar_mass: Callable[[str], float | None]
                                ) -> Interval | None:
    """The theoretical mass of a product that carries its declared shell (g): the core's plus
    formula units × shell per formula unit. None without a shell or a known ligand mass."""
    shell = declared_shell(product)
    if shell is None or formula_units is None or core_mass_g is None:
        return None
    extra = shell_unit_mass(shell, material_molar_mass, float(nuclearity or 1))
    return core_mass_g + formula_units * extra if extra is not None else None
