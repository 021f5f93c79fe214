"""Build src/benchsheet/reagents/library.json from sources.yaml and the `chemicals` library.

    python tools/build_reagents.py           # rewrite library.json
    python tools/build_reagents.py --check   # exit 1 if the committed file is out of date

Identity, GHS and hand-entered values come from sources.yaml; melting and boiling points,
critical constants, liquid and solid densities, vapour-pressure curves and second virial
coefficients come from `chemicals` (Chemical Engineering Design Library), looked up by CAS.
Run-time code never imports `chemicals`: its data is frozen into library.json here.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import chemicals
from chemicals import dippr, identifiers, vapor_pressure, virial, volume

from benchsheet.chemistry.formula import molar_mass, parse_formula
from benchsheet.reagents.library import (
    PROPERTY_FIELDS,
    RECORD_FIELDS,
    ReagentEntry,
    cas_check_digit_ok,
    read_reagent_file,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))  # beside it, however it is loaded
from chedl_methods import METHOD_NAMES

REAGENTS_DIR = Path(__file__).resolve().parent.parent / "src" / "benchsheet" / "reagents"
SOURCES = REAGENTS_DIR / "sources.yaml"
LIBRARY = REAGENTS_DIR / "library.json"

LAB_TEMPERATURE_K = 298.15  # liquid densities are given at 25 °C, the paper's bench temperature
VAPOR_PRESSURE_POINTS = 12
VAPOR_PRESSURE_SPAN_ABOVE_TB_K = 150.0
SECOND_VIRIAL_TEMPERATURES_K = tuple(200.0 + 50.0 * i for i in range(9))  # 200–600 K
SIGNIFICANT_DIGITS = 6  # enough for any bench calculation, few enough to be stable

CHEMICALS = f"chemicals {chemicals.__version__}"



class BuildError(Exception):
    """sources.yaml and chemicals disagree in a way a person has to decide."""


def sig(value: float) -> float:
    """Round to SIGNIFICANT_DIGITS so the output does not churn on float noise."""
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def described(function: str, method: str) -> str:
    return f"{CHEMICALS}, {function} ({METHOD_NAMES.get(method, method)})"


# --------------------------------------------------------------------------------------------
# One function per property family. Each returns library.json form or None when chemicals has
# nothing suitable.


def melting_point(cas: str) -> dict[str, Any] | None:
    methods = chemicals.Tm_methods(cas)
    if not methods:
        return None
    value = chemicals.Tm(cas, method=methods[0])
    return {"value": sig(value), "source": described("chemicals.phase_change.Tm", methods[0])}


def boiling_point(cas: str) -> dict[str, Any] | None:
    methods = chemicals.Tb_methods(cas)
    if not methods:
        return None
    value = chemicals.Tb(cas, method=methods[0])
    return {"value": sig(value), "source": described("chemicals.phase_change.Tb", methods[0])}


def flash_point(cas: str) -> dict[str, Any] | None:
    methods = chemicals.T_flash_methods(cas)
    if not methods:
        return None
    value = chemicals.T_flash(cas, method=methods[0])
    return {"value": sig(value), "source": described("chemicals.safety.T_flash", methods[0])}


def critical_constants(cas: str) -> dict[str, Any] | None:
    """Tc, Pc and omega, each from chemicals' first-choice method."""
    tc_methods = chemicals.Tc_methods(cas)
    pc_methods = chemicals.Pc_methods(cas)
    omega_methods = chemicals.omega_methods(cas)
    if not (tc_methods and pc_methods and omega_methods):
        return None
    chosen = {"Tc": tc_methods[0], "Pc": pc_methods[0], "omega": omega_methods[0]}
    if len(set(chosen.values())) == 1:
        methods = METHOD_NAMES.get(tc_methods[0], tc_methods[0])
    else:
        methods = "; ".join(f"{k}: {METHOD_NAMES.get(m, m)}" for k, m in chosen.items())
    return {
        "Tc_K": sig(chemicals.Tc(cas, method=tc_methods[0])),
        "Pc_Pa": sig(chemicals.Pc(cas, method=pc_methods[0])),
        "omega": sig(chemicals.omega(cas, method=omega_methods[0])),
        "source": f"{CHEMICALS}, chemicals.critical.Tc/Pc and chemicals.acentric.omega ({methods})",
    }


def liquid_density(cas: str, formula: str) -> dict[str, Any] | None:
    """Saturated-liquid density at 25 °C from a tabulated correlation (no estimates)."""
    volume._load_rho_data()
    temperature = LAB_TEMPERATURE_K
    grams_per_mol = molar_mass(formula)
    molar_volume: Callable[[float], float] | None = None  # T/K -> m³/mol
    span = (0.0, 0.0)
    if cas in volume.rho_data_VDI_PPDS_2.index:
        row = volume.rho_data_VDI_PPDS_2.loc[cas]

        def molar_volume(t: float) -> float:
            return float(volume.volume_VDI_PPDS(t, row.Tc, row.rhoc, row.A, row.B, row.C,
                                                row.D, row.MW))

        span = (0.0, float(row.Tc) - DENSITY_CRITICAL_MARGIN_K)
        source = "chemicals.volume.volume_VDI_PPDS (VDI Heat Atlas PPDS equation)"
    elif cas in volume.rho_data_Perry_8E_105_l.index:
        row = volume.rho_data_Perry_8E_105_l.loc[cas]
        if not row.Tmin <= temperature <= row.Tmax:
            return None

        def molar_volume(t: float) -> float:
            return 1.0 / float(dippr.EQ105(t, row.C1, row.C2, row.C3, row.C4))

        span = (float(row.Tmin), float(row.Tmax))
        source = "chemicals.dippr.EQ105 (Perry's Handbook 8th ed., DIPPR 105 liquid density)"
    elif cas in volume.rho_data_CRC_inorg_l_const.index:
        constant = float(volume.rho_data_CRC_inorg_l_const.loc[cas].Vm)

        def molar_volume(t: float) -> float:
            return constant

        source = "chemicals.volume rho_data_CRC_inorg_l_const (CRC Handbook, inorganic liquids)"
    if molar_volume is None:
        return None

    def rho(t: float) -> float:
        return sig(grams_per_mol / molar_volume(t) / 1e6)

    found: dict[str, Any] = {
        "value": rho(temperature),
        "unit": "g/mL",
        "temperature_K": temperature,
        "source": f"{CHEMICALS}, {source}; molar mass from the formula via molmass",
    }
    # The curve over the liquid range the correlation covers, for densities at a step's
    # temperature: every 10 K from the melting point (or the table's start) to the boiling
    # point + 100 K (a sealed vessel holds a liquid above its normal boiling point).
    melting, boiling = chemicals_melting_boiling(cas)
    low = max(span[0], melting or 0.0, 200.0)
    high = min(span[1] or math.inf, (boiling or temperature) + 100.0, 600.0)
    if span != (0.0, 0.0) and high - low >= 20.0:
        steps = int((high - low) // 10.0)
        found["points"] = [[round(low + 10.0 * i, 2), rho(low + 10.0 * i)]
                           for i in range(steps + 1)]
    return found


# The PPDS liquid-density equation is fitted up to the critical point; its points stop short
# of it, where a density changes too fast for a linear interpolation.
DENSITY_CRITICAL_MARGIN_K = 30.0


def chemicals_melting_boiling(cas: str) -> tuple[float | None, float | None]:
    """chemicals' first-choice melting and boiling points (K), where it has them."""
    tm = chemicals.Tm(cas) if chemicals.Tm_methods(cas) else None
    tb = chemicals.Tb(cas) if chemicals.Tb_methods(cas) else None
    return tm, tb


def with_temperature_dependence(density: dict[str, Any] | None,
                                correlation: dict[str, Any] | None) -> dict[str, Any] | None:
    """A curated density (one value at one temperature) with the correlation's dependence on
    temperature, scaled to pass through the curated value: the curated number stays the
    authority at its temperature, the correlation says how it changes."""
    if density is None or density.get("points") or correlation is None or not correlation.get(
            "points") or density.get("temperature_K") is None:
        return density
    anchor = float(density["temperature_K"])
    curve = correlation["points"]
    temperatures = [t for t, _ in curve]
    if not temperatures[0] <= anchor <= temperatures[-1]:
        return density
    at_anchor = _linear(curve, anchor)
    scale = density["value"] / at_anchor
    return {**density, "points": [[t, sig(rho * scale)] for t, rho in curve],
            "source": f"{density['source']}; temperature dependence from {correlation['source']}"
                      f", scaled to it"}


def _linear(points: Sequence[Sequence[float]], temperature: float) -> float:
    for (t0, v0), (t1, v1) in itertools.pairwise(points):
        if t0 <= temperature <= t1:
            return v0 + (v1 - v0) * (temperature - t0) / (t1 - t0)
    raise ValueError(temperature)


def solid_density(cas: str, formula: str) -> dict[str, Any] | None:
    """Room-temperature solid density from the CRC table that chemicals carries."""
    volume._load_rho_data()
    if cas not in volume.rho_data_CRC_inorg_s_const.index:
        return None
    row = volume.rho_data_CRC_inorg_s_const.loc[cas]
    return {
        "value": sig(molar_mass(formula) / row.Vm / 1e6),
        "unit": "g/mL",
        "temperature_K": None,  # the CRC gives room-temperature densities without a temperature
        "source": f"{CHEMICALS}, chemicals.volume rho_data_CRC_inorg_s_const (CRC Handbook, "
        f"inorganic solids: {row.Chemical}); molar mass from the formula via molmass",
    }


Correlation = tuple[Callable[[float], float], float, float, str]  # Psat(T), Tmin, Tmax, source


def tabulated_psat(cas: str) -> list[Correlation]:
    """Every fitted vapour-pressure correlation chemicals has for this CAS, best first."""
    vapor_pressure.load_vapor_pressure_dfs()
    vp = vapor_pressure
    found: list[Correlation] = []
    if cas in vp.Psat_data_WagnerMcGarry.index:
        r = vp.Psat_data_WagnerMcGarry.loc[cas]
        found.append(
            (
                lambda t, r=r: vp.Wagner_original(t, r.Tc, r.Pc, r.A, r.B, r.C, r.D),
                r.Tmin,
                r.Tc,
                "chemicals.vapor_pressure.Wagner_original (McGarry 1983 coefficients)",
            )
        )
    if cas in vp.Psat_data_WagnerPoling.index:
        r = vp.Psat_data_WagnerPoling.loc[cas]
        found.append(
            (
                lambda t, r=r: vp.Wagner(t, r.Tc, r.Pc, r.A, r.B, r.C, r.D),
                r.Tmin,
                r.Tmax,
                "chemicals.vapor_pressure.Wagner (Poling et al., Properties of "
                "Gases and Liquids, 5th ed.)",
            )
        )
    if cas in vp.Psat_data_AntoinePoling.index:
        r = vp.Psat_data_AntoinePoling.loc[cas]
        found.append(
            (
                lambda t, r=r: vp.Antoine(t, r.A, r.B, r.C, base=10.0),
                r.Tmin,
                r.Tmax,
                "chemicals.vapor_pressure.Antoine (Poling et al., Properties of "
                "Gases and Liquids, 5th ed.)",
            )
        )
    if cas in vp.Psat_data_Perrys2_8.index:
        r = vp.Psat_data_Perrys2_8.loc[cas]
        found.append(
            (
                lambda t, r=r: dippr.EQ101(t, r.C1, r.C2, r.C3, r.C4, r.C5),
                r.Tmin,
                r.Tmax,
                "chemicals.dippr.EQ101 (Perry's Handbook 8th ed., table 2-8)",
            )
        )
    if cas in vp.Psat_data_VDI_PPDS_3.index:
        r = vp.Psat_data_VDI_PPDS_3.loc[cas]
        found.append(
            (
                lambda t, r=r: vp.Wagner(t, r.Tc, r.Pc, r.A, r.B, r.C, r.D),
                r.Tm,
                r.Tc,
                "chemicals.vapor_pressure.Wagner (VDI Heat Atlas PPDS coefficients)",
            )
        )
    if cas in vp.Psat_data_Landolt_Antoine.index:
        r = vp.Psat_data_Landolt_Antoine.loc[cas]
        found.append(
            (
                lambda t, r=r: vp.Antoine(t, r.A, r.B, r.C, base=math.e),
                r.Tmin,
                r.Tmax,
                "chemicals.vapor_pressure.Antoine (Landolt-Börnstein coefficients)",
            )
        )
    return found


def estimated_psat(
    boiling: dict[str, Any] | None, critical: dict[str, Any] | None
) -> Correlation | None:
    """A corresponding-states line through the boiling and critical points, if both are known.

    It honours the normal boiling point exactly, which is what the checks need most.
    """
    if critical is None or boiling is None:
        return None
    tb, tc, pc = boiling["value"], critical["Tc_K"], critical["Pc_Pa"]
    return (
        lambda t: vapor_pressure.boiling_critical_relation(t, tb, tc, pc),
        0.6 * tb,
        tc,
        "chemicals.vapor_pressure.boiling_critical_relation (corresponding-states "
        "estimate through the boiling point and critical point above)",
    )


def vapor_pressure_curve(
    cas: str,
    melting: dict[str, Any] | None,
    boiling: dict[str, Any] | None,
    critical: dict[str, Any] | None,
) -> dict[str, Any] | None:
    """Psat at evenly spaced temperatures over about Tm to min(Tc, Tb + 150 K).

    The fitted correlation covering most of that span wins; a fit covering less than a quarter
    of it (Landolt's 11 K window for dodecanediamine) gives way to the estimate, if there is one.
    """
    wanted_low = melting["value"] if melting else 0.0
    wanted_high = min(
        critical["Tc_K"] if critical else math.inf,
        boiling["value"] + VAPOR_PRESSURE_SPAN_ABOVE_TB_K if boiling else math.inf,
    )

    def span(correlation: Correlation) -> tuple[float, float]:
        return max(correlation[1], wanted_low), min(correlation[2], wanted_high)

    def coverage(correlation: Correlation) -> float:
        low, high = span(correlation)
        return max(high - low, 0.0)

    candidates = sorted(tabulated_psat(cas), key=coverage, reverse=True)  # stable: keeps order
    estimate = estimated_psat(boiling, critical)
    chosen = candidates[0] if candidates else estimate
    if (
        candidates
        and estimate is not None
        and math.isfinite(wanted_high)
        and coverage(candidates[0]) < 0.25 * (wanted_high - max(wanted_low, estimate[1]))
    ):
        chosen = estimate
    if chosen is None:
        return None
    psat, _, _, source = chosen
    low, high = span(chosen)
    if not 0.0 < low < high:
        return None
    step = (high - low) / (VAPOR_PRESSURE_POINTS - 1)
    temperatures = [sig(low + i * step) for i in range(VAPOR_PRESSURE_POINTS)]
    points = [[t, sig(psat(t))] for t in temperatures]
    return {"points": points, "source": f"{CHEMICALS}, {source}"}


def second_virial_table(critical: dict[str, Any] | None) -> dict[str, Any] | None:
    """B(T) from the Tsonopoulos correlation, for Z = 1 + B·P/(R·T) of a gas."""
    if critical is None:
        return None
    tc, pc, omega = critical["Tc_K"], critical["Pc_Pa"], critical["omega"]
    points = [
        [t, sig(virial.BVirial_Tsonopoulos(t, tc, pc, omega))] for t in SECOND_VIRIAL_TEMPERATURES_K
    ]
    return {
        "points": points,
        "source": f"{CHEMICALS}, chemicals.virial.BVirial_Tsonopoulos with the critical "
        "constants above",
    }


# --------------------------------------------------------------------------------------------
# Putting an entry together


def check_identity(entry: ReagentEntry) -> None:
    """The CAS number must be well formed and, where chemicals knows it, match the formula."""
    cas, formula = entry.fields.get("cas"), entry.fields["formula"]
    if not cas or not cas_check_digit_ok(cas):
        raise BuildError(f"{entry.id}: CAS {cas!r} is missing or fails its check digit")
    parsed = parse_formula(formula)
    try:
        metadata = identifiers.search_chemical(cas)
    except ValueError:
        return  # chemicals does not know this CAS (a hydrate, say): nothing to compare with
    theirs = dict(parse_formula(metadata.formula).elements)
    ours = dict(parsed.elements)
    if len(_split_hydrate(formula)) > 1:
        # chemicals writes hydrates loosely (CdCl2·2.5H2O as "CdCl2H2O"): compare the salt only.
        theirs = {symbol: n for symbol, n in theirs.items() if symbol not in ("H", "O")}
        ours = {symbol: n for symbol, n in ours.items() if symbol not in ("H", "O")}
    # `chemicals_formula_wrong: <reason>` in sources.yaml: a person checked that chemicals'
    # own formula for this CAS is wrong (H3NO4Zn for zinc nitrate hexahydrate), so ours stands.
    wrong = entry.extras.get("chemicals_formula_wrong")
    if wrong is not None and not (isinstance(wrong, str) and wrong.strip()):
        raise BuildError(f"{entry.id}: chemicals_formula_wrong must be a sentence saying why")
    if theirs != ours and not wrong:
        raise BuildError(
            f"{entry.id}: formula {formula} does not match chemicals' {metadata.formula} for "
            f"CAS {cas} ({metadata.common_name}); is the CAS number right?"
        )
    if theirs == ours and wrong:
        raise BuildError(
            f"{entry.id}: chemicals_formula_wrong is set, but chemicals' {metadata.formula} "
            "agrees with the formula; delete it"
        )


def _split_hydrate(formula: str) -> list[str]:
    return formula.replace("·", ".").split(".")


def resolve_field(
    entry: ReagentEntry,
    name: str,
    from_chemicals: dict[str, Any] | None,
    overrides: list[dict[str, str]],
) -> dict[str, Any] | None:
    """Choose between chemicals' value, a hand value and an explicit override for one field."""
    overridden = {field: (value, reason) for field, value, reason in entry.overrides}
    if name in overridden:
        if from_chemicals is None:
            raise BuildError(
                f"{entry.id}: overrides {name}, but chemicals has no value for it; "
                "give it as a plain hand-entered value instead"
            )
        value, reason = overridden[name]
        overrides.append({"field": name, "reason": " ".join(reason.split())})
        return value  # type: ignore[no-any-return]
    hand = entry.fields.get(name)
    if hand is not None and from_chemicals is not None:
        raise BuildError(
            f"{entry.id}: {name} is entered by hand but chemicals has it "
            f"({json.dumps(from_chemicals)[:120]}...); delete the hand value or move it to "
            "'overrides:' with a reason"
        )
    return hand if hand is not None else from_chemicals


def build_solution_entry(entry: ReagentEntry) -> dict[str, Any]:
    """A commercial solution: identity and label from sources.yaml; its properties are the
    solute's and solvent's own entries (checked against them in ``check_library``), so none
    is taken from chemicals."""
    fields = entry.fields
    if fields.get("cas"):
        raise BuildError(f"{entry.id}: a solution entry has no CAS number of its own (the "
                         "solute's names the solute); delete 'cas'")
    record: dict[str, Any] = {key: fields.get(key) for key in RECORD_FIELDS}
    record.update({"family": fields.get("family") or entry.id,
                   "synonyms": fields.get("synonyms", []),
                   "abbreviations": fields.get("abbreviations", []),
                   "ambiguous_abbreviations": fields.get("ambiguous_abbreviations", []),
                   "overrides": []})
    return record


def build_entry(entry: ReagentEntry) -> dict[str, Any]:
    """One library.json object: identity from sources.yaml, properties from chemicals."""
    if entry.fields.get("solution"):
        return build_solution_entry(entry)
    check_identity(entry)
    fields = entry.fields
    cas, formula, phase = fields["cas"], fields["formula"], fields["phase_25C"]
    fluid = phase in ("liquid", "gas") or bool(entry.extras.get("fluid_properties"))
    overrides: list[dict[str, str]] = []

    def resolve(name: str, from_chemicals: dict[str, Any] | None) -> dict[str, Any] | None:
        return resolve_field(entry, name, from_chemicals, overrides)

    melting = resolve("melting_point_K", melting_point(cas))
    boiling = resolve("boiling_point_K", boiling_point(cas))
    flash = resolve("flash_point_K", flash_point(cas))
    if phase == "solid":
        density = resolve("density", solid_density(cas, formula))
        if entry.extras.get("fluid_properties"):  # used molten: its melt's dependence on T
            density = with_temperature_dependence(density, liquid_density(cas, formula))
    elif phase == "liquid":
        correlation = liquid_density(cas, formula)
        density = with_temperature_dependence(resolve("density", correlation), correlation)
    else:
        density = resolve("density", None)  # a gas's density comes from its equation of state
    critical = resolve("critical", critical_constants(cas) if fluid else None)
    curve = vapor_pressure_curve(cas, melting, boiling, critical) if fluid else None
    vapor = resolve("vapor_pressure", curve)
    second_virial = resolve(
        "second_virial", second_virial_table(critical) if phase == "gas" else None
    )
    record = {key: fields.get(key) for key in RECORD_FIELDS}
    record.update(
        {
            "family": fields.get("family") or entry.id,
            "synonyms": fields.get("synonyms", []),
            "abbreviations": fields.get("abbreviations", []),
            "ambiguous_abbreviations": fields.get("ambiguous_abbreviations", []),
            "melting_point_K": melting,
            "boiling_point_K": boiling,
            "flash_point_K": flash,
            "density": density,
            "critical": critical,
            "vapor_pressure": vapor,
            "second_virial": second_virial,
            "ghs": fields.get("ghs"),
            "overrides": sorted(overrides, key=lambda o: o["field"]),
        }
    )
    unused = {name for name, _, _ in entry.overrides} - {o["field"] for o in overrides}
    if unused:
        raise BuildError(f"{entry.id}: overrides of {sorted(unused)} were never applied")
    if set(record) != {*RECORD_FIELDS, "overrides"} or not set(PROPERTY_FIELDS) <= set(record):
        raise BuildError(f"{entry.id}: internal error, record keys {sorted(record)}")
    return record


def check_library(records: Sequence[dict[str, Any]]) -> None:
    """Whole-library rules: unique CAS numbers, and curves that agree with the boiling point."""
    seen: dict[str, str] = {}
    by_id = {record["id"]: record for record in records}
    for record in records:
        if record["solution"]:
            check_solution(record, by_id)
            continue
        cas = record["cas"]
        if cas in seen:
            raise BuildError(f"CAS {cas} is used by both {seen[cas]} and {record['id']}")
        seen[cas] = record["id"]
        vapor, boiling = record["vapor_pressure"], record["boiling_point_K"]
        if vapor and boiling:
            temperatures = [t for t, _ in vapor["points"]]
            if temperatures[0] <= boiling["value"] <= temperatures[-1]:
                pressure = _log_interpolate(vapor["points"], boiling["value"])
                if not 0.85 < pressure / 101325.0 < 1.15:
                    raise BuildError(
                        f"{record['id']}: the vapour-pressure curve gives {pressure:.0f} Pa at "
                        f"the boiling point {boiling['value']} K; one of the two is wrong"
                    )


def check_solution(record: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> None:
    """A solution's solute and solvent are library entries, its formula is the solute's, and
    the strength on its label is one the solvent can hold: not above the neat solute's
    molarity (nor a mass fraction above 1, which the unit parser already refuses)."""
    solution = record["solution"]
    for part in ("solute", "solvent"):
        if solution[part] not in by_id:
            raise BuildError(f"{record['id']}: its {part} {solution[part]!r} is not a library "
                             "entry")
    solute = by_id[solution["solute"]]
    if parse_formula(solute["formula"]).elements != parse_formula(record["formula"]).elements:
        raise BuildError(f"{record['id']}: formula {record['formula']} is not its solute's "
                         f"({solute['formula']})")
    if record["phase_25C"] != "liquid":
        raise BuildError(f"{record['id']}: a solution is a liquid at 25 °C")


def _log_interpolate(points: Sequence[Sequence[float]], temperature: float) -> float:
    for (t0, p0), (t1, p1) in itertools.pairwise(points):
        if t0 <= temperature <= t1:
            fraction = (1 / temperature - 1 / t0) / (1 / t1 - 1 / t0)
            return math.exp(math.log(p0) + fraction * (math.log(p1) - math.log(p0)))
    raise ValueError(temperature)


def build(sources: Path = SOURCES) -> str:
    """The library.json text for the current sources.yaml and chemicals."""
    entries = read_reagent_file(
        sources, extra_keys=frozenset({"fluid_properties", "chemicals_formula_wrong"})
    )
    records = sorted((build_entry(entry) for entry in entries), key=lambda r: r["id"])
    check_library(records)
    return json.dumps(records, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder, so readers never see half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if library.json differs from a fresh build"
    )
    arguments = parser.parse_args(argv)
    try:
        text = build()
    except BuildError as error:
        print(f"build_reagents: {error}", file=sys.stderr)
        return 2
    if arguments.check:
        current = LIBRARY.read_text(encoding="utf-8") if LIBRARY.exists() else ""
        if current != text:
            print(
                f"{LIBRARY} is out of date with sources.yaml or {CHEMICALS}; "
                "regenerate it with: python tools/build_reagents.py",
                file=sys.stderr,
            )
            return 1
        print(f"{LIBRARY.name} is up to date ({CHEMICALS})")
        return 0
    write_atomically(LIBRARY, text)
    print(f"wrote {LIBRARY} ({len(json.loads(text))} reagents)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
