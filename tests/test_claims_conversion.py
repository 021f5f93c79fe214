"""Conversion and ratio claims: what the reported value needs (CL105, CL108), by hand.

The paper's case (Baek et al., Nat. Mater. 2021): "nearly full conversion" of 3 mL of propylene
oxide under one 3 bar (gauge) charge of CO2 in a 150 mL reactor. The other field: a Fischer
esterification with the alcohol in excess, and a ratio of precursors weighed as a range.
"""

from __future__ import annotations

import re

import pytest

from protocol_text import validate_body, with_code

R = 8.314462618  # J/(mol·K), CODATA 2018 (exact)
C, H, OX = 12.011, 1.008, 15.999  # IUPAC/CIAAW 2021 (abridged)
N_PO = 3 * 0.823 / (3 * C + 6 * H + OX)  # 3 mL at 0.823 g/mL (25 °C): 42.51 mmol
_P = 3e5 + 101_325.0  # 3 bar gauge
# n = P·V/(R·T + B·P) in 147 mL at 25 °C, B(CO2) = −124.35 cm³/mol (Tsonopoulos, chemicals)
N_CO2 = _P * 147e-6 / (R * 298.15 - 124.35e-6 * _P)  # 24.3 mmol


def _cycloaddition(reported: str) -> str:
    return f"""\
        materials:
          PO: {{reagent: propylene oxide, amount: 3 mL, role: substrate}}
          CO2:
            reagent: carbon dioxide
            role: reactant
            gas: {{mode: charge, pressure: 3 bar gauge, vessel: reactor, temperature: 25 degC}}
        vessels:
          reactor: {{kind: Parr reactor, volume: 150 mL, closed: true}}
        steps:
          - {{action: add, materials: [PO], to: reactor}}
          - {{action: pressurize, vessel: reactor, gas: CO2, pressure: 3 bar gauge}}
          - {{action: hold, vessel: reactor, temperature: 25 degC, duration: 6 h, product: PC}}
        products:
          PC:
            name: propylene carbonate
            formula: C4H6O3
            reaction: {{reactants: {{PO: 1, CO2: 1}}}}
        claims:
          conv: {{kind: conversion, substrate: PO, product: PC, reported: {reported}}}
        """


def test_CL105_full_conversion_needs_more_CO2_than_one_charge() -> None:
    result = validate_body(_cycloaddition("~100 %"))
    (found,) = [f for f in with_code(result, "CL105") if f.path[:2] == ("claims", "conv")]
    (most,) = re.findall(r"at most ([\d.]+) %", found.message)
    assert float(most) == pytest.approx(100 * N_CO2 / N_PO, abs=0.05)  # 57.1 %
    (need,) = [f for f in with_code(result, "CL108") if f.path[:2] == ("claims", "conv")]
    numbers = [float(x) for x in re.findall(r"([\d.]+) mmol", need.message)]
    # 100 % of 42.51 mmol PO converts 42.51 mmol and needs as much CO2; the charge is 24.3.
    assert numbers[:4] == [pytest.approx(1e3 * N_PO, abs=0.01)] * 3 + [
        pytest.approx(1e3 * N_CO2, abs=0.05)]


def test_conversion_the_charge_allows_passes() -> None:
    result = validate_body(_cycloaddition("50 %"))
    assert not [f for f in with_code(result, "CL105") if f.path[:2] == ("claims", "conv")]


ESTER = """\
    materials:
      acid: {reagent: acetic acid, amount: 0.10 mol, role: reactant}
      alcohol: {reagent: isoamyl alcohol, amount: 0.15 mol, role: reactant}
    vessels:
      flask: {kind: round-bottom flask, volume: 100 mL}
    steps:
      - {action: add, materials: [acid, alcohol], to: flask}
      - {action: heat, vessel: flask, temperature: 60 degC, duration: 1 h, product: ester}
    products:
      ester:
        name: isoamyl acetate
        formula: C7H14O2
        reaction: {reactants: {acid: 1, alcohol: 1}, byproducts: {H2O: 1}}
    claims:
      conv: {kind: conversion, substrate: alcohol, product: ester, reported: 80 %}
    """


def test_CL105_esterification_cannot_convert_80_percent_of_the_excess_alcohol() -> None:
    # 0.10 mol acid limits: at most 0.10 / 0.15 = 66.7 % of the alcohol can become ester.
    result = validate_body(ESTER)
    (found,) = with_code(result, "CL105")
    (most,) = re.findall(r"at most ([\d.]+) %", found.message)
    assert float(most) == pytest.approx(100 * 0.10 / 0.15, abs=0.05)
    # Against the acid, 80 % is possible.
    fine = validate_body(ESTER.replace("substrate: alcohol", "substrate: acid"))
    assert not with_code(fine, "CL105")


def test_CL108_ratio_over_a_weighed_range() -> None:
    # Se : Cd = 3 with 1.4–1.6 mmol CdCl2 needs 4.2–4.8 mmol Se; 4.5 mmol is given.
    body = """\
        materials:
          CdCl2: {reagent: cadmium chloride, form: anhydrous, amount: 1.4–1.6 mmol}
          Se: {reagent: selenium, amount: 4.5 mmol}
        vessels:
          flask: {kind: round-bottom flask, volume: 50 mL}
        steps:
          - {action: add, materials: [CdCl2, Se], to: flask}
        claims:
          r: {kind: ratio, numerator: [Se], denominator: [CdCl2], reported: 3}
        """
    (found,) = with_code(validate_body(body), "CL108")
    assert "needs 4.2–4.8 mmol of Se over 1.4–1.6 mmol of CdCl2" in found.message
    assert found.message.endswith("the protocol gives 4.5 mmol")


# --- a ratio over a range of inputs -------------------------------------------------------


def _ratio(reported: str) -> str:
    """Benzaldehyde 10.0 mmol against 10–20 mmol of amine (the lab's range of 1–2 equiv).
    The claim: the aldehyde : amine ratio reported as ``reported``."""
    return f"""
        materials:
          ald: {{reagent: benzaldehyde, amount: 10.0 mmol, role: substrate}}
          amine: {{reagent: butylamine, amount: 10 to 20 mmol, role: reactant}}
        vessels:
          flask: {{kind: round-bottom flask, volume: 50 mL}}
        steps:
          - {{action: add, materials: [ald, amine], to: flask}}
        claims:
          r: {{kind: ratio, numerator: [ald], denominator: [amine], reported: {reported}}}
        """


def test_a_ratio_that_holds_over_part_of_the_range_says_which_part() -> None:
    # 0.6 to 0.8 : 1 needs 10 / 0.8 = 12.5 to 10 / 0.6 = 16.67 mmol of amine, inside 10–20.
    (found,) = with_code(validate_body(_ratio("60 to 80 %")), "CL107")
    low, high = (float(x) for x in re.findall(r"holds only with ([\d.]+)–([\d.]+) mmol",
                                              found.message)[0])
    assert low == pytest.approx(10 / 0.8, rel=1e-3)
    assert high == pytest.approx(10 / 0.6, rel=1e-3)


def test_a_ratio_the_whole_range_allows_is_not_flagged() -> None:
    # 0.5 to 1.0 : 1 fits every amine amount from 10 to 20 mmol.
    assert with_code(validate_body(_ratio("50 to 100 %")), "CL107") == []
