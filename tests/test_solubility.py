"""ST118: a solution stronger than the saturated solution of its solute in its solvent.

Hand figures (CRC Handbook of Chemistry and Physics, aqueous solubility and concentrative
properties): NaCl 36.0 g per 100 g water at 25 °C → 26.4 %, saturated solution 1.20 g/mL →
0.317 g/mL = 5.42 mol/L (58.44 g/mol); NaOH 109 g per 100 g at 20 °C → 52.2 %, 1.55 g/mL →
0.809 g/mL = 20.2 mol/L (40.00 g/mol).
"""

from __future__ import annotations

import pytest

from protocol_text import findings_of, with_code


def _solution(reagent: str, concentration: str, solvent: str = "water") -> str:
    # a mass fraction of a solution measured by volume needs its density: weigh those
    amount = "10 g" if concentration.endswith("%") else "10 mL"
    return f"""
        materials:
          x: {{reagent: {reagent}, concentration: {concentration}, solvent: {solvent},
              amount: {amount}, role: reactant}}
        vessels:
          flask: {{kind: round-bottom flask, volume: 50 mL}}
        steps:
          - {{action: add, materials: [x], to: flask}}
        """


@pytest.mark.parametrize(("reagent", "concentration"), [
    ("sodium-chloride", "6.0 M"),    # 0.351 g/mL > 0.317 g/mL (1.02 × 0.317 = 0.323)
    ("sodium-chloride", "30 %"),     # > 26.4 %
    ("sodium-hydroxide", "25 M"),    # 1.00 g/mL > 0.809
    ("hydrogen-chloride", "16 M"),   # 0.583 g/mL > 0.507
])
def test_stronger_than_saturated_is_reported(reagent: str, concentration: str) -> None:
    found = with_code(findings_of(_solution(reagent, concentration)), "ST118")
    assert len(found) == 1
    assert found[0].path == ("materials", "x", "concentration")


@pytest.mark.parametrize(("reagent", "concentration"), [
    ("sodium-chloride", "5.0 M"),    # 0.292 g/mL: under saturation
    ("sodium-chloride", "26.4 %"),   # saturated brine itself
    ("sodium-hydroxide", "19 M"),    # 50 % NaOH as sold, 19.1 M
    ("hydrogen-chloride", "12 M"),   # 37 % hydrochloric acid
])
def test_ordinary_strengths_are_not(reagent: str, concentration: str) -> None:
    assert with_code(findings_of(_solution(reagent, concentration)), "ST118") == []


def test_another_solvent_is_not_judged_by_the_water_figure() -> None:
    """4 M HCl in dioxane is a common reagent; the library has no saturation in dioxane."""
    body = _solution("hydrogen-chloride", "4 M", "{name: 1,4-dioxane, formula: C4H8O2, "
                     "density: 1.033 g/mL}")
    assert with_code(findings_of(body), "ST118") == []
