"""Solvent portions (wash, extract, redisperse): the amount of such a solvent has been read
as one portion (docs/bench-model.md), and a chemist writes the total there, as for every
other material (the README's example and the second lab's first drafts did). Where the steps
state the volume of a portion, both readings are unambiguous: the sheet totals what the steps
take, and ST120 reports only an amount that is neither one portion nor all of them.
"""

from __future__ import annotations

import pytest

from benchsheet.render.view import material_rows
from protocol_text import findings_of, validate_body, with_code

PROTOCOL = """\
materials:
  acid: {reagent: benzoic-acid, amount: 1.22 g, role: reactant}
  water: {reagent: water, amount: 20 mL, role: solvent}
  rinse: {reagent: water, amount: AMOUNT, role: wash}
  EtOAc: {reagent: ethyl-acetate, amount: AMOUNT, role: solvent}
vessels:
  beaker: {kind: beaker, volume: 100 mL}
  funnel: {kind: separatory funnel, volume: 250 mL}
steps:
  - {action: add, materials: [acid, water], to: beaker}
  - {action: stir, vessel: beaker, duration: 5 min}
STEP
"""

STEPS = {
    "wash": "  - {action: filter, vessel: beaker, keep: solid}\n"
            "  - {action: wash, solvent: rinse, times: 2VOLUME}",
    "extract": "  - {action: transfer, from: beaker, into: funnel}\n"
               "  - {action: extract, from: funnel, solvent: EtOAc, times: 3, keep: organic"
               "VOLUME}",
    "redisperse": "  - {action: filter, vessel: beaker, keep: solid}\n"
                  "  - {action: redisperse, solvent: rinse, vessel: beakerVOLUME}",
}


def _body(action: str, amount: str, volume: str | None) -> str:
    step = STEPS[action].replace("VOLUME", "" if volume is None else f", volume: {volume}")
    return PROTOCOL.replace("AMOUNT", amount).replace("STEP", step)


@pytest.mark.parametrize(("action", "amount", "volume"), [
    ("wash", "5 mL", "5 mL"),          # one portion, the documented form
    ("wash", "10 mL", "5 mL"),         # all of them: 2 × 5 mL
    ("wash", "5.0 mL", "5.00 mL"),     # the same volume written to other figures
    ("wash", "5 mL", None),            # no volume on the step: the amount is the portion
    ("wash", "5.0 g", "7 mL"),         # weighed out: a volume only through the density
    ("extract", "45 mL", "15 mL"),     # 3 × 15 mL
    ("redisperse", "15 mL", "15 mL"),
], ids=["portion", "total", "figures", "no-volume", "by-mass", "extract-total",
        "redisperse"])
def test_one_portion_or_all_of_them_is_not_reported(action: str, amount: str,
                                                    volume: str | None) -> None:
    assert not with_code(findings_of(_body(action, amount, volume)), "ST120")


@pytest.mark.parametrize(("action", "amount", "volume", "total"), [
    ("wash", "15 mL", "5 mL", "10 mL"),
    ("extract", "30 mL", "15 mL", "45 mL"),
    ("redisperse", "45 mL", "15 mL", "15 mL"),
])
def test_an_amount_that_is_neither_is_reported(action: str, amount: str, volume: str,
                                               total: str) -> None:
    (found,) = with_code(findings_of(_body(action, amount, volume)), "ST120")
    solvent = "EtOAc" if action == "extract" else "rinse"
    assert found.message == (
        f"this step takes {volume} of '{solvent}' per portion, but its amount, {amount}, is "
        f"neither one portion nor all the portions the steps take ({total})")
    assert found.path == ("steps", 3, "volume")


def test_two_steps_of_one_solvent_are_summed() -> None:
    """2 × 5 mL and 1 × 10 mL of one rinse: 20 mL in all. Written as 20 mL, nothing to say;
    as 5 mL, the first step's portion, the second step's 10 mL is reported."""
    def body(amount: str) -> str:
        return _body("wash", amount, "5 mL").replace(
            "times: 2, volume: 5 mL}", "times: 2, volume: 5 mL}\n"
            "  - {action: wash, solvent: rinse, times: 1, volume: 10 mL}")
    assert not with_code(findings_of(body("20 mL")), "ST120")
    (found,) = with_code(findings_of(body("5 mL")), "ST120")
    assert found.path == ("steps", 4, "volume")
    assert "(20 mL)" in found.message


@pytest.mark.parametrize(("amount", "volume", "used"), [
    ("5 mL", "5 mL", "used 2×: 10.00 mL in all"),    # one portion, two of them
    ("10 mL", "5 mL", "used 2×: 10.00 mL in all"),   # the total: not 2 × 10 mL
    ("5 mL", None, "used 2×: 10.00 mL in all"),      # the old rule
    ("15 mL", "5 mL", "used 2×: 10.00 mL in all"),   # neither (ST120): what the steps take
])
def test_the_sheet_totals_what_the_steps_take(amount: str, volume: str | None,
                                              used: str) -> None:
    base = validate_body(_body("wash", amount, volume)).base
    assert base is not None
    assert base.amounts is not None
    (row,) = [r for r in material_rows(base.amounts, protocol=base.protocol) if r.id == "rinse"]
    assert row.total == used
