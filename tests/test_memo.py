"""memo.py: figures kept by the identity of the object they were worked out from."""

from __future__ import annotations

from benchsheet.memo import ByIdentity


class _Part:
    """An object that compares equal to every other: only identity tells them apart."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0


def test_a_figure_is_worked_out_once_per_object_and_what_else_it_depends_on() -> None:
    memo: ByIdentity[str] = ByIdentity()
    calls: list[str] = []

    def work(label: str) -> str:
        calls.append(label)
        return label

    one, other = _Part(), _Part()
    assert memo.get(one, lambda: work("one")) == "one"
    assert memo.get(one, lambda: work("again")) == "one"  # kept
    assert memo.get(other, lambda: work("other")) == "other"  # equal, but another object
    assert memo.get(one, lambda: work("one, gas"), "gas") == "one, gas"  # another phase
    assert calls == ["one", "other", "one, gas"]


def test_a_bounded_memo_empties_when_full_and_holds_what_it_keeps() -> None:
    memo: ByIdentity[int] = ByIdentity(most=2)
    parts = [_Part() for _ in range(3)]
    for n, part in enumerate(parts):
        memo.get(part, lambda n=n: n)
    # The third figure found the memo full: it was emptied, and holds the third alone.
    assert len(memo._held) == 1
    assert memo.get(parts[2], lambda: -1) == 2
    assert memo.get(parts[0], lambda: -1) == -1  # worked out again
    # An entry holds its object, so the object's id is not another's while it is kept.
    assert all(held is part for (ident, _), (held, _) in memo._held.items()
               for part in parts if id(part) == ident)
