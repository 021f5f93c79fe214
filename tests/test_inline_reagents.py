"""Inline reagents carry their own phase data, so a second lab's substances are checked too."""

from __future__ import annotations

from benchsheet.validate import validate_text

PROTOCOL = """\
id: inline-phase
title: inline reagent phase data
version: 1.0.0
source: {section: test}
materials:
  solvent:
    reagent:
      name: diethyl ether
      formula: C4H10O
      cas: 60-29-7
      density: 0.713 g/mL
      boiling_point: BOILING_POINT
      hazards: {signal_word: Danger, h_codes: [H224, H302, H336], pictograms: [GHS02, GHS07]}
    amount: 10 mL
    role: solvent
vessels:
  flask: {kind: round-bottom flask, volume: 50 mL}
steps:
  - {action: add, materials: [solvent], to: flask}
  - {action: heat, vessel: flask, temperature: 60 degC, duration: 1 h}
"""


def test_inline_boiling_point_below_step_temperature_is_flagged() -> None:
    # Diethyl ether boils at 34.6 °C (CRC Handbook); heating it to 60 °C in an open flask
    # boils it off.
    result = validate_text(PROTOCOL.replace("BOILING_POINT", "34.6 degC"))
    ph102 = [f for f in result.findings if f.code == "PH102"]
    assert len(ph102) == 1
    assert "solvent" in ph102[0].message


def test_inline_boiling_point_above_step_temperature_passes() -> None:
    result = validate_text(PROTOCOL.replace("BOILING_POINT", "80 degC"))
    assert not [f for f in result.findings if f.code == "PH102"]


# --- the properties a lab's reagent file takes, written inline (issue 11, item 4) ----------

ISOPRENE_INLINE = """\
materials:
  C5H8:
    reagent:
      name: isoprene
      formula: C5H8
      phase: liquid
      density: 0.681 g/mL
      density_temperature: 20 degC
      boiling_point: 34.0 degC
      flash_point: -54 degC
      vapor_pressure: %s
      hazards: {signal_word: Danger, h_codes: [H224], source: "CLP Annex VI"}
    amount: 2.0 mL
vessels:
  flask: {kind: round-bottom flask, volume: 25 mL}
steps:
  - {action: add, materials: [C5H8], to: flask}
  - {action: heat, vessel: flask, temperature: 30 degC, reflux: true}
"""


def test_an_inline_vapour_pressure_curve_is_used_as_a_librarys() -> None:
    """Isoprene, 0.246 bar at 0 °C and 0.733 bar at 25 °C (written without 'abs': a vapour
    pressure is absolute): at 25 °C the curve gives 73,300 Pa, not the boiling-point
    estimate."""
    from benchsheet.chemistry.phases import vapour_pressure_Pa
    from protocol_text import validate_body

    result = validate_body(ISOPRENE_INLINE % "{0 degC: 0.246 bar, 25 degC: 0.733 bar}")
    assert result.base is not None
    assert result.base.amounts is not None
    entry = result.base.amounts.entry("C5H8")
    assert entry is not None
    p, source = vapour_pressure_Pa(entry, 298.15)
    assert p is not None
    assert abs(p - 73_300.0) < 1e-6
    assert source == "vapour-pressure curve"


def test_an_inline_flash_point_is_the_measured_one_for_HZ110() -> None:
    from protocol_text import validate_body

    result = validate_body(ISOPRENE_INLINE % "{0 degC: 0.246 bar, 25 degC: 0.733 bar}")
    (found,) = [f for f in result.findings if f.code == "HZ110"]
    assert "flash point -54 °C, measured" in found.message


def test_an_inline_curve_of_one_temperature_is_refused() -> None:
    from protocol_text import validate_body

    result = validate_body(ISOPRENE_INLINE % "{25 degC: 0.733 bar}")
    (found,) = [f for f in result.findings if f.code == "SC108"]
    assert "two or more temperatures" in found.message
