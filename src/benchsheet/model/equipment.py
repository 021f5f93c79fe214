"""Vessels and equipment the steps use."""

from __future__ import annotations

from pydantic import Field

from benchsheet.model.common import Atmosphere, Model, When
from benchsheet.quantity_types import Length, Pressure, RotationalSpeed, Temperature, Volume


class Vessel(Model):
    """A container: its nominal volume bounds the headspace and the fill fraction."""

    kind: str = Field(description="round-bottom flask, vial, Parr reactor, centrifuge tube, ...")
    volume: Volume | None = Field(None, description="Nominal (total) volume")
    count: int = Field(
        1, ge=1, le=1000,
        description="Identical vessels the contents are shared between (two 50 mL centrifuge "
        "tubes: volume 50 mL, count 2); fill fractions and headspace use count × volume",
    )
    closed: bool = Field(False, description="Sealed from the first step (until an 'open' "
                         "step); seal/open steps change it")
    atmosphere: Atmosphere = Field("air", description="What its headspace holds before any "
                                   "step changes it; argon or nitrogen on an open vessel means "
                                   "under a gas line or balloon (vented, no air)")
    pressure_rating: Pressure | None = None
    temperature_rating: Temperature | None = None
    material: str | None = None
    assumed: str | None = None
    note: str | None = None
    when: When = True

    def capacity_mL(self) -> float | None:
        """What all ``count`` vessels hold together, in mL; None when no volume is given, or
        none that a vessel can have (zero or less: EQ105 says so)."""
        if self.volume is None or self.volume.to("mL") <= 0:
            return None
        return self.count * self.volume.to("mL")


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
