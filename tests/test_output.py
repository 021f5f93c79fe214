"""validate's output options: -q and -v, colour on a terminal only, '-' for standard input,
--output-format, and the progress bar that only a terminal pays for."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from benchsheet.cli import main
from benchsheet.cli_output import use_color
from benchsheet.progress import MIN_ITEMS, track

HERE = Path(__file__).parent
PROTOCOLS = HERE.parent / "protocols"
WRONG_UNIT = HERE / "invalid" / "un202-temperature-in-ml.yaml"  # one error: UN202 at 23:18
ONLY_WARNING = HERE / "invalid" / "rf302-unused-material.yaml"  # RF302, a warning
NOT_UTF8 = HERE / "invalid" / "ld010-latin1.yaml"
VALID = HERE / "valid" / "minimal-salt-solution.yaml"
ESC = "\x1b["


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def finding_lines(out: str) -> list[str]:
    """Every line but the closing summary."""
    return out.splitlines()[:-1]


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal, as a person's shell is."""

    def isatty(self) -> bool:
        return True


# -q and -v


def test_quiet_clean_run_prints_only_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "-q", str(VALID))
    assert code == 0
    assert out == "1 file(s) checked: 0 error(s), 0 warning(s), 0 note(s) — ok\n"


def test_quiet_hides_acknowledged_findings_of_the_library(
        capsys: pytest.CaptureFixture[str]) -> None:
    _, loud, _ = run(capsys, "validate", str(PROTOCOLS))
    assert any("(acknowledged: " in line for line in finding_lines(loud))
    code, out, _ = run(capsys, "validate", "--quiet", str(PROTOCOLS))
    assert code == 0
    assert finding_lines(out) == []
    assert out.splitlines()[-1] == loud.splitlines()[-1]  # the summary counts the same


def test_quiet_hides_findings_below_fail_on(capsys: pytest.CaptureFixture[str]) -> None:
    _, loud, _ = run(capsys, "validate", str(ONLY_WARNING))
    assert " RF302 warning: " in loud
    code, out, _ = run(capsys, "validate", "-q", str(ONLY_WARNING))
    assert code == 0
    assert finding_lines(out) == []
    code, out, _ = run(capsys, "validate", "-q", "--fail-on", "warning", str(ONLY_WARNING))
    assert code == 1
    assert [line.split()[1:3] for line in finding_lines(out)] == [["RF302", "warning:"]]


def test_quiet_lists_the_failures(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "-q", str(WRONG_UNIT))
    assert code == 1
    (line,) = finding_lines(out)
    assert line.startswith(f"{WRONG_UNIT}:23:18 UN202 error: ")
    assert out.splitlines()[-1].endswith("— FAILED")


def test_quiet_with_fail_on_info_lists_unacknowledged_notes_only(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "-q", "--fail-on", "info", str(PROTOCOLS))
    assert code == 1
    lines = finding_lines(out)
    assert lines
    assert all(" info: " in line and "(acknowledged: " not in line for line in lines)


def test_quiet_github_annotates_only_failures(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "validate", "-q", "--format", "github", str(PROTOCOLS))
    assert out == ""
    _, out, _ = run(capsys, "validate", "-q", "--format", "github", str(WRONG_UNIT))
    assert out.startswith("::error ")


def test_verbose_lists_notes_and_acknowledged(capsys: pytest.CaptureFixture[str]) -> None:
    _, default, _ = run(capsys, "validate", str(PROTOCOLS))
    assert not any(" info: " in line for line in finding_lines(default))
    code, out, _ = run(capsys, "validate", "-v", str(PROTOCOLS))
    assert code == 0
    lines = finding_lines(out)
    assert any(" info: " in line for line in lines)
    assert any("(acknowledged: " in line for line in lines)
    # 151 notes and 25 acknowledged in the summary: -v lists at least every one of them.
    assert len(lines) > len(finding_lines(default))
    assert out.splitlines()[-1] == default.splitlines()[-1]


def test_quiet_and_verbose_together_is_a_usage_error(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", "-q", "-v", str(VALID))
    assert code == 2
    assert out == ""
    assert "-q and -v" in err


# colour


def test_color_always_paints_severity_and_bolds_code(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--color", "always", str(ONLY_WARNING))
    assert code == 0
    assert f"{ESC}1mRF302{ESC}0m {ESC}33mwarning{ESC}0m: " in out
    assert out.splitlines()[-1].endswith(f"— {ESC}32mok{ESC}0m")
    _, out, _ = run(capsys, "validate", "--color", "always", str(WRONG_UNIT))
    assert f"{ESC}1mUN202{ESC}0m {ESC}1;31merror{ESC}0m: " in out


def test_no_colour_when_piped(capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    _, out, _ = run(capsys, "validate", str(ONLY_WARNING))  # capsys is no terminal
    assert ESC not in out
    assert " RF302 warning: " in out


def test_colour_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys, "stdout", FakeTerminal())
    assert use_color("auto")
    assert not use_color("never")


@pytest.mark.parametrize("value", ["1", "0", "false", "anything"])
def test_no_color_set_to_any_value_turns_colour_off(monkeypatch: pytest.MonkeyPatch,
                                                    value: str) -> None:
    monkeypatch.setattr(sys, "stdout", FakeTerminal())
    monkeypatch.setenv("NO_COLOR", value)
    assert not use_color("auto")
    assert use_color("always")  # an explicit option wins over the environment (no-color.org)


def test_empty_no_color_does_not_count(monkeypatch: pytest.MonkeyPatch) -> None:
    # no-color.org: "when present and not an empty string".
    monkeypatch.setattr(sys, "stdout", FakeTerminal())
    monkeypatch.setenv("NO_COLOR", "")
    assert use_color("auto")


def test_no_color_on_a_terminal_run(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["validate", str(ONLY_WARNING)]) == 0
    assert ESC not in terminal.getvalue()
    monkeypatch.delenv("NO_COLOR")
    assert main(["validate", str(ONLY_WARNING)]) == 0
    assert f"{ESC}33mwarning" in terminal.getvalue()


def test_machine_formats_are_never_coloured(capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("json", "github", "sarif"):
        _, out, _ = run(capsys, "validate", "--color", "always", "--format", fmt,
                        str(ONLY_WARNING))
        assert ESC not in out, fmt


# standard input


def test_dash_reads_a_protocol_from_stdin(capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(WRONG_UNIT.read_text(encoding="utf-8")))
    code, out, _ = run(capsys, "validate", "-")
    assert code == 1
    assert out.splitlines()[0].startswith("<stdin>:23:18 UN202 error: ")


def test_stdin_filename_names_it(capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(WRONG_UNIT.read_text(encoding="utf-8")))
    code, out, _ = run(capsys, "validate", "-", "--stdin-filename", "protocols/new.yaml")
    assert code == 1
    assert out.splitlines()[0].startswith("protocols/new.yaml:23:18 UN202 error: ")


def test_stdin_matches_the_file(capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    _, from_file, _ = run(capsys, "validate", "-v", str(VALID))
    monkeypatch.setattr(sys, "stdin", io.StringIO(VALID.read_text(encoding="utf-8")))
    code, from_stdin, _ = run(capsys, "validate", "-v", "-")
    assert code == 0
    assert from_stdin == from_file.replace(str(VALID), "<stdin>")


def test_stdin_bytes_are_checked_like_a_file(capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # A real stdin has bytes beneath (sys.stdin.buffer): a Latin-1 file is LD010, not a crash.
    stdin = io.TextIOWrapper(io.BytesIO(NOT_UTF8.read_bytes()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, _ = run(capsys, "validate", "-")
    assert code == 1
    assert " LD010 error: not UTF-8" in out
    assert out.startswith("<stdin>:")


def test_empty_stdin_is_an_empty_protocol(capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, out, _ = run(capsys, "validate", "--format", "json", "-")
    assert code == 1
    assert '"code": "LD003"' in out


@pytest.mark.parametrize(("argv", "says"), [
    (["-", str(VALID)], "give it alone"),
    (["--stdin-filename", "x.yaml", str(VALID)], "give '-' as PATH"),
])
def test_stdin_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str],
                            says: str) -> None:
    code, out, err = run(capsys, "validate", *argv)
    assert code == 2
    assert out == ""
    assert says in err


def test_no_stdin_at_all(capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    code, _, err = run(capsys, "validate", "-")
    assert code == 2
    assert "there is none" in err


# --output-format


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_output_format_is_an_alias_of_format(capsys: pytest.CaptureFixture[str],
                                             fmt: str) -> None:
    code, spelt_ours, _ = run(capsys, "validate", "--format", fmt, str(WRONG_UNIT))
    code_alias, spelt_ruffs, _ = run(capsys, "validate", "--output-format", fmt,
                                     str(WRONG_UNIT))
    assert (code, spelt_ours) == (code_alias, spelt_ruffs)
    assert code == 1


def test_output_format_refuses_unknown_formats(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate", "--output-format", "xml", str(VALID))
    assert code == 2
    assert "invalid choice" in err


# progress


def test_no_bar_when_stderr_is_no_terminal() -> None:
    files = [Path(f"{i}.yaml") for i in range(MIN_ITEMS * 3)]
    assert track(files, "validating") is files  # capsys' stderr is no terminal


def test_no_bar_for_a_short_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    files = [Path(f"{i}.yaml") for i in range(MIN_ITEMS)]
    assert track(files, "validating") is files


def test_bar_on_a_terminal_leaves_the_report_alone(capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(list(PROTOCOLS.glob("*.yaml"))) > MIN_ITEMS
    _, piped, _ = run(capsys, "validate", str(PROTOCOLS))
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    code, out, _ = run(capsys, "validate", str(PROTOCOLS))
    assert code == 0
    assert out == piped  # the bar goes to stderr only, and stdout's report is unchanged
    assert "validating" in terminal.getvalue()


def test_a_run_without_a_terminal_never_imports_rich() -> None:
    """Cold start: CI and pipes must not pay for the progress bar's library."""
    program = ("import sys\nfrom benchsheet.cli import main\n"
               f"main(['validate', '-q', {str(PROTOCOLS)!r}])\n"
               "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'tqdm')))")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          check=False, timeout=300, stdin=subprocess.DEVNULL)
    assert done.stdout.splitlines()[-1] == "[]", done.stderr


def test_stdin_filename_takes_the_per_file_ignores_of_that_name(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    (tmp_path / "benchsheet.toml").write_text('[per-file-ignores]\n"drafts/*.yaml" = ["UN202"]\n',
                                              encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    text = WRONG_UNIT.read_text(encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    assert run(capsys, "validate", "-", "--stdin-filename", "drafts/new.yaml")[0] == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    assert run(capsys, "validate", "-", "--stdin-filename", "final/new.yaml")[0] == 1
