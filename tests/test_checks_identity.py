"""Reagent identity checks (ID1xx): a material must name one substance in one form.

Molar masses are computed here from IUPAC/CIAAW 2021 standard atomic weights (chlorine 35.453,
inside its interval [35.446, 35.457]); CAS numbers are the registry's own.
"""

from __future__ import annotations

import re
import textwrap

import pytest

from benchsheet.validate import FileResult
from protocol_text import validate_body, with_code

MN, CL, H, OX = 54.938043, 35.453, 1.008, 15.999
WATER = 2 * H + OX  # 18.015 g/mol
MNCL2 = MN + 2 * CL  # 125.84 g/mol
MNCL2_2H2O = MNCL2 + 2 * WATER  # 161.87 g/mol
MNCL2_4H2O = MNCL2 + 4 * WATER  # 197.90 g/mol


def _validate(materials: str) -> FileResult:
    """One flask; every material listed goes into it."""
    body = textwrap.dedent(materials)
    ids = re.findall(r"^  ([A-Za-z][\w.+-]*):", body, flags=re.M)
    steps = f"steps:\n  - {{action: add, materials: [{', '.join(ids)}], to: flask}}\n"
    vessels = "vessels:\n  flask: {kind: round-bottom flask, volume: 100 mL}\n"
    return validate_body(body + vessels + steps)


# --- ID101: an abbreviation naming several substances ----------------------------------------


def test_ID101_TOP_names_two_phosphines() -> None:
    result = _validate("""\
        materials:
          phosphine: {reagent: TOP, amount: 3 mL, role: scavenger}
        """)
    (found,) = with_code(result, "ID101")
    # Triethylphosphine is CAS 554-70-1, pyrophoric (H250, Sigma-Aldrich SDS);
    # trioctylphosphine CAS 4731-53-7, corrosive (H314): the candidates carry their hazards.
    assert "'TOP' can be" in found.message
    assert "triethylphosphine (554-70-1, Danger: H225, H250" in found.message
    assert "trioctylphosphine (4731-53-7, Danger: H314)" in found.message
    assert found.severity.name == "ERROR"
    amounts = result.variants[0].amounts
    assert amounts is not None
    # Nothing can be converted: 3 mL of either phosphine is a different number of moles.
    assert amounts.materials["phosphine"].moles is None


@pytest.mark.parametrize("reagent", ["triethylphosphine", "TEP", "554-70-1"])
def test_ID101_unambiguous_name_passes(reagent: str) -> None:
    result = _validate(f"""\
        materials:
          PEt3: {{reagent: "{reagent}", amount: 3 mL, role: solvent}}
        """)
    assert not with_code(result, "ID101")
    amounts = result.variants[0].amounts
    assert amounts is not None
    moles = amounts.materials["PEt3"].moles
    # 3 mL × 0.802 g/mL (Sigma-Aldrich, the library's value) / 118.16 g/mol (C6H15P).
    assert moles is not None
    assert moles.nominal == pytest.approx(3 * 0.802 / (6 * 12.011 + 15 * H + 30.973762),
                                          rel=1e-4)


# --- ID102: hydrate or form not stated ---------------------------------------------------------


def test_ID102_MnCl2_by_name_without_form() -> None:
    (found,) = with_code(_validate("""\
        materials:
          MnCl2: {reagent: manganese(II) chloride, amount: 0.075 mmol, role: dopant-precursor}
        """), "ID102")
    mine = re.search(r"read as anhydrous manganese\(II\) chloride \(([\d.]+) g/mol\)",
                     found.message)
    assert mine
    assert float(mine[1]) == pytest.approx(MNCL2, abs=0.005)
    forms = {m[0]: (float(m[1]), int(m[2])) for m in
             re.findall(r"(\w+) ([\d.]+) g/mol \(([+-]\d+) %\)", found.message)}
    # The tetrahydrate weighs 197.90/125.84 − 1 = +57 % more per mole; the dihydrate +29 %.
    assert forms["tetrahydrate"][0] == pytest.approx(MNCL2_4H2O, abs=0.005)
    assert forms["tetrahydrate"][1] == round(100 * (MNCL2_4H2O / MNCL2 - 1))  # 57
    assert forms["dihydrate"][0] == pytest.approx(MNCL2_2H2O, abs=0.005)
    assert forms["dihydrate"][1] == round(100 * (MNCL2_2H2O / MNCL2 - 1))  # 29
    assert "add form: anhydrous" in found.hint
    assert found.severity.name == "WARNING"


@pytest.mark.parametrize("material", [
    "{reagent: manganese(II) chloride, form: anhydrous, amount: 0.075 mmol}",
    "{reagent: manganese-chloride, amount: 0.075 mmol}",  # the library id is one form
    "{reagent: 7773-01-5, amount: 0.075 mmol}",  # so is the CAS number
])
def test_ID102_stated_form_passes(material: str) -> None:
    result = _validate(f"materials:\n  MnCl2: {material}\n")
    assert not with_code(result, "ID102")
    amounts = result.variants[0].amounts
    assert amounts is not None
    mass = amounts.materials["MnCl2"].mass
    assert mass is not None
    assert mass.nominal == pytest.approx(0.075e-3 * MNCL2, rel=1e-5)


@pytest.mark.parametrize("reagent", ["manganese(II) chloride tetrahydrate", "MnCl2·4H2O",
                                     "MnCl2.4H2O"])
def test_ID102_hydrate_named_in_full_passes(reagent: str) -> None:
    # Fixed: these name the hydrate outright, yet were flagged as "also fits anhydrous".
    result = _validate(f"""\
        materials:
          Mn: {{reagent: "{reagent}", amount: 0.075 mmol}}
        """)
    assert not with_code(result, "ID102")
    amounts = result.variants[0].amounts
    assert amounts is not None
    mass = amounts.materials["Mn"].mass
    assert mass is not None
    assert mass.nominal == pytest.approx(0.075e-3 * MNCL2_4H2O, rel=1e-5)


def test_ID102_name_with_form_resolves_to_the_hydrate() -> None:
    result = _validate("""\
        materials:
          MnCl2: {reagent: manganese(II) chloride, form: tetrahydrate, amount: 0.075 mmol}
        """)
    assert not with_code(result, "ID102")
    assert not with_code(result, "ID103")
    amounts = result.variants[0].amounts
    assert amounts is not None
    mass = amounts.materials["MnCl2"].mass
    # 0.075 mmol × 197.90 g/mol = 14.84 mg
    assert mass is not None
    assert mass.nominal == pytest.approx(0.075e-3 * MNCL2_4H2O, rel=1e-5)


# --- ID103: stated form contradicts the reagent ------------------------------------------------


def test_ID103_tetrahydrate_form_on_anhydrous_id() -> None:
    (found,) = with_code(_validate("""\
        materials:
          MnCl2: {reagent: manganese-chloride, form: tetrahydrate, amount: 0.075 mmol}
        """), "ID103")
    assert "says form 'tetrahydrate' but 'manganese-chloride' is the anhydrous entry (MnCl2)" \
        in found.message
    assert found.yaml_path == "materials.MnCl2.form"


def test_ID103_matching_form_passes() -> None:
    assert not with_code(_validate("""\
        materials:
          MnCl2: {reagent: manganese-chloride-tetrahydrate, form: tetrahydrate, amount: 1 mmol}
        """), "ID103")


# --- ID104: CAS check digit ---------------------------------------------------------------------

# CAS check digit: digits before it, right to left, weighted 1, 2, 3, ...; sum mod 10.
# CdCl2 10108-64-2: 4·1 + 6·2 + 8·3 + 0·4 + 1·5 + 0·6 + 1·7 = 52 → 2.


def _cas_digit(cas: str) -> int:
    digits = cas.replace("-", "")[:-1][::-1]
    return sum(i * int(d) for i, d in enumerate(digits, start=1)) % 10


def test_ID104_bad_check_digit_is_flagged() -> None:
    assert _cas_digit("10108-64-3") == 2  # so ...-3 is a typo
    (found,) = with_code(_validate("""\
        materials:
          salt: {reagent: {name: cadmium chloride, formula: CdCl2, cas: 10108-64-3}, amount: 1 mmol}
        """), "ID104")
    assert found.message == "material 'salt': CAS 10108-64-3 fails its check digit"
    assert found.yaml_path == "materials.salt.reagent.cas"


def test_ID104_good_check_digit_passes() -> None:
    assert _cas_digit("10108-64-2") == 2
    assert not with_code(_validate("""\
        materials:
          salt: {reagent: {name: cadmium chloride, formula: CdCl2, cas: 10108-64-2}, amount: 1 mmol}
        """), "ID104")


# --- ID105: a material id that misleads at the bench --------------------------------------------


def test_ID105_TOP_as_id_for_triethylphosphine() -> None:
    (found,) = with_code(_validate("""\
        materials:
          TOP: {reagent: triethylphosphine, amount: 3 mL, role: solvent}
        """), "ID105")
    assert found.message == ("material id 'TOP' is triethylphosphine, but 'TOP' also names "
                             "trioctylphosphine")
    assert found.severity.name == "WARNING"


def test_ID105_TEP_as_id_passes() -> None:
    assert not with_code(_validate("""\
        materials:
          TEP: {reagent: triethylphosphine, amount: 3 mL, role: solvent}
        """), "ID105")
