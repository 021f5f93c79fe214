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


# --- what the vessels hold: one portion at a time -----------------------------------------


def _shares(body: str, vessel: str, action: str, material: str) -> list[float]:
    """The share of ``material``'s amount that ``vessel`` holds in each state a step of
    ``action`` leaves it in, in step order."""
    base = validate_body(body).base
    assert base is not None
    assert base.amounts is not None
    return [next((h.share for h in s.held if h.material_id == material), 0.0)
            for s in base.amounts.timeline if s.vessel == vessel and s.action == action]


@pytest.mark.parametrize(("amount", "one"), [
    ("75 mL", 25 / 75),   # the total of 3 × 25 mL: a third of it in the vessel at a time
    ("25 mL", 1.0),       # one portion: all of it
])
def test_a_wash_puts_one_portion_in(amount: str, one: float) -> None:
    """3 × 25 mL washes: the vessel holds 25 mL of the rinse during each, whichever way its
    amount is written, and none once the supernatant is gone."""
    body = _body("wash", amount, "25 mL").replace("times: 2", "times: 3, vessel: beaker")
    assert _shares(body, "beaker", "wash", "rinse") == pytest.approx([one, 0.0])


def test_a_wash_of_one_portion_that_fits_is_not_overfilled() -> None:
    """Stöber silica (11 mL of mixture) spun down in two 30 mL tubes (60 mL together) and
    washed 3 × 25 mL, the ethanol written as its total, 75 mL: each wash fills the tubes to
    25/60 = 42 %, which the walk put at 75/60 = 125 % when it charged the whole amount at once
    (a false PH108). Tubes of 2 × 10 mL hold 20 mL: the mixture fits (55 %), one 25 mL
    portion is 125 % of that, and is reported."""
    def body(tube_mL: int) -> str:
        return f"""\
            materials:
              EtOH: {{reagent: ethanol, amount: 10 mL, role: solvent}}
              TEOS: {{reagent: tetraethyl-orthosilicate, amount: 1.00 mL, role: precursor}}
              EtOH_wash: {{reagent: ethanol, amount: 75 mL, role: wash}}
            vessels:
              flask: {{kind: Erlenmeyer flask, volume: 100 mL}}
              tubes: {{kind: centrifuge tube, volume: {tube_mL} mL, count: 2}}
            steps:
              - {{action: add, materials: [EtOH, TEOS], to: flask}}
              - {{action: stir, vessel: flask, duration: 12 h, product: SiO2}}
              - {{action: transfer, from: flask, into: tubes}}
              - {{action: centrifuge, vessel: tubes, speed: 8000 x g, keep: pellet}}
              - {{action: wash, solvent: EtOH_wash, times: 3, volume: 25 mL, vessel: tubes}}
            products:
              SiO2: {{name: silica spheres, kind: nanostructure, formula: SiO2}}
            """
    assert not with_code(findings_of(body(30)), "PH108")
    (found,) = with_code(findings_of(body(10)), "PH108")
    assert "holds 25 mL of liquid (EtOH_wash) in 20 mL nominal" in found.message
    assert "125 % full" in found.message


@pytest.mark.parametrize(("amount", "one"), [
    ("45 mL", 15 / 45),   # the total of 3 × 15 mL
    ("15 mL", 1.0),       # one portion
])
def test_an_extraction_takes_one_portion_and_combines_them(amount: str, one: float) -> None:
    """3 × 15 mL of ethyl acetate: the funnel holds 15 mL of it as it is shaken, and the
    flask the kept layers receive ends up with all 45 mL (three portions)."""
    body = _body("extract", amount, "15 mL").replace(
        "keep: organic", "keep: organic, into: flask, leave: [water, acid]").replace(
        "  funnel:", "  flask: {kind: round-bottom flask, volume: 100 mL}\n  funnel:")
    assert _shares(body, "funnel", "extract", "EtOAc") == pytest.approx([one])
    assert _shares(body, "flask", "extract", "EtOAc") == pytest.approx([3 * one])


def test_an_extraction_whose_solvent_is_drained_keeps_none_of_it() -> None:
    """Portions that go with the layer drained (``leave``): the funnel holds one portion as
    it is shaken, and none of any portion once the step is done."""
    body = _body("extract", "45 mL", "15 mL").replace(
        "keep: organic", "keep: aqueous, leave: [EtOAc]")
    body = body.rstrip("\n") + "\n  - {action: stir, vessel: funnel, duration: 1 min}\n"
    assert _shares(body, "funnel", "extract", "EtOAc") == pytest.approx([15 / 45])
    assert _shares(body, "funnel", "stir", "EtOAc") == [0.0]


def test_two_redispersions_of_one_solvent_take_their_own_volumes() -> None:
    """5 mL then 10 mL of one rinse of 15 mL: a third, then two thirds of it (the walk put
    the whole 15 mL in at each step, 30 mL in all)."""
    body = _body("redisperse", "15 mL", "5 mL").replace(
        "vessel: beaker, volume: 5 mL}",
        "vessel: beaker, volume: 5 mL}\n"
        "  - {action: redisperse, solvent: rinse, vessel: beaker, volume: 10 mL}")
    assert _shares(body, "beaker", "redisperse", "rinse") == pytest.approx([5 / 15, 15 / 15])
