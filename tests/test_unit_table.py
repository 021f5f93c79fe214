"""unit_table.json: unit conversion data generated from pint, so validate never imports pint.

pint stays the source of truth: the committed table must equal what the installed pint gives,
every conversion the table answers must equal pint's own, and anything the table does not
hold goes to pint.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pint
import pytest

from benchsheet import units
from benchsheet.units import REGENERATE_UNIT_TABLE, UNIT_TABLE, convert, unit_table

SRC = Path(units.__file__).resolve().parent
SAMPLES = (0.0, 1.0, -40.0, 37.5, 1234.5678, 3.3e-4)


@pytest.fixture(scope="module")
def ureg() -> pint.UnitRegistry[float]:
    """A registry of the test's own, set up as the package's (offset units stay offset)."""
    return pint.UnitRegistry(autoconvert_offset_to_baseunit=False, cache_folder=":auto:")


def by_dimensionality(ureg: pint.UnitRegistry[float]) -> dict[str, list[str]]:
    """The table's expressions grouped by what pint says their dimensionality is."""
    groups: dict[str, list[str]] = defaultdict(list)
    for expr in units.unit_table_expressions():
        groups[str(ureg.Quantity(1.0, expr).dimensionality)].append(expr)
    return dict(groups)


def test_committed_unit_table_is_generated_from_installed_pint() -> None:
    # Compared by meaning, not text: a pint release that prints a dimensionality or a base
    # unit differently, or moves a factor by an ulp, must not fail CI; a unit whose factor,
    # offset, dimension or delta flag changed must.
    committed = unit_table()
    generated = units.unit_table_from_pint()
    stale = f"src/benchsheet/{UNIT_TABLE} is out of date; run: {REGENERATE_UNIT_TABLE}"
    assert committed.keys() == generated.keys(), stale
    for expr, (scale, offset, _, delta) in generated.items():
        c_scale, c_offset, _, c_delta = committed[expr]
        assert c_scale == pytest.approx(scale, rel=1e-12), (expr, stale)
        assert c_offset == pytest.approx(offset, rel=1e-12, abs=1e-12), (expr, stale)
        assert c_delta == delta, (expr, stale)
    # Same dimension in the committed table exactly where pint says so.
    for a, b in itertools.combinations(generated, 2):
        assert (committed[a][2] == committed[b][2]) == (generated[a][2] == generated[b][2]), \
            (a, b, stale)


def test_build_tool_writes_what_the_package_reads() -> None:
    # The generated text reads back as the table the package uses.
    import json

    data = json.loads(units.unit_table_text())
    assert set(data["units"]) == set(unit_table())


def test_table_holds_every_expression_a_dimension_can_produce() -> None:
    table = unit_table()
    for dim in units.ALL_DIMENSIONS:
        assert set(dim.units.values()) <= set(table), dim.name
    assert set(units.CONVERSION_TARGETS) <= set(table)


def test_every_unit_the_code_converts_to_is_in_the_table() -> None:
    # A literal target missing from the table would still convert (through pint), but would
    # load pint on the validate path; add it to units.CONVERSION_TARGETS and regenerate.
    pattern = re.compile(r"""(?:\.to|\.magnitudes|convert\(.*?,.*?,)\s*\(?\s*"([^"]+)"\)""")
    found = {m for path in SRC.rglob("*.py")
             for m in pattern.findall(path.read_text(encoding="utf-8"))}
    assert {"kelvin", "g/mL", "dimensionless", "rpm"} <= found  # the pattern still matches
    missing = found - set(unit_table())
    assert not missing, f"add {missing} to CONVERSION_TARGETS, then: {REGENERATE_UNIT_TABLE}"


def test_every_pair_within_a_dimensionality_converts_as_pint_does(
    ureg: pint.UnitRegistry[float],
) -> None:
    checked = refused = 0
    for dimensionality, exprs in by_dimensionality(ureg).items():
        for src, dst in itertools.permutations(exprs, 2):
            try:
                expected = [ureg.Quantity(x, src).to(dst).magnitude for x in SAMPLES]
            except pint.DimensionalityError:
                # degC to delta_degC: pint refuses, and so must convert.
                with pytest.raises(pint.DimensionalityError):
                    convert(1.0, src, dst)
                refused += 1
                continue
            assert units._table_factor(src, dst) is not None, (src, dst)
            # Absolute error is measured against the offset's size (273.15 for degC → K).
            offset = abs(expected[0])
            for x, want in zip(SAMPLES, expected, strict=True):
                got = convert(x, src, dst)
                assert got == pytest.approx(want, rel=1e-12, abs=1e-12 * offset), (
                    f"{x} {src} -> {dst} ({dimensionality}): table {got!r}, pint {want!r}")
            checked += 1
    assert checked > 300
    assert refused == 4  # degC and degF against delta_degC, both ways


def test_offset_temperatures_and_differences_stay_apart() -> None:
    table = unit_table()
    assert table["degC"][:2] == (1.0, 273.15)
    assert table["delta_degC"][1:] == (0.0, "[temperature]", True)
    assert convert(25.0, "degC", "kelvin") == pytest.approx(298.15, rel=1e-15)
    assert convert(-40.0, "degF", "degC") == pytest.approx(-40.0, rel=1e-14)
    assert convert(212.0, "degF", "kelvin") == pytest.approx(373.15, rel=1e-14)
    assert convert(5.0, "delta_degC", "kelvin") == 5.0  # a step, no 273.15
    assert convert(5.0, "kelvin", "delta_degC") == 5.0
    assert units._table_factor("degC", "delta_degC") is None  # pint decides (and refuses)
    with pytest.raises(pint.DimensionalityError):
        convert(5.0, "delta_degC", "degF")


def test_a_unit_not_in_the_table_converts_through_pint() -> None:
    assert "inch" not in unit_table()
    assert units._table_factor("inch", "centimeter") is None
    assert convert(2.0, "inch", "centimeter") == pytest.approx(5.08, rel=1e-12)
    assert convert(1.0, "centimeter", "foot") == pytest.approx(1 / 30.48, rel=1e-12)


def test_different_dimensionalities_are_refused_by_pint() -> None:
    assert units._table_factor("gram", "mL") is None
    with pytest.raises(pint.DimensionalityError):
        convert(1.0, "gram", "mL")


def test_validate_on_the_bundled_protocols_does_not_import_pint(repo_root: Path) -> None:
    code = (
        "import sys\n"
        "from benchsheet.cli import main\n"
        "code = main(['validate', 'protocols/'])\n"
        "loaded = sorted(m for m in sys.modules if m == 'pint' or m.startswith('pint.'))\n"
        "print('PINT', loaded, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, cwd=repo_root)
    assert done.returncode == 0, done.stderr
    assert "9 file(s) checked: 0 error(s), 0 warning(s)" in done.stdout
    assert "PINT []" in done.stderr, done.stderr
