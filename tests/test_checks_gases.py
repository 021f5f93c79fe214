"""Gas checks (GS1xx): a CO2 charge into a closed reactor, counted by hand from sourced constants.

The headspace gas is n = P·V/(Z·R·T) with Z = 1 + B·P/(R·T) (virial equation truncated after the
second coefficient, good to well under 1 % for CO2 at a few bar).
"""

from __future__ import annotations

import re

import pytest

from protocol_text import validate_body, with_code

R = 8.314462618  # J/(mol·K), exact since the 2019 SI redefinition (CODATA 2018)
ATM_PA = 101_325.0  # standard atmosphere, by definition; gauge pressures are read against it
T25 = 298.15  # K
# Second virial coefficient of CO2 near 298 K: about −124 cm³/mol (Dymond and Smith, The Virial
# Coefficients of Pure Gases and Mixtures, Oxford 1980; −122 to −127 cm³/mol across the
# measurements it lists). The spread changes Z by under 0.1 %.
B_CO2 = -124e-6  # m³/mol
# Propylene oxide, C3H6O: M from IUPAC 2021 standard atomic weights; density at 25 °C linear
# between 0.859 g/mL at 0 °C (Merck Index) and 0.830 g/mL at 20 °C (CRC Handbook): 0.8228.
PO_M = 3 * 12.011 + 6 * 1.008 + 15.999  # 58.08 g/mol
PO_DENSITY = 0.823  # 0.830 - (0.859 - 0.830) / 20 × 5 = 0.8228, recorded as 0.823

def _co2_reactor(*, charge: str = "3 bar gauge", step: str = "3 bar gauge",
                 vessel: str = "{kind: Parr reactor, volume: 150 mL, closed: true}",
                 po: str = "3 mL", replenished: str = "false") -> str:
    """PO + CO2 → propylene carbonate in a closed reactor charged once with CO2."""
    return f"""\
        materials:
          PO: {{reagent: propylene oxide, amount: {po}, role: substrate}}
          CO2:
            reagent: carbon dioxide
            role: reactant
            gas: {{mode: charge, pressure: {charge}, vessel: reactor, temperature: 25 degC,
                   replenished: {replenished}}}
        vessels:
          reactor: {vessel}
        steps:
          - {{action: add, materials: [PO], to: reactor}}
          - {{action: pressurize, vessel: reactor, gas: CO2, pressure: {step}}}
          - {{action: hold, vessel: reactor, temperature: 25 degC, duration: 6 h, product: PC}}
        products:
          PC:
            name: propylene carbonate
            formula: C4H6O3
            reaction: {{reactants: {{PO: 1, CO2: 1}}}}
        """


def _co2_moles(gauge_bar: float = 3.0, vessel_mL: float = 150.0, liquid_mL: float = 3.0
               ) -> tuple[float, float]:
    """(n in mol, Z) of CO2 charged at 25 °C into the headspace left by the liquid."""
    p = gauge_bar * 1e5 + ATM_PA  # 401 325 Pa for 3 bar gauge
    v = (vessel_mL - liquid_mL) * 1e-6  # 147 mL of headspace
    z = 1 + B_CO2 * p / (R * T25)  # 0.980
    return p * v / (z * R * T25), z


# --- GS101: gas in a closed headspace ---------------------------------------------------------


def test_GS101_co2_charge_counted_with_virial_Z() -> None:
    result = validate_body(_co2_reactor())
    n, z = _co2_moles()  # 24.28 mmol
    (found,) = with_code(result, "GS101")
    match = re.search(r"([\d.]+) mmol in ([\d.]+) mL of headspace \(([\d.]+) mL vessel − "
                      r"([\d.]+) mL condensed\) at ([\d.]+) bar abs and ([\d.]+) °C, "
                      r"Z = ([\d.]+)", found.message)
    assert match, found.message
    mmol, head, vessel, liquid, bar, celsius, z_text = map(float, match.groups())
    assert mmol == pytest.approx(1e3 * n, rel=0.01)
    assert (head, vessel, liquid) == (147, 150, 3)
    assert bar == pytest.approx(4.01)
    assert celsius == 25
    assert z_text == pytest.approx(z, abs=0.002)
    amounts = result.variants[0].amounts
    assert amounts is not None
    gas = amounts.gases["CO2"]
    assert gas.pressure_abs_Pa.nominal == pytest.approx(401_325)
    assert gas.headspace_mL == pytest.approx(147)
    assert gas.z == pytest.approx(z, rel=0.01)
    assert gas.moles.nominal == pytest.approx(n, rel=0.01)
    # The table's moles also feed the material entry that the balance reads.
    co2 = amounts.materials["CO2"]
    assert co2.moles is not None
    assert co2.moles.nominal == pytest.approx(n, rel=0.01)


def test_GS101_no_charge_no_headspace_note() -> None:
    body = """\
        materials:
          PO: {reagent: propylene oxide, amount: 3 mL}
        vessels:
          reactor: {kind: Parr reactor, volume: 150 mL, closed: true}
        steps:
          - {action: add, materials: [PO], to: reactor}
        """
    assert not with_code(validate_body(body), "GS101")


# --- GS102: a one-off charge limits the conversion --------------------------------------------


def test_GS102_one_off_charge_caps_the_conversion() -> None:
    result = validate_body(_co2_reactor())
    (found,) = with_code(result, "GS102")
    n_co2, _ = _co2_moles()
    n_po = 3 * PO_DENSITY / PO_M  # 2.468 g / 58.08 g/mol = 42.50 mmol
    percent, po_mmol = map(float, re.findall(
        r"converts at most ([\d.]+) % of 'PO' \(([\d.]+) mmol\)", found.message)[0])
    assert po_mmol == pytest.approx(1e3 * n_po, abs=0.005)
    assert percent == pytest.approx(100 * n_co2 / n_po, rel=0.01)  # 56.6 %
    assert found.severity.name == "WARNING"
    amounts = result.variants[0].amounts
    assert amounts is not None
    assert amounts.balances["PC"].limiting == ("CO2",)


def test_GS102_replenished_charge_passes() -> None:
    result = validate_body(_co2_reactor(replenished="true"))
    assert not with_code(result, "GS102")
    assert with_code(result, "GS101")  # still counted


def test_GS102_charge_in_excess_passes() -> None:
    # 30 bar gauge: n ≈ 0.19 mol of CO2, more than the 42.87 mmol of PO; PO limits.
    result = validate_body(_co2_reactor(charge="30 bar gauge", step="30 bar gauge"))
    assert not with_code(result, "GS102")
    amounts = result.variants[0].amounts
    assert amounts is not None
    assert amounts.balances["PC"].limiting == ("PO",)


# --- GS103: a charge into an open vessel ------------------------------------------------------


def test_GS103_charge_into_open_vessel_is_flagged() -> None:
    result = validate_body(_co2_reactor(vessel="{kind: round-bottom flask, volume: 150 mL}"))
    (found,) = with_code(result, "GS103")
    assert found.message == "'CO2' is charged to 3 bar gauge into 'reactor', which is not closed"
    assert found.yaml_path == "materials.CO2.gas.vessel"


def test_GS103_closed_vessel_passes() -> None:
    assert not with_code(validate_body(_co2_reactor()), "GS103")


# --- GS104: no vessel volume ------------------------------------------------------------------


def test_GS104_vessel_without_volume_is_flagged() -> None:
    result = validate_body(_co2_reactor(vessel="{kind: Parr reactor, closed: true}"))
    (found,) = with_code(result, "GS104")
    assert "vessel 'reactor' has no volume" in found.message
    amounts = result.variants[0].amounts
    assert amounts is not None
    assert "CO2" not in amounts.gases
    assert amounts.materials["CO2"].moles is None


def test_GS104_vessel_with_volume_passes() -> None:
    assert not with_code(validate_body(_co2_reactor()), "GS104")


# --- GS105: a feed without a flow rate --------------------------------------------------------


def _bubbled(gas: str) -> str:
    return f"""\
        materials:
          EtOH: {{reagent: ethanol, amount: 10 mL, role: solvent}}
          CO: {{reagent: carbon monoxide, role: reagent-gas, gas: {gas}}}
        vessels:
          flask: {{kind: three-neck flask, volume: 50 mL}}
        steps:
          - {{action: add, materials: [EtOH], to: flask}}
          - {{action: bubble, gas: CO, into: flask, duration: 1 h}}
        """


def test_GS105_flow_without_rate_is_flagged() -> None:
    (found,) = with_code(validate_body(_bubbled("{mode: flow, duration: 1 h}")), "GS105")
    assert "'CO' is fed continuously with no flow rate" in found.message


def test_GS105_flow_with_rate_passes() -> None:
    result = validate_body(_bubbled("{mode: flow, flow_rate: 20 mL/min, duration: 1 h}"))
    assert not with_code(result, "GS105")
    amounts = result.variants[0].amounts
    assert amounts is not None
    # 20 mL/min for 60 min = 1.2 L at 0 °C and 1 atm: n = P·V/(R·T) = 53.54 mmol.
    moles = amounts.materials["CO"].moles
    assert moles is not None
    assert moles.nominal == pytest.approx(ATM_PA * 1.2e-3 / (R * 273.15), rel=1e-6)


# --- GS106: no headspace ----------------------------------------------------------------------


def test_GS106_liquid_filling_the_vessel_is_flagged() -> None:
    result = validate_body(_co2_reactor(po="150 mL"))
    (found,) = with_code(result, "GS106")
    assert found.message == "'CO2': 150 mL of liquid fill the 150 mL vessel"
    amounts = result.variants[0].amounts
    assert amounts is not None
    assert amounts.gases["CO2"].headspace_mL == 0


def test_GS106_headspace_left_passes() -> None:
    assert not with_code(validate_body(_co2_reactor(po="100 mL")), "GS106")


# --- GS107: step and material pressures disagree ----------------------------------------------


def test_GS107_step_pressure_differs_from_material() -> None:
    (found,) = with_code(validate_body(_co2_reactor(step="5 bar gauge")), "GS107")
    assert found.message == ("the step charges 'CO2' to 5 bar gauge but the material says "
                             "3 bar gauge")
    assert found.yaml_path == "steps[1].pressure"


@pytest.mark.parametrize("step", ["3 bar gauge", "300 kPa gauge", "4.01325 bar abs"])
def test_GS107_same_pressure_passes(step: str) -> None:
    # 300 kPa gauge is 3 bar gauge; 3 bar gauge + 1.01325 bar is 4.01325 bar absolute.
    # (Fixed: the check compared the spellings, so equal pressures in other units were flagged.)
    assert not with_code(validate_body(_co2_reactor(step=step)), "GS107")
