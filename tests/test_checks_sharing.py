"""The rules across the variants of one file: what they work out once for the parts and
facts variants share (a step's references, a material's hazard facts, the used reagents of
a table) must leave every variant's findings exactly what validating it on its own gives,
whatever the variant changes: an amount, a temperature, a material or step present or not
(``when:``), a vessel's rating or the vessel itself."""

from __future__ import annotations

import dataclasses
import textwrap

import pytest

from benchsheet.chemistry.hazards import shared_used_reagents, used_reagents
from benchsheet.chemistry.phases import (
    components,
    liquid_volume_total_mL,
    liquid_volume_totals_mL,
    mixture_freezing,
    substance_key,
)
from benchsheet.findings import Finding
from benchsheet.loader import load_text
from benchsheet.reagents.library import load_library
from benchsheet.validate import (
    FileResult,
    Options,
    VariantResult,
    validate_document,
)
from variants_alone import each_alone

PROTOCOL = textwrap.dedent("""\
    format: 1
    id: sharing
    title: Rules across variants
    version: 1.0.0
    source: {section: benchsheet tests}
    parameters:
      scale: {default: 1, values: [1, 2, 8, 10]}
      hot: {default: 90, values: [40, 90, 150]}
      extra: {default: 0, values: [0, 1]}
      tube: {default: 1, values: [0, 1]}
      rating: {default: 3, values: [3, 30]}
    variants:
      - {name: double, set: {scale: 2}}
      - {name: full, set: {scale: 8}}
      - {name: overfull, set: {scale: 10}}
      - {name: temperatures, matrix: {hot: [40, 150]}}
      - {name: phosphine, set: {extra: 1}}
      - {name: no-tube, set: {tube: 0}}
      - {name: rated, set: {rating: 30, hot: 150}}
    materials:
      EtOH: {reagent: ethanol, amount: "${2 * scale} mL", role: solvent}
      BDA: {reagent: butanediamine, amount: "${1 * scale} mL", role: ligand}
      PEt3: {reagent: triethylphosphine, amount: 0.5 mL, role: reactant,
             when: "${extra > 0}"}
      water: {reagent: water, amount: 5 mL, role: solvent}
    vessels:
      tube: {kind: pressure tube, volume: 25 mL, closed: true,
             pressure_rating: "${rating} bar gauge", when: "${tube > 0}"}
      flask: {kind: round-bottom flask, volume: 10 mL}
    steps:
      - {action: add, materials: [EtOH, BDA], to: tube}
      - {action: heat, vessel: tube, temperature: "${hot} degC"}
      - {action: add, materials: [water], to: flask}
      - {action: add, materials: [PEt3], to: flask, when: "${extra > 0}"}
      - {action: heat, vessel: flask, temperature: "${hot} degC"}
    """)


def _seen(findings: list[Finding]) -> list[tuple[object, ...]]:
    return [(f.file, f.line, f.column, f.code, f.severity, f.message, f.hint, f.path,
             f.variant, f.acknowledged) for f in findings]


def _together() -> FileResult:
    return validate_document(load_text(PROTOCOL, "sharing.yaml"), Options())


@pytest.mark.parametrize("alone_first", [True, False])
def test_each_variant_finds_what_validating_it_alone_finds(alone_first: bool) -> None:
    options = Options()
    doc = load_text(PROTOCOL, "sharing.yaml")
    # Either order: what one way keeps (per file or per run) must not change the other's.
    alone = each_alone(doc, load_library(options.reagent_files), options) if alone_first else {}
    result = validate_document(doc, options)
    if not alone_first:
        alone = each_alone(doc, load_library(options.reagent_files), options)
    assert [v.name for v in result.variants] == list(alone)
    for variant in result.variants:
        assert _seen(variant.findings) == _seen(alone[variant.name].findings), variant.name


def _codes(variant: VariantResult) -> list[str]:
    return sorted({f.code for f in variant.findings})


def test_the_variants_find_what_their_changes_make() -> None:
    variants = {v.name: v for v in _together().variants}
    base = variants[""]
    # The shared steps name a vessel that no-tube does not declare: RF301 there only, at the
    # two steps that name it, although they are the base's very step objects.
    no_tube = variants["no-tube"]
    assert no_tube.protocol is not None
    assert base.protocol is not None
    assert no_tube.protocol.steps[0] is base.protocol.steps[0]
    assert [(f.code, f.yaml_path) for f in no_tube.findings if f.code == "RF301"] == [
        ("RF301", "steps[0].to"), ("RF301", "steps[1].vessel")]
    assert all("RF301" not in _codes(v) for name, v in variants.items() if name != "no-tube")
    # The pyrophoric phosphine is used in one variant: its statements, classes and handling.
    phosphine = variants["phosphine"]
    assert {"HZ106", "HZ110", "HZ112"} <= set(_codes(phosphine))
    assert all(not {"HZ106", "HZ112"} & set(_codes(v)) for name, v in variants.items()
               if name != "phosphine")
    (statements,) = [f for f in phosphine.findings if f.code == "HZ101"]
    assert "H250" in statements.message
    assert "triethylphosphine" in statements.message
    (statements,) = [f for f in base.findings if f.code == "HZ101"]
    assert "H250" not in statements.message
    # 3 mL in 25 mL: 24 mL (96 %) is over the sealed limit, 30 mL more than the tube holds.
    assert "PH109" in _codes(variants["full"])
    assert "PH108" not in _codes(variants["full"])
    assert "PH108" in _codes(variants["overfull"])
    assert not {"PH108", "PH109"} & set(_codes(base))
    # The rating of 3 bar gauge is passed at 150 °C; one of 30 bar is not.
    assert "PH103" in _codes(variants["temperatures[hot=150]"])
    assert "PH103" not in _codes(variants["rated"])
    assert "PH105" in _codes(variants["rated"])


def test_tables_that_use_the_same_reagents_share_one_tuple() -> None:
    variants = {v.name: v for v in _together().variants}
    tables = {name: v.amounts for name, v in variants.items()}
    assert all(table is not None for table in tables.values())
    base = shared_used_reagents(tables[""])  # type: ignore[arg-type]
    # Other amounts, another temperature: the same reagents handled the same way.
    for name in ("double", "temperatures[hot=150]", "no-tube"):
        assert shared_used_reagents(tables[name]) is base, name  # type: ignore[arg-type]
    phosphine = shared_used_reagents(tables["phosphine"])  # type: ignore[arg-type]
    assert phosphine is not base
    assert [u.material_ids for u in phosphine] == [("EtOH",), ("BDA",), ("PEt3",),
                                                    ("water",)]
    assert [u.material_ids for u in base] == [("EtOH",), ("BDA",), ("water",)]
    assert used_reagents(tables["phosphine"]) == list(phosphine)  # type: ignore[arg-type]


def test_fills_are_the_liquid_volumes_of_each_state() -> None:
    for variant in _together().variants:
        amounts = variant.amounts
        assert amounts is not None
        for vessel in ("tube", "flask"):
            states = amounts.timeline.of(vessel)
            assert liquid_volume_totals_mL(states, amounts) == [
                liquid_volume_total_mL(s, amounts) for s in states], (variant.name, vessel)
    variants = {v.name: v for v in _together().variants}
    # 2 mL of ethanol and 1 mL of diamine per unit of scale, in the tube at both its steps.
    for name, scale in (("", 1), ("double", 2), ("full", 8)):
        amounts = variants[name].amounts
        assert amounts is not None
        totals = liquid_volume_totals_mL(amounts.timeline.of("tube"), amounts)
        assert totals == pytest.approx([3.0 * scale, 3.0 * scale])


def test_mixture_freezing_takes_the_mole_fraction_of_the_components() -> None:
    for variant in _together().variants:
        amounts = variant.amounts
        assert amounts is not None
        for state in amounts.timeline:
            for mid in state.materials:
                found = mixture_freezing(state, amounts, mid)
                entry = amounts.entry(mid)
                assert entry is not None
                if entry.reagent.melting_point_K is None:
                    assert found is None
                    continue
                assert found is not None
                parts = components(state, amounts)
                own = [c for c in parts if substance_key(c.entry) == substance_key(entry)]
                rest = [c for c in parts if c not in own]
                own_moles = sum(c.moles or 0.0 for c in own)
                total = sum(c.moles or 0.0 for c in rest) + own_moles
                assert found.mole_fraction == pytest.approx(
                    own_moles / total if own_moles > 0 and total > 0 else 1.0)
                assert found.other_components == tuple(m for c in rest
                                                       for m in c.material_ids)


def test_a_finding_made_by_the_context_is_the_dataclass_finding() -> None:
    from benchsheet.checks.context import _new_finding
    from benchsheet.findings import Severity

    args = ("p.yaml", 3, 5, "PH101", Severity.WARNING, "message", "hint", ("steps", 0), "v")
    made, plain = _new_finding(*args), Finding(*args)
    assert made == plain
    assert hash(made) == hash(plain)
    assert repr(made) == repr(plain)
    assert vars(made) == vars(plain)  # every field of the class, in its order
    assert list(vars(made)) == [f.name for f in dataclasses.fields(Finding)]
    assert made.acknowledge("why") == Finding(*args, acknowledged="why")


def test_a_pickled_finding_comes_back_field_for_field() -> None:
    """A worker sends its findings pickled (``Finding.__reduce__``): each comes back equal,
    with every field, acknowledged or not, and a severity that is still the enum."""
    import pickle

    from benchsheet.findings import Severity

    plain = Finding("p.yaml", 3, 5, "PH101", Severity.WARNING, "°C message", "hint",
                    ("steps", 0, "materials", "x"), "v[x=1]")
    for finding in (plain, plain.acknowledge("the paper says so")):
        back = pickle.loads(pickle.dumps(finding, protocol=pickle.HIGHEST_PROTOCOL))
        assert back == finding
        assert hash(back) == hash(finding)
        assert vars(back) == vars(finding)
        assert list(vars(back)) == [f.name for f in dataclasses.fields(Finding)]
        assert back.severity is Severity.WARNING
        assert back.fails == (finding.acknowledged is None)
