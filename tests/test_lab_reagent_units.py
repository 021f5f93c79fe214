"""A lab's reagent file writes properties with their units, as a chemist reads them off a
data sheet (issue 11, item 4), and a lab names its file once, in the configuration or in
$BENCHSHEET_REAGENTS.

Isoprene (CAS 78-79-5) is the example: not in the library; CRC Handbook (97th ed.) density
0.681 g/mL at 20 °C, mp -145.9 °C, bp 34.0 °C; flash point -54 °C (ICSC 0904); vapour
pressure 0.246 bar at 0 °C and 0.733 bar at 25 °C.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchsheet.cli import main
from benchsheet.config import load_settings
from benchsheet.reagents.library import ReagentFileError, load_library
from benchsheet.validate import Options, validate_file

ISOPRENE = """\
reagents:
  - id: isoprene
    name: isoprene
    cas: "78-79-5"
    formula: C5H8
    phase_25C: liquid
    density: {value: 0.681 g/mL, at: 20 degC, source: "CRC Handbook, 97th ed."}
    melting_point: -145.9 degC
    boiling_point: {value: 34.0 degC, source: "CRC Handbook, 97th ed."}
    flash_point: {value: -54 degF, source: "ICSC 0904 (-54 °C; written in °F to test units)"}
    vapor_pressure: {0 degC: 0.246 bar, 25 degC: 73.3 kPa, source: "Yaws, Antoine fit"}
    ghs:
      signal_word: Danger
      h_codes: [H224, H341, H350, H412]
      pictograms: [GHS02, GHS08]
      source: "CLP Annex VI, index 601-014-00-5"
"""


def lab_file(tmp_path: Path, text: str = ISOPRENE) -> Path:
    path = tmp_path / "lab-reagents.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_properties_with_units_are_kept_in_kelvin_pascal_and_g_per_mL(tmp_path: Path) -> None:
    record = load_library([lab_file(tmp_path)]).get("isoprene")
    assert record is not None
    assert record.density is not None
    assert (record.density.value, record.density.temperature_K) == (0.681, 293.15)
    assert record.density.source == "CRC Handbook, 97th ed."
    assert record.melting_point_K is not None
    assert record.melting_point_K.value == pytest.approx(-145.9 + 273.15)
    assert record.melting_point_K.source == "lab-reagents.yaml (the lab's reagent file)"
    assert record.boiling_point_K is not None
    assert record.boiling_point_K.value == pytest.approx(307.15)
    assert record.flash_point_K is not None
    # -54 °F = (-54 - 32) × 5/9 = -47.78 °C = 225.37 K
    assert record.flash_point_K.value == pytest.approx((-54 - 32) * 5 / 9 + 273.15)
    points = [value for point in record.vapor_pressure_points for value in point]
    assert points == pytest.approx([273.15, 24_600.0, 298.15, 73_300.0])  # bar and kPa in Pa
    assert record.vapor_pressure_Pa(298.15) == pytest.approx(73_300.0)


@pytest.mark.parametrize(("line", "words"), [
    ("    melting_point: -145.9\n", "melting_point"),  # a bare number: which unit?
    ("    melting_point: -145.9 mL\n", "melting_point"),  # a volume is no temperature
    ("    vapor_pressure: {25 degC: 0.733 bar}\n", "at least two different temperatures"),
    ("    vapor_pressure: {0 degC: 0 bar, 25 degC: 1 bar}\n", "above 0"),
    ("    melting_point: 1 degC\n    melting_point_K: {value: 274, source: x}\n", "not both"),
])
def test_a_property_written_wrongly_names_its_file_and_line(tmp_path: Path, line: str,
                                                             words: str) -> None:
    text = ISOPRENE.replace("    melting_point: -145.9 degC\n", "").replace(
        "    vapor_pressure: {0 degC: 0.246 bar, 25 degC: 73.3 kPa, source: \"Yaws, Antoine "
        "fit\"}\n", "")
    text = text.replace("    phase_25C: liquid\n", "    phase_25C: liquid\n" + line)
    with pytest.raises(ReagentFileError) as error:
        load_library([lab_file(tmp_path, text)])
    assert words in str(error.value)
    assert "lab-reagents.yaml:7" in str(error.value)  # the line after phase_25C


PROTOCOL = """\
format: 1
id: isoprene-sample
title: Isoprene, weighed out
version: 1.0.0
date: 2026-11-30
source: {section: "test"}
materials:
  C5H8: {reagent: isoprene, amount: 1.0 mL, role: reactant}
vessels:
  vial: {kind: vial, volume: 20 mL}
steps:
  - {action: add, materials: [C5H8], to: vial}
"""


def test_a_lab_names_its_file_once_in_an_environment_variable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    protocol = tmp_path / "p.yaml"
    protocol.write_text(PROTOCOL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BENCHSHEET_REAGENTS", raising=False)
    main(["validate", str(protocol), "--show", "info"])
    assert "RF303" not in capsys.readouterr().out  # the database knows isoprene by name
    monkeypatch.setenv("BENCHSHEET_REAGENTS", str(lab_file(tmp_path)))
    assert main(["config"]) == 0
    assert "# environment BENCHSHEET_REAGENTS" in capsys.readouterr().out
    assert main(["validate", str(protocol), "--format", "json"]) == 0
    assert '"HZ111"' not in capsys.readouterr().out  # the lab's file has its classification
    settings = load_settings()
    result = validate_file(protocol, Options(reagent_files=settings.reagents))
    assert result.base is not None
    assert result.base.amounts is not None
    entry = result.base.amounts.entry("C5H8")
    assert entry is not None
    assert entry.moles is not None
    # 1.0 mL × 0.681 g/mL (the lab's CRC density) / 68.12 g/mol = 10.00 mmol
    assert entry.moles.nominal * 1000 == pytest.approx(1.0 * 0.681 / 68.12 * 1000, rel=1e-3)
