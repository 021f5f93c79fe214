"""The bundled protocol library: every file loads, every variant validates with no unacknowledged
error, a few amounts are pinned against hand calculations, and the README lists every file."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from benchsheet.chemistry.amounts import AmountsTable
from benchsheet.expand import variant_specs
from benchsheet.findings import Severity
from benchsheet.loader import load_file
from benchsheet.validate import FileResult, VariantResult, validate_file

REPO_ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = REPO_ROOT / "protocols"
PROTOCOL_FILES = sorted(PROTOCOLS.glob("*.yaml"))
DOI = "10.1038/s41563-020-00880-6"


def _variant_names(path: Path) -> list[str]:
    doc = load_file(path)
    assert doc.data is not None, f"{path.name} does not load: {doc.findings}"
    return [spec.name for spec in variant_specs(doc.data)]


CASES = [(path, name) for path in PROTOCOL_FILES for name in _variant_names(path)]


@functools.cache
def _validated(path: Path) -> FileResult:
    return validate_file(path)


def _variant(file_name: str, name: str) -> VariantResult:
    result = _validated(PROTOCOLS / file_name)
    for variant in result.variants:
        if variant.name == name:
            return variant
    raise AssertionError(f"{file_name} has no variant {name!r}: "
                         f"{[v.name for v in result.variants]}")


def _amounts(file_name: str, name: str = "") -> AmountsTable:
    amounts = _variant(file_name, name).amounts
    assert amounts is not None
    return amounts


def _mmol(file_name: str, name: str, material: str) -> float:
    moles = _amounts(file_name, name).materials[material].moles
    assert moles is not None
    return 1e3 * moles.nominal


def test_the_library_is_there() -> None:
    assert len(PROTOCOL_FILES) >= 9
    assert (PROTOCOLS / "mn-cdse13-bda-msc.yaml").is_file()  # other tests use this id


@pytest.mark.parametrize("path", PROTOCOL_FILES, ids=lambda p: p.name)
def test_protocol_loads_and_cites_the_paper(path: Path) -> None:
    result = _validated(path)
    assert not result.document.findings, result.document.findings
    base = result.base
    assert base is not None
    assert base.protocol is not None
    assert base.protocol.source.doi == DOI
    assert base.protocol.source.section
    assert base.protocol.id == path.stem


@pytest.mark.parametrize(("path", "variant"), CASES,
                         ids=[f"{p.stem}:{v or 'base'}" for p, v in CASES])
def test_variant_validates_without_unacknowledged_errors(path: Path, variant: str) -> None:
    result = _variant(path.name, variant)
    assert result.protocol is not None, [str(f.message) for f in result.findings]
    errors = [f"{f.code} {f.yaml_path}: {f.message}" for f in result.findings
              if f.fails and f.severity >= Severity.ERROR]
    assert not errors


def test_every_acknowledgement_gives_a_reason_and_matches() -> None:
    for path in PROTOCOL_FILES:
        stale = [f for f in _validated(path).findings if f.code == "AK001"]
        assert not stale, f"{path.name}: {[f.message for f in stale]}"


# --- hand calculations, pinned against the amounts table -----------------------------------

def test_alloy_half_splits_the_host_metal() -> None:
    # x = 0.5: 1.5 mmol host metal × (1 − 0.5) = 0.75 mmol CdCl2 and × 0.5 = 0.75 mmol ZnCl2;
    # Mn stays 5 % of the host: 0.05 × 1.5 = 0.075 mmol MnCl2.
    assert _mmol("mn-msc-bda.yaml", "msc[x=0.5]", "CdCl2") == pytest.approx(0.75)
    assert _mmol("mn-msc-bda.yaml", "msc[x=0.5]", "ZnCl2") == pytest.approx(0.75)
    assert _mmol("mn-msc-bda.yaml", "msc[x=0.5]", "MnCl2") == pytest.approx(0.075)


def test_quarter_alloy_and_end_members() -> None:
    # x = 0.25: Cd 1.5 × 0.75 = 1.125 mmol, Zn 1.5 × 0.25 = 0.375 mmol.
    assert _mmol("mn-msc-bda.yaml", "ss[x=0.25]", "CdCl2") == pytest.approx(1.125)
    assert _mmol("mn-msc-bda.yaml", "ss[x=0.25]", "ZnCl2") == pytest.approx(0.375)
    # x = 1 has no cadmium at all: the material is switched off, not set to zero.
    zinc_only = _amounts("mn-msc-bda.yaml", "ss[x=1]").materials
    assert "CdCl2" not in zinc_only
    assert 1e3 * zinc_only["ZnCl2"].moles.nominal == pytest.approx(1.5)  # type: ignore[union-attr]


def test_one_percent_mn_weighs_under_two_milligrams() -> None:
    # 1 % of 1.5 mmol = 0.015 mmol MnCl2; M(MnCl2) = 54.938 + 2 × 35.453 = 125.84 g/mol,
    # so 0.015 mmol × 125.84 g/mol = 1.888 mg.
    entry = _amounts("mn-msc-bda.yaml", "mn[stage=msc,mn=1]").materials["MnCl2"]
    assert entry.mass is not None
    assert 1e3 * entry.mass.nominal == pytest.approx(1.888, rel=2e-3)
    assert "MnCl2" not in _amounts("mn-msc-bda.yaml", "mn[stage=msc,mn=0]").materials


def test_cadmium_chloride_mass_includes_purity() -> None:
    # 1.5 mmol × 183.32 g/mol = 274.98 mg of CdCl2, / 0.99999 purity = 274.98 mg.
    entry = _amounts("mn-cdse13-bda-msc.yaml").materials["CdCl2"]
    assert entry.mass is not None
    assert 1e3 * entry.mass.nominal == pytest.approx(274.98, rel=1e-3)


def test_worked_example_equals_the_base_of_the_series() -> None:
    single = _amounts("mn-cdse13-bda-msc.yaml").materials
    series = _amounts("mn-msc-bda.yaml").materials
    assert set(single) == set(series)
    for mid, entry in single.items():
        other = series[mid]
        assert (entry.moles is None) == (other.moles is None), mid
        if entry.moles is not None and other.moles is not None:
            assert entry.moles.nominal == pytest.approx(other.moles.nominal), mid


def test_longer_diamines_replace_bda_mole_for_mole() -> None:
    # BDA: 10 mL × 0.877 g/mL / 88.15 g/mol = 99.49 mmol; HDA, ODA, DDA are weighed to 99.5 mmol.
    bda = _mmol("mn-cdse13-ss-diamine.yaml", "chain[diamine=BDA]", "diamine_metal")
    assert bda == pytest.approx(99.49, rel=2e-3)
    for diamine in ("HDA", "ODA", "DDA"):
        moles = _mmol("mn-cdse13-ss-diamine.yaml", f"chain[diamine={diamine}]", "diamine_metal")
        assert moles == pytest.approx(bda, rel=2e-3)
    # ODA (C8H20N2, 144.26 g/mol): 99.5 mmol × 144.26 g/mol = 14.35 g to weigh.
    oda = _amounts("mn-cdse13-ss-diamine.yaml", "chain[diamine=ODA]").materials["diamine_metal"]
    assert oda.mass is not None
    assert oda.mass.nominal == pytest.approx(14.35, rel=2e-3)


def test_butylamine_by_equal_volume_is_nearly_equal_moles() -> None:
    # 10 mL BA × 0.734 g/mL / 73.14 g/mol = 100.4 mmol (vs 99.5 mmol of BDA).
    assert _mmol("mn-msc-monoamine.yaml", "cdse-ba-msc", "amine_metal") == pytest.approx(
        100.4, rel=3e-3)


def test_propylene_oxide_and_the_co2_charge() -> None:
    # 3 mL PO × 0.8228 g/mL (25 °C: linear between 0.859 at 0 °C, Merck Index, and 0.830 at
    # 20 °C, CRC) / 58.08 g/mol = 42.50 mmol.
    assert _mmol("co2-po-cycloaddition.yaml", "ton", "PO") == pytest.approx(42.50, rel=2e-3)
    # CO2 at 3 bar gauge = 4.013 bar abs in 150 − 3 = 147 mL at 298.15 K:
    # n = PV/(ZRT) = 4.013e5 × 147e-6 / (0.980 × 8.314 × 298.15) ≈ 24.3 mmol, about 57 % of PO.
    gas = _amounts("co2-po-cycloaddition.yaml", "ton").gases["CO2"]
    assert 1e3 * gas.moles.nominal == pytest.approx(24.3, rel=0.02)


def test_ton_run_catalyst_range() -> None:
    # 3.8–5.3 mg of Cd6.190Zn6.190Mn0.619Se13 (2,161 g/mol) is 1.76–2.45 µmol of clusters.
    catalyst = _amounts("co2-po-cycloaddition.yaml", "ton").materials["catalyst"]
    assert catalyst.moles is not None
    assert 1e6 * catalyst.moles.low == pytest.approx(1.758, rel=3e-3)
    assert 1e6 * catalyst.moles.high == pytest.approx(2.452, rel=3e-3)


def test_silver_nitrate_sets_the_ag18_yield() -> None:
    # 20 mg AgNO3 / 169.87 g/mol = 0.1177 mmol Ag, / 18 = 6.54 µmol of Ag18 clusters.
    assert _mmol("ag18-cluster.yaml", "", "AgNO3") == pytest.approx(0.1177, rel=2e-3)
    balance = _amounts("ag18-cluster.yaml").balances["ag18"]
    assert balance.formula_units is not None
    assert 1e6 * balance.formula_units.nominal == pytest.approx(6.54, rel=3e-3)


# --- the README lists the library -----------------------------------------------------------

def _readme_section() -> str:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- protocols:start -->(.*?)<!-- protocols:end -->", text, re.S)
    assert match, "README.md has no protocol library section"
    return match.group(1)


def test_readme_table_lists_every_protocol_file() -> None:
    listed = set(re.findall(r"^\| `([^`]+\.yaml)` \|", _readme_section(), re.M))
    assert listed == {p.name for p in PROTOCOL_FILES}
