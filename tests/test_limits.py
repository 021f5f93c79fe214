"""Each size limit (benchsheet.limits, README "Limits"): a file just over it is refused with
its code before the costly work, a file just under it is read and checked as usual.

The base is the protocol ``benchsheet init`` writes (ZIF-8, no errors). Node counts are
worked out here from the data, independently of the loader: a mapping is one node plus its
keys and values, a list one node plus its items, a scalar one node.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchsheet.cli import main
from benchsheet.findings import Severity
from benchsheet.limits import DEFAULT_LIMITS, MIB, LimitError, Limits, parse_limit
from benchsheet.validate import FileResult, Options, validate_files, validate_text

STARTER = (Path(__file__).resolve().parents[1] / "src" / "benchsheet" / "starter"
           / "protocols" / "example.yaml")
BASE = STARTER.read_text(encoding="utf-8")
BASE_DATA: dict[str, Any] = yaml.safe_load(BASE)
LIMIT_CODES = {"LD005", "LD006", "LD011", "LD012", "SC109", "VA004", "VA005"}


def nodes(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(nodes(k) + nodes(v) for k, v in value.items())
    if isinstance(value, list):
        return 1 + sum(nodes(v) for v in value)
    return 1


def check(data: dict[str, Any] | str, limits: Limits = DEFAULT_LIMITS) -> FileResult:
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False, width=10**6)
    return validate_text(text, "p.yaml", Options(limits=limits))


def codes(result: FileResult) -> set[str]:
    return {f.code for f in result.findings}


def errors(result: FileResult) -> list[str]:
    return [f.code for f in result.findings if f.severity >= Severity.WARNING]


def accepted(result: FileResult) -> bool:
    """Read and checked as usual: no limit was hit and the base variant modelled."""
    return (not codes(result) & LIMIT_CODES and bool(result.variants)
            and result.variants[0].protocol is not None)


def with_tables(**tables: dict[str, Any]) -> dict[str, Any]:
    return {**BASE_DATA, "tables": tables}


def test_the_base_protocol_is_accepted() -> None:
    result = check(BASE)
    assert accepted(result)
    assert not [f for f in result.findings if f.severity >= Severity.WARNING]  # notes only


# ---------------------------------------------------------------- file size (LD006)


def test_file_size_just_over_is_refused_unread_and_just_under_is_read(tmp_path: Path) -> None:
    most = DEFAULT_LIMITS.file_size  # 5 MiB
    padding = most - len(BASE.encode()) - 3  # a comment line of '#', ' ' and newline
    under = tmp_path / "under.yaml"
    under.write_text(BASE + "# " + "x" * padding + "\n", encoding="utf-8")
    over = tmp_path / "over.yaml"
    over.write_text(BASE + "# " + "x" * (padding + 1) + "\n", encoding="utf-8")
    assert (under.stat().st_size, over.stat().st_size) == (most, most + 1)
    low, high = validate_files([under, over])
    assert accepted(low)
    assert [f.code for f in high.findings] == ["LD006"]
    assert "at most 5 MiB (file-size-mb)" in high.findings[0].message
    assert "--limit file-size-mb=N" in high.findings[0].hint
    assert high.document.data is None  # refused by its size, before it was parsed


# ---------------------------------------------------------------- YAML nodes (LD005)


def padded_to(total: int) -> dict[str, Any]:
    """The base with tables of up to 2,000 entries, to exactly ``total`` nodes: a table is 2
    nodes (its name, its mapping) and 2 per entry, so an odd remainder takes one more
    assumption first."""
    data = with_tables()
    left = total - nodes(data)
    if left % 2:
        data["assumptions"] = [*data["assumptions"], "one more"]
        left -= 1
    index = 0
    while left > 0:
        entries = min(2_000, (left - 2) // 2)
        data["tables"][f"t{index}"] = {f"k{i}": 1 for i in range(entries)}
        left -= 2 + 2 * entries
        index += 1
    assert nodes(data) == total
    return data


def test_nodes_just_over_is_refused_and_just_under_is_accepted() -> None:
    most = DEFAULT_LIMITS.nodes
    under, over = padded_to(most), padded_to(most + 1)
    assert accepted(check(under))
    result = check(over)
    assert [f.code for f in result.findings] == ["LD005"]
    assert f"more than {most} YAML nodes" in result.findings[0].message
    assert not result.variants


def test_nodes_a_five_megabyte_file_of_one_character_items_is_refused_by_counting() -> None:
    """1.6 million nodes in 4.8 MB, under the size limit and every list under its length:
    refused at node 20,001 by counting the parser's events, before any node is built, so
    the finding is on the line of that node, about twenty lines into the 1,600."""
    row = "- [" + "1, " * 999 + "1]\n"  # a list of 1,000 items: 1,001 nodes, 3,004 bytes
    text = BASE + "notes:\n" + row * 1_600
    assert len(text.encode()) < DEFAULT_LIMITS.file_size
    result = check(text)
    assert [f.code for f in result.findings] == ["LD005"]
    first = BASE.count("\n") + 2  # the line of the first row
    # the base has a few hundred nodes, so node 20,001 is in row 20 (20 × 1,001 = 20,020)
    rows = DEFAULT_LIMITS.nodes // 1001
    assert first + rows - 2 <= result.findings[0].line <= first + rows


# ---------------------------------------------------------------- nesting depth (LD005)


def nested(levels: int) -> dict[str, Any]:
    """The base with a scalar inside ``levels`` collections: the root mapping, the 'tables'
    mapping, then lists."""
    value: Any = 1
    for _ in range(levels - 2):
        value = [value]
    return {**BASE_DATA, "tables": {"t": value}}


def test_depth_just_over_is_refused_and_just_under_is_read() -> None:
    most = DEFAULT_LIMITS.depth
    under, over = check(nested(most)), check(nested(most + 1))
    assert "LD005" not in codes(under)
    assert under.document.data is not None  # read; the model says a table holds a list
    assert [f.code for f in over.findings] == ["LD005"]
    assert f"nested deeper than {most} levels" in over.findings[0].message


# ---------------------------------------------------------------- list and mapping length (LD011)


def test_list_items_just_over_is_refused_and_just_under_is_accepted() -> None:
    most = DEFAULT_LIMITS.list_items
    under = {**BASE_DATA, "assumptions": [f"a{i}" for i in range(most)]}
    over = {**BASE_DATA, "assumptions": [f"a{i}" for i in range(most + 1)]}
    assert accepted(check(under))
    result = check(over)
    assert [f.code for f in result.findings] == ["LD011"]
    assert f"more than {most} items in one list" in result.findings[0].message


def test_mapping_keys_just_over_is_refused_and_just_under_is_accepted() -> None:
    most = DEFAULT_LIMITS.mapping_keys
    assert accepted(check(with_tables(t={f"k{i}": i for i in range(most)})))
    result = check(with_tables(t={f"k{i}": i for i in range(most + 1)}))
    assert [f.code for f in result.findings] == ["LD011"]
    assert f"more than {most} keys in one mapping" in result.findings[0].message


# ---------------------------------------------------------------- repeat cycles (SC109)


def repeated(*times: int) -> dict[str, Any]:
    """The base with its last step (drying) inside nested repeat blocks of ``times``."""
    step: dict[str, Any] = BASE_DATA["steps"][-1]
    for n in reversed(times):
        step = {"action": "repeat", "times": n, "steps": [step]}
    return {**BASE_DATA, "steps": [*BASE_DATA["steps"][:-1], step]}


@pytest.mark.parametrize(("under", "over"), [((100,), (101,)), ((2, 50), (2, 51)),
                                             ((2, 5, 10), (2, 5, 11))])
def test_repeat_cycles_just_over_is_refused_and_just_under_is_accepted(
        under: tuple[int, ...], over: tuple[int, ...]) -> None:
    assert DEFAULT_LIMITS.repeat_cycles == 100
    assert accepted(check(repeated(*under)))
    result = check(repeated(*over))
    found = [f for f in result.findings if f.code == "SC109"]
    cycles = 1
    for n in over:
        cycles *= n
    assert len(found) == 1
    assert f"this step runs {cycles} times" in found[0].message
    assert result.variants[0].protocol is None  # not modelled, so no sheet of 10^6 boxes


# ---------------------------------------------------------------- variants (VA004)


def matrix_of(values: int) -> dict[str, Any]:
    data = dict(BASE_DATA)
    data["parameters"] = {"t": {"default": 60}}
    data["steps"] = [dict(s) for s in BASE_DATA["steps"]]
    data["steps"][3]["duration"] = "${t} min"  # the stir: 60 min, and 61, 62, ... in the series
    data["variants"] = [{"name": "series", "matrix": {"t": list(range(61, 61 + values))}}]
    return data


def test_variants_just_over_is_refused_before_expanding_and_just_under_is_accepted() -> None:
    most = DEFAULT_LIMITS.variants  # the base and 63 matrix entries
    under = check(matrix_of(most - 1))
    assert accepted(under)
    assert len(under.variants) == most
    result = check(matrix_of(most))
    assert [f.code for f in result.findings] == ["VA004"]
    assert f"expand to {most + 1} concrete variants" in result.findings[0].message
    assert result.variants == []


def test_expanded_nodes_just_over_is_refused_and_just_under_is_accepted() -> None:
    """The file's values times its variants: a 10-variant file of n values is 10 n to walk;
    with the limit at exactly 10 n it is checked, one below it is refused before expanding."""
    data = matrix_of(9)
    size = check(data).document.nodes  # values after expanding aliases (keys not counted)
    assert size > 100
    limits = replace(DEFAULT_LIMITS, expanded_nodes=10 * size)
    assert accepted(check(data, limits))
    result = check(data, replace(limits, expanded_nodes=10 * size - 1))
    assert [f.code for f in result.findings] == ["VA004"]
    assert f"its 10 variants of {size} YAML nodes each are {10 * size} nodes" in \
        result.findings[0].message
    assert "(expanded-nodes)" in result.findings[0].message


def test_expanded_nodes_by_default_admits_every_bundled_series() -> None:
    """mn-msc-bda, the largest bundled series (21 variants of 588 nodes), is within half the
    default."""
    bundled = Path(__file__).resolve().parents[1] / "protocols" / "mn-msc-bda.yaml"
    result = validate_files([bundled])[0]
    assert len(result.variants) == 21
    assert 21 * result.document.nodes < DEFAULT_LIMITS.expanded_nodes / 2


def test_variants_a_matrix_of_ten_to_the_twentieth_is_counted_not_expanded() -> None:
    data = matrix_of(1)
    data["parameters"] = {f"p{i}": {"default": 0} for i in range(20)}
    data["variants"] = [{"matrix": {f"p{i}": list(range(10)) for i in range(20)}}]
    result = check(data)
    assert [f.code for f in result.findings] == ["VA004"]
    assert "about 10^20 concrete variants" in result.findings[0].message


# ---------------------------------------------------------------- expressions (VA005)


def with_expression(expression: str) -> dict[str, Any]:
    return {**BASE_DATA, "parameters": {"x": {"default": 1}},
            "summary": "Worked out: ${" + expression + "}"}


def test_expression_chars_just_over_is_refused_and_just_under_is_accepted() -> None:
    most = DEFAULT_LIMITS.expression_chars
    literal = "0." + "0" * (most - 5) + "1"  # x + 0.000…1: three nodes
    assert len("x+" + literal) == most
    assert accepted(check(with_expression("x+" + literal)))
    result = check(with_expression("x+" + literal + "0"))
    assert errors(result) == ["VA005"]
    assert f"{most + 1} characters long" in result.findings[0].message


def test_expression_nodes_just_over_is_refused_and_just_under_is_accepted() -> None:
    assert DEFAULT_LIMITS.expression_nodes == 200
    # -x + 1 + … + 1 with 99 ones: 2 (unary minus, x) + 99 constants + 99 additions = 200
    under = "-x" + "+1" * 99
    assert accepted(check(with_expression(under)))
    result = check(with_expression(under + "+1"))  # 202
    assert errors(result) == ["VA005"]
    assert "202 operations and operands" in result.findings[0].message


# ---------------------------------------------------------------- per run (LD012)


def test_run_size_stops_at_the_file_that_would_pass_it(tmp_path: Path) -> None:
    files = []
    for name in ("a", "b", "c"):
        path = tmp_path / f"{name}.yaml"
        path.write_text(BASE.replace("id: example-zif8", f"id: {name}-zif8"), encoding="utf-8")
        files.append(path)
    size = files[0].stat().st_size
    limits = replace(DEFAULT_LIMITS, run_size=2 * size)  # room for exactly two files
    results = validate_files(files, Options(limits=limits))
    assert [accepted(r) for r in results] == [True, True, False]
    assert [f.code for f in results[2].findings] == ["LD012"]
    assert "(run-size-mb)" in results[2].findings[0].message


def test_run_variants_stops_at_the_file_that_would_pass_it(tmp_path: Path) -> None:
    files = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.yaml"
        data = {**matrix_of(9), "id": f"{name}-zif8"}  # 10 variants each
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        files.append(path)
    just = validate_files(files, Options(limits=replace(DEFAULT_LIMITS, run_variants=20)))
    assert [accepted(r) for r in just] == [True, True]
    short = validate_files(files, Options(limits=replace(DEFAULT_LIMITS, run_variants=19)))
    assert [accepted(r) for r in short] == [True, False]
    assert [f.code for f in short[1].findings] == ["LD012"]
    assert "its 10 variants would take the run past 19 variants" in short[1].findings[0].message


def test_run_nodes_stops_at_the_file_that_would_pass_it(tmp_path: Path) -> None:
    files = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.yaml"
        path.write_text(BASE.replace("id: example-zif8", f"id: {name}-zif8"), encoding="utf-8")
        files.append(path)
    size = validate_files(files[:1])[0].document.nodes
    assert size > 100
    just = validate_files(files, Options(limits=replace(DEFAULT_LIMITS, run_nodes=2 * size)))
    assert [accepted(r) for r in just] == [True, True]
    short = validate_files(files, Options(limits=replace(DEFAULT_LIMITS,
                                                         run_nodes=2 * size - 1)))
    assert [accepted(r) for r in short] == [True, False]
    assert [f.code for f in short[1].findings] == ["LD012"]
    assert f"its {size} YAML nodes would take the run past" in short[1].findings[0].message


# ---------------------------------------------------------------- raising a limit


def test_a_limit_is_raised_on_the_command_line_and_in_the_configuration(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(matrix_of(69), sort_keys=False), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", str(path)]) == 1  # 70 variants
    assert "VA004" in capsys.readouterr().out
    assert main(["validate", str(path), "--limit", "variants=70"]) == 0
    (tmp_path / "benchsheet.toml").write_text("[limits]\nvariants = 70\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert "VA004" not in capsys.readouterr().out
    assert main(["validate", str(path), "--limit", "variants=64"]) == 1  # the option wins


def test_a_limit_written_wrongly_is_a_usage_error_naming_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.yaml").write_text(BASE, encoding="utf-8")
    assert main(["validate", "p.yaml", "--limit", "variantz=100"]) == 2
    assert "no limit named 'variantz'" in capsys.readouterr().err
    assert main(["validate", "p.yaml", "--limit", "variants"]) == 2
    assert "write NAME=VALUE" in capsys.readouterr().err
    (tmp_path / "benchsheet.toml").write_text("[limits]\nvariants = 0\n", encoding="utf-8")
    assert main(["validate", "p.yaml"]) == 2
    err = capsys.readouterr().err
    assert "benchsheet.toml:2:" in err
    assert "a whole number of at least 1" in err


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("file-size-mb", 20, ("file_size", 20 * MIB)), ("variants", "200", ("variants", 200)),
    ("run_size_mb", 1, ("run_size", MIB)), ("list-items", "10_000", ("list_items", 10_000)),
])
def test_limits_are_written_in_the_units_a_person_uses(
        name: str, value: object, expected: tuple[str, int]) -> None:
    assert parse_limit(name, value) == expected


@pytest.mark.parametrize("value", [0, -1, 1.5, "many", True, None])
def test_a_limit_is_a_whole_number_of_at_least_one(value: object) -> None:
    with pytest.raises(LimitError, match="whole number of at least 1"):
        parse_limit("variants", value)
