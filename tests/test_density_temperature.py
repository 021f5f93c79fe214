"""Liquid densities at a step's temperature, and the headspace a heated liquid leaves.

References: propylene oxide 0.859 g/mL at 0 °C (Merck Index, d 0/4) and 0.830 g/mL at 20 °C
(CRC Handbook), linear between them as the library's source says; toluene 0.8668 g/mL at
20 °C (CRC Handbook, density of organic liquids); water 997.05 and 965.31 kg/m³ at 25 and
90 °C (IAPWS-95).
"""

from __future__ import annotations

import pytest

from benchsheet.reagents.library import load_library


def test_propylene_oxide_follows_its_two_measured_points() -> None:
    po = load_library().get("propylene-oxide")
    assert po is not None
    slope = (0.830 - 0.859) / 20.0  # g/mL per K
    assert po.density_at(298.15) == pytest.approx(0.859 + slope * 25, abs=1e-4)  # 0.8228
    # 70 °C is 50 K past the 20 °C point: still within the 50 K a linear density is trusted
    assert po.density_at(343.15) == pytest.approx(0.859 + slope * 70, abs=1e-4)  # 0.7575
    assert po.density_at(353.15) is None  # 60 K out: not extrapolated


def test_a_correlation_reproduces_a_handbook_value_away_from_25_degrees() -> None:
    toluene = load_library().get("toluene")
    assert toluene is not None
    assert toluene.density_at(293.15) == pytest.approx(0.8668, rel=2e-3)


def test_water_grows_as_iapws_says() -> None:
    water = load_library().get("water")
    assert water is not None
    at_25, at_90 = water.density_at(298.15), water.density_at(363.15)
    assert at_25 is not None
    assert at_90 is not None
    assert at_25 / at_90 == pytest.approx(997.05 / 965.31, rel=2e-3)


def test_a_sealed_vessel_heated_has_the_headspace_its_expanded_liquid_leaves() -> None:
    """3 mL of propylene oxide in a sealed 10 mL tube heated to 70 °C takes 3 × 0.8228 /
    0.7575 = 3.259 mL: the headspace is 6.741 mL, not 7 mL."""
    from benchsheet.chemistry.amounts import condensed_volume, condensed_volume_at
    from protocol_text import validate_body

    result = validate_body("""
        materials:
          PO: {reagent: propylene oxide, amount: 3 mL, role: substrate}
        vessels:
          tube: {kind: pressure tube, volume: 10 mL, closed: true, pressure_rating: 10 bar gauge}
        steps:
          - {action: add, materials: [PO], to: tube}
          - {action: heat, vessel: tube, temperature: 70 degC}
        """)
    amounts = result.variants[0].amounts
    assert amounts is not None
    hot = [s for s in amounts.timeline if s.vessel == "tube"][-1]
    assert hot.temperature_K == pytest.approx(343.15)
    slope = (0.830 - 0.859) / 20.0
    expected = 3 * (0.859 + slope * 25) / (0.859 + slope * 70)
    assert condensed_volume(hot, amounts) == pytest.approx(3.0)
    assert condensed_volume_at(hot, amounts) == pytest.approx(expected, rel=1e-3)
