"""Checks: one module per family of rules; importing this package registers them all."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from benchsheet.checks.context import CheckContext
from benchsheet.findings import Finding, Severity
from benchsheet.rules import RuleInfo, register

CheckFunction = Callable[[CheckContext], Iterator[Finding]]


@dataclass(frozen=True)
class Check:
    info: RuleInfo
    run: CheckFunction
    # Runs once every file of the run is validated, with ``CheckContext.protocols`` set: a rule
    # that follows links between protocol files.
    across_files: bool = False
    # Runs on the base protocol only, not on each variant: a rule about the run's setting
    # (the lab's reagent files), which no variant changes.
    base_only: bool = False


CHECKS: list[Check] = []


def rule(code: str, severity: Severity, title: str, *, across_files: bool = False,
         base_only: bool = False) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under a stable code; its docstring is the explanation."""

    def wrap(func: CheckFunction) -> CheckFunction:
        info = register(code, severity, title, " ".join((func.__doc__ or "").split()))
        CHECKS.append(Check(info, func, across_files, base_only))
        return func

    return wrap


def load_all() -> list[Check]:
    """Import every family module (each registers its rules) and return the checks."""
    from benchsheet.checks import (  # noqa: F401 - imported for their registrations
        claim_requirements,
        claims,
        composition,
        equipment,
        gases,
        hazards,
        identity,
        phases,
        references,
        solubility,
        stoichiometry,
    )

    return CHECKS
