"""The `.eln` writer and reader: what the ELN importers read, determinism, atomicity, safety."""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from benchsheet.export.eln_read import ERROR_CODES, ElnImportError, read_eln
from benchsheet.export.eln_records import ElnFile, ElnPerson, ElnQuantity, ElnRecord
from benchsheet.export.eln_write import ElnWriteError, build_eln_bytes, write_eln

EXPORT_DATE = datetime(2024, 3, 14, 15, 9, 26, tzinfo=timezone(timedelta(hours=1)))
EXAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "eln" / "examples"

PROTOCOL_YAML = b"""\
id: mn-cdse13
title: Mn-doped (CdSe)13 magic-sized clusters
materials:
  - id: cdcl2
    reagent: cadmium chloride
    amount: 1.5 mmol
"""
STEPS = (
    "Weigh 275 mg CdCl2 into a 50 mL three-neck flask.",
    "Add 10 mL octylamine and stir under N2.",
    "Heat to 120 degC and hold for 2 h.",
    "Cool to room temperature and wash twice with toluene.",
)
BODY = "Clusters grown in octylamine at **120 °C**.\n\n- ☐ **1.** Weigh CdCl2: \\_\\_\\_\\_ mg\n"


def synthesis_record(**changes: Any) -> ElnRecord:
    """A realistic synthesis: three quantities in three groups, four steps, YAML and HTML."""
    fields: dict[str, Any] = {
        "slug": "mn-cdse13",
        "name": "Mn-doped (CdSe)13 clusters",
        "description": "Mn2+-doped (CdSe)13 magic-sized clusters in octylamine.",
        "body": BODY,
        "body_format": "text/markdown",
        "keywords": ("magic-sized clusters", "CdSe", "Mn doping"),
        "steps": STEPS,
        "quantities": (
            ElnQuantity("cadmium_chloride.amount", 1.5, "mmol", "CdCl2 charged", "Materials"),
            ElnQuantity(
                "hold.temperature", 120.0, "degC", "hold temperature", "Conditions", 118.0, 122.0
            ),
            ElnQuantity("product.yield", 0.72, "", "isolated yield (fraction)", "Results"),
        ),
        "files": (
            ElnFile("protocol.yaml", PROTOCOL_YAML, "application/yaml", "benchsheet protocol"),
            ElnFile("bench-sheet.html", b"<html><body>sheet</body></html>", "text/html"),
        ),
        "authors": (ElnPerson("Ada", "Lovelace", "ada@example.org"), ElnPerson("Jan", "Baek")),
        "date_created": datetime(2024, 1, 2, 9, 0, tzinfo=UTC),
        "date_modified": datetime(2024, 3, 1, 12, 30, tzinfo=UTC),
        "identifier": "benchsheet:mn-cdse13",
        "category": ("Synthesis", "2825b0"),
    }
    fields.update(changes)
    return ElnRecord(**fields)


def build(*records: ElnRecord, name: str = "protocols") -> bytes:
    return build_eln_bytes(records or (synthesis_record(),), archive_name=name, date=EXPORT_DATE)


def crate(data: bytes) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """Member names and the metadata graph by @id, as every importer starts."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        top = names[0].split("/")[0]
        metadata = json.loads(archive.read(f"{top}/ro-crate-metadata.json"))
    return names, {entity["@id"]: entity for entity in metadata["@graph"]}


def ids(value: Any) -> list[str]:
    return [item["@id"] for item in (value if isinstance(value, list) else [value])]


# --- what eLabFTW reads -------------------------------------------------------------------


def test_elabftw_reads_title_body_steps_and_tags() -> None:
    _, graph = crate(build())
    root = graph["./"]
    assert root["version"] == "107"
    assert ids(root["hasPart"]) == ["./mn-cdse13/"]
    dataset = graph["./mn-cdse13/"]
    assert dataset["@type"] == "Dataset"
    assert dataset["name"] == "Mn-doped (CdSe)13 clusters"
    assert dataset["genre"] == "experiment template"
    # eLabFTW's body is `text` + `description`; the body is the description, and is there once.
    assert "text" not in dataset
    assert dataset["description"] == BODY
    assert dataset["encodingFormat"] == "text/markdown"
    assert dataset["abstract"] == "Mn2+-doped (CdSe)13 magic-sized clusters in octylamine."
    assert dataset["keywords"].split(",") == ["magic-sized clusters", "CdSe", "Mn doping"]
    steps = sorted((graph[i] for i in ids(dataset["step"])), key=lambda s: s["position"])
    assert [s["position"] for s in steps] == [1, 2, 3, 4]
    assert all(s["@type"] == "HowToStep" for s in steps)
    assert all(s["creativeWorkStatus"] == "unfinished" for s in steps)
    directions = [graph[ids(s["itemListElement"])[0]] for s in steps]
    assert all(d["@type"] == "HowToDirection" for d in directions)
    assert tuple(d["text"] for d in directions) == STEPS
    category = graph[ids(dataset["about"])[0]]
    assert (category["@type"], category["name"], category["color"]) == (
        "Thing",
        "Synthesis",
        "2825B0",
    )


def test_no_property_value_holds_a_json_string() -> None:
    """eLabFTW's `elabftw_metadata` (a JSON string) is not written: Kadi4Mat made a string
    extra of it. Every PropertyValue is a number with its unit."""
    _, graph = crate(build())
    values = [graph[i] for i in ids(graph["./mn-cdse13/"]["variableMeasured"])]
    assert [v["propertyID"] for v in values] == [
        "cadmium_chloride.amount", "hold.temperature", "product.yield"]
    assert all(type(v["value"]) is float for v in values)


def test_a_quantity_may_not_take_elabftws_reserved_name() -> None:
    reserved = ElnQuantity("elabftw_metadata", 1.0, "", "a number", "Results")
    with pytest.raises(ElnWriteError, match="reserved for eLabFTW"):
        build(synthesis_record(quantities=(reserved,)))


def test_a_title_or_body_kadi4mat_would_refuse_is_refused() -> None:
    with pytest.raises(ElnWriteError) as error:
        build(synthesis_record(name="x" * 151, body="y" * 50_001))
    assert [p.split(": ", 1)[1] for p in error.value.problems] == [
        "151 characters; Kadi4Mat refuses a title longer than 150",
        "50001 characters; Kadi4Mat refuses a description longer than 50000",
    ]
    build(synthesis_record(name="x" * 150, body="y" * 50_000))  # at the limits: fine


def test_elabftw_keeps_files_only_with_correct_sha256_and_size() -> None:
    data = build()
    names, graph = crate(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for file_id in ids(graph["./mn-cdse13/"]["hasPart"]):
            entity = graph[file_id]
            content = archive.read("protocols/" + file_id.removeprefix("./"))
            assert entity["@type"] == "File"
            assert entity["sha256"] == hashlib.sha256(content).hexdigest()
            assert entity["contentSize"] == str(len(content))
    assert graph["./mn-cdse13/protocol.yaml"]["encodingFormat"] == "application/yaml"
    assert "protocols/mn-cdse13/protocol.yaml" in names


def test_authors_are_persons_and_shared_between_records() -> None:
    second = synthesis_record(
        slug="zn-se13", authors=(ElnPerson("Ada", "Lovelace", "ada@example.org"),)
    )
    _, graph = crate(build(synthesis_record(), second))
    first_authors = ids(graph["./mn-cdse13/"]["author"])
    assert [graph[a]["name"] for a in first_authors] == ["Ada Lovelace", "Jan Baek"]
    ada = graph[first_authors[0]]
    assert (ada["@type"], ada["givenName"], ada["familyName"], ada["email"]) == (
        "Person",
        "Ada",
        "Lovelace",
        "ada@example.org",
    )
    # One author is one object, as eLabFTW writes it, and the same entity as before.
    assert graph["./zn-se13/"]["author"] == {"@id": first_authors[0]}


def test_descriptor_is_the_exact_eln_descriptor() -> None:
    data = build()
    names, graph = crate(data)
    assert names[0] == "protocols/"
    assert all(n.startswith("protocols/") for n in names)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        document = json.loads(archive.read("protocols/ro-crate-metadata.json"))
    assert document["@context"] == "https://w3id.org/ro/crate/1.1/context"
    descriptor = graph["ro-crate-metadata.json"]
    assert descriptor["@type"] == "CreativeWork"
    assert descriptor["about"] == {"@id": "./"}
    assert descriptor["conformsTo"] == {"@id": "https://w3id.org/ro/crate/1.1"}
    assert descriptor["version"] == "1.0"
    assert descriptor["dateCreated"] == "2024-03-14T15:09:26+01:00"
    publisher = graph[descriptor["sdPublisher"]["@id"]]
    assert (publisher["@type"], publisher["name"]) == ("Organization", "benchsheet")
    assert publisher["url"].startswith("https://")
    assert graph["./"]["datePublished"] == "2024-03-14T15:09:26+01:00"


# --- what Kadi4Mat reads ------------------------------------------------------------------


def test_kadi4mat_reads_property_values_as_typed_extras_with_units() -> None:
    _, graph = crate(build())
    dataset = graph["./mn-cdse13/"]
    # Kadi4Mat only follows lists here; a single object would be silently ignored.
    for key in ("hasPart", "step", "variableMeasured"):
        assert isinstance(dataset[key], list)
    assert dataset["description"] == BODY  # Kadi4Mat's record description: the whole body
    values = {v["propertyID"]: v for v in (graph[i] for i in ids(dataset["variableMeasured"]))}
    amount = values["cadmium_chloride.amount"]
    assert (amount["@type"], amount["value"], amount["unitText"]) == ("PropertyValue", 1.5, "mmol")
    assert type(amount["value"]) is float  # Kadi4Mat types the extra from the JSON type
    assert amount["description"] == "CdCl2 charged"
    temperature = values["hold.temperature"]
    assert (temperature["minValue"], temperature["value"], temperature["maxValue"]) == (
        118.0,
        120.0,
        122.0,
    )
    assert "unitText" not in values["product.yield"]
    assert all(file_id.startswith("./mn-cdse13/") for file_id in ids(dataset["hasPart"]))


def test_kadi4mat_importer_creates_record_with_extras(tmp_path: Path) -> None:
    imports = pytest.importorskip("kadi_apy.lib.imports")
    path = tmp_path / "protocols.eln"
    write_eln([synthesis_record()], path, date=EXPORT_DATE)
    calls: list[tuple[Any, ...]] = []

    class Record:
        def __init__(self, record_id: int) -> None:
            self.id = record_id

        def __getattr__(self, name: str) -> Any:
            return lambda *args, **kwargs: calls.append((name, args, kwargs))

    class Response:
        status_code = 201

        def json(self) -> dict[str, int]:
            return {"id": 7}

    class Manager:
        def _post(self, endpoint: str, json: Any = None, **_: Any) -> Response:
            calls.append(("POST", endpoint, json))
            return Response()

        def record(self, id: int) -> Record:  # kadi-apy calls it with id=
            return Record(id)

    imports.import_eln(Manager(), str(path))
    (post,) = [c for c in calls if c[0] == "POST"]
    assert post[1] == "/records"
    assert post[2]["title"] == "Mn-doped (CdSe)13 clusters"
    assert post[2]["tags"] == ["magic-sized clusters", "CdSe", "Mn doping"]
    uploads = [c[1][1] for c in calls if c[0] == "upload_file"]
    assert uploads == ["protocol.yaml", "bench-sheet.html"]
    (edit,) = [c for c in calls if c[0] == "edit"]
    extras = {extra["key"]: extra for extra in edit[2]["extras"]}
    (amount,) = extras["cadmium_chloride"]["value"]
    assert (amount["key"], amount["type"], amount["value"], amount["unit"]) == (
        "amount",
        "float",
        1.5,
        "mmol",
    )
    (temperature,) = extras["hold"]["value"]
    assert temperature["validation"] == {"range": {"min": 118.0, "max": 122.0}}


# --- determinism and atomic writes --------------------------------------------------------


def test_same_records_give_byte_identical_archives(tmp_path: Path) -> None:
    assert build() == build()
    first, second = tmp_path / "a" / "protocols.eln", tmp_path / "b" / "protocols.eln"
    first.parent.mkdir()
    second.parent.mkdir()
    write_eln([synthesis_record()], first, date=EXPORT_DATE)
    write_eln([synthesis_record()], second, date=EXPORT_DATE)
    assert first.read_bytes() == second.read_bytes() == build()


def test_zip_entries_are_sorted_with_fixed_dates_and_modes() -> None:
    with zipfile.ZipFile(io.BytesIO(build())) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(2024, 3, 14, 15, 9, 26)}
    assert {i.external_attr >> 16 for i in infos if not i.is_dir()} == {0o100644}
    assert {i.create_system for i in infos} == {3}


def test_write_failure_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(_descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_eln([synthesis_record()], tmp_path / "protocols.eln", date=EXPORT_DATE)
    assert list(tmp_path.iterdir()) == []


def test_write_failure_keeps_the_previous_archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "protocols.eln"
    target.write_bytes(b"previous export")

    def refuse(*_args: object) -> None:
        raise PermissionError("rename refused")

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(PermissionError):
        write_eln([synthesis_record()], target, date=EXPORT_DATE)
    assert target.read_bytes() == b"previous export"
    assert list(tmp_path.iterdir()) == [target]


def test_invalid_input_writes_no_file(tmp_path: Path) -> None:
    with pytest.raises(ElnWriteError):
        write_eln([synthesis_record(slug="Bad Slug")], tmp_path / "x.eln", date=EXPORT_DATE)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"slug": "Mn_CdSe13"}, "records[0] ('Mn_CdSe13').slug"),
        ({"files": (ElnFile("a:b.yaml", b"", "application/yaml"),)}, "files[0] ('a:b.yaml').name"),
        ({"files": (ElnFile('x"y', b"", "text/plain"),)}, "files[0] ('x\"y').name"),
        ({"files": (ElnFile("sub/x.txt", b"", "text/plain"),)}, ".name: must be a plain file"),
        ({"files": (ElnFile("x.txt", b"", "text/plain"),) * 2}, "files[1] ('x.txt').name: is rep"),
        (
            {"quantities": (ElnQuantity("a", 1.0, "g", "", "Materials"),) * 2},
            "quantities[1] ('a').property_id: is repeated",
        ),
        (
            {"quantities": (ElnQuantity("a", float("nan"), "g", "", "Materials"),)},
            "not a finite number",
        ),
        (
            {"quantities": (ElnQuantity("a", 5.0, "g", "", "Materials", 6.0),)},
            "outside its range",
        ),
        ({"keywords": ("CdSe, ZnSe",)}, "keywords[0]: 'CdSe, ZnSe' contains a comma"),
        ({"genre": "recipe"}, ".genre: 'recipe' is not one of"),
        ({"authors": ()}, ".authors: at least one author"),
        ({"date_created": datetime(2024, 1, 1)}, ".date_created: must carry a time zone"),
        ({"category": ("Synthesis", "#2825B0")}, "must be 6 hex digits"),
    ],
)
def test_invalid_record_is_refused_with_its_place(changes: dict[str, Any], expected: str) -> None:
    with pytest.raises(ElnWriteError) as caught:
        build(synthesis_record(**changes))
    assert any(expected in problem for problem in caught.value.problems), caught.value


def test_duplicate_slugs_are_refused() -> None:
    with pytest.raises(ElnWriteError, match=r"records\[1\].*slug: used by an earlier record"):
        build(synthesis_record(), synthesis_record())


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ElnWriteError) as caught:
        build(synthesis_record(slug="-x", genre="recipe", identifier=" "))
    assert len(caught.value.problems) == 3


# --- reading back -------------------------------------------------------------------------


def test_round_trip_through_read_eln(tmp_path: Path) -> None:
    path = tmp_path / "protocols.eln"
    plain = synthesis_record(slug="plain", files=(), quantities=(), category=None, steps=())
    write_eln([synthesis_record(), plain], path, date=EXPORT_DATE)
    first, second = read_eln(path)
    assert first.folder == "mn-cdse13/"
    assert (first.name, first.genre, first.body, first.body_format) == (
        "Mn-doped (CdSe)13 clusters",
        "experiment template",
        BODY,
        "text/markdown",
    )
    assert first.description == "Mn2+-doped (CdSe)13 magic-sized clusters in octylamine."
    assert first.keywords == ("magic-sized clusters", "CdSe", "Mn doping")
    assert first.steps == STEPS
    assert [(q.property_id, q.value, q.unit) for q in first.quantities] == [
        ("cadmium_chloride.amount", 1.5, "mmol"),
        ("hold.temperature", 120.0, "degC"),
        ("product.yield", 0.72, None),
    ]
    assert (first.quantities[1].min_value, first.quantities[1].max_value) == (118.0, 122.0)
    assert dict(first.files) == {
        "protocol.yaml": PROTOCOL_YAML,
        "bench-sheet.html": b"<html><body>sheet</body></html>",
    }
    assert first.authors == ("Ada Lovelace", "Jan Baek")
    assert (first.identifier, first.category) == ("benchsheet:mn-cdse13", "Synthesis")
    assert first.date_created == "2024-01-02T09:00:00+00:00"
    assert first.notes == ()
    assert (second.name, second.steps, second.quantities, dict(second.files)) == (
        "Mn-doped (CdSe)13 clusters",
        (),
        (),
        {},
    )


# --- refusing unsafe or inconsistent archives ----------------------------------------------


def zip_of(members: dict[str, bytes], *, compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def good_members() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(build())) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}


def refuse(tmp_path: Path, data: bytes, code: str, **limits: int) -> ElnImportError:
    """Read `data` as an archive, expect `code`, and check that nothing was written."""
    path = tmp_path / "suspect.eln"
    path.write_bytes(data)
    with pytest.raises(ElnImportError) as caught:
        read_eln(path, **limits)
    assert caught.value.code == code, caught.value
    assert code in ERROR_CODES
    assert [p.name for p in tmp_path.rglob("*")] == ["suspect.eln"]
    return caught.value


def test_EL001_not_a_zip(tmp_path: Path) -> None:
    refuse(tmp_path, b"id: mn-cdse13\n", "EL001")


@pytest.mark.parametrize(
    "name",
    ["protocols/../x.txt", "../x.txt", "/etc/x.txt", "protocols\\..\\x.txt", "C:/x.txt"],
)
def test_EL002_member_path_outside_the_archive_folder(tmp_path: Path, name: str) -> None:
    members = good_members()
    members[name] = b"escaped"
    refuse(tmp_path, zip_of(members), "EL002")


def test_EL002_symlink_member(tmp_path: Path) -> None:
    buffer = io.BytesIO(zip_of(good_members()))
    with zipfile.ZipFile(buffer, "a") as archive:
        link = zipfile.ZipInfo("protocols/mn-cdse13/link")
        link.create_system = 3
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/passwd")
    refuse(tmp_path, buffer.getvalue(), "EL002")


def test_EL003_too_many_members(tmp_path: Path) -> None:
    members = good_members()
    members.update({f"protocols/mn-cdse13/extra-{i}.txt": b"x" for i in range(10)})
    refuse(tmp_path, zip_of(members), "EL003", max_members=10)


def test_EL004_zip_bomb_by_ratio(tmp_path: Path) -> None:
    members = good_members()
    members["protocols/mn-cdse13/zeros.bin"] = bytes(20 * 1024 * 1024)
    error = refuse(tmp_path, zip_of(members, compression=zipfile.ZIP_DEFLATED), "EL004")
    assert "zeros.bin" in error.message


def test_EL004_total_uncompressed_size(tmp_path: Path) -> None:
    refuse(tmp_path, zip_of(good_members()), "EL004", max_total_uncompressed=1000)


def test_EL009_header_that_understates_the_size(tmp_path: Path) -> None:
    # Patch the sizes in both headers of a deflated member to claim 16 bytes: the reader must
    # stop after 16 bytes and notice, not trust the header and not read all 300 kB.
    data = bytearray(
        zip_of(
            {"protocols/ro-crate-metadata.json": b"{" * 300_000}, compression=zipfile.ZIP_DEFLATED
        )
    )
    local = data.find(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, 16)
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 16)
    refuse(tmp_path, bytes(data), "EL009")


def test_EL005_missing_metadata(tmp_path: Path) -> None:
    members = good_members()
    del members["protocols/ro-crate-metadata.json"]
    refuse(tmp_path, zip_of(members), "EL005")


def test_EL005_metadata_not_json(tmp_path: Path) -> None:
    members = good_members()
    members["protocols/ro-crate-metadata.json"] = b"{not json"
    refuse(tmp_path, zip_of(members), "EL005")


def test_EL006_hash_mismatch(tmp_path: Path) -> None:
    members = good_members()
    members["protocols/mn-cdse13/protocol.yaml"] = PROTOCOL_YAML.replace(b"1.5", b"9.5")
    error = refuse(tmp_path, zip_of(members), "EL006")
    assert "sha256" in error.message


def test_EL006_size_mismatch(tmp_path: Path) -> None:
    members = good_members()
    members["protocols/mn-cdse13/protocol.yaml"] = PROTOCOL_YAML + b"# more\n"
    refuse(tmp_path, zip_of(members), "EL006")


def test_EL006_listed_file_missing(tmp_path: Path) -> None:
    members = good_members()
    del members["protocols/mn-cdse13/bench-sheet.html"]
    refuse(tmp_path, zip_of(members), "EL006")


def test_EL007_two_top_folders(tmp_path: Path) -> None:
    members = good_members()
    members["other/readme.txt"] = b"second top folder"
    refuse(tmp_path, zip_of(members), "EL007")


def test_EL007_file_beside_the_top_folder(tmp_path: Path) -> None:
    members = good_members()
    members["mimetype"] = b"application/zip"
    refuse(tmp_path, zip_of(members), "EL007")


def test_EL008_duplicate_member(tmp_path: Path) -> None:
    members = good_members()
    buffer = io.BytesIO(zip_of(members))
    with (
        pytest.warns(UserWarning, match="Duplicate name"),  # zipfile's own, expected here
        zipfile.ZipFile(buffer, "a") as archive,
    ):
        archive.writestr("protocols/mn-cdse13/protocol.yaml", b"id: something-else\n")
    refuse(tmp_path, buffer.getvalue(), "EL008")


def test_EL002_metadata_pointing_outside_the_crate(tmp_path: Path) -> None:
    members = good_members()
    metadata = json.loads(members["protocols/ro-crate-metadata.json"])
    graph = {entity["@id"]: entity for entity in metadata["@graph"]}
    graph["./mn-cdse13/protocol.yaml"]["@id"] = "./mn-cdse13/../../outside.yaml"
    graph["./mn-cdse13/"]["hasPart"][0] = {"@id": "./mn-cdse13/../../outside.yaml"}
    members["protocols/ro-crate-metadata.json"] = json.dumps(metadata).encode()
    refuse(tmp_path, zip_of(members), "EL002")


# --- differences tolerated in archives benchsheet did not write ---------------------------


def test_double_slashes_and_missing_hashes_are_tolerated_and_noted(tmp_path: Path) -> None:
    members = good_members()
    metadata = json.loads(members["protocols/ro-crate-metadata.json"])
    for entity in metadata["@graph"]:
        entity.pop("sha256", None)  # Kadi4Mat writes no hashes
    members["protocols/ro-crate-metadata.json"] = json.dumps(metadata).encode()
    # eLabFTW writes `folder//file`.
    members["protocols/mn-cdse13//protocol.yaml"] = members.pop("protocols/mn-cdse13/protocol.yaml")
    path = tmp_path / "foreign.eln"
    path.write_bytes(zip_of(members))
    (record,) = read_eln(path)
    assert record.files["protocol.yaml"] == PROTOCOL_YAML
    assert any("no sha256" in note for note in record.notes)


def test_percent_encoded_file_ids_find_their_member(tmp_path: Path) -> None:
    record = synthesis_record(files=(ElnFile("bench sheet.html", b"<html/>", "text/html"),))
    with zipfile.ZipFile(io.BytesIO(build(record))) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}
    text = members["protocols/ro-crate-metadata.json"].decode()
    members["protocols/ro-crate-metadata.json"] = text.replace(
        "./mn-cdse13/bench sheet.html", "./mn-cdse13/bench%20sheet.html"
    ).encode()
    path = tmp_path / "encoded.eln"
    path.write_bytes(zip_of(members))
    (imported,) = read_eln(path)
    assert imported.files == {"bench sheet.html": b"<html/>"}


def foreign(name: str) -> Path:
    path = EXAMPLES / name
    if not path.is_file():
        pytest.skip(f"{path} is not beside the checkout")
    return path


@pytest.mark.shared
def test_foreign_elabftw_export_opens() -> None:
    records = read_eln(foreign("elabftw-export.eln"))
    assert len(records) == 12
    gold = next(r for r in records if r.name == "Gold master experiment")
    assert gold.steps == ("a step", "another step")
    assert gold.genre == "experiment"
    assert gold.category == "Demo"
    assert set(gold.files) == {"example.jpg"}  # its `folder//example.jpg` member, hash-checked
    assert any(q.unit == "mM" and q.group is not None for q in gold.quantities)
    assert any("1.2/context" in note for note in gold.notes)


@pytest.mark.shared
def test_foreign_kadi4mat_export_opens_without_hashes() -> None:
    (record,) = read_eln(foreign("kadi4mat-records-example.eln"))
    assert record.name == "records-example"
    assert record.description == "This is a sample record."  # a TextObject in Kadi4Mat
    assert {"files/example.csv", "files/example.txt"} <= set(record.files)
    assert sum("no sha256" in note for note in record.notes) == 4


@pytest.mark.shared
def test_foreign_pasta_export_opens_with_nested_datasets_and_remote_files() -> None:
    records = read_eln(foreign("pasta.eln"))
    assert "PASTAs Example Project" in [r.name for r in records]
    notes = [note for r in records for note in r.notes]
    assert any("remote file" in note for note in notes)
    assert any("nested dataset" in note for note in notes)


@pytest.mark.shared
def test_foreign_sampledb_export_opens() -> None:
    records = read_eln(foreign("sampledb-export.eln"))
    assert [r.name for r in records] == ["Measurement", "OMBE-1"]
    ombe = records[1]
    assert {"files/0/example.txt", "files/1/demo.png"} <= set(ombe.files)
    assert any(q.unit == "degC" for q in ombe.quantities)


@pytest.mark.shared
def test_foreign_archives_carry_no_benchsheet_protocol() -> None:
    for path in sorted(EXAMPLES.glob("*.eln")):
        assert all("protocol.yaml" not in r.files for r in read_eln(path)), path.name
