"""Phases and pressures in a vessel: what is liquid, how full it is, what boils, and what a
seal must hold.

Everything here reads the amounts table and the timeline's vessel states (shares of each
material); nothing converts an amount. Mixtures follow Raoult's law: each liquid component
contributes x_i·p_i*(T) to the vapour, with x_i its mole fraction among the condensed
components. A component's p* comes from its vapour-pressure curve, else it is estimated from
its normal boiling point with the Clausius–Clapeyron equation and Trouton's rule.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from benchsheet.chemistry.amounts import (
    AmountsTable,
    MaterialAmount,
    R,
    condensed_volume,
    condensed_volume_at,
)
from benchsheet.chemistry.claims_basis import NON_METALS
from benchsheet.chemistry.resolve import ResolvedReagent
from benchsheet.chemistry.vessels import Held, VesselState
from benchsheet.memo import ByIdentity
from benchsheet.reagents.library import vapour_pressure_on
from benchsheet.units import STANDARD_ATMOSPHERE_PA

# Walden's rule: the entropy of fusion of many organic molecules is about 56.5 J/(mol·K)
# (P. Walden, Z. Elektrochem. 14, 713 (1908); Yalkowsky, J. Pharm. Sci. 68, 114 (1979)).
# Without a measured enthalpy of fusion it is the usual estimate for the ideal-solution
# freezing point of a mixture; molecules more flexible than that melt with a larger entropy
# and are depressed less.
WALDEN_ENTROPY_OF_FUSION = 56.5  # J/(mol·K)
# Trouton's rule: the entropy of vaporisation at the normal boiling point is about
# 88 J/(mol·K) for non-associated liquids (F. Trouton, Phil. Mag. 18, 54 (1884)); with the
# Clausius–Clapeyron equation it estimates p*(T) from the boiling point alone. Hydrogen-bonded
# liquids (water, alcohols) have larger entropies, so below their boiling point the estimate is
# high: an upper bound for a pressure, and it never makes a liquid boil below its bp.
TROUTON_ENTROPY = 88.0  # J/(mol·K)
# Temperatures within this of a transition are at it, not past it: a library bp of 99.97 °C
# does not make water at 100.0 °C boil.
TRANSITION_TOLERANCE_K = 0.5


def is_gas(entry: MaterialAmount) -> bool:
    """A gas supply, or a substance that is a gas at 25 °C and not dissolved in a solution:
    never part of the liquid."""
    if entry.material.gas is not None:
        return True
    if entry.part_of is None and entry.material.concentration is not None:
        return False  # a dissolved gas (HCl in 37 % hydrochloric acid, NH3 in ammonia water)
    return entry.reagent.phase_25C == "gas"


def is_solute(entry: MaterialAmount) -> bool:
    """The dissolved substance of a solution (HCl in hydrochloric acid, n-BuLi in hexane):
    it is in the liquid as a solute, not a liquid of its own with its own boiling point."""
    return entry.part_of is None and entry.material.concentration is not None


def dispensed_as_liquid(entry: MaterialAmount) -> bool:
    """Measured out by volume as a neat liquid (not a solution of a stated concentration)."""
    return entry.basis == "volume"


def handled_as_liquid(entry: MaterialAmount) -> bool:
    """A material the protocol means as a liquid: dispensed by volume, a solvent, a solution's
    solvent, or a liquid at 25 °C. A weighed solid precursor is expected to be solid."""
    return (dispensed_as_liquid(entry) or entry.material.role == "solvent"
            or entry.part_of is not None or entry.reagent.phase_25C == "liquid")


def melting_point_K(entry: MaterialAmount) -> float | None:
    return entry.reagent.melting_point_K


def boiling_point_K(entry: MaterialAmount) -> float | None:
    return entry.reagent.boiling_point_K


def substance_key(entry: MaterialAmount) -> str:
    """Materials of one substance (two portions of BDA) count together in a mixture."""
    record = entry.reagent.record
    return record.id if record is not None else f"material:{entry.material_id}"


def is_liquid_at(entry: MaterialAmount, t_k: float) -> bool:
    """Liquid (not frozen, not a gas) at ``t_k``, as far as the data tell."""
    if is_gas(entry):
        return False
    mp = melting_point_K(entry)
    if mp is not None:
        return mp <= t_k + TRANSITION_TOLERANCE_K
    return handled_as_liquid(entry)


def is_salt(entry: MaterialAmount) -> bool:
    """A metal compound that is a solid at the bench (a metal nitrate, chloride, acetate or
    their hydrates), with neither a boiling point nor a vapour-pressure curve: its vapour is
    nil at any temperature a vessel is heated to, whether it is dissolved or has melted in its
    own water of crystallisation (copper(II) nitrate trihydrate at 114 °C). A volatile metal
    compound (tin(IV) chloride, osmium tetroxide, aluminium chloride, which sublimes at
    180 °C) has a boiling point in the data, and its curve counts instead."""
    reagent = entry.reagent
    formula = reagent.formula
    if formula is None or reagent.boiling_point_K is not None or reagent.phase_25C != "solid":
        return False
    elements = set(formula.elements)
    return bool(elements - NON_METALS) and bool(elements & NON_METALS)


def vapour_pressure_Pa(entry: MaterialAmount, t_k: float) -> tuple[float | None, str]:
    """p*(T) of a pure component and where it came from: its curve, else an estimate from its
    boiling point (Clausius–Clapeyron with Trouton's rule), else (None, 'no data'). Worked
    out once per resolved reagent and temperature: it reads nothing else, and the vessels of
    every variant of a file are at the same few temperatures."""
    reagent = entry.reagent
    return _VAPOUR_PRESSURE.get(reagent, functools.partial(_vapour_pressure_Pa, reagent, t_k),
                                t_k)


# (p*, where it came from) by resolved reagent (not changed once made) and temperature.
_VAPOUR_PRESSURE: ByIdentity[tuple[float | None, str]] = ByIdentity(most=2048)


def _vapour_pressure_Pa(reagent: ResolvedReagent, t_k: float) -> tuple[float | None, str]:
    record = reagent.record
    p = record.vapor_pressure_Pa(t_k) if record is not None else \
        vapour_pressure_on(reagent.vapour_pressure_points, t_k)
    if p is not None:
        return p, "vapour-pressure curve"
    bp = reagent.boiling_point_K
    if bp is None:
        return None, "no data"
    h_vap = TROUTON_ENTROPY * bp
    return (STANDARD_ATMOSPHERE_PA * math.exp(-h_vap / R * (1 / t_k - 1 / bp)),
            "estimated from its boiling point (Trouton's rule)")


@dataclass(frozen=True)
class Component:
    """One substance in a vessel's condensed phase at a step."""

    material_ids: tuple[str, ...]
    entry: MaterialAmount  # the first material of this substance
    moles: float | None  # mol in the vessel (shares applied); None when not known
    liquid: bool  # a liquid at the temperature (contributes vapour)
    volume_mL: float | None
    dissolved: bool = False  # some portion of it is dissolved


def components(state: VesselState, amounts: AmountsTable) -> list[Component]:
    """The condensed substances in a vessel at a step, each once, with their moles there."""
    groups = _substances(state, amounts)
    t_k = state.temperature_K
    out = []
    for mids, entry, moles, volume, dissolved in groups.values():
        # A solution's solute counts in the mole fractions but gives no vapour of its own
        # (no Henry's-law data here); nor does a solid dissolved below its melting point.
        mp = melting_point_K(entry)
        liquid = is_liquid_at(entry, t_k) and not is_solute(entry) and not (
            dissolved and mp is not None and mp > t_k)
        out.append(Component(tuple(mids), entry, moles, liquid, volume, dissolved))
    return out


@dataclass(frozen=True)
class VapourTerm:
    """One liquid's share of the vapour over a mixture: x·p*."""

    material_id: str
    mole_fraction: float | None  # None: the amount is not known, counted as pure (x = 1)
    pure_Pa: float
    partial_Pa: float
    source: str


@dataclass(frozen=True)
class Vapour:
    """The vapour over what a vessel holds at a step (Raoult's law)."""

    terms: tuple[VapourTerm, ...]
    unknown: tuple[str, ...]  # liquids with neither a vapour-pressure curve nor a bp

    @property
    def total_Pa(self) -> float:
        return sum(t.partial_Pa for t in self.terms)


def vapour(state: VesselState, amounts: AmountsTable, t_k: float | None = None,
           exclude: frozenset[str] = frozenset()) -> Vapour:
    """Raoult's-law vapour over the condensed phase of ``state`` at ``t_k`` (default: the
    state's temperature). Components with unknown moles count as pure liquids (x = 1)."""
    t = state.temperature_K if t_k is None else t_k
    parts = components(state, amounts)
    if exclude:
        parts = [c for c in parts if not set(c.material_ids) <= exclude]
    return _vapour(t, parts)


def _vapour(t: float, parts: list[Component]) -> Vapour:
    """``vapour`` at ``t`` over the components ``parts`` of a state (those not excluded)."""
    # A component's portions are the held items of its ids: ``dissolved`` says whether one is.
    known = [c.moles for c in parts if c.moles is not None and (c.liquid or is_solute(c.entry)
                                                                   or c.dissolved)]
    total = sum(m for m in known if m is not None)
    terms: list[VapourTerm] = []
    unknown: list[str] = []
    for c in parts:
        if not c.liquid:
            continue
        p, source = vapour_pressure_Pa(c.entry, t)
        if p is None:
            if not is_salt(c.entry):  # a salt's vapour is nil, molten or dissolved
                unknown.append(c.material_ids[0])
            continue
        x = c.moles / total if c.moles is not None and total > 0 else None
        terms.append(VapourTerm(c.material_ids[0], x, p, p * (x if x is not None else 1.0),
                                source))
    return Vapour(tuple(terms), tuple(unknown))


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
    if mole_fraction <= 0.0:
        # A trace beside an overwhelming rest (x underflows to 0): as x → 0, ln x → −∞ and
        # T → 0 K, so the substance never crystallises out; log(0) itself would raise.
        return 0.0
    return pure_melting_K / (1.0 - (R / WALDEN_ENTROPY_OF_FUSION) * math.log(mole_fraction))


def mixture_freezing(state: VesselState, amounts: AmountsTable, material_id: str
                     ) -> MixtureFreezing | None:
    """The estimated freezing point of ``material_id``'s substance in what ``state`` holds:
    its mole fraction among the substances of ``components`` (the same sums,
    ``_substances``), without the components' phases, which this does not read."""
    entry = amounts.entry(material_id)
    mp = melting_point_K(entry) if entry is not None else None
    if entry is None or mp is None:
        return None
    key = substance_key(entry)
    own = total = 0.0
    others: list[str] = []
    for substance, (mids, _, moles, _, _) in _substances(state, amounts).items():
        if substance == key:
            own += moles or 0.0
            continue
        others.extend(mids)
        total += moles or 0.0
    total += own
    x = own / total if own > 0 and total > 0 else 1.0
    return MixtureFreezing(mp, x, tuple(others), ideal_freezing_point_K(mp, x))


def _substances(state: VesselState, amounts: AmountsTable) -> dict[str, list[Any]]:
    """Each condensed substance in ``state``, in order of arrival, with [its material ids,
    its first entry, its moles, its volume (None when a portion's is not known; a solution's
    solvent part counts in the moles, not again in the volume), whether some portion of it
    is dissolved], summed over the portions in order: what ``components`` and
    ``mixture_freezing`` read, added up in one place so that the two agree."""
    groups: dict[str, list[Any]] = {}
    materials, parts = amounts.materials, amounts.parts
    for held in state.held:
        mid = held.material_id
        entry = materials.get(mid)  # amounts.entry, without the call
        if entry is None:
            entry = parts.get(mid)
            if entry is None:
                continue
        if is_gas(entry):
            continue
        key = substance_key(entry)
        group = groups.get(key)
        if group is None:
            group = groups[key] = [[], entry, 0.0, 0.0, False]
        group[0].append(mid)
        share = held.share
        if group[2] is not None:
            group[2] = None if entry.moles is None else group[2] + entry.moles.nominal * share
        if group[3] is not None and entry.part_of is None:
            group[3] = None if entry.volume is None else group[3] + entry.volume.nominal * share
        if held.dissolved:
            group[4] = True
    return groups


def liquid_volume_mL(state: VesselState, amounts: AmountsTable) -> tuple[float, tuple[str, ...]]:
    """The volume of the liquids a vessel holds (dispensed by volume, solutions, or liquid
    materials weighed out), and the ids counted; weighed solids are left out. Worked out once
    per contents (see ``AmountsTable.of_contents``)."""
    return amounts.of_contents("liquid_volume_mL", state.held, lambda: amounts.of_growing_contents(
        "liquid_volume_mL", state.vessel, state.held,
        lambda held, so_far: _liquid_volume_mL(held, amounts, so_far)))


def liquid_volume_total_mL(state: VesselState, amounts: AmountsTable) -> float:
    """The first figure of ``liquid_volume_mL`` alone: what a check that looks at every state
    needs (adding up only what arrived since the vessel's last state), without the ids."""
    return amounts.of_contents("liquid_total_mL", state.held, lambda: amounts.of_growing_contents(
        "liquid_total_mL", state.vessel, state.held,
        lambda held, so_far: _liquid_volume_mL(held, amounts, (so_far or 0.0, ()))[0]))


def liquid_volume_totals_mL(states: Sequence[VesselState], amounts: AmountsTable
                            ) -> list[float]:
    """``liquid_volume_total_mL`` of each of one vessel's states, in their order: the same
    sums (a state that only adds to its predecessor's contents adds its new items to that
    total, term by term as the whole sum would), without a memo lookup per state."""
    timeline = amounts.timeline
    volumes = _liquid_volumes(amounts)
    totals: list[float] = []
    held: Sequence[Held] | None = None
    total = 0.0
    for state in states:
        now = state.held
        if now is not held:
            start, new = (total, now[len(held):]) if held is not None and timeline.extends(
                now, held) else (0.0, now)
            held, total = now, _add_volumes(start, new, volumes)
        totals.append(total)
    return totals


def _add_volumes(total: float, held: Sequence[Held], volumes: dict[str, float]) -> float:
    for item in held:
        volume = volumes.get(item.material_id)
        if volume is not None:
            total += volume * item.share
    return total


def _liquid_volume_mL(held: Sequence[Held], amounts: AmountsTable,
                      so_far: tuple[float, tuple[str, ...]] | None
                      ) -> tuple[float, tuple[str, ...]]:
    """``liquid_volume_mL`` of ``held`` added to ``so_far`` (the same sum, term by term)."""
    total, before = so_far if so_far is not None else (0.0, ())
    counted: list[str] = []
    volumes = _liquid_volumes(amounts)
    parts = amounts.parts
    for item in held:
        volume = volumes.get(item.material_id)
        if volume is not None:
            total += volume * item.share
            part = parts.get(item.material_id)
            counted.append(item.material_id if part is None or part.part_of is None
                           else part.part_of)
    return total, (*before, *counted)


def _liquid_volumes(amounts: AmountsTable) -> dict[str, float]:
    """Material or solution part id -> its whole volume in mL, for each material counted as
    liquid in a vessel (measured by volume, a solution, or a liquid weighed out; not a gas).
    A solution's volume is its solvent part's: the part goes wherever the solution goes, and
    stays when the solute is used up (an aqueous NaBH4 solution quenched by the water it is
    poured into leaves its 0.60 mL of water behind). Worked out once per table, in the order
    of the materials, so the sums over a vessel's contents read one number per item instead
    of following each material's entry and reagent."""

    def worked_out() -> dict[str, float]:
        solvent_of = {entry.part_of: pid for pid, entry in amounts.parts.items()
                      if entry.part_of is not None}
        volumes: dict[str, float] = {}
        for mid, entry in [*amounts.materials.items(), *amounts.parts.items()]:
            if is_gas(entry) or entry.volume is None or entry.part_of is not None:
                continue
            if entry.basis in ("volume", "solution") or handled_as_liquid(entry):
                volumes[solvent_of.get(mid, mid)] = entry.volume.nominal
        return volumes

    return amounts.derived("liquid volumes", worked_out)


@dataclass(frozen=True)
class PressureTerm:
    """One contribution to the pressure in a sealed vessel, Pa absolute."""

    material_id: str | None  # None for the gas sealed in with the vessel or released
    what: str  # "vapour", "charged gas", "sealed-in air", "released gas"
    pressure_Pa: float


@dataclass(frozen=True)
class SealedPressure:
    """The pressure in a sealed vessel at one step's temperature.

    Vapour: Raoult's law over the liquid (x_i·p_i*). Gas: each charge heated at constant
    volume, p = n·R·T/V_headspace; the gas sealed in (air or inert, at 1 atm less the vapour
    at the temperature it was sealed at; none after evacuation) heated the same way; and the
    gas steps released into the closed headspace, n·R·T/V.
    """

    state: VesselState
    terms: tuple[PressureTerm, ...]
    unbounded: tuple[str, ...]  # liquids with no vapour data, or released gas of unknown amount
    headspace_mL: float | None

    @property
    def total_Pa(self) -> float:
        return sum(t.pressure_Pa for t in self.terms)

    @property
    def temperature_K(self) -> float:
        return self.state.temperature_K


def sealed_pressure(state: VesselState, amounts: AmountsTable,
                    capacity_mL: float | None) -> SealedPressure:
    """The pressure of the sealed vessel of ``state`` (see SealedPressure)."""
    t_k = state.temperature_K
    terms: list[PressureTerm] = []
    # The components of the state (at its temperature), for the vapour now and at sealing.
    parts = components(state, amounts)
    vap = _vapour(t_k, parts)
    for term in vap.terms:
        what = "vapour" if term.source == "vapour-pressure curve" else (
            "vapour (estimated from its boiling point)")
        terms.append(PressureTerm(term.material_id, what, term.partial_Pa))
    unbounded = list(vap.unknown)
    # The gas shares what the liquids and solids leave, as for a charged gas (GS101), with
    # each liquid at its density at this temperature (PO expands 8.6 % from 25 to 70 °C).
    condensed = condensed_volume(state, amounts)
    grown = condensed_volume_at(state, amounts) - condensed  # mL the liquids grew by
    headspace = None if capacity_mL is None else max(capacity_mL - condensed - grown, 0.0)
    charged = [g for g in amounts.gases.values() if g.vessel == state.vessel
               and (g.material_id in state.materials
                    or not amounts.timeline.ever_held(g.vessel, g.material_id))]
    for gas in charged:
        # The headspace it was charged into, less what the liquids grew by since 25 °C.
        v_m3 = max(gas.headspace_mL - grown, 0.0) * 1e-6
        # The virial equation the charge was counted with (n = P·V/(R·T + B·P)), solved for P
        # at this temperature with B(T) here: P = n·R·T / (V − n·B); ideal without B.
        entry = amounts.materials.get(gas.material_id)
        record = entry.reagent.record if entry is not None else None
        b = (record.second_virial(t_k) if record is not None else None) or 0.0
        n = gas.moles.nominal
        if v_m3 > 0 and v_m3 - n * b > 0:
            terms.append(PressureTerm(gas.material_id, "charged gas",
                                      n * R * t_k / (v_m3 - n * b)))
    if not charged and state.sealed_gas != "vacuum":
        at_seal = _vapour(state.sealed_at_K, parts).total_Pa
        sealed_in = max(STANDARD_ATMOSPHERE_PA - at_seal, 0.0) * t_k / state.sealed_at_K
        terms.append(PressureTerm(None, "sealed-in gas", sealed_in))
    if state.released_sealed_mol is None:
        unbounded.append("gas released (amount not known)")
    elif state.released_sealed_mol > 0:
        if headspace is not None and headspace > 0:
            terms.append(PressureTerm(None, "released gas",
                                      state.released_sealed_mol * R * t_k / (headspace * 1e-6)))
        else:
            unbounded.append("gas released (no headspace known)")
    return SealedPressure(state, tuple(terms), tuple(unbounded), headspace)
