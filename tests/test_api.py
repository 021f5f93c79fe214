"""The public API: load, validate, render, and a protocol shown as its sheet in Jupyter."""

from __future__ import annotations

import re
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
    assert html.startswith('<div class="bs-sheet">')
    assert "<h3>Mn²⁺:(CdSe)₁₃(BDA) magic-sized clusters</h3>" in html
    assert proto._repr_markdown_().startswith("# Mn²⁺:(CdSe)₁₃(BDA) magic-sized clusters")


def css_selectors(html: str) -> list[str]:
    """Every selector of every <style> element, and every at-rule, as written."""
    found: list[str] = []
    for sheet in re.findall(r"<style[^>]*>(.*?)</style>", html, re.DOTALL):
        sheet = re.sub(r"/\*.*?\*/", "", sheet, flags=re.DOTALL)
        # Rule preludes are what precedes a "{"; an @media's inner rules are preludes too.
        for prelude in re.findall(r"([^{}]*)\{", sheet):
            prelude = prelude.strip()
            if prelude.startswith("@"):
                found.append(prelude)
            else:
                found += [part.strip() for part in prelude.split(",")]
    return found


def test_the_jupyter_fragment_has_no_global_selectors() -> None:
    """The HTML Jupyter shows is one element, and every style rule starts at it: a notebook's
    other cells (a checkbox, the page body) are left as they were."""
    html = load(MN_CDSE13)._repr_html_().strip()
    for tag in ("<!doctype", "<html", "<head", "<body", "<input", "<link"):
        assert tag not in html.lower()
    assert html.startswith('<div class="bs-sheet">')
    assert html.endswith("</div>")
    # One root: the first <div> closes at the very end (count opening and closing divs).
    depth, closed_at = 0, -1
    for match in re.finditer(r"<(/?)div\b", html):
        depth += -1 if match[1] else 1
        if depth == 0:
            closed_at = match.start()
            break
    assert closed_at == html.rindex("</div>")
    selectors = css_selectors(html)
    assert selectors, "the fragment is styled"
    scoped = re.compile(r"\.bs-sheet(?![\w-])")
    assert [s for s in selectors if not scoped.match(s)] == []


def test_the_printed_sheet_would_fail_that_check() -> None:
    """The same check on the print sheet, a whole document, finds its global rules."""
    unscoped = [s for s in css_selectors(render(MN_CDSE13, "html"))
                if not s.startswith(".bs-sheet")]
    assert unscoped


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


def test_a_protocol_that_does_not_load_shows_its_findings(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    html = load(broken)._repr_html_()
    assert html.startswith('<div class="bs-sheet"><p>')
    assert "does not model" in html
    assert "LD002" in html  # the YAML error, as validate reports it
