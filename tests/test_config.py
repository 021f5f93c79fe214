"""config.py and its use by the command: a lab's settings, found upwards from the current
folder; the command line wins over the file, the file over the defaults."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from benchsheet.cli import main
from benchsheet.config import ConfigError, find_config, load_settings, read_config

HERE = Path(__file__).parent
VALID = HERE / "valid" / "minimal-salt-solution.yaml"
WRONG_UNIT = HERE / "invalid" / "un202-temperature-in-ml.yaml"  # one error: UN202
ONLY_WARNING = HERE / "invalid" / "rf302-unused-material.yaml"  # RF302, a warning

LAB_REAGENT = """\
reagents:
  - id: oleylamine-lab
    name: oleylamine (the lab's bottle)
    cas: 112-90-3
    formula: C18H37N
    phase_25C: liquid
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def pyproject(folder: Path, table: str) -> Path:
    return write(folder / "pyproject.toml",
                 '[project]\nname = "lab"\n\n[tool.benchsheet]\n' + textwrap.dedent(table))


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty lab repository, the current folder; no configuration above it either."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- finding the file -------------------------------------------------------------------------


def test_found_from_a_subfolder_upwards(lab: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = pyproject(lab, 'fail-on = "warning"\n')
    deep = lab / "protocols" / "2026" / "june"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert find_config() == config
    settings = load_settings()
    assert settings.fail_on == "warning"
    assert settings.source("fail-on") == f"{config}:5"


def test_the_nearest_file_wins(lab: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pyproject(lab, 'paper = "letter"\n')
    near = write(lab / "protocols" / "benchsheet.toml", 'fail-on = "info"\n')
    monkeypatch.chdir(lab / "protocols")
    settings = load_settings()
    assert settings.file == near
    assert (settings.fail_on, settings.paper) == ("info", "a4")  # no merging with the far one


def test_benchsheet_toml_before_pyproject_in_one_folder(lab: Path) -> None:
    pyproject(lab, 'paper = "letter"\n')
    own = write(lab / "benchsheet.toml", 'paper = "a4"\n')
    assert find_config() == own


def test_a_pyproject_without_the_table_does_not_count(lab: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    outer = pyproject(lab, 'fail-on = "warning"\n')
    write(lab / "pkg" / "pyproject.toml", '[project]\nname = "pkg"\n[tool.ruff]\nfix = true\n')
    write(lab / "other" / "pyproject.toml", "# benchsheet is mentioned, but no table\n")
    for folder in ("pkg", "other"):
        monkeypatch.chdir(lab / folder)
        assert find_config() == outer


def test_no_file_gives_the_defaults(lab: Path) -> None:
    settings = load_settings()
    assert settings.file is None
    assert (settings.fail_on, settings.paper, settings.output) == ("error", "a4", Path("build"))
    assert settings.source("paper") == "default"


def test_paths_are_relative_to_the_file(lab: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pyproject(lab, 'reagents = ["lab/reagents.yaml"]\noutput = "sheets"\n')
    (lab / "protocols").mkdir()
    monkeypatch.chdir(lab / "protocols")
    settings = load_settings()
    assert settings.reagents == (lab / "lab" / "reagents.yaml",)
    assert settings.output == lab / "sheets"


# --- wrong files: exit 2, the file and line, what would fix it ---------------------------------


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ('fail_on = "warning"\n', ":5: unknown setting 'fail_on'; did you mean 'fail-on'?"),
        ("colour = true\n", ":5: unknown setting 'colour'; the keys are: fail-on, select"),
        ('ignore = "ST102"\n', ':5: ignore = "ST102": write a list of rule codes or families'),
        ('select = [1]\n', ":5: select = [1]: write a list of rule codes or families"),
        ('fail-on = "fatal"\n', ':5: fail-on = "fatal": write one of "info", "warning", "error"'),
        ('paper = "a3"\n', ':5: paper = "a3": write one of "a4", "letter"'),
        ("output = 3\n", ':5: output = 3: write a folder, e.g. output = "build"'),
        ('reagents = "lab.yaml"\n', ':5: reagents = "lab.yaml": write a list of files'),
        ('exclude = "drafts/"\n', ':5: exclude = "drafts/": write a list of patterns'),
        ('per-file-ignores = ["RF302"]\n', ":5: per-file-ignores = [\"RF302\"]: write a table"),
        ('[tool.benchsheet.per-file-ignores]\n"old/*" = "RF302"\n',
         ':6: per-file-ignores."old/*" = "RF302": write a list of rule codes or families'),
        ("fail-on = \n", ":5:11: not valid TOML: Invalid value; fix the syntax"),
    ],
)
def test_a_bad_setting_is_a_usage_error_naming_it(capsys: pytest.CaptureFixture[str], lab: Path,
                                                  table: str, words: str) -> None:
    config = pyproject(lab, table)
    with pytest.raises(ConfigError):
        read_config(config)
    code, out, err = run(capsys, "validate", VALID)
    assert code == 2
    assert out == ""
    assert f"benchsheet: {config}{words}" in err
    assert "Traceback" not in err


def test_a_code_in_the_file_that_names_no_rule(capsys: pytest.CaptureFixture[str],
                                               lab: Path) -> None:
    config = pyproject(lab, 'ignore = ["ST10Z"]\n')
    code, _, err = run(capsys, "validate", VALID)
    assert code == 2
    assert f"benchsheet: {config}:5: ignore ST10Z: no such rule or family" in err


def test_benchsheet_toml_errors_name_its_line(capsys: pytest.CaptureFixture[str],
                                              lab: Path) -> None:
    config = write(lab / "benchsheet.toml", '# the lab\n\npaper = "A5"\n')
    code, _, err = run(capsys, "build", "-o", lab / "out")
    assert code == 2
    assert f'{config}:3: paper = "A5": write one of "a4", "letter"' in err


# --- precedence: command line > file > default ------------------------------------------------


def test_fail_on(capsys: pytest.CaptureFixture[str], lab: Path) -> None:
    assert run(capsys, "validate", ONLY_WARNING)[0] == 0  # default: error
    pyproject(lab, 'fail-on = "warning"\n')
    assert run(capsys, "validate", ONLY_WARNING)[0] == 1  # the file
    assert run(capsys, "validate", ONLY_WARNING, "--fail-on", "error")[0] == 0  # the option


def test_ignore(capsys: pytest.CaptureFixture[str], lab: Path) -> None:
    assert run(capsys, "validate", WRONG_UNIT)[0] == 1
    pyproject(lab, 'ignore = ["UN202"]\n')
    code, out, _ = run(capsys, "validate", WRONG_UNIT)
    assert code == 0
    assert "UN202" not in out
    # The option replaces the file's list: UN202 is checked again.
    assert run(capsys, "validate", WRONG_UNIT, "--ignore", "RF302")[0] == 1


def test_select(capsys: pytest.CaptureFixture[str], lab: Path) -> None:
    pyproject(lab, 'select = ["RF"]\n')
    assert run(capsys, "validate", WRONG_UNIT)[0] == 0  # only RF rules: the UN202 is not asked
    assert run(capsys, "validate", WRONG_UNIT, "--select", "UN")[0] == 1


def test_per_file_ignores(capsys: pytest.CaptureFixture[str], lab: Path) -> None:
    shutil.copy(WRONG_UNIT, write(lab / "old" / "x.yaml", ""))
    shutil.copy(WRONG_UNIT, lab / "new.yaml")
    pyproject(lab, '[tool.benchsheet.per-file-ignores]\n"old/*.yaml" = ["UN2"]\n')
    code, out, _ = run(capsys, "validate", ".")
    assert code == 1
    assert [line.split(":")[0] for line in out.splitlines() if " UN202 " in line] == ["new.yaml"]
    code, _, _ = run(capsys, "validate", "old")
    assert code == 0


def test_per_file_ignores_hold_from_a_subfolder(capsys: pytest.CaptureFixture[str], lab: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(WRONG_UNIT, write(lab / "old" / "x.yaml", ""))
    pyproject(lab, 'per-file-ignores = {"old/*.yaml" = ["UN202"]}\n')
    monkeypatch.chdir(lab / "old")
    assert run(capsys, "validate", "x.yaml")[0] == 0


def test_reagents(capsys: pytest.CaptureFixture[str], lab: Path,
                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(capsys, "reagents", "oleylamine-lab")[0] == 1  # not in the library
    write(lab / "lab" / "reagents.yaml", LAB_REAGENT)
    pyproject(lab, 'reagents = ["lab/reagents.yaml"]\n')
    (lab / "protocols").mkdir()
    monkeypatch.chdir(lab / "protocols")  # the path is the file's, not the current folder's
    code, out, _ = run(capsys, "reagents", "oleylamine-lab")
    assert code == 0
    assert "the lab's bottle" in out
    write(lab / "other.yaml", "reagents: []\n")
    assert run(capsys, "reagents", "oleylamine-lab", "--reagents", lab / "other.yaml")[0] == 1


def test_a_missing_reagent_file_from_the_config(capsys: pytest.CaptureFixture[str],
                                                lab: Path) -> None:
    pyproject(lab, 'reagents = ["nowhere.yaml"]\n')
    code, _, err = run(capsys, "validate", VALID)
    assert code == 2
    assert "nowhere.yaml" in err


def test_paper_and_output(capsys: pytest.CaptureFixture[str], lab: Path) -> None:
    pyproject(lab, 'paper = "letter"\noutput = "sheets"\n')
    code, _, _ = run(capsys, "render", VALID, "--format", "html")
    assert code == 0
    sheet = lab / "sheets" / "minimal-salt-solution.html"
    assert "size: letter" in sheet.read_text(encoding="utf-8")
    code, _, _ = run(capsys, "render", VALID, "--format", "html", "--paper", "a4", "-o", "mine")
    assert code == 0
    assert "size: A4" in (lab / "mine" / "minimal-salt-solution.html").read_text(encoding="utf-8")


def test_render_needs_an_output_folder_from_somewhere(capsys: pytest.CaptureFixture[str],
                                                      lab: Path) -> None:
    code, _, err = run(capsys, "render", VALID)
    assert code == 2
    assert "-o DIR" in err


def test_build_output(capsys: pytest.CaptureFixture[str], lab: Path) -> None:
    shutil.copy(VALID, write(lab / "protocols" / "salt.yaml", ""))
    assert run(capsys, "build", "--date", "2026-01-01")[0] == 0
    assert (lab / "build" / "index.html").exists()  # the default
    pyproject(lab, 'output = "site"\n')
    assert run(capsys, "build", "--date", "2026-01-01")[0] == 0
    assert (lab / "site" / "index.html").exists()
    assert run(capsys, "build", "--date", "2026-01-01", "-o", "elsewhere")[0] == 0
    assert (lab / "elsewhere" / "index.html").exists()


@pytest.mark.parametrize(("table", "argv", "used"), [
    ("", [], 5),  # the default: the cores the run may use (default_jobs, 5 here)
    ('jobs = "auto"\n', [], 5),
    ("jobs = 2\n", [], 2),
    ("jobs = 1\n", [], None),  # one process: no worker
    ("jobs = 1\n", ["--jobs", "3"], 3),  # the command line wins
    ("jobs = 3\n", ["--jobs", "1"], None),
])
@pytest.mark.parametrize("command", ["validate", "build"])
def test_jobs_from_the_file(capsys: pytest.CaptureFixture[str], lab: Path,
                            monkeypatch: pytest.MonkeyPatch, table: str, argv: list[str],
                            used: int | None, command: str) -> None:
    """A lab sets the processes of validate and build once (a shared runner kept to two, or
    one); --jobs wins. validate is spread from two files on here, and the workers it starts
    are counted where it starts them; build's sheets are shared out for the jobs it has."""
    from benchsheet import build_jobs, workers

    for name in ("a", "b"):  # two protocols, each with its own id
        text = VALID.read_text(encoding="utf-8")
        write(lab / "protocols" / f"{name}.yaml", text.replace(
            "id: minimal-salt-solution", f"id: salt-{name}", 1))
    pyproject(lab, table)
    started: list[int] = []
    across, shares = workers._across_processes, build_jobs.shares

    def counted(files: object, options: object, library: object, jobs: int,
                *rest: object) -> object:
        started.append(jobs)
        return across(files, options, library, jobs, *rest)  # type: ignore[arg-type]

    def shared(count: int, jobs: int) -> list[range]:
        started.append(jobs)
        return shares(count, jobs)

    monkeypatch.setattr(workers, "PARALLEL_FROM", 2)
    monkeypatch.setattr(workers, "_across_processes", counted)
    monkeypatch.setattr(build_jobs, "shares", shared)
    monkeypatch.setattr(workers, "default_jobs", lambda: 5)
    extra = ["--date", "2026-01-01"] if command == "build" else []
    code, _, err = run(capsys, command, "protocols", *extra, *argv)
    assert code == 0, err
    if command == "validate":
        assert started == ([] if used is None else [used])
    else:  # a build of two files validates them in this process; its sheets are shared
        assert started == [used or 1]


@pytest.mark.parametrize("value", ["0", "-2", "true", '"many"', "1.5", "[2]"])
def test_jobs_must_be_a_count_or_auto(lab: Path, value: str) -> None:
    config = pyproject(lab, f"jobs = {value}\n")
    with pytest.raises(ConfigError) as raised:
        read_config(config)
    assert str(raised.value).startswith(f"{config}:5: jobs = {value}: write a number of "
                                        "processes, 1 or more")


# --- benchsheet config ------------------------------------------------------------------------


def test_config_text_says_where_each_setting_came_from(capsys: pytest.CaptureFixture[str],
                                                       lab: Path) -> None:
    config = pyproject(lab, 'fail-on = "warning"\nexclude = ["drafts/"]\n')
    code, out, _ = run(capsys, "config", "--paper", "letter")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"# {config}"
    settings = {line.split(" = ")[0]: line for line in lines[1:]}
    assert settings["fail-on"].endswith(f"# {config}:5")
    assert settings["fail-on"].startswith('fail-on = "warning"')
    assert settings["exclude"].startswith('exclude = ["drafts/"]')
    assert settings["paper"].startswith('paper = "letter"')
    assert settings["paper"].endswith("# command line")
    assert settings["select"].endswith("# default")
    assert set(settings) == {"fail-on", "select", "ignore", "per-file-ignores", "reagents",
                             "paper", "exclude", "output", "limits", "jobs"}
    assert settings["jobs"].startswith('jobs = "auto"')
    assert settings["jobs"].endswith("# default")


def test_config_without_a_file(capsys: pytest.CaptureFixture[str], lab: Path) -> None:
    code, out, _ = run(capsys, "config")
    assert code == 0
    assert out.startswith("# no configuration file")
    assert all(line.endswith("# default") for line in out.splitlines()[1:])


def test_config_json(capsys: pytest.CaptureFixture[str], lab: Path) -> None:
    config = pyproject(lab, 'ignore = ["RF302"]\n[tool.benchsheet.per-file-ignores]\n'
                            '"drafts/*" = ["ST"]\n')
    code, out, _ = run(capsys, "config", "--format", "json", "--fail-on", "info")
    assert code == 0
    payload = json.loads(out)
    assert payload["file"] == str(config)
    got = payload["settings"]
    assert got["ignore"] == {"value": ["RF302"], "source": str(config), "line": 5}
    assert got["per-file-ignores"]["value"] == {"drafts/*": ["ST"]}
    assert got["per-file-ignores"]["line"] == 6
    assert got["fail-on"] == {"value": "info", "source": "command line", "line": None}
    assert got["output"] == {"value": "build", "source": "default", "line": None}


def test_config_reports_a_bad_file(capsys: pytest.CaptureFixture[str], lab: Path) -> None:
    config = pyproject(lab, "unknown = 1\n")
    code, out, err = run(capsys, "config")
    assert code == 2
    assert out == ""
    assert f"{config}:5: unknown setting 'unknown'" in err


def test_the_readme_example_is_a_working_configuration(tmp_path: Path) -> None:
    readme = (HERE.parent / "README.md").read_text(encoding="utf-8")
    example, limits = re.findall(r"^```toml\n(.*?)```", readme, flags=re.DOTALL | re.MULTILINE)
    settings = read_config(write(tmp_path / "pyproject.toml", example))
    assert settings.fail_on == "warning"
    assert settings.per_file_ignores == (("archive/**/*.yaml", ("RF302", "ST")),)
    assert settings.output == tmp_path / "site"
    assert settings.jobs == 2
    raised = read_config(write(tmp_path / "pyproject.toml", limits)).limits
    assert (raised.variants, raised.file_size) == (200, 20 * 1024 * 1024)


def test_export_follows_the_configuration(capsys: pytest.CaptureFixture[str],
                                          lab: Path) -> None:
    """export reads the file as validate does: its exclude leaves a draft out of the archive
    (the draft would fail the export), and its output folder does not replace the archive."""
    protocols = Path(__file__).resolve().parents[1] / "protocols"
    shutil.copy(protocols / "ag18-cluster.yaml", lab / "ag18-cluster.yaml")
    write(lab / "drafts" / "broken.yaml", "id: broken\n")
    pyproject(lab, 'exclude = ["drafts/"]\noutput = "elsewhere"\n')
    code, _, err = run(capsys, "export", lab, "--to", "eln", "-o", lab / "lab.eln",
                       "--date", "2026-11-30")
    assert code == 0, err
    assert (lab / "lab.eln").exists()
    assert not (lab / "elsewhere").exists()
