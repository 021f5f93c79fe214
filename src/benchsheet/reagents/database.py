"""The embedded reagent database: ~75,000 compounds from `chemicals`, looked up read-only.

compounds.sqlite is package data built by tools/build_reagent_db.py (its docstring documents the
schema). This module opens it read-only and immutable, and only when the first lookup needs it,
so commands that never look a compound up (``benchsheet validate`` of a protocol that names only
library reagents) do not pay for it. Lookups are by CAS number, InChIKey, exact name or synonym,
or formula (in any order molmass reads, compared in Hill order), and a ranked ``search``.
Temperature-dependent properties are kept as correlations and evaluated here at the step's
temperature, within the correlation's range or a little outside it.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.resources
import json
import math
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = [
    "EQUATIONS",
    "EXTRAPOLATION_LIMIT_K",
    "SCHEMA_VERSION",
    "CASError",
    "Compound",
    "Correlation",
    "PropertyValue",
    "ReagentDatabase",
    "SearchHit",
    "database",
    "hill_formula",
    "name_key",
]

SCHEMA_VERSION = 1
DATABASE_FILE = "compounds.sqlite"

# Outside its fitted range a correlation is used this far (K) and no further, as the curated
# library's vapour-pressure curves are (library.EXTRAPOLATION_LIMIT_K); never above Tc.
EXTRAPOLATION_LIMIT_K = 30.0

_R = 8.314462618  # J/(mol K)
_ATMOSPHERE_PA = 101325.0

MatchKind = Literal["CAS", "InChIKey", "name", "synonym", "formula", "prefix", "substring"]
_TIERS: dict[MatchKind, int] = {
    "CAS": 0, "InChIKey": 0, "name": 1, "synonym": 2, "formula": 3, "prefix": 4, "substring": 5,
}

_CAS = re.compile(r"^\d{2,7}-\d{2}-\d$")
_INCHIKEY = re.compile(r"^[A-Z]{14}-[A-Z]{10}-[A-Z]$")
# A query that could be a formula: starts with an element or bracket, no spaces or lower-case
# words (so "ethanol" is never read as a formula of E, t, h, ...).
_FORMULA_LIKE = re.compile(r"^[A-Z(\[][A-Za-z0-9()\[\]·.*+\-]*$")


class CASError(ValueError):
    """A CAS number that is malformed or whose check digit does not match."""


# --------------------------------------------------------------------------------------------
# Normalisation shared with the build script: a name key and a Hill formula


_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "µ": "mu",
    "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau",
    "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}
_GREEK_WORDS = "|".join(sorted(set(_GREEK.values()), key=len, reverse=True))
# PubChem writes Greek letters as ".alpha." and Beilstein-style names as "alpha-"; both mean α.
_DOTTED_GREEK = re.compile(rf"\.({_GREEK_WORDS})\.")
# Dashes and minus signs of every kind, spaces, and hyphens all vanish from a key.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\ufe63\uff0d_]+")
_PRIMES = str.maketrans({"′": "'", "’": "'", "‘": "'", "`": "'", "″": "''"})


@functools.lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """The form a name is compared in: case, spaces, hyphens and Greek spelling ignored.

    "N,N-Dimethylformamide", "n,n-dimethyl formamide" and "N,N‑dimethylformamide" share a key,
    and so do "α-pinene", ".alpha.-pinene" and "alpha pinene".
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(_GREEK.get(ch, ch) for ch in text)
    text = _DOTTED_GREEK.sub(r"\1", text)
    return _SEPARATORS.sub("", text.translate(_PRIMES))


# Isotopes as chemicals (D, T) and molmass (2H, 3H) name them, in the bracket form molmass reads.
_ISOTOPES = {"D": "[2H]", "T": "[3H]", "2H": "[2H]", "3H": "[3H]"}


def hill_formula(elements: Mapping[str, float], charge: int = 0) -> str:
    """Hill order: C, then H, then the rest alphabetically; without carbon, all alphabetically.

    Isotopes are bracketed ("C2[2H]6O") and a charge follows as chemicals writes it ("Na+",
    "O4S-2"), so that neither reads as part of the last count. molmass reads the neutral form
    back, so the Hill formula is also what the molar mass is computed from.
    """
    counts: dict[str, float] = {}
    for symbol, count in elements.items():
        if count:
            named = _ISOTOPES.get(symbol, f"[{symbol}]" if symbol[0].isdigit() else symbol)
            counts[named] = counts.get(named, 0.0) + count
    symbols = sorted(counts)
    if "C" in counts:
        symbols = ["C", *(["H"] if "H" in counts else []),
                   *(s for s in symbols if s not in ("C", "H"))]
    text = "".join(s if counts[s] == 1 else f"{s}{counts[s]:g}" for s in symbols)
    if charge:
        text += ("+" if charge > 0 else "-") + ("" if abs(charge) == 1 else str(abs(charge)))
    return text


def hill_of(formula: str) -> str:
    """The Hill formula of what molmass reads in formula ("CH3CH2OH" -> "C2H6O").

    Raises benchsheet.chemistry.formula.FormulaError when it cannot be read.
    """
    from benchsheet.chemistry.formula import parse_formula  # molmass: only when asked

    parsed = parse_formula(formula)
    return hill_formula(parsed.elements, parsed.charge)


def cas_is_valid(cas: str) -> bool:
    """Well formed (2–7, 2 and 1 digits) and the check digit matches."""
    if not _CAS.match(cas):
        return False
    digits = cas.replace("-", "")[:-1][::-1]
    return sum(i * int(d) for i, d in enumerate(digits, start=1)) % 10 == int(cas[-1])


# --------------------------------------------------------------------------------------------
# Correlations: each equation reads its coefficients in the order listed here


def _vdi_ppds_density(T: float, c: Sequence[float], _: float) -> float:
    Tc, rhoc, A, B, C, D = c
    tau = max(1.0 - T / Tc, 0.0)
    return float(rhoc + A * tau**0.35 + B * tau ** (2 / 3) + C * tau + D * tau ** (4 / 3)) / 1000.0


def _dippr105_density(T: float, c: Sequence[float], molar_mass: float) -> float:
    C1, C2, C3, C4 = c
    molar_density = float(C1 / C2 ** (1.0 + max(1.0 - T / C3, 0.0) ** C4))  # mol/m³
    return molar_density * molar_mass / 1e6


def _costald_density(T: float, c: Sequence[float], molar_mass: float) -> float:
    Tc, Vchar, omega = c
    Tr = min(T / Tc, 1.0)
    tau_cbrt = (1.0 - Tr) ** (1 / 3)
    V_delta = (-0.296123 + Tr * (0.386914 + Tr * (-0.0427258 - 0.0480645 * Tr))) / (Tr - 1.00001)
    V_0 = 1.0 + tau_cbrt * (-1.52816 + tau_cbrt * (1.43907 + tau_cbrt * (
        -0.81446 + 0.190454 * tau_cbrt)))
    molar_volume = float(Vchar * V_0 * (1.0 - omega * V_delta))  # m³/mol
    return molar_mass / molar_volume / 1e6


def _crc_linear_density(T: float, c: Sequence[float], _: float) -> float:
    rho0, k, Tm = c
    return (rho0 - k * (T - Tm)) / 1000.0


def _wagner_original(T: float, c: Sequence[float], _: float) -> float:
    Tc, Pc, A, B, C, D = c
    Tr = T / Tc
    tau = 1.0 - Tr
    return Pc * math.exp((A * tau + B * tau**1.5 + C * tau**3 + D * tau**6) / Tr)


def _wagner(T: float, c: Sequence[float], _: float) -> float:
    Tc, Pc, A, B, C, D = c
    Tr = T / Tc
    tau = 1.0 - Tr
    return Pc * math.exp((A * tau + B * tau**1.5 + C * tau**2.5 + D * tau**5) / Tr)


def _trc_antoine_extended(T: float, c: Sequence[float], _: float) -> float:
    Tc, to, A, B, C, n, E, F = c
    x = max((T - to - 273.15) / Tc, 0.0)
    x4 = x**4
    return float(10.0 ** (A - B / (T + C) + 0.43429 * x**n + x4 * x4 * (E + F * x4)))


def _antoine10(T: float, c: Sequence[float], _: float) -> float:
    A, B, C = c
    return float(10.0 ** (A - B / (T + C)))


def _antoine_e(T: float, c: Sequence[float], _: float) -> float:
    A, B, C = c
    return math.exp(A - B / (T + C))


def _dippr101(T: float, c: Sequence[float], _: float) -> float:
    C1, C2, C3, C4, C5 = c
    return math.exp(C1 + C2 / T + C3 * math.log(T) + C4 * T**C5)


def _boiling_critical(T: float, c: Sequence[float], _: float) -> float:
    Tb, Tc, Pc = c
    Tbr = Tb / Tc
    h = Tbr * math.log(Pc / _ATMOSPHERE_PA) / (1.0 - Tbr)
    return math.exp(h * (1.0 - Tc / T)) * Pc


@dataclass(frozen=True)
class Equation:
    """One correlation form: what it gives, its coefficients in order, and how to evaluate it."""

    kind: Literal["liquid_density", "vapor_pressure"]
    coefficients: tuple[str, ...]
    evaluate: Callable[[float, Sequence[float], float], float]  # (T/K, coefficients, g/mol)
    description: str


EQUATIONS: Mapping[str, Equation] = {
    "VDI_PPDS": Equation("liquid_density", ("Tc", "rhoc", "A", "B", "C", "D"), _vdi_ppds_density,
                         "ρ = ρc + Aτ^0.35 + Bτ^(2/3) + Cτ + Dτ^(4/3), τ = 1 − T/Tc (kg/m³)"),
    "DIPPR105": Equation("liquid_density", ("C1", "C2", "C3", "C4"), _dippr105_density,
                         "ρ = C1 / C2^(1 + (1 − T/C3)^C4) (mol/m³)"),
    "COSTALD": Equation("liquid_density", ("Tc", "Vchar", "omega"), _costald_density,
                        "Hankinson–Thomson COSTALD saturated molar volume (m³/mol)"),
    "CRC_LINEAR": Equation("liquid_density", ("rho0", "k", "Tm"), _crc_linear_density,
                           "ρ = ρ0 − k(T − Tm) (kg/m³)"),
    "WAGNER_ORIGINAL": Equation("vapor_pressure", ("Tc", "Pc", "A", "B", "C", "D"),
                                _wagner_original, "ln(P/Pc) = (Aτ + Bτ^1.5 + Cτ^3 + Dτ^6)/Tr"),
    "WAGNER": Equation("vapor_pressure", ("Tc", "Pc", "A", "B", "C", "D"), _wagner,
                       "ln(P/Pc) = (Aτ + Bτ^1.5 + Cτ^2.5 + Dτ^5)/Tr"),
    "TRC_ANTOINE_EXTENDED": Equation(
        "vapor_pressure", ("Tc", "to", "A", "B", "C", "n", "E", "F"), _trc_antoine_extended,
        "log10 P = A − B/(T + C) + 0.43429 x^n + x^8 (E + F x^4), x = (T − to − 273.15)/Tc"),
    "ANTOINE10": Equation("vapor_pressure", ("A", "B", "C"), _antoine10,
                          "log10(P/Pa) = A − B/(T/K + C)"),
    "ANTOINE_E": Equation("vapor_pressure", ("A", "B", "C"), _antoine_e,
                          "ln(P/Pa) = A − B/(T/K + C)"),
    "DIPPR101": Equation("vapor_pressure", ("C1", "C2", "C3", "C4", "C5"), _dippr101,
                         "ln(P/Pa) = C1 + C2/T + C3 ln T + C4 T^C5"),
    "BOILING_CRITICAL": Equation("vapor_pressure", ("Tb", "Tc", "Pc"), _boiling_critical,
                                 "corresponding-states line through Tb (1 atm) and (Tc, Pc)"),
}


# --------------------------------------------------------------------------------------------
# What a lookup returns


@dataclass(frozen=True)
class PropertyValue:
    """One tabulated value (or a classification in text) with its unit and source."""

    property: str
    value: float | None
    text: str | None
    unit: str
    source: str


@dataclass(frozen=True)
class Correlation:
    """A temperature-dependent property as stored: equation, coefficients and fitted range."""

    kind: Literal["liquid_density", "vapor_pressure"]
    equation: str
    coefficients: tuple[float, ...]
    Tmin_K: float
    Tmax_K: float
    estimated: bool
    source: str

    @property
    def upper_limit_K(self) -> float:
        """The highest temperature it is evaluated at: Tmax + margin, never past Tc."""
        limit = self.Tmax_K + EXTRAPOLATION_LIMIT_K
        equation = EQUATIONS[self.equation]
        if "Tc" in equation.coefficients:
            limit = min(limit, self.coefficients[equation.coefficients.index("Tc")])
        return limit

    def covers(self, T_K: float, margin_K: float = 0.0) -> bool:
        """Is T_K within the fitted range, widened by margin_K (but never past Tc)?"""
        return self.Tmin_K - margin_K <= T_K <= min(self.Tmax_K + margin_K, self.upper_limit_K)

    def evaluate(self, T_K: float, molar_mass: float) -> float | None:
        """The value at T_K (g/mL or Pa), or None if it is not a finite positive number."""
        try:
            value = EQUATIONS[self.equation].evaluate(T_K, self.coefficients, molar_mass)
        except (ArithmeticError, ValueError):
            return None
        return value if math.isfinite(value) and value > 0 else None


@dataclass(frozen=True)
class Compound:
    """A compound from the database: identity, tabulated properties and correlations."""

    cas: str
    name: str
    # Hill order, charge last; a hydrate rebuilt from its anhydrous salt
    # (benchsheet.reagents.hydrates) is that salt's formula, a dot and the water
    formula: str
    charge: int
    molar_mass: float  # g/mol
    molar_mass_source: str
    inchikey: str | None
    pubchem_cid: int | None
    popularity: int
    properties: tuple[PropertyValue, ...]
    correlations: tuple[Correlation, ...]
    # Why the formula cannot be used (a hydrate's formula short of the water its name says:
    # benchsheet.reagents.hydrates), None when it can.
    formula_problem: str | None = None

    def value_of(self, name: str) -> PropertyValue | None:
        """The stored value called name (Tm, Tb, Tc, Pc, Vc, omega, T_flash, TWA, IARC, ...)."""
        return next((p for p in self.properties if p.property == name), None)

    def _number(self, name: str) -> float | None:
        found = self.value_of(name)
        return found.value if found is not None else None

    @property
    def melting_point_K(self) -> float | None:
        return self._number("Tm")

    @property
    def boiling_point_K(self) -> float | None:
        return self._number("Tb")

    @property
    def flash_point_K(self) -> float | None:
        return self._number("T_flash")

    @property
    def autoignition_K(self) -> float | None:
        return self._number("T_autoignition")

    def correlation_at(self, kind: str, T_K: float) -> Correlation | None:
        """The preferred correlation of this kind covering T_K; else the first within margin.

        None above the critical temperature: there is no liquid and no vapour pressure there,
        whatever a correlation's range plus margin would allow.
        """
        critical = self._number("Tc")
        if critical is not None and critical < T_K:
            return None
        candidates = [c for c in self.correlations if c.kind == kind]
        for margin in (0.0, EXTRAPOLATION_LIMIT_K):
            for correlation in candidates:
                if correlation.covers(T_K, margin):
                    return correlation
        return None

    def density_at(self, T_K: float) -> float | None:
        """Saturated-liquid density in g/mL at T_K; None without a correlation that reaches it."""
        correlation = self.correlation_at("liquid_density", T_K)
        return None if correlation is None else correlation.evaluate(T_K, self.molar_mass)

    def vapor_pressure_at(self, T_K: float) -> float | None:
        """Vapour pressure in Pa at T_K; None above Tc or too far outside every fitted range."""
        correlation = self.correlation_at("vapor_pressure", T_K)
        return None if correlation is None else correlation.evaluate(T_K, self.molar_mass)


@dataclass(frozen=True)
class SearchHit:
    """A compound found by search, with what matched: the best of CAS ... substring."""

    compound: Compound
    match: MatchKind
    matched: str  # the CAS number, InChIKey, formula or name key that matched


# --------------------------------------------------------------------------------------------
# The database


def _bundled_path(stack: contextlib.ExitStack) -> Path:
    """The packaged file as a real path (extracted for the process lifetime from a zip)."""
    resource = importlib.resources.files(__package__).joinpath(DATABASE_FILE)
    return stack.enter_context(importlib.resources.as_file(resource))


_COMPOUND_COLUMNS = (
    "c.id, c.cas, c.name, c.formula, c.charge, c.molar_mass, s.text, c.inchikey, "
    "c.pubchem_cid, c.popularity"
)
_COMPOUND_SELECT = (
    f"SELECT {_COMPOUND_COLUMNS} FROM compound c JOIN source s ON s.id = c.molar_mass_source"
)
_Row = tuple[object, ...]


class ReagentDatabase:
    """Read-only lookups in compounds.sqlite; the file is opened at the first lookup."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._connection: sqlite3.Connection | None = None
        self._stack = contextlib.ExitStack()

    @property
    def connection(self) -> sqlite3.Connection:
        """The open connection (read-only, immutable: no locks, no journal, no writes)."""
        if self._connection is None:
            path = self._path or _bundled_path(self._stack)
            uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
            self._connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._stack.close()

    def meta(self) -> dict[str, str]:
        """Build facts: schema and chemicals versions, how molar masses were computed."""
        return {str(k): str(v) for k, v in self.connection.execute("SELECT key, value FROM meta")}

    def __len__(self) -> int:
        row = self.connection.execute("SELECT count(*) FROM compound").fetchone()
        return int(row[0])

    # -- exact lookups ----------------------------------------------------------------------

    def by_cas(self, cas: str) -> Compound | None:
        """The compound with this CAS number; CASError if it is malformed or fails its check."""
        cas = cas.strip()
        if not cas_is_valid(cas):
            raise CASError(f"{cas!r} is not a valid CAS number (NNNNNNN-NN-N with a check digit)")
        return self._one(f"{_COMPOUND_SELECT} WHERE c.cas = ?", cas)

    def by_inchikey(self, inchikey: str) -> Compound | None:
        """The compound with this standard InChIKey (27 characters)."""
        return self._one(f"{_COMPOUND_SELECT} WHERE c.inchikey = ?", inchikey.strip().upper())

    def by_name(self, name: str) -> tuple[Compound, ...]:
        """Compounds with this name or synonym, common and IUPAC names first, then popularity.

        More than one result means the name is ambiguous (PubChem gives it to several).
        """
        return tuple(self._checked(c) for c in self._named_or_synonym(name))

    def by_own_name(self, name: str, kind: Literal[0, 1] = 0) -> tuple[Compound, ...]:
        """Compounds whose common name (``kind`` 0) or IUPAC name (1) this is, not a synonym
        or trade name."""
        return tuple(self._checked(c) for c in self._named(name, kind))

    def by_formula(self, formula: str) -> tuple[Compound, ...]:
        """Compounds with this formula, read by molmass and compared in Hill order.

        "CH3CH2OH", "C2H5OH" and "C2H6O" all find ethanol and dimethyl ether (most-cited
        first). Raises benchsheet.chemistry.formula.FormulaError for an unreadable formula.
        """
        rows = self.connection.execute(
            f"{_COMPOUND_SELECT} WHERE c.formula = ? ORDER BY c.popularity DESC, length(c.name), "
            "c.cas",
            (hill_of(formula),),
        ).fetchall()
        return tuple(self._compound(row) for row in rows)

    # -- ranked search ----------------------------------------------------------------------

    def search(self, query: str, limit: int = 10) -> tuple[SearchHit, ...]:
        """Ranked matches: CAS or InChIKey, then name, synonym, formula, prefix, substring.

        Within a tier, a prefix or substring of the compound's own name beats one of a
        synonym; ties go to the compound PubChem lists more synonyms for (a fair proxy for
        how common it is), then the shorter name. A valid CAS number or InChIKey that is found
        returns that compound alone; a substring scan (~20 ms) runs only when no name,
        synonym or formula matched exactly.
        """
        query = query.strip()
        if not query or limit <= 0:
            return ()
        found: dict[int, tuple[MatchKind, str]] = {}

        def add(ids: Sequence[int], kind: MatchKind, matched: str) -> None:
            for compound_id in ids:
                found.setdefault(compound_id, (kind, matched))

        db = self.connection
        if cas_is_valid(query):
            add([r[0] for r in db.execute("SELECT id FROM compound WHERE cas = ?", (query,))],
                "CAS", query)
        if _INCHIKEY.match(query.upper()):
            add([r[0] for r in db.execute("SELECT id FROM compound WHERE inchikey = ?",
                                          (query.upper(),))], "InChIKey", query.upper())
        if found:  # an identifier names one compound; its digits are no name to search
            return self._ranked_hits(found, limit)
        key = name_key(query)
        if key:
            exact = db.execute("SELECT compound_id, kind FROM name WHERE key = ?", (key,))
            for compound_id, kind in sorted(exact, key=lambda r: r[1]):
                add([compound_id], "name" if kind < 2 else "synonym", key)
        if _FORMULA_LIKE.match(query):
            with contextlib.suppress(ValueError):  # FormulaError: not a formula after all
                hill = hill_of(query)
                add([r[0] for r in db.execute("SELECT id FROM compound WHERE formula = ?",
                                              (hill,))], "formula", hill)
        exact_hits = bool(found)
        if key and len(found) < limit:
            add(self._ranked_ids(
                "n.key > ? AND n.key < ?", (key, key + "\U0010ffff"), limit + len(found)),
                "prefix", key)
        # A substring scan reads every name (~20 ms): only for a query nothing else matched.
        if len(key) >= 3 and not exact_hits and len(found) < limit:
            add(self._ranked_ids("instr(n.key, ?) > 0", (key,), limit + len(found)),
                "substring", key)
        return self._ranked_hits(found, limit)

    def _ranked_ids(self, where: str, parameters: tuple[str, ...], limit: int) -> list[int]:
        rows = self.connection.execute(
            f"SELECT c.id FROM name n JOIN compound c ON c.id = n.compound_id WHERE {where} "
            "GROUP BY c.id ORDER BY min(n.kind) > 0, c.popularity DESC, length(c.name), c.cas "
            "LIMIT ?",
            (*parameters, limit),
        )
        return [int(r[0]) for r in rows]

    def _ranked_hits(
        self, found: Mapping[int, tuple[MatchKind, str]], limit: int
    ) -> tuple[SearchHit, ...]:
        placeholders = ",".join("?" * len(found))
        rows = self.connection.execute(
            f"{_COMPOUND_SELECT} WHERE c.id IN ({placeholders})", tuple(found)
        ).fetchall()
        compounds = {int(str(row[0])): self._compound(row) for row in rows}
        # Exact tiers rank by popularity here; prefix and substring hits keep the order the
        # query gave them (own name before synonym, then popularity).
        position = {compound_id: n for n, compound_id in enumerate(found)}

        def rank(i: int) -> tuple[int, int, int, int, str]:
            tier = _TIERS[found[i][0]]
            return (tier, position[i] if tier >= _TIERS["prefix"] else 0,
                    -compounds[i].popularity, len(compounds[i].name), compounds[i].cas)

        order = sorted(compounds, key=rank)
        return tuple(SearchHit(compounds[i], *found[i]) for i in order[:limit])

    # -- rows to dataclasses ----------------------------------------------------------------

    def _one(self, sql: str, parameter: str) -> Compound | None:
        row = self.connection.execute(sql, (parameter,)).fetchone()
        return None if row is None else self._compound(row)

    def _compound(self, row: _Row) -> Compound:
        """The compound of ``row``, its formula checked (``_checked``)."""
        return self._checked(self._stored(row))

    def _checked(self, compound: Compound) -> Compound:
        """``compound`` with its formula checked against the water its name says
        (``hydrates.checked``, which looks the anhydrous salt up by name, unchecked)."""
        if "hydrate" not in compound.name.lower():
            return compound
        from benchsheet.reagents.hydrates import checked

        return checked(compound, (lambda n: self._named(n, 0), lambda n: self._named(n, 1),
                                  self._named_or_synonym))

    def _named(self, name: str, kind: Literal[0, 1]) -> tuple[Compound, ...]:
        """``by_own_name`` as stored, with no hydrate check (which asks it)."""
        rows = self.connection.execute(
            f"{_COMPOUND_SELECT} JOIN name n ON n.compound_id = c.id WHERE n.key = ? "
            "AND n.kind = ? ORDER BY c.popularity DESC, c.cas", (name_key(name), kind),
        ).fetchall()
        return tuple(self._stored(row) for row in rows)

    def _named_or_synonym(self, name: str) -> tuple[Compound, ...]:
        """``by_name`` as stored, with no hydrate check (which asks it)."""
        rows = self.connection.execute(
            f"{_COMPOUND_SELECT} JOIN name n ON n.compound_id = c.id WHERE n.key = ? "
            "ORDER BY min(n.kind, 1), c.popularity DESC, length(c.name), c.cas",
            (name_key(name),),
        ).fetchall()
        return tuple(self._stored(row) for row in rows)

    def _stored(self, row: _Row) -> Compound:
        """The compound of ``row`` as the database stores it."""
        (compound_id, cas, name, formula, charge, molar_mass, mass_source, inchikey, pubchem_cid,
         popularity) = row
        properties = tuple(
            PropertyValue(str(p), v, t, str(u), str(s))
            for p, v, t, u, s in self.connection.execute(
                "SELECT p.property, p.value, p.text, p.unit, s.text FROM property p "
                "JOIN source s ON s.id = p.source WHERE p.compound_id = ? ORDER BY p.property",
                (compound_id,),
            )
        )
        correlations = tuple(
            Correlation(p, e, tuple(json.loads(c)), lo, hi, bool(est), str(s))
            for p, e, c, lo, hi, est, s in self.connection.execute(
                "SELECT r.property, r.equation, r.coefficients, r.Tmin, r.Tmax, r.estimated, "
                "s.text FROM correlation r JOIN source s ON s.id = r.source "
                "WHERE r.compound_id = ? ORDER BY r.property, r.rank",
                (compound_id,),
            )
        )
        return Compound(
            cas=str(cas), name=str(name), formula=str(formula), charge=int(str(charge)),
            molar_mass=float(str(molar_mass)), molar_mass_source=str(mass_source),
            inchikey=None if inchikey is None else str(inchikey),
            pubchem_cid=None if pubchem_cid is None else int(str(pubchem_cid)),
            popularity=int(str(popularity)), properties=properties, correlations=correlations,
        )


@functools.cache
def database() -> ReagentDatabase:
    """The bundled database, shared by the process; the file opens at its first lookup."""
    return ReagentDatabase()
