"""cli.py: validate, schema and explain; formats, exit codes 0/1/2, rule selection."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from benchsheet.cli import main

HERE = Path(__file__).parent
WRONG_UNIT = HERE / "invalid" / "un202-temperature-in-ml.yaml"  # one error: UN202 at 23:18
TWO_ERRORS = HERE / "invalid" / "un202-sc101-two-errors.yaml"  # UN202 and SC101
ONLY_WARNING = HERE / "invalid" / "rf302-unused-material.yaml"  # RF302, a warning
VALID = HERE / "valid" / "minimal-salt-solution.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def codes_in(text_output: str) -> list[str]:
    """The codes of the finding lines of text output (path:line:col CODE severity: ...)."""
    return [line.split()[1] for line in text_output.splitlines() if ": " in line
            and line.split()[0].count(":") >= 2]


def test_valid_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(VALID))
    assert code == 0
    assert out == "1 file(s) checked: 0 error(s), 0 warning(s), 0 note(s) — ok\n"


def test_error_exits_1_with_a_compiler_style_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(WRONG_UNIT))
    assert code == 1
    # line 23 of the file is '    temperature: 10 mL'; '    temperature: ' is 17 characters.
    assert out.splitlines()[0].startswith(f"{WRONG_UNIT}:23:18 UN202 error: temperature: ")


def test_json_format_parses(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--format", "json", str(TWO_ERRORS))
    assert code == 1
    payload = json.loads(out)
    assert payload["failed"] is True
    assert sorted(f["code"] for f in payload["findings"]) == ["SC101", "UN202"]


def test_github_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--format", "github", str(WRONG_UNIT))
    assert code == 1
    assert out.startswith(f"::error file={WRONG_UNIT},line=23,col=18,title=UN202 ")


def test_missing_path_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "validate", str(tmp_path / "nope"))
    assert code == 2
    assert f"{tmp_path / 'nope'}: no such file or folder" in err


def test_missing_path_beside_a_good_file_still_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(capsys, "validate", str(VALID), str(tmp_path / "nope"))[0] == 2


def test_folder_without_protocols_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("not a protocol\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(tmp_path))
    assert code == 2
    assert "no protocol files" in err


@pytest.mark.parametrize("argv", [
    ["validate", str(VALID), "--format", "xml"],
    ["validate", str(VALID), "--fail-on", "fatal"],
    ["validate"],
    ["frobnicate"],
    [],
])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert run(capsys, *argv)[0] == 2


def test_fail_on_warning(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "validate", str(ONLY_WARNING))[0] == 0
    code, out, _ = run(capsys, "validate", "--fail-on", "warning", str(ONLY_WARNING))
    assert code == 1
    assert codes_in(out) == ["RF302"]


@pytest.mark.parametrize(
    ("option", "left"),
    [
        (["--select", "UN"], ["UN202"]),  # family prefix
        (["--select", "un202"], ["UN202"]),  # a code, any case
        (["--select", "SC,UN"], ["SC101", "UN202"]),
        (["--ignore", "UN202"], ["SC101"]),
        (["--ignore", "SC"], ["UN202"]),
        (["--ignore", "SC,UN"], []),
    ],
)
def test_select_and_ignore(capsys: pytest.CaptureFixture[str], option: list[str],
                           left: list[str]) -> None:
    code, out, _ = run(capsys, "validate", *option, str(TWO_ERRORS))
    assert sorted(codes_in(out)) == left
    assert code == (1 if left else 0)


def test_ignoring_a_family_clears_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "validate", "--fail-on", "warning", "--ignore", "RF",
               str(ONLY_WARNING))[0] == 0


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out == f"benchsheet {version('benchsheet')}\n"


def test_help_names_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("validate", "explain", "schema"):
        assert command in out


def test_explain_a_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "rf301")
    assert code == 0
    assert out.startswith("RF301 (error, references between parts of the protocol")
    assert "does not declare" in out  # the rule's docstring is its explanation


def test_explain_a_family_lists_its_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "UN")
    assert code == 0
    assert out.splitlines()[0] == "UN: units and quantities"
    listed = [line.split()[0] for line in out.splitlines()[1:]]
    assert listed == [f"UN{n}" for n in range(201, 210)]


def test_explain_unknown_code_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "explain", "ZZ999")
    assert code == 2
    assert "no rule ZZ999" in err


def test_schema_to_stdout_is_the_generated_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from benchsheet.schema import schema_text

    code, out, _ = run(capsys, "schema", "-o", "-")
    assert code == 0
    assert out == schema_text()


def test_schema_check_reports_a_stale_file(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    stale = tmp_path / "protocol.schema.json"
    stale.write_text("{}\n", encoding="utf-8")
    code, _, err = run(capsys, "schema", "--check", "-o", str(stale))
    assert code == 1
    assert f"run: benchsheet schema -o {stale}" in err
    assert run(capsys, "schema", "-o", str(stale))[0] == 0
    assert run(capsys, "schema", "--check", "-o", str(stale))[0] == 0


def test_python_dash_m_runs_the_same_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "benchsheet", "validate", "--format", "json",
                           str(TWO_ERRORS)], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert {f["code"] for f in json.loads(done.stdout)["findings"]} == {"SC101", "UN202"}


def test_the_command_line_leaves_with_all_its_output(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    """A run of its own process ends without the interpreter's teardown (``cli._leave``):
    its exit code and every byte of its output must be those of the same run in Python.
    The bundled library's JSON report is some hundred kB, far past a pipe's buffer, and
    written to a file it is buffered whole until the end."""
    protocols = HERE.parent / "protocols"
    if not protocols.is_dir():
        pytest.skip("the bundled protocols are not beside the tests")
    code, expected, _ = run(capsys, "validate", "--format", "json", "--jobs", "1",
                            str(protocols))
    assert len(expected) > 65_536
    # Buffered as a user's shell buffers it (some CI runners set PYTHONUNBUFFERED).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    done = subprocess.run([sys.executable, "-m", "benchsheet", "validate", "--format",
                           "json", "--jobs", "1", str(protocols)], capture_output=True,
                          text=True, check=False, env=env)
    assert (done.returncode, done.stdout) == (code, expected)
    report = tmp_path / "report.json"
    with report.open("w", encoding="utf-8") as out:
        done = subprocess.run([sys.executable, "-m", "benchsheet", "validate", "--format",
                               "json", "--jobs", "1", str(protocols)], stdout=out, check=False,
                              env=env)
    assert done.returncode == code
    assert report.read_text(encoding="utf-8") == expected
    failing = subprocess.run([sys.executable, "-m", "benchsheet", "validate", str(TWO_ERRORS)],
                             capture_output=True, text=True, check=False, env=env)
    assert failing.returncode == 1
    assert failing.stdout.rstrip().endswith("FAILED")


def test_python_dash_m_missing_path_exits_2_without_traceback(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "benchsheet", "validate",
                           str(tmp_path / "nope.yaml")], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
