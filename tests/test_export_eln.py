"""`benchsheet export --to eln`: what eLabFTW and Kadi4Mat read from a protocol's archive.

The expected amounts are computed here by hand from standard atomic weights (IUPAC) and the
supplier's density, not by benchsheet, so a wrong conversion anywhere in the pipeline shows up.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from benchsheet.cli import main

REPO = Path(__file__).resolve().parents[1]
PROTOCOLS = sorted((REPO / "protocols").glob("*.yaml"))
MN_CDSE13 = REPO / "protocols" / "mn-cdse13-bda-msc.yaml"
CHECKER = Path(__file__).resolve().parents[1].parent / "shared" / "eln" / "check_eln.py"
LAYERS = ("structure", "rocrate", "validator", "kadi")

# Standard atomic weights, g/mol (IUPAC, abridged to the digits printed in the periodic table).
CD, CL, MN, SE, C, H, N = 112.414, 35.453, 54.938, 78.971, 12.011, 1.008, 14.007
# A balance reads 0.1 mg; at 275 mg that is 4e-4 relative. Atomic-weight tables differ less.
REL = 2e-4


def export(tmp_path: Path, *protocols: Path, name: str = "export.eln",
           extra: tuple[str, ...] = ()) -> Path:
    target = tmp_path / name
    code = main(["export", *map(str, protocols), "--to", "eln", "-o", str(target), *extra])
    assert code == 0
    return target


def crate(archive: Path) -> tuple[str, dict[str, dict[str, Any]], zipfile.ZipFile]:
    zf = zipfile.ZipFile(archive)
    top = zf.namelist()[0].split("/")[0]
    metadata = json.loads(zf.read(f"{top}/ro-crate-metadata.json"))
    return top, {e["@id"]: e for e in metadata["@graph"]}, zf


def elabftw_view(graph: dict[str, dict[str, Any]], dataset_id: str) -> dict[str, Any]:
    """What eLabFTW's importer takes from one dataset (its src/Import/Eln.php, version >= 104):
    the body is `text` followed by `description`, its type the dataset's `encodingFormat`."""
    dataset = graph[dataset_id]
    steps = sorted((graph[s["@id"]] for s in dataset["step"]), key=lambda s: s["position"])
    assert not any(graph[v["@id"]]["propertyID"] == "elabftw_metadata"
                   for v in dataset["variableMeasured"])
    return {
        "title": dataset["name"],
        "body": dataset.get("text", "") + dataset.get("description", ""),
        "body_format": dataset["encodingFormat"],
        "genre": dataset["genre"],
        "tags": dataset["keywords"].split(","),
        "steps": [graph[s["itemListElement"]["@id"]]["text"] for s in steps],
        "category": graph[dataset["about"]["@id"]]["name"],
    }


def kadi_view(archive: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The record kadi-apy's importer creates: its POST body and the extras it sets."""
    imports = pytest.importorskip("kadi_apy.lib.imports")
    log: list[tuple[Any, ...]] = []

    class Response:
        status_code = 201

        def __init__(self, number: int) -> None:
            self.number = number

        def json(self) -> dict[str, int]:
            return {"id": self.number}

    class Record:
        def __init__(self, number: int) -> None:
            self.id = number

        def __getattr__(self, name: str) -> Any:
            return lambda *args, **kwargs: log.append((name, self.id, args, kwargs))

    class Manager:
        def _post(self, endpoint: str, json: Any = None, **_: Any) -> Response:
            log.append(("POST", endpoint, json))
            return Response(len(log))

        def record(self, id: int) -> Record:  # kadi-apy's own keyword
            return Record(id)

    imports.import_eln(Manager(), str(archive))
    (created,) = [entry[2] for entry in log if entry[:2] == ("POST", "/records")]
    (edit,) = [entry[3] for entry in log if entry[0] == "edit"]
    return created, edit["extras"]


def test_mn_cdse13_what_elabftw_reads(tmp_path: Path) -> None:
    archive = export(tmp_path, MN_CDSE13)
    _, graph, _ = crate(archive)
    view = elabftw_view(graph, "./mn-cdse13-bda-msc/")

    assert view["title"] == "mn-cdse13-bda-msc — Mn²⁺:(CdSe)₁₃(BDA) magic-sized clusters"
    assert view["genre"] == "experiment template"
    assert view["category"] == "Protocol"
    assert view["body_format"] == "text/markdown"
    assert view["body"].startswith("A Cd/Mn–diamine precursor reacts at 25 °C")
    assert view["body"].count("A Cd/Mn–diamine precursor reacts at 25 °C") == 1
    assert "\n## Steps\n" in view["body"]
    assert view["tags"] == ["magic-sized cluster", "CdSe", "Mn doping", "diamine",
                            "selenocarbamate"]
    steps = view["steps"]
    assert len(steps) == 13  # the protocol's thirteen steps, in order
    # Steps print bench units to 4 significant figures: 1.5 mmol × 183.32 g/mol / 0.99999
    # (purity) = 274.98 mg → "275.0 mg"; MnCl2 0.075 mmol × 125.84 g/mol = 9.438 mg.
    assert steps[0].startswith("Add CdCl2 (cadmium chloride, 1.500 mmol = 275.0 mg)")
    assert "MnCl2 (manganese(II) chloride, 0.07500 mmol = 9.438 mg)" in steps[0]
    assert steps[1] == ("Heat metal_flask at 120 °C for 2 h, with magnetic stirring."
                        " Metal–diamine precursor solution.")
    assert steps[8].startswith("Hold metal_flask at 25 °C for 24 h")
    # The wash material's 20 mL is per wash (as the protocol's assumption says).
    assert steps[10] == "Transfer the contents of metal_flask into tubes."
    assert steps[12].startswith("Wash 2× with 20.00 mL EtOH_wash (ethanol) each")


def test_mn_cdse13_files_travel_with_their_hashes(tmp_path: Path) -> None:
    archive = export(tmp_path, MN_CDSE13)
    top, graph, zf = crate(archive)
    dataset = graph["./mn-cdse13-bda-msc/"]
    files = {graph[p["@id"]]["name"]: graph[p["@id"]] for p in dataset["hasPart"]}
    assert set(files) == {"mn-cdse13-bda-msc.yaml", "mn-cdse13-bda-msc.md",
                          "mn-cdse13-bda-msc.html"}
    original = MN_CDSE13.read_bytes()
    stored = zf.read(f"{top}/mn-cdse13-bda-msc/mn-cdse13-bda-msc.yaml")
    assert stored == original
    assert files["mn-cdse13-bda-msc.yaml"]["sha256"] == hashlib.sha256(original).hexdigest()
    assert files["mn-cdse13-bda-msc.html"]["encodingFormat"] == "text/html"
    assert files["mn-cdse13-bda-msc.md"]["encodingFormat"] == "text/markdown"
    author = graph[dataset["author"]["@id"]]
    assert (author["givenName"], author["familyName"]) == ("benchsheet", "developers")
    assert dataset["dateCreated"] == "2026-11-24T00:00:00+00:00"  # the protocol's own date
    assert graph["./"]["license"] == {"@id": "https://spdx.org/licenses/CC-BY-4.0.html"}


def test_mn_cdse13_what_kadi_creates(tmp_path: Path) -> None:
    created, extras = kadi_view(export(tmp_path, MN_CDSE13))
    assert created["title"] == "mn-cdse13-bda-msc — Mn²⁺:(CdSe)₁₃(BDA) magic-sized clusters"
    assert created["tags"] == ["magic-sized cluster", "CdSe", "Mn doping", "diamine",
                               "selenocarbamate"]
    # The record's description is the entry's body: summary first, then the sheet's sections.
    assert created["description"].startswith("A Cd/Mn–diamine precursor reacts at 25 °C")
    assert "\n## Steps\n\n- ☐ **1.** Add CdCl2 (cadmium chloride" in created["description"]
    by_key = {extra["key"]: extra for extra in extras}
    assert by_key["CdCl2"]["type"] == "dict"
    fields = {f"{parent['key']}.{extra['key']}": extra for parent in extras
              if parent["type"] == "dict" for extra in parent["value"]}
    assert all(extra["type"] in ("float", "dict") for extra in fields.values())
    # Materials: n from the protocol, m = n·M / purity, V = m / ρ.
    m_cdcl2 = 1.5 * (CD + 2 * CL) / 0.99999  # 99.999 % pure
    m_mncl2 = 0.075 * (MN + 2 * CL)
    m_se = 4.5 * SE
    m_bda = 10 * 0.877 * 1000  # 10 mL at 0.877 g/mL (Sigma-Aldrich, 25 °C)
    n_bda = m_bda / (4 * C + 12 * H + 2 * N)
    assert m_cdcl2 == pytest.approx(274.97, abs=0.02)  # 1.5 mmol × 183.31 g/mol
    expected = {
        "CdCl2.amount": (1.5, "mmol"), "CdCl2.mass": (m_cdcl2, "mg"),
        "MnCl2.amount": (0.075, "mmol"), "MnCl2.mass": (m_mncl2, "mg"),
        "Se.amount": (4.5, "mmol"), "Se.mass": (m_se, "mg"),
        "BDA_metal.volume": (10.0, "mL"), "BDA_metal.mass": (m_bda, "mg"),
        "BDA_metal.amount": (n_bda, "mmol"),
    }
    for label, (value, unit) in expected.items():
        assert fields[label]["unit"] == unit, label
        assert fields[label]["value"] == pytest.approx(value, rel=REL), label
    # A solid's volume (from its density) is of no use at the bench and is not exported.
    assert "CdCl2.volume" not in fields
    conditions = {key: (extra["value"], extra["unit"]) for key, extra in fields.items()
                  if key.startswith("step_")}
    assert conditions["step_2.temperature"] == (120.0, "degC")
    assert conditions["step_2.duration"] == (2.0, "h")
    assert conditions["step_9.duration"] == (24.0, "h")
    assert conditions["step_6.duration"] == (1.0, "h")
    assert conditions["step_12.speed"] == (5000.0, "rpm")  # the centrifuge step
    assert "claims" not in by_key  # no reported figures in this protocol


def test_export_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    first = export(tmp_path / "a", MN_CDSE13)
    second = export(tmp_path / "b", MN_CDSE13)
    assert first.read_bytes() == second.read_bytes()


def test_date_option_sets_every_date(tmp_path: Path) -> None:
    archive = export(tmp_path, MN_CDSE13, extra=("--date", "2027-01-02T03:04:05+01:00",
                                                  "--genre", "experiment"))
    _, graph, zf = crate(archive)
    dataset = graph["./mn-cdse13-bda-msc/"]
    assert dataset["dateCreated"] == dataset["dateModified"] == "2027-01-02T03:04:05+01:00"
    assert graph["./"]["datePublished"] == "2027-01-02T03:04:05+01:00"
    assert dataset["genre"] == "experiment"
    assert zf.infolist()[0].date_time == (2027, 1, 2, 3, 4, 4)  # zip stores even seconds


def test_variants_travel_inside_their_protocols_entry(tmp_path: Path) -> None:
    parametrised = REPO / "tests" / "valid" / "parametrised-scale.yaml"
    archive = export(tmp_path, parametrised, extra=("--date", "2026-01-01"))
    _, graph, zf = crate(archive)
    assert [p["@id"] for p in graph["./"]["hasPart"]] == ["./parametrised-scale/"]
    dataset = graph["./parametrised-scale/"]
    assert dataset["identifier"] == "benchsheet:parametrised-scale"
    assert [graph[p["@id"]]["name"] for p in dataset["hasPart"]] == [
        "parametrised-scale.yaml", "parametrised-scale.md", "parametrised-scale.html",
        "parametrised-scale--half.md", "parametrised-scale--half.html"]
    half_sheet = zf.read("export/parametrised-scale/parametrised-scale--half.md").decode()
    assert half_sheet.startswith("# Scaled sodium chloride solution (half)")
    assert "| half | scale=0.5 | parametrised-scale--half.md, parametrised-scale--half.html |" \
        in dataset["description"]
    values = {graph[v["@id"]]["propertyID"]: graph[v["@id"]]
              for v in dataset["variableMeasured"]}
    # ${585 * scale} mg with scale 0.5; NaCl 58.44 g/mol.
    assert (values["variants.half.NaCl.mass"]["value"],
            values["variants.half.NaCl.mass"]["unitText"]) == (292.5, "mg")
    assert values["variants.half.NaCl.amount"]["value"] == pytest.approx(292.5 / 58.443,
                                                                          rel=REL)
    assert values["NaCl.mass"]["value"] == 585.0  # the base protocol's own


def test_protocol_without_date_needs_the_date_option(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "x.eln"
    code = main(["export", str(REPO / "tests" / "valid" / "minimal-salt-solution.yaml"),
                 "-o", str(target)])
    assert code == 2
    assert "has no 'date'" in capsys.readouterr().err
    assert not target.exists()


def test_protocol_that_does_not_model_is_not_exported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "x.eln"
    code = main(["export", str(REPO / "tests" / "invalid" / "sc101-missing-temperature.yaml"),
                 "-o", str(target), "--date", "2026-01-01"])
    assert code == 1
    assert "fails validation; nothing exported" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("to", ["eln", "ipynb"])
def test_protocol_with_errors_exits_1_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], to: str) -> None:
    """As `render` and `build` do: rf301 models (its amounts are fine) but its add step names
    a vessel it never declares (RF301, an error), so nothing of it may reach an ELN."""
    broken = REPO / "tests" / "invalid" / "rf301-undeclared-vessel.yaml"
    target = tmp_path / ("x.eln" if to == "eln" else "notebooks")
    code = main(["export", str(broken), "--to", to, "-o", str(target), "--date", "2026-01-01"])
    assert code == 1
    err = capsys.readouterr().err
    assert "RF301 error" in err
    assert "fails validation; nothing exported" in err
    assert list(tmp_path.iterdir()) == []
    # The same file, rendered: the exit code the export now agrees with.
    assert main(["render", str(broken), "-o", str(tmp_path / "sheets")]) == 1


def test_output_must_be_an_eln_file(tmp_path: Path) -> None:
    assert main(["export", str(MN_CDSE13), "-o", str(tmp_path / "x.zip")]) == 2


@pytest.mark.shared
@pytest.mark.parametrize("protocol", PROTOCOLS, ids=[p.stem for p in PROTOCOLS])
def test_check_eln_passes_every_layer(tmp_path: Path, protocol: Path) -> None:
    """The shared offline checker runs the importers' own code on each bundled protocol."""
    if not CHECKER.is_file():
        pytest.skip(f"{CHECKER} is not beside the checkout")
    archive = export(tmp_path, protocol, name=f"{protocol.stem}.eln")
    run = subprocess.run([sys.executable, str(CHECKER), str(archive)], capture_output=True,
                         text=True, timeout=300, check=False)
    report = f"exit {run.returncode}\n{run.stdout}\n{run.stderr}"
    statuses = dict(re.findall(r"^\s+(\w+): (PASS|FAIL|SKIP)", run.stdout, re.MULTILINE))
    assert set(statuses) == set(LAYERS), report
    assert "FAIL" not in statuses.values(), report
    assert run.returncode == 0, report
    skipped = [layer for layer, status in statuses.items() if status == "SKIP"]
    if skipped:
        if os.environ.get("CI") == "true":
            pytest.fail(f"layers {skipped} skipped in CI, which installs the eln-check extra")
        pytest.skip(f"layers {skipped} need: pip install rocrate roc-validator kadi-apy")
