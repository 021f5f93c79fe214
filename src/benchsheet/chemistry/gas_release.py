"""Gases that steps release: declared gaseous by-products, and the classic gas-forming pairs.

A reaction's by-products (``byproducts: {CO: 1, CO2: 1}``) that are gases at the vessel's
temperature leave the liquid when the product forms. Beside those, a few pairs give off gas
whenever they meet, whatever the protocol declares, and a careful chemist always expects it:

- an acid with a carbonate or hydrogencarbonate: CO₂ (1 per CO₃; 2 H⁺ per carbonate,
  1 H⁺ per hydrogencarbonate);
- a hydride (NaBH₄, LiAlH₄, NaH), an organolithium or another reagent that reacts with water
  to give a flammable gas (GHS H260/H261), with water, an alcohol or an acid: H₂, or the
  alkane R–H of an organometallic (n-BuLi gives butane);
- an active metal (Li, Na, K, Mg, Ca, Zn, Fe, Al) with an acid: H₂;
- a metal sulfide, selenide or telluride (Na₂S, NaHSe, ZnS, CdSe) with a strong acid: H₂S,
  H₂Se or H₂Te, toxic at a few ppm; an acidified selenide waste gives off H₂Se.

Water, aqueous solutions and acids *quench* a water-reactive reagent: it is gone afterwards
(so its hazards end there). An alcohol releases the gas too but reacts slowly, so the reagent
is still there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from benchsheet.chemistry.claims_basis import NON_METALS
from benchsheet.chemistry.formula import FormulaError, parse_formula
from benchsheet.memo import ByIdentity

if TYPE_CHECKING:
    from benchsheet.chemistry.amounts import MaterialAmount

# Strong mineral acids and the protons each gives to a carbonate (H2SO4 both, H3PO4 one
# below pH ~7 in practice with bicarbonate, counted as one to stay a lower bound).
MINERAL_ACID_PROTONS = {"HCl": 1, "HBr": 1, "HI": 1, "HNO3": 1, "HClO4": 1, "H2SO4": 2,
                        "H3PO4": 1, "HCO2H": 1, "CF3CO2H": 1}
ACTIVE_METALS = {"Li": 0.5, "Na": 0.5, "K": 0.5, "Mg": 1.0, "Ca": 1.0, "Zn": 1.0, "Fe": 1.0,
                 "Al": 1.5}  # mol H2 per mol metal with acid
_CARBONATE = re.compile(r"CO3")
# A chalcogenide anion and the hydride gas a strong acid frees from it.
CHALCOGEN_GASES = {"S": "H2S", "Se": "H2Se", "Te": "H2Te"}
_CHALCOGENIDE_NAMES = {"S": "sulfide", "Se": "selenide", "Te": "telluride"}
# Elements that are not metals: a "metal chalcogenide" has only metals besides its chalcogen
# (and the H of a hydrogensulfide or the water of a hydrate). The non-metals of a catalyst's
# metal count, but with germanium and antimony among the metals here: hot hydrochloric acid
# frees H2S from stibnite (Sb2S3) and germanium sulfide as from a metal's, where arsenic
# sulfide does not dissolve in it.
_NONMETALS = NON_METALS - {"Ge", "Sb"}
# Gases so soluble in water (hundreds of litres per litre at 20 °C) that a by-product formed
# in a vessel holding water stays dissolved: ammonia, the hydrogen halides.
WATER_SOLUBLE_GASES = frozenset({"NH3", "HCl", "HBr", "HI"})
BENCH_K = 298.15  # where a by-product that is no gas is a liquid or a solid
_WATER_REACTIVE = frozenset({"H260", "H261"})

# Names of the gases a check may meet, by Hill formula, for messages; the library names the
# rest.
GAS_NAMES = {"CO": "carbon monoxide", "CO2": "carbon dioxide", "H2": "hydrogen",
             "CH4": "methane", "C2H6": "ethane", "C4H10": "butane", "C2H2": "acetylene",
             "NH3": "ammonia", "HCl": "hydrogen chloride", "SO2": "sulfur dioxide",
             "H2S": "hydrogen sulfide", "N2": "nitrogen", "O2": "oxygen", "Cl2": "chlorine",
             "NO2": "nitrogen dioxide", "NO": "nitric oxide", "C2H6S": "dimethyl sulfide",
             "PH3": "phosphine", "HCN": "hydrogen cyanide", "H2Se": "hydrogen selenide",
             "H2Te": "hydrogen telluride"}


@dataclass(frozen=True)
class GasRelease:
    """A gas a step gives off: its formula, how much (None: not known) and why."""

    formula: str
    moles: float | None
    cause: str  # "by-product of 'aldehyde'", "acid 'HCl' + carbonate 'NaHCO3'"
    sources: tuple[str, ...] = ()  # the materials that met (or the product that formed)
    # The material whose amount bounds this gas, and the most it can give in all (mol):
    # a second meeting gives only what the first left.
    bound_by: str = ""
    capacity: float | None = None
    extent: float = 1.0  # a by-product: mol of reaction that gave it (moles = extent·ν)

    @property
    def name(self) -> str:
        return GAS_NAMES.get(self.formula, self.formula)

    @property
    def gives_off(self) -> bool:
        """Some gas, or an amount not known: not a meeting whose source was already spent."""
        return self.moles is None or self.moles > 0


GasCheck = Callable[[str, float], bool]  # (formula, T/K) -> is it a gas there?


def byproduct_releases(product_id: str, byproducts: Mapping[str, float], extent: float,
                       temperature_K: float, is_gas: GasCheck, aqueous: bool = False,
                       condensed: bool = False) -> list[GasRelease]:
    """The gaseous by-products of ``extent`` mol of a reaction at ``temperature_K``; in a
    vessel holding water (``aqueous``) the very soluble ones stay dissolved. In a sealed
    vessel holding a liquid (``condensed``), a by-product that is no gas at the bench (the
    water and nitric acid of a solvothermal synthesis at 180 °C) stays in that liquid, whose
    vapour Raoult's law already counts: only a heated open vessel lets it boil away."""
    return [GasRelease(formula, extent * nu, f"by-product of '{product_id}'", (product_id,),
                       extent=extent)
            for formula, nu in byproducts.items() if is_gas(formula, temperature_K)
            and not (aqueous and formula in WATER_SOLUBLE_GASES)
            and not (condensed and not is_gas(formula, BENCH_K))]


def _elements(entry: MaterialAmount) -> Mapping[str, float]:
    return entry.reagent.formula.elements if entry.reagent.formula is not None else {}


def acid_protons(entry: MaterialAmount) -> float:
    """Protons per formula unit an acid gives a carbonate; 0 if it is not an acid."""
    formula = entry.reagent.formula
    text = formula.text.replace(" ", "") if formula is not None else ""
    if text in MINERAL_ACID_PROTONS:
        return float(MINERAL_ACID_PROTONS[text])
    name = entry.reagent.name.lower()
    if "boronic" in name:
        return 0.0  # arylboronic acids (pKa ≈ 9) do not free CO2 from carbonate
    if entry.material.role == "acid" or re.search(r"\b\w+(ic|ous) acid\b", name):
        return 1.0
    return 0.0


def carbonate_kind(entry: MaterialAmount) -> str | None:
    """'bicarbonate' or 'carbonate' for a salt of carbonic acid, else None."""
    formula = entry.reagent.formula
    if formula is None or not _CARBONATE.search(formula.text):
        return None
    elements = set(formula.elements)
    if not elements & {"Li", "Na", "K", "Rb", "Cs", "Mg", "Ca", "Sr", "Ba", "N"}:
        return None
    return "bicarbonate" if "HCO3" in formula.text else "carbonate"


def chalcogenide(entry: MaterialAmount) -> str | None:
    """The chalcogen of a metal sulfide, selenide or telluride (Na2S·9H2O, NaHSe, ZnS, CdSe),
    whose anion a strong acid protonates to H2S, H2Se or H2Te; None for anything else: the
    element itself, sulfates and other oxoanions (their O is more than a hydrate's water),
    thiols and phosphine selenides (carbon), and molecular sulfides without a metal."""
    elements = _elements(entry)
    found = [x for x in CHALCOGEN_GASES if elements.get(x, 0.0) > 0]
    if len(found) != 1 or "C" in elements:
        return None
    oxygen, hydrogen = elements.get("O", 0.0), elements.get("H", 0.0)
    if oxygen > 0 and 2 * oxygen > hydrogen + 1e-9:
        return None  # more O than water accounts for: an oxoanion (sulfate, selenite)
    metals = [e for e in elements if e not in _NONMETALS]
    others = set(elements) - set(metals) - {"H", "O", found[0]}
    return found[0] if metals and not others else None


def is_water_reactive(entry: MaterialAmount) -> bool:
    """Gives off a flammable gas with water (H260, H261)."""
    ghs = entry.reagent.ghs
    return ghs is not None and any(code[:4] in _WATER_REACTIVE for code in ghs.h_codes)


def active_metal(entry: MaterialAmount) -> str | None:
    elements = _elements(entry)
    if len(elements) == 1:
        (element,) = elements
        if element in ACTIVE_METALS:
            return element
    return None


def water_gas(entry: MaterialAmount) -> tuple[str, float]:
    """The gas a water-reactive reagent gives with a protic partner, and mol per mol."""
    return water_gas_of(_elements(entry))


def water_gas_of(elements: Mapping[str, float]) -> tuple[str, float]:
    """The gas (Hill formula) a water-reactive substance of these elements gives with water,
    an alcohol or an acid, and mol of it per mol: R–H for an organometallic R–M (n-BuLi →
    butane), H₂ for a hydride (one per hydridic H) or an active metal."""
    metals = [m for m in ("Li", "Na", "K", "Mg", "Zn", "Al", "B") if m in elements]
    if "C" in elements and "H" in elements and metals and "B" not in metals:
        metal = metals[0]
        groups = elements[metal]
        carbons = elements["C"] / groups
        hydrogens = elements["H"] / groups + 1
        alkane = f"C{carbons:g}H{hydrogens:g}".replace("C1H", "CH")
        try:
            parse_formula(alkane)
        except FormulaError:
            return "H2", 1.0
        return alkane, groups
    if "H" in elements and metals:
        return "H2", elements["H"]  # a hydride: every hydridic H gives H2 with water
    if len(elements) == 1:
        (element,) = elements
        if element in ACTIVE_METALS:
            return "H2", ACTIVE_METALS[element]
    return "H2", 1.0


def is_water(entry: MaterialAmount) -> bool:
    """Water (or heavy water), by its formula."""
    formula = entry.reagent.formula
    return formula is not None and formula.text.replace(" ", "") in ("H2O", "D2O")


def _is_mineral_acid(entry: MaterialAmount) -> bool:
    formula = entry.reagent.formula
    return formula is not None and formula.text.replace(" ", "") in MINERAL_ACID_PROTONS


def is_aqueous_or_acid(entry: MaterialAmount) -> bool:
    """Water, an aqueous solution (or its water) or an acid: quenches a water-reactive
    reagent."""
    elements = set(_elements(entry))
    if elements == {"H", "O"} and entry.reagent.formula is not None and (
            entry.reagent.formula.text.replace(" ", "") in ("H2O", "D2O")):
        return True
    return acid_protons(entry) > 0


def is_alcohol(entry: MaterialAmount) -> bool:
    """An alcohol or a phenol (C, H and O, named -ol): its O–H gives up its proton to a
    hydride or an organometallic as water's does (NaH + PhOH → PhONa + H2)."""
    elements = set(_elements(entry))
    return elements <= {"C", "H", "O"} and "O" in elements and bool(
        re.search(r"(ol|anol)\b", entry.reagent.name.lower()))


def _hydroxyls(entry: MaterialAmount) -> float:
    """O–H groups of an alcohol or phenol by its name: a diol 2, a triol 3, else 1."""
    name = entry.reagent.name.lower()
    return 3.0 if "triol" in name else 2.0 if "diol" in name else 1.0


def _total(entry: MaterialAmount, per: float) -> float | None:
    """The most gas all of a material can give, at ``per`` mol of gas per mol."""
    return entry.moles.nominal * per if entry.moles is not None else None


def _moles(entry: MaterialAmount, share: float) -> float | None:
    return entry.moles.nominal * share if entry.moles is not None else None


Entry = Callable[[str], "MaterialAmount | None"]


def gives_gas_with_partner(entry: MaterialAmount) -> bool:
    """A carbonate, a water-reactive reagent, an active metal or a metal chalcogenide: the
    first of a pair that ``pair_releases`` can find gas from. A pair whose first is none of
    these gives nothing. It depends on the substance alone (its formula and GHS codes), so
    it is worked out once per resolved reagent, which the files of a run share;
    ``MaterialAmount.gives_gas`` keeps it per material amount for the vessel walk."""
    return _GIVES_GAS.get(entry.reagent, lambda: carbonate_kind(entry) is not None or (
        is_water_reactive(entry) or active_metal(entry) is not None
        or chalcogenide(entry) is not None))


# A resolved reagent -> gives_gas_with_partner of a material of it.
_GIVES_GAS: ByIdentity[bool] = ByIdentity(most=1024)


def pair_releases(entry: Entry, present: Mapping[str, float], arrived: Mapping[str, float],
                  temperature_K: float, *, fresh: bool = True,
                  reactive: Callable[[str], bool] | None = None
                  ) -> tuple[list[GasRelease], list[str]]:
    """Gas from what ``arrived`` meeting what was ``present`` (material id -> share), or
    from two things arriving together, and the water-reactive reagents the meeting quenched.

    A quench is water or acid poured onto the reagent (or the reagent into them); a reagent
    dissolved in water in one step (an aqueous NaBH4 solution made up for a reduction) gives
    off some gas but is still there. ``fresh``: the arrivals meet each other here for the
    first time (an addition), not as a mixture moved from another vessel (a transfer).

    ``reactive`` says (remembered per material) whether a material can be the first of a
    pair (``gives_gas_with_partner``; by default ``MaterialAmount.gives_gas``); only such
    pairs are looked at, so a flask of many inert materials costs one look per material,
    not one per pair.

    The materials' moles are read for the releases returned and for nothing else: a meeting
    that gives no gas reads no amount (the vessel walk relies on it,
    ``Timeline.reads_amounts``)."""
    if reactive is None:
        def reactive(mid: str) -> bool:
            found = entry(mid)
            return found is not None and found.gives_gas

    releases: list[GasRelease] = []
    quenched: list[str] = []
    together = [(a, b) for a in arrived if reactive(a) for b in arrived if a != b] \
        if fresh else []
    present_reactive = [b for b in present if reactive(b)]
    pairs = [(a, b) for a in arrived if reactive(a) for b in present] + [
        (b, a) for a in arrived for b in present_reactive] + together
    together_set = set(together)
    # A carboxylic acid frees CO2 from a carbonate in water; dry (oleic acid on Cs2CO3 in
    # octadecene) it needs heat, and the protocol declares that CO2 as a by-product.
    aqueous: bool | None = None  # looked at once a pair needs it: most meetings have none
    seen: set[tuple[str, str]] = set()
    for one, other in pairs:
        if (one, other) in seen:
            continue
        seen.add((one, other))
        e1, e2 = entry(one), entry(other)
        if e1 is None or e2 is None:
            continue
        share1 = present.get(one, arrived.get(one, 0.0))
        share2 = present.get(other, arrived.get(other, 0.0))
        kind = carbonate_kind(e1)
        protons = acid_protons(e2)
        if kind is not None and protons > 0 and not _is_mineral_acid(e2):
            if aqueous is None:
                aqueous = any(is_water(e) for m in (*present, *arrived)
                              if (e := entry(m)) is not None)
            if not aqueous:
                protons = 0.0
        if kind is not None and protons > 0:
            n_c, n_a = _moles(e1, share1), _moles(e2, share2)
            moles = None
            if n_c is not None and n_a is not None:
                per = 1.0 if kind == "bicarbonate" else 2.0
                moles = min(n_c, n_a * protons / per)
            releases.append(GasRelease("CO2", moles, f"acid '{_owner(other)}' + {kind} "
                                       f"'{_owner(one)}'", (_owner(other), _owner(one)),
                                       one, _total(e1, 1.0)))
            continue
        if is_water_reactive(e1) and (is_aqueous_or_acid(e2) or is_alcohol(e2)):
            gas, per = water_gas(e1)
            n = _moles(e1, share1)
            verb = ("quenched by" if is_aqueous_or_acid(e2) and (one, other) not in together_set
                    else "meets")
            # Made up together (an aqueous NaBH4 solution) it gives off a little as it
            # dissolves: that does not use up what a later quench gives.
            made_up = (one, other) in together_set and is_aqueous_or_acid(e2) and (
                acid_protons(e2) == 0)
            capacity = None if made_up else _total(e1, per)
            moles = n * per if n is not None else None
            if moles is not None and not is_aqueous_or_acid(e2):
                # An alcohol or phenol gives one proton per O–H (a diol two): measured out
                # to the reagent (the phenol NaH deprotonates), not a solvent in excess, it
                # sets how much gas comes now, and a later quench gives the rest.
                n_oh = _moles(e2, share2)
                if n_oh is not None:
                    moles = min(moles, n_oh * _hydroxyls(e2))
            releases.append(GasRelease(gas, moles,
                                       f"'{_owner(one)}' {verb} '{_owner(other)}'",
                                       (_owner(one), _owner(other)), one, capacity))
            if is_aqueous_or_acid(e2) and one not in quenched and (one, other) not in \
                    together_set:
                quenched.append(one)
            continue
        chalcogen = chalcogenide(e1)
        if chalcogen is not None and _is_mineral_acid(e2) and acid_protons(e2) > 0:
            gas = CHALCOGEN_GASES[chalcogen]
            n_x, n_a = _moles(e1, share1), _moles(e2, share2)
            per = _elements(e1)[chalcogen]
            moles = None
            if n_x is not None and n_a is not None:  # X²⁻ + 2 H⁺ → H2X
                moles = min(n_x * per, n_a * acid_protons(e2) / 2)
            releases.append(GasRelease(gas, moles, f"acid '{_owner(other)}' + "
                                       f"{_CHALCOGENIDE_NAMES[chalcogen]} '{_owner(one)}'",
                                       (_owner(other), _owner(one)), one, _total(e1, per)))
            continue
        metal = active_metal(e1)
        if metal is not None and not is_water_reactive(e1) and acid_protons(e2) > 0:
            n_m, n_a = _moles(e1, share1), _moles(e2, share2)
            moles = None
            if n_m is not None and n_a is not None:
                moles = min(n_m * ACTIVE_METALS[metal], n_a * acid_protons(e2) / 2)
            releases.append(GasRelease("H2", moles, f"metal '{_owner(one)}' + acid "
                                       f"'{_owner(other)}'", (_owner(one), _owner(other)),
                                       one, _total(e1, ACTIVE_METALS[metal])))
    # One release per gas and cause pair (a solution's solute and solvent both meet).
    unique: dict[tuple[str, str], GasRelease] = {}
    for r in releases:
        unique.setdefault((r.formula, r.cause), r)
    # A solution of the reagent in water (aqueous NaBH4 made up beforehand) meets its own
    # water as it arrives: that gas is what it gives wherever it goes, so where it also
    # meets the vessel's water or acid, that meeting gives the gas and its own is not
    # counted beside it (which would give twice the most it can).
    others = {(r.formula, r.bound_by) for r in unique.values() if not _own_solution(r)}
    return [r for r in unique.values()
            if not _own_solution(r) or (r.formula, r.bound_by) not in others], quenched


def _own_solution(release: GasRelease) -> bool:
    """A release from a solution's solute meeting its own solvent (both parts of one
    material, 'NaBH4' and 'NaBH4:solvent')."""
    return len(release.sources) == 2 and release.sources[0] == release.sources[1]


def _owner(material_id: str) -> str:
    """The material a solution part belongs to ('HCl:solvent' -> 'HCl')."""
    return material_id.split(":", 1)[0]
