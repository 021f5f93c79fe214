"""Bad input gets a clear error and the right exit code, never a traceback; nothing half-written.

One test per hole found by attacking every command: wrong types in a protocol, expressions
that raise, paths that are loops, pipes or unreadable, lab templates and reagent files that
are broken, output places that cannot be written, names that are not UTF-8.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchsheet.atomic import write_atomic
from benchsheet.cli import describe_os_error, main

HERE = Path(__file__).parent
VALID = HERE / "valid" / "minimal-salt-solution.yaml"
PARAMETRISED = HERE / "valid" / "parametrised-scale.yaml"

can_bypass_permissions = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def protocol(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def with_note(tmp_path: Path, expression: str) -> Path:
    """The parametrised test protocol with one more string holding ``${expression}``."""
    text = PARAMETRISED.read_text(encoding="utf-8")
    escaped = expression.replace('"', '\\"')
    return protocol(tmp_path, text.replace("id: ", f'summary: "${{{escaped}}}"\nid: ', 1))


# --- validate: the protocol's own content ------------------------------------------------------


def test_parameters_tables_and_variants_of_the_wrong_type_are_findings(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = protocol(tmp_path, "id: x\ntitle: t\nversion: 1.0.0\nsource: {section: s}\n"
                    "parameters: 5\ntables: [1, 2]\nvariants: abc\nsteps: {a: 1}\n")
    code, out, _ = run(capsys, "validate", path)
    assert code == 1
    assert "p.yaml:5:13 SC103" in out  # parameters: 5, at its value
    assert "p.yaml:6:9 SC103" in out


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("min()", "min expected at least 1 argument"),
        ('-"abc"', "bad operand type"),
        ('1 < "a"', "not supported"),
        ("1 in 2", "not iterable"),
        ("round(1e308 * 10)", "infinity"),
        ('"%0999999999d" % 1', "only numbers can be taken modulo"),
    ],
)
def test_an_expression_that_raises_is_a_VA001_finding(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, expression: str, words: str) -> None:
    code, out, _ = run(capsys, "validate", with_note(tmp_path, expression))
    assert code == 1
    assert "VA001" in out
    assert words in out


def test_a_deeply_nested_expression_is_refused_by_its_length_or_its_depth(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """50,000 unary minus signs: past expression-chars (1000) it is VA005 before it is
    parsed; with the limits raised the parser's own depth stops it, as VA001."""
    path = with_note(tmp_path, "-" * 50_000 + "1")
    code, out, _ = run(capsys, "validate", path)
    assert (code, "VA005" in out, "50001 characters long" in out) == (1, True, True)
    code, out, _ = run(capsys, "validate", path, "--limit", "expression-chars=100000",
                       "--limit", "expression-nodes=100000")
    assert (code, "VA001" in out, "nested too deeply" in out) == (1, True, True)


# --- validate: the paths -------------------------------------------------------------------------


def test_a_symlink_loop_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    code, _, err = run(capsys, "validate", tmp_path / "a.yaml")
    assert code == 2
    assert "a.yaml: a symbolic link loop" in err
    assert "no protocol files" not in err  # the real reason is given; no second, vaguer one


def test_a_broken_link_in_a_folder_is_reported_not_skipped(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    protocol(tmp_path, VALID.read_text(encoding="utf-8"), "good.yaml")
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    code, out, err = run(capsys, "validate", tmp_path)
    assert code == 2
    assert "gone.yaml: a broken symbolic link" in err
    assert "1 file(s) checked" in out  # the good file is still checked


def test_a_folder_that_links_to_itself_ends(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    (tmp_path / "self").symlink_to(tmp_path)
    protocol(tmp_path, VALID.read_text(encoding="utf-8"), "good.yaml")
    assert run(capsys, "validate", tmp_path)[0] == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_refused_not_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    code, _, err = run(capsys, "validate", tmp_path / "pipe.yaml")
    assert code == 2
    assert "pipe.yaml: not a file or folder" in err


def test_a_path_through_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "validate", VALID / "x.yaml")
    assert code == 2
    assert "no such file or folder (a part of the path is a file)" in err


@pytest.mark.skipif(can_bypass_permissions, reason="root reads folders whatever their mode")
def test_an_unreadable_subfolder_is_an_error_not_a_silent_skip(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    protocol(locked, VALID.read_text(encoding="utf-8"), "hidden.yaml")
    protocol(tmp_path, VALID.read_text(encoding="utf-8"), "good.yaml")
    locked.chmod(0)
    try:
        code, _, err = run(capsys, "validate", tmp_path)
    finally:
        locked.chmod(0o755)
    assert code == 2
    assert "locked: cannot read: Permission denied" in err


def test_an_unreadable_subfolder_is_reported_whoever_runs(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same as above through os.walk's error hook, so that it is tested as root too."""
    protocol(tmp_path, VALID.read_text(encoding="utf-8"), "good.yaml")
    real_walk = os.walk

    def walk(top: Path, onerror: object = None, **kwargs: object) -> object:
        assert callable(onerror)
        onerror(PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "locked")))
        return real_walk(top, onerror=onerror)

    monkeypatch.setattr(os, "walk", walk)
    code, _, err = run(capsys, "validate", tmp_path)
    assert code == 2
    assert "locked: cannot read: Permission denied; check its permissions" in err


# --- --select, --ignore, explain -------------------------------------------------------------


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_an_unknown_rule_code_is_a_usage_error(capsys: pytest.CaptureFixture[str],
                                               option: str) -> None:
    code, _, err = run(capsys, "validate", option, "ST1,QQ9", VALID)
    assert code == 2
    assert f"{option} QQ9: no such rule or family; families: AK," in err


def test_a_prefix_of_rule_codes_is_a_selection(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "validate", "--select", "st1", VALID)[0] == 0


def test_explain_an_empty_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "explain", " ")
    assert code == 2
    assert "no rule ''; give a code such as ST102" in err


# --- reagent files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"reagents:\n  - {id: a}\n  - {name: \xe9}\n", "r.yaml:3: not UTF-8: byte 0xe9"),
        (b"reagents: " + b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
        (b"reagents: []\n#" + b"x" * (6 * 1024 * 1024), "a reagent file is at most 5 MB"),
    ],
)
def test_a_bad_reagent_file_is_a_usage_error(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path, content: bytes, words: str) -> None:
    (tmp_path / "r.yaml").write_bytes(content)
    code, _, err = run(capsys, "validate", VALID, "--reagents", tmp_path / "r.yaml")
    assert code == 2
    assert words in err


def test_a_reagent_folder_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "reagents", "--reagents", tmp_path)
    assert code == 2
    assert f"{tmp_path}: a folder; give a reagent YAML file" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_reagent_pipe_is_refused_not_read(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "r.yaml")  # reading it would wait for a writer for ever
    code, _, err = run(capsys, "reagents", "--reagents", tmp_path / "r.yaml")
    assert code == 2
    assert "r.yaml: not a regular file" in err


# --- render and build ------------------------------------------------------------------------


def test_a_variant_that_does_not_model_says_why(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    code, _, err = run(capsys, "render", PARAMETRISED, "--variant", "scale=-1",
                       "-o", tmp_path / "out")
    assert code == 1
    assert "[scale=-1] UN208 error: amount: '-585 mg': a mass cannot be negative" in err
    assert "scale=-1 does not model; no sheet written" in err
    assert not (tmp_path / "out").exists()


def test_a_parameter_set_twice_is_a_usage_error(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    code, _, err = run(capsys, "render", PARAMETRISED, "--variant", "scale=1", "--variant",
                       "scale=2", "-o", tmp_path)
    assert code == 2
    assert "--variant scale=2: scale is set twice" in err


def test_errors_of_a_scaled_sheet_are_printed_too(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    # × 3 puts 30 mL of water into the 20 mL vial: the sheet lists PH108, and so does stderr;
    # the sheet is written, and the exit code says the scaled protocol fails.
    code, _, err = run(capsys, "render", VALID, "--scale", "3", "--format", "md",
                       "-o", tmp_path)
    assert code == 1
    assert "PH108 error: 'vial' holds 30 mL" in err
    assert "scaled by 3 has the errors above; they are listed on its sheet too" in err
    assert "PH108" in (tmp_path / "minimal-salt-solution--x3.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("ok\n{% if %}", "sheet.md.j2:2: template syntax error: Expected an expression"),
        ("{{ nope.x }}", "sheet.md.j2:1: template error: 'nope' is undefined"),
        ("{{ ''.__class__ }}", "sheet.md.j2:1: template error: access to attribute"),
    ],
)
@pytest.mark.parametrize("command", ["render", "build"])
def test_a_broken_lab_template_is_a_usage_error(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, template: str, words: str,
        command: str) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "sheet.md.j2").write_text(template, encoding="utf-8")
    code, _, err = run(capsys, command, VALID, "--templates", templates,
                       "-o", tmp_path / "out")
    assert code == 2
    assert words in err
    assert not list((tmp_path / "out").glob("*.md"))  # the bad sheet is not written


def test_a_broken_html_template_leaves_no_markdown_sheet_either(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "sheet.html.j2").write_text("{{ nope }}", encoding="utf-8")
    code, _, err = run(capsys, "render", VALID, "--templates", tmp_path, "-o", tmp_path / "o")
    assert code == 2
    assert "sheet.html.j2:1: template error: 'nope' is undefined" in err
    assert not (tmp_path / "o").exists()


def test_a_lab_template_that_is_not_utf8(capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    (tmp_path / "sheet.md.j2").write_bytes(b"\xff{{ sheet }}")
    code, _, err = run(capsys, "render", VALID, "--templates", tmp_path, "-o", tmp_path / "o")
    assert code == 2
    assert "a template is not UTF-8 text" in err


@pytest.mark.parametrize("command", ["render", "build"])
def test_templates_that_are_not_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                         command: str) -> None:
    code, _, err = run(capsys, command, VALID, "--templates", tmp_path / "nope",
                       "-o", tmp_path / "out")
    assert code == 2
    assert "--templates" in err
    assert "not a folder" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["render", "build"])
def test_an_output_folder_that_is_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                         command: str) -> None:
    (tmp_path / "out").write_text("mine\n", encoding="utf-8")
    code, _, err = run(capsys, command, VALID, "-o", tmp_path / "out")
    assert code == 2
    assert f"{tmp_path / 'out'}: File exists; a file is in the way where a folder is needed" in err
    assert (tmp_path / "out").read_text(encoding="utf-8") == "mine\n"


def test_build_of_files_that_do_not_load_exports_nothing_quietly(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_bytes(b"\xff\xfe")
    code, _, err = run(capsys, "build", tmp_path / "bad.yaml", "-o", tmp_path / "out")
    assert code == 1
    assert "LD010" in err
    assert "max()" not in err  # was: "export_step: max() arg is an empty sequence"


def test_a_file_name_that_is_not_utf8(capsys: pytest.CaptureFixture[str],
                                      tmp_path: Path) -> None:
    name = os.fsdecode(b"\xff.yaml")
    try:
        path = protocol(tmp_path, VALID.read_text(encoding="utf-8"), name)
    except (UnicodeEncodeError, OSError):
        pytest.skip("this file system refuses names that are not UTF-8")
    code, _, _ = run(capsys, "render", path, "--format", "md", "-o", tmp_path / "out")
    assert code == 0
    sheet = (tmp_path / "out" / "minimal-salt-solution.md").read_text(encoding="utf-8")
    assert "\\xff.yaml" in sheet


# --- schema, export, import ------------------------------------------------------------------


def test_schema_into_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "schema", "-o", tmp_path)
    assert code == 2
    assert f"{tmp_path}: Is a directory; that is a folder; give a file name" in err
    assert ".tmp" not in err
    assert list(tmp_path.iterdir()) == []


def test_export_notebooks_to_an_eln_name(capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    code, _, err = run(capsys, "export", VALID, "--to", "ipynb", "-o", tmp_path / "x.eln")
    assert code == 2
    assert "--to ipynb writes notebooks; give a folder or a .ipynb file" in err
    assert not (tmp_path / "x.eln").exists()


@pytest.mark.parametrize("archive", ["missing.eln", "."])
def test_import_of_what_cannot_be_read(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                       archive: str) -> None:
    code, _, err = run(capsys, "import", tmp_path / archive, "-o", tmp_path / "out")
    assert code == 2
    assert "EL001 cannot read" in err
    assert "[Errno" not in err
    assert not (tmp_path / "out").exists()


# --- writing -----------------------------------------------------------------------------------


def test_a_refused_write_names_the_file_and_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def refuse(path: str, flags: int, mode: int = 0o777) -> int:
        if Path(path).name.endswith(".tmp"):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(PermissionError) as refused:
        write_atomic(tmp_path / "sheet.md", "text")
    assert refused.value.filename == str(tmp_path / "sheet.md")  # not the hidden temporary
    assert list(tmp_path.iterdir()) == []


def test_describe_os_error() -> None:
    assert describe_os_error(FileExistsError(errno.EEXIST, "File exists", "build")) == (
        "build: File exists; a file is in the way where a folder is needed; "
        "choose another output")
    assert describe_os_error(OSError(errno.ENOSPC, "No space left on device")) == (
        "No space left on device; free some space, or write somewhere else")


def test_python_dash_m_usage_error_without_traceback() -> None:
    done = subprocess.run([sys.executable, "-m", "benchsheet", "validate", "--select", "ZZ",
                           str(VALID)], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "--select ZZ: no such rule or family" in done.stderr
    assert "Traceback" not in done.stderr
