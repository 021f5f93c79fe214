"""Read `.eln` archives safely, in memory, from benchsheet or from other ELNs.

An archive is untrusted input: it may come from another lab, another ELN or an attacker. Nothing
is extracted to disk; every member is checked for an unsafe path before anything is read, sizes
and compression ratios are capped from the zip headers first and then again on the bytes that
actually come out (headers can lie), and every file the metadata lists must be present with the
stated size and sha256.

Real exports differ from what benchsheet writes (eLabFTW writes `//` in member paths and a 1.2
context, Kadi4Mat omits sha256, PASTA nests datasets and lists remote files). Such differences
are tolerated and reported in `ImportedRecord.notes`; anything that could make the import lie
about its content or escape the archive folder is refused with an `ElnImportError`.
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

__all__ = ["ERROR_CODES", "ElnImportError", "ImportedQuantity", "ImportedRecord", "read_eln"]

#: Stable codes of the reasons an archive is refused; the message adds the particulars.
ERROR_CODES: Mapping[str, str] = {
    "EL001": "not a zip archive",
    "EL002": "member path outside the archive folder",
    "EL003": "too many members",
    "EL004": "uncompressed size or compression ratio absurd (zip bomb)",
    "EL005": "missing or invalid ro-crate-metadata.json",
    "EL006": "file listed in metadata missing, or its size or sha256 differs",
    "EL007": "not exactly one top folder",
    "EL008": "two members with the same path",
    "EL009": "member unreadable: encrypted, unsupported compression or corrupt",
    # Raised by `benchsheet import` (export/importer.py), not by `read_eln`: the archive is
    # sound, but holds nothing benchsheet wrote.
    "EL010": "no benchsheet protocol in the archive",
}

METADATA_NAME = "ro-crate-metadata.json"
_DEFAULT_MAX_TOTAL = 200 * 1024 * 1024
# Below this size a high ratio is harmless (a small text file of repeated lines compresses
# 1000:1), and only the total cap matters.
_RATIO_FLOOR = 1024 * 1024
_CHUNK = 64 * 1024
_URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


class ElnImportError(Exception):
    """The archive is refused; `code` is one of `ERROR_CODES`, stable for scripts and tests."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code} {message}")


@dataclass(frozen=True)
class ImportedQuantity:
    """One PropertyValue as the archive states it; foreign ELNs put text and flags here too."""

    property_id: str
    value: float | int | str | bool
    unit: str | None
    description: str
    min_value: float | None = None
    max_value: float | None = None
    #: The eLabFTW extra-field group (Materials, ...) when `elabftw_metadata` names one.
    group: str | None = None


@dataclass(frozen=True)
class ImportedRecord:
    """One dataset of an archive with its verified files.

    `files` maps the file's path relative to the dataset folder (just its name for benchsheet's
    flat folders) to its bytes, after size and hash checks. `notes` lists tolerated differences
    from what benchsheet writes, e.g. a file without sha256 that could only be size-checked.
    """

    folder: str
    name: str
    genre: str | None
    description: str
    body: str
    body_format: str | None
    keywords: tuple[str, ...]
    steps: tuple[str, ...]
    quantities: tuple[ImportedQuantity, ...]
    authors: tuple[str, ...]
    identifier: str | None
    date_created: str | None
    date_modified: str | None
    category: str | None
    files: Mapping[str, bytes] = field(repr=False)
    notes: tuple[str, ...] = ()


def read_eln(
    path: Path,
    *,
    max_members: int = 1000,
    max_total_uncompressed: int = _DEFAULT_MAX_TOTAL,
    max_ratio: float = 100,
) -> list[ImportedRecord]:
    """Read the records of the `.eln` archive at `path`, refusing unsafe or inconsistent ones.

    The records are the datasets the root dataset lists. Raises `ElnImportError` with a code
    from `ERROR_CODES`; nothing is ever written to disk.
    """
    try:
        archive = zipfile.ZipFile(path)
    except OSError as error:  # missing, a folder, unreadable: say so, not "[Errno 2] ..."
        raise ElnImportError(
            "EL001", f"cannot read {path.name}: {error.strerror or error}; check the path"
        ) from None
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        raise ElnImportError(
            "EL001", f"{path.name} is not a readable zip archive: {error}"
        ) from None
    with archive:
        reader = _SafeArchive(archive, max_members, max_total_uncompressed, max_ratio)
        metadata = reader.metadata()
        return _Crate(metadata, reader).records()


class _SafeArchive:
    """Member access by normalised path, with every check done before any byte is read."""

    def __init__(
        self, archive: zipfile.ZipFile, max_members: int, max_total: int, max_ratio: float
    ) -> None:
        self._archive = archive
        infos = archive.infolist()
        if len(infos) > max_members:
            raise ElnImportError(
                "EL003", f"{len(infos)} members, more than the limit of {max_members}"
            )
        self._budget = max_total
        declared_total = 0
        self._members: dict[str, zipfile.ZipInfo] = {}
        self._folders: set[str] = set()
        tops: set[str] = set()
        for info in infos:
            parts = _safe_parts(info)
            folder_depth = len(parts) if info.is_dir() else len(parts) - 1
            self._folders.update("/".join(parts[:depth]) for depth in range(1, folder_depth + 1))
            if info.is_dir():
                tops.add(parts[0])
                continue
            key = "/".join(parts)
            if key in self._members:
                raise ElnImportError(
                    "EL008", f"{info.filename!r} appears twice; readers disagree on which wins"
                )
            self._members[key] = info
            tops.add(parts[0] if len(parts) > 1 else "")
            declared_total += info.file_size
            if info.file_size > _RATIO_FLOOR and (
                info.compress_size == 0 or info.file_size / info.compress_size > max_ratio
            ):
                raise ElnImportError(
                    "EL004",
                    f"{info.filename!r} claims to expand {info.compress_size} bytes into"
                    f" {info.file_size}, more than {max_ratio:g} times",
                )
        if declared_total > max_total:
            raise ElnImportError(
                "EL004",
                f"members would expand to {declared_total} bytes, more than the limit of"
                f" {max_total}",
            )
        if len(tops) != 1 or "" in tops:
            shown = sorted("(a file at the top)" if top == "" else top for top in tops)
            raise ElnImportError(
                "EL007", f"the archive must hold exactly one top folder, found {shown[:5]}"
            )
        self.top = tops.pop()

    def has(self, relative: str) -> bool:
        """Whether the crate holds a file at `relative` (a path below the top folder)."""
        return f"{self.top}/{relative}" in self._members

    def has_folder(self, relative: str) -> bool:
        """Whether the crate holds the folder `relative`, as an entry or as a file's parent."""
        return f"{self.top}/{relative.rstrip('/')}" in self._folders

    def read(self, relative: str) -> bytes:
        """The bytes of one member, never more than it declared nor than the budget left."""
        info = self._members[f"{self.top}/{relative}"]
        if info.flag_bits & 0x1:
            raise ElnImportError("EL009", f"{info.filename!r} is encrypted")
        limit = min(info.file_size, self._budget)
        chunks: list[bytes] = []
        received = 0
        try:
            with self._archive.open(info) as stream:
                while chunk := stream.read(min(_CHUNK, limit + 1 - received)):
                    received += len(chunk)
                    if received > limit:
                        raise ElnImportError(
                            "EL004",
                            f"{info.filename!r} yields more than the {limit} bytes allowed",
                        )
                    chunks.append(chunk)
        except ElnImportError:
            raise
        except Exception as error:
            # BadZipFile, zlib.error, NotImplementedError (unknown compression), EOFError...
            # zipfile stops at the declared size and then finds the CRC wrong, so a header that
            # understates the size ends here too.
            raise ElnImportError("EL009", f"{info.filename!r}: {error}") from None
        self._budget -= received
        return b"".join(chunks)

    def metadata(self) -> dict[str, Any]:
        """The parsed ro-crate-metadata.json, checked to be a JSON-LD object with a graph."""
        if not self.has(METADATA_NAME):
            raise ElnImportError("EL005", f"{self.top}/{METADATA_NAME} is missing")
        try:
            document = json.loads(self.read(METADATA_NAME))
        except (ValueError, RecursionError) as error:
            raise ElnImportError("EL005", f"{METADATA_NAME} is not valid JSON: {error}") from None
        if not isinstance(document, dict) or not isinstance(document.get("@graph"), list):
            raise ElnImportError("EL005", f"{METADATA_NAME} has no @graph list")
        return document


def _safe_parts(info: zipfile.ZipInfo) -> list[str]:
    """The path components of a member, or EL002 if the path could leave the archive folder.

    Empty components (`a//b`, which eLabFTW writes) are dropped; `.`/`..`, absolute paths,
    drive letters, backslashes and symlink entries are refused outright rather than resolved.
    """
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise ElnImportError("EL002", f"{name!r} is a symbolic link")
    if name.startswith("/") or "\\" in name or "\x00" in name:
        raise ElnImportError("EL002", f"{name!r} is absolute or uses backslashes")
    parts = [part for part in name.split("/") if part]
    if not parts:
        raise ElnImportError("EL002", f"{name!r} names no path")
    if ":" in parts[0]:
        raise ElnImportError("EL002", f"{name!r} starts with a drive or scheme")
    if any(part in {".", ".."} for part in parts):
        raise ElnImportError("EL002", f"{name!r} climbs out of its folder")
    return parts


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _types(entity: Mapping[str, Any]) -> set[str]:
    return {t for t in _as_list(entity.get("@type")) if isinstance(t, str)}


def _ref_ids(value: Any) -> list[str]:
    return [
        item["@id"]
        for item in _as_list(value)
        if isinstance(item, dict) and isinstance(item.get("@id"), str)
    ]


class _Crate:
    """The metadata graph of one archive, turned into records with their verified files."""

    def __init__(self, document: dict[str, Any], archive: _SafeArchive) -> None:
        self._archive = archive
        self._graph: dict[str, dict[str, Any]] = {}
        for entity in document["@graph"]:
            if isinstance(entity, dict) and isinstance(entity.get("@id"), str):
                self._graph.setdefault(entity["@id"], entity)
        self._crate_notes: list[str] = []
        if document.get("@context") != "https://w3id.org/ro/crate/1.1/context":
            self._crate_notes.append(
                f"@context is {json.dumps(document.get('@context'))[:80]}, not the RO-Crate 1.1"
                " string"
            )
        root = self._graph.get("./")
        if root is None or "Dataset" not in _types(root):
            raise ElnImportError("EL005", f"{METADATA_NAME} has no root dataset './'")
        self._root = root

    def records(self) -> list[ImportedRecord]:
        records = []
        for dataset_id in _ref_ids(self._root.get("hasPart")):
            dataset = self._graph.get(dataset_id)
            if dataset is None or "Dataset" not in _types(dataset):
                continue  # root files and dangling references: importers skip them as well
            records.append(self._record(dataset_id, dataset))
        return records

    def _record(self, dataset_id: str, dataset: dict[str, Any]) -> ImportedRecord:
        notes = list(self._crate_notes)
        folder = _local_path(dataset_id)
        if folder is None:
            notes.append(f"dataset {dataset_id!r} names no folder of the crate")
            folder = ""
        files: dict[str, bytes] = {}
        for part_id in _ref_ids(dataset.get("hasPart")):
            part = self._graph.get(part_id)
            if part is None:
                notes.append(f"part {part_id!r} is listed but not described; skipped")
                continue
            if "File" not in _types(part):
                notes.append(f"part {part_id!r} is not a File (nested dataset?); skipped")
                continue
            relative = _local_path(part_id)
            if relative is None:
                notes.append(f"remote file {part_id!r} not fetched")
                continue
            if not self._archive.has(relative) and self._archive.has(unquote(relative)):
                # RO-Crate ids are URI references (`bench%20sheet.html`); eLabFTW writes them raw.
                relative = unquote(relative)
            key = _relative_to(relative, folder)
            files[key] = self._verified_file(part_id, relative, part, notes)
        if files == {} and folder and not self._archive.has_folder(folder):
            notes.append(f"folder {folder!r} is not in the archive (it holds no files)")
        quantities, groups = self._quantities(dataset)
        return ImportedRecord(
            folder=folder,
            name=_text(dataset.get("name")) or dataset_id,
            genre=_optional_text(dataset.get("genre")),
            # benchsheet writes its body as `description` (what eLabFTW and Kadi4Mat both read)
            # and the summary as `abstract`; eLabFTW writes its body as `text`.
            description=self._description(dataset.get("abstract", dataset.get("description"))),
            body=_text(dataset.get("text")) or self._description(dataset.get("description")),
            body_format=_optional_text(dataset.get("encodingFormat")),
            keywords=_keywords(dataset.get("keywords")),
            steps=self._steps(dataset),
            quantities=tuple(replace(q, group=groups.get(q.property_id)) for q in quantities),
            authors=self._authors(dataset.get("author")),
            identifier=_optional_text(dataset.get("identifier")),
            date_created=_optional_text(dataset.get("dateCreated")),
            date_modified=_optional_text(dataset.get("dateModified")),
            category=self._category(dataset.get("about")),
            files=files,
            notes=tuple(notes),
        )

    def _verified_file(
        self, part_id: str, relative: str, entity: Mapping[str, Any], notes: list[str]
    ) -> bytes:
        if not self._archive.has(relative):
            raise ElnImportError("EL006", f"{part_id!r} is listed in the metadata but missing")
        content = self._archive.read(relative)
        size = entity.get("contentSize")
        if size is not None and str(size) != str(len(content)):
            raise ElnImportError(
                "EL006", f"{part_id!r} has {len(content)} bytes, the metadata says {size}"
            )
        expected = entity.get("sha256")
        if not expected:
            notes.append(f"{part_id!r} has no sha256; only its size was checked")
        elif str(expected).lower() != hashlib.sha256(content).hexdigest():
            raise ElnImportError("EL006", f"{part_id!r} does not match its sha256")
        return content

    def _quantities(
        self, dataset: Mapping[str, Any]
    ) -> tuple[list[ImportedQuantity], dict[str, str]]:
        """PropertyValues, and the eLabFTW group of each field named in `elabftw_metadata`."""
        quantities: list[ImportedQuantity] = []
        groups: dict[str, str] = {}
        for value_id in _ref_ids(dataset.get("variableMeasured")):
            entity = self._graph.get(value_id)
            if entity is None or "PropertyValue" not in _types(entity):
                continue
            property_id = _text(entity.get("propertyID"))
            value = entity.get("value")
            if property_id == "elabftw_metadata":
                groups = _elabftw_groups(value)
                continue
            if not isinstance(value, (int, float, str, bool)):
                continue
            quantities.append(
                ImportedQuantity(
                    property_id=property_id,
                    value=value,
                    unit=_optional_text(entity.get("unitText")),
                    description=self._description(entity.get("description")),
                    min_value=_number(entity.get("minValue")),
                    max_value=_number(entity.get("maxValue")),
                )
            )
        return quantities, groups

    def _steps(self, dataset: Mapping[str, Any]) -> tuple[str, ...]:
        """Step texts in `position` order (list order where positions are missing)."""
        steps: list[tuple[float, int, str]] = []
        for order, step_id in enumerate(_ref_ids(dataset.get("step"))):
            step = self._graph.get(step_id, {})
            texts = [
                _text(self._graph.get(direction_id, {}).get("text"))
                for direction_id in _ref_ids(step.get("itemListElement"))
            ]
            if not texts and isinstance(step.get("text"), str):
                texts = [step["text"]]
            position = _number(step.get("position"))
            steps.append((order if position is None else position, order, "\n".join(texts)))
        return tuple(text for _, _, text in sorted(steps))

    def _authors(self, value: Any) -> tuple[str, ...]:
        names = []
        for person_id in _ref_ids(value):
            person = self._graph.get(person_id, {})
            name = _text(person.get("name")) or " ".join(
                _text(person.get(key)) for key in ("givenName", "familyName") if person.get(key)
            )
            names.append(name or person_id)
        return tuple(names)

    def _description(self, value: Any) -> str:
        # Kadi4Mat points to a TextObject instead of giving the text.
        for ref in _ref_ids(value):
            return _text(self._graph.get(ref, {}).get("text"))
        return _text(value)

    def _category(self, value: Any) -> str | None:
        for ref in _ref_ids(value):
            entity = self._graph.get(ref, {})
            if "Thing" in _types(entity) and entity.get("name"):
                return _text(entity["name"])
        return None


def _local_path(entity_id: str) -> str | None:
    """The crate-relative path of an id (`./a/b`, or `a/b` as some writers put it).

    None for ids that name no member: URLs (`https:`, `mailto:`...) and `#fragments`. An id
    that would climb out of the crate is refused (EL002) rather than ignored: a crate that
    points there is not one to trust with the rest of its content.
    """
    if entity_id.startswith("#") or _URI_SCHEME.match(entity_id):
        return None
    path = entity_id.removeprefix("./")
    if path.startswith("/") or "\\" in path:
        raise ElnImportError("EL002", f"{entity_id!r} is absolute or uses backslashes")
    parts = [part for part in path.split("/") if part]
    if any(part in {".", ".."} for part in parts):
        raise ElnImportError("EL002", f"{entity_id!r} climbs out of the crate")
    suffix = "/" if entity_id.endswith("/") and parts else ""
    return "/".join(parts) + suffix


def _relative_to(path: str, folder: str) -> str:
    """`path` below the dataset `folder`, or the whole crate path for a file kept elsewhere."""
    pure = PurePosixPath(path)
    if folder and pure.is_relative_to(folder.rstrip("/")):
        return str(pure.relative_to(folder.rstrip("/")))
    return path


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _keywords(value: Any) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else _as_list(value)
    return tuple(item.strip() for item in items if isinstance(item, str) and item.strip())


def _elabftw_groups(value: Any) -> dict[str, str]:
    """Field label -> group name from eLabFTW's metadata JSON string; {} if it cannot tell."""
    try:
        document = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return {}
    if not isinstance(document, dict):
        return {}
    settings = document.get("elabftw")
    group_list = settings.get("extra_fields_groups") if isinstance(settings, dict) else None
    names = {
        group.get("id"): group.get("name")
        for group in _as_list(group_list)
        if isinstance(group, dict)
    }
    fields = document.get("extra_fields")
    if not isinstance(fields, dict):
        return {}
    return {
        label: str(names[field_.get("group_id")])
        for label, field_ in fields.items()
        if isinstance(field_, dict) and names.get(field_.get("group_id")) is not None
    }
