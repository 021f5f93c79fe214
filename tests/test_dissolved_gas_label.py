"""A gas used only as the solute of a solution (the HCl of 3 M hydrochloric acid, the NH3 of
ammonia water) is no gas under pressure and does not burn as a gas: the hazard statements
(HZ101, the sheet's list) and the sheet's label table leave out the gas's own statements
(H220/H221 flammable gas, H280 gas under pressure, ...) and the pictograms only they carry
(GHS04 gas cylinder). Dissolved in water it is not toxic to breathe as the gas is either
(H331 and the skull it alone carried): the harmonised labels of hydrochloric acid (CLP Annex VI
017-002-01-X: H314, and H335 from 10 %) and ammonia solution (007-001-01-2: H314, H335 from
5 %, H400) carry no H331, where hydrogen chloride and ammonia carry it. Dissolved in an organic
solvent, from which it fumes (HCl in diethyl ether), it keeps H331. The same gas from a
cylinder keeps all of them.

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
    # what the solution is, it still is: corrosive; not toxic to breathe as the gas is
    assert f"H314 Causes severe skin burns and eye damage ({NAMES[material]})" in \
        statements.message
    assert "H331" not in statements.message
    assert not with_code(validate_body(body), "HZ104")  # no "toxic if inhaled" control
    row = _label_row(body, NAMES[material])
    assert "GHS04" not in row
    assert "GHS06" not in row
    assert "H280" not in row
    assert "GHS05 corrosion" in row
    assert "H331" not in row


def test_hydrochloric_acid_label_row_in_full() -> None:
    row = _label_row(_dissolved("HCl"), "hydrogen chloride")
    assert row == "| hydrogen chloride (HCl) | Danger | GHS05 corrosion | H314 |"


def test_a_gas_dissolved_in_an_organic_solvent_is_still_toxic_to_breathe() -> None:
    """2 M HCl in diethyl ether gives off the gas: H331 and its control stay."""
    ether = ("{reagent: hydrogen-chloride, concentration: 2.0 M, solvent: diethyl-ether, "
             "amount: 5.0 mL, role: acid}")
    body = _body("HCl", ether, "{action: add, materials: [HCl], to: flask, note: in a fume "
                 "hood}")
    (statements,) = with_code(validate_body(body), "HZ101")
    assert "H331 Toxic if inhaled (hydrogen chloride)" in statements.message
    assert "H280" not in statements.message


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
