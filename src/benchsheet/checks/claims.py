"""Reported figures recomputed from their inputs, as ranges when the inputs are ranges."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from benchsheet.checks import rule
from benchsheet.checks.context import CheckContext
from benchsheet.chemistry.interval import Interval
from benchsheet.findings import Finding, Severity
from benchsheet.model.claims import (
    MeasuredClaim,
    RatioClaim,
    TurnoverFrequencyClaim,
    TurnoverNumberClaim,
    YieldClaim,
)
from benchsheet.rules import register
from benchsheet.units import Measured


@dataclass(frozen=True)
class Recomputed:
    """A claim's figure recomputed from the protocol: the range the inputs allow."""

    claim_id: str
    value: Interval
    inputs: str  # the inputs, in words, for the message
    ceiling: Interval | None = None  # the most the limiting reagent allows, where known
    ceiling_reason: str = ""


def _fmt(x: float) -> str:
    return f"{x:,.4g}" if abs(x) < 1e4 else f"{x:,.0f}"


def _span(i: Interval) -> str:
    return _fmt(i.nominal) if i.is_point else f"{_fmt(i.low)}–{_fmt(i.high)}"


def reported_interval(m: Measured) -> Interval:
    """The reported value as an interval; a bound (<1 %) runs from 0 or to infinity."""
    low, nominal, high = m.magnitudes("dimensionless")
    if m.bound in ("<", "<="):
        return Interval(0.0, nominal, nominal)
    if m.bound in (">", ">="):
        return Interval(nominal, nominal, float("inf"))
    return Interval(low, nominal, high)


def _catalyst_units(ctx: CheckContext, claim: TurnoverNumberClaim) -> tuple[Interval, str] | None:
    entry = ctx.amounts.materials.get(claim.catalyst)
    if entry is None or entry.mass is None or entry.mass.low <= 0:
        return None  # a catalyst amount reaching 0 ('0-5 mg') bounds no turnover number
    if claim.catalyst_molar_mass is not None:
        per_unit = claim.catalyst_molar_mass.to("g/mol")
    elif entry.reagent.molar_mass is not None:
        per_unit = entry.reagent.molar_mass
    else:
        return None
    return entry.mass / per_unit, (f"{_span(entry.mass * 1e3)} mg '{claim.catalyst}' at "
                                  f"{per_unit:,.5g} g/mol per unit")


def recompute_ton(ctx: CheckContext, cid: str, claim: TurnoverNumberClaim) -> Recomputed | None:
    """TON = conversion × n(substrate) / n(catalyst units), n(units) = m / M(unit)."""
    substrate = ctx.amounts.materials.get(claim.substrate)
    units = _catalyst_units(ctx, claim)
    if substrate is None or substrate.moles is None or units is None:
        return None
    n_units, described = units
    conversion = Interval.of(claim.conversion.magnitudes("dimensionless"))
    value = conversion * substrate.moles / n_units
    inputs = (f"conversion {_span(conversion * 100)} % of {_span(substrate.moles * 1e3)} mmol "
              f"'{claim.substrate}', {described}")
    ceiling = None
    reason = ""
    for pid, balance in ctx.amounts.balances.items():
        # The balance already leaves out supplies without limit (feeds, recharged gases).
        if balance.method == "reaction" and claim.substrate in balance.reactant_units \
                and balance.formula_units is not None:
            ceiling = balance.formula_units / n_units
            reason = (f"'{', '.join(balance.limiting)}' limits '{pid}' to "
                      f"{_span(balance.formula_units * 1e3)} mmol")
    return Recomputed(cid, value, inputs, ceiling, reason)


def _recompute(ctx: CheckContext, cid: str) -> Recomputed | None:
    claim = ctx.protocol.claims[cid]
    if isinstance(claim, TurnoverNumberClaim):
        return recompute_ton(ctx, cid, claim)
    if isinstance(claim, TurnoverFrequencyClaim):
        base = ctx.protocol.claims.get(claim.turnover_number)
        if not isinstance(base, TurnoverNumberClaim):
            return None
        ton = recompute_ton(ctx, claim.turnover_number, base)
        hours = Interval.of(base.duration.magnitudes("hour"))
        if ton is None or hours.low <= 0:
            return None  # a duration reaching 0 bounds no frequency
        ceiling = ton.ceiling / hours if ton.ceiling is not None else None
        return Recomputed(cid, ton.value / hours, f"TON {_span(ton.value)} over "
                          f"{_span(hours)} h", ceiling, ton.ceiling_reason)
    if isinstance(claim, RatioClaim):
        element = claim.element or None
        num = ctx.amounts.moles_of(claim.numerator, element)
        den = ctx.amounts.moles_of(claim.denominator, element)
        if num is None or den is None or den.low <= 0:
            return None
        what = f"{claim.element} in " if claim.element else ""
        return Recomputed(cid, num / den, f"{what}{'+'.join(claim.numerator)} : "
                          f"{'+'.join(claim.denominator)} = {_span(num * 1e3)} : "
                          f"{_span(den * 1e3)} mmol")
    if isinstance(claim, YieldClaim):
        product = ctx.protocol.products.get(claim.product)
        balance = ctx.amounts.balances.get(claim.product)
        if product is None or balance is None or product.isolated is None:
            return None
        mass = balance.theoretical_mass_g
        if mass is None or mass.low <= 0:
            return None
        isolated = Interval.of(product.isolated.magnitudes("g"))
        return Recomputed(cid, isolated / mass, f"{_span(isolated * 1e3)} mg isolated of "
                          f"{_span(mass * 1e3)} mg theoretical")
    return None


@rule("CL101", Severity.WARNING, "reported figure outside what its inputs allow")
def claim_outside(ctx: CheckContext) -> Iterator[Finding]:
    """A reported TON, TOF, ratio or yield is recomputed from the protocol's amounts as a
    range (ranges in, ranges out); a figure outside that range, beyond the claim's
    tolerance, does not follow from the stated inputs."""
    for cid, claim in ctx.protocol.claims.items():
        if claim.when is not True or isinstance(claim, MeasuredClaim):
            continue
        recomputed = _recompute(ctx, cid)
        path = ("claims", cid)
        if recomputed is None:
            yield ctx.finding("CL104", f"claim '{cid}' cannot be recomputed: an input has no "
                              "known amount or molar mass", path,
                              "give the inputs' amounts (and a molar mass per catalyst unit)")
            continue
        reported_m = (claim.reported_per_hour if isinstance(claim, TurnoverFrequencyClaim)
                      else claim.reported)
        reported = reported_interval(reported_m)
        tolerance = claim.tolerance.to("dimensionless")
        value = recomputed.value
        overlap = reported.high >= value.low * (1 - tolerance) and \
            reported.low <= value.high * (1 + tolerance)
        if overlap:
            yield ctx.finding("CL102", f"claim '{cid}': reported {reported_m} is within the "
                              f"recomputed {_span(value)} ({recomputed.inputs})", path)
        else:
            distance = value.distance(reported.nominal)
            side = "above the highest" if reported.nominal > value.high else "below the lowest"
            yield ctx.finding("CL101", f"claim '{cid}': reported {reported_m} is "
                              f"{100 * distance:.3g} % {side} value the inputs allow, "
                              f"{_span(value)} ({recomputed.inputs})", (*path, "reported"),
                              "check the inputs (amounts, conversion, molar mass per unit) or "
                              "the reported figure")
        if recomputed.ceiling is not None and reported.low > recomputed.ceiling.high * (
            1 + tolerance
        ):
            yield ctx.finding(
                "CL105", f"claim '{cid}': reported {reported_m} needs more product than the "
                f"protocol can make: {recomputed.ceiling_reason}, i.e. at most "
                f"{_span(recomputed.ceiling)}", (*path, "reported"),
                "the limiting reagent (a one-off gas charge?) must be larger, or replenished")


register("CL102", Severity.INFO, "reported figure consistent with its inputs",
         "The recomputed range contains the reported figure (within its tolerance).")
register("CL104", Severity.WARNING, "reported figure cannot be recomputed",
         "An input of the claim lacks an amount or a molar mass, so the figure cannot be "
         "checked.")
register("CL105", Severity.ERROR, "reported figure needs more than the limiting reagent",
         "A turnover figure implies an amount of product; when that exceeds the theoretical "
         "yield set by the limiting reagent (often a gas charged once into a headspace), the "
         "figure and the protocol cannot both be right.")


@rule("CL103", Severity.INFO, "measured figure recorded")
def measured(ctx: CheckContext) -> Iterator[Finding]:
    """Measured figures (PLQY, a PL drop) cannot be recomputed from amounts; they are recorded
    with their batches and repeats so the sheet and the export carry them."""
    for cid, claim in ctx.protocol.claims.items():
        if claim.when is not True or not isinstance(claim, MeasuredClaim):
            continue
        extra = []
        if claim.batches:
            extra.append(f"{claim.batches} batches")
        if claim.repeats:
            extra.append(f"{claim.repeats} repeats")
        tail = f" ({', '.join(extra)})" if extra else ""
        yield ctx.finding("CL103", f"claim '{cid}': {claim.quantity} {claim.reported}{tail}; "
                          "measured, not recomputable", ("claims", cid))


@rule("CL106", Severity.ERROR, "TOF and TON disagree")
def tof_consistency(ctx: CheckContext) -> Iterator[Finding]:
    """A TOF is the TON divided by the reaction time; the two reported figures must agree
    (17,964 per cluster in 6 h is 2,994 per cluster per hour)."""
    for cid, claim in ctx.protocol.claims.items():
        if not isinstance(claim, TurnoverFrequencyClaim) or claim.when is not True:
            continue
        base = ctx.protocol.claims.get(claim.turnover_number)
        if not isinstance(base, TurnoverNumberClaim):
            continue
        expected = reported_interval(base.reported) / Interval.of(
            base.duration.magnitudes("hour"))
        reported = reported_interval(claim.reported_per_hour)
        tolerance = claim.tolerance.to("dimensionless")
        if reported.high < expected.low * (1 - tolerance) or \
                reported.low > expected.high * (1 + tolerance):
            yield ctx.finding(
                "CL106", f"claim '{cid}': TOF {claim.reported_per_hour} per hour but TON "
                f"{base.reported} over {base.duration} gives {_span(expected)} per hour",
                ("claims", cid, "reported_per_hour"), "correct one of the two figures")
