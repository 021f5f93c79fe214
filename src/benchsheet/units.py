"""Quantities with units: the one pint registry, the spellings a protocol may use, and parsing.

A protocol writes quantities as strings (``1.5 mmol``, ``3.8–5.3 mg``, ``1.50 ± 0.01 mmol``,
``3 bar gauge``). Each spelling a protocol may use is listed here with the dimension it belongs
to, so a wrong dimension, an unknown unit and an ambiguous spelling are told apart and each gets
its own message. Parsing needs no pint, and neither do the conversions the package makes:
they read unit_table.json, generated from pint by tools/build_unit_table.py. pint stays the
source of truth and is loaded only for a conversion the table does not hold.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Literal

from benchsheet.memo import ByIdentity

if TYPE_CHECKING:
    import pint

Reference = Literal["gauge", "absolute"]
Bound = Literal["<", "<=", ">", ">="]


@dataclass(frozen=True)
class Dimension:
    """A physical dimension a field accepts, with the spellings that mean it."""

    name: str
    label: str  # "a mass", used in messages
    example: str
    units: dict[str, str]  # accepted spelling -> pint expression; the first is canonical


def _dim(name: str, label: str, example: str, units: dict[str, str]) -> Dimension:
    return Dimension(name, label, example, units)


MICRO = ("µ", "μ", "u")  # micro sign U+00B5, Greek mu U+03BC, ASCII u


def _micro(prefix_unit: str, pint_unit: str) -> dict[str, str]:
    return {m + prefix_unit: pint_unit for m in MICRO}


MASS = _dim(
    "mass", "a mass", "20 mg",
    {"mg": "milligram", "g": "gram", "kg": "kilogram", **_micro("g", "microgram"),
     "ng": "nanogram"},
)
VOLUME = _dim(
    "volume", "a volume", "10 mL",
    {"mL": "milliliter", "ml": "milliliter", "L": "liter", "l": "liter",
     **_micro("L", "microliter"), **_micro("l", "microliter"), "nL": "nanoliter",
     "cm3": "cm**3", "m3": "m**3"},
)
AMOUNT = _dim(
    "amount", "an amount of substance", "1.5 mmol",
    {"mmol": "millimole", "mol": "mole", **_micro("mol", "micromole"), "nmol": "nanomole"},
)
MOLAR_CONCENTRATION = _dim(
    "molar_concentration", "a molar concentration", "0.1 M",
    {"M": "mol/L", "mM": "mmol/L", **_micro("M", "umol/L"), "nM": "nmol/L",
     "mol/L": "mol/L", "mmol/L": "mmol/L", "mmol/mL": "mmol/mL"},
)
MASS_CONCENTRATION = _dim(
    "mass_concentration", "a mass concentration", "4 mg/mL",
    {"mg/mL": "mg/mL", "g/L": "g/L", "mg/L": "mg/L", **_micro("g/mL", "ug/mL")},
)
DENSITY = _dim(
    "density", "a density", "0.789 g/mL",
    {"g/mL": "g/mL", "g/cm3": "g/cm**3", "kg/m3": "kg/m**3", "kg/L": "kg/L"},
)
MOLAR_MASS = _dim("molar_mass", "a molar mass", "183.32 g/mol",
                  {"g/mol": "g/mol", "kg/mol": "kg/mol"})
TEMPERATURE = _dim(
    "temperature", "an absolute temperature", "120 degC",
    {"degC": "degC", "°C": "degC", "℃": "degC", "K": "kelvin", "degF": "degF", "°F": "degF"},
)
TEMPERATURE_DIFFERENCE = _dim(
    "temperature_difference", "a temperature difference", "5 delta_degC",
    {"delta_degC": "delta_degC", "Δ°C": "delta_degC", "ΔK": "kelvin", "K": "kelvin"},
)
DURATION = _dim(
    "duration", "a duration", "24 h",
    {"h": "hour", "min": "minute", "s": "second", "ms": "millisecond", "d": "day",
     "hr": "hour", "sec": "second", "day": "day", "days": "day", "week": "week"},
)
PRESSURE = _dim(
    "pressure", "a pressure", "3 bar gauge",
    {"bar": "bar", "mbar": "millibar", "Pa": "pascal", "kPa": "kilopascal",
     "MPa": "megapascal", "atm": "atmosphere", "psi": "psi", "Torr": "torr",
     "mmHg": "mmHg"},
)
FLOW_RATE = _dim(
    "flow_rate", "a gas or liquid flow rate", "20 mL/min",
    {"mL/min": "mL/min", "L/min": "L/min", "L/h": "L/h", "mL/h": "mL/h",
     **_micro("L/min", "uL/min"), "sccm": "mL/min"},
)
ROTATIONAL_SPEED = _dim("rotational_speed", "a rotational speed", "5000 rpm", {"rpm": "rpm"})
RCF = _dim(
    "rcf", "a relative centrifugal force", "4000 x g",
    {"x g": "standard_gravity", "×g": "standard_gravity", "× g": "standard_gravity",
     "xg": "standard_gravity"},
)
LENGTH = _dim(
    "length", "a length", "350 nm",
    {"nm": "nanometer", **_micro("m", "micrometer"), "mm": "millimeter",
     "cm": "centimeter", "Å": "angstrom"},
)
FRACTION = _dim("fraction", "a fraction", "5 %", {"%": "percent", "": "dimensionless",
                                                  "ppm": "ppm"})
ENERGY = _dim("energy", "an energy", "5 kJ", {"J": "joule", "kJ": "kilojoule"})
# A solution's strength by mass: 37 % hydrochloric acid is 37 g of HCl in 100 g of solution.
# Its own dimension (not FRACTION) so that a concentration never accepts a bare number.
MASS_FRACTION = _dim("mass_fraction", "a mass fraction", "37 %",
                     {"%": "percent", "wt%": "percent", "wt %": "percent", "% w/w": "percent"})
MOLALITY = _dim("molality", "a molality", "1.0 mol/kg",
                {"mol/kg": "mol/kg", "mmol/kg": "mmol/kg", "mmol/g": "mmol/g"})

ALL_DIMENSIONS: tuple[Dimension, ...] = (
    MASS, VOLUME, AMOUNT, MOLAR_CONCENTRATION, MASS_CONCENTRATION, DENSITY, MOLAR_MASS,
    TEMPERATURE, TEMPERATURE_DIFFERENCE, DURATION, PRESSURE, FLOW_RATE, ROTATIONAL_SPEED, RCF,
    LENGTH, FRACTION, ENERGY, MASS_FRACTION, MOLALITY,
)

# (dimension name, accepted spelling) -> its pint expression: ``pint_unit`` in one look-up.
_PINT_UNITS: dict[tuple[str, str], str] = {
    (dim.name, spelling): expr for dim in ALL_DIMENSIONS for spelling, expr in dim.units.items()}

# Spellings refused everywhere, each with the reason; ord-schema keeps a table like this.
AMBIGUOUS_SPELLINGS: dict[str, str] = {
    "m": "'m' is the metre but is often meant as minutes; write 'min' for minutes",
    "Mg": "'Mg' is a megagram (and magnesium), almost always a slip for 'mg'; write 'mg'",
    "C": "'C' is the coulomb (and carbon); write 'degC' or '°C' for degrees Celsius",
    "°": "a bare degree sign does not say Celsius or Fahrenheit; write 'degC' or '°C'",
    "cc": "'cc' is read as cubic centimetres or as a brand of syringe; write 'mL'",
    "mcg": "'mcg' is a pharmacy spelling; write 'µg' (or 'ug')",
    "N": "'N' is the newton and also normality; write a molar concentration in 'M'",
    "g": "",  # filled in below: only ambiguous where a force is meant
    "rcf": "write the relative centrifugal force as '4000 x g'",
    "G": "'G' is the gauss (and giga); write a relative centrifugal force as '4000 x g'",
    "hrs": "write 'h' for hours",
    "mins": "write 'min' for minutes",
    "r.p.m.": "write 'rpm'",
    "RPM": "write 'rpm'",
    "psig": "",  # handled as a reference suffix, never reaches the table
}
del AMBIGUOUS_SPELLINGS["g"], AMBIGUOUS_SPELLINGS["psig"]

PRESSURE_SUFFIXES: dict[str, Reference] = {
    "gauge": "gauge", "(g)": "gauge", "g": "gauge", "abs": "absolute", "absolute": "absolute",
    "(a)": "absolute", "a": "absolute",
}

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_QUANTITY_RE = re.compile(
    rf"""^\s*
    (?P<approx>~|≈|ca\.\s*)?
    (?P<bound><=|>=|≤|≥|<|>)?\s*
    (?P<value>{_NUMBER})
    (?:\s*(?P<op>–|—|-|to|±|\+/-)\s*(?P<second>{_NUMBER}))?
    \s*(?P<unit>.*?)\s*$""",
    re.VERBOSE,
)
# Any comma inside the number: '5,000' (thousands) and '1,5' (a decimal comma) alike.
_THOUSANDS_RE = re.compile(r"^\s*[+-]?\d+(,\d+)+")
_BOUND_CANON: dict[str, Bound] = {"<": "<", "<=": "<=", "≤": "<=", ">": ">", ">=": ">=",
                                  "≥": ">="}

ErrorKind = Literal[
    "bare_number", "wrong_dimension", "unknown_unit", "ambiguous_unit", "malformed",
    "pressure_reference", "reversed_range", "negative", "too_large",
]


class QuantityError(ValueError):
    """A quantity string that cannot be accepted; ``kind`` is stable and maps to a rule code."""

    def __init__(self, kind: ErrorKind, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.message = message
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Measured:
    """A value with a unit as a protocol writes it: a point, a range, a tolerance or a bound.

    Numbers are kept as written (Decimal), so ``1.50 mmol`` keeps its significant figures and
    the canonical string round-trips exactly.
    """

    value: Decimal
    unit: str
    dimension: str
    upper: Decimal | None = None  # a range value–upper
    tolerance: Decimal | None = None  # value ± tolerance
    bound: Bound | None = None  # "<1 %": an upper or lower bound only
    approximate: bool = False
    reference: Reference | None = None  # pressures: gauge or absolute

    @property
    def low(self) -> Decimal:
        if self.tolerance is not None:
            return self.value - self.tolerance
        return self.value

    @property
    def high(self) -> Decimal:
        if self.upper is not None:
            return self.upper
        if self.tolerance is not None:
            return self.value + self.tolerance
        return self.value

    @property
    def nominal(self) -> Decimal:
        """The value to plan with: the point, the tolerance's centre or the range's midpoint."""
        if self.upper is not None:
            return (self.value + self.upper) / 2
        return self.value

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    def __str__(self) -> str:
        return format_measured(self)

    def scaled(self, factor: Decimal) -> Measured:
        """The same quantity times ``factor`` (amounts scale; temperatures never call this)."""
        return Measured(
            value=self.value * factor, unit=self.unit, dimension=self.dimension,
            upper=None if self.upper is None else self.upper * factor,
            tolerance=None if self.tolerance is None else self.tolerance * factor,
            bound=self.bound, approximate=self.approximate, reference=self.reference,
        )

    def magnitudes(self, unit: str) -> tuple[float, float, float]:
        """(low, nominal, high) as floats in the pint unit ``unit`` (remembered, as ``to``)."""

        def compute() -> tuple[float, float, float]:
            src = pint_unit(self.dimension, self.unit)
            return (convert(float(self.low), src, unit), convert(float(self.nominal), src, unit),
                    convert(float(self.high), src, unit))

        return _MAGNITUDES.get(self, compute, unit)

    def to_kelvin_low(self) -> float:
        """The lowest value of an absolute temperature, in K (without loading pint)."""
        low = float(self.low)
        if self.unit == "K":
            return low
        if self.unit in ("degF", "°F"):
            return (low - 32) * 5 / 9 + 273.15
        return low + 273.15

    def to(self, unit: str) -> float:
        """The nominal value as a float in the pint unit ``unit``.

        Remembered per value and unit: parsed values are shared (``parse_quantity``), and a
        file's variants and checks convert the same temperature or amount again and again.
        """
        return _CONVERTED.get(self, lambda: convert(
            float(self.nominal), pint_unit(self.dimension, self.unit), unit), unit)


# ``to`` and ``magnitudes`` of measured values, by the value and the unit. Bounded: a run
# meets many values.
_CONVERTED: ByIdentity[float] = ByIdentity(most=8192)
_MAGNITUDES: ByIdentity[tuple[float, float, float]] = ByIdentity(most=8192)


def _fmt_number(d: Decimal) -> str:
    # Plain notation keeps the digits as written ("1.50" stays "1.50").
    return format(d, "f")


def format_measured(m: Measured) -> str:
    """The canonical spelling of a measured value; ``parse`` of it gives ``m`` back exactly."""
    parts = []
    if m.approximate:
        parts.append("~")
    if m.bound:
        parts.append(m.bound)
    parts.append(_fmt_number(m.value))
    if m.upper is not None:
        parts.append("–" + _fmt_number(m.upper))
    if m.tolerance is not None:
        parts.append(" ± " + _fmt_number(m.tolerance))
    text = "".join(parts)
    if m.unit:
        text += " " + m.unit
    if m.reference:
        text += " " + m.reference
    return text


@functools.cache
def _spelling_index() -> dict[str, list[tuple[Dimension, str]]]:
    index: dict[str, list[tuple[Dimension, str]]] = {}
    for dim in ALL_DIMENSIONS:
        canonical = canonical_spelling(dim)
        for spelling in dim.units:
            index.setdefault(spelling, []).append((dim, canonical_for(dim, spelling, canonical)))
    return index


def canonical_spelling(dim: Dimension) -> str:
    return next(iter(dim.units))


def canonical_for(dim: Dimension, spelling: str, default: str) -> str:
    """The canonical spelling of one accepted spelling (``ml`` → ``mL``, ``uL`` → ``µL``)."""
    target = dim.units[spelling]
    for candidate, pint_expr in dim.units.items():
        if pint_expr == target:
            return candidate
    return default


def pint_unit(dimension: str, spelling: str) -> str:
    """The pint expression behind an accepted spelling of a dimension."""
    found = _PINT_UNITS.get((dimension, spelling))
    if found is not None:
        return found
    for dim in ALL_DIMENSIONS:  # not accepted: the KeyError says which part
        if dim.name == dimension:
            return dim.units[spelling]
    raise KeyError(dimension)


def dimension_named(name: str) -> Dimension:
    for dim in ALL_DIMENSIONS:
        if dim.name == name:
            return dim
    raise KeyError(name)


def _split_reference(unit: str) -> tuple[str, Reference | None]:
    for spelled in ("psig", "psia", "barg", "bara"):
        if unit == spelled:
            return unit[:-1], "gauge" if spelled.endswith("g") else "absolute"
    head, _, tail = unit.rpartition(" ")
    if head and tail in PRESSURE_SUFFIXES:
        return head.rstrip(), PRESSURE_SUFFIXES[tail]
    for suffix in ("(g)", "(a)"):
        if unit.endswith(suffix):
            return unit[: -len(suffix)].strip(), PRESSURE_SUFFIXES[suffix]
    return unit, None


def _expectation(dims: tuple[Dimension, ...]) -> str:
    labels = " or ".join(d.label for d in dims)
    examples = ", ".join(f"'{d.example}'" for d in dims)
    return f"{labels} (e.g. {examples})"


def parse_quantity(text: object, dims: tuple[Dimension, ...],
                   dims_ids: tuple[int, ...] | None = None) -> Measured:
    """Parse ``text`` as a quantity of one of ``dims``, or raise a ``QuantityError`` saying why.

    Text is parsed once per spelling and dimensions: a protocol's variants, and a library of
    protocols, write the same few hundred quantities ('1.5 mmol', '25 degC') thousands of
    times, and ``Measured`` is immutable, so the parsed value is shared. So is a bare number
    (an int or a float, a fraction written without its unit): what ``_parse_quantity`` makes
    of one depends on its text alone, and that it is a number, not text. ``dims_ids`` is
    ``tuple(map(id, dims))``, given by a caller that asks with the same ``dims`` every time.
    """
    spelled: str | tuple[str, str]
    if isinstance(text, str):
        spelled = text
    elif type(text) is int or type(text) is float:
        try:
            spelled = ("number", str(text))
        except ValueError:  # an int too long to write out: _parse_quantity says so
            return _parse_quantity(text, dims)
    else:
        return _parse_quantity(text, dims)
    key = (spelled, dims_ids if dims_ids is not None else tuple(map(id, dims)))
    hit = _PARSED.get(key)
    if hit is None:
        try:
            parsed: Measured | QuantityError = _parse_quantity(text, dims)
        except QuantityError as exc:
            # Kept without its traceback, whose frames would hold the file being validated.
            parsed = exc.with_traceback(None)
        if len(_PARSED) >= _PARSED_MOST:  # a file of ten thousand distinct quantities
            _PARSED.clear()
        # The dimensions are kept with the result, so their ids in the key stay theirs.
        hit = _PARSED[key] = (dims, parsed)
    if isinstance(hit[1], QuantityError):
        raise QuantityError(hit[1].kind, hit[1].message, hit[1].hint)
    return hit[1]


# Parsed spellings: key (text, or ("number", its text) for a number; ids of the dimensions
# asked for) -> (those dimensions, result).
_PARSED: dict[tuple[str | tuple[str, str], tuple[int, ...]],
              tuple[tuple[Dimension, ...], Measured | QuantityError]] = {}
_PARSED_MOST = 8192


def _parse_quantity(text: object, dims: tuple[Dimension, ...]) -> Measured:
    if isinstance(text, bool) or not isinstance(text, (str, int, float, Decimal)):
        raise QuantityError("malformed", f"expected {_expectation(dims)}, got {text!r}")
    allows_bare = any("" in d.units for d in dims)
    if not isinstance(text, str):
        if not allows_bare:
            raise QuantityError(
                "bare_number", f"{text} has no unit; expected {_expectation(dims)}",
                f"write it with its unit, e.g. '{text} {canonical_spelling(dims[0])}'",
            )
        text = str(text)
    if _THOUSANDS_RE.match(text) and "," in text.split()[0]:
        raise QuantityError(
            "malformed", f"'{text}': a comma is a thousands separator in English and a decimal "
            "mark elsewhere",
            "write the number without a comma: '5000 rpm' for thousands, '1.5 mg' for a decimal",
        )
    match = _QUANTITY_RE.match(text.replace("\u2009", " ").replace("\u00a0", " "))
    if not match:
        raise QuantityError("malformed", f"'{text}' is not a number followed by a unit; "
                            f"expected {_expectation(dims)}")
    unit = match["unit"]
    reference: Reference | None = None
    if any(d is PRESSURE for d in dims):
        unit, reference = _split_reference(unit)
    if unit in AMBIGUOUS_SPELLINGS:
        raise QuantityError("ambiguous_unit", f"'{text}': {AMBIGUOUS_SPELLINGS[unit]}",
                            AMBIGUOUS_SPELLINGS[unit])
    if unit == "" and not allows_bare:
        raise QuantityError("bare_number", f"'{text}' has no unit; expected {_expectation(dims)}",
                            f"add the unit, e.g. '{dims[0].example}'")
    candidates = _spelling_index().get(unit, [])
    chosen = next(((d, c) for d, c in candidates if d in dims), None)
    if chosen is None:
        if candidates:
            got = candidates[0][0]
            raise QuantityError(
                "wrong_dimension",
                f"'{text}' is {got.label}, but {_expectation(dims)} is expected here",
                f"give {dims[0].label} such as '{dims[0].example}'",
            )
        raise QuantityError("unknown_unit", f"'{text}': unknown unit '{unit}'; expected "
                            f"{_expectation(dims)}",
                            "accepted units: " + ", ".join(sorted({
                                canonical_for(d, s, s) for d in dims for s in d.units if s})))
    dim, canonical = chosen
    if dim is PRESSURE and reference is None:
        raise QuantityError(
            "pressure_reference", f"'{text}' does not say whether it is gauge or absolute",
            f"write '{match['value']} {canonical} gauge' or '{match['value']} {canonical} abs'",
        )
    try:
        value = Decimal(match["value"])
        second = Decimal(match["second"]) if match["second"] else None
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only numbers
        raise QuantityError("malformed", f"'{text}': bad number") from exc
    op = match["op"]
    upper = tolerance = None
    if second is not None:
        if op == "±" or op == "+/-":
            tolerance = second
            if tolerance < 0:
                raise QuantityError("negative", f"'{text}': a tolerance cannot be negative")
        else:
            upper = second
            if upper < value:
                raise QuantityError("reversed_range", f"'{text}': the range runs backwards",
                                    f"write '{second}–{value} {canonical}'")
    bound = _BOUND_CANON[match["bound"]] if match["bound"] else None
    measured = Measured(value=value, unit=canonical, dimension=dim.name, upper=upper,
                        tolerance=tolerance, bound=bound, approximate=bool(match["approx"]),
                        reference=reference)
    _check_physical(measured, text)
    return measured


# Dimensions whose values cannot be negative (a temperature difference can; so can a gauge
# pressure down to -1 atm, and an absolute temperature down to 0 K).
_NON_NEGATIVE = frozenset({
    "mass", "volume", "amount", "molar_concentration", "mass_concentration", "density",
    "molar_mass", "duration", "flow_rate", "rotational_speed", "rcf", "length", "fraction",
    "energy",
})
# Of those, the ones zero is no value of either: every substance has a density and a molar
# mass, and the amounts divide by both (a mass over its density is its volume).
_POSITIVE = frozenset({"density", "molar_mass"})


# No quantity a protocol writes has a number beyond this in its own unit (10^15 mg is a
# thousand tonnes, 10^15 rpm is faster than light at the rim): a larger one is a slip, and
# past the float range it would overflow the arithmetic (rpm² in a centrifugal force).
LARGEST_NUMBER = Decimal("1e15")
# Nor a number this close to zero but not zero (10^-15 mg is a picogram's thousandth): a
# slip of exponent, and near the float range's end (5e-324) it becomes 0 in the arithmetic,
# where it is divided by (a purity of '5e-324 %').
SMALLEST_NUMBER = Decimal("1e-15")


def absolute_unless_stated(text: object) -> object:
    """A pressure that can only be absolute (a vapour pressure): '0.72 bar' is read as
    '0.72 bar abs'; one that says gauge or absolute ('1 bar gauge', '15 psig', '2 bar (a)')
    is left as written, as ``_split_reference`` reads it."""
    if not isinstance(text, str) or not text.split():
        return text
    stated = _split_reference(text.strip())[1] or _split_reference(text.split()[-1])[1]
    return text if stated else f"{text} abs"


def _check_physical(m: Measured, text: str) -> None:
    """Refuse values no bench can have: negative amounts, below 0 K, below vacuum, numbers
    too large to be meant."""
    if any(abs(x) > LARGEST_NUMBER for x in (m.low, m.nominal, m.high)):
        raise QuantityError("too_large", f"'{text}': a number this large cannot be meant",
                            "check the number and its unit (a slip of exponent?)")
    if any(0 < abs(x) < SMALLEST_NUMBER for x in (m.low, m.nominal, m.high)):
        raise QuantityError("too_large", f"'{text}': a number this close to zero cannot be "
                            "meant", "check the number and its unit (a slip of exponent?), or "
                            "write 0 if nothing is meant")
    if m.dimension in _NON_NEGATIVE and m.low < 0:
        raise QuantityError("negative", f"'{text}': {dimension_named(m.dimension).label} "
                            "cannot be negative", "check the sign")
    if m.dimension in _POSITIVE and m.low == 0:
        raise QuantityError("negative", f"'{text}': {dimension_named(m.dimension).label} "
                            "cannot be zero", "check the number and its unit, or leave the "
                            "field out if the value is not known")
    if m.dimension == "temperature" and m.to_kelvin_low() <= 0:
        # Absolute zero itself is out of reach too, and every gas law divides by T.
        raise QuantityError("negative", f"'{text}' is at or below absolute zero",
                            "check the number and the unit (degC, K, degF)")
    if m.dimension == "pressure":
        low_pa = convert(float(m.low), pint_unit(m.dimension, m.unit), "pascal")
        floor = -STANDARD_ATMOSPHERE_PA if m.reference == "gauge" else 0.0
        if low_pa < floor - 1e-9:
            raise QuantityError("negative", f"'{text}' is below a perfect vacuum",
                                "a gauge pressure is at least -1 atm, an absolute one at least 0")


# --- pint: loaded lazily, the one registry for the package ---------------------------------

@functools.cache
def registry() -> pint.UnitRegistry[float]:
    """The package's one pint registry (offset units stay offset: no silent conversions)."""
    import pint

    # pint caches its parsed definitions in the user's cache folder: 16 ms instead of 130 ms
    # on every later start, which every CI job pays. A read-only home falls back to parsing.
    try:
        return pint.UnitRegistry(autoconvert_offset_to_baseunit=False, cache_folder=":auto:")
    except (OSError, ImportError):  # pragma: no cover - depends on the machine
        return pint.UnitRegistry(autoconvert_offset_to_baseunit=False, cache_folder=None)


# The pint expressions the code converts to (``Measured.to``, ``.magnitudes``, ``convert``);
# with every Dimension's expressions they make up the committed unit table.
CONVERSION_TARGETS: tuple[str, ...] = (
    "dimensionless", "mol", "g", "mL", "mol/mL", "g/mL", "g/mol", "kelvin", "pascal",
    "L/min", "minute", "hour", "rpm", "centimeter", "mol/kg", "percent",
)

UNIT_TABLE = "unit_table.json"  # package data beside this module
REGENERATE_UNIT_TABLE = "python tools/build_unit_table.py"

# (scale, offset, dimensionality, delta): scale * x + offset is x in SI base units.
UnitEntry = tuple[float, float, str, bool]


def unit_table_expressions() -> list[str]:
    """Every pint expression the package can produce, in a stable order, each once."""
    wanted = [expr for dim in ALL_DIMENSIONS for expr in dim.units.values()]
    return list(dict.fromkeys([*wanted, *CONVERSION_TARGETS]))


def unit_table_from_pint() -> dict[str, UnitEntry]:
    """The table's entry for each expression, as the installed pint defines the unit.

    ``delta`` marks pint's temperature-difference units, which pint refuses to convert to or
    from an offset unit (degC, degF); ``kelvin`` is neither and converts to both.
    """
    ureg = registry()
    table: dict[str, UnitEntry] = {}
    for expr in unit_table_expressions():
        one = ureg.Quantity(1.0, expr)
        names = [name for name, _ in one.unit_items()]
        offset = float(ureg.Quantity(0.0, expr).to_base_units().magnitude)
        if offset:
            # An offset unit's slope is its delta unit (a 1 °C step), which pint defines
            # exactly; 1 °C − 0 °C in kelvin would cancel digits.
            if len(names) != 1:
                raise ValueError(f"{expr}: an offset unit inside a compound unit")
            scale = float(ureg.Quantity(1.0, "delta_" + names[0]).to_base_units().magnitude)
        else:
            scale = float(one.to_base_units().magnitude)
        delta = any(name.startswith("delta_") for name in names)
        table[expr] = (scale, offset, str(one.dimensionality), delta)
    return table


def unit_table_text() -> str:
    """The text of unit_table.json, generated from the installed pint."""
    ureg = registry()
    rows = []
    for expr, (scale, offset, dimensionality, delta) in unit_table_from_pint().items():
        base = f"{ureg.Quantity(1.0, expr).to_base_units().units:~C}" or "1"
        entry = {"scale": scale, "offset": offset, "dimensionality": dimensionality,
                 "delta": delta, "base": base}
        rows.append(f"    {json.dumps(expr)}: {json.dumps(entry, ensure_ascii=False)}")
    about = ("Generated from pint; do not edit. Each pint expression benchsheet converts: "
             "scale * x + offset is x in the SI base unit 'base'. 'delta' marks a temperature "
             "difference, which pint will not mix with degC or degF. units.convert composes two "
             "entries of the same dimensionality and asks pint for anything else.")
    return ("{\n"
            f'  "about": {json.dumps(about)},\n'
            f'  "regenerate": {json.dumps(REGENERATE_UNIT_TABLE)},\n'
            '  "units": {\n' + ",\n".join(rows) + "\n  }\n}\n")


@functools.cache
def unit_table() -> dict[str, UnitEntry]:
    """The committed unit table (package data, read once per process; pint is not loaded)."""
    import importlib.resources

    text = importlib.resources.files(__package__).joinpath(UNIT_TABLE).read_text("utf-8")
    return {expr: (float(e["scale"]), float(e["offset"]), str(e["dimensionality"]),
                   bool(e["delta"]))
            for expr, e in json.loads(text)["units"].items()}


def _table_factor(src: str, dst: str) -> tuple[float, float] | None:
    """The unit table's (scale, offset) from ``src`` to ``dst``, or None to ask pint."""
    table = unit_table()
    a, b = table.get(src), table.get(dst)
    if a is None or b is None or a[2] != b[2]:
        return None
    if (a[1] and b[3]) or (a[3] and b[1]):
        return None  # degC to a temperature difference: pint refuses it, so let pint say so
    # x of src is s_a·x + o_a in base units, which is (s_a·x + o_a − o_b) / s_b of dst.
    return a[0] / b[0], (a[1] - b[1]) / b[0]


@functools.cache
def _factor(src: str, dst: str) -> tuple[float, float]:
    """(scale, offset) such that dst = scale * src + offset.

    From the committed unit table (generated from pint) when it holds both units, so a
    validate run never loads pint; from pint itself for anything else.
    """
    table = _table_factor(src, dst)
    if table is not None:
        return table
    return _pint_factor(src, dst)


def _pint_factor(src: str, dst: str) -> tuple[float, float]:
    ureg = registry()
    zero = ureg.Quantity(0.0, src).to(dst).magnitude
    one = ureg.Quantity(1.0, src).to(dst).magnitude
    return float(one - zero), float(zero)


def convert(value: float, src: str, dst: str) -> float:
    """Convert a float between two pint unit expressions (handles offset temperatures)."""
    if src == dst:
        return value
    scale, offset = _factor(src, dst)
    return value * scale + offset


STANDARD_ATMOSPHERE_PA = 101_325.0  # 1 atm, by definition (CGPM 1954)


def absolute_pressure_pa(m: Measured, which: Literal["low", "nominal", "high"] = "nominal",
                         ambient_pa: float = STANDARD_ATMOSPHERE_PA) -> float:
    """A pressure in Pa absolute; gauge values are read against ``ambient_pa``."""
    raw = {"low": m.low, "nominal": m.nominal, "high": m.high}[which]
    pa = convert(float(raw), pint_unit(m.dimension, m.unit), "pascal")
    return pa + ambient_pa if m.reference == "gauge" else pa
