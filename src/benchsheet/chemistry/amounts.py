"""The amounts table: moles, mass and volume of every material, and gas in headspaces.

This is the one place chemistry numbers come from. Checks, sheets and exports read the table;
none of them converts an amount again. Internal units: mol, g, mL, K, Pa.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar, overload

from benchsheet.chemistry.formula import FormulaError, parse_formula
from benchsheet.chemistry.gas_release import GAS_NAMES, gives_gas_with_partner
from benchsheet.chemistry.interval import Interval
from benchsheet.chemistry.resolve import ResolvedReagent, resolve
from benchsheet.chemistry.stoichiometry import Balance, balance_product
from benchsheet.chemistry.vessels import (
    AMBIENT_K,
    Held,
    Timeline,
    VesselState,
    condensed_volume_mL,
    liquid_above,
    simulate,
)
from benchsheet.chemistry.walk_memo import WalkMemo
from benchsheet.memo import ByIdentity
from benchsheet.model.materials import GasCharge, GasFlow, GasSupply, Material
from benchsheet.model.product import Product
from benchsheet.model.protocol import Protocol
from benchsheet.reagents.library import ReagentLibrary
from benchsheet.units import Measured, absolute_pressure_pa

_T = TypeVar("_T")
_O = TypeVar("_O")


class _Once(Generic[_O, _T]):
    """``functools.cached_property`` without the lock Python 3.11 takes on its first read of
    every instance: the value is worked out once and kept in the instance's ``__dict__``,
    where later reads find it without calling here. The walk reads it of every material it
    adds (10,000 of them in a grown protocol), each material once."""

    def __init__(self, compute: Callable[[_O], _T]) -> None:
        self._compute = compute
        self._name = compute.__name__
        self.__doc__ = compute.__doc__

    @overload
    def __get__(self, instance: None, owner: type[_O]) -> _Once[_O, _T]: ...

    @overload
    def __get__(self, instance: _O, owner: type[_O]) -> _T: ...

    def __get__(self, instance: _O | None, owner: type[_O]) -> _T | _Once[_O, _T]:
        if instance is None:
            return self
        value = instance.__dict__[self._name] = self._compute(instance)
        return value

R = 8.314462618  # J/(mol·K), exact since the 2019 SI redefinition (CODATA 2018)
STANDARD_T_K = 273.15  # sccm and similar flow units refer to 0 °C and 1 atm
STANDARD_P_PA = 101_325.0

Basis = Literal["moles", "mass", "volume", "solution", "gas-charge", "gas-flow", "atmosphere",
                "nominal", "solvent-part", "unknown"]
# A solution's solvent is tracked as a part of the solution material, under this id.
PART_SEPARATOR = ":"
# Roles whose material is added after the product forms: not a source of the product's atoms.
# A drying agent (Na2SO4, MgSO4) takes up water in the work-up and gives the product nothing.
WORKUP_ROLES = frozenset({"wash", "antisolvent", "scavenger", "sample", "standard", "atmosphere",
                          "drying-agent"})


@dataclass(frozen=True)
class GasInHeadspace:
    """A gas charged once into a closed vessel: n = P·V / (Z·R·T)."""

    material_id: str
    vessel: str
    pressure_abs_Pa: Interval
    temperature_K: float
    vessel_volume_mL: float
    condensed_volume_mL: float  # liquids and solids already in the vessel
    headspace_mL: float
    z: float  # compressibility from the second virial coefficient; 1 without data
    moles: Interval
    replenished: bool


@dataclass(frozen=True)
class MaterialAmount:
    """One material's amounts; ``None`` where the data cannot give a value."""

    material_id: str
    material: Material
    reagent: ResolvedReagent
    basis: Basis
    moles: Interval | None  # mol of the substance itself (purity applied)
    mass: Interval | None  # g of what is weighed (the solution's solute for a solution)
    volume: Interval | None  # mL as dispensed
    missing: tuple[str, ...] = ()  # what would be needed to compute the rest
    part_of: str | None = None  # the solution material this is the solvent of

    @property
    def scalable(self) -> bool:
        return self.basis in ("moles", "mass", "volume", "solution")

    @_Once
    def gives_gas(self) -> bool:
        """``gas_release.gives_gas_with_partner`` of this material, worked out once: the
        variants of a file share the amounts of the materials they do not change
        (``_amount_of``), and each variant's vessel walk asks of every material it adds."""
        return gives_gas_with_partner(self)

    @_Once
    def liquid_above(self) -> float:
        """``vessels.liquid_above`` of this material (when it goes with a vessel's liquid),
        worked out once, as ``gives_gas`` is: each separation asks it of every material."""
        return liquid_above(self)


def _entry(material_id: str, material: Material, reagent: ResolvedReagent, basis: Basis,
           moles: Interval | None, mass: Interval | None, volume: Interval | None,
           missing: tuple[str, ...] = (), part_of: str | None = None) -> MaterialAmount:
    """``MaterialAmount(...)`` without the frozen dataclass's ``__init__``, which sets each of
    its nine fields through ``object.__setattr__``: the table makes one per material (10,000
    in a grown protocol). Every field is set, by name (checked below against the class)."""
    entry: MaterialAmount = object.__new__(MaterialAmount)
    entry.__dict__.update({
        "material_id": material_id, "material": material, "reagent": reagent, "basis": basis,
        "moles": moles, "mass": mass, "volume": volume, "missing": missing,
        "part_of": part_of})
    return entry


# Each field given its own name as its value: the entry must hold each under its name.
_AMOUNT_FIELDS: list[Any] = [f.name for f in dataclasses.fields(MaterialAmount)]
if _entry(*_AMOUNT_FIELDS).__dict__ != {name: name for name in _AMOUNT_FIELDS}:
    raise AssertionError("_entry must set every field of MaterialAmount, in order")


_MISSING = object()


@dataclass
class AmountsTable:
    materials: dict[str, MaterialAmount]
    timeline: Timeline
    gases: dict[str, GasInHeadspace] = field(default_factory=dict)
    balances: dict[str, Balance] = field(default_factory=dict)  # per product id
    # The solvents of solutions, as parts of their solution material ("nBuLi:solvent").
    parts: dict[str, MaterialAmount] = field(default_factory=dict)
    # The library entry of each gas a step gives off, by formula (None: not in the library).
    released_gases: dict[str, ResolvedReagent | None] = field(default_factory=dict)
    # Figures of one vessel's contents, by the state's held tuple: the timeline shares one
    # tuple among the states of a vessel that nothing changed, so each is worked out once.
    _of_contents: dict[tuple[str, int], tuple[object, object]] = field(
        default_factory=dict, repr=False, compare=False)
    _last_contents: dict[tuple[str, str], tuple[Sequence[Held], object]] = field(
        default_factory=dict, repr=False, compare=False)
    _derived: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def derived(self, key: str, compute: Callable[[], _T]) -> _T:
        """``compute()`` of this table, worked out once and kept under ``key``: a figure
        several readers take from the finished table (its substances, for the hazard rules
        and the sheet). The table is not changed once ``compute_amounts`` returns it."""
        hit = self._derived.get(key, _MISSING)
        if hit is _MISSING:
            hit = self._derived[key] = compute()
        value: _T = hit  # type: ignore[assignment]  # stored by this key's compute
        return value

    def of_contents(self, key: str, held: Sequence[object], compute: Callable[[], _T]) -> _T:
        """``compute()`` for the contents ``held`` (one vessel state's), remembered under
        ``key`` while that tuple lives in the timeline."""
        slot = (key, id(held))
        hit = self._of_contents.get(slot)
        if hit is not None and hit[0] is held:
            value: _T = hit[1]  # type: ignore[assignment]  # stored by this key's compute
            return value
        result = compute()
        self._of_contents[slot] = (held, result)
        return result

    def of_growing_contents(self, key: str, vessel: str, held: Sequence[Held],
                            compute: Callable[[Sequence[Held], _T | None], _T]) -> _T:
        """A figure that adds up over a vessel's contents (its liquid volume), worked out as
        ``compute(new_items, figure_so_far)``: from what the vessel's previous state held
        when this one holds the same and more (an addition), else from scratch."""
        last = self._last_contents.get((key, vessel))
        if last is not None and last[0] is held:
            same: _T = last[1]  # type: ignore[assignment]  # stored by this key's compute
            return same
        before: Sequence[Held] = last[0] if last is not None else ()
        if last is not None and self.timeline.extends(held, before):
            so_far: _T = last[1]  # type: ignore[assignment]  # stored by this key's compute
            result = compute(held[len(before):], so_far)
        else:
            result = compute(held, None)
        self._last_contents[(key, vessel)] = (held, result)
        return result

    @property
    def main_product(self) -> str | None:
        """The product the protocol is for: the one marked ``main: true``, else the last one a
        step makes (an intermediate such as a Grignard reagent comes before it), else the last
        declared. Equivalents, mol % and --target are taken against it."""
        marked = [pid for pid, b in self.balances.items() if b.main]
        if marked:
            return marked[0]
        formed = [pid for pid in self.timeline.formations if pid in self.balances]
        if formed:
            return formed[-1]
        return next(reversed(self.balances), None) if self.balances else None

    def balances_main_first(self) -> list[tuple[str, Balance]]:
        """The product balances with the main product first, the rest in declared order."""
        main = self.main_product
        return sorted(self.balances.items(), key=lambda item: item[0] != main)

    def entry(self, material_id: str) -> MaterialAmount | None:
        """A material's amounts, or a solution part's."""
        found = self.materials.get(material_id)
        return found if found is not None else self.parts.get(material_id)

    def element_moles(self, element: str, *, include_workup: bool = False,
                      shares: Mapping[str, float] | None = None) -> Interval:
        """Moles of an element over all materials that can supply it to a product; with
        ``shares``, only the share of each material that reached the product's vessel."""
        return _element_moles(self._suppliers(include_workup), element, shares)

    def _suppliers(self, include_workup: bool = False) -> Suppliers:
        """(id, moles, atoms per formula) of each material with a formula that can supply a
        product (or any, with ``include_workup``), in the materials' order: listed once per
        table, from its final materials (the balances are worked out after the gases)."""
        return self.derived("suppliers with work-up" if include_workup else "suppliers", lambda: [
            (mid, entry.moles, entry.reagent.formula.elements)
            for mid, entry in self.materials.items()
            if entry.reagent.formula is not None
            and (include_workup or entry.material.role not in WORKUP_ROLES)])

    def moles_of(self, material_ids: Iterable[str], element: str | None = None
                 ) -> Interval | None:
        """Moles of the named materials together, or of ``element`` in them (its count in
        each formula times the material's moles); None if any has no molar amount. The one
        sum behind a ratio claim and the bench notebook's recomputed ratios."""
        total = Interval.point(0.0)
        for mid in material_ids:
            entry = self.materials.get(mid)
            if entry is None or entry.moles is None:
                return None
            count = 1.0
            if element is not None:
                formula = entry.reagent.formula
                count = formula.elements.get(element, 0.0) if formula is not None else 0.0
            total = total + entry.moles * count
        return total

    def sources_of(self, element: str) -> list[str]:
        """Material ids whose formula contains ``element`` (work-up materials excluded)."""
        return _sources(self._suppliers(), element)


Suppliers = list[tuple[str, Interval | None, Mapping[str, float]]]  # AmountsTable._suppliers


def _element_moles(suppliers: Suppliers, element: str, shares: Mapping[str, float] | None
                   ) -> Interval:
    """``AmountsTable.element_moles`` over ``AmountsTable._suppliers``: the sum of
    moles · (count · share) from 0, added up end by end as ``Interval`` arithmetic does it,
    without two intervals per term."""
    low = nominal = high = 0.0
    for mid, moles, counts in suppliers:
        count = counts.get(element, 0.0)
        if moles is None or not count:
            continue
        share = 1.0 if shares is None else shares.get(mid, 0.0)
        if share > 0:
            factor = count * share
            a, b = moles.low * factor, moles.high * factor
            low += min(a, b)
            nominal += moles.nominal * factor
            high += max(a, b)
    return Interval(low, nominal, high)


def _sources(suppliers: Suppliers, element: str, shares: Mapping[str, float] | None = None
             ) -> list[str]:
    """``AmountsTable.sources_of`` over ``AmountsTable._suppliers``; with ``shares`` (what
    the vessel held where a product formed) only those the vessel held, as
    ``_element_moles`` counts them."""
    return [mid for mid, _, counts in suppliers if counts.get(element, 0.0) > 0
            and (shares is None or shares.get(mid, 0.0) > 0)]


def _material_amount(mid: str, material: Material, reagent: ResolvedReagent) -> MaterialAmount:
    missing: list[str] = []
    mm, rho = reagent.molar_mass, reagent.density
    purity = material.purity.to("dimensionless") if material.purity is not None else 1.0
    amount = material.amount
    if material.gas is not None and amount is None:
        basis: Basis = "gas-charge" if isinstance(material.gas, GasCharge) else (
            "gas-flow" if isinstance(material.gas, GasFlow) else "atmosphere")
        return _entry(mid, material, reagent, basis, None, None, None)
    if amount is None and material.nominal is not None:
        return _entry(mid, material, reagent, "nominal", None, None, None)
    if amount is None:
        return _entry(mid, material, reagent, "unknown", None, None, None,
                              ("an amount",))
    if material.concentration is not None:  # a solution, measured by volume or mass
        volume, mass, moles, solution_mass = _solution(material, amount, mm)
        if moles is None and material.concentration != "saturated" and mm is None:
            missing.append("a molar mass (formula)")
        basis = "solution"
        if volume is None and solution_mass is not None and material.density is not None:
            volume = solution_mass / material.density.to("g/mL")
        return _entry(mid, material, reagent, basis, moles, mass, volume,
                              tuple(missing))
    moles = mass = volume = None
    if amount.dimension == "amount":
        moles = Interval.of(amount.magnitudes("mol"))
        if mm is not None:
            mass = moles * mm / purity
        else:
            missing.append("a molar mass (formula)")
        basis = "moles"
    elif amount.dimension == "mass":
        mass = Interval.of(amount.magnitudes("g"))
        if mm is not None:
            moles = mass * purity / mm
        else:
            missing.append("a molar mass (formula)")
        basis = "mass"
    else:
        volume = Interval.of(amount.magnitudes("mL"))
        basis = "volume"
        if rho is not None:
            mass = volume * rho
            if mm is not None:
                moles = mass * purity / mm
            else:
                missing.append("a molar mass (formula)")
        else:
            missing.append("a density")
    if basis == "volume" and volume is None:  # pragma: no cover - defensive
        missing.append("a volume")
    if basis in ("moles", "mass") and rho is not None and mass is not None:
        volume = mass / rho
    return _entry(mid, material, reagent, basis, moles, mass, volume, tuple(missing))


def _solution(material: Material, amount: Measured, mm: float | None
              ) -> tuple[Interval | None, Interval | None, Interval | None, Interval | None]:
    """(solution volume mL, solute mass g, solute mol, solution mass g) of a solution."""
    conc = material.concentration
    volume = Interval.of(amount.magnitudes("mL")) if amount.dimension == "volume" else None
    solution_mass = Interval.of(amount.magnitudes("g")) if amount.dimension == "mass" else None
    if solution_mass is None and volume is not None and material.density is not None:
        solution_mass = volume * material.density.to("g/mL")
    moles = mass = None
    if conc is None or isinstance(conc, str):  # saturated: the solubility is not known here
        return volume, None, None, solution_mass
    if conc.dimension == "molar_concentration" and volume is not None:
        moles = volume * Interval.of(conc.magnitudes("mol/mL"))
        mass = moles * mm if mm is not None else None
    elif conc.dimension == "mass_concentration" and volume is not None:
        mass = volume * Interval.of(conc.magnitudes("g/mL"))
        moles = mass / mm if mm is not None else None
    elif conc.dimension == "mass_fraction" and solution_mass is not None:
        mass = solution_mass * Interval.of(conc.magnitudes("dimensionless"))
        moles = mass / mm if mm is not None else None
    elif conc.dimension == "molality" and solution_mass is not None and mm is not None:
        # b = n / m_solvent and m = m_solvent + n·M  ⇒  n = b·m / (1 + b·M)
        b = conc.to("mol/kg") / 1000  # mol per g of solvent
        moles = solution_mass * (b / (1 + b * mm))
        mass = moles * mm
    return volume, mass, moles, solution_mass


def _solvent_part(owner: MaterialAmount, solvent: ResolvedReagent) -> MaterialAmount:
    """The solvent of a solution as its own entry: its mass is the solution's less the
    solute's; without the solution's density, the solution's volume less the solute's (from
    the solute's density, else none) at the solvent's density."""
    material = owner.material
    mass: Interval | None = None
    if material.density is not None and owner.volume is not None:
        mass = owner.volume * material.density.to("g/mL")
        if owner.mass is not None:
            mass = mass - owner.mass
    elif material.amount is not None and material.amount.dimension == "mass":
        mass = Interval.of(material.amount.magnitudes("g"))
        if owner.mass is not None:
            mass = mass - owner.mass
    elif owner.volume is not None and solvent.density is not None:
        liquid = owner.volume
        if owner.mass is not None and owner.reagent.density is not None:
            liquid = liquid - owner.mass / owner.reagent.density
        mass = liquid * solvent.density
    moles = mass / solvent.molar_mass if mass is not None and solvent.molar_mass else None
    part_id = f"{owner.material_id}{PART_SEPARATOR}solvent"
    assert material.solvent is not None
    part = Material.model_construct(reagent=material.solvent, role="solvent",
                                    amount=None, when=True)
    return _entry(part_id, part, solvent, "solvent-part", moles, mass, None,
                          part_of=owner.material_id)


def condensed_volume(state: VesselState, amounts: AmountsTable) -> float:
    """mL that the liquids and solids of ``state`` take up (0 when none has a volume)."""
    return condensed_volume_mL(((h.material_id, h.share) for h in state.held),
                               amounts.entry) or 0.0


def expansion(entry: MaterialAmount, amounts: AmountsTable, t_k: float) -> float:
    """How much a liquid measured out at 25 °C grows at ``t_k``: ρ(25 °C)/ρ(T) on its density
    points (a solution by its solvent's), 1 where they are not known or it is a solid."""
    liquid = entry
    if entry.material.solvent is not None:
        liquid = amounts.parts.get(f"{entry.material_id}{PART_SEPARATOR}solvent") or entry
    record = liquid.reagent.record
    if record is None or not record.density_points:
        return 1.0
    if record.melting_point_K is not None and record.melting_point_K.value > t_k:
        return 1.0  # frozen there: a solid's small expansion is not modelled
    at_25, at_t = record.density_at(AMBIENT_K), record.density_at(t_k)
    return at_25 / at_t if at_25 and at_t else 1.0


def condensed_volume_at(state: VesselState, amounts: AmountsTable) -> float:
    """``condensed_volume`` at the state's temperature: each liquid's volume grown (or
    shrunk) by its density there, so a sealed vessel heated to 70 °C has the headspace its
    expanded liquid leaves."""
    return condensed_volume_mL(
        ((h.material_id, h.share) for h in state.held), amounts.entry,
        lambda found: expansion(found, amounts, state.temperature_K)) or 0.0


def _charge(mid: str, gas: GasCharge, entry: MaterialAmount, protocol: Protocol,
            timeline: Timeline, amounts: AmountsTable) -> GasInHeadspace | None:
    vessel = protocol.vessels.get(gas.vessel)
    v_total = vessel.capacity_mL() if vessel is not None else None
    if v_total is None:
        return None
    # The liquids present when the gas goes in: the last snapshot of that vessel holding it.
    state = next((s for s in timeline if s.vessel == gas.vessel and mid in s.materials), None)
    condensed = condensed_volume(state, amounts) if state else 0.0
    headspace = max(v_total - condensed, 0.0)
    t_k = gas.temperature.to("kelvin")
    pressure = Interval(
        absolute_pressure_pa(gas.pressure, "low"), absolute_pressure_pa(gas.pressure),
        absolute_pressure_pa(gas.pressure, "high"),
    )
    b = entry.reagent.record.second_virial(t_k) if entry.reagent.record else None
    v_m3 = headspace * 1e-6
    # Z = 1 + B·P/(R·T)  ⇒  n = P·V / (R·T + B·P)
    if b is not None:
        moles = Interval(*(p * v_m3 / (R * t_k + b * p)
                           for p in (pressure.low, pressure.nominal, pressure.high)))
        z = 1 + b * pressure.nominal / (R * t_k)
    else:
        moles = pressure * (v_m3 / (R * t_k))
        z = 1.0
    return GasInHeadspace(mid, gas.vessel, pressure, t_k, v_total, condensed, headspace, z,
                          moles, gas.replenished)


def compute_amounts(protocol: Protocol, library: ReagentLibrary,
                    shared: ByIdentity[Any] | None = None) -> AmountsTable:
    """Build the amounts table of one concrete protocol. ``shared`` is the memo of the
    file's variants (``validate.validate_document``; None for a file of one variant): a
    variant whose vessel walk is an earlier variant's takes that walk (``walk_memo``)."""
    materials: dict[str, MaterialAmount] = {}
    parts: dict[str, MaterialAmount] = {}
    part_ids: dict[str, tuple[str, ...]] = {}
    gases: list[tuple[str, GasSupply]] = []  # charged, fed or the atmosphere: after the walk
    known: _Known | None = (shared.get(_AMOUNTS, dict, library) if shared is not None
                            else None)
    for mid, material in protocol.materials.items():
        if material.when is not True:
            continue
        materials[mid], part = _amount_of(mid, material, library, known)
        if part is not None:  # a solution: its solvent is tracked as a part
            parts[part.material_id] = part
            part_ids[mid] = (part.material_id,)
        if material.gas is not None:
            gases.append((mid, material.gas))
    table = AmountsTable(materials, Timeline(), parts=parts)

    def walk() -> Timeline:
        return simulate(protocol, table.entry, part_ids, _gas_check(library))

    walks: WalkMemo | None = shared.get(_WALKS, WalkMemo) if shared is not None else None
    table.timeline = timeline = walk() if walks is None else walks.timeline(
        protocol, library, materials, parts, walk)
    for state in timeline:
        for release in state.released:
            if release.formula not in table.released_gases:
                hits = library.find(release.formula)
                table.released_gases[release.formula] = resolve(
                    Material.model_construct(reagent=hits[0].id, when=True, form=None),
                    library) if len(hits) == 1 else None
    for mid, gas in gases:
        entry = materials[mid]
        if isinstance(gas, GasCharge):
            charged = _charge(mid, gas, entry, protocol, timeline, table)
            if charged is not None:
                table.gases[mid] = charged
                materials[mid] = _entry(
                    mid, entry.material, entry.reagent, "gas-charge", charged.moles,
                    charged.moles * entry.reagent.molar_mass
                    if entry.reagent.molar_mass else None, None)
        elif isinstance(gas, GasFlow) and gas.flow_rate is not None and gas.duration:
            # A feed: volume at standard conditions → moles; the supply is not limited.
            litres = Interval.of(gas.flow_rate.magnitudes("L/min")) * gas.duration.to("minute")
            moles = litres * (1e-3 * STANDARD_P_PA / (R * STANDARD_T_K))
            materials[mid] = _entry(mid, entry.material, entry.reagent, "gas-flow",
                                            moles, None, None)
    table.balances = _balances(protocol, table)
    return table


# What the walks of a file's variants are kept under in the file's shared memo, and the
# amounts of its materials (``_Known``, one per library).
_WALKS = object()
_AMOUNTS = object()

# (material id, id of the material model) -> (the model, kept so its id stays its own; the
# amount; its solvent part). The variants of a file share the models of the materials they
# do not change (model.parse), so each is resolved and worked out once per file, not once per
# variant. It lives in the file's shared memo, as long as the file: a bound shared by the
# files of a run was emptied over and over by a file of more materials than it held.
_Known = dict[tuple[str, int], tuple[Material, "MaterialAmount", "MaterialAmount | None"]]


def _amount_of(mid: str, material: Material, library: ReagentLibrary, known: _Known | None
               ) -> tuple[MaterialAmount, MaterialAmount | None]:
    """A material's amounts and, for a solution, its solvent part (models are frozen, so
    one model always gives the same); ``known``: those the file's other variants worked out
    (None for a file of one variant)."""
    if known is not None:
        hit = known.get((mid, id(material)))
        if hit is not None:
            return hit[1], hit[2]
    entry = _material_amount(mid, material, resolve(material, library))
    part = None
    if material.solvent is not None:
        solvent = resolve(Material.model_construct(reagent=material.solvent, when=True,
                                                   form=None), library)
        part = _solvent_part(entry, solvent)
    if known is not None:
        known[(mid, id(material))] = (material, entry, part)
    return entry, part


def _gas_check(library: ReagentLibrary) -> Callable[[str, float], bool]:
    """Is a by-product (by formula) a gas at a temperature? Its library entry's boiling
    point says; a formula the library does not know is taken as the gas the reaction
    declares it to be only when it is one of the common gaseous by-products."""

    def is_gas(formula: str, temperature_K: float) -> bool:
        hits = library.find(formula)
        record = hits[0] if len(hits) == 1 else None
        if record is not None and record.boiling_point_K is not None:
            return record.boiling_point_K.value < temperature_K
        if record is not None:
            return record.phase_25C == "gas"
        return formula in GAS_NAMES and formula not in ("C2H6S",)

    return is_gas


def _unlimited_supplies(table: AmountsTable) -> frozenset[str]:
    """Gases fed continuously or recharged during the run, and saturated solutions (a quench
    or wash in excess, whose solubility is not known here): never the limiting reagent."""
    out = set()
    for mid, entry in table.materials.items():
        gas = entry.material.gas
        if (isinstance(gas, GasFlow) or (isinstance(gas, GasCharge) and gas.replenished)
                or entry.material.concentration == "saturated"):
            out.add(mid)
    return frozenset(out)


def _elements_of(product: Product) -> frozenset[str]:
    """The elements a product is balanced in: its composition's, its ``balance_elements``
    and its formula's."""
    elements: set[str] = set()
    if product.composition is not None:
        c = product.composition
        elements |= set(c.cations) | set(c.anions)
        if c.dopant is not None:
            elements.add(c.dopant.element)
    elements |= set(product.balance_elements or ())
    if product.formula:
        with contextlib.suppress(FormulaError):
            elements |= set(parse_formula(product.formula).elements)
    return frozenset(elements)


# A product model -> ``_elements_of`` it. They depend on the (frozen) model alone, and the
# variants of a file share the models of the products they do not change (model.parse).
_PRODUCT_ELEMENTS: ByIdentity[frozenset[str]] = ByIdentity(most=1024)


def _balances(protocol: Protocol, table: AmountsTable) -> dict[str, Balance]:
    out: dict[str, Balance] = {}
    products = [(pid, product) for pid, product in protocol.products.items()
                if product.when is True]
    if not products:
        return out
    # What all the products are balanced against: worked out once, not once per product
    # (the unlimited supplies only when a reaction's balance will read them).
    suppliers = table._suppliers()
    unlimited = _unlimited_supplies(table) if any(
        product.reaction is not None for _, product in products) else frozenset()
    for pid, product in products:
        elements = _PRODUCT_ELEMENTS.get(product, functools.partial(_elements_of, product))
        formed = table.timeline.formations.get(pid)
        shares = dict(formed.shares) if formed is not None else None
        element_moles = {el: _element_moles(suppliers, el, shares) for el in elements}
        sources = {el: _sources(suppliers, el, shares) for el in elements}
        reactants = product.reaction.reactants if product.reaction else {}
        reactant_moles = {mid: (e.moles * (1.0 if shares is None else shares.get(mid, 0.0))
                                if e is not None and e.moles is not None else None)
                          for mid, e in ((m, table.materials.get(m)) for m in reactants)}
        reactant_formulas = {
            mid: (dict(e.reagent.formula.elements) if e is not None and e.reagent.formula
                  else None)
            for mid, e in ((m, table.materials.get(m)) for m in reactants)
        }
        reactant_needs = {mid: e.missing for mid, e in ((m, table.materials.get(m))
                                                         for m in reactants)
                          if e is not None and e.moles is None and e.missing}
        try:
            out[pid] = balance_product(pid, product, element_moles, sources, reactant_moles,
                                       reactant_formulas, unlimited, reactant_needs)
        except FormulaError as exc:  # a composition naming something that is no element
            out[pid] = Balance(pid, "composition", problems=(f"unknown element: {exc}",))
        if product.main:
            out[pid] = dataclasses.replace(out[pid], main=True)
    return out
