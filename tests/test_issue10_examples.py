"""The ten examples of issue 10 ("The bench model: every check reads what each vessel actually
holds, step by step"), each as a small protocol showing what benchsheet says now.

Each test names the example it stands for; the numbers are worked out by hand from sourced
constants: IUPAC 2021 standard atomic weights, densities at 25 °C (CRC Handbook 97th ed., or
the supplier the reagent library cites), Antoine constants from the NIST Chemistry WebBook,
log10(p/bar) = A − B/(T/K + C).
"""

from __future__ import annotations

import math
import re

import pytest

from benchsheet.findings import Finding
from benchsheet.render import render_sheet
from benchsheet.render.view import material_rows
from benchsheet.scaling import ScaleError, factor_for_target, parse_target
from benchsheet.validate import FileResult, VariantResult
from protocol_text import findings_of, validate_body, with_code

R = 8.314462618  # J/(mol·K), CODATA 2018 (exact)
ATM_BAR = 1.01325
T0 = 273.15
AMBIENT_K = T0 + 25
# IUPAC 2021 standard atomic weights (abridged)
H, C, N, OX, SE, CL, CD, BR = 1.008, 12.011, 14.007, 15.999, 78.971, 35.45, 112.414, 79.904
# Trouton's rule: ΔS_vap ≈ 88 J/(mol·K) at the normal boiling point (Trouton, Phil. Mag. 18,
# 54 (1884)), the estimate docs/bench-model.md names for a liquid with only a boiling point.
TROUTON = 88.0


def _base(result: FileResult) -> VariantResult:
    base = result.base
    assert base is not None
    assert base.amounts is not None
    assert base.protocol is not None
    return base


def _one(found: FileResult | list[Finding], code: str) -> Finding:
    hits = with_code(found, code)
    assert len(hits) == 1, [f.message for f in hits] or f"no {code}"
    return hits[0]


def _number(pattern: str, message: str) -> float:
    match = re.search(pattern, message)
    assert match, f"{pattern!r} not in {message!r}"
    return float(match.group(1))


def p_toluene(t_k: float) -> float:
    """Toluene, 308.52–384.66 K (NIST WebBook, from Williamham, Taylor, Pignocco and Rossini,
    J. Res. Natl. Bur. Stand. 35, 219 (1945)), bar; used 10 K below its range at 25 °C."""
    return float(10 ** (4.07827 - 1343.943 / (t_k - 53.773)))


def p_trouton(t_k: float, bp_k: float) -> float:
    """p*(T) from the normal boiling point alone: Clausius–Clapeyron with ΔH = 88·Tb, bar."""
    return ATM_BAR * math.exp(-TROUTON * bp_k / R * (1 / t_k - 1 / bp_k))


# --- (1) a 1 mL portion injected from a 5 mL stock ------------------------------------------------

HOT_INJECTION = """\
materials:
  Se: {reagent: selenium, amount: 39.5 mg, role: precursor}
  ODE_Se: {reagent: 1-octadecene, amount: 5.0 mL, role: solvent}
  CdO: {reagent: cadmium-oxide, amount: 51.4 mg, role: precursor}
  ODE: {reagent: 1-octadecene, amount: 10 mL, role: solvent}
vessels:
  vial: {kind: vial, volume: 20 mL, atmosphere: argon}
  flask: {kind: three-neck flask, volume: 50 mL, atmosphere: argon}
steps:
  - {action: dissolve, materials: [Se], solvent: ODE_Se, vessel: vial}
  - {action: add, materials: [CdO, ODE], to: flask}
  - {action: heat, vessel: flask, temperature: 240 degC, duration: 30 min}
  - {action: inject, from: vial, into: flask%s}
  - {action: hold, vessel: flask, temperature: 240 degC, duration: 3 min, product: CdSe}
products:
  CdSe:
    name: CdSe nanocrystals
    kind: nanocrystal
    composition: {cations: {Cd: 1}, anions: {Se: 1}}
"""
N_SE = 39.5e-3 / SE  # 0.500 mmol in the stock
N_CD = 51.4e-3 / (CD + OX)  # 0.400 mmol in the flask
# The dissolved selenium adds its own volume to the stock: 39.5 mg / 4.81 g/mL (grey Se, CRC)
# = 0.0082 mL, so 1 mL is 1/5.008 of it, not quite 1/5 (0.16 % less).
STOCK_ML = 5.0 + 39.5e-3 / 4.81


def test_example_1_a_portion_of_a_stock_counts_as_the_portion() -> None:
    base = _base(validate_body(HOT_INJECTION % ", amount: 1 mL"))
    assert base.amounts is not None
    balance = base.amounts.balances["CdSe"]
    # 1 mL of the stock carries 0.100 mmol Se, fewer than the 0.400 mmol Cd: Se limits.
    assert balance.limiting_materials == ("Se",)
    assert balance.theoretical_moles is not None
    assert balance.theoretical_moles.nominal == pytest.approx(N_SE / STOCK_ML, rel=1e-3)
    assert balance.theoretical_moles.nominal == pytest.approx(N_SE / 5, rel=2e-3)
    (note,) = with_code(base.findings, "ST107")
    assert f"at most {1e3 * N_SE / STOCK_ML:.4g} mmol" in note.message  # 0.09984 mmol


def test_example_1_the_whole_stock_when_all_of_it_is_injected() -> None:
    balance = _base(validate_body(HOT_INJECTION % "")).amounts.balances["CdSe"]  # type: ignore[union-attr]
    # 0.500 mmol Se and 0.400 mmol Cd: now Cd limits.
    assert balance.limiting_materials == ("CdO",)
    assert balance.theoretical_moles is not None
    assert balance.theoretical_moles.nominal == pytest.approx(N_CD, rel=1e-3)


# --- (2) a centrifuge that keeps the pellet empties the tube ------------------------------------

STOBER = """\
materials:
  EtOH: {reagent: ethanol, amount: 40 mL, role: solvent}
  TEOS: {reagent: tetraethyl-orthosilicate, amount: 1.5 mL, role: precursor}
  wash: {reagent: ethanol, amount: 40 mL, role: wash}
vessels:
  tube: {kind: centrifuge tube, volume: 50 mL}
steps:
  - {action: add, materials: [EtOH, TEOS], to: tube}
  - {action: stir, vessel: tube, duration: 6 h, product: silica}
  - action: centrifuge
    vessel: tube
    speed: 8000 rpm
    rotor_radius: 9 cm
    duration: 15 min
    keep: %s
  - {action: add, materials: [wash], to: tube, note: redisperse the pellet by sonication}
products:
  silica: {name: Stöber silica, kind: solid, formula: SiO2}
"""


def test_example_2_the_pellet_is_kept_and_the_tube_takes_the_wash() -> None:
    result = validate_body(STOBER % "pellet")
    assert not with_code(result, "PH108")
    base = _base(result)
    assert base.amounts is not None
    spun = [s for s in base.amounts.timeline if s.step_path == ("steps", 2)][-1]
    assert spun.held == ()  # 41.5 mL of supernatant gone
    assert spun.products == ("silica",)


def test_example_2_contrast_the_supernatant_kept_overfills() -> None:
    found = _one(findings_of(STOBER % "supernatant"), "PH108")
    assert f"holds {40 + 1.5 + 40:.4g} mL of liquid" in found.message  # 81.5 of 50 mL


# --- (3) seal and open are steps -----------------------------------------------------------------

ATRP = """\
materials:
  MMA: {reagent: methyl-methacrylate, amount: 10 mL, role: substrate}
  anisole: {reagent: anisole, amount: 10 mL, role: solvent}
vessels:
  schlenk: {kind: Schlenk flask, volume: 50 mL, pressure_rating: 0.5 bar gauge}
steps:
  - {action: add, materials: [MMA, anisole], to: schlenk}
  - {action: freeze-pump-thaw, vessel: schlenk, cycles: 3, backfill: nitrogen}
%s  - {action: heat, vessel: schlenk, temperature: 90 degC, duration: 2 h, reflux: true}
"""


def test_example_3_opened_after_freeze_pump_thaw_is_not_sealed() -> None:
    findings = findings_of(ATRP % "  - {action: open, vessel: schlenk, to: nitrogen}\n")
    for code in ("PH103", "PH104", "PH106", "PH107"):
        assert not with_code(findings, code), code
    # Sealed only between the degassing and the opening, at 25 °C: about 1 atm
    (note,) = with_code(findings, "PH105")
    assert note.path == ("steps", 1)
    assert _number(r"about ([0-9.]+) bar abs", note.message) == pytest.approx(ATM_BAR, rel=0.01)


def test_example_3_contrast_left_sealed_it_is_over_its_rating() -> None:
    found = _one(findings_of(ATRP % ""), "PH103")
    assert found.path == ("steps", 2)


def test_example_3_a_stoppered_flask_at_25C_gives_no_pressure_warning() -> None:
    findings = findings_of("""\
        materials:
          DCM: {reagent: dichloromethane, amount: 20 mL, role: solvent}
        vessels:
          flask: {kind: round-bottom flask, volume: 50 mL}
        steps:
          - {action: add, materials: [DCM], to: flask}
          - {action: seal, vessel: flask}
          - {action: stir, vessel: flask, temperature: 25 degC, duration: 12 h}
        """)
    assert not [f for f in findings if f.code.startswith("PH") and f.severity.name != "INFO"]
    # Sealed at 25 °C and kept there: the 1 atm it was closed at, DCM vapour included.
    (note,) = with_code(findings, "PH105")
    assert _number(r"about ([0-9.]+) bar abs", note.message) == pytest.approx(ATM_BAR, rel=0.01)


# --- (4) a liquid without a vapour-pressure curve is not 1 atm ----------------------------------

SEALED_POLYMERISATION = """\
materials:
  toluene: {reagent: toluene, amount: 10 mL, role: solvent}
  DPE:
    reagent: {name: diphenyl ether, formula: C12H10O, density: 1.07 g/mL,
              boiling_point: 258 degC, phase: liquid,
              hazards: {signal_word: Warning, h_codes: [H319, H411], source: supplier SDS}}
    amount: 10 mL
    role: solvent
vessels:
  tube: {kind: pressure tube, volume: 50 mL, closed: true, pressure_rating: 10 bar gauge}
steps:
  - {action: add, materials: [toluene, DPE], to: tube}
  - {action: heat, vessel: tube, temperature: 90 degC, duration: 16 h}
"""


def test_example_4_raoult_and_trouton_not_one_atmosphere() -> None:
    found = _one(findings_of(SEALED_POLYMERISATION), "PH105")
    # Toluene 10 mL × 0.8623 g/mL (CRC, 25 °C) / 92.14 g/mol = 93.6 mmol; diphenyl ether
    # 10 mL × 1.07 g/mL / 170.21 g/mol = 62.9 mmol: x(toluene) = 0.598.
    n_t = 10 * 0.8623 / (7 * C + 8 * H)
    n_d = 10 * 1.07 / (12 * C + 10 * H + OX)
    x_t, x_d = n_t / (n_t + n_d), n_d / (n_t + n_d)
    hot, bp = T0 + 90, T0 + 258
    vapour_hot = x_t * p_toluene(hot) + x_d * p_trouton(hot, bp)  # 0.324 + 0.003 bar
    vapour_seal = x_t * p_toluene(AMBIENT_K) + x_d * p_trouton(AMBIENT_K, bp)
    air = (ATM_BAR - vapour_seal) * hot / AMBIENT_K  # 1.206 bar
    total = vapour_hot + air  # ≈ 1.53 bar
    reported = _number(r"about ([0-9.]+) bar abs", found.message)
    assert reported == pytest.approx(total, rel=0.02)
    dpe = _number(r"diphenyl ether vapour \(estimated from its boiling point\) ([0-9.e-]+) bar",
                  found.message)
    assert dpe == pytest.approx(x_d * p_trouton(hot, bp), rel=0.02)  # 0.0030 bar, not 1 atm
    # Diphenyl ether counted as 1 atm, with the air alone, would already be 2.2 bar.
    assert reported < ATM_BAR + air


def test_example_4_a_liquid_with_no_data_at_all_is_a_note_not_one_atmosphere() -> None:
    findings = findings_of(SEALED_POLYMERISATION.replace("boiling_point: 258 degC, ", ""))
    found = _one(findings, "PH107")
    assert "no data for DPE" in found.message
    without = _number(r"the pressure \(([0-9.]+) bar abs without them\)", found.message)
    assert without < 2.0  # toluene's Raoult term and the air: ≈ 1.5 bar, no 1 atm added


# --- (5) solutions have a solvent ---------------------------------------------------------------

TURKEVICH = """\
materials:
  Au: {reagent: tetrachloroauric-acid-trihydrate, concentration: 1 mM, solvent: water,
       amount: 50 mL, role: precursor}
  citrate: {reagent: trisodium-citrate-dihydrate, concentration: 38.8 mM, solvent: water,
            amount: 5 mL, role: reductant}
vessels:
  flask: {kind: round-bottom flask, volume: 250 mL}
steps:
  - {action: add, materials: [Au], to: flask}
  - {action: heat, vessel: flask, temperature: %s, duration: 10 min%s}
  - {action: add, materials: [citrate], to: flask}
"""


def test_example_5_one_mM_gold_in_water_boiled_open_at_110C() -> None:
    found = with_code(findings_of(TURKEVICH % ("110 degC", "")), "PH102")[0]
    assert found.path == ("steps", 1)
    assert found.message.startswith("'Au:solvent' (water) boils at 100.0 °C")
    assert "10.0 K above it: the mixture boils" in found.message


def test_example_5_contrast_at_reflux_it_passes() -> None:
    assert not with_code(findings_of(TURKEVICH % ("100 degC", ", reflux: true")), "PH102")


HYDROCHLORIC = """\
materials:
  HCl: {reagent: hydrogen-chloride, concentration: 2 M, solvent: water, amount: 10 mL,
        role: acid}
vessels:
  flask: {kind: flask, volume: 50 mL}
steps:
  - {action: add, materials: [HCl], to: flask}
%s"""


def test_example_5_two_molar_hcl_needs_no_water_material() -> None:
    base = _base(validate_body(HYDROCHLORIC % ""))
    assert not [f for f in base.findings if f.code[:2] in ("SC", "UN", "RF")]
    assert base.amounts is not None
    hcl, water = base.amounts.entry("HCl"), base.amounts.entry("HCl:solvent")
    assert hcl is not None
    assert water is not None
    assert hcl.moles is not None
    assert hcl.moles.nominal == pytest.approx(2 * 10e-3)  # 2 mol/L × 10 mL = 20 mmol
    # The water: 10 mL at 0.99705 g/mL (CRC; HCl has no density of its own here) = 9.97 g
    assert water.reagent.name == "water"
    assert water.mass is not None
    assert water.mass.nominal == pytest.approx(10 * 0.99705, rel=1e-3)
    (state,) = base.amounts.timeline
    assert set(state.materials) == {"HCl", "HCl:solvent"}


def test_example_5_two_molar_hcl_warmed_open_does_not_boil() -> None:
    findings = findings_of(HYDROCHLORIC % (
        "  - {action: heat, vessel: flask, temperature: 60 degC, duration: 1 h}\n"))
    assert not with_code(findings, "PH102")


# --- (6) water at exactly 100.0 °C ---------------------------------------------------------------

BOILING_WATER = """\
materials:
  water: {reagent: water, amount: 50 mL, role: solvent}
vessels:
  flask: {kind: round-bottom flask, volume: 250 mL}
steps:
  - {action: add, materials: [water], to: flask}
  - {action: heat, vessel: flask, temperature: %s, duration: 10 min}
"""


def test_example_6_water_at_100C_does_not_boil() -> None:
    # The library's bp is 373.124 K = 99.974 °C (IAPWS-95); 100.0 °C is 0.026 K above it,
    # inside the 0.5 K a transition is "at", not "past".
    assert not with_code(findings_of(BOILING_WATER % "100.0 degC"), "PH102")


def test_example_6_contrast_one_kelvin_above() -> None:
    found = _one(findings_of(BOILING_WATER % "101 degC"), "PH102")
    assert f"{T0 + 101 - 373.124:.1f} K above it" in found.message  # 1.0 K


# --- (7) measured out at 25 °C, added to a flask at −78 °C --------------------------------------

COLD_FLASK = """\
materials:
  DCM: {reagent: dichloromethane, amount: 25 mL, role: solvent}
  DMSO: {reagent: dimethyl-sulfoxide, amount: 1.70 mL, role: oxidant}
  alcohol: {reagent: cyclohexanol, amount: 1.002 g, role: substrate}
vessels:
  flask: {kind: three-neck flask, volume: 100 mL, atmosphere: nitrogen}
steps:
  - {action: add, materials: [DCM], to: flask, temperature: -78 degC}
  - {action: add, materials: [DMSO], to: flask, over: 5 min}
  - {action: add, materials: [alcohol], to: flask, over: 5 min}
"""


def test_example_7_liquids_measured_at_the_bench_into_a_cold_flask() -> None:
    # DMSO (mp 18.4 °C) by volume and cyclohexanol (mp 24.0 °C) by mass are liquid at the
    # bench (25 °C) and minor components of the DCM at −78 °C: no PH101.
    assert not with_code(findings_of(COLD_FLASK), "PH101")


def test_example_7_contrast_neat_dmso_in_the_cold_flask_freezes() -> None:
    body = COLD_FLASK.replace("  - {action: add, materials: [DCM], to: flask, temperature: "
                              "-78 degC}\n", "  - {action: cool, vessel: flask, temperature: "
                              "-78 degC}\n").replace("  DCM: {reagent: dichloromethane, amount: "
                                                     "25 mL, role: solvent}\n", "")
    found = _one(findings_of(body), "PH101")
    assert "'DMSO' (dimethyl sulfoxide) melts at 18.4 °C" in found.message


# --- (8) gas evolution is visible -----------------------------------------------------------------

SWERN = """\
materials:
  DCM: {reagent: dichloromethane, amount: 25 mL, role: solvent}
  oxalyl: {reagent: oxalyl-chloride, amount: 1.05 mL, role: reactant}
  DMSO: {reagent: dimethyl-sulfoxide, amount: 1.70 mL, role: oxidant}
  alcohol: {reagent: cyclohexanol, amount: 1.002 g, role: substrate}
  Et3N: {reagent: triethylamine, amount: 7.0 mL, role: base}
vessels:
  flask: {kind: three-neck flask, volume: 100 mL, %s}
steps:
  - {action: add, materials: [DCM, oxalyl], to: flask, temperature: -78 degC}
  - {action: add, materials: [DMSO], to: flask, over: 5 min, keep_below: -60 degC}
  - {action: add, materials: [alcohol], to: flask, over: 5 min}
  - {action: add, materials: [Et3N], to: flask}
  - {action: warm, vessel: flask, temperature: 25 degC, over: 1 h, product: ketone}
products:
  ketone:
    name: cyclohexanone
    formula: C6H10O
    reaction:
      reactants: {alcohol: 1, oxalyl: 1, DMSO: 1, Et3N: 2}
      byproducts: {CO: 1, CO2: 1, C2H6S: 1, C6H16ClN: 2}
"""
N_ALCOHOL = 1.002 / (6 * C + 12 * H + OX)  # 10.00 mmol: the extent of the oxidation


def test_example_8_swern_co_and_co2_in_a_sealed_flask() -> None:
    result = validate_body(SWERN % "closed: true")
    found = _one(result, "GS108")
    for gas in ("carbon monoxide", "carbon dioxide"):
        mmol = _number(rf"{gas} \((?:up to )?([0-9.]+) mmol", found.message)
        assert mmol == pytest.approx(1e3 * N_ALCOHOL, rel=5e-3)
    hz113 = _one(result, "HZ113")  # and CO is toxic: no fume hood named
    assert "carbon monoxide" in hz113.message


def test_example_8_the_sheet_says_what_gas_a_step_gives_off() -> None:
    result = validate_body(SWERN % "atmosphere: nitrogen")
    assert not with_code(result, "GS108")
    sheet = render_sheet(result, _base(result), "md")
    assert "Gives off carbon monoxide" in sheet
    assert "carbon dioxide" in sheet


def test_example_8_bicarbonate_wash_of_an_acid_in_a_stoppered_funnel() -> None:
    found = _one(findings_of("""\
        materials:
          HCl: {reagent: hydrogen-chloride, concentration: 1 M, solvent: water, amount: 10 mL,
                role: acid}
          Et2O: {reagent: diethyl-ether, amount: 20 mL, role: solvent}
          bicarb: {reagent: sodium-bicarbonate, concentration: saturated, solvent: water,
                   amount: 20 mL, role: wash}
        vessels:
          funnel: {kind: separatory funnel, volume: 250 mL}
        steps:
          - {action: add, materials: [HCl, Et2O], to: funnel}
          - {action: extract, from: funnel, solvent: bicarb, times: 1, keep: organic}
        """), "GS109")
    # saturated: the bicarbonate's amount is not computed, so neither is the CO2's
    assert "carbon dioxide (amount not known, acid 'HCl' + bicarbonate 'bicarb')" \
        in found.message


def test_example_8_hydride_quenched_by_acid_in_a_sealed_vial() -> None:
    findings = findings_of("""\
        materials:
          NaBH4: {reagent: sodium-borohydride, amount: 0.378 g, role: reductant}
          HCl: {reagent: hydrogen-chloride, concentration: 1 M, solvent: water, amount: 20 mL,
                role: acid}
        vessels:
          vial: {kind: screw-cap vial, volume: 40 mL, closed: true}
        steps:
          - {action: add, materials: [NaBH4], to: vial}
          - {action: add, materials: [HCl], to: vial, note: in the fume hood}
        """)
    found = _one(findings, "GS108")
    # 4 H2 per NaBH4: 0.378 g / 37.83 g/mol × 4 = 40.0 mmol
    n_h2 = 4 * 0.378 / (22.990 + 10.81 + 4 * H)
    assert _number(r"hydrogen \((?:up to )?([0-9.]+) mmol", found.message) == pytest.approx(
        1e3 * n_h2, rel=5e-3)
    assert "in sealed vessel 'vial': hydrogen is given off" in _one(findings, "HZ108").message


# --- (9) pyrophoric under air; quenched means gone ----------------------------------------------

ORGANOLITHIUM = """\
materials:
  THF: {reagent: tetrahydrofuran, amount: 20 mL, role: solvent}
  nBuLi: {reagent: n-butyllithium, concentration: 2.5 M, solvent: hexane, amount: 4.4 mL,
          role: reactant}
  NH4Cl: {reagent: ammonium-chloride, concentration: saturated, solvent: water, amount: 10 mL,
          role: acid}
vessels:
  flask: {kind: Schlenk flask, volume: 100 mL%s}
  rbf: {kind: round-bottom flask, volume: 100 mL}
steps:
  - {action: add, materials: [THF, nBuLi], to: flask}
%s  - {action: transfer, from: flask, into: rbf}
  - {action: heat, vessel: rbf, temperature: 50 degC, duration: 10 min, reflux: true}
"""
QUENCH = "  - {action: add, materials: [NH4Cl], to: flask, note: in the fume hood}\n"


def test_example_9_n_butyllithium_under_air() -> None:
    found = _one(findings_of(ORGANOLITHIUM % ("", QUENCH)), "HZ112")
    assert "'nBuLi' (n-butyllithium, pyrophoric, H250) is in 'flask'" in found.message
    assert found.path == ("steps", 0)


def test_example_9_quenched_it_is_no_longer_reported() -> None:
    findings = findings_of(ORGANOLITHIUM % (", atmosphere: argon", QUENCH))
    assert not with_code(findings, "HZ112")  # the rbf is under air, but the BuLi is gone
    heated = with_code(findings, "HZ110")
    assert heated  # THF and the hexane are still there and flammable
    assert not [f for f in heated if "n-butyllithium" in f.message]


def test_example_9_contrast_not_quenched_it_is_heated_and_taken_into_air() -> None:
    findings = findings_of(ORGANOLITHIUM % (", atmosphere: argon", ""))
    assert "'nBuLi' (n-butyllithium" in _one(findings, "HZ112").message
    assert [f for f in with_code(findings, "HZ110") if "n-butyllithium" in f.message]


# --- (10) the main product is the reference for equivalents and --target -------------------------

AMIDE = """\
materials:
  acid: {reagent: benzoic-acid, amount: 1.221 g, role: substrate}
  oxalyl: {reagent: oxalyl-chloride, amount: 1.05 mL, role: reactant}
  amine: {reagent: butylamine, amount: 1.097 g, role: reactant}
  DCM: {reagent: dichloromethane, amount: 20 mL, role: solvent}
vessels:
  flask: {kind: flask, volume: 100 mL, atmosphere: nitrogen}
steps:
  - {action: add, materials: [DCM, acid, oxalyl], to: flask}
  - {action: stir, vessel: flask, duration: 2 h, product: chloride, note: in a fume hood}
  - {action: add, materials: [amine], to: flask, note: in a fume hood}
  - {action: stir, vessel: flask, duration: 1 h, product: amide, note: in a fume hood}
products:
  chloride:
    name: benzoyl chloride
    kind: intermediate
    formula: C7H5ClO
    reaction: {reactants: {acid: 1, oxalyl: 1}, byproducts: {CO: 1, CO2: 1, HCl: 1}}%s
  amide:
    name: N-butylbenzamide
    formula: C11H15NO
    reaction:
      # PhCO2H + (COCl)2 + 2 BuNH2 → PhCONHBu + CO + CO2 + HCl + BuNH3Cl
      reactants: {acid: 1, oxalyl: 1, amine: 2}
      byproducts: {CO: 1, CO2: 1, HCl: 1, C4H12ClN: 1}%s
"""
N_ACID = 1.221 / (7 * C + 6 * H + 2 * OX)  # 10.00 mmol
N_OXALYL = 1.05 * 1.478 / (2 * C + 2 * CL + 2 * OX)  # 1.478 g/mL (Sigma-Aldrich): 12.23 mmol
N_AMINE = 1.097 / (4 * C + 11 * H + N)  # 15.00 mmol; 2 per amide: 7.50 mmol of amide at most


def _equivalents(base: VariantResult) -> dict[str, float]:
    rows = material_rows(base.amounts, protocol=base.protocol)  # type: ignore[arg-type]
    return {row.id: float(row.equivalents) for row in rows if row.equivalents}


@pytest.mark.parametrize("marked", [False, True], ids=["made last", "main: true"])
def test_example_10_equivalents_and_target_against_the_main_product(marked: bool) -> None:
    base = _base(validate_body(AMIDE % ("", "\n    main: true" if marked else "")))
    assert base.amounts is not None
    assert base.amounts.main_product == "amide"
    # The amide's limiting reagent is the amine (15.00 mmol): the reference, 1 equivalent.
    assert _equivalents(base) == pytest.approx({
        "acid": N_ACID / N_AMINE, "oxalyl": N_OXALYL / N_AMINE, "amine": 1.0}, abs=5e-3)
    # --target 3.75 mmol of the amide's theoretical 7.50 mmol: half the batch.
    scaling = factor_for_target(base.protocol, base.amounts, parse_target("3.75 mmol"))  # type: ignore[arg-type]
    assert float(scaling.factor) == pytest.approx(3.75e-3 / (N_AMINE / 2), rel=1e-4)
    assert "of amide" in scaling.basis


def test_example_10_main_true_wins_over_made_last() -> None:
    base = _base(validate_body(AMIDE % ("\n    main: true", "")))
    assert base.amounts is not None
    assert base.amounts.main_product == "chloride"
    # Against the acid chloride's limiting acid (10.00 mmol): the amine is 1.50 equivalents.
    assert _equivalents(base)["amine"] == pytest.approx(N_AMINE / N_ACID, abs=5e-3)


GRIGNARD = """\
materials:
  Mg: {reagent: magnesium, amount: 0.535 g, role: reactant}
  PhBr: {reagent: bromobenzene, amount: 2.11 mL, role: reactant}
  Ph2CO: {reagent: benzophenone, amount: 3.28 g, role: reactant}
  Et2O: {reagent: diethyl-ether, amount: 35 mL, role: solvent}
  HCl: {reagent: hydrogen-chloride, concentration: 3.0 M, solvent: water, amount: 25 mL,
        role: acid}
vessels:
  flask: {kind: three-neck flask, volume: 100 mL, atmosphere: nitrogen}
steps:
  - {action: add, materials: [Mg, Et2O, PhBr], to: flask}
  - {action: heat, vessel: flask, temperature: 40 degC, reflux: true, duration: 30 min,
     product: PhMgBr}
  - {action: add, materials: [Ph2CO], to: flask}
  - {action: add, materials: [HCl], to: flask, note: in the fume hood}
  - {action: stir, vessel: flask, duration: 10 min, product: Ph3COH}
products:
  PhMgBr:
    name: phenylmagnesium bromide
    kind: intermediate
    formula: C6H5BrMg
    reaction: {reactants: {PhBr: 1, Mg: 1}}
  Ph3COH:
    name: triphenylmethanol
    formula: C19H16O
    reaction:
      reactants: {PhBr: 1, Mg: 1, Ph2CO: 1, HCl: 1}
      byproducts: {MgBrCl: 1}
"""


def test_example_10_the_grignard_of_the_issue() -> None:
    base = _base(validate_body(GRIGNARD))
    assert base.amounts is not None
    # Benzophenone 3.28 g / 182.22 g/mol = 18.0 mmol limits (PhBr 2.11 mL × 1.488 g/mL /
    # 157.01 g/mol = 20.0 mmol, Mg 22.0 mmol).
    n_ketone = 3.28 / (13 * C + 10 * H + OX)
    n_phbr = 2.11 * 1.48771 / (6 * C + 5 * H + BR)  # 1.48771 g/mL: VDI PPDS, as the library
    balance = base.amounts.balances["Ph3COH"]
    assert balance.limiting_materials == ("Ph2CO",)
    assert _equivalents(base)["PhBr"] == pytest.approx(n_phbr / n_ketone, abs=5e-3)  # 1.11
    scaling = factor_for_target(base.protocol, base.amounts, parse_target("9.0 mmol"))  # type: ignore[arg-type]
    assert float(scaling.factor) == pytest.approx(9.0e-3 / n_ketone, rel=1e-3)


def test_example_10_target_on_a_product_with_no_yield_is_a_clear_error() -> None:
    # The product is named at a step before its amine is added: nothing of it can form.
    body = AMIDE.replace("product: chloride, note", "product: amide, note").replace(
        "  - {action: stir, vessel: flask, duration: 1 h, product: amide, note: in a fume hood}\n",
        "") % ("", "")
    base = _base(validate_body(body))
    assert base.amounts is not None
    theoretical = base.amounts.balances["amide"].theoretical_moles
    assert theoretical is not None
    assert theoretical.nominal == 0
    with pytest.raises(ScaleError):
        factor_for_target(base.protocol, base.amounts, parse_target("1 mmol"))  # type: ignore[arg-type]
