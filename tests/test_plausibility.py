"""Values no bottle can have (issue 11, item 5): a purity above 100 %, a solution stronger
than its neat solute."""

from __future__ import annotations

import pytest

from protocol_text import findings_of, validate_body, with_code

SALT = """\
materials:
  salt: {reagent: sodium-chloride, amount: 1 g, purity: '%s'}
  water: {reagent: water, amount: 10 mL}
vessels:
  flask: {kind: flask, volume: 50 mL}
steps:
  - {action: add, materials: [salt, water], to: flask}
"""


@pytest.mark.parametrize("purity", ["150 %", "100.5 %", "1.2", "99-101 %"])
def test_a_purity_above_100_percent_is_out_of_range(purity: str) -> None:
    (found,) = with_code(validate_body(SALT % purity), "SC108")
    assert "a purity is at most 100 %" in found.message
    assert found.yaml_path == "materials.salt.purity"


@pytest.mark.parametrize("purity", ["100 %", "99.5-100 %", "1", "0.98"])
def test_a_purity_up_to_100_percent_is_accepted(purity: str) -> None:
    result = validate_body(SALT % purity)
    assert not with_code(result, "SC108")
    assert result.base is not None
    assert result.base.protocol is not None


BULI = """\
materials:
  nBuLi: {reagent: n-butyllithium, concentration: %s, solvent: hexane, amount: 4.4 mL,
          role: reactant}
vessels:
  flask: {kind: flask, volume: 50 mL, atmosphere: argon}
steps:
  - {action: add, materials: [nBuLi], to: flask}
"""


def test_a_solution_stronger_than_the_neat_solute_is_an_error() -> None:
    """'25 M' n-butyllithium (sold as 1.6-2.5 M in hexanes): 25 mol/L × 64.06 g/mol = 1.60 g
    of solute in each mL, more than the neat liquid weighs (about 0.68 g/mL)."""
    (found,) = with_code(validate_body(BULI % "25 M"), "ST117")
    assert f"{25 * 64.06 / 1000:.1f} g of n-butyllithium in every mL" in found.message
    assert not with_code(validate_body(BULI % "2.5 M"), "ST117")


def test_trioctylphosphine_at_room_temperature_is_a_liquid() -> None:
    """The library keeps no melting point for TOP (CAS Common Chemistry's 30 °C contradicts
    every supplier, who ship it as a liquid; sources.yaml says why), so neat TOP dispensed
    and stirred at 20 °C is not reported frozen (PH101)."""
    from benchsheet.reagents.library import load_library

    record = load_library().get("trioctylphosphine")
    assert record is not None
    assert record.melting_point_K is None
    assert any(field == "melting_point_K" for field, _ in record.overrides)
    found = findings_of("""
        materials:
          TOP: {reagent: trioctylphosphine, amount: 2 mL, role: ligand}
        vessels:
          vial: {kind: vial, volume: 20 mL}
        steps:
          - {action: add, materials: [TOP], to: vial, temperature: 20 degC}
        """)
    assert with_code(found, "PH101") == []
