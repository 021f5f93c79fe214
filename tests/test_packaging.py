"""What the wheel ships: the protocol JSON Schema (the same as the committed one) and the
starter library `benchsheet init` writes; and, built and installed in a fresh virtual
environment outside the repository, the README's main job works on what `init` wrote."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from benchsheet.cli_init import STARTER_FILES
from benchsheet.schema import PACKAGED_SCHEMA_PATH, SCHEMA_PATH, packaged_schema_text, schema_text
from working_tree import working_tree_repository

REGENERATE = (f"benchsheet schema -o {SCHEMA_PATH} && "
              f"benchsheet schema -o {PACKAGED_SCHEMA_PATH}")


def test_the_shipped_schema_is_the_committed_one(repo_root: Path) -> None:
    committed = (repo_root / SCHEMA_PATH).read_text(encoding="utf-8")
    shipped = (repo_root / PACKAGED_SCHEMA_PATH).read_text(encoding="utf-8")
    assert shipped == committed == schema_text(), f"out of date; run: {REGENERATE}"
    assert packaged_schema_text() == shipped  # what the installed package reads


def test_the_schema_id_is_an_identifier_not_an_address() -> None:
    # An https $id that serves nothing invites a fetch that fails; a URN never does.
    import json

    assert json.loads(schema_text())["$id"] == "urn:benchsheet:schema:protocol:1"


def _main_job(python_bin: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    # The README's first command, after its install: `benchsheet build protocols/ -o build/`.
    return subprocess.run([str(python_bin / "benchsheet"), "build", "protocols/", "-o", "build/"],
                          cwd=cwd, capture_output=True, text=True, check=False, timeout=600)


@pytest.mark.slow
def test_a_clean_wheel_installs_inits_and_builds(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    # The wheel is built from a copy of the working tree, so nothing is written into the
    # checkout (setuptools leaves build/ and *.egg-info behind).
    source = working_tree_repository(tmp_path / "src-copy")
    dist = tmp_path / "dist"
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                           str(dist), str(source)], capture_output=True, text=True,
                          check=False, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = dist.glob("benchsheet-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "benchsheet/schemas/protocol.schema.json" in names
    assert "benchsheet/py.typed" in names
    assert {"benchsheet/starter/protocols/example.yaml", "benchsheet/starter/reagents.yaml",
            "benchsheet/starter/pre-commit-config.yaml",
            "benchsheet/starter/github-workflow.yml"} <= names

    # A fresh environment outside the repository, its dependencies from the registry.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    done = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)],
                          capture_output=True, text=True, check=False, timeout=1200)
    assert done.returncode == 0, done.stdout + done.stderr

    lab = tmp_path / "lab"
    lab.mkdir()
    done = subprocess.run([str(bin_dir / "benchsheet"), "init"], cwd=lab, capture_output=True,
                          text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert {p.relative_to(lab).as_posix() for p in lab.rglob("*") if p.is_file()} == set(
        STARTER_FILES)
    done = _main_job(bin_dir, lab)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (lab / "build" / "example-zif8.md").is_file()
    assert (lab / "build" / "example-zif8.html").is_file()
    assert (lab / "build" / "index.html").is_file()
    assert (lab / "build" / "protocols.eln").is_file()
