"""A database reagent's exposure limit puts its open handling in the fume hood when its
saturated vapour at 25 °C is more than a thousand times the limit (chemistry.hazards
SCREENING_DILUTION). Hand figures (vapour pressures at 25 °C from the database's own curves,
checked against the CRC Handbook: CS2 48.2 kPa, ethanol 7.87 kPa, acetone 30.8 kPa):

- carbon disulfide, TWA 1 ppm: 48.1 kPa / 101.325 kPa = 47.5 % → 474,900 ppm, 474,900× the
  limit, so in the hood;
- ethanol, STEL 1000 ppm: 7.87 / 101.325 = 7.77 % → 77,700 ppm, 78× the limit: not;
- acetone, TWA 500 ppm: 30.8 / 101.325 = 30.4 % → 304,000 ppm, 608× the limit: not.
"""

from __future__ import annotations

import re

import pytest

from benchsheet.chemistry.hazards import exposure_in_hood, hazard_flags
from benchsheet.chemistry.resolve import ResolvedReagent
from benchsheet.reagents.from_database import lookup
from protocol_text import validate_body, with_code


def _reagent(cas: str) -> ResolvedReagent:
    """The database's record of ``cas`` (not the curated library's, which has no limits)."""
    (record,) = lookup(cas)
    return ResolvedReagent(record.name, record, (record,), None, None, None, None, None,
                           record.phase_25C, record.cas, record.ghs)


def test_carbon_disulfide_is_handled_in_the_hood() -> None:
    reagent = _reagent("75-15-0")
    why = exposure_in_hood(reagent, "liquid")
    assert why is not None
    assert "TWA 1 ppm" in why
    (multiple,) = re.findall(r"([\d,]+)× the limit", why)
    # 48.1 kPa / 101.325 kPa × 10⁶ ppm / 1 ppm ≈ 474,900×, within the curve's 0.1 %
    assert float(multiple.replace(",", "")) == pytest.approx(48.1e3 / 101325 * 1e6, rel=2e-3)
    kinds = [f.kind for f in hazard_flags(reagent)]
    assert "vapour-in-hood" in kinds
    assert "flammable-liquid" in kinds  # its flash point (−30 °C) → H225, derived


@pytest.mark.parametrize("cas", ["64-17-5", "67-64-1"])
def test_ethanol_and_acetone_are_not(cas: str) -> None:
    assert exposure_in_hood(_reagent(cas), "liquid") is None


def test_a_solid_is_not_judged_by_its_vapour() -> None:
    assert exposure_in_hood(_reagent("75-15-0"), "solid") is None


def test_the_sheet_and_checks_print_the_hood() -> None:
    result = validate_body("""
        materials:
          CS2: {reagent: carbon disulfide, amount: 5 mL, role: solvent}
        vessels:
          flask: {kind: round-bottom flask, volume: 50 mL}
        steps:
          - {action: add, materials: [CS2], to: flask}
        """)
    assert result.variants[0].amounts is not None
    from benchsheet.chemistry.hazards import controls_for, used_reagents

    controls = [c.key for c in controls_for(used_reagents(result.variants[0].amounts))]
    assert "fume-hood" in controls
    assert with_code(result, "HZ111")  # and the classification is said to be incomplete
