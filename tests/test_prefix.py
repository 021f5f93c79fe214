"""chemistry/prefix.py: the view a vessel state holds of a list that only grows."""

from __future__ import annotations

import pickle

import pytest

from benchsheet.chemistry.prefix import Prefix


def test_a_grown_view_leaves_the_earlier_view_as_it_was() -> None:
    first = Prefix(["a", "b"])
    second = first.grown(["c"])
    third = second.grown(["d", "e"])
    assert (list(first), list(second), list(third)) == (
        ["a", "b"], ["a", "b", "c"], ["a", "b", "c", "d", "e"])
    assert first._items is second._items is third._items  # one list, appended to


def test_growing_an_earlier_view_copies_instead_of_overwriting_the_later_one() -> None:
    first = Prefix(["a"])
    later = first.grown(["b"])
    branch = first.grown(["x"])  # first no longer reaches the list's end
    assert (list(later), list(branch)) == (["a", "b"], ["a", "x"])
    assert branch._items is not later._items


def test_it_reads_as_the_tuple_of_its_items() -> None:
    view = Prefix([1, 2, 3]).grown([4])
    short = Prefix._view(view._items, 2)
    assert short == (1, 2)
    assert short == [1, 2]
    assert short != (1, 2, 3)
    assert hash(short) == hash((1, 2))
    assert (len(short), short[0], short[-1], short[1:], short[::-1]) == (2, 1, 2, (2,), (2, 1))
    assert 2 in short
    assert 3 not in short
    with pytest.raises(IndexError):
        short[2]
    assert short == Prefix([1, 2])
    assert short != Prefix([1, 3])
    assert short.__eq__(12) is NotImplemented


def test_it_pickles_as_its_own_items() -> None:
    view = Prefix._view(Prefix(range(1000))._items, 3)
    back = pickle.loads(pickle.dumps(view))
    assert back == (0, 1, 2)
    assert len(back._items) == 3
