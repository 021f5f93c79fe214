"""Reported figures recomputed from their inputs, as ranges when the inputs are ranges."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from benchsheet.checks import rule
from benchsheet.checks.context import CheckContext
from benchsheet.chemistry.claims_basis import (
    UnitCount,
    YieldOnBasis,
    metal_atoms,
)
from benchsheet.chemistry.interval import Interval
from benchsheet.chemistry.shell import (
    declared_shell,
    shell_of,
    shell_unit_mass,
    theoretical_mass_with_shell,
)
from benchsheet.findings import Finding, Severity
from benchsheet.model.claims import (
    ConversionClaim,
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
    value: Interval | None  # None: an input is not stated (a TON without its conversion)
    inputs: str  # the inputs, in words, for the message
    ceiling: Interval | None = None  # the most the limiting reagent allows, where known
    ceiling_reason: str = ""


def fmt(x: float) -> str:
    """A figure for a message: 4 significant figures, whole numbers from 10,000 up."""
    return f"{x:,.4g}" if abs(x) < 1e4 else f"{x:,.0f}"


def span(i: Interval) -> str:
    """An interval for a message: ``17,964`` or ``74.3–103.6``."""
    return fmt(i.nominal) if i.is_point else f"{fmt(i.low)}–{fmt(i.high)}"


def reported_interval(m: Measured) -> Interval:
    """The reported value as an interval; a bound (<1 %) runs from 0 or to infinity."""
    low, nominal, high = m.magnitudes("dimensionless")
    if m.bound in ("<", "<="):
        return Interval(0.0, nominal, nominal)
    if m.bound in (">", ">="):
        return Interval(nominal, nominal, float("inf"))
    return Interval(low, nominal, high)


def _gmol(i: Interval) -> str:
    """A molar mass to 5 figures (2,161.2), or its range."""
    return f"{i.nominal:,.5g}" if i.is_point else f"{i.low:,.5g}–{i.high:,.5g}"


def pct(i: Interval) -> str:
    """A fraction as a percentage for a message: ``48.55–67.72 %``."""
    return f"{span(i * 100)} %"


# What one turnover is counted per, in words.
PER = {"cluster": "per cluster", "cluster-with-shell": "per cluster", "molecule":
        "per molecule", "metal-atom": "per metal atom", "active-site": "per active site",
        None: "per catalyst unit"}


@dataclass(frozen=True)
class TurnoverBases:
    """The ways a TON claim's catalyst can be counted: by core, and with its ligand shell
    where one is declared; ``judged`` is the one the claim's basis names."""

    counts: tuple[UnitCount, ...]
    judged: UnitCount
    metals_per_unit: float | None  # metal atoms in one catalyst unit, from its formula


def _counted_per_unit(claim: TurnoverNumberClaim, metals: float | None) -> Interval | None:
    """Counted things per catalyst unit: 1 cluster or molecule, its metal atoms, its sites."""
    if claim.sites_per_unit is not None and claim.basis in ("metal-atom", "active-site"):
        return Interval.of(claim.sites_per_unit.magnitudes("dimensionless"))
    if claim.basis == "metal-atom":
        return Interval.point(metals) if metals else None
    if claim.basis == "active-site":
        return None
    return Interval.point(1.0)


def turnover_bases(ctx: CheckContext, claim: TurnoverNumberClaim) -> TurnoverBases | str:
    """The catalyst's unit counts, or why they cannot be made (for CL104/CL109)."""
    entry = ctx.amounts.materials.get(claim.catalyst)
    if entry is None:
        return "the catalyst has no amount"
    if claim.catalyst_molar_mass is not None:
        core = claim.catalyst_molar_mass.to("g/mol")
    elif entry.reagent.molar_mass is not None:
        core = entry.reagent.molar_mass
    else:
        return "the catalyst has no molar mass (formula, or catalyst_molar_mass)"
    formula = entry.reagent.formula
    metals = metal_atoms(formula.elements) if formula is not None else None
    per_unit = _counted_per_unit(claim, metals)
    if per_unit is None or per_unit.low <= 0:
        return (f"a TON {PER[claim.basis]} needs the number of them per catalyst unit "
                "(sites_per_unit)")
    per = PER[claim.basis]
    counts = [UnitCount(f"{per}, core {core:,.5g} g/mol", Interval.point(core), per_unit)]
    judged = counts[0]
    if claim.catalyst_shell is not None:
        shell = shell_of(claim.catalyst_shell)
        extra = shell_unit_mass(shell, _molar_mass_of(ctx), 1.0)
        if extra is not None:
            with_shell = Interval.point(core) + extra
            counts.append(UnitCount(f"{per}, core + {shell.words()} "
                                    f"{_gmol(with_shell)} g/mol", with_shell, per_unit))
            if claim.basis == "cluster-with-shell":
                judged = counts[-1]
    if claim.basis == "cluster-with-shell" and judged is counts[0]:
        return ("basis cluster-with-shell needs the catalyst's shell (catalyst_shell, with a "
                "ligand of known molar mass)")
    return TurnoverBases(tuple(counts), judged, metals)


def _molar_mass_of(ctx: CheckContext) -> Callable[[str], float | None]:
    """A material's molar mass by id (for a shell's ligand named as a material)."""

    def lookup(material_id: str) -> float | None:
        entry = ctx.amounts.materials.get(material_id)
        return entry.reagent.molar_mass if entry is not None else None
    return lookup


def catalyst_mass(ctx: CheckContext, claim: TurnoverNumberClaim) -> Interval | None:
    """The catalyst's weighed mass (g), where it is known and above zero."""
    entry = ctx.amounts.materials.get(claim.catalyst)
    if entry is None or entry.mass is None or entry.mass.low <= 0:
        return None  # a catalyst amount reaching 0 ('0-5 mg') bounds no turnover number
    return entry.mass


def ceiling_units(ctx: CheckContext, substrate: str) -> tuple[Interval, str] | None:
    """Moles of product the limiting reagent allows, where the substrate's reaction says."""
    found = None
    for pid, balance in ctx.amounts.balances.items():
        # The balance already leaves out supplies without limit (feeds, recharged gases).
        if balance.method == "reaction" and substrate in balance.reactant_units \
                and balance.formula_units is not None:
            found = (balance.formula_units, f"'{', '.join(balance.limiting)}' limits '{pid}' "
                     f"to {span(balance.formula_units * 1e3)} mmol")
    return found


def recompute_ton(ctx: CheckContext, cid: str, claim: TurnoverNumberClaim) -> Recomputed | None:
    """TON = conversion × n(substrate) / n(counted), n(counted) = m / M(unit) × per unit."""
    substrate = ctx.amounts.materials.get(claim.substrate)
    bases = turnover_bases(ctx, claim)
    mass = catalyst_mass(ctx, claim)
    if substrate is None or substrate.moles is None or isinstance(bases, str) or mass is None:
        return None
    count = bases.judged
    n_counted = count.counted(mass)
    described = (f"{span(mass * 1e3)} mg '{claim.catalyst}' at "
                 f"{_gmol(count.molar_mass)} g/mol per unit")
    if not count.per_unit.is_point or count.per_unit.nominal != 1:
        described += f", {span(count.per_unit)} {PER[claim.basis][4:]}s per unit"
    value = None
    inputs = f"{span(substrate.moles * 1e3)} mmol '{claim.substrate}', {described}"
    if claim.conversion is not None:
        conversion = Interval.of(claim.conversion.magnitudes("dimensionless"))
        value = conversion * substrate.moles / n_counted
        inputs = f"conversion {pct(conversion)} of {inputs}"
    ceiling = ceiling_units(ctx, claim.substrate)
    if ceiling is None:
        return Recomputed(cid, value, inputs)
    return Recomputed(cid, value, inputs, ceiling[0] / n_counted, ceiling[1])


def _recompute_conversion(ctx: CheckContext, cid: str, claim: ConversionClaim
                          ) -> Recomputed | None:
    """A conversion is not recomputed; its ceiling is what the limiting reagent allows of the
    substrate: (n/ν of the limiting reactant) ÷ (n/ν of the substrate)."""
    balance = ctx.amounts.balances.get(claim.product)
    if balance is None or balance.method != "reaction" or balance.formula_units is None:
        return None
    own = balance.reactant_units.get(claim.substrate)
    if own is None or own.low <= 0:
        return None
    least = Interval(min(u.low for u in balance.reactant_units.values()),
                     min(u.nominal for u in balance.reactant_units.values()),
                     min(u.high for u in balance.reactant_units.values()))
    return Recomputed(cid, None, "", least / own,
                      f"'{', '.join(balance.limiting)}' limits '{claim.product}' to "
                      f"{span(least * 1e3)} mmol of {span(own * 1e3)} mmol of "
                      f"'{claim.substrate}'")


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
        if claim.time_resolved is not None:  # an initial rate: not the TON over the time
            return Recomputed(cid, None, "", None)
        if ton.value is None:
            return Recomputed(cid, None, "", ceiling, ton.ceiling_reason)
        return Recomputed(cid, ton.value / hours, f"TON {span(ton.value)} over "
                          f"{span(hours)} h, an average", ceiling, ton.ceiling_reason)
    if isinstance(claim, RatioClaim):
        element = claim.element or None
        num = ctx.amounts.moles_of(claim.numerator, element)
        den = ctx.amounts.moles_of(claim.denominator, element)
        if num is None or den is None or den.low <= 0:
            return None
        what = f"{claim.element} in " if claim.element else ""
        return Recomputed(cid, num / den, f"{what}{'+'.join(claim.numerator)} : "
                          f"{'+'.join(claim.denominator)} = {span(num * 1e3)} : "
                          f"{span(den * 1e3)} mmol")
    if isinstance(claim, ConversionClaim):
        return _recompute_conversion(ctx, cid, claim)
    if isinstance(claim, YieldClaim):
        judged = judged_yield(ctx, claim)
        if judged is None:
            return None
        return Recomputed(cid, judged.value, f"{span(judged.isolated_g * 1e3)} mg isolated "
                          f"of {span(judged.theoretical_g * 1e3)} mg theoretical"
                          + (f" ({judged.label})" if judged.label != "as written" else ""))
    return None


def yield_bases(ctx: CheckContext, product_id: str) -> list[YieldOnBasis]:
    """The product's theoretical mass by core and, where it declares a shell, with it."""
    product = ctx.protocol.products.get(product_id)
    balance = ctx.amounts.balances.get(product_id)
    if product is None or balance is None or product.isolated is None:
        return []
    core = balance.theoretical_mass_g
    if core is None or core.low <= 0 or balance.formula_units is None:
        return []
    isolated = Interval.of(product.isolated.magnitudes("g"))
    shell = declared_shell(product)
    if shell is None:
        return [YieldOnBasis("as written", core, isolated)]
    out = [YieldOnBasis("core", core, isolated)]
    with_shell = theoretical_mass_with_shell(product, balance.formula_units, core,
                                             balance.nuclearity, _molar_mass_of(ctx))
    if with_shell is not None:
        out.append(YieldOnBasis(f"with its shell of {shell.words()}", with_shell, isolated))
    return out


def judged_yield(ctx: CheckContext, claim: YieldClaim) -> YieldOnBasis | None:
    """The basis a yield claim is judged on: the one it states; with a declared shell and no
    basis stated, with the shell (the weighed product carries it)."""
    bases = yield_bases(ctx, claim.product)
    if not bases:
        return None
    if claim.basis == "core":
        return bases[0]
    return bases[-1]


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
        if value is not None:
            yield from _compare(ctx, cid, reported_m, reported, value, recomputed.inputs,
                                tolerance)
        if recomputed.ceiling is not None and reported.low > recomputed.ceiling.high * (
            1 + tolerance
        ):
            most = (pct(recomputed.ceiling) if isinstance(claim, ConversionClaim)
                    else span(recomputed.ceiling))
            yield ctx.finding(
                "CL105", f"claim '{cid}': reported {reported_m} needs more product than the "
                f"protocol can make: {recomputed.ceiling_reason}, i.e. at most {most}",
                (*path, "reported"),
                "the limiting reagent (a one-off gas charge?) must be larger, or replenished")


def _compare(ctx: CheckContext, cid: str, reported_m: Measured, reported: Interval,
             value: Interval, inputs: str, tolerance: float) -> Iterator[Finding]:
    """CL102 when the reported figure is inside the recomputed range, else CL101."""
    path = ("claims", cid)
    overlap = reported.high >= value.low * (1 - tolerance) and \
        reported.low <= value.high * (1 + tolerance)
    if overlap:
        yield ctx.finding("CL102", f"claim '{cid}': reported {reported_m} is within the "
                          f"recomputed {span(value)} ({inputs})", path)
        return
    distance = value.distance(reported.nominal)
    side = "above the highest" if reported.nominal > value.high else "below the lowest"
    yield ctx.finding("CL101", f"claim '{cid}': reported {reported_m} is "
                      f"{100 * distance:.3g} % {side} value the inputs allow, "
                      f"{span(value)} ({inputs})", (*path, "reported"),
                      "check the inputs (amounts, conversion, molar mass per unit) or "
                      "the reported figure")


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
        if not isinstance(claim, TurnoverFrequencyClaim) or claim.when is not True \
                or claim.time_resolved is not None:  # an initial rate need not be TON / time
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
                f"{base.reported} over {base.duration} gives {span(expected)} per hour",
                ("claims", cid, "reported_per_hour"), "correct one of the two figures")
