"""Materials: a reagent with an identity, and how much of it a protocol uses."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator
from pydantic_core import PydanticCustomError

from benchsheet.model.common import Identifier, Model, ProtocolId, VesselRef, When
from benchsheet.quantity_types import (
    Density,
    Duration,
    FlowRate,
    Fraction,
    MaterialAmount,
    MolarMass,
    Pressure,
    SolutionConcentration,
    Temperature,
    VapourPressure,
)
from benchsheet.units import Measured

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
    "sample", "quench", "surfactant",
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
    flash_point: Temperature | None = Field(None, description="Closed-cup flash point")
    vapor_pressure: dict[Temperature, VapourPressure] | None = Field(
        None, description="Vapour pressure at two or more temperatures, e.g. {0 degC: 0.246 bar, "
        "25 degC: 0.733 bar} (absolute unless it says gauge)")
    hazards: Hazards | None = None
    description: str | None = None

    @field_validator("vapor_pressure")
    @classmethod
    def _a_curve(cls, curve: dict[Measured, Measured] | None
                 ) -> dict[Measured, Measured] | None:
        """A curve needs two temperatures to interpolate between."""
        if curve is not None and len({t.to("kelvin") for t in curve}) < 2:
            raise PydanticCustomError(
                "too_short", "vapor_pressure: give it at two or more temperatures", {})
        return curve


class GasCharge(Model):
    """A gas charged once into a closed vessel's headspace to a pressure."""

    mode: Literal["charge"]
    pressure: Pressure
    vessel: VesselRef
    temperature: Temperature = Field(description="Temperature at which the vessel is charged")
    replenished: bool = Field(False, description="Is the gas topped up during the reaction?")
    purged: bool | None = Field(
        None, description="Was the vessel's air flushed out with the gas before the charge "
        "(charge-and-vent cycles)? Not stated: the charge is given with and without the air")


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


# Amounts a chemist writes without a number: printed on the sheet, never computed.
NominalAmount = Literal["a crystal", "a few crystals", "a drop", "a few drops", "a spatula tip",
                        "a pinch", "a trace"]


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
        None, description="Mass, volume or moles of everything the protocol uses of it (steps "
        "that use part of it say which part); with 'concentration', the solution's volume or "
        "mass"
    )
    nominal: NominalAmount | None = Field(
        None, description="An amount written without a number ('a crystal', 'a few drops'): "
        "printed, never computed"
    )
    concentration: SolutionConcentration | Literal["saturated"] | None = Field(
        None, description="Strength of a solution of the reagent: molarity ('2.5 M'), mass "
        "concentration ('10 g/L'), mass fraction ('37 %'), molality ('1 mol/kg') or 'saturated'"
    )
    solvent: str | InlineReagent | None = Field(
        None, description="The liquid the reagent is dissolved in (a library reagent or one "
        "written out): it goes wherever the solution goes and takes part in every check"
    )
    density: Density | None = Field(
        None, description="Density of the solution, where its strength is by mass (37 % HCl: "
        "1.18 g/mL) or a molality and the amount is a volume"
    )
    gas: GasSupply | None = None
    role: Role | None = None
    scavenges: Scavenges | None = Field(
        None, description="For a scavenger: the element it removes and how much per mole"
    )
    assumed: str | None = Field(None, description="What the protocol assumes here, and why")
    note: str | None = None
    when: When = True

    @field_validator("purity")
    @classmethod
    def _purity_above_zero(cls, purity: Measured | None) -> Measured | None:
        """The amount of the substance is the mass times the purity, and a mass is worked out
        by dividing by it: a purity of 0 (or a range reaching 0) means nothing, one above
        100 % more substance than was weighed."""
        if purity is not None and purity.low <= 0:
            raise PydanticCustomError(
                "greater_than", "purity: {value} leaves no substance; a purity is above 0",
                {"value": str(purity), "gt": 0})
        if purity is not None and purity.magnitudes("dimensionless")[2] > 1 + 1e-12:
            # An assay above 100 % (a titration's scatter) would count more substance than
            # was weighed: write it as 100 %.
            raise PydanticCustomError(
                "less_than_equal", "purity: {value} is more than all of it; a purity is at "
                "most 100 % (write an assay above 100 % as 100 %)",
                {"value": str(purity), "le": 1})
        return purity

    @model_validator(mode="after")
    def _amount_fits_concentration(self) -> Material:
        if self.nominal is not None and self.amount is not None:
            raise ValueError("give either 'amount' or 'nominal', not both")
        conc = self.concentration
        if conc is None:
            if self.solvent is not None:
                raise ValueError("'solvent' needs 'concentration': how strong the solution is")
            if self.density is not None:
                raise ValueError("'density' is the density of a solution: give 'concentration' "
                                 "and 'solvent' too, or put the reagent's density on the "
                                 "reagent")
            return self
        kind = conc if isinstance(conc, str) else conc.dimension
        amount = None if self.amount is None else self.amount.dimension
        if kind in ("molar_concentration", "mass_concentration", "saturated"):
            if amount != "volume":
                raise ValueError("'concentration' needs 'amount' to be the solution's volume")
        elif amount not in ("volume", "mass"):
            raise ValueError("a mass fraction or molality needs 'amount' as the solution's "
                             "mass or volume")
        elif amount == "volume" and self.density is None:
            raise ValueError("a solution measured by volume whose strength is a mass fraction "
                             "or molality needs the solution's 'density' (37 % HCl: 1.18 g/mL)")
        return self
