"""The bench timeline: what each vessel holds, and in what state, after every step.

The steps are played once, in order, like a chemist reading the procedure with a notebook
beside them. A vessel holds *shares* of materials (the fraction of each material's total amount
that is in it), so every amount on the timeline is the amounts table's number times a share and
nothing is converted twice. Additions charge a material whole or a portion of it; a transfer
moves all or a portion of a vessel's contents; separations (centrifuge, filter, decant, wash,
recrystallise, extract) send the part not kept to waste or another vessel; evaporation and
distillation take out what they boil off. Each vessel also has a temperature, an enclosure
(open or sealed, changed by seal/open/evacuate/freeze-pump-thaw steps), an atmosphere, and the
gas it has released into a sealed headspace. A product forms where its step says (its
reactants stay: a hazard must not be forgotten while some may be left); a protic quench
destroys the water-reactive reagents it meets; gases a step releases are recorded with the
state.

Checks, sheets and exports read the states; nothing else walks the steps. Each state records
only the vessel the step touched, so the timeline is linear in steps × vessels touched.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from benchsheet.chemistry.gas_release import (
    GasCheck,
    GasRelease,
    byproduct_releases,
    is_water,
    is_water_reactive,
    pair_releases,
)
from benchsheet.chemistry.prefix import Prefix
from benchsheet.findings import PathPart
from benchsheet.model.protocol import Protocol
from benchsheet.model.steps import (
    Add,
    Bubble,
    Centrifuge,
    Cool,
    Dissolve,
    Distill,
    Evacuate,
    Evaporate,
    Extract,
    Filter,
    FreezePumpThaw,
    Heat,
    Inject,
    Open,
    Pressurize,
    Quench,
    Recrystallize,
    Redisperse,
    Seal,
    Step,
    Stir,
    Vent,
    Wash,
)
from benchsheet.units import Measured

if TYPE_CHECKING:
    from benchsheet.chemistry.amounts import MaterialAmount

AMBIENT_K = 298.15  # 25 °C: what a vessel is at before any step sets its temperature
ICE_BATH_K = 273.15
EPSILON = 1e-9  # shares below this are gone

Enclosure = Literal["open", "sealed"]
# A vessel under one of these holds no air: what a pyrophoric reagent needs.
INERT_ATMOSPHERES = frozenset({"argon", "nitrogen", "vacuum", "CO", "CO2", "hydrogen"})


@dataclass(frozen=True)
class Held:
    """A share of one material (or a solution's solvent part) in a vessel."""

    material_id: str
    share: float  # fraction of the material's total amount
    dissolved: bool = False


@dataclass(frozen=True)
class VesselState:
    """One vessel during one step: what it holds, how hot, open or sealed, under what gas."""

    step_path: tuple[PathPart, ...]
    action: str
    vessel: str
    held: Sequence[Held]  # a Prefix shared with the vessel's later states, or a tuple
    temperature_K: float
    temperature_stated: bool  # False: inherited from an earlier step or ambient
    reflux: bool = False  # heated at reflux under a condenser: boiling is intended
    # Materials boiled off on purpose at this step (distilled, evaporated): no PH102 for them.
    boils_off: tuple[str, ...] = ()
    enclosure: Enclosure = "open"
    atmosphere: str = "air"
    # While sealed: the temperature it was sealed at and the gas then in it ("vacuum" when
    # evacuated); gas released into the closed headspace since then, mol (None: not known).
    sealed_at_K: float = AMBIENT_K
    sealed_gas: str = "air"
    released: tuple[GasRelease, ...] = ()  # released by this step
    released_sealed_mol: float | None = 0.0  # accumulated while sealed
    products: tuple[str, ...] = ()  # products formed and still in the vessel
    added: tuple[str, ...] = ()  # materials this step measured out into the vessel
    # The ids of ``held``, when the walk has them (shared by the states of one vessel).
    held_ids: Sequence[str] | None = field(default=None, repr=False, compare=False)

    @property
    def materials(self) -> Sequence[str]:
        """Ids of what the vessel holds (materials and solution parts), in order of arrival."""
        if self.held_ids is not None:
            return self.held_ids
        return tuple(h.material_id for h in self.held)

    def share(self, material_id: str) -> float:
        return sum(h.share for h in self.held if h.material_id == material_id)

    @property
    def sealed(self) -> bool:
        return self.enclosure == "sealed"

    @property
    def inert(self) -> bool:
        """No air in it: under an inert gas or vacuum."""
        return self.atmosphere in INERT_ATMOSPHERES


def _new_state(step_path: tuple[PathPart, ...], action: str, vessel: str,
               held: Sequence[Held], temperature_K: float, temperature_stated: bool,
               reflux: bool, boils_off: tuple[str, ...], enclosure: Enclosure,
               atmosphere: str, sealed_at_K: float, sealed_gas: str,
               released: tuple[GasRelease, ...], released_sealed_mol: float | None,
               products: tuple[str, ...], added: tuple[str, ...],
               held_ids: Sequence[str] | None) -> VesselState:
    """``VesselState(...)`` without the frozen dataclass's ``__init__``, which sets each of
    the 17 fields through ``object.__setattr__``: the walk makes a state at every step, and
    this takes a third of the time. Every field is set, by name, in one dict (checked below
    against the class)."""
    state: VesselState = object.__new__(VesselState)
    state.__dict__.update({
        "step_path": step_path, "action": action, "vessel": vessel, "held": held,
        "temperature_K": temperature_K, "temperature_stated": temperature_stated,
        "reflux": reflux, "boils_off": boils_off, "enclosure": enclosure,
        "atmosphere": atmosphere, "sealed_at_K": sealed_at_K, "sealed_gas": sealed_gas,
        "released": released, "released_sealed_mol": released_sealed_mol,
        "products": products, "added": added, "held_ids": held_ids})
    return state


# Each field given its own name as its value: the state must hold each under its name.
_STATE_FIELDS: list[Any] = [f.name for f in dataclasses.fields(VesselState)]
if _new_state(*_STATE_FIELDS).__dict__ != {name: name for name in _STATE_FIELDS}:
    raise AssertionError("_new_state must set every field of VesselState, in order")


@dataclass(frozen=True)
class PortionProblem:
    """What the walk finds wrong at a step: a portion that cannot be taken as written (ST114,
    ST115, ST116), a work-up of a vessel that holds nothing (ST119)."""

    code: str
    path: tuple[PathPart, ...]
    message: str
    hint: str


@dataclass(frozen=True)
class Formation:
    """Where and when a product formed, and the share of each material that reached it."""

    product_id: str
    step_path: tuple[PathPart, ...]
    vessel: str
    shares: Mapping[str, float]


@dataclass
class Timeline:
    """Every vessel state in step order, with what the walk found along the way."""

    states: list[VesselState] = field(default_factory=list)
    problems: list[PortionProblem] = field(default_factory=list)
    formations: dict[str, Formation] = field(default_factory=dict)
    # Material id -> share of it that steps charged (1.0: all of it).
    dispensed: dict[str, float] = field(default_factory=dict)
    # id of a state's Held tuple -> (that tuple, the tuple it extends): contents that only
    # grew since the vessel's previous state, so a figure of them can be carried forward.
    _grown_from: dict[int, tuple[Sequence[Held], Sequence[Held]]] = field(
        default_factory=dict, repr=False)

    def extends(self, held: Sequence[Held], before: Sequence[Held]) -> bool:
        """Whether ``held`` is ``before`` with more materials after it (a state's contents
        after only arrivals), known from the walk without comparing the two."""
        grown = self._grown_from.get(id(held))
        return grown is not None and grown[0] is held and grown[1] is before

    def __iter__(self) -> Iterator[VesselState]:
        return iter(self.states)

    def __len__(self) -> int:
        return len(self.states)

    def __getitem__(self, index: int) -> VesselState:
        return self.states[index]

    _by_vessel: dict[str, list[VesselState]] | None = field(default=None, repr=False)
    _by_path: dict[tuple[PathPart, ...], list[VesselState]] | None = field(default=None,
                                                                         repr=False)
    # Whether the walk read a number of a material's amounts (its moles, mass or volume,
    # or whether it has one): a portion written as an amount, a transfer of a stated
    # volume, a product formed by a reaction, a meeting that gives off gas.
    # Every such read sets it, where it is made (``_Player.read_amounts``). A walk that read
    # none is the walk of any protocol that differs from this one in its amounts alone
    # (``walk_memo``).
    reads_amounts: bool = field(default=False, repr=False, compare=False)

    def _index(self) -> None:
        self._by_vessel, self._by_path = {}, {}
        for state in self.states:
            self._by_vessel.setdefault(state.vessel, []).append(state)
            self._by_path.setdefault(tuple(state.step_path), []).append(state)

    def of(self, vessel: str) -> list[VesselState]:
        """The states of one vessel, in step order (indexed once, after the walk)."""
        if self._by_vessel is None:
            self._index()
        assert self._by_vessel is not None
        return self._by_vessel.get(vessel, [])

    def at(self, path: tuple[PathPart, ...]) -> list[VesselState]:
        """The states a step left (one per vessel it touched, two for a wash)."""
        if self._by_path is None:
            self._index()
        assert self._by_path is not None
        return self._by_path.get(tuple(path), [])

    def ever_held(self, vessel: str, material_id: str) -> bool:
        return any(material_id in s.materials for s in self.of(vessel))


class _Contents(dict[str, float]):
    """What a vessel holds (material id -> share), counting its changes: ``version`` goes up
    with every change, ``rewritten`` is the version of the last change that was not a new
    material arriving (a share changed, a material gone). A state taken after only arrivals
    extends the last state's tuple instead of copying the whole contents
    (``_Player.held_now``)."""

    __slots__ = ("arrivals", "rewritten", "version")

    def __init__(self) -> None:  # empty: dict.__init__ has nothing to add
        self.version = 0
        self.rewritten = 0
        self.arrivals: list[str] = []  # every material that arrived new, in order

    def __setitem__(self, key: str, value: float) -> None:
        self.version += 1
        if key in self:
            self.rewritten = self.version
        else:
            self.arrivals.append(key)
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: str) -> None:
        self.version += 1
        self.rewritten = self.version
        dict.__delitem__(self, key)

    def pop(self, key: str, default: float | None = None) -> float | None:  # type: ignore[override]  # only pop(key, None) is used
        self.version += 1
        self.rewritten = self.version
        return super().pop(key, default)

    def clear(self) -> None:
        self.version += 1
        self.rewritten = self.version
        super().clear()

    def popitem(self) -> tuple[str, float]:
        self.version += 1
        self.rewritten = self.version
        return super().popitem()

    def setdefault(self, key: str, default: float = 0.0) -> float:
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: object, **kwargs: float) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value


class _Dissolved(set[str]):
    """The ids of what is dissolved in a vessel, in the order they became so (``order``)."""

    __slots__ = ("order",)

    def __init__(self) -> None:  # empty: set.__init__ has nothing to add
        self.order: list[str] = []

    def add(self, element: str) -> None:
        if element not in self:
            self.order.append(element)
            set.add(self, element)


@dataclass
class _Vessel:
    """The player's working state of one vessel."""

    held: _Contents
    dissolved: _Dissolved
    temperature_K: float
    enclosure: Enclosure
    atmosphere: str
    sealed_at_K: float = AMBIENT_K
    sealed_gas: str = "air"
    released_sealed_mol: float | None = 0.0
    products: list[str] = field(default_factory=list)
    # What reached the vessel and is in it or was used up in it (a quenched reagent still
    # counts: the product that forms later is made from it).
    reached: dict[str, float] = field(default_factory=dict)
    # Under a condenser at reflux since a heating step said so, until it is cooled or heated
    # without reflux: an addition to a refluxing flask boils on purpose too.
    reflux: bool = False
    # Something that can give gas with a partner (gives_gas_with_partner) has been put or
    # moved in: until then an addition meets nothing, whatever the flask holds.
    may_react: bool = False


class _Vessels(dict[str, _Vessel]):
    """The player's vessels by id; an undeclared vessel is made when a step names it (RF301
    says so; the walk plays it anyway)."""

    def __missing__(self, vid: str) -> _Vessel:
        made = self[vid] = _Vessel(_Contents(), _Dissolved(), AMBIENT_K, "open", "air")
        return made


Entry = Callable[[str], "MaterialAmount | None"]


class _Player:
    """Plays the steps of one protocol; see the module docstring."""

    def __init__(self, protocol: Protocol, entry: Entry, parts: Mapping[str, tuple[str, ...]],
                 is_gas: GasCheck) -> None:
        self.protocol = protocol
        self.entry = entry
        self.is_gas = is_gas
        self.parts = parts  # material id -> its solution parts (the solvent), moved with it
        self.timeline = Timeline()
        self.vessels = _Vessels()
        for vid, vessel in protocol.vessels.items():
            self.vessels[vid] = _Vessel(
                _Contents(), _Dissolved(), AMBIENT_K, "sealed" if vessel.closed else "open",
                vessel.atmosphere, sealed_gas=vessel.atmosphere)
        self.remaining: dict[str, float] = {}
        self.spent: dict[tuple[str, str], float] = {}  # gas already given off, by source
        self.consumed: dict[str, float] = {}  # share of each material reactions used up
        # (material, gas) -> mol of the gas it cannot give, being kept for a reaction
        # (``reserve``): the NaBH4 the ketone beside it will use up.
        self.kept_back: dict[tuple[str, str], float] = {}
        # Material id -> can it give gas with a partner (asked at every addition, once each).
        self._reactive: dict[str, bool] = {}
        # Vessel id -> its last state's contents: the contents' version and arrivals then,
        # how many were dissolved, and the states' Held tuple and material ids.
        self._last_held: dict[str, tuple[int, int, int, Prefix[Held], Prefix[str]]] = {}

    # --- bookkeeping ------------------------------------------------------------------

    def put(self, vid: str, material_id: str, share: float, dissolved: bool = False) -> None:
        v = self.vessels[vid]
        held, reached = v.held, v.reached
        parts = self.parts.get(material_id)
        for mid in (material_id, *parts) if parts else (material_id,):
            held[mid] = held.get(mid, 0.0) + share
            if not v.may_react:
                v.may_react = self.reactive(mid)
            reached[mid] = reached.get(mid, 0.0) + share
            if dissolved or mid != material_id:
                v.dissolved.add(mid)
        if parts is not None:
            v.dissolved.add(material_id)  # a solution's solute is dissolved

    def reactive(self, material_id: str) -> bool:
        """``gives_gas_with_partner`` of a material (``MaterialAmount.gives_gas``)."""
        known = self._reactive.get(material_id)
        if known is None:
            entry = self.entry(material_id)
            known = self._reactive[material_id] = entry is not None and entry.gives_gas
        return known

    def held_now(self, vid: str) -> tuple[Prefix[Held], Prefix[str]]:
        """What vessel ``vid`` holds now, as a state records it, and the ids of what it
        holds. The last state's views are reused when nothing changed, and grown (``Prefix``:
        the same list, appended to) when materials only arrived: a long procedure in one
        flask does not copy the flask's contents at every step."""
        v = self.vessels[vid]
        contents, dissolved = v.held, v.dissolved
        last = self._last_held.get(vid)
        if last is not None:
            version, arrivals, solved, held, ids = last
            if contents.version == version and len(dissolved) == solved:
                return held, ids
            if contents.rewritten <= version:  # only new materials since: they come last
                arrived = contents.arrivals[arrivals:]
                if len(dissolved) == solved or all(m in arrived
                                                   for m in dissolved.order[solved:]):
                    added = [Held(m, share, m in dissolved) for m in arrived
                             if (share := contents[m]) > EPSILON]
                    before, held = held, held.grown(added)
                    ids = ids.grown([h.material_id for h in added])
                    self.timeline._grown_from[id(held)] = (held, before)
                    self._last_held[vid] = (contents.version, len(contents.arrivals),
                                            len(dissolved), held, ids)
                    return held, ids
        now = [(m, s) for m, s in contents.items() if s > EPSILON]
        held = Prefix([Held(m, s, m in dissolved) for m, s in now])
        ids = Prefix([m for m, _ in now])
        self._last_held[vid] = (contents.version, len(contents.arrivals), len(dissolved), held,
                                ids)
        return held, ids

    def snap(self, path: tuple[PathPart, ...], step: Step | None, vid: str, stated: bool,
             *, reflux: bool = False, boils_off: tuple[str, ...] = (),
             released: tuple[GasRelease, ...] = (), added: tuple[str, ...] = (),
             action: str | None = None) -> None:
        v = self.vessels[vid]
        held, ids = self.held_now(vid)
        self.timeline.states.append(_new_state(
            path, action or (step.action if step is not None else ""), vid, held,
            v.temperature_K, stated, reflux or v.reflux, boils_off, v.enclosure, v.atmosphere,
            v.sealed_at_K, v.sealed_gas, released, v.released_sealed_mol, tuple(v.products),
            added, ids))

    def read_amounts(self) -> None:
        """Note that the walk reads a number of the materials' amounts from here on
        (``Timeline.reads_amounts``): called before every such read."""
        self.timeline.reads_amounts = True

    def problem(self, code: str, path: tuple[PathPart, ...], message: str, hint: str) -> None:
        self.timeline.problems.append(PortionProblem(code, path, message, hint))

    def working_up(self, path: tuple[PathPart, ...], vid: str, doing: str) -> None:
        """ST119 when the step about to work up what ``vid`` holds (``doing``: "filter")
        finds it empty, with the vessels that hold a product then: a step that moves the
        solid or the mixture there is missing, or the step names the wrong vessel."""
        v = self.vessels[vid]
        if v.products or any(share > EPSILON for share in v.held.values()):
            return
        elsewhere = [f"'{p}' is in '{other}'" for other, ov in self.vessels.items()
                     if other != vid for p in ov.products]
        self.problem(
            "ST119", path, f"'{vid}' holds nothing to {doing} at this step"
            + (f" ({'; '.join(elsewhere)})" if elsewhere else ""),
            f"move what it is to work up into '{vid}' first (a transfer step), or name the "
            "vessel that holds it")

    # --- portions -------------------------------------------------------------------------

    def charge_share(self, path: tuple[PathPart, ...], material_id: str,
                     amount_share: float | None, fraction: float | str | None) -> float:
        """The share of ``material_id`` a charge takes, checked against what is left."""
        left = self.remaining.get(material_id, 1.0)
        if fraction is None:  # the commonest: the whole material, or an amount of it
            share = 1.0 if amount_share is None else amount_share
        elif fraction == "rest":
            share = left
        elif isinstance(fraction, float):
            share = fraction
        elif amount_share is not None:
            share = amount_share
        else:
            share = 1.0
        if share > left + 5e-3:
            used = 1.0 - left
            self.problem(
                "ST114", path,
                f"'{material_id}': this step takes {100 * share:.3g} % of its amount, but "
                f"{100 * used:.3g} % was already charged by earlier steps: the portions add up "
                f"to {100 * (used + share):.3g} % of the material",
                "a material's amount is the total the protocol uses: charge portions "
                "({material: id, amount: ...} or fraction: 1/2, rest) that add up to it, or "
                "raise the amount")
        # max(left - share, 0.0), min(1.0 - rest, 1.0) and min(share, left), as those
        # builtins pick, without calling them (once for every material charged).
        rest = left - share
        rest = self.remaining[material_id] = 0.0 if rest < 0.0 else rest
        taken = 1.0 - rest
        self.timeline.dispensed[material_id] = 1.0 if taken > 1.0 else taken
        if left > EPSILON:
            return left if left < share else share
        return share

    def amount_share(self, path: tuple[PathPart, ...], material_id: str,
                     portion: object) -> float | None:
        """A portion written as an amount, as a share of the material's total."""
        self.read_amounts()
        entry = self.entry(material_id)
        if entry is None or not isinstance(portion, Measured):
            return None
        dim = portion.dimension
        total = {"volume": entry.volume, "mass": entry.mass, "amount": entry.moles}.get(dim)
        value = portion.to({"volume": "mL", "mass": "g", "amount": "mol"}[dim])
        if total is None or total.nominal <= 0:
            self.problem(
                "ST116", path,
                f"'{material_id}': a portion of {portion} cannot be related to the material's "
                f"amount ({entry.material.amount or 'not stated'}): no {dim} is known for it",
                "write the portion in the unit of the material's amount, or as a fraction")
            return None
        return value / total.nominal

    def portion_share(self, material_id: str, volume: Measured | None) -> float:
        """The share of a wash, extraction or redispersion solvent one portion takes: the
        step's stated ``volume`` over the material's (1 when the amount is one portion,
        1/n when it is the total of n), else the whole amount (the amount is one portion,
        as those steps have always read it; see ``model.portions``)."""
        if volume is None:
            return 1.0
        self.read_amounts()
        entry = self.entry(material_id)
        total = entry.volume if entry is not None else None
        if total is None or not total.nominal > 0:
            return 1.0
        return volume.to("mL") / total.nominal

    # --- moving contents ------------------------------------------------------------------

    def contents_volume_mL(self, vid: str) -> float | None:
        """What a vessel's contents take up, for a transfer of a stated volume of them."""
        self.read_amounts()
        held = self.vessels[vid].held
        return 0.0 if not held else condensed_volume_mL(held.items(), self.entry)

    def move(self, source: str, into: str | None, what: Callable[[str], bool],
             factor: float = 1.0, *, products: bool = False) -> None:
        """Move ``factor`` of every held material for which ``what`` holds; into ``into``
        or out of the protocol (waste). With ``products`` the products go too (a part of them
        when ``factor`` is less than 1: then both vessels hold some)."""
        src = self.vessels[source]
        held, reached = src.held, src.reached
        dst = self.vessels[into] if into is not None else None
        for mid in [m for m in reached if m not in held]:
            if what(mid):  # used up here; its record moves on
                moved_record = reached[mid] * factor
                reached[mid] -= moved_record
                if dst is not None:
                    dst.reached[mid] = dst.reached.get(mid, 0.0) + moved_record
        for mid in list(held):
            if not what(mid):
                continue
            share = held[mid]
            moved = share * factor
            reached[mid] = max(reached.get(mid, 0.0) - moved, 0.0)
            if dst is not None:
                dst.reached[mid] = dst.reached.get(mid, 0.0) + moved
            left = share - moved
            if left > EPSILON or dst is src:
                held[mid] = left
            else:  # all gone
                del held[mid]
            if dst is not None and moved > EPSILON:
                dst.held[mid] = dst.held.get(mid, 0.0) + moved
                if not dst.may_react:
                    dst.may_react = self.reactive(mid)
                if mid in src.dissolved:
                    dst.dissolved.add(mid)
            if dst is src and held[mid] <= EPSILON:  # moved into itself: what is left
                del held[mid]
        if products:
            if dst is not None:
                dst.products.extend(p for p in src.products if p not in dst.products)
            if factor >= 1.0 - EPSILON:
                src.products = []

    def is_liquid_part(self, vid: str, mid: str, temperature_K: float) -> bool:
        """Liquid or dissolved in the liquid: what a filtrate or supernatant carries. A
        material measured out as a liquid (by volume, a solvent, a solution) stays with the
        liquid; a weighed solid does unless it was dissolved or melts at the temperature
        (``liquid_above``)."""
        entry = self.entry(mid)
        if entry is None:
            return False
        return mid in self.vessels[vid].dissolved or entry.liquid_above < temperature_K

    def separate(self, vid: str, keep_liquid: bool, into: str | None, rest_to: str | None,
                 solid: list[str]) -> None:
        """Split a vessel's contents into liquid and solid; keep one part."""
        v = self.vessels[vid]
        t = v.temperature_K

        def liquid(mid: str) -> bool:
            return mid not in solid and self.is_liquid_part(vid, mid, t)

        def solid_part(mid: str) -> bool:
            return not liquid(mid)

        kept, other = (liquid, solid_part) if keep_liquid else (solid_part, liquid)
        # A cluster, nanocrystal or other solid product is in the solid. A molecule or a
        # polymer goes with the part kept: a chemist keeps the part that holds it (the acid
        # precipitated at pH 2, the filtrate off the drying agent).
        leaving = [p for p in v.products if self.solid_product(p)] if keep_liquid else []
        if leaving:
            v.products = [p for p in v.products if p not in leaving]
        if rest_to is not None:
            rest = self.vessels[rest_to]
            rest.products.extend(p for p in leaving if p not in rest.products)
        self.move(vid, rest_to, other)
        if into is not None and into != vid:
            self.move(vid, into, kept, products=True)

    def solid_product(self, product_id: str) -> bool:
        product = self.protocol.products.get(product_id)
        return product is not None and product.kind not in (
            "molecule", "polymer", "solution", "intermediate")

    # --- chemistry at a step --------------------------------------------------------------

    def react(self, path: tuple[PathPart, ...], vid: str, product_id: str) -> tuple[
            GasRelease, ...]:
        """A product forms in ``vid``: record the shares that reached it and release its
        gaseous by-products."""
        v = self.vessels[vid]
        self.timeline.formations.setdefault(
            product_id, Formation(product_id, path, vid,
                                  {m: s for m, s in v.reached.items() if s > EPSILON}))
        if product_id not in v.products:
            v.products.append(product_id)
        product = self.protocol.products.get(product_id)
        reaction = product.reaction if product is not None else None
        if reaction is None:
            return ()
        self.read_amounts()  # the extent, what is used up, the by-products' moles
        # The extent the inputs allow: what forms, and the by-products with it. The
        # reactants stay in the vessel: an equilibrium or a slow reaction leaves some, and a
        # hazard check must not forget a reagent that may still be there. What the reaction
        # used is noted, so that a quench afterwards gives gas only from the excess.
        extents = self.extents(v.held, reaction.reactants)
        if not extents:
            return ()
        extent = min(extents)
        for mid, nu in reaction.reactants.items():
            entry = self.entry(mid)
            if entry is not None and entry.moles is not None and entry.moles.nominal > 0:
                used = extent * nu / entry.moles.nominal
                self.consumed[mid] = min(self.consumed.get(mid, 0.0) + used, 1.0)
        aqueous = any((e := self.entry(m)) is not None and is_water(e) for m in v.held)
        condensed = v.enclosure == "sealed" and any(
            self.is_liquid_part(vid, m, v.temperature_K) for m in v.held)
        released = byproduct_releases(product_id, reaction.byproducts, extent,
                                      v.temperature_K, self.is_gas, aqueous, condensed)
        return tuple(self.byproduct_capped(r, reaction.reactants) for r in released)

    def extents(self, held: Mapping[str, float], reactants: Mapping[str, float],
                besides: str = "") -> list[float]:
        """The mol of reaction each reactant in ``held`` (but ``besides``) allows: its moles
        there over its coefficient; the least of them is the extent."""
        return [entry.moles.nominal * held[mid] / nu for mid, nu in reactants.items()
                if mid != besides and held.get(mid, 0.0) > EPSILON
                and (entry := self.entry(mid)) is not None and entry.moles is not None]

    def byproduct_capped(self, release: GasRelease, reactants: Mapping[str, float]
                         ) -> GasRelease:
        """A by-product gas limited by what its reactants can still give: an overall
        equation that repeats a step's by-products (the CO of a Swern's activation and of its
        overall equation) does not give the gas twice."""
        if release.moles is None or release.extent <= 0:
            return release
        nu_gas = release.moles / release.extent  # the gas's coefficient in the equation
        allowed = release.moles
        limited_by = []
        for mid, nu in reactants.items():
            entry = self.entry(mid)
            if entry is None or entry.moles is None:
                continue
            # All of this reactant could give n/ν·ν_gas of the gas at most, in all steps.
            most = entry.moles.nominal / nu * nu_gas
            allowed = min(allowed, most - self.spent.get((mid, release.formula), 0.0))
            limited_by.append(mid)
        moles = max(allowed, 0.0)
        for mid in limited_by:
            key = (mid, release.formula)
            self.spent[key] = self.spent.get(key, 0.0) + moles
        return dataclasses.replace(release, moles=moles)

    def meet(self, vid: str, arrived: list[str], fresh: bool = True
             ) -> tuple[GasRelease, ...]:
        """Gas-forming pairs between what arrived and what was there (and, for an addition,
        among what arrived); quenched reagents go."""
        v = self.vessels[vid]
        if not v.may_react:  # no pair in it can give gas: a long list of solvents costs nothing
            return ()

        def left(mid: str, share: float) -> float:
            """The share not used up by a reaction: what a quench can still set free."""
            return max(share - self.consumed.get(mid, 0.0), 0.0)

        present = {m: left(m, s) for m, s in v.held.items() if m not in arrived}
        releases, quenched = pair_releases(self.entry, present,
                                           {m: left(m, v.held.get(m, 0.0)) for m in arrived},
                                           v.temperature_K, fresh=fresh,
                                           reactive=self.reactive)
        if releases:  # pair_releases reads moles for the releases it makes, and only then
            self.read_amounts()
        for mid in quenched:
            v.held.pop(mid, None)
        for r in releases:
            self.reserve(vid, r)
        # A meeting whose source is spent stays on record (HZ107 names it) with 0 mol.
        return tuple(self.capped(r) for r in releases)

    def reserve(self, vid: str, release: GasRelease) -> None:
        """Keep back (``kept_back``) the gas a water-reactive reagent cannot give because a
        reaction the protocol declares will use it up with what the vessel holds besides the
        partner it meets: NaBH4 meeting its methanol solvent beside the ketone it reduces
        gives off at most the hydrogen of its excess, and a later quench no more than what
        is left of that. A reaction that gives the gas itself (NaH + PhOH + BnBr → ... + H2),
        or that the partner takes part in, keeps nothing back (``byproduct_capped``)."""
        source = self.entry(release.bound_by)
        if release.capacity is None or source is None or source.moles is None \
                or source.moles.nominal <= 0 or not is_water_reactive(source):
            return
        self.read_amounts()
        held = self.vessels[vid].held
        partners = set(release.sources) - {release.bound_by}
        kept = 0.0  # mol of the source the reactions will use
        for product in self.protocol.products.values():
            reaction = product.reaction
            if reaction is None or release.bound_by not in reaction.reactants \
                    or partners & set(reaction.reactants) \
                    or release.formula in reaction.byproducts:
                continue
            extents = self.extents(held, reaction.reactants, besides=release.bound_by)
            if extents:
                kept += min(extents) * reaction.reactants[release.bound_by]
        kept = min(kept, source.moles.nominal)
        per = release.capacity / source.moles.nominal  # mol of gas per mol of the source
        key = (release.bound_by, release.formula)
        self.kept_back[key] = max(self.kept_back.get(key, 0.0), kept * per)

    def capped(self, release: GasRelease) -> GasRelease:
        """A release limited by what its source can still give: NaBH4 that gave off some
        hydrogen with the ethanol gives only the rest when the acid quenches it."""
        if release.moles is None or release.capacity is None:
            return release
        key = (release.bound_by, release.formula)
        spent = self.spent.get(key, 0.0)
        moles = max(min(release.moles, release.capacity - self.kept_back.get(key, 0.0)
                        - spent), 0.0)
        self.spent[key] = spent + moles
        # The partner gave it too (the phenol that NaH deprotonated): a by-product of an
        # overall equation of them both does not give it again (``byproduct_capped``).
        for source in release.sources:
            if source != release.bound_by:
                other = (source, release.formula)
                self.spent[other] = self.spent.get(other, 0.0) + moles
        return dataclasses.replace(release, moles=moles)

    def record_release(self, vid: str, releases: tuple[GasRelease, ...]) -> None:
        v = self.vessels[vid]
        if v.enclosure != "sealed" or not releases:
            return
        for r in releases:
            if r.moles is None or v.released_sealed_mol is None:
                v.released_sealed_mol = None
            else:
                v.released_sealed_mol += r.moles

    def set_temperature(self, vid: str, stated: object) -> bool:
        if isinstance(stated, Measured):
            self.vessels[vid].temperature_K = stated.to("kelvin")
            return True
        return False

    def set_atmosphere(self, vid: str, atmosphere: str | None) -> None:
        if atmosphere is not None:
            v = self.vessels[vid]
            v.atmosphere = atmosphere
            if v.enclosure == "sealed":
                v.sealed_gas = atmosphere

    def seal(self, vid: str, gas: str | None = None) -> None:
        v = self.vessels[vid]
        if v.enclosure != "sealed":
            v.enclosure = "sealed"
            v.sealed_at_K = v.temperature_K
            v.released_sealed_mol = 0.0
        v.sealed_gas = gas or v.atmosphere
        if gas is not None:
            v.atmosphere = gas

    def open(self, vid: str, to: str) -> None:
        v = self.vessels[vid]
        v.enclosure = "open"
        v.atmosphere = to
        v.released_sealed_mol = 0.0

    # --- the walk -------------------------------------------------------------------------

    def play(self) -> Timeline:
        from benchsheet.checks.context import iter_steps

        plays = _PLAYS
        for path, step in iter_steps(self.protocol.steps):  # each as ``step`` plays it
            (plays.get(type(step)) or _play_of(type(step)))(self, path, step)
        return self.timeline

    def step(self, path: tuple[PathPart, ...], step: Step) -> None:
        """Play one step: the player's method for its kind (``_PLAYS``, one look-up by type
        instead of a test per kind)."""
        (_PLAYS.get(type(step)) or _play_of(type(step)))(self, path, step)

    def play_nothing(self, path: tuple[PathPart, ...], step: Step) -> None:
        """A step that changes no vessel (dry, measure, chromatograph): no state."""

    def play_add(self, path: tuple[PathPart, ...], step: Add | Dissolve) -> None:
        vid = step.to if isinstance(step, Add) else step.vessel
        self.set_atmosphere(vid, step.__dict__.get("atmosphere"))  # fields: in __dict__
        # Charged by a dissolve step, or until they have dissolved: in solution.
        dissolves = isinstance(step, Dissolve) or (
            step.until is not None and step.until.condition == "dissolved")
        arrived: list[str] = []
        for i, charge in enumerate(step.materials):
            if isinstance(charge, str):
                mid, share = charge, self.charge_share((*path, "materials", i), charge,
                                                       None, None)
            else:
                mid = charge.material
                amount_share = (self.amount_share((*path, "materials", i, "amount"), mid,
                                                  charge.amount)
                                if charge.amount is not None else None)
                share = self.charge_share((*path, "materials", i), mid, amount_share,
                                          charge.fraction)
            self.put(vid, mid, share, dissolved=dissolves)
            arrived.append(mid)
        if isinstance(step, Dissolve):
            self.put(vid, step.solvent, self.charge_share((*path, "solvent"), step.solvent,
                                                          None, None))
            arrived.append(step.solvent)
        parts = self.parts
        if parts:
            arrived = [m for a in arrived for m in (a, *parts.get(a, ()))]
        stated = self.set_temperature(vid, step.temperature)
        released = self.meet(vid, arrived)
        self.record_release(vid, released)
        self.snap(path, step, vid, stated, released=released, added=tuple(arrived))

    def play_heat(self, path: tuple[PathPart, ...], step: Heat | Stir) -> None:
        self.set_atmosphere(step.vessel, step.atmosphere)
        stated = self.set_temperature(step.vessel, step.temperature)
        reflux = isinstance(step, Heat) and step.reflux
        if isinstance(step, Heat):
            self.vessels[step.vessel].reflux = reflux
        formed: tuple[GasRelease, ...] = ()
        if step.product is not None:
            formed = self.react(path, step.vessel, step.product)
            self.record_release(step.vessel, formed)
        self.snap(path, step, step.vessel, stated, reflux=reflux, released=formed)

    def play_cool(self, path: tuple[PathPart, ...], step: Cool | Quench) -> None:
        v = self.vessels[step.vessel]
        v.reflux = False
        stated = self.set_temperature(step.vessel, step.temperature)
        if not stated:  # a quench bath without a temperature: ice
            v.temperature_K = ICE_BATH_K
        self.snap(path, step, step.vessel, stated)

    def play_bubble(self, path: tuple[PathPart, ...], step: Bubble) -> None:
        self.put(step.into, step.gas, 1.0)
        stated = self.set_temperature(step.into, step.temperature)
        self.snap(path, step, step.into, stated, added=(step.gas,))

    def play_pressurize(self, path: tuple[PathPart, ...], step: Pressurize) -> None:
        self.put(step.vessel, step.gas, 1.0)
        self.snap(path, step, step.vessel, False, added=(step.gas,))

    def play_vent(self, path: tuple[PathPart, ...], step: Vent) -> None:
        v = self.vessels[step.vessel]
        for mid in list(v.held):
            entry = self.entry(mid)
            gas = entry is not None and (entry.material.gas is not None
                                         or entry.reagent.phase_25C == "gas")
            if gas and (step.gas is None or mid == step.gas):
                del v.held[mid]
        v.released_sealed_mol = 0.0
        self.snap(path, step, step.vessel, False)

    def play_centrifuge(self, path: tuple[PathPart, ...], step: Centrifuge) -> None:
        if step.vessel is not None:
            self.working_up(path, step.vessel, "spin down")
            self.set_temperature(step.vessel, step.temperature)
            self.separate(step.vessel, step.keep == "supernatant", step.into, step.rest_to,
                          step.solid)
            self.snap(path, step, step.vessel, step.temperature is not None)

    def play_filter(self, path: tuple[PathPart, ...], step: Filter) -> None:
        if step.vessel is not None:
            self.working_up(path, step.vessel, "filter")
            self.separate(step.vessel, step.keep in ("filtrate", "liquid"), step.into,
                          step.rest_to, step.solid)
            self.snap(path, step, step.into or step.vessel, False)

    def play_wash(self, path: tuple[PathPart, ...], step: Wash) -> None:
        if step.vessel is not None:
            # Each wash: a portion of solvent in, spin, supernatant (with what it dissolves)
            # out; the vessel never holds more than one portion.
            self.put(step.vessel, step.solvent, self.portion_share(step.solvent, step.volume))
            self.snap(path, step, step.vessel, False, added=(step.solvent,))
            self.separate(step.vessel, False, None, None, [])
            self.snap(path, step, step.vessel, False)

    def play_redisperse(self, path: tuple[PathPart, ...], step: Redisperse) -> None:
        if step.vessel is not None:
            self.put(step.vessel, step.solvent, self.portion_share(step.solvent, step.volume))
            self.snap(path, step, step.vessel, False, added=(step.solvent,))

    def play_recrystallize(self, path: tuple[PathPart, ...], step: Recrystallize) -> None:
        self.working_up(path, step.vessel, "recrystallise")
        self.put(step.vessel, step.solvent, 1.0)
        v = self.vessels[step.vessel]
        v.temperature_K = step.temperature.to("kelvin")
        self.snap(path, step, step.vessel, True, reflux=True, added=(step.solvent,))
        v.temperature_K = step.cool_to.to("kelvin")
        self.separate(step.vessel, False, None, step.rest_to, [])
        self.snap(path, step, step.vessel, True)

    def play_seal(self, path: tuple[PathPart, ...], step: Seal) -> None:
        self.seal(step.vessel, step.atmosphere)
        self.snap(path, step, step.vessel, False)

    def play_open(self, path: tuple[PathPart, ...], step: Open) -> None:
        self.open(step.vessel, step.to)
        self.snap(path, step, step.vessel, False)

    def play_evacuate(self, path: tuple[PathPart, ...], step: Evacuate) -> None:
        v = self.vessels[step.vessel]
        if step.backfill == "vacuum":
            self.seal(step.vessel, "vacuum")
        else:
            v.enclosure = "open"  # on the gas line, vented through its bubbler
            v.atmosphere = step.backfill
        self.snap(path, step, step.vessel, False)

    def play_freeze_pump_thaw(self, path: tuple[PathPart, ...], step: FreezePumpThaw) -> None:
        v = self.vessels[step.vessel]
        v.enclosure = "open"
        self.seal(step.vessel, step.backfill)
        v.sealed_at_K = v.temperature_K
        self.snap(path, step, step.vessel, False)

    def with_parts(self, materials: list[str]) -> set[str]:
        """The materials and their solution parts: a layer left behind keeps its water."""
        return {m for mid in materials for m in (mid, *self.parts.get(mid, ()))}

    def play_transfer(self, path: tuple[PathPart, ...], step: Inject) -> None:
        factor = 1.0
        if step.fraction is not None:
            factor = 1.0 if step.fraction == "rest" else float(step.fraction)
        elif step.amount is not None:
            held = self.contents_volume_mL(step.source)
            if step.amount.dimension != "volume" or held is None:
                self.problem(
                    "ST116", (*path, "amount"),
                    f"{step.amount} of the contents of '{step.source}' cannot be related to "
                    "what it holds: its volume is not known",
                    "give the transfer as a fraction of the contents, or state the volumes of "
                    "what goes into the source vessel")
            elif held <= EPSILON:
                self.problem("ST115", (*path, "amount"),
                             f"'{step.source}' holds nothing when {step.amount} of it is "
                             "taken", "fill the source vessel first, or take from another one")
                factor = 0.0
            else:
                wanted = step.amount.to("mL")
                factor = wanted / held
                if factor > 1.0 + 5e-3:
                    self.problem(
                        "ST115", (*path, "amount"),
                        f"{step.amount} is taken from '{step.source}', which holds only "
                        f"{held:.4g} mL", "take at most what the vessel holds, or make more "
                        "of the stock")
                factor = min(factor, 1.0)
        if step.amount is None:  # a stated volume of nothing is ST115's
            self.working_up(path, step.source, "transfer")
        src = self.vessels[step.source]
        leave = self.with_parts(step.leave)
        moving = [m for m in src.held if m not in leave]
        self.move(step.source, step.into, lambda m: m not in leave, factor, products=True)
        stated = self.set_temperature(step.into, step.temperature)
        released = self.meet(step.into, moving, fresh=False)
        self.record_release(step.into, released)
        self.snap(path, step, step.into, stated, released=released)

    def play_extract(self, path: tuple[PathPart, ...], step: Extract) -> None:
        # The funnel with the solvent in it, shaken (stoppered: a gas released here needs
        # venting), then the kept layer moves on or the other layer is drained.
        # The funnel holds one portion at a time; the kept layers of all the portions end
        # up together where the kept layer goes (the combined extracts).
        self.working_up(path, step.source, "extract")
        one = self.portion_share(step.solvent, step.volume)
        self.put(step.source, step.solvent, one)
        released = self.meet(step.source, [step.solvent, *self.parts.get(step.solvent, ())])
        self.snap(path, step, step.source, False, released=released, added=(step.solvent,))
        leave = self.with_parts(step.leave)
        kept = step.into if step.into is not None else step.source
        if step.into is not None:
            self.move(step.source, step.into, lambda m: m not in leave, products=True)
        else:
            self.move(step.source, None, lambda m: m in leave)
        if step.times > 1 and step.solvent not in leave:  # the other portions, kept too
            self.put(kept, step.solvent, one * (step.times - 1))
        if step.into is not None:
            self.snap(path, step, step.into, False)

    def play_evaporate(self, path: tuple[PathPart, ...], step: Evaporate) -> None:
        v = self.vessels[step.vessel]
        roles = ("solvent", "wash")

        def solvent_like(mid: str) -> bool:
            entry = self.entry(mid)
            return entry is not None and (entry.part_of is not None
                                          or entry.material.role in roles)

        self.working_up(path, step.vessel, "evaporate")
        v.reflux = False
        named = [m for s in step.solvents for m in (s, *self.parts.get(s, ()))]
        gone = named or [m for m in v.held if solvent_like(m)]
        stated = self.set_temperature(step.vessel, step.temperature)
        self.snap(path, step, step.vessel, stated, boils_off=tuple(gone))
        self.move(step.vessel, None, lambda m: m in gone)
        v.temperature_K = AMBIENT_K  # off the bath
        self.snap(path, step, step.vessel, False)  # the residue

    def play_distill(self, path: tuple[PathPart, ...], step: Distill) -> None:
        # The pot is at the bath's temperature, else at least at the top of the range
        # collected; whatever boils there distils on purpose.
        self.working_up(path, step.source, "distil")
        v = self.vessels[step.source]
        v.reflux = False
        v.temperature_K = (step.temperature.to("kelvin") if step.temperature is not None
                           else step.collect.magnitudes("kelvin")[2])
        self.snap(path, step, step.source, True, boils_off=tuple(v.held))
        fraction = [m for f in step.fraction for m in (f, *self.parts.get(f, ()))]
        self.move(step.source, step.into, lambda m: m in fraction)
        v.temperature_K = AMBIENT_K  # the heating is off
        self.snap(path, step, step.source, False)  # what stays in the pot
        if step.into is not None:
            self.snap(path, step, step.into, False)


# How each kind of step is played, by its model class (``_play_of`` adds the others).
_Play = Callable[[_Player, tuple[PathPart, ...], Any], None]
_PLAYS: dict[type, _Play] = {
    Add: _Player.play_add, Dissolve: _Player.play_add,
    Heat: _Player.play_heat, Stir: _Player.play_heat,
    Cool: _Player.play_cool, Quench: _Player.play_cool,
    Bubble: _Player.play_bubble, Pressurize: _Player.play_pressurize, Vent: _Player.play_vent,
    Inject: _Player.play_transfer, Centrifuge: _Player.play_centrifuge,
    Filter: _Player.play_filter, Wash: _Player.play_wash, Redisperse: _Player.play_redisperse,
    Recrystallize: _Player.play_recrystallize, Extract: _Player.play_extract,
    Evaporate: _Player.play_evaporate, Distill: _Player.play_distill,
    Seal: _Player.play_seal, Open: _Player.play_open, Evacuate: _Player.play_evacuate,
    FreezePumpThaw: _Player.play_freeze_pump_thaw,
}


def _play_of(kind: type) -> _Play:
    """The play of a step class not in ``_PLAYS`` yet: its nearest base's (a subclass of a
    kind), else ``play_nothing`` (a kind that changes no vessel); remembered."""
    play = next((_PLAYS[base] for base in kind.__mro__ if base in _PLAYS),
                _Player.play_nothing)
    _PLAYS[kind] = play
    return play


def liquid_above(entry: MaterialAmount) -> float:
    """The temperature (K) above which a material, undissolved, is in the liquid of a
    vessel: -inf for what is measured out as a liquid (by volume, a solvent, a solution or
    its part, a gas) or is one at 25 °C, the melting point of a solid, +inf for a solid
    without one. ``MaterialAmount.liquid_above`` keeps it per material amount."""
    if entry.part_of is not None or entry.material.gas is not None or entry.basis in (
            "volume", "solution") or entry.material.role in ("solvent", "wash", "antisolvent"):
        return -math.inf
    mp = entry.reagent.melting_point_K
    if mp is not None:
        return mp
    return -math.inf if entry.reagent.phase_25C in ("liquid", "gas") else math.inf


def condensed_volume_mL(held: Iterable[tuple[str, float]], entry: Entry,
                        grown: Callable[[MaterialAmount], float] | None = None
                        ) -> float | None:
    """The volume the (material id, share) pairs a vessel holds take up, gases aside: liquids
    and solids whose volume is known; a solution's volume is its solvent part's, which stays
    when the solute is used up (an aqueous NaBH4 solution quenched where it is poured in).
    None when nothing has a known volume. The one sum behind a transfer of "1 mL of the
    stock", the headspace left for a gas and, with ``grown`` (each material's volume factor
    at a temperature), the headspace a heated liquid leaves."""
    pairs = [(share, found) for mid, share in held if (found := entry(mid)) is not None]
    with_part = {found.part_of for _, found in pairs if found.part_of is not None}
    total: float | None = None
    for share, found in pairs:
        if found.part_of is not None:  # a solution's solvent: the solution's volume
            owner = entry(found.part_of)
            if owner is None:
                continue
            found = owner
        elif found.material_id in with_part:  # counted with its solvent part
            continue
        if found.volume is None or found.material.gas is not None:
            continue
        factor = grown(found) if grown is not None else 1.0
        total = (total or 0.0) + found.volume.nominal * share * factor
    return total


def simulate(protocol: Protocol, entry: Entry, parts: Mapping[str, tuple[str, ...]],
             is_gas: GasCheck) -> Timeline:
    """Play ``protocol``'s steps once and return the timeline of vessel states.

    ``entry`` finds the amounts of a material or solution part by id; ``parts`` lists each
    solution's parts (its solvent), which go wherever the solution goes; ``is_gas`` says
    whether a by-product formula is a gas at a temperature.
    """
    return _Player(protocol, entry, parts, is_gas).play()
