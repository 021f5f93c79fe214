"""A second lab's protocols (tests/second_lab/): esterification, Suzuki coupling, a
hydrogenation, a mixed-acid nitration, a borohydride reduction, a cobalt(III) ammine, an
aldol condensation, a solvothermal metal-organic framework, a Williamson ether synthesis, an
acid chloride from thionyl chloride, magnetite nanoparticles by co-precipitation, gold
nanorods by seed-mediated growth, phosphate-buffered saline, a Diels–Alder reaction in
xylenes and aspirin validate clean, their key numbers agree with hand calculations,
deliberate mistakes are caught, and they render and export.

Constants used by the hand calculations:

- Standard atomic weights (IUPAC 2021, abridged): H 1.008, B 10.81, C 12.011, N 14.007,
  O 15.999, Na 22.990, P 30.974, S 32.06, Cl 35.45, K 39.098, Fe 55.845, Co 58.933,
  Cu 63.546, Br 79.904, Pd 106.42.
- R = 8.314462618 J/(mol·K), exact since the 2019 SI redefinition (CODATA 2018); 1 atm =
  101 325 Pa by definition; gauge pressures are read against it.
- Densities as the protocols state them: 3-methylbutan-1-ol 0.810 g/mL (20 °C), glacial acetic
  acid 1.049 g/mL (25 °C), cyclohexene 0.811 g/mL (20 °C) (CRC Handbook of Chemistry and
  Physics, physical constants of organic compounds); 70 % (w/w) nitric acid 1.413 g/mL and
  96 % sulfuric acid 1.835 g/mL, 28 % ammonia 0.8980 g/mL, 37 % hydrochloric acid 1.184 g/mL
  and 30 % hydrogen peroxide 1.11 g/mL (20 °C; CRC, concentrative properties of aqueous
  solutions); benzaldehyde 1.04118 and acetone 0.78551 g/mL are the library's (25 °C),
  as are acetic anhydride 1.0757 g/mL (25 °C, CRC) and 85 % phosphoric acid 1.685 g/mL
  (25 °C, Sigma-Aldrich);
  ethanol's density is the library's; thionyl chloride 1.631 g/mL (25 °C; CRC, inorganic
  liquids) is the library's.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from benchsheet.api import load, validate
from benchsheet.chemistry.amounts import AmountsTable
from benchsheet.cli import main
from benchsheet.findings import Severity
from benchsheet.validate import VariantResult
from protocol_text import findings_of, with_code

C, H, N, OX, PD = 12.011, 1.008, 14.007, 15.999, 106.42  # OX: oxygen
B, NA, CL, CO, CU = 10.81, 22.990, 35.45, 58.933, 63.546
S, FE = 32.06, 55.845
R = 8.314462618
ATM = 101_325.0

LAB = Path(__file__).parent / "second_lab"
FILES = sorted(LAB.glob("*.yaml"))


def _base(name: str) -> VariantResult:
    base = load(LAB / name).result.base
    assert base is not None
    assert base.amounts is not None
    return base


def _assert_moles(amounts: AmountsTable, expected: dict[str, float], rel: float) -> None:
    """Each material's moles are the hand-calculated ones, within ``rel``."""
    for mid, moles in expected.items():
        entry = amounts.materials[mid].moles
        assert entry is not None, mid
        assert entry.nominal == pytest.approx(moles, rel=rel), mid


def test_the_fifteen_protocols_are_there() -> None:
    assert [f.name for f in FILES] == [
        "anthracene-maleic-diels-alder.yaml", "aspirin-acetylation.yaml",
        "benzhydrol-borohydride.yaml",
        "benzoyl-chloride-thionyl.yaml", "benzyl-phenyl-ether-williamson.yaml",
        "biphenyl-suzuki.yaml", "cobalt-pentaammine-chloride.yaml",
        "cyclohexene-hydrogenation.yaml", "dibenzalacetone-aldol.yaml",
        "gold-nanorods-seeded.yaml",
        "hkust1-solvothermal.yaml", "isoamyl-acetate-fischer.yaml",
        "magnetite-coprecipitation.yaml", "methyl-nitrobenzoate-nitration.yaml",
        "pbs-buffer.yaml"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_validates_without_errors_or_warnings(path: Path) -> None:
    (result,) = validate(path)
    loud = [f"{f.code} {f.message}" for f in result.findings if f.severity >= Severity.WARNING]
    assert loud == []
    assert not any(f.acknowledged for f in result.findings)  # nothing swept under the rug


def test_esterification_theoretical_yield_and_claims() -> None:
    """5.0 mL isoamyl alcohol (C5H12O) limits; 7.0 mL acetic acid is 2.66 equivalents."""
    base = _base("isoamyl-acetate-fischer.yaml")
    m_alcohol = 5 * C + 12 * H + OX  # 88.15 g/mol
    m_acid = 2 * C + 4 * H + 2 * OX  # 60.05 g/mol
    m_ester = 7 * C + 14 * H + 2 * OX  # 130.19 g/mol
    n_alcohol = 5.0 * 0.810 / m_alcohol  # 45.94 mmol
    n_acid = 7.0 * 1.049 / m_acid  # 122.3 mmol
    balance = base.amounts.balances["ester"]  # type: ignore[union-attr]
    assert balance.limiting == ("alcohol",)
    assert balance.theoretical_mass_g is not None
    assert balance.theoretical_mass_g.nominal == pytest.approx(n_alcohol * m_ester, rel=1e-3)
    assert n_alcohol * m_ester == pytest.approx(5.981, abs=1e-3)  # g
    assert not [p for p in balance.problems if p.startswith("unbalanced")]  # water balances it
    claims = {f.path[1]: f for f in with_code(base.findings, "CL102")}
    assert set(claims) == {"yield", "acid_excess"}
    assert f"{n_acid / n_alcohol:.4g}" in claims["acid_excess"].message  # 2.661
    assert f"{3.90 / (n_alcohol * m_ester):.3g}" in claims["yield"].message  # 0.652


def test_nitration_equivalents_and_yield() -> None:
    """2.00 g methyl benzoate (C8H8O2) limits; 1.50 mL of 70 % nitric acid is 1.60 equiv;
    2.661 g of methyl 3-nitrobenzoate (C8H7NO4) at most, the water balancing the equation."""
    base = _base("methyl-nitrobenzoate-nitration.yaml")
    amounts = base.amounts
    assert amounts is not None
    m_ester = 8 * C + 8 * H + 2 * OX  # 136.15 g/mol
    m_hno3 = H + N + 3 * OX  # 63.01 g/mol
    m_nitro = 8 * C + 7 * H + N + 4 * OX  # 181.15 g/mol
    n_ester = 2.00 / m_ester  # 14.69 mmol
    n_hno3 = 1.50 * 1.413 * 0.70 / m_hno3  # 1.484 g of HNO3 in 2.120 g: 23.55 mmol
    assert amounts.materials["HNO3"].moles.nominal == pytest.approx(n_hno3, rel=1e-3)  # type: ignore[union-attr]
    assert n_hno3 / n_ester == pytest.approx(1.603, abs=1e-3)
    balance = amounts.balances["nitro"]
    assert balance.limiting == ("ester",)
    assert balance.excess()["HNO3"].nominal == pytest.approx(n_hno3 / n_ester, rel=1e-3)
    assert balance.theoretical_mass_g is not None
    assert balance.theoretical_mass_g.nominal == pytest.approx(n_ester * m_nitro, rel=1e-3)
    assert n_ester * m_nitro == pytest.approx(2.661, abs=1e-3)  # g
    assert not [p for p in balance.problems if p.startswith("unbalanced")]


def test_borohydride_reduction_hydride_yield_and_hydrogen() -> None:
    """1.82 g benzophenone (C13H10O) limits; 0.20 g NaBH4 is 0.529 mol per mol of ketone
    (2.12 hydride equivalents, 4 H⁻ each); 1.840 g of diphenylmethanol (C13H12O) at most,
    by 4 Ph2CO + NaBH4 + HCl + 3 H2O → 4 Ph2CHOH + B(OH)3 + NaCl. The borohydride gives
    off hydrogen where it meets the methanol, but only from what the ketone beside it
    leaves: (5.287 − 9.988 / 4) mmol × 4 H2 = 11.16 mmol at most (it was 4 × 5.287 =
    21.15, as if no hydride went to the ketone), and the quench finds none left."""
    base = _base("benzhydrol-borohydride.yaml")
    amounts = base.amounts
    assert amounts is not None
    m_ketone = 13 * C + 10 * H + OX  # 182.22 g/mol
    m_nabh4 = NA + B + 4 * H  # 37.83 g/mol
    m_alcohol = 13 * C + 12 * H + OX  # 184.24 g/mol
    n_ketone = 1.82 / m_ketone  # 9.988 mmol
    n_nabh4 = 0.20 / m_nabh4  # 5.287 mmol
    n_hcl = 5.0e-3 * 3.0  # 15.0 mmol
    moles = {mid: amounts.materials[mid].moles.nominal  # type: ignore[union-attr]
             for mid in ("ketone", "NaBH4", "HCl")}
    assert moles == pytest.approx({"ketone": n_ketone, "NaBH4": n_nabh4, "HCl": n_hcl},
                                  rel=1e-3)
    balance = amounts.balances["benzhydrol"]
    assert balance.limiting == ("ketone",)
    excess = balance.excess()
    assert excess["NaBH4"].nominal == pytest.approx(n_nabh4 / (n_ketone / 4), rel=1e-3)  # 2.12
    assert excess["HCl"].nominal == pytest.approx(n_hcl / (n_ketone / 4), rel=1e-3)  # 6.01
    assert balance.theoretical_mass_g is not None
    assert balance.theoretical_mass_g.nominal == pytest.approx(n_ketone * m_alcohol, rel=1e-3)
    assert n_ketone * m_alcohol == pytest.approx(1.840, abs=1e-3)  # g
    assert not [p for p in balance.problems if p.startswith("unbalanced")]
    (claim,) = with_code(base.findings, "CL102")
    assert f"{n_nabh4 / n_ketone:.4g}" in claim.message  # 0.5293
    # The excess counted where it first meets the methanol (an upper bound: some of it
    # survives to the quench); the quench then finds none left to give off.
    (h2,) = [(s.step_path, r) for s in amounts.timeline for r in s.released
             if r.formula == "H2" and r.gives_off]
    assert h2[0] == ("steps", 1)
    assert h2[1].moles == pytest.approx(4 * (n_nabh4 - n_ketone / 4), rel=1e-3)  # 11.16
    assert 4 * (n_nabh4 - n_ketone / 4) == pytest.approx(11.16e-3, abs=1e-5)
    # 3 M hydrochloric acid is no gas under pressure, nor toxic to breathe as the gas is
    # (CLP Annex VI 017-002-01-X): its label loses H280, H331, GHS04 and GHS06; methanol's
    # H331 stays.
    (statements,) = with_code(base.findings, "HZ101")
    assert "H280" not in statements.message
    assert "H331 Toxic if inhaled (methanol)" in statements.message


def test_cobalt_ammine_limiting_excess_and_yield() -> None:
    """5.00 g CoCl2·6H2O limits 2 CoCl2·6H2O + 2 NH4Cl + 8 NH3 + H2O2 → 2 [Co(NH3)5Cl]Cl2 +
    14 H2O: 2.22× NH4Cl, 2.63× NH3 (28 %), 3.73× H2O2 (30 %); 5.263 g of the salt at most.
    The 37 % hydrochloric acid is the medium, in no equation."""
    base = _base("cobalt-pentaammine-chloride.yaml")
    amounts = base.amounts
    assert amounts is not None
    m_cocl2 = CO + 2 * CL + 6 * (2 * H + OX)  # 237.92 g/mol, the hexahydrate
    m_salt = CO + 5 * (N + 3 * H) + 3 * CL  # 250.44 g/mol
    n_co = 5.00 / m_cocl2  # 21.02 mmol
    n_nh4cl = 2.50 / (N + 4 * H + CL)  # 46.74 mmol
    n_nh3 = 15.0 * 0.8980 * 0.28 / (N + 3 * H)  # 221.5 mmol
    n_h2o2 = 4.0 * 1.11 * 0.30 / (2 * H + 2 * OX)  # 39.16 mmol
    n_hcl = 15.0 * 1.184 * 0.37 / (H + CL)  # 180.2 mmol
    moles = {mid: amounts.materials[mid].moles.nominal  # type: ignore[union-attr]
             for mid in ("Co", "NH4Cl", "NH3", "H2O2", "HCl")}
    assert moles == pytest.approx({"Co": n_co, "NH4Cl": n_nh4cl, "NH3": n_nh3,
                                   "H2O2": n_h2o2, "HCl": n_hcl}, rel=2e-3)
    balance = amounts.balances["complex"]
    assert balance.limiting == ("Co",)
    extent = n_co / 2
    assert {mid: r.nominal for mid, r in balance.excess().items()} == pytest.approx(
        {"NH4Cl": n_nh4cl / 2 / extent, "NH3": n_nh3 / 8 / extent, "H2O2": n_h2o2 / extent},
        rel=2e-3)  # 2.22, 2.63, 3.73
    assert balance.theoretical_mass_g is not None
    assert balance.theoretical_mass_g.nominal == pytest.approx(n_co * m_salt, rel=1e-3)
    assert n_co * m_salt == pytest.approx(5.263, abs=1e-3)  # g
    assert not [p for p in balance.problems if p.startswith("unbalanced")]


def test_aldol_limiting_acetone_and_yield() -> None:
    """0.73 mL acetone (C3H6O) limits 2 PhCHO + acetone → dibenzylideneacetone + 2 H2O, with
    benzaldehyde 2.027 per acetone; 2.313 g of C17H14O at most. Half the carbonyl mixture
    goes in first: the flask then holds half of each."""
    base = _base("dibenzalacetone-aldol.yaml")
    amounts = base.amounts
    assert amounts is not None
    n_aldehyde = 2.04 * 1.04118 / (7 * C + 6 * H + OX)  # 20.01 mmol
    n_acetone = 0.73 * 0.78551 / (3 * C + 6 * H + OX)  # 9.873 mmol
    m_dba = 17 * C + 14 * H + OX  # 234.30 g/mol
    balance = amounts.balances["dba"]
    assert balance.limiting == ("acetone",)
    assert balance.excess()["PhCHO"].nominal == pytest.approx(n_aldehyde / 2 / n_acetone,
                                                              rel=1e-3)  # 1.014
    assert balance.theoretical_mass_g is not None
    assert balance.theoretical_mass_g.nominal == pytest.approx(n_acetone * m_dba, rel=1e-3)
    assert n_acetone * m_dba == pytest.approx(2.313, abs=1e-3)  # g
    assert not [p for p in balance.problems if p.startswith("unbalanced")]  # 2 H2O balance it
    (claim,) = with_code(base.findings, "CL102")
    assert f"{n_aldehyde / n_acetone:.4g}" in claim.message  # 2.027
    (half,) = [s for s in amounts.timeline.at(("steps", 3)) if s.vessel == "flask"]
    assert half.share("PhCHO") == pytest.approx(0.5)
    assert half.share("acetone") == pytest.approx(0.5)


def test_suzuki_equivalents_loading_and_yield() -> None:
    """1.00 mmol PhBr; 1.2 equiv boronic acid, 2.0 equiv K2CO3, 3 mol % Pd; 139 mg biphenyl."""
    base = _base("biphenyl-suzuki.yaml")
    amounts = base.amounts
    assert amounts is not None
    ratios = {mid: amounts.materials[mid].moles.nominal / amounts.materials["PhBr"].moles.nominal
              for mid in ("PhBOH2", "K2CO3", "Pd")}  # type: ignore[union-attr]
    assert ratios == pytest.approx({"PhBOH2": 1.2, "K2CO3": 2.0, "Pd": 0.03})
    m_biphenyl = 12 * C + 10 * H  # 154.21 g/mol
    balance = amounts.balances["biphenyl"]
    assert balance.limiting == ("PhBr",)
    assert balance.theoretical_mass_g is not None
    assert balance.theoretical_mass_g.nominal == pytest.approx(1.00e-3 * m_biphenyl, rel=1e-3)
    assert {f.path[1] for f in with_code(base.findings, "CL102")} == {
        "boronic_equiv", "base_equiv", "loading", "yield"}
    assert f"{0.139 / (1e-3 * m_biphenyl):.4g}" in next(
        f.message for f in base.findings if f.path[:2] == ("claims", "yield"))  # 0.9014


def test_hydrogenation_headspace_hydrogen_and_loading() -> None:
    """5.0 bar gauge H2 at 25 °C in 300 mL less the liquids: n = P·V/(R·T), ideal (no virial
    data for the inline H2, and Z(H2, 6 bar, 25 °C) ≈ 1.004)."""
    base = _base("cyclohexene-hydrogenation.yaml")
    amounts = base.amounts
    assert amounts is not None
    m_alkene = 6 * C + 10 * H  # 82.14 g/mol
    v_alkene = 20.0e-3 * m_alkene / 0.811  # 2.026 mL
    v_ethanol = amounts.materials["EtOH"].volume.nominal  # type: ignore[union-attr]
    headspace_ml = 300 - v_ethanol - v_alkene
    n_h2 = (5.0e5 + ATM) * headspace_ml * 1e-6 / (R * 298.15)
    gas = amounts.gases["H2"]
    assert gas.headspace_mL == pytest.approx(headspace_ml, rel=1e-4)
    assert gas.moles.nominal == pytest.approx(n_h2, rel=1e-4)
    assert n_h2 == pytest.approx(0.06743, rel=1e-3)
    balance = amounts.balances["cyclohexane"]
    assert balance.limiting == ("alkene",)  # H2 is 3.4× in excess: no GS102
    assert balance.excess()["H2"].nominal == pytest.approx(n_h2 / 0.020, rel=1e-4)
    assert with_code(base.findings, "GS101")
    assert with_code(base.findings, "PH105")
    loading = 50e-3 * 0.10 / PD / 20.0e-3  # mol Pd per mol alkene, 0.235 %
    assert amounts.materials["PdC"].moles.nominal / 0.020 == pytest.approx(loading)  # type: ignore[union-attr]


def test_hkust1_limiting_acid_yield_and_autoclave_pressure() -> None:
    """0.875 g Cu(NO3)2·3H2O and 0.420 g trimesic acid: the acid limits (the framework takes
    1.5 Cu per BTC, 1.81 are given). The sealed liner at 180 °C holds the vapour of the
    water/ethanol mixture and the air sealed in, and no more: the water and nitric acid the
    reaction makes stay in the liquid (they were counted as 8 mmol of gas, 28 bar), and the
    copper salt, molten in its water of crystallisation above 114 °C, gives no vapour (it was
    PH107, 'no data')."""
    base = _base("hkust1-solvothermal.yaml")
    amounts = base.amounts
    assert amounts is not None
    m_salt = CU + 2 * (N + 3 * OX) + 3 * (2 * H + OX)  # 241.60 g/mol
    m_btc = 9 * C + 6 * H + 6 * OX  # 210.14 g/mol
    m_framework = 3 * CU + 18 * C + 12 * H + 15 * OX  # Cu3(C9H3O6)2(H2O)3, 658.92 g/mol
    n_salt, n_btc = 0.875 / m_salt, 0.420 / m_btc  # 3.622, 1.999 mmol
    assert amounts.materials["Cu"].moles.nominal == pytest.approx(n_salt, rel=1e-4)  # type: ignore[union-attr]
    balance = amounts.balances["HKUST1"]
    assert balance.limiting == ("BTC",)
    assert balance.theoretical_mass_g is not None
    assert balance.theoretical_mass_g.nominal == pytest.approx(n_btc / 2 * m_framework, rel=1e-3)
    assert n_btc / 2 * m_framework == pytest.approx(0.6585, abs=1e-3)  # g
    assert not with_code(base.findings, "PH107")
    (pressure,) = with_code(base.findings, "PH105")
    assert "released" not in pressure.message
    # Bounds by hand: water alone (0.764 × 10.03 bar) plus the air (1.013 × 453/298 bar) at
    # least; at most that with ethanol's p* taken as 25 bar (0.236 × 25 = 5.9 bar).
    total_bar = float(pressure.message.split("about ")[1].split(" bar abs")[0])
    assert 0.764 * 10.03 + 1.013 * 453.15 / 298.15 < total_bar < 0.764 * 10.03 + 5.9 + 1.6


def test_williamson_hydrogen_comes_with_the_hydride_and_the_excess_at_the_quench() -> None:
    """NaH (60 % in oil, 0.440 g: 11.00 mmol) meets phenol (0.941 g: 10.00 mmol) as it goes
    in: one H2 per phenol O–H, 10.00 mmol, there and then (before, the phenol was not taken
    for a proton source and the gas came as the ether's by-product two steps later). The
    ether forms without more, and the ammonium chloride quench frees the 1.00 mmol of the
    excess hydride."""
    base = _base("benzyl-phenyl-ether-williamson.yaml")
    amounts = base.amounts
    assert amounts is not None
    n_phenol = 0.941 / (6 * C + 6 * H + OX)  # 10.00 mmol
    n_hydride = 0.440 * 0.60 / (NA + H)  # 11.00 mmol
    hydrogen = {s.step_path: sum(g.moles or 0.0 for g in s.released if g.formula == "H2")
                for s in amounts.timeline if s.released}
    assert hydrogen == {
        ("steps", 2): pytest.approx(n_phenol, rel=1e-4),
        ("steps", 5): pytest.approx(0.0, abs=1e-12),
        ("steps", 7): pytest.approx(n_hydride - n_phenol, rel=1e-3),
    }
    balance = amounts.balances["ether"]
    assert balance.limiting == ("PhOH",)
    assert balance.theoretical_mass_g is not None
    m_ether = 13 * C + 12 * H + OX  # 184.24 g/mol
    assert balance.theoretical_mass_g.nominal == pytest.approx(n_phenol * m_ether, rel=1e-4)
    assert n_phenol * m_ether == pytest.approx(1.842, abs=1e-3)  # g


def test_acid_chloride_limiting_acid_yield_and_the_gases_at_the_reflux() -> None:
    """Benzoic acid (12.2 g) limits against 11.0 mL of thionyl chloride; one SO2 and one HCl
    come off per acid, at the reflux and nowhere else (the flask is open to the trap)."""
    base = _base("benzoyl-chloride-thionyl.yaml")
    amounts = base.amounts
    assert amounts is not None
    m_acid = 7 * C + 6 * H + 2 * OX  # 122.12 g/mol
    m_socl2 = S + OX + 2 * CL  # 118.97 g/mol
    m_chloride = 7 * C + 5 * H + CL + OX  # 140.57 g/mol
    n_acid = 12.2 / m_acid  # 99.90 mmol
    n_socl2 = 11.0 * 1.631 / m_socl2  # 150.8 mmol
    balance = amounts.balances["chloride"]
    assert balance.limiting == ("acid",)
    assert balance.theoretical_mass_g is not None
    assert balance.theoretical_mass_g.nominal == pytest.approx(n_acid * m_chloride, rel=1e-4)
    assert n_acid * m_chloride == pytest.approx(14.04, abs=0.01)  # g
    assert amounts.materials["SOCl2"].moles.nominal == pytest.approx(  # type: ignore[union-attr]
        n_socl2, rel=1e-4)
    gases = {(s.step_path, g.formula): g.moles for s in amounts.timeline for g in s.released}
    assert gases == {(("steps", 1), "SO2"): pytest.approx(n_acid, rel=1e-4),
                     (("steps", 1), "HCl"): pytest.approx(n_acid, rel=1e-4)}


def test_acid_chloride_out_of_the_hood_names_both_toxic_gases() -> None:
    """Sulfur dioxide (CLP Acute Tox. 3 H331, the library's) is a toxic gas as hydrogen
    chloride is: the reflux done out of the hood names both."""
    from benchsheet.validate import validate_text

    text = (LAB / "benzoyl-chloride-thionyl.yaml").read_text(encoding="utf-8")
    old = "    using: [bath, trap, hood]\n"
    assert old in text
    found = with_code(validate_text(text.replace(old, "    using: [bath, trap]\n")), "HZ113")
    assert sorted(f.message.split(" (")[0] for f in found) == [
        "this step gives off hydrogen chloride", "this step gives off sulfur dioxide"]


def test_magnetite_iron_ratio_limiting_iron_and_yield() -> None:
    """2.70 g FeCl3·6H2O and 0.994 g FeCl2·4H2O (Fe(III) : Fe(II) 1.998) with 5.0 mL of 28 %
    ammonia: iron(III) chloride limits at an extent of 4.994 mmol, 1.156 g of Fe3O4."""
    base = _base("magnetite-coprecipitation.yaml")
    amounts = base.amounts
    assert amounts is not None
    water = 2 * H + OX  # 18.015
    n_fe3 = 2.70 / (FE + 3 * CL + 6 * water)  # 270.29 g/mol: 9.989 mmol
    n_fe2 = 0.994 / (FE + 2 * CL + 4 * water)  # 198.81 g/mol: 5.000 mmol
    n_nh3 = 5.0 * 0.8980 * 0.28 / (N + 3 * H)  # 73.82 mmol
    m_magnetite = 3 * FE + 4 * OX  # 231.53 g/mol
    _assert_moles(amounts, {"Fe3": n_fe3, "Fe2": n_fe2, "NH3": n_nh3}, rel=1e-3)
    balance = amounts.balances["magnetite"]
    assert balance.limiting == ("Fe3",)
    assert balance.theoretical_mass_g is not None
    assert balance.theoretical_mass_g.nominal == pytest.approx(
        n_fe3 / 2 * m_magnetite, rel=1e-3)
    assert n_fe3 / 2 * m_magnetite == pytest.approx(1.156, abs=1e-3)  # g


def test_gold_nanorods_seeds_growth_and_the_seed_aliquot() -> None:
    """Seeds: 2.50 µmol HAuCl4 (0.50 mM × 5.0 mL), only what the seed vial holds (not the
    growth solution's gold); 6.00 µmol NaBH4 gives at most 24.0 µmol H2, once. Growth:
    ascorbic acid (78.8 mM × 70 µL = 5.516 µmol) limits at 2/3 × 5.516 = 3.677 µmol Au
    (0.7243 mg); the 12 µL of seeds are 12 / 10 600 of the seed vial (5.0 + 5.0 + 0.60 mL)."""
    base = _base("gold-nanorods-seeded.yaml")
    amounts = base.amounts
    assert amounts is not None
    seeds = amounts.balances["seeds"]
    (supply,) = seeds.supplies
    assert supply.sources == ("Au_s",)
    assert seeds.formula_units is not None
    assert seeds.formula_units.nominal == pytest.approx(0.50e-3 * 5.0e-3)
    rods = amounts.balances["rods"]
    assert rods.limiting == ("AA",)
    n_aa = 78.8e-3 * 70e-6
    assert rods.theoretical_mass_g is not None
    assert rods.theoretical_mass_g.nominal == pytest.approx(2 / 3 * n_aa * 196.97, rel=1e-4)
    hydrogen = sum(g.moles or 0.0 for s in amounts.timeline for g in s.released
                   if g.formula == "H2")
    assert hydrogen == pytest.approx(4 * 10e-3 * 0.60e-3)
    (grown,) = [s for s in amounts.timeline if s.step_path == ("steps", 5)]
    shares = {h.material_id: h.share for h in grown.held}
    assert shares["Au_s"] == pytest.approx(0.012 / 10.60)


def test_pbs_salts_and_the_flask_made_up_to_the_mark() -> None:
    """The four salts of 1 L of PBS (Cold Spring Harbor recipe) by weight, and the 1 L
    volumetric flask made up to its mark: 800 mL + about 1 mL of acid + about 200 mL is
    1001 mL, 0.1 % over, which the parts' volumes do not add up to that closely (no PH108)."""
    base = _base("pbs-buffer.yaml")
    amounts = base.amounts
    assert amounts is not None
    P, K = 30.974, 39.098
    expected = {
        "NaCl": 8.00 / (NA + CL),  # 136.9 mmol
        "KCl": 0.200 / (K + CL),  # 2.683 mmol
        "Na2HPO4": 1.44 / (2 * NA + H + P + 4 * OX),  # 10.14 mmol
        "KH2PO4": 0.245 / (K + 2 * H + P + 4 * OX),  # 1.800 mmol
    }
    _assert_moles(amounts, expected, rel=1e-3)
    assert expected["NaCl"] == pytest.approx(0.137, abs=5e-4)  # 137 mM in 1 L
    from benchsheet.chemistry.phases import liquid_volume_mL

    (made_up,) = [s for s in amounts.timeline if s.step_path == ("steps", 3)]
    assert liquid_volume_mL(made_up, amounts)[0] == pytest.approx(1001.0)
    (result,) = validate(LAB / "pbs-buffer.yaml")
    assert not with_code(result, "PH108")


def test_diels_alder_limiting_dienophile_yield_and_the_cold_crystallisation() -> None:
    """Maleic anhydride (0.40 g, C4H2O3) limits against anthracene (0.80 g, C14H10, 1.10
    equivalents); the adduct C18H12O3 at most 4.079 mmol × 276.29 g/mol = 1.127 g. The sheet
    says how long the flask stays in the ice bath."""
    base = _base("anthracene-maleic-diels-alder.yaml")
    amounts = base.amounts
    assert amounts is not None
    n_ma = 0.40 / (4 * C + 2 * H + 3 * OX)  # 4.079 mmol
    n_anthracene = 0.80 / (14 * C + 10 * H)  # 4.488 mmol
    balance = amounts.balances["adduct"]
    assert balance.limiting == ("MA",)
    assert balance.theoretical_mass_g is not None
    m_adduct = 18 * C + 12 * H + 3 * OX  # 276.29 g/mol
    assert balance.theoretical_mass_g.nominal == pytest.approx(n_ma * m_adduct, rel=1e-4)
    assert n_ma * m_adduct == pytest.approx(1.127, abs=1e-3)
    entry = amounts.materials["anthracene"].moles
    assert entry is not None
    assert entry.nominal == pytest.approx(n_anthracene, rel=1e-4)
    from benchsheet.render import render_sheet

    (result,) = validate(LAB / "anthracene-maleic-diels-alder.yaml")
    assert result.base is not None
    sheet = render_sheet(result, result.base, "md")
    assert "Cool flask to 0 °C in an ice bath for 10 min." in sheet


def test_aspirin_limiting_acid_excess_anhydride_and_the_catalyst() -> None:
    """Salicylic acid (2.00 g, C7H6O3) limits against 5.0 mL of acetic anhydride (3.64
    equivalents); five drops (0.25 mL) of 85 % phosphoric acid are 3.654 mmol; aspirin
    C9H8O4 at most 14.48 mmol × 180.16 g/mol = 2.609 g."""
    base = _base("aspirin-acetylation.yaml")
    amounts = base.amounts
    assert amounts is not None
    P = 30.974
    n_sa = 2.00 / (7 * C + 6 * H + 3 * OX)  # 14.48 mmol
    n_ac2o = 5.0 * 1.0757 / (4 * C + 6 * H + 3 * OX)  # 52.69 mmol
    n_h3po4 = 0.25 * 1.685 * 0.85 / (3 * H + P + 4 * OX)  # 3.654 mmol
    _assert_moles(amounts, {"SA": n_sa, "Ac2O": n_ac2o, "H3PO4": n_h3po4}, rel=2e-3)
    balance = amounts.balances["aspirin"]
    assert balance.limiting == ("SA",)
    assert balance.theoretical_mass_g is not None
    m_aspirin = 9 * C + 8 * H + 4 * OX  # 180.16 g/mol
    assert balance.theoretical_mass_g.nominal == pytest.approx(n_sa * m_aspirin, rel=1e-4)
    assert n_sa * m_aspirin == pytest.approx(2.609, abs=1e-3)


# Deliberate mistakes a colleague would catch: each must be reported.
MISTAKES = [
    # The flask stoppered: the hydrogen from the borohydride has nowhere to go.
    ("benzhydrol-borohydride.yaml", "  flask: {kind: Erlenmeyer flask, volume: 125 mL}",
     "  flask: {kind: Erlenmeyer flask, volume: 125 mL, closed: true}", "HZ108"),
    # Ten times the ketone (18.2 g for 1.82 g): the ratio claim no longer holds.
    ("benzhydrol-borohydride.yaml", "amount: 1.82 g,", "amount: 18.2 g,", "CL101"),
    # One ketone per borohydride written for four: 39 C too few on the left.
    ("benzhydrol-borohydride.yaml", "reactants: {ketone: 4,", "reactants: {ketone: 1,", "ST106"),
    # 45 mL of liquid in a 25 mL flask.
    ("benzhydrol-borohydride.yaml", "  flask: {kind: Erlenmeyer flask, volume: 125 mL}",
     "  flask: {kind: Erlenmeyer flask, volume: 25 mL}", "PH108"),
    # Too little ammonium chloride (0.25 g for 2.50 g): the ratio claim no longer holds.
    ("cobalt-pentaammine-chloride.yaml", "amount: 2.50 g,", "amount: 0.25 g,", "CL101"),
    # Heated past the water's boiling point in the open flask.
    ("cobalt-pentaammine-chloride.yaml", "    temperature: 85 degC\n",
     "    temperature: 110 degC\n", "PH102"),
    # Ten ammonias written for eight: two NH3 too many on the left.
    ("cobalt-pentaammine-chloride.yaml", "NH3: 8,", "NH3: 10,", "ST106"),
    # 34 mL of liquid in a 25 mL flask.
    ("cobalt-pentaammine-chloride.yaml", "  flask: {kind: Erlenmeyer flask, volume: 250 mL}",
     "  flask: {kind: Erlenmeyer flask, volume: 25 mL}", "PH108"),
    # Each wash written as 10 mL where the amount (one portion) is 5 mL.
    ("cobalt-pentaammine-chloride.yaml", "    volume: 5 mL\n", "    volume: 10 mL\n", "ST120"),
    # Ten times the acetone (7.3 mL for 0.73 mL): the ratio claim no longer holds.
    ("dibenzalacetone-aldol.yaml", "amount: 0.73 mL,", "amount: 7.3 mL,", "CL101"),
    # One benzaldehyde per acetone: the product has a C7H6O more than the reactants.
    ("dibenzalacetone-aldol.yaml", "reactants: {PhCHO: 2,", "reactants: {PhCHO: 1,", "ST106"),
    # The first half poured from the empty recrystallisation flask instead of the vial.
    ("dibenzalacetone-aldol.yaml", "    from: vial\n    into: flask\n    fraction: 1/2\n",
     "    from: cryst\n    into: flask\n    fraction: 1/2\n", "ST119"),
    # 38.8 mL of liquid in a 25 mL flask.
    ("dibenzalacetone-aldol.yaml", "  flask: {kind: Erlenmeyer flask, volume: 125 mL}",
     "  flask: {kind: Erlenmeyer flask, volume: 25 mL}", "PH108"),
    # The solid left on the filter: the recrystallisation flask is empty.
    ("benzhydrol-borohydride.yaml", "  - action: transfer\n    from: flask\n    into: cryst\n",
     "", "ST119"),
    ("biphenyl-suzuki.yaml", "    reported: 1.2\n", "    reported: 1.5\n", "CL101"),
    ("biphenyl-suzuki.yaml", "    reported: 3 %\n", "    reported: 5 %\n", "CL101"),
    ("biphenyl-suzuki.yaml", "    closed: true\n    pressure_rating: 5 bar gauge\n",
     "    closed: false\n", "PH102"),  # ethanol at 80 °C in an open tube
    ("biphenyl-suzuki.yaml", "    volume: 25 mL\n", "    volume: 5 mL\n", "PH108"),
    ("biphenyl-suzuki.yaml", "    volume: 25 mL\n", "    volume: 8 mL\n", "PH109"),
    ("isoamyl-acetate-fischer.yaml", "    reflux: true\n", "", "PH102"),
    # Without 'leave:' the aqueous washes would go on into the 25 mL drying flask.
    ("isoamyl-acetate-fischer.yaml", "    leave: [water, bicarb, brine, H2SO4, AcOH]\n", "",
     "PH108"),
    ("isoamyl-acetate-fischer.yaml", "byproducts: {H2O: 1}", "byproducts: {H2O: 2}", "ST106"),
    ("isoamyl-acetate-fischer.yaml", "isolated: 3.90 g", "isolated: 6.50 g", "ST108"),
    # The water of the nitration left out: ST106, naming it (test_checks_stoichiometry).
    ("methyl-nitrobenzoate-nitration.yaml", "      byproducts: {H2O: 1}\n", "", "ST106"),
    # The 3.0 mL of mixed acid in a 2 mL tube.
    ("methyl-nitrobenzoate-nitration.yaml", "  tube: {kind: test tube, volume: 20 mL}",
     "  tube: {kind: test tube, volume: 2 mL}", "PH108"),
    # Nitric acid 10x (a slip of 1.50 mL for 15.0 mL): the ratio claim no longer holds.
    ("methyl-nitrobenzoate-nitration.yaml", "    amount: 1.50 mL\n", "    amount: 15.0 mL\n",
     "CL101"),
    ("cyclohexene-hydrogenation.yaml", "    volume: 300 mL\n", "    volume: 30 mL\n", "GS102"),
    ("cyclohexene-hydrogenation.yaml", "    closed: true\n", "    closed: false\n", "GS103"),
    ("cyclohexene-hydrogenation.yaml", "    pressure_rating: 200 bar gauge\n",
     "    pressure_rating: 60 psi gauge\n", "PH103"),
    # 12 mL of solvent in a 14 mL liner: past the three-quarters a sealed vessel may hold.
    ("hkust1-solvothermal.yaml", "    volume: 23 mL\n", "    volume: 14 mL\n", "PH109"),
    # Ten times the trimesic acid (4.20 g for 0.420 g): the ratio claim no longer holds.
    ("hkust1-solvothermal.yaml", "amount: 0.420 g,", "amount: 4.20 g,", "CL101"),
    # Three BTC per three Cu: the framework is Cu3(BTC)2.
    ("hkust1-solvothermal.yaml", "reactants: {Cu: 3, BTC: 2}", "reactants: {Cu: 3, BTC: 3}",
     "ST106"),
    # A liner rated for 10 bar gauge: the mixture's vapour at 180 °C is past it.
    ("hkust1-solvothermal.yaml", "    pressure_rating: 124 bar gauge\n",
     "    pressure_rating: 10 bar gauge\n", "PH103"),
    # Never sealed: ethanol and water heated to 180 °C in an open liner.
    ("hkust1-solvothermal.yaml", "  - action: seal\n    vessel: liner\n", "", "PH102"),
    # A tenth of the sodium hydride: the equivalents claim no longer holds.
    ("benzyl-phenyl-ether-williamson.yaml", "amount: 0.440 g", "amount: 0.044 g", "CL101"),
    # The 60 % dispersion weighed as if pure: 1.83 equivalents, not 1.10.
    ("benzyl-phenyl-ether-williamson.yaml", "    purity: 60 %\n", "", "CL101"),
    # The flask stoppered instead of on the nitrogen line: the hydrogen has nowhere to go.
    ("benzyl-phenyl-ether-williamson.yaml", "volume: 100 mL, atmosphere: nitrogen}",
     "volume: 100 mL, closed: true}", "HZ108"),
    # 41 mL of reaction mixture and quench in a 25 mL flask.
    ("benzyl-phenyl-ether-williamson.yaml", "volume: 100 mL, atmosphere: nitrogen}",
     "volume: 25 mL, atmosphere: nitrogen}", "PH108"),
    # Two benzyl bromides per phenol written for one.
    ("benzyl-phenyl-ether-williamson.yaml", "reactants: {PhOH: 1, NaH: 1, BnBr: 1}",
     "reactants: {PhOH: 1, NaH: 1, BnBr: 2}", "ST106"),
    # The flask stoppered: 200 mmol of SO2 and HCl have nowhere to go.
    ("benzoyl-chloride-thionyl.yaml", "volume: 100 mL}", "volume: 100 mL, closed: true}",
     "GS108"),
    # 3.0 mL of thionyl chloride for 11.0: it limits, and the claims no longer hold.
    ("benzoyl-chloride-thionyl.yaml", "amount: 11.0 mL,", "amount: 3.0 mL,", "CL101"),
    ("benzoyl-chloride-thionyl.yaml", "amount: 11.0 mL,", "amount: 3.0 mL,", "ST108"),
    # The reflux done out of the hood: HCl and SO2 where the chemist stands.
    ("benzoyl-chloride-thionyl.yaml", "    using: [bath, trap, hood]\n",
     "    using: [bath, trap]\n", "HZ113"),
    # No condenser: thionyl chloride (bp 76 °C) boils off the open flask at 90 °C.
    ("benzoyl-chloride-thionyl.yaml", "    reflux: true\n", "", "PH102"),
    # The HCl left out of the by-products.
    ("benzoyl-chloride-thionyl.yaml", "byproducts: {SO2: 1, HCl: 1}", "byproducts: {SO2: 1}",
     "ST106"),
    # 11.1 mL of liquid in a 15 mL flask heated to reflux: 74 % full.
    ("benzoyl-chloride-thionyl.yaml", "gas outlet, volume: 100 mL}", "gas outlet, volume: 15 mL}",
     "PH109"),
    # The product (bp 197 °C) distilled from a bath at 150 °C.
    ("benzoyl-chloride-thionyl.yaml", "    temperature: 230 degC\n", "    temperature: 150 degC\n",
     "PH110"),
    # 55 mL of solution and ammonia in a 50 mL flask.
    ("magnetite-coprecipitation.yaml", "volume: 250 mL, atmosphere: nitrogen}",
     "volume: 50 mL, atmosphere: nitrogen}", "PH108"),
    # Twice the iron(II) chloride: the 2 : 1 claim no longer holds.
    ("magnetite-coprecipitation.yaml", "amount: 0.994 g ", "amount: 1.99 g ", "CL101"),
    # Six ammonias written for eight: two NH4Cl on the right come from nowhere.
    ("magnetite-coprecipitation.yaml", "reactants: {Fe3: 2, Fe2: 1, NH3: 8}",
     "reactants: {Fe3: 2, Fe2: 1, NH3: 6}", "ST106"),
    # Aged at 110 °C in the open flask: the water boils.
    ("magnetite-coprecipitation.yaml", "    temperature: 80 degC\n    duration: 30 min\n",
     "    temperature: 110 degC\n    duration: 30 min\n", "PH102"),
    # Stoppered and heated, with no pressure rating.
    ("magnetite-coprecipitation.yaml", "volume: 250 mL, atmosphere: nitrogen}",
     "volume: 250 mL, closed: true}", "PH106"),
    # 10.6 mL of seed solution in a 10 mL vial (the NaBH4 solution's water counted).
    ("gold-nanorods-seeded.yaml", "  seed_vial: {kind: glass vial, volume: 20 mL}",
     "  seed_vial: {kind: glass vial, volume: 10 mL}", "PH108"),
    # Ten times the silver (2.0 mL of 4.0 mM): the Ag : Au claim no longer holds.
    ("gold-nanorods-seeded.yaml", "    amount: 0.20 mL\n", "    amount: 2.0 mL\n", "CL101"),
    # Two ascorbic acids per two gold: each Au(III) needs three electrons from 1.5 AA.
    ("gold-nanorods-seeded.yaml", "reactants: {Au_g: 2, AA: 3}", "reactants: {Au_g: 2, AA: 2}",
     "ST106"),
    # The seed vial capped while the borohydride gives off its hydrogen.
    ("gold-nanorods-seeded.yaml", "  seed_vial: {kind: glass vial, volume: 20 mL}",
     "  seed_vial: {kind: glass vial, volume: 20 mL, closed: true}", "GS108"),
    # The salts for 1 L dissolved in 800 mL in a 500 mL beaker.
    ("pbs-buffer.yaml", "  beaker: {kind: beaker, volume: 1 L}",
     "  beaker: {kind: beaker, volume: 500 mL}", "PH108"),
    # Ten times the dihydrogen phosphate: the buffer ratio claim no longer holds.
    ("pbs-buffer.yaml", "amount: 0.245 g}", "amount: 2.45 g}", "CL101"),
    # No condenser: the xylenes (bp about 140 °C) boil off the open flask at 150 °C.
    ("anthracene-maleic-diels-alder.yaml", "    reflux: true\n", "", "PH102"),
    # 10 mL of xylenes heated at reflux in a 12 mL flask: 83 % full.
    ("anthracene-maleic-diels-alder.yaml", "reflux condenser, volume: 25 mL}",
     "reflux condenser, volume: 12 mL}", "PH109"),
    # Ten times the maleic anhydride: the equivalents claim no longer holds.
    ("anthracene-maleic-diels-alder.yaml", "    amount: 0.40 g ", "    amount: 4.0 g ", "CL101"),
    # The adduct written two hydrogens short.
    ("anthracene-maleic-diels-alder.yaml", "    formula: C18H12O3\n", "    formula: C18H10O3\n",
     "ST106"),
    # 25 mL of anhydride, acid and water in a 10 mL flask.
    ("aspirin-acetylation.yaml", "  flask: {kind: Erlenmeyer flask, volume: 125 mL}",
     "  flask: {kind: Erlenmeyer flask, volume: 10 mL}", "PH108"),
    # Heated at 150 °C in the open flask: acetic anhydride (bp 139.5 °C) boils.
    ("aspirin-acetylation.yaml", "    temperature: 85 degC\n", "    temperature: 150 degC\n",
     "PH102"),
    # Ten times the salicylic acid: the equivalents claim no longer holds.
    ("aspirin-acetylation.yaml", "amount: 2.00 g, role: reactant}", "amount: 20.0 g, role: "
     "reactant}", "CL101"),
    # The acetic acid by-product left out.
    ("aspirin-acetylation.yaml", "      byproducts: {C2H4O2: 1}\n", "", "ST106"),
    # 60 mL ethanol washes in a 50 mL tube (one portion at a time is still too much).
    ("hkust1-solvothermal.yaml", "    volume: 10 mL\n    vessel: tube\n",
     "    volume: 60 mL\n    vessel: tube\n", "PH108"),
]


@pytest.mark.parametrize(("name", "old", "new", "code"), MISTAKES,
                         ids=[f"{m[3]}-{i}" for i, m in enumerate(MISTAKES)])
def test_deliberate_mistakes_are_caught(name: str, old: str, new: str, code: str) -> None:
    from benchsheet.validate import validate_text

    text = (LAB / name).read_text(encoding="utf-8")
    assert old in text
    assert with_code(validate_text(text.replace(old, new, 1)), code)


def test_crude_vapour_bound_says_how_to_tighten_it() -> None:
    """An inline liquid without a vapour-pressure curve is estimated from its boiling point
    (Trouton's rule); the near-rating warning names it and says that a reagent file with its
    vapour pressure makes the figure exact."""
    from benchsheet.validate import validate_text

    text = (LAB / "cyclohexene-hydrogenation.yaml").read_text(encoding="utf-8")
    text = text.replace("    pressure_rating: 200 bar gauge\n",
                        "    pressure_rating: 5.5 bar gauge\n", 1)
    # 6.01 bar of H2 + Raoult-lowered vapours (0.074 bar ethanol, ~0.007 bar cyclohexene)
    # = 6.09 bar abs, 94 % of 5.5 bar gauge (6.51 bar abs).
    (near,) = with_code(validate_text(text), "PH104")
    assert near.hint is not None
    assert "'alkene'" in near.hint
    assert "estimated from the boiling point" in near.hint
    assert "--reagents" in near.hint


def test_blanket_gas_is_used_by_the_steps_atmosphere() -> None:
    """A nitrogen blanket declared as a material is used by 'atmosphere: nitrogen' (no
    RF302), a hydrogen one by 'atmosphere: hydrogen' (a balloon); one that no step's
    atmosphere names is still unused."""
    body = """\
        materials:
          tol: {reagent: toluene, amount: 5 mL, role: solvent}
          N2: {reagent: nitrogen, gas: {mode: atmosphere}, role: atmosphere}
          Ar: {reagent: argon, gas: {mode: atmosphere}, role: atmosphere}
          H2:
            reagent: {name: hydrogen, formula: H2, cas: 1333-74-0,
                      hazards: {signal_word: Danger, h_codes: [H220, H280], source: test}}
            gas: {mode: atmosphere}
            role: atmosphere
        vessels:
          flask: {kind: flask, volume: 25 mL}
        steps:
          - {action: add, materials: [tol], to: flask, atmosphere: nitrogen}
          - {action: stir, vessel: flask, duration: 1 h, atmosphere: hydrogen}
        """
    unused = with_code(findings_of(body), "RF302")
    assert [f.path for f in unused] == [("materials", "Ar")]


def test_drying_agent_supplies_no_atoms_to_the_product() -> None:
    """Na2SO4 added to dry a solution is work-up: it is no source of S for a sulfide."""
    body = """\
        materials:
          Zn: {reagent: zinc-chloride, form: anhydrous, amount: 1.0 mmol, role: precursor}
          S:
            reagent:
              name: sodium sulfide
              formula: Na2S
              cas: 1313-82-2
              hazards: {signal_word: Danger, h_codes: [H290, H301, H314, H400],
                        source: test}
            form: anhydrous
            amount: 0.50 mmol
            role: precursor
          dry:
            reagent:
              name: sodium sulfate
              formula: Na2SO4
              cas: 7757-82-6
              hazards: {h_codes: [], source: test}
            form: anhydrous
            amount: 5.0 mmol
            role: drying-agent
        vessels:
          flask: {kind: flask, volume: 25 mL}
        steps:
          - {action: add, materials: [Zn, S, dry], to: flask}
          - {action: stir, vessel: flask, duration: 1 h, product: ZnS}
        products:
          ZnS: {name: zinc sulfide, kind: solid, composition: {cations: {Zn: 1}, anions: {S: 1}}}
        """
    (limit,) = with_code(findings_of(body), "ST104")
    assert "limited by S (from S)" in limit.message


def test_byproduct_formula_must_be_readable() -> None:
    body = """\
        materials:
          a: {reagent: ethanol, amount: 1 mL, role: reactant}
        vessels:
          flask: {kind: flask, volume: 25 mL}
        steps:
          - {action: add, materials: [a], to: flask}
        products:
          p:
            name: p
            formula: C2H4
            reaction: {reactants: {a: 1}, byproducts: {"H2O": 0}}
        """
    assert any(f.severity is Severity.ERROR and "coefficient must be positive" in f.message
               for f in findings_of(body))


def test_renders_and_exports(tmp_path: Path) -> None:
    paths = [str(p) for p in FILES]
    for fmt in ("md", "html"):
        assert main(["render", *paths, "-o", str(tmp_path / fmt), "--format", fmt]) == 0
        for p in FILES:
            sheet = (tmp_path / fmt / f"{p.stem}.{fmt}").read_text(encoding="utf-8")
            assert "Traceback" not in sheet
            assert len(sheet) > 1000
    eln = tmp_path / "lab.eln"
    assert main(["export", *paths, "--to", "eln", "-o", str(eln)]) == 0
    with zipfile.ZipFile(eln) as archive:
        assert any(n.endswith("ro-crate-metadata.json") for n in archive.namelist())
    notebooks = tmp_path / "nb"
    assert main(["export", *paths, "--to", "ipynb", "-o", str(notebooks)]) == 0
    for p in FILES:
        notebook = json.loads((notebooks / f"{p.stem}.ipynb").read_text(encoding="utf-8"))
        assert notebook["cells"]


def test_drying_agent_has_no_equivalents_on_the_sheet(tmp_path: Path) -> None:
    # Na2SO4 takes water out of the organic layer; an equivalents figure against the limiting
    # alcohol would suggest it reacts. Acetic acid, a reactant, keeps its figure.
    path = LAB / "isoamyl-acetate-fischer.yaml"
    assert main(["render", str(path), "-o", str(tmp_path), "--format", "md"]) == 0
    sheet = (tmp_path / "isoamyl-acetate-fischer.md").read_text(encoding="utf-8")
    header = next(line for line in sheet.splitlines() if line.startswith("| Id |"))
    column = [c.strip() for c in header.strip("|").split("|")].index("Equiv.")

    def equivalents(material: str) -> str:
        row = next(line for line in sheet.splitlines() if line.startswith(f"| {material} |"))
        return [c.strip() for c in row.strip("|").split("|")][column]

    assert equivalents("Na2SO4") == ""
    assert equivalents("AcOH") != ""


def test_esterification_work_up_is_extractions_and_a_distillation() -> None:
    """The funnel washes are extractions keeping the organic layer, the last one running it
    into the drying flask; the product is distilled into a tared vial."""
    from benchsheet.render.words import step_texts

    base = _base("isoamyl-acetate-fischer.yaml")
    assert base.protocol is not None
    assert [s.action for s in base.protocol.steps].count("extract") == 3
    texts = list(step_texts(base.protocol, base.amounts))  # type: ignore[arg-type]
    assert ("Extract funnel 2× with 5 mL bicarb (sodium hydrogen carbonate) each; keep the "
            "organic layer.") in texts[6]
    assert texts[7].startswith("Extract funnel with 5.000 mL brine (sodium chloride); keep the "
                               "organic layer in flask_dry, leaving water, ")
    assert texts[10].startswith("Distil from still, heating at ~160 °C, collecting the fraction "
                                "boiling at 134–143 °C into vial.")
    # The ester layer moved on; the aqueous portions stayed in the funnel.
    (moved,) = [s for s in base.amounts.timeline  # type: ignore[union-attr]
                if s.vessel == "flask_dry" and s.action == "extract"]
    assert moved.materials == ("alcohol",)


def test_esterification_distillation_boils_on_purpose() -> None:
    """The still is heated to 160 °C with isoamyl alcohol (bp 131 °C) in it: no PH102 as a
    distillation, PH102 as a plain heating step."""
    from benchsheet.validate import validate_text

    text = (LAB / "isoamyl-acetate-fischer.yaml").read_text(encoding="utf-8")
    distill = text[text.index("  - action: distill\n"):text.index("  - action: measure\n")]
    assert "temperature: ~160 degC" in distill
    heated = text.replace(distill, "  - action: heat\n    vessel: still\n"
                          "    temperature: 160 degC\n")
    (boils,) = with_code(validate_text(heated), "PH102")
    assert "'alcohol'" in boils.message
    assert "'still'" in boils.message
    assert not with_code(validate_text(text), "PH102")


def test_extraction_portions_total_on_the_sheet(tmp_path: Path) -> None:
    # The bicarbonate's amount is one 5 mL portion; the extraction uses two.
    path = LAB / "isoamyl-acetate-fischer.yaml"
    assert main(["render", str(path), "-o", str(tmp_path), "--format", "md"]) == 0
    sheet = (tmp_path / "isoamyl-acetate-fischer.md").read_text(encoding="utf-8")
    row = next(line for line in sheet.splitlines() if line.startswith("| bicarb |"))
    assert "used 2×: 10.00 mL in all" in row
