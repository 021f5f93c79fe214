"""A protocol names a reagent the curated library lacks, by its name or CAS number, and the
embedded database supplies it (issue 11): amounts, limiting reagent and yield come out as a
chemist computes them by hand, the library still wins where it has the reagent, and a name
that is only someone's synonym is suggested, never taken.

The protocol is the standard teaching-lab acetylation of aniline (neat aniline and acetic
anhydride, then water): aniline is not in the library and comes from the database; acetic
anhydride was not either, and is now curated (its density the same CRC figure at 25 °C).
"""

from __future__ import annotations

import pytest

from benchsheet.findings import Severity
from benchsheet.reagents.library import load_library
from benchsheet.validate import FileResult, validate_text

ACETANILIDE = """\
format: 1
id: acetanilide-from-aniline
title: Acetanilide from aniline and acetic anhydride (teaching lab)
version: 1.0.0
date: 2026-11-30
source:
  section: "Acetylation of aniline (a standard undergraduate preparation)"
materials:
  PhNH2: {reagent: %s, amount: 2.0 mL, role: reactant}
  Ac2O: {reagent: %s, amount: 2.5 mL, role: reactant}
  water: {reagent: water, amount: 50 mL, role: solvent}
vessels:
  flask: {kind: Erlenmeyer flask, volume: 100 mL}
steps:
  - {action: add, materials: [PhNH2], to: flask}
  - {action: add, materials: [Ac2O], to: flask, over: 2 min, note: The mixture warms.}
  - {action: stir, vessel: flask, temperature: 25 degC, duration: 10 min, product: acetanilide}
  - {action: add, materials: [water], to: flask}
  - {action: cool, vessel: flask, temperature: 0 degC}
  - {action: filter, vessel: flask, keep: solid}
products:
  acetanilide:
    name: acetanilide
    kind: solid
    formula: C8H9NO
    main: true
    reaction:
      reactants: {PhNH2: 1, Ac2O: 1}
      byproducts: {C2H4O2: 1}
"""

# Hand calculation (CRC Handbook, 97th ed.: aniline 1.0217 g/mL at 20 °C, thermal expansion
# -0.00085 g/mL/K, so 1.0175 at 25 °C, M 93.13; acetic anhydride 1.082 at 20 °C, 1.0757 at
# 25 °C, M 102.09; acetanilide M 135.17):
#   aniline 2.0 mL × 1.0175 g/mL = 2.035 g → 21.85 mmol (limiting)
#   Ac2O 2.5 mL × 1.0757 g/mL = 2.689 g → 26.34 mmol, 1.21 equivalents
#   acetanilide at most 21.85 mmol × 135.17 g/mol = 2.953 g
ANILINE_MMOL = 2.0 * 1.0175 / 93.13 * 1000
AC2O_MMOL = 2.5 * 1.0757 / 102.09 * 1000
YIELD_G = ANILINE_MMOL / 1000 * 135.17


def checked(aniline: str = "aniline", anhydride: str = "108-24-7") -> FileResult:
    return validate_text(ACETANILIDE % (aniline, anhydride), "acetanilide.yaml")


def test_names_and_cas_numbers_the_library_lacks_resolve_from_the_database() -> None:
    library = load_library(())
    assert not library.find("aniline")
    assert [r.id for r in library.find("108-24-7")] == ["acetic-anhydride"]
    result = checked()
    assert not [f for f in result.findings if f.severity >= Severity.ERROR]
    assert result.base is not None
    amounts = result.base.amounts
    assert amounts is not None
    aniline, anhydride = amounts.entry("PhNH2"), amounts.entry("Ac2O")
    assert aniline is not None
    assert anhydride is not None
    assert (aniline.reagent.cas, anhydride.reagent.cas) == ("62-53-3", "108-24-7")
    assert aniline.reagent.record is not None
    assert aniline.reagent.record.origin == "database"
    assert anhydride.reagent.record is not None
    assert anhydride.reagent.record.origin == "library"
    assert "reagent database" in (aniline.reagent.record.density.source
                                  if aniline.reagent.record.density else "")
    # within 0.3 %: the database's correlation against the CRC value at 25 °C
    assert aniline.moles is not None
    assert anhydride.moles is not None
    assert aniline.moles.nominal * 1000 == pytest.approx(ANILINE_MMOL, rel=3e-3)
    assert anhydride.moles.nominal * 1000 == pytest.approx(AC2O_MMOL, rel=3e-3)


def test_limiting_reagent_and_yield_match_the_hand_calculation() -> None:
    result = checked()
    (limit,) = [f for f in result.findings if f.code == "ST104"]
    assert "limited by PhNH2" in limit.message
    assert f"Ac2O {AC2O_MMOL / ANILINE_MMOL:.2f}×" in limit.message  # 1.21×
    (theory,) = [f for f in result.findings if f.code == "ST107"]
    grams = float(theory.message.split("(")[1].split(" mg")[0]) / 1000
    assert grams == pytest.approx(YIELD_G, rel=3e-3)


def test_a_database_reagent_has_no_classification_and_the_check_says_so() -> None:
    result = checked()
    (note,) = [f for f in result.findings if f.code == "HZ111"]  # aniline; Ac2O is curated
    assert "aniline (PhNH2) comes from the reagent database" in note.message
    assert "no GHS classification" in note.message


def test_the_curated_library_wins_over_the_database() -> None:
    result = validate_text(ACETANILIDE.replace("{reagent: water,", "{reagent: 7732-18-5,")
                           % ("aniline", "108-24-7"), "acetanilide.yaml")
    assert result.base is not None
    assert result.base.amounts is not None
    water = result.base.amounts.entry("water")
    assert water is not None
    assert water.reagent.record is not None
    assert water.reagent.record.origin == "library"
    assert water.reagent.ghs is not None  # the library's classification (empty for water)


@pytest.mark.parametrize(("written", "meant"), [
    ("TEA", "tetraethylammonium (66-40-0)"),  # a chemist means triethylamine
    # The bottle holds mixed isomers: the library's xylenes now; the database would have
    # taken the name for o-xylene. Hexanes, a mixture too, is a synonym of 2-methylpentane.
    ("hexanes", "2-Methylpentane (107-83-5)"),
])
def test_a_name_that_is_only_a_synonym_is_suggested_never_taken(written: str,
                                                                 meant: str) -> None:
    result = checked(aniline=written)
    (unknown,) = [f for f in result.findings if f.code == "RF303"]
    assert f"no reagent '{written}' in the library or the reagent database" in unknown.message
    assert meant in unknown.hint
    assert result.base is not None
    assert result.base.amounts is not None
    entry = result.base.amounts.entry("PhNH2")
    assert entry is not None
    assert entry.reagent.record is None  # no molar mass guessed from the wrong compound


def test_a_name_nobody_has_is_still_unknown() -> None:
    result = checked(aniline="flubbergastine")
    (unknown,) = [f for f in result.findings if f.code == "RF303"]
    assert "another name of" not in unknown.hint


def test_a_known_name_without_a_phase_says_so_and_how_to_write_it_out() -> None:
    """Ammonium persulfate, (NH4)2S2O8, has neither a melting nor a boiling point in the
    database, so its phase at 25 °C is not known and it is not used; RF303 says that, not
    that the name is unknown (it used to tell the chemist to write the very name written)."""
    result = checked(aniline="ammonium persulfate")
    (unknown,) = [f for f in result.findings if f.code == "RF303"]
    assert "knows 'ammonium persulfate' (7727-54-0, H8N2O8S2)" in unknown.message
    assert "neither its melting nor its boiling point" in unknown.message
    assert "cas: 7727-54-0, phase:" in unknown.hint
    # Its synonym is pointed at it, and told the same.
    result = checked(aniline="ammonium peroxydisulfate")
    (unknown,) = [f for f in result.findings if f.code == "RF303"]
    assert ("another name of ammonium persulfate (7727-54-0), whose phase at 25 °C it does "
            "not know") in unknown.hint


@pytest.mark.parametrize(("name", "formula", "molar_mass"), [
    # Alkali and alkaline-earth compounds without carbon, with no melting or boiling point in
    # the database, are solids at 25 °C. M: 2 × 39.098 + 1.008 + 30.974 + 4 × 15.999
    # = 174.17 g/mol; MgSO4·7H2O 24.305 + 32.06 + 4 × 15.999 + 7 × 18.015 = 246.47 g/mol.
    ("dipotassium hydrogen phosphate", "HK2O4P", 174.17),
    ("magnesium sulfate heptahydrate", "H14MgO11S", 246.47),
])
def test_a_salt_without_data_is_a_solid(name: str, formula: str, molar_mass: float) -> None:
    from benchsheet.chemistry.formula import molar_mass as mass_of
    from benchsheet.reagents.from_database import lookup

    (record,) = lookup(name)
    assert (record.formula, record.phase_25C) == (formula, "solid")
    assert mass_of(record.formula) == pytest.approx(molar_mass, abs=0.02)


@pytest.mark.parametrize(("name", "codes", "signal", "why"), [
    # flash points: acetic anhydride 49 °C (ICSC 0209) → category 3; isopentane -56 °C with
    # bp 28 °C → category 1; benzene -11 °C, bp 80 °C → category 2 and IARC group 1
    ("acetic anhydride", ("H226",), "Warning", "flash point 49 °C → H226"),
    ("isopentane", ("H224",), "Danger", "flash point -56 °C → H224"),
    ("benzene", ("H225", "H350"), "Danger", "IARC group 1 → H350"),
    # aniline: IARC group 2A, classified Carc. 2 (H351) under CLP, not H350
    ("aniline", ("H351",), "Warning", "IARC group 2A → H351"),
])
def test_hazards_a_database_reagent_data_imply(name: str, codes: tuple[str, ...], signal: str,
                                               why: str) -> None:
    from benchsheet.reagents.from_database import lookup

    (record,) = lookup(name)
    assert record.ghs is not None
    assert (record.ghs.h_codes, record.ghs.signal_word) == (codes, signal)
    assert why in record.ghs.source
    assert "classification is incomplete" in record.ghs.source


def test_a_derived_hazard_prints_its_control_and_still_says_it_is_incomplete() -> None:
    """Isopentane's flash point (-56 °C, boiling at 28 °C) makes it an extremely flammable
    liquid (H224): the sheet's flammable-liquid control is printed, and HZ111 says what was
    derived and that the rest of its classification is missing. Aniline's IARC group 2A
    makes it H351 (acetic anhydride, whose flash point gave H226 here, is curated now)."""
    result = validate_text(ACETANILIDE.replace("{reagent: water,", "{reagent: isopentane,")
                           % ("aniline", "108-24-7"), "acetanilide.yaml")
    statements = [f for f in result.findings if f.code == "HZ101"]
    assert "H224 Extremely flammable liquid and vapour (isopentane)" in statements[0].message
    notes = {f.path[1]: f.message for f in result.findings if f.code == "HZ111"}
    assert "from its data only flash point -56 °C → H224" in notes["water"]
    assert "from its data only IARC group 2A → H351" in notes["PhNH2"]


@pytest.mark.parametrize(("name", "found"), [
    ("hexane", "110-54-3"),  # a radical shares the IUPAC name; the common name decides
    ("propan-2-ol", "67-63-0"),  # an IUPAC name
    ("2-methylbutane", None),  # the IUPAC name of isopentane and of a radical: not guessed
])
def test_own_names_resolve_only_when_one_compound_has_them(name: str, found: str | None) -> None:
    from benchsheet.reagents.from_database import lookup

    assert [r.cas for r in lookup(name)] == ([found] if found else [])


def test_the_ten_new_reagents_resolve_in_a_protocol_by_name_and_by_cas() -> None:
    """The ten reagents of tests/test_reagent_db.py (not in the library; their boiling points
    and densities are checked there against the CRC Handbook) each become a material's
    reagent, by name and by CAS, with the database's measured density at 25 °C."""
    from benchsheet.reagents.from_database import lookup
    from test_reagent_db import NEW_REAGENTS

    for name, cas, _bp, density, at_c, _ref in NEW_REAGENTS:
        (by_name,) = lookup(name)
        (by_cas,) = lookup(cas)
        assert by_name == by_cas
        assert by_cas.cas == cas
        assert by_cas.phase_25C == "liquid"
        assert by_cas.density is not None
        # 25 °C is at most 5 K from the handbook's temperature, and these liquids expand by at
        # most 1.5e-3 per K (acetonitrile 1.37e-3): within 0.75 % expansion plus 1 % of fit
        assert abs(25 - at_c) <= 5
        assert by_cas.density.value == pytest.approx(density, rel=0.0175), name
