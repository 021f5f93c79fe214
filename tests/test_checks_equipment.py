"""Equipment checks (EQ1xx): each expected number is computed here from its own constants."""

from __future__ import annotations

import math

from benchsheet.findings import Finding
from protocol_text import findings_of, with_code

G0 = 9.80665  # m/s², standard gravity (3rd CGPM, 1901)


def _rcf(rpm: float, radius_cm: float) -> float:
    """RCF = ω²·r/g₀ with ω = 2π·rpm/60 in rad/s and r in m."""
    omega = 2 * math.pi * rpm / 60
    return omega**2 * (radius_cm / 100) / G0


SPIN = """\
materials:
  EtOH: {reagent: ethanol, amount: 10 mL, role: wash}
vessels:
  tube: {kind: centrifuge tube, volume: 50 mL}
equipment:
  centrifuge: {kind: centrifuge%s}
steps:
  - {action: add, materials: [EtOH], to: tube}
  - {action: centrifuge, vessel: tube, speed: %s, rotor: centrifuge%s}
"""


def test_EQ101_rpm_with_no_rotor_radius() -> None:
    findings = findings_of(SPIN % ("", "5000 rpm", ""))
    (found,) = with_code(findings, "EQ101")
    assert "5000 rpm" in found.message
    assert "1.118e-5 × r[cm] × rpm²" in found.hint
    assert not with_code(findings, "EQ102")


def test_EQ101_EQ102_pass_for_a_force_in_x_g() -> None:
    findings = findings_of(SPIN % ("", "4000 x g", ""))
    assert not with_code(findings, "EQ101")
    assert not with_code(findings, "EQ102")


def test_EQ102_rcf_from_the_centrifuge_rotor_radius() -> None:
    findings = findings_of(SPIN % (", rotor_radius: 10 cm", "5000 rpm", ""))
    (found,) = with_code(findings, "EQ102")
    assert f"is {_rcf(5000, 10):.0f} x g" in found.message  # 2796 x g
    assert "'centrifuge'" in found.message
    assert not with_code(findings, "EQ101")


def test_EQ102_rcf_from_the_step_rotor_radius() -> None:
    findings = findings_of(SPIN % ("", "5000 rpm", ", rotor_radius: 8.5 cm"))
    (found,) = with_code(findings, "EQ102")
    assert f"is {_rcf(5000, 8.5):.0f} x g" in found.message  # 2376 x g


def test_EQ103_faster_than_the_rotor_allows() -> None:
    findings = findings_of(SPIN % (", max_speed: 4000 rpm", "5000 rpm", ""))
    (found,) = with_code(findings, "EQ103")
    assert "above the 4000 rpm maximum" in found.message


def test_EQ103_force_in_x_g_converted_through_the_radius() -> None:
    # 4000 x g at 10 cm needs rpm = sqrt(4000·g₀/(r·(2π/60)²)) = 5981 rpm > 5000 rpm.
    rpm = math.sqrt(4000 * G0 / (0.10 * (2 * math.pi / 60) ** 2))
    findings = findings_of(SPIN % (", max_speed: 5000 rpm, rotor_radius: 10 cm", "4000 x g", ""))
    (found,) = with_code(findings, "EQ103")
    assert f"is {rpm:.0f} rpm" in found.message


def test_EQ103_passes_within_the_maximum() -> None:
    assert not with_code(findings_of(SPIN % (", max_speed: 6000 rpm", "5000 rpm", "")), "EQ103")


HEATED = """\
materials:
  oil: {reagent: {name: silicone oil, formula: C2H6OSi, density: 0.97 g/mL}, amount: 5 mL}
vessels:
  vial: {kind: vial, volume: 20 mL, temperature_rating: 100 degC}
steps:
  - {action: add, materials: [oil], to: vial}
  - {action: heat, vessel: vial, temperature: %s}
"""


def _heated(temperature: str) -> list[Finding]:
    return findings_of(HEATED % temperature)


def test_EQ104_heated_above_the_temperature_rating() -> None:
    (found,) = with_code(_heated("120 degC"), "EQ104")
    assert "reaches 120.0 °C" in found.message
    assert f"{120 - 100:.1f} K above its rating of 100 degC" in found.message


def test_EQ104_passes_within_the_rating() -> None:
    assert not with_code(_heated("80 degC"), "EQ104")
