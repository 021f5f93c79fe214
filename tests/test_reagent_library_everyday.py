"""The everyday reagents added to the bundled library for protocols beyond the paper.

Grignard and organolithium chemistry, Swern oxidation, acid-base work-up and titration, Stöber
silica, ATRP, Turkevich gold, ZIF-8, CsPbBr3 and CdSe nanocrystals name these by library id. The
values below are independent handbook figures, written here with their source, checked against
what the build took from `chemicals` (or from an override in sources.yaml).
"""

from __future__ import annotations

import pytest

from benchsheet.chemistry.formula import molar_mass
from benchsheet.reagents import ReagentLibrary, load_library
from benchsheet.reagents.library import ReagentRecord, cas_check_digit_ok

# id -> (CAS number, phase at 25 °C)
EVERYDAY = {
    "magnesium": ("7439-95-4", "solid"),
    "bromobenzene": ("108-86-1", "liquid"),
    "diethyl-ether": ("60-29-7", "liquid"),
    "tetrahydrofuran": ("109-99-9", "liquid"),
    "iodine": ("7553-56-2", "solid"),
    "benzophenone": ("119-61-9", "solid"),
    "ammonium-chloride": ("12125-02-9", "solid"),
    "hydrogen-chloride": ("7647-01-0", "gas"),
    "sulfuric-acid": ("7664-93-9", "liquid"),
    "magnesium-sulfate": ("7487-88-9", "solid"),
    "sodium-sulfate": ("7757-82-6", "solid"),
    "oxalyl-chloride": ("79-37-8", "liquid"),
    "dimethyl-sulfoxide": ("67-68-5", "liquid"),
    "triethylamine": ("121-44-8", "liquid"),
    "cyclohexanol": ("108-93-0", "liquid"),
    "cyclohexanone": ("108-94-1", "liquid"),
    "tetraethyl-orthosilicate": ("78-10-4", "liquid"),
    "ammonia": ("7664-41-7", "gas"),
    "n-butyllithium": ("109-72-8", "liquid"),
    "benzaldehyde": ("100-52-7", "liquid"),
    "benzoic-acid": ("65-85-0", "solid"),
    "ethyl-acetate": ("141-78-6", "liquid"),
    "sodium-bicarbonate": ("144-55-8", "solid"),
    "sodium-carbonate": ("497-19-8", "solid"),
    "sodium-hydroxide": ("1310-73-2", "solid"),
    "sodium-chloride": ("7647-14-5", "solid"),
    "phenolphthalein": ("77-09-8", "solid"),
    "acetic-acid": ("64-19-7", "liquid"),
    "methyl-methacrylate": ("80-62-6", "liquid"),
    "copper-i-bromide": ("7787-70-4", "solid"),
    "pmdeta": ("3030-47-5", "liquid"),
    "ethyl-2-bromoisobutyrate": ("600-00-0", "liquid"),
    "anisole": ("100-66-3", "liquid"),
    "tetrachloroauric-acid-trihydrate": ("16961-25-4", "solid"),
    "trisodium-citrate-dihydrate": ("6132-04-3", "solid"),
    "zinc-nitrate-hexahydrate": ("10196-18-6", "solid"),
    "2-methylimidazole": ("693-98-1", "solid"),
    "cesium-carbonate": ("534-17-8", "solid"),
    "lead-bromide": ("10031-22-8", "solid"),
    "oleic-acid": ("112-80-1", "liquid"),
    "oleylamine": ("112-90-3", "liquid"),
    "1-octadecene": ("112-88-9", "liquid"),
    "cadmium-oxide": ("1306-19-0", "solid"),
    "dimethyl-sulfide": ("75-18-3", "liquid"),
    "hydrogen": ("1333-74-0", "gas"),
    "butane": ("106-97-8", "gas"),
    "methane": ("74-82-8", "gas"),
    "triphenylmethanol": ("76-84-6", "solid"),
    "thionyl-chloride": ("7719-09-7", "liquid"),
    "sulfur-dioxide": ("7446-09-5", "gas"),
    "potassium-chloride": ("7447-40-7", "solid"),
    "disodium-hydrogen-phosphate": ("7558-79-4", "solid"),
    "potassium-dihydrogen-phosphate": ("7778-77-0", "solid"),
    "xylenes": ("1330-20-7", "liquid"),
    "acetic-anhydride": ("108-24-7", "liquid"),
    "salicylic-acid": ("69-72-7", "solid"),
    "phosphoric-acid": ("7664-38-2", "solid"),
}

CELSIUS = 273.15


@pytest.fixture(scope="module")
def library() -> ReagentLibrary:
    return load_library()


def _get(library: ReagentLibrary, reagent_id: str) -> ReagentRecord:
    record = library.get(reagent_id)
    assert record is not None, reagent_id
    return record


# --------------------------------------------------------------------------------------------
# Identity


@pytest.mark.parametrize(
    ("reagent_id", "cas", "phase"), [(i, c, p) for i, (c, p) in EVERYDAY.items()]
)
def test_everyday_reagent_is_in_the_library(
    library: ReagentLibrary, reagent_id: str, cas: str, phase: str
) -> None:
    record = _get(library, reagent_id)
    assert record.cas == cas
    assert cas_check_digit_ok(cas)
    assert record.phase_25C == phase
    assert molar_mass(record.formula) > 0
    assert record.ghs is not None
    assert record.ghs.source.strip()
    # The id, the CAS number and the name each find this entry and nothing else.
    assert [r.id for r in library.find(reagent_id)] == [reagent_id]
    assert [r.id for r in library.find(cas)] == [reagent_id]
    assert reagent_id in {r.id for r in library.find(record.name)}


def test_hydrates_and_forms(library: ReagentLibrary) -> None:
    expected = {
        "tetrachloroauric-acid-trihydrate": ("HAuCl4·3H2O", "trihydrate"),
        "trisodium-citrate-dihydrate": ("Na3C6H5O7·2H2O", "dihydrate"),
        "zinc-nitrate-hexahydrate": ("Zn(NO3)2·6H2O", "hexahydrate"),
        "magnesium-sulfate": ("MgSO4", "anhydrous"),
        "sodium-sulfate": ("Na2SO4", "anhydrous"),
        "magnesium": ("Mg", "turnings"),
    }
    for reagent_id, (formula, form) in expected.items():
        record = _get(library, reagent_id)
        assert (record.formula, record.form) == (formula, form), reagent_id


def test_molar_masses_from_atomic_weights(library: ReagentLibrary) -> None:
    # Computed by hand with IUPAC abridged standard atomic weights (C 12.011, H 1.008,
    # Li 6.94, N 14.007, O 15.999, Zn 65.38, Au 196.97, Cl 35.45):
    # n-BuLi C4H9Li: 4 × 12.011 + 9 × 1.008 + 6.94 = 48.044 + 9.072 + 6.94 = 64.056 g/mol.
    n_buli = _get(library, "n-butyllithium")
    assert molar_mass(n_buli.formula) == pytest.approx(64.06, abs=0.01)
    # Zn(NO3)2·6H2O: 65.38 + 2 × (14.007 + 3 × 15.999) + 6 × (2 × 1.008 + 15.999)
    #              = 65.38 + 124.008 + 108.090 = 297.478 g/mol (CRC Handbook: 297.49).
    zinc_nitrate = _get(library, "zinc-nitrate-hexahydrate")
    assert molar_mass(zinc_nitrate.formula) == pytest.approx(297.48, abs=0.02)
    # HAuCl4·3H2O: 1.008 + 196.97 + 4 × 35.45 + 3 × 18.015 = 393.83 g/mol.
    gold = _get(library, "tetrachloroauric-acid-trihydrate")
    assert molar_mass(gold.formula) == pytest.approx(393.83, abs=0.02)
    # SOCl2: 32.06 + 15.999 + 2 × 35.45 = 118.96 g/mol (S 32.06).
    thionyl = _get(library, "thionyl-chloride")
    assert molar_mass(thionyl.formula) == pytest.approx(118.96, abs=0.02)


# --------------------------------------------------------------------------------------------
# Physical data against handbook values (CRC Handbook of Chemistry and Physics, 97th ed.,
# physical constants of organic and inorganic compounds, unless said otherwise)

# id -> (expected °C, tolerance K, source)
BOILING_POINTS_C = {
    "tetrahydrofuran": (66.0, 1.0, "CRC: THF bp 65–66 °C"),
    "diethyl-ether": (34.5, 1.0, "CRC: diethyl ether bp 34.5 °C"),
    "bromobenzene": (156.06, 1.0, "CRC: bromobenzene bp 156.06 °C"),
    "triethylamine": (89.0, 1.0, "CRC: triethylamine bp 89 °C"),
    "methyl-methacrylate": (100.5, 1.0, "CRC: methyl methacrylate bp 100.5 °C"),
    "ammonia": (-33.33, 0.5, "CRC: ammonia bp −33.33 °C"),
    "hydrogen-chloride": (-85.05, 1.0, "CRC: hydrogen chloride bp −85.05 °C"),
    "ethyl-2-bromoisobutyrate": (163.0, 2.0, "CAS Common Chemistry: bp 163 °C (an override)"),
    "thionyl-chloride": (75.6, 1.0, "CRC: thionyl chloride bp 75.6 °C"),
    "sulfur-dioxide": (-10.05, 0.5, "CRC: sulfur dioxide bp −10.05 °C"),
    # The isomers boil at 138.4 (p), 139.1 (m) and 144.5 °C (o); the mixture 137–144 °C.
    "xylenes": (140.0, 4.0, "CRC: xylene isomers bp 138.4–144.5 °C"),
    "acetic-anhydride": (139.5, 1.0, "CRC: acetic anhydride bp 139.5 °C"),
}

MELTING_POINTS_C = {
    "dimethyl-sulfoxide": (18.5, 1.0, "CRC: DMSO mp 18.52 °C"),
    "acetic-acid": (16.64, 1.0, "CRC: acetic acid mp 16.64 °C"),
    "benzoic-acid": (122.35, 1.0, "CRC: benzoic acid mp 122.35 °C"),
    "sodium-chloride": (800.7, 5.0, "CRC: sodium chloride mp 800.7 °C"),
    "hydrogen-chloride": (-114.17, 1.0, "CRC: hydrogen chloride mp −114.17 °C (an override)"),
    "pmdeta": (-20.0, 2.0, "Sigma-Aldrich: PMDETA mp −20 °C (an override)"),
    "salicylic-acid": (159.0, 1.0, "CRC: salicylic acid mp 159 °C"),
    "phosphoric-acid": (42.4, 0.5, "CRC: phosphoric acid mp 42.4 °C (an override)"),
}


@pytest.mark.parametrize("reagent_id", sorted(BOILING_POINTS_C))
def test_boiling_points(library: ReagentLibrary, reagent_id: str) -> None:
    expected, tolerance, _source = BOILING_POINTS_C[reagent_id]
    boiling = _get(library, reagent_id).boiling_point_K
    assert boiling is not None
    assert boiling.value == pytest.approx(expected + CELSIUS, abs=tolerance)


@pytest.mark.parametrize("reagent_id", sorted(MELTING_POINTS_C))
def test_melting_points(library: ReagentLibrary, reagent_id: str) -> None:
    expected, tolerance, _source = MELTING_POINTS_C[reagent_id]
    melting = _get(library, reagent_id).melting_point_K
    assert melting is not None
    assert melting.value == pytest.approx(expected + CELSIUS, abs=tolerance)


def test_liquid_densities_at_25C(library: ReagentLibrary) -> None:
    # CRC: ethyl acetate 0.9003 g/mL at 20 °C, about 0.894 g/mL at 25 °C.
    ethyl_acetate = _get(library, "ethyl-acetate").density
    assert ethyl_acetate is not None
    assert 0.894 <= ethyl_acetate.value <= 0.902
    assert ethyl_acetate.temperature_K == 298.15
    # CRC: DMSO 1.1010 g/mL at 20 °C, 1.0955 g/mL at 25 °C.
    dmso = _get(library, "dimethyl-sulfoxide").density
    assert dmso is not None
    assert dmso.value == pytest.approx(1.0955, abs=0.005)
    # CRC: sulfuric acid (100 %) 1.8302 g/mL at 25 °C.
    sulfuric = _get(library, "sulfuric-acid").density
    assert sulfuric is not None
    assert sulfuric.value == pytest.approx(1.830, abs=0.01)
    # Mixed xylenes: the isomers lie between 0.857 (p) and 0.876 g/mL (o) at 25 °C (CRC).
    xylenes = _get(library, "xylenes").density
    assert xylenes is not None
    assert 0.857 <= xylenes.value <= 0.876
    # No melting point: chemicals' 171.5 °C for this CAS is no melting point of a liquid.
    assert _get(library, "xylenes").melting_point_K is None
    # CRC, inorganic liquids: thionyl chloride 1.631 g/mL at 25 °C.
    thionyl = _get(library, "thionyl-chloride").density
    assert thionyl is not None
    assert thionyl.value == pytest.approx(1.631, abs=0.005)
    # Supplier figures entered by hand where chemicals has none (Sigma-Aldrich, 25 °C).
    for reagent_id, value in [("oleylamine", 0.813), ("1-octadecene", 0.789),
                              ("oleic-acid", 0.895), ("oxalyl-chloride", 1.478)]:
        density = _get(library, reagent_id).density
        assert density is not None, reagent_id
        assert density.value == pytest.approx(value), reagent_id
        assert "Sigma-Aldrich" in density.source, reagent_id


def test_vapor_pressure_of_volatile_solvents(library: ReagentLibrary) -> None:
    ether = _get(library, "diethyl-ether")
    thf = _get(library, "tetrahydrofuran")
    ethyl_acetate = _get(library, "ethyl-acetate")
    # CRC (vapour pressure of fluids): diethyl ether 71.7 kPa at 25 °C, THF 21.6 kPa,
    # ethyl acetate 12.6 kPa; and 101.325 kPa at the normal boiling point of ether, 34.5 °C.
    assert ether.vapor_pressure_Pa(298.15) == pytest.approx(71_000, rel=0.05)
    assert ether.vapor_pressure_Pa(34.5 + CELSIUS) == pytest.approx(101_325, rel=0.03)
    assert thf.vapor_pressure_Pa(298.15) == pytest.approx(21_600, rel=0.10)
    assert ethyl_acetate.vapor_pressure_Pa(298.15) == pytest.approx(12_600, rel=0.05)


def test_gases(library: ReagentLibrary) -> None:
    # Dymond & Smith, virial coefficients of pure gases: methane at 300 K about −43 cm³/mol.
    methane = _get(library, "methane")
    b_methane = methane.second_virial(300.0)
    assert b_methane is not None
    assert b_methane == pytest.approx(-43e-6, rel=0.1)
    # CRC: ammonia vapour pressure 1.003 MPa at 25 °C; hydrogen chloride 4.7 MPa.
    ammonia = _get(library, "ammonia")
    assert ammonia.vapor_pressure_Pa(298.15) == pytest.approx(1.003e6, rel=0.05)
    hydrogen_chloride = _get(library, "hydrogen-chloride")
    assert hydrogen_chloride.vapor_pressure_Pa(298.15) == pytest.approx(4.7e6, rel=0.05)
    for reagent_id in ("hydrogen", "methane", "butane", "ammonia", "hydrogen-chloride"):
        record = _get(library, reagent_id)
        assert record.critical is not None, reagent_id
        assert record.second_virial_points, reagent_id


def test_database_errors_are_overridden_with_reasons(library: ReagentLibrary) -> None:
    overridden = {r.id: dict(r.overrides) for r in library if r.id in EVERYDAY}
    assert set(overridden["n-butyllithium"]) == {"melting_point_K", "boiling_point_K"}
    assert set(overridden["sodium-bicarbonate"]) == {"melting_point_K"}
    assert set(overridden["hydrogen-chloride"]) == {"melting_point_K"}
    assert set(overridden["pmdeta"]) == {"melting_point_K"}
    assert set(overridden["oleylamine"]) == {"melting_point_K"}
    assert set(overridden["ethyl-2-bromoisobutyrate"]) == {"boiling_point_K"}
    n_buli = _get(library, "n-butyllithium")
    assert n_buli.melting_point_K is None
    assert n_buli.boiling_point_K is None
    assert n_buli.density is None  # dispensed as a solution; its density is not the substance's
    # Oleylamine is bought, stored and dispensed as a liquid at room temperature.
    oleylamine = _get(library, "oleylamine")
    assert oleylamine.melting_point_K is not None
    assert oleylamine.melting_point_K.value < 298.15


# --------------------------------------------------------------------------------------------
# Lookup


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("THF", ["tetrahydrofuran"]),
        ("Et2O", ["diethyl-ether"]),
        ("ether", ["diethyl-ether"]),
        ("DMSO", ["dimethyl-sulfoxide"]),
        ("EtOAc", ["ethyl-acetate"]),
        ("Et3N", ["triethylamine"]),
        ("n-BuLi", ["n-butyllithium"]),
        ("TEOS", ["tetraethyl-orthosilicate"]),
        ("MMA", ["methyl-methacrylate"]),
        ("EBiB", ["ethyl-2-bromoisobutyrate"]),
        ("PMDETA", ["pmdeta"]),
        ("ODE", ["1-octadecene"]),
        ("OAm", ["oleylamine"]),
        ("AcOH", ["acetic-acid"]),
        ("hydrochloric acid", ["hydrogen-chloride"]),
        ("Hydrogen Chloride", ["hydrogen-chloride"]),
        ("caustic soda", ["sodium-hydroxide"]),
        ("sodium hydrogen carbonate", ["sodium-bicarbonate"]),
        ("cuprous bromide", ["copper-i-bromide"]),
        ("caesium carbonate", ["cesium-carbonate"]),
        ("lead(II) bromide", ["lead-bromide"]),
        ("chloroauric acid trihydrate", ["tetrachloroauric-acid-trihydrate"]),
        ("HAuCl4·3H2O", ["tetrachloroauric-acid-trihydrate"]),
        ("HAuCl4.3H2O", ["tetrachloroauric-acid-trihydrate"]),
        ("Zn(NO3)2·6H2O", ["zinc-nitrate-hexahydrate"]),
        ("CuBr", ["copper-i-bromide"]),
        ("HCl", ["hydrogen-chloride"]),
        ("NH3", ["ammonia"]),
        ("16961-25-4", ["tetrachloroauric-acid-trihydrate"]),
        ("7647-01-0", ["hydrogen-chloride"]),
        ("6132-04-3", ["trisodium-citrate-dihydrate"]),
        # Ambiguous abbreviations: OA is oleic acid and (in the paper) n-octylamine; TEA is
        # triethylamine or triethanolamine and DMS dimethyl sulfide or dimethyl sulfate, whose
        # second meanings are not in the library, so they name nothing rather than one.
        ("OA", ["octylamine", "oleic-acid"]),
        ("TEA", []),
        ("DMS", []),
    ],
)
def test_find_everyday(library: ReagentLibrary, key: str, expected: list[str]) -> None:
    assert [record.id for record in library.find(key)] == expected


def test_OA_is_ambiguous_on_both_entries(library: ReagentLibrary) -> None:
    for reagent_id in ("oleic-acid", "octylamine"):
        record = _get(library, reagent_id)
        assert "OA" in record.ambiguous_abbreviations
        assert "OA" not in record.abbreviations


# --------------------------------------------------------------------------------------------
# GHS label elements hang together (CLP Annex I: pictograms and signal words per class)

DANGER_CODES = {"H220", "H224", "H225", "H250", "H260", "H261", "H272", "H301", "H304", "H311",
                "H314", "H318", "H330", "H331", "H340", "H350", "H360", "H360Df", "H372"}
PICTOGRAM_OF = {
    "H220": "GHS02", "H224": "GHS02", "H225": "GHS02", "H226": "GHS02", "H228": "GHS02",
    "H250": "GHS02", "H260": "GHS02", "H261": "GHS02", "H272": "GHS03", "H280": "GHS04",
    "H290": "GHS05", "H314": "GHS05", "H318": "GHS05", "H301": "GHS06", "H311": "GHS06",
    "H330": "GHS06", "H331": "GHS06", "H304": "GHS08", "H340": "GHS08", "H341": "GHS08",
    "H350": "GHS08", "H351": "GHS08", "H360": "GHS08", "H360Df": "GHS08", "H361": "GHS08",
    "H361f": "GHS08", "H361fd": "GHS08", "H372": "GHS08", "H373": "GHS08", "H400": "GHS09",
    "H410": "GHS09", "H411": "GHS09",
}


@pytest.mark.parametrize("reagent_id", sorted(EVERYDAY))
def test_ghs_label_is_consistent(library: ReagentLibrary, reagent_id: str) -> None:
    ghs = _get(library, reagent_id).ghs
    assert ghs is not None
    if not ghs.h_codes:
        assert ghs.signal_word is None
        assert ghs.pictograms == ()
        return
    assert ghs.signal_word in ("Danger", "Warning")
    if DANGER_CODES & set(ghs.h_codes):
        assert ghs.signal_word == "Danger"
    for code in ghs.h_codes:
        if code in PICTOGRAM_OF:
            assert PICTOGRAM_OF[code] in ghs.pictograms, code
    if "GHS06" in ghs.pictograms:
        assert "GHS07" not in ghs.pictograms  # CLP Annex I 1.2.3: no GHS07 beside GHS06
    assert not ({"H400", "H410"} <= set(ghs.h_codes))  # H410 stands for both
    assert not ({"H314", "H318"} <= set(ghs.h_codes))  # H318 is not repeated beside H314
