"""Commercial solutions named by their library entry: n-BuLi 2.5 M in hexanes, 37 % HCl, …

Each amount below is worked out by hand from the label (strength and density, with the sources
the library cites) and IUPAC 2021 standard atomic weights (H 1.008, Li 6.94, C 12.011,
N 14.007, Cl 35.45, Na 22.990, Mg 24.305, Br 79.904, S 32.06, O 15.999).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchsheet.reagents.library import ReagentFileError, load_library
from protocol_text import validate_body, with_code

M_BULI = 4 * 12.011 + 9 * 1.008 + 6.94  # C4H9Li, 64.06 g/mol
M_HCL = 1.008 + 35.45  # 36.458 g/mol
M_NH3 = 14.007 + 3 * 1.008  # 17.031 g/mol
M_H2SO4 = 2 * 1.008 + 32.06 + 4 * 15.999  # 98.072 g/mol
M_NACL = 22.990 + 35.45  # 58.44 g/mol
M_PHMGBR = 6 * 12.011 + 5 * 1.008 + 24.305 + 79.904  # 181.32 g/mol


def _amount(material: str, amount: str, extra: str = "") -> tuple[float | None, float | None]:
    """(mmol of solute, g of solvent) of one material in a one-material protocol."""
    result = validate_body(f"""
        materials:
          x: {{reagent: {material}, amount: {amount}, role: reactant{extra}}}
        steps:
          - {{action: add, materials: [x], to: flask}}
        vessels:
          flask: {{kind: round-bottom flask, volume: 250 mL}}
        """)
    variant = result.variants[0]
    assert variant.amounts is not None, [f.message for f in result.findings]
    entry = variant.amounts.materials["x"]
    solvent = variant.amounts.parts.get("x:solvent")
    moles = entry.moles.nominal * 1000 if entry.moles is not None else None
    solvent_g = solvent.mass.nominal if solvent is not None and solvent.mass else None
    return moles, solvent_g


def test_n_butyllithium_by_volume_is_the_label_molarity() -> None:
    # 4.40 mL × 2.5 mol/L = 11.0 mmol (the phenylpentanol protocol's hand calculation).
    moles, hexane_g = _amount("n-butyllithium-2.5m-hexanes", "4.40 mL")
    assert moles == pytest.approx(4.40 * 2.5)
    # Solvent: solution 4.40 mL × 0.693 g/mL = 3.049 g, less 11.0 mmol × 64.06 g/mol = 0.705 g.
    assert hexane_g == pytest.approx(4.40 * 0.693 - 4.40 * 2.5e-3 * M_BULI, rel=1e-3)


def test_grignard_in_ether() -> None:
    # 2.0 mL × 3.0 mol/L = 6.0 mmol of PhMgBr; ether 2.0 × 1.134 − 6.0e-3 × 181.32 = 1.180 g.
    moles, ether_g = _amount("PhMgBr 3.0 M in diethyl ether", "2.0 mL")
    assert moles == pytest.approx(6.0)
    assert ether_g == pytest.approx(2.0 * 1.134 - 6.0e-3 * M_PHMGBR, rel=1e-3)


@pytest.mark.parametrize(("name", "volume", "density", "fraction", "molar_mass"), [
    # 10 mL × 1.184 g/mL × 0.37 / 36.458 g/mol = 120.2 mmol (12.0 M)
    ("conc. HCl", 10.0, 1.184, 0.37, M_HCL),
    # 5 mL × 1.8355 × 0.96 / 98.072 = 89.8 mmol (18.0 M)
    ("sulfuric-acid-96", 5.0, 1.8355, 0.96, M_H2SO4),
    # 5 mL × 0.8980 × 0.28 / 17.031 = 73.8 mmol (14.8 M)
    ("ammonia solution 28 %", 5.0, 0.8980, 0.28, M_NH3),
    # 15 mL × 1.197 × 0.264 / 58.44 = 81.1 mmol (5.4 M)
    ("brine", 15.0, 1.197, 0.264, M_NACL),
])
def test_mass_fraction_solutions_by_volume(name: str, volume: float, density: float,
                                           fraction: float, molar_mass: float) -> None:
    moles, water_g = _amount(name, f"{volume} mL")
    expected = volume * density * fraction / molar_mass * 1000
    assert moles == pytest.approx(expected, rel=1e-3)
    assert water_g == pytest.approx(volume * density * (1 - fraction), rel=1e-3)


def test_label_molarity_of_the_concentrated_acids_is_the_textbook_one() -> None:
    """The library's densities reproduce the molarities every lab chart gives: 12 M HCl,
    18 M H2SO4, 14.8 M NH3 (CRC Handbook, concentrative properties of aqueous solutions)."""
    library = load_library()
    for entry_id, molarity in [("hydrochloric-acid-37", 12.0), ("sulfuric-acid-96", 18.0),
                               ("ammonia-solution-28", 14.8)]:
        record = next(r for r in library.find(entry_id))
        assert record.solution is not None
        fraction = float(record.solution.concentration.rstrip(" %")) / 100
        from benchsheet.chemistry.formula import molar_mass

        computed = record.solution.density_g_mL * 1000 * fraction / molar_mass(record.formula)
        assert computed == pytest.approx(molarity, abs=0.1), entry_id


def test_a_solution_entry_does_not_take_the_solutes_formula_or_cas() -> None:
    """'HCl' and CAS 7647-01-0 still name hydrogen chloride alone, never ambiguously."""
    library = load_library()
    assert [r.id for r in library.find("HCl")] == ["hydrogen-chloride"]
    assert [r.id for r in library.find("7647-01-0")] == ["hydrogen-chloride"]
    assert [r.id for r in library.find("109-72-8")] == ["n-butyllithium"]


def test_written_concentration_that_contradicts_the_entry_is_an_error() -> None:
    result = validate_body("""
        materials:
          x: {reagent: n-butyllithium-1.6m-hexanes, concentration: 2.5 M, amount: 1 mL,
              role: reactant}
        steps:
          - {action: add, materials: [x], to: flask}
        vessels:
          flask: {kind: round-bottom flask, volume: 50 mL}
        """)
    found = with_code(result, "ID106")
    assert len(found) == 1
    assert "1.6 M" in found[0].message
    assert found[0].path == ("materials", "x", "concentration")


def test_the_same_values_written_out_agree() -> None:
    result = validate_body("""
        materials:
          x: {reagent: n-butyllithium-2.5m-hexanes, concentration: 2.5 mol/L, solvent: hexane,
              amount: 1 mL, role: reactant}
        steps:
          - {action: add, materials: [x], to: flask}
        vessels:
          flask: {kind: round-bottom flask, volume: 50 mL}
        """)
    assert with_code(result, "ID106") == []


def test_another_solvent_is_an_error() -> None:
    result = validate_body("""
        materials:
          x: {reagent: n-butyllithium-2.5m-hexanes, concentration: 2.5 M, solvent: toluene,
              amount: 1 mL, role: reactant}
        steps:
          - {action: add, materials: [x], to: flask}
        vessels:
          flask: {kind: round-bottom flask, volume: 50 mL}
        """)
    assert [f.path for f in with_code(result, "ID106")] == [("materials", "x", "solvent")]


LAB_SOLUTION = """\
reagents:
  - id: sec-butyllithium-test
    name: test organolithium 1.4 M in hexane
    formula: C4H9Li
    phase_25C: liquid
    solution: {solute: n-butyllithium, solvent: hexane, concentration: 1.4 M,
               density: {value: 0.70 g/mL, at: 25 degC}, source: "a data sheet"}
"""


def test_a_labs_own_solution_entry_reads_and_takes_its_solutes_label(tmp_path: Path) -> None:
    from benchsheet.chemistry.resolve import resolve
    from benchsheet.model.materials import Material

    path = tmp_path / "reagents.yaml"
    path.write_text(LAB_SOLUTION, encoding="utf-8")
    library = load_library([path])
    record = library.get("sec-butyllithium-test")
    assert record is not None
    assert record.solution is not None
    assert (record.solution.solute, record.solution.concentration) == ("n-butyllithium", "1.4 M")
    assert record.solution.density_g_mL == pytest.approx(0.70)
    reagent = resolve(Material.model_validate({"reagent": "sec-butyllithium-test"}),
                      library)
    # No label of its own: n-butyllithium's, which says pyrophoric (H250).
    assert reagent.ghs is not None
    assert "H250" in reagent.ghs.h_codes
    assert "solute" in reagent.ghs.source


def test_a_solution_strength_without_a_unit_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "reagents.yaml"
    path.write_text(LAB_SOLUTION.replace("concentration: 1.4 M", "concentration: 1.4"),
                    encoding="utf-8")
    with pytest.raises(ReagentFileError) as error:
        load_library([path])
    assert error.value.line == 6  # the line of 'solution:'
    assert "2.5 M" in str(error.value)
