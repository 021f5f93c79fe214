"""Materials: a reagent with an identity, and how much of it a protocol uses."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from benchsheet.model.common import Identifier, Model, ProtocolId, VesselRef, When
from benchsheet.quantity_types import (
    Concentration,
    Density,
    Duration,
    FlowRate,
    Fraction,
    MaterialAmount,
    MolarMass,
    Pressure,
    Temperature,
)

CAS = Annotated[
    str,
    StringConstraints(pattern=r"^\d{2,7}-\d{2}-\d$"),
    Field(description="CAS Registry Number, e.g. 10108-64-2"),
]
Phase = Literal["solid", "liquid", "gas", "solution", "suspension"]
Role = Literal[
    "precursor", "dopant-precursor", "reactant", "reagent-gas", "ligand", "solvent",
    "scavenger", "reductant", "oxidant", "acid", "base", "additive", "initiator", "catalyst",
    "cocatalyst", "substrate", "wash", "antisolvent", "drying-agent", "atmosphere", "standard",
    "sample",
]


HCode = Annotated[str, StringConstraints(pattern=r"^(H\d{3}[A-Za-z]{0,2}|EUH\d{3})$")]


class Hazards(Model):
    """GHS classification for an inline reagent the library does not know."""

    signal_word: Literal["Danger", "Warning"] | None = None
    h_codes: list[HCode] = []
    pictograms: list[Annotated[str, StringConstraints(pattern=r"^GHS0[1-9]$")]] = []
    source: str | None = None


class InlineReagent(Model):
    """A reagent written out in the protocol instead of taken from the library."""

    name: str
    formula: str | None = Field(None, description="Hill or structural formula, e.g. MnCl2·4H2O")
    cas: CAS | None = None
    abbreviations: list[str] = []
    molar_mass: MolarMass | None = Field(
        None, description="Only where no formula can give it (a polymer, a cluster sample)"
    )
    density: Density | None = None
    density_temperature: Temperature | None = None
    phase: Phase | None = None
    melting_point: Temperature | None = None
    boiling_point: Temperature | None = Field(None, description="Normal boiling point (1 atm)")
    hazards: Hazards | None = None
    description: str | None = None


class GasCharge(Model):
    """A gas charged once into a closed vessel's headspace to a pressure."""

    mode: Literal["charge"]
    pressure: Pressure
    vessel: VesselRef
    temperature: Temperature = Field(description="Temperature at which the vessel is charged")
    replenished: bool = Field(False, description="Is the gas topped up during the reaction?")


class GasFlow(Model):
    """A gas passed continuously through or over a liquid."""

    mode: Literal["flow"]
    flow_rate: FlowRate | None = None
    duration: Duration | None = None


class GasAtmosphere(Model):
    """A gas used only as a blanket (argon, nitrogen): not a reactant."""

    mode: Literal["atmosphere"]


GasSupply = Annotated[GasCharge | GasFlow | GasAtmosphere, Field(discriminator="mode")]


class Scavenges(Model):
    """What a scavenger removes: moles of an element taken up per mole of scavenger."""

    element: str = Field(pattern=r"^[A-Z][a-z]?$")
    per_mole: float = Field(1.0, gt=0, description="e.g. 1 for R3P + Se → R3PSe")


class MadeBy(Model):
    """The protocol whose product this material is: an in-house source instead of a supplier.

    ``benchsheet validate`` follows the link (RF306) when the other protocol is validated in the
    same run; bench sheets print it and ``.eln`` exports point at the other protocol's record.
    """

    protocol: ProtocolId = Field(description="The id of the protocol that makes it")
    variant: str | None = Field(
        None, min_length=1,
        description="Which of its variants: a concrete name such as 'ss[x=0]', or a declared "
        "variant's name for any of its series; omitted: the base protocol (all defaults)",
    )
    product: Identifier | None = Field(
        None, description="The key of the product under that protocol's 'products:'"
    )


class Material(Model):
    """One material the protocol uses: the reagent, its form and grade, and the amount."""

    reagent: str | InlineReagent = Field(
        description="A reagent library id, name, abbreviation or CAS; or the reagent written out"
    )
    form: str | None = Field(None, description="anhydrous, tetrahydrate, solution, ...")
    purity: Fraction | None = None
    grade: str | None = None
    supplier: str | None = None
    made_by: MadeBy | None = Field(
        None, description="The protocol that makes this material, when it is another "
        "protocol's product, e.g. {protocol: ag18-cluster, product: ag18}",
    )
    amount: MaterialAmount | None = Field(
        None, description="Mass, volume or moles; with 'concentration', the solution volume"
    )
    concentration: Concentration | None = None
    gas: GasSupply | None = None
    role: Role | None = None
    scavenges: Scavenges | None = Field(
        None, description="For a scavenger: the element it removes and how much per mole"
    )
    assumed: str | None = Field(None, description="What the protocol assumes here, and why")
    note: str | None = None
    when: When = True

    @model_validator(mode="after")
    def _concentration_needs_volume(self) -> Material:
        if self.concentration is not None and (
            self.amount is None or self.amount.dimension != "volume"
        ):
            raise ValueError("'concentration' needs 'amount' to be the solution's volume")
        return self
