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
