"""A read-only view of the first items of a list that only grows.

A vessel's states each say what the vessel holds. A flask that receives one material at
each of ten thousand steps has ten thousand states; were each state's contents a tuple of
its own, the walk would copy the flask's whole contents at every step, and its cost (and
memory) would grow with the square of the protocol. Its states instead hold ``Prefix``
views of one list that the walk appends to: each state sees the items that were there at
its step, and the list is stored once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar, overload

_T = TypeVar("_T")


class Prefix(Sequence[_T]):
    """The first ``len(self)`` items of a list that is only ever appended to.

    It compares equal to a tuple or list of the same items, and hashes as that tuple does;
    ``grown`` gives the view with more items after it, appending to the shared list when
    this view reaches its end (the latest state of a vessel), else copying.
    """

    __slots__ = ("_items", "_n")

    def __init__(self, items: Iterable[_T] = ()) -> None:
        self._items: list[_T] = list(items)
        self._n = len(self._items)

    @classmethod
    def _view(cls, items: list[_T], n: int) -> Prefix[_T]:
        view: Prefix[_T] = cls.__new__(cls)
        view._items, view._n = items, n
        return view

    def grown(self, more: Iterable[_T]) -> Prefix[_T]:
        """These items and then ``more``, as a new view; this one is unchanged."""
        if self._n == len(self._items):  # the end of the list: append, share the rest
            self._items.extend(more)
            return Prefix._view(self._items, len(self._items))
        return Prefix([*islice(self._items, self._n), *more])

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, index: int) -> _T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[_T, ...]: ...

    def __getitem__(self, index: int | slice) -> _T | tuple[_T, ...]:
        if isinstance(index, slice):  # only the slice is copied, not the prefix
            start, stop, step = index.indices(self._n)
            if step > 0:
                return tuple(self._items[start:stop:step])
            return tuple(self._items[i] for i in range(start, stop, step))
        if not -self._n <= index < self._n:
            raise IndexError("Prefix index out of range")
        return self._items[index % self._n]

    def __iter__(self) -> Iterator[_T]:
        return islice(self._items, self._n)

    def __contains__(self, value: object) -> bool:
        try:
            self._items.index(value, 0, self._n)  # type: ignore[arg-type]
        except ValueError:
            return False
        return True

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Prefix):
            if other._items is self._items:
                return other._n == self._n
        elif not isinstance(other, (tuple, list)):
            return NotImplemented
        return len(other) == self._n and all(a == b for a, b in zip(self, other, strict=False))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Prefix({list(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:  # pickled as its own items, not the whole list
        return (Prefix, (list(self),))
