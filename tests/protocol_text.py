"""Protocols written in a test: one preamble, the body under it, the findings of one code.

The check tests import it as ``from protocol_text import ...``: tests/ has no __init__.py, so
pytest's default import mode puts this folder on sys.path, as it does for conftest.py.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from benchsheet.findings import Finding
from benchsheet.validate import FileResult, validate_text

HEADER = """\
format: 1
id: check-test
title: check test
version: 1.0.0
source: {section: test}
"""


def validate_body(body: str, *, before: str = "") -> FileResult:
    """Validate ``HEADER`` + ``before`` + ``body``; the body is dedented, so a test may indent
    it inside a triple-quoted string."""
    return validate_text(HEADER + before + textwrap.dedent(body))


def findings_of(body: str, *, before: str = "") -> list[Finding]:
    """The findings of ``validate_body(body, before=before)``."""
    return validate_body(body, before=before).findings


def with_code(found: FileResult | Iterable[Finding], code: str) -> list[Finding]:
    """The findings with ``code``, from a validation result or a list of findings."""
    findings = found.findings if isinstance(found, FileResult) else found
    return [f for f in findings if f.code == code]
