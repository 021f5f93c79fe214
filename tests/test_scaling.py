"""Scaling: what scales, what does not, targets, and the SH bench checks."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from benchsheet.findings import Finding
from benchsheet.model import steps as st
from benchsheet.reagents.library import load_library
from benchsheet.scaling import (
    ScaleError,
    bench_findings,
    factor_for_target,
    parse_factor,
    parse_target,
    scale_protocol,
    scale_variant,
)
from benchsheet.validate import validate_file, validate_text
from protocol_text import HEADER

REPO = Path(__file__).resolve().parents[1]
MN_CDSE13 = REPO / "protocols" / "mn-cdse13-bda-msc.yaml"
CO2_PO = REPO / "protocols" / "co2-po-cycloaddition.yaml"


def test_amounts_scale_temperatures_and_times_do_not() -> None:
    base = validate_file(MN_CDSE13).base
    assert base is not None
    assert base.protocol is not None
    scaled = scale_protocol(base.protocol, Decimal(2))
    assert str(scaled.materials["CdCl2"].amount) == "3.0 mmol"
    assert str(scaled.materials["BDA_metal"].amount) == "20 mL"
    assert scaled.materials["CdCl2"].purity == base.protocol.materials["CdCl2"].purity
    heat = scaled.steps[1]
    assert isinstance(heat, st.Heat)
    assert str(heat.temperature) == "120 degC"
    assert str(heat.duration) == "2 h"
    wash = scaled.steps[-1]
    assert isinstance(wash, st.Wash)
    assert wash.times == 2


def test_target_of_clusters_reads_the_theoretical_yield() -> None:
    base = validate_file(MN_CDSE13).base
    assert base is not None
    assert base.protocol is not None
    assert base.amounts is not None
    scaling = factor_for_target(base.protocol, base.amounts, parse_target("0.05 mmol"))
    # Clusters now: 1.5 mmol Cd × 1.05 (Cd is 1/1.05 of a formula unit) ÷ 13 = 0.121154 mmol.
    assert float(scaling.factor) == pytest.approx(0.05 / (1.5 * 1.05 / 13), rel=1e-5)
    assert "clusters" in scaling.basis


def test_bad_factors_and_targets() -> None:
    with pytest.raises(ScaleError):
        parse_factor("0")
    with pytest.raises(ScaleError):
        parse_factor("two")
    with pytest.raises(ScaleError, match=r"wanted amount must be positive|cannot be negative"):
        parse_target("CdCl2=0 mmol")
    with pytest.raises(ScaleError, match="an amount of substance"):
        parse_target("3 degC")


def test_SH001_mass_below_what_a_balance_weighs() -> None:
    result = validate_file(MN_CDSE13)
    base = result.base
    assert base is not None
    assert base.protocol is not None
    assert base.amounts is not None
    found = bench_findings(result.document, base.protocol, base.amounts, "")
    # MnCl2 0.075 mmol × 125.84 g/mol = 9.44 mg < 10 mg; CdCl2 275 mg and Se 355 mg are fine.
    assert [(f.code, f.path[1]) for f in found] == [("SH001", "MnCl2")]


def test_SH002_volume_below_what_a_pipette_delivers() -> None:
    result = validate_file(MN_CDSE13)
    assert result.base is not None
    small = scale_variant(result.document, result.base, Decimal("0.0001"), load_library())
    assert small.protocol is not None
    assert small.amounts is not None
    found = bench_findings(result.document, small.protocol, small.amounts, "")
    # TEP 3 mL × 1e-4 = 0.3 µL < 2 µL; BDA 5 mL × 1e-4 = 0.5 µL; EtOH 20 mL × 1e-4 = 2 µL is not.
    assert {f.path[1] for f in found if f.code == "SH002"} == {"TEP", "BDA_Se", "BDA_metal"}
    assert {f.path[1] for f in found if f.code == "SH001"} >= {"CdCl2", "MnCl2", "Se"}


def test_SH003_a_gas_charge_does_not_scale() -> None:
    result = validate_file(CO2_PO)
    base = result.base
    assert base is not None
    assert base.protocol is not None
    assert base.amounts is not None
    assert base.amounts.gases, "the CO2 + PO protocol charges CO2 into a closed reactor"
    doubled = scale_variant(result.document, base, Decimal(2), load_library())
    assert doubled.amounts is not None
    codes = [f.code for f in bench_findings(result.document, base.protocol, doubled.amounts,
                                            "", Decimal(2))]
    assert "SH003" in codes
    assert "SH003" not in [f.code for f in bench_findings(result.document, base.protocol,
                                                          base.amounts, "")]


# --- SH001–SH003 on protocols written here, each number by hand ------------------------------

# Anhydrous MnCl2: 54.938043 + 2 × 35.453 g/mol (IUPAC/CIAAW 2021 standard atomic weights; Cl
# from its interval [35.446, 35.457], the value the formula library applies).
MNCL2_M = 54.938043 + 2 * 35.453  # 125.844 g/mol
SALT_AND_SOLVENT = HEADER + """\
materials:
  MnCl2: {reagent: manganese(II) chloride, form: anhydrous, amount: 10 mmol, role: precursor}
  EtOH: {reagent: ethanol, amount: 1 mL, role: solvent}
vessels:
  flask: {kind: round-bottom flask, volume: 50 mL}
steps:
  - {action: add, materials: [MnCl2, EtOH], to: flask}
"""


def _scaled_bench(text: str, factor: Decimal) -> list[Finding]:
    """The SH findings of ``text`` scaled by ``factor``, through amounts and checks again."""
    result = validate_text(text)
    assert result.base is not None
    scaled = scale_variant(result.document, result.base, factor, load_library())
    assert scaled.protocol is not None
    assert scaled.amounts is not None
    return bench_findings(result.document, scaled.protocol, scaled.amounts, "", factor)


def _number(message: str, unit: str) -> float:
    match = re.search(rf"([\d.]+) {unit} is below", message)
    assert match, message
    return float(match.group(1))


def test_SH001_SH002_pass_well_above_the_bench_limits() -> None:
    # ×0.01: MnCl2 0.1 mmol × 125.844 g/mol = 12.58 mg ≥ 10 mg (100 × the 0.1 mg reading);
    # EtOH 1 mL × 0.01 = 10 µL ≥ 2 µL (the P2 pipette's top).
    assert 0.1 * MNCL2_M >= 10
    assert 1e3 * 0.01 >= 2
    assert _scaled_bench(SALT_AND_SOLVENT, Decimal("0.01")) == []


def test_SH001_SH002_below_the_bench_limits() -> None:
    # ×0.001: MnCl2 0.01 mmol × 125.844 g/mol = 1.258 mg < 10 mg; EtOH 1 µL < 2 µL.
    found = {f.code: f for f in _scaled_bench(SALT_AND_SOLVENT, Decimal("0.001"))}
    assert set(found) == {"SH001", "SH002"}
    assert found["SH001"].path == ("materials", "MnCl2", "amount")
    assert _number(found["SH001"].message, "mg") == pytest.approx(0.01 * MNCL2_M, rel=1e-3)
    assert found["SH002"].path == ("materials", "EtOH", "amount")
    assert _number(found["SH002"].message, "µL") == pytest.approx(1.0, rel=1e-3)


CO2_CHARGE = HEADER + """\
materials:
  PO: {reagent: propylene oxide, amount: 3 mL, role: substrate}
  CO2:
    reagent: carbon dioxide
    role: reactant
    gas: {mode: charge, pressure: 3 bar gauge, vessel: reactor, temperature: 25 degC,
          replenished: REPLENISHED}
vessels:
  reactor: {kind: Parr reactor, volume: 150 mL, closed: true, pressure_rating: 100 bar gauge}
steps:
  - {action: add, materials: [PO], to: reactor}
  - {action: pressurize, vessel: reactor, gas: CO2, pressure: 3 bar gauge}
  - {action: heat, vessel: reactor, temperature: 70 degC, duration: 6 h}
"""


def test_SH003_single_charge_scaled_by_two() -> None:
    (found,) = _scaled_bench(CO2_CHARGE.replace("REPLENISHED", "false"), Decimal(2))
    assert found.code == "SH003"
    assert found.path == ("materials", "CO2", "gas")
    assert "(×2 applies to the other amounts only)" in found.message


def test_SH003_passes_at_a_factor_of_one() -> None:
    assert _scaled_bench(CO2_CHARGE.replace("REPLENISHED", "false"), Decimal(1)) == []


def test_SH003_passes_for_a_replenished_charge() -> None:
    # Topped up from the cylinder during the run, the CO2 follows what the doubled PO takes:
    # the remedy the SH003 hint itself gives ("or recharge the gas").
    assert _scaled_bench(CO2_CHARGE.replace("REPLENISHED", "true"), Decimal(2)) == []


def test_SH003_passes_for_a_gas_flow() -> None:
    text = HEADER + """\
materials:
  EtOH: {reagent: ethanol, amount: 10 mL, role: solvent}
  CO2:
    reagent: carbon dioxide
    role: reactant
    gas: {mode: flow, flow_rate: 20 mL/min, duration: 1 h}
vessels:
  flask: {kind: round-bottom flask, volume: 50 mL}
steps:
  - {action: add, materials: [EtOH], to: flask}
  - {action: bubble, gas: CO2, into: flask, duration: 1 h, note: in a fume hood}
"""
    assert _scaled_bench(text, Decimal(2)) == []
