"""reporters.py and findings.py: compiler-style text, stable JSON, GitHub annotations."""

from __future__ import annotations

import json

import pytest

from benchsheet.findings import Finding, Severity, format_path
from benchsheet.reporters import REPORTERS, report_github, report_json, report_text

WRONG_UNIT = Finding("protocols/a.yaml", 41, 7, "UN202", Severity.ERROR,
                     "temperature: '10 mL' is a volume", "give a temperature",
                     ("steps", 3, "temperature"))
UNUSED = Finding("protocols/a.yaml", 12, 3, "RF302", Severity.WARNING,
                 "vessel 'vial' is declared but no step uses it", "", ("vessels", "vial"))
NOTE = Finding("protocols/a.yaml", 5, 1, "ST107", Severity.INFO, "at most 0.12 mmol clusters")
ACKED = Finding("protocols/b.yaml", 9, 2, "ST102", Severity.WARNING, "basis differs",
                variant="x=0.5").acknowledge("the paper states the host basis")


def test_format_path() -> None:
    assert format_path(("materials", "CdCl2", "amount")) == "materials.CdCl2.amount"
    assert format_path(("steps", 3, "temperature")) == "steps[3].temperature"
    assert format_path(()) == ""


def test_severity_order_and_parsing() -> None:
    assert Severity.INFO < Severity.WARNING < Severity.ERROR
    assert Severity.parse("Warning") is Severity.WARNING
    with pytest.raises(ValueError, match="unknown severity 'fatal'"):
        Severity.parse("fatal")


def test_text_lines_read_like_a_compiler() -> None:
    out = report_text([UNUSED, WRONG_UNIT], 1, Severity.ERROR).splitlines()
    assert out == [
        "protocols/a.yaml:12:3 RF302 warning: vessel 'vial' is declared but no step uses it",
        "protocols/a.yaml:41:7 UN202 error: temperature: '10 mL' is a volume; "
        "give a temperature",
        "1 file(s) checked: 1 error(s), 1 warning(s), 0 note(s) — FAILED",
    ]


def test_text_shows_variant_and_acknowledgement_and_does_not_fail_on_it() -> None:
    out = report_text([ACKED], 1, Severity.WARNING).splitlines()
    assert out[0] == ("protocols/b.yaml:9:2 [x=0.5] ST102 warning: basis differs "
                      "(acknowledged: the paper states the host basis)")
    assert out[1] == "1 file(s) checked: 0 error(s), 0 warning(s), 0 note(s), 1 acknowledged — ok"


def test_text_summary_depends_on_fail_on() -> None:
    assert report_text([UNUSED], 1, Severity.ERROR).endswith("— ok\n")
    assert report_text([UNUSED], 1, Severity.WARNING).endswith("— FAILED\n")


def test_json_has_stable_keys_and_sorted_findings() -> None:
    payload = json.loads(report_json([WRONG_UNIT, NOTE, ACKED], 2, Severity.ERROR))
    assert set(payload) == {"files", "fail_on", "failed", "findings"}
    assert (payload["files"], payload["fail_on"], payload["failed"]) == (2, "error", True)
    first = payload["findings"][0]
    assert set(first) == {"file", "line", "column", "code", "severity", "message", "hint",
                          "path", "variant", "acknowledged"}
    assert [(f["file"], f["line"]) for f in payload["findings"]] == [
        ("protocols/a.yaml", 5), ("protocols/a.yaml", 41), ("protocols/b.yaml", 9)]
    unit = payload["findings"][1]
    assert unit == {
        "file": "protocols/a.yaml", "line": 41, "column": 7, "code": "UN202",
        "severity": "error", "message": "temperature: '10 mL' is a volume",
        "hint": "give a temperature", "path": "steps[3].temperature", "variant": "",
        "acknowledged": None,
    }
    assert payload["findings"][2]["acknowledged"] == "the paper states the host basis"


def test_json_keeps_unicode_readable() -> None:
    f = Finding("a.yaml", 1, 1, "UN202", Severity.ERROR, "120 °C ± 5 µL")
    assert "120 °C ± 5 µL" in report_json([f], 1, Severity.ERROR)


def test_github_annotation_format() -> None:
    out = report_github([WRONG_UNIT, NOTE], 1, Severity.ERROR).splitlines()
    assert out[1] == ("::error file=protocols/a.yaml,line=41,col=7,"
                      "title=UN202 steps[3].temperature::"
                      "temperature: '10 mL' is a volume; give a temperature")
    assert out[0].startswith("::notice file=protocols/a.yaml,line=5,col=1,title=ST107::")


def test_github_escapes_newlines_percent_and_property_separators() -> None:
    f = Finding("dir,1/a:b.yaml", 2, 3, "SC107", Severity.WARNING, "50 %\nsecond line")
    line = report_github([f], 1, Severity.ERROR)
    assert line == ("::warning file=dir%2C1/a%3Ab.yaml,line=2,col=3,title=SC107::"
                    "50 %25%0Asecond line\n")


def test_github_acknowledged_is_a_notice() -> None:
    assert report_github([ACKED], 1, Severity.ERROR).startswith("::notice ")


def test_no_findings_github_prints_nothing() -> None:
    assert report_github([], 1, Severity.ERROR) == ""


def test_reporter_table_names_every_format() -> None:
    assert set(REPORTERS) == {"text", "json", "json-lines", "github", "sarif"}
