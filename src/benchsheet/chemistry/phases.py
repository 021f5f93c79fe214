"""Phases and pressures in a vessel: what is liquid, how full it is, and what a seal must hold.

Everything here reads the amounts table and the vessel snapshots; nothing converts an amount.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from benchsheet.chemistry.amounts import AmountsTable, MaterialAmount, R
from benchsheet.chemistry.vessels import AMBIENT_K, VesselState
from benchsheet.units import STANDARD_ATMOSPHERE_PA

# Walden's rule: the entropy of fusion of many organic molecules is about 56.5 J/(mol·K)
# (P. Walden, Z. Elektrochem. 14, 713 (1908); Yalkowsky, J. Pharm. Sci. 68, 114 (1979)).
# Without a measured enthalpy of fusion it is the usual estimate for the ideal-solution
# freezing point of a mixture; molecules more flexible than that melt with a larger entropy
# and are depressed less.
WALDEN_ENTROPY_OF_FUSION = 56.5  # J/(mol·K)


def is_gas(entry: MaterialAmount) -> bool:
    """A gas supply, or a substance that is a gas at 25 °C: never part of the liquid."""
    return entry.material.gas is not None or entry.reagent.phase_25C == "gas"


def dispensed_as_liquid(entry: MaterialAmount) -> bool:
    """Measured out by volume as a neat liquid (not a solution of a stated concentration)."""
    return entry.basis == "volume"


def handled_as_liquid(entry: MaterialAmount) -> bool:
    """A material the protocol means as a liquid: dispensed by volume, a solvent, or a liquid
    at 25 °C. A weighed solid precursor is expected to be solid and is not one of these."""
    return (dispensed_as_liquid(entry) or entry.material.role == "solvent"
            or entry.reagent.phase_25C == "liquid")


def melting_point_K(entry: MaterialAmount) -> float | None:
    return entry.reagent.melting_point_K


def boiling_point_K(entry: MaterialAmount) -> float | None:
    return entry.reagent.boiling_point_K


def substance_key(entry: MaterialAmount) -> str:
    """Materials of one substance (two portions of BDA) count together in a mixture."""
    record = entry.reagent.record
    return record.id if record is not None else f"material:{entry.material_id}"


@dataclass(frozen=True)
class MixtureFreezing:
    """The freezing point of one component in the mixture a vessel holds."""

    pure_melting_K: float
    mole_fraction: float  # of this substance among the condensed materials with known moles
    other_components: tuple[str, ...]  # material ids of the rest, solutes and co-solvents
    freezing_K: float  # estimated, ideal solution with Walden's entropy of fusion


def ideal_freezing_point_K(pure_melting_K: float, mole_fraction: float) -> float:
    """Where a component with mole fraction x starts to crystallise from an ideal solution.

    ln x = −(ΔS_fus/R)·(T_m − T)/T, so T = T_m / (1 − (R/ΔS_fus)·ln x), with ΔS_fus from
    Walden's rule.
    """
    if mole_fraction >= 1.0:
        return pure_melting_K
    return pure_melting_K / (1.0 - (R / WALDEN_ENTROPY_OF_FUSION) * math.log(mole_fraction))


def mixture_freezing(state: VesselState, amounts: AmountsTable, material_id: str
                     ) -> MixtureFreezing | None:
    """The estimated freezing point of ``material_id``'s substance in what ``state`` holds."""
    entry = amounts.materials.get(material_id)
    mp = melting_point_K(entry) if entry is not None else None
    if entry is None or mp is None:
        return None
    key = substance_key(entry)
    own = total = 0.0
    others: list[str] = []
    for mid in state.materials:
        other = amounts.materials.get(mid)
        if other is None or is_gas(other):
            continue
        if substance_key(other) == key:
            if other.moles is not None:
                own += other.moles.nominal
            continue
        others.append(mid)
        if other.moles is not None:
            total += other.moles.nominal
    total += own
    x = own / total if own > 0 and total > 0 else 1.0
    return MixtureFreezing(mp, x, tuple(others), ideal_freezing_point_K(mp, x))


def liquid_volume_mL(state: VesselState, amounts: AmountsTable) -> tuple[float, tuple[str, ...]]:
    """The volume of the liquids a vessel holds (dispensed by volume, or liquid materials
    weighed out), and the ids counted; weighed solids are left out."""
    total = 0.0
    counted: list[str] = []
    for mid in state.materials:
        entry = amounts.materials.get(mid)
        if entry is None or is_gas(entry) or entry.volume is None:
            continue
        if entry.basis in ("volume", "solution") or handled_as_liquid(entry):
            total += entry.volume.nominal
            counted.append(mid)
    return total, tuple(counted)


@dataclass(frozen=True)
class PressureTerm:
    """One contribution to the pressure in a sealed vessel, Pa absolute."""

    material_id: str | None  # None for the air sealed in with the vessel
    what: str  # "vapour", "charged gas", "sealed-in air"
    pressure_Pa: float


@dataclass(frozen=True)
class SealedPressure:
    """An upper bound on the pressure in a sealed vessel at one step's temperature.

    Vapour: the sum of the pure components' vapour pressures (no Raoult's-law lowering, so an
    upper bound for ideal and most real mixtures). Gas: each charge heated at constant volume,
    p = n·R·T/V_headspace. Where nothing is charged, the headspace holds the air (or inert gas)
    sealed in at 1 atm and ambient temperature, heated the same way.
    """

    state: VesselState
    terms: tuple[PressureTerm, ...]
    unbounded: tuple[str, ...]  # liquids above their boiling point with no vapour-pressure data

    @property
    def total_Pa(self) -> float:
        return sum(t.pressure_Pa for t in self.terms)

    @property
    def temperature_K(self) -> float:
        return self.state.temperature_K


def sealed_pressure(state: VesselState, amounts: AmountsTable) -> SealedPressure:
    """The pressure bound of the sealed vessel of ``state`` (see SealedPressure)."""
    t_k = state.temperature_K
    terms: list[PressureTerm] = []
    unbounded: list[str] = []
    seen: set[str] = set()
    for mid in state.materials:
        entry = amounts.materials.get(mid)
        if entry is None or is_gas(entry):
            continue
        key = substance_key(entry)
        mp = melting_point_K(entry)
        # A solid's vapour pressure is negligible beside the liquids'; one term per substance.
        if key in seen or (mp is not None and mp > t_k) or (
                mp is None and not handled_as_liquid(entry)):
            continue
        seen.add(key)
        record = entry.reagent.record
        p = record.vapor_pressure_Pa(t_k) if record is not None else None
        if p is not None:
            terms.append(PressureTerm(mid, "vapour", p))
            continue
        bp = boiling_point_K(entry)
        if bp is not None and t_k <= bp:
            # Below its normal boiling point a liquid's vapour pressure is under 1 atm.
            terms.append(PressureTerm(mid, "vapour (≤ 1 atm below its boiling point)",
                                      STANDARD_ATMOSPHERE_PA))
        elif bp is not None or handled_as_liquid(entry):
            unbounded.append(mid)
    # A charge is in the headspace from its pressurize step until a vent; one that no step
    # charges is taken to be there throughout.
    stepped = {m for s in amounts.timeline if s.vessel == state.vessel for m in s.materials}
    charged = [g for g in amounts.gases.values() if g.vessel == state.vessel
               and (g.material_id in state.materials or g.material_id not in stepped)]
    for gas in charged:
        v_m3 = gas.headspace_mL * 1e-6
        if v_m3 > 0:
            terms.append(PressureTerm(gas.material_id, "charged gas",
                                      gas.moles.nominal * R * t_k / v_m3))
    if not charged:
        terms.append(PressureTerm(None, "sealed-in air",
                                  STANDARD_ATMOSPHERE_PA * t_k / AMBIENT_K))
    return SealedPressure(state, tuple(terms), tuple(unbounded))
