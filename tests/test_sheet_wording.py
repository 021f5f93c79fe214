"""The sheet as the chemist at the fume hood reads it: wording of steps, blanks, totals,
equivalents, controls and the findings list. Numbers are checked against hand calculations."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest

from benchsheet.render import render_sheet
from benchsheet.validate import FileResult, VariantResult, validate_file, validate_text

REPO = Path(__file__).resolve().parents[1]

# Standard atomic weights (IUPAC 2021, abridged).
NA, CL = 22.990, 35.45
CD, ZN, MN, SE = 112.414, 65.38, 54.938, 78.971


def _rows(markdown: str) -> dict[str, list[str]]:
    rows = {}
    for line in markdown.splitlines():
        # Ten columns and the lot / batch column after them.
        if line.startswith("| ") and line.count("|") == 12:
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows[cells[0].replace("\\_", "_")] = cells
    return rows


def _variant(result: FileResult, name: str) -> VariantResult:
    return next(v for v in result.variants if v.name == name)


BENCH = """\
format: 1
id: bench
title: bench wording
version: 1.0.0
date: 2026-01-02
source: {section: test}
materials:
  NaCl:
    reagent: {name: sodium chloride, formula: NaCl, phase: solid}
    amount: 20 mmol
  water: {reagent: water, amount: 0.5 mL, role: solvent}
  EtOH: {reagent: ethanol, amount: 10 mL, role: wash}
vessels:
  vial: {kind: vial, volume: 20 mL}
  flask: {kind: round-bottom flask, volume: 50 mL}
products:
  salt:
    name: recrystallised sodium chloride
    kind: solid
    formula: NaCl
steps:
  - action: dissolve
    materials: [NaCl]
    solvent: water
    vessel: vial
  - action: repeat
    times: 1
    note: "Only once."
    steps:
      - {action: stir, vessel: vial, duration: 4 h, temperature: 25 degC, stirring: gentle,
         atmosphere: argon, product: salt}
  - action: repeat
    times: 3
    steps:
      - {action: wash, solvent: EtOH, times: 2, speed: 8000 rpm, duration: 6 min}
  - {action: cool, vessel: vial, temperature: 10 degC, method: ice bath}
  - {action: dry, method: vacuum}
  - {action: heat, vessel: flask, temperature: 60 degC, reflux: true, stirring: magnetic}
  - {action: quench, vessel: flask, bath: ice}
"""


@pytest.fixture(scope="module")
def bench() -> str:
    result = validate_text(BENCH, "bench.yaml")
    assert result.base is not None
    return render_sheet(result, result.base, "md")


@pytest.fixture(scope="module")
def bench_html() -> str:
    result = validate_text(BENCH, "bench.yaml")
    assert result.base is not None
    return render_sheet(result, result.base, "html")


def test_the_blank_takes_the_unit_the_amount_is_printed_in(bench: str) -> None:
    rows = _rows(bench)
    # NaCl 20 mmol × 58.44 g/mol = 1.169 g: weighed in grams, so the blank reads g, not mg.
    assert rows["NaCl"][6] == f"{20 * (NA + CL) / 1000:.3f} g" == "1.169 g"
    assert rows["NaCl"][9] == "\\_\\_\\_\\_ g"
    # Water 0.5 mL prints as 500.0 µL (a pipette): the blank reads µL.
    assert rows["water"][7] == "500.0 µL"
    assert rows["water"][9] == "\\_\\_\\_\\_ µL"
    assert rows["EtOH"][9] == "\\_\\_\\_\\_ mL"


def test_a_material_used_more_than_once_shows_its_total(bench: str) -> None:
    # Washed twice in each of 3 cycles with 10 mL each: 2 × 3 × 10 mL = 60 mL in all.
    assert _rows(bench)["EtOH"][4] == f"10 mL; used {2 * 3}×: {2 * 3 * 10:.2f} mL in all"
    # NaCl and water are used once: no total.
    assert _rows(bench)["NaCl"][4] == "20 mmol"


def test_steps_read_as_sentences(bench: str) -> None:
    # A solvent reads by its volume only; an id that is the reagent's name is not repeated.
    assert ("Dissolve NaCl (sodium chloride, 20.00 mmol = 1.169 g) in water (500.0 µL) "
            "in vial.") in bench
    # Stirring is said once, with its manner and the atmosphere; the product by its name.
    assert ("Stir vial gently at 25 °C for 4 h under argon; forms recrystallised sodium "
            "chloride (salt).") in bench
    # Per-wash volume, and the spin time goes with the spin.
    assert "Wash 2× with 10.00 mL EtOH (ethanol) each, spinning at 8000 rpm for 6 min." in bench
    assert "Cool vial to 10 °C in an ice bath." in bench
    assert "Dry under vacuum." in bench
    assert "Heat flask at 60 °C under reflux, with magnetic stirring." in bench
    assert "Quench flask in an ice bath." in bench


def test_a_block_repeated_once_is_no_block(bench: str) -> None:
    assert "Repeat 1×" not in bench
    # It stands as step 2 with the block's note, and the next block is step 3.
    assert "- [ ] **2.** Stir vial gently" in bench
    assert "  Note: Only once." in bench
    assert "- [ ] **3.** Repeat 3×, ticking off each cycle:" in bench


def test_a_repeat_has_a_tick_box_per_cycle(bench: str, bench_html: str) -> None:
    assert "  cycles: ☐ 1 ☐ 2 ☐ 3\n" in bench
    assert bench_html.count('<span class="cycle">') == 3


def test_results_table_for_a_collected_product(bench: str) -> None:
    # 20 mmol NaCl makes at most 20 mmol × 58.44 g/mol = 1.169 g.
    assert "| recrystallised sodium chloride (salt) | 1.169 g | | % | |" in bench


def test_finding_counts_agree_with_their_numbers() -> None:
    result = validate_file(REPO / "protocols" / "mn-msc-bda.yaml")
    assert result.base is not None
    md = render_sheet(result, result.base, "md")
    # One SH001 warning (MnCl2 below 10 mg): "1 warning", not "1 warnings".
    assert re.search(r"^0 errors, 1 warning, \d+ notes, 4 acknowledged\.", md, re.M)


def test_findings_leave_out_notes_that_only_repeat_the_hazard_box() -> None:
    result = validate_file(REPO / "protocols" / "mn-msc-bda.yaml")
    assert result.base is not None
    md = render_sheet(result, result.base, "md")
    findings = md.split("## Findings", 1)[1]
    for code in ("HZ101", "HZ102", "HZ104", "HZ105", "HZ106", "HZ109"):
        assert f"- {code} info" not in findings
    # HZ101 1, HZ104 ×3 (CdCl2, BDA, Se), HZ105 ×2 (CdCl2, CO), HZ102 1, HZ109 1, HZ106 1.
    assert "9 notes repeat the hazard box above and are not listed here." in findings
    # The box still shows what they said: the statement, the reagent and the control.
    assert "- H250: Catches fire spontaneously if exposed to air (triethylphosphine)" in md
    assert "- [ ] Transfer only under inert gas" in md
    # Everything else stays: the warning to act on before the work (without its file:line),
    # other notes and acknowledged findings in the appendix.
    before = md.split("## Before you start", 1)[1].split("## Materials", 1)[0]
    assert "- [ ] Warning: MnCl2: 9.438 mg is below 10 mg" in before
    assert "SH001" not in findings.split("\n", 3)[3]  # listed before the work, not again
    assert "- ST110 info" in findings
    assert "- PH101 warning, acknowledged" in findings


def test_controls_name_their_reagents_and_heated_flammables_get_theirs() -> None:
    result = validate_file(REPO / "protocols" / "mn-msc-monoamine.yaml")
    assert result.base is not None
    md = render_sheet(result, result.base, "md")
    assert "- [ ] Dry sand or a dry-powder extinguisher within reach; no water — for " \
        "triethylphosphine\n" in md
    # n-butylamine (H225) is heated to 70 °C in an open flask (HZ110): the sheet prints the
    # control HZ110 says it prints.
    assert "HZ110 info" in md
    assert ("- [ ] Heat flammable liquids with a mantle or bath under a condenser in a fume "
            "hood, never over a flame — for n-butylamine\n") in md


def test_stir_keeps_its_atmosphere() -> None:
    result = validate_file(REPO / "protocols" / "ag18-surface-defects.yaml")
    assert result.base is not None
    md = render_sheet(result, result.base, "md")
    # Methods: "After 4 h of gentle stirring" of a mixture made "under an argon atmosphere".
    assert "Stir vial gently at 25 °C for 4 h under argon." in md


@pytest.fixture(scope="module")
def mn_msc_bda() -> FileResult:
    return validate_file(REPO / "protocols" / "mn-msc-bda.yaml")


def test_alloy_equivalents_count_the_host_metals_together(mn_msc_bda: FileResult) -> None:
    md = render_sheet(mn_msc_bda, _variant(mn_msc_bda, "msc[x=0.25]"), "md")
    rows = _rows(md)
    host = 1.125 + 0.375  # mmol CdCl2 + ZnCl2: the paper's 1.5 mmol of metal "in all"
    assert rows["CdCl2"][8] == f"{1.125 / host:.3f}"  # 0.750
    assert rows["ZnCl2"][8] == f"{0.375 / host:.3f}"  # 0.250
    assert rows["Se"][8] == f"{4.5 / host:.2f}"  # 3.00, not 4.5 / 1.125 = 4.00
    assert rows["MnCl2"][8] == f"{0.075 / host:.4f}"  # 0.0500: Mn 5 % of the host cations
    assert "Equivalents are against CdCl2 + ZnCl2, together the limiting reagents." in md
    assert ("Cd:(Cd+Zn) = 0.750, Zn:(Cd+Zn) = 0.250, Mn:(Cd+Zn) = 0.0500, "
            "Se:(Cd+Zn) = 3.00") in md


def test_undoped_single_metal_equivalents_are_unchanged(mn_msc_bda: FileResult) -> None:
    assert mn_msc_bda.base is not None
    rows = _rows(render_sheet(mn_msc_bda, mn_msc_bda.base, "md"))
    assert rows["Se"][8] == f"{4.5 / 1.5:.2f}"
    assert rows["CdCl2"][8] == "1.00"


def test_catalyst_loading_reads_in_mol_percent_with_its_range() -> None:
    result = validate_file(REPO / "protocols" / "co2-po-cycloaddition.yaml")
    rows = _rows(render_sheet(result, _variant(result, "ton"), "md"))
    # 3.8–5.3 mg of clusters at 2161.2 g/mol (Cd6.190Zn6.190Mn0.619Se13) against the
    # 42.51 mmol of propylene oxide the reaction converts (3 mL at 0.823 g/mL / 58.080 g/mol),
    # not the 24.29 mmol of CO2 charged, although the charge limits the run (issue 14).
    m_cluster = 6.190 * CD + 6.190 * ZN + 0.619 * MN + 13 * SE
    assert m_cluster == pytest.approx(2161.2, abs=0.5)
    n_po = 1e3 * 3 * 0.823 / (3 * 12.011 + 6 * 1.008 + 15.999)  # mmol
    low, high = (mg / m_cluster / n_po * 100 for mg in (3.8, 5.3))
    assert rows["catalyst"][8] == f"{low:.3g}–{high:.3g} mol %" == "0.00414–0.00577 mol %"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_measure_and_irradiate_name_their_instrument(fmt: typing.Literal["md", "html"]
                                                     ) -> None:
    result = validate_file(REPO / "protocols" / "photostability.yaml")
    assert result.base is not None
    sheet = render_sheet(result, result.base, fmt)
    assert "Irradiate in fluorometer at 350 nm" in sheet
    assert "of drop-cast film on fluorometer, 3 times" in sheet


def test_the_notebook_export_reads_the_same_words() -> None:
    from benchsheet.export import records

    result = validate_text(BENCH, "bench.yaml")
    base = result.base
    assert base is not None
    assert base.protocol is not None
    assert base.amounts is not None
    steps = list(records.step_texts(base.protocol, base.amounts))
    assert steps[1].startswith("Repeat 1×: (a) Stir vial gently at 25 °C for 4 h under argon; "
                               "forms recrystallised sodium chloride (salt).")


@pytest.mark.parametrize(("index", "letter"), [
    (0, "a"), (25, "z"), (26, "aa"), (27, "ab"), (51, "az"), (52, "ba"), (701, "zz"),
    (702, "aaa"),
])
def test_steps_in_a_repeat_block_are_lettered_past_z_as_spreadsheet_columns(
        index: int, letter: str) -> None:
    """26 letters, then two: step 27 of a block is 'aa' (it was '{', then '|' and '}')."""
    from benchsheet.render.words import substep_letter

    assert substep_letter(index) == letter
