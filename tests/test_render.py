"""Bench sheets: hand-computed amounts, scaling, escaping, templates, goldens and build."""

from __future__ import annotations

import re
import typing
from decimal import Decimal
from pathlib import Path

import pytest

from benchsheet.cli import main
from benchsheet.model.steps import ACTIONS, Step
from benchsheet.render import render_sheet
from benchsheet.render.view import STEP_BLANKS
from benchsheet.render.words import STEP_WORDS
from benchsheet.validate import FileResult, validate_file, validate_text

REPO = Path(__file__).resolve().parents[1]
PROTOCOLS = sorted((REPO / "protocols").glob("*.yaml"))
MN_CDSE13 = REPO / "protocols" / "mn-cdse13-bda-msc.yaml"

# Standard atomic weights (IUPAC 2021, abridged): Cd 112.414, Cl 35.45, Mn 54.938, Se 78.971.
CDCL2_G_PER_MOL = 112.414 + 2 * 35.45  # 183.31
MNCL2_G_PER_MOL = 54.938 + 2 * 35.45  # 125.84
SE_G_PER_MOL = 78.971


def _material_row(markdown: str, material_id: str) -> list[str]:
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells and cells[0] == material_id.replace("_", "\\_"):
            return cells
    raise AssertionError(f"no row for {material_id}")


def _mg(cell: str) -> float:
    number, unit = cell.split()
    return float(number) * {"mg": 1.0, "g": 1e3}[unit]


@pytest.fixture(scope="module")
def mn_cdse13() -> FileResult:
    return validate_file(MN_CDSE13)


def test_masses_on_the_sheet_match_hand_calculations(mn_cdse13: FileResult) -> None:
    assert mn_cdse13.base is not None
    sheet = render_sheet(mn_cdse13, mn_cdse13.base, "md")
    # CdCl2 1.5 mmol × 183.31 g/mol / 0.99999 (purity) = 275 mg
    assert _mg(_material_row(sheet, "CdCl2")[6]) == pytest.approx(
        1.5 * CDCL2_G_PER_MOL / 0.99999, rel=5e-4)
    assert _mg(_material_row(sheet, "CdCl2")[6]) == pytest.approx(275, abs=0.5)
    # MnCl2 0.075 mmol × 125.84 g/mol = 9.44 mg
    assert _mg(_material_row(sheet, "MnCl2")[6]) == pytest.approx(0.075 * MNCL2_G_PER_MOL,
                                                                   rel=5e-4)
    # Se 4.5 mmol × 78.971 g/mol = 355 mg
    assert _mg(_material_row(sheet, "Se")[6]) == pytest.approx(4.5 * SE_G_PER_MOL, rel=5e-4)
    # Equivalents against CdCl2 (limiting with Mn): Se 4.5 / 1.5 = 3, Mn 0.075 / 1.5 = 0.05.
    assert _material_row(sheet, "Se")[8] == "3.00"
    assert _material_row(sheet, "MnCl2")[8] == "0.0500"


def _sheet(result: FileResult, fmt: typing.Literal["md", "html"], *args: str) -> str:
    from benchsheet.api import SheetRequest, prepare_sheet
    from benchsheet.reagents.library import load_library

    scale = args[0] if args else None
    chosen, factor, basis = prepare_sheet(result, SheetRequest(None, scale), load_library())
    return render_sheet(result, chosen, fmt, scale=factor, scale_basis=basis)


def test_scaling_doubles_amounts_and_keeps_temperatures_and_times(
        mn_cdse13: FileResult) -> None:
    single, double = _sheet(mn_cdse13, "md"), _sheet(mn_cdse13, "md", "2")
    for mid in ("CdCl2", "MnCl2", "Se"):
        assert _mg(_material_row(double, mid)[6]) == pytest.approx(
            2 * _mg(_material_row(single, mid)[6]), rel=1e-3)
    # 2 × 275 mg = 550 mg; 2 × 9.44 mg = 18.9 mg; 2 × 355 mg = 711 mg (hand, as above)
    assert _mg(_material_row(double, "CdCl2")[6]) == pytest.approx(
        2 * 1.5 * CDCL2_G_PER_MOL / 0.99999, rel=5e-4)
    assert "Heat metal\\_flask at 120 °C for 2 h" in double
    assert "Hold metal\\_flask at 25 °C for 24 h" in double
    assert "| Scaled | ×2 |" in double
    # The theoretical yield scales too: 2 × 1.5 mmol Cd ÷ (1/1.05 Cd per unit) ÷ 13.
    assert f"{2 * 1.5 * 1.05 / 13:.4f} mmol of clusters" in double


def test_every_action_has_words_and_blanks() -> None:
    union = set(typing.get_args(typing.get_args(Step)[0]))
    assert set(STEP_WORDS) == union
    assert set(STEP_BLANKS) == set(ACTIONS)
    for cls in union:
        actions = typing.get_args(cls.model_fields["action"].annotation)
        assert set(actions) <= set(STEP_BLANKS), cls


SMALL = """\
format: 1
id: small
title: "Tiny <b>bold</b> | pipe"
version: 1.0.0
date: 2026-01-02
source: {section: test}
materials:
  NaCl:
    reagent: {name: sodium chloride, formula: NaCl, cas: 7647-14-5, phase: solid}
    amount: 2 mmol
    note: "<script>alert(1)</script> *stars*"
  water: {reagent: water, amount: 10 mL, role: solvent}
vessels:
  vial: {kind: vial, volume: 20 mL}
steps:
  - action: add
    materials: [NaCl, water]
    to: vial
    note: "<script>alert(1)</script>"
    assumed: "[link](javascript:alert(1))"
"""


@pytest.fixture(scope="module")
def small() -> FileResult:
    return validate_text(SMALL, "small.yaml")


def test_html_escapes_protocol_text(small: FileResult) -> None:
    assert small.base is not None
    html = render_sheet(small, small.base, "html")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Tiny &lt;b&gt;bold&lt;/b&gt; | pipe" in html


def test_markdown_escapes_protocol_text(small: FileResult) -> None:
    assert small.base is not None
    md = render_sheet(small, small.base, "md")
    assert "<script>" not in md
    assert "\\<script\\>alert(1)\\</script\\>" in md
    assert "\\*stars\\*" in md
    assert "\\[link\\](javascript:alert(1))" in md
    assert "# Tiny \\<b\\>bold\\</b\\> \\| pipe" in md


def test_note_and_assumed_are_shown(small: FileResult) -> None:
    assert small.base is not None
    html = render_sheet(small, small.base, "html")
    assert 'class="note">Note: &lt;script&gt;' in html
    assert 'class="assumed">Assumed: [link](javascript:alert(1))' in html


def test_a_labs_templates_override_by_name(small: FileResult, tmp_path: Path) -> None:
    assert small.base is not None
    (tmp_path / "sheet.md.j2").write_text("LAB {{ sheet.protocol_id }} {{ sheet.title }}\n",
                                          encoding="utf-8")
    md = render_sheet(small, small.base, "md", templates=tmp_path)
    assert md == "LAB small Tiny \\<b\\>bold\\</b\\> \\| pipe\n"
    html = render_sheet(small, small.base, "html", templates=tmp_path)
    assert html.startswith("<!DOCTYPE html>")  # not overridden: the package's own


def test_templates_are_sandboxed(small: FileResult, tmp_path: Path) -> None:
    from jinja2.exceptions import SecurityError

    assert small.base is not None
    (tmp_path / "sheet.md.j2").write_text(
        "{{ sheet.__class__.__init__.__globals__ }}\n", encoding="utf-8")
    with pytest.raises(SecurityError):
        render_sheet(small, small.base, "md", templates=tmp_path)


def test_sheet_is_deterministic_and_hashes_the_file(mn_cdse13: FileResult) -> None:
    import hashlib

    assert mn_cdse13.base is not None
    first = render_sheet(mn_cdse13, mn_cdse13.base, "html")
    assert first == render_sheet(mn_cdse13, mn_cdse13.base, "html")
    digest = hashlib.sha256(MN_CDSE13.read_bytes()).hexdigest()[:12]
    assert f"<code>{digest}</code>" in first
    assert "2026-11-24" in first  # the protocol's own date, never the clock


def test_acknowledged_findings_stay_visible(mn_cdse13: FileResult) -> None:
    assert mn_cdse13.base is not None
    html = render_sheet(mn_cdse13, mn_cdse13.base, "html")
    assert re.search(r'<li class="sev-warning acknowledged"><b>PH101</b> warning '
                     r'<span class="ack-mark">acknowledged</span>', html)
    assert "Reason: The paper injects the selenium precursor" in html


def test_hazards_and_controls_on_the_sheet(mn_cdse13: FileResult) -> None:
    assert mn_cdse13.base is not None
    md = render_sheet(mn_cdse13, mn_cdse13.base, "md")
    assert "- [ ] Work in a fume hood" in md
    assert "- [ ] A carbon monoxide monitor with an alarm" in md
    assert "GHS06 skull and crossbones" in md
    assert "- H350: May cause cancer (cadmium chloride)" in md


@pytest.mark.parametrize("path", PROTOCOLS, ids=[p.stem for p in PROTOCOLS])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_sheets(path: Path, fmt: typing.Literal["md", "html"],
                       file_regression: typing.Any) -> None:
    result = validate_file(path)
    assert result.base is not None
    assert result.base.protocol is not None, "a bundled protocol must model"
    file_regression.check(render_sheet(result, result.base, fmt), extension=f".{fmt}",
                          basename=f"{path.stem}", encoding="utf-8")


def test_build_writes_every_sheet_and_an_index(tmp_path: Path) -> None:
    src = tmp_path / "protocols"
    src.mkdir()
    good = src / "mn-cdse13-bda-msc.yaml"
    good.write_bytes(MN_CDSE13.read_bytes())
    before = good.read_bytes()
    out = tmp_path / "build"
    assert main(["build", str(src), "-o", str(out)]) == 0
    assert good.read_bytes() == before
    names = sorted(p.name for p in out.iterdir())
    assert names == [".benchsheet-manifest.json", "index.html", "index.md",
                     "mn-cdse13-bda-msc.html", "mn-cdse13-bda-msc.md", "notebooks",
                     "protocols.eln"]
    # The exports: one .eln archive, one bench notebook per variant (this file has one).
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == ["mn-cdse13-bda-msc.ipynb"]
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "[md](mn-cdse13-bda-msc.md), [html](mn-cdse13-bda-msc.html)" in index
    # 0 errors, 1 warning (SH001: MnCl2 9.44 mg), 15 notes (HZ110 among them: the diamine melt
    # at 120 °C is above its 51 °C flash point; CL110: Mn atoms per cluster), 4 acknowledged
    assert "| 0 | 1 | 15 | 4 |" in index


def test_build_fails_on_errors_but_writes_what_models(tmp_path: Path) -> None:
    src = tmp_path / "protocols"
    src.mkdir()
    (src / "good.yaml").write_text(SMALL, encoding="utf-8")
    (src / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    out = tmp_path / "build"
    assert main(["build", str(src), "-o", str(out)]) == 1
    assert (out / "small.md").is_file()
    assert (out / "small.html").is_file()
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "Validation failed at error level" in index
    assert "not rendered: LD002" in index



def test_build_needs_a_date_for_the_exports_of_an_undated_protocol(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json
    import zipfile

    src = tmp_path / "p"
    src.mkdir()
    (src / "small.yaml").write_text(SMALL.replace("date: 2026-01-02\n", ""), encoding="utf-8")
    # Without a date the exports would depend on the clock: the build says so and fails.
    assert main(["build", str(src), "-o", str(tmp_path / "a")]) == 1
    assert "the protocol has no 'date'; give one (or --date)" in capsys.readouterr().err
    assert not (tmp_path / "a" / "protocols.eln").exists()
    # --date supplies it: the archive's root dataset carries that date.
    assert main(["build", str(src), "-o", str(tmp_path / "b"), "--date", "2026-03-04"]) == 0
    with zipfile.ZipFile(tmp_path / "b" / "protocols.eln") as archive:
        (meta,) = [n for n in archive.namelist() if n.endswith("/ro-crate-metadata.json")]
        graph = json.loads(archive.read(meta))["@graph"]
    root = next(node for node in graph if node["@id"] == "./")
    assert root["datePublished"].startswith("2026-03-04")
    (dataset,) = [node for node in graph
                  if str(node.get("name", "")).endswith(" — Tiny <b>bold</b> | pipe")]
    assert dataset["dateCreated"].startswith("2026-03-04")

def test_build_steps_are_fed_each_batch_after_its_sheets(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from benchsheet import cli_render

    seen: list[str] = []

    class Export:
        def __init__(self, out_dir: Path, settings: cli_render.BuildSettings) -> None:
            assert settings.date is None
            self.out_dir = out_dir

        def add(self, results: typing.Sequence[FileResult], sheets: typing.Any) -> None:
            # A batch comes with its sheets written, before the index.
            assert (self.out_dir / "small.md").is_file()
            assert not (self.out_dir / "index.html").exists()
            seen.append(f"add {len(results)}")

        def finish(self) -> list[Path]:
            assert (self.out_dir / "index.html").is_file()
            seen.append("finish")
            return []

        def close(self) -> None:
            seen.append("close")

    monkeypatch.setattr(cli_render, "BUILD_STEPS", [Export])
    src = tmp_path / "p"
    src.mkdir()
    (src / "small.yaml").write_text(SMALL, encoding="utf-8")
    assert main(["build", str(src), "-o", str(tmp_path / "out")]) == 0
    assert seen == ["add 1", "finish", "close"]


def test_render_command_scales_to_a_reagent_target(tmp_path: Path) -> None:
    # Twice the batch no longer fits the 100 mL flask (PH108, an error): the sheet is still
    # written, with the finding on it, and the exit code says the scaled protocol fails.
    assert main(["render", str(MN_CDSE13), "--target", "CdCl2=3 mmol", "--format", "md",
                 "-o", str(tmp_path)]) == 1
    (sheet,) = tmp_path.iterdir()
    assert sheet.name == "mn-cdse13-bda-msc--x2.md"
    text = sheet.read_text(encoding="utf-8")
    # 3 mmol CdCl2 × 183.31 g/mol / 0.99999 = 550 mg
    assert _mg(_material_row(text, "CdCl2")[6]) == pytest.approx(
        3 * CDCL2_G_PER_MOL / 0.99999, rel=5e-4)
    assert "PH108" in text


def test_render_command_half_scale_fits_and_exits_0(tmp_path: Path) -> None:
    assert main(["render", str(MN_CDSE13), "--scale", "0.5", "--format", "md",
                 "-o", str(tmp_path)]) == 0
    (sheet,) = tmp_path.iterdir()
    # 1.5 mmol × 0.5 = 0.75 mmol CdCl2 × 183.31 g/mol / 0.99999 = 137.5 mg
    assert _mg(_material_row(sheet.read_text(encoding="utf-8"), "CdCl2")[6]) == \
        pytest.approx(0.75 * CDCL2_G_PER_MOL / 0.99999, rel=5e-4)


def test_render_command_refuses_a_bad_target(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(MN_CDSE13), "--target", "nothing=3 mmol", "-o",
                 str(tmp_path)]) == 2
    assert "'nothing' is neither a material nor a product" in capsys.readouterr().err


def test_render_with_parameter_settings(tmp_path: Path) -> None:
    path = REPO / "protocols" / "mn-msc-bda.yaml"
    assert main(["render", str(path), "--variant", "x=0.5", "--format", "md", "-o",
                 str(tmp_path)]) == 0
    (sheet,) = tmp_path.iterdir()
    text = sheet.read_text(encoding="utf-8")
    # x = 0.5: CdCl2 1.5 × (1 − 0.5) = 0.75 mmol, × 183.31 g/mol / 0.99999 = 137.5 mg
    assert _mg(_material_row(text, "CdCl2")[6]) == pytest.approx(
        0.75 * CDCL2_G_PER_MOL / 0.99999, rel=5e-4)


def test_scale_factor_is_exact_decimal(mn_cdse13: FileResult) -> None:
    from benchsheet.scaling import factor_for_target, parse_target

    assert mn_cdse13.base is not None
    assert mn_cdse13.base.protocol is not None
    assert mn_cdse13.base.amounts is not None
    scaling = factor_for_target(mn_cdse13.base.protocol, mn_cdse13.base.amounts,
                                parse_target("CdCl2=3 mmol"))
    assert scaling.factor == Decimal(2)



# --- the printed layout: the work first, the rest in the appendix ------------------------------


def _between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def test_pictograms_are_nine_distinct_drawings() -> None:
    import base64
    import xml.etree.ElementTree as ET

    from benchsheet.render.pictograms import GHS_NAMES, pictogram_data_uri, pictogram_svg

    assert sorted(GHS_NAMES) == [f"GHS0{n}" for n in range(1, 10)]
    drawn = set()
    for code, name in GHS_NAMES.items():
        svg = pictogram_svg(code, "12mm")
        root = ET.fromstring(svg)  # well-formed XML, so it also works as an <img> source
        assert root.get("data-ghs") == code
        assert root.get("aria-label") == f"{code} {name}"
        # The red diamond frame, then a black symbol: more than the frame is drawn.
        frame, *symbol = [e for e in root if not e.tag.endswith("title")]
        assert frame.get("stroke") == "#e4001b"
        assert symbol
        drawn.add(svg.split("</path>", 1)[-1].split('stroke-linejoin="miter"/>', 1)[1])
        uri = pictogram_data_uri(code)
        assert base64.b64decode(uri.split(",", 1)[1]).decode() == pictogram_svg(code, "100")
    assert len(drawn) == 9  # no two pictograms share a drawing
    with pytest.raises(KeyError):
        pictogram_svg("GHS10")


def test_hazard_summary_draws_each_pictogram_once(mn_cdse13: FileResult) -> None:
    assert mn_cdse13.base is not None
    html = render_sheet(mn_cdse13, mn_cdse13.base, "html")
    summary = _between(html, '<section class="hazards">', "</section>")
    # From the reagents' GHS data: CdCl2 06 08 09, MnCl2 05 06 08 09, BDA 02 05 06, Se 06 08,
    # CO 02 04 06 08, ethanol 02 07, TEP 02 05: every pictogram but GHS01 and GHS03, once each.
    codes = re.findall(r'<svg class="ghs" data-ghs="(GHS0\d)"', summary)
    assert codes == ["GHS02", "GHS04", "GHS05", "GHS06", "GHS07", "GHS08", "GHS09"]
    assert "Work in a fume hood" in summary  # the controls are in the summary
    assert "H350" not in summary  # the statements are not: they are in the appendix
    appendix = html.split('<div class="appendix">', 1)[1]
    assert "<b>H350</b> May cause cancer" in appendix


def test_the_work_comes_first_and_the_review_last(mn_cdse13: FileResult) -> None:
    assert mn_cdse13.base is not None
    html = render_sheet(mn_cdse13, mn_cdse13.base, "html")
    order = ["<h2>Hazards", "<h2>Before you start", "<h2>Materials", "<h2>Steps",
             "<h3>Sign-off", '<div class="appendix">', "<h3>Hazards in full", "<h3>Findings"]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    bench, appendix = html.split('<div class="appendix">', 1)
    # The one warning to act on (MnCl2 9.438 mg < 10 mg) is before the work with what to do,
    # without its file:line; file:line locations are for review, in the appendix only.
    before = _between(bench, "<h2>Before you start", "</section>")
    assert "MnCl2: 9.438 mg is below 10 mg" in before
    assert "take an aliquot" in before  # the finding's hint: what to do about it
    assert "mn-cdse13-bda-msc.yaml:" not in bench
    assert "(mn-cdse13-bda-msc.yaml:149:5)" in appendix  # HZ112, acknowledged
    assert "SH001" not in appendix.split("<h3>Findings", 1)[1]


def test_lot_column_for_what_is_weighed_or_dispensed(mn_cdse13: FileResult) -> None:
    assert mn_cdse13.base is not None
    md = render_sheet(mn_cdse13, mn_cdse13.base, "md")
    assert _material_row(md, "CdCl2")[10] == "\\_\\_\\_\\_\\_\\_"  # weighed
    assert _material_row(md, "EtOH_wash")[10] == "\\_\\_\\_\\_\\_\\_"  # measured by volume
    assert _material_row(md, "CO")[10] == ""  # a gas from the cylinder: no lot to write
    html = render_sheet(mn_cdse13, mn_cdse13.base, "html")
    assert html.count('<td class="fill lot"><span class="blank"></span></td>') == 8
    assert html.count('<td class="fill lot"></td>') == 1


def test_blanks_are_sized_for_what_is_written(mn_cdse13: FileResult) -> None:
    from benchsheet.render.view import blank_size

    assert blank_size("start") == blank_size("temperature read") == "short"
    assert blank_size("volume transferred") == blank_size("sample id") == "medium"
    assert blank_size("observations") == blank_size("amounts actually added") == "line"
    assert mn_cdse13.base is not None
    html = render_sheet(mn_cdse13, mn_cdse13.base, "html")
    # Step 2 heats: two clock times and a reading (short), observations (the rest of the line).
    step = _between(html, "<b class=\"n\">2.</b>", "</li>")
    fields = re.findall(r'<span class="field (\w+)">([^<]+) <span class="blank">', step)
    assert fields == [("short", "start"), ("short", "stop"), ("short", "temperature read"),
                      ("line", "observations")]
    css = _between(html, "<style>", "</style>")
    widths = {size: float(re.search(rf"\.record \.{size} \.blank {{ width: ([\d.]+)mm", css)[1])
              for size in ("short", "medium")}
    assert widths["short"] >= 15
    assert widths["medium"] > widths["short"]
    assert "min-width: 40mm" in _between(css, ".record .line .blank", "}")


def test_every_page_names_the_protocol_and_counts_the_pages(mn_cdse13: FileResult) -> None:
    assert mn_cdse13.base is not None
    html = render_sheet(mn_cdse13, mn_cdse13.base, "html")
    page = _between(html, "@page {", "@media print")
    assert '@top-left { content: "mn-cdse13-bda-msc v1.0.0 · base protocol"' in page
    assert 'content: "page " counter(page) " of " counter(pages)' in page


def test_protocol_text_cannot_leave_the_stylesheet(tmp_path: Path) -> None:
    # The title goes into the stylesheet (the running header): a quote or </style> in it is
    # written as a CSS escape, so it neither ends the string nor the style element.
    hostile = SMALL.replace('title: "Tiny <b>bold</b> | pipe"',
                            'title: "A\\" } body { display: none } </style><script>x()</script>"')
    result = validate_text(hostile, "small.yaml")
    assert result.base is not None
    html = render_sheet(result, result.base, "html")
    assert html.count("</style>") == 1
    assert "<script>" not in html
    css = _between(html, "<style>", "</style>")
    # The whole title is one CSS string: its quote, braces and angle brackets are escapes.
    title = re.search(r'@top-right \{ content: "([^"]*)"; font:', css)
    assert title, css[:400]
    assert title[1].startswith("A\\000022 \\00007d body \\00007b display: none")
    assert not set(title[1]) & set('"{}<>')


def test_ids_break_only_after_a_separator(mn_cdse13: FileResult) -> None:
    assert mn_cdse13.base is not None
    html = render_sheet(mn_cdse13, mn_cdse13.base, "html")
    assert '<b>EtOH_<wbr>quench</b>' in html
    assert all(before in "_-./,)" for before in re.findall(r"(.)<wbr>", html))
