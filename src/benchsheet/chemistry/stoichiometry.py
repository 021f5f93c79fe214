"""Element balances, reactions, limiting reagents and theoretical yields of declared products.

A product with a ``composition`` (host cations with fractions, anions, a substitutional dopant,
nuclearity) is balanced element by element: the inputs can make n(el)/count(el) formula units
for each core element, and the smallest of these sets the yield. A product with a ``reaction``
is balanced by its equation: the limiting reagent has the smallest n/ν.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from benchsheet.chemistry.formula import FormulaError, parse_formula
from benchsheet.chemistry.interval import Interval
from benchsheet.memo import ByIdentity
from benchsheet.model.product import Composition, Product

# Elements a molecular product's default balance leaves out: organic ligands and solvents
# supply them in large excess, so they never say anything about the limiting reagent.
ORGANIC_ELEMENTS = frozenset({"C", "H", "N", "O"})


@dataclass(frozen=True)
class ElementSupply:
    element: str
    per_unit: float  # atoms per formula unit (or per molecule)
    available: Interval  # mol of the element in the inputs
    units_possible: Interval  # mol of formula units this element alone allows
    sources: tuple[str, ...]  # material ids supplying it


@dataclass(frozen=True)
class Balance:
    """What the inputs can make of one product, and what limits it."""

    product_id: str
    method: str  # "composition", "formula" or "reaction"
    supplies: tuple[ElementSupply, ...] = ()
    reactant_units: Mapping[str, Interval] = field(default_factory=dict)  # reaction: n/ν
    limiting: tuple[str, ...] = ()  # limiting element(s) or reactant material id(s)
    limiting_materials: tuple[str, ...] = ()
    formula_units: Interval | None = None  # mol of formula units (or product molecules)
    nuclearity: int | None = None
    unit_molar_mass: float | None = None  # g/mol of one formula unit / molecule
    problems: tuple[str, ...] = ()
    main: bool = False  # marked as the product the protocol is for

    @property
    def clusters(self) -> Interval | None:
        """Moles of clusters (formula units / nuclearity); None for a non-cluster product."""
        if self.formula_units is None or not self.nuclearity:
            return None
        return self.formula_units / self.nuclearity

    @property
    def theoretical_moles(self) -> Interval | None:
        return self.clusters if self.clusters is not None else self.formula_units

    @property
    def theoretical_mass_g(self) -> Interval | None:
        if self.formula_units is None or self.unit_molar_mass is None:
            return None
        return self.formula_units * self.unit_molar_mass

    def excess(self) -> dict[str, Interval]:
        """Each non-limiting element's (or reactant's) supply over what the yield uses."""
        if self.formula_units is None:
            return {}
        base = self.formula_units.nominal
        out: dict[str, Interval] = {}
        if self.method == "reaction":
            least = min(u.nominal for u in self.reactant_units.values())
            for mid, units in self.reactant_units.items():
                if mid not in self.limiting and least:
                    out[mid] = units / least
            return out
        for s in self.supplies:
            if s.element not in self.limiting and base:
                out[s.element] = s.units_possible / base
        return out


def dopant_all_cation_fraction(composition: Composition) -> float:
    """The dopant's share of all cation sites, whatever basis the protocol states it on."""
    dopant = composition.dopant
    if dopant is None:
        return 0.0
    f = dopant.fraction.to("dimensionless")
    return f if dopant.basis == "all-cations" else f / (1 + f)


def formula_unit(composition: Composition) -> dict[str, float]:
    """Atoms per formula unit: host cations share the sites the dopant leaves."""
    d = dopant_all_cation_fraction(composition)
    host_total = sum(f.to("dimensionless") for f in composition.cations.values()) or 1.0
    unit: dict[str, float] = {}
    for element, fraction in composition.cations.items():
        unit[element] = unit.get(element, 0.0) + (1 - d) * fraction.to("dimensionless") / (
            host_total)
    if composition.dopant is not None:
        unit[composition.dopant.element] = unit.get(composition.dopant.element, 0.0) + d
    for element, count in composition.anions.items():
        unit[element] = unit.get(element, 0.0) + count
    return {el: n for el, n in unit.items() if n > 0}


def element_mass(element: str) -> float:
    """Standard atomic weight in g/mol (through the formula library)."""
    return parse_formula(element).molar_mass


def _unit_of(composition: Composition) -> tuple[Mapping[str, float], float]:
    """A composition's formula unit and the unit's molar mass, g/mol."""
    unit = formula_unit(composition)
    return unit, sum(n * element_mass(el) for el, n in unit.items())


# A composition model -> ``_unit_of`` it, read only. It depends on the (frozen) model alone,
# and the variants of a file share the products they do not change (model.parse), so each
# variant's balance does not work it out again.
_UNITS: ByIdentity[tuple[Mapping[str, float], float]] = ByIdentity(most=1024)


def _supplies(unit: Mapping[str, float], balance_elements: set[str] | None,
              element_moles: Mapping[str, Interval], sources: Mapping[str, list[str]]
              ) -> list[ElementSupply]:
    out = []
    for element, per_unit in unit.items():
        if balance_elements is not None and element not in balance_elements:
            continue
        available = element_moles[element]
        out.append(ElementSupply(element, per_unit, available, available / per_unit,
                                 tuple(sources[element])))
    return out


def _limit(balance_id: str, method: str, supplies: list[ElementSupply],
           nuclearity: int | None, unit_mass: float | None, problems: list[str]) -> Balance:
    if not supplies:
        return Balance(balance_id, method, problems=(*problems, "no element to balance"))
    missing = [s for s in supplies if s.available.high == 0]
    for s in missing:
        problems.append(f"no input supplies {s.element}")
    limiting = min(supplies, key=lambda s: s.units_possible.nominal)
    tied = tuple(s.element for s in supplies
                 if abs(s.units_possible.nominal - limiting.units_possible.nominal)
                 <= 1e-9 * max(limiting.units_possible.nominal, 1e-30))
    units = Interval(min(s.units_possible.low for s in supplies),
                     limiting.units_possible.nominal,
                     min(s.units_possible.high for s in supplies))
    materials = tuple(m for s in supplies if s.element in tied for m in s.sources)
    return Balance(balance_id, method, tuple(supplies), {}, tied, materials, units, nuclearity,
                   unit_mass, tuple(problems))


def balance_product(product_id: str, product: Product,
                    element_moles: Mapping[str, Interval],
                    sources: Mapping[str, list[str]],
                    reactant_moles: Mapping[str, Interval | None],
                    reactant_formulas: Mapping[str, Mapping[str, float] | None],
                    unlimited: frozenset[str] = frozenset(),
                    reactant_needs: Mapping[str, tuple[str, ...]] | None = None) -> Balance:
    """The balance of one product against the inputs (element moles, reactant moles).

    ``unlimited`` names reactants supplied without limit (a gas fed continuously or recharged):
    they can never be the limiting reagent, so their amount is not needed. ``reactant_needs``
    says what a reactant's moles could not be worked out without (its amount given by volume
    and no density), for the problem's words.
    """
    problems: list[str] = []
    wanted = set(product.balance_elements) if product.balance_elements else None
    composition = product.composition
    if composition is not None:
        unit, unit_mass = _UNITS.get(composition, lambda: _unit_of(composition))
        supplies = _supplies(unit, wanted, element_moles, sources)
        return _limit(product_id, "composition", supplies, composition.nuclearity,
                      unit_mass, problems)
    if product.formula is None:
        return Balance(product_id, "none")
    try:
        parsed = parse_formula(product.formula)
    except FormulaError as exc:
        return Balance(product_id, "formula", problems=(str(exc),))
    if product.reaction is not None:
        return _reaction(product_id, product, dict(parsed.elements), parsed.molar_mass,
                         reactant_moles, reactant_formulas, unlimited, reactant_needs)
    keep = wanted if wanted is not None else set(parsed.elements) - ORGANIC_ELEMENTS
    supplies = _supplies(parsed.elements, keep, element_moles, sources)
    return _limit(product_id, "formula", supplies, None, parsed.molar_mass, problems)


def _what_differs(surplus: Mapping[str, float]) -> str:
    """What the atoms one side of an equation has over the other (``surplus``: element ->
    reactants' atoms less the products', each not zero) add up to, as a formula: on the
    reactants' side it is usually a co-product left out (the water of a condensation), which
    the reaction's ``byproducts`` takes; on the products' side a reactant or a coefficient is
    missing. Empty when the sides differ in both directions (a wrong coefficient or formula),
    or by a fraction of an atom (a fractional coefficient: no formula to write)."""
    if any(abs(n - round(n)) > 1e-6 for n in surplus.values()):
        return ""
    # The reagent database's Hill writer, imported only for an unbalanced equation.
    from benchsheet.reagents.database import hill_formula

    if all(n > 0 for n in surplus.values()):
        formula = hill_formula({el: round(n) for el, n in surplus.items()})
        return (f"; the reactants have {formula} more than the products: if that is a "
                f"co-product, write it under byproducts ({{{formula}: 1}})")
    if all(n < 0 for n in surplus.values()):
        formula = hill_formula({el: -round(n) for el, n in surplus.items()})
        return (f"; the products have {formula} more than the reactants: a reactant or a "
                "coefficient is missing")
    return ""


def _reaction(product_id: str, product: Product, product_elements: dict[str, float],
              product_mass: float, reactant_moles: Mapping[str, Interval | None],
              reactant_formulas: Mapping[str, Mapping[str, float] | None],
              unlimited: frozenset[str],
              reactant_needs: Mapping[str, tuple[str, ...]] | None = None) -> Balance:
    reaction = product.reaction
    assert reaction is not None
    problems: list[str] = []
    # Element balance of the equation itself: Σ ν_i · atoms_i = ν_P · atoms_P + Σ ν_b · atoms_b
    # (the by-products, such as the water of an esterification).
    left: dict[str, float] = {}
    for mid, nu in reaction.reactants.items():
        formula = reactant_formulas.get(mid)
        if formula is None:
            problems.append(f"reactant '{mid}' has no formula; the equation cannot be checked")
            continue
        for el, n in formula.items():
            left[el] = left.get(el, 0.0) + nu * n
    right = {el: reaction.product_coefficient * n for el, n in product_elements.items()}
    for byproduct, nu in reaction.byproducts.items():  # readable: the model checked them
        for el, n in parse_formula(byproduct).elements.items():
            right[el] = right.get(el, 0.0) + nu * n
    unbalanced = sorted(el for el in set(left) | set(right)
                        if abs(left.get(el, 0.0) - right.get(el, 0.0)) > 1e-6)
    if unbalanced and not any("no formula" in p for p in problems):
        problems.append("unbalanced in " + ", ".join(
            f"{el} ({left.get(el, 0.0):g} → {right.get(el, 0.0):g})" for el in unbalanced)
            + _what_differs({el: left.get(el, 0.0) - right.get(el, 0.0) for el in unbalanced}))
    units: dict[str, Interval] = {}
    for mid, nu in reaction.reactants.items():
        if mid in unlimited:
            continue
        moles = reactant_moles.get(mid)
        if moles is None:
            needs = (reactant_needs or {}).get(mid)
            problems.append(f"the moles of reactant '{mid}' cannot be worked out without "
                            f"{' and '.join(needs)}" if needs else
                            f"the amount of reactant '{mid}' is not known")
            continue
        units[mid] = moles / nu
    if not units:
        return Balance(product_id, "reaction", problems=tuple(problems))
    limiting_id = min(units, key=lambda m: units[m].nominal)
    tied = tuple(m for m in units if abs(units[m].nominal - units[limiting_id].nominal)
                 <= 1e-9 * max(units[limiting_id].nominal, 1e-30))
    formula_units = Interval(min(u.low for u in units.values()), units[limiting_id].nominal,
                             min(u.high for u in units.values())) * reaction.product_coefficient
    return Balance(product_id, "reaction", (), units, tied, tied, formula_units, None,
                   product_mass, tuple(problems))
