"""Reporters turn findings into text for people, JSON for machines, CI annotations or SARIF."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import ClassVar, Protocol, TextIO

from benchsheet.findings import Finding, Severity, sort_key
from benchsheet.streaming import Shown, Totals

# Plain ANSI SGR codes: a terminal colour needs no dependency.
_SEVERITY_COLOUR = {Severity.ERROR: "1;31", Severity.WARNING: "33", Severity.INFO: "36"}
_BOLD, _DIM, _GREEN, _RED = "1", "2", "32", "1;31"


def _paint(text: str, sgr: str, color: bool) -> str:
    return f"\x1b[{sgr}m{text}\x1b[0m" if color else text


def _where(f: Finding) -> str:
    variant = f" [{f.variant}]" if f.variant else ""
    return f"{f.location()}{variant}"


def report_text(findings: Sequence[Finding], files: int, fail_on: Severity,
                show: Severity = Severity.INFO, *, quiet: bool = False,
                color: bool = False) -> str:
    """Compiler-style lines, then a one-line summary that counts everything.

    ``quiet`` lists only the failures; ``color`` adds ANSI colour (severity) and bold (code).
    """
    return _collected(write_text, findings, files, fail_on, show, quiet=quiet, color=color)


def write_text(out: TextIO, findings: Iterable[Finding], totals: Totals, fail_on: Severity,
               show: Severity = Severity.INFO, *, quiet: bool = False,
               color: bool = False) -> None:
    """``report_text`` written line by line as ``findings`` (sorted) arrive."""
    report = TextReport(out, fail_on, show, quiet=quiet, color=color)
    report.findings(findings)
    report.summary(totals)


class LiveReport:
    """A report made of lines, written while the run goes: ``findings`` as each part of the
    run arrives (one file's, sorted; then those of the pass across files), ``summary`` once
    the run is over. A JSON or SARIF document cannot be written so: its head says whether the
    run failed.

    This base writes no line per finding and no summary."""

    def __init__(self, out: TextIO, fail_on: Severity, show: Severity = Severity.INFO, *,
                 quiet: bool = False, color: bool = False) -> None:
        self.out = out
        self.fail_on = fail_on
        self.show = show
        self.quiet = quiet
        self.color = color

    def findings(self, findings: Iterable[Finding]) -> int:
        """Write ``findings`` (sorted) as shown; return how many lines were written."""
        written = 0
        for f in self._shown(findings):
            self.out.write(self._line(f))
            written += 1
        return written

    def summary(self, totals: Totals) -> None:
        """Write what ends the report, once every finding is written."""

    def shown(self) -> Shown | None:
        """Which findings this report prints (None: all of them), for the workers of a run
        to apply before they send a file's findings (``streaming.Tally``)."""
        return Shown(self.show, self.fail_on if self.quiet else None)

    def _shown(self, findings: Iterable[Finding]) -> Iterable[Finding]:
        shown = self.shown()
        return findings if shown is None else filter(shown, findings)

    def _line(self, f: Finding) -> str:
        raise NotImplementedError


class TextReport(LiveReport):
    """``report_text``: compiler-style lines, then the summary that counts everything."""

    def _line(self, f: Finding) -> str:
        color = self.color
        ack = _paint(f" (acknowledged: {f.acknowledged})", _DIM, color) if f.acknowledged \
            else ""
        hint = f"; {f.hint}" if f.hint else ""
        code = _paint(f.code, _BOLD, color)
        severity = _paint(str(f.severity), _SEVERITY_COLOUR[f.severity], color)
        return f"{_where(f)} {code} {severity}: {f.message}{hint}{ack}\n"

    def summary(self, totals: Totals) -> None:
        counts = totals.failing
        acked = totals.acknowledged
        color = self.color
        self.out.write(
            f"{totals.files} file(s) checked: {counts[Severity.ERROR]} error(s), "
            f"{counts[Severity.WARNING]} warning(s), {counts[Severity.INFO]} note(s)"
            + (f", {acked} acknowledged" if acked else "")
            + " — " + (_paint("FAILED", _RED, color) if totals.failed(self.fail_on)
                       else _paint("ok", _GREEN, color))
            + "\n")


def _collected(write: StreamingReporter, findings: Sequence[Finding], files: int,
               fail_on: Severity, show: Severity, *, quiet: bool, color: bool) -> str:
    """A streaming reporter's text for findings held in memory."""
    totals = Totals(files=files)
    totals.count(findings)
    out = io.StringIO()
    write(out, sorted(findings, key=sort_key), totals, fail_on, show, quiet=quiet, color=color)
    return out.getvalue()


def _json_array(out: TextIO, head: str, items: Iterable[object], tail: str) -> None:
    """Write ``head`` + a JSON array of ``items`` + ``tail``, exactly as ``json.dumps`` with
    ``indent=2`` writes the array at its place: ``head`` ends at the array's opening, and the
    array's items are indented two more than the line ``head`` ends on."""
    line = head.rsplit("\n", 1)[-1]
    indent = len(line) - len(line.lstrip(" "))
    pad = " " * (indent + 2)
    first = True
    for item in items:
        text = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n" + pad)
        out.write((head + "[\n" if first else ",\n") + pad + text)
        first = False
    out.write((head + "[]" if first else "\n" + " " * indent + "]") + tail)


def _split_at_placeholder(document: Mapping[str, object]) -> tuple[str, str]:
    """``json.dumps(document, indent=2)`` cut at the value ``_PLACEHOLDER``: the text before
    it and after it."""
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    marker = json.dumps(_PLACEHOLDER, ensure_ascii=False)
    head, tail = text.split(marker, 1)
    return head, tail


_PLACEHOLDER = "\u2063benchsheet-array\u2063"  # an invisible separator: no finding has it

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
    return _collected(write_json, findings, files, fail_on, show, quiet=quiet, color=color)


def write_json(out: TextIO, findings: Iterable[Finding], totals: Totals, fail_on: Severity,
               show: Severity = Severity.INFO, *, quiet: bool = False,
               color: bool = False) -> None:
    """``report_json`` written finding by finding: one JSON document, valid once complete."""
    head, tail = _split_at_placeholder({
        "files": totals.files, "fail_on": str(fail_on), "failed": totals.failed(fail_on),
        "findings": _PLACEHOLDER,
    })
    _json_array(out, head, (finding_dict(f) for f in findings), tail)


def write_json_lines(out: TextIO, findings: Iterable[Finding], totals: Totals,
                     fail_on: Severity, show: Severity = Severity.INFO, *, quiet: bool = False,
                     color: bool = False) -> None:
    """JSON Lines: one finding per line as it arrives (the keys of ``finding_dict``), then a
    last line with the run's ``files``, ``fail_on`` and ``failed``."""
    report = JsonLinesReport(out, fail_on, show, quiet=quiet, color=color)
    report.findings(findings)
    report.summary(totals)


class JsonLinesReport(LiveReport):
    """``write_json_lines``: every finding, whatever ``show`` or ``quiet`` say, as JSON."""

    def shown(self) -> Shown | None:
        return None

    def _line(self, f: Finding) -> str:
        return json.dumps(finding_dict(f), ensure_ascii=False) + "\n"

    def summary(self, totals: Totals) -> None:
        self.out.write(json.dumps({"files": totals.files, "fail_on": str(self.fail_on),
                                   "failed": totals.failed(self.fail_on)},
                                  ensure_ascii=False) + "\n")


def report_json_lines(findings: Sequence[Finding], files: int, fail_on: Severity,
                      show: Severity = Severity.INFO, *, quiet: bool = False,
                      color: bool = False) -> str:
    """``write_json_lines`` for findings held in memory."""
    return _collected(write_json_lines, findings, files, fail_on, show, quiet=quiet,
                      color=color)


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
    return _collected(write_github, findings, files, fail_on, show, quiet=quiet, color=color)


def write_github(out: TextIO, findings: Iterable[Finding], totals: Totals, fail_on: Severity,
                 show: Severity = Severity.INFO, *, quiet: bool = False,
                 color: bool = False) -> None:
    """``report_github`` written annotation by annotation."""
    GithubReport(out, fail_on, show, quiet=quiet, color=color).findings(findings)


class GithubReport(LiveReport):
    """``report_github``: one workflow annotation per finding shown; no summary."""

    _LEVEL: ClassVar[dict[Severity, str]] = {
        Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

    def _line(self, f: Finding) -> str:
        kind = "notice" if f.acknowledged else self._LEVEL[f.severity]
        title = _escape(f"{f.code} {f.yaml_path}".strip(), prop=True)
        body = f.message + (f"; {f.hint}" if f.hint else "")
        if f.acknowledged:
            body += f" (acknowledged: {f.acknowledged})"
        return (f"::{kind} file={_escape(f.file, prop=True)},line={f.line},col={f.column},"
                f"title={title}::{_escape(body)}\n")


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
    return _collected(write_sarif, findings, files, fail_on, show, quiet=quiet, color=color)


def write_sarif(out: TextIO, findings: Iterable[Finding], totals: Totals, fail_on: Severity,
                show: Severity = Severity.INFO, *, quiet: bool = False,
                color: bool = False) -> None:
    """``report_sarif`` written result by result."""
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
            "results": _PLACEHOLDER,
        }],
    }
    head, tail = _split_at_placeholder(log)
    _json_array(out, head, (_sarif_result(f, rule_index) for f in findings), tail)


class Reporter(Protocol):
    def __call__(self, findings: Sequence[Finding], files: int, fail_on: Severity,
                 show: Severity = Severity.INFO, *, quiet: bool = False,
                 color: bool = False) -> str: ...


class StreamingReporter(Protocol):
    """Writes a report to ``out`` as sorted findings arrive; ``totals`` are known before."""

    def __call__(self, out: TextIO, findings: Iterable[Finding], totals: Totals,
                 fail_on: Severity, show: Severity = Severity.INFO, *, quiet: bool = False,
                 color: bool = False) -> None: ...


REPORTERS: dict[str, Reporter] = {
    "text": report_text, "json": report_json, "json-lines": report_json_lines,
    "github": report_github, "sarif": report_sarif,
}
STREAMING_REPORTERS: dict[str, StreamingReporter] = {
    "text": write_text, "json": write_json, "json-lines": write_json_lines,
    "github": write_github, "sarif": write_sarif,
}
#: The formats a run writes while it goes (``LiveReport``); the others are written at its end.
LIVE_REPORTERS: dict[str, type[LiveReport]] = {
    "text": TextReport, "json-lines": JsonLinesReport, "github": GithubReport,
}
