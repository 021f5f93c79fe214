"""The bundled reagent library, its lookup, and lab files that add to or override it."""

from __future__ import annotations

import importlib.resources
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchsheet.chemistry.formula import parse_formula
from benchsheet.reagents import ReagentFileError, ReagentLibrary, load_library
from benchsheet.reagents.library import cas_check_digit_ok

REPO = Path(__file__).resolve().parent.parent
LIBRARY_JSON = REPO / "src" / "benchsheet" / "reagents" / "library.json"

# Every substance the Methods of Baek et al. (Nature Materials 2021) use, plus the common
# solvents and gases a second protocol is likely to need, by CAS number.
REQUIRED = {
    "10108-64-2": "cadmium chloride",
    "7790-78-5": "cadmium chloride hemipentahydrate",
    "7646-85-7": "zinc chloride",
    "7773-01-5": "manganese(II) chloride",
    "13446-34-9": "manganese(II) chloride tetrahydrate",
    "20603-88-7": "manganese(II) chloride dihydrate",
    "7782-49-2": "selenium",
    "630-08-0": "carbon monoxide",
    "124-38-9": "carbon dioxide",
    "7440-37-1": "argon",
    "7727-37-9": "nitrogen",
    "110-60-1": "butane-1,4-diamine",
    "124-09-4": "hexane-1,6-diamine",
    "373-44-4": "octane-1,8-diamine",
    "2783-17-7": "dodecane-1,12-diamine",
    "109-73-9": "n-butylamine",
    "111-86-4": "n-octylamine",
    "4731-53-7": "trioctylphosphine",
    "554-70-1": "triethylphosphine",
    "7761-88-8": "silver nitrate",
    "603-35-0": "triphenylphosphine",
    "16940-66-2": "sodium borohydride",
    "75-09-2": "dichloromethane",
    "64-17-5": "ethanol",
    "67-56-1": "methanol",
    "7732-18-5": "water",
    "1643-19-2": "tetrabutylammonium bromide",
    "75-56-9": "propylene oxide",
    "108-32-7": "propylene carbonate",
    "67-64-1": "acetone",
    "108-88-3": "toluene",
    "110-54-3": "n-hexane",
    "67-66-3": "chloroform",
    "865-49-6": "chloroform-d",
}


@pytest.fixture(scope="module")
def library() -> ReagentLibrary:
    return load_library()


@pytest.fixture(scope="module")
def raw_records() -> list[dict[str, Any]]:
    text = importlib.resources.files("benchsheet.reagents").joinpath("library.json").read_text()
    records: list[dict[str, Any]] = json.loads(text)
    return records


# --------------------------------------------------------------------------------------------
# The bundled data


def test_every_required_substance_is_present(library: ReagentLibrary) -> None:
    by_cas = {record.cas: record.name for record in library}
    missing = {cas: name for cas, name in REQUIRED.items() if cas not in by_cas}
    assert not missing


def test_cas_numbers_have_valid_check_digits_and_are_unique(library: ReagentLibrary) -> None:
    # A commercial solution has no CAS of its own (its solute's names the solute).
    assert all(record.cas is None for record in library if record.solution is not None)
    cas_numbers = [record.cas for record in library if record.solution is None]
    assert all(cas and cas_check_digit_ok(cas) for cas in cas_numbers)
    assert len(set(cas_numbers)) == len(cas_numbers)


@pytest.mark.parametrize(
    ("cas", "valid"),
    [
        ("64-17-5", True),
        ("7732-18-5", True),
        ("20603-88-7", True),
        ("20603-88-2", False),
        ("64-17-6", False),
        ("6417-5", False),
    ],
)
def test_cas_check_digit(cas: str, valid: bool) -> None:
    # 64-17-5: digits 6,4,1,7 weighted from the right 7×1 + 1×2 + 4×3 + 6×4 = 45 → 5.
    assert cas_check_digit_ok(cas) is valid


def _numbers_without_source(node: Any, path: str) -> Iterator[str]:
    """Paths of mappings that hold a number but no non-empty 'source'."""
    if isinstance(node, dict):
        holds_number = any(
            (isinstance(v, int | float) and not isinstance(v, bool)) or k == "points"
            for k, v in node.items()
        )
        if holds_number and not (isinstance(node.get("source"), str) and node["source"].strip()):
            yield path
        for key, value in node.items():
            yield from _numbers_without_source(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _numbers_without_source(value, f"{path}[{index}]")


def test_every_numeric_value_has_a_source(raw_records: list[dict[str, Any]]) -> None:
    unsourced = [p for r in raw_records for p in _numbers_without_source(r, r["id"])]
    assert unsourced == []


def test_every_ghs_classification_and_override_is_explained(library: ReagentLibrary) -> None:
    for record in library:
        assert record.ghs is not None, record.id
        assert record.ghs.source.strip(), record.id
        assert all(reason.strip() for _, reason in record.overrides), record.id


def test_library_json_is_deterministically_formatted() -> None:
    text = LIBRARY_JSON.read_text(encoding="utf-8")
    records = json.loads(text)
    assert text == json.dumps(records, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)


def test_every_formula_parses(library: ReagentLibrary) -> None:
    for record in library:
        assert parse_formula(record.formula).molar_mass > 0, record.id


# Substances whose tabulated melting point and phase at 25 °C legitimately disagree.
PHASE_EXCEPTIONS = {
    # CAS Common Chemistry gives mp 30 °C, but it is sold, stored and dispensed as a liquid.
    "trioctylphosphine",
}


def test_phase_at_25C_agrees_with_melting_and_boiling_points(library: ReagentLibrary) -> None:
    room = 298.15
    for record in library:
        if record.id in PHASE_EXCEPTIONS:
            continue
        melting = record.melting_point_K.value if record.melting_point_K else None
        boiling = record.boiling_point_K.value if record.boiling_point_K else None
        if record.phase_25C == "gas":
            assert boiling is not None, record.id
            assert boiling < room, record.id
        elif record.phase_25C == "liquid":
            assert melting is None or melting < room, record.id
            assert boiling is None or boiling > room, record.id
        else:
            assert melting is None or melting > room, record.id


def test_vapor_pressure_tables_span_the_liquid_range(library: ReagentLibrary) -> None:
    for record in library:
        points = record.vapor_pressure_points
        if record.phase_25C in ("liquid", "gas") and record.critical is not None:
            assert 8 <= len(points) <= 15, record.id
        if points:
            assert record.vapor_pressure_source, record.id
            temperatures = [t for t, _ in points]
            assert temperatures == sorted(temperatures), record.id


# --------------------------------------------------------------------------------------------
# Physical data against handbook values


def test_ethanol_boils_at_one_atmosphere(library: ReagentLibrary) -> None:
    ethanol = library.get("ethanol")
    assert ethanol is not None
    # Normal boiling point 78.4 °C = 351.55 K (CRC Handbook): Psat must be 101 325 Pa ± 3 %.
    assert ethanol.vapor_pressure_Pa(351.55) == pytest.approx(101325, rel=0.03)


def test_water_boils_at_one_atmosphere(library: ReagentLibrary) -> None:
    water = library.get("water")
    assert water is not None
    # 100 °C = 373.15 K; IAPWS-95 gives 101 418 Pa there.
    assert water.vapor_pressure_Pa(373.15) == pytest.approx(101325, rel=0.03)
    # 25 °C: 3169.9 Pa (IAPWS-95).
    assert water.vapor_pressure_Pa(298.15) == pytest.approx(3169.9, rel=0.03)


def test_vapor_pressure_outside_its_range(library: ReagentLibrary) -> None:
    co2 = library.get("carbon-dioxide")
    assert co2 is not None
    assert co2.critical is not None
    assert co2.vapor_pressure_Pa(co2.critical.Tc_K + 5) is None  # supercritical
    lowest = co2.vapor_pressure_points[0][0]
    assert co2.vapor_pressure_Pa(lowest - 10) is not None  # short extrapolation is allowed
    assert co2.vapor_pressure_Pa(lowest - 31) is None
    cadmium_chloride = library.get("cadmium-chloride")
    assert cadmium_chloride is not None
    assert cadmium_chloride.vapor_pressure_Pa(298.15) is None  # no curve for a salt


def test_second_virial_coefficients_of_gases(library: ReagentLibrary) -> None:
    nitrogen, co2 = library.get("nitrogen"), library.get("carbon-dioxide")
    assert nitrogen is not None
    assert co2 is not None
    # Dymond & Smith, virial coefficients of pure gases: N2 at 300 K about −4.5 cm³/mol,
    # CO2 at 300 K about −120 cm³/mol (1 cm³/mol = 1e-6 m³/mol).
    b_nitrogen = nitrogen.second_virial(300.0)
    b_co2 = co2.second_virial(300.0)
    assert b_nitrogen is not None
    assert b_co2 is not None
    assert b_nitrogen == pytest.approx(-4.5e-6, abs=3e-6)
    assert b_co2 == pytest.approx(-120e-6, rel=0.1)
    assert co2.second_virial(1000.0) is None
    assert nitrogen.second_virial_source
    assert "Tsonopoulos" in nitrogen.second_virial_source


def test_liquid_densities_at_25C(library: ReagentLibrary) -> None:
    # CRC Handbook, density of ethanol at 25 °C 0.7849 g/mL; water 0.99705 g/mL.
    ethanol, water = library.get("ethanol"), library.get("water")
    assert ethanol is not None
    assert ethanol.density is not None
    assert water is not None
    assert water.density is not None
    assert ethanol.density.value == pytest.approx(0.7849, abs=0.003)
    assert ethanol.density.unit == "g/mL"
    assert ethanol.density.temperature_K == 298.15
    assert water.density.value == pytest.approx(0.99705, abs=0.001)


def test_database_errors_are_overridden_with_reasons(library: ReagentLibrary) -> None:
    overridden = {record.id: dict(record.overrides) for record in library}
    assert "melting_point_K" in overridden["sodium-borohydride"]
    assert "boiling_point_K" in overridden["chloroform-d"]
    assert "density" in overridden["selenium"]
    selenium = library.get("selenium")
    assert selenium is not None
    assert selenium.density is not None
    assert selenium.density.value == pytest.approx(4.81)  # grey, not vitreous, selenium


# --------------------------------------------------------------------------------------------
# Lookup


def test_TOP_is_ambiguous_between_two_phosphines(library: ReagentLibrary) -> None:
    hits = {record.id for record in library.find("TOP")}
    assert hits == {"trioctylphosphine", "triethylphosphine"}
    trioctyl, triethyl = library.get("trioctylphosphine"), library.get("triethylphosphine")
    assert trioctyl is not None
    assert triethyl is not None
    assert (trioctyl.cas, trioctyl.formula) != (triethyl.cas, triethyl.formula)
    assert [r.id for r in library.find("TEP")] == ["triethylphosphine"]
    assert [r.id for r in library.find("PEt3")] == ["triethylphosphine"]
    assert [r.id for r in library.find("trioctylphosphine")] == ["trioctylphosphine"]


def test_hydrates_are_separate_entries_in_one_family(library: ReagentLibrary) -> None:
    members = library.family_members("manganese-chloride")
    assert [(m.id, m.form) for m in members] == [
        ("manganese-chloride", "anhydrous"),
        ("manganese-chloride-dihydrate", "dihydrate"),
        ("manganese-chloride-tetrahydrate", "tetrahydrate"),
    ]
    assert [r.id for r in library.find("MnCl2")] == ["manganese-chloride"]
    assert [r.id for r in library.find("MnCl2.4H2O")] == ["manganese-chloride-tetrahydrate"]
    assert [r.id for r in library.find("MnCl2·4H2O")] == ["manganese-chloride-tetrahydrate"]
    cadmium = {m.id for m in library.family_members("cadmium-chloride")}
    assert cadmium == {"cadmium-chloride", "cadmium-chloride-hemipentahydrate"}


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("ethanol", ["ethanol"]),
        ("Ethanol", ["ethanol"]),
        ("ethyl alcohol", ["ethanol"]),
        ("EtOH", ["ethanol"]),
        ("64-17-5", ["ethanol"]),
        ("C2H6O", ["ethanol"]),
        ("BDA", ["butanediamine"]),
        ("butane-1,4-diamine", ["butanediamine"]),
        ("1,4-diaminobutane", ["butanediamine"]),
        ("deionized water", ["water"]),
        ("CO", ["carbon-monoxide"]),
        ("Co", []),  # cobalt is not carbon monoxide
        ("C3H6O", ["acetone", "propylene-oxide"]),  # one formula, two substances
        ("PO", ["propylene-oxide"]),
        ("CDCl3", ["chloroform-d"]),
        ("unobtainium", []),
    ],
)
def test_find(library: ReagentLibrary, key: str, expected: list[str]) -> None:
    assert [record.id for record in library.find(key)] == expected


def test_bundled_library_is_cached(library: ReagentLibrary) -> None:
    assert load_library() is library
    # the everyday reagents besides the paper's; eight commercial solutions with the two
    # Grignard reagents they dissolve; H2S and H2Se, which acid frees from their salts;
    # copper(II) nitrate trihydrate, trimesic acid and DMF for solvothermal frameworks;
    # thionyl chloride and the sulfur dioxide it gives off, for acid chlorides; potassium
    # chloride and the two phosphates of phosphate-buffered saline; mixed xylenes; acetic
    # anhydride, salicylic acid, phosphoric acid and its 85 % solution, for aspirin
    assert len(library) == len(REQUIRED) + 48 + 8 + 2 + 2 + 3 + 2 + 3 + 1 + 4
    assert library.conflicts == ()


def test_runtime_import_does_not_load_chemicals() -> None:
    code = (
        "import sys; from benchsheet.reagents import load_library; load_library(); "
        "print(sorted(m for m in ('chemicals', 'pandas', 'scipy', 'numpy') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --------------------------------------------------------------------------------------------
# Lab files


def _lab_file(tmp_path: Path, text: str, name: str = "lab.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_lab_file_adds_a_reagent(tmp_path: Path) -> None:
    path = _lab_file(
        tmp_path,
        """
        reagents:
          - id: oleylamine
            name: oleylamine
            abbreviations: [OAm]
            cas: 112-90-3
            formula: C18H37N
            phase_25C: liquid
            density: {value: 0.813, unit: g/mL, temperature_K: 298.15, source: "supplier CoA"}
        """,
    )
    library = load_library([path])
    record = library.get("oleylamine")
    assert record is not None
    assert record.family == "oleylamine"
    assert record.density is not None
    assert record.density.value == 0.813
    assert [r.id for r in library.find("OAm")] == ["oleylamine"]
    assert library.get("ethanol") is not None
    assert library.conflicts == ()


def test_lab_file_overrides_a_property(tmp_path: Path) -> None:
    path = _lab_file(
        tmp_path,
        """
        reagents:
          - id: ethanol
            density: {value: 0.80, unit: g/mL, temperature_K: 293.15, source: "our pycnometer"}
            reason: ethanol 96 % as stocked in our lab
        """,
    )
    record = load_library([path]).get("ethanol")
    assert record is not None
    assert record.density is not None
    assert record.density.value == 0.80
    assert record.cas == "64-17-5"
    fields = dict(record.overrides)
    assert "ethanol 96 %" in fields["density"]
    assert str(path) in fields["density"]
    # The bundled, cached library is untouched.
    bundled = load_library().get("ethanol")
    assert bundled is not None
    assert bundled.density is not None
    assert bundled.density.value != 0.80


def test_changing_identity_without_override_is_a_conflict(tmp_path: Path) -> None:
    path = _lab_file(
        tmp_path,
        """
        reagents:
          - id: ethanol
            formula: C2H5OD
            cas: "1516-08-1"
        """,
    )
    library = load_library([path])
    record = library.get("ethanol")
    assert record is not None
    assert record.formula == "C2H6O"
    assert {(c.reagent_id, c.field) for c in library.conflicts} == {
        ("ethanol", "cas"),
        ("ethanol", "formula"),
    }
    assert all(c.source_file == str(path) for c in library.conflicts)


def test_the_same_formula_written_another_way_is_no_conflict(tmp_path: Path) -> None:
    """A lab entry that writes the library's KCl as ClK (Hill order) or Na2HPO4 as HNa2O4P
    says the same substance: the entry applies, with no RF305."""
    path = _lab_file(
        tmp_path,
        """
        reagents:
          - id: potassium-chloride
            formula: ClK
            reason: written in Hill order
          - id: disodium-hydrogen-phosphate
            formula: HNa2O4P
        """,
    )
    library = load_library([path])
    assert library.conflicts == ()
    record = library.get("potassium-chloride")
    assert record is not None
    assert record.formula == "ClK"


def test_changing_identity_with_override_and_reason(tmp_path: Path) -> None:
    path = _lab_file(
        tmp_path,
        """
        reagents:
          - id: manganese-chloride
            formula: MnCl2·xH2O
            override: true
            reason: our bottle is the partially hydrated technical grade
        """,
    )
    library = load_library([path])
    record = library.get("manganese-chloride")
    assert record is not None
    assert record.formula == "MnCl2·xH2O"
    assert "technical grade" in dict(record.overrides)["formula"]
    assert library.conflicts == ()


def test_a_cas_claimed_by_two_ids_is_a_conflict(tmp_path: Path) -> None:
    path = _lab_file(
        tmp_path,
        """
        reagents:
          - id: etoh-absolute
            name: absolute ethanol (lab stock)
            cas: 64-17-5
            formula: C2H6O
            phase_25C: liquid
        """,
    )
    library = load_library([path])
    assert [(c.reagent_id, c.field) for c in library.conflicts] == [("etoh-absolute", "cas")]
    assert {r.id for r in library.find("64-17-5")} == {"ethanol", "etoh-absolute"}


def test_yaml_1_1_traps_are_read_as_text(tmp_path: Path) -> None:
    # Unquoted 7732-18-5 would be a (bad) date and NO would be False in plain YAML 1.1.
    path = _lab_file(
        tmp_path,
        """
        reagents:
          - id: nitric-oxide
            name: nitric oxide
            abbreviations: [NO]
            cas: 10102-43-9
            formula: NO
            phase_25C: gas
            critical: {Tc_K: 180.15, Pc_Pa: 6.48e6, omega: 0.582, source: "CRC Handbook"}
        """,
    )
    record = load_library([path]).get("nitric-oxide")
    assert record is not None
    assert record.abbreviations == ("NO",)
    assert record.formula == "NO"
    assert record.critical is not None
    assert record.critical.Pc_Pa == 6.48e6


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ("  - id: x\n    name: x\n    formula: H2O\n    phase_25C: plasma\n", 5, "phase_25C"),
        ("  - id: x\n    cas: 64-17-6\n", 3, "not a valid CAS"),
        ("  - id: x\n    colour: blue\n", 3, "unknown field 'colour'"),
        ("  - id: ethanol\n    formula: C2H6O\n    override: true\n", 4, "needs a 'reason:'"),
        ("  - id: x\n    name: x\n    formula: H2O\n", 2, "needs phase_25C"),
        ("  - id: x\n    density: {value: 1.0, unit: g/mL}\n", 3, "missing source"),
        ("  - id: x\n    name: [unclosed\n", 4, "not valid YAML"),
        ("  - id: Ethanol\n", 2, "lower-case"),
    ],
)
def test_invalid_lab_file_says_where(tmp_path: Path, body: str, line: int, fragment: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("reagents:\n" + body, encoding="utf-8")
    with pytest.raises(ReagentFileError, match=fragment) as caught:
        load_library([path])
    assert caught.value.path == str(path)
    assert caught.value.line == line


def test_duplicate_ids_in_one_lab_file(tmp_path: Path) -> None:
    path = _lab_file(
        tmp_path,
        """
        reagents:
          - id: ethanol
            synonyms: [alcohol]
          - id: ethanol
            synonyms: [spirit]
        """,
    )
    with pytest.raises(ReagentFileError, match="already used on line 3") as caught:
        load_library([path])
    assert caught.value.line == 5


# --------------------------------------------------------------------------------------------
# The generated file is up to date


def test_build_check_passes() -> None:
    pytest.importorskip("chemicals")
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "build_reagents.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, (
        f"{result.stderr}\nregenerate with: python tools/build_reagents.py"
    )


def test_propylene_oxide_density_is_its_value_at_25_C_and_sets_the_mmol_of_3_mL() -> None:
    """The audit found 0.830 g/mL, the 20 °C value, labelled 25 °C. Linear between 0.859 g/mL
    at 0 °C (Merck Index, d 0/4) and 0.830 g/mL at 20 °C (CRC Handbook): 0.830 - 0.00145 × 5 =
    0.8228 g/mL at 25 °C. 3 mL then hold 3 × 0.8228 / 58.08 = 42.50 mmol (42.87 with the
    20 °C value: 0.9 % more)."""
    from protocol_text import validate_body

    po = load_library().get("propylene-oxide")
    assert po is not None
    assert po.density is not None
    expected = 0.830 + (0.830 - 0.859) / 20 * 5
    assert po.density.temperature_K == 298.15
    assert po.density.value == pytest.approx(expected, abs=5e-4)
    result = validate_body("""\
        materials:
          PO: {reagent: propylene-oxide, amount: 3 mL, role: reactant}
        vessels:
          vial: {kind: vial, volume: 20 mL}
        steps:
          - {action: add, materials: [PO], to: vial}
        """)
    assert result.base is not None
    assert result.base.amounts is not None
    entry = result.base.amounts.entry("PO")
    assert entry is not None
    assert entry.moles is not None
    assert entry.moles.nominal * 1000 == pytest.approx(3 * expected / 58.08 * 1000, rel=1e-3)
