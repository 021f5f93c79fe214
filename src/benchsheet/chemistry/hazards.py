"""Hazard classes and the controls a bench sheet must print, derived from GHS H-codes.

This is the one place where H-codes are read for meaning. Checks flag what a protocol needs;
the bench-sheet renderer prints ``hazard_statements`` and ``controls_for`` of the same
reagents, so the sheet and the validator always agree.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from benchsheet.chemistry.amounts import AmountsTable, MaterialAmount
from benchsheet.chemistry.gas_release import GAS_NAMES, is_water, water_gas_of
from benchsheet.chemistry.phases import handled_as_liquid, is_gas, is_solute, substance_key
from benchsheet.chemistry.resolve import ResolvedReagent
from benchsheet.chemistry.vessels import AMBIENT_K, VesselState
from benchsheet.memo import ByIdentity
from benchsheet.model.equipment import Vessel

__all__ = [
    "ELEMENT_GROUPS",
    "HAZARD_STATEMENTS",
    "Control",
    "ElementGroup",
    "HazardFlag",
    "HazardKind",
    "HeatedFlammable",
    "StatementUse",
    "UsedReagent",
    "base_code",
    "controls_for",
    "element_group_hazards",
    "flammables_heated_open",
    "flash_point_below_K",
    "gas_evolved_with_water",
    "hazard_flags",
    "hazard_statements",
    "is_protic",
    "shared_used_reagents",
    "statement_text",
    "used_reagents",
]

# Hazard statements, UN GHS Rev. 9 (2021) Annex 3, section 1; EUH statements from EU CLP,
# Regulation (EC) No 1272/2008, Annex II. Suffixed H360/H361 variants are the CLP texts.
HAZARD_STATEMENTS: dict[str, str] = {
    "H200": "Unstable explosive",
    "H201": "Explosive; mass explosion hazard",
    "H202": "Explosive; severe projection hazard",
    "H203": "Explosive; fire, blast or projection hazard",
    "H204": "Fire or projection hazard",
    "H205": "May mass explode in fire",
    "H220": "Extremely flammable gas",
    "H221": "Flammable gas",
    "H222": "Extremely flammable aerosol",
    "H223": "Flammable aerosol",
    "H224": "Extremely flammable liquid and vapour",
    "H225": "Highly flammable liquid and vapour",
    "H226": "Flammable liquid and vapour",
    "H227": "Combustible liquid",
    "H228": "Flammable solid",
    "H229": "Pressurized container: may burst if heated",
    "H230": "May react explosively even in the absence of air",
    "H231": "May react explosively even in the absence of air at elevated pressure and/or "
            "temperature",
    "H240": "Heating may cause an explosion",
    "H241": "Heating may cause a fire or explosion",
    "H242": "Heating may cause a fire",
    "H250": "Catches fire spontaneously if exposed to air",
    "H251": "Self-heating; may catch fire",
    "H252": "Self-heating in large quantities; may catch fire",
    "H260": "In contact with water releases flammable gases which may ignite spontaneously",
    "H261": "In contact with water releases flammable gas",
    "H270": "May cause or intensify fire; oxidizer",
    "H271": "May cause fire or explosion; strong oxidizer",
    "H272": "May intensify fire; oxidizer",
    "H280": "Contains gas under pressure; may explode if heated",
    "H281": "Contains refrigerated gas; may cause cryogenic burns or injury",
    "H290": "May be corrosive to metals",
    "H300": "Fatal if swallowed",
    "H301": "Toxic if swallowed",
    "H302": "Harmful if swallowed",
    "H304": "May be fatal if swallowed and enters airways",
    "H310": "Fatal in contact with skin",
    "H311": "Toxic in contact with skin",
    "H312": "Harmful in contact with skin",
    "H314": "Causes severe skin burns and eye damage",
    "H315": "Causes skin irritation",
    "H317": "May cause an allergic skin reaction",
    "H318": "Causes serious eye damage",
    "H319": "Causes serious eye irritation",
    "H330": "Fatal if inhaled",
    "H331": "Toxic if inhaled",
    "H332": "Harmful if inhaled",
    "H334": "May cause allergy or asthma symptoms or breathing difficulties if inhaled",
    "H335": "May cause respiratory irritation",
    "H336": "May cause drowsiness or dizziness",
    "H340": "May cause genetic defects",
    "H341": "Suspected of causing genetic defects",
    "H350": "May cause cancer",
    "H350i": "May cause cancer by inhalation",
    "H351": "Suspected of causing cancer",
    "H360": "May damage fertility or the unborn child",
    "H360F": "May damage fertility",
    "H360D": "May damage the unborn child",
    "H360FD": "May damage fertility. May damage the unborn child",
    "H360Fd": "May damage fertility. Suspected of damaging the unborn child",
    "H360Df": "May damage the unborn child. Suspected of damaging fertility",
    "H361": "Suspected of damaging fertility or the unborn child",
    "H361f": "Suspected of damaging fertility",
    "H361d": "Suspected of damaging the unborn child",
    "H361fd": "Suspected of damaging fertility. Suspected of damaging the unborn child",
    "H362": "May cause harm to breast-fed children",
    "H370": "Causes damage to organs",
    "H371": "May cause damage to organs",
    "H372": "Causes damage to organs through prolonged or repeated exposure",
    "H373": "May cause damage to organs through prolonged or repeated exposure",
    "H400": "Very toxic to aquatic life",
    "H410": "Very toxic to aquatic life with long lasting effects",
    "H411": "Toxic to aquatic life with long lasting effects",
    "H412": "Harmful to aquatic life with long lasting effects",
    "H413": "May cause long lasting harmful effects to aquatic life",
    "H420": "Harms public health and the environment by destroying ozone in the upper "
            "atmosphere",
    "EUH014": "Reacts violently with water",
    "EUH029": "Contact with water liberates toxic gas",
    "EUH031": "Contact with acids liberates toxic gas",
    "EUH032": "Contact with acids liberates very toxic gas",
    "EUH066": "Repeated exposure may cause skin dryness or cracking",
    "EUH070": "Toxic by eye contact",
    "EUH071": "Corrosive to the respiratory tract",
}

Phase = Literal["solid", "liquid", "gas"]
HazardKind = Literal["toxic-gas", "inhalation-toxic", "cmr", "pyrophoric", "water-reactive",
                     "flammable-gas", "flammable-liquid", "corrosive", "oxidizer",
                     "vapour-in-hood"]

# GHS flammable liquids (Rev. 9, Table 2.6.1): categories 1 and 2 (H224, H225) have a flash
# point below 23 °C, category 3 (H226) at most 60 °C. Without a measured flash point these are
# the bounds the classification itself guarantees.
FLASH_POINT_BELOW_K = {"H224": 296.15, "H225": 296.15, "H226": 333.15}

_TOXIC_BY_INHALATION = ("H330", "H331")
# A gas with these is toxic to breathe: a step that gives it off is done in a fume hood.
TOXIC_GAS_CODES = frozenset(_TOXIC_BY_INHALATION)
# Category 1 (known or presumed) germ-cell mutagens, carcinogens and reproductive toxicants:
# the substances a laboratory handles in a designated area. Category 2 ("suspected": H341,
# H351, H361) stays in the statements the sheet prints.
_CMR = ("H340", "H350", "H360")
_PYROPHORIC = ("H250",)
_WATER_REACTIVE = ("H260", "H261")
_FLAMMABLE_GAS = ("H220", "H221")
_FLAMMABLE_LIQUID = ("H224", "H225", "H226")
# Skin corrosion 1 and serious eye damage 1: eye and face protection (GHS P280, P305+P351).
_CORROSIVE = ("H314", "H318")
# Oxidizing gases, liquids and solids (H270–H272): kept away from what they would burn.
_OXIDIZER = ("H270", "H271", "H272")
# Elements whose compounds are carcinogens or reproductive toxicants as a group, whatever the
# label of one compound says: a powder of any of them is handled as a category-1 CMR (gloves,
# designated area, ventilated weighing, separate waste). A supplier's label of a new material
# (a cluster, a nanocrystal) often lists only acute toxicity; the group classification still
# holds. Elements as such are included only where the group names the metal too.
@dataclass(frozen=True)
class ElementGroup:
    """A CMR classification that covers every compound of one element."""

    element: str
    name: str
    member: str  # "a cadmium compound": what the sheet says a substance is read as
    h_code: str
    source: str
    metal_too: bool = False  # does the classification cover the element itself?
    inorganic_only: bool = False


ELEMENT_GROUPS: dict[str, ElementGroup] = {g.element: g for g in (
    ElementGroup("Cd", "cadmium and cadmium compounds", "a cadmium compound", "H350",
                 "IARC group 1, cadmium and cadmium compounds (IARC Monographs 100C, 2012)",
                 metal_too=True),
    ElementGroup("Be", "beryllium and beryllium compounds", "a beryllium compound", "H350i",
                 "IARC group 1, beryllium and beryllium compounds (IARC Monographs 100C, 2012)",
                 metal_too=True),
    ElementGroup("Ni", "nickel compounds", "a nickel compound", "H350i",
                 "IARC group 1, nickel compounds (IARC Monographs 100C, 2012); nickel metal is "
                 "group 2B and not included"),
    ElementGroup("As", "inorganic arsenic compounds", "an inorganic arsenic compound", "H350",
                 "IARC group 1, arsenic and inorganic arsenic compounds (IARC Monographs 100C, "
                 "2012)", metal_too=True, inorganic_only=True),
    ElementGroup("Pb", "lead compounds", "a lead compound", "H360Df",
                 "CLP Annex VI group entry 082-001-00-6, lead compounds (Repr. 1A H360Df)"),
)}


# Open handling at the bench (pouring, weighing, a rotary evaporator's receiver) is screened
# as reaching a thousandth of the saturated vapour's concentration in the breathing zone. A
# substance whose saturated vapour is more than a thousand times its exposure limit can then
# exceed the limit, so it is handled in the fume hood: carbon disulfide (1 ppm TWA, 47 % of an
# atmosphere of vapour) is; ethylene glycol (its vapour about 100 ppm at 25 °C) is not.
SCREENING_DILUTION = 1e-3
_ATMOSPHERE_PA = 101325.0


def exposure_in_hood(reagent: ResolvedReagent, phase: str | None) -> str | None:
    """Why a reagent's exposure limit puts its handling in the fume hood, or None: the limit
    and how far its saturated vapour at 25 °C exceeds it. Only volatile handling counts (a
    liquid or a gas); a reagent without a limit or a vapour pressure is not judged."""
    record = reagent.record
    limit = record.exposure_limit if record is not None else None
    if limit is None or record is None or phase not in ("liquid", "gas"):
        return None
    if phase == "gas":
        saturated = 1e6
    else:
        pressure = record.vapor_pressure_Pa(AMBIENT_K)
        if pressure is None:
            return None
        saturated = min(pressure / _ATMOSPHERE_PA, 1.0) * 1e6
    if saturated * SCREENING_DILUTION <= limit.ppm:
        return None
    return (f"exposure limit {limit.source}; its vapour at 25 °C is {saturated:,.0f} ppm, "
            f"{saturated / limit.ppm:,.0f}× the limit")


def element_group_hazards(reagent: ResolvedReagent) -> tuple[ElementGroup, ...]:
    """The CMR element groups a substance belongs to by its formula (CdSe: cadmium compounds),
    those its own label does not already classify as category-1 CMR."""
    if reagent.formula is None or _codes(reagent, _CMR):
        return ()
    elements = reagent.formula.elements
    element_only = len(elements) == 1
    return tuple(g for symbol, g in ELEMENT_GROUPS.items() if elements.get(symbol, 0.0) > 0
                 and (g.metal_too or not element_only)
                 and not (g.inorganic_only and "C" in elements))


# Narcotic or irritant vapours and suspected carcinogens (category 2): not enough for a
# designated area, but a liquid or powder of them is handled in the fume hood (P261, P271).
_IN_HOOD = ("H335", "H336", "H351")


@dataclass(frozen=True)
class Control:
    """One precaution a bench sheet prints; ``key`` is stable and deduplicates."""

    key: str
    text: str


@dataclass(frozen=True)
class HazardFlag:
    """One hazard class of one reagent, the H-codes that put it there, and its controls."""

    kind: HazardKind
    title: str
    reagent: str  # the reagent's name
    h_codes: tuple[str, ...]
    controls: tuple[Control, ...]


@dataclass(frozen=True)
class UsedReagent:
    """One substance as a protocol uses it: the materials that use it and the phase they are
    handled in (a gas supply is a gas, a low-melting solid measured by volume a liquid)."""

    reagent: ResolvedReagent
    material_ids: tuple[str, ...]
    phase: Phase | None
    # Only ever used dissolved (the HCl of 3 M hydrochloric acid, the NH3 of ammonia water):
    # a gas so used is no gas under pressure and does not burn as one (``label``).
    dissolved: bool = False
    # Only ever used dissolved in water: a gas so used is not toxic to breathe as the gas is
    # either (``IN_WATER_GAS_CODES``).
    in_water: bool = False

    @property
    def label(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The H-codes and pictograms of the reagent's label as it is handled (``label_of``)."""
        return label_of(self.reagent, self.dissolved, self.in_water)


def label_of(reagent: ResolvedReagent, dissolved: bool, in_water: bool = False
             ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The H-codes and pictograms of ``reagent``'s label that apply as it is handled: all of
    them, but for a gas only used dissolved (``dissolved``), whose statements of the gas
    itself (``GAS_ONLY_CODES``: under pressure, flammable, unstable or oxidising as a gas)
    and the pictograms only they carried are left out; dissolved in water (``in_water``),
    its toxicity by inhalation as a gas too (``IN_WATER_GAS_CODES``)."""
    ghs = reagent.ghs
    if ghs is None:
        return (), ()
    if not (dissolved and reagent.phase_25C == "gas"):
        return tuple(ghs.h_codes), tuple(ghs.pictograms)
    return _label_dissolved(tuple(ghs.h_codes), tuple(ghs.pictograms), in_water)


# Statements of a substance as a gas (CLP Annex I 2.2, 2.4, 2.5: flammable, chemically
# unstable and oxidising gases, gases under pressure): they do not apply to it dissolved.
GAS_ONLY_CODES = frozenset({"H220", "H221", "H230", "H231", "H232", "H270", "H280", "H281"})
# A gas's acute toxicity by inhalation (categories 3 and 4, ppm of the gas in air) does not
# pass to its solution in water, which holds it back: the harmonised labels of hydrochloric
# acid (CLP Annex VI 017-002-01-X) and of ammonia solution (007-001-01-2) carry neither
# H331 nor H332, where hydrogen chloride and ammonia carry H331; the concentrated solutions
# carry H335 instead, on the library's own entries for them. A fatal one (H330: hydrogen
# cyanide, hydrogen sulfide, phosgene) stays: their solutions give off enough to kill.
IN_WATER_GAS_CODES = frozenset({"H331", "H332"})
# The pictograms a statement left out may have brought, with every H-code that carries each
# (CLP Annex I): one is left out when no code left on the label carries it.
_PICTOGRAM_CODES = {
    "GHS02": frozenset({"H220", "H221", "H222", "H223", "H224", "H225", "H226", "H228",
                        "H229", "H230", "H231", "H232", "H240", "H241", "H242", "H250",
                        "H251", "H252", "H260", "H261"}),
    "GHS03": frozenset({"H270", "H271", "H272"}),
    "GHS04": frozenset({"H280", "H281"}),
    "GHS06": frozenset({"H300", "H301", "H310", "H311", "H330", "H331"}),
}


@functools.lru_cache(maxsize=256)
def _label_dissolved(codes: tuple[str, ...], pictograms: tuple[str, ...], in_water: bool
                     ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    dropped = GAS_ONLY_CODES | IN_WATER_GAS_CODES if in_water else GAS_ONLY_CODES
    kept = tuple(c for c in codes if base_code(c) not in dropped)
    families = {base_code(c) for c in kept}
    shown = tuple(p for p in pictograms
                  if p not in _PICTOGRAM_CODES or not families.isdisjoint(_PICTOGRAM_CODES[p]))
    return kept, shown


@dataclass(frozen=True)
class StatementUse:
    """One H-statement of a protocol and the reagents that carry it."""

    code: str
    text: str | None  # None for a code this table does not know
    reagents: tuple[str, ...]


FUME_HOOD = Control("fume-hood", "Work in a fume hood")
NO_IGNITION = Control("no-ignition", "No ignition sources nearby (flames, hot plates, "
                      "sparking motors)")
LEAK_TEST = Control("leak-test", "Leak-test the gas lines and fittings before opening the "
                    "cylinder; close it when not in use")
GLOVES_CMR = Control("gloves-cmr", "Nitrile gloves, double-gloved, changed at once if "
                     "contaminated")
DESIGNATED_AREA = Control("designated-area", "Handle only in a designated, labelled area "
                          "(hood or bench) for carcinogens, mutagens and reproductive "
                          "toxicants; decontaminate it after use")
WEIGH_ENCLOSED = Control("weigh-enclosed", "Weigh powders in the fume hood or a ventilated "
                         "balance enclosure")
SEPARATE_WASTE = Control("separate-waste", "Collect waste and contaminated consumables "
                         "separately, labelled with the substance")
INERT_TRANSFER = Control("inert-transfer", "Transfer only under inert gas (glovebox, or "
                         "Schlenk line with gas-tight syringe or cannula)")
FLAME_RESISTANT = Control("flame-resistant", "Flame-resistant lab coat; never work alone")
DRY_EXTINGUISHER = Control("dry-extinguisher", "Dry sand or a dry-powder extinguisher within "
                           "reach; no water")
KEEP_DRY = Control("keep-dry", "Keep away from water and moisture until the step that is "
                   "meant to quench it")
EYE_FACE = Control("eye-face", "Splash goggles, and a face shield when pouring or under "
                   "pressure; chemical-resistant gloves; an eyewash within reach")
OXIDIZER_APART = Control("oxidizer-apart", "Keep away from combustible material, solvents "
                         "and reducing agents except as a step adds them; no paper towels "
                         "on spills")
HEAT_SAFELY = Control("heat-flammable", "Heat flammable liquids with a mantle or bath under a "
                      "condenser in a fume hood, never over a flame")


@functools.lru_cache(maxsize=4096)
def base_code(code: str) -> str:
    """The statement family: 'H360FD' → 'H360', 'H350i' → 'H350', 'EUH066' unchanged.
    Kept per code: every hazard class of every reagent asks it, for every rule and sheet."""
    match = _H_FAMILY.match(code)
    return match.group(1) if match else code


_H_FAMILY = re.compile(r"^(H\d{3})")


def statement_text(code: str) -> str | None:
    """The hazard statement of an H-code, or None if the table does not know it."""
    return HAZARD_STATEMENTS.get(code) or (
        HAZARD_STATEMENTS.get(base_code(code)) if code != base_code(code) else None)


def _codes(reagent: ResolvedReagent, families: tuple[str, ...]) -> tuple[str, ...]:
    """The reagent's H-codes (in its label's order) whose family (``base_code``) is one of
    ``families``."""
    ghs = reagent.ghs
    if ghs is None or not ghs.h_codes:
        return ()
    bases, pairs = _families_of(ghs.h_codes)
    if bases.isdisjoint(families):  # most labels have no code of most families
        return ()
    return tuple(code for code, base in pairs if base in families)


@functools.lru_cache(maxsize=1024)
def _families_of(codes: tuple[str, ...]) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    """The families of a label's codes, and each code with its family, by the codes' value:
    a reagent's classes are read by a dozen families each (``_hazard_flags``)."""
    pairs = tuple((code, base_code(code)) for code in codes)
    return frozenset(base for _, base in pairs), pairs


def flash_point_below_K(h_codes: Iterable[str]) -> float | None:
    """The flash point a flammable-liquid classification guarantees it is below, or None."""
    bounds = [FLASH_POINT_BELOW_K[c] for c in h_codes if c in FLASH_POINT_BELOW_K]
    return min(bounds) if bounds else None


_FLAMMABLE_LIQUID_CODES = frozenset(_FLAMMABLE_LIQUID)


@dataclass(frozen=True)
class HeatedFlammable:
    """A flammable liquid (or the melt of a solid) heated above its flash point in an open
    vessel: its vapour can ignite, so it is heated with a mantle or bath under a condenser,
    never over a flame. The flash point is the measured one where the data have it, else the
    bound its GHS flammable-liquid category guarantees."""

    material_id: str
    reagent: str  # the reagent's name
    h_codes: tuple[str, ...]  # its flammable-liquid codes (none for a measured flash point only)
    flash_point_below_K: float  # the measured flash point, or the category's bound
    state: VesselState  # the first (hottest reported) step where it happens
    measured: bool = False  # the flash point is measured, not a category's bound


def flammables_heated_open(amounts: AmountsTable,
                           vessels: Mapping[str, Vessel]) -> list[HeatedFlammable]:
    """Each flammable substance heated past its flash point in an open vessel, once, at the
    first step where it happens; ``vessels`` are the protocol's. A solid counts once it is
    molten (above its melting point): a diamine held at 120 °C. The check HZ110 and the
    sheet's controls both read this one answer."""
    found: list[HeatedFlammable] = []
    reported: set[str] = set()
    # Material id -> what decides whether it is heated past its flash point (None: never, a
    # gas or no flash point), worked out once per material, not once per heated step.
    facts: dict[str, _Flammable | None] = {}
    for state in amounts.timeline:
        if state.sealed or state.temperature_K <= AMBIENT_K + 0.5 \
                or vessels.get(state.vessel) is None:
            continue
        t_k = state.temperature_K
        for mid in state.materials:
            fact = facts[mid] if mid in facts else facts.setdefault(
                mid, _flammable_of(amounts.entry(mid)))
            if fact is None or fact.key in reported or t_k <= fact.bound or (
                    fact.melting is not None and t_k <= fact.melting):
                continue
            reported.add(fact.key)
            found.append(HeatedFlammable(mid, fact.name, fact.codes, fact.bound, state,
                                         fact.measured))
    return found


@dataclass(frozen=True)
class _Flammable:
    """One material's flash point, as ``flammables_heated_open`` compares it."""

    key: str  # its substance (``substance_key``)
    name: str
    codes: tuple[str, ...]
    bound: float  # the measured flash point, or the category's bound
    melting: float | None
    measured: bool


# A material's ``_Flammable``, by the identity of its amounts entry, which is all it reads:
# the variants of a file (and the files of a run) share the entries of the materials they do
# not change.
_FLAMMABLE: ByIdentity[_Flammable | None] = ByIdentity(most=2048)


def _flammable_of(entry: MaterialAmount | None) -> _Flammable | None:
    """What decides whether the material of ``entry`` is heated past its flash point (None:
    never, a gas or no flash point), worked out once per entry."""
    if entry is None:
        return None
    return _FLAMMABLE.get(entry, functools.partial(_flammable, entry))


def _flammable(entry: MaterialAmount) -> _Flammable | None:
    if is_gas(entry):
        return None
    ghs = entry.reagent.ghs
    codes = tuple(c for c in (ghs.h_codes if ghs is not None else ())
                  if c in _FLAMMABLE_LIQUID_CODES)
    measured = entry.reagent.flash_point_K
    bound = measured if measured is not None else flash_point_below_K(codes)
    if bound is None:
        return None
    return _Flammable(substance_key(entry), entry.reagent.name, codes, bound,
                      entry.reagent.melting_point_K, measured is not None)


def gas_evolved_with_water(reagent: ResolvedReagent) -> str:
    """The gas a water-reactive reagent gives off with water, read from its formula."""
    elements = set(reagent.formula.elements) if reagent.formula is not None else set()
    if "P" in elements and "H" not in elements and "O" not in elements:
        return "phosphine (toxic, may ignite in air)"
    if "C" in elements and "H" not in elements and "O" not in elements:
        return "acetylene" if "Ca" in elements else "a hydrocarbon gas (methane, acetylene)"
    if "H" in elements or elements <= {"Li", "Na", "K", "Rb", "Cs", "Ca", "Sr", "Ba", "Mg"}:
        # An organometallic gives its alkane (n-butyllithium: butane), a hydride hydrogen.
        gas, _ = water_gas_of(reagent.formula.elements if reagent.formula else {})
        return GAS_NAMES.get(gas, gas)
    return "a flammable gas"


def is_protic(reagent: ResolvedReagent) -> bool:
    """Water, a hydrate, a lower alcohol or an acid: what sets a water-reactive reagent off.

    Read from the formula and name: H and O only (water, heavy water), a hydrate, C/H/O with
    a name ending in '-ol' (methanol, ethanol, propan-2-ol), or a name with 'acid'.
    """
    name = reagent.name.lower()
    if reagent.formula is None:
        return "acid" in name or name in ("water", "methanol", "ethanol")
    elements = set(reagent.formula.elements)
    text = reagent.formula.text.replace(" ", "")
    if elements <= {"H", "O", "D"} and "O" in elements:
        return True
    if re.search(r"[·.•*]\d*H2O$", text) or "hydrate" in name:
        return True
    if elements <= {"C", "H", "O"} and re.search(r"ol\b", name):
        return True
    return "acid" in name


def used_reagents(amounts: AmountsTable) -> list[UsedReagent]:
    """The protocol's substances, each once (two portions of ethanol are one reagent), in the
    order of the materials; names the library cannot pin down are left to the identity
    checks. Worked out once per table: several rules and the sheet read it."""
    return list(shared_used_reagents(amounts))


def shared_used_reagents(amounts: AmountsTable) -> tuple[UsedReagent, ...]:
    """``used_reagents`` as one tuple, the same object for every table whose materials give
    the same facts (``UsedFacts``): the variants of a file that change an amount, not what
    is used, share it, so what is worked out from it (hazard classes by kind, the statements'
    text) can be kept by its identity. Worked out once per table."""
    return amounts.derived("used reagents", lambda: _shared_used_reagents(amounts))


# All that ``_used_reagents`` reads of one material (or solution part), None when it is
# skipped: its id, its substance (``substance_key``), the id of its resolved reagent (whose
# name, phase and hazards are read; a resolved reagent is not changed once made), whether it
# is a gas (``is_gas``), whether it is handled as a liquid (``handled_as_liquid`` or
# ``is_solute``), whether it is a solute (``is_solute``) and whether it is the solute of a
# solution in water. A plain tuple, hashed and compared without Python code.
UsedFacts = tuple[str, str, int, bool, bool, bool, bool] | None

# One material's facts, by the identity of its amounts entry, its id and whether its
# solution is in water (the variants of a
# file, and the files of a run, share the entries of the materials they do not change): (the
# entry, held so its id is not reused while kept; its facts). The entry holds the reagent
# whose id the facts give. A plain dict looked up in a loop, not a call per material: a
# protocol may have thousands. Emptied when full.
_FACTS: dict[tuple[int, str, bool], tuple[MaterialAmount, UsedFacts]] = {}
_FACTS_MOST = 2048
# The facts of a table's materials in order -> the reagents whose ids they give (held, so
# those ids stay theirs while the key is kept) and the used reagents the facts give: the same
# tuple for every table with those facts. Emptied when full.
_USED: dict[tuple[UsedFacts, ...], tuple[list[ResolvedReagent], tuple[UsedReagent, ...]]] = {}
_USED_MOST = 512


def _shared_used_reagents(amounts: AmountsTable) -> tuple[UsedReagent, ...]:
    materials = amounts.materials
    items = [*materials.items(), *amounts.parts.items()]
    facts = tuple(_table_facts(items, materials))
    hit = _USED.get(facts)
    if hit is not None:  # equal ids of reagents alive in both: the same reagents
        return hit[1]
    used = tuple(_used_reagents(items, materials, facts))
    if len(_USED) >= _USED_MOST:
        _USED.clear()
    _USED[facts] = ([materials.get(mid, entry).reagent for mid, entry in items], used)
    return used


def _table_facts(items: list[tuple[str, MaterialAmount]],
                 materials: Mapping[str, MaterialAmount]) -> list[UsedFacts]:
    """The facts of each item (a material or a solution part) of a table, in order; a
    material's are kept by its entry (``_FACTS``)."""
    facts: list[UsedFacts] = []
    # The solutions whose solvent part is water.
    in_water = {entry.part_of for _, entry in items
                if entry.part_of is not None and is_water(entry)}
    for mid, entry in items:
        grouped = materials.get(mid, entry)
        if grouped is not entry:
            # A part grouped as the material of its id, if there were one (``_used_reagents``).
            facts.append(_facts(mid, entry, grouped, mid in in_water))
            continue
        slot = (id(entry), mid, mid in in_water)
        hit = _FACTS.get(slot)
        if hit is None or hit[0] is not entry:
            if len(_FACTS) >= _FACTS_MOST:
                _FACTS.clear()
            hit = _FACTS[slot] = (entry, _facts(mid, entry, entry, slot[2]))
        facts.append(hit[1])
    return facts



def _facts(mid: str, entry: MaterialAmount, grouped: MaterialAmount, in_water: bool
           ) -> UsedFacts:
    """What ``_used_reagents`` reads of the item ``mid`` (``UsedFacts``): ``entry`` is
    skipped or gives the substance, ``grouped`` (the entry it groups) how it is handled,
    ``in_water`` whether its solution's solvent is water."""
    if entry.reagent.record is None and entry.reagent.candidates:
        return None
    solute = is_solute(grouped)
    return (mid, substance_key(entry), id(grouped.reagent), is_gas(grouped),
            handled_as_liquid(grouped) or solute, solute, solute and in_water)


def _used_reagents(items: list[tuple[str, MaterialAmount]],
                   materials: Mapping[str, MaterialAmount],
                   facts: tuple[UsedFacts, ...]) -> list[UsedReagent]:
    """The used reagents of a table's items (materials, then solution parts), from their
    facts (``_table_facts``, one per item): one per substance, in the order it first
    appears, with the reagent of its first item's entry as ``amounts.entry`` finds it, its
    material ids, and its phase: a gas if one of them is a gas, else a liquid if one is
    handled as one (a gas dissolved in water, 28 % ammonia, is handled as a liquid), else
    the reagent's phase at 25 °C; ``dissolved`` when every one of them is a solution's
    solute, ``in_water`` when every one is a solute in water. Items whose name the library
    cannot pin down are left to the identity checks."""
    first: dict[str, ResolvedReagent] = {}  # substance -> the reagent of its first item
    mids: dict[str, list[str]] = {}
    gas: set[str] = set()
    liquid: set[str] = set()
    undissolved: set[str] = set()  # substances with an item that is not a solute
    not_in_water: set[str] = set()  # substances with an item that is not a solute in water
    for (mid, entry), fact in zip(items, facts, strict=True):
        if fact is None:
            continue
        key = fact[1]
        if key in first:
            mids[key].append(mid)
        else:
            first[key] = materials.get(mid, entry).reagent
            mids[key] = [mid]
        if fact[3]:
            gas.add(key)
        if fact[4]:
            liquid.add(key)
        if not fact[5]:
            undissolved.add(key)
        if not fact[6]:
            not_in_water.add(key)
    used: list[UsedReagent] = []
    for key, reagent in first.items():
        phase: Phase | None
        if key in gas:
            phase = "gas"
        elif key in liquid:
            phase = "liquid"
        else:
            phase = reagent.phase_25C  # type: ignore[assignment]
        dissolved = key not in gas and key not in undissolved
        used.append(UsedReagent(reagent, tuple(mids[key]), phase, dissolved=dissolved,
                                in_water=dissolved and key not in not_in_water))
    return used


# What ``hazard_flags`` and ``hazard_statements`` gave, by the identity of the reagents they
# read (held in the entry, so an id is not reused while its entry lives): a reagent resolved
# once serves every variant of a file and every file of a run, and its classes are read by
# several rules each time. Emptied when full, so a long run holds no more than this.
_MEMO_MOST = 512
_FLAGS: ByIdentity[tuple[HazardFlag, ...]] = ByIdentity(most=_MEMO_MOST)
# Keyed by each reagent's id with its phase and whether it is only used dissolved (in water).
_STATEMENTS: dict[tuple[tuple[int, tuple[Phase | None, bool, bool] | str], ...], tuple[
    tuple[ResolvedReagent, ...], tuple[StatementUse, ...]]] = {}


def hazard_flags(reagent: ResolvedReagent | UsedReagent) -> tuple[HazardFlag, ...]:
    """The hazard classes of one reagent that need controls printed, from its H-codes
    (``_hazard_flags``), worked out once per resolved reagent, phase and whether it is only
    used dissolved in water."""
    if isinstance(reagent, UsedReagent):
        phase, resolved, in_water = reagent.phase, reagent.reagent, reagent.in_water
    else:
        phase, resolved, in_water = reagent.phase_25C, reagent, False  # type: ignore[assignment]
    return _FLAGS.get(resolved, lambda: tuple(_hazard_flags(resolved, phase, in_water)),
                      (phase, in_water))


def _hazard_flags(reagent: ResolvedReagent, phase: Phase | None, in_water: bool = False
                  ) -> list[HazardFlag]:
    """The hazard classes of one reagent that need controls printed, from its H-codes.

    The controls depend on the phase the reagent is handled in (a toxic gas needs a monitor,
    a toxic powder a ventilated balance): a ``UsedReagent`` says it, a bare reagent is taken
    in its phase at 25 °C. A flammable liquid's flag carries its baseline control only;
    heating it above its flash point is the checks' business, since it depends on the steps.
    """
    name = reagent.name
    flags: list[HazardFlag] = []
    controls: tuple[Control, ...]
    toxic_to_breathe = _codes(reagent, _TOXIC_BY_INHALATION)
    if in_water and reagent.phase_25C == "gas":  # its solution is not (``IN_WATER_GAS_CODES``)
        toxic_to_breathe = tuple(c for c in toxic_to_breathe
                                 if base_code(c) not in IN_WATER_GAS_CODES)
    if codes := toxic_to_breathe:
        if phase == "gas":
            monitor = Control(f"gas-monitor:{name}", f"A {name} monitor with an alarm where the "
                              "gas is used; vent through the fume hood")
            flags.append(HazardFlag("toxic-gas", "toxic gas", name, codes,
                                    (FUME_HOOD, monitor, LEAK_TEST)))
        else:
            controls = (FUME_HOOD, WEIGH_ENCLOSED) if phase == "solid" else (FUME_HOOD,)
            flags.append(HazardFlag("inhalation-toxic", "toxic if inhaled (dust or vapour)",
                                    name, codes, controls))
    if codes := _codes(reagent, _CMR):
        if phase == "gas":  # exposure is by breathing it: the hood is the designated area
            controls = (DESIGNATED_AREA,)
        else:
            controls = (GLOVES_CMR, DESIGNATED_AREA,
                        *((WEIGH_ENCLOSED,) if phase == "solid" else ()), SEPARATE_WASTE)
        flags.append(HazardFlag("cmr", "carcinogen, mutagen or reproductive toxicant "
                                "(category 1)", name, codes, controls))
    if phase == "solid":
        for group in element_group_hazards(reagent):
            flags.append(HazardFlag(
                "cmr", f"handled as a powder and {group.member}: {group.name} are "
                f"category-1 CMR as a group ({group.source}), whatever its own label says",
                name, (group.h_code,),
                (GLOVES_CMR, DESIGNATED_AREA, WEIGH_ENCLOSED, SEPARATE_WASTE)))
    if codes := _codes(reagent, _PYROPHORIC):
        flags.append(HazardFlag("pyrophoric", "pyrophoric: ignites in air", name, codes,
                                (INERT_TRANSFER, FLAME_RESISTANT, DRY_EXTINGUISHER)))
    if codes := _codes(reagent, _WATER_REACTIVE):
        evolved = gas_evolved_with_water(reagent)
        if in_water:  # made up in water on purpose (aqueous NaBH4): it gives off gas as it stands
            made_up = Control(f"made-up-in-water:{evolved}", "Make up the solution in water "
                              f"just before use and keep it in an open or vented container: "
                              f"{evolved} is given off as it stands")
            controls = (made_up, NO_IGNITION)
        else:
            vent = Control(f"vent-gas:{evolved}", f"Add it slowly to water or alcohols in an "
                           f"open, vented vessel in the fume hood: {evolved} is given off")
            controls = (KEEP_DRY, vent, NO_IGNITION)
        flags.append(HazardFlag("water-reactive", f"gives off {evolved} with water", name,
                                codes, controls))
    if (codes := _codes(reagent, _FLAMMABLE_GAS)) and phase in ("gas", None):
        # A flammable gas in solution (aqueous ammonia) is not handled as that gas.
        flags.append(HazardFlag("flammable-gas", "flammable gas", name, codes,
                                (NO_IGNITION, LEAK_TEST)))
    if codes := _codes(reagent, _FLAMMABLE_LIQUID):
        flags.append(HazardFlag("flammable-liquid", "flammable liquid", name, codes,
                                (NO_IGNITION,)))
    if codes := _codes(reagent, _CORROSIVE):
        flags.append(HazardFlag("corrosive", "corrosive to skin or eyes", name, codes,
                                (EYE_FACE,)))
    if codes := _codes(reagent, _OXIDIZER):
        flags.append(HazardFlag("oxidizer", "oxidizer", name, codes, (OXIDIZER_APART,)))
    in_hood = any(FUME_HOOD in f.controls for f in flags) or _codes(reagent, _IN_HOOD)
    if not in_hood and (why := exposure_in_hood(reagent, phase)):
        # No class of its label puts it in the hood (the database has no label): its limit
        flags.append(HazardFlag("vapour-in-hood", why, name, (), (FUME_HOOD,)))
    if (codes := _codes(reagent, _IN_HOOD)) and phase != "gas":
        # A gas of this kind is already handled in the hood by its own controls, if any.
        controls = (FUME_HOOD, WEIGH_ENCLOSED) if phase == "solid" else (FUME_HOOD,)
        flags.append(HazardFlag("vapour-in-hood", "irritant, narcotic or suspected "
                                "carcinogen", name, codes, controls))
    return flags


def controls_for(reagents: Iterable[ResolvedReagent | UsedReagent]) -> list[Control]:
    """Every control the reagents' hazard classes need, each once, in a stable order: by
    reagent as given, then by hazard class. Pass ``used_reagents(amounts)`` to get the
    controls for the phases the protocol handles them in."""
    seen: dict[str, Control] = {}
    for reagent in reagents:
        for flag in hazard_flags(reagent):
            for control in flag.controls:
                seen.setdefault(control.key, control)
    return list(seen.values())


def hazard_statements(reagents: Iterable[ResolvedReagent | UsedReagent]
                      ) -> tuple[StatementUse, ...]:
    """Every H-statement the reagents carry, sorted by code, with the reagents carrying it
    (``_hazard_statements``), worked out once per list of resolved reagents and phases."""
    items = tuple(reagents)
    held = tuple(i.reagent if isinstance(i, UsedReagent) else i for i in items)
    slot = tuple((id(r), (i.phase, i.dissolved, i.in_water) if isinstance(i, UsedReagent)
                  else "as resolved") for r, i in zip(held, items, strict=True))
    hit = _STATEMENTS.get(slot)
    if hit is not None and all(a is b for a, b in zip(hit[0], held, strict=True)):
        return hit[1]
    uses = tuple(_hazard_statements(items))
    if len(_STATEMENTS) >= _MEMO_MOST:
        _STATEMENTS.clear()
    _STATEMENTS[slot] = (held, uses)
    return uses


def _hazard_statements(reagents: Iterable[ResolvedReagent | UsedReagent]
                       ) -> list[StatementUse]:
    """Every H-statement the reagents carry, sorted by code, with the reagents carrying it."""
    carriers: dict[str, list[str]] = {}
    for item in reagents:
        if isinstance(item, UsedReagent):
            pairs = _carried(item.reagent, item.phase == "solid", item.dissolved,
                             item.in_water)
        else:
            pairs = _carried(item, False, False, False)
        for code, carrier in pairs:
            names = carriers.get(code)
            if names is None:
                carriers[code] = [carrier]
            elif carrier not in names:
                names.append(carrier)
    return [StatementUse(code, statement_text(code), tuple(names))
            for code, names in sorted(carriers.items(), key=lambda item: _code_order(item[0]))]


# ``_carried`` of a reagent, by its identity, whether it is handled as a solid and whether it
# is only used dissolved: a reagent resolved once serves every variant of a file and every
# file of a run, and a variant that swaps one reagent (a catalyst of another composition)
# reads the others' statements again.
_CARRIED: ByIdentity[tuple[tuple[str, str], ...]] = ByIdentity(most=_MEMO_MOST)


def _carried(reagent: ResolvedReagent, solid: bool, dissolved: bool, in_water: bool
             ) -> tuple[tuple[str, str], ...]:
    """The (H-code, carrier) pairs one reagent gives ``_hazard_statements``, in its order:
    each code of its label as handled (``label_of``: a gas only used dissolved is no gas
    under pressure) with its name, then, handled as a solid (``solid``), each CMR element
    group it belongs to (``element_group_hazards``) with its name as that group's member.
    Depends on the reagent (not changed once resolved), ``solid``, ``dissolved`` and
    ``in_water`` alone."""
    return _CARRIED.get(reagent, functools.partial(_carried_pairs, reagent, solid, dissolved,
                                                   in_water), (solid, dissolved, in_water))


def _carried_pairs(reagent: ResolvedReagent, solid: bool, dissolved: bool, in_water: bool
                   ) -> tuple[tuple[str, str], ...]:
    name = reagent.name
    pairs = [(code, name) for code in label_of(reagent, dissolved, in_water)[0]]
    if solid:
        # The group's, not the label's.
        pairs += [(group.h_code, f"{name}, as {group.member}")
                  for group in element_group_hazards(reagent)]
    return tuple(pairs)


@functools.lru_cache(maxsize=1024)
def _code_order(code: str) -> tuple[int, int, str]:
    match = re.match(r"^(EUH|H)(\d{3})(.*)$", code)
    if not match:
        return (2, 0, code)
    return (1 if match.group(1) == "EUH" else 0, int(match.group(2)), match.group(3))
