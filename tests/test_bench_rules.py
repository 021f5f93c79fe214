"""The rules the bench model added or rebuilt, each with a passing and a failing protocol.

ST114–ST117 (portions and impossible solutions), GS108/GS109 (gas released sealed or in a
stoppered funnel), HZ112/HZ113 (pyrophoric under air, toxic gas without a hood), and the phase
rules rebuilt on the timeline: PH101 (measured out at the bench), PH102 (0.5 K tolerance, a
solution's solvent, Raoult's law), PH103–PH107 (a vessel sealed and opened by steps, Raoult's law
for the vapours), PH108 (fill after a centrifuge), HZ110 (after an evaporation) and HZ107 (a
quench removes the reagent). Every number a message carries is worked out here by hand.

Sources: IUPAC 2021 standard atomic weights; densities at 25 °C from the CRC Handbook (97th ed.)
or the supplier, as the reagent library cites them; Antoine constants from the NIST Chemistry
WebBook (SRD 69), log10(p/bar) = A − B/(T/K + C), each with its range and original reference.
"""

from __future__ import annotations

import math
import re

import pytest

from benchsheet.chemistry.gas_release import GasRelease
from benchsheet.findings import Finding
from benchsheet.validate import FileResult
from protocol_text import findings_of, validate_body, with_code

R = 8.314462618  # J/(mol·K), CODATA 2018 (exact)
ATM_BAR = 1.01325  # bar, by definition
T0 = 273.15
AMBIENT_K = T0 + 25  # a vessel before any step sets its temperature
# IUPAC 2021 standard atomic weights (abridged)
H, B, C, OX, NA, CL, LI = 1.008, 10.81, 12.011, 15.999, 22.990, 35.45, 6.94
M_ETHANOL = 2 * C + 6 * H + OX  # 46.07 g/mol
M_WATER = 2 * H + OX  # 18.015 g/mol
M_NACL = NA + CL  # 58.44 g/mol
M_NABH4 = NA + B + 4 * H  # 37.83 g/mol
M_CYCLOHEXANOL = 6 * C + 12 * H + OX  # 100.16 g/mol
M_BULI = 4 * C + 9 * H + LI  # 64.06 g/mol
# Densities at 25 °C (CRC Handbook 97th ed.): ethanol 0.7849 g/mL, water 0.99705 g/mL;
# NaCl (solid) 2.17 g/cm³.
ETHANOL_DENSITY = 0.7849
WATER_DENSITY = 0.99705
NACL_DENSITY = 2.17
# Normal boiling point of water 373.124 K = 99.974 °C (IAPWS-95 on ITS-90, via CoolProp, as the
# library cites).
WATER_BP_K = 373.124
TOLERANCE_K = 0.5  # docs/bench-model.md, PH102: within 0.5 K of the boiling point is at it


def _antoine_bar(a: float, b: float, c: float, t_k: float) -> float:
    return float(10 ** (a - b / (t_k + c)))


def p_ethanol(t_k: float) -> float:
    """Ethanol, 292.77–366.63 K (NIST WebBook, from Kretschmer and Wiebe, JACS 71, 1793
    (1949))."""
    return _antoine_bar(5.37229, 1670.409, -40.191, t_k)


def p_water(t_k: float) -> float:
    """Water (NIST WebBook, from Bridgeman and Aldrich, J. Heat Transfer 86, 279 (1964)):
    273–303 K and 344–373 K sets."""
    if t_k <= 303:
        return _antoine_bar(5.40221, 1838.675, -31.737, t_k)
    return _antoine_bar(5.08354, 1663.125, -45.622, t_k)


def _number(pattern: str, message: str) -> float:
    match = re.search(pattern, message)
    assert match, f"{pattern!r} not in {message!r}"
    return float(match.group(1))


def _one(found: FileResult | list[Finding], code: str) -> Finding:
    hits = with_code(found, code)
    assert len(hits) == 1, [f.message for f in hits] or f"no {code}"
    return hits[0]


# --- ST114: portions add up to more than the material ------------------------------------------

PHBR_TWICE = """\
materials:
  PhBr: {reagent: bromobenzene, amount: 5.24 mL, role: substrate}
vessels:
  flask: {kind: flask, volume: 50 mL}
steps:
  - action: add
    materials: [%s]
    to: flask
  - action: add
    materials: [%s]
    to: flask
"""


def test_ST114_whole_then_half_again() -> None:
    found = _one(findings_of(PHBR_TWICE % ("PhBr", "{material: PhBr, fraction: 0.5}")), "ST114")
    assert found.path == ("steps", 1, "materials", 0)
    assert ("this step takes 50 % of its amount, but 100 % was already charged by earlier "
            "steps: the portions add up to 150 %") in found.message
    assert found.severity.name == "ERROR"


def test_ST114_two_amounts_add_up_to_more_than_the_total() -> None:
    found = _one(findings_of(PHBR_TWICE % ("{material: PhBr, amount: 3.0 mL}",
                                           "{material: PhBr, amount: 3.0 mL}")), "ST114")
    share = 3.0 / 5.24  # 57.3 % each, 115 % together
    assert f"takes {100 * share:.3g} % of its amount, but {100 * share:.3g} % was already" \
        in found.message
    assert f"add up to {100 * 2 * share:.3g} % of the material" in found.message


def test_ST114_passes_for_a_portion_and_the_rest() -> None:
    assert not with_code(findings_of(PHBR_TWICE % ("{material: PhBr, amount: 0.5 mL}",
                                                   "{material: PhBr, fraction: rest}")), "ST114")


def test_ST114_a_solvent_used_again_by_dissolve() -> None:
    found = _one(findings_of("""\
        materials:
          water: {reagent: water, amount: 10 mL, role: solvent}
          NaCl: {reagent: sodium-chloride, amount: 1 g, role: reactant}
        vessels:
          flask: {kind: flask, volume: 100 mL}
          vial: {kind: vial, volume: 20 mL}
        steps:
          - action: add
            materials: [{material: water, fraction: 1/2}]
            to: flask
          - {action: dissolve, materials: [NaCl], solvent: water, vessel: vial}
        """), "ST114")
    assert "add up to 150 %" in found.message


# --- ST115: more than the vessel holds -----------------------------------------------------------

STOCK = """\
materials:
  ODE: {reagent: 1-octadecene, amount: 5 mL, role: solvent}
vessels:
  vial: {kind: vial, volume: 20 mL}
  flask: {kind: flask, volume: 50 mL}
steps:
  - {action: add, materials: [ODE], to: vial}
  - {action: transfer, from: vial, into: flask, amount: %s}
"""


def test_ST115_six_mL_from_a_five_mL_stock() -> None:
    found = _one(findings_of(STOCK % "6 mL"), "ST115")
    assert found.path == ("steps", 1, "amount")
    assert "6 mL is taken from 'vial', which holds only 5 mL" in found.message


def test_ST115_passes_for_all_of_it() -> None:
    assert not with_code(findings_of(STOCK % "5 mL"), "ST115")


def test_ST115_from_an_emptied_vessel() -> None:
    findings = findings_of((STOCK % "5 mL") +
                           "  - {action: transfer, from: vial, into: flask, amount: 1 mL}\n")
    found = _one(findings, "ST115")
    assert "'vial' holds nothing" in found.message
    assert not with_code(findings, "ST116")


# --- ST116: a portion that cannot be related to the whole ----------------------------------------

GOLD = """\
materials:
  Au: {reagent: tetrachloroauric-acid-trihydrate, amount: 39.4 mg, role: precursor}
  water: {reagent: water, amount: 10 mL, role: solvent}
vessels:
  flask: {kind: flask, volume: 50 mL}
steps:
  - action: add
    materials: [{material: Au, amount: %s}, water]
    to: flask
"""


def test_ST116_a_volume_of_a_weighed_solid_without_density() -> None:
    found = _one(findings_of(GOLD % "0.5 mL"), "ST116")
    assert found.path == ("steps", 0, "materials", 0, "amount")
    assert "a portion of 0.5 mL cannot be related to the material's amount (39.4 mg)" \
        in found.message
    assert found.severity.name == "WARNING"


def test_ST116_passes_for_a_mass_of_it() -> None:
    result = validate_body(GOLD % "19.7 mg")
    assert not with_code(result, "ST116")
    assert result.base is not None
    assert result.base.amounts is not None
    (state,) = result.base.amounts.timeline
    assert state.share("Au") == pytest.approx(19.7 / 39.4)


def test_ST116_contents_of_unknown_volume() -> None:
    found = _one(findings_of("""\
        materials:
          Au: {reagent: tetrachloroauric-acid-trihydrate, amount: 39.4 mg, role: precursor}
        vessels:
          vial: {kind: vial, volume: 20 mL}
          flask: {kind: flask, volume: 50 mL}
        steps:
          - {action: add, materials: [Au], to: vial}
          - {action: transfer, from: vial, into: flask, amount: 1 mL}
        """), "ST116")
    assert "1 mL of the contents of 'vial' cannot be related to what it holds" in found.message


# --- ST117: a solution stronger than it can be ---------------------------------------------------

SOLUTION = """\
materials:
  X: {reagent: %s, concentration: %s, solvent: %s, amount: 10 mL%s}
vessels:
  flask: {kind: flask, volume: 50 mL, atmosphere: argon}
steps:
  - {action: add, materials: [X], to: flask}
"""


def test_ST117_more_solute_per_mL_than_the_solid_itself() -> None:
    found = _one(findings_of(SOLUTION % ("sodium-chloride", "60 M", "water", "")), "ST117")
    per_mL = 60 * M_NACL / 1000  # 3.51 g of NaCl per mL of solution
    assert f"60 M means {per_mL:.3g} g of sodium chloride in every mL of solution" \
        in found.message
    assert f"the density of sodium chloride itself ({NACL_DENSITY:.3g} g/mL)" in found.message
    assert found.path == ("materials", "X", "concentration")


def test_ST117_more_solute_per_mL_than_the_solution_weighs() -> None:
    # 25 M NaCl: 1.46 g/mL of solute, under the solid's 2.17 g/mL but over the stated 1.2 g/mL
    found = _one(findings_of(SOLUTION % ("sodium-chloride", "25 M", "water",
                                         ", density: 1.2 g/mL")), "ST117")
    assert f"{25 * M_NACL / 1000:.3g} g of sodium chloride in every mL" in found.message
    assert "the solution's density (1.2 g/mL)" in found.message


def test_ST117_mass_fraction_over_100_percent() -> None:
    found = _one(findings_of(SOLUTION % ("hydrogen-chloride", "370 %", "water",
                                         ", density: 1.18 g/mL")), "ST117")
    assert "a mass fraction of 370 % is more than the whole solution" in found.message


@pytest.mark.parametrize(("reagent", "strength", "solvent"), [
    ("sodium-chloride", "5.0 M", "water"),  # 0.292 g/mL of NaCl
    ("n-butyllithium", "2.5 M", "hexane"),
    ("hydrogen-chloride", "37 %", "water"),
])
def test_ST117_passes_for_label_strengths(reagent: str, strength: str, solvent: str) -> None:
    density = ", density: 1.18 g/mL" if "%" in strength else ""
    assert not with_code(findings_of(SOLUTION % (reagent, strength, solvent, density)), "ST117")


def test_ST117_ten_times_the_label_n_butyllithium() -> None:
    found = _one(findings_of(SOLUTION % ("n-butyllithium", "25 M", "hexane", "")), "ST117")
    # 25 mol/L × 64.06 g/mol = 1.60 g of BuLi per mL, more than the 0.68 g/mL the 2.5 M
    # solution weighs (Sigma-Aldrich) and more than hexane-free BuLi could fill
    assert f"{25 * M_BULI / 1000:.3g} g" in found.message


# --- GS108: gas released into a sealed vessel ----------------------------------------------------

SWERN = """\
materials:
  DCM: {reagent: dichloromethane, amount: 25 mL, role: solvent}
  oxalyl: {reagent: oxalyl-chloride, amount: 1.05 mL, role: reactant}
  DMSO: {reagent: dimethyl-sulfoxide, amount: 1.70 mL, role: oxidant}
  alcohol: {reagent: cyclohexanol, amount: 1.002 g, role: substrate}
  Et3N: {reagent: triethylamine, amount: 7.0 mL, role: base}
vessels:
  flask: {kind: three-neck flask, volume: 100 mL%s}
steps:
  - {action: add, materials: [DCM, oxalyl], to: flask, temperature: -78 degC}
  - {action: add, materials: [DMSO], to: flask, over: 5 min, keep_below: -60 degC}
  - {action: add, materials: [alcohol], to: flask, over: 5 min}
  - {action: add, materials: [Et3N], to: flask}
  - action: warm
    vessel: flask
    temperature: 25 degC
    over: 1 h
    product: ketone
    note: %s
products:
  ketone:
    name: cyclohexanone
    formula: C6H10O
    reaction:
      # C6H12O + (COCl)2 + Me2SO + 2 Et3N → C6H10O + CO + CO2 + Me2S + 2 Et3N·HCl
      reactants: {alcohol: 1, oxalyl: 1, DMSO: 1, Et3N: 2}
      byproducts: {CO: 1, CO2: 1, C2H6S: 1, C6H16ClN: 2}
"""
HOOD = "In the fume hood; the CO and CO2 leave through the bubbler."
# The extent of the oxidation is the alcohol: 1.002 g / 100.16 g/mol = 10.00 mmol (oxalyl
# chloride 1.05 mL × 1.478 g/mL / 126.93 g/mol = 12.2 mmol, DMSO 23.8 mmol, Et3N 50.1 / 2).
N_ALCOHOL = 1.002 / M_CYCLOHEXANOL


def test_GS108_swern_by_products_in_a_closed_flask() -> None:
    found = _one(findings_of(SWERN % (", closed: true", HOOD)), "GS108")
    assert found.path == ("steps", 4)
    for gas in ("carbon monoxide", "carbon dioxide"):
        mmol = _number(rf"{gas} \((?:up to )?([0-9.]+) mmol", found.message)
        assert mmol == pytest.approx(1e3 * N_ALCOHOL, rel=5e-3)  # 3 figures in the message
    assert "dimethyl sulfide" not in found.message  # bp 37 °C: a liquid at 25 °C
    assert found.severity.name == "ERROR"


def test_GS108_passes_under_a_nitrogen_line() -> None:
    findings = findings_of(SWERN % (", atmosphere: nitrogen", HOOD))
    assert not with_code(findings, "GS108")


NABH4 = """\
materials:
  NaBH4: {reagent: sodium-borohydride, amount: 0.378 g, role: reductant}
  water: {reagent: water, amount: 10 mL, role: solvent}
  HCl: {reagent: hydrogen-chloride, concentration: 1 M, solvent: water, amount: 20 mL,
        role: acid}
vessels:
  vial: {kind: vial, volume: 40 mL}
steps:
  - {action: add, materials: [NaBH4], to: vial}
  - {action: %s, vessel: vial}
  - {action: add, materials: [HCl], to: vial, note: in the fume hood}
"""
# NaBH4 + HCl + 3 H2O → NaCl + B(OH)3 + 4 H2: 0.378 g / 37.83 g/mol = 9.99 mmol → 40.0 mmol H2
N_NABH4 = 0.378 / M_NABH4


def test_GS108_and_HZ108_hydride_quenched_in_a_sealed_vial() -> None:
    findings = findings_of(NABH4 % "seal")
    found = _one(findings, "GS108")
    assert found.path == ("steps", 2)
    mmol = _number(r"hydrogen \((?:up to )?([0-9.]+) mmol", found.message)
    assert mmol == pytest.approx(4e3 * N_NABH4, rel=5e-3)
    assert "'NaBH4' quenched by 'HCl'" in found.message
    hz108 = _one(findings, "HZ108")
    assert "in sealed vessel 'vial': hydrogen is given off" in hz108.message


def test_GS108_and_HZ108_pass_when_the_vial_is_open() -> None:
    findings = findings_of(NABH4 % "open")
    assert not with_code(findings, "GS108")
    assert not with_code(findings, "HZ108")


AQUEOUS_NABH4 = """\
materials:
  NaBH4: {reagent: sodium-borohydride, concentration: 10 mM, solvent: water, amount: 0.60 mL,
          role: reductant}
  water: {reagent: water, amount: 10 mL, role: solvent}
vessels:
  vial: {kind: vial, volume: 20 mL, closed: true}
steps:
%s  - {action: add, materials: [NaBH4], to: vial}
"""


@pytest.mark.parametrize(("first", "causes"), [
    # Poured into the vial's water: that meeting gives the gas, at most 4 H2 per BH4.
    ("  - {action: add, materials: [water], to: vial}\n", ["'NaBH4' quenched by 'water'"]),
    # Into an empty vial: its own water is all it meets, and still gives it at most once.
    ("", ["'NaBH4' meets 'NaBH4'"]),
])
def test_GS108_an_aqueous_hydride_solution_gives_its_hydrogen_once(
        first: str, causes: list[str]) -> None:
    """0.60 mL of a 10 mM NaBH4 solution in water (6.00 µmol, the seed step of a gold
    nanorod synthesis) gives at most 4 × 6.00 = 24.0 µmol H2 in the sealed vial; before, its
    meeting with its own water was counted beside the vial's, 48.0 µmol."""
    result = validate_body(AQUEOUS_NABH4 % first)
    assert result.base is not None
    assert result.base.amounts is not None
    hydrogen = [r for s in result.base.amounts.timeline for r in s.released
                if r.formula == "H2" and r.gives_off]
    assert [r.cause for r in hydrogen] == causes
    assert sum(r.moles or 0.0 for r in hydrogen) == pytest.approx(4 * 10e-3 * 0.60e-3)


def test_HZ107_an_aqueous_hydride_solution_is_made_up_not_kept_dry() -> None:
    """NaBH4 made up in water on purpose: the sheet says to make it up just before use and
    keep it vented, not to keep it away from water until its quench."""
    (found,) = with_code(findings_of(AQUEOUS_NABH4 % ""), "HZ107")
    assert "Make up the solution in water just before use" in found.message
    assert "Keep away from water" not in found.message
    # Weighed out as the solid, it is kept dry until it meets the water.
    solid = AQUEOUS_NABH4.replace("concentration: 10 mM, solvent: water, amount: 0.60 mL",
                                  "amount: 0.227 mg")
    (found,) = with_code(findings_of(solid % ""), "HZ107")
    assert "Keep away from water and moisture" in found.message


def test_a_quenched_solution_leaves_its_water() -> None:
    """The water of 0.60 mL of aqueous NaBH4 stays when the hydride is used up where it is
    poured in: 9.8 mL of water and the 0.60 mL make 10.4 mL in a 10 mL vial (PH108, which
    counted 9.8 mL before), and 12 µL of the 10.4 mL carry 12 / 10400 of each material on
    (12 / 9800 before)."""
    changes = [("amount: 10 mL, role: solvent", "amount: 9.8 mL, role: solvent"),
               ("  vial: {kind: vial, volume: 20 mL, closed: true}",
                "  vial: {kind: vial, volume: 10 mL}\n  tube: {kind: vial, volume: 2 mL}")]
    body = AQUEOUS_NABH4 % "  - {action: add, materials: [water], to: vial}\n"
    for old, new in changes:
        assert old in body
        body = body.replace(old, new)
    body += "  - {action: transfer, from: vial, into: tube, amount: 12 uL}\n"
    result = validate_body(body)
    found = _one(result, "PH108")
    assert "holds 10.4 mL of liquid (water, NaBH4)" in found.message
    assert result.base is not None
    assert result.base.amounts is not None
    (tube,) = [s for s in result.base.amounts.timeline if s.vessel == "tube"]
    shares = {h.material_id: h.share for h in tube.held}
    assert shares["water"] == pytest.approx(0.012 / 10.4)
    assert shares["NaBH4:solvent"] == pytest.approx(0.012 / 10.4)


def test_GS108_a_hydride_gives_its_hydrogen_once() -> None:
    result = validate_body("""\
        materials:
          NaBH4: {reagent: sodium-borohydride, amount: 0.378 g, role: reductant}
          EtOH: {reagent: ethanol, amount: 10 mL, role: solvent}
          HCl: {reagent: hydrogen-chloride, concentration: 1 M, solvent: water, amount: 20 mL,
                role: acid}
        vessels:
          flask: {kind: flask, volume: 100 mL}
        steps:
          - {action: add, materials: [EtOH, NaBH4], to: flask}
          - {action: add, materials: [HCl], to: flask}
        """)
    assert result.base is not None
    assert result.base.amounts is not None
    hydrogen = [r for s in result.base.amounts.timeline for r in s.released if r.formula == "H2"]
    assert hydrogen
    total = sum(r.moles or 0.0 for r in hydrogen)
    assert total <= 4 * N_NABH4 * 1.001  # 4 H⁻ per NaBH4: 40.0 mmol at most


# --- GS109: gas released in a stoppered separatory funnel ----------------------------------------

FUNNEL = """\
materials:
  HCl: {reagent: hydrogen-chloride, concentration: 1 M, solvent: water, amount: 10 mL,
        role: acid}
  Et2O: {reagent: diethyl-ether, amount: 20 mL, role: solvent}
  bicarb: {reagent: sodium-bicarbonate, concentration: 1.0 M, solvent: water, amount: 20 mL,
           role: wash}
vessels:
  funnel: {kind: separatory funnel, volume: 250 mL}
steps:
  - {action: add, materials: [HCl, Et2O], to: funnel}
  - {action: extract, from: funnel, solvent: bicarb, times: 1, keep: organic, note: %s}
"""


def test_GS109_bicarbonate_wash_of_an_acid_layer_without_venting() -> None:
    found = _one(findings_of(FUNNEL % "Shake and separate."), "GS109")
    # H+ + HCO3- → CO2 + H2O: min(1 M × 10 mL, 1.0 M × 20 mL) = 10.0 mmol CO2
    mmol = _number(r"carbon dioxide \((?:up to )?([0-9.]+) mmol", found.message)
    assert mmol == pytest.approx(min(1.0 * 10, 1.0 * 20), rel=1e-3)
    assert "acid 'HCl' + bicarbonate 'bicarb'" in found.message
    assert found.path == ("steps", 1)


def test_GS109_passes_with_a_venting_note() -> None:
    findings = findings_of(FUNNEL % "Swirl first; vent the funnel after every shake.")
    assert not with_code(findings, "GS109")
    assert not with_code(findings, "GS108")  # a funnel is never judged as a sealed vessel


# --- HZ112: pyrophoric reagent under air ---------------------------------------------------------

BULI = """\
materials:
  THF: {reagent: tetrahydrofuran, amount: 20 mL, role: solvent}
  nBuLi: {reagent: n-butyllithium, concentration: 2.5 M, solvent: hexane, amount: 4.0 mL,
          role: reactant}
vessels:
  flask: {kind: Schlenk flask, volume: 100 mL%s}
equipment:
  box: {kind: glovebox}
steps:
%s  - {action: add, materials: [THF, nBuLi], to: flask%s}
"""


def test_HZ112_n_butyllithium_in_a_flask_open_to_air() -> None:
    found = _one(findings_of(BULI % ("", "", "")), "HZ112")
    assert found.message.startswith("'nBuLi' (n-butyllithium, pyrophoric, H250) is in 'flask', "
                                    "which is open to air")
    assert found.severity.name == "ERROR"


@pytest.mark.parametrize(("vessel", "before", "step"), [
    (", atmosphere: argon", "", ""),
    ("", "  - {action: evacuate, vessel: flask, cycles: 3, backfill: nitrogen}\n", ""),
    ("", "", ", atmosphere: argon"),
    ("", "", ", using: [box]"),
], ids=["vessel under argon", "evacuated and backfilled", "step under argon", "in a glovebox"])
def test_HZ112_passes_under_inert_gas(vessel: str, before: str, step: str) -> None:
    assert not with_code(findings_of(BULI % (vessel, before, step)), "HZ112")


QUENCHED_BULI = """\
materials:
  THF: {reagent: tetrahydrofuran, amount: 20 mL, role: solvent}
  nBuLi: {reagent: n-butyllithium, concentration: 2.5 M, solvent: hexane, amount: 4.0 mL,
          role: reactant}
  water: {reagent: water, amount: 10 mL, role: reactant}
vessels:
  flask: {kind: Schlenk flask, volume: 100 mL, atmosphere: argon}
  funnel: {kind: separatory funnel, volume: 250 mL}
steps:
  - {action: add, materials: [THF, nBuLi], to: flask}
  - {action: add, materials: [water], to: flask, note: in the fume hood; butane is given off}
  - {action: transfer, from: flask, into: funnel}
  - {action: heat, vessel: funnel, temperature: 40 degC, duration: 5 min}
"""


def test_HZ112_the_quench_removes_n_butyllithium_from_the_flask() -> None:
    result = validate_body(QUENCHED_BULI)
    assert result.base is not None
    assert result.base.amounts is not None
    quench = [s for s in result.base.amounts.timeline if s.step_path == ("steps", 1)]
    assert "nBuLi" not in quench[-1].materials
    # n-BuLi + H2O → butane + LiOH: 2.5 M × 4.0 mL = 10.0 mmol of butane
    (butane,) = quench[-1].released
    assert isinstance(butane, GasRelease)
    assert (butane.formula, butane.moles) == ("C4H10", pytest.approx(2.5 * 4.0e-3))


def test_HZ112_a_quenched_reagent_is_not_reported_under_air() -> None:
    # The hexane of the quenched solution goes on to the open funnel: it is not n-BuLi.
    findings = findings_of(QUENCHED_BULI)
    assert not with_code(findings, "HZ112")
    assert not [f for f in with_code(findings, "HZ110") if "n-butyllithium" in f.message]


# --- HZ113: toxic gas given off with no fume hood named ------------------------------------------


def test_HZ113_carbon_monoxide_from_a_swern_without_a_hood() -> None:
    found = _one(findings_of(SWERN % (", atmosphere: nitrogen", "Stir while it warms.")),
                 "HZ113")
    assert found.path == ("steps", 4)
    assert "gives off carbon monoxide (by-product of 'ketone'), a toxic gas" in found.message
    assert "carbon dioxide" not in found.message  # CO2 is not toxic by inhalation (no H331)


def test_HZ113_passes_in_a_fume_hood() -> None:
    assert not with_code(findings_of(SWERN % (", atmosphere: nitrogen", HOOD)), "HZ113")


@pytest.mark.parametrize(("kind", "warns"), [
    ("fume hood", False),   # the step is done in the hood: the control beside it
    ("walk-in hood", False),
    ("magnetic stirrer", True),     # equipment that contains nothing
])
def test_HZ113_reads_the_equipment_the_step_is_done_with(kind: str, warns: bool) -> None:
    body = (SWERN % (", atmosphere: nitrogen", "Stir while it warms.")).replace(
        "    note: Stir while it warms.\n",
        "    note: Stir while it warms.\n    using: [station]\n").replace(
        "steps:\n", f"equipment:\n  station: {{kind: {kind}}}\nsteps:\n", 1)
    assert "using: [station]" in body
    assert bool(with_code(findings_of(body), "HZ113")) is warns


def test_HZ113_passes_for_carbon_dioxide_alone() -> None:
    assert not with_code(findings_of(FUNNEL % "Vent after every shake."), "HZ113")


# --- PH101: measured out at the bench ------------------------------------------------------------

# Butane-1,4-diamine: mp 300.65 K = 27.5 °C (chemicals 1.5.2, Open Notebook melting point data,
# as the library cites); dimethyl sulfoxide: mp 291.55 K = 18.4 °C (same source; CRC 18.5 °C).
BDA_MP_K = 300.65
DMSO_MP_K = 291.55

BDA_INTO_ETHANOL = """\
materials:
  EtOH: {reagent: ethanol, amount: 20 mL, role: solvent}
  BDA: {reagent: butanediamine, amount: 1 mL, role: ligand}
vessels:
  flask: {kind: flask, volume: 50 mL}
steps:
  - {action: add, materials: [EtOH], to: flask}
  - {action: add, materials: [BDA], to: flask%s}
"""


def test_PH101_a_liquid_measured_below_its_melting_point_at_the_bench() -> None:
    found = _one(findings_of(BDA_INTO_ETHANOL % ""), "PH101")
    assert f"melts at {BDA_MP_K - T0:.1f} °C, {BDA_MP_K - AMBIENT_K:.1f} K above" \
        in found.message  # 27.5 °C, 2.5 K
    assert "the neat reagent is a solid as it is measured out" in found.message


def test_PH101_passes_when_the_step_says_it_is_measured_warm() -> None:
    assert not with_code(findings_of(BDA_INTO_ETHANOL % ", temperature: 35 degC"), "PH101")


DMSO_COLD = """\
materials:
%s  DMSO: {reagent: dimethyl-sulfoxide, amount: 1.70 mL, role: oxidant}
vessels:
  flask: {kind: flask, volume: 100 mL, atmosphere: nitrogen}
steps:
%s  - {action: add, materials: [DMSO], to: flask, temperature: -78 degC}
"""


def test_PH101_passes_for_a_liquid_measured_at_25C_into_a_cold_solution() -> None:
    # DMSO is measured out liquid at 25 °C and is a minor component of the DCM at −78 °C.
    body = DMSO_COLD % ("  DCM: {reagent: dichloromethane, amount: 25 mL, role: solvent}\n",
                        "  - {action: add, materials: [DCM], to: flask, temperature: -78 degC}\n")
    assert not with_code(findings_of(body), "PH101")


def test_PH101_neat_liquid_frozen_in_a_cold_flask() -> None:
    found = _one(findings_of(DMSO_COLD % ("", "")), "PH101")
    assert f"melts at {DMSO_MP_K - T0:.1f} °C, {DMSO_MP_K - (T0 - 78):.1f} K above 'flask'" \
        in found.message  # 18.4 °C, 96.4 K
    assert "neat, nothing depresses its freezing point" in found.message


# --- PH102: boiling in an open vessel ------------------------------------------------------------

OPEN_WATER = """\
materials:
  water: {reagent: water, amount: 50 mL, role: solvent}
vessels:
  flask: {kind: round-bottom flask, volume: 250 mL}
steps:
  - {action: add, materials: [water], to: flask}
  - {action: heat, vessel: flask, temperature: %s, duration: 10 min}
"""


@pytest.mark.parametrize("celsius", ["100.0", "100.4"])
def test_PH102_passes_within_half_a_kelvin_of_the_boiling_point(celsius: str) -> None:
    assert T0 + float(celsius) <= WATER_BP_K + TOLERANCE_K
    assert not with_code(findings_of(OPEN_WATER % f"{celsius} degC"), "PH102")


def test_PH102_beyond_half_a_kelvin() -> None:
    found = _one(findings_of(OPEN_WATER % "100.6 degC"), "PH102")
    assert f"boils at {WATER_BP_K - T0:.1f} °C" in found.message  # 100.0 °C
    assert f"{T0 + 100.6 - WATER_BP_K:.1f} K above it" in found.message  # 0.6 K


GOLD_SOLUTION = """\
materials:
  Au: {reagent: tetrachloroauric-acid-trihydrate, concentration: 1 mM, solvent: water,
       amount: 50 mL, role: precursor}
vessels:
  flask: {kind: round-bottom flask, volume: 250 mL}
steps:
  - {action: add, materials: [Au], to: flask}
  - {action: heat, vessel: flask, temperature: %s, duration: 10 min}
"""


def test_PH102_the_solvent_of_a_solution_boils() -> None:
    found = _one(findings_of(GOLD_SOLUTION % "110 degC"), "PH102")
    assert found.message.startswith("'Au:solvent' (water) boils at 100.0 °C")
    assert "the mixture boils" in found.message
    # Water at 110 °C: 143.38 kPa (CRC Handbook, vapour pressure of water, 0–370 °C); the
    # 0.05 mmol of HAuCl4 in 2.77 mol of water lowers it by 0.002 %.
    kpa = _number(r"about ([0-9.]+) kPa by Raoult's law", found.message)
    assert kpa == pytest.approx(143.38, rel=0.01)


def test_PH102_passes_for_the_solution_below_100C() -> None:
    assert not with_code(findings_of(GOLD_SOLUTION % "95 degC"), "PH102")


def test_PH102_water_from_two_solutions_is_reported_once() -> None:
    findings = findings_of("""\
        materials:
          Au: {reagent: tetrachloroauric-acid-trihydrate, concentration: 1 mM, solvent: water,
               amount: 50 mL, role: precursor}
          citrate: {reagent: trisodium-citrate-dihydrate, concentration: 38.8 mM,
                    solvent: water, amount: 5 mL, role: reductant}
        vessels:
          flask: {kind: round-bottom flask, volume: 250 mL}
        steps:
          - {action: add, materials: [Au, citrate], to: flask}
          - {action: heat, vessel: flask, temperature: 110 degC, duration: 10 min}
        """)
    assert len(with_code(findings, "PH102")) == 1


def test_PH102_raoult_a_little_ethanol_in_water_evaporates_off() -> None:
    found = _one(findings_of("""\
        materials:
          water: {reagent: water, amount: 20 mL, role: solvent}
          EtOH: {reagent: ethanol, amount: 1 mL, role: solvent}
        vessels:
          flask: {kind: round-bottom flask, volume: 100 mL}
        steps:
          - {action: add, materials: [water, EtOH], to: flask}
          - {action: heat, vessel: flask, temperature: 85 degC, duration: 10 min}
        """), "PH102")
    assert found.message.startswith("'EtOH' (ethanol) boils at 78.4 °C")
    assert "it evaporates off (the mixture as a whole stays below its boiling point)" \
        in found.message
    t_k = T0 + 85
    n_ethanol = 1 * ETHANOL_DENSITY / M_ETHANOL  # 17.0 mmol
    n_water = 20 * WATER_DENSITY / M_WATER  # 1.107 mol
    x = n_ethanol / (n_ethanol + n_water)  # 0.0152
    kpa = 100 * (x * p_ethanol(t_k) + (1 - x) * p_water(t_k))  # 2.0 + 56.9 = 58.9 kPa
    assert _number(r"about ([0-9.]+) kPa", found.message) == pytest.approx(kpa, rel=0.01)


# --- PH103–PH107: a vessel sealed by a step, Raoult's law for the vapours ------------------------

SEALED_BY_STEP = """\
materials:
  EtOH: {reagent: ethanol, amount: 5 mL, role: solvent}
  water: {reagent: water, amount: 5 mL, role: solvent}
vessels:
  tube: {kind: pressure tube, volume: 25 mL%s}
steps:
  - {action: add, materials: [EtOH, water], to: tube}
  - {action: %s, vessel: tube}
  - {action: heat, vessel: tube, temperature: 90 degC, duration: 1 h%s}
"""


def _sealed_bar() -> float:
    """5 mL ethanol + 5 mL water sealed at 25 °C and heated to 90 °C: Raoult's law for the
    vapour, and the air sealed in (1 atm less the vapour at 25 °C) heated at constant volume."""
    n_e = 5 * ETHANOL_DENSITY / M_ETHANOL  # 85.2 mmol
    n_w = 5 * WATER_DENSITY / M_WATER  # 276.7 mmol
    x = n_e / (n_e + n_w)  # 0.235
    hot, seal = T0 + 90, AMBIENT_K
    vapour_hot = x * p_ethanol(hot) + (1 - x) * p_water(hot)  # 0.373 + 0.536 bar
    vapour_seal = x * p_ethanol(seal) + (1 - x) * p_water(seal)  # 0.043 bar
    return vapour_hot + (ATM_BAR - vapour_seal) * hot / seal  # + 1.182 bar ≈ 2.09 bar


def _bar(message: str) -> float:
    return _number(r"about ([0-9.]+) bar abs", message)


def test_PH105_sealed_by_a_step_well_inside_the_rating() -> None:
    found = _one(findings_of(SEALED_BY_STEP % (", pressure_rating: 10 bar gauge", "seal", "")),
                 "PH105")
    total = _sealed_bar()
    assert _bar(found.message) == pytest.approx(total, rel=0.01)
    rating = 10 + ATM_BAR
    assert f"{100 * total / rating:.0f} % of its rating" in found.message  # 19 %
    # Raoult-lowered: ethanol alone would give 1.59 bar at 90 °C; in the mixture 0.37 bar.
    ethanol_part = _number(r"ethanol vapour ([0-9.]+) bar", found.message)
    assert ethanol_part < 0.25 * p_ethanol(T0 + 90)


def test_PH104_near_the_rating() -> None:
    found = _one(findings_of(SEALED_BY_STEP % (", pressure_rating: 1.5 bar gauge", "seal", "")),
                 "PH104")
    rating = 1.5 + ATM_BAR  # 2.51 bar abs
    assert f"that is {100 * _sealed_bar() / rating:.0f} % of its rating" in found.message  # 83 %


def test_PH103_above_the_rating() -> None:
    found = _one(findings_of(SEALED_BY_STEP % (", pressure_rating: 0.5 bar gauge", "seal", "")),
                 "PH103")
    rating = 0.5 + ATM_BAR  # 1.51 bar abs
    assert f"that is {_sealed_bar() / rating:.2f}× its rating" in found.message  # 1.38×
    assert found.severity.name == "ERROR"


def test_PH106_sealed_by_a_step_and_heated_without_a_rating() -> None:
    found = _one(findings_of(SEALED_BY_STEP % ("", "seal", "")), "PH106")
    assert found.path == ("vessels", "tube")
    assert _bar(found.message) == pytest.approx(_sealed_bar(), rel=0.01)


def test_PH103_to_PH107_pass_when_a_step_opens_the_vessel_before_heating() -> None:
    findings = findings_of(SEALED_BY_STEP % (", closed: true", "open", ", reflux: true"))
    for code in ("PH103", "PH104", "PH106", "PH107"):
        assert not with_code(findings, code), code
    # Only the filling, sealed at 25 °C, is reported: 1 atm, nothing heated.
    (note,) = with_code(findings, "PH105")
    assert note.path == ("steps", 0)
    assert _bar(note.message) == pytest.approx(ATM_BAR, rel=0.01)


NO_DATA_LIQUID = """\
materials:
  toluene: {reagent: toluene, amount: 5 mL, role: solvent}
  oil:
    reagent: {name: a silicone oil, phase: liquid, density: 0.97 g/mL, molar_mass: 1000 g/mol%s}
    amount: 5 mL
    role: solvent
vessels:
  tube: {kind: pressure tube, volume: 25 mL, closed: true, pressure_rating: 10 bar gauge}
steps:
  - {action: add, materials: [toluene, oil], to: tube}
  - {action: heat, vessel: tube, temperature: 100 degC, duration: 1 h}
"""


def p_toluene(t_k: float) -> float:
    """Toluene, 308.52–384.66 K (NIST WebBook, from Williamham, Taylor, Pignocco and Rossini,
    J. Res. Natl. Bur. Stand. 35, 219 (1945)); used 10 K below its range at 25 °C."""
    return _antoine_bar(4.07827, 1343.943, -53.773, t_k)


def test_PH107_a_liquid_without_vapour_data_in_a_heated_sealed_vessel() -> None:
    found = _one(findings_of(NO_DATA_LIQUID % ""), "PH107")
    assert "no data for oil" in found.message
    # Not counted as 1 atm: toluene's Raoult term and the air, with the oil in the mole
    # fractions. Toluene 5 mL × 0.8623 g/mL (CRC, 25 °C) / 92.14 g/mol = 46.8 mmol; the oil
    # 5 mL × 0.97 g/mL / 1000 g/mol = 4.85 mmol.
    n_t = 5 * 0.8623 / (7 * C + 8 * H)
    x = n_t / (n_t + 5 * 0.97 / 1000)  # 0.906
    hot = T0 + 100
    expected = x * p_toluene(hot) + (ATM_BAR - x * p_toluene(AMBIENT_K)) * hot / AMBIENT_K
    bar = _number(r"the pressure \(([0-9.]+) bar abs without them\)", found.message)
    assert bar == pytest.approx(expected, rel=0.03)  # 0.672 + 1.225 = 1.90 bar (2 figures)


def test_PH107_passes_once_the_boiling_point_is_given() -> None:
    # Trouton's rule estimates p* from the boiling point: no more unknown terms.
    findings = findings_of(NO_DATA_LIQUID % ", boiling_point: 300 degC")
    assert not with_code(findings, "PH107")
    assert with_code(findings, "PH105")


def test_PH105_dilute_hydrochloric_acid_is_mostly_water_and_air() -> None:
    found = _one(findings_of("""\
        materials:
          HCl: {reagent: hydrogen-chloride, concentration: 2 M, solvent: water, amount: 10 mL,
                role: acid}
        vessels:
          tube: {kind: pressure tube, volume: 35 mL, closed: true, pressure_rating: 10 bar gauge}
        steps:
          - {action: add, materials: [HCl], to: tube}
          - {action: heat, vessel: tube, temperature: 80 degC, duration: 1 h}
        """), "PH105")
    n_w = 10 * WATER_DENSITY / M_WATER  # 0.553 mol of water, 0.020 mol of HCl
    x = n_w / (n_w + 0.020)
    hot = T0 + 80
    # HCl's partial pressure over 2 M acid is a few Pa (Henry's law): left out.
    expected = x * p_water(hot) + (ATM_BAR - x * p_water(AMBIENT_K)) * hot / AMBIENT_K
    assert _bar(found.message) == pytest.approx(expected, rel=0.05)  # ≈ 1.62 bar


# --- PH108: fill after a centrifuge --------------------------------------------------------------

SPUN = """\
materials:
  EtOH: {reagent: ethanol, amount: 40 mL, role: solvent}
  TEOS: {reagent: tetraethyl-orthosilicate, amount: 1.0 mL, role: precursor}
  wash: {reagent: ethanol, amount: 40 mL, role: wash}
vessels:
  tube: {kind: centrifuge tube, volume: 50 mL}
steps:
  - {action: add, materials: [EtOH, TEOS], to: tube}
  - {action: stir, vessel: tube, duration: 2 h, product: silica}
  - {action: centrifuge, vessel: tube, speed: 4000 rpm, rotor_radius: 10 cm, duration: 10 min,
     keep: %s}
  - {action: add, materials: [wash], to: tube}
products:
  silica: {name: silica, kind: solid, formula: SiO2}
"""


def test_PH108_passes_after_the_supernatant_is_poured_off() -> None:
    assert not with_code(findings_of(SPUN % "pellet"), "PH108")


def test_PH108_when_the_supernatant_stays() -> None:
    found = _one(findings_of(SPUN % "supernatant"), "PH108")
    volume = 40 + 1.0 + 40  # mL: 81 mL in a 50 mL tube
    assert f"'tube' holds {volume:.4g} mL of liquid" in found.message
    assert f"{100 * volume / 50:.0f} % full" in found.message  # 162 %


# --- HZ110: after an evaporation the flammable solvent is gone -----------------------------------

RESIDUE = """\
materials:
  THF: {reagent: tetrahydrofuran, amount: 20 mL, role: solvent}
  Ph2CO: {reagent: benzophenone, amount: 1.82 g, role: substrate}
  ODE: {reagent: 1-octadecene, amount: 10 mL, role: solvent}
vessels:
  flask: {kind: flask, volume: 100 mL}
steps:
  - {action: add, materials: [THF, Ph2CO], to: flask}
%s  - {action: add, materials: [ODE], to: flask}
  - {action: heat, vessel: flask, temperature: 80 degC, duration: 1 h, reflux: true}
"""
EVAPORATE = "  - {action: evaporate, vessel: flask, method: vacuum, solvents: [THF]}\n"


def test_HZ110_passes_once_the_solvent_is_evaporated() -> None:
    assert not [f for f in with_code(findings_of(RESIDUE % EVAPORATE), "HZ110")
                if "tetrahydrofuran" in f.message]


def test_HZ110_names_the_solvent_still_there() -> None:
    found = _one(findings_of(RESIDUE % ""), "HZ110")
    # THF is H225, and its measured flash point is -14 °C (closed cup, ICSC 0578 and
    # IEC 60079-20-1), far below 80 °C
    assert found.message.startswith("'THF' (tetrahydrofuran, H225: flash point -14 °C, measured")
    assert "heated to 80.0 °C in open vessel 'flask'" in found.message


# --- HZ107: a quench removes the water-reactive reagent ------------------------------------------

HYDRIDE = """\
materials:
  NaBH4: {reagent: sodium-borohydride, amount: 0.378 g, role: reductant}
  EtOH: {reagent: ethanol, amount: 10 mL, role: solvent}
  HCl: {reagent: hydrogen-chloride, concentration: 1 M, solvent: water, amount: 20 mL,
        role: acid}
  water: {reagent: water, amount: 20 mL, role: wash}
vessels:
  flask: {kind: flask, volume: 100 mL}
  funnel: {kind: separatory funnel, volume: 250 mL}
steps:
  - {action: add, materials: [EtOH, NaBH4], to: flask}
%s  - {action: add, materials: [water], to: funnel}
  - {action: transfer, from: flask, into: funnel}
"""
QUENCH = "  - {action: add, materials: [HCl], to: flask, note: in the fume hood}\n"


def test_HZ107_a_quenched_hydride_meets_nothing_afterwards() -> None:
    result = validate_body(HYDRIDE % QUENCH)
    found = _one(result, "HZ107")
    assert "it meets 'EtOH' in 'flask' (steps[0])" in found.message
    assert "'funnel'" not in found.message
    assert result.base is not None
    assert result.base.amounts is not None
    after = [s for s in result.base.amounts.timeline if s.step_path == ("steps", 1)][-1]
    assert "NaBH4" not in after.materials


def test_HZ107_an_unquenched_hydride_meets_the_water_of_the_work_up() -> None:
    found = _one(findings_of(HYDRIDE % ""), "HZ107")
    assert "it meets 'EtOH' in 'flask' (steps[0]), 'water' in 'funnel' (steps[2])" \
        in found.message


def test_HZ107_names_the_gas_an_organolithium_gives() -> None:
    # n-BuLi + H2O → C4H10 + LiOH: butane, not hydrogen
    found = _one(findings_of(QUENCHED_BULI), "HZ107")
    assert "gives off butane with water" in found.message
    assert "it meets 'water' in 'flask' (steps[1])" in found.message


def test_hand_calculations_are_self_consistent() -> None:
    """The constants above against textbook values, so that a typo cannot hide."""
    assert round(M_NABH4, 2) == 37.83
    assert round(M_CYCLOHEXANOL, 2) == 100.16
    assert p_water(T0 + 100) == pytest.approx(ATM_BAR, rel=0.003)  # boils at 100 °C
    assert p_ethanol(351.44) == pytest.approx(ATM_BAR, rel=0.01)  # bp 78.3 °C
    assert math.isfinite(_sealed_bar())
