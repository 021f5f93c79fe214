"""Bench notebooks: valid nbformat v4, a papermill `parameters` cell, and code that really runs.

The code cells are run in a fresh interpreter with the installed package, the way Jupyter (or
papermill, which injects a cell after `parameters`) would run them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from benchsheet.cli import main
from benchsheet.validate import validate_file

REPO = Path(__file__).resolve().parents[1]
MN_CDSE13 = REPO / "protocols" / "mn-cdse13-bda-msc.yaml"
PARAMETRISED = REPO / "tests" / "valid" / "parametrised-scale.yaml"


def notebook_for(tmp_path: Path, protocol: Path) -> dict[str, Any]:
    target = tmp_path / "nb"
    assert main(["export", str(protocol), "--to", "ipynb", "-o", str(target)]) == 0
    (path,) = sorted(target.glob("*.ipynb"))
    return dict(nbformat.read(path, as_version=4))


def run_cells(notebook: dict[str, Any], injected: str = "") -> dict[str, Any]:
    """Run the code cells (with `injected` after `parameters`); return ratios and output."""
    sources: list[str] = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        sources.append(cell["source"])
        if "parameters" in cell["metadata"].get("tags", []) and injected:
            sources.append(injected)
    sources.append("import json\nprint('RATIOS=' + json.dumps(ratios))")
    run = subprocess.run([sys.executable, "-W", "error", "-c", "\n\n".join(sources)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    (line,) = [x for x in run.stdout.splitlines() if x.startswith("RATIOS=")]
    return {"ratios": json.loads(line.removeprefix("RATIOS=")), "stdout": run.stdout}


def test_notebook_is_valid_and_tags_its_parameters(tmp_path: Path) -> None:
    notebook = notebook_for(tmp_path, MN_CDSE13)
    nbformat.validate(nbformat.from_dict(notebook))
    assert notebook["nbformat"] == 4
    tagged = [c for c in notebook["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    namespace: dict[str, Any] = {}
    exec(tagged[0]["source"], namespace)
    assert namespace["actual"] == {
        "CdCl2": "1.5 mmol", "MnCl2": "0.075 mmol", "BDA_metal": "10 mL", "Se": "4.5 mmol",
        "BDA_Se": "5 mL", "EtOH_quench": "50 mL", "TEP": "3 mL", "EtOH_wash": "20 mL",
    }
    markdown = "\n".join(c["source"] for c in notebook["cells"] if c["cell_type"] == "markdown")
    assert "## Materials" in markdown
    assert "## Steps" in markdown
    assert notebook["metadata"]["benchsheet"]["protocol"] == "mn-cdse13-bda-msc"


def test_notebook_is_deterministic(tmp_path: Path) -> None:
    assert notebook_for(tmp_path / "a", MN_CDSE13) == notebook_for(tmp_path / "b", MN_CDSE13)
    first = (tmp_path / "a" / "nb" / "mn-cdse13-bda-msc.ipynb").read_bytes()
    assert first == (tmp_path / "b" / "nb" / "mn-cdse13-bda-msc.ipynb").read_bytes()


def test_cells_recompute_from_the_planned_amounts(tmp_path: Path) -> None:
    result = run_cells(notebook_for(tmp_path, MN_CDSE13))
    ratios = result["ratios"]
    assert ratios["MnCl2 : CdCl2"] == pytest.approx(0.075 / 1.5)  # the 5 % dopant
    assert ratios["Se : CdCl2"] == pytest.approx(4.5 / 1.5)
    # CdCl2 row: 1.5 mmol, 1.5 × 183.32 g/mol / 0.99999 = 274.98 mg.
    assert any(line.split()[:3] == ["CdCl2", "1.5", "274.98"]
               for line in result["stdout"].splitlines())
    # The findings are the checks' own: as many as `benchsheet validate` finds for the base.
    planned = validate_file(MN_CDSE13)
    count = sum(1 for f in planned.findings if f.variant == "")
    assert f"{count} finding(s)" in result["stdout"]


def test_changing_an_actual_amount_changes_the_ratio(tmp_path: Path) -> None:
    notebook = notebook_for(tmp_path, MN_CDSE13)
    more_mn = run_cells(notebook, 'actual["MnCl2"] = "0.15 mmol"')["ratios"]
    assert more_mn["MnCl2 : CdCl2"] == pytest.approx(0.15 / 1.5)  # doubled: 10 %
    less_cd = run_cells(notebook, 'actual["CdCl2"] = "275 mg"')
    # 275 mg × 0.99999 / 183.32 g/mol = 1.50011 mmol of CdCl2.
    n_cd = 275 * 0.99999 / (112.414 + 2 * 35.453)
    assert less_cd["ratios"]["MnCl2 : CdCl2"] == pytest.approx(0.075 / n_cd, rel=1e-4)
    assert less_cd["ratios"]["Se : CdCl2"] == pytest.approx(4.5 / n_cd, rel=1e-4)


def test_a_misspelt_material_fails_loudly(tmp_path: Path) -> None:
    notebook = notebook_for(tmp_path, MN_CDSE13)
    with pytest.raises(AssertionError, match="CdCl_2"):
        run_cells(notebook, 'actual["CdCl_2"] = "1.5 mmol"')


def test_each_variant_gets_a_notebook(tmp_path: Path) -> None:
    target = tmp_path / "nb"
    assert main(["export", str(PARAMETRISED), "--to", "ipynb", "-o", str(target)]) == 0
    names = sorted(p.name for p in target.iterdir())
    assert names == ["parametrised-scale--half.ipynb", "parametrised-scale.ipynb"]
    half = dict(nbformat.read(target / "parametrised-scale--half.ipynb", as_version=4))
    namespace: dict[str, Any] = {}
    exec(next(c["source"] for c in half["cells"]
              if "parameters" in c["metadata"].get("tags", [])), namespace)
    assert namespace["actual"] == {"NaCl": "292.5 mg", "water": "5 mL"}
    def nacl_mmol(stdout: str) -> float:
        (row,) = [line.split() for line in stdout.splitlines() if line.startswith("NaCl ")]
        return float(row[1])

    # 292.5 mg NaCl (the half variant) is 5.0049 mmol at 58.443 g/mol; 300 mg is 5.1332.
    assert nacl_mmol(run_cells(half)["stdout"]) == pytest.approx(292.5 / 58.443, rel=1e-4)
    heavier = run_cells(half, 'actual["NaCl"] = "300 mg"')["stdout"]
    assert nacl_mmol(heavier) == pytest.approx(300 / 58.443, rel=1e-4)
    assert "VARIANT = 'half'" in "".join(c["source"] for c in half["cells"])


def test_one_file_for_several_notebooks_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "one.ipynb"
    assert main(["export", str(PARAMETRISED), "--to", "ipynb", "-o", str(target)]) == 2
    assert "cannot go into one file" in capsys.readouterr().err
    assert not target.exists()


def test_one_notebook_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "bench.ipynb"
    assert main(["export", str(MN_CDSE13), "--to", "ipynb", "-o", str(target)]) == 0
    nbformat.validate(nbformat.read(target, as_version=4))
