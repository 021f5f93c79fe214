"""Reagents the curated library lacks, from the embedded database: a name or CAS number a
protocol writes becomes a library-shaped record with the database's measured data.

The curated library stays the authority: this is asked only when the library has no entry
for the name. Only measured values cross over (a tabulated melting or boiling point, a fitted
density or vapour-pressure correlation, critical constants); the database's estimates do not,
since a check that fires on an estimate would cry wolf. No GHS classification comes from the
database: what its data imply is derived (a flash point's flammable-liquid category, an IARC
group's carcinogen category), and HZ111 says the classification is incomplete.
"""

from __future__ import annotations

import functools
import math
import sqlite3

from benchsheet.chemistry.formula import FormulaError, parse_formula
from benchsheet.reagents.database import CASError, Compound, database
from benchsheet.reagents.library import (
    DERIVED_GHS,
    GHS,
    CriticalConstants,
    ExposureLimit,
    Phase,
    ReagentRecord,
    SourcedValue,
    cas_check_digit_ok,
)

BENCH_K = 298.15
# Liquid-density equations fitted to a compound's own measurements. COSTALD is left out even
# with fitted parameters: it gives isoprene 0.632 g/mL at 25 °C against a measured 0.681 at
# 20 °C (CRC), 7 % low, and an amount dispensed by volume would be that far off.
MEASURED_DENSITY_EQUATIONS = frozenset({"VDI_PPDS", "DIPPR105", "CRC_LINEAR"})
# Points of a vapour-pressure correlation handed to the library's ln P vs 1/T interpolation:
# across a fitted range of a few hundred kelvin, the interpolated value differs from the
# equation by well under 1 %.
CURVE_POINTS = 24


# Alkali and alkaline-earth metals: a compound of one without carbon is an ionic solid at
# 25 °C (salts, their hydrates, hydrides, oxides); the lowest-melting of them melt above the
# bench (calcium chloride hexahydrate at 30 °C, Na2SO4·10H2O at 32 °C; CRC Handbook).
_SALT_METALS = frozenset({"Li", "Na", "K", "Rb", "Cs", "Be", "Mg", "Ca", "Sr", "Ba"})


def _phase(compound: Compound) -> Phase | None:
    """Solid, liquid or gas at 25 °C from the measured melting and boiling points; None when
    they do not decide it. An alkali or alkaline-earth compound without carbon that has
    neither (disodium phosphate, Epsom salt) is a solid (``_SALT_METALS``): the buffer salts
    a protocol weighs out are usable without writing them out."""
    tm, tb = compound.melting_point_K, compound.boiling_point_K
    if tb is not None and tb < BENCH_K:
        return "gas"
    if tm is not None and tm > BENCH_K:
        return "solid"
    if tm is not None and tb is not None:
        return "liquid"
    if tm is None and tb is None and compound.formula_problem is None:
        try:
            elements = parse_formula(compound.formula).elements
        except FormulaError:
            return None
        if "C" not in elements and not _SALT_METALS.isdisjoint(elements):
            return "solid"
    return None


def _sourced(compound: Compound, name: str) -> SourcedValue | None:
    found = compound.value_of(name)
    if found is None or found.value is None:
        return None
    return SourcedValue(found.value, "K", f"{found.source} (reagent database)")


def _density(compound: Compound, phase: Phase) -> SourcedValue | None:
    """The measured density at 25 °C: of the liquid from its correlation, of a solid as
    tabulated."""
    if phase == "liquid":
        fitted = next((c for c in compound.correlations if c.kind == "liquid_density"
                       and c.equation in MEASURED_DENSITY_EQUATIONS and not c.estimated
                       and c.covers(BENCH_K, 30.0)), None)
        value = fitted.evaluate(BENCH_K, compound.molar_mass) if fitted else None
        return (SourcedValue(value, "g/mL", f"{fitted.source} at 25 °C (reagent database)",
                             BENCH_K) if fitted and value else None)
    if phase == "solid":
        found = compound.value_of("solid_density")
        if found is not None and found.value is not None and found.unit == "g/mL":
            return SourcedValue(found.value, "g/mL", f"{found.source} (reagent database)")
    return None


def _curve(compound: Compound) -> tuple[tuple[tuple[float, float], ...], str | None]:
    """The measured vapour-pressure correlation as (T, P) points over its fitted range."""
    fitted = next((c for c in compound.correlations if c.kind == "vapor_pressure"
                   and not c.estimated), None)
    if fitted is None or not fitted.Tmax_K > fitted.Tmin_K > 0:
        return (), None
    points = []
    for i in range(CURVE_POINTS):
        t = fitted.Tmin_K + (fitted.Tmax_K - fitted.Tmin_K) * i / (CURVE_POINTS - 1)
        p = fitted.evaluate(t, compound.molar_mass)
        if p is not None and math.isfinite(p):
            points.append((t, p))
    return (tuple(points), f"{fitted.source} (reagent database)") if len(points) > 1 \
        else ((), None)


def _critical(compound: Compound) -> CriticalConstants | None:
    found = [compound.value_of(k) for k in ("Tc", "Pc", "omega")]
    values = [v.value for v in found if v is not None and v.value is not None]
    if len(values) != 3 or found[0] is None:
        return None
    return CriticalConstants(values[0], values[1], values[2],
                             f"{found[0].source} (reagent database)")


# IARC groups as the database writes them ('Probably carcinogenic to humans (2A)') → a
# carcinogen statement: group 1 (carcinogenic to humans) H350; groups 2A and 2B H351, since
# a probable or possible human carcinogen is often only suspected under CLP (aniline, IARC
# 2A, is Carc. 2, H351); group 3 is no classification.
_IARC_CODES = {"1": "H350", "2A": "H351", "2B": "H351"}


def _flammable_liquid(compound: Compound, phase: Phase) -> tuple[str, str] | None:
    """The GHS flammable-liquid category a measured flash point puts a liquid in (UN GHS
    2.6: category 1 below 23 °C with an initial boiling point at or below 35 °C, 2 below
    23 °C, 3 up to 60 °C; category 4, 60-93 °C, has no code in the EU CLP and is left out)."""
    flash = compound.flash_point_K
    if flash is None or phase != "liquid":
        return None
    celsius = flash - 273.15
    boiling = compound.boiling_point_K
    if celsius < 23:
        code = "H224" if boiling is not None and boiling - 273.15 <= 35 else "H225"
    elif celsius <= 60:
        code = "H226"
    else:
        return None
    return code, f"flash point {celsius:.0f} °C → {code}"


def _carcinogen(compound: Compound) -> tuple[str, str] | None:
    found = compound.value_of("IARC")
    group = (found.text or "").rsplit("(", 1)[-1].rstrip(")") if found is not None else ""
    if group not in _IARC_CODES:
        return None
    return _IARC_CODES[group], f"IARC group {group} → {_IARC_CODES[group]}"


def derived_ghs(compound: Compound, phase: Phase) -> GHS | None:
    """What the database's data imply for a compound with no GHS classification: the
    flammable-liquid category of its flash point, the carcinogen category of its IARC group.
    None when they imply nothing; the source says the classification is incomplete."""
    found = [d for d in (_flammable_liquid(compound, phase), _carcinogen(compound)) if d]
    if not found:
        return None
    codes = tuple(code for code, _ in found)
    pictograms = tuple(dict.fromkeys(
        "GHS02" if code in ("H224", "H225", "H226") else "GHS08" for code in codes))
    danger = any(code in ("H224", "H225", "H350") for code in codes)
    return GHS("Danger" if danger else "Warning", codes, pictograms,
               f"{DERIVED_GHS} ({'; '.join(why for _, why in found)})")


# Molar volume of an ideal gas at 25 °C and 1 atm (L/mol), which turns mg/m³ into ppm.
_MOLAR_VOLUME_L = 24.45


def exposure_limit(compound: Compound) -> ExposureLimit | None:
    """The compound's occupational exposure limit in ppm: the 8-h TWA, else a ceiling, else a
    short-term limit (each is a level not to be exceeded over its own time)."""
    for kind in ("TWA", "Ceiling", "STEL"):
        found = compound.value_of(kind)
        if found is None or found.value is None or found.value <= 0:
            continue
        ppm = found.value
        if found.unit != "ppm":  # mg/m³ → ppm at 25 °C, 1 atm
            ppm = found.value * _MOLAR_VOLUME_L / compound.molar_mass
        return ExposureLimit(kind, ppm, f"{kind} {found.value:.3g} {found.unit.replace('^3', '³')}"
                             f" ({found.source})")
    return None


def record_from_compound(compound: Compound) -> ReagentRecord | None:
    """The database's compound as a library record, or None when its phase at 25 °C is not
    known (a reagent whose phase is guessed would be checked against the wrong state)."""
    phase = _phase(compound)
    if phase is None:
        return None
    curve, curve_source = _curve(compound)
    return ReagentRecord(
        id=compound.cas, name=compound.name, synonyms=(), abbreviations=(),
        ambiguous_abbreviations=(), cas=compound.cas, formula=compound.formula,
        family=compound.cas, form=None, phase_25C=phase, density=_density(compound, phase),
        melting_point_K=_sourced(compound, "Tm"), boiling_point_K=_sourced(compound, "Tb"),
        flash_point_K=_sourced(compound, "T_flash"),
        critical=_critical(compound), vapor_pressure_points=curve,
        vapor_pressure_source=curve_source, second_virial_points=(),
        second_virial_source=None, ghs=derived_ghs(compound, phase), overrides=(),
        origin="database", exposure_limit=exposure_limit(compound),
        formula_problem=compound.formula_problem,
    )


def _compounds(name: str) -> tuple[Compound, ...]:
    """The database's compounds for a CAS number, or with this name or synonym."""
    text = name.strip()
    db = database()
    if cas_check_digit_ok(text):
        try:
            found = db.by_cas(text)
        except CASError:
            return ()
        return (found,) if found is not None else ()
    return db.by_name(text)


@functools.lru_cache(maxsize=2048)
def lookup(name: str) -> tuple[ReagentRecord, ...]:
    """The record a protocol's reagent name or CAS number means in the database: by CAS
    number, or by the compound's own name: the common name when exactly one compound has it,
    else the IUPAC name when exactly one has that. A
    name that is only someone's synonym is not taken ('TEA' is a synonym of
    tetraethylammonium, where a chemist means triethylamine; 'xylene' of o-xylene, where the
    bottle holds the mixed isomers): it is suggested instead (``suggested``). Empty when the
    database does not know the name, cannot say the compound's phase at 25 °C, or cannot be
    read."""
    compound = _taken(name)
    if compound is None:
        return ()  # unknown, or one name of several compounds: suggested, not guessed
    record = record_from_compound(compound)
    return (record,) if record is not None else ()


def _taken(name: str) -> Compound | None:
    """The one compound ``lookup`` takes ``name`` for: by CAS number, or by its own name
    (common, else IUPAC); None when there is none or more than one, or the database cannot
    be read."""
    text = name.strip()
    try:
        compounds = _compounds(text) if cas_check_digit_ok(text) else (
            database().by_own_name(text, 0) or database().by_own_name(text, 1))
    except (sqlite3.Error, OSError):
        return None
    return compounds[0] if len(compounds) == 1 else None


@functools.lru_cache(maxsize=2048)
def without_phase(name: str) -> Compound | None:
    """The compound ``lookup`` takes ``name`` (a name or CAS number) for when the database
    cannot say its phase at 25 °C, which is why ``lookup`` gives nothing: a salt with neither
    a melting nor a boiling point in it (disodium phosphate). None otherwise."""
    compound = _taken(name)
    return compound if compound is not None and _phase(compound) is None else None


@functools.lru_cache(maxsize=2048)
def suggested(name: str, limit: int = 3) -> tuple[Compound, ...]:
    """The database's compounds that have ``name`` as a name or synonym, for the fix of a
    reagent the library does not know (RF303 names them)."""
    try:
        return _compounds(name)[:limit]
    except (sqlite3.Error, OSError):
        return ()
