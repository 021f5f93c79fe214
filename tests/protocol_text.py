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


MN_DOPANT = "{element: Mn, fraction: 5 %, basis: host-cation}"


def doped_cluster(*, isolated: str | None = None, product: str = "", dopant: str = MN_DOPANT,
                  claims: str = "") -> str:
    """The Mn:(CdSe)13 cluster body the claim tests share (the paper's amounts: CdCl2
    1.5 mmol, MnCl2 0.075 mmol, Se 4.5 mmol, into one flask; product 'msc'), indented as
    a test writes it inside a triple-quoted string (``validate_body`` dedents it).

    ``isolated``: the product's isolated mass; ``product``: more product keys (one line, e.g.
    a ``shell:``); ``claims``: the claims section as it should appear (its first line at the
    body's indentation, the rest carrying their own)."""
    lines = [
        "        materials:",
        "          CdCl2: {reagent: cadmium chloride, form: anhydrous, amount: 1.5 mmol}",
        "          MnCl2: {reagent: manganese(II) chloride, form: anhydrous, amount: 0.075 mmol}",
        "          Se: {reagent: selenium, amount: 4.5 mmol}",
        "        vessels:",
        "          flask: {kind: round-bottom flask, volume: 50 mL}",
        "        steps:",
        "          - {action: add, materials: [CdCl2, MnCl2, Se], to: flask}",
        "        products:",
        "          msc:",
        "            name: Mn-doped (CdSe)13",
        "            kind: cluster",
        *([f"            isolated: {isolated}"] if isolated is not None else []),
        *([f"            {product}"] if product else []),
        "            composition:",
        "              cations: {Cd: 1}",
        "              anions: {Se: 1}",
        "              nuclearity: 13",
        f"              dopant: {dopant}",
        *([f"        {claims}"] if claims else []),
    ]
    return "\n".join(lines) + "\n"
