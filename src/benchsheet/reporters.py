"""Reporters turn findings into text for people, JSON for machines, CI annotations or SARIF."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from benchsheet.findings import Finding, Severity, sort_key

# Plain ANSI SGR codes: a terminal colour needs no dependency.
_SEVERITY_COLOUR = {Severity.ERROR: "1;31", Severity.WARNING: "33", Severity.INFO: "36"}
_BOLD, _DIM, _GREEN, _RED = "1", "2", "32", "1;31"


def _paint(text: str, sgr: str, color: bool) -> str:
    return f"\x1b[{sgr}m{text}\x1b[0m" if color else text


def _where(f: Finding) -> str:
    variant = f" [{f.variant}]" if f.variant else ""
    return f"{f.location()}{variant}"


def _shown(findings: Sequence[Finding], show: Severity, fail_on: Severity | None = None
           ) -> list[Finding]:
    """Findings at or above ``show``; acknowledged ones always stay visible.

    With ``fail_on`` (``-q``) only the failures: unacknowledged findings at or above it.
    """
    if fail_on is not None:
        return sorted((f for f in findings if f.fails and f.severity >= fail_on), key=sort_key)
    return sorted((f for f in findings if f.severity >= show or f.acknowledged), key=sort_key)


def report_text(findings: Sequence[Finding], files: int, fail_on: Severity,
                show: Severity = Severity.INFO, *, quiet: bool = False,
                color: bool = False) -> str:
    """Compiler-style lines, then a one-line summary that counts everything.

    ``quiet`` lists only the failures; ``color`` adds ANSI colour (severity) and bold (code).
    """
    lines = []
    for f in _shown(findings, show, fail_on if quiet else None):
        ack = _paint(f" (acknowledged: {f.acknowledged})", _DIM, color) if f.acknowledged \
            else ""
        hint = f"; {f.hint}" if f.hint else ""
        code = _paint(f.code, _BOLD, color)
        severity = _paint(str(f.severity), _SEVERITY_COLOUR[f.severity], color)
        lines.append(f"{_where(f)} {code} {severity}: {f.message}{hint}{ack}")
    counts = {s: sum(1 for f in findings if f.severity == s and f.fails) for s in Severity}
    acked = sum(1 for f in findings if not f.fails)
    failing = sum(1 for f in findings if f.fails and f.severity >= fail_on)
    summary = (
        f"{files} file(s) checked: {counts[Severity.ERROR]} error(s), "
        f"{counts[Severity.WARNING]} warning(s), {counts[Severity.INFO]} note(s)"
        + (f", {acked} acknowledged" if acked else "")
        + " — " + (_paint("FAILED", _RED, color) if failing else _paint("ok", _GREEN, color))
    )
    lines.append(summary)
    return "\n".join(lines) + "\n"


def finding_dict(f: Finding) -> dict[str, object]:
    """Stable keys for machines; new keys may be added, these never change meaning."""
    return {
        "file": f.file, "line": f.line, "column": f.column, "code": f.code,
        "severity": str(f.severity), "message": f.message, "hint": f.hint,
        "path": f.yaml_path, "variant": f.variant, "acknowledged": f.acknowledged,
    }


def report_json(findings: Sequence[Finding], files: int, fail_on: Severity,
                show: Severity = Severity.INFO, *, quiet: bool = False,
                color: bool = False) -> str:
    """Every finding, whatever ``show`` or ``quiet`` say: machines filter for themselves."""
    payload = {
        "files": files,
        "fail_on": str(fail_on),
        "failed": any(f.fails and f.severity >= fail_on for f in findings),
        "findings": [finding_dict(f) for f in sorted(findings, key=sort_key)],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _escape(text: str, *, prop: bool = False) -> str:
    # GitHub workflow commands: %, CR, LF always; ':' and ',' inside properties.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def report_github(findings: Sequence[Finding], files: int, fail_on: Severity,
                  show: Severity = Severity.INFO, *, quiet: bool = False,
                  color: bool = False) -> str:
    """GitHub Actions workflow annotations, one per finding shown (only failures if quiet)."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for f in _shown(findings, show, fail_on if quiet else None):
        kind = "notice" if f.acknowledged else level[f.severity]
        title = _escape(f"{f.code} {f.yaml_path}".strip(), prop=True)
        body = f.message + (f"; {f.hint}" if f.hint else "")
        if f.acknowledged:
            body += f" (acknowledged: {f.acknowledged})"
        lines.append(
            f"::{kind} file={_escape(f.file, prop=True)},line={f.line},col={f.column},"
            f"title={title}::{_escape(body)}"
        )
    return "\n".join(lines) + ("\n" if lines else "")


SARIF_SCHEMA = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                "sarif-schema-2.1.0.json")
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_SRCROOT = "%SRCROOT%"


def _artifact_location(file: str) -> dict[str, str]:
    """A finding's file as SARIF wants it: a URI relative to the current folder, where the
    code-scanning upload resolves it against the repository; elsewhere an absolute file URI.

    ``<stdin>`` (or a ``--stdin-filename``) is kept as a relative reference too.
    """
    from urllib.parse import quote  # only SARIF needs it: not on every text run's start

    path = Path(file)
    cwd = Path.cwd()
    if path.is_absolute():
        try:
            path = path.relative_to(cwd)
        except ValueError:
            return {"uri": path.as_uri()}
    if ".." in path.parts:
        absolute = Path(os.path.normpath(cwd / path))
        try:
            path = absolute.relative_to(cwd)
        except ValueError:
            return {"uri": absolute.as_uri()}
    return {"uri": quote(path.as_posix()), "uriBaseId": _SRCROOT}


def _sarif_result(f: Finding, rule_index: dict[str, int]) -> dict[str, object]:
    result: dict[str, object] = {"ruleId": f.code}
    if f.code in rule_index:
        result["ruleIndex"] = rule_index[f.code]
    result["level"] = _SARIF_LEVEL[f.severity]
    result["message"] = {"text": f.message + (f"; {f.hint}" if f.hint else "")}
    result["locations"] = [{"physicalLocation": {
        "artifactLocation": _artifact_location(f.file),
        # An unreadable file is reported at 1:1; SARIF counts from 1, never from 0.
        "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)},
    }}]
    if f.acknowledged is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": f.acknowledged}]
    properties = {k: v for k, v in (("path", f.yaml_path), ("variant", f.variant)) if v}
    if properties:
        result["properties"] = properties
    return result


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("benchsheet")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def report_sarif(findings: Sequence[Finding], files: int, fail_on: Severity,
                 show: Severity = Severity.INFO, *, quiet: bool = False,
                 color: bool = False) -> str:
    """One SARIF 2.1.0 run for code scanning: every rule benchsheet has, every finding, and
    acknowledged findings as in-source suppressions with the protocol's reason.

    Like JSON, it ignores ``show`` and ``quiet``: code scanning filters by level itself.
    """
    from benchsheet.checks import load_all
    from benchsheet.export.eln_write import DEFAULT_PUBLISHER_URL
    from benchsheet.rules import RULES

    load_all()  # checks register their rules when their modules load
    rules = sorted(RULES.values(), key=lambda r: r.code)
    rule_index = {r.code: i for i, r in enumerate(rules)}
    driver = {
        "name": "benchsheet",
        "version": _version(),
        "informationUri": DEFAULT_PUBLISHER_URL,  # the page .eln archives name, too
        "rules": [{
            "id": r.code,
            "shortDescription": {"text": r.title},
            "fullDescription": {"text": r.explanation},
            "help": {"text": f"{r.explanation}\n\n`benchsheet explain {r.code}` says more."},
            "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
        } for r in rules],
    }
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": {_SRCROOT: {"uri": Path.cwd().as_uri() + "/"}},
            # Columns count characters as Python (and the YAML parser) do, not UTF-16 units.
            "columnKind": "unicodeCodePoints",
            "results": [_sarif_result(f, rule_index) for f in sorted(findings, key=sort_key)],
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


class Reporter(Protocol):
    def __call__(self, findings: Sequence[Finding], files: int, fail_on: Severity,
                 show: Severity = Severity.INFO, *, quiet: bool = False,
                 color: bool = False) -> str: ...

REPORTERS: dict[str, Reporter] = {
    "text": report_text, "json": report_json, "github": report_github, "sarif": report_sarif,
}
