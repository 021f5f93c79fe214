"""Salt hydrates whose formula in the reagent database is short of their water.

The database's PubChem-derived formula of some salt hydrates counts each component once:
copper nitrate trihydrate is CuH3NO4 (144.57 g/mol) there, where Cu(NO3)2·3H2O is 241.60,
and a protocol weighing it would have had a third too many moles. A formula with less water
than the name says is rebuilt from the anhydrous salt the database holds under the name
without the hydrate word, or refused (RF304) when there is none; a hydrate whose formula holds
its water is left as it is.

Hand calculations (IUPAC 2021 atomic weights: H 1.008, O 15.999, N 14.007, Na 22.990,
S 32.06, Cl 35.45, Mn 54.938, Cu 63.546, Zn 65.38, Sn 118.71; H2O 18.015):
  Zn(NO3)2·6H2O  65.38 + 2 × 14.007 + 6 × 15.999 + 6 × 18.015     = 297.48 g/mol
  MnCl2·4H2O     54.938 + 2 × 35.45 + 4 × 18.015                 = 197.90 g/mol
  Na2S·9H2O      2 × 22.990 + 32.06 + 9 × 18.015                 = 240.18 g/mol
  SnCl2·2H2O     118.71 + 2 × 35.45 + 2 × 18.015                 = 225.64 g/mol
  CuSO4·5H2O     63.546 + 32.06 + 9 × 15.999 + 10 × 1.008        = 249.68 g/mol

A hydrate of a fractional water (hemi-, sesqui-) is two formula units in the database's whole
numbers (calcium sulfate hemihydrate is Ca2H2O9S2, (CaSO4)2·H2O, 290.30 g/mol); its moles are
counted per formula unit, as its suppliers state its molar mass (C 12.011, K 39.098,
Ca 40.078):
  CaSO4·0.5H2O   40.078 + 32.06 + 4 × 15.999 + 0.5 × 18.015      = 145.14 g/mol
  K2CO3·1.5H2O   2 × 39.098 + 12.011 + 3 × 15.999 + 1.5 × 18.015 = 165.23 g/mol
"""

from __future__ import annotations

import pytest

from benchsheet.reagents.database import database
from benchsheet.reagents.hydrates import named_water, one_unit, short_of_water
from protocol_text import validate_body, with_code


@pytest.mark.parametrize(("name", "water"), [
    ("copper nitrate trihydrate", 3.0),
    ("calcium sulfate hemihydrate", 0.5),
    ("sulfuric acid, aluminum cesium salt (2:1:1), dodecahydrate", 12.0),
    ("cadmium chloride hemipentahydrate", None),  # 2.5: no single prefix says it
    ("chloral hydrate", None),
    ("ethanol", None),
])
def test_the_water_a_name_says(name: str, water: float | None) -> None:
    assert named_water(name) == water


@pytest.mark.parametrize(("formula", "water", "short"), [
    ("CuH3NO4", 3.0, True),        # the database's copper nitrate trihydrate
    ("CuH6N2O9", 3.0, False),      # Cu(NO3)2·3H2O
    ("CuH10O9S", 5.0, False),      # CuSO4·5H2O
    ("Ca2H2O9S2", 0.5, False),     # (CaSO4)2·H2O: two formula units, water enough
])
def test_a_formula_short_of_the_water(formula: str, water: float, short: bool) -> None:
    assert short_of_water(formula, water) is short


@pytest.mark.parametrize(("cas", "formula", "molar_mass", "why"), [
    # Short of its water: the anhydrous salt with it.
    ("10196-18-6", "N2O6Zn·6H2O", 297.48, "with 6 H2O"),
    ("13446-34-9", "Cl2Mn·4H2O", 197.90, "with 4 H2O"),
    ("1313-84-4", "Na2S·9H2O", 240.18, "with 9 H2O"),
    ("10025-69-1", "Cl2Sn·2H2O", 225.64, "with 2 H2O"),
    # A fractional water, written as two formula units: one of them.
    ("10034-76-1", "CaO4S·0.5H2O", 145.14, "two units"),  # calcium sulfate hemihydrate
    ("6381-79-9", "CK2O3·1.5H2O", 165.23, "two units"),   # potassium carbonate sesquihydrate
])
def test_a_database_hydrate_is_one_formula_unit_with_its_water(
        cas: str, formula: str, molar_mass: float, why: str) -> None:
    compound = database().by_cas(cas)
    assert compound is not None
    assert compound.formula == formula
    assert compound.molar_mass == pytest.approx(molar_mass, abs=0.02)
    assert compound.formula_problem is None
    assert why in compound.molar_mass_source


@pytest.mark.parametrize(("formula", "water", "unit"), [
    ("Ca2H2O9S2", 0.5, "CaO4S·0.5H2O"),          # (CaSO4)2·H2O
    ("C2H6K4O9", 1.5, "CK2O3·1.5H2O"),           # (K2CO3)2·3H2O
    ("C36H54N2O17P2", 1.5, "C18H24NO7P·1.5H2O"),  # codeine phosphate, two units, 3 H2O
    ("C16H24N6O4", 0.5, None),  # one unit with no water: O3 is left, which does not halve
    ("C5H9KO3", 0.5, None),     # K(acac)·H2O: a monohydrate's formula under a hemi name
])
def test_one_unit_of_a_hydrate_the_database_writes_as_two(
        formula: str, water: float, unit: str | None) -> None:
    assert one_unit(formula, water) == unit


def test_a_fractional_hydrate_whose_formula_is_not_two_units_is_refused() -> None:
    """Potassium acetylacetonate hemihydrate is C5H9KO3 in the database, K(acac)·H2O
    (156.22 g/mol), where K(acac)·0.5H2O is 147.21; the database has no anhydrous
    potassium acetylacetonate to rebuild it from, so the compound says why its formula is
    not used (RF304 where a protocol names it)."""
    compound = database().by_cas("57402-46-7")
    assert compound is not None
    assert compound.formula_problem is not None
    assert "C5H9KO3 (156.22 g/mol)" in compound.formula_problem
    assert ("no whole number of formula units with the 0.5 H2O its name says"
            in compound.formula_problem)


def test_a_hydrate_that_holds_its_water_is_left_alone() -> None:
    compound = database().by_cas("7758-99-8")  # copper(II) sulfate pentahydrate
    assert compound is not None
    assert (compound.formula, compound.formula_problem) == ("CuH10O9S", None)
    assert compound.molar_mass == pytest.approx(249.68, abs=0.02)


PROTOCOL = """\
materials:
  salt: {reagent: REAGENT, amount: 1.00 g, role: reactant}
  water: {reagent: water, amount: 10 mL, role: solvent}
vessels:
  beaker: {kind: beaker, volume: 50 mL}
steps:
  - {action: add, materials: [salt, water], to: beaker}
"""


@pytest.mark.parametrize(("reagent", "molar_mass"), [
    # 1.00 g: 1.00 / 225.64 = 4.432 mmol; the database's own formula, Cl2H2OSn at 207.63
    # g/mol, gave 4.816
    ("tin dichloride dihydrate", 225.64),
    # 1.00 g: 1.00 / 145.14 = 6.890 mmol of CaSO4·0.5H2O; the database's two-unit formula
    # (290.30 g/mol) gave half that, 3.445 mmol
    ("calcium sulfate hemihydrate", 145.14),
])
def test_a_protocol_weighs_the_hydrate_per_formula_unit(reagent: str, molar_mass: float
                                                        ) -> None:
    base = validate_body(PROTOCOL.replace("REAGENT", reagent)).base
    assert base is not None
    assert base.amounts is not None
    moles = base.amounts.materials["salt"].moles
    assert moles is not None
    assert moles.nominal == pytest.approx(1.00 / molar_mass, rel=1e-3)


def test_a_hydrate_with_no_anhydrous_salt_to_rebuild_it_from_is_refused() -> None:
    """Aluminium nitrate nonahydrate, Al(NO3)3·9H2O (375.13 g/mol), is AlH3NO4 (108.01) in
    the database, which has no 'aluminum nitrate' to rebuild it from: its molar mass is not
    used, RF304 says why, and no moles are made up (the library's copper(II) nitrate
    trihydrate, the commonest of these, is curated)."""
    result = validate_body(PROTOCOL.replace("REAGENT", "aluminum nitrate nonahydrate"))
    (found,) = with_code(result, "RF304")
    assert "AlH3NO4 (108.01 g/mol)" in found.message
    assert "less water than the 9 H2O its name says" in found.message
    assert found.path == ("materials", "salt", "reagent", "formula")
    base = result.base
    assert base is not None
    assert base.amounts is not None
    assert base.amounts.materials["salt"].moles is None


def test_the_curated_copper_nitrate_trihydrate_is_the_salt() -> None:
    """0.875 g of copper(II) nitrate trihydrate by the name the database spells it: the
    library's Cu(NO3)2·3H2O, 241.60 g/mol (63.546 + 2 × 62.004 + 3 × 18.015): 3.622 mmol."""
    base = validate_body(PROTOCOL.replace("REAGENT", "copper nitrate trihydrate")
                         .replace("1.00 g", "0.875 g")).base
    assert base is not None
    assert base.amounts is not None
    moles = base.amounts.materials["salt"].moles
    assert moles is not None
    assert moles.nominal == pytest.approx(0.875 / 241.60, rel=1e-3)
