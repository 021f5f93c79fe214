"""References (RF), lab reagent files, and acknowledgements (AK): one test per outcome."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from benchsheet.findings import Severity
from benchsheet.reagents.library import load_library
from benchsheet.validate import Options, validate_text

HEAD = """\
id: refs
title: references
version: 1.0.0
source: {section: test}
"""


def run(body: str, options: Options | None = None, library_files: tuple[Path, ...] = ()):
    text = HEAD + textwrap.dedent(body)
    library = load_library(library_files) if library_files else None
    return validate_text(text, "refs.yaml", options, library)


def codes(result) -> list[str]:
    return sorted(f.code for f in result.findings)


def test_RF301_undeclared_vessel_is_flagged_with_suggestion() -> None:
    result = run("""\
        materials:
          EtOH: {reagent: ethanol, amount: 5 mL}
        vessels:
          flask: {kind: vial, volume: 20 mL}
        steps:
          - {action: add, materials: [EtOH], to: flsk}
        """)
    rf = [f for f in result.findings if f.code == "RF301"]
    assert len(rf) == 1
    assert "'flsk' is not declared under 'vessels'" in rf[0].message
    assert rf[0].hint == "did you mean 'flask'?"
    # The step is line 10 (4 header lines, then materials/EtOH/vessels/flask/steps); 'flsk'
    # follows "  - {action: add, materials: [EtOH], to: ", which is 41 characters: column 42.
    assert (rf[0].line, rf[0].column) == (10, 42)
    assert rf[0].yaml_path == "steps[0].to"


def test_RF301_declared_references_pass() -> None:
    result = run("""\
        materials:
          EtOH: {reagent: ethanol, amount: 5 mL}
        vessels:
          flask: {kind: vial, volume: 20 mL}
        steps:
          - {action: add, materials: [EtOH], to: flask}
        """)
    assert "RF301" not in codes(result)
    assert "RF302" not in codes(result)


def test_RF301_reference_inside_repeat_block_is_checked() -> None:
    result = run("""\
        materials:
          MeOH: {reagent: methanol, amount: 5 mL}
        steps:
          - action: repeat
            times: 3
            steps:
              - {action: wash, solvent: MeOOH, times: 2}
          - {action: wash, solvent: MeOH, times: 1}
        """)
    rf = [f for f in result.findings if f.code == "RF301"]
    assert [f.yaml_path for f in rf] == ["steps[0].steps[0].solvent"]


def test_RF302_material_never_used_is_a_warning_at_its_key() -> None:
    result = run("""\
        materials:
          EtOH: {reagent: ethanol, amount: 5 mL}
          MeOH: {reagent: methanol, amount: 5 mL}
        vessels:
          flask: {kind: vial, volume: 20 mL}
        steps:
          - {action: add, materials: [EtOH], to: flask}
        """)
    rf = [f for f in result.findings if f.code == "RF302"]
    assert [(f.yaml_path, f.severity, f.line, f.column) for f in rf] == [
        ("materials.MeOH", Severity.WARNING, 7, 3)
    ]


def test_RF303_unknown_reagent_and_RF303_inline_reagent_passes() -> None:
    result = run("""\
        materials:
          X: {reagent: unobtainium chloride, amount: 5 mg}
          Y:
            reagent: {name: copper(II) sulfate pentahydrate, formula: CuSO4·5H2O, cas: 7758-99-8}
            amount: 5 mg
        vessels:
          flask: {kind: vial}
        steps:
          - {action: add, materials: [X, Y], to: flask}
        """)
    rf = [f for f in result.findings if f.code == "RF303"]
    assert [f.yaml_path for f in rf] == ["materials.X.reagent"]
    # CuSO4·5H2O: 63.546 + 32.06 + 4 × 15.999 + 5 × 18.015 = 249.68 g/mol (IUPAC 2021)
    y = result.variants[0].amounts.materials["Y"]
    assert y.moles is not None
    assert y.moles.nominal == pytest.approx(5e-3 / 249.68, rel=1e-3)


def test_RF304_unreadable_formula() -> None:
    result = run("""\
        materials:
          X:
            reagent: {name: mystery, formula: "Xq2"}
            amount: 5 mg
        vessels:
          flask: {kind: vial}
        steps:
          - {action: add, materials: [X], to: flask}
        """)
    assert "RF304" in codes(result)


def test_RF305_lab_file_conflict_is_a_finding(tmp_path: Path) -> None:
    lab = tmp_path / "lab.yaml"
    lab.write_text(textwrap.dedent("""\
        reagents:
          - id: ethanol
            name: ethanol
            cas: 64-17-5
            formula: C2H5OH2
        """), encoding="utf-8")
    result = run("""\
        materials:
          EtOH: {reagent: ethanol, amount: 5 mL}
        vessels:
          flask: {kind: vial}
        steps:
          - {action: add, materials: [EtOH], to: flask}
        """, library_files=(lab,))
    rf = [f for f in result.findings if f.code == "RF305"]
    assert len(rf) == 1
    assert "ethanol" in rf[0].message
    assert "override" in rf[0].hint
    # Located in the lab's file, at the offending field: 'formula:' is line 5, column 5.
    assert (rf[0].file, rf[0].line, rf[0].column) == (str(lab), 5, 5)
    assert rf[0].path == ("reagents", 0, "formula")


def test_RF305_a_cas_claimed_twice_points_at_the_lab_entry(tmp_path: Path) -> None:
    lab = tmp_path / "lab.yaml"
    lab.write_text(textwrap.dedent("""\
        reagents:
          - id: house-solvent
            name: house solvent
            phase_25C: liquid
            formula: CH4O
          - id: spirit
            name: spirit
            formula: C2H6O
            phase_25C: liquid
            cas: 64-17-5
        """), encoding="utf-8")
    result = run("""\
        materials:
          S: {reagent: spirit, amount: 5 mL}
        vessels:
          flask: {kind: vial}
        steps:
          - {action: add, materials: [S], to: flask}
        """, library_files=(lab,))
    (rf,) = [f for f in result.findings if f.code == "RF305"]
    # Ethanol's CAS, 64-17-5, is now claimed by the library's 'ethanol' and by 'spirit'.
    assert "CAS 64-17-5 of 'spirit' is also claimed by ethanol" in rf.message
    assert (rf.file, rf.line, rf.column, rf.path) == (str(lab), 10, 5, ("reagents", 1, "cas"))


def test_RF305_lab_file_override_with_reason_passes(tmp_path: Path) -> None:
    lab = tmp_path / "lab.yaml"
    lab.write_text(textwrap.dedent("""\
        reagents:
          - id: house-methanol
            name: house methanol
            cas: 67-56-1
            formula: CH4O
            phase_25C: liquid
            override: true
            reason: Our stock is the same substance as the library's methanol.
        """), encoding="utf-8")
    result = run("""\
        materials:
          S: {reagent: house-methanol, amount: 5 mL}
        vessels:
          flask: {kind: vial}
        steps:
          - {action: add, materials: [S], to: flask}
        """, library_files=(lab,))
    assert "RF303" not in codes(result)


ACKED = """\
    materials:
      MnCl2: {reagent: manganese chloride, amount: 0.075 mmol}
    vessels:
      flask: {kind: vial}
    steps:
      - {action: add, materials: [MnCl2], to: flask}
    acknowledge:
      - code: ID102
        path: materials.MnCl2
        reason: The source writes MnCl2 without saying whether it is a hydrate.
    """


def test_acknowledged_finding_stays_visible_and_does_not_fail() -> None:
    result = run(ACKED)
    id102 = [f for f in result.findings if f.code == "ID102"]
    assert len(id102) == 1
    reason = "The source writes MnCl2 without saying whether it is a hydrate."
    assert id102[0].acknowledged == reason
    assert not id102[0].fails
    assert not result.failed(Severity.WARNING)


def test_unacknowledged_same_finding_fails_on_warning() -> None:
    result = run(ACKED.replace("acknowledge:", "ignored_acknowledgements:").split(
        "ignored_acknowledgements:")[0])
    assert result.failed(Severity.WARNING)


def test_AK001_stale_acknowledgement_is_reported() -> None:
    result = run(ACKED.replace("code: ID102", "code: ST101"))
    ak = [f for f in result.findings if f.code == "AK001"]
    assert len(ak) == 1
    assert "ST101" in ak[0].message


def test_AK001_passes_when_the_acknowledgement_matches_its_finding() -> None:
    # ID102 at materials.MnCl2 is produced and acknowledged: the acknowledgement is used.
    result = run(ACKED)
    assert [f.acknowledged is not None for f in result.findings if f.code == "ID102"] == [True]
    assert "AK001" not in codes(result)


def test_acknowledgement_path_must_match() -> None:
    result = run(ACKED.replace("path: materials.MnCl2", "path: materials.Other"))
    id102 = [f for f in result.findings if f.code == "ID102"]
    assert id102[0].acknowledged is None
    assert "AK001" in codes(result)


def test_select_and_ignore_by_code_and_family() -> None:
    body = ACKED.split("acknowledge:")[0]
    everything = set(codes(run(body)))
    assert {"ID102", "RF302"} <= everything or "ID102" in everything
    only_id = set(codes(run(body, Options(select=("ID",)))))
    assert only_id == {c for c in everything if c.startswith("ID")}
    without = set(codes(run(body, Options(ignore=("ID102",)))))
    assert "ID102" not in without


USING = """\
    materials:
      NaCl: {reagent: {name: sodium chloride, formula: NaCl, cas: 7647-14-5,
                       hazards: {source: none}}, amount: 1 g}
    vessels:
      vial: {kind: vial, volume: 20 mL}
    equipment:
      glovebox: {kind: glovebox}
    steps:
      - {action: add, materials: [NaCl], to: vial, using: [%s]}
    """


def test_equipment_a_step_uses_counts_as_used() -> None:
    # A glovebox is equipment that is neither a centrifuge rotor nor an instrument.
    result = run(USING % "glovebox")
    assert "RF302" not in codes(result)
    assert "RF301" not in codes(result)


def test_RF301_step_uses_undeclared_equipment() -> None:
    result = run(USING % "glovebx")
    rf = [f for f in result.findings if f.code == "RF301"]
    assert [(f.message, f.hint) for f in rf] == [
        ("'glovebx' is not declared under 'equipment'", "did you mean 'glovebox'?")]
    assert rf[0].path == ("steps", 0, "using", 0)
    assert "RF302" in codes(result)  # and the glovebox is then unused


def test_step_words_name_the_equipment() -> None:
    from benchsheet.render.words import step_words

    result = run(USING % "glovebox")
    variant = result.variants[0]
    assert variant.protocol is not None
    assert variant.amounts is not None
    # 1 g NaCl / 58.44 g/mol (Na 22.990 + Cl 35.45, IUPAC) = 17.11 mmol
    assert step_words(variant.protocol.steps[0], variant.amounts) == (
        "Add NaCl (sodium chloride, 17.11 mmol = 1.000 g) to vial, using glovebox")
