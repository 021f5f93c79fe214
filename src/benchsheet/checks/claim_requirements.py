"""What a reported figure requires (CL107–CL109), read the way a referee reads it.

A TON "is consistent" at one assumed condition; the referee asks what it needs over the whole
range of the inputs, on each basis it can be read on: the conversion at each end of the
catalyst's mass range, counting a cluster by its core and with its ligand shell, and where
that conversion passes 100 %. A TOF is an average unless it was measured over time; a yield
depends on whether the product's shell is counted; a claim states its basis.
"""

from __future__ import annotations

from collections.abc import Iterator

from benchsheet.checks import rule
from benchsheet.checks.claims import (
    PER,
    catalyst_mass,
    ceiling_units,
    fmt,
    judged_yield,
    pct,
    reported_interval,
    span,
    turnover_bases,
    yield_bases,
)
from benchsheet.checks.context import CheckContext
from benchsheet.chemistry.claims_basis import conversion_needed, mass_needed
from benchsheet.chemistry.interval import Interval
from benchsheet.chemistry.shell import declared_shell
from benchsheet.findings import Finding, Severity
from benchsheet.model.claims import (
    ConversionClaim,
    RatioClaim,
    TurnoverFrequencyClaim,
    TurnoverNumberClaim,
    YieldClaim,
)
from benchsheet.rules import register


def _ton_requirements(ctx: CheckContext, cid: str, claim: TurnoverNumberClaim
                      ) -> Iterator[Finding]:
    """CL108 (and CL107 where impossible) for one TON claim."""
    bases = turnover_bases(ctx, claim)
    substrate = ctx.amounts.materials.get(claim.substrate)
    mass = catalyst_mass(ctx, claim)
    if isinstance(bases, str) or substrate is None or substrate.moles is None or mass is None:
        return
    n_sub = substrate.moles
    reported = reported_interval(claim.reported)
    if reported.low <= 0 or n_sub.low <= 0:
        return
    mg = mass * 1e3
    parts = []
    for count in bases.counts:
        need = conversion_needed(reported, count, mass, n_sub)
        text = (f"{count.label}: {pct(need.at_low_mass)} with {fmt(mg.low)} mg"
                + ("" if mass.is_point else f", {pct(need.at_high_mass)} with "
                   f"{fmt(mg.high)} mg"))
        if need.impossible_everywhere:
            text += " (impossible: more than all of it)"
        elif need.impossible_somewhere and need.impossible_above_g is not None:
            text += f" (impossible above {fmt(need.impossible_above_g * 1e3)} mg)"
        if claim.conversion is not None:
            at = Interval.of(claim.conversion.magnitudes("dimensionless"))
            text += (f"; at the stated {pct(at)} it needs "
                     f"{span(mass_needed(reported, count, at, n_sub) * 1e3)} mg")
        parts.append(text)
        if count is bases.judged and need.impossible_somewhere:
            where = ("over the whole range" if need.impossible_everywhere else
                     f"above {fmt((need.impossible_above_g or 0) * 1e3)} mg of "
                     f"'{claim.catalyst}'")
            yield ctx.finding(
                "CL107", f"claim '{cid}': {claim.reported} {count.label} needs "
                f"{pct(need.at_low_mass)} conversion of '{claim.substrate}' "
                f"({span(n_sub * 1e3)} mmol) with {fmt(mg.low)} mg"
                + ("" if mass.is_point else
                   f" and {pct(need.at_high_mass)} with {fmt(mg.high)} mg")
                + f": more than all of it {where}", ("claims", cid, "reported"),
                "say which catalyst mass the figure was measured with, or on which basis the "
                "units are counted (with the ligand shell, metal atoms by ICP)")
    ceiling = ceiling_units(ctx, claim.substrate)
    if ceiling is not None:
        parts.append(f"{ceiling[1]}: at most {pct(ceiling[0] / n_sub)} of "
                     f"'{claim.substrate}'")
    words = PER[claim.basis]
    per_metal = _per_metal_words(reported, claim.basis, bases.metals_per_unit)
    yield ctx.finding(
        "CL108", f"claim '{cid}': {claim.reported} {words} needs this conversion of "
        f"{span(n_sub * 1e3)} mmol '{claim.substrate}' — " + "; ".join(parts)
        + (f"; {per_metal}" if per_metal else ""), ("claims", cid))


def _per_metal_words(reported: Interval, basis: str | None, metals: float | None,
                     unit: str = "") -> str:
    """The same figure per metal atom (or per cluster, from one per metal atom)."""
    if not metals:
        return ""
    if basis in ("cluster", "cluster-with-shell", "molecule"):
        return (f"per metal atom it is {span(reported / metals)}{unit} "
                f"({metals:.4g} metal atoms per unit)")
    if basis == "metal-atom":
        return (f"per catalyst unit it is {span(reported * metals)}{unit} "
                f"({metals:.4g} metal atoms per unit)")
    return ""


def _tof_requirements(ctx: CheckContext, cid: str, claim: TurnoverFrequencyClaim
                      ) -> Iterator[Finding]:
    """CL108 for a TOF: an average unless a time-resolved basis is given."""
    base = ctx.protocol.claims.get(claim.turnover_number)
    if not isinstance(base, TurnoverNumberClaim):
        return
    reported = reported_interval(claim.reported_per_hour)
    if claim.time_resolved is not None:
        kind = f"an initial rate ({claim.time_resolved})"
    else:
        kind = (f"an average, the TON '{claim.turnover_number}' over {base.duration}, not an "
                "initial rate (no time-resolved basis given)")
    bases = turnover_bases(ctx, base)
    metals = bases.metals_per_unit if not isinstance(bases, str) else None
    per_metal = _per_metal_words(reported, base.basis, metals, " per hour")
    yield ctx.finding("CL108", f"claim '{cid}': {claim.reported_per_hour} {PER[base.basis]} "
                      f"per hour is {kind}" + (f"; {per_metal}" if per_metal else ""),
                      ("claims", cid))


def _yield_requirements(ctx: CheckContext, cid: str, claim: YieldClaim) -> Iterator[Finding]:
    """CL108 for a yield on each basis, CL107 where the judged one passes 100 % over part of
    the range (the whole range is ST108's)."""
    bases = yield_bases(ctx, claim.product)
    if not bases:
        return
    reported = reported_interval(claim.reported)
    judged = judged_yield(ctx, claim)
    parts = []
    for basis in bases:
        parts.append(f"{basis.label}: {span(basis.isolated_g * 1e3)} mg is "
                     f"{pct(basis.value)} of {span(basis.theoretical_g * 1e3)} mg; "
                     f"{claim.reported} needs {span(basis.isolated_needed(reported) * 1e3)} mg")
        if basis is judged and basis.value.high > 1.001 and basis.value.low <= 1.001:
            yield ctx.finding(
                "CL107", f"claim '{cid}': the yield of '{claim.product}' "
                f"({basis.label}) passes 100 % over part of its range: "
                f"{pct(basis.value)}", ("claims", cid, "reported"),
                "narrow the isolated mass or the inputs, or declare the product's shell")
    yield ctx.finding("CL108", f"claim '{cid}': " + "; ".join(parts), ("claims", cid))


@rule("CL108", Severity.INFO, "what a reported figure requires")
def claim_requirements(ctx: CheckContext) -> Iterator[Finding]:
    """A referee asks what a figure needs: the conversion a TON needs at each end of the
    catalyst's mass range, counting a cluster by its core and with its ligand shell; a TOF is
    an average unless measured over time; a yield by core and with the product's shell."""
    for cid, claim in ctx.protocol.claims.items():
        if claim.when is not True:
            continue
        if isinstance(claim, TurnoverNumberClaim):
            yield from _ton_requirements(ctx, cid, claim)
        elif isinstance(claim, TurnoverFrequencyClaim):
            yield from _tof_requirements(ctx, cid, claim)
        elif isinstance(claim, YieldClaim):
            yield from _yield_requirements(ctx, cid, claim)
        elif isinstance(claim, RatioClaim):
            yield from _ratio_requirements(ctx, cid, claim)
        elif isinstance(claim, ConversionClaim):
            yield from _conversion_requirements(ctx, cid, claim)


def _ratio_requirements(ctx: CheckContext, cid: str, claim: RatioClaim) -> Iterator[Finding]:
    """CL108 for a ratio whose inputs are ranges: the numerator the reported ratio needs
    over the denominator's range, beside the numerator stated."""
    element = claim.element or None
    num = ctx.amounts.moles_of(claim.numerator, element)
    den = ctx.amounts.moles_of(claim.denominator, element)
    if num is None or den is None or (num.is_point and den.is_point):
        return
    reported = reported_interval(claim.reported)
    needed = reported * den
    what = f"{claim.element} in " if claim.element else ""
    numerator, denominator = "+".join(claim.numerator), "+".join(claim.denominator)
    yield ctx.finding(
        "CL108", f"claim '{cid}': {claim.reported} needs {span(needed * 1e3)} mmol of "
        f"{what}{numerator} over {span(den * 1e3)} mmol of {denominator}; the protocol gives "
        f"{span(num * 1e3)} mmol", ("claims", cid))
    # The denominators the numerator given can make the ratio with: n_num / r for every
    # reported r. Outside that window (but inside the stated range) the figure cannot hold;
    # with no overlap at all the recomputation (CL101) already says it is inconsistent.
    if reported.low <= 0:
        return
    low, high = max(den.low, num.low / reported.high), min(den.high, num.high / reported.low)
    tolerance = 1e-9 * max(den.high, 1e-12)
    if low > high or (low <= den.low + tolerance and high >= den.high - tolerance):
        return
    yield ctx.finding(
        "CL107", f"claim '{cid}': {claim.reported} of {what}{numerator} to {denominator} "
        f"holds only with {span(Interval(low, (low + high) / 2, high) * 1e3)} mmol of "
        f"{denominator}, within the {span(den * 1e3)} mmol the protocol gives: with the rest "
        f"of that range the {span(num * 1e3)} mmol of {numerator} cannot make it",
        ("claims", cid, "reported"),
        f"say which amount of {denominator} the figure was measured with")


def _conversion_requirements(ctx: CheckContext, cid: str, claim: ConversionClaim
                             ) -> Iterator[Finding]:
    """CL108 for a conversion: the moles of each co-reactant it needs."""
    product = ctx.protocol.products.get(claim.product)
    substrate = ctx.amounts.materials.get(claim.substrate)
    if product is None or product.reaction is None or substrate is None \
            or substrate.moles is None or claim.substrate not in product.reaction.reactants:
        return
    converted = reported_interval(claim.reported) * substrate.moles
    own = product.reaction.reactants[claim.substrate]
    parts = []
    for mid, nu in product.reaction.reactants.items():
        if mid == claim.substrate:
            continue
        entry = ctx.amounts.materials.get(mid)
        have = (f" (the protocol gives {span(entry.moles * 1e3)} mmol)"
                if entry is not None and entry.moles is not None else "")
        parts.append(f"{span(converted * (nu / own) * 1e3)} mmol of '{mid}'{have}")
    yield ctx.finding(
        "CL108", f"claim '{cid}': {claim.reported} of {span(substrate.moles * 1e3)} mmol "
        f"'{claim.substrate}' converts {span(converted * 1e3)} mmol"
        + (f" and needs {', '.join(parts)}" if parts else ""), ("claims", cid))


register("CL107", Severity.WARNING, "reported figure impossible over part of its inputs",
         "Over the range of the inputs (a catalyst mass of 3.8–5.3 mg) the figure needs more "
         "than all of the substrate (a conversion above 100 %) or more product than the "
         "theoretical yield; it holds at most over the rest of the range.")


@rule("CL109", Severity.WARNING, "reported figure without its basis")
def claim_basis(ctx: CheckContext) -> Iterator[Finding]:
    """A TON is per cluster (by its core or with its ligands), per molecule, per metal atom or
    per active site, and the figures differ by the factors between them; a yield of a product
    that carries a ligand shell may count it or not. A claim says which."""
    for cid, claim in ctx.protocol.claims.items():
        if claim.when is not True:
            continue
        path = ("claims", cid)
        if isinstance(claim, TurnoverNumberClaim):
            if claim.basis is None:
                yield ctx.finding(
                    "CL109", f"claim '{cid}' does not say what one turnover is counted per; it "
                    "is read per catalyst unit of the catalyst's formula", path,
                    "add basis: cluster, cluster-with-shell, molecule, metal-atom or "
                    "active-site")
                continue
            bases = turnover_bases(ctx, claim)
            if isinstance(bases, str) and ctx.amounts.materials.get(claim.catalyst):
                yield ctx.finding("CL109", f"claim '{cid}': {bases}", (*path, "basis"),
                                  "give what the basis needs, or another basis")
        elif isinstance(claim, YieldClaim) and claim.basis is None:
            product = ctx.protocol.products.get(claim.product)
            if product is not None and declared_shell(product) is not None:
                yield ctx.finding(
                    "CL109", f"claim '{cid}': product '{claim.product}' declares a ligand "
                    "shell, and the yield does not say whether it counts it; judged with the "
                    "shell", path, "add basis: core or with-shell")
