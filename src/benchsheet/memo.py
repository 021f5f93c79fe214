"""Figures worked out from an object, kept by the object's identity.

Models, resolved reagents and material amounts are not changed once made, and the variants
of a file (and the files of a run) share many of them: a figure that depends on one of them
alone is worked out once and found again by ``id``. The object is held beside its figure,
so its id cannot be reused by another object while the figure is kept; a memo holds at most
``most`` figures and is emptied when full, so a long run's memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

_V = TypeVar("_V")


class ByIdentity(Generic[_V]):
    """``compute()`` of an object, kept while the memo holds the object (see the module)."""

    def __init__(self, most: int | None = None) -> None:
        self._most = most  # None: no bound (a memo that lives as long as one file)
        self._held: dict[tuple[int, Hashable], tuple[object, _V]] = {}

    def get(self, obj: object, compute: Callable[[], _V], also: Hashable = None) -> _V:
        """The figure of ``obj`` (and ``also``, what else it depends on that is no object
        of its own: a phase, a position), worked out by ``compute`` the first time."""
        slot = (id(obj), also)
        hit = self._held.get(slot)
        if hit is not None and hit[0] is obj:
            return hit[1]
        value = compute()
        if self._most is not None and len(self._held) >= self._most:
            self._held.clear()
        self._held[slot] = (obj, value)
        return value
