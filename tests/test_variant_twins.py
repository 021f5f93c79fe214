"""validate.twin_of: a variant whose parameter values are an earlier variant's (a matrix or a
``set`` that spells out the defaults) is that protocol again, validated once; what it finds is
exactly what validating it on its own finds, under its own name."""

from __future__ import annotations

import textwrap
from pathlib import Path

from benchsheet.expand import expand, variant_specs
from benchsheet.findings import Finding
from benchsheet.loader import load_text
from benchsheet.reagents.library import load_library
from benchsheet.validate import Options, validate_document, validate_variant

PROTOCOL = textwrap.dedent("""\
    id: twins
    title: Sodium chloride solution in a series
    version: 1.0.0
    source: {section: benchsheet tests}
    parameters:
      scale: {default: 1, values: [1, 0.5]}
    variants:
      - {name: full, set: {scale: 1}}
      - {name: half, set: {scale: 0.5}}
      - {name: full-float, set: {scale: 1.0}}
    materials:
      NaCl:
        reagent: {name: sodium chloride, formula: NaCl, cas: 7647-14-5,
                  hazards: {h_codes: [], source: not classified}}
        amount: ${585 * scale} mg
      water: {reagent: water, amount: "${10 * scale} mL"}
      EtOH: {reagent: ethanol, amount: 1 mL}
    vessels:
      vial: {kind: vial, volume: 20 mL}
    steps:
      - {action: add, materials: [NaCl, water], to: vial}
      - {action: stir, vessel: vial, duration: 10 min, temperature: 25 °C}
    acknowledge:
      - {code: RF302, variant: full, reason: the ethanol is for the next run}
    """)


def _lab(tmp_path: Path) -> Path:
    """A lab reagent file that gives ethanol a wrong formula: RF305, a rule of the base."""
    lab = tmp_path / "lab.yaml"
    lab.write_text("reagents:\n  - {id: ethanol, name: ethanol, cas: 64-17-5, "
                   "formula: C2H5OH2}\n", encoding="utf-8")
    return lab


def _seen(findings: list[Finding]) -> list[tuple[object, ...]]:
    return sorted((f.code, f.line, f.column, f.message, f.variant, f.acknowledged)
                  for f in findings)


def test_a_variant_of_the_base_values_is_validated_once(tmp_path: Path) -> None:
    options = Options(reagent_files=(_lab(tmp_path),))
    result = validate_document(load_text(PROTOCOL, "twins.yaml"), options)
    base, full, half, full_float = result.variants
    assert [v.name for v in result.variants] == ["", "full", "half", "full-float"]
    # full sets scale to its default, 1: the base again, the same model and amounts.
    assert full.protocol is base.protocol
    assert full.amounts is base.amounts
    # half and full-float (1.0 is not 1 to a model) are validated on their own.
    assert half.protocol is not base.protocol
    assert full_float.protocol is not base.protocol
    # The base alone reports the lab file's conflict; the acknowledgement of RF302 scoped
    # to 'full' acknowledges it there and nowhere else.
    assert [f.code for f in base.findings if f.code == "RF305"] == ["RF305"]
    assert not [f for f in full.findings if f.code == "RF305"]
    acknowledged = {v.name: [f.acknowledged for f in v.findings if f.code == "RF302"]
                    for v in result.variants}
    assert acknowledged == {"": [None], "full": ["the ethanol is for the next run"],
                            "half": [None], "full-float": [None]}


def test_a_twin_finds_what_validating_it_alone_finds(tmp_path: Path) -> None:
    options = Options(reagent_files=(_lab(tmp_path),))
    library = load_library(options.reagent_files)
    doc = load_text(PROTOCOL, "twins.yaml")
    result = validate_document(doc, options, library)
    assert doc.data is not None
    specs = {spec.name: spec for spec in variant_specs(doc.data)}
    for variant in result.variants:
        spec = specs[variant.name]
        data, problems = expand(doc.data, spec, options.limits)
        assert not problems
        alone = validate_variant(doc, data, spec.name, dict(spec.values), library, options)
        assert _seen(variant.findings) == _seen(alone.findings), variant.name
        assert variant.protocol == alone.protocol
