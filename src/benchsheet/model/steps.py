"""The closed vocabulary of step actions; each action has its own typed fields.

A step names materials, vessels, equipment and products by id. Every step may carry a free-text
``note``, an ``assumed`` reason where the source is silent, and a ``when`` condition.
"""

from __future__ import annotations

import math
from fractions import Fraction as Ratio
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, ConfigDict, Field, PlainSerializer, model_validator

from benchsheet.model.common import (
    Atmosphere,
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
    ContentsAmount,
    Duration,
    FlowRate,
    Length,
    Mass,
    MaterialAmount,
    Pressure,
    RotationalSpeed,
    Temperature,
    Volume,
)

Stirring = RotationalSpeed | Literal["none", "gentle", "moderate", "vigorous", "magnetic"]


def _portion_fraction(value: Any) -> float | str:
    """A share of what there is: 0.5, '1/3', '25 %', or 'rest' (whatever is left)."""
    if isinstance(value, bool):
        raise ValueError("a fraction is a number, 'a/b', 'n %' or 'rest'")
    if value == "rest":
        return "rest"
    try:
        if isinstance(value, str) and value.strip().endswith("%"):
            number = float(value.strip()[:-1]) / 100
        else:
            number = float(Ratio(str(value).replace(" ", "")))
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{value!r} is not a fraction: write 0.5, '1/3', '25 %' or 'rest'"
                         ) from None
    except OverflowError:  # a whole number or ratio past the float range: more than all of it
        number = math.inf
    if not 0 < number <= 1:
        raise ValueError(f"{value!r}: a portion is more than 0 and at most all of it (1)")
    return number


PortionFraction = Annotated[
    float | str, BeforeValidator(_portion_fraction),
    PlainSerializer(lambda v: v, return_type=Any),
    Field(json_schema_extra={
        "anyOf": [{"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                  {"type": "string", "pattern": r"^\s*(rest|\d+\s*/\s*\d+|\d+(\.\d*)?\s*%)\s*$"}],
    }, description="0.5, '1/3', '25 %' or 'rest' (what is left)"),
]


class Portion(Model):
    """Part of a material: a stated amount of it, or a fraction of its total."""

    material: MaterialRef
    amount: MaterialAmount | None = Field(None, description="How much of it this step uses")
    fraction: PortionFraction | None = Field(None, description="Or which share of its total")

    @model_validator(mode="after")
    def _one_size(self) -> Portion:
        if (self.amount is None) == (self.fraction is None):
            raise ValueError("a portion gives either 'amount' or 'fraction'")
        return self


# A material as a step charges it: all of it (its id), or a portion.
Charge = MaterialRef | Portion


def charged_id(charge: Charge) -> str:
    """The material id of a charge, whole or portion."""
    return charge if isinstance(charge, str) else charge.material


EndPointCondition = Literal[
    "colourless", "colour change", "dissolved", "initiation", "pH", "gas evolution stops",
    "precipitate", "clear", "consumed", "temperature", "observation",
]
# Conditions whose end point needs a value: the pH to reach, the temperature, the observation.
_NEEDS_VALUE = frozenset({"pH", "temperature", "observation"})


class EndPoint(Model):
    """Go on until something is seen or measured, for at most ``longest``."""

    condition: EndPointCondition
    value: str | None = Field(None, description="The pH to reach ('2', '< 3'), the temperature, "
                              "or the observation in words")
    longest: Duration | None = Field(None, description="The longest time to wait for it")

    @model_validator(mode="after")
    def _value_when_needed(self) -> EndPoint:
        if self.condition in _NEEDS_VALUE and not self.value:
            raise ValueError(f"until {self.condition}: say the value ('value: ...')")
        return self


def _end_point(value: Any) -> Any:
    """``until: dissolved`` is short for ``until: {condition: dissolved}``."""
    return {"condition": value} if isinstance(value, str) else value


def _shorthand_in_schema(schema: dict[str, Any]) -> None:
    """The JSON Schema says what the model accepts: the object, or a condition's name."""
    options = schema.get("anyOf")
    if isinstance(options, list):
        options.insert(1, {"type": "string", "enum": sorted(
            set(get_args(EndPointCondition)) - _NEEDS_VALUE)})


Until = Annotated[EndPoint, BeforeValidator(_end_point)]


class StepBase(Model):
    id: Identifier | None = Field(None, description="Optional id other steps can refer to")
    using: list[EquipmentRef] = Field(
        [], description="Equipment the step is done with (Schlenk line, glovebox, shaker, "
        "lamp), besides a centrifuge's rotor or a measurement's instrument",
    )
    note: str | None = None
    assumed: str | None = Field(None, description="What the protocol assumes here, and why")
    when: When = True


class TimedStep(StepBase):
    """A step that takes time: how long, and the end point that ends it."""

    over: Duration | None = Field(None, description="Done over this time (an addition, a ramp)")
    until: Until | None = Field(None, description="Go on until this end point ('dissolved', "
                                "{condition: pH, value: '2'}), for at most 'longest'",
                                json_schema_extra=_shorthand_in_schema)


class Add(TimedStep):
    """Charge materials (all of each, or a portion) into a vessel."""

    action: Literal["add"]
    materials: list[Charge] = Field(min_length=1, description="Material ids (all of it) or "
                                    "portions {material: id, amount: 1 mL | fraction: 1/2}")
    to: VesselRef
    temperature: Temperature | None = None
    atmosphere: Atmosphere | None = None
    dropwise: bool = False
    rate: FlowRate | None = Field(None, description="Addition rate, e.g. '0.5 mL/min'")
    keep_below: Temperature | None = Field(
        None, description="Internal temperature the addition must not exceed; slow down if it "
        "rises")

    @property
    def material_ids(self) -> list[str]:
        return [charged_id(c) for c in self.materials]


class Dissolve(TimedStep):
    """Dissolve solids in a solvent (all listed materials end up in the vessel, dissolved)."""

    action: Literal["dissolve"]
    materials: list[Charge] = Field(min_length=1)
    solvent: MaterialRef
    vessel: VesselRef
    temperature: Temperature | None = None

    @property
    def material_ids(self) -> list[str]:
        return [charged_id(c) for c in self.materials]


class Heat(TimedStep):
    """Bring a vessel to a temperature and keep it there (``hold`` is the same at constant T;
    ``warm`` is a controlled warm-up, usually from a cold bath to room temperature)."""

    action: Literal["heat", "hold", "warm"]
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


class Stir(TimedStep):
    """Stir at a temperature for a time, or until an end point."""

    # The schema says it too: a stir step has a duration or an end point.
    model_config = ConfigDict(**Model.model_config, json_schema_extra={
        "anyOf": [{"required": ["duration"]}, {"required": ["until"]}]})

    action: Literal["stir"]
    vessel: VesselRef
    duration: Duration | None = Field(None, description="How long; required unless 'until' "
                                      "says when to stop")
    temperature: Temperature | None = None
    stirring: Stirring = "magnetic"
    atmosphere: Atmosphere | None = None
    product: ProductRef | None = None

    @model_validator(mode="after")
    def _how_long(self) -> Stir:
        if self.duration is None and self.until is None:
            raise ValueError("say how long to stir: 'duration', or 'until' an end point")
        return self


class Cool(TimedStep):
    """Cool a vessel to a temperature, in a bath or in air, and keep it there for
    ``duration`` if given (a crystallisation left in ice for 10 min)."""

    action: Literal["cool"]
    vessel: VesselRef
    temperature: Temperature
    method: Literal["ambient", "ice bath", "water bath", "dry ice", "liquid nitrogen"] = "ambient"
    duration: Duration | None = Field(None, description="How long it is kept at the temperature "
                                      "once there, e.g. '10 min' in an ice bath")


class Quench(StepBase):
    """Stop a reaction by sudden cooling in a bath (the paper's 'cooled with an ice bath')."""

    action: Literal["quench"]
    vessel: VesselRef
    bath: Literal["ice", "ice-water", "dry ice/acetone", "liquid nitrogen"] = "ice"
    temperature: Temperature | None = None


class Bubble(TimedStep):
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


class Inject(TimedStep):
    """Move the contents of one vessel, or a portion of them, into another (by syringe or
    cannula)."""

    action: Literal["inject", "transfer"]
    source: VesselRef = Field(alias="from")
    into: VesselRef
    temperature: Temperature | None = None
    dropwise: bool = Field(False, description="Drop by drop (a pipette, a dropping funnel), "
                           "as for add")
    rate: FlowRate | None = None
    keep_below: Temperature | None = Field(
        None, description="Internal temperature of the receiving vessel not to exceed")
    leave: list[MaterialRef] = Field(
        [], description="Materials that stay behind: a drained aqueous layer, a drying agent "
        "filtered off; default: everything moves",
    )
    amount: ContentsAmount | None = Field(
        None, description="Only this volume (or mass) of the contents moves, e.g. 1 mL of a "
        "stock: every material in it moves in that proportion")
    fraction: PortionFraction | None = Field(
        None, description="Only this share of the contents moves ('1/2', '25 %')")

    @model_validator(mode="after")
    def _one_portion(self) -> Inject:
        if self.amount is not None and self.fraction is not None:
            raise ValueError("give 'amount' or 'fraction' of the contents, not both")
        return self


class Separation(StepBase):
    """A step that splits a vessel's contents into liquid and solid and keeps one part."""

    into: VesselRef | None = Field(None, description="Where the kept part goes, if it moves "
                                   "(a filtrate or supernatant into a flask); default: it "
                                   "stays in 'vessel'")
    rest_to: VesselRef | None = Field(None, description="Where the part not kept goes; "
                                      "default: waste")
    solid: list[MaterialRef] = Field(
        [], description="Materials in the solid besides the default (what is neither liquid "
        "nor dissolved), e.g. a salt that precipitated")


class Centrifuge(Separation):
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


class Filter(Separation):
    """Filter (or decant), keeping the filtrate or the solid; the other part goes to waste or
    to ``rest_to``. The liquid part is every liquid and what is dissolved in it; the solid part
    is the rest, with the products formed so far."""

    action: Literal["filter", "decant"]
    keep: Literal["solid", "filtrate", "liquid"] = "solid"
    vessel: VesselRef | None = None


class Recrystallize(StepBase):
    """Dissolve a solid in a hot solvent, cool it to crystallise, filter off the crystals; the
    mother liquor goes to waste (or ``rest_to``)."""

    action: Literal["recrystallize"]
    vessel: VesselRef
    solvent: MaterialRef
    temperature: Temperature = Field(description="Where it is dissolved (often the solvent's "
                                     "boiling point, under a condenser)")
    cool_to: Temperature = Field(description="Where it is crystallised (room temperature, an "
                                 "ice bath)")
    rest_to: VesselRef | None = None


class Seal(StepBase):
    """Close a vessel (stopper, septum without a needle, screw cap): from here it holds
    pressure, and the gas it holds is the atmosphere it had."""

    action: Literal["seal"]
    vessel: VesselRef
    atmosphere: Atmosphere | None = Field(None, description="The gas sealed in; default: the "
                                          "vessel's atmosphere")


class Open(StepBase):
    """Open a sealed vessel, to air or to an inert-gas line."""

    action: Literal["open"]
    vessel: VesselRef
    to: Literal["air", "argon", "nitrogen"] = Field("air", description="What it is open to")


class Evacuate(StepBase):
    """Evacuate a vessel on a vacuum line and backfill it, ``cycles`` times; it stays on the
    gas line (vented, no air) unless the backfill is 'vacuum'."""

    action: Literal["evacuate"]
    vessel: VesselRef
    cycles: int = Field(3, ge=1, le=20)
    backfill: Literal["argon", "nitrogen", "vacuum"] = "argon"


class FreezePumpThaw(StepBase):
    """Degas a liquid: freeze, pump, thaw, ``cycles`` times; the vessel is left sealed under
    the backfill gas at about 1 atm, or under vacuum."""

    action: Literal["freeze-pump-thaw"]
    vessel: VesselRef
    cycles: int = Field(3, ge=1, le=20)
    backfill: Literal["argon", "nitrogen", "vacuum"] = "vacuum"


Layer = Literal["organic", "aqueous"]


class Extract(StepBase):
    """Liquid-liquid extraction in a separatory funnel: shake with ``times`` portions of a
    solvent, let the layers separate, keep one layer.

    The same action washes an organic layer with aqueous portions (water, bicarbonate, brine:
    ``keep: organic``) and extracts a product out of an aqueous layer (ethyl acetate portions,
    ``keep: organic``, combined ``into`` a flask). As for ``wash``, the solvent material's
    amount is one portion, or all of them when the step states the ``volume`` of one.

    Contents: one portion of the solvent is added to the funnel (the stated ``volume``, else
    the amount); when the solvent is not in ``leave``, the kept layers of all ``times``
    portions end up together where the kept layer goes. The materials in ``leave`` go with
    the other layer: with ``into`` the kept layer (everything else) moves there and they stay
    in the funnel, as ``transfer`` with ``leave``; without ``into`` the kept layer stays and
    they are drained off. Which material ends up in which layer is never guessed: without
    ``leave`` nothing is drained, so the funnel's contents are an upper bound.
    """

    action: Literal["extract"]
    source: VesselRef = Field(alias="from", description="The separatory funnel")
    solvent: MaterialRef = Field(description="The solvent of each portion (its amount is one "
                                 "portion, or all of them when the step states the volume "
                                 "of one, as for wash)")
    times: int = Field(ge=1, le=100, description="Number of portions")
    volume: Volume | None = Field(None, description="Solvent per portion")
    keep: Layer = Field(description="The layer kept: 'organic' or 'aqueous'")
    into: VesselRef | None = Field(None, description="Where the kept layer (the combined "
                                   "layers) goes; default: it stays in the funnel")
    leave: list[MaterialRef] = Field(
        [], description="Materials that go with the other layer: they stay in the funnel when "
        "the kept layer moves into another vessel, and are drained off when it stays; "
        "default: none (nothing is drained)",
    )


class Evaporate(StepBase):
    """Remove volatile solvents from a vessel: on a rotary evaporator, in a stream of
    nitrogen, or under vacuum.

    Contents: the listed ``solvents`` (default: every material in the vessel with role
    solvent or wash) boil off on purpose and leave the vessel; the residue stays. The step's
    temperature is the bath's; afterwards the flask is off the bath, at ambient temperature.
    """

    action: Literal["evaporate"]
    vessel: VesselRef
    method: Literal["rotary evaporator", "nitrogen stream", "vacuum"] = "rotary evaporator"
    solvents: list[MaterialRef] = Field(
        [], description="What is evaporated; default: the vessel's solvents and washes "
        "(materials with role solvent or wash)",
    )
    temperature: Temperature | None = Field(None, description="Bath temperature")
    pressure: Pressure | None = Field(None, description="Pressure in the apparatus (e.g. "
                                      "'150 mbar abs')")
    duration: Duration | None = None


class Distill(StepBase):
    """Distil from a pot, collecting one fraction by its boiling range (one step per fraction).

    The heating is the point: whatever boils in the pot boils on purpose. The pot is at the
    stated ``temperature`` (bath or block), else at least the top of the ``collect`` range;
    afterwards the heating is off and it is taken as ambient. Contents: the materials named
    in ``fraction`` distil over into ``into`` (or out of the pot, if no receiver is named);
    everything else stays in the pot. A product is no material: a product fraction is
    described by its boiling range, and its amount is what the sheet's blanks record.
    """

    action: Literal["distill"]
    source: VesselRef = Field(alias="from", description="The distillation pot")
    collect: Temperature = Field(description="Boiling range (head temperature) of the fraction "
                                 "collected, e.g. '134-143 degC', at the stated pressure")
    pressure: Pressure | None = Field(None, description="Pressure in the apparatus for a "
                                      "vacuum distillation (e.g. '20 mbar abs'); default: "
                                      "atmospheric")
    temperature: Temperature | None = Field(None, description="Bath or heating-block "
                                            "temperature")
    into: VesselRef | None = Field(None, description="The receiver the fraction is collected in")
    fraction: list[MaterialRef] = Field(
        [], description="Materials (declared ones) that distil over with the fraction and "
        "move into the receiver; default: none tracked",
    )


class Chromatograph(StepBase):
    """Purify by column chromatography: the contents of ``vessel`` (if named) are loaded on
    the stationary phase and eluted. Contents are not tracked through the column."""

    action: Literal["chromatograph"]
    method: Literal["column", "flash", "preparative TLC"] = "column"
    stationary_phase: str = Field(description="e.g. 'silica gel 60 (40-63 µm)', 'alumina'")
    eluent: list[MaterialRef] | str = Field(
        description="The declared solvent materials of the eluent (checked as references), "
        "or free text such as 'hexane/EtOAc 9:1 to 4:1'",
    )
    vessel: VesselRef | None = Field(None, description="The vessel whose contents are loaded")


class Repeat(StepBase):
    """Run a block of steps n times (a recycling test, repeated washes)."""

    action: Literal["repeat"]
    times: int = Field(ge=1, description="Cycles; at most the repeat-cycles limit (SC109)")
    steps: list[Step] = Field(min_length=1)


Step = Annotated[
    Add | Dissolve | Heat | Stir | Cool | Quench | Bubble | Pressurize | Vent | Inject
    | Centrifuge | Wash | Dry | Redisperse | DropCast | Irradiate | Measure | Filter | Extract
    | Evaporate | Distill | Chromatograph | Recrystallize | Seal | Open | Evacuate
    | FreezePumpThaw | Repeat,
    Field(discriminator="action"),
]

Repeat.model_rebuild()

# Every action a step may name; the CLI's help and the explain text list these.
ACTIONS: tuple[str, ...] = (
    "add", "dissolve", "heat", "hold", "warm", "stir", "cool", "quench", "bubble", "pressurize",
    "vent", "inject", "transfer", "centrifuge", "wash", "dry", "redisperse", "drop-cast",
    "irradiate", "measure", "filter", "decant", "extract", "evaporate", "distill",
    "chromatograph", "recrystallize", "seal", "open", "evacuate", "freeze-pump-thaw", "repeat",
)
