"""The public API: load, validate, render, and a protocol shown as its sheet in Jupyter."""

from __future__ import annotations

from pathlib import Path

import pytest

import benchsheet
from benchsheet.api import ProtocolHandle, VariantError, load, render, validate

REPO = Path(__file__).resolve().parents[1]
MN_CDSE13 = REPO / "protocols" / "mn-cdse13-bda-msc.yaml"
MN_SERIES = REPO / "protocols" / "mn-msc-bda.yaml"


def test_load_and_show_in_jupyter() -> None:
    proto = load(MN_CDSE13)
    assert isinstance(proto, ProtocolHandle)
    assert proto.variants == [""]
    html = proto._repr_html_()
    assert html.startswith("<!DOCTYPE html>")
    assert proto._repr_markdown_().startswith("# Mn²⁺:(CdSe)₁₃(BDA) magic-sized clusters")


def test_render_scaled_through_the_api() -> None:
    md = render(MN_CDSE13, "md", scale="0.5")
    # 0.75 mmol CdCl2 × (112.414 + 2 × 35.45) g/mol / 0.99999 = 137.5 mg
    assert "| 0.7500 mmol | 137.5 mg |" in md
    assert "| Scaled | ×0.5 |" in md


def test_variants_by_name_and_by_settings() -> None:
    proto = load(MN_SERIES)
    assert proto.variant("msc[x=0.5]").values["x"] == 0.5
    by_settings = proto.variant({"x": 0.5, "stage": "msc"})
    assert by_settings.name == "msc[x=0.5]"  # the declared variant with these values
    fresh = proto.variant({"mn": 2})
    assert fresh.name == "mn=2"
    assert fresh.amounts is not None
    # MnCl2 = 1.5 mmol × 2 / 100 = 0.03 mmol (the protocol's own expression, by hand)
    mn = fresh.amounts.materials["MnCl2"].moles
    assert mn is not None
    assert mn.nominal == pytest.approx(0.03e-3)
    with pytest.raises(VariantError, match=r"the table has no entry '0\.4'"):
        proto.variant({"x": 0.4})
    with pytest.raises(VariantError, match=r"nope is not a parameter"):
        proto.variant({"nope": 1})
    with pytest.raises(VariantError, match="no variant named"):
        proto.variant("missing")


def test_validate_paths() -> None:
    (result,) = validate(MN_CDSE13)
    assert not result.failed(benchsheet_severity_error())
    with pytest.raises(FileNotFoundError):
        validate(REPO / "no-such-folder")


def benchsheet_severity_error() -> object:
    from benchsheet.findings import Severity

    return Severity.ERROR


def test_import_benchsheet_stays_cheap() -> None:
    assert benchsheet.__doc__
