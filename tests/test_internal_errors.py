"""A bug of benchsheet's own on one protocol costs that protocol's variant, not the run: the
variant gets IN001 (what failed and where in benchsheet), the other files are reported as in
a run without the bug, serially or across processes, and a build writes every other sheet.
The fault is put in by hand: the amounts of one protocol raise, as a bug in them would.

The test suite itself sets BENCHSHEET_INTERNAL_ERRORS=raise (conftest.py), so that a real bug
fails its test with its traceback; these tests unset it, and check that setting it raises."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from benchsheet import workers
from benchsheet.cli import main

# The module, not the function of the same name that ``benchsheet`` exports.
validate = importlib.import_module("benchsheet.validate")

REPO = Path(__file__).resolve().parent.parent
PROTOCOLS = REPO / "protocols"
BROKEN = "ag18-cluster"  # one variant, the base; its file is ag18-cluster.yaml


def _broken_amounts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The amounts of protocol BROKEN raise ZeroDivisionError, as a bug in them would."""
    real = validate.compute_amounts

    def amounts(protocol: Any, *args: Any) -> Any:
        if protocol.id == BROKEN:
            raise ZeroDivisionError("boom")
        return real(protocol, *args)

    monkeypatch.setattr(validate, "compute_amounts", amounts)


def _findings(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]]]:
    code = main(["validate", "--format", "json-lines", *args])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return code, [f for f in lines if "code" in f]


def _call_line() -> int:
    """The line of validate.py where validate_variant computes the amounts: the innermost
    place of benchsheet's that the fault passes through, read from the source."""
    source = Path(validate.__file__).read_text(encoding="utf-8").splitlines()
    (number,) = [n for n, text in enumerate(source, 1)
                 if "amounts = compute_amounts(protocol, library, shared)" in text]
    return number


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bug_on_one_protocol_leaves_the_rest_of_the_run(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        jobs: str) -> None:
    monkeypatch.delenv(validate.INTERNAL_ERRORS, raising=False)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 2)  # the 9 files across processes too
    normal_code, normal = _findings(capsys, str(PROTOCOLS), "--jobs", jobs)
    assert normal_code == 0
    _broken_amounts(monkeypatch)
    code, found = _findings(capsys, str(PROTOCOLS), "--jobs", jobs)
    assert code == 1  # IN001 is an error

    def others(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [f for f in findings if not f["file"].endswith(f"{BROKEN}.yaml")]

    assert others(found) == others(normal)
    (failed,) = [f for f in found if f["file"].endswith(f"{BROKEN}.yaml")]
    assert (failed["code"], failed["severity"], failed["line"], failed["column"]) == \
        ("IN001", "error", 1, 1)  # the base protocol: the file's top
    assert failed["message"] == (
        "benchsheet failed on this protocol: ZeroDivisionError: boom (in benchsheet/"
        f"validate.py:{_call_line()}, validate_variant); this is a bug in benchsheet, not in "
        "the file, and the rest is checked as usual")
    assert "BENCHSHEET_INTERNAL_ERRORS=raise" in failed["hint"]


def test_asked_to_raise_it_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(validate.INTERNAL_ERRORS, "raise")
    _broken_amounts(monkeypatch)
    with pytest.raises(ZeroDivisionError, match="boom"):
        validate.validate_file(PROTOCOLS / f"{BROKEN}.yaml")


def test_a_variant_whose_expansion_fails_is_the_only_one_lost(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of many variants: the one whose expansion raises gets IN001 where it is
    declared; the others model and are checked."""
    monkeypatch.delenv(validate.INTERNAL_ERRORS, raising=False)
    path = PROTOCOLS / "mn-msc-bda.yaml"
    whole = validate.validate_file(path)
    names = [v.name for v in whole.variants]
    lost = names[3]
    real = validate.expand

    def expand(data: Any, spec: Any, *args: Any) -> Any:
        if spec.name == lost:
            raise KeyError("no such thing")
        return real(data, spec, *args)

    monkeypatch.setattr(validate, "expand", expand)
    result = validate.validate_file(path)
    assert [v.name for v in result.variants] == names
    broken = [v for v in result.variants if v.name == lost]
    assert broken[0].protocol is None
    assert [f.code for f in broken[0].findings] == ["IN001"]
    assert "KeyError: 'no such thing'" in broken[0].findings[0].message
    assert broken[0].findings[0].yaml_path.startswith("variants")
    assert all(v.protocol is not None for v in result.variants if v.name != lost)


def test_a_build_writes_every_other_sheet(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.delenv(validate.INTERNAL_ERRORS, raising=False)
    assert main(["build", str(PROTOCOLS), "-o", str(tmp_path / "whole"),
                 "--date", "2026-12-01"]) == 0
    _broken_amounts(monkeypatch)
    code = main(["build", str(PROTOCOLS), "-o", str(tmp_path / "out"), "--date", "2026-12-01"])
    capsys.readouterr()
    assert code == 1
    whole = {p.name for p in (tmp_path / "whole").glob("*.md")}
    built = {p.name for p in (tmp_path / "out").glob("*.md")}
    assert whole - built == {f"{BROKEN}.md"}  # its sheet alone is missing


def test_a_build_in_batches_survives_a_model_that_raises(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    """A build of more files than it holds at once first reads every file's models for the
    links between them (``workers.link_file``), then validates each whole: a model that
    raises leaves that protocol unmodelled in the first pass and IN001 in the second, and
    every other sheet is written."""
    from benchsheet import cli_render
    from benchsheet.model import parse

    monkeypatch.delenv(validate.INTERNAL_ERRORS, raising=False)
    monkeypatch.setattr(cli_render, "BATCH_FILES", 4)  # 9 files: the pass across files runs
    assert main(["build", str(PROTOCOLS), "-o", str(tmp_path / "whole"),
                 "--date", "2026-12-01"]) == 0
    real = parse.parse_protocol

    def parse_protocol(data: Any, doc: Any, *args: Any) -> Any:
        if Path(doc.path).name == f"{BROKEN}.yaml":
            raise ZeroDivisionError("boom")
        return real(data, doc, *args)

    monkeypatch.setattr(parse, "parse_protocol", parse_protocol)  # the first pass's
    monkeypatch.setattr(validate, "parse_protocol", parse_protocol)  # the second's
    code = main(["build", str(PROTOCOLS), "-o", str(tmp_path / "out"), "--date", "2026-12-01"])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert f"{BROKEN}.yaml:1:1 IN001 error: benchsheet failed on this protocol: " \
        "ZeroDivisionError: boom" in out + err
    whole = {p.name for p in (tmp_path / "whole").glob("*.md")}
    built = {p.name for p in (tmp_path / "out").glob("*.md")}
    assert whole - built == {f"{BROKEN}.md"}
