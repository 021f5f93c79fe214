"""Vessels and equipment the steps use."""

from __future__ import annotations

from pydantic import Field

from benchsheet.model.common import Model, When
from benchsheet.quantity_types import Length, Pressure, RotationalSpeed, Temperature, Volume


class Vessel(Model):
    """A container: its nominal volume bounds the headspace and the fill fraction."""

    kind: str = Field(description="round-bottom flask, vial, Parr reactor, centrifuge tube, ...")
    volume: Volume | None = Field(None, description="Nominal (total) volume")
    closed: bool = Field(False, description="Sealed during the steps that heat it?")
    pressure_rating: Pressure | None = None
    temperature_rating: Temperature | None = None
    material: str | None = None
    assumed: str | None = None
    note: str | None = None
    when: When = True


class Equipment(Model):
    """An instrument or device: centrifuge, fluorometer, NMR, glovebox, Schlenk line."""

    kind: str
    model: str | None = None
    rotor_radius: Length | None = Field(
        None, description="Centrifuges: radius at the tube bottom, to turn rpm into x g"
    )
    max_speed: RotationalSpeed | None = None
    assumed: str | None = None
    note: str | None = None
    when: When = True
