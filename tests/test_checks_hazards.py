"""Hazard checks (HZ1xx) and the controls helper the bench sheet prints from.

H-codes are those of the reagent library (supplier SDS and the ECHA C&L inventory, as cited
there); the meaning of each code is GHS Rev. 9 (2021), Annex 3.
"""

from __future__ import annotations

import textwrap

import pytest

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
from protocol_text import HEADER, findings_of, with_code

T0 = 273.15
# GHS Rev. 9, Table 2.6.1: flammable liquids of categories 1 and 2 (H224, H225) have a flash
# point below 23 °C; category 3 (H226) from 23 °C to 60 °C.
CATEGORY_2_FLASH_POINT_BELOW_C = 23.0

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


def _alone_in_a_flask(material: str) -> list[Finding]:
    """The findings of one material (``"id: {reagent: ..., amount: ...}"``) added to a flask."""
    mid = material.split(":", 1)[0]
    return findings_of(f"materials:\n  {material}\nvessels:\n  flask: {{kind: flask, volume: "
                       f"50 mL}}\nsteps:\n  - {{action: add, materials: [{mid}], to: flask}}\n")


def test_HZ101_lists_every_statement_once_with_its_reagents() -> None:
    findings = findings_of("""\
        materials:
          EtOH: {reagent: ethanol, amount: 10 mL, role: solvent}
          TEP: {reagent: triethylphosphine, amount: 1 mL, role: scavenger}
        vessels:
          flask: {kind: flask, volume: 50 mL}
        steps:
          - {action: add, materials: [EtOH, TEP], to: flask}
        """)
    (found,) = with_code(findings, "HZ101")
    # Ethanol H225, H319; triethylphosphine H225, H250, H314: H225 is listed once, for both.
    assert "H225 Highly flammable liquid and vapour (ethanol, triethylphosphine)" in found.message
    assert found.message.count("H225") == 1
    assert "H250 Catches fire spontaneously if exposed to air (triethylphosphine)" in found.message


def test_HZ102_toxic_gas_needs_hood_and_monitor() -> None:
    (found,) = with_code(findings_of(CO_BUBBLE % "'In a fume hood.'"), "HZ102")
    assert "carbon monoxide (CO): toxic gas (H331)" in found.message
    assert "fume hood" in found.message
    assert "A carbon monoxide monitor" in found.message


def _gas_charge(reagent: str) -> str:
    """Water in an autoclave charged with ``reagent`` to 5 bar gauge."""
    return f"""\
        materials:
          water: {{reagent: water, amount: 10 mL, role: solvent}}
          gas:
            reagent: {reagent}
            role: reagent-gas
            gas: {{mode: charge, pressure: 5 bar gauge, vessel: autoclave, temperature: 25 degC}}
        vessels:
          autoclave: {{kind: Parr reactor, volume: 50 mL, closed: true,
                      pressure_rating: 50 bar gauge}}
        steps:
          - {{action: add, materials: [water], to: autoclave}}
          - {{action: pressurize, vessel: autoclave, gas: gas, pressure: 5 bar gauge,
              note: in a fume hood}}
        """


@pytest.mark.parametrize("reagent", ["carbon-dioxide", "argon", "nitrogen"])
def test_HZ102_HZ109_pass_for_gases_that_are_neither_toxic_nor_flammable(reagent: str) -> None:
    # CO2, Ar and N2 carry only H280 (gas under pressure; the library's supplier SDS): no
    # H330/H331 for HZ102, no H220/H221 for HZ109. Water has no classification at all.
    findings = findings_of(_gas_charge(reagent))
    assert not with_code(findings, "HZ102")
    assert not with_code(findings, "HZ109")
    (statements,) = with_code(findings, "HZ101")
    assert "H280 Contains gas under pressure" in statements.message


def test_HZ109_flammable_gas_charged() -> None:
    # Carbon monoxide: H220 (extremely flammable gas), H280, H331, H360D, H372 (the library's
    # supplier SDS): H220 makes it a flammable gas, H331 as a gas a toxic gas, not HZ104.
    findings = findings_of(_gas_charge("carbon-monoxide"))
    (found,) = with_code(findings, "HZ109")
    assert found.message.startswith("carbon monoxide (gas): flammable gas (H220)")
    assert "No ignition sources nearby" in found.message
    assert "Leak-test the gas lines" in found.message
    assert found.path == ("materials", "gas", "reagent")
    assert found.severity.name == "INFO"
    assert with_code(findings, "HZ102")
    assert not with_code(findings, "HZ104")


def test_HZ103_toxic_gas_step_without_a_fume_hood() -> None:
    (found,) = with_code(findings_of(CO_BUBBLE % "'Bubble slowly.'"), "HZ103")
    assert found.path == ("steps", 1)
    assert found.severity.name == "WARNING"


def test_HZ103_passes_when_the_note_names_the_hood() -> None:
    findings = findings_of(CO_BUBBLE % "'CO is toxic; fume hood and CO monitor.'")
    assert not with_code(findings, "HZ103")


def test_HZ103_passes_when_the_step_is_done_using_a_fume_hood() -> None:
    body = (CO_BUBBLE % "'Bubble slowly.'").replace(
        "    note: 'Bubble slowly.'\n", "    note: 'Bubble slowly.'\n    using: [hood]\n"
    ).replace("steps:\n", "equipment:\n  hood: {kind: fume hood}\nsteps:\n", 1)
    assert "using: [hood]" in body
    assert not with_code(findings_of(body), "HZ103")


def test_HZ104_HZ105_cadmium_chloride() -> None:
    findings = _alone_in_a_flask("CdCl2: {reagent: cadmium-chloride, amount: 1.5 mmol, "
                                 "role: precursor}")
    (cmr,) = with_code(findings, "HZ105")
    assert "(H340, H350, H360FD)" in cmr.message
    assert "gloves" in cmr.message
    assert "designated, labelled area" in cmr.message
    (inhaled,) = with_code(findings, "HZ104")
    assert "(H330)" in inhaled.message
    assert "ventilated balance enclosure" in inhaled.message


def test_HZ104_passes_without_an_inhalation_hazard() -> None:
    # Zinc chloride H302, H314, H410 (the library's supplier SDS): harmful if swallowed and
    # corrosive, but without H330 or H331 not toxic if inhaled.
    findings = _alone_in_a_flask("ZnCl2: {reagent: zinc chloride, form: anhydrous, "
                                 "amount: 1 mmol, role: precursor}")
    assert not with_code(findings, "HZ104")
    assert not with_code(findings, "HZ102")


def test_HZ105_passes_for_ethanol() -> None:
    findings = _alone_in_a_flask("EtOH: {reagent: ethanol, amount: 10 mL, role: solvent}")
    assert not with_code(findings, "HZ105")
    assert not with_code(findings, "HZ106")


def test_HZ106_pyrophoric_phosphine() -> None:
    findings = _alone_in_a_flask("TEP: {reagent: triethylphosphine, amount: 1 mL, role: scavenger}")
    (found,) = with_code(findings, "HZ106")
    assert "(H250)" in found.message
    assert "under inert gas" in found.message


def test_HZ106_passes_for_trioctylphosphine() -> None:
    # Trioctylphosphine H314 only, triethylphosphine H225, H250, H314 (the library's supplier
    # SDS): TOP oxidises in air but is not classified pyrophoric, so no H250.
    findings = _alone_in_a_flask("TOPhos: {reagent: trioctylphosphine, amount: 1 mL, role: ligand}")
    assert not with_code(findings, "HZ106")
    (statements,) = with_code(findings, "HZ101")
    assert "H250" not in statements.message


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
    findings = findings_of(BOROHYDRIDE % "")
    (found,) = with_code(findings, "HZ107")
    assert "gives off hydrogen with water (H260)" in found.message
    assert "meets 'water' in 'vial' (steps[1])" in found.message
    assert "No ignition sources" in found.message
    assert not with_code(findings, "HZ108")


def test_HZ108_borohydride_and_water_in_a_sealed_vessel() -> None:
    findings = findings_of(BOROHYDRIDE % ", closed: true, pressure_rating: 5 bar gauge")
    (found,) = with_code(findings, "HZ108")
    assert "hydrogen is given off into the closed headspace" in found.message
    assert found.severity.name == "ERROR"


def test_HZ107_passes_for_a_salt_that_does_not_react_with_water() -> None:
    # Zinc chloride H302, H314, H410: no H260/H261, so nothing gives off a gas with water.
    findings = findings_of("""\
        materials:
          ZnCl2: {reagent: zinc chloride, form: anhydrous, amount: 1 mmol, role: precursor}
          water: {reagent: water, amount: 10 mL, role: solvent}
        vessels:
          vial: {kind: vial, volume: 20 mL, closed: true, pressure_rating: 5 bar gauge}
        steps:
          - {action: add, materials: [water, ZnCl2], to: vial}
        """)
    assert not with_code(findings, "HZ107")
    assert not with_code(findings, "HZ108")


DRY_BOROHYDRIDE = """\
materials:
  NaBH4: {reagent: sodium-borohydride, amount: 1 mmol, role: reductant}
  toluene: {reagent: toluene, amount: 10 mL, role: solvent}
vessels:
  vial: {kind: vial, volume: 20 mL, closed: true, pressure_rating: 5 bar gauge}
steps:
  - {action: add, materials: [toluene], to: vial}
  - {action: add, materials: [NaBH4], to: vial}
"""


def test_HZ107_borohydride_with_no_protic_step_names_no_meeting() -> None:
    # H260 still prints the controls (keep dry), but toluene (C7H8, no O, name not '-ol') is
    # not protic, so the message names no step where the hydride meets one.
    (found,) = with_code(findings_of(DRY_BOROHYDRIDE), "HZ107")
    assert "gives off hydrogen with water (H260)" in found.message
    assert "meets" not in found.message


def test_HZ108_passes_in_an_open_vessel() -> None:
    # The same NaBH4 + water as the sealed case, in a vial that is not closed: the hydrogen
    # vents, which is the control HZ107 prints.
    findings = findings_of(BOROHYDRIDE % "")
    assert with_code(findings, "HZ107")
    assert not with_code(findings, "HZ108")


def test_HZ108_passes_in_a_sealed_vessel_with_nothing_protic() -> None:
    assert not with_code(findings_of(DRY_BOROHYDRIDE), "HZ108")


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
    """Ethanol's measured flash point (13 °C closed cup, ICSC 0044; 12 °C in IEC 60079-20-1)
    is used, not only the bound of its category (below 23 °C for H225)."""
    (found,) = with_code(findings_of(FLAMMABLE % "60 degC"), "HZ110")
    flash = int(found.message.split("flash point ")[1].split(" °C")[0])
    assert 12 <= flash <= 13 < CATEGORY_2_FLASH_POINT_BELOW_C
    assert "measured" in found.message
    assert "heated to 60.0 °C in open vessel 'flask'" in found.message


def test_HZ110_without_a_measured_flash_point_the_category_bounds_it() -> None:
    body = FLAMMABLE.replace("{reagent: ethanol,", "{reagent: {name: spirit, formula: C2H6O, "
                             "hazards: {signal_word: Danger, h_codes: [H225], source: SDS}},")
    (found,) = with_code(findings_of(body % "30 degC"), "HZ110")
    assert f"flash point below {CATEGORY_2_FLASH_POINT_BELOW_C:.0f} °C by its GHS category" \
        in found.message


DIAMINE_MELT = """\
materials:
  BDA: {reagent: butanediamine, amount: 5 g, role: ligand}
vessels:
  flask: {kind: round-bottom flask, volume: 25 mL}
steps:
  - {action: add, materials: [BDA], to: flask}
  - {action: heat, vessel: flask, temperature: %s, duration: 24 h}
"""


def test_HZ110_a_molten_diamine_held_above_its_flash_point() -> None:
    """Butane-1,4-diamine is a solid (mp 27 °C) classed only as a flammable solid (H228), but
    its melt at 120 °C is 69 K above its flash point (51 °C closed cup, Sigma-Aldrich SDS):
    the vapour can ignite, and the sheet prints the mantle-and-condenser control."""
    (found,) = with_code(findings_of(DIAMINE_MELT % "120 degC"), "HZ110")
    assert "butane-1,4-diamine, flash point 51 °C, measured" in found.message
    assert not with_code(findings_of(DIAMINE_MELT % "45 degC"), "HZ110")  # below 51 °C


def test_the_sheet_prints_the_flammability_control_for_a_diamine_held_above_its_flash_point(
) -> None:
    from benchsheet.api import ProtocolHandle
    from benchsheet.chemistry.hazards import HEAT_SAFELY
    from protocol_text import validate_body

    sheets = {}
    for temperature in ("120 degC", "45 degC"):
        result = validate_body(DIAMINE_MELT % temperature)
        sheets[temperature] = ProtocolHandle(result, load_library()).render("md")
    control = f"{HEAT_SAFELY.text} — for butane-1,4-diamine"
    assert control in sheets["120 degC"]
    assert HEAT_SAFELY.text not in sheets["45 degC"]


def test_HZ110_passes_at_room_temperature() -> None:
    assert not with_code(findings_of(FLAMMABLE % "25 degC"), "HZ110")


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
    (found,) = with_code(findings_of(INLINE % ""), "HZ111")
    assert "mystery oil (oil) has no GHS hazard data" in found.message


def test_HZ111_passes_with_hazard_data() -> None:
    hazards = ", hazards: {signal_word: Warning, h_codes: [H304], source: supplier SDS}"
    assert not with_code(findings_of(INLINE % hazards), "HZ111")


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


def _controls_of(materials: str) -> dict[str, str]:
    """Control key → text for a protocol holding ``materials`` (YAML under materials:)."""
    body = textwrap.dedent(materials)
    ids = ", ".join(line.split(":")[0] for line in body.splitlines() if line)
    text = (HEADER + "materials:\n" + textwrap.indent(body, "  ")
            + "vessels:\n  flask: {kind: flask, volume: 100 mL}\nsteps:\n"
            + f"  - {{action: add, materials: [{ids}], to: flask}}\n")
    doc = load_text(text, "<text>")
    protocol, _ = parse_protocol(doc.data, doc, "")
    assert protocol is not None
    amounts = compute_amounts(protocol, load_library())
    return {c.key: c.text for c in controls_for(used_reagents(amounts))}


def test_corrosive_oxidizer_and_hood_vapours_get_their_controls() -> None:
    # GHS: H314/H318 call for eye and face protection (P280, P305+P351+P338); H272 for keeping
    # an oxidizer from combustibles (P210, P220); H336/H351 vapours for the hood (P261, P271).
    # The library classifies silver nitrate H272 + H314, dichloromethane H336 + H351.
    keys = _controls_of("""\
        AgNO3: {reagent: silver nitrate, amount: 50 mg}
        DCM: {reagent: dichloromethane, amount: 10 mL, role: solvent}
        """)
    assert "goggles" in keys["eye-face"].lower()
    assert "combustible" in keys["oxidizer-apart"]
    assert "fume-hood" in keys


def test_a_benign_liquid_gets_none_of_those_controls() -> None:
    # Water carries no H-statement at all: no eye, oxidizer or hood control.
    keys = _controls_of("""\
        water: {reagent: water, amount: 10 mL, role: solvent}
        """)
    assert not {"eye-face", "oxidizer-apart", "fume-hood"} & set(keys)
