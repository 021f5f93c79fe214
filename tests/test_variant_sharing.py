"""What a file's variants share beyond the base: a templated part made once per setting of
the parameters it reads (``expand.Templates``), the model of a part an earlier variant
validated (``model.parse.PartModels``), and findings copied field for field. Each variant
still finds exactly what validating it on its own finds."""

from __future__ import annotations

import pickle
import textwrap
from dataclasses import replace
from typing import Any

import pytest

from benchsheet.expand import VariantSpec, expand, templated, variant_specs
from benchsheet.findings import Finding, Severity
from benchsheet.limits import DEFAULT_LIMITS, Limits
from benchsheet.loader import load_text
from benchsheet.model.parse import _same
from benchsheet.reagents.library import load_library
from benchsheet.validate import Options, validate_document, validate_variant

SERIES = textwrap.dedent("""\
    id: sharing
    title: Sodium chloride solution in a series
    version: 1.0.0
    source: {section: benchsheet tests}
    parameters:
      scale: {default: 1}
      minutes: {default: 10}
    tables:
      label: {"1": one, "1.0": one, "2": two}
    variants:
      - {name: longer, set: {minutes: 20}}
      - {name: double, set: {scale: 2}}
      - {name: double-longer, set: {scale: 2, minutes: 20}}
      - {name: float, set: {scale: 1.0}}
      - {name: double-again, set: {scale: 2, minutes: 30}}
    materials:
      NaCl:
        reagent: {name: sodium chloride, formula: NaCl, cas: 7647-14-5,
                  hazards: {h_codes: [], source: not classified}}
        amount: ${585 * scale} mg
        grade: "${label[scale]} grade"
      water: {reagent: water, amount: "${10 * scale} mL"}
    vessels:
      vial: {kind: vial, volume: 20 mL}
    steps:
      - {action: add, materials: [NaCl, water], to: vial}
      - {action: stir, vessel: vial, duration: "${minutes} min", temperature: 25 °C}
    products:
      brine: {name: "brine ×${scale}", formula: NaCl, when: "${scale > 1}"}
    acknowledge:
      - {code: ST107, variant: double, reason: the limit is known to the test}
    """)


def _expanded(text: str, limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """Each variant's expansion with one plan for the file, by variant name."""
    doc = load_text(text, "sharing.yaml")
    assert doc.data is not None
    plan = templated(doc.data)
    out = {}
    for spec in variant_specs(doc.data):
        data, problems = expand(doc.data, spec, limits, plan)
        out[spec.name] = (data, problems, expand(doc.data, spec, limits))
    return out


def test_a_part_of_the_same_parameter_values_is_the_same_object() -> None:
    variants = _expanded(SERIES)
    nacl = {name: data["materials"]["NaCl"] for name, (data, _, _) in variants.items()}
    stir = {name: data["steps"][1] for name, (data, _, _) in variants.items()}
    # The material reads only 'scale': variants that agree on it share it.
    assert nacl["longer"] is nacl[""]
    assert nacl["double-longer"] is nacl["double"]
    assert nacl["double-again"] is nacl["double"]
    assert nacl["double"] is not nacl[""]
    # 1.0 is not 1 (the text is the same here, the table's "1" entry too).
    assert nacl["float"] is not nacl[""]
    assert nacl["float"]["grade"] == "one grade"
    # The stir step reads only 'minutes'.
    assert stir["double"] is stir[""]
    assert stir["double-longer"] is stir["longer"]
    assert stir["double-again"] is not stir["double-longer"]
    assert stir["double-again"]["duration"] == "30 min"


def test_a_shared_part_is_what_expanding_the_variant_alone_gives() -> None:
    for name, (data, problems, (alone, alone_problems)) in _expanded(SERIES).items():
        assert _same(data, alone), name
        assert repr(data) == repr(alone), name  # value for value, type for type, in order
        assert problems == alone_problems == [], name


def test_a_value_of_another_type_is_not_shared() -> None:
    data = {"parameters": {"x": {"default": 1}}, "part": {"twice": "${x * 2}", "x": "${x}"},
            "other": {"x": ["${x}"]}}
    plan = templated(data)
    made = [expand(data, VariantSpec(str(x), {"x": x}, ()), DEFAULT_LIMITS, plan)[0]["part"]
            for x in (1, 1.0, True, 1, 1.0)]
    assert made[3] is made[0]
    assert made[4] is made[1]
    assert len({id(part) for part in made}) == 3
    assert [repr(part) for part in made[:3]] == ["{'twice': 2, 'x': 1}",
                                                 "{'twice': 2.0, 'x': 1.0}",
                                                 "{'twice': 2, 'x': True}"]
    # A value of a type not known to compare safely is never shared.
    listed = [expand(data, VariantSpec("l", {"x": [1]}, ()), DEFAULT_LIMITS, plan)[0]["other"]
              for _ in range(2)]
    assert listed[0] is not listed[1]
    assert listed[0] == {"x": [[1]]}


def test_minus_zero_is_not_zero() -> None:
    text = SERIES.replace("{name: longer, set: {minutes: 20}}",
                          "{name: zero, set: {scale: 0.0}}\n  - {name: minus, set: {scale: -0.0}}")
    variants = _expanded(text)
    zero, minus = variants["zero"][0]["products"], variants["minus"][0]["products"]
    assert zero is not minus
    assert zero["brine"]["name"] == "brine ×0"
    assert minus["brine"]["name"] == "brine ×-0"


def test_a_problem_is_reported_in_every_variant_that_has_it() -> None:
    text = SERIES.replace('"${10 * scale} mL"', '"${10 * scale * volume} mL"')
    variants = _expanded(text)
    for name, (_, problems, (_, alone_problems)) in variants.items():
        assert [p.path for p in problems] == [("materials", "water", "amount")], name
        assert problems == alone_problems, name
    # An expression past the limits is one too, under the limits of each call.
    tight = Limits(expression_chars=8)
    for name, (_, problems, (_, alone_problems)) in _expanded(SERIES, tight).items():
        assert problems, name
        assert problems == alone_problems, name


def _seen(findings: list[Finding]) -> list[tuple[object, ...]]:
    return sorted((f.code, f.line, f.column, f.message, f.hint, f.path, f.variant,
                   f.acknowledged) for f in findings)


def test_a_part_an_earlier_variant_validated_takes_its_model() -> None:
    result = validate_document(load_text(SERIES, "sharing.yaml"))
    by_name = {v.name: v.parsed for v in result.variants}
    assert all(by_name.values())
    base, double, again = by_name[""], by_name["double"], by_name["double-again"]
    assert base is not None
    assert double is not None
    assert again is not None
    assert double.materials["NaCl"] is not base.materials["NaCl"]
    assert again.materials["NaCl"] is double.materials["NaCl"]
    assert again.products["brine"] is double.products["brine"]
    assert again.steps[1] is not double.steps[1]  # 30 min, not 10


def test_every_variant_finds_what_validating_it_alone_finds() -> None:
    options = Options()
    library = load_library(options.reagent_files)
    doc = load_text(SERIES, "sharing.yaml")
    result = validate_document(doc, options, library)
    assert doc.data is not None
    specs = {spec.name: spec for spec in variant_specs(doc.data)}
    assert [v.name for v in result.variants] == list(specs)
    for variant in result.variants:
        spec = specs[variant.name]
        data, problems = expand(doc.data, spec, options.limits)
        assert not problems
        alone = validate_variant(doc, data, spec.name, dict(spec.values), library, options)
        assert _seen(variant.findings) == _seen(alone.findings), variant.name
        assert variant.protocol == alone.protocol, variant.name
    acknowledged = [f.variant for f in result.findings if f.acknowledged]
    assert acknowledged == ["double"]


def test_a_copied_finding_is_the_dataclass_copy() -> None:
    finding = Finding("a.yaml", 3, 5, "PH101", Severity.WARNING, "too cold", "warm it",
                      ("steps", 1, "temperature"), "v1")
    for copy, made in ((finding.acknowledge("known"), replace(finding, acknowledged="known")),
                       (finding.in_variant("v2"), replace(finding, variant="v2"))):
        assert copy == made
        assert hash(copy) == hash(made)
        assert repr(copy) == repr(made)
        assert vars(copy) == vars(made)
        assert list(vars(copy)) == list(vars(made))
        assert pickle.loads(pickle.dumps(copy)) == made
    assert finding.acknowledged is None
    assert finding.variant == "v1"
    assert Finding("a.yaml", 1, 1, "X", Severity.ERROR, "m") == Finding(
        file="a.yaml", line=1, column=1, code="X", severity=Severity.ERROR, message="m",
        hint="", path=(), variant="", acknowledged=None)


def test_a_bare_number_is_parsed_once_and_as_a_number() -> None:
    from benchsheet import units

    fraction, mass = (units.FRACTION,), (units.MASS,)
    first = units.parse_quantity(0.75, fraction)
    assert units.parse_quantity(0.75, fraction) is first
    assert first == units._parse_quantity(0.75, fraction)
    # 1 and 1.0 keep their own digits; the text "1" is not the number 1.
    assert str(units.parse_quantity(1, fraction).value) == "1"
    assert str(units.parse_quantity(1.0, fraction).value) == "1.0"
    for _ in range(2):  # the second time from what the first one kept
        for value, message in ((5, "5 has no unit"), ("5", "'5' has no unit")):
            with pytest.raises(units.QuantityError, match=f"^{message}") as caught:
                units.parse_quantity(value, mass)
            assert caught.value.kind == "bare_number"


def test_a_variant_assembled_from_its_parts_is_the_validated_protocol() -> None:
    from benchsheet.model.protocol import Protocol

    # A part that fails in one variant (a negative amount), and a templated title: those
    # variants are validated whole, and find what they find on their own.
    text = SERIES.replace("title: Sodium chloride solution in a series",
                          'title: "Sodium chloride ×${scale}"').replace(
        "- {name: float, set: {scale: 1.0}}", "- {name: float, set: {scale: 1.0}}\n"
        "  - {name: negative, set: {scale: -1}}")
    doc = load_text(text, "sharing.yaml")
    result = validate_document(doc)
    assert doc.data is not None
    specs = {spec.name: spec for spec in variant_specs(doc.data)}
    for variant in result.variants:
        data, _ = expand(doc.data, specs[variant.name], DEFAULT_LIMITS)
        if variant.name == "negative":
            assert variant.protocol is None
            assert ("UN208", ("materials", "water", "amount")) in [
                (f.code, f.path) for f in variant.findings]
            alone_result = validate_variant(doc, data, "negative", dict(specs["negative"].values),
                                            load_library(()), Options())
            assert _seen([f for f in variant.findings if f.code != "VA001"]) == _seen(
                alone_result.findings)
            continue
        alone = Protocol.model_validate(data)
        assert variant.parsed == alone, variant.name
        assert variant.parsed is not None
        assert variant.parsed.model_fields_set == alone.model_fields_set
        assert variant.parsed.model_dump_json() == alone.model_dump_json()
    # Fields the file leaves out are the variant's own defaults; a field it gives (here a
    # date) that no variant changes is the base's value.
    dated = SERIES.replace("tables:", "date: 2026-01-02\ntables:")
    result = validate_document(load_text(dated, "sharing.yaml"))
    base, double = result.variants[0].parsed, result.variants[2].parsed
    assert base is not None
    assert double is not None
    assert result.variants[2].name == "double"
    assert double.claims == {}
    assert double.claims is not base.claims
    assert double.date == base.date
    assert double.model_fields_set == base.model_fields_set
    assert "date" in double.model_fields_set


def test_repeat_cycles_are_counted_through_nested_blocks() -> None:
    from benchsheet.model.protocol import Protocol
    from benchsheet.validate import too_many_cycles

    doc = load_text("id: x\n", "cycles.yaml")
    protocol = Protocol.model_validate({
        "id": "cycles", "title": "t", "version": "1.0.0", "source": {"section": "s"},
        "steps": [
            {"action": "stir", "vessel": "v", "duration": "1 min"},
            {"action": "repeat", "times": 2, "steps": [
                {"action": "stir", "vessel": "v", "duration": "1 min"},
                {"action": "measure", "technique": "PL", "repeats": 3}]},
            {"action": "measure", "technique": "PL", "repeats": 2}]})

    def found(most: int) -> list[tuple[tuple[object, ...], str]]:
        limits = replace(DEFAULT_LIMITS, repeat_cycles=most)
        return [(f.path, f.message.split(";")[0])
                for f in too_many_cycles(protocol, doc, "v", limits)]

    assert found(6) == []
    assert found(5) == [(("steps", 1, "steps", 1, "repeats"),
                         "this step runs 6 times (2 outer cycles × 3)")]
    assert found(2) == [(("steps", 1, "steps", 1, "repeats"),
                         "this step runs 6 times (2 outer cycles × 3)")]
    assert found(1) == [(("steps", 1, "times"), "this step runs 2 times"),
                        (("steps", 2, "repeats"), "this step runs 2 times")]
    # Below one cycle every step runs too often (a plain step is reported at 'repeats').
    assert [path for path, _ in found(0)] == [("steps", 0, "repeats"), ("steps", 1, "times"),
                                              ("steps", 2, "repeats")]


def test_minus_zero_is_not_the_base_zero() -> None:
    assert _same({"a": [0.0]}, {"a": [0.0]})
    assert not _same({"a": [0.0]}, {"a": [-0.0]})
    assert not _same(-0.0, 0.0)
    assert _same(-0.0, -0.0)


def test_a_validator_added_to_the_protocol_turns_the_assembly_off(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # _assembled stands in for Protocol.model_validate only while the protocol validates its
    # parts alone: a validator across parts must run, so its presence turns the shortcut off.
    from pydantic import model_validator

    from benchsheet.model import parse
    from benchsheet.model.protocol import Protocol

    assert parse._assembly_allowed()  # the protocol as it is: the shortcut is taken

    class Checked(Protocol):
        @model_validator(mode="after")
        def across(self) -> Checked:
            return self

    parse._assembly_allowed.cache_clear()
    monkeypatch.setattr(parse, "Protocol", Checked)
    try:
        assert not parse._assembly_allowed()
    finally:
        monkeypatch.undo()
        parse._assembly_allowed.cache_clear()
    assert parse._assembly_allowed()
