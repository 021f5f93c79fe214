"""chemistry.walk_memo: the variants of a file share one vessel walk when it read no amount and
they differ from each other in amounts alone; what each variant finds is exactly what
validating it on its own finds."""

from __future__ import annotations

import dataclasses
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from benchsheet.chemistry.amounts import AmountsTable, MaterialAmount, _amount_of, _gas_check
from benchsheet.chemistry.vessels import Timeline, simulate
from benchsheet.chemistry.walk_memo import same
from benchsheet.findings import Finding
from benchsheet.loader import load_file, load_text
from benchsheet.model.materials import Material
from benchsheet.reagents.library import ReagentLibrary, load_library
from benchsheet.validate import FileResult, Options, validate_document
from variants_alone import each_alone

PROTOCOL = textwrap.dedent("""\
    id: walks
    title: Sodium chloride solutions in a series
    version: 1.0.0
    source: {section: benchsheet tests}
    parameters:
      scale: {default: 1, values: [1, 0.5, 2]}
      hot: {default: 25, values: [25, 60]}
      rinse: {default: "yes", values: ["yes", "no"]}
      flask: {default: vial, values: [vial, sealed]}
      kind: {default: molecule, values: [molecule, solid]}
    variants:
      - {name: half, set: {scale: 0.5}}
      - {name: double, set: {scale: 2}}
      - {name: hot, set: {hot: 60}}
      - {name: hot-half, set: {hot: 60, scale: 0.5}}
      - {name: dry, set: {rinse: "no"}}
      - {name: sealed, set: {flask: sealed}}
      - {name: salt, set: {kind: solid}}
    tables:
      closed: {vial: false, sealed: true}
    materials:
      NaCl: {reagent: sodium chloride, amount: "${585 * scale} mg"}
      water: {reagent: water, amount: "${10 * scale} mL", role: solvent}
      EtOH: {reagent: ethanol, amount: 1 mL, role: wash, when: "${rinse == 'yes'}"}
    vessels:
      vial: {kind: vial, volume: 20 mL, closed: "${closed[flask]}"}
      tube: {kind: centrifuge tube, volume: 50 mL}
    steps:
      - {action: add, materials: [NaCl, water], to: vial}
      - {action: stir, vessel: vial, duration: 10 min, temperature: "${hot} °C", product: made}
      - {action: add, materials: [EtOH], to: vial, when: "${rinse == 'yes'}"}
      - {action: transfer, from: vial, into: tube}
      - {action: centrifuge, vessel: tube, speed: 3000 rpm, keep: supernatant}
    products:
      made: {name: sodium chloride, kind: "${kind}", formula: NaCl}
    """)


def _seen(findings: list[Finding]) -> list[tuple[object, ...]]:
    return sorted((f.code, f.line, f.column, f.message, f.variant, f.acknowledged)
                  for f in findings)


def _states(timeline: Timeline) -> list[tuple[object, ...]]:
    """A timeline's states as plain values, to compare two walks."""
    return [(*(getattr(s, f.name) for f in dataclasses.fields(s) if f.name != "held"),
             tuple(s.held)) for s in timeline]


def _check_alone(result: FileResult, library: ReagentLibrary, options: Options) -> None:
    """Every variant of ``result`` finds, walks and counts what it does on its own."""
    alone = each_alone(result.document, library, options)
    for variant in result.variants:
        own = alone[variant.name]
        assert _seen(variant.findings) == _seen(own.findings), variant.name
        if own.amounts is None:
            assert variant.amounts is None
            continue
        assert variant.amounts is not None
        assert _states(variant.amounts.timeline) == _states(own.amounts.timeline), variant.name
        mine, theirs = variant.amounts.timeline, own.amounts.timeline
        assert (mine.problems, mine.formations, mine.dispensed) == (
            theirs.problems, theirs.formations, theirs.dispensed), variant.name
        assert variant.amounts.materials == own.amounts.materials, variant.name
        assert variant.amounts.balances == own.amounts.balances, variant.name
        assert variant.amounts.gases == own.amounts.gases, variant.name


def test_variants_of_other_amounts_share_one_walk() -> None:
    library = load_library(())
    result = validate_document(load_text(PROTOCOL, "walks.yaml"), Options(), library)
    by_name = {v.name: v for v in result.variants}
    tables: dict[str, AmountsTable] = {}
    for name, variant in by_name.items():
        assert variant.amounts is not None, name
        tables[name] = variant.amounts
    base = tables[""].timeline
    # Half and double the amounts: the same steps, the same shares, one walk.
    assert tables["half"].timeline is base
    assert tables["double"].timeline is base
    assert tables["hot-half"].timeline is tables["hot"].timeline
    # Each has its own amounts all the same: double overfills the vial, the others do not.
    assert tables["double"].materials["NaCl"].moles != tables[""].materials["NaCl"].moles
    assert [f.code for f in by_name["double"].findings if f.code == "PH108"] == ["PH108"]
    assert not [f for f in by_name[""].findings if f.code == "PH108"]
    # A temperature, a material and step left out, a sealed vessel, a product's kind: each
    # is another walk.
    for name in ("hot", "dry", "sealed", "salt"):
        assert tables[name].timeline is not base, name
    assert tables["hot"].timeline[1].temperature_K == pytest.approx(333.15)
    assert "EtOH" not in tables["dry"].timeline[-1].materials
    assert tables["sealed"].timeline[0].sealed
    # A solid product goes with the pellet; a molecule stays in the supernatant kept.
    assert tables["salt"].timeline[-1].products == ()
    assert base[-1].products == ("made",)
    _check_alone(result, library, Options())


def _stock(name: str, title: str, steps: str) -> str:
    """A protocol whose 10 mL of water (4 mL in its variant 'short') is added to vial 'one'
    and onwards as ``steps`` say (the YAML list of the steps)."""
    return textwrap.dedent(f"""\
        id: {name}
        title: {title}
        version: 1.0.0
        source: {{section: benchsheet tests}}
        parameters:
          total: {{default: 10, values: [10, 4]}}
        variants:
          - {{name: short, set: {{total: 4}}}}
        materials:
          water: {{reagent: water, amount: "${{total}} mL", role: solvent}}
        vessels:
          one: {{kind: vial, volume: 20 mL}}
          two: {{kind: vial, volume: 20 mL}}
        steps:
        """) + textwrap.dedent(steps)


PORTIONS = _stock("portions", "A stock charged in portions", """\
      - action: add
        materials: [{material: water, amount: 5 mL}]
        to: one
      - action: add
        materials: [{material: water, fraction: rest}]
        to: two
    """)


def test_a_walk_that_reads_amounts_is_walked_for_each_variant() -> None:
    """A portion written as an amount is a share of the material's total: 5 mL is half of
    10 mL and more than all of 4 mL (ST114), so the walk is each variant's own."""
    library = load_library(())
    result = validate_document(load_text(PORTIONS, "portions.yaml"), Options(), library)
    base, short = result.variants
    assert base.amounts is not None
    assert short.amounts is not None
    assert base.amounts.timeline.reads_amounts
    assert short.amounts.timeline is not base.amounts.timeline
    assert [p.code for p in short.amounts.timeline.problems] == ["ST114"]
    assert not base.amounts.timeline.problems
    assert base.amounts.timeline[0].held[0].share == pytest.approx(0.5)
    assert short.amounts.timeline[0].held[0].share == pytest.approx(1.0)
    _check_alone(result, library, Options())


def _amount(text: str) -> object:
    """A material's amount as the model reads ``text``."""
    return Material(reagent="water", amount=text).amount


TRANSFER = _stock("transfer", "A volume of a stock moved on", """\
      - {action: add, materials: [water], to: one}
      - {action: transfer, from: one, into: two, amount: 5 mL}
    """)


def test_a_transfer_of_a_volume_is_walked_for_each_variant() -> None:
    """5 mL of the stock is half of 10 mL and more than the 4 mL there is (ST115)."""
    library = load_library(())
    result = validate_document(load_text(TRANSFER, "transfer.yaml"), Options(), library)
    base, short = result.variants
    assert base.amounts is not None
    assert short.amounts is not None
    assert base.amounts.timeline.reads_amounts
    assert short.amounts.timeline is not base.amounts.timeline
    assert [p.code for p in short.amounts.timeline.problems] == ["ST115"]
    assert not base.amounts.timeline.problems
    assert base.amounts.timeline[-1].held[0].share == pytest.approx(0.5)
    assert short.amounts.timeline[-1].held[0].share == pytest.approx(1.0)
    _check_alone(result, library, Options())


@pytest.mark.parametrize(
    ("one", "other", "alike"),
    [
        ([1, {"a": 2.0}], [1, {"a": 2.0}], True),
        (1, 1.0, False),  # equal to Python, not the same value
        (True, 1, False),
        (Decimal("1.50"), Decimal("1.5"), False),  # printed apart
        (0.0, -0.0, False),
        (float("nan"), float("nan"), False),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}, False),  # a model's mapping keeps its order
        ((1, 2), [1, 2], False),
        (_amount("1.50 mmol"), _amount("1.50 mmol"), True),
        (_amount("1.50 mmol"), _amount("1.5 mmol"), False),
        (Material(reagent="water", amount="1 mL"), Material(reagent="water", amount="1 mL"),
         True),
        (Material(reagent="water", amount="1 mL"), Material(reagent="water", amount="2 mL"),
         False),
        (object(), object(), False),  # a value of no known kind: only itself
    ],
)
def test_same_is_equality_of_values_and_types(one: object, other: object,
                                              alike: bool) -> None:
    assert same(one, other) is alike
    assert same(other, one) is alike


class _Unread:
    """A number the walk must not read: any use of it fails the test."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the walk read .{name} of an amount")


def _fail(*_: object) -> Any:
    raise AssertionError("the walk used an amount")


for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
              "__truediv__", "__rtruediv__", "__bool__", "__float__", "__format__",
              "__str__", "__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__"):
    setattr(_Unread, _name, _fail)


def _unread(entry: MaterialAmount) -> MaterialAmount:
    """``entry`` with each of its moles, mass and volume that it has made unreadable."""
    return dataclasses.replace(entry, **{
        name: _Unread() for name in ("moles", "mass", "volume")
        if getattr(entry, name) is not None})


def _protocol_files() -> list[Path]:
    root = Path(__file__).resolve().parent.parent
    return sorted({*root.glob("protocols/*.yaml"), *root.glob("tests/**/*.yaml"),
                   *root.glob("src/benchsheet/starter/**/*.yaml")})


def test_a_walk_that_reads_no_amount_never_touches_one() -> None:
    """``Timeline.reads_amounts`` is set before every read of a material's moles, mass or
    volume: a walk without it, played again with those numbers unreadable, reads none and
    makes the same states. (Over every protocol of the repository, so a read added to the
    walk without setting it fails here.)"""
    library = load_library(())
    walked = 0
    for path in _protocol_files():
        doc = load_file(path)
        if doc.data is None or doc.findings:
            continue
        for variant in validate_document(doc, Options(), library).variants:
            amounts = variant.amounts
            if variant.protocol is None or amounts is None or amounts.timeline.reads_amounts:
                continue
            # The entries the walk is played from: compute_amounts's, before the gases.
            entries: dict[str, MaterialAmount] = {}
            parts: dict[str, tuple[str, ...]] = {}
            for mid, material in variant.protocol.materials.items():
                if material.when is True:
                    entry, part = _amount_of(mid, material, library, None)
                    entries[mid] = _unread(entry)
                    if part is not None:
                        entries[part.material_id] = _unread(part)
                        parts[mid] = (part.material_id,)
            again = simulate(variant.protocol, entries.get, parts, _gas_check(library))
            assert _states(again) == _states(amounts.timeline), (path, variant.name)
            assert not again.reads_amounts
            walked += 1
    assert walked > 20
