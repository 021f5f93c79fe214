"""Acceptance folders: each file in tests/invalid/ states at its top the codes it must produce
(``# expect: UN202 SC101``); each file in tests/valid/ must produce no error.

Codes are compared at warning severity and above: notes (info) describe a protocol, they do not
fault it, and new checks may add notes to any file.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchsheet.findings import Severity
from benchsheet.validate import validate_file

HERE = Path(__file__).parent
INVALID = sorted((HERE / "invalid").glob("*.yaml"))
VALID = sorted((HERE / "valid").glob("*.yaml"))
EXPECT = re.compile(rb"^# expect:((?: [A-Z]{2}\d{3})+)\s*$", re.MULTILINE)


def expected_codes(path: Path) -> set[str]:
    # Read as bytes: some cases are deliberately not UTF-8.
    match = EXPECT.search(path.read_bytes())
    assert match, f"{path.name} has no '# expect: CODE ...' line"
    return set(match[1].decode().split())


def test_the_folders_cover_every_family_of_the_foundation() -> None:
    families = {code[:2] for path in INVALID for code in expected_codes(path)}
    assert families >= {"LD", "SC", "UN", "RF", "VA"}
    assert len(INVALID) >= 12
    assert VALID


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_invalid_protocol_produces_exactly_its_codes(path: Path) -> None:
    findings = validate_file(path).findings
    produced = {f.code for f in findings if f.severity >= Severity.WARNING}
    assert produced == expected_codes(path), [f"{f.location()} {f.code} {f.message}"
                                              for f in findings]


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_valid_protocol_has_no_error_or_warning(path: Path) -> None:
    findings = validate_file(path).findings
    assert [f for f in findings if f.severity >= Severity.WARNING] == []


def test_issue_case_via_the_cli() -> None:
    # The issue: 'temperature: 10 mL' must fail CI and say where, and what was expected.
    path = HERE / "invalid" / "un202-temperature-in-ml.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "temperature: 10 mL" in text)
    column = lines[line - 1].index("10 mL") + 1
    done = subprocess.run([sys.executable, "-m", "benchsheet", "validate", str(path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    first = done.stdout.splitlines()[0]
    assert first.startswith(f"{path}:{line}:{column} UN202 error: ")
    assert "an absolute temperature" in first  # the dimension the field expects
    assert "'10 mL' is a volume" in first


def test_cli_passes_the_valid_folder() -> None:
    done = subprocess.run([sys.executable, "-m", "benchsheet", "validate", str(HERE / "valid"),
                           "--fail-on", "warning"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(VALID)} file(s) checked: 0 error(s), 0 warning(s)" in done.stdout
