"""expand.py: ${...} expressions, their closed vocabulary, and variants expanding into protocols."""

from __future__ import annotations

from typing import Any

import pytest

from benchsheet.expand import (
    ExpressionError,
    Scope,
    VariantSpec,
    evaluate,
    expand,
    format_value,
    substitute,
    variant_specs,
)

SCOPE = Scope(
    parameters={"x": 0.5, "host": "Cd", "n": 3},
    tables={"chloride_of": {"Cd": "cadmium chloride", "Zn": "zinc chloride"}},
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1.5 * (1 - x)", 0.75),  # 1.5 × 0.5
        ("chloride_of[host]", "cadmium chloride"),
        ("x if x > 0 else 1", 0.5),
        ("round(x * n, 1)", 1.5),  # 0.5 × 3
        ("min(n, 2) + max(1, 2) + abs(-1)", 5),  # 2 + 2 + 1
        ("n % 2 == 1 and not x > 1", True),
        ("host in ['Cd', 'Zn']", True),
        ("2 ** 10", 1024),
        ("-x", -0.5),
    ],
)
def test_expression_value(source: str, expected: Any) -> None:
    assert evaluate(source, SCOPE) == expected


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("__import__('os')", "only arithmetic"),
        ("x.__class__", "only arithmetic"),
        ("(lambda: 1)()", "only arithmetic"),
        ("open('/etc/passwd')", "only arithmetic"),
        ("y + 1", "'y' is not a parameter (parameters: host, n, x)"),
        ("chloride_of['Mn']", "the table has no entry 'Mn'"),
        ("host[0]", "only tables can be indexed"),
        ("1 / 0", "division by zero"),
        ("2 ** 100", "exponent too large"),
        ("((10 ** 64) ** 64) ** 64", "result too large"),
        ("'a' * 10 ** 9", "only numbers can be multiplied"),
        ("[1] * 10 ** 9", "only numbers can be multiplied"),
        ("1e300 ** 2", "out of range"),
        ("1 +", "not a valid expression"),
    ],
)
def test_expression_refused_with_reason(source: str, reason: str) -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate(source, SCOPE)
    assert reason in str(info.value)


def test_format_value_drops_float_noise() -> None:
    assert format_value(0.1 + 0.2) == "0.3"  # 0.30000000000000004 in binary floating point
    assert format_value(True) == "true"
    assert format_value(1.5) == "1.5"


def test_whole_template_keeps_its_type_and_embedded_one_becomes_text() -> None:
    data = {"a": "${x}", "b": "${1.5 * x} mmol", "c": [1, "${n}"], "d": "plain"}
    assert substitute(data, SCOPE) == {"a": 0.5, "b": "0.75 mmol", "c": [1, 3], "d": "plain"}


def test_problems_are_collected_with_their_path_not_raised() -> None:
    problems: list[Any] = []
    out = substitute({"steps": [{"temperature": "${t} degC"}]}, SCOPE, (), problems)
    assert out == {"steps": [{"temperature": "${t} degC"}]}  # left as written
    assert [p.path for p in problems] == [("steps", 0, "temperature")]
    assert "'t' is not a parameter" in problems[0].message


def test_variant_specs_base_then_matrix_then_set() -> None:
    data = {
        "parameters": {"x": {"default": 0}, "host": {"default": "Cd"}},
        "variants": [{"name": "alloy", "matrix": {"x": [0.25, 0.5]}}, {"set": {"host": "Zn"}}],
    }
    specs = list(variant_specs(data))
    assert [(s.name, dict(s.values)) for s in specs] == [
        ("", {"x": 0, "host": "Cd"}),
        ("alloy[x=0.25]", {"x": 0.25, "host": "Cd"}),
        ("alloy[x=0.5]", {"x": 0.5, "host": "Cd"}),
        ("host=Zn", {"x": 0, "host": "Zn"}),
    ]
    assert [s.path for s in specs] == [("parameters",), ("variants", 0), ("variants", 0),
                                       ("variants", 1)]


def test_expand_substitutes_everything_but_the_series_description() -> None:
    data = {
        "parameters": {"x": {"default": 1, "description": "${not substituted}"}},
        "materials": {"a": {"amount": "${2 * x} mmol"}},
    }
    out, problems = expand(data, VariantSpec("", {"x": 3}, ()))
    assert problems == []
    assert out["materials"] == {"a": {"amount": "6 mmol"}}  # 2 × 3
    assert out["parameters"] == data["parameters"]


def test_and_or_return_the_deciding_operand_as_python_does() -> None:
    scope = Scope({"nuc": 13, "zero": 0}, {})
    assert evaluate("nuc or None", scope) == 13
    assert evaluate("zero or None", scope) is None
    assert evaluate("nuc and 'yes'", scope) == "yes"
    assert evaluate("zero and 'yes'", scope) == 0


def test_template_keys_are_expanded() -> None:
    # cations: {"${host}": 1} becomes {"Zn": 1} in the Zn variant.
    out = substitute({"cations": {"${host}": 1}}, Scope({"host": "Zn"}, {}))
    assert out == {"cations": {"Zn": 1}}
