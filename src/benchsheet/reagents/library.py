"""The reagent library at run time: the bundled library.json plus a lab's own YAML files.

Import cost matters here (every CLI call resolves reagents), so this module uses json, yaml and
dataclasses only; property data was computed once, at build time, by tools/build_reagents.py.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import math
import re
import stat
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, cast

import yaml

__all__ = [
    "GHS",
    "CommercialSolution",
    "CriticalConstants",
    "ExposureLimit",
    "LibraryConflict",
    "ReagentEntry",
    "ReagentFileError",
    "ReagentLibrary",
    "ReagentRecord",
    "Saturation",
    "SourcedValue",
    "cas_check_digit_ok",
    "load_library",
    "read_reagent_file",
]

Phase = Literal["solid", "liquid", "gas"]

# Outside its tabulated range a curve is extended this far (K) and no further: a little
# extrapolation of ln P against 1/T is sound, a long one is a guess.
EXTRAPOLATION_LIMIT_K = 30.0
# A liquid density is nearly linear in T well below the critical point: extended further.
DENSITY_EXTRAPOLATION_K = 50.0

IDENTITY_FIELDS = ("cas", "formula")
PROPERTY_FIELDS = (
    "density",
    "melting_point_K",
    "boiling_point_K",
    "flash_point_K",
    "critical",
    "vapor_pressure",
    "second_virial",
    "ghs",
)
RECORD_FIELDS = (
    "id",
    "name",
    "synonyms",
    "abbreviations",
    "ambiguous_abbreviations",
    "cas",
    "formula",
    "family",
    "form",
    "phase_25C",
    "solution",
    "saturated",
    *PROPERTY_FIELDS,
)
# How a GHS classification derived from data (not classified by anyone) begins its source:
# the reasons follow in parentheses (reagents.from_database.derived_ghs).
DERIVED_GHS = "derived from the reagent database's data; the GHS classification is incomplete"

# Properties a lab's reagent file may write with their units, and the field each fills:
# 'melting_point: 27 degC', 'vapor_pressure: {25 degC: 0.72 bar, 50 degC: 2.1 bar}'.
FIELDS_WITH_UNITS = {
    "melting_point": "melting_point_K",
    "boiling_point": "boiling_point_K",
    "flash_point": "flash_point_K",
    "vapour_pressure": "vapor_pressure",
}
# Fields an `overrides:` item may name: identity and properties, not names.
OVERRIDABLE_FIELDS = (*IDENTITY_FIELDS, *PROPERTY_FIELDS)

_CAS = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")
_ID = re.compile(r"^[a-z0-9][a-z0-9._+-]*$")
_H_CODE = re.compile(r"^(H\d{3}[A-Za-z]{0,2}|EUH\d{3})$")
_PICTOGRAM = re.compile(r"^GHS0[1-9]$")
# The hydrate dot in all its spellings; dropped when formulas are compared.
_FORMULA_NOISE = re.compile(r"[\s.\u00b7\u2022\u22c5\u2219*]")


# --------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class SourcedValue:
    """A number with its unit and where it came from."""

    value: float
    unit: str
    source: str
    temperature_K: float | None = None


@dataclass(frozen=True)
class CriticalConstants:
    """Critical temperature and pressure and the acentric factor, for gas and vapour models."""

    Tc_K: float
    Pc_Pa: float
    omega: float
    source: str


@dataclass(frozen=True)
class GHS:
    """GHS label elements: signal word, hazard statements and pictogram codes."""

    signal_word: str | None
    h_codes: tuple[str, ...]
    pictograms: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class ExposureLimit:
    """An occupational exposure limit in ppm by volume in air (TWA over 8 h, a short-term
    limit, or a ceiling), with its source."""

    kind: Literal["TWA", "STEL", "Ceiling"]
    ppm: float
    source: str


@dataclass(frozen=True)
class Saturation:
    """The saturated solution of a substance in one solvent at one temperature: the most of it
    that solvent holds (a mass fraction) and the density of that solution, so a stated
    concentration can be held against it."""

    solvent: str  # a library id
    fraction: float  # mass of solute / mass of solution
    density_g_mL: float
    temperature_K: float
    source: str

    @property
    def grams_per_mL(self) -> float:
        """Solute per mL of the saturated solution."""
        return self.fraction * self.density_g_mL


@dataclass(frozen=True)
class CommercialSolution:
    """A reagent as it is sold dissolved: the solute and solvent (library ids), the strength
    on the label ('2.5 M', '37 %') and the solution's density, which turns a volume of a
    mass-fraction solution into mass. A protocol that names such an entry gets these as its
    material's concentration, solvent and density (chemistry.solutions)."""

    solute: str
    solvent: str
    concentration: str
    density_g_mL: float
    density_temperature_K: float | None
    source: str


@dataclass(frozen=True)
class ReagentRecord:
    """One substance in one form (anhydrous or a given hydrate), with sourced properties."""

    id: str
    name: str
    synonyms: tuple[str, ...]
    abbreviations: tuple[str, ...]
    ambiguous_abbreviations: tuple[str, ...]
    cas: str | None
    formula: str
    family: str
    form: str | None
    phase_25C: Phase
    density: SourcedValue | None
    melting_point_K: SourcedValue | None
    boiling_point_K: SourcedValue | None
    critical: CriticalConstants | None
    vapor_pressure_points: tuple[tuple[float, float], ...]  # (T / K, P / Pa)
    vapor_pressure_source: str | None
    second_virial_points: tuple[tuple[float, float], ...]  # (T / K, B / m³ mol⁻¹)
    second_virial_source: str | None
    ghs: GHS | None
    overrides: tuple[tuple[str, str], ...]  # (field, reason)
    # Where the entry comes from: the curated library (or a lab's file), or the embedded
    # reagent database (benchsheet.reagents.from_database), which has no GHS classification.
    origin: Literal["library", "database"] = "library"
    # The measured (closed-cup) flash point: heated past it in an open vessel, the vapour over
    # the liquid (or the melt of a solid) can ignite, whatever its GHS category says.
    flash_point_K: SourcedValue | None = None
    # Sold as a solution (n-butyllithium 2.5 M in hexanes, 37 % hydrochloric acid): the
    # formula and molar mass are the solute's, the GHS label the solution's.
    solution: CommercialSolution | None = None
    # The liquid's density against temperature, (T / K, ρ / g mL⁻¹) in increasing T: from a
    # tabulated correlation, or the data a curated value was read from.
    density_points: tuple[tuple[float, float], ...] = ()
    # Saturated solutions, by solvent: how strong a solution of it can be (HCl in water 42 %).
    saturated: tuple[Saturation, ...] = ()
    # The lowest-time-weighted exposure limit the database holds: with the vapour pressure it
    # says whether open handling can exceed it (chemistry.hazards.exposure_in_hood).
    exposure_limit: ExposureLimit | None = None
    # Why ``formula`` cannot be used (a database hydrate whose formula is short of the water
    # its name says: benchsheet.reagents.hydrates): the formula check reports it.
    formula_problem: str | None = None

    def vapor_pressure_Pa(self, T_K: float) -> float | None:
        """Saturation pressure at T_K on this reagent's curve (``vapour_pressure_on``), None
        above its critical point."""
        if self.critical is not None and self.critical.Tc_K < T_K:
            return None  # a supercritical fluid has no vapour pressure
        return vapour_pressure_on(self.vapor_pressure_points, T_K)

    def density_at(self, T_K: float) -> float | None:
        """Liquid density (g/mL) at T_K on this reagent's density points, linear in T, and
        extended at most DENSITY_EXTRAPOLATION_K past them (a liquid's density is close to
        linear in T far below its critical point); None without points or further out."""
        points = self.density_points
        if len(points) < 2:
            return None
        xs = [t for t, _ in points]
        if not xs[0] - DENSITY_EXTRAPOLATION_K <= T_K <= xs[-1] + DENSITY_EXTRAPOLATION_K:
            return None
        return _interpolate(xs, [rho for _, rho in points], T_K)

    def second_virial(self, T_K: float) -> float | None:
        """Second virial coefficient B (m³/mol) at T_K for Z = 1 + B·P/(R·T); linear in T.

        None when there is no table or T_K is more than 30 K outside it.
        """
        points = self.second_virial_points
        if len(points) < 2:
            return None
        xs = [t for t, _ in points]
        ys = [b for _, b in points]
        if not _near_range(T_K, xs[0], xs[-1]):
            return None
        return _interpolate(xs, ys, T_K)


def vapour_pressure_on(points: Sequence[tuple[float, float]], T_K: float) -> float | None:
    """Saturation pressure at T_K on a curve of (T / K, P / Pa) points in increasing T,
    interpolating ln P linearly in 1/T (Clausius–Clapeyron). None with fewer than two points,
    or more than EXTRAPOLATION_LIMIT_K outside them."""
    if len(points) < 2 or T_K <= 0:
        return None
    if not _near_range(T_K, points[0][0], points[-1][0]):
        return None
    xs = [1.0 / t for t, _ in reversed(points)]  # ascending in 1/T
    ys = [math.log(p) for _, p in reversed(points)]
    y = _interpolate(xs, ys, 1.0 / T_K)
    return None if y is None else math.exp(y)


def _near_range(temperature: float, low: float, high: float) -> bool:
    """Is the temperature inside the tabulated range or at most 30 K outside it?"""
    return low - EXTRAPOLATION_LIMIT_K <= temperature <= high + EXTRAPOLATION_LIMIT_K


def _interpolate(xs: Sequence[float], ys: Sequence[float], x: float) -> float:
    """Piecewise-linear y(x) over ascending xs (two or more), extended from the end segments."""
    index = min(max(bisect_left(xs, x), 1), len(xs) - 1)
    x0, x1, y0, y1 = xs[index - 1], xs[index], ys[index - 1], ys[index]
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


@dataclass(frozen=True)
class LibraryConflict:
    """A lab file that contradicts the library; the library keeps its own entry."""

    reagent_id: str
    field: str
    message: str
    source_file: str
    hint: str = ""  # what would fix it
    # Where in source_file: the line and column of the field (or of the entry), and the
    # entry's index in its `reagents:` list; None for the bundled library.
    line: int | None = None
    column: int | None = None
    index: int | None = None


class ReagentFileError(ValueError):
    """A lab reagent file that cannot be read, with the line where the problem is."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


# --------------------------------------------------------------------------------------------
# The library


class ReagentLibrary:
    """Reagents by id, with lookup by any name a protocol may use."""

    def __init__(
        self, records: Sequence[ReagentRecord], conflicts: Sequence[LibraryConflict] = ()
    ) -> None:
        self._by_id = {record.id: record for record in sorted(records, key=lambda r: r.id)}
        self.conflicts: tuple[LibraryConflict, ...] = tuple(conflicts)
        self._by_key: dict[str, set[str]] = {}
        for record in self._by_id.values():
            for key in _lookup_keys(record):
                self._by_key.setdefault(key, set()).add(record.id)
        # What ``find`` gave for each key: a library does not change once built, and each
        # variant of each file asks again for the names its materials give.
        self._found: dict[str, tuple[ReagentRecord, ...]] = {}

    def get(self, id: str) -> ReagentRecord | None:
        """The reagent with exactly this id, or None."""
        return self._by_id.get(id)

    def find(self, key: str) -> list[ReagentRecord]:
        """Every reagent that id, name, synonym, abbreviation, CAS or formula `key` names.

        Names and ids match case-insensitively; abbreviations, CAS numbers and formulas match as
        written (CO is not Co). More than one hit means the key is ambiguous.
        """
        found = self._found.get(key)
        if found is None:
            ids: set[str] = set()
            for candidate in _query_keys(key):
                ids |= self._by_key.get(candidate, set())
            found = tuple(self._by_id[i] for i in sorted(ids))
            if len(self._found) >= 4096:  # a run of many files naming many reagents
                self._found.clear()
            self._found[key] = found
        return list(found)

    def family_members(self, family: str) -> list[ReagentRecord]:
        """All forms of one substance (anhydrous and hydrates), sorted by id."""
        return [record for record in self._by_id.values() if record.family == family]

    def __iter__(self) -> Iterator[ReagentRecord]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, id: object) -> bool:
        return id in self._by_id


def _lookup_keys(record: ReagentRecord) -> set[str]:
    keys = {f"name:{record.id.casefold()}", f"name:{record.name.casefold()}"}
    keys |= {f"name:{synonym.casefold()}" for synonym in record.synonyms}
    keys |= {f"exact:{a}" for a in (*record.abbreviations, *record.ambiguous_abbreviations)}
    if record.solution is not None:
        return keys  # the solute's formula and CAS name the solute, not one solution of it
    keys.add(f"formula:{_FORMULA_NOISE.sub('', record.formula)}")
    if record.cas:
        keys.add(f"exact:{record.cas}")
    return keys


def _query_keys(key: str) -> tuple[str, ...]:
    key = key.strip()
    return (f"name:{key.casefold()}", f"exact:{key}", f"formula:{_FORMULA_NOISE.sub('', key)}")


def cas_check_digit_ok(cas: str) -> bool:
    """Is this a well-formed CAS number whose last digit checks the others?"""
    match = _CAS.match(cas)
    if match is None:
        return False
    digits = (match[1] + match[2])[::-1]
    return sum(i * int(d) for i, d in enumerate(digits, start=1)) % 10 == int(match[3])


# --------------------------------------------------------------------------------------------
# From JSON records to ReagentRecord


def record_from_json(data: Mapping[str, Any]) -> ReagentRecord:
    """Turn one library.json object into a ReagentRecord."""
    density = data.get("density")
    critical = data.get("critical")
    vapor = data.get("vapor_pressure")
    virial = data.get("second_virial")
    ghs = data.get("ghs")
    return ReagentRecord(
        id=data["id"],
        name=data["name"],
        synonyms=tuple(data.get("synonyms") or ()),
        abbreviations=tuple(data.get("abbreviations") or ()),
        ambiguous_abbreviations=tuple(data.get("ambiguous_abbreviations") or ()),
        cas=data.get("cas"),
        formula=data["formula"],
        family=data.get("family") or data["id"],
        form=data.get("form"),
        phase_25C=data["phase_25C"],
        density=None
        if density is None
        else SourcedValue(
            value=density["value"],
            unit=density["unit"],
            source=density["source"],
            temperature_K=density.get("temperature_K"),
        ),
        melting_point_K=_temperature(data.get("melting_point_K")),
        boiling_point_K=_temperature(data.get("boiling_point_K")),
        flash_point_K=_temperature(data.get("flash_point_K")),
        critical=None
        if critical is None
        else CriticalConstants(
            Tc_K=critical["Tc_K"],
            Pc_Pa=critical["Pc_Pa"],
            omega=critical["omega"],
            source=critical["source"],
        ),
        vapor_pressure_points=_points(vapor),
        vapor_pressure_source=None if vapor is None else vapor["source"],
        second_virial_points=_points(virial),
        second_virial_source=None if virial is None else virial["source"],
        ghs=None
        if ghs is None
        else GHS(
            signal_word=ghs.get("signal_word"),
            h_codes=tuple(ghs.get("h_codes") or ()),
            pictograms=tuple(ghs.get("pictograms") or ()),
            source=ghs["source"],
        ),
        overrides=tuple((o["field"], o["reason"]) for o in data.get("overrides") or ()),
        solution=_solution(data.get("solution")),
        density_points=_points(density) if density and density.get("points") else (),
        saturated=tuple(Saturation(d["solvent"], d["fraction"], d["density"]["value"],
                                   d["temperature_K"], d["source"])
                        for d in data.get("saturated") or ()),
    )


def _solution(data: Mapping[str, Any] | None) -> CommercialSolution | None:
    if data is None:
        return None
    density = data["density"]
    return CommercialSolution(data["solute"], data["solvent"], data["concentration"],
                              density["value"], density.get("temperature_K"),
                              data["source"])


def _temperature(data: Mapping[str, Any] | None) -> SourcedValue | None:
    return None if data is None else SourcedValue(data["value"], "K", data["source"])


def _points(data: Mapping[str, Any] | None) -> tuple[tuple[float, float], ...]:
    return () if data is None else tuple((float(t), float(v)) for t, v in data["points"])


# --------------------------------------------------------------------------------------------
# Reading YAML reagent files (a lab's own file, and the library's sources.yaml)


class _Marked(dict[Any, Any]):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int
    column: int
    key_lines: dict[Any, int]
    key_columns: dict[Any, int]


# YAML 1.1 as PyYAML reads it turns CAS numbers such as 1310-07-3 into dates, "NO" (nitric
# oxide) into False and 4.8e6 into a string. Lab files get YAML 1.2-like scalars instead.
_FLOAT_12 = re.compile(
    r"""^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.VERBOSE,
)
_BOOL_12 = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class _ReagentLoader(yaml.SafeLoader):
    """SafeLoader with line-aware mappings and YAML 1.2 booleans, floats and no timestamps."""


def _install_resolvers() -> None:
    resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]] = {}
    for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = []
        for tag, regexp in entries:
            if tag == "tag:yaml.org,2002:timestamp":
                continue
            if tag == "tag:yaml.org,2002:bool":
                regexp = _BOOL_12
            elif tag == "tag:yaml.org,2002:float":
                regexp = _FLOAT_12
            kept.append((tag, regexp))
        resolvers[first] = kept
    _ReagentLoader.yaml_implicit_resolvers = resolvers


def _construct_marked(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _Marked:
    loader.flatten_mapping(node)
    mapping = _Marked()
    mapping.line = node.start_mark.line + 1
    mapping.column = node.start_mark.column + 1
    mapping.key_lines = {}
    mapping.key_columns = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.MarkedYAMLError(
                "while reading a mapping",
                node.start_mark,
                f"the key {key!r} appears twice",
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
        mapping.key_columns[key] = key_node.start_mark.column + 1
    return mapping


_install_resolvers()
_ReagentLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_marked)


@dataclass(frozen=True)
class ReagentEntry:
    """One reagent as written in a YAML file: only the fields it gives, already checked."""

    id: str
    line: int
    fields: Mapping[str, Any]  # record fields in library.json form
    overrides: tuple[tuple[str, Any, str], ...]  # (field, value, reason)
    override_identity: bool  # `override: true`: may change CAS or formula of a known id
    reason: str | None
    extras: Mapping[str, Any] = field(default_factory=dict)  # keys a caller asked to accept
    key_lines: Mapping[str, int] = field(default_factory=dict)
    key_columns: Mapping[str, int] = field(default_factory=dict)
    column: int = 1
    index: int = 0  # position in the file's `reagents:` list

    def where(self, key: str) -> tuple[int, int]:
        """Line and column of ``key`` in the file, else of the entry itself."""
        if key in self.key_lines:
            return self.key_lines[key], self.key_columns.get(key, self.column)
        return self.line, self.column


# A lab's reagent file is a few kB; like a protocol (loader.MAX_FILE_BYTES), 5 MB is past any.
MAX_LAB_FILE_BYTES = 5 * 1024 * 1024


def _read_lab_file(path: Path) -> str:
    """The text of a lab reagent file, or a ReagentFileError that says what is wrong with it.

    Only a regular file is read (a pipe or /dev/zero would block or never end), up to
    MAX_LAB_FILE_BYTES, and it must be UTF-8.
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise ReagentFileError(path, None, f"{kind}; give a reagent YAML file")
        if info.st_size > MAX_LAB_FILE_BYTES:
            raise ReagentFileError(
                path, None, f"the file is {info.st_size / 1e6:.1f} MB; a reagent file is at "
                f"most {MAX_LAB_FILE_BYTES // (1024 * 1024)} MB: is this the right file?")
        raw = path.read_bytes()
    except OSError as error:
        raise ReagentFileError(path, None, f"cannot read the file: {error.strerror}") from error
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ReagentFileError(path, line, f"not UTF-8: byte 0x{raw[error.start]:02x} cannot "
                               "be decoded; save the file as UTF-8") from None


def read_reagent_file(path: Path, extra_keys: frozenset[str] = frozenset()) -> list[ReagentEntry]:
    """Read and check a reagent YAML file (`reagents:` list); raise ReagentFileError if invalid."""
    text = _read_lab_file(path)
    try:
        document = yaml.load(text, Loader=_ReagentLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = None if mark is None else mark.line + 1
        raise ReagentFileError(path, line, f"not valid YAML: {error.problem}") from error
    except yaml.YAMLError as error:
        raise ReagentFileError(path, None, f"not valid YAML: {error}") from error
    except RecursionError:  # thousands of nested brackets: no reagent file looks like that
        raise ReagentFileError(path, None, "nested too deeply to be a reagent file") from None
    if not isinstance(document, _Marked) or "reagents" not in document:
        raise ReagentFileError(path, 1, "expected a mapping with a 'reagents:' list")
    reagents = document["reagents"]
    if not isinstance(reagents, list):
        raise ReagentFileError(path, document.key_lines["reagents"], "'reagents' must be a list")
    entries: list[ReagentEntry] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(reagents):
        if not isinstance(item, _Marked):
            raise ReagentFileError(path, document.line, "each reagent must be a mapping")
        entry = replace(_Checker(path, item, extra_keys).entry(), index=index)
        if entry.id in seen:
            raise ReagentFileError(
                path, entry.line, f"the id {entry.id!r} is already used on line {seen[entry.id]}"
            )
        seen[entry.id] = entry.line
        entries.append(entry)
    return entries


class _Checker:
    """Checks one reagent mapping field by field, raising with the offending line."""

    def __init__(self, path: Path, item: _Marked, extra_keys: frozenset[str]) -> None:
        self.path = path
        self.item = item
        self.extra_keys = extra_keys

    def fail(self, key: str | None, message: str) -> ReagentFileError:
        line = self.item.key_lines.get(key, self.item.line) if key else self.item.line
        return ReagentFileError(self.path, line, message)

    def entry(self) -> ReagentEntry:
        item = self.item
        for written, internal in FIELDS_WITH_UNITS.items():  # 'melting_point: 27 degC'
            if written in item:
                if internal in item:
                    raise self.fail(written, f"give '{written}' or '{internal}', not both")
                item[internal] = self.with_units(written, item[written])
                item.key_lines[internal] = item.key_lines.get(written, item.line)
                item.key_columns[internal] = item.key_columns.get(written, item.column)
                del item[written]
        allowed = {*RECORD_FIELDS, "overrides", "override", "reason", *self.extra_keys}
        for key in item:
            if key not in allowed:
                raise self.fail(
                    key, f"unknown field {key!r}; reagent fields are: {', '.join(sorted(allowed))}"
                )
        if "id" not in item:
            raise self.fail(None, "a reagent needs an 'id'")
        reagent_id = item["id"]
        if not isinstance(reagent_id, str) or not _ID.match(reagent_id):
            raise self.fail(
                "id", "'id' must be lower-case letters, digits and . _ + - (e.g. 'zinc-chloride')"
            )
        fields = {
            key: self.check_field(key, item[key], key)
            for key in RECORD_FIELDS
            if key in item and key != "id"
        }
        fields["id"] = reagent_id
        overrides = self.check_overrides(item.get("overrides"))
        override_identity = item.get("override", False)
        if not isinstance(override_identity, bool):
            raise self.fail("override", "'override' must be true or false")
        reason = item.get("reason")
        if reason is not None and (not isinstance(reason, str) or not reason.strip()):
            raise self.fail("reason", "'reason' must be a sentence saying why")
        if override_identity and reason is None:
            raise self.fail("override", "'override: true' needs a 'reason:' saying why")
        return ReagentEntry(
            id=reagent_id,
            line=item.line,
            fields=fields,
            overrides=overrides,
            override_identity=override_identity,
            reason=reason,
            extras={key: item[key] for key in self.extra_keys if key in item},
            key_lines={str(k): v for k, v in item.key_lines.items()},
            key_columns={str(k): v for k, v in item.key_columns.items()},
            column=item.column,
        )

    def check_overrides(self, value: object) -> tuple[tuple[str, Any, str], ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail("overrides", "'overrides' must be a list of {field, value, reason}")
        checked = []
        for override in value:
            if not isinstance(override, _Marked) or set(override) != {"field", "value", "reason"}:
                raise self.fail("overrides", "each override needs exactly: field, value, reason")
            name, reason = override["field"], override["reason"]
            if name not in OVERRIDABLE_FIELDS:
                raise self.fail(
                    "overrides",
                    f"cannot override {name!r}; overridable: {', '.join(OVERRIDABLE_FIELDS)}",
                )
            if not isinstance(reason, str) or not reason.strip():
                raise self.fail("overrides", f"the override of {name!r} needs a reason")
            checked.append((name, self.check_field(name, override["value"], "overrides"), reason))
        return tuple(checked)

    def check_field(self, name: str, value: Any, key: str) -> Any:
        """Check one field's value and return it in library.json form."""
        if name in ("name", "formula", "family"):
            return self.text(value, key)
        if name == "form":
            return None if value is None else self.text(value, key)
        if name in ("synonyms", "abbreviations", "ambiguous_abbreviations"):
            if not isinstance(value, list):
                raise self.fail(key, f"'{name}' must be a list")
            return sorted(self.text(v, key) for v in value)
        if name == "cas":
            if value is None:
                return None
            if not isinstance(value, str) or not cas_check_digit_ok(value):
                raise self.fail(key, f"{value!r} is not a valid CAS number (check digit or form)")
            return value
        if name == "phase_25C":
            if value not in ("solid", "liquid", "gas"):
                raise self.fail(key, "'phase_25C' must be solid, liquid or gas")
            return value
        if value is None:
            return None
        if name == "density":
            return self.density(value, key)
        if name in ("melting_point_K", "boiling_point_K", "flash_point_K"):
            data = self.mapping(value, key, {"value", "source"}, set())
            value = self.number(data["value"], key, positive=True)
            return {"value": value, "source": data["source"]}
        if name == "critical":
            data = self.mapping(value, key, {"Tc_K", "Pc_Pa", "omega", "source"}, set())
            return {
                "Tc_K": self.number(data["Tc_K"], key, positive=True),
                "Pc_Pa": self.number(data["Pc_Pa"], key, positive=True),
                "omega": self.number(data["omega"], key),
                "source": data["source"],
            }
        if name == "vapor_pressure" and isinstance(value, dict) and "points" not in value:
            return self.with_units("vapour_pressure", value, key)  # {25 degC: 0.72 bar, ...}
        if name in ("vapor_pressure", "second_virial"):
            data = self.mapping(value, key, {"points", "source"}, set())
            return {"points": self.points(data["points"], key, name), "source": data["source"]}
        if name == "ghs":
            return self.ghs(value, key)
        if name == "solution":
            return self.solution(value, key)
        if name == "saturated":
            return self.saturated(value, key)
        raise AssertionError(f"no check for field {name!r}")  # pragma: no cover

    def text(self, value: object, key: str) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(key, f"'{key}' must be text (quote values such as yes/no/on/off)")
        text = str(value).strip()
        if not text:
            raise self.fail(key, f"'{key}' must not be empty")
        return text

    def number(self, value: object, key: str, *, positive: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise self.fail(key, f"'{key}' needs a number, got {value!r}")
        if positive and value <= 0:
            raise self.fail(key, f"'{key}' must be positive, got {value!r}")
        return float(value)

    def mapping(
        self, value: object, key: str, required: set[str], optional: set[str]
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, f"'{key}' must be a mapping with {', '.join(sorted(required))}")
        missing = required - set(value)
        unknown = set(value) - required - optional
        if missing:
            raise self.fail(key, f"'{key}' is missing {', '.join(sorted(missing))}")
        if unknown:
            raise self.fail(key, f"'{key}' has unknown keys {', '.join(sorted(map(str, unknown)))}")
        if "source" in required:
            self.text(value["source"], key)
        return value

    def quantity(self, value: object, key: str, dimension: str) -> float:
        """A quantity as a person writes it ('27 degC', '0.72 bar', '0.877 g/mL') in the unit
        the library keeps (K, Pa, g/mL)."""
        from benchsheet import units

        dims = {"temperature": (units.TEMPERATURE, "kelvin"),
                "pressure": (units.PRESSURE, "pascal"), "density": (units.DENSITY, "g/mL")}
        dim, target = dims[dimension]
        # a vapour pressure is absolute unless it says otherwise
        text = units.absolute_unless_stated(value) if dimension == "pressure" else value
        try:
            measured = units.parse_quantity(text, (dim,))
        except units.QuantityError as error:
            raise self.fail(key, f"{key}: {error.message}; write a number and a unit, e.g. "
                            f"{dim.example}") from None
        if dimension == "pressure":
            return units.absolute_pressure_pa(measured)
        return measured.to(target)

    def with_units(self, written: str, value: object, key: str | None = None) -> Any:
        """A property written with its units (FIELDS_WITH_UNITS) in library.json form;
        ``key`` is the key it is written under in the file, for the line of an error."""
        default_source = f"{self.path.name} (the lab's reagent file)"
        if key is not None and key != written:
            self.item.key_lines.setdefault(written, self.item.key_lines.get(key, self.item.line))
        if written in ("melting_point", "boiling_point", "flash_point"):
            data = value if isinstance(value, dict) else {"value": value}
            extra = set(data) - {"value", "source"}
            if extra or "value" not in data:
                raise self.fail(written, f"write '{written}: 27 degC' or '{written}: {{value: "
                                "27 degC, source: ...}'")
            kelvin = self.quantity(data["value"], written, "temperature")
            return {"value": kelvin, "source": str(data.get("source") or default_source)}
        if written == "density_at":
            data = value if isinstance(value, dict) else {"value": value}
            extra = set(data) - {"value", "at", "source"}
            if extra or "value" not in data:
                raise self.fail(written, "write 'density: 0.877 g/mL' or 'density: {value: "
                                "0.877 g/mL, at: 25 degC, source: ...}'")
            at = data.get("at")
            return {"value": self.quantity(data["value"], written, "density"), "unit": "g/mL",
                    "temperature_K": None if at is None else self.quantity(at, written,
                                                                           "temperature"),
                    "source": str(data.get("source") or default_source)}
        assert written == "vapour_pressure"
        if not isinstance(value, dict):
            raise self.fail(written, "write 'vapor_pressure: {25 degC: 0.72 bar, 50 degC: "
                            "2.1 bar, source: ...}'")
        source = str(value.get("source") or default_source)
        points = sorted((self.quantity(t, written, "temperature"),
                         self.quantity(p, written, "pressure"))
                        for t, p in value.items() if t != "source")
        if len(points) < 2 or len({t for t, _ in points}) != len(points):
            raise self.fail(written, "a vapour-pressure curve needs at least two different "
                            "temperatures")
        if any(p <= 0 for _, p in points):
            raise self.fail(written, "a vapour pressure is above 0")
        return {"points": [[t, p] for t, p in points], "source": source}

    def saturated(self, value: object, key: str) -> list[dict[str, Any]]:
        """'saturated: [{solvent: water, fraction: 41.9 %, density: 1.21 g/mL, at: 20 degC,
        source: ...}]'."""
        from benchsheet import units

        if not isinstance(value, list) or not value:
            raise self.fail(key, "'saturated' is a list of {solvent, fraction, density, at, "
                            "source}")
        checked = []
        for item in value:
            data = self.mapping(item, key, {"solvent", "fraction", "density", "at", "source"},
                                set())
            try:
                fraction = units.parse_quantity(self.text(data["fraction"], key),
                                                (units.MASS_FRACTION,)).to("dimensionless")
            except units.QuantityError as error:
                raise self.fail(key, f"saturated fraction: {error.message}") from None
            if not 0 < fraction <= 1:
                raise self.fail(key, "a saturated mass fraction is above 0 and at most 100 %")
            checked.append({
                "solvent": self.text(data["solvent"], key), "fraction": fraction,
                "density": self.with_units("density_at", data["density"], key),
                "temperature_K": self.quantity(data["at"], key, "temperature"),
                "source": self.text(data["source"], key)})
        return checked

    def solution(self, value: object, key: str) -> dict[str, Any]:
        """'solution: {solute: n-butyllithium, solvent: hexane, concentration: 2.5 M,
        density: {value: 0.693 g/mL, at: 25 degC}, source: ...}'."""
        from benchsheet import units

        data = self.mapping(value, key, {"solute", "solvent", "concentration", "density",
                                         "source"}, set())
        concentration = self.text(data["concentration"], key)
        try:
            units.parse_quantity(concentration, (
                units.MOLAR_CONCENTRATION, units.MASS_CONCENTRATION, units.MASS_FRACTION,
                units.MOLALITY))
        except units.QuantityError as error:
            raise self.fail(key, f"solution concentration: {error.message}; write e.g. "
                            "'2.5 M' or '37 %'") from None
        return {"solute": self.text(data["solute"], key),
                "solvent": self.text(data["solvent"], key),
                "concentration": concentration,
                "density": self.with_units("density_at", data["density"], key),
                "source": self.text(data["source"], key)}

    def density(self, value: object, key: str) -> dict[str, Any]:
        if not isinstance(value, dict) or "unit" not in value:  # '0.877 g/mL', {value, at}
            return self.with_units("density_at", value, key)  # type: ignore[no-any-return]
        data = self.mapping(value, key, {"value", "unit", "source"}, {"temperature_K",
                                                                      "points"})
        factor = {"g/mL": 1.0, "g/cm3": 1.0, "g/cm^3": 1.0, "kg/m3": 1e-3, "kg/m^3": 1e-3}
        if data["unit"] not in factor:
            raise self.fail(key, f"density unit must be one of {', '.join(factor)}")
        temperature = data.get("temperature_K")
        checked = {
            "value": self.number(data["value"], key, positive=True) * factor[data["unit"]],
            "unit": "g/mL",
            "temperature_K": None if temperature is None else self.number(temperature, key),
            "source": data["source"],
        }
        if data.get("points") is not None:  # [[T_K, density in the unit], ...]
            checked["points"] = [[t, rho * factor[data["unit"]]] for t, rho in
                                 self.points(data["points"], key, "density")]
        return checked

    def points(self, value: object, key: str, name: str) -> list[list[float]]:
        if not isinstance(value, list) or len(value) < 2:
            raise self.fail(key, f"'{name}.points' must be a list of at least two [T_K, value]")
        points: list[list[float]] = []
        for point in value:
            if not isinstance(point, list) or len(point) != 2:
                raise self.fail(key, f"each of '{name}.points' must be [T_K, value]")
            temperature = self.number(point[0], key, positive=True)
            quantity = self.number(point[1], key, positive=name in ("vapor_pressure", "density"))
            if points and temperature <= points[-1][0]:
                raise self.fail(key, f"'{name}.points' must be in increasing temperature")
            points.append([temperature, quantity])
        return points

    def ghs(self, value: object, key: str) -> dict[str, Any]:
        data = self.mapping(value, key, {"signal_word", "source"}, {"h_codes", "pictograms"})
        if data["signal_word"] not in ("Danger", "Warning", None):
            raise self.fail(key, "GHS signal_word must be Danger, Warning or null")
        h_codes = data.get("h_codes") or []
        pictograms = data.get("pictograms") or []
        if not isinstance(h_codes, list) or not all(
            isinstance(c, str) and _H_CODE.match(c) for c in h_codes
        ):
            raise self.fail(key, "GHS h_codes must be a list such as [H225, H319]")
        if not isinstance(pictograms, list) or not all(
            isinstance(p, str) and _PICTOGRAM.match(p) for p in pictograms
        ):
            raise self.fail(key, "GHS pictograms must be a list of GHS01 … GHS09")
        return {
            "signal_word": data["signal_word"],
            "h_codes": list(h_codes),
            "pictograms": sorted(pictograms),
            "source": data["source"],
        }


# --------------------------------------------------------------------------------------------
# Loading: bundled library plus lab files


@functools.cache
def _bundled_json() -> tuple[Mapping[str, Any], ...]:
    """The bundled library.json objects, read once per process."""
    text = importlib.resources.files(__package__).joinpath("library.json").read_text("utf-8")
    return tuple(cast(list[Mapping[str, Any]], json.loads(text)))


@functools.cache
def _bundled_library() -> ReagentLibrary:
    return ReagentLibrary([record_from_json(data) for data in _bundled_json()])


def load_library(extra_files: Sequence[Path] = ()) -> ReagentLibrary:
    """The bundled library with a lab's own reagent files applied in order.

    A lab entry with a new id adds a reagent; one with a known id replaces the fields it gives.
    Changing a known reagent's CAS or formula needs `override: true` and a `reason:`; without
    them the entry is not applied and a LibraryConflict says why. A CAS number claimed by two
    ids is also a conflict (both stay, so looking the CAS up is ambiguous).
    """
    if not extra_files:
        return _bundled_library()
    merged: dict[str, dict[str, Any]] = {data["id"]: dict(data) for data in _bundled_json()}
    conflicts: list[LibraryConflict] = []
    # reagent id -> the lab file and entry that last changed it
    touched_by: dict[str, tuple[str, ReagentEntry]] = {}
    for path in extra_files:
        for entry in read_reagent_file(Path(path)):
            if _apply_entry(merged, entry, str(path), conflicts):
                touched_by[entry.id] = (str(path), entry)
    conflicts.extend(_duplicate_cas(merged, touched_by))
    return ReagentLibrary([record_from_json(data) for data in merged.values()], conflicts)


def _apply_entry(
    merged: dict[str, dict[str, Any]],
    entry: ReagentEntry,
    source_file: str,
    conflicts: list[LibraryConflict],
) -> bool:
    """Merge one lab entry into the library objects; False (and a conflict) if refused."""
    fields = dict(entry.fields)
    for name, value, _ in entry.overrides:
        fields[name] = value
    known = merged.get(entry.id)
    if known is None:
        missing = [f for f in ("name", "formula", "phase_25C") if f not in fields]
        if missing:
            raise ReagentFileError(
                source_file,
                entry.line,
                f"new reagent {entry.id!r} needs {', '.join(missing)} "
                "(or is the id misspelt? it is not in the library)",
            )
        new = dict.fromkeys(RECORD_FIELDS) | {"family": entry.id} | fields
        new["overrides"] = [{"field": n, "reason": r} for n, _, r in entry.overrides]
        merged[entry.id] = new
        return True
    changed_identity = [
        name for name in IDENTITY_FIELDS if name in fields
        and not _same_identity(name, fields[name], known.get(name))
    ]
    unexplained = [
        name for name in changed_identity if name not in {n for n, _, _ in entry.overrides}
    ]
    if unexplained and not entry.override_identity:
        for name in unexplained:
            line, column = entry.where(name)
            conflicts.append(
                LibraryConflict(
                    reagent_id=entry.id,
                    field=name,
                    message=(
                        f"the lab entry gives {entry.id!r} the {name} {fields[name]!r}, but the "
                        f"library has {known.get(name)!r}; the lab entry was not applied"
                    ),
                    hint=("if this is a different substance give it its own id; if the "
                          "library is wrong add 'override: true' and a 'reason:' to the entry"),
                    source_file=source_file,
                    line=line,
                    column=column,
                    index=entry.index,
                )
            )
        return False
    overrides = list(known.get("overrides") or [])
    explained = {n: r for n, _, r in entry.overrides}
    for name, value in fields.items():
        if name == "id" or value == known.get(name):
            continue
        reason = explained.get(name) or entry.reason or "set by the lab's reagent file"
        overrides.append({"field": name, "reason": f"{reason} ({source_file})"})
    merged[entry.id] = {**known, **fields, "overrides": overrides}
    return True


def _same_identity(name: str, given: object, known: object) -> bool:
    """Whether a lab entry's ``name`` field (``cas`` or ``formula``) says what the library's
    does: a formula by its elements and charge, however it is written (KCl, ClK)."""
    if given == known:
        return True
    if name != "formula" or not isinstance(given, str) or not isinstance(known, str):
        return False
    from benchsheet.chemistry.formula import FormulaError, parse_formula

    try:
        a, b = parse_formula(given), parse_formula(known)
    except FormulaError:
        return False
    return a.charge == b.charge and a.elements.keys() == b.elements.keys() and all(
        math.isclose(a.elements[e], b.elements[e], abs_tol=1e-9) for e in a.elements)


def _duplicate_cas(
    merged: Mapping[str, Mapping[str, Any]],
    touched_by: Mapping[str, tuple[str, ReagentEntry]],
) -> list[LibraryConflict]:
    """A CAS number names one substance in one form: two ids claiming it is a conflict."""
    owners: dict[str, list[str]] = {}
    for reagent_id, data in sorted(merged.items()):
        if data.get("cas"):
            owners.setdefault(data["cas"], []).append(reagent_id)
    conflicts = []
    for cas, ids in sorted(owners.items()):
        if len(ids) < 2:
            continue
        # Blame the lab's entries: the bundled library is checked to have unique CAS numbers.
        for reagent_id in [i for i in ids if i in touched_by] or ids[1:]:
            others = " and ".join(i for i in ids if i != reagent_id)
            source, entry = touched_by.get(reagent_id, ("library.json", None))
            line, column = entry.where("cas") if entry is not None else (None, None)
            conflicts.append(
                LibraryConflict(
                    reagent_id=reagent_id,
                    field="cas",
                    message=f"CAS {cas} of {reagent_id!r} is also claimed by {others}; a CAS "
                    "number names one substance in one form, so looking it up is ambiguous",
                    hint=(f"if '{reagent_id}' is the same substance use the library's id; if "
                          "not, correct its CAS number"),
                    source_file=source,
                    line=line,
                    column=column,
                    index=None if entry is None else entry.index,
                )
            )
    return conflicts
