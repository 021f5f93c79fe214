"""Reported figures as claims with their inputs, so the validator can recompute them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from benchsheet import units
from benchsheet.model.common import ClaimRef, MaterialRef, Model, ProductRef, When
from benchsheet.quantity_types import Duration, Fraction, MolarMass, QuantityField
from benchsheet.units import FRACTION, Measured, parse_quantity

ClaimSource = Annotated[str, Field(description="Where the figure is reported, e.g. 'Fig. 5b'")]


class ClaimBase(Model):
    description: str | None = None
    where: ClaimSource | None = None
    tolerance: Fraction = Field(
        default_factory=lambda: parse_quantity("5 %", (FRACTION,)),
        description="Relative difference tolerated before the claim is flagged",
    )
    note: str | None = None
    assumed: str | None = Field(
        None, description="What the claim's inputs assume where the source is silent, and why"
    )
    when: When = True


class RatioClaim(ClaimBase):
    """A molar ratio of materials (or of an element they carry) as reported."""

    kind: Literal["ratio"]
    numerator: list[MaterialRef] = Field(min_length=1)
    denominator: list[MaterialRef] = Field(min_length=1)
    element: str | None = Field(None, description="Count moles of this element, not of material")
    reported: Fraction


class TurnoverNumberClaim(ClaimBase):
    """TON: moles of substrate converted per mole of catalyst units (clusters, metal atoms)."""

    kind: Literal["turnover-number"]
    substrate: MaterialRef
    catalyst: MaterialRef
    conversion: Fraction = Field(description="Fraction of the substrate converted")
    catalyst_molar_mass: MolarMass | None = Field(
        None,
        description="Per catalyst unit (one cluster, one metal atom): the TON is per that unit; "
        "default: from the catalyst's formula",
    )
    duration: Duration
    reported: Fraction


class TurnoverFrequencyClaim(ClaimBase):
    """TOF: a TON claim divided by its reaction time, per hour."""

    kind: Literal["turnover-frequency"]
    turnover_number: ClaimRef
    reported_per_hour: Fraction


class YieldClaim(ClaimBase):
    """An isolated yield against the theoretical yield of a product."""

    kind: Literal["yield"]
    product: ProductRef
    reported: Fraction


# What a measured claim may report: a fraction or plain number (PLQY, dispersity, degree of
# polymerisation) or a quantity with its unit (a size in nm, a molar mass in g/mol).
MeasuredValue = Annotated[Measured, QuantityField(
    units.FRACTION, units.LENGTH, units.MOLAR_MASS, units.MASS, units.TEMPERATURE,
    units.DURATION, units.MOLAR_CONCENTRATION)]


class MeasuredClaim(ClaimBase):
    """A measured figure (PLQY, a PL drop, a particle size, Mn and dispersity of a polymer):
    recorded with its conditions and unit, not recomputable."""

    kind: Literal["measured"]
    quantity: str = Field(description="What was measured, e.g. 'solid-state PLQY', "
                          "'TEM diameter', 'Mn (GPC)', 'dispersity'")
    reported: MeasuredValue
    batches: int | None = Field(None, ge=1, le=10**6)
    repeats: int | None = Field(None, ge=1, le=10**6)
    sample: ProductRef | None = None


Claim = Annotated[
    RatioClaim | TurnoverNumberClaim | TurnoverFrequencyClaim | YieldClaim | MeasuredClaim,
    Field(discriminator="kind"),
]
