"""The vessel walks of one file's variants, each walked once for the variants that share it.

A matrix of variants mostly changes amounts (a Zn fraction, a Mn level) and a temperature or
two. The vessel walk (``vessels.simulate``) of most protocols never reads an amount: it moves
shares of materials, whatever the grams, unless a portion is written as an amount, a volume
of a vessel's contents is transferred, a product forms by a reaction or a pair meets that
gives off gas (``Timeline.reads_amounts`` records each). Such a walk is the walk of every
variant that differs from it in amounts alone, so a file walks it once.

What the walk reads, and so what two variants must have the same for one walk to serve both:

- the steps, every one (a step a ``when:`` leaves out still has its place in the paths);
- the vessels (closed or open, the atmosphere);
- each product's kind (a solid goes with the pellet) and reaction (the walk forms it);
- each material and solution part of the amounts table, in order: its id, its resolved
  reagent (phase, melting point, formula, GHS codes), its basis (a liquid measured by volume
  stays with the liquid), its missing figures, whose solution part it is, which of moles,
  mass and volume it has, and its model in everything but the amount (role, gas supply,
  solvent, ...);
- the library (which by-products are gases).

Two values are the same when they are the very object, or equal value for value and type for
type (``same``): ``1.50 mmol`` is not ``1.5 mmol``, as a message prints them apart.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from benchsheet.chemistry.vessels import Timeline
from benchsheet.model.protocol import Protocol
from benchsheet.reagents.library import ReagentLibrary

if TYPE_CHECKING:
    from benchsheet.chemistry.amounts import MaterialAmount

def same(one: object, other: object) -> bool:
    """Whether two model values are the same, value for value and type for type: models and
    dataclasses field by field, lists, tuples and mappings in order, a float by its value and
    sign (-0.0 is not 0.0; a NaN is only itself), a Decimal by its digits (1.50 is not 1.5),
    a string, an int, a bool, a fraction or None by ``==``. A value of any other type (a
    subclass of these too) is the same only as itself."""
    if one is other:
        return True
    kind = type(one)
    if kind is not type(other):
        return False
    compare = _BY_TYPE.get(kind)
    if compare is None:
        compare = _BY_TYPE[kind] = _compare_of(kind)
    return compare(one, other)


_Compare = Callable[[Any, Any], bool]


def _equal(one: Any, other: Any) -> bool:
    return bool(one == other)


def _same_float(one: float, other: float) -> bool:
    return one == other and math.copysign(1.0, one) == math.copysign(1.0, other)


def _same_decimal(one: Decimal, other: Decimal) -> bool:
    return one.as_tuple() == other.as_tuple()


def _same_items(one: Sequence[Any], other: Sequence[Any]) -> bool:
    return len(one) == len(other) and all(map(same, one, other))


def _same_mapping(one: Mapping[Any, Any], other: Mapping[Any, Any]) -> bool:
    if len(one) != len(other):
        return False
    for (k1, v1), (k2, v2) in zip(one.items(), other.items(), strict=True):
        if (k1 is not k2 and not same(k1, k2)) or (v1 is not v2 and not same(v1, v2)):
            return False
    return True


def _same_model(one: BaseModel, other: BaseModel) -> bool:
    if one.__pydantic_extra__ is not None or other.__pydantic_extra__ is not None:
        return False
    return _same_mapping(one.__dict__, other.__dict__)


def _same_fields(names: tuple[str, ...]) -> _Compare:
    def compare(one: Any, other: Any) -> bool:
        for name in names:
            a, b = getattr(one, name), getattr(other, name)
            if a is not b and not same(a, b):
                return False
        return True

    return compare


def _never(one: Any, other: Any) -> bool:
    return False


def _compare_of(kind: type) -> _Compare:
    """How ``same`` compares two values of the type ``kind`` (see there)."""
    if kind in (str, int, bool, type(None), Fraction):
        return _equal
    if kind is float:
        return _same_float
    if kind is Decimal:
        return _same_decimal
    if kind in (list, tuple):
        return _same_items
    if kind is dict:
        return _same_mapping
    if issubclass(kind, BaseModel):
        return _same_model
    if dataclasses.is_dataclass(kind):
        return _same_fields(tuple(f.name for f in dataclasses.fields(kind)))
    return _never


# A value type -> how ``same`` compares two of it.
_BY_TYPE: dict[type, _Compare] = {}


def _same_but_amount(one: BaseModel, other: BaseModel) -> bool:
    """Two materials' models the same in every field but ``amount``."""
    if one is other:
        return True
    if type(one) is not type(other) or one.__dict__.keys() != other.__dict__.keys():
        return False
    if one.__pydantic_extra__ is not None or other.__pydantic_extra__ is not None:
        return False
    theirs = other.__dict__
    for name, value in one.__dict__.items():
        if name != "amount" and value is not theirs[name] and not same(value, theirs[name]):
            return False
    return True


class _Walked:
    """One walk and what it was walked from (see the module): ``key``, hashable, holds ids
    of the library and of the reagents, kept alive here with the entries, and which steps
    are the first variant's own objects (``first``: their ids, that variant being held by
    the memo); the rest is compared with ``same``. Two walks of different keys may still be
    alike (a step of the same values built apart): a key only tells apart, it never joins."""

    __slots__ = ("entries", "key", "library", "protocol", "timeline")

    def __init__(self, protocol: Protocol, library: ReagentLibrary,
                 entries: Sequence[MaterialAmount], first: Mapping[int, int]) -> None:
        self.protocol = protocol
        self.library = library
        self.entries = entries
        self.key: Hashable = (
            id(library), tuple([first.get(id(step), -1) for step in protocol.steps]),
            tuple(protocol.vessels),
            tuple([(pid, p.kind) for pid, p in protocol.products.items()]),
            tuple([(e.material_id, id(e.reagent), e.basis, e.missing, e.part_of,
                    e.moles is None, e.mass is None, e.volume is None) for e in entries]))
        self.timeline: Timeline | None = None

    def serves(self, other: _Walked) -> bool:
        """Whether the walk of ``other`` is this one's: equal keys and the same steps,
        vessels, reactions and materials' models but for their amounts."""
        mine, theirs = self.protocol, other.protocol
        return (same(mine.steps, theirs.steps)
                and same(list(mine.vessels.values()), list(theirs.vessels.values()))
                and all(same(p.reaction, q.reaction) for p, q in zip(
                    mine.products.values(), theirs.products.values(), strict=True))
                and all(a is b or _same_but_amount(a.material, b.material)
                        for a, b in zip(self.entries, other.entries, strict=True)))


class WalkMemo:
    """The walks of one file's variants that read no amount, by what they were walked from:
    one per file (``compute_amounts`` keeps it in the file's shared memo). It holds at most
    ``most`` walks, so a file of many variants that all differ compares each with a few."""

    def __init__(self, most: int = 16) -> None:
        self._most = most
        self._count = 0
        self._walks: dict[Hashable, list[_Walked]] = {}
        # The first variant's protocol, held, and the ids of its steps -> their indexes.
        self._first: Protocol | None = None
        self._first_steps: dict[int, int] = {}

    def timeline(self, protocol: Protocol, library: ReagentLibrary,
                 materials: Mapping[str, MaterialAmount], parts: Mapping[str, MaterialAmount],
                 walk: Callable[[], Timeline]) -> Timeline:
        """The timeline ``walk()`` gives for ``protocol`` whose amounts table has
        ``materials`` and ``parts`` (before the gases are worked out): an earlier variant's
        when it read no amount and everything else it read is the same (see the module)."""
        if self._first is None:
            self._first = protocol
            self._first_steps = {id(step): i for i, step in enumerate(protocol.steps)}
        this: _Walked | None = None
        if self._walks:  # else nothing to find: no key to build (a file whose walks read)
            this = self._walked(protocol, library, materials, parts)
            for earlier in self._walks.get(this.key, ()):
                if earlier.serves(this):
                    assert earlier.timeline is not None
                    return earlier.timeline
        timeline = walk()
        if not timeline.reads_amounts and self._count < self._most:
            this = this or self._walked(protocol, library, materials, parts)
            this.timeline = timeline
            self._walks.setdefault(this.key, []).append(this)
            self._count += 1
        return timeline

    def _walked(self, protocol: Protocol, library: ReagentLibrary,
                materials: Mapping[str, MaterialAmount], parts: Mapping[str, MaterialAmount]
                ) -> _Walked:
        return _Walked(protocol, library, (*materials.values(), *parts.values()),
                       self._first_steps)
