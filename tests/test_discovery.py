"""discovery.py: which protocol files a folder's search finds, and what it leaves out and why
(.gitignore, the configuration's exclude, virtual environments, build folders)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchsheet.cli import main
from benchsheet.discovery import DiscoveryRules, find_protocols, matching_codes

HERE = Path(__file__).parent
VALID = HERE / "valid" / "minimal-salt-solution.yaml"
WRONG_UNIT = HERE / "invalid" / "un202-temperature-in-ml.yaml"


def protocol(path: Path, source: Path = VALID) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, path)
    return path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def found(*paths: Path, rules: DiscoveryRules | None = None) -> list[str]:
    """The files found, relative to the current folder, as posix paths."""
    result = find_protocols(list(paths), rules)
    assert result.errors == []
    return [p.as_posix() for p in result.files]


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A lab's git repository (a .git folder is all discovery looks at), the current folder."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_gitignored_files_and_folders_are_skipped(repo: Path) -> None:
    protocol(repo / "a.yaml")
    protocol(repo / "scratch.yaml")
    protocol(repo / "tmp" / "b.yaml")
    write(repo / ".gitignore", "scratch.yaml\ntmp/\n")
    result = find_protocols([Path()])
    assert [p.as_posix() for p in result.files] == ["a.yaml"]
    reasons = {s.path.as_posix(): s.reason for s in result.skipped}
    assert reasons["scratch.yaml"] == "ignored by .gitignore (scratch.yaml)"
    assert reasons["tmp"] == "ignored by .gitignore (tmp/)"


def test_a_nested_gitignore_applies_below_its_folder(repo: Path) -> None:
    protocol(repo / "draft.yaml")
    protocol(repo / "lab" / "draft.yaml")
    protocol(repo / "lab" / "final.yaml")
    write(repo / "lab" / ".gitignore", "draft.yaml\n")
    assert found(Path()) == ["draft.yaml", "lab/final.yaml"]


def test_a_negation_takes_a_file_back(repo: Path) -> None:
    protocol(repo / "runs" / "keep.yaml")
    protocol(repo / "runs" / "old.yaml")
    write(repo / ".gitignore", "runs/*.yaml\n!keep.yaml\n")
    assert found(Path()) == ["runs/keep.yaml"]


def test_a_deeper_gitignore_overrides_a_shallower_one(repo: Path) -> None:
    protocol(repo / "runs" / "keep.yaml")
    protocol(repo / "runs" / "old.yaml")
    write(repo / ".gitignore", "*.yaml\n")
    write(repo / "runs" / ".gitignore", "!keep.yaml\n")
    assert found(Path()) == ["runs/keep.yaml"]


def test_gitignore_files_above_the_searched_folder_count_up_to_the_repository(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    protocol(repo / "protocols" / "a.yaml")
    protocol(repo / "protocols" / "a.draft.yaml")
    protocol(repo / "protocols" / "b.yaml")
    write(repo / ".gitignore", "*.draft.yaml\n")
    write(tmp_path / ".gitignore", "b.yaml\n")  # above the repository: means nothing to git
    monkeypatch.chdir(repo / "protocols")
    assert found(Path()) == ["a.yaml", "b.yaml"]
    assert found(repo / "protocols") == [(repo / "protocols" / n).as_posix()
                                         for n in ("a.yaml", "b.yaml")]


def test_outside_a_repository_only_the_searched_folders_ignore_files_count(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    protocol(tmp_path / "lab" / "a.yaml")
    write(tmp_path / ".gitignore", "a.yaml\n")  # not a repository: not read for lab/
    monkeypatch.chdir(tmp_path)
    assert found(Path("lab")) == ["lab/a.yaml"]
    assert found(Path()) == []  # its own folder's .gitignore is read


def test_an_ignored_folder_named_on_the_command_line_is_searched(repo: Path) -> None:
    protocol(repo / "drafts" / "a.yaml")
    write(repo / ".gitignore", "drafts/\n")
    assert found(Path()) == []
    assert found(Path("drafts")) == ["drafts/a.yaml"]


def test_an_excluded_folder_named_on_the_command_line_is_searched(repo: Path) -> None:
    # As this repository's own tests/invalid/: left out of `validate .`, checked when named.
    protocol(repo / "invalid" / "a.yaml")
    protocol(repo / "b.yaml")
    rules = DiscoveryRules(exclude=("invalid/",), root=repo, exclude_source="pyproject.toml")
    assert found(Path(), rules=rules) == ["b.yaml"]
    assert found(Path("invalid"), rules=rules) == ["invalid/a.yaml"]


def test_always_skipped_folders(repo: Path) -> None:
    protocol(repo / "a.yaml")
    for folder in (".git", "node_modules/pkg", "__pycache__", "build", "dist"):
        protocol(repo / folder / "x.yaml")
    venv = repo / "env-3.11"  # any name: pyvenv.cfg makes it a virtual environment
    write(venv / "pyvenv.cfg", "home = /usr/bin\n")
    protocol(venv / "lib" / "site-packages" / "pkg" / "x.yaml")
    result = find_protocols([Path()])
    assert [p.as_posix() for p in result.files] == ["a.yaml"]
    reasons = {s.path.as_posix(): s.reason for s in result.skipped}
    assert reasons == {
        ".git": "version-control data",
        "node_modules": "JavaScript packages",
        "__pycache__": "Python byte-code cache",
        "build": "a build output folder",
        "dist": "a build output folder",
        "env-3.11": "a virtual environment (has pyvenv.cfg)",
    }


def test_a_real_virtual_environment_is_skipped(repo: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(repo / ".venv")],
                   check=True, timeout=120)
    protocol(repo / ".venv" / "lib" / "x.yaml")
    protocol(repo / "a.yaml")
    assert found(Path()) == ["a.yaml"]


def test_the_output_folder_is_skipped(repo: Path) -> None:
    protocol(repo / "a.yaml")
    protocol(repo / "sheets" / "copy.yaml")
    rules = DiscoveryRules(output=repo / "sheets")
    assert found(Path(), rules=rules) == ["a.yaml"]
    reasons = {s.path.as_posix(): s.reason for s in find_protocols([Path()], rules).skipped}
    assert reasons["sheets"] == "the output folder"


def test_exclude_patterns_are_relative_to_their_root(repo: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    protocol(repo / "protocols" / "a.yaml")
    protocol(repo / "protocols" / "a.draft.yaml")
    protocol(repo / "protocols" / "old" / "b.yaml")
    protocol(repo / "old" / "c.yaml")
    rules = DiscoveryRules(exclude=("*.draft.yaml", "/old/"), root=repo,
                           exclude_source="pyproject.toml")
    monkeypatch.chdir(repo / "protocols")
    assert found(Path(), rules=rules) == ["a.yaml", "old/b.yaml"]  # /old/ is the root's
    skipped = find_protocols([Path()], rules).skipped
    assert [str(s) for s in skipped] == ["a.draft.yaml: excluded by pyproject.toml "
                                         "(*.draft.yaml)"]


def test_a_file_named_on_the_command_line_is_never_excluded(repo: Path) -> None:
    protocol(repo / "build" / "a.yaml")
    protocol(repo / "scratch.yaml")
    write(repo / ".gitignore", "scratch.yaml\n")
    rules = DiscoveryRules(exclude=("*.yaml",), root=repo)
    assert found(Path("build/a.yaml"), Path("scratch.yaml"), rules=rules) == [
        "build/a.yaml", "scratch.yaml"]


def test_a_file_reached_twice_is_taken_once_where_first_reached(repo: Path) -> None:
    protocol(repo / "lab" / "a.yaml")
    protocol(repo / "lab" / "b.yaml")
    protocol(repo / "c.yaml")
    # The folder twice; a file of it named after it, spelt two ways; a file named first.
    assert found(Path("c.yaml"), Path("lab"), Path("lab"), Path("lab/b.yaml"),
                 Path("./lab/a.yaml"), Path("c.yaml")) == ["c.yaml", "lab/a.yaml", "lab/b.yaml"]
    # A link is a file of its own name, as the search walks it: both are kept.
    (repo / "lab" / "link.yaml").symlink_to(repo / "lab" / "a.yaml")
    assert found(Path("lab"), Path("lab")) == ["lab/a.yaml", "lab/b.yaml", "lab/link.yaml"]


def test_a_folder_named_twice_is_validated_and_built_once(
        capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    protocol(repo / "lab" / "a.yaml", WRONG_UNIT)
    code, out, _ = run(capsys, "validate", "lab", "lab", "lab/a.yaml")
    assert code == 1
    assert "1 file(s) checked: 1 error(s)" in out
    code, out, err = run(capsys, "build", "lab", "lab", "-o", "sheets", "--date", "2026-01-01")
    assert "of 1 protocol files" in out
    assert "exported as" not in err  # no second copy of its variants to collide with


def test_per_file_patterns(tmp_path: Path) -> None:
    per_file = [("old/*.yaml", ("RF302",)), ("*.draft.yaml", ("ST", "GS"))]
    assert matching_codes(tmp_path / "old" / "a.yaml", per_file, tmp_path) == ("RF302",)
    assert matching_codes(tmp_path / "x" / "a.draft.yaml", per_file, tmp_path) == ("ST", "GS")
    assert matching_codes(tmp_path / "new" / "a.yaml", per_file, tmp_path) == ()
    # Outside the configuration's folder only the patterns without a folder apply, by name.
    assert matching_codes(Path("/elsewhere/old/a.draft.yaml"), per_file, tmp_path) == (
        "ST", "GS")


# --- through the command ----------------------------------------------------------------------


def test_validate_dot_skips_the_venv_and_the_build_output(capsys: pytest.CaptureFixture[str],
                                                          repo: Path) -> None:
    protocol(repo / "protocols" / "a.yaml")
    write(repo / ".venv" / "pyvenv.cfg", "home = /usr/bin\n")
    protocol(repo / ".venv" / "lib" / "broken.yaml", WRONG_UNIT)
    protocol(repo / "build" / "broken.yaml", WRONG_UNIT)
    protocol(repo / "drafts" / "broken.yaml", WRONG_UNIT)
    write(repo / ".gitignore", "drafts/\n")
    code, out, err = run(capsys, "validate", ".")
    assert code == 0
    assert out.startswith("1 file(s) checked")
    assert "skipped" not in err  # only on -v


def test_v_lists_what_was_skipped_and_why(capsys: pytest.CaptureFixture[str],
                                          repo: Path) -> None:
    protocol(repo / "protocols" / "a.yaml")
    protocol(repo / "protocols" / "b.draft.yaml")
    write(repo / ".venv" / "pyvenv.cfg", "home = /usr/bin\n")
    write(repo / ".gitignore", "*.draft.yaml\n")
    write(repo / "pyproject.toml", '[tool.benchsheet]\nexclude = ["protocols/old/"]\n')
    protocol(repo / "protocols" / "old" / "c.yaml")
    code, _, err = run(capsys, "validate", ".", "-v")
    assert code == 0
    skipped = sorted(line for line in err.splitlines() if "skipped" in line)
    assert skipped == sorted([
        "benchsheet: skipped .git/: version-control data",
        "benchsheet: skipped .venv/: a virtual environment (has pyvenv.cfg)",
        "benchsheet: skipped protocols/b.draft.yaml: ignored by .gitignore (*.draft.yaml)",
        f"benchsheet: skipped protocols/old/: excluded by {repo / 'pyproject.toml'}:2 "
        "(protocols/old/)",
    ])


def test_build_skips_its_configured_output_folder(capsys: pytest.CaptureFixture[str],
                                                  repo: Path) -> None:
    protocol(repo / "lab" / "a.yaml")
    write(repo / "benchsheet.toml", 'output = "lab/sheets"\n')
    protocol(repo / "lab" / "sheets" / "stale-copy.yaml", WRONG_UNIT)
    code, out, _ = run(capsys, "build", "lab", "--date", "2026-01-01")
    assert code == 0
    assert "of 1 protocol files" in out
    assert (repo / "lab" / "sheets" / "index.html").exists()


def test_validating_one_file_does_not_import_pathspec() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from benchsheet.cli import main; "
         f"code = main(['validate', {str(VALID)!r}]); "
         "assert 'pathspec' not in sys.modules, 'pathspec imported'; sys.exit(code)"],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


def test_the_labs_reagent_files_are_not_protocols(capsys: pytest.CaptureFixture[str],
                                                  repo: Path) -> None:
    protocol(repo / "protocols" / "a.yaml")
    write(repo / "lab" / "reagents.yaml", "reagents: []\n")
    write(repo / "pyproject.toml", '[tool.benchsheet]\nreagents = ["lab/reagents.yaml"]\n')
    code, out, err = run(capsys, "validate", ".", "-v")
    assert code == 0
    assert out.startswith("1 file(s) checked")
    assert "benchsheet: skipped lab/reagents.yaml: a reagent file (reagents)" in err
