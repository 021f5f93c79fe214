"""Bench notebooks: valid nbformat v4, a papermill `parameters` cell, and code that really runs.

The code cells are run in a fresh interpreter with the installed package, the way Jupyter (or
papermill, which injects a cell after `parameters`) would run them.
"""

from __future__ import annotations

import ast
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
GRIGNARD = REPO / "tests" / "everyday" / "triphenylmethanol-grignard.yaml"
# Standard atomic weights, g/mol (IUPAC 2021, abridged).
C, H, OX = 12.011, 1.008, 15.999
PARAMETRISED = REPO / "tests" / "valid" / "parametrised-scale.yaml"


def notebook_for(tmp_path: Path, protocol: Path) -> dict[str, Any]:
    target = tmp_path / "nb"
    assert main(["export", str(protocol), "--to", "ipynb", "-o", str(target)]) == 0
    (path,) = sorted(target.glob("*.ipynb"))
    return dict(nbformat.read(path, as_version=4))


def run_cells(notebook: dict[str, Any], injected: str = "") -> dict[str, Any]:
    """Run the code cells (with `injected` after `parameters`); return ratios, yields (the
    `BenchRun` the cells made, read back through its public fields) and output."""
    sources: list[str] = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        sources.append(cell["source"])
        if "parameters" in cell["metadata"].get("tags", []) and injected:
            sources.append(injected)
    sources.append("import json\nprint('RATIOS=' + json.dumps(ratios))\n"
                   "print('YIELDS=' + json.dumps({k: [list(y.limiting), y.theoretical_g, "
                   "y.obtained_g, y.percent] for k, y in run.yields.items()}))")
    run = subprocess.run([sys.executable, "-W", "error", "-c", "\n\n".join(sources)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    found = {key: json.loads(line.removeprefix(f"{key.upper()}="))
             for line in run.stdout.splitlines() for key in ("ratios", "yields")
             if line.startswith(f"{key.upper()}=")}
    return {**found, "stdout": run.stdout}


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


def test_actual_amounts_and_obtained_mass_give_the_percent_yield(tmp_path: Path) -> None:
    """Triphenylmethanol from PhMgBr and benzophenone (1 : 1). With 3.00 g benzophenone weighed
    instead of 3.28 g it stays the limiting reagent (PhBr 2.11 mL is 20.1 mmol):
    n = 3.00 g / M(C13H10O) = 3.00 / 182.222 = 16.463 mmol, so at most
    16.463 mmol × M(C19H16O) = 16.463 × 260.336 g/mol = 4.2860 g of triphenylmethanol;
    3.50 g obtained is 3.50 / 4.2860 = 81.66 %."""
    notebook = notebook_for(tmp_path, GRIGNARD)
    namespace: dict[str, Any] = {}
    exec(next(c["source"] for c in notebook["cells"]
              if "parameters" in c["metadata"].get("tags", [])), namespace)
    assert namespace["obtained"] == {"Ph3COH": "", "PhMgBr": ""}  # to be weighed
    ran = run_cells(notebook, 'actual["Ph2CO"] = "3.00 g"\nobtained["Ph3COH"] = "3.50 g"')
    m_ketone = 13 * C + 10 * H + OX
    m_alcohol = 19 * C + 16 * H + OX
    theoretical = 3.00 / m_ketone * m_alcohol
    assert theoretical == pytest.approx(4.2860, abs=1e-4)
    limiting, theory_g, obtained_g, percent = ran["yields"]["Ph3COH"]
    assert limiting == ["Ph2CO"]
    assert theory_g == pytest.approx(theoretical, rel=1e-4)
    assert obtained_g == 3.50
    assert percent == pytest.approx(100 * 3.50 / theoretical, rel=1e-4)
    assert percent == pytest.approx(81.66, abs=0.01)
    assert "Ph3COH: limiting Ph2CO; theoretical 4286 mg; obtained 3500 mg; yield 81.7 %" \
        in ran["stdout"]
    # The ketone : bromide claim is recomputed: 16.463 mmol over 2.11 mL PhBr.
    assert ran["ratios"]["ketone_equiv"] < 0.9


def test_less_bromide_makes_it_the_limiting_reagent(tmp_path: Path) -> None:
    # 1.00 mL PhBr (about 9.5 mmol at 1.49 g/mL) is far below 18.0 mmol benzophenone.
    notebook = notebook_for(tmp_path, GRIGNARD)
    ran = run_cells(notebook, 'actual["PhBr"] = "1.00 mL"')
    assert ran["yields"]["Ph3COH"][0] == ["PhBr"]
    assert ran["yields"]["Ph3COH"][3] is None  # nothing weighed yet, no yield
    # The findings are those of the actual amounts: 22.0 mmol Mg over about 9.5 mmol PhBr is
    # no longer the 1.10 equivalents the protocol reports (CL101), as it was as planned.
    assert "CL101 warning: claim 'mg_equiv'" in ran["stdout"]
    assert "CL101 warning: claim 'mg_equiv'" not in run_cells(notebook)["stdout"]


def test_cells_import_nothing_but_the_public_api(tmp_path: Path) -> None:
    notebook = notebook_for(tmp_path, GRIGNARD)
    imported: set[str] = set()
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse(cell["source"])):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module or "")
    assert imported == {"benchsheet"}
