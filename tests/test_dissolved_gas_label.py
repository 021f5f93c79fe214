"""A gas used only as the solute of a solution (the HCl of 3 M hydrochloric acid, the NH3 of
ammonia water) is no gas under pressure and does not burn as a gas: the hazard statements
(HZ101, the sheet's list) and the sheet's label table leave out the gas's own statements
(H220/H221 flammable gas, H280 gas under pressure, ...) and the pictograms only they carry
(GHS04 gas cylinder). The same gas from a cylinder keeps them.

Labels are those of the reagent library: hydrogen chloride H280, H314, H331 with GHS04, GHS05,
GHS06; ammonia H221, H280, H314, H331, H400 with GHS04, GHS05, GHS06, GHS09 (CLP Annex VI).
Statement classes: CLP Annex I 2.2 (flammable gases, H220/H221), 2.5 (gases under pressure,
H280/H281, pictogram GHS04).
"""

from __future__ import annotations

import pytest

from benchsheet.render import render_sheet
from protocol_text import validate_body, with_code

ACID = """\
materials:
  water: {reagent: water, amount: 20 mL, role: solvent}
  ACID
vessels:
  flask: {kind: Erlenmeyer flask, volume: 100 mL}
  autoclave: {kind: autoclave, volume: 100 mL, pressure_rating: 20 bar gauge, closed: true}
steps:
  - {action: add, materials: [water], to: flask, note: in a fume hood}
  - STEP
"""

DISSOLVED = {
    "HCl": ("{reagent: hydrogen-chloride, concentration: 3.0 M, solvent: water, "
            "amount: 5.0 mL, role: acid}"),
    "NH3": ("{reagent: ammonia, concentration: 28 %, density: 0.90 g/mL, solvent: water, "
            "amount: 5.0 mL, role: base}"),
}
NAMES = {"HCl": "hydrogen chloride", "NH3": "ammonia"}


def _body(material: str, definition: str, step: str) -> str:
    return ACID.replace("ACID", f"{material}: {definition}").replace("STEP", step)


def _dissolved(material: str) -> str:
    return _body(material, DISSOLVED[material],
                 f"{{action: add, materials: [{material}], to: flask, note: in a fume hood}}")


def _label_row(body: str, name: str) -> str:
    result = validate_body(body)
    assert result.base is not None
    sheet = render_sheet(result, result.base, "md")
    (row,) = [line for line in sheet.splitlines() if line.startswith(f"| {name} (")]
    return row


@pytest.mark.parametrize("material", ["HCl", "NH3"])
def test_a_dissolved_gas_is_not_labelled_as_a_gas(material: str) -> None:
    body = _dissolved(material)
    (statements,) = with_code(validate_body(body), "HZ101")
    for gas_only in ("H220", "H221", "H280", "H281"):
        assert gas_only not in statements.message
    # what the solution is, it still is: corrosive, toxic if inhaled
    assert f"H314 Causes severe skin burns and eye damage ({NAMES[material]})" in \
        statements.message
    assert f"H331 Toxic if inhaled ({NAMES[material]})" in statements.message
    row = _label_row(body, NAMES[material])
    assert "GHS04" not in row
    assert "H280" not in row
    assert "GHS05 corrosion" in row
    assert "H314, H331" in row


def test_hydrochloric_acid_label_row_in_full() -> None:
    row = _label_row(_dissolved("HCl"), "hydrogen chloride")
    assert row == ("| hydrogen chloride (HCl) | Danger | GHS05 corrosion, GHS06 skull and "
                   "crossbones | H314, H331 |")


def test_the_same_gas_from_a_cylinder_keeps_its_gas_statements() -> None:
    cylinder = ("{reagent: hydrogen-chloride, role: reagent-gas, gas: {mode: charge, "
                "pressure: 2 bar gauge, vessel: autoclave, temperature: 25 degC}}")
    body = _body("HCl", cylinder, "{action: pressurize, vessel: autoclave, gas: HCl, "
                 "pressure: 2 bar gauge, note: in a fume hood}")
    (statements,) = with_code(validate_body(body), "HZ101")
    assert "H280 Contains gas under pressure; may explode if heated (hydrogen chloride)" in \
        statements.message
    row = _label_row(body, "hydrogen chloride")
    assert "GHS04 gas cylinder" in row
    assert "H280, H314, H331" in row


def test_a_gas_used_both_dissolved_and_from_a_cylinder_keeps_them() -> None:
    """One substance, two materials: the cylinder's hazards are the protocol's."""
    body = ACID.replace("ACID", "HCl: " + DISSOLVED["HCl"] + "\n  HCl_gas: {reagent: "
                        "hydrogen-chloride, role: reagent-gas, gas: {mode: charge, pressure: "
                        "2 bar gauge, vessel: autoclave, temperature: 25 degC}}").replace(
        "STEP", "{action: add, materials: [HCl], to: flask, note: in a fume hood}\n  - "
        "{action: pressurize, vessel: autoclave, gas: HCl_gas, pressure: 2 bar gauge, "
        "note: in a fume hood}")
    (statements,) = with_code(validate_body(body), "HZ101")
    assert "H280" in statements.message
