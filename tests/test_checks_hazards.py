"""Hazard checks (HZ1xx) and the controls helper the bench sheet prints from.

H-codes are those of the reagent library (supplier SDS and the ECHA C&L inventory, as cited
there); the meaning of each code is GHS Rev. 9 (2021), Annex 3.
"""

from __future__ import annotations

import textwrap

from benchsheet.chemistry.amounts import compute_amounts
from benchsheet.chemistry.hazards import (
    controls_for,
    flash_point_below_K,
    hazard_statements,
    statement_text,
    used_reagents,
)
from benchsheet.findings import Finding
from benchsheet.loader import load_text
from benchsheet.model.parse import parse_protocol
from benchsheet.reagents.library import load_library
from benchsheet.validate import validate_text

T0 = 273.15
# GHS Rev. 9, Table 2.6.1: flammable liquids of categories 1 and 2 (H224, H225) have a flash
# point below 23 °C; category 3 (H226) from 23 °C to 60 °C.
CATEGORY_2_FLASH_POINT_BELOW_C = 23.0

HEADER = """\
format: 1
id: hazard-test
title: hazard test
version: 1.0.0
source: {section: test}
"""


def _run(body: str) -> list[Finding]:
    return validate_text(HEADER + textwrap.dedent(body)).findings


def _codes(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


CO_BUBBLE = """\
materials:
  amine: {reagent: butanediamine, amount: 5 mL, role: ligand}
  CO: {reagent: carbon-monoxide, role: reagent-gas, gas: {mode: flow, duration: 1 h}}
vessels:
  flask: {kind: flask, volume: 25 mL}
steps:
  - {action: add, materials: [amine], to: flask, temperature: 40 degC}
  - action: bubble
    gas: CO
    into: flask
    duration: 1 h
    note: %s
"""


def test_HZ101_lists_every_statement_once_with_its_reagents() -> None:
    findings = _run("""\
        materials:
          EtOH: {reagent: ethanol, amount: 10 mL, role: solvent}
          TEP: {reagent: triethylphosphine, amount: 1 mL, role: scavenger}
        vessels:
          flask: {kind: flask, volume: 50 mL}
        steps:
          - {action: add, materials: [EtOH, TEP], to: flask}
        """)
    (found,) = _codes(findings, "HZ101")
    # Ethanol H225, H319; triethylphosphine H225, H250, H314: H225 is listed once, for both.
    assert "H225 Highly flammable liquid and vapour (ethanol, triethylphosphine)" in found.message
    assert found.message.count("H225") == 1
    assert "H250 Catches fire spontaneously if exposed to air (triethylphosphine)" in found.message


def test_HZ102_toxic_gas_needs_hood_and_monitor() -> None:
    (found,) = _codes(_run(CO_BUBBLE % "'In a fume hood.'"), "HZ102")
    assert "carbon monoxide (CO): toxic gas (H331)" in found.message
    assert "fume hood" in found.message
    assert "A carbon monoxide monitor" in found.message


def test_HZ103_toxic_gas_step_without_a_fume_hood() -> None:
    (found,) = _codes(_run(CO_BUBBLE % "'Bubble slowly.'"), "HZ103")
    assert found.path == ("steps", 1)
    assert found.severity.name == "WARNING"


def test_HZ103_passes_when_the_note_names_the_hood() -> None:
    assert not _codes(_run(CO_BUBBLE % "'CO is toxic; fume hood and CO monitor.'"), "HZ103")


def test_HZ104_HZ105_cadmium_chloride() -> None:
    findings = _run("""\
        materials:
          CdCl2: {reagent: cadmium-chloride, amount: 1.5 mmol, role: precursor}
        vessels:
          flask: {kind: flask, volume: 50 mL}
        steps:
          - {action: add, materials: [CdCl2], to: flask}
        """)
    (cmr,) = _codes(findings, "HZ105")
    assert "(H340, H350, H360FD)" in cmr.message
    assert "gloves" in cmr.message
    assert "designated, labelled area" in cmr.message
    (inhaled,) = _codes(findings, "HZ104")
    assert "(H330)" in inhaled.message
    assert "ventilated balance enclosure" in inhaled.message


def test_HZ105_passes_for_ethanol() -> None:
    findings = _run("""\
        materials:
          EtOH: {reagent: ethanol, amount: 10 mL, role: solvent}
        vessels:
          flask: {kind: flask, volume: 50 mL}
        steps:
          - {action: add, materials: [EtOH], to: flask}
        """)
    assert not _codes(findings, "HZ105")
    assert not _codes(findings, "HZ106")


def test_HZ106_pyrophoric_phosphine() -> None:
    findings = _run("""\
        materials:
          TEP: {reagent: triethylphosphine, amount: 1 mL, role: scavenger}
        vessels:
          flask: {kind: flask, volume: 50 mL}
        steps:
          - {action: add, materials: [TEP], to: flask}
        """)
    (found,) = _codes(findings, "HZ106")
    assert "(H250)" in found.message
    assert "under inert gas" in found.message


BOROHYDRIDE = """\
materials:
  NaBH4: {reagent: sodium-borohydride, amount: 1 mmol, role: reductant}
  water: {reagent: water, amount: 10 mL, role: solvent}
vessels:
  vial: {kind: vial, volume: 20 mL%s}
steps:
  - {action: add, materials: [water], to: vial}
  - {action: add, materials: [NaBH4], to: vial}
"""


def test_HZ107_borohydride_into_water_gives_hydrogen() -> None:
    findings = _run(BOROHYDRIDE % "")
    (found,) = _codes(findings, "HZ107")
    assert "gives off hydrogen with water (H260)" in found.message
    assert "meets 'water' in 'vial' (steps[1])" in found.message
    assert "No ignition sources" in found.message
    assert not _codes(findings, "HZ108")


def test_HZ108_borohydride_and_water_in_a_sealed_vessel() -> None:
    findings = _run(BOROHYDRIDE % ", closed: true, pressure_rating: 5 bar gauge")
    (found,) = _codes(findings, "HZ108")
    assert "hydrogen is given off into the closed headspace" in found.message
    assert found.severity.name == "ERROR"


FLAMMABLE = """\
materials:
  EtOH: {reagent: ethanol, amount: 10 mL, role: solvent}
vessels:
  flask: {kind: flask, volume: 50 mL}
steps:
  - {action: add, materials: [EtOH], to: flask}
  - {action: heat, vessel: flask, temperature: %s}
"""


def test_HZ110_ethanol_heated_above_its_flash_point() -> None:
    (found,) = _codes(_run(FLAMMABLE % "60 degC"), "HZ110")
    assert f"flash point below {CATEGORY_2_FLASH_POINT_BELOW_C:.0f} °C" in found.message
    assert "heated to 60.0 °C in open vessel 'flask'" in found.message


def test_HZ110_passes_at_room_temperature() -> None:
    assert not _codes(_run(FLAMMABLE % "25 degC"), "HZ110")


INLINE = """\
materials:
  oil:
    reagent: {name: mystery oil, formula: C18H38%s}
    amount: 5 mL
vessels:
  vial: {kind: vial, volume: 20 mL}
steps:
  - {action: add, materials: [oil], to: vial}
"""


def test_HZ111_inline_reagent_without_hazard_data() -> None:
    (found,) = _codes(_run(INLINE % ""), "HZ111")
    assert "mystery oil (oil) has no GHS hazard data" in found.message


def test_HZ111_passes_with_hazard_data() -> None:
    hazards = ", hazards: {signal_word: Warning, h_codes: [H304], source: supplier SDS}"
    assert not _codes(_run(INLINE % hazards), "HZ111")


def test_controls_for_the_renderer() -> None:
    text = HEADER + textwrap.dedent(CO_BUBBLE % "'fume hood'")
    doc = load_text(text, "<text>")
    protocol, _ = parse_protocol(doc.data, doc, "")
    assert protocol is not None
    amounts = compute_amounts(protocol, load_library())
    keys = [c.key for c in controls_for(used_reagents(amounts))]
    assert keys.count("fume-hood") == 1  # BDA (H331 vapour) and CO (H331 gas) share it
    assert "gas-monitor:carbon monoxide" in keys
    codes = [s.code for s in hazard_statements(used_reagents(amounts))]
    assert codes == sorted(codes, key=lambda c: int(c[1:4]))


def test_statement_texts_and_flash_point_bounds() -> None:
    assert statement_text("H360FD") == "May damage fertility. May damage the unborn child"
    assert statement_text("H360Xy") == "May damage fertility or the unborn child"
    assert flash_point_below_K(["H225", "H319"]) == T0 + 23
    assert flash_point_below_K(["H226"]) == T0 + 60
    assert flash_point_below_K(["H319"]) is None
