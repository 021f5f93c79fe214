"""Chemical formulas and molar masses, parsed by molmass.

molmass already knows the atomic weights and common groups (Ph, Me, Et, Bu, ...); this module
adds what lab formulas need on top: hydrate dots in any spelling, fractional water counts such as
CdCl2·2.5H2O, and error messages a chemist can act on.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import molmass

__all__ = ["FormulaError", "ParsedFormula", "molar_mass", "parse_formula"]

# Spellings of the hydrate/adduct dot: middle dot, bullet, dot operator, bullet operator, asterisk.
_ADDUCT_DOTS = str.maketrans({"\u00b7": "·", "\u2022": "·", "\u22c5": "·", "\u2219": "·", "*": "·"})

# One part of an adduct: an optional count (integer or decimal, e.g. the 2.5 of 2.5H2O), then a
# formula that starts with an element, a group or a bracket. Requiring a letter or bracket after
# the count is what keeps molmass from reading "4H2O" as four-deuterium "[4H]2O"-like isotopes.
# A '.' between digits inside the body is a decimal count (Cd0.5Zn0.5Se, Cd6.5Zn6.5Se13) unless
# what follows it is a water count (MnCl2.4H2O, CdCl2.2.5H2O): then it is a hydrate dot.
_DECIMAL_DOT = r"(?<=\d)\.(?=\d)(?!\d*(?:\.\d+)?[HD]2O)"
_PART = re.compile(
    rf"(?P<count>\d+(?:\.\d+)?)?(?P<body>[A-Z(\[](?:[^·.]|{_DECIMAL_DOT})*)"
)
# Element (or group) symbols with a decimal count; molmass takes whole numbers only.
_ATOM_COUNT = re.compile(r"([A-Z][a-z]?)(\d+(?:\.\d+)?)?")
_DECIMAL_SCALE = 1000


class FormulaError(ValueError):
    """A formula that cannot be read; the message says what is wrong in the chemist's terms."""


@dataclass(frozen=True)
class ParsedFormula:
    """A formula as given, with its element counts per formula unit, charge and molar mass."""

    text: str
    elements: Mapping[str, float] = field(hash=False)
    charge: int
    molar_mass: float  # g/mol


def _split_adduct(text: str) -> list[tuple[float, str]]:
    """Split 'MnCl2·4H2O' (or with '.', '*', '•') into [(1, 'MnCl2'), (4, 'H2O')]."""
    compact = "".join(text.split()).translate(_ADDUCT_DOTS)
    if not compact:
        raise FormulaError("empty formula")
    parts: list[tuple[float, str]] = []
    position = 0
    while True:
        match = _PART.match(compact, position)
        if match is None:
            raise FormulaError(
                f"cannot read formula {text!r}: expected an element symbol, group or bracket "
                f"at position {position + 1} ({compact[position:]!r})"
            )
        count = float(match["count"]) if match["count"] else 1.0
        if count <= 0:
            raise FormulaError(f"cannot read formula {text!r}: a count of {match['count']} is zero")
        parts.append((count, match["body"]))
        position = match.end()
        if position == len(compact):
            return parts
        # Whatever stopped the body is a hydrate dot; a trailing one leaves nothing to read.
        position += 1
        if position == len(compact):
            raise FormulaError(f"cannot read formula {text!r}: nothing after the hydrate dot")


def _scaled_body(body: str) -> tuple[str, int]:
    """A body with decimal counts rewritten in whole numbers ×1000, and that scale (else 1)."""
    if not re.search(r"\d\.\d", body):
        return body, 1

    def scale(match: re.Match[str]) -> str:
        count = float(match[2]) if match[2] else 1.0
        scaled = count * _DECIMAL_SCALE
        if abs(scaled - round(scaled)) > 1e-6:
            raise FormulaError(f"cannot read formula {body!r}: more than three decimals")
        return f"{match[1]}{round(scaled)}"

    return _ATOM_COUNT.sub(scale, body), _DECIMAL_SCALE


def _molmass_formula(body: str, text: str) -> molmass.Formula:
    """Hand one adduct part to molmass, rewording its error for the user."""
    try:
        formula = molmass.Formula(body)
        formula.mass  # noqa: B018 -- molmass parses lazily; force it so errors surface here
    except molmass.FormulaError as error:
        reason = str(error).splitlines()[0]
        raise FormulaError(f"cannot read formula {text!r}: {reason} in {body!r}") from error
    return formula


@functools.lru_cache(maxsize=4096)
def parse_formula(text: str) -> ParsedFormula:
    """Parse a formula such as 'CdCl2', 'MnCl2·4H2O', '(C4H9)4NBr' or '[Ag18(PPh3)10H16]2+'."""
    counts: dict[str, float] = {}
    charge = 0.0
    mass = 0.0
    for count, raw_body in _split_adduct(text):
        body, scale = _scaled_body(raw_body)
        formula = _molmass_formula(body, text)
        for item in formula.composition().values():
            if item.symbol == "e-":  # molmass books an ion's charge as electrons
                continue
            counts[item.symbol] = counts.get(item.symbol, 0.0) + count * item.count / scale
        charge += count * formula.charge / scale
        mass += count * formula.mass / scale
    if charge != int(charge):
        raise FormulaError(f"cannot read formula {text!r}: the charge {charge:g} is not whole")
    return ParsedFormula(
        text=text,
        elements=MappingProxyType(dict(sorted(counts.items()))),
        charge=int(charge),
        molar_mass=mass,
    )


def molar_mass(text: str) -> float:
    """Molar mass in g/mol of the formula unit as written (hydrate water included)."""
    return parse_formula(text).molar_mass
