"""The closed vocabulary of step actions; each action has its own typed fields.

A step names materials, vessels, equipment and products by id. Every step may carry a free-text
``note``, an ``assumed`` reason where the source is silent, and a ``when`` condition.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from benchsheet.model.common import (
    EquipmentRef,
    Identifier,
    MaterialRef,
    Model,
    ProductRef,
    VesselRef,
    When,
)
from benchsheet.quantity_types import (
    CentrifugeSpeed,
    Duration,
    FlowRate,
    Length,
    Mass,
    Pressure,
    RotationalSpeed,
    Temperature,
    Volume,
)

# "hydrogen" for a flask kept under H2 (a balloon or a hydrogenation line); the H2 itself is a
# material with a gas supply, as for any reactant gas.
Atmosphere = Literal["air", "argon", "nitrogen", "hydrogen", "vacuum", "CO", "CO2"]
Stirring = RotationalSpeed | Literal["none", "gentle", "moderate", "vigorous", "magnetic"]


class StepBase(Model):
    id: Identifier | None = Field(None, description="Optional id other steps can refer to")
    using: list[EquipmentRef] = Field(
        [], description="Equipment the step is done with (Schlenk line, glovebox, shaker, "
        "lamp), besides a centrifuge's rotor or a measurement's instrument",
    )
    note: str | None = None
    assumed: str | None = Field(None, description="What the protocol assumes here, and why")
    when: When = True


class Add(StepBase):
    """Charge materials into a vessel."""

    action: Literal["add"]
    materials: list[MaterialRef] = Field(min_length=1)
    to: VesselRef
    temperature: Temperature | None = None
    atmosphere: Atmosphere | None = None
    dropwise: bool = False


class Dissolve(StepBase):
    """Dissolve solids in a solvent (all listed materials end up in the vessel)."""

    action: Literal["dissolve"]
    materials: list[MaterialRef] = Field(min_length=1)
    solvent: MaterialRef
    vessel: VesselRef
    temperature: Temperature | None = None


class Heat(StepBase):
    """Bring a vessel to a temperature and keep it there (``hold`` is the same at constant T)."""

    action: Literal["heat", "hold"]
    vessel: VesselRef
    temperature: Temperature
    duration: Duration | None = None
    stirring: Stirring | None = None
    atmosphere: Atmosphere | None = None
    product: ProductRef | None = Field(None, description="What forms in this step, if anything")
    reflux: bool = Field(
        False, description="Heated at reflux under a condenser: what boils runs back, so the "
        "liquid stays at its boiling point and the temperature is the bath's or block's",
    )


class Stir(StepBase):
    """Stir at a temperature for a time."""

    action: Literal["stir"]
    vessel: VesselRef
    duration: Duration
    temperature: Temperature | None = None
    stirring: Stirring = "magnetic"
    atmosphere: Atmosphere | None = None
    product: ProductRef | None = None


class Cool(StepBase):
    """Cool a vessel to a temperature, in a bath or in air."""

    action: Literal["cool"]
    vessel: VesselRef
    temperature: Temperature
    method: Literal["ambient", "ice bath", "water bath", "dry ice", "liquid nitrogen"] = "ambient"


class Quench(StepBase):
    """Stop a reaction by sudden cooling in a bath (the paper's 'cooled with an ice bath')."""

    action: Literal["quench"]
    vessel: VesselRef
    bath: Literal["ice", "ice-water", "dry ice/acetone", "liquid nitrogen"] = "ice"
    temperature: Temperature | None = None


class Bubble(StepBase):
    """Pass a gas through a liquid (a continuous feed, not a closed charge)."""

    action: Literal["bubble"]
    gas: MaterialRef
    into: VesselRef
    duration: Duration
    temperature: Temperature | None = None
    flow_rate: FlowRate | None = None


class Pressurize(StepBase):
    """Charge a closed vessel with a gas to a pressure."""

    action: Literal["pressurize"]
    vessel: VesselRef
    gas: MaterialRef
    pressure: Pressure


class Vent(StepBase):
    """Release the gas of a closed vessel (in a fume hood)."""

    action: Literal["vent"]
    vessel: VesselRef
    gas: MaterialRef | None = None


class Inject(StepBase):
    """Move the contents of one vessel into another (by syringe or cannula)."""

    action: Literal["inject", "transfer"]
    source: VesselRef = Field(alias="from")
    into: VesselRef
    temperature: Temperature | None = None
    rate: FlowRate | None = None
    leave: list[MaterialRef] = Field(
        [], description="Materials that stay behind: a drained aqueous layer, a drying agent "
        "filtered off; default: everything moves",
    )


class Centrifuge(StepBase):
    """Spin down a suspension; keep the pellet or the supernatant."""

    action: Literal["centrifuge"]
    vessel: VesselRef | None = None
    speed: CentrifugeSpeed
    duration: Duration | None = None
    rotor: EquipmentRef | None = Field(None, description="The centrifuge, for its rotor radius")
    rotor_radius: Length | None = None
    temperature: Temperature | None = None
    keep: Literal["pellet", "supernatant"] = "pellet"


class Wash(StepBase):
    """Wash a solid with a solvent n times (redisperse, spin, discard the supernatant)."""

    action: Literal["wash"]
    solvent: MaterialRef
    times: int = Field(ge=1, le=100)
    volume: Volume | None = Field(None, description="Solvent per wash")
    vessel: VesselRef | None = None
    speed: CentrifugeSpeed | None = None
    duration: Duration | None = None
    rotor: EquipmentRef | None = None


class Dry(StepBase):
    """Dry a solid or film."""

    action: Literal["dry"]
    method: Literal["ambient", "vacuum", "oven", "nitrogen stream", "freeze-dry"]
    temperature: Temperature | None = None
    duration: Duration | None = None
    pressure: Pressure | None = None


class Redisperse(StepBase):
    """Take up a solid in a solvent."""

    action: Literal["redisperse"]
    solvent: MaterialRef
    volume: Volume | None = None
    vessel: VesselRef | None = None


class DropCast(StepBase):
    """Drop-cast a dispersion onto a substrate and let it dry."""

    action: Literal["drop-cast"]
    onto: str = Field(description="The substrate, e.g. 'glass slide'")
    volume: Volume | None = None
    drying: Literal["ambient", "vacuum", "spin"] = "ambient"


class Irradiate(StepBase):
    """Expose a sample to light: wavelength, bandwidths, dwell and total time."""

    action: Literal["irradiate"]
    wavelength: Length
    excitation_bandwidth: Length | None = None
    emission_bandwidth: Length | None = None
    emission_wavelength: Length | None = None
    dwell: Duration | None = None
    duration: Duration | None = None
    atmosphere: Atmosphere | None = None
    instrument: EquipmentRef | None = None


class Measure(StepBase):
    """Take a sample and measure it; ``records`` names what is read off."""

    action: Literal["measure"]
    technique: str = Field(description="1H NMR, PLQY, UV-vis, TEM, HAADF-STEM EDS, ICP-AES, ...")
    sample: str | None = None
    sample_volume: Volume | None = None
    sample_mass: Mass | None = None
    instrument: EquipmentRef | None = None
    records: list[str] = []
    repeats: int = Field(1, ge=1)


class Filter(StepBase):
    """Filter, keeping the filtrate or the solid."""

    action: Literal["filter"]
    keep: Literal["solid", "filtrate"] = "solid"
    vessel: VesselRef | None = None


class Repeat(StepBase):
    """Run a block of steps n times (a recycling test, repeated washes)."""

    action: Literal["repeat"]
    times: int = Field(ge=1, le=1000)
    steps: list[Step] = Field(min_length=1)


Step = Annotated[
    Add | Dissolve | Heat | Stir | Cool | Quench | Bubble | Pressurize | Vent | Inject
    | Centrifuge | Wash | Dry | Redisperse | DropCast | Irradiate | Measure | Filter | Repeat,
    Field(discriminator="action"),
]

Repeat.model_rebuild()

# Every action a step may name; the CLI's help and the explain text list these.
ACTIONS: tuple[str, ...] = (
    "add", "dissolve", "heat", "hold", "stir", "cool", "quench", "bubble", "pressurize", "vent",
    "inject", "transfer", "centrifuge", "wash", "dry", "redisperse", "drop-cast", "irradiate",
    "measure", "filter", "repeat",
)
