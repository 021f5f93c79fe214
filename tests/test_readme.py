"""The README's promises: its example protocol validates clean and its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from benchsheet.cli import build_parser
from benchsheet.findings import Severity
from benchsheet.validate import validate_text

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _yaml_block(containing: str) -> str:
    """The README's first YAML code block that contains ``containing``."""
    return next(block for block in re.findall(r"```yaml\n(.*?)```", README, flags=re.DOTALL)
                if containing in block)


def test_the_example_protocol_validates_with_no_warning() -> None:
    example = _yaml_block("id: zinc-selenide-demo")
    result = validate_text(example, "README.md")
    assert len(result.variants) == 2  # the base and 'heated'
    assert [f for f in result.findings if f.severity >= Severity.WARNING] == []
    # 0.075 mmol MnCl2 on 1.5 mmol ZnCl2 is the declared 5 % of the host cations: no ST101.
    assert all(f.code != "ST101" for f in result.findings)


def test_the_bench_model_example_validates_and_sees_the_butane() -> None:
    """The organolithium example: clean, and the timeline has the butane the quench gives
    off, at most the n-BuLi charged: 2.5 mol/L × 4.4 mL = 11.0 mmol, one butane each."""
    example = _yaml_block("id: butyllithium-addition-demo")
    result = validate_text(example, "README.md")
    assert [f for f in result.findings if f.severity >= Severity.WARNING] == []
    assert result.base is not None
    assert result.base.amounts is not None
    released = [r for s in result.base.amounts.timeline for r in s.released]
    (butane,) = [r for r in released if r.formula == "C4H10"]
    assert butane.moles is not None
    assert abs(butane.moles - 2.5 * 4.4e-3) < 1e-9
    # Ammonia from NH4Cl stays dissolved in the aqueous quench: nothing else is given off.
    assert {r.formula for r in released} == {"C4H10"}


def test_the_reagent_file_example_reads_in_the_library_units(tmp_path: Path) -> None:
    """Isoprene as the README writes it: -145.9 °C is 127.25 K, 0.733 bar is 73,300 Pa."""
    from benchsheet.reagents.library import load_library

    example = _yaml_block("id: isoprene")
    path = tmp_path / "reagents.yaml"
    path.write_text(example, encoding="utf-8")
    record = load_library([path]).get("isoprene")
    assert record is not None
    assert record.melting_point_K is not None
    assert abs(record.melting_point_K.value - 127.25) < 1e-9
    assert record.vapor_pressure_points[-1] == (298.15, 73_300.0)


def test_every_command_in_the_table_exists() -> None:
    table = re.findall(r"^\| `benchsheet (\w+)", README, flags=re.MULTILINE)
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert table
    assert set(table) <= set(sub.choices)  # type: ignore[arg-type]


def test_ci_runs_the_readme_test_command() -> None:
    # .ci/run spells the README's test command out (three lines, then the one-line echo);
    # if the README's second set-up line changes, CI must change with it.
    (block,) = re.findall(r"^```sh\n(.*?)```", README, flags=re.DOTALL | re.MULTILINE)[:1]
    readme_test = block.splitlines()[1]
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert f'test_command="{readme_test}"' in ci
    steps = [part.strip() for part in readme_test.split("&&")]
    ci_lines = [line.strip() for line in ci.splitlines()]
    assert ci_lines[-len(steps):] == steps
    assert steps[-1].endswith("-m pytest")


def test_the_commercial_solution_example_reads(tmp_path: Path) -> None:
    """The README's lab solution entry is a valid reagent-file item: 1.4 M in cyclohexane."""
    from benchsheet.reagents.library import load_library

    path = tmp_path / "reagents.yaml"
    path.write_text("reagents:\n" + _yaml_block("solution: {solute:"), encoding="utf-8")
    record = load_library([path]).get("sec-butyllithium-1.4m-cyclohexane")
    assert record is not None
    assert record.solution is not None
    assert (record.solution.solvent, record.solution.concentration) == ("cyclohexane", "1.4 M")
    assert record.solution.density_g_mL == 0.769
