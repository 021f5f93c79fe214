"""Findings: what a check reports, where, how bad, and what would fix it."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace

PathPart = str | int


class Severity(enum.IntEnum):
    """How much a finding matters; ``--fail-on`` compares against this order."""

    INFO = 10
    WARNING = 20
    ERROR = 30

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}: use info, warning or error") from None

    def __str__(self) -> str:
        return self.name.lower()


def format_path(path: Sequence[PathPart]) -> str:
    """``("materials", "CdCl2", "amount")`` → ``materials.CdCl2.amount``; ``steps[3]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


@dataclass(frozen=True)
class Finding:
    """One thing a check found, located in the protocol file."""

    file: str
    line: int
    column: int
    code: str
    severity: Severity
    message: str
    hint: str = ""
    path: tuple[PathPart, ...] = ()
    variant: str = ""  # "" for the base protocol, else the variant's name
    acknowledged: str | None = None  # the protocol's reason, when it acknowledges this finding

    @property
    def yaml_path(self) -> str:
        return format_path(self.path)

    @property
    def fails(self) -> bool:
        """Acknowledged findings stay visible but never fail CI."""
        return self.acknowledged is None

    def acknowledge(self, reason: str) -> Finding:
        return replace(self, acknowledged=reason)

    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def sort_key(f: Finding) -> tuple[str, str, int, int, str, str]:
    return (f.file, f.variant, f.line, f.column, f.code, f.message)
