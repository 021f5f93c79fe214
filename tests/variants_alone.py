"""Each variant of a protocol validated on its own, with nothing shared with the file's other
variants: what a variant validated with them must equal (the tests of sharing across
variants: models, walks, rules)."""

from __future__ import annotations

from benchsheet.expand import expand, variant_specs
from benchsheet.loader import LoadedDocument
from benchsheet.reagents.library import ReagentLibrary
from benchsheet.validate import Options, VariantResult, validate_variant


def each_alone(doc: LoadedDocument, library: ReagentLibrary,
               options: Options) -> dict[str, VariantResult]:
    """Each variant of ``doc`` by name, validated with no memo of the file."""
    assert doc.data is not None
    out = {}
    for spec in variant_specs(doc.data):
        data, problems = expand(doc.data, spec, options.limits)
        assert not problems
        out[spec.name] = validate_variant(doc, data, spec.name, dict(spec.values), library,
                                          options)
    return out
