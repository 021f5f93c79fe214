"""What the sheet says from the timeline: equivalents of an aliquot, solids an end point
dissolves, a gas in solution handled as the liquid it is, and the equipment steps use."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchsheet.render import render_sheet
from benchsheet.render.view import equipment_used
from benchsheet.validate import validate_file, validate_text
from protocol_text import findings_of, validate_body

EVERYDAY = Path(__file__).parent / "everyday"
SUZUKI = Path(__file__).parent / "second_lab" / "biphenyl-suzuki.yaml"
# Standard atomic weights (IUPAC 2021, abridged): Cs 132.905, C 12.011, O 15.999, Pb 207.2,
# Br 79.904.
M_CS2CO3 = 2 * 132.905 + 12.011 + 3 * 15.999  # 325.82
M_PBBR2 = 207.2 + 2 * 79.904  # 367.01


def test_equivalents_count_the_aliquot_that_reaches_the_flask() -> None:
    """CsPbBr3: 0.4 mL of the 42.69 mL Cs-oleate stock is injected (0.937 %), so PbBr2
    (0.1880 mmol) is 8.03 equivalents of the Cs2CO3 that reaches the flask, not 0.075 of
    all 2.498 mmol."""
    result = validate_file(EVERYDAY / "cspbbr3-hot-injection.yaml")
    assert result.base is not None
    sheet = render_sheet(result, result.base, "md")
    share = 0.4 / (40 + 2.5 + 0.814 / 4.24)  # stock: ODE + oleic acid + Cs2CO3 by volume
    expected = (0.069 / M_PBBR2) / (0.814 / M_CS2CO3 * share)
    row = next(line for line in sheet.splitlines() if line.startswith("| PbBr2 |"))
    assert f"| {expected:.3g} |" in row  # 8.03
    assert f"Cs2CO3 {100 * share:.2g} %" in sheet  # "Cs2CO3 0.94 % of the amount listed"


def test_an_addition_until_dissolved_dissolves_what_it_charged() -> None:
    result = validate_body("""\
        materials:
          NaCl: {reagent: sodium-chloride, amount: 1.0 g}
          water: {reagent: water, amount: 20 mL, role: solvent}
        vessels:
          beaker: {kind: beaker, volume: 50 mL}
          flask: {kind: flask, volume: 50 mL}
        steps:
          - {action: add, materials: [water], to: beaker}
          - {action: add, materials: [NaCl], to: beaker, until: dissolved}
          - {action: filter, vessel: beaker, keep: filtrate, into: flask}
        """)
    assert result.base is not None
    assert result.base.amounts is not None
    (filtrate,) = [s for s in result.base.amounts.timeline
                   if s.vessel == "flask" and s.action == "filter"]
    assert set(filtrate.materials) == {"water", "NaCl"}  # the salt went through in solution


@pytest.mark.parametrize("code", ["HZ109", "HZ102"])
def test_aqueous_ammonia_is_not_handled_as_the_gas(code: str) -> None:
    # 28 % ammonia is a corrosive liquid (H290, H314, H335 on its label), not ammonia gas
    # from a cylinder: no flammable-gas (H221) or toxic-gas monitor flags.
    findings = findings_of("""\
        materials:
          NH3: {reagent: ammonia, concentration: 28 %, density: 0.90 g/mL, solvent: water,
                amount: 5 mL, role: base}
        vessels:
          beaker: {kind: beaker, volume: 50 mL}
        steps:
          - {action: add, materials: [NH3], to: beaker, note: in the fume hood}
        """)
    assert not [f for f in findings if f.code == code]


# --- equipment a step names under using: -----------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_equipment_named_under_using_is_used(fmt: str) -> None:
    # The Suzuki protocol's only equipment, the Schlenk line, is named by step 1 (using:
    # [schlenk]) and by no rotor or instrument field: it is used, and the sheet must not say
    # otherwise.
    result = validate_file(SUZUKI)
    assert result.base is not None
    assert result.base.protocol is not None
    assert equipment_used(result.base.protocol) == {"schlenk"}
    sheet = render_sheet(result, result.base, fmt)  # type: ignore[arg-type]
    assert "Schlenk line (vacuum / nitrogen)" in sheet
    assert "not used by any step" not in sheet


def test_equipment_no_step_names_is_marked_unused() -> None:
    # The same protocol with a rotary evaporator declared and never named: that one line, and
    # only it, says so (RF302 warns about it too).
    text = SUZUKI.read_text(encoding="utf-8").replace(
        "  schlenk:\n    kind: Schlenk line (vacuum / nitrogen)\n",
        "  schlenk:\n    kind: Schlenk line (vacuum / nitrogen)\n  rotavap:\n"
        "    kind: rotary evaporator\n")
    assert "rotavap" in text
    result = validate_text(text, "biphenyl-suzuki.yaml")
    assert result.base is not None
    assert result.base.protocol is not None
    assert equipment_used(result.base.protocol) == {"schlenk"}
    assert any(f.code == "RF302" and "rotavap" in f.message for f in result.findings)
    md = render_sheet(result, result.base, "md")
    unused = [line for line in md.splitlines() if "not used by any step" in line]
    assert unused == ["- rotavap: rotary evaporator (not used by any step)"]


def test_rotor_and_instrument_fields_count_as_use() -> None:
    # A centrifuge named only as a step's rotor and a fluorometer only as a measurement's
    # instrument are used; neither appears under using:.
    result = validate_body("""
        materials:
          NaCl: {reagent: sodium chloride, amount: 1 mmol}
          water: {reagent: water, amount: 1 mL, role: solvent}
        vessels:
          tube: {kind: centrifuge tube, volume: 15 mL}
        equipment:
          spinner: {kind: centrifuge, rotor_radius: 10 cm}
          fluor: {kind: fluorometer}
        steps:
          - {action: dissolve, materials: [NaCl], solvent: water, vessel: tube}
          - {action: centrifuge, vessel: tube, speed: 1000 x g, rotor: spinner, keep: pellet}
          - {action: measure, technique: photoluminescence, instrument: fluor}
        """)
    assert result.base is not None
    assert result.base.protocol is not None
    assert equipment_used(result.base.protocol) == {"spinner", "fluor"}
