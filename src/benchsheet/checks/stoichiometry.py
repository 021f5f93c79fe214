"""Stoichiometry: dopant and alloy fractions, element balance, limiting reagent, scavengers,
theoretical yield and reaction balance, all read from the amounts table."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from benchsheet.checks import rule
from benchsheet.checks.context import CheckContext
from benchsheet.chemistry.density import girolami_density
from benchsheet.chemistry.interval import Interval
from benchsheet.chemistry.shell import theoretical_mass_with_shell
from benchsheet.findings import Finding, Severity

# Relative slack between a declared fraction and the amounts before it is flagged. Tighter than
# the 4.8 % that separates a 5 % dopant on the host basis from the same on all cations, so the
# wrong basis is always caught; looser than weighing error on a 0.1 mg balance.
FRACTION_TOLERANCE = 0.02
# Relative round-off allowed when an amount is compared with exactly what it must cover:
# 4.5 − 1.5 × 1.05 mmol comes out 2.9250000000000005 mmol in floating point.
ROUND_OFF = 1e-9


def _pct(x: float) -> str:
    return f"{100 * x:.3g} %"


def _times(x: float, digits: int) -> str:
    """A ratio to ``digits`` significant figures, written out: 2.86, 0.17, 810 (a bare
    ``:.2g`` would print 810 as '8.1e+02')."""
    return format(Decimal(f"{x:.{digits}g}"), "f")


def _mmol(i: Interval) -> str:
    if i.is_point:
        return f"{1e3 * i.nominal:.4g} mmol"
    return f"{1e3 * i.low:.4g}–{1e3 * i.high:.4g} mmol"


def _element_moles(ctx: CheckContext, element: str) -> Interval:
    """``AmountsTable.element_moles``, a walk over every material, once per variant for each
    element the ST rules ask about (ST101 and ST102 ask the same of a doped product)."""
    return ctx.computed(f"element moles:{element}",
                        lambda: ctx.amounts.element_moles(element))


def _host_and_dopant(ctx: CheckContext, pid: str) -> tuple[Interval, Interval] | None:
    product = ctx.protocol.products[pid]
    c = product.composition
    if c is None or c.dopant is None:
        return None
    host = Interval.point(0.0)
    for element in c.cations:
        host = host + _element_moles(ctx, element)
    return host, _element_moles(ctx, c.dopant.element)


@rule("ST101", Severity.ERROR, "dopant fraction does not match the amounts")
def dopant_fraction(ctx: CheckContext) -> Iterator[Finding]:
    """A declared dopant fraction is recomputed from the moles of dopant and host cations on
    the stated basis: host-cation means n(dopant)/n(host), all-cations means
    n(dopant)/(n(host)+n(dopant)). 5 % of the host is 4.76 % of all cations."""
    for pid, product in ctx.protocol.products.items():
        amounts = _host_and_dopant(ctx, pid)
        c = product.composition
        if amounts is None or c is None or c.dopant is None or c.dopant.basis is None:
            continue
        host, dopant = amounts
        if host.nominal <= 0:
            continue
        declared = c.dopant.fraction.to("dimensionless")
        on_host = dopant.nominal / host.nominal
        on_all = dopant.nominal / (host.nominal + dopant.nominal)
        actual = on_host if c.dopant.basis == "host-cation" else on_all
        other = on_all if c.dopant.basis == "host-cation" else on_host
        if declared == 0 and actual == 0:
            continue
        if abs(actual - declared) <= FRACTION_TOLERANCE * max(declared, actual):
            continue
        hint = ("correct the dopant amount or the declared fraction; a measured (ICP) "
                "fraction goes under dopant.measured, with its method")
        if abs(other - declared) <= FRACTION_TOLERANCE * max(declared, other):
            flip = "all-cations" if c.dopant.basis == "host-cation" else "host-cation"
            hint = f"the amounts give {_pct(other)} on the other basis: did you mean basis: {flip}?"
        yield ctx.finding(
            "ST101", f"{c.dopant.element} is declared as {_pct(declared)} ({c.dopant.basis}) "
            f"but the amounts give {_pct(actual)}: {_mmol(dopant)} {c.dopant.element} on "
            f"{_mmol(host)} host cations", ("products", pid, "composition", "dopant",
                                            "fraction"), hint)


@rule("ST102", Severity.WARNING, "dopant fraction without a basis")
def dopant_basis(ctx: CheckContext) -> Iterator[Finding]:
    """A dopant percentage means different amounts depending on whether it is of the host
    cations or of all cations; the protocol must say which (basis: host-cation or
    all-cations)."""
    for pid, product in ctx.protocol.products.items():
        c = product.composition
        if c is None or c.dopant is None or c.dopant.basis is not None:
            continue
        amounts = _host_and_dopant(ctx, pid)
        path = ("products", pid, "composition", "dopant")
        if amounts is None or amounts[0].nominal <= 0:
            yield ctx.finding("ST102", f"{c.dopant.element} fraction has no basis", path,
                              "add basis: host-cation or basis: all-cations")
            continue
        host, dopant = amounts
        on_host = dopant.nominal / host.nominal
        on_all = dopant.nominal / (host.nominal + dopant.nominal)
        yield ctx.finding(
            "ST102", f"{c.dopant.element} is {_pct(on_host)} of the host cation but "
            f"{_pct(on_all)} of all cations; say which basis the product means", path,
            "add basis: host-cation or basis: all-cations")


@rule("ST103", Severity.ERROR, "alloy fraction does not match the amounts")
def alloy_fraction(ctx: CheckContext) -> Iterator[Finding]:
    """Each host cation's declared fraction (the x of Cd1-xZnxSe) is recomputed from the
    moles of that element over all host cations supplied."""
    for pid, product in ctx.protocol.products.items():
        c = product.composition
        if c is None or len(c.cations) < 2:
            continue
        moles = {el: _element_moles(ctx, el).nominal for el in c.cations}
        total = sum(moles.values())
        declared_total = sum(f.to("dimensionless") for f in c.cations.values())
        if total <= 0 or declared_total <= 0:
            continue
        for element, fraction in c.cations.items():
            declared = fraction.to("dimensionless") / declared_total
            actual = moles[element] / total
            if abs(actual - declared) <= max(FRACTION_TOLERANCE * declared, 0.005):
                continue
            yield ctx.finding(
                "ST103", f"{element} is declared as {declared:.3g} of the host cations but the "
                f"amounts give {actual:.3g} ({1e3 * moles[element]:.4g} of "
                f"{1e3 * total:.4g} mmol)", ("products", pid, "composition", "cations", element),
                "correct the metal precursor amounts or the declared fractions")


@rule("ST104", Severity.INFO, "limiting reagent and excess")
def limiting_reagent(ctx: CheckContext) -> Iterator[Finding]:
    """The element balance of each product names what limits it and how large the excess of
    every other core element (or reactant) is; a sheet prints it as equivalents."""
    for pid, balance in ctx.amounts.balances.items():
        if balance.formula_units is None or not balance.limiting:
            continue
        excess = ", ".join(f"{k} {_times(v.nominal, 3)}×" for k, v in balance.excess().items())
        what = "/".join(balance.limiting)
        by = ", ".join(balance.limiting_materials)
        yield ctx.finding(
            "ST104", f"'{pid}' is limited by {what}" + (f" (from {by})" if by else "")
            + (f"; excess: {excess}" if excess else ""), ("products", pid))


# How the balance's problems are sorted between the rules: ST105 (a missing input), ST106
# (an unbalanced equation); anything else means the balance could not be checked (ST113).
_MISSING_INPUT = ("no input supplies", "the amount of reactant", "the moles of reactant",
                  "unknown element")
_UNBALANCED = ("unbalanced",)


@rule("ST105", Severity.ERROR, "an input the product needs is missing")
def missing_source(ctx: CheckContext) -> Iterator[Finding]:
    """A product's composition or formula names an element no material supplies (a Zn
    product with no zinc salt), or its reaction names a reactant with no known amount."""
    for pid, balance in ctx.amounts.balances.items():
        for problem in balance.problems:
            if problem.startswith(_MISSING_INPUT):
                yield ctx.finding("ST105", f"'{pid}': {problem}", ("products", pid),
                                  "give the material what it needs (a density: 'density: 0.93 "
                                  "g/mL' from the label or a data sheet; a formula or molar "
                                  "mass), or weigh it instead" if problem.startswith(
                                      "the moles of reactant") else
                                  "add the material that supplies it, or correct the product")


@rule("ST106", Severity.ERROR, "reaction equation not balanced")
def reaction_balance(ctx: CheckContext) -> Iterator[Finding]:
    """A product's reaction is checked atom by atom against the reactants' formulas and the
    product formula: PO (C3H6O) + CO2 → propylene carbonate (C4H6O3) balances."""
    for pid, balance in ctx.amounts.balances.items():
        for problem in balance.problems:
            if problem.startswith(_UNBALANCED):
                yield ctx.finding("ST106", f"'{pid}': the reaction is {problem}",
                                  ("products", pid, "reaction"),
                                  "check the coefficients and the product formula")


@rule("ST107", Severity.INFO, "theoretical yield")
def theoretical_yield(ctx: CheckContext) -> Iterator[Finding]:
    """The most product the limiting input allows: formula units from the element balance,
    divided by the nuclearity for clusters (13 formula units in (CdSe)13)."""
    for pid, balance in ctx.amounts.balances.items():
        moles = balance.theoretical_moles
        if moles is None:
            continue
        unit = "clusters" if balance.clusters is not None else "mol product"
        mass = balance.theoretical_mass_g
        text = f"'{pid}': at most {_mmol(moles)} {unit}" if unit == "clusters" else \
            f"'{pid}': at most {_mmol(moles)}"
        if mass is not None:
            what = "inorganic core" if balance.clusters is not None else pid
            text += f" ({1e3 * mass.nominal:.4g} mg of {what})"
        product = ctx.protocol.products[pid]
        # A product that declares its ligand shell (or end groups) is weighed with it.
        shelled = theoretical_mass_with_shell(
            product, balance.formula_units, mass, balance.nuclearity,
            lambda m: e.reagent.molar_mass if (e := ctx.amounts.materials.get(m)) else None)
        if shelled is not None:
            text += f"; {1e3 * shelled.nominal:.4g} mg with its ligand shell"
            mass = shelled
        if product.isolated is not None and mass is not None and mass.high > 0:
            isolated = product.isolated.to("g")
            percent = isolated / mass.nominal
            text += f"; isolated {1e3 * isolated:.4g} mg = {_pct(percent)} of theoretical"
            if isolated > mass.high * 1.001:
                yield ctx.finding("ST108", f"'{pid}': the isolated mass "
                                  f"({1e3 * isolated:.4g} mg) exceeds the theoretical "
                                  f"{1e3 * mass.high:.4g} mg", ("products", pid, "isolated"),
                                  "solvent or ligand left in the product? check the inputs, "
                                  "or declare the product's ligand shell (shell:)")
        yield ctx.finding("ST107", text, ("products", pid))


# ST108 is emitted by theoretical_yield; register it so explain and selection know it.
from benchsheet.rules import register  # noqa: E402

register("ST108", Severity.ERROR, "isolated mass above the theoretical yield",
         "More product than the limiting input can make means solvent, ligand or another "
         "product is in the weighed solid, or an amount is wrong.")


@rule("ST109", Severity.ERROR, "scavenger too small for the excess it removes")
def scavenger_capacity(ctx: CheckContext) -> Iterator[Finding]:
    """A scavenger added to remove an excess (a phosphine taking up Se as R3PSe) must hold at
    least the excess left after the product takes its share: n(el) − used by the product.
    Exactly enough is enough: the comparison allows for floating-point round-off
    (``ROUND_OFF``), so 2.925 mmol of phosphine for 4.5 − 1.575 mmol of Se passes."""
    for mid, entry in ctx.amounts.materials.items():
        scav = entry.material.scavenges
        if scav is None:
            continue
        path = ("materials", mid, "scavenges")
        if entry.moles is None:
            yield ctx.finding("ST109", f"scavenger '{mid}': its amount in moles is not known",
                              path, "give its amount, or a density and formula",
                              Severity.WARNING)
            continue
        supplied = _element_moles(ctx, scav.element)
        used = Interval.point(0.0)
        for balance in ctx.amounts.balances.values():
            if balance.formula_units is None:
                continue
            for s in balance.supplies:
                if s.element == scav.element:
                    used = used + balance.formula_units * s.per_unit
        excess = supplied - used
        capacity = entry.moles * scav.per_mole
        if excess.high <= 0:
            continue
        ratio = capacity.low / excess.high
        if ratio < 1 - ROUND_OFF:
            yield ctx.finding(
                "ST109", f"scavenger '{mid}' takes up {_mmol(capacity)} {scav.element} but "
                f"{_mmol(excess)} {scav.element} is left over ({ratio:.2f}×)", path,
                f"use at least {1e3 * excess.high / scav.per_mole:.3g} mmol")
        else:
            yield ctx.finding(
                "ST110", f"scavenger '{mid}': {_mmol(capacity)} for {_mmol(excess)} excess "
                f"{scav.element} ({_times(ratio, 2)}× enough)", path)


register("ST110", Severity.INFO, "scavenger capacity",
         "How many times over the scavenger covers the excess it is added to remove.")


@rule("ST111", Severity.WARNING, "scavenger does not say what it removes")
def scavenger_unstated(ctx: CheckContext) -> Iterator[Finding]:
    """A material added as a scavenger can only be checked against the excess when it states
    the element it removes (scavenges: {element: Se, per_mole: 1})."""
    for mid, entry in ctx.amounts.materials.items():
        if entry.material.role == "scavenger" and entry.material.scavenges is None:
            yield ctx.finding("ST111", f"scavenger '{mid}' does not say what it removes",
                              ("materials", mid, "role"),
                              "add scavenges: {element: Se, per_mole: 1} (for example)")


@rule("ST112", Severity.ERROR, "a material's amount is zero")
def zero_amount(ctx: CheckContext) -> Iterator[Finding]:
    """A material whose amount is zero (0 mg, 0 mL, 0 mmol, a zero concentration) takes no
    part in the chemistry, yet the sheet would list it to be weighed or dispensed, and every
    ratio against it is undefined. It is usually a variant whose parameter switches the
    material off (an undoped run with 0 % dopant); such a material belongs out of that
    variant with ``when:``, so that the sheet, the hazards and the balances leave it out."""
    for mid, entry in ctx.amounts.materials.items():
        values = [v for v in (entry.moles, entry.mass, entry.volume) if v is not None]
        if values and all(v.high == 0 for v in values):
            yield ctx.finding("ST112", f"material '{mid}' has a zero amount",
                              ("materials", mid, "amount"),
                              "give the amount used, or leave the material out where it is not "
                              "used: when: \"${dopant > 0}\" (for example)")


@rule("ST113", Severity.WARNING, "product balance cannot be checked")
def balance_unchecked(ctx: CheckContext) -> Iterator[Finding]:
    """The product declares what it is made of, but the balance cannot be worked out: a
    reactant of its reaction has no formula, its formula cannot be read, or no element is
    left to count (``balance_elements`` excludes them all). Without it neither the limiting
    reagent nor the theoretical yield is known, so the sheet and the claims go unchecked."""
    for pid, balance in ctx.amounts.balances.items():
        for problem in balance.problems:
            if not problem.startswith((*_MISSING_INPUT, *_UNBALANCED)):
                yield ctx.finding("ST113", f"'{pid}': {problem}", ("products", pid),
                                  "give every reactant a formula (inline reagents: formula:) "
                                  "and the product a formula or composition benchsheet can read")


def _portion_findings(ctx: CheckContext, code: str) -> Iterator[Finding]:
    for problem in ctx.amounts.timeline.problems:
        if problem.code == code:
            yield ctx.finding(code, problem.message, problem.path, problem.hint)


@rule("ST114", Severity.ERROR, "portions of a material add up to more than its amount")
def portions_over_total(ctx: CheckContext) -> Iterator[Finding]:
    """A material's amount is everything the protocol uses of it; steps that charge it in
    portions (an amount or a fraction each, or all of it) cannot together take more. A reagent
    added whole in two steps is counted twice, which doubles it in every balance."""
    yield from _portion_findings(ctx, "ST114")


@rule("ST115", Severity.ERROR, "a portion larger than what the vessel holds")
def portion_over_contents(ctx: CheckContext) -> Iterator[Finding]:
    """A transfer of a stated volume of a vessel's contents (1 mL of a stock) cannot take more
    than the vessel holds at that step, nor anything from an empty vessel."""
    yield from _portion_findings(ctx, "ST115")


@rule("ST116", Severity.WARNING, "a portion cannot be related to the whole")
def portion_unrelated(ctx: CheckContext) -> Iterator[Finding]:
    """A portion written in another unit than its material's amount (mL of a weighed solid
    with no density) or a stated volume of contents whose volume is not known cannot be
    turned into a share, so the balances take the whole."""
    yield from _portion_findings(ctx, "ST116")


@rule("ST119", Severity.WARNING, "a work-up step on a vessel that holds nothing")
def working_up_nothing(ctx: CheckContext) -> Iterator[Finding]:
    """A step that works up what a vessel holds (filters, spins down, recrystallises,
    extracts, evaporates, distils or transfers it whole) finds it empty: the step that moves
    the solid or the mixture there is missing (a recrystallisation in a clean flask after a
    filtration), or the step names the wrong vessel. The sheet would say to work up an empty
    vessel, and what comes after holds none of the product. A warning: the chemist at the
    bench knows where the solid is, but the protocol does not say it."""
    yield from _portion_findings(ctx, "ST119")


@rule("ST120", Severity.WARNING, "a solvent's amount is neither one portion nor all of them")
def portion_volume_mismatch(ctx: CheckContext) -> Iterator[Finding]:
    """The solvent of ``wash``, ``extract`` and ``redisperse`` steps is taken in portions.
    Where the steps state the volume of a portion, the material's amount is read as one
    portion if it equals that volume (the old rule, docs/bench-model.md) and as all of them
    if it equals their sum (the total, as for every other material); an amount that is
    neither (15 mL for two washes of 5 mL) says two things, and the sheet cannot tell which
    to print. Reported at each step whose portion differs from the amount."""
    from benchsheet.model.portions import portion_uses, portions_total_mL, same_volume

    for mid, uses in portion_uses(ctx.protocol.steps).items():
        if all(u.volume_mL is None for u in uses):
            continue
        entry = ctx.amounts.materials.get(mid)
        # Written as a volume (or a solution's): one weighed out has a volume only through
        # its density, which need not round to the step's figure.
        if entry is None or entry.volume is None or entry.basis not in ("volume", "solution"):
            continue
        amount = entry.volume.nominal
        total = portions_total_mL(uses, amount)
        if same_volume(amount, total):
            continue
        ml = "{:.4g} mL".format
        for use in uses:
            if use.volume_mL is None or same_volume(use.volume_mL, amount):
                continue
            yield ctx.finding(
                "ST120", f"this step takes {ml(use.volume_mL)} of '{mid}' per portion, but its "
                f"amount, {ml(amount)}, is neither one portion nor all the portions the steps "
                f"take ({ml(total)})", (*use.path, "volume"),
                f"write the amount of all the portions ({ml(total)}) or of one, or correct "
                "the step's volume")


# How far beyond a formula-estimated density a solution must be to be called impossible:
# ionic solids are up to about 1.5 times denser than the estimate, and no solution holds its
# solute as densely as the neat solute does.
ESTIMATE_MARGIN = 1.4


@rule("ST117", Severity.ERROR, "a solution stronger than it can be")
def impossible_concentration(ctx: CheckContext) -> Iterator[Finding]:
    """A solution cannot hold more solute than itself: a mass fraction is at most 100 %, and
    at a molar or mass concentration the solute's own mass per mL cannot exceed the density
    of the solute itself (nor, with the solution's density stated, the solution's). Without a
    measured density the solute's is estimated from its formula (Girolami 1994) and only a
    concentration 1.4 times beyond it is reported, since ionic and hydrogen-bonded solids pack
    tighter than the estimate. A 10× slip (25 M n-BuLi, 370 % HCl) lands here; a slip that
    stays within what could fit (30 M HCl, beyond its solubility) needs solubility data."""
    for mid, entry in ctx.amounts.materials.items():
        material = entry.material
        conc = material.concentration
        if conc is None or isinstance(conc, str):
            continue
        path = ("materials", mid, "concentration")
        if conc.dimension == "mass_fraction" and conc.to("dimensionless") > 1:
            yield ctx.finding("ST117", f"'{mid}': a mass fraction of {conc} is more than the "
                              "whole solution", path, "a mass fraction is at most 100 %")
            continue
        if entry.mass is None or entry.volume is None or entry.volume.nominal <= 0:
            continue
        per_mL = entry.mass.nominal / entry.volume.nominal  # g of solute per mL of solution
        limit = (material.density.to("g/mL") if material.density is not None
                 else entry.reagent.density)
        what = "the solution's density" if material.density is not None else (
            f"the density of {entry.reagent.name} itself")
        formula = entry.reagent.formula
        if limit is None and formula is not None and entry.reagent.molar_mass:
            estimate = girolami_density(formula.elements, entry.reagent.molar_mass)
            if estimate is not None:
                limit = ESTIMATE_MARGIN * estimate
                what = (f"{ESTIMATE_MARGIN:g}× the density of {entry.reagent.name} estimated "
                        f"from its formula, {estimate:.3g} g/mL (Girolami's method)")
        if limit is not None and per_mL > limit * 1.001:
            yield ctx.finding(
                "ST117", f"'{mid}': {conc} means {per_mL:.3g} g of {entry.reagent.name} in "
                f"every mL of solution, more than {what} ({limit:.3g} g/mL): the solute alone "
                "would not fit", path,
                "check the concentration against the label (a slip of 10×?), or its unit")
