"""Reported figures as claims with their inputs, so the validator can recompute them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from benchsheet import units
from benchsheet.model.common import ClaimRef, MaterialRef, Model, ProductRef, When
from benchsheet.model.product import LigandShell
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


# What one turnover is counted per. "cluster": per cluster, its moles from the mass of its
# core (the catalyst's formula); "cluster-with-shell": per cluster, its moles from core plus
# ligand shell; "molecule": per molecule of a molecular catalyst; "metal-atom": per metal atom
# of the catalyst unit; "active-site": per active site (``sites_per_unit`` of them per unit).
TurnoverBasis = Literal["cluster", "cluster-with-shell", "molecule", "metal-atom",
                        "active-site"]


class TurnoverNumberClaim(ClaimBase):
    """TON: moles of substrate converted per mole of catalyst units (clusters, metal atoms)."""

    kind: Literal["turnover-number"]
    substrate: MaterialRef
    catalyst: MaterialRef
    conversion: Fraction | None = Field(
        None, description="Fraction of the substrate converted, where the source gives it; "
        "without it the check reports the conversion the TON needs")
    catalyst_molar_mass: MolarMass | None = Field(
        None,
        description="Per catalyst unit (one cluster, one molecule): default: from the "
        "catalyst's formula",
    )
    basis: TurnoverBasis | None = Field(
        None, description="What one turnover is counted per; a TON without it cannot be read")
    sites_per_unit: Fraction | None = Field(
        None, description="Active sites (basis active-site) or metal atoms (where the formula "
        "cannot say) per catalyst unit")
    catalyst_shell: LigandShell | None = Field(
        None, description="The ligand shell of one catalyst unit, so the TON is also judged "
        "with the shell's mass counted")
    duration: Duration
    reported: Fraction

    @field_validator("duration")
    @classmethod
    def _duration_above_zero(cls, duration: Measured) -> Measured:
        """A turnover frequency is the TON divided by this reaction time: a time of 0 (or a
        range reaching 0) counts turnovers over no time at all."""
        if duration.low <= 0:
            raise PydanticCustomError(
                "greater_than", "duration: {value} reaches 0; a turnover number is counted "
                "over a reaction time above 0, which its TOF is divided by",
                {"value": str(duration), "gt": 0})
        return duration


class TurnoverFrequencyClaim(ClaimBase):
    """TOF: a TON claim divided by its reaction time, per hour."""

    kind: Literal["turnover-frequency"]
    turnover_number: ClaimRef
    reported_per_hour: Fraction
    time_resolved: str | None = Field(
        None, description="How an initial (time-resolved) rate was measured, e.g. 'conversion "
        "by NMR at 5, 10 and 15 min, initial slope'; without it the TOF is an average, the TON "
        "over the whole reaction time")


class YieldClaim(ClaimBase):
    """An isolated yield against the theoretical yield of a product."""

    kind: Literal["yield"]
    product: ProductRef
    reported: Fraction
    basis: Literal["core", "with-shell"] | None = Field(
        None, description="Whether the theoretical mass counts the product's ligand shell "
        "(or end groups); needed when the product declares a shell")


class ConversionClaim(ClaimBase):
    """A conversion of a substrate as reported: the other reactants must allow it."""

    kind: Literal["conversion"]
    substrate: MaterialRef
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
    per_cluster: bool = Field(
        False, description="The figure is a property of single clusters (one dopant's "
        "emission, dopant–dopant coupling): the spread of dopant atoms over the sample's "
        "clusters is printed with it")


Claim = Annotated[
    RatioClaim | TurnoverNumberClaim | TurnoverFrequencyClaim | YieldClaim | ConversionClaim
    | MeasuredClaim,
    Field(discriminator="kind"),
]
