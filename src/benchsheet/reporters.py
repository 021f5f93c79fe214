"""Reporters turn findings into text for people, JSON for machines, or CI annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Protocol

from benchsheet.findings import Finding, Severity, sort_key


def _where(f: Finding) -> str:
    variant = f" [{f.variant}]" if f.variant else ""
    return f"{f.location()}{variant}"


def _shown(findings: Sequence[Finding], show: Severity) -> list[Finding]:
    """Findings at or above ``show``; acknowledged ones always stay visible."""
    return sorted((f for f in findings if f.severity >= show or f.acknowledged), key=sort_key)


def report_text(findings: Sequence[Finding], files: int, fail_on: Severity,
                show: Severity = Severity.INFO) -> str:
    """Compiler-style lines, then a one-line summary that counts everything."""
    lines = []
    for f in _shown(findings, show):
        ack = f" (acknowledged: {f.acknowledged})" if f.acknowledged else ""
        hint = f"; {f.hint}" if f.hint else ""
        lines.append(f"{_where(f)} {f.code} {f.severity}: {f.message}{hint}{ack}")
    counts = {s: sum(1 for f in findings if f.severity == s and f.fails) for s in Severity}
    acked = sum(1 for f in findings if not f.fails)
    failing = sum(1 for f in findings if f.fails and f.severity >= fail_on)
    summary = (
        f"{files} file(s) checked: {counts[Severity.ERROR]} error(s), "
        f"{counts[Severity.WARNING]} warning(s), {counts[Severity.INFO]} note(s)"
        + (f", {acked} acknowledged" if acked else "")
        + (" — FAILED" if failing else " — ok")
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
                show: Severity = Severity.INFO) -> str:
    """Every finding, whatever ``show`` says: machines filter for themselves."""
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
                  show: Severity = Severity.INFO) -> str:
    """GitHub Actions workflow annotations, one per finding shown."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for f in _shown(findings, show):
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


class Reporter(Protocol):
    def __call__(self, findings: Sequence[Finding], files: int, fail_on: Severity,
                 show: Severity = Severity.INFO) -> str: ...

REPORTERS: dict[str, Reporter] = {
    "text": report_text, "json": report_json, "github": report_github,
}
