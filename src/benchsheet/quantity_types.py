"""Pydantic field types for quantities, one per dimension.

Each type validates a string into a ``Measured`` and publishes the same rule in its JSON Schema
(``x-dimension`` and a pattern of the accepted unit spellings), so an editor using the schema and
the Python model agree on what a field accepts.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from benchsheet import units
from benchsheet.units import Dimension, Measured, QuantityError

_NUMBER = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"
_ECMA_SYNTAX = frozenset("^$\\.*+?()[]{}|/")


def _regex_escape(text: str) -> str:
    """Escape for both Python and ECMA-262 regexes.

    ``re.escape`` also escapes the space (``x\\ g``), which ECMA-262 in unicode mode refuses as
    an identity escape, so check-jsonschema would reject the whole schema; escape only the
    characters both dialects treat as syntax.
    """
    return "".join("\\" + c if c in _ECMA_SYNTAX else c for c in text)


class QuantityField:
    """Annotation marker: the field holds a quantity of one of ``dimensions``."""

    reference_optional = False  # a pressure must say gauge or absolute

    def __init__(self, *dimensions: Dimension) -> None:
        self.dimensions = dimensions
        self._ids = tuple(map(id, dimensions))  # parse_quantity's key, worked out once

    def validate(self, value: Any) -> Measured:
        if isinstance(value, Measured):
            if any(d.name == value.dimension for d in self.dimensions):
                return value
            value = str(value)
        try:
            return units.parse_quantity(value, self.dimensions, self._ids)
        except QuantityError as exc:
            raise PydanticCustomError(
                f"quantity_{exc.kind}", "{message}", {"message": exc.message, "hint": exc.hint}
            ) from None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            self.validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                units.format_measured, when_used="always"
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        spellings = sorted(
            {s for d in self.dimensions for s in d.units}, key=lambda s: (-len(s), s)
        )
        unit_alt = "|".join(_regex_escape(s) for s in spellings if s)
        with_reference = any(d is units.PRESSURE for d in self.dimensions)
        unit_part = rf"\s*({unit_alt})"
        if with_reference:
            # As units._split_reference reads it: a spaced word, a '(g)'/'(a)' with or without
            # a space, or one of the glued spellings psig, psia, barg, bara.
            optional = "?" if self.reference_optional else ""
            unit_part = (rf"\s*(({unit_alt})(\s+(gauge|absolute|abs|\(g\)|\(a\)|g|a)"
                         rf"|\s*\(g\)|\s*\(a\)){optional}|psig|psia|barg|bara)")
        if any("" in d.units for d in self.dimensions):
            unit_part = f"({unit_part})?"
        pattern = (
            rf"^\s*(~|≈|ca\.\s*)?(<=|>=|≤|≥|<|>)?\s*{_NUMBER}"
            rf"(\s*(–|—|-|to|±|\+/-)\s*{_NUMBER})?{unit_part}\s*$"
        )
        names = [d.name for d in self.dimensions]
        desc = " or ".join(d.label for d in self.dimensions)
        string_schema: JsonSchemaValue = {
            "type": "string",
            "pattern": pattern,
            "x-dimension": names if len(names) > 1 else names[0],
            "description": f"{desc[0].upper()}{desc[1:]}, as a number and unit",
            "examples": [d.example for d in self.dimensions],
        }
        # Before variants are expanded a quantity may be a template such as "${1.5 * x} mmol".
        template: JsonSchemaValue = {"type": "string", "pattern": r"\$\{[^}]+\}"}
        if any("" in d.units for d in self.dimensions):
            return {"anyOf": [string_schema, {"type": "number"}, template]}
        return {"anyOf": [string_schema, template]}


Mass = Annotated[Measured, QuantityField(units.MASS)]
Volume = Annotated[Measured, QuantityField(units.VOLUME)]
AmountOfSubstance = Annotated[Measured, QuantityField(units.AMOUNT)]
MolarConcentration = Annotated[Measured, QuantityField(units.MOLAR_CONCENTRATION)]
MassConcentration = Annotated[Measured, QuantityField(units.MASS_CONCENTRATION)]
Concentration = Annotated[
    Measured, QuantityField(units.MOLAR_CONCENTRATION, units.MASS_CONCENTRATION)
]
Density = Annotated[Measured, QuantityField(units.DENSITY)]
MolarMass = Annotated[Measured, QuantityField(units.MOLAR_MASS)]
Temperature = Annotated[Measured, QuantityField(units.TEMPERATURE)]
TemperatureDifference = Annotated[Measured, QuantityField(units.TEMPERATURE_DIFFERENCE)]
Duration = Annotated[Measured, QuantityField(units.DURATION)]
Pressure = Annotated[Measured, QuantityField(units.PRESSURE)]


class AbsolutePressureField(QuantityField):
    """A pressure that can only be absolute (a vapour pressure): read as absolute unless it
    says gauge."""

    reference_optional = True

    def validate(self, value: Any) -> Measured:
        return super().validate(units.absolute_unless_stated(value))


VapourPressure = Annotated[Measured, AbsolutePressureField(units.PRESSURE)]
FlowRate = Annotated[Measured, QuantityField(units.FLOW_RATE)]
RotationalSpeed = Annotated[Measured, QuantityField(units.ROTATIONAL_SPEED)]
RelativeCentrifugalForce = Annotated[Measured, QuantityField(units.RCF)]
CentrifugeSpeed = Annotated[Measured, QuantityField(units.ROTATIONAL_SPEED, units.RCF)]
Length = Annotated[Measured, QuantityField(units.LENGTH)]
Wavelength = Length
Fraction = Annotated[Measured, QuantityField(units.FRACTION)]
# How much of a material: weighed, measured by volume, or counted in moles.
MaterialAmount = Annotated[Measured, QuantityField(units.AMOUNT, units.MASS, units.VOLUME)]
# How strong a solution is: molarity, mass concentration, mass fraction (w/w) or molality.
SolutionConcentration = Annotated[
    Measured, QuantityField(units.MOLAR_CONCENTRATION, units.MASS_CONCENTRATION,
                            units.MASS_FRACTION, units.MOLALITY)
]
# How much of a vessel's contents a transfer moves: a volume or a mass of them.
ContentsAmount = Annotated[Measured, QuantityField(units.VOLUME, units.MASS)]
