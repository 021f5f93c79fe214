"""benchsheet.collector: in a command-line run, cycles are collected at a file's end, not
inside a file; garbage in cycles waits at most until the next file starts."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from benchsheet import collector


class _Node:
    """An object that can sit in a cycle and be watched through a weak reference."""

    other: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    """A two-object cycle nothing else holds: garbage only the cycle collector frees."""
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@pytest.fixture
def owned() -> Iterator[None]:
    """The collector taken over as the command line does, and given back afterwards."""
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    gc.collect()
    collector.take_over()
    try:
        yield
    finally:
        collector._owned = False
        gc.unfreeze()
        gc.set_threshold(*threshold)
        if enabled:
            gc.enable()


def test_a_cycle_waits_for_the_files_end_then_is_collected(owned: None) -> None:
    assert gc.get_threshold()[0] == collector.BACKSTOP
    watched = _cycle()
    # A file's worth of objects kept (more than YOUNG): the automatic collector, at the
    # backstop, does not walk them while the file is being checked.
    kept = [[i] for i in range(collector.YOUNG + 10_000)]
    assert watched() is not None
    collector.file_done()
    assert watched() is None
    assert gc.get_count()[0] < collector.YOUNG
    del kept


def test_a_files_end_with_little_made_does_not_collect(owned: None) -> None:
    watched = _cycle()
    collector.file_done()  # far fewer than YOUNG objects since the fixture's collection
    assert watched() is not None
    gc.collect()
    assert watched() is None


def test_a_callers_process_is_left_as_it_is() -> None:
    # Not taken over (tests, a notebook, the API): file_done collects nothing.
    assert not collector._owned
    enabled = gc.isenabled()
    gc.disable()  # so that only file_done could collect here
    try:
        watched = _cycle()
        kept = [[i] for i in range(collector.YOUNG + 10_000)]
        collector.file_done()
        assert watched() is not None
        del kept
    finally:
        if enabled:
            gc.enable()
    gc.collect()
    assert watched() is None
