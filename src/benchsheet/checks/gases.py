"""Gases: what a charge into a closed headspace holds, and whether it can do its job."""

from __future__ import annotations

import re
from collections.abc import Iterator

from benchsheet.checks import rule
from benchsheet.checks.context import CheckContext, iter_steps
from benchsheet.chemistry.amounts import GasInHeadspace
from benchsheet.chemistry.gas_cap import ChargeRange, charge_range
from benchsheet.chemistry.gas_release import GasRelease
from benchsheet.findings import Finding, Severity
from benchsheet.model.materials import GasCharge, GasFlow
from benchsheet.model.steps import Extract, Pressurize
from benchsheet.units import Measured, absolute_pressure_pa


def _describe(g: GasInHeadspace) -> str:
    bar = g.pressure_abs_Pa.nominal / 1e5
    return (f"{1e3 * g.moles.nominal:.3g} mmol in {g.headspace_mL:.4g} mL of headspace "
            f"({g.vessel_volume_mL:.4g} mL vessel − {g.condensed_volume_mL:.3g} mL condensed) "
            f"at {bar:.3g} bar abs and {g.temperature_K - 273.15:.3g} °C, Z = {g.z:.3f}")


@rule("GS101", Severity.INFO, "gas in a closed headspace")
def gas_in_headspace(ctx: CheckContext) -> Iterator[Finding]:
    """A gas charged once into a closed vessel amounts to n = P·V/(Z·R·T), with V the vessel
    volume minus the liquids and solids already in it and Z from the second virial
    coefficient (ideal gas where no data)."""
    for mid, g in ctx.amounts.gases.items():
        yield ctx.finding("GS101", f"'{mid}': {_describe(g)}", ("materials", mid, "gas"))


@rule("GS102", Severity.WARNING, "a one-off gas charge limits the reaction")
def gas_charge_limits(ctx: CheckContext) -> Iterator[Finding]:
    """When a reactant gas is charged once and not replenished, the moles in the headspace cap
    the conversion of the other reactants: at most n(gas)/ν(gas) ÷ n(other)/ν(other)."""
    for pid, balance in ctx.amounts.balances.items():
        if balance.method != "reaction":
            continue
        for mid in balance.limiting:
            g = ctx.amounts.gases.get(mid)
            if g is None or g.replenished:
                continue
            others = {m: u for m, u in balance.reactant_units.items() if m not in balance.limiting}
            if not others:
                continue
            worst = min(others, key=lambda m: others[m].nominal)
            most = balance.reactant_units[mid].nominal / others[worst].nominal
            # The same cap with the vapour and the air taken out of the reading (GS110).
            units = balance.reactant_units[mid].nominal  # n(gas) / ν(gas)
            nu = g.moles.nominal / units if units > 0 else 0.0
            span = charge_span(ctx, mid, g)
            ranged = ""
            if span is not None and nu and (span.vapour_Pa > 0 or span.air_Pa > 0):
                low = span.low.moles / nu / others[worst].nominal
                high = span.high.moles / nu / others[worst].nominal
                ranged = (f"; with the vapour and air taken out of the reading, "
                          f"{100 * low:.2g}–{100 * high:.2g} % (GS110)")
            yield ctx.finding(
                "GS102", f"'{mid}' is charged once and not replenished: {_describe(g)}; that "
                f"converts at most {100 * most:.3g} % of '{worst}' "
                f"({1e3 * others[worst].nominal:.4g} mmol) to '{pid}'{ranged}",
                ("materials", mid, "gas"),
                "raise the pressure, recharge during the run (replenished: true), or expect "
                "this conversion at most")


def charge_span(ctx: CheckContext, mid: str, g: GasInHeadspace) -> ChargeRange | None:
    """The charge ``g`` of material ``mid`` as a range (``gas_cap.charge_range``), None for
    a gas that is no one-off charge; once per variant for GS102, GS110 and the sealed
    pressures' ends (PH103–PH106)."""
    entry = ctx.amounts.materials.get(mid)
    gas = entry.material.gas if entry is not None else None
    if not isinstance(gas, GasCharge):
        return None
    return ctx.computed(f"charge-range:{mid}",
                        lambda: charge_range(g, ctx.amounts, gas.purged))


@rule("GS110", Severity.INFO, "a gas charge as a range, with what each end assumes")
def charge_as_range(ctx: CheckContext) -> Iterator[Finding]:
    """A gauge reading over a volatile liquid is not all the charged gas: the liquid's vapour
    (Raoult's law) holds part of it, and an unpurged vessel keeps its air. The gas is given
    from the unpurged to the purged end (or as the protocol states), by the same virial
    equation as the whole reading; gas dissolved in the liquid is not counted."""
    for mid, g in ctx.amounts.gases.items():
        span = charge_span(ctx, mid, g)
        if span is None or (span.vapour_Pa <= 0 and span.air_Pa <= 0):
            continue
        vapour = (f"vapour {span.vapour_Pa / 1e5:.2g} bar of {', '.join(span.vapour_of)} "
                  f"at {g.temperature_K - 273.15:.3g} °C" if span.vapour_Pa > 0 else "no vapour")
        ends = (f"{1e3 * span.low.moles:.3g} mmol ({span.low.partial_Pa / 1e5:.3g} bar; "
                f"{span.low.assumes})")
        if span.high != span.low:
            ends += (f" to {1e3 * span.high.moles:.3g} mmol ({span.high.partial_Pa / 1e5:.3g} "
                     f"bar; {span.high.assumes})")
        yield ctx.finding(
            "GS110", f"'{mid}': {ends}; {vapour}; purge {span.purge}; dissolved gas not "
            f"counted (no solubility data); GS101's {1e3 * g.moles.nominal:.3g} mmol counts "
            "the whole reading as the gas", ("materials", mid, "gas"),
            "" if span.purge != "not stated" else
            "say whether the vessel was purged with the gas (purged: true or false)")


@rule("GS103", Severity.ERROR, "gas charged into a vessel that is not closed")
def charge_into_open_vessel(ctx: CheckContext) -> Iterator[Finding]:
    """A pressure charge needs a sealed vessel; an open flask holds only one atmosphere."""
    for mid, entry in ctx.amounts.materials.items():
        gas = entry.material.gas
        if isinstance(gas, GasCharge):
            vessel = ctx.protocol.vessels.get(gas.vessel)
            if vessel is not None and not vessel.closed:
                yield ctx.finding("GS103", f"'{mid}' is charged to {gas.pressure} into "
                                  f"'{gas.vessel}', which is not closed",
                                  ("materials", mid, "gas", "vessel"),
                                  "mark the vessel closed: true (with a pressure rating)")


@rule("GS104", Severity.WARNING, "headspace cannot be computed")
def headspace_unknown(ctx: CheckContext) -> Iterator[Finding]:
    """Without the vessel's nominal volume the moles of a charged gas cannot be stated."""
    for mid, entry in ctx.amounts.materials.items():
        gas = entry.material.gas
        if isinstance(gas, GasCharge) and mid not in ctx.amounts.gases:
            vessel = ctx.protocol.vessels.get(gas.vessel)
            if vessel is not None and vessel.volume is None:
                yield ctx.finding("GS104", f"'{mid}': vessel '{gas.vessel}' has no volume, so "
                                  "the gas charged cannot be counted",
                                  ("vessels", gas.vessel), "add the vessel's nominal volume")


@rule("GS105", Severity.INFO, "gas feed of unstated size")
def feed_unstated(ctx: CheckContext) -> Iterator[Finding]:
    """A gas passed through a liquid is a continuous supply, so it does not limit the
    reaction, but without a flow rate the amount used cannot be stated (or reproduced)."""
    for mid, entry in ctx.amounts.materials.items():
        gas = entry.material.gas
        if isinstance(gas, GasFlow) and gas.flow_rate is None:
            yield ctx.finding("GS105", f"'{mid}' is fed continuously with no flow rate; the "
                              "amount passed cannot be stated", ("materials", mid, "gas"),
                              "add flow_rate (e.g. 20 mL/min) if it is known")


@rule("GS106", Severity.ERROR, "no headspace left")
def no_headspace(ctx: CheckContext) -> Iterator[Finding]:
    """Liquids that fill a closed vessel leave no room for the gas, and heating a full sealed
    vessel bursts it by thermal expansion."""
    for mid, g in ctx.amounts.gases.items():
        if g.headspace_mL <= 0:
            yield ctx.finding("GS106", f"'{mid}': {g.condensed_volume_mL:.4g} mL of liquid fill "
                              f"the {g.vessel_volume_mL:.4g} mL vessel", ("materials", mid, "gas"),
                              "use a larger vessel or less liquid")


def _same_pressure(a: Measured, b: Measured) -> bool:
    """Equal as absolute pressures: 3 bar gauge is 300 kPa gauge and 4.01325 bar abs."""
    return all(
        abs(absolute_pressure_pa(a, end) - absolute_pressure_pa(b, end))
        <= 1e-6 * max(absolute_pressure_pa(a, end), absolute_pressure_pa(b, end))
        for end in ("low", "nominal", "high")
    )


@rule("GS107", Severity.ERROR, "step and material disagree on the charge pressure")
def pressure_mismatch(ctx: CheckContext) -> Iterator[Finding]:
    """A pressurize step and the gas material's charge state one pressure; two different
    values leave the sheet and the gas calculation disagreeing."""
    for path, step in iter_steps(ctx.protocol.steps):
        if not isinstance(step, Pressurize):
            continue
        entry = ctx.amounts.materials.get(step.gas)
        gas = entry.material.gas if entry else None
        if isinstance(gas, GasCharge) and not _same_pressure(gas.pressure, step.pressure):
            yield ctx.finding("GS107", f"the step charges '{step.gas}' to {step.pressure} but "
                              f"the material says {gas.pressure}", (*path, "pressure"),
                              "state the same pressure in both places")


def _released_words(released: tuple[GasRelease, ...]) -> str:
    """``carbon dioxide (up to 25 mmol, acid 'HCl' + bicarbonate 'NaHCO3')`` per gas."""
    words = []
    for r in released:
        amount = f"up to {1e3 * r.moles:.3g} mmol" if r.moles is not None else (
            "amount not known")
        words.append(f"{r.name} ({amount}, {r.cause})")
    return ", ".join(words)


@rule("GS108", Severity.ERROR, "gas released into a sealed vessel")
def released_into_sealed(ctx: CheckContext) -> Iterator[Finding]:
    """A step that gives off gas (a gaseous by-product, acid on carbonate, a hydride or
    organometallic quenched, a metal in acid) in a sealed vessel fills the headspace until the
    seal or the glass gives. The gas must escape: an open or vented vessel, a bubbler, a
    needle to the hood line; or, for a pressure reactor, a rating and a figure for the gas."""
    for state in ctx.amounts.timeline:
        if not state.released or not state.sealed or state.action == "extract":
            continue
        released = tuple(r for r in state.released if r.gives_off)
        if not released:
            continue
        vessel = ctx.protocol.vessels.get(state.vessel)
        if vessel is not None and vessel.pressure_rating is not None \
                and state.released_sealed_mol is not None:
            continue  # a rated reactor: PH103–PH105 judge the pressure the gas makes
        yield ctx.finding(
            "GS108", f"'{state.vessel}' is sealed when this step gives off "
            f"{_released_words(released)}", state.step_path,
            "let the gas out: open the vessel to a bubbler or the hood line (an open or "
            "'open: to: argon' step first), or use a rated pressure vessel and say so")


_VENTED = re.compile(r"\bvent", re.IGNORECASE)


@rule("GS109", Severity.WARNING, "gas released in a stoppered separatory funnel")
def released_in_funnel(ctx: CheckContext) -> Iterator[Finding]:
    """Shaking a stoppered separatory funnel in which gas forms (CO₂ from a hydrogencarbonate
    wash of an acidic layer) builds pressure that blows out the stopper or the liquid: the
    funnel is vented, tip up, after every shake. The step's note must say so."""
    for path, step in iter_steps(ctx.protocol.steps):
        if not isinstance(step, Extract):
            continue
        released = [r for s in ctx.amounts.timeline.at(path) for r in s.released
                    if r.gives_off]
        text = " ".join(t for t in (step.note, step.assumed) if t)
        if released and not _VENTED.search(text):
            yield ctx.finding(
                "GS109", f"shaking '{step.source}' gives off "
                f"{_released_words(tuple(released))} in a stoppered funnel, and the step's "
                "note does not say to vent it", path,
                "add a note: 'swirl before stoppering; vent the funnel (tip up, away from "
                "people) after every shake'")
