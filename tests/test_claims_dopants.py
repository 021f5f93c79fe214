"""Nominal and measured dopant fractions (CL111, ST101) and dopant atoms per cluster (CL110).

The paper's case (Baek et al., Nat. Mater. 2021): Mn at 5 % of the host cations of (CdSe)13,
fed as 0.075 mmol MnCl2 on 1.5 mmol CdCl2. The other field: Ag-doped Au25(SR)18 clusters.
"""

from __future__ import annotations

import re

import pytest

from benchsheet.findings import Finding
from benchsheet.validate import FileResult
from protocol_text import MN_DOPANT, doped_cluster, validate_body, with_code


def _cluster(dopant: str = MN_DOPANT, claims: str = "") -> str:
    return doped_cluster(dopant=dopant, claims=claims)


def _percents(finding: Finding) -> list[float]:
    return [float(x) for x in re.findall(r"([\d.]+) %", finding.message)]


def _binomial(sites: int, p: float) -> tuple[float, float, float]:
    none = (1 - p) ** sites
    one = sites * p * (1 - p) ** (sites - 1)
    return none, one, 1 - none - one


def test_CL110_paper_5_percent_Mn_over_13_sites() -> None:
    # 5 % of the host is p = 0.05 / 1.05 = 4.76 % of the 13 cation sites: mean 0.619 Mn;
    # P(0) = 0.9524^13 = 53.0 %, P(1) = 13 p 0.9524^12 = 34.5 %, P(≥2) = 12.5 %.
    p = 0.05 / 1.05
    none, one, more = _binomial(13, p)
    assert (none, more) == (pytest.approx(0.530, abs=5e-4), pytest.approx(0.125, abs=5e-4))
    (found,) = with_code(validate_body(_cluster()), "CL110")
    numbers = _percents(found)
    assert numbers[0] == pytest.approx(100 * p, abs=0.005)
    assert numbers[1:4] == [pytest.approx(100 * x, abs=0.05) for x in (none, one, more)]
    # Poisson with λ = 13 p: e^−λ = 53.8 %
    assert numbers[4] == pytest.approx(100 * 2.718281828 ** (-13 * p), abs=0.05)
    assert "0.619 per cluster" in found.message
    assert found.yaml_path == "products.msc.composition.dopant"


def test_CL110_printed_on_a_per_cluster_claim() -> None:
    claims = """claims:
          mn_pl: {kind: measured, quantity: Mn2+ PLQY, reported: 72 %, sample: msc,
                  per_cluster: true}"""
    (found,) = with_code(validate_body(_cluster(claims=claims)), "CL110")
    assert found.yaml_path == "claims.mn_pl"
    assert "claim 'mn_pl' is per cluster" in found.message


def test_CL111_measured_fraction_beside_the_nominal() -> None:
    # ICP finds 3.1 % of the host: 0.031/1.031 = 3.007 % of all cation sites, against the feed's
    # 4.762 %: 63.1 % of the nominal. The nominal still matches the feed, so no ST101.
    dopant = ("{element: Mn, fraction: 5 %, basis: host-cation, "
              "measured: {fraction: 3.1 %, method: ICP-AES}}")
    result = validate_body(_cluster(dopant))
    assert not with_code(result, "ST101")
    (found,) = with_code(result, "CL111")
    measured, nominal = 0.031 / 1.031, 0.05 / 1.05
    assert "ICP-AES" in found.message
    assert _percents(found)[-3:] == [pytest.approx(100 * measured, abs=0.005),
                                     pytest.approx(100 * nominal, abs=0.005),
                                     pytest.approx(100 * measured / nominal, abs=0.05)]
    # The spread over clusters is of what they hold: P(0) = (1 − 0.03007)^13 = 67.3 %.
    (spread,) = with_code(result, "CL110")
    assert "measured (ICP-AES)" in spread.message
    assert _percents(spread)[1] == pytest.approx(100 * _binomial(13, measured)[0], abs=0.05)


def test_ST101_measured_value_written_as_nominal_points_to_measured() -> None:
    result: FileResult = validate_body(_cluster("{element: Mn, fraction: 3.1 %, "
                                                "basis: host-cation}"))
    (found,) = with_code(result, "ST101")
    assert "dopant.measured" in found.hint
    assert not with_code(result, "CL111")


# --- another field: Ag-doped Au25(SR)18 ---------------------------------------------------------

AU25 = """\
    materials:
      HAuCl4: {reagent: {name: tetrachloroauric acid, formula: HAuCl4}, amount: 0.24 mmol}
      AgNO3: {reagent: silver nitrate, amount: 0.01 mmol}
      PET: {reagent: {name: 2-phenylethanethiol, formula: C8H10S}, amount: 1.2 mmol}
    vessels:
      flask: {kind: round-bottom flask, volume: 50 mL}
    steps:
      - {action: add, materials: [HAuCl4, AgNO3, PET], to: flask}
    products:
      au25:
        name: Ag-doped Au25(PET)18
        kind: cluster
        composition:
          cations: {Au: 1}
          anions: {S: 0.72}
          nuclearity: 25
          dopant: {element: Ag, fraction: 4 %, basis: all-cations}
    """


def test_CL110_silver_in_gold_25_clusters() -> None:
    # 0.01 mmol Ag on 0.25 mmol metal: 4 % of 25 sites, one Ag per cluster on average;
    # P(0) = 0.96^25 = 36.0 %, P(1) = 25 × 0.04 × 0.96^24 = 37.5 %, P(≥2) = 26.4 %.
    none, one, more = _binomial(25, 0.04)
    result = validate_body(AU25)
    assert not with_code(result, "ST101")
    (found,) = with_code(result, "CL110")
    assert _percents(found)[1:4] == [pytest.approx(100 * x, abs=0.05) for x in (none, one, more)]
    assert "1 per cluster" in found.message
