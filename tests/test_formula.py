"""Formula parsing and molar masses (benchsheet.chemistry.formula).

Expected masses are summed by hand from IUPAC standard atomic weights (abridged, 2021):
Ag 107.868, Br 79.904, C 12.011, Cd 112.414, Cl 35.453, H 1.008, Mn 54.938, N 14.007,
O 15.999, P 30.974, Se 78.971. molmass uses slightly more digits (H 1.00794, C 12.0107), so
organic formulas with many H and C atoms agree to about 0.01 g/mol, not better.
"""

from __future__ import annotations

import pytest

from benchsheet.chemistry.formula import FormulaError, molar_mass, parse_formula


@pytest.mark.parametrize(
    ("formula", "expected", "tolerance"),
    [
        # CdCl2 = 112.414 + 2×35.453 = 183.320
        ("CdCl2", 183.320, 0.002),
        # MnCl2·4H2O = 54.938 + 2×35.453 + 8×1.008 + 4×15.999 = 197.904
        ("MnCl2·4H2O", 197.904, 0.003),
        # CdCl2·2.5H2O = 183.320 + 2.5×(2×1.008 + 15.999) = 183.320 + 45.038 = 228.358
        ("CdCl2·2.5H2O", 228.358, 0.003),
        # C4H12N2 (butane-1,4-diamine) = 4×12.011 + 12×1.008 + 2×14.007 = 88.154
        ("C4H12N2", 88.154, 0.01),
        # (C4H9)4NBr = C16H36NBr = 16×12.011 + 36×1.008 + 14.007 + 79.904 = 322.375
        ("(C4H9)4NBr", 322.375, 0.01),
        # [Ag18(PPh3)10H16]2+ = Ag18 C180 H166 P10 = 1941.624 + 2161.980 + 167.328 + 309.740
        #   = 4580.672 (the two missing electrons weigh 0.001)
        ("[Ag18(PPh3)10H16]2+", 4580.672, 0.1),
        # Se = 78.971
        ("Se", 78.971, 0.001),
        # CO2 = 12.011 + 2×15.999 = 44.009
        ("CO2", 44.009, 0.002),
    ],
)
def test_molar_mass_matches_hand_sum(formula: str, expected: float, tolerance: float) -> None:
    assert molar_mass(formula) == pytest.approx(expected, abs=tolerance)


@pytest.mark.parametrize(
    "spelling",
    ["MnCl2·4H2O", "MnCl2.4H2O", "MnCl2•4H2O", "MnCl2*4H2O", "MnCl2 · 4H2O", "MnCl2⋅4H2O"],
)
def test_hydrate_dot_spellings_are_one_formula(spelling: str) -> None:
    parsed = parse_formula(spelling)
    assert parsed.text == spelling
    assert dict(parsed.elements) == {"Mn": 1, "Cl": 2, "H": 8, "O": 4}
    assert parsed.molar_mass == pytest.approx(molar_mass("MnCl2·4H2O"))


def test_fractional_hydrate_with_ascii_dot() -> None:
    # The second dot is a decimal point: 2.5 waters, not "2" then ".5H2O".
    assert dict(parse_formula("CdCl2.2.5H2O").elements) == {"Cd": 1, "Cl": 2, "H": 5, "O": 2.5}


def test_hydrate_water_count_is_not_read_as_an_isotope() -> None:
    # molmass alone reads "4H2O" as 4-hydrogen isotope; the split must keep it as 4 × H2O.
    assert "4H" not in parse_formula("MnCl2.4H2O").elements


def test_cluster_charge_and_phenyl_groups() -> None:
    parsed = parse_formula("[Ag18(PPh3)10H16]2+")
    assert parsed.charge == 2
    # Ph expands to C6H5: 10 PPh3 give 180 C and 150 H, plus 16 hydrides.
    assert dict(parsed.elements) == {"Ag": 18, "C": 180, "H": 166, "P": 10}


def test_organic_abbreviations_expand() -> None:
    assert dict(parse_formula("Bu4NBr").elements) == dict(parse_formula("(C4H9)4NBr").elements)
    assert dict(parse_formula("PEt3").elements) == {"C": 6, "H": 15, "P": 1}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty formula"),
        ("Xx2", "unexpected character"),
        ("cdcl2", "expected an element symbol"),
        ("MnCl2.", "nothing after the hydrate dot"),
        ("0H2O", "zero"),
        ("C2H6O)", "parenthesis"),
    ],
)
def test_unreadable_formulas_say_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(FormulaError, match=fragment):
        parse_formula(text)


def test_formula_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="Xx2"):
        molar_mass("Xx2")


def test_parse_is_cached_and_result_is_immutable() -> None:
    assert parse_formula("CdCl2") is parse_formula("CdCl2")
    with pytest.raises(TypeError):
        parse_formula("CdCl2").elements["Cd"] = 2  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "expected_mass", "expected_elements"),
    [
        # Non-stoichiometric alloy formulas: 6.5 × Cd 112.414 + 6.5 × Zn 65.38 + 13 × Se 78.971
        # = 730.691 + 424.970 + 1026.623 = 2182.284 g/mol (IUPAC 2021 standard atomic weights).
        ("Cd6.5Zn6.5Se13", 2182.284, {"Cd": 6.5, "Zn": 6.5, "Se": 13.0}),
        ("(Cd0.5Zn0.5Se)13", 2182.284, {"Cd": 6.5, "Zn": 6.5, "Se": 13.0}),
        # An ASCII dot before a water count stays a hydrate dot: MnCl2 125.844 + 4 × 18.015.
        ("MnCl2.4H2O", 197.905, {"Mn": 1.0, "Cl": 2.0, "H": 8.0, "O": 4.0}),
    ],
)
def test_decimal_counts_and_hydrate_dots(
    text: str, expected_mass: float, expected_elements: dict[str, float]
) -> None:
    parsed = parse_formula(text)
    assert parsed.molar_mass == pytest.approx(expected_mass, abs=0.01)
    assert dict(parsed.elements) == expected_elements
