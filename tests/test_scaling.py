"""Scaling: what scales, what does not, targets, and the SH bench checks."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

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
from benchsheet.validate import validate_file

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
