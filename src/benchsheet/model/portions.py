"""The solvent portions of ``wash``, ``extract`` and ``redisperse`` steps: how many portions
of each material the steps take, and the volume each step states for one.

Such a solvent's amount has always been read as one portion (docs/bench-model.md); a chemist
writes the total there, as for every other material. When the steps state the volume of a
portion, either reading is unambiguous: the amount is one portion if it equals the stated
volume, all of them if it equals their sum. The sheet counts what the steps take, and ST120
reports an amount that is neither.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from benchsheet.findings import PathPart
from benchsheet.model import steps as st


@dataclass(frozen=True)
class PortionUse:
    """One step's portions of a solvent: where, how many (its ``times`` by the repeat blocks
    around it) and the volume of one, in mL, if the step states it."""

    path: tuple[PathPart, ...]
    count: int
    volume_mL: float | None


def portion_uses(steps: Sequence[st.Step]) -> dict[str, list[PortionUse]]:
    """Each material taken in portions, with the steps that take it, in step order; steps a
    ``when:`` leaves out are not counted."""
    uses: dict[str, list[PortionUse]] = {}
    _walk(steps, ("steps",), 1, uses)
    return uses


def _walk(block: Sequence[st.Step], path: tuple[PathPart, ...], cycles: int,
          uses: dict[str, list[PortionUse]]) -> None:
    """``portion_uses`` of ``block`` at ``path``, run ``cycles`` times, into ``uses`` (a
    function of its own, not a closure that calls itself: that would be a reference cycle
    per file)."""
    for index, step in enumerate(block):
        if step.when is not True:
            continue
        here = (*path, index)
        if isinstance(step, st.Repeat):
            _walk(step.steps, (*here, "steps"), cycles * step.times, uses)
        elif isinstance(step, (st.Wash, st.Extract, st.Redisperse)):
            times = step.times if isinstance(step, (st.Wash, st.Extract)) else 1
            volume = step.volume.to("mL") if step.volume is not None else None
            uses.setdefault(step.solvent, []).append(PortionUse(here, cycles * times, volume))


def portions_total_mL(uses: Sequence[PortionUse], amount_mL: float) -> float:
    """What the steps take in all: each stated portion as stated, the others at the amount."""
    return sum(u.count * (u.volume_mL if u.volume_mL is not None else amount_mL) for u in uses)


def same_volume(one: float, other: float) -> bool:
    """Equal to the figures a protocol writes (5 mL and 5.00 mL; not 5 and 5.1)."""
    return abs(one - other) <= 1e-3 * max(abs(one), abs(other))
