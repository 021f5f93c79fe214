"""ST119: a step that works up what a vessel holds (filter, centrifuge, recrystallise,
extract, evaporate, distil, transfer whole) finds the vessel empty. Found writing the second
lab's nitration and borohydride reduction: a recrystallisation in a clean flask after the
solid was filtered off in another vessel, with no step moving the solid there.

The rule must not fire on what an ordinary protocol does: working up the vessel the mixture
or the solid is in, a vessel that holds only a product, or a filtration with no vessel named.
"""

from __future__ import annotations

import pytest

from protocol_text import findings_of, with_code

PROTOCOL = """\
materials:
  acid: {reagent: benzoic-acid, amount: 1.22 g, role: reactant}
  water: {reagent: water, amount: 20 mL, role: solvent}
  EtOAc: {reagent: ethyl-acetate, amount: 20 mL, role: solvent}
  EtOH: {reagent: ethanol, amount: 10 mL, role: solvent}
vessels:
  beaker: {kind: beaker, volume: 100 mL}
  clean: {kind: Erlenmeyer flask, volume: 50 mL}
  funnel: {kind: separatory funnel, volume: 100 mL}
  tube: {kind: centrifuge tube, volume: 50 mL}
equipment:
  centrifuge: {kind: centrifuge, rotor_radius: 10 cm}
steps:
  - {action: add, materials: [acid, water], to: beaker}
  - {action: stir, vessel: beaker, duration: 5 min, product: solid}
STEPS
products:
  solid:
    name: benzoic acid, precipitated
    kind: solid
    formula: C7H6O2
    reaction: {reactants: {acid: 1}}
"""

# One work-up step, on the empty 'clean' flask (or funnel, or tube), each with what it does.
ON_EMPTY = {
    "filter": "  - {action: filter, vessel: clean, keep: solid}",
    "centrifuge": "  - {action: centrifuge, vessel: tube, speed: 3000 x g, duration: 5 min}",
    "recrystallize": ("  - {action: recrystallize, vessel: clean, solvent: EtOH, "
                      "temperature: 78 degC, cool_to: 0 degC}"),
    "extract": "  - {action: extract, from: funnel, solvent: EtOAc, times: 1, keep: organic}",
    "evaporate": "  - {action: evaporate, vessel: clean, temperature: 40 degC}",
    "distill": ("  - {action: distill, from: clean, collect: 76-79 degC, fraction: [EtOH], "
                "temperature: 90 degC}"),
    "transfer": "  - {action: transfer, from: clean, into: beaker}",
}
EMPTY_VESSEL = {"filter": "clean", "centrifuge": "tube", "recrystallize": "clean",
                "extract": "funnel", "evaporate": "clean", "distill": "clean",
                "transfer": "clean"}


def _findings(steps: str) -> list:  # type: ignore[type-arg]
    return findings_of(PROTOCOL.replace("STEPS", steps))


@pytest.mark.parametrize("action", sorted(ON_EMPTY))
def test_a_work_up_of_an_empty_vessel_is_reported(action: str) -> None:
    (found,) = with_code(_findings(ON_EMPTY[action]), "ST119")
    vessel = EMPTY_VESSEL[action]
    assert found.message.startswith(f"'{vessel}' holds nothing to ")
    assert "('solid' is in 'beaker')" in found.message  # where the product is
    assert found.path == ("steps", 2)
    assert found.hint is not None
    assert f"into '{vessel}' first" in found.hint


def test_the_missing_transfer_is_the_fix() -> None:
    steps = ("  - {action: filter, vessel: beaker, keep: solid}\n"
             "  - {action: transfer, from: beaker, into: clean}\n" + ON_EMPTY["recrystallize"])
    assert not with_code(_findings(steps), "ST119")


@pytest.mark.parametrize("steps", [
    # the solid recrystallised where it was filtered
    "  - {action: filter, vessel: beaker, keep: solid}\n"
    "  - {action: recrystallize, vessel: beaker, solvent: EtOH, temperature: 78 degC, "
    "cool_to: 0 degC}",
    # a vessel that holds only the product (the liquid filtered away) is not empty
    "  - {action: filter, vessel: beaker, keep: solid}\n"
    "  - {action: transfer, from: beaker, into: clean}",
    # a filtration with no vessel named, and the mixture's own vessel worked up
    "  - {action: filter, keep: solid}\n"
    "  - {action: evaporate, vessel: beaker, temperature: 40 degC}",
    # the mixture moved into the funnel, then extracted
    "  - {action: transfer, from: beaker, into: funnel}\n"
    "  - {action: extract, from: funnel, solvent: EtOAc, times: 1, keep: organic}",
], ids=["same-vessel", "product-only", "no-vessel", "moved-first"])
def test_ordinary_work_ups_are_not_reported(steps: str) -> None:
    assert not with_code(_findings(steps), "ST119")


def test_a_stated_volume_from_an_empty_vessel_is_st115_alone() -> None:
    """Taking 1 mL of nothing is ST115's (a portion larger than what the vessel holds);
    ST119 does not say it again."""
    found = _findings("  - {action: transfer, from: clean, into: beaker, amount: 1 mL}")
    assert with_code(found, "ST115")
    assert not with_code(found, "ST119")
