"""`benchsheet init`: a starter repository that validates and builds at once, with the editor
modeline, a lab reagent file, pre-commit and CI; it never overwrites a file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from benchsheet.cli import main
from benchsheet.cli_init import STARTER_FILES
from benchsheet.reagents.library import read_reagent_file
from benchsheet.schema import schema_text


def test_init_writes_a_starter_that_validates_and_builds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    lab = tmp_path / "lab"
    assert main(["init", str(lab)]) == 0
    written = {p.relative_to(lab).as_posix() for p in lab.rglob("*") if p.is_file()}
    assert written == set(STARTER_FILES)
    example = lab / "protocols" / "example.yaml"
    # The modeline on the first line, pointing at the schema beside the protocols.
    first = example.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/protocol.schema.json"
    assert (example.parent / first.split("=", 1)[1]).resolve() == (
        lab / "schemas" / "protocol.schema.json")
    assert (lab / "schemas" / "protocol.schema.json").read_text(encoding="utf-8") == schema_text()
    (entry,) = read_reagent_file(lab / "reagents.yaml")
    assert entry.id == "potassium-sulfate"
    capsys.readouterr()

    monkeypatch.chdir(lab)
    # benchsheet.toml names the reagent file, so plain commands use it.
    assert main(["config", "--format", "json"]) == 0
    reagents = json.loads(capsys.readouterr().out)["settings"]["reagents"]
    assert [Path(p).name for p in reagents["value"]] == ["reagents.yaml"]
    assert Path(reagents["source"]).name == "benchsheet.toml"
    # Clean: no warning at all, with and without the lab's reagent file.
    assert main(["validate", "--fail-on", "warning", "protocols/"]) == 0
    assert main(["validate", "--fail-on", "warning", "--reagents", "reagents.yaml",
                 "protocols/"]) == 0
    assert main(["build", "protocols/", "-o", "build/"]) == 0
    assert (lab / "build" / "example-zif8.html").is_file()
    assert (lab / "build" / "protocols.eln").is_file()


def test_the_workflow_and_pre_commit_config_say_what_the_readme_says(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path)]) == 0
    workflow = yaml.safe_load((tmp_path / ".github/workflows/benchsheet.yml").read_text("utf-8"))
    steps = workflow["jobs"]["protocols"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert any("--format github" in r for r in runs)
    assert any("--format sarif -o results.sarif" in r for r in runs)
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@")
               for s in steps)
    assert workflow["jobs"]["protocols"]["permissions"]["security-events"] == "write"
    assert "@BENCHSHEET_VERSION@" not in (tmp_path / ".github/workflows/benchsheet.yml"
                                           ).read_text("utf-8")
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text("utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert set(hooks) == {"benchsheet-validate", "benchsheet-validate-library"}
    assert hooks["benchsheet-validate-library"]["pass_filenames"] is False


def test_pre_commit_accepts_the_starter_config_and_the_hooks_file(
        tmp_path: Path, repo_root: Path) -> None:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    assert main(["init", str(tmp_path)]) == 0
    for command, path in (("validate-config", tmp_path / ".pre-commit-config.yaml"),
                          ("validate-manifest", repo_root / ".pre-commit-hooks.yaml")):
        done = subprocess.run([pre_commit, command, str(path)], capture_output=True,
                              text=True, check=False, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "reagents.yaml").write_text("reagents: []  # the lab's own\n", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "already has reagents.yaml; nothing written" in err
    # Nothing else was written either: a half-made starter would be worse than none.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reagents.yaml"]
    assert (tmp_path / "reagents.yaml").read_text(encoding="utf-8").startswith("reagents: []")


def test_init_into_a_file_is_a_usage_error(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("x", encoding="utf-8")
    assert main(["init", str(target)]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_init_defaults_to_the_current_folder(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    assert (tmp_path / "protocols" / "example.yaml").is_file()
    assert not list(tmp_path.rglob("*.tmp"))  # written through write_atomic, nothing left over
