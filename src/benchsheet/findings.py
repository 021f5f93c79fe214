"""Findings: what a check reports, where, how bad, and what would fix it."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True, init=False)
class Finding:
    """One thing a check found, located in the protocol file.

    A file's variants make thousands of findings: ``__init__`` sets the fields in one step,
    not one frozen ``__setattr__`` each, and a copy with a field changed (``acknowledge``,
    ``in_variant``) copies the fields as they are rather than going through
    ``dataclasses.replace``. The fields, their order and defaults, equality, hash and repr
    are the dataclass's, as with its own ``__init__`` (the class has no ``__post_init__``
    and no field with a factory); a pickled finding is its fields in order (``__reduce__``)."""

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

    def __init__(self, file: str, line: int, column: int, code: str, severity: Severity,
                 message: str, hint: str = "", path: tuple[PathPart, ...] = (),
                 variant: str = "", acknowledged: str | None = None) -> None:
        object.__setattr__(self, "__dict__", {
            "file": file, "line": line, "column": column, "code": code, "severity": severity,
            "message": message, "hint": hint, "path": path, "variant": variant,
            "acknowledged": acknowledged})

    def __reduce__(self) -> tuple[Callable[..., Finding], tuple[object, ...]]:
        """Pickled as a tuple of the fields, in order: a worker process sends each file's
        findings to the parent, which unpickles a tuple per finding faster than the default
        ``__dict__`` of field names, set one by one."""
        return _unpickled, tuple(self.__dict__[name] for name in _FIELDS)

    def _with(self, name: str, value: object) -> Finding:
        """This finding with the field ``name`` set to ``value``: ``replace``, minus its
        look at every field and its call of ``__init__``."""
        made = object.__new__(type(self))
        fields = self.__dict__.copy()
        fields[name] = value
        object.__setattr__(made, "__dict__", fields)
        return made

    @property
    def yaml_path(self) -> str:
        return format_path(self.path)

    @property
    def fails(self) -> bool:
        """Acknowledged findings stay visible but never fail CI."""
        return self.acknowledged is None

    def acknowledge(self, reason: str) -> Finding:
        return self._with("acknowledged", reason)

    def in_variant(self, variant: str) -> Finding:
        """This finding, said of the variant ``variant``."""
        return self._with("variant", variant)

    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


_FIELDS = ("file", "line", "column", "code", "severity", "message", "hint", "path", "variant",
           "acknowledged")


def _unpickled(*values: object) -> Finding:
    """The finding of ``Finding.__reduce__``'s fields."""
    made = object.__new__(Finding)
    fields = dict(zip(_FIELDS, values))  # noqa: B905 - always ten (``__reduce__``)
    object.__setattr__(made, "__dict__", fields)
    return made


def sort_key(f: Finding) -> tuple[str, str, int, int, str, str]:
    return (f.file, f.variant, f.line, f.column, f.code, f.message)
