"""Regression tests for the crash classes of issue 12 found by hand: each is now a finding
with a code and a place, or a clean result, never a traceback."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchsheet.cli import main
from benchsheet.export.eln_write import zip_stamp
from protocol_text import findings_of, with_code

PROTOCOLS = Path(__file__).resolve().parents[1] / "protocols"


@pytest.mark.parametrize(("date", "stamp"), [
    (datetime(9999, 12, 31, tzinfo=UTC), (2107, 12, 31, 23, 59, 58)),  # the zip's last second
    (datetime(1900, 1, 1, tzinfo=UTC), (1980, 1, 1, 0, 0, 0)),  # and its first
    (datetime(2026, 11, 30, 12, 0, 0, tzinfo=UTC), (2026, 11, 30, 12, 0, 0)),
])
def test_zip_members_take_the_nearest_date_a_zip_can_hold(date: datetime,
                                                         stamp: tuple[int, ...]) -> None:
    assert zip_stamp(date) == stamp


def test_a_protocol_dated_9999_exports_and_imports(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    text = (PROTOCOLS / "ag18-cluster.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^date: .*$", "date: 9999-12-31", text)
    source = tmp_path / "far.yaml"
    source.write_text(text, encoding="utf-8")
    archive = tmp_path / "far.eln"
    assert main(["export", str(source), "--to", "eln", "-o", str(archive)]) == 0
    with zipfile.ZipFile(archive) as z:
        assert {info.date_time for info in z.infolist()} == {(2107, 12, 31, 23, 59, 58)}
        metadata = next(n for n in z.namelist() if n.endswith("ro-crate-metadata.json"))
        assert "9999-12-31" in z.read(metadata).decode("utf-8")  # the date itself is kept
    assert main(["import", str(archive), "-o", str(tmp_path / "back")]) == 0
    capsys.readouterr()


@pytest.mark.parametrize("volume", ["0.0 mL", "0 mL", "0-5 mL"])
def test_a_vessel_of_no_volume_is_EQ105_not_a_division_by_zero(volume: str) -> None:
    # A range reaching zero is reported too; its midpoint (2.5 mL) still judges the fill.
    findings = findings_of(f"""\
        materials:
          water: {{reagent: water, amount: 10 mL, role: solvent}}
        vessels:
          flask: {{kind: flask, volume: {volume}}}
        steps:
          - {{action: add, materials: [water], to: flask}}
          - {{action: heat, vessel: flask, temperature: 60 degC}}
        """)
    (found,) = with_code(findings, "EQ105")
    assert found.path == ("vessels", "flask", "volume")
    if "-" not in volume:
        assert not with_code(findings, "PH108")  # no fill figure from a volume of nothing


@pytest.mark.parametrize(("coefficient", "code"), [("0", "SC108"), ("-1", "SC108"),
                                                   (".nan", "SC103"), (".inf", "SC103")])
def test_a_reaction_coefficient_must_be_a_positive_number(coefficient: str, code: str) -> None:
    findings = findings_of(f"""\
        materials:
          A: {{reagent: water, amount: 1 mL}}
        vessels:
          flask: {{kind: flask, volume: 10 mL}}
        steps:
          - {{action: add, materials: [A], to: flask}}
          - {{action: stir, vessel: flask, duration: 1 h, product: P}}
        products:
          P:
            name: water again
            formula: H2O
            reaction: {{reactants: {{A: {coefficient}}}}}
        """)
    (found,) = with_code(findings, code)
    assert found.path[:4] == ("products", "P", "reaction", "reactants")


@pytest.mark.parametrize(("text", "refused"), [
    ("1e15 mg", False),  # a thousand tonnes: the largest number taken
    ("1.1e15 mg", True),
    ("1e308 rpm", True),  # squared in a centrifugal force, past the float range
    ("5 ± 1e400 mg", True),
])
def test_numbers_beyond_ten_to_the_fifteen_are_UN209(text: str, refused: bool) -> None:
    from benchsheet import units

    dims = (units.MASS, units.ROTATIONAL_SPEED)
    if refused:
        with pytest.raises(units.QuantityError) as caught:
            units.parse_quantity(text, dims)
        assert caught.value.kind == "too_large"
    else:
        assert units.parse_quantity(text, dims).nominal == 10**15
