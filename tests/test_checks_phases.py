"""Phase checks (PH1xx): each expected number is computed here from its own sourced constants."""

from __future__ import annotations

import math
import re

import pytest

from protocol_text import findings_of, with_code

R = 8.314462618  # J/(mol·K), CODATA 2018 (exact)
ATM_BAR = 1.01325  # 1 atm in bar, by definition
T0 = 273.15  # K at 0 °C
AMBIENT_K = 298.15  # the 25 °C a vessel is at before any step sets it

# Butane-1,4-diamine: mp 300.65 K (chemicals 1.5.2 Tm, Open Notebook melting point data, as the
# library cites); density 0.877 g/mL at 25 °C (Sigma-Aldrich specification);
# M = 4·12.011 + 12·1.008 + 2·14.007 g/mol (IUPAC standard atomic weights).
BDA_MP_K = 300.65
BDA_DENSITY = 0.877
BDA_M = 4 * 12.011 + 12 * 1.008 + 2 * 14.007
# Walden's rule, ΔS_fus ≈ 56.5 J/(mol·K) (Walden 1908; Yalkowsky 1979).
WALDEN = 56.5
# Ethanol normal boiling point 351.57 K (CoolProp equation of state, via chemicals 1.5.2).
ETHANOL_BP_K = 351.57


def _ethanol_vapour_pressure_bar(t_k: float) -> float:
    """Antoine equation for ethanol, log10(P/bar) = A − B/(T/K + C), A = 5.37229,
    B = 1670.409, C = −40.191, valid 292.77–366.63 K (NIST Chemistry WebBook, from Kretschmer
    and Wiebe, J. Am. Chem. Soc. 71, 1793 (1949))."""
    return float(10 ** (5.37229 - 1670.409 / (t_k - 40.191)))


def _bar(message: str, label: str = "about") -> float:
    match = re.search(rf"{label} ?([0-9.]+) bar abs", message)
    assert match, message
    return float(match.group(1))


# --- PH101: solid at the step temperature ------------------------------------------------------

NEAT_BDA = """\
materials:
  BDA: {reagent: butanediamine, amount: 10 mL, role: ligand}
vessels:
  vial: {kind: vial, volume: 20 mL}
steps:
  - {action: add, materials: [BDA], to: vial, temperature: %s}
"""


def test_PH101_neat_diamine_at_25C_is_solid() -> None:
    (found,) = with_code(findings_of(NEAT_BDA % "25 degC"), "PH101")
    margin = BDA_MP_K - (T0 + 25)  # 2.5 K
    assert f"melts at {BDA_MP_K - T0:.1f} °C, {margin:.1f} K above" in found.message
    assert "nothing depresses its freezing point" in found.message
    assert found.severity.name == "WARNING"


def test_PH101_passes_above_the_melting_point() -> None:
    assert not with_code(findings_of(NEAT_BDA % "30 degC"), "PH101")


def test_PH101_solutes_depress_the_freezing_point_but_not_enough() -> None:
    findings = findings_of("""\
        materials:
          CdCl2: {reagent: cadmium-chloride, amount: 1.5 mmol, role: precursor}
          BDA: {reagent: butanediamine, amount: 10 mL, role: ligand}
        vessels:
          flask: {kind: flask, volume: 50 mL}
        steps:
          - {action: add, materials: [CdCl2, BDA], to: flask, temperature: 25 degC}
        """)
    (found,) = with_code(findings, "PH101")
    n_bda = 10 * BDA_DENSITY / BDA_M  # mol
    x = n_bda / (n_bda + 1.5e-3)
    # Ideal solution: ln x = −(ΔS_fus/R)(T_m − T)/T  ⇒  T = T_m / (1 − (R/ΔS_fus)·ln x)
    freezing = BDA_MP_K / (1 - R / WALDEN * math.log(x))
    assert f"mole fraction {100 * (1 - x):.2g} %" in found.message
    assert f"to about {freezing - T0:.1f} °C" in found.message
    assert "still above the step temperature" in found.message


def test_PH101_passes_once_dissolved_in_ethanol() -> None:
    findings = findings_of("""\
        materials:
          EtOH: {reagent: ethanol, amount: 20 mL, role: solvent}
          BDA: {reagent: butanediamine, amount: 1 mL, role: ligand}
        vessels:
          flask: {kind: flask, volume: 50 mL}
        steps:
          - {action: add, materials: [EtOH, BDA], to: flask, temperature: 35 degC}
          - {action: cool, vessel: flask, temperature: 25 degC}
        """)
    assert not with_code(findings, "PH101")


# --- PH102: boiling in an open vessel ----------------------------------------------------------

OPEN_ETHANOL = """\
materials:
  EtOH: {reagent: ethanol, amount: 10 mL, role: solvent}
vessels:
  flask: {kind: round-bottom flask, volume: 50 mL}
steps:
  - {action: add, materials: [EtOH], to: flask}
  - {action: heat, vessel: flask, temperature: %s}
"""


def test_PH102_ethanol_heated_open_above_its_boiling_point() -> None:
    (found,) = with_code(findings_of(OPEN_ETHANOL % "100 degC"), "PH102")
    assert f"boils at {ETHANOL_BP_K - T0:.1f} °C" in found.message
    assert f"{T0 + 100 - ETHANOL_BP_K:.1f} K above it" in found.message  # 21.6 K
    assert found.severity.name == "ERROR"


def test_PH102_passes_below_the_boiling_point() -> None:
    assert not with_code(findings_of(OPEN_ETHANOL % "70 degC"), "PH102")


# --- PH103–PH107: pressure in a sealed vessel --------------------------------------------------

SEALED_ETHANOL = """\
materials:
  EtOH: {reagent: ethanol, amount: 5 mL, role: solvent}
vessels:
  tube: {kind: pressure tube, volume: 25 mL, closed: true%s}
steps:
  - {action: add, materials: [EtOH], to: tube}
  - {action: heat, vessel: tube, temperature: 90 degC}
"""


def _sealed_ethanol_bar() -> float:
    """Ethanol's vapour pressure at 90 °C plus the air sealed in at 25 °C, heated at constant
    volume to 90 °C. At sealing the headspace is at 1 atm in all, of which ethanol's vapour
    pressure at 25 °C is ethanol: the air is 1 atm less that, p_air(T) = p_air(25 °C)·T/T0."""
    t_k = T0 + 90
    air_at_seal = ATM_BAR - _ethanol_vapour_pressure_bar(AMBIENT_K)  # ≈ 0.935 bar
    return _ethanol_vapour_pressure_bar(t_k) + air_at_seal * t_k / AMBIENT_K  # ≈ 1.585 + 1.139


def test_PH105_sealed_pressure_well_inside_the_rating() -> None:
    findings = findings_of(SEALED_ETHANOL % ", pressure_rating: 3 bar gauge")
    (found,) = with_code(findings, "PH105")
    assert _bar(found.message) == pytest.approx(_sealed_ethanol_bar(), rel=0.03)
    assert "Raoult's law" in found.message
    # The headspace gas is the vessel's atmosphere (air unless it says otherwise).
    assert "air sealed in at 25.0 °C" in found.message
    rating = 3 + ATM_BAR
    assert f"{100 * _sealed_ethanol_bar() / rating:.0f} % of its rating" in found.message
    assert not with_code(findings, "PH103")
    assert not with_code(findings, "PH104")


def test_PH104_sealed_pressure_within_20_percent_of_the_rating() -> None:
    findings = findings_of(SEALED_ETHANOL % ", pressure_rating: 2 bar gauge")
    (found,) = with_code(findings, "PH104")
    assert 0.8 < _sealed_ethanol_bar() / (2 + ATM_BAR) <= 1.0  # ≈ 94 %
    assert _bar(found.message) == pytest.approx(_sealed_ethanol_bar(), rel=0.03)
    assert not with_code(findings, "PH103")


def test_PH103_sealed_pressure_above_the_rating() -> None:
    findings = findings_of(SEALED_ETHANOL % ", pressure_rating: 1 bar gauge")
    (found,) = with_code(findings, "PH103")
    assert _sealed_ethanol_bar() > 1 + ATM_BAR
    assert _bar(found.message) == pytest.approx(_sealed_ethanol_bar(), rel=0.03)
    assert found.severity.name == "ERROR"


def test_PH106_sealed_and_heated_with_no_rating() -> None:
    findings = findings_of(SEALED_ETHANOL % "")
    (found,) = with_code(findings, "PH106")
    assert _bar(found.message) == pytest.approx(_sealed_ethanol_bar(), rel=0.03)
    assert not with_code(findings, "PH105")


def test_PH106_passes_when_the_heated_vessel_states_its_rating() -> None:
    # The same tube heated to 90 °C, with its rating: the 2.82 bar abs bound is compared with
    # 3 bar gauge + 1.01325 bar = 4.01 bar abs instead (PH105), nothing is missing.
    findings = findings_of(SEALED_ETHANOL % ", pressure_rating: 3 bar gauge")
    assert not with_code(findings, "PH106")
    assert with_code(findings, "PH105")


@pytest.mark.parametrize(("celsius", "warns"), [
    # Air sealed in at 25 °C and 1 atm, heated at constant volume, plus water's vapour less
    # what was sealed in with it (IAPWS: 3.17 kPa at 25 °C, 6.28 at 37, 47.4 at 80):
    # 37 °C: 1.01325 × 310.15/298.15 + 0.0628 − 0.0317 ≈ 1.085 bar abs, within 0.2 bar.
    (37, False),
    # 80 °C: 1.01325 × 353.15/298.15 + 0.474 − 0.0317 ≈ 1.64 bar abs: a rating is needed.
    (80, True),
])
def test_PH106_a_vial_warmed_a_little_needs_no_rating(celsius: int, warns: bool) -> None:
    findings = findings_of(f"""\
        materials:
          water: {{reagent: water, amount: 5 mL, role: solvent}}
        vessels:
          vial: {{kind: screw-cap vial, volume: 20 mL, closed: true}}
        steps:
          - {{action: add, materials: [water], to: vial}}
          - {{action: stir, vessel: vial, temperature: {celsius} degC, duration: 1 h}}
        """)
    assert bool(with_code(findings, "PH106")) is warns
    assert bool(with_code(findings, "PH105")) is not warns


def test_PH106_passes_for_a_sealed_vessel_that_is_not_heated() -> None:
    findings = findings_of("""\
        materials:
          EtOH: {reagent: ethanol, amount: 5 mL, role: solvent}
        vessels:
          tube: {kind: pressure tube, volume: 25 mL, closed: true}
        steps:
          - {action: add, materials: [EtOH], to: tube, temperature: 25 degC}
        """)
    assert not with_code(findings, "PH106")
    (found,) = with_code(findings, "PH105")
    # At 25 °C, sealed at 25 °C: ethanol's vapour plus the air beside it make 1 atm.
    expected = ATM_BAR
    assert _bar(found.message) == pytest.approx(expected, rel=0.03)


CHARGED = """\
materials:
  water: {reagent: water, amount: 10 mL, role: solvent}
  N2:
    reagent: nitrogen
    role: atmosphere
    gas: {mode: charge, pressure: 10 bar gauge, vessel: autoclave, temperature: 25 degC}
vessels:
  autoclave: {kind: Parr reactor, volume: 50 mL, closed: true, pressure_rating: 50 bar gauge}
steps:
  - {action: add, materials: [water], to: autoclave}
%s  - {action: heat, vessel: autoclave, temperature: 90 degC}
"""


def _charged_autoclave_bar() -> float:
    """10 bar gauge of N2 charged at 25 °C, heated at constant volume to 90 °C, plus water's
    vapour pressure at 90 °C.

    n = P1·V1/(Z·R·T1), then p2 = n·R·T2/V2 = P1·T2·V1/(Z·T1·V2). Z = 1 + B·P1/(R·T1) with
    B(N2, 298 K) = −4.5 cm³/mol (Dymond and Smith, The Virial Coefficients of Pure Gases,
    1980). The 10 mL of water grows to 10 × 997.05/965.31 = 10.329 mL at 90 °C (IAPWS-95
    densities), so the 40 mL headspace shrinks to 39.671 mL. Water's vapour pressure at 90 °C
    is 70.18 kPa (IAPWS-IF97).
    """
    p1 = (10 + ATM_BAR) * 1e5
    z = 1 + (-4.5e-6) * p1 / (R * AMBIENT_K)
    v1 = 50.0 - 10.0
    v2 = v1 - 10.0 * (997.05 / 965.31 - 1)
    p_gas = p1 * (T0 + 90) * v1 / (z * AMBIENT_K * v2) / 1e5
    return p_gas + 0.7018  # ≈ 14.25 bar abs


@pytest.mark.parametrize("charge_step", [
    "  - {action: pressurize, vessel: autoclave, gas: N2, pressure: 10 bar gauge}\n",
    "",  # no step charges it: the gas is taken to be in the headspace throughout
])
def test_PH105_charged_gas_heated_at_constant_volume(charge_step: str) -> None:
    findings = findings_of(CHARGED % charge_step)
    (found,) = with_code(findings, "PH105")
    assert _bar(found.message) == pytest.approx(_charged_autoclave_bar(), rel=0.01)
    assert "charged gas" in found.message
    assert "sealed in" not in found.message


def test_PH103_PH104_pass_well_inside_the_rating() -> None:
    findings = findings_of(CHARGED % "")
    rating = 50 + ATM_BAR  # 50 bar gauge = 51.01 bar abs
    assert _charged_autoclave_bar() / rating < 0.8  # ≈ 28 %
    assert not with_code(findings, "PH103")
    assert not with_code(findings, "PH104")
    (found,) = with_code(findings, "PH105")
    assert f"{100 * _charged_autoclave_bar() / rating:.0f} % of its rating" in found.message


def test_PH107_liquid_with_no_vapour_pressure_data() -> None:
    findings = findings_of("""\
        materials:
          oil:
            reagent: {name: mystery oil, formula: C18H38, density: 0.78 g/mL}
            amount: 5 mL
            role: solvent
        vessels:
          tube: {kind: pressure tube, volume: 25 mL, closed: true,
                 pressure_rating: 10 bar gauge}
        steps:
          - {action: add, materials: [oil], to: tube}
          - {action: heat, vessel: tube, temperature: 200 degC}
        """)
    (found,) = with_code(findings, "PH107")
    assert "oil" in found.message
    # Only the sealed-in air is counted: 1 atm × 473.15 K / 298.15 K = 1.61 bar.
    air_only = ATM_BAR * (T0 + 200) / AMBIENT_K
    assert _bar(found.message, r"pressure \(") == pytest.approx(air_only, rel=0.01)


def test_PH107_passes_with_vapour_pressure_data() -> None:
    assert not with_code(findings_of(SEALED_ETHANOL % ", pressure_rating: 3 bar gauge"), "PH107")


# --- PH108, PH109: how full a vessel is --------------------------------------------------------

FILL = """\
materials:
  EtOH: {reagent: ethanol, amount: %s, role: solvent}
vessels:
  flask: {kind: round-bottom flask, volume: 25 mL%s}
steps:
  - {action: add, materials: [EtOH], to: flask}
  - {action: heat, vessel: flask, temperature: 60 degC}
"""


def test_PH108_more_liquid_than_the_vessel_holds() -> None:
    findings = findings_of(FILL % ("30 mL", ""))
    (found,) = with_code(findings, "PH108")
    assert f"{100 * 30 / 25:.0f} % full" in found.message  # 120 %
    assert not with_code(findings, "PH109")


@pytest.mark.parametrize(("amount", "overfilled"), [
    # 25.5 mL in 25 mL: 102 %, within the 3 % a sum of parts' volumes may be off by (50 mL
    # of ethanol and 50 mL of water make 96.4 mL): no PH108, but far too full to heat.
    ("25.5 mL", False),
    # 26 mL: 104 %, an overfill whatever the mixing.
    ("26 mL", True),
])
def test_PH108_a_sum_at_the_brim_is_within_mixing(amount: str, overfilled: bool) -> None:
    findings = findings_of(FILL % (amount, ""))
    assert bool(with_code(findings, "PH108")) is overfilled
    assert bool(with_code(findings, "PH109")) is not overfilled


def test_PH108_the_vessel_it_asks_for_holds_the_liquid_or_two_thirds_if_heated() -> None:
    """30 mL in a 25 mL flask: heated (FILL heats to 60 °C), a 45 mL vessel keeps it at
    two-thirds (30 / (2/3)); never heated, a 30 mL one holds it."""
    (heated,) = with_code(findings_of(FILL % ("30 mL", "")), "PH108")
    assert "at least 45 mL (two-thirds full, as it is heated)" in heated.hint
    cold = FILL.replace("  - {action: heat, vessel: flask, temperature: 60 degC}\n", "")
    (found,) = with_code(findings_of(cold % ("30 mL", "")), "PH108")
    assert "use a vessel of at least 30 mL, or split the batch" in found.hint


def test_PH109_heated_open_flask_over_two_thirds_full() -> None:
    (found,) = with_code(findings_of(FILL % ("20 mL", "")), "PH109")
    assert f"{100 * 20 / 25:.0f} % full" in found.message  # 80 % > 67 %
    assert "at most 67 % full" in found.message


def test_PH109_a_flask_warmed_well_below_the_boil_may_be_fuller() -> None:
    """80 % full at 30 °C: ethanol's vapour pressure there is 10.5 kPa (Antoine, NIST:
    log10 p/bar = 5.24677 - 1598.673 / (T - 46.424), T = 303.15 K → 0.105 bar), far from the
    boil, so nothing is thrown out; at 60 °C it is 0.47 bar, past a quarter of an
    atmosphere (0.253 bar), and the two-thirds rule applies (the test above)."""
    warm = FILL.replace("temperature: 60 degC", "temperature: 30 degC")
    assert not with_code(findings_of(warm % ("20 mL", "")), "PH109")
    # 45 °C: 0.23 bar, still under a quarter of an atmosphere; 50 °C: 0.30 bar, over
    assert not with_code(findings_of(FILL.replace("60 degC", "45 degC") % ("20 mL", "")),
                         "PH109")
    assert with_code(findings_of(FILL.replace("60 degC", "50 degC") % ("20 mL", "")), "PH109")


def test_PH109_sealed_vessel_over_three_quarters_full() -> None:
    body = FILL % ("20 mL", ", closed: true, pressure_rating: 20 bar gauge")
    (found,) = with_code(findings_of(body), "PH109")
    assert "a vessel sealed and heated should be at most 75 % full" in found.message


def test_PH108_PH109_pass_at_forty_percent() -> None:
    findings = findings_of(FILL % ("10 mL", ""))
    assert not with_code(findings, "PH108")
    assert not with_code(findings, "PH109")


SPLIT = """\
materials:
  EtOH: {reagent: ethanol, amount: 68 mL, role: solvent}
vessels:
  flask: {kind: round-bottom flask, volume: 100 mL}
  tubes: {kind: centrifuge tube, volume: 50 mL%s}
steps:
  - {action: add, materials: [EtOH], to: flask}
  - {action: transfer, from: flask, into: tubes}
"""


def test_PH108_contents_shared_between_tubes() -> None:
    # 68 mL does not fit one 50 mL tube (136 %), but fits two (68 / 100 = 68 %).
    (found,) = with_code(findings_of(SPLIT % ""), "PH108")
    assert f"{100 * 68 / 50:.0f} % full" in found.message
    assert not with_code(findings_of(SPLIT % ", count: 2"), "PH108")
    (three,) = with_code(findings_of(SPLIT.replace("68 mL", "120 mL").replace(
        "volume: 100 mL", "volume: 250 mL") % ", count: 2"), "PH108")
    assert f"{100 * 120 / 100:.0f} % full" in three.message  # 120 mL in 2 × 50 mL
    assert "(2 vessels together)" in three.message
