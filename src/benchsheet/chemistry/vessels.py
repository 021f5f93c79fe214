"""What is in each vessel, and at what temperature, at every step.

The steps are walked once in order: additions put materials in a vessel, an injection moves a
vessel's contents into another, a vent lets gases out, and heating steps set the temperature.
Work-up steps: an extraction adds its solvent to the funnel and moves the kept layer on (or
drains the other one) as its ``leave`` says; an evaporation takes its solvents out; a
distillation moves its ``fraction`` into the receiver. Phase, pressure and headspace checks
read these snapshots instead of re-walking the steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchsheet.findings import PathPart
from benchsheet.model.protocol import Protocol
from benchsheet.model.steps import (
    Add,
    Bubble,
    Cool,
    Dissolve,
    Distill,
    Evaporate,
    Extract,
    Heat,
    Inject,
    Pressurize,
    Quench,
    Redisperse,
    Stir,
    Vent,
    Wash,
)

AMBIENT_K = 298.15  # 25 °C: what a vessel is at before any step sets its temperature


@dataclass(frozen=True)
class VesselState:
    """A vessel's contents and temperature during one step."""

    step_path: tuple[PathPart, ...]
    action: str
    vessel: str
    materials: tuple[str, ...]  # material ids, in the order they went in
    temperature_K: float
    temperature_stated: bool  # False: inherited from an earlier step or ambient
    reflux: bool = False  # heated at reflux under a condenser: boiling is intended
    # Materials boiled off on purpose at this step (distilled, evaporated): no PH102 for them.
    boils_off: tuple[str, ...] = ()


def vessel_timeline(protocol: Protocol, gases: frozenset[str]) -> list[VesselState]:
    """One snapshot per step that touches a vessel, in step order."""
    from benchsheet.checks.context import iter_steps

    contents: dict[str, list[str]] = {v: [] for v in protocol.vessels}
    temperature: dict[str, float] = dict.fromkeys(protocol.vessels, AMBIENT_K)
    timeline: list[VesselState] = []

    def put(vessel: str, materials: list[str]) -> None:
        held = contents.setdefault(vessel, [])
        held.extend(m for m in materials if m not in held)

    def snap(path: tuple[PathPart, ...], action: str, vessel: str, stated: bool,
             reflux: bool = False, boils_off: tuple[str, ...] = ()) -> None:
        timeline.append(VesselState(path, action, vessel, tuple(contents.get(vessel, ())),
                                    temperature.get(vessel, AMBIENT_K), stated, reflux,
                                    boils_off))

    def move(source: str, into: str | None, materials: list[str]) -> None:
        """``materials`` leave ``source``; into ``into`` if named, else out of the protocol."""
        held = contents.get(source, [])
        contents[source] = [m for m in held if m not in materials]
        if into is not None:
            put(into, [m for m in held if m in materials])

    for path, step in iter_steps(protocol.steps):
        vessel: str | None = None
        stated_t = None
        if isinstance(step, Extract):
            # The funnel with the solvent in it, then the kept layer moves on (or the other
            # layer is drained): two snapshots when a receiving vessel is named.
            put(step.source, [step.solvent])
            snap(path, step.action, step.source, False)
            held = contents.get(step.source, [])
            if step.into is not None:
                move(step.source, step.into, [m for m in held if m not in step.leave])
                snap(path, step.action, step.into, False)
            else:
                move(step.source, None, list(step.leave))
            continue
        if isinstance(step, Evaporate):
            roles = ("solvent", "wash")
            held = contents.get(step.vessel, [])
            gone = list(step.solvents) or [
                m for m in held if m in protocol.materials and protocol.materials[m].role in roles]
            if step.temperature is not None:
                temperature[step.vessel] = step.temperature.to("kelvin")
            snap(path, step.action, step.vessel, step.temperature is not None,
                 boils_off=tuple(gone))
            move(step.vessel, None, gone)
            temperature[step.vessel] = AMBIENT_K  # off the bath
            continue
        if isinstance(step, Distill):
            # The pot is at the bath's temperature, else at least at the top of the range
            # collected; whatever boils there distils on purpose.
            temperature[step.source] = (step.temperature.to("kelvin")
                                        if step.temperature is not None
                                        else step.collect.magnitudes("kelvin")[2])
            snap(path, step.action, step.source, True,
                 boils_off=tuple(contents.get(step.source, ())))
            move(step.source, step.into, list(step.fraction))
            temperature[step.source] = AMBIENT_K  # the heating is off
            if step.into is not None:
                snap(path, step.action, step.into, False)
            continue
        if isinstance(step, Add):
            put(step.to, step.materials)
            vessel, stated_t = step.to, step.temperature
        elif isinstance(step, Dissolve):
            put(step.vessel, [*step.materials, step.solvent])
            vessel, stated_t = step.vessel, step.temperature
        elif isinstance(step, (Heat, Stir)):
            vessel, stated_t = step.vessel, step.temperature
        elif isinstance(step, (Cool, Quench)):
            vessel, stated_t = step.vessel, step.temperature
            if stated_t is None:
                temperature[step.vessel] = 273.15  # an ice bath
        elif isinstance(step, Bubble):
            put(step.into, [step.gas])
            vessel, stated_t = step.into, step.temperature
        elif isinstance(step, Pressurize):
            put(step.vessel, [step.gas])
            vessel = step.vessel
        elif isinstance(step, Vent):
            held = contents.get(step.vessel, [])
            contents[step.vessel] = [m for m in held if m not in gases
                                     or (step.gas is not None and m != step.gas)]
            vessel = step.vessel
        elif isinstance(step, Inject):
            # What the step leaves behind (a drained layer, a drying agent) stays put.
            held = contents.get(step.source, [])
            put(step.into, [m for m in held if m not in step.leave])
            contents[step.source] = [m for m in held if m in step.leave]
            vessel, stated_t = step.into, step.temperature
        elif isinstance(step, (Wash, Redisperse)) and step.vessel:
            put(step.vessel, [step.solvent])
            vessel = step.vessel
        if vessel is None:
            continue
        if stated_t is not None:
            temperature[vessel] = stated_t.to("kelvin")
        snap(path, getattr(step, "action", ""), vessel, stated_t is not None,
             isinstance(step, Heat) and step.reflux)
    return timeline
