"""Equipment settings: centrifuge speeds another lab can reproduce, and vessels kept inside
their temperature rating."""

from __future__ import annotations

import math
from collections.abc import Iterator

from benchsheet.checks import rule
from benchsheet.checks.context import CheckContext, iter_steps
from benchsheet.findings import Finding, PathPart, Severity, format_path
from benchsheet.model.steps import Centrifuge, Wash
from benchsheet.units import Measured

STANDARD_GRAVITY = 9.80665  # m/s², exact by definition (3rd CGPM, 1901)
# RCF = ω²·r/g₀ with ω = 2π·rpm/60 s⁻¹ and r in cm (0.01 m):
# 4π²·0.01/(3600·9.80665) = 1.118e-5, the constant of the usual RCF = 1.118e-5 × r[cm] × rpm².
RCF_PER_CM_RPM2 = 4 * math.pi**2 * 0.01 / (3600 * STANDARD_GRAVITY)


def relative_centrifugal_force(rpm: float, radius_cm: float) -> float:
    """The force at the tube bottom in multiples of g₀: RCF = ω²·r/g₀."""
    return RCF_PER_CM_RPM2 * radius_cm * rpm**2


Spin = tuple[tuple[PathPart, ...], Measured, float | None, str | None]


def _spins(ctx: CheckContext) -> list[Spin]:
    """Every centrifuge speed with its path, the rotor radius in cm if known, and whence;
    once per variant for EQ101 and EQ102."""

    def compute() -> list[Spin]:
        spins: list[Spin] = []
        for path, step in iter_steps(ctx.protocol.steps):
            if not isinstance(step, (Centrifuge, Wash)) or step.speed is None:
                continue
            radius: Measured | None = None
            whence = None
            if isinstance(step, Centrifuge) and step.rotor_radius is not None:
                radius, whence = step.rotor_radius, "the step's rotor_radius"
            elif step.rotor is not None and step.rotor in ctx.protocol.equipment:
                radius = ctx.protocol.equipment[step.rotor].rotor_radius
                whence = f"the rotor radius of '{step.rotor}'"
            spins.append(((*path, "speed"), step.speed,
                          radius.to("centimeter") if radius is not None else None, whence))
        return spins

    return ctx.computed("spins", compute)


@rule("EQ101", Severity.WARNING, "centrifuge speed in rpm with no rotor radius")
def rpm_without_radius(ctx: CheckContext) -> Iterator[Finding]:
    """The force that pellets a solid depends on the rotor radius as well as the speed: 5000
    rpm is about 2800 x g at 10 cm and 1100 x g at 4 cm. Without the radius another lab's
    centrifuge cannot reproduce the spin."""
    for path, speed, radius_cm, _ in _spins(ctx):
        if speed.dimension == "rotational_speed" and radius_cm is None:
            yield ctx.finding(
                "EQ101", f"{speed} is a rotor speed; with no rotor radius the force on the "
                "sample (x g) cannot be stated", path,
                "give the speed as a relative centrifugal force ('4000 x g'), or give "
                "rotor_radius (here or on the centrifuge under equipment): RCF = 1.118e-5 × "
                "r[cm] × rpm² (from ω²·r/g₀, g₀ = 9.80665 m/s²)")


@rule("EQ102", Severity.INFO, "centrifugal force from speed and rotor radius")
def rcf_from_radius(ctx: CheckContext) -> Iterator[Finding]:
    """With the rotor radius known, a speed in rpm is turned into the relative centrifugal
    force, RCF = ω²·r/g₀, which is what another lab needs to reproduce the spin."""
    for path, speed, radius_cm, whence in _spins(ctx):
        if speed.dimension == "rotational_speed" and radius_cm is not None:
            rcf = [relative_centrifugal_force(rpm, radius_cm) for rpm in speed.magnitudes("rpm")]
            text = f"{rcf[0]:.0f}–{rcf[2]:.0f}" if rcf[0] != rcf[2] else f"{rcf[1]:.0f}"
            yield ctx.finding(
                "EQ102", f"{speed} at {radius_cm:.3g} cm ({whence}) is {text} x g "
                "(RCF = 1.118e-5 × r[cm] × rpm²)", path)


@rule("EQ103", Severity.ERROR, "centrifuge speed above the rotor's maximum")
def above_max_speed(ctx: CheckContext) -> Iterator[Finding]:
    """A rotor run faster than its rated speed can fail catastrophically."""
    for path, step in iter_steps(ctx.protocol.steps):
        if not isinstance(step, (Centrifuge, Wash)) or step.speed is None or step.rotor is None:
            continue
        equipment = ctx.protocol.equipment.get(step.rotor)
        if equipment is None or equipment.max_speed is None:
            continue
        most = equipment.max_speed.to("rpm")
        radius = (step.rotor_radius if isinstance(step, Centrifuge) and step.rotor_radius
                  else equipment.rotor_radius)
        if step.speed.dimension == "rotational_speed":
            rpm = step.speed.magnitudes("rpm")[2]
        elif radius is not None:  # x g → rpm through the radius
            rcf = float(step.speed.high)
            rpm = math.sqrt(rcf / (RCF_PER_CM_RPM2 * radius.to("centimeter")))
        else:
            continue
        if rpm > most:
            yield ctx.finding(
                "EQ103", f"{step.speed} is {rpm:.0f} rpm, above the {most:.0f} rpm maximum of "
                f"'{step.rotor}'", (*path, "speed"),
                "lower the speed, or name a centrifuge and rotor rated for it")


@rule("EQ104", Severity.ERROR, "vessel heated above its temperature rating")
def above_temperature_rating(ctx: CheckContext) -> Iterator[Finding]:
    """Above its rated temperature a vessel's seals, liner or glass can fail (PTFE liners
    creep above about 200 °C, plastic tubes soften)."""
    for vid, vessel in ctx.protocol.vessels.items():
        if vessel.temperature_rating is None or vessel.when is not True:
            continue
        rating_k = vessel.temperature_rating.to("kelvin")
        states = ctx.amounts.timeline.of(vid)
        if not states:
            continue
        hottest = max(states, key=lambda s: s.temperature_K)
        if hottest.temperature_K > rating_k:
            yield ctx.finding(
                "EQ104", f"'{vid}' reaches {hottest.temperature_K - 273.15:.1f} °C "
                f"({format_path(hottest.step_path)}), {hottest.temperature_K - rating_k:.1f} K "
                f"above its rating of {vessel.temperature_rating}", hottest.step_path,
                "use a vessel rated for the temperature, or heat less")


@rule("EQ105", Severity.ERROR, "vessel with no volume to hold anything")
def zero_volume(ctx: CheckContext) -> Iterator[Finding]:
    """A vessel's nominal volume is what it holds: zero (or a range reaching zero) cannot be
    filled, and every fill and headspace figure would divide by it. The checks that need a
    volume treat it as not given."""
    for vid, vessel in ctx.protocol.vessels.items():
        if vessel.volume is None or vessel.when is not True:
            continue
        low, nominal, _ = vessel.volume.magnitudes("mL")
        if nominal <= 0 or low <= 0:
            yield ctx.finding("EQ105", f"'{vid}' has a volume of {vessel.volume}: it holds "
                              "nothing", ("vessels", vid, "volume"),
                              "give the vessel's nominal volume, e.g. '50 mL'")
