"""Scaling a protocol: amounts scale; ratios, temperatures, times and pressures do not.

A scaled protocol goes through the pipeline again (scaled model → amounts table → checks), so
a sheet never multiplies printed numbers, and a vessel that a larger batch overfills is
reported by the same phase checks as any other protocol. The bench checks here (SH rules) say
when an amount on a sheet is too small to weigh or pipette reliably.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from benchsheet.findings import Finding, Severity
from benchsheet.rules import RULES, register

if TYPE_CHECKING:
    from benchsheet.chemistry.amounts import AmountsTable
    from benchsheet.loader import LoadedDocument
    from benchsheet.model import steps as st
    from benchsheet.model.protocol import Protocol
    from benchsheet.reagents.library import ReagentLibrary
    from benchsheet.units import Measured
    from benchsheet.validate import Options, VariantResult

# An analytical balance reads 0.1 mg. Its reading error of ±0.1 mg is 1 % of 10 mg; below
# that a weighed amount is known worse than the purity of most reagents, so the sheet says so.
BALANCE_READABILITY_MG = 0.1
MIN_WEIGHING_MG = 100 * BALANCE_READABILITY_MG
# The smallest common air-displacement pipette (P2) is made for 0.2–2 µL, where its error is
# several per cent; below 2 µL a dilution or a microsyringe is the better tool.
MIN_PIPETTE_UL = 2.0
# Figures a scale factor keeps: a target is met to far better than any balance reads.
FACTOR_DIGITS = 6

if "SH001" not in RULES:  # a reload in a test must not register the rules twice
    register("SH001", Severity.WARNING, "amount too small to weigh reliably",
             f"A mass below {MIN_WEIGHING_MG:g} mg, weighed on an analytical balance that reads "
             f"{BALANCE_READABILITY_MG:g} mg, is uncertain by more than 1 %. Weigh a larger "
             "portion into a stock solution and take an aliquot, or use a microbalance.")
    register("SH002", Severity.WARNING, "volume too small to pipette reliably",
             f"Below {MIN_PIPETTE_UL:g} µL even the smallest common pipette (P2) delivers with "
             "an error of several per cent; dilute the liquid first, or use a microsyringe.")
    register("SH003", Severity.WARNING, "gas charge does not scale",
             "A gas charged into a closed vessel is set by the vessel's headspace, the "
             "pressure and the temperature, not by the batch size. Scaling the other amounts "
             "changes the gas-to-substrate ratio unless the vessel is changed too. A charge "
             "that is replenished during the run (replenished: true) and a gas flow are not "
             "limited by the headspace and are not reported.")


class ScaleError(ValueError):
    """A scale factor or target that cannot be applied; the message says why."""


@dataclass(frozen=True)
class Target:
    """A wanted amount: of a material or product (``subject``), or of the protocol's product."""

    subject: str | None
    amount: Measured


@dataclass(frozen=True)
class Scaling:
    """The factor a sheet is scaled by, and in words why (``×2``, ``0.05 mmol of msc``)."""

    factor: Decimal
    basis: str


def parse_factor(text: str) -> Decimal:
    """A positive scale factor such as ``2`` or ``0.5``."""
    try:
        factor = Decimal(text.strip())
    except InvalidOperation:
        raise ScaleError(f"'{text}' is not a number; give a factor such as 2 or 0.5") from None
    if not factor.is_finite() or factor <= 0:
        raise ScaleError(f"a scale factor must be a positive number, not '{text}'")
    return factor


_SUBJECT = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_.+-]*)\s*=\s*(.+)$")


def parse_target(text: str) -> Target:
    """``0.05 mmol`` (the product's theoretical yield) or ``CdCl2=3 mmol`` (one material)."""
    from benchsheet import units

    match = _SUBJECT.match(text)
    subject, quantity = (match.group(1), match.group(2)) if match else (None, text)
    try:
        amount = units.parse_quantity(quantity, (units.AMOUNT, units.MASS, units.VOLUME))
    except units.QuantityError as exc:
        raise ScaleError(f"--target {text}: {exc.message}") from None
    if amount.nominal <= 0:
        raise ScaleError(f"--target {text}: the wanted amount must be positive")
    return Target(subject, amount)


def _round_factor(value: float) -> Decimal:
    return Decimal(f"{value:.{FACTOR_DIGITS}g}").normalize()


def factor_for_target(protocol: Protocol, amounts: AmountsTable, target: Target) -> Scaling:
    """The factor that makes ``target`` come true, read from the amounts table."""
    wanted = target.amount
    label = str(wanted)
    if target.subject is not None and target.subject in amounts.materials:
        entry = amounts.materials[target.subject]
        have = {"amount": entry.moles, "mass": entry.mass, "volume": entry.volume}[
            wanted.dimension]
        unit = {"amount": "mol", "mass": "g", "volume": "mL"}[wanted.dimension]
        if have is None or have.nominal <= 0:
            raise ScaleError(f"--target: the {wanted.dimension} of {target.subject} is not "
                             f"known, so it cannot be scaled to {label}")
        factor = _round_factor(wanted.to(unit) / have.nominal)
        return Scaling(factor, f"{label} of {target.subject}")
    if target.subject is not None and target.subject not in protocol.products:
        known = ", ".join([*amounts.materials, *amounts.balances]) or "none"
        raise ScaleError(f"--target: '{target.subject}' is neither a material nor a product "
                         f"of {protocol.id} (it has: {known})")
    if wanted.dimension == "volume":
        raise ScaleError("--target: give a product's yield as an amount (mmol) or a mass")
    # A yield is wanted of the named product, else of the product the protocol is for.
    pid = target.subject or amounts.main_product
    balance = amounts.balances.get(pid) if pid else None
    if balance is not None:
        theory = balance.theoretical_moles
        if theory is not None and theory.nominal <= 0:
            raise ScaleError(f"--target: nothing of '{pid}' can be made as written (its "
                             "theoretical yield is 0: an input it needs has not reached its "
                             "vessel when it forms); fix the protocol, or scale to an amount "
                             "of a material (e.g. CdCl2=3 mmol)")
        if wanted.dimension == "amount" and theory is not None:
            what = "clusters" if balance.clusters is not None else "formula units"
            factor = _round_factor(wanted.to("mol") / theory.nominal)
            return Scaling(factor, f"{label} of {pid} ({what}, theoretical yield)")
        if wanted.dimension == "mass" and balance.theoretical_mass_g is not None:
            factor = _round_factor(wanted.to("g") / balance.theoretical_mass_g.nominal)
            core = " of the inorganic core" if balance.nuclearity else ""
            return Scaling(factor, f"{label} of {pid} (theoretical yield{core})")
    raise ScaleError(f"--target: {protocol.id} has no product whose theoretical yield is "
                     "known; scale to an amount of a material instead (e.g. CdCl2=3 mmol)")


def _scaled_steps(steps: Iterable[st.Step], factor: Decimal) -> list[st.Step]:
    """Solvent volumes for washing, redispersing and extracting grow with the batch, as do
    portions written as amounts (0.5 mL of the bromobenzene, 1 mL of the stock); fractions
    and everything else stay."""
    from benchsheet.model import steps as st

    out: list[st.Step] = []
    for step in steps:
        if isinstance(step, st.Wash | st.Redisperse | st.Extract) and step.volume is not None:
            step = step.model_copy(update={"volume": step.volume.scaled(factor)})
        elif isinstance(step, st.Add | st.Dissolve) and any(
                isinstance(c, st.Portion) and c.amount is not None for c in step.materials):
            charges = [c.model_copy(update={"amount": c.amount.scaled(factor)})
                       if isinstance(c, st.Portion) and c.amount is not None else c
                       for c in step.materials]
            step = step.model_copy(update={"materials": charges})
        elif isinstance(step, st.Inject) and step.amount is not None:
            step = step.model_copy(update={"amount": step.amount.scaled(factor)})
        elif isinstance(step, st.Repeat):
            step = step.model_copy(update={"steps": _scaled_steps(step.steps, factor)})
        out.append(step)
    return out


def scale_protocol(protocol: Protocol, factor: Decimal) -> Protocol:
    """The protocol with every amount times ``factor``.

    Scaled: material amounts, wash, redispersion and extraction volumes, an isolated mass.
    Kept: concentrations, temperatures, times, speeds, pressures (a gas charge stays what the
    vessel holds), sample sizes for measurements, vessels and reported figures.
    """
    if factor == 1:
        return protocol
    materials = {
        mid: m.model_copy(update={"amount": m.amount.scaled(factor)}) if m.amount else m
        for mid, m in protocol.materials.items()
    }
    products = {
        pid: p.model_copy(update={"isolated": p.isolated.scaled(factor)}) if p.isolated else p
        for pid, p in protocol.products.items()
    }
    return protocol.model_copy(update={"materials": materials, "products": products,
                                       "steps": _scaled_steps(protocol.steps, factor)})


def scale_variant(document: LoadedDocument, variant: VariantResult, factor: Decimal,
                  library: ReagentLibrary, options: Options | None = None) -> VariantResult:
    """A variant scaled by ``factor``, through amounts and checks again."""
    from benchsheet.checks import load_all
    from benchsheet.checks.context import CheckContext
    from benchsheet.chemistry.amounts import compute_amounts
    from benchsheet.validate import Options, VariantResult, _acknowledge

    if variant.protocol is None:
        raise ScaleError(f"{document.path}: variant {variant.name or '(base)'} does not model, "
                         "so it cannot be scaled")
    options = options or Options()
    scaled = scale_protocol(variant.protocol, factor)
    amounts = compute_amounts(scaled, library)
    context = CheckContext(scaled, document, variant.name, amounts, library)
    checks = load_all()
    check_codes = {c.info.code for c in checks}
    findings: list[Finding] = []
    checked: set[str] = set()
    for check in checks:
        if options.wants(check.info.code):
            checked.add(check.info.code)
            findings.extend(check.run(context))
    findings = _acknowledge(findings, scaled, document, variant.name, checked)
    # What the model and expansion reported does not change with the amounts: keep it.
    kept = [f for f in variant.findings if f.code not in check_codes and f.code != "AK001"]
    return VariantResult(variant.name, dict(variant.values), scaled, amounts, kept + findings)


def bench_findings(document: LoadedDocument, protocol: Protocol, amounts: AmountsTable,
                   variant: str, factor: Decimal = Decimal(1)) -> list[Finding]:
    """SH findings of one sheet: amounts too small for the bench, gas charges that stay put.

    SH003 concerns a single charge only: a replenished charge is topped up as the batch
    consumes it, and a flow is not held in the headspace at all."""
    from benchsheet.render.words import bench_mass, bench_volume, dispensed_by_volume

    found: list[tuple[str, str, str, tuple[str | int, ...]]] = []
    for mid, entry in amounts.materials.items():
        if entry.material.gas is not None or entry.basis not in (
                "moles", "mass", "volume", "solution"):
            continue
        path: tuple[str | int, ...] = ("materials", mid, "amount")
        if dispensed_by_volume(entry):
            if entry.volume is not None and entry.volume.nominal * 1e3 < MIN_PIPETTE_UL:
                found.append(("SH002", f"{mid}: {bench_volume(entry.volume.nominal)} is below "
                              f"{MIN_PIPETTE_UL:g} µL, too little to pipette reliably",
                              "dilute it to a stock solution and pipette more of that, or use "
                              "a microsyringe", path))
        elif entry.mass is not None and entry.mass.nominal * 1e3 < MIN_WEIGHING_MG:
            found.append(("SH001", f"{mid}: {bench_mass(entry.mass.nominal)} is below "
                          f"{MIN_WEIGHING_MG:g} mg; a balance reading {BALANCE_READABILITY_MG:g} "
                          "mg weighs it to worse than 1 %",
                          "weigh a larger portion into a stock solution and take an aliquot, "
                          "or use a microbalance", path))
    if factor != 1:
        for mid, gas in amounts.gases.items():
            if gas.replenished:  # topped up from the cylinder: the supply follows the batch
                continue
            found.append(("SH003", f"{mid}: the gas charged into {gas.vessel} does not scale "
                          f"(×{factor} applies to the other amounts only)",
                          "use a vessel whose headspace scales with the batch, or recharge the "
                          "gas", ("materials", mid, "gas")))
    out = []
    for code, message, hint, where in found:
        line, column = document.position(where)
        out.append(Finding(document.path, line, column, code, RULES[code].severity, message,
                           hint, where, variant))
    return out
