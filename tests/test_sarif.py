"""--format sarif: valid SARIF 2.1.0 (checked against the OASIS schema), rules from the
catalogue, levels, locations relative to the current folder, acknowledgements as
suppressions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema.validators import validator_for

from benchsheet.checks import load_all
from benchsheet.cli import main
from benchsheet.findings import Finding, Severity
from benchsheet.reporters import report_sarif
from benchsheet.rules import RULES

HERE = Path(__file__).parent
REPO = HERE.parent
PROTOCOLS = REPO / "protocols"
WRONG_UNIT = HERE / "invalid" / "un202-temperature-in-ml.yaml"  # one error: UN202 at 23:18
TWO_ERRORS = HERE / "invalid" / "un202-sc101-two-errors.yaml"  # UN202 and SC101
ONLY_WARNING = HERE / "invalid" / "rf302-unused-material.yaml"  # RF302, a warning
SCHEMA_FILE = HERE / "data" / "sarif-schema-2.1.0.json"  # see tests/data/README.md


def assert_valid_sarif(log: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator_class = validator_for(schema)  # the schema says draft-04
    validator_class.check_schema(schema)
    errors = sorted(validator_class(schema).iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def sarif(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["validate", "--format", "sarif", *argv])
    out, _ = capsys.readouterr()
    return code, json.loads(out)


def only_run(log: dict[str, Any]) -> dict[str, Any]:
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    return run  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def _from_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """Locations are relative to the current folder, as code scanning resolves them."""
    monkeypatch.chdir(REPO)


def test_failing_file_is_valid_sarif(capsys: pytest.CaptureFixture[str]) -> None:
    code, log = sarif(capsys, str(WRONG_UNIT))
    assert code == 1  # the exit code does not depend on the format
    assert_valid_sarif(log)
    (result,) = only_run(log)["results"]
    assert result["ruleId"] == "UN202"
    assert result["level"] == "error"
    assert result["message"]["text"].startswith("temperature: '10 mL' is a volume")
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "tests/invalid/un202-temperature-in-ml.yaml", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 23, "startColumn": 18}
    assert "suppressions" not in result


def test_whole_library_is_valid_sarif_with_suppressions(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, log = sarif(capsys, "protocols/")
    assert code == 0
    assert_valid_sarif(log)
    results = only_run(log)["results"]
    main(["validate", "--format", "json", "protocols/"])
    expected = json.loads(capsys.readouterr()[0])["findings"]
    assert len(results) == len(expected)
    for result, finding in zip(results, expected, strict=True):
        assert result["ruleId"] == finding["code"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] \
            == finding["file"]
        if finding["acknowledged"]:
            assert result["suppressions"] == [
                {"kind": "inSource", "justification": finding["acknowledged"]}]
        else:
            assert "suppressions" not in result
    suppressed = [r for r in results if "suppressions" in r]
    assert suppressed  # the library acknowledges findings the paper leaves open (README)
    assert {r["level"] for r in results} == {"note", "warning", "error"}


@pytest.mark.parametrize(("path", "levels"), [
    (TWO_ERRORS, {"error"}),
    (ONLY_WARNING, {"warning"}),
])
def test_levels(capsys: pytest.CaptureFixture[str], path: Path, levels: set[str]) -> None:
    _, log = sarif(capsys, str(path))
    assert_valid_sarif(log)
    assert {r["level"] for r in only_run(log)["results"]} == levels


def test_rules_come_from_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    _, log = sarif(capsys, str(ONLY_WARNING))
    driver = only_run(log)["tool"]["driver"]
    assert driver["name"] == "benchsheet"
    assert driver["version"]
    assert driver["informationUri"].startswith("https://")
    load_all()
    rules = driver["rules"]
    assert sorted(r["id"] for r in rules) == sorted(RULES)
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    for rule in rules:
        info = RULES[rule["id"]]
        assert rule["shortDescription"]["text"] == info.title
        assert rule["fullDescription"]["text"] == info.explanation
        assert rule["defaultConfiguration"]["level"] == level[info.severity]
    (result,) = only_run(log)["results"]
    assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == "RF302"


def test_clean_file_has_a_run_without_results(capsys: pytest.CaptureFixture[str]) -> None:
    code, log = sarif(capsys, str(HERE / "valid" / "minimal-salt-solution.yaml"))
    assert code == 0
    assert_valid_sarif(log)
    assert only_run(log)["results"] == []


def test_absolute_path_under_the_current_folder_is_relative(
        capsys: pytest.CaptureFixture[str]) -> None:
    _, log = sarif(capsys, str(WRONG_UNIT.resolve()))
    location = only_run(log)["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "tests/invalid/un202-temperature-in-ml.yaml"


def test_file_outside_the_current_folder_is_an_absolute_file_uri(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    _, log = sarif(capsys, str(WRONG_UNIT.resolve()))
    assert_valid_sarif(log)
    location = only_run(log)["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": WRONG_UNIT.resolve().as_uri()}


def test_odd_names_are_percent_encoded_and_variants_kept() -> None:
    finding = Finding("lab notes/50 % run.yaml", 0, 0, "ST102", Severity.WARNING, "basis",
                      path=("products", "x"), variant="x=0.5").acknowledge("paper says so")
    log = json.loads(report_sarif([finding], 1, Severity.ERROR))
    assert_valid_sarif(log)
    (result,) = only_run(log)["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "lab%20notes/50%20%25%20run.yaml"
    assert location["region"] == {"startLine": 1, "startColumn": 1}  # SARIF counts from 1
    assert result["properties"] == {"path": "products.x", "variant": "x=0.5"}
    assert result["suppressions"][0]["justification"] == "paper says so"


def test_stdin_in_sarif(capsys: pytest.CaptureFixture[str],
                        monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO(WRONG_UNIT.read_text(encoding="utf-8")))
    _, log = sarif(capsys, "-", "--stdin-filename", "protocols/new.yaml")
    assert_valid_sarif(log)
    location = only_run(log)["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "protocols/new.yaml"
