"""Build src/benchsheet/reagents/compounds.sqlite, the embedded reagent database, from `chemicals`.

    python tools/build_reagent_db.py            # rebuild the file and print its coverage
    python tools/build_reagent_db.py --check    # exit 1 if the committed file differs

Every compound that `chemicals` (Chemical Engineering Design Library) has in its identifier
databases (PubChem-derived large and small tables, inorganics, ions, elements) goes in, with the
property data chemicals tabulates for its CAS number. Estimates are left out except where a row
says so (`estimated = 1`): a COSTALD liquid density from tabulated critical constants and a
boiling-point/critical-point vapour-pressure line, for compounds with no fitted correlation.

Schema (all temperatures K, pressures Pa; every value row names its source):

    meta(key TEXT PRIMARY KEY, value TEXT)
        schema version, chemicals version, what the molar masses were computed with.
    source(id INTEGER PRIMARY KEY, text TEXT UNIQUE)
        one row per distinct source sentence ("CRC Handbook ... via chemicals 1.5.2: Tb method
        CRC_ORG"), referred to by id so the text is stored once.
    compound(id INTEGER PRIMARY KEY, cas TEXT UNIQUE, name TEXT, formula TEXT,
             charge INTEGER, molar_mass REAL, molar_mass_source INTEGER, inchikey TEXT,
             pubchem_cid INTEGER, popularity INTEGER)
        formula is chemicals' formula rewritten in Hill order with the charge last ("O4S-2",
        "C2[2H]6O"; benchsheet.reagents.database.hill_formula), indexed for formula lookup;
        molar_mass in g/mol; popularity is how many synonyms PubChem lists, the tie-break of
        a search. SMILES and the IUPAC name as text are left out for size (the IUPAC name is
        a name key when it is short enough to be typed).
    name(key TEXT, compound_id INTEGER, kind INTEGER, PRIMARY KEY (key, compound_id))
        WITHOUT ROWID. key is benchsheet.reagents.database.name_key of a name; kind 0 is the
        common name, 1 the IUPAC name, 2 a synonym. At most MAX_NAMES keys per compound, in
        PubChem's order (the most used first), registry codes, catalogue numbers and names
        longer than MAX_NAME_KEY left out.
    property(compound_id INTEGER, property TEXT, value REAL, text TEXT, unit TEXT,
             source INTEGER, PRIMARY KEY (compound_id, property)) WITHOUT ROWID
        one number (value) or one classification (text): Tm, Tb, Tc, Pc, Vc, omega, T_flash,
        T_autoignition (K, Pa, m³/mol, -), solid_density (g/mL, room temperature), TWA, STEL,
        Ceiling (ppm or mg/m³ as the unit says), IARC, NTP (text).
    correlation(compound_id INTEGER, property TEXT, rank INTEGER, equation TEXT,
                coefficients TEXT, Tmin REAL, Tmax REAL, estimated INTEGER, source INTEGER,
                PRIMARY KEY (compound_id, property, rank)) WITHOUT ROWID
        property is liquid_density or vapor_pressure; rank 0 is preferred; coefficients is a
        JSON array in the order benchsheet.reagents.database.EQUATIONS documents for equation.

The output is byte-for-byte reproducible with the same chemicals and SQLite: rows are inserted
in sorted order into a fresh file with a fixed page size, then copied by VACUUM INTO; nothing
records the time of the build.
"""

from __future__ import annotations

import argparse
import math
import re
import sqlite3
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import chemicals
from chemicals import identifiers, safety, vapor_pressure, volume
from chemicals.elements import simple_formula_parser

from benchsheet.chemistry.formula import FormulaError, parse_formula
from benchsheet.reagents.database import SCHEMA_VERSION, PropertyValue, hill_formula, name_key

sys.path.insert(0, str(Path(__file__).resolve().parent))  # beside it, however it is loaded
from chedl_methods import METHOD_NAMES

ROOT = Path(__file__).resolve().parent.parent
DATABASE = ROOT / "src" / "benchsheet" / "reagents" / "compounds.sqlite"
CHEMICALS = f"chemicals {chemicals.__version__}"
PAGE_SIZE = 4096
# How many names each compound keeps (see names_of): what a chemist types, within ~25 MB.
BASE_NAMES = 3
SYNONYMS_PER_EXTRA_NAME = 10
MAX_NAMES = 16
MAX_NAME_KEY = 45
MAX_COMMON_NAME_KEY = 120
MAX_ABBREVIATION_KEY = 6
MAX_ABBREVIATIONS = 8

# Methods that compute a value instead of looking it up; the database holds tabulated data.
ESTIMATES = frozenset({"JOBACK", "WILSON_JASPERSON", "FEDORS", "ACENTRIC_DEFINITION"})


# (property name in the database, chemicals function, its methods function, unit)
SCALAR_PROPERTIES = (
    ("Tm", chemicals.Tm, chemicals.Tm_methods, "K"),
    ("Tb", chemicals.Tb, chemicals.Tb_methods, "K"),
    ("Tc", chemicals.Tc, chemicals.Tc_methods, "K"),
    ("Pc", chemicals.Pc, chemicals.Pc_methods, "Pa"),
    ("Vc", chemicals.Vc, chemicals.Vc_methods, "m3/mol"),
    ("omega", chemicals.omega, chemicals.omega_methods, "1"),
    ("T_flash", chemicals.T_flash, chemicals.T_flash_methods, "K"),
    ("T_autoignition", chemicals.T_autoignition, chemicals.T_autoignition_methods, "K"),
)

# Synonyms that are registry codes or catalogue numbers, not names anyone types for a reagent.
_REGISTRY = re.compile(
    r"^(nsc|ccris|hsdb|einecs|ec|unii|chebi|chembl|dtxsid|dtxcid|akos|mfcd|zinc|schembl|ks-|"
    r"stk|bdbm|ncgc|brn|wln|ai3|caswell|epa|rcra|un|nci|ccg|sbb|cbdive|hms|spectrum|opera|"
    r"bspbio|prestwick|lopac|tox21|cas|smr|mls|bidd|pubchem|inchi|d0|q\d|ac1|ls-|ft-|tra|"
    r"bbl|aks|cs-|hy-|db\d|c\d{5}|s\d{4})[-:\s\d_]"
)
_LONG_NUMBER = re.compile(r"\d{5,}")
_CAS_LIKE = re.compile(r"^\d{2,7}-\d{2}-\d$")
_PUBCHEM_CODE = re.compile(r"^ac1[a-z0-9]{4,}$")  # PubChem depositor codes such as ac1l3m7u


@dataclass(frozen=True)
class CompoundRow:
    cas: str
    name: str
    formula: str  # Hill order, charge last (see database.hill_formula)
    charge: int
    molar_mass: float
    molar_mass_source: str
    inchikey: str | None
    pubchem_cid: int | None
    popularity: int


@dataclass(frozen=True)
class CorrelationRow:
    property: str
    rank: int
    equation: str
    coefficients: tuple[float, ...]
    Tmin: float
    Tmax: float
    estimated: bool
    source: str


@dataclass(frozen=True)
class CompoundData:
    """Everything the database holds for one CAS number."""

    compound: CompoundRow
    names: tuple[tuple[str, int], ...]  # (key, kind)
    properties: tuple[PropertyValue, ...]
    correlations: tuple[CorrelationRow, ...] = field(default=())


def via(method: str, function: str) -> str:
    """A source sentence: who measured it, which chemicals table, which method code."""
    return f"{METHOD_NAMES.get(method, method)} via {CHEMICALS}: {function} method {method}"


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


# --------------------------------------------------------------------------------------------
# Identity


def metadata_by_cas() -> dict[str, identifiers.ChemicalMetadata]:
    """Every compound chemicals' identifier databases know, by CAS, as chemicals resolves them."""
    db = identifiers.get_pubchem_db()
    db.finish_loading()
    return {meta.CASs: meta for meta in db.CAS_index.values()}


def names_of(meta: identifiers.ChemicalMetadata) -> tuple[tuple[str, int], ...]:
    """Name keys (common name first, then IUPAC, then synonyms), without registry codes.

    The common name is always kept (up to MAX_COMMON_NAME_KEY characters). Abbreviations
    (keys of at most MAX_ABBREVIATION_KEY characters: dmso, mecn, etoac) are kept wherever
    PubChem lists them, up to MAX_ABBREVIATIONS. Longer synonyms are kept in PubChem's order
    (the most used first) up to a budget that grows with how many synonyms the compound has, so
    a common solvent keeps its trade and trivial names and an obscure PubChem entry does not
    fill the file; none longer than MAX_NAME_KEY (nobody types a 90-character systematic name).
    """
    budget = min(MAX_NAMES, BASE_NAMES + len(meta.synonyms) // SYNONYMS_PER_EXTRA_NAME)
    seen: dict[str, int] = {}
    abbreviations = 0
    candidates = [(meta.common_name, 0), (meta.iupac_name, 1)]
    candidates += [(synonym, 2) for synonym in meta.synonyms]
    for text, kind in candidates:
        key = name_key(text) if text else ""
        if not key or key in seen or (kind == 2 and _is_registry_code(text)):
            continue
        if kind == 0:
            if len(key) <= MAX_COMMON_NAME_KEY:
                seen[key] = kind
        elif kind == 2 and len(key) <= MAX_ABBREVIATION_KEY:
            if abbreviations < MAX_ABBREVIATIONS:
                seen[key] = kind
                abbreviations += 1
        elif len(key) <= MAX_NAME_KEY and len(seen) - abbreviations < budget:
            seen[key] = kind
    return tuple(seen.items())


def _is_registry_code(text: str) -> bool:
    lowered = text.strip().lower()
    return bool(_REGISTRY.match(lowered) or _LONG_NUMBER.search(lowered)
                or _CAS_LIKE.match(lowered) or _PUBCHEM_CODE.match(lowered))


def element_counts(meta: identifiers.ChemicalMetadata) -> dict[str, float]:
    """The formula as chemicals means it: element symbols, D and T (molmass alone would read
    "HT", tritium hydride, as an abbreviation); labelled isotopes ("[15N]") as molmass reads
    them, since chemicals' simple parser drops them."""
    if "[" in meta.formula:
        return dict(parse_formula(re.sub(r"[+-]\d*$", "", meta.formula)).elements)
    return {symbol: float(n) for symbol, n in simple_formula_parser(meta.formula).items()}


def compound_row(meta: identifiers.ChemicalMetadata) -> CompoundRow | None:
    """The identity row; None without a formula or a molar mass.

    The molar mass is molmass's (benchsheet.chemistry.formula, as for every other formula in
    benchsheet) for the neutral Hill formula; chemicals' own MW only where molmass has no mass
    for an element.
    """
    if not meta.formula:
        return None
    try:
        elements = element_counts(meta)
    except (ValueError, KeyError):  # FormulaError is a ValueError
        return None
    if not elements:
        return None
    charge = int(meta.charge or 0)
    try:
        mass = parse_formula(hill_formula(elements)).molar_mass
        mass_source = "molmass, from the formula (benchsheet.chemistry.formula)"
    except FormulaError:
        if not _finite(meta.MW) or meta.MW <= 0:
            return None
        mass, mass_source = float(meta.MW), f"{CHEMICALS} identifiers (MW)"
    return CompoundRow(
        cas=meta.CASs,
        name=meta.common_name or meta.iupac_name or meta.formula,
        formula=hill_formula(elements, charge),
        charge=charge,
        molar_mass=mass,
        molar_mass_source=mass_source,
        inchikey=meta.InChI_key or None,
        pubchem_cid=meta.pubchemid if meta.pubchemid and meta.pubchemid > 0 else None,
        popularity=len(meta.synonyms),
    )


# --------------------------------------------------------------------------------------------
# Properties: one number or one classification each


def scalar_properties(cas: str) -> list[PropertyValue]:
    """Tm, Tb, critical constants, flash and autoignition points: chemicals' first method."""
    rows = []
    for name, function, methods, unit in SCALAR_PROPERTIES:
        usable = [m for m in methods(cas) if m not in ESTIMATES]
        for method in usable:
            value = function(cas, method=method)
            if _finite(value) and value > 0:
                source = via(method, f"chemicals.{function.__name__}")
                rows.append(PropertyValue(name, float(value), None, unit, source))
                break
    return rows


def solid_density(cas: str, molar_mass: float) -> list[PropertyValue]:
    """Room-temperature density of an inorganic solid from the CRC table (g/mL)."""
    volume._load_rho_data()
    table = volume.rho_data_CRC_inorg_s_const
    if cas not in table.index:
        return []
    molar_volume = float(table.at[cas, "Vm"])
    if not molar_volume > 0:
        return []
    source = f"CRC Handbook, inorganic solids via {CHEMICALS}: rho_data_CRC_inorg_s_const"
    return [PropertyValue("solid_density", molar_mass / molar_volume / 1e6, None, "g/mL", source)]


def exposure_limits(cas: str) -> list[PropertyValue]:
    """TWA, STEL and ceiling limits from chemicals.safety (Ontario limits), in ppm or mg/m³."""
    rows = []
    for name, function in (("TWA", safety.TWA), ("STEL", safety.STEL), ("Ceiling", safety.Ceiling)):
        found = function(cas)
        if found:
            value, unit = found
            if _finite(value) and value > 0:
                rows.append(PropertyValue(name, float(value), None, unit,
                                        via("Ontario Limits", f"chemicals.safety.{name}")))
    return rows


def carcinogen_classes(cas: str) -> list[PropertyValue]:
    """IARC group and NTP listing, as chemicals.safety.Carcinogen words them."""
    rows = []
    for name, method in (("IARC", safety.IARC), ("NTP", safety.NTP)):
        text = safety.Carcinogen(cas, method=method)
        if text and text != safety.UNLISTED:
            rows.append(PropertyValue(name, None, str(text), "",
                                    f"{method} via {CHEMICALS}: chemicals.safety.Carcinogen"))
    return rows


# --------------------------------------------------------------------------------------------
# Correlations: coefficients and their range, evaluated at run time


def _row(table: Any, cas: str) -> Any | None:
    return table.loc[cas] if cas in table.index else None


def density_correlations(cas: str, props: dict[str, float]) -> list[CorrelationRow]:
    """Saturated-liquid density correlations, preferred first (as thermo ranks them)."""
    volume._load_rho_data()
    found: list[tuple[str, tuple[float, ...], float, float, bool, str]] = []
    tc = props.get("Tc")
    if (r := _row(volume.rho_data_VDI_PPDS_2, cas)) is not None:
        low = props.get("Tm", 0.3 * r.Tc)
        found.append(("VDI_PPDS", (r.Tc, r.rhoc, r.A, r.B, r.C, r.D), low, r.Tc, False,
                      f"VDI Heat Atlas PPDS equation via {CHEMICALS}: rho_data_VDI_PPDS_2"))
    if (r := _row(volume.rho_data_Perry_8E_105_l, cas)) is not None:
        found.append(("DIPPR105", (r.C1, r.C2, r.C3, r.C4), r.Tmin, r.Tmax, False,
                      f"Perry's Handbook 8th ed., DIPPR 105 via {CHEMICALS}: "
                      "rho_data_Perry_8E_105_l"))
    if (r := _row(volume.rho_data_COSTALD, cas)) is not None and tc and _finite(r.Vchar):
        omega = r.omega_SRK if _finite(r.omega_SRK) else props.get("omega")
        if omega is not None:
            found.append(("COSTALD", (tc, r.Vchar, omega), props.get("Tm", 0.3 * tc), 0.95 * tc,
                          False, f"Hankinson-Thomson COSTALD parameters via {CHEMICALS}: "
                          "rho_data_COSTALD, with Tc above"))
    if (r := _row(volume.rho_data_CRC_inorg_l, cas)) is not None:
        found.append(("CRC_LINEAR", (r.rho, r.k, r.Tm), r.Tm, r.Tmax, False,
                      f"CRC Handbook, molten inorganics via {CHEMICALS}: rho_data_CRC_inorg_l"))
    if not found and tc and props.get("Vc") and props.get("omega") is not None:
        found.append(("COSTALD", (tc, props["Vc"], props["omega"]), props.get("Tm", 0.3 * tc),
                      0.95 * tc, True, f"COSTALD estimate from the critical constants above "
                      f"(chemicals.volume.COSTALD, {CHEMICALS})"))
    return _ranked("liquid_density", found)


def vapor_pressure_correlations(cas: str, props: dict[str, float]) -> list[CorrelationRow]:
    """Vapour-pressure correlations with their ranges, preferred first (as thermo ranks them)."""
    vapor_pressure.load_vapor_pressure_dfs()
    vp = vapor_pressure
    found: list[tuple[str, tuple[float, ...], float, float, bool, str]] = []
    if (r := _row(vp.Psat_data_WagnerMcGarry, cas)) is not None:
        found.append(("WAGNER_ORIGINAL", (r.Tc, r.Pc, r.A, r.B, r.C, r.D), r.Tmin, r.Tc, False,
                      f"McGarry (1983) Wagner coefficients via {CHEMICALS}: "
                      "Psat_data_WagnerMcGarry"))
    if (r := _row(vp.Psat_data_WagnerPoling, cas)) is not None:
        found.append(("WAGNER", (r.Tc, r.Pc, r.A, r.B, r.C, r.D), r.Tmin, r.Tmax, False,
                      f"Poling et al., Properties of Gases and Liquids 5th ed. via {CHEMICALS}: "
                      "Psat_data_WagnerPoling"))
    if (r := _row(vp.Psat_data_AntoineExtended, cas)) is not None:
        found.append(("TRC_ANTOINE_EXTENDED", (r.Tc, r.to, r.A, r.B, r.C, r.n, r.E, r.F),
                      r.Tmin, r.Tmax, False, f"Poling et al., TRC extended Antoine via "
                      f"{CHEMICALS}: Psat_data_AntoineExtended"))
    if (r := _row(vp.Psat_data_AntoinePoling, cas)) is not None:
        found.append(("ANTOINE10", (r.A, r.B, r.C), r.Tmin, r.Tmax, False,
                      f"Poling et al., Antoine via {CHEMICALS}: Psat_data_AntoinePoling"))
    if (r := _row(vp.Psat_data_Perrys2_8, cas)) is not None:
        found.append(("DIPPR101", (r.C1, r.C2, r.C3, r.C4, r.C5), r.Tmin, r.Tmax, False,
                      f"Perry's Handbook 8th ed. table 2-8, DIPPR 101 via {CHEMICALS}: "
                      "Psat_data_Perrys2_8"))
    if (r := _row(vp.Psat_data_VDI_PPDS_3, cas)) is not None:
        found.append(("WAGNER", (r.Tc, r.Pc, r.A, r.B, r.C, r.D), r.Tm, r.Tc, False,
                      f"VDI Heat Atlas PPDS Wagner coefficients via {CHEMICALS}: "
                      "Psat_data_VDI_PPDS_3"))
    if (r := _row(vp.Psat_data_Landolt_Antoine, cas)) is not None:
        found.append(("ANTOINE_E", (r.A, r.B, r.C), r.Tmin, r.Tmax, False,
                      f"Landolt-Börnstein Antoine via {CHEMICALS}: Psat_data_Landolt_Antoine"))
    tb, tc, pc = props.get("Tb"), props.get("Tc"), props.get("Pc")
    if not found and tb and tc and pc and tb < tc:
        found.append(("BOILING_CRITICAL", (tb, tc, pc), 0.6 * tb, tc, True,
                      "corresponding-states estimate through Tb and the critical point above "
                      f"(chemicals.vapor_pressure.boiling_critical_relation, {CHEMICALS})"))
    return _ranked("vapor_pressure", found)


def _ranked(
    name: str, found: Iterable[tuple[str, tuple[float, ...], float, float, bool, str]]
) -> list[CorrelationRow]:
    rows = []
    for equation, coefficients, low, high, estimated, source in found:
        numbers = tuple(float(c) for c in coefficients)
        if not (all(map(math.isfinite, numbers)) and _finite(low) and _finite(high)):
            continue
        if not 0 < low < high:
            continue
        rows.append(CorrelationRow(name, len(rows), equation, numbers, float(low), float(high),
                                   estimated, source))
    return rows


# --------------------------------------------------------------------------------------------
# One compound, then the whole file


def compound_data(meta: identifiers.ChemicalMetadata) -> CompoundData | None:
    """Identity, names, properties and correlations for one chemicals metadata record."""
    compound = compound_row(meta)
    if compound is None:
        return None
    cas = compound.cas
    properties = scalar_properties(cas)
    numbers = {p.property: p.value for p in properties if p.value is not None}
    properties += solid_density(cas, compound.molar_mass)
    properties += exposure_limits(cas)
    properties += carcinogen_classes(cas)
    correlations = density_correlations(cas, numbers) + vapor_pressure_correlations(cas, numbers)
    return CompoundData(
        compound=compound,
        names=names_of(meta),
        properties=tuple(sorted(properties, key=lambda p: p.property)),
        correlations=tuple(correlations),
    )


def all_compounds() -> Iterator[CompoundData]:
    """Every compound with a formula and a molar mass, in CAS order."""
    metadata = metadata_by_cas()
    for cas in identifiers.sorted_CAS_key(list(metadata)):
        data = compound_data(metadata[cas])
        if data is not None:
            yield data


SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE source(id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE compound(
    id INTEGER PRIMARY KEY, cas TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    formula TEXT NOT NULL, charge INTEGER NOT NULL, molar_mass REAL NOT NULL,
    molar_mass_source INTEGER NOT NULL, inchikey TEXT, pubchem_cid INTEGER,
    popularity INTEGER NOT NULL);
CREATE TABLE name(
    key TEXT NOT NULL, compound_id INTEGER NOT NULL, kind INTEGER NOT NULL,
    PRIMARY KEY (key, compound_id)) WITHOUT ROWID;
CREATE TABLE property(
    compound_id INTEGER NOT NULL, property TEXT NOT NULL, value REAL, text TEXT,
    unit TEXT NOT NULL, source INTEGER NOT NULL,
    PRIMARY KEY (compound_id, property)) WITHOUT ROWID;
CREATE TABLE correlation(
    compound_id INTEGER NOT NULL, property TEXT NOT NULL, rank INTEGER NOT NULL,
    equation TEXT NOT NULL, coefficients TEXT NOT NULL, Tmin REAL NOT NULL, Tmax REAL NOT NULL,
    estimated INTEGER NOT NULL, source INTEGER NOT NULL,
    PRIMARY KEY (compound_id, property, rank)) WITHOUT ROWID;
"""
INDEXES = """
CREATE INDEX compound_formula ON compound(formula);
CREATE INDEX compound_inchikey ON compound(inchikey);
"""


def coefficients_json(numbers: Sequence[float]) -> str:
    """JSON text of the coefficients; repr keeps every float exact and the text stable."""
    return "[" + ",".join(repr(n) for n in numbers) + "]"


def write_database(compounds: Sequence[CompoundData], path: Path) -> None:
    """Write the SQLite file at path, reproducibly (see the module docstring)."""
    sources = sorted(
        {d.compound.molar_mass_source for d in compounds}
        | {p.source for d in compounds for p in d.properties}
        | {c.source for d in compounds for c in d.correlations}
    )
    source_id = {text: i for i, text in enumerate(sources, start=1)}
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder) / "scratch.sqlite"
        connection = sqlite3.connect(scratch)
        try:
            connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            connection.executescript(SCHEMA)
            meta = {
                "schema_version": str(SCHEMA_VERSION),
                "chemicals_version": chemicals.__version__,
                "molar_mass": "from the formula with molmass (benchsheet.chemistry.formula), "
                "chemicals' own MW where molmass cannot read the formula",
            }
            connection.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
            connection.executemany("INSERT INTO source VALUES (?, ?)",
                                   [(i, t) for t, i in source_id.items()])
            names, properties, correlations = [], [], []
            for compound_id, data in enumerate(compounds, start=1):
                c = data.compound
                connection.execute(
                    "INSERT INTO compound VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (compound_id, c.cas, c.name, c.formula, c.charge, c.molar_mass,
                     source_id[c.molar_mass_source], c.inchikey, c.pubchem_cid, c.popularity),
                )
                names += [(key, compound_id, kind) for key, kind in data.names]
                properties += [(compound_id, p.property, p.value, p.text, p.unit,
                                source_id[p.source]) for p in data.properties]
                correlations += [(compound_id, r.property, r.rank, r.equation,
                                  coefficients_json(r.coefficients), r.Tmin, r.Tmax,
                                  int(r.estimated), source_id[r.source])
                                 for r in data.correlations]
            connection.executemany("INSERT INTO name VALUES (?,?,?)", sorted(names))
            connection.executemany("INSERT INTO property VALUES (?,?,?,?,?,?)", properties)
            connection.executemany("INSERT INTO correlation VALUES (?,?,?,?,?,?,?,?,?)",
                                   correlations)
            connection.executescript(INDEXES)
            connection.execute("ANALYZE")
            connection.commit()
            path.unlink(missing_ok=True)
            connection.execute("VACUUM INTO ?", (str(path),))
        finally:
            connection.close()


# --------------------------------------------------------------------------------------------
# Coverage and the molar-mass cross-check


def coverage(compounds: Sequence[CompoundData]) -> dict[str, int]:
    """How many compounds have each kind of data."""
    counts: Counter[str] = Counter()
    for data in compounds:
        props = {p.property for p in data.properties}
        kinds = {c.property for c in data.correlations}
        estimated = {c.property for c in data.correlations if c.estimated}
        counts["compounds"] += 1
        for name in ("Tb", "Tm", "T_flash", "T_autoignition", "solid_density", "IARC"):
            counts[name] += name in props
        counts["critical constants (Tc, Pc)"] += {"Tc", "Pc"} <= props
        counts["exposure limits (TWA or STEL)"] += bool({"TWA", "STEL"} & props)
        for kind in ("liquid_density", "vapor_pressure"):
            counts[kind] += kind in kinds
            counts[f"{kind} (estimate only)"] += kind in estimated
    return dict(counts)


def molar_mass_agreement(
    compounds: Sequence[CompoundData], metadata: dict[str, identifiers.ChemicalMetadata]
) -> tuple[int, int, float]:
    """(compared, differing by more than 0.1 %, worst relative difference) vs chemicals' MW."""
    compared = differing = 0
    worst = 0.0
    for data in compounds:
        theirs = metadata[data.compound.cas].MW
        if not _finite(theirs) or theirs <= 0 or "molmass" not in data.compound.molar_mass_source:
            continue
        compared += 1
        difference = abs(data.compound.molar_mass - theirs) / theirs
        differing += difference > 1e-3
        worst = max(worst, difference)
    return compared, differing, worst


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the committed database differs from a fresh build")
    parser.add_argument("-o", "--output", type=Path, default=DATABASE)
    arguments = parser.parse_args(argv)
    compounds = list(all_compounds())
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "compounds.sqlite"
        write_database(compounds, fresh)
        if arguments.check:
            same = arguments.output.exists() and fresh.read_bytes() == arguments.output.read_bytes()
            if not same:
                print(f"{arguments.output} differs from a fresh build with {CHEMICALS}; "
                      "regenerate it with: python tools/build_reagent_db.py", file=sys.stderr)
                return 1
            print(f"{arguments.output.name} is up to date ({CHEMICALS})")
            return 0
        arguments.output.write_bytes(fresh.read_bytes())
    size = arguments.output.stat().st_size
    print(f"wrote {arguments.output} ({size / 1e6:.1f} MB, {CHEMICALS}, "
          f"SQLite {sqlite3.sqlite_version})")
    for name, count in coverage(compounds).items():
        print(f"  {name:36} {count:7}")
    compared, differing, worst = molar_mass_agreement(compounds, metadata_by_cas())
    print(f"  molar mass (molmass) vs chemicals' MW: {compared} compared, {differing} differ by "
          f"more than 0.1 %, worst {worst:.2%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
