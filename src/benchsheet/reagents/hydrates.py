"""The water of a salt hydrate in the reagent database's formulas.

The database's formulas come from PubChem by way of ``chemicals``. For some salt hydrates
that formula counts each component of the salt once: copper nitrate trihydrate (CAS
10031-43-3) is CuH3NO4 there (Cu + HNO3 + H2O, 144.57 g/mol), where Cu(NO3)2·3H2O is
241.60 g/mol, and zinc nitrate hexahydrate H3NO4Zn (146.41 against 297.49). A protocol that
weighs such a salt would get its moles wrong by a third or more, silently.

A hydrate's name says how much water it holds ("trihydrate": 3 H2O per formula unit), so a
formula with less hydrogen or oxygen than that water is wrong for the name. Where the
database also holds the anhydrous salt under the name without the hydrate word (zinc nitrate,
N2O6Zn) and its elements besides H and O are the hydrate's, the hydrate is that salt with the
water ("N2O6Zn·6H2O", 297.49 g/mol). Otherwise the formula is not used: the compound says why
(``Compound.formula_problem``), and a protocol naming it is told to write the reagent out.

A hydrate of a fractional water (hemi-, sesqui-) has no formula of one unit in whole numbers,
so the database writes two: calcium sulfate hemihydrate is Ca2H2O9S2, (CaSO4)2·H2O at
290.30 g/mol, where its suppliers' CaSO4·0.5H2O is 145.14, and a protocol weighing it would
have had half its moles. Such a formula is taken per formula unit ("CaO4S·0.5H2O"); one that
is not two units with the water is rebuilt or refused as above.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from benchsheet.chemistry.formula import FormulaError, parse_formula

if TYPE_CHECKING:
    from benchsheet.reagents.database import Compound

# Water per formula unit, by the prefix of "hydrate" in a name.
WATER_BY_PREFIX = {"hemi": 0.5, "mono": 1.0, "sesqui": 1.5, "di": 2.0, "tri": 3.0, "tetra": 4.0,
                   "penta": 5.0, "hexa": 6.0, "hepta": 7.0, "octa": 8.0, "nona": 9.0,
                   "deca": 10.0, "undeca": 11.0, "dodeca": 12.0}
_HYDRATE_WORD = re.compile(r",?\s*\b(" + "|".join(WATER_BY_PREFIX) + r")hydrate\b",
                           re.IGNORECASE)


def named_water(name: str) -> float | None:
    """The water per formula unit ``name`` says ("cobalt nitrate hexahydrate": 6), None when
    it names no hydrate by count."""
    found = _HYDRATE_WORD.search(name)
    return WATER_BY_PREFIX[found.group(1).lower()] if found else None


def _elements(formula: str) -> dict[str, float] | None:
    try:
        return dict(parse_formula(formula).elements)
    except FormulaError:
        return None


def short_of_water(formula: str, water: float) -> bool:
    """Whether ``formula`` holds less hydrogen or oxygen than ``water`` H2O alone would (a
    formula that cannot be read is left to the formula checks)."""
    elements = _elements(formula)
    if elements is None:
        return False
    return elements.get("H", 0.0) < 2 * water - 1e-9 or elements.get("O", 0.0) < water - 1e-9


def _core(formula: str) -> frozenset[str] | None:
    """The elements of ``formula`` besides hydrogen and oxygen."""
    elements = _elements(formula)
    return None if elements is None else frozenset(elements) - {"H", "O"}


def _hill(elements: dict[str, float]) -> str:
    """``elements`` as a Hill-order formula: C and H first when there is carbon, the rest
    alphabetically (the database's own order), a count of one left out."""
    order = sorted(elements)
    if "C" in elements:
        order = ["C", *(["H"] if "H" in elements else []),
                 *(e for e in order if e not in ("C", "H"))]
    return "".join(f"{e}{'' if elements[e] == 1 else f'{elements[e]:g}'}" for e in order)


def one_unit(formula: str, water: float) -> str | None:
    """The formula of one formula unit of a hydrate whose name says a fractional ``water``
    (a hemihydrate's 0.5 H2O), when ``formula`` is two units in whole numbers, as the
    database writes such hydrates (calcium sulfate hemihydrate, Ca2H2O9S2, is
    (CaSO4)2·H2O): what is left without the two units' water halves into whole counts, and
    one unit is that half with ``water`` H2O ("CaO4S·0.5H2O"). None when it does not halve
    (then the formula is one unit with some other water, or none) or is an ion's."""
    elements = _elements(formula)
    if elements is None:
        return None
    rest = dict(elements)
    rest["H"] = rest.get("H", 0.0) - 4 * water
    rest["O"] = rest.get("O", 0.0) - 2 * water
    half: dict[str, float] = {}
    for element, count in rest.items():
        if count < -1e-9 or abs(count / 2 - round(count / 2)) > 1e-9:
            return None
        if round(count / 2):
            half[element] = round(count / 2)
    if not half or parse_formula(formula).charge:  # an ion's hydrate: not halved
        return None
    return f"{_hill(half)}·{water:g}H2O"


def checked(compound: Compound, find: Sequence[Callable[[str], Sequence[Compound]]]
            ) -> Compound:
    """``compound`` with a formula its name's water fits, per formula unit: as it is when it
    fits (or names no hydrate by count); one unit of it when it is two units of a hydrate of
    a fractional water (``one_unit``); else the anhydrous salt's formula with the water, the
    anhydrous salt found by ``find`` (each asked in turn with the name without the hydrate
    word, the first that finds compounds decides); else with ``formula_problem`` saying why
    its own cannot be used."""
    water = named_water(compound.name)
    if water is None:
        return compound
    if water.is_integer():
        if not short_of_water(compound.formula, water):
            return compound
        wrong = "holds less water than"
    else:
        unit = one_unit(compound.formula, water)
        if unit is not None:
            return replace(
                compound, formula=unit, molar_mass=parse_formula(unit).molar_mass,
                molar_mass_source=(
                    f"one formula unit of the reagent database's {compound.formula} "
                    f"({compound.molar_mass:.2f} g/mol), which is two units with "
                    f"{2 * water:g} H2O"))
        wrong = "is no whole number of formula units with"
    core = _core(compound.formula)
    anhydrous_name = " ".join(_HYDRATE_WORD.sub("", compound.name).split()).strip(" ,;")
    for lookup in find:
        found = [c for c in lookup(anhydrous_name)
                 if c.cas != compound.cas and named_water(c.name) is None]
        if not found:
            continue
        formulas = {c.formula for c in found
                    if c.charge == compound.charge and _core(c.formula) == core}
        if len(formulas) == 1:
            anhydrous = formulas.pop()
            formula = f"{anhydrous}·{water:g}H2O"
            return replace(
                compound, formula=formula, molar_mass=parse_formula(formula).molar_mass,
                molar_mass_source=(
                    f"{anhydrous} ({anhydrous_name}, reagent database) with {water:g} H2O: "
                    f"the database's own formula, {compound.formula}, {wrong} the water "
                    "the name says"))
        break
    return replace(compound, formula_problem=(
        f"the reagent database gives {compound.name} ({compound.cas}) the formula "
        f"{compound.formula} ({compound.molar_mass:.2f} g/mol), which {wrong} the "
        f"{water:g} H2O its name says, so its molar mass cannot be right: write the "
        "reagent out (its name, CAS number and formula with the water), or add it with "
        "--reagents FILE"))
