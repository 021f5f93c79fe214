"""A one-off gas charge as a range with its assumptions (GS110, GS102) and one equation of
state at every temperature (PH105's charged-gas term).

The paper's case (Baek et al., Nat. Mater. 2021): "3 bar CO2" (read as gauge) over 3 mL of
propylene oxide in a 150 mL reactor at 25 °C, purge not stated. The other field: H2 over
dichloromethane in an autoclave.
"""

from __future__ import annotations

import re

import pytest

from benchsheet.findings import Finding
from protocol_text import validate_body, with_code

R = 8.314462618  # J/(mol·K), CODATA 2018 (exact)
ATM = 101_325.0  # Pa, by definition
T25, T70 = 298.15, 343.15
# Second virial coefficients from the Tsonopoulos correlation as the library computes them
# (chemicals 1.5.2); Dymond and Smith (1980) tabulate about −124 cm³/mol for CO2 at 298 K.
B_CO2_25, B_CO2_70 = -124.35e-6, -89.91e-6  # m³/mol
B_H2_25 = 19.41e-6
# Vapour pressures at 25 °C (Wagner equations: McGarry 1983 for propylene oxide; Perry's
# Handbook DIPPR 101 for dichloromethane), as the library records them.
P_PO_25, P_DCM_25 = 71_554.0, 58_115.0


def _n(p: float, v_m3: float, t: float, b: float) -> float:
    """n = p·V / (R·T + B·p)."""
    return p * v_m3 / (R * t + b * p)


def _mmol(finding: Finding) -> list[float]:
    return [float(x) for x in re.findall(r"([\d.]+) mmol", finding.message)]


CYCLOADDITION = """\
    materials:
      PO: {reagent: propylene oxide, amount: 3 mL, role: substrate}
      CO2:
        reagent: carbon dioxide
        role: reactant
        gas: {mode: charge, pressure: 3 bar gauge, vessel: reactor, temperature: 25 degC}
    vessels:
      reactor: {kind: Parr reactor, volume: 150 mL, closed: true, pressure_rating: 200 bar gauge}
    steps:
      - {action: add, materials: [PO], to: reactor}
      - {action: pressurize, vessel: reactor, gas: CO2, pressure: 3 bar gauge}
      - {action: heat, vessel: reactor, temperature: 70 degC, duration: 6 h, product: PC}
    products:
      PC:
        name: propylene carbonate
        formula: C4H6O3
        reaction: {reactants: {PO: 1, CO2: 1}}
    """
P_ABS = 3e5 + ATM
V_HEAD = 147e-6  # 150 mL less 3 mL of PO
N_PO = 3 * 0.823 / (3 * 12.011 + 6 * 1.008 + 15.999)  # 42.51 mmol (0.823 g/mL at 25 °C)


def test_GS110_paper_charge_from_unpurged_to_purged() -> None:
    # Purged: 4.013 − 0.716 = 3.298 bar of CO2, 19.88 mmol (the audit's 19.9 mmol).
    # Not purged: 1 atm of air stays too, 2.284 bar, 13.70 mmol.
    purged = _n(P_ABS - P_PO_25, V_HEAD, T25, B_CO2_25)
    unpurged = _n(P_ABS - P_PO_25 - ATM, V_HEAD, T25, B_CO2_25)
    result = validate_body(CYCLOADDITION)
    (found,) = with_code(result, "GS110")
    low, high, whole = _mmol(found)
    assert low == pytest.approx(1e3 * unpurged, abs=0.05)
    assert high == pytest.approx(1e3 * purged, abs=0.05)
    assert whole == pytest.approx(1e3 * _n(P_ABS, V_HEAD, T25, B_CO2_25), abs=0.05)  # 24.3
    assert "vapour 0.72 bar of PO" in found.message
    assert "purge not stated" in found.message
    assert "purged: true or false" in found.hint
    (cap,) = with_code(result, "GS102")
    (low_pct, high_pct) = re.findall(r"(\d+)–(\d+) % \(GS110\)", cap.message)[0]
    # 13.70 / 42.51 = 32 %, 19.88 / 42.51 = 47 % (the audit's 46.7 %)
    assert int(low_pct) == round(100 * unpurged / N_PO)
    assert int(high_pct) == round(100 * purged / N_PO)


def test_PH105_charged_gas_at_70C_with_the_same_virial_equation() -> None:
    # 20 bar gauge of CO2 in an empty 100 mL autoclave at 25 °C: n = P·V/(R·T + B·P)
    # = 94.75 mmol. At 70 °C the same equation solved for P, P = n·R·T / (V − n·B(70 °C)),
    # gives 24.91 bar; the ideal gas law would say 27.03 bar.
    p = 20e5 + ATM
    n = _n(p, 100e-6, T25, B_CO2_25)
    expected = n * R * T70 / (100e-6 - n * B_CO2_70)
    assert n * R * T70 / 100e-6 / 1e5 == pytest.approx(27.03, abs=0.01)
    assert expected / 1e5 == pytest.approx(24.91, abs=0.01)
    body = """\
        materials:
          CO2:
            reagent: carbon dioxide
            role: reactant
            gas: {mode: charge, pressure: 20 bar gauge, vessel: autoclave, temperature: 25 degC,
                  purged: true}
        vessels:
          autoclave: {kind: autoclave, volume: 100 mL, closed: true,
                      pressure_rating: 200 bar gauge}
        steps:
          - {action: pressurize, vessel: autoclave, gas: CO2, pressure: 20 bar gauge}
          - {action: heat, vessel: autoclave, temperature: 70 degC, duration: 1 h}
        """
    found = [f for f in with_code(validate_body(body), "PH105") if "70" in f.message]
    assert found
    (bar,) = re.findall(r"carbon dioxide charged gas ([\d.]+) bar", found[0].message)
    assert float(bar) == pytest.approx(expected / 1e5, abs=0.05)


# --- another field: H2 over dichloromethane ------------------------------------------------


def _hydrogen(purged: str) -> str:
    return f"""\
        materials:
          DCM: {{reagent: dichloromethane, amount: 10 mL, role: solvent}}
          H2:
            reagent: hydrogen
            role: reactant
            gas: {{mode: charge, pressure: 5 bar gauge, vessel: autoclave, temperature: 25 degC,
                   purged: {purged}}}
        vessels:
          autoclave: {{kind: autoclave, volume: 50 mL, closed: true}}
        steps:
          - {{action: add, materials: [DCM], to: autoclave}}
          - {{action: pressurize, vessel: autoclave, gas: H2, pressure: 5 bar gauge}}
        """


def test_GS110_hydrogen_over_a_volatile_solvent_purged() -> None:
    # 6.013 bar less 0.581 bar of CH2Cl2: 5.432 bar of H2 in 40 mL, 8.73 mmol, against the
    # 9.66 mmol of the whole reading. Purged as stated: one end.
    p = 5e5 + ATM - P_DCM_25
    (found,) = with_code(validate_body(_hydrogen("true")), "GS110")
    amounts = _mmol(found)
    assert len(amounts) == 2  # one end, and GS101's figure
    assert amounts[0] == pytest.approx(1e3 * _n(p, 40e-6, T25, B_H2_25), abs=0.01)
    assert amounts[1] == pytest.approx(1e3 * _n(5e5 + ATM, 40e-6, T25, B_H2_25), abs=0.01)
    assert "purge stated" in found.message
    assert not found.hint


def test_GS110_hydrogen_not_purged_keeps_the_air_at_both_ends() -> None:
    p = 5e5 + ATM - P_DCM_25 - ATM  # 4.419 bar: 7.11 mmol
    (found,) = with_code(validate_body(_hydrogen("false")), "GS110")
    assert _mmol(found)[0] == pytest.approx(1e3 * _n(p, 40e-6, T25, B_H2_25), abs=0.01)
    assert "not purged (stated)" in found.message


def test_GS110_silent_for_a_purged_dry_vessel() -> None:
    # No liquid and a purged vessel: the reading is all the gas, nothing to take out.
    body = _hydrogen("true").replace(
        "          - {action: add, materials: [DCM], to: autoclave}\n", "")
    body = body.replace("          DCM: {reagent: dichloromethane, amount: 10 mL, role: solvent}\n",
                        "")
    assert not with_code(validate_body(body), "GS110")


def test_PH105_reports_the_pressure_at_70C_as_a_range_with_its_assumptions() -> None:
    """PH105's figure counts the whole 4.013 bar reading as CO2 and adds the PO vapour again:
    the upper bound. With only CO2's own part of the reading (GS110's ends), the gas term
    scales by n_end / n_whole, and the unpurged end keeps 1 atm of air, heated to 70 °C.

    At 70 °C the PO (3 mL, 0.8228 g/mL at 25 °C, 0.7575 at 70 °C: the library's two measured
    points, 0.859 at 0 °C and 0.830 at 20 °C, extended linearly) takes 3.259 mL, so the CO2
    has 146.74 mL: P_whole = n·R·T/(V − n·B(70 °C))."""
    whole = _n(P_ABS, V_HEAD, T25, B_CO2_25)
    purged = _n(P_ABS - P_PO_25, V_HEAD, T25, B_CO2_25)
    unpurged = _n(P_ABS - P_PO_25 - ATM, V_HEAD, T25, B_CO2_25)
    v_70 = V_HEAD - 3e-6 * (0.8228 / 0.7575 - 1)
    p_whole = whole * R * T70 / (v_70 - whole * B_CO2_70)
    air_70 = ATM * T70 / T25
    (found,) = [f for f in with_code(validate_body(CYCLOADDITION), "PH105") if "70" in f.message]
    total = float(re.findall(r"about ([\d.]+) bar abs", found.message)[0])
    low, high = (float(x) for x in re.findall(r"([\d.]+)–([\d.]+) bar \(GS110\)",
                                              found.message)[0])
    # the ends sit below the upper bound by the CO2 the reading did not hold (and the air kept)
    assert total - high == pytest.approx(p_whole * (1 - purged / whole) / 1e5, abs=0.012)
    assert total - low == pytest.approx(
        (p_whole * (1 - unpurged / whole) - air_70) / 1e5, abs=0.012)
    assert "not purged" in found.message
    assert "purged: the reading less 0.72 bar of vapour" in found.message
