"""Phases and vessels: what freezes or boils at a step's temperature, what a sealed vessel must
hold, and how full each vessel is."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence

from benchsheet.checks import rule
from benchsheet.checks.context import CheckContext, iter_steps
from benchsheet.chemistry.amounts import MaterialAmount
from benchsheet.chemistry.phases import (
    TRANSITION_TOLERANCE_K,
    SealedPressure,
    boiling_point_K,
    dispensed_as_liquid,
    handled_as_liquid,
    is_gas,
    is_solute,
    liquid_volume_mL,
    liquid_volume_totals_mL,
    melting_point_K,
    mixture_freezing,
    sealed_pressure,
    substance_key,
    vapour,
)
from benchsheet.chemistry.vessels import AMBIENT_K, Held, VesselState
from benchsheet.findings import Finding, Severity, format_path
from benchsheet.model.equipment import Vessel
from benchsheet.model.steps import Distill
from benchsheet.units import STANDARD_ATMOSPHERE_PA, absolute_pressure_pa

# Fill limits: a flask heated open is kept at most two-thirds full so that boiling and
# stirring do not throw liquid out; a sealed reactor at most three-quarters, leaving room for
# the liquid's thermal expansion (autoclave makers' guidance, e.g. Parr's safety notes).
HEATED_FILL_LIMIT = 2 / 3
SEALED_FILL_LIMIT = 3 / 4
# The volumes of a mixture's parts add up only to within a few per cent (50 mL of ethanol
# and 50 mL of water make about 96.4 mL), and a vessel holds more than its nominal volume to
# the brim: a sum at most this much over the nominal volume is no overfill (PBS made up to
# 1 L after 1 mL of acid for the pH: 1001 mL in a 1 L flask).
MIXING_TOLERANCE = 0.03
NEAR_RATING = 0.8  # a pressure within 20 % of the rating leaves too little margin
# An open flask's fill matters once its liquid nears the boil: a quarter of an atmosphere of
# vapour (methanol from about 35 °C, water from about 65 °C), where bumping and foaming start
# to throw liquid out. A flask warmed a few degrees (a stir at 30 °C) may be filled higher.
NEAR_BOILING_PA = 0.25 * 101_325
# Without vapour-pressure data or a boiling point, heating by this much counts as hot.
HOT_WITHOUT_DATA_K = 25.0
# A sealed vessel warmed so little that its pressure stays within 0.2 bar of an atmosphere
# (a capped vial of water at 37 °C: about 1.10 bar abs, of air expanding 4 % and 0.06 bar
# of vapour) asks for no pressure rating: a screw cap or septum holds that, as it holds the
# weather's swings; the figure is printed (PH105). Above it, only glassware designated for
# pressure is meant to hold it (glassware makers, e.g. DWK's technical notes).
MINOR_OVERPRESSURE_PA = 0.2e5


def _celsius(t_k: float) -> str:
    return f"{t_k - 273.15:.1f} °C"


def _at(state: VesselState) -> str:
    """'at 25.0 °C (steps[2])', saying when the temperature is inherited, not stated."""
    where = format_path(state.step_path)
    if state.temperature_stated:
        return f"at {_celsius(state.temperature_K)} ({where})"
    return f"at {_celsius(state.temperature_K)} ({where}, not stated there: ambient or carried " \
           "over)"


def _heated(state: VesselState) -> bool:
    return state.temperature_K > AMBIENT_K + 0.5


def _label(entry: MaterialAmount) -> str:
    return f"'{entry.material_id}' ({entry.reagent.name})"


class _HighestMeltingPoint:
    """The highest melting point among the liquids a vessel holds (those PH101 looks at),
    kept per vessel as its states follow each other: a state that holds what the last one
    held, plus what a step added, costs only what was added."""

    def __init__(self, ctx: CheckContext) -> None:
        self.amounts = ctx.amounts
        # Worked out for every material at once, in their order: the states then read one
        # number per item they hold, not each material's entry and reagent.
        self._of_material: dict[str, float] = {
            mid: point for mid, entry in [*ctx.amounts.materials.items(),
                                          *ctx.amounts.parts.items()]
            if not (is_gas(entry) or is_solute(entry) or not handled_as_liquid(entry))
            and (point := melting_point_K(entry)) is not None}
        self._last: dict[str, tuple[Sequence[Held], float]] = {}

    def melting_below(self, t_k: float) -> bool:
        """Whether every liquid PH101 judges melts at or below ``t_k`` (not when a melting
        point is not a number)."""
        return all(p <= t_k for p in self._of_material.values())

    def melting_point(self, mid: str) -> float | None:
        """The melting point of a liquid material PH101 judges, else None (a gas, a solute,
        a weighed solid, or no data)."""
        return self._of_material.get(mid)

    def _highest(self, held: Iterable[Held]) -> float:
        of_material = self._of_material
        points = [mp for h in held if (mp := of_material.get(h.material_id)) is not None]
        return max(points, default=-math.inf)

    def of(self, state: VesselState) -> float:
        held = state.held
        last = self._last.get(state.vessel)
        if last is not None and last[0] is held:
            return last[1]
        if last is not None and self.amounts.timeline.extends(held, last[0]):
            highest = max(last[1], self._highest(held[len(last[0]):]))
        else:
            highest = self._highest(held)
        self._last[state.vessel] = (held, highest)
        return highest


@rule("PH101", Severity.WARNING, "solid at the step temperature")
def solid_at_step_temperature(ctx: CheckContext) -> Iterator[Finding]:
    """A liquid reagent or solvent whose melting point is above the temperature it is measured
    out at (the bench, 25 °C) is a solid there and cannot be measured by volume; one that makes
    up most of a mixture (mole fraction at least one half) freezes it when the vessel is below
    its freezing point. Solutes and co-solvents depress that freezing point (ideal solution,
    Walden's entropy of fusion, 56.5 J/(mol·K)). A minor component in a cold solution (DMSO in
    dichloromethane at −78 °C) is left alone: its solubility there is beyond what an ideal
    estimate can say, and such additions are routine."""
    reported: set[tuple[str, str]] = set()  # (substance, vessel)
    highest = _HighestMeltingPoint(ctx)
    # Every liquid melts below the coldest step and the bench: no step to look at (the usual
    # protocol, whose solvents all melt below 25 °C and which is never cooled below them).
    temperatures = [s.temperature_K for s in ctx.amounts.timeline]
    if not any(map(math.isnan, temperatures)) and highest.melting_below(
            min(AMBIENT_K, min(temperatures, default=AMBIENT_K)) + TRANSITION_TOLERANCE_K):
        return
    melting_point = highest.melting_point
    for state in ctx.amounts.timeline:
        t_k = state.temperature_K
        # Nothing in the vessel melts above the step temperature: only what this step
        # measures out can be a solid at the bench. A long procedure in one flask is not
        # rescanned at every step.
        warm = highest.of(state) <= t_k + TRANSITION_TOLERANCE_K
        added = state.added
        # Melting below both the step and the bench: liquid wherever it is measured out.
        clear_below = min(t_k, AMBIENT_K) + TRANSITION_TOLERANCE_K
        for mid in (state.added if warm else state.materials):
            mp = melting_point(mid)
            if mp is None or mp <= clear_below:
                continue
            entry = ctx.amounts.entry(mid)
            if entry is None or (substance_key(entry), state.vessel) in reported:
                continue
            # Measured out at the bench, or warm when the adding step says how warm.
            measuring_K = max(AMBIENT_K, t_k if state.temperature_stated else AMBIENT_K)
            # A reagent recorded as liquid at 25 °C is dispensed as one, whatever a tabulated
            # melting point of the pure compound says (commercial trioctylphosphine).
            measured_solid = (mp > measuring_K + TRANSITION_TOLERANCE_K and mid in added
                              and dispensed_as_liquid(entry)
                              and entry.reagent.phase_25C != "liquid")
            if mp <= t_k + TRANSITION_TOLERANCE_K and not measured_solid:
                continue
            mixture = mixture_freezing(state, ctx.amounts, mid)
            if mixture is None:  # pragma: no cover - a melting point gives a mixture
                continue
            freezes = mixture.freezing_K > t_k + TRANSITION_TOLERANCE_K and (
                mixture.mole_fraction >= 0.5)
            if not freezes and not measured_solid:
                continue  # dissolved: the mixture stays liquid
            reported.add((substance_key(entry), state.vessel))
            where = measuring_K if measured_solid and not freezes else t_k
            head = (f"{_label(entry)} melts at {_celsius(mp)}, {mp - where:.1f} K above "
                    + (f"'{state.vessel}' {_at(state)}" if where == t_k else
                       "the bench (25 °C) where it is measured out"))
            if not mixture.other_components:
                body = "; neat, nothing depresses its freezing point, so it is a solid there"
            else:
                body = (f"; the other components ({', '.join(mixture.other_components)}, "
                        f"mole fraction {100 * (1 - mixture.mole_fraction):.2g} %) depress its "
                        f"freezing point to about {_celsius(mixture.freezing_K)} (ideal "
                        "solution, Walden's rule), ")
                body += ("still above the step temperature, so the mixture may freeze or stay "
                         "supercooled" if freezes else
                         "so the mixture may stay liquid, but the neat reagent is a solid as "
                         "it is measured out")
            yield ctx.finding(
                "PH101", head + body, state.step_path,
                "melt it first (warm the bottle above its melting point) and say so in the "
                "step's note, weigh it instead of measuring a volume, or raise the temperature")


@rule("PH102", Severity.ERROR, "liquid above its boiling point in an open vessel")
def boils_in_open_vessel(ctx: CheckContext) -> Iterator[Finding]:
    """An open vessel is at 1 atm, so its liquid boils once the vapour pressure of the mixture
    reaches 1 atm: by Raoult's law, Σ x_i·p_i*(T) (each p* from its curve, else from its boiling
    point and Trouton's rule). It then boils away, or refluxes at its boiling point, not at the
    stated temperature. A step heated at reflux (``reflux: true``) boils on purpose under a
    condenser and is not reported, nor is what a step boils off on purpose (a distillation pot,
    the solvents an evaporation takes out). Within 0.5 K of the boiling point is at it, not
    above it."""
    reported: set[tuple[str, str]] = set()  # (substance, vessel)
    # Material id -> its entry, substance and boiling point; None for what cannot boil here
    # (a gas, a solute, no boiling point). Per material, not per heated step.
    boiling: dict[str, tuple[MaterialAmount, str, float] | None] = {}
    for state in ctx.amounts.timeline:
        if state.sealed or state.reflux:
            continue
        if state.temperature_K <= AMBIENT_K + TRANSITION_TOLERANCE_K:
            continue
        mixture: float | None = None
        for mid in state.materials:
            fact = boiling[mid] if mid in boiling else boiling.setdefault(
                mid, _boiling(ctx, mid))
            if fact is None:
                continue
            entry, key, bp = fact
            if mid in state.boils_off or (key, state.vessel) in reported \
                    or bp + TRANSITION_TOLERANCE_K >= state.temperature_K:
                continue
            if mixture is None:
                mixture = vapour(state, ctx.amounts, exclude=frozenset(state.boils_off)
                                 ).total_Pa
            reported.add((key, state.vessel))
            how = ("the mixture boils" if mixture > STANDARD_ATMOSPHERE_PA else
                   "it evaporates off (the mixture as a whole stays below its boiling point)")
            yield ctx.finding(
                "PH102", f"{_label(entry)} boils at {_celsius(bp)} (1 atm), but open vessel "
                f"'{state.vessel}' is {_at(state)}, {state.temperature_K - bp:.1f} K above it: "
                f"{how}; the mixture's vapour pressure is about {mixture / 1e3:.3g} kPa by "
                "Raoult's law", state.step_path,
                f"keep '{state.vessel}' below {_celsius(bp)}, fit a reflux condenser and say "
                "so (reflux: true on the heating step), seal the vessel (a seal step or "
                "closed: true, with a pressure_rating), or, if it is meant to boil off, say so "
                "with an evaporate or distill step")


def _boiling(ctx: CheckContext, mid: str) -> tuple[MaterialAmount, str, float] | None:
    """A material PH102 may find boiling: its entry, substance and boiling point."""
    entry = ctx.amounts.entry(mid)
    if entry is None or is_gas(entry) or is_solute(entry):
        return None
    bp = boiling_point_K(entry)
    return None if bp is None else (entry, substance_key(entry), bp)


def _terms(p: SealedPressure, ctx: CheckContext) -> str:
    parts = []
    for term in p.terms:
        if term.material_id is None and term.what == "sealed-in gas":
            sealed = p.state.sealed_gas
            parts.append(f"{sealed} sealed in at {_celsius(p.state.sealed_at_K)}: "
                         f"{term.pressure_Pa / 1e5:.3g} bar")
        elif term.material_id is None:
            parts.append(f"gas released in the closed vessel: {term.pressure_Pa / 1e5:.3g} bar")
        else:
            entry = ctx.amounts.entry(term.material_id)
            name = entry.reagent.name if entry is not None else term.material_id
            parts.append(f"{name} {term.what} {term.pressure_Pa / 1e5:.3g} bar")
    text = (f"'{p.state.vessel}' sealed {_at(p.state)}: about {p.total_Pa / 1e5:.3g} bar abs = "
            + " + ".join(parts) + " (Raoult's law for the vapours, gases heated at constant "
            "volume)")
    if p.unbounded:
        text += f"; not counted, no data: {', '.join(p.unbounded)}"
    return text + _charge_ends(p, ctx)


def _charge_ends(p: SealedPressure, ctx: CheckContext) -> str:
    """The total with each charge counted as its own part of the reading (GS110's ends): the
    figure above counts the whole gauge reading as the gas and adds the liquids' vapour again,
    so it is the upper bound."""
    from benchsheet.checks.gases import charge_span
    from benchsheet.chemistry.gas_cap import heated_ends

    low = high = p.total_Pa
    said: list[str] = []
    for term in p.terms:
        gas = ctx.amounts.gases.get(term.material_id or "")
        if term.what != "charged gas" or gas is None:
            continue
        span = charge_span(ctx, term.material_id or "", gas)
        if span is None or (span.vapour_Pa <= 0 and span.air_Pa <= 0):
            continue
        (low_Pa, low_why), (high_Pa, high_why) = heated_ends(span, gas, term.pressure_Pa,
                                                             p.temperature_K)
        low += min(low_Pa, high_Pa) - term.pressure_Pa
        high += max(low_Pa, high_Pa) - term.pressure_Pa
        said.append(low_why if low_Pa <= high_Pa else high_why)
        said.append(high_why if low_Pa <= high_Pa else low_why)
    if not said:
        return ""
    ends = (f"{low / 1e5:.3g}–{high / 1e5:.3g} bar" if f"{low / 1e5:.3g}" != f"{high / 1e5:.3g}"
            else f"{low / 1e5:.3g} bar")
    return (f"; counting only the gas's own part of the charge reading "
            f"({' / '.join(dict.fromkeys(said))}): {ends} (GS110)")


def _crude_hint(p: SealedPressure) -> str:
    """A hint naming the liquids whose vapour pressure was estimated from the boiling point
    for want of a curve: data for them tightens the figure."""
    crude = [t.material_id for t in p.terms
             if t.material_id is not None and "estimated" in t.what]
    if not crude:
        return ""
    return (f"; the vapour pressure of {', '.join(repr(m) for m in crude)} is estimated from "
            "the boiling point: a reagent file (--reagents FILE) with its vapour-pressure "
            "curve makes it exact")


def _capacities(ctx: CheckContext) -> dict[str, float | None]:
    """Each active vessel's capacity in mL (None: no volume), in the protocol's order, once
    per variant for the rules that read it; each vessel's (its model's alone) once for the
    variants that share the vessel."""
    return ctx.computed("capacities", lambda: {
        vid: ctx.of_part("capacity", vessel, vessel.capacity_mL)
        for vid, vessel in ctx.protocol.vessels.items() if vessel.when is True})


def _fills(ctx: CheckContext, vessel_id: str) -> list[float]:
    """The liquid volume (mL) in a vessel at each of its states, in step order: what PH108
    and PH109 both look at, worked out once per variant."""
    amounts = ctx.amounts
    return ctx.computed(f"fills:{vessel_id}", lambda: liquid_volume_totals_mL(
        amounts.timeline.of(vessel_id), amounts))


def _sealed_pressures(ctx: CheckContext) -> dict[str, list[SealedPressure]]:
    """Each active vessel's pressure at every step it is sealed, worked out once per variant
    for all the pressure rules."""
    def compute() -> dict[str, list[SealedPressure]]:
        return {vid: [sealed_pressure(s, ctx.amounts, capacity)
                      for s in ctx.amounts.timeline.of(vid) if s.sealed]
                for vid, capacity in _capacities(ctx).items()}
    return ctx.computed("sealed pressures", compute)


def _sealed_peaks(ctx: CheckContext) -> list[tuple[SealedPressure, float | None]]:
    """For each vessel that is sealed at some step, the step where the pressure is highest,
    with the vessel's pressure rating in Pa absolute (None: not given)."""
    def compute() -> list[tuple[SealedPressure, float | None]]:
        peaks = []
        for vid, pressures in _sealed_pressures(ctx).items():
            if pressures:
                rating = ctx.protocol.vessels[vid].pressure_rating
                peaks.append((max(pressures, key=lambda p: p.total_Pa),
                              absolute_pressure_pa(rating, "low") if rating is not None
                              else None))
        return peaks
    return ctx.computed("sealed peaks", compute)


@rule("PH103", Severity.ERROR, "sealed vessel above its pressure rating")
def above_pressure_rating(ctx: CheckContext) -> Iterator[Finding]:
    """The pressure in a sealed vessel is bounded by the sum of its liquids' vapour pressures
    plus its gas heated at constant volume; above the vessel's rating it can burst."""
    for p, rating in _sealed_peaks(ctx):
        if rating is not None and p.total_Pa > rating:
            stated = ctx.protocol.vessels[p.state.vessel].pressure_rating
            yield ctx.finding(
                "PH103", f"{_terms(p, ctx)}; that is {p.total_Pa / rating:.2f}× its rating of "
                f"{stated} ({rating / 1e5:.3g} bar abs)", p.state.step_path,
                "use a vessel rated for the pressure, heat less, or use less volatile liquid or "
                "a lower gas charge" + _crude_hint(p))


@rule("PH104", Severity.WARNING, "sealed vessel near its pressure rating")
def near_pressure_rating(ctx: CheckContext) -> Iterator[Finding]:
    """Within 20 % of its rating a sealed vessel has no margin for a temperature overshoot or
    a gas-forming side reaction."""
    for p, rating in _sealed_peaks(ctx):
        if rating is not None and NEAR_RATING * rating < p.total_Pa <= rating:
            stated = ctx.protocol.vessels[p.state.vessel].pressure_rating
            yield ctx.finding(
                "PH104", f"{_terms(p, ctx)}; that is {100 * p.total_Pa / rating:.0f} % of its "
                f"rating of {stated} ({rating / 1e5:.3g} bar abs)", p.state.step_path,
                "keep a sealed vessel below 80 % of its rating: a higher-rated vessel, or a "
                "lower temperature or gas charge" + _crude_hint(p))


@rule("PH105", Severity.INFO, "pressure in a sealed vessel")
def sealed_pressure_info(ctx: CheckContext) -> Iterator[Finding]:
    """The estimated pressure of a sealed vessel that stays well inside its rating (or,
    without one, is not heated or only warmed a little: PH106), printed so that the sheet
    and the reviewer see the number."""
    for p, rating in _sealed_peaks(ctx):
        if rating is not None and p.total_Pa <= NEAR_RATING * rating:
            stated = ctx.protocol.vessels[p.state.vessel].pressure_rating
            yield ctx.finding("PH105", f"{_terms(p, ctx)}; {100 * p.total_Pa / rating:.0f} % "
                              f"of its rating of {stated}", p.state.step_path)
        elif rating is None and not _needs_rating(p):
            yield ctx.finding("PH105", _terms(p, ctx), p.state.step_path)


def _needs_rating(p: SealedPressure) -> bool:
    """Heated, to more than ``MINOR_OVERPRESSURE_PA`` above an atmosphere."""
    return _heated(p.state) and p.total_Pa > STANDARD_ATMOSPHERE_PA + MINOR_OVERPRESSURE_PA


@rule("PH106", Severity.WARNING, "sealed vessel heated with no pressure rating")
def heated_without_rating(ctx: CheckContext) -> Iterator[Finding]:
    """A sealed vessel that is heated builds pressure; without its rating nobody can tell
    whether it holds. Warmed so little that it stays within 0.2 bar of an atmosphere (a
    capped vial at 37 °C), it asks for none: its pressure is printed instead (PH105)."""
    for p, rating in _sealed_peaks(ctx):
        if rating is None and _needs_rating(p):
            yield ctx.finding("PH106", f"{_terms(p, ctx)}; the vessel has no pressure rating",
                              ("vessels", p.state.vessel),
                              "add pressure_rating (e.g. '10 bar gauge') from the vessel's "
                              "datasheet", key=True)


@rule("PH107", Severity.WARNING, "pressure in a heated sealed vessel cannot be bounded")
def pressure_unbounded(ctx: CheckContext) -> Iterator[Finding]:
    """A liquid in a sealed, heated vessel with neither a vapour-pressure curve nor a boiling
    point (or a released gas of unknown amount) adds an unknown pressure, so the figure for
    the vessel's pressure is incomplete. At the bench temperature it is not reported."""
    for vid, pressures in _sealed_pressures(ctx).items():
        incomplete = [p for p in pressures
                      if p.unbounded and (_heated(p.state) or any(
                          "released" in u for u in p.unbounded))]
        if incomplete:
            p = max(incomplete, key=lambda p: p.temperature_K)  # the hottest step
            yield ctx.finding(
                "PH107", f"'{vid}' {_at(p.state)}: no data for {', '.join(p.unbounded)}, so "
                f"the pressure ({p.total_Pa / 1e5:.3g} bar abs without them) is incomplete",
                p.state.step_path, "add the boiling point or vapour-pressure data of these "
                "reagents (--reagents FILE), state the released gas's amount, or measure the "
                "pressure")


def _shared(vessel: Vessel) -> str:
    """' (2 vessels together)' when the contents are shared between identical vessels."""
    return f" ({vessel.count} vessels together)" if vessel.count > 1 else ""


@rule("PH108", Severity.ERROR, "more liquid than the vessel holds")
def overfilled(ctx: CheckContext) -> Iterator[Finding]:
    """The liquids put into a vessel cannot exceed its nominal volume: by more than the
    3 % the sum of a mixture's parts may be off by (``MIXING_TOLERANCE``)."""
    for vid, nominal in _capacities(ctx).items():
        if nominal is None:
            continue
        fills = _fills(ctx, vid)
        if not fills:
            continue
        fullest = max(range(len(fills)), key=fills.__getitem__)
        most = nominal * (1 + MIXING_TOLERANCE)
        if fills[fullest] <= most:  # the first figure of liquid_volume_mL, without its ids
            continue
        state = ctx.amounts.timeline.of(vid)[fullest]
        volume, counted = liquid_volume_mL(state, ctx.amounts)
        if volume > most:
            shared = _shared(ctx.protocol.vessels[vid])
            # A vessel that is heated at some step is kept at most two-thirds full (PH109);
            # one that never is only has to hold it.
            heated = any(_heated(s) for s in ctx.amounts.timeline.of(vid))
            size = (f"{volume / HEATED_FILL_LIMIT:.0f} mL (two-thirds full, as it is heated)"
                    if heated else f"{math.ceil(volume)} mL")
            yield ctx.finding(
                "PH108", f"'{vid}' holds {volume:.4g} mL of liquid ({', '.join(counted)}) in "
                f"{nominal:.4g} mL nominal{shared}: {100 * volume / nominal:.0f} % full "
                f"({format_path(state.step_path)})", state.step_path,
                f"use a vessel of at least {size}, or split the batch")


def _near_boiling(state: VesselState, ctx: CheckContext) -> bool:
    """Whether an open vessel's liquid is hot enough for its fill to matter: its vapour
    (Raoult's law) reaches ``NEAR_BOILING_PA``, or, with no data for any of its liquids, it is
    ``HOT_WITHOUT_DATA_K`` above the bench."""
    over = vapour(state, ctx.amounts)
    if over.terms:
        return over.total_Pa >= NEAR_BOILING_PA
    return state.temperature_K >= AMBIENT_K + HOT_WITHOUT_DATA_K


@rule("PH109", Severity.WARNING, "vessel too full to heat or seal")
def too_full(ctx: CheckContext) -> Iterator[Finding]:
    """A flask heated open near the boil (its vapour at a quarter of an atmosphere or more)
    is filled to at most two-thirds so boiling and stirring do not throw liquid out; a sealed
    reactor that is heated to at most three-quarters, to leave room for the liquid's thermal
    expansion and a gas headspace."""
    for vid, nominal in _capacities(ctx).items():
        if nominal is None:
            continue
        fills = _fills(ctx, vid)
        if any(volume > nominal * (1 + MIXING_TOLERANCE) for volume in fills):
            continue  # PH108 reports an overfilled vessel
        candidates: list[tuple[float, int, float, float, VesselState]] = []
        for order, (state, volume) in enumerate(zip(ctx.amounts.timeline.of(vid), fills,
                                                     strict=True)):
            if not _heated(state):
                continue
            limit = SEALED_FILL_LIMIT if state.sealed else HEATED_FILL_LIMIT
            if volume / nominal > limit:
                candidates.append((volume / nominal / limit, -order, limit, volume, state))
        # The fullest state (the earliest of equals) that is sealed or near the boil; the
        # vapour is worked out only until one qualifies, not for every heated step.
        worst = next(((c[2], c[3], c[4]) for c in sorted(candidates, reverse=True)
                      if c[4].sealed or _near_boiling(c[4], ctx)), None)
        if worst is None:
            continue
        limit, volume, state = worst
        fraction, sealed = volume / nominal, state.sealed
        why = "sealed and heated" if sealed else "heated open near the boil"
        yield ctx.finding(
            "PH109", f"'{vid}' is {100 * fraction:.0f} % full ({volume:.4g} of {nominal:.4g} "
            f"mL) {_at(state)}; a vessel {why} should be at most {100 * limit:.0f} % full",
            state.step_path, f"use a vessel of at least {volume / limit:.0f} mL")


@rule("PH110", Severity.ERROR, "distillation bath below the fraction's boiling range")
def bath_below_fraction(ctx: CheckContext) -> Iterator[Finding]:
    """Heat flows from the bath to the pot to the still head, so the head never reaches the
    bath's temperature: a fraction collected at a boiling range above the stated bath (or pot)
    temperature cannot distil (benzoyl chloride, bp 197 °C, from a bath at 150 °C). Either the
    bath or the range is wrong; the range is the head temperature at the distillation's
    pressure, which a vacuum distillation lowers."""
    for path, step in iter_steps(ctx.protocol.steps):
        if not isinstance(step, Distill) or step.temperature is None:
            continue
        bath_K = step.temperature.magnitudes("kelvin")[2]  # the hottest the bath may be
        boils_K = step.collect.magnitudes("kelvin")[0]    # where the fraction starts
        if bath_K < boils_K - TRANSITION_TOLERANCE_K:
            at = f" at {step.pressure}" if step.pressure is not None else " at 1 atm"
            yield ctx.finding(
                "PH110", f"the fraction is collected at {step.collect}{at}, "
                f"{boils_K - bath_K:.0f} K above the bath's {step.temperature}: the head "
                "cannot get hotter than the bath, so nothing distils", (*path, "temperature"),
                "heat the bath above the boiling range (typically 20-30 K above it), or give "
                "the range at the distillation's pressure (lower under vacuum)")
