"""A protocol as actually run: the amounts weighed, the mass obtained, and what follows from them.

The actual amounts replace the planned ones in the protocol text, which then goes through the
whole pipeline again (`validate_text`): the amounts table, the balances (limiting reagent,
theoretical yield) and every check are the pipeline's own, for what went into the flask. Only
the % yield is new here: obtained mass over the balance's theoretical mass. This is what
`ProtocolHandle.actual` returns and what the bench notebook's cells call.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml

from benchsheet.model.claims import RatioClaim
from benchsheet.units import MASS, QuantityError, convert, parse_quantity, pint_unit

if TYPE_CHECKING:
    from benchsheet.chemistry.amounts import AmountsTable
    from benchsheet.findings import Finding
    from benchsheet.model.protocol import Protocol
    from benchsheet.validate import VariantResult

__all__ = ["BenchRun", "ProductYield", "apply_actual_amounts", "bench_run", "claim_ratios",
           "grams", "mole_ratios", "reference_material", "yields"]


@dataclass(frozen=True)
class ProductYield:
    """One product's yield: what the limiting reagent allows, what was obtained, their ratio.

    A cluster's theoretical mass counts its inorganic core only (ligands are not in its
    formula), so its % yield can pass 100.
    """

    product: str
    name: str
    limiting: tuple[str, ...]  # the limiting material ids, with the actual amounts
    theoretical_g: float | None
    obtained_g: float | None
    percent: float | None


@dataclass(frozen=True)
class BenchRun:
    """The variant validated with the actual amounts, and what follows from them."""

    variant: VariantResult
    ratios: dict[str, float]  # "MnCl2 : CdCl2" → mole ratio; claim id → recomputed claim
    yields: dict[str, ProductYield]  # product id → its yield
    findings: list[Finding]  # the checks' findings for this variant with these amounts


def apply_actual_amounts(text: str, actual: Mapping[str, str]) -> str:
    """The protocol text with each named material's `amount` replaced by the actual one.

    Raises KeyError for a material the protocol does not declare: a typo in the amounts must
    not silently leave the planned amount in place.
    """
    data = yaml.safe_load(text)
    materials = data.get("materials") or {}
    for material_id, amount in actual.items():
        if material_id not in materials:
            raise KeyError(f"{material_id!r} is not a material of this protocol; "
                           f"materials: {', '.join(materials)}")
        materials[material_id]["amount"] = amount
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def grams(text: str) -> float:
    """A mass as written (`1.25 g`, `850 mg`) in grams; raises ValueError for anything else."""
    try:
        measured = parse_quantity(text, (MASS,))
    except QuantityError as error:
        raise ValueError(f"{text!r}: {error}") from None
    return convert(float(measured.nominal), pint_unit(MASS.name, measured.unit), "g")


def mole_ratios(amounts: AmountsTable, reference: str) -> dict[str, float]:
    """n(material) / n(reference) for every material with a molar amount."""
    base = amounts.materials[reference].moles
    if base is None or base.nominal == 0:
        return {}
    return {
        f"{mid} : {reference}": entry.moles.nominal / base.nominal
        for mid, entry in amounts.materials.items()
        if entry.moles is not None and mid != reference
    }


def claim_ratios(protocol: Protocol, amounts: AmountsTable) -> dict[str, float]:
    """The protocol's ratio claims recomputed from the amounts table (element counts or moles),
    by the same sum the claims check uses (``AmountsTable.moles_of``)."""
    out: dict[str, float] = {}
    for cid, claim in protocol.claims.items():
        if isinstance(claim, RatioClaim) and claim.when is True:
            element = claim.element or None
            num = amounts.moles_of(claim.numerator, element)
            den = amounts.moles_of(claim.denominator, element)
            if num is None or den is None:
                out[cid] = math.nan
            elif den.nominal:
                out[cid] = num.nominal / den.nominal
    return out


def reference_material(amounts: AmountsTable) -> str | None:
    """What ratios are taken against: the main product's limiting material, else the first
    material with a molar amount."""
    for _, balance in amounts.balances_main_first():
        if balance.limiting_materials:
            return balance.limiting_materials[0]
    return next((mid for mid, e in amounts.materials.items() if e.moles is not None), None)


def yields(protocol: Protocol, amounts: AmountsTable,
           obtained: Mapping[str, str]) -> dict[str, ProductYield]:
    """Each product with a balance: limiting materials, theoretical mass, and the % yield of
    the mass obtained. Raises KeyError for an obtained mass of a product the protocol lacks."""
    unknown = sorted(set(obtained) - set(protocol.products))
    if unknown:
        raise KeyError(f"{', '.join(unknown)}: not a product of this protocol; products: "
                       f"{', '.join(protocol.products)}")
    out: dict[str, ProductYield] = {}
    for pid, balance in amounts.balances_main_first():
        theory = balance.theoretical_mass_g
        theoretical = theory.nominal if theory is not None else None
        got = grams(obtained[pid]) if pid in obtained else None
        percent = (100 * got / theoretical
                   if got is not None and theoretical else None)
        out[pid] = ProductYield(pid, protocol.products[pid].name, balance.limiting_materials,
                                theoretical, got, percent)
    return out


def bench_run(variant: VariantResult, obtained: Mapping[str, str],
              reference: str | None = None) -> BenchRun:
    """Ratios, yields and findings of a variant already validated with the actual amounts.

    Mole ratios are taken against `reference` (the planned protocol's limiting material, so
    they compare with the protocol's own), else against the actual limiting material.
    """
    if variant.protocol is None or variant.amounts is None:
        return BenchRun(variant, {}, {}, list(variant.findings))
    protocol, amounts = variant.protocol, variant.amounts
    if reference not in amounts.materials:
        reference = reference_material(amounts)
    ratios = mole_ratios(amounts, reference) if reference else {}
    ratios.update(claim_ratios(protocol, amounts))
    return BenchRun(variant, ratios, yields(protocol, amounts, obtained),
                    list(variant.findings))
