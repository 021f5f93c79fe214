"""Pieces every part of the protocol model shares: the base model, identifiers, references."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# "hydrogen" for a flask kept under H2 (a balloon or a hydrogenation line); the H2 itself is a
# material with a gas supply, as for any reactant gas.
Atmosphere = Literal["air", "argon", "nitrogen", "hydrogen", "vacuum", "CO", "CO2"]

RefKind = Literal["materials", "vessels", "equipment", "products", "steps", "claims"]


@dataclass(frozen=True)
class RefTo:
    """Field metadata: this string names an entry of the protocol's ``kind`` section."""

    kind: RefKind


class Model(BaseModel):
    """Base of every protocol model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# A protocol's id: also what another protocol's ``made_by`` names to say it uses its product.
ProtocolId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_.+-]*$", max_length=64),
    Field(description="A name other parts of the protocol refer to: letters, digits, _ . + -"),
]


def ref(kind: RefKind, description: str = "") -> object:
    """A field holding the id of a material, vessel, equipment, product, step or claim."""
    return Field(
        description=description or f"The id of an entry under '{kind}'",
        json_schema_extra={"x-ref": kind},
    )


MaterialRef = Annotated[str, RefTo("materials"), ref("materials")]
VesselRef = Annotated[str, RefTo("vessels"), ref("vessels")]
EquipmentRef = Annotated[str, RefTo("equipment"), ref("equipment")]
ProductRef = Annotated[str, RefTo("products"), ref("products")]
StepRef = Annotated[str, RefTo("steps"), ref("steps")]
ClaimRef = Annotated[str, RefTo("claims"), ref("claims")]

# A condition on a parameter (``"${x > 0}"``) before variants are expanded; a bool after.
When = Annotated[
    bool | str,
    Field(description="Include this entry only when the condition holds, e.g. '${x > 0}'"),
]
