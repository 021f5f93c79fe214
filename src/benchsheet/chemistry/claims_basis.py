"""What a reported figure requires, on each basis it can be read on.

A referee reads a TON of 17,964 "per cluster" and asks what it needs: with 3.8–5.3 mg of
catalyst and 42.5 mmol of substrate, the conversion at each end of the mass range, counting a
cluster by its inorganic core or with its ligand shell, and where that conversion passes 100 %.
The same holds for a yield: a product that carries its ligands weighs more than its core, so a
yield counted on the core alone can pass 100 %. These functions work on intervals of plain
numbers (mol, g, g/mol); the claims checks turn them into findings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from benchsheet.chemistry.interval import Interval

# Elements that are not metals for counting "metal atoms" of a catalyst: the non-metals and the
# usual metalloids (B, Si, Ge, As, Sb, Te), which are never the Lewis-acidic or redox site a
# TON per metal atom means.
NON_METALS = frozenset({
    "H", "He", "B", "C", "N", "O", "F", "Ne", "Si", "P", "S", "Cl", "Ar", "Ge", "As", "Se",
    "Br", "Kr", "Sb", "Te", "I", "Xe", "At", "Rn",
})


def metal_atoms(elements: Mapping[str, float]) -> float:
    """Metal atoms in one formula: Cd6.19Zn6.19Mn0.619Se13 holds 13."""
    return sum(n for element, n in elements.items() if element not in NON_METALS)


@dataclass(frozen=True)
class UnitCount:
    """One way of counting catalyst units from a weighed mass.

    ``molar_mass`` is what one catalyst unit weighs on this basis (core, or core plus ligand
    shell); ``per_unit`` is how many counted things (clusters: 1, metal atoms: 13, active
    sites) one unit holds.
    """

    label: str  # "per cluster, inorganic core"
    molar_mass: Interval  # g/mol per catalyst unit on this basis
    per_unit: Interval  # counted things per catalyst unit

    def counted(self, mass_g: Interval) -> Interval:
        """Moles of counted things in ``mass_g`` of catalyst."""
        return mass_g / self.molar_mass * self.per_unit


@dataclass(frozen=True)
class Requirement:
    """What a reported turnover number needs on one basis, over the range of the inputs.

    ``at_low_mass`` and ``at_high_mass`` are the fractions of the substrate it needs converted
    with the least and the most catalyst (each an interval over the other inputs);
    ``impossible_above_g`` is the catalyst mass above which even the most favourable other
    inputs need more than ``limit`` of the substrate (None: nowhere in the range).
    """

    count: UnitCount
    at_low_mass: Interval
    at_high_mass: Interval
    limit: float
    impossible_above_g: float | None

    @property
    def impossible_everywhere(self) -> bool:
        return self.at_low_mass.low > self.limit

    @property
    def impossible_somewhere(self) -> bool:
        return self.at_high_mass.low > self.limit


def conversion_needed(reported: Interval, count: UnitCount, mass_g: Interval,
                      substrate_mol: Interval, limit: float = 1.0) -> Requirement:
    """The conversion a reported TON needs: TON × n(counted) / n(substrate), with
    n(counted) = m / M(unit) × counted per unit, at each end of the catalyst mass range.

    The conversion needed grows with the catalyst mass, so it passes ``limit`` (all of the
    substrate, or what a limiting co-reactant allows) above
    m* = limit · n(substrate) · M(unit) / (TON · counted per unit), taken with the other inputs
    at their most favourable (largest substrate, heaviest unit, smallest TON and count).
    """

    def at(mass: float) -> Interval:
        return reported * count.counted(Interval.point(mass)) / substrate_mol

    threshold = limit * substrate_mol.high * count.molar_mass.high / (
        reported.low * count.per_unit.low) if reported.low > 0 else float("inf")
    above = threshold if threshold < mass_g.high else None
    return Requirement(count, at(mass_g.low), at(mass_g.high), limit, above)


def mass_needed(reported: Interval, count: UnitCount, conversion: Interval,
                substrate_mol: Interval) -> Interval:
    """The catalyst mass a reported TON needs at a stated conversion:
    m = conversion · n(substrate) · M(unit) / (TON · counted per unit)."""
    return conversion * substrate_mol * count.molar_mass / (reported * count.per_unit)


@dataclass(frozen=True)
class YieldOnBasis:
    """A yield read on one basis: the theoretical mass and the yield the isolated mass gives."""

    label: str  # "inorganic core", "with its ligand shell"
    theoretical_g: Interval
    isolated_g: Interval

    @property
    def value(self) -> Interval:
        return self.isolated_g / self.theoretical_g

    def isolated_needed(self, reported: Interval) -> Interval:
        """The isolated mass the reported yield needs on this basis."""
        return reported * self.theoretical_g
