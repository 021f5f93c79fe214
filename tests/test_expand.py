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


def test_the_document_plan_expands_as_substitute_does_and_shares_what_is_plain() -> None:
    """``expand`` with the document's ``templated`` plan visits only the templates; it must
    give what ``substitute`` gives walking everything, problems and their paths included,
    and hand the parts without a template on as the very objects."""
    from benchsheet.expand import templated

    plain_step = {"action": "stir", "duration": "1 h", "tags": ["a", "b"]}
    data: dict[str, Any] = {
        "id": "demo",
        "parameters": {"x": {"default": 0.5}, "host": {"default": "Zn"}},
        "tables": {"salt": {"Cd": "cadmium chloride", "Zn": "zinc chloride"}},
        "materials": {
            "salt": {"reagent": "${salt[host]}", "amount": "${1.5 * (1 - x)} mmol"},
            "water": {"reagent": "water", "amount": "5 mL"},
        },
        "product": {"cations": {"${host}": "${x}"}},  # a templated key: rebuilt key by key
        "numbers": {1: "${x}", "two": 2},  # a key that is not text: as substitute makes it
        "steps": [plain_step, {"action": "heat", "temperature": "${100 * x} degC",
                               "list": [1, "${n}", ["${x + 1}", 3]]}],
        "notes": "x is ${x}, host ${host}",
        "bad": ["${undefined_name}", "ok"],
    }
    spec = VariantSpec("v", {"x": 0.25, "host": "Cd"}, ("variants", 0))
    planned, problems = expand(data, spec, template_ids=templated(data))
    walked, walked_problems = expand(data, spec)
    assert planned == walked
    assert problems == walked_problems
    assert [p.path for p in problems] == [("steps", 1, "list", 1), ("bad", 0)]  # no n here
    # 1.5 × (1 − 0.25) = 1.125; 100 × 0.25 = 25; 0.25 + 1 = 1.25
    assert planned["materials"]["salt"] == {"reagent": "cadmium chloride",
                                            "amount": "1.125 mmol"}
    assert planned["steps"][1]["temperature"] == "25 degC"
    assert planned["steps"][1]["list"] == [1, "${n}", [1.25, 3]]
    assert planned["product"] == {"cations": {"Cd": 0.25}}
    assert planned["numbers"] == {"1": 0.25, "two": 2}
    assert planned["materials"]["water"] is data["materials"]["water"]
    assert planned["steps"][0] is plain_step
    assert planned["steps"][0]["tags"] is plain_step["tags"]
