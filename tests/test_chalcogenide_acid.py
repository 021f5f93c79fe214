"""A strong acid on a metal sulfide or selenide gives off H2S or H2Se (HZ113 without a hood).

Hand calculation (IUPAC 2021 atomic weights: Cd 112.414, Se 78.971, Zn 65.38, S 32.06):
CdSe 191.385 g/mol, so 50 mg is 0.2613 mmol of Se²⁻; 5 mL of 6 M HCl is 30 mmol of H⁺, enough
for 15 mmol of H2Se (Se²⁻ + 2 H⁺ → H2Se), so the selenide bounds it: 0.2613 mmol.
"""

from __future__ import annotations

import pytest

from protocol_text import validate_body, with_code

M_CDSE = 112.414 + 78.971
M_ZNS = 65.38 + 32.06


def _protocol(solid: str, formula: str, mass: str, acid: str, note: str = "") -> str:
    return f"""
        materials:
          solid: {{reagent: {{name: {solid}, formula: {formula}, phase: solid}}, amount: {mass},
                   role: reactant}}
          acid: {{reagent: {acid}, role: acid}}
        vessels:
          beaker: {{kind: beaker, volume: 100 mL}}
        steps:
          - {{action: add, materials: [solid], to: beaker}}
          - {{action: add, materials: [acid], to: beaker{note}}}
        """


def _released(body: str) -> list[tuple[str, float | None]]:
    result = validate_body(body)
    amounts = result.variants[0].amounts
    assert amounts is not None, [f.message for f in result.findings]
    return [(r.formula, r.moles) for s in amounts.timeline for r in s.released]


def test_acidified_cadmium_selenide_gives_hydrogen_selenide() -> None:
    body = _protocol("cadmium selenide", "CdSe", "50 mg",
                     "hydrogen-chloride, concentration: 6 M, solvent: water, amount: 5 mL")
    released = _released(body)
    assert [f for f, _ in released] == ["H2Se"]
    assert released[0][1] == pytest.approx(0.050 / M_CDSE, rel=1e-4)
    found = with_code(validate_body(body), "HZ113")
    assert len(found) == 1
    assert "hydrogen selenide" in found[0].message


def test_a_hood_named_in_the_note_answers_it() -> None:
    body = _protocol("cadmium selenide", "CdSe", "50 mg",
                     "hydrogen-chloride, concentration: 6 M, solvent: water, amount: 5 mL",
                     ", note: 'in the fume hood: H2Se is given off'")
    assert with_code(validate_body(body), "HZ113") == []


def test_zinc_sulfide_and_sulfuric_acid_give_hydrogen_sulfide_bounded_by_the_acid() -> None:
    # ZnS 1.00 g = 10.27 mmol; 1 mL of 1 M H2SO4 = 1 mmol, 2 mmol H⁺ → 1.0 mmol H2S.
    body = _protocol("zinc sulfide", "ZnS", "1.00 g",
                     "sulfuric-acid, concentration: 1 M, solvent: water, amount: 1 mL")
    released = _released(body)
    assert [f for f, _ in released] == ["H2S"]
    assert released[0][1] == pytest.approx(1.0e-3, rel=1e-6)
    assert 1.00 / M_ZNS > 1.0e-3  # the sulfide is in excess: the acid bounds it


@pytest.mark.parametrize(("solid", "formula"), [
    ("selenium", "Se"),                        # the element: no selenide anion
    ("sodium sulfate", "Na2SO4"),              # an oxoanion
    ("sodium selenite", "Na2SeO3"),
    ("trioctylphosphine selenide", "C24H51PSe"),  # a phosphine chalcogenide, no anion
])
def test_what_is_not_a_metal_chalcogenide_gives_no_gas(solid: str, formula: str) -> None:
    body = _protocol(solid, formula, "100 mg",
                     "hydrogen-chloride, concentration: 6 M, solvent: water, amount: 5 mL")
    assert _released(body) == []


def test_a_hydrate_is_still_a_sulfide() -> None:
    # Na2S·9H2O: the O is all water. 240.18 g/mol (Na 22.990, S 32.06, H 1.008, O 15.999):
    # 0.2402 g = 1.000 mmol; 5 mL of 6 M HCl (30 mmol H⁺) → 1.000 mmol H2S.
    m = 2 * 22.990 + 32.06 + 9 * (2 * 1.008 + 15.999)
    body = _protocol("sodium sulfide nonahydrate", "Na2S·9H2O", f"{m / 1000:.6f} g",
                     "hydrogen-chloride, concentration: 6 M, solvent: water, amount: 5 mL")
    released = _released(body)
    assert [f for f, _ in released] == ["H2S"]
    # rel 1e-4: the formula parser's atomic weights differ from these in the fifth digit
    assert released[0][1] == pytest.approx(1.0e-3, rel=1e-4)


def test_acetic_acid_is_not_strong_enough() -> None:
    body = _protocol("zinc sulfide", "ZnS", "1.00 g", "acetic-acid, amount: 5 mL")
    assert _released(body) == []
