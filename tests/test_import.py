"""`benchsheet import`: the protocol comes back byte for byte; unsafe archives write nothing."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from benchsheet.cli import main

REPO = Path(__file__).resolve().parents[1]
MN_CDSE13 = REPO / "protocols" / "mn-cdse13-bda-msc.yaml"
EXAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "eln" / "examples"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    target = tmp_path / "protocols.eln"
    assert main(["export", str(MN_CDSE13), "-o", str(target)]) == 0
    return target


def rezip(source: Path, target: Path, change: dict[str, bytes | None]) -> Path:
    """A copy of `source` with members replaced (bytes), removed (None) or added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in change:
                continue
            new.writestr(info, old.read(info))
        for name, content in change.items():
            if content is not None:
                new.writestr(name, content)
    return target


def import_refused(capsys: pytest.CaptureFixture[str], archive: Path, out: Path,
                   code: str) -> str:
    out.mkdir(exist_ok=True)
    assert main(["import", str(archive), "-o", str(out)]) == 2
    error = capsys.readouterr().err
    assert f" {code} " in error, error
    assert list(out.iterdir()) == []  # nothing written, not even a temporary file
    return error


def test_round_trip_is_byte_identical(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "back"
    assert main(["import", str(archive), "-o", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == ["mn-cdse13-bda-msc.yaml"]
    assert (out / "mn-cdse13-bda-msc.yaml").read_bytes() == MN_CDSE13.read_bytes()


def test_round_trip_keeps_a_byte_order_mark(tmp_path: Path) -> None:
    with_bom = tmp_path / "src" / "bom.yaml"
    with_bom.parent.mkdir()
    with_bom.write_bytes(b"\xef\xbb\xbf" + MN_CDSE13.read_bytes())
    target = tmp_path / "bom.eln"
    assert main(["export", str(with_bom), "-o", str(target)]) == 0
    assert main(["import", str(target), "-o", str(tmp_path / "back")]) == 0
    assert (tmp_path / "back" / "bom.yaml").read_bytes() == with_bom.read_bytes()


def test_variants_share_one_file(tmp_path: Path) -> None:
    parametrised = REPO / "tests" / "valid" / "parametrised-scale.yaml"
    target = tmp_path / "p.eln"
    assert main(["export", str(parametrised), "-o", str(target), "--date", "2026-01-01"]) == 0
    assert main(["import", str(target), "-o", str(tmp_path / "back")]) == 0
    assert (tmp_path / "back" / "parametrised-scale.yaml").read_bytes() == \
        parametrised.read_bytes()


def test_existing_file_is_kept_without_force(archive: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "back"
    out.mkdir()
    mine = out / "mn-cdse13-bda-msc.yaml"
    mine.write_text("my edits\n")
    assert main(["import", str(archive), "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert mine.read_text() == "my edits\n"
    assert main(["import", str(archive), "-o", str(out), "--force"]) == 0
    assert mine.read_bytes() == MN_CDSE13.read_bytes()


def test_member_outside_the_folder_is_refused(
        archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    evil = rezip(archive, tmp_path / "evil.eln", {"protocols/../../evil.yaml": b"id: x\n"})
    import_refused(capsys, evil, tmp_path / "out", "EL002")
    assert not (tmp_path / "evil.yaml").exists()


def test_zip_bomb_is_refused(archive: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "bomb.eln"
    with zipfile.ZipFile(archive) as old, zipfile.ZipFile(bomb, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        new.writestr("protocols/mn-cdse13-bda-msc/zeros.bin", b"\0" * (50 * 1024 * 1024),
                     compress_type=zipfile.ZIP_DEFLATED)
    import_refused(capsys, bomb, tmp_path / "out", "EL004")


def test_missing_metadata_is_refused(archive: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    bare = rezip(archive, tmp_path / "bare.eln", {"protocols/ro-crate-metadata.json": None})
    import_refused(capsys, bare, tmp_path / "out", "EL005")


def test_tampered_protocol_is_refused(archive: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    member = "protocols/mn-cdse13-bda-msc/mn-cdse13-bda-msc.yaml"
    tampered = rezip(archive, tmp_path / "t.eln",
                     {member: MN_CDSE13.read_bytes().replace(b"1.5 mmol", b"15 mmol")})
    import_refused(capsys, tampered, tmp_path / "out", "EL006")


def test_protocol_with_another_id_is_refused(archive: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Consistent hashes, but the YAML is not the protocol the dataset names."""
    member = "protocols/mn-cdse13-bda-msc/mn-cdse13-bda-msc.yaml"
    other = MN_CDSE13.read_bytes().replace(b"id: mn-cdse13-bda-msc", b"id: something-else")
    with zipfile.ZipFile(archive) as zf:
        metadata = json.loads(zf.read("protocols/ro-crate-metadata.json"))
    for entity in metadata["@graph"]:
        if entity["@id"] == "./mn-cdse13-bda-msc/mn-cdse13-bda-msc.yaml":
            entity["sha256"] = hashlib.sha256(other).hexdigest()
            entity["contentSize"] = str(len(other))
    swapped = rezip(archive, tmp_path / "s.eln", {
        member: other, "protocols/ro-crate-metadata.json": json.dumps(metadata).encode()})
    error = import_refused(capsys, swapped, tmp_path / "out", "EL010")
    assert "something-else" in error


def test_not_a_zip_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.eln"
    junk.write_bytes(b"PK\x03\x04 this is not a zip")
    import_refused(capsys, junk, tmp_path / "out", "EL001")


def test_foreign_archive_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A sound archive another ELN wrote holds no benchsheet protocol."""
    foreign = tmp_path / "foreign.eln"
    buffer = io.BytesIO()
    metadata = {
        "@context": "https://w3id.org/ro/crate/1.1/context",
        "@graph": [
            {"@id": "ro-crate-metadata.json", "@type": "CreativeWork", "about": {"@id": "./"}},
            {"@id": "./", "@type": "Dataset", "hasPart": [{"@id": "./exp/"}]},
            {"@id": "./exp/", "@type": "Dataset", "name": "An experiment", "hasPart": []},
        ],
    }
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("export/ro-crate-metadata.json", json.dumps(metadata))
        zf.writestr("export/exp/", b"")
    foreign.write_bytes(buffer.getvalue())
    error = import_refused(capsys, foreign, tmp_path / "out", "EL010")
    assert "none written by benchsheet" in error


@pytest.mark.shared
@pytest.mark.parametrize("example", ["elabftw-export.eln", "kadi4mat-records-example.eln",
                                     "sampledb-export.eln", "pasta.eln"])
def test_other_elns_exports_are_refused(example: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES / example
    if not path.is_file():
        pytest.skip(f"{path} is not beside the checkout")
    out = tmp_path / "out"
    out.mkdir()
    assert main(["import", str(path), "-o", str(out)]) == 2
    assert " EL0" in capsys.readouterr().err
    assert list(out.iterdir()) == []
