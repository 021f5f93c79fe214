"""What keeps validation linear in a file's size: variants share what they do not change,
and the bench timeline extends a vessel's contents instead of copying them, with results
equal to building everything afresh."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchsheet.chemistry import vessels
from benchsheet.limits import Limits
from benchsheet.validate import FileResult, Options, validate_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from scale_corpus import grown_protocol

GROWN = Options(limits=Limits(list_items=10**5, mapping_keys=10**5, nodes=10**7,
                              expanded_nodes=10**8, variants=1000))


def _timelines(result: FileResult) -> list[object]:
    return [[(s.step_path, s.vessel, s.held, s.materials, s.temperature_K, s.released)
             for s in v.amounts.timeline] if v.amounts else None for v in result.variants]


def test_a_variant_shares_the_parts_it_does_not_change() -> None:
    result = validate_text(grown_protocol(6, 6, variants=3), "grown.yaml", GROWN)
    base, variant = result.variants[0].protocol, result.variants[1].protocol
    assert base is not None
    assert variant is not None
    assert variant.materials["m0"] is base.materials["m0"]  # no template in it
    assert variant.steps[0] is base.steps[0]  # an addition, the same in every variant
    assert variant.steps[1] is not base.steps[1]  # a hold at "${hold}"
    assert variant.steps[1].temperature != base.steps[1].temperature  # type: ignore[union-attr]


@pytest.mark.parametrize("per_flask", [2, 1000])
def test_extended_contents_equal_contents_taken_afresh(per_flask: int,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    text = grown_protocol(60, 90, variants=2, per_flask=per_flask)
    grown = validate_text(text, "grown.yaml", GROWN)
    taken = vessels._Player.held_now

    def afresh(self: vessels._Player, vid: str) -> tuple[tuple[vessels.Held, ...],
                                                         tuple[str, ...]]:
        self._last_held.pop(vid, None)  # forget the last state: build the contents anew
        return taken(self, vid)

    monkeypatch.setattr(vessels._Player, "held_now", afresh)
    fresh = validate_text(text, "grown.yaml", GROWN)
    assert _timelines(grown) == _timelines(fresh)
    assert [(f.code, f.line, f.message) for f in grown.findings] == [
        (f.code, f.line, f.message) for f in fresh.findings]
    states = grown.variants[0].amounts.timeline.of("v0")  # type: ignore[union-attr]
    # One flask takes all 90 materials; else v0 takes the first two additions, 3 each.
    assert len(states[-1].held) == (90 if per_flask == 1000 else 6)


def test_a_growing_flask_stores_its_contents_once() -> None:
    # 60 steps, 30 of them additions of 3 materials each to one flask: the 60 states of the
    # flask hold views of one list of 90 items, not 60 copies of up to 90 (2,745 items).
    result = validate_text(grown_protocol(60, 90, per_flask=1000), "grown.yaml", GROWN)
    states = result.variants[0].amounts.timeline.of("v0")  # type: ignore[union-attr]
    assert len(states) == 60
    stored = {id(s.held._items): len(s.held._items) for s in states}  # type: ignore[attr-defined]
    assert sum(stored.values()) == 90
    assert [len(s.held) for s in states][:4] == [3, 3, 6, 6]  # add, hold, add, hold
