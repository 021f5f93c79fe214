"""Write `.eln` archives (RO-Crate 1.1 in a zip) that eLabFTW, Kadi4Mat and SampleDB import.

The layout and fields are the intersection of what those importers read (see
`../shared/eln/README.md`). Output is deterministic, so an archive can be a golden file and a
re-export of unchanged protocols is byte-identical: zip timestamps come from the caller's `date`,
entries are sorted, permissions are fixed, members are stored uncompressed (deflate output
differs between zlib builds) and JSON keys keep a fixed order. Nothing reads the wall clock.
Writing is atomic: the archive appears complete under its name or not at all.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import pickle
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from benchsheet.atomic import atomic_stream
from benchsheet.export.eln_records import (
    GENRES,
    QUANTITY_GROUPS,
    ElnFile,
    ElnPerson,
    ElnQuantity,
    ElnRecord,
)
from benchsheet.jsontext import dumps_indented
from benchsheet.spool import SpooledList, SpooledMap, SpooledTexts

__all__ = ["ELN_FORMAT_VERSION", "ElnWriteError", "build_eln_bytes", "write_eln"]

RO_CRATE_CONTEXT = "https://w3id.org/ro/crate/1.1/context"
RO_CRATE_PROFILE = "https://w3id.org/ro/crate/1.1"
#: Version of the .eln format itself (the descriptor's `version`), not benchsheet's.
ELN_FORMAT_VERSION = "1.0"
#: eLabFTW (>= 104) reads steps (HowToStep) only from crates that declare this.
ELABFTW_CRATE_VERSION = "107"
METADATA_NAME = "ro-crate-metadata.json"
DEFAULT_PUBLISHER_URL = "https://pypi.org/project/benchsheet/"
#: What the crate says when the caller names no licence: benchsheet must not invent one.
NO_LICENSE_STATED = "No licence stated; ask the authors before reusing these protocols."

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,127}")
_COLOUR = re.compile(r"[0-9A-Fa-f]{6}")
_MEDIA_TYPE = re.compile(r"[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*(\s*;.*)?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
# `:|"` upset Windows and eLabFTW; `/\` would nest (importers ignore nested folders);
# Kadi4Mat URL-unquotes file ids (`%`), and `#?` would cut an @id short as a URI.
_FORBIDDEN_IN_FILE_NAME = frozenset(':|"/\\%#?')
_FORBIDDEN_IN_ARCHIVE_NAME = frozenset(':|"/\\*?<>%#')
# Fixed unix modes so the archive does not depend on the umask of whoever built it.
_FILE_MODE = 0o100644
_DIR_MODE = 0o040755
_MSDOS_DIRECTORY = 0x10
_UNIX = 3
_ELABFTW_METADATA = "elabftw_metadata"
#: Kadi4Mat's limits on a record's title and description (its Record model's constraints).
KADI_TITLE_MAX = 150
KADI_DESCRIPTION_MAX = 50_000


class ElnWriteError(ValueError):
    """The records cannot make a valid archive; `problems` lists every reason, with its place."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            "cannot write .eln archive:\n" + "\n".join(f"  - {p}" for p in self.problems)
        )


def write_eln(
    records: Sequence[ElnRecord],
    path: Path,
    *,
    archive_name: str | None = None,
    date: datetime,
    publisher_name: str = "benchsheet",
    publisher_url: str = DEFAULT_PUBLISHER_URL,
    license_url: str | None = None,
) -> None:
    """Write `records` to `path` as a `.eln` archive, atomically.

    The top folder inside the zip is `archive_name`, by default the file name without its
    suffix. The records are checked before anything touches the disk; the archive is then
    written to a temporary file beside `path` and renamed over it, so a failure leaves neither
    a partial archive nor a stray temporary file, and an existing archive stays as it was.
    """
    with ElnArchive(archive_name=path.stem if archive_name is None else archive_name,
                    publisher_name=publisher_name, publisher_url=publisher_url) as archive:
        for record in records:
            archive.add(record)
        archive.save(path, date=date, license_url=license_url)


def build_eln_bytes(
    records: Sequence[ElnRecord],
    *,
    archive_name: str,
    date: datetime,
    publisher_name: str = "benchsheet",
    publisher_url: str = DEFAULT_PUBLISHER_URL,
    license_url: str | None = None,
) -> bytes:
    """Return the `.eln` archive for `records` as bytes; same input, same bytes.

    `date` is the export time: it becomes the crate's `dateCreated`/`datePublished` and every
    zip entry's timestamp. `license_url` (e.g. a Creative Commons deed) is the crate's licence;
    RO-Crate 1.1 requires one, so without it the crate says in words that none was stated.
    Raises `ElnWriteError` listing every problem with the input.
    """
    buffer = io.BytesIO()
    with ElnArchive(archive_name=archive_name, publisher_name=publisher_name,
                    publisher_url=publisher_url) as archive:
        for record in records:
            archive.add(record)
        archive.write(buffer, date=date, license_url=license_url)
    return buffer.getvalue()


BasedOn = Callable[[int, ElnRecord], tuple[str, ...]]


class ElnArchive:
    """A `.eln` archive made record by record, in memory that does not grow with the records.

    `add` checks a record, puts its files' bytes in a spool on disk and the rest of it in a
    second one; `write` (or `save`, to a path, atomically) checks the whole, then writes the
    zip from the spools: the same bytes `build_eln_bytes` gives for the same records, since
    it is how that function makes them. A build of ten thousand protocols holds one record at
    a time instead of every sheet of every protocol (tens of megabytes a hundred files).
    Close it (or use it as a context manager) to remove the spools.
    """

    def __init__(self, *, archive_name: str, publisher_name: str = "benchsheet",
                 publisher_url: str = DEFAULT_PUBLISHER_URL) -> None:
        self.archive_name = archive_name
        self.publisher_name = publisher_name
        self.publisher_url = publisher_url
        self._contents: IO[bytes] = tempfile.TemporaryFile(prefix="benchsheet-")  # noqa: SIM115 - closed by close()
        self._records: IO[bytes] = tempfile.TemporaryFile(prefix="benchsheet-")  # noqa: SIM115 - closed by close()
        # Every record's name, in order and as a set: on disk (``benchsheet.spool``), as
        # an archive of a build of many files has thousands of records.
        self._slugs: SpooledList[str] = SpooledList(str, str)
        self._seen = SpooledTexts()
        self._categories: dict[str, str] = {}
        self._people: dict[ElnPerson, str] = {}

    def __enter__(self) -> ElnArchive:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._contents.close()
        self._records.close()
        self._slugs.close()
        self._seen.close()

    def add(self, record: ElnRecord) -> None:
        """Take one record: its own problems are found now, those of the whole at `write`."""
        where = f"records[{len(self._slugs)}] ({record.slug!r})"
        problems: list[str] = []
        if not self._seen.add(record.slug):
            problems.append(f"{where}.slug: used by an earlier record; folder names must be unique")
        problems += _check_record(where, record)
        late: list[str] = []  # after the links to other records (known at `write`)
        if record.category is not None:
            name, colour = record.category
            known = self._categories.setdefault(name, colour.upper())
            if known != colour.upper():
                late.append(
                    f"{where}.category: {name!r} has colour {colour!r} here but {known!r} in an"
                    " earlier record; one category has one colour"
                )
        for person in record.authors:
            self._people.setdefault(person, f"#person-{len(self._people) + 1}")
        stored: list[_StoredFile] = []
        self._contents.seek(0, os.SEEK_END)
        for eln_file in record.files:
            stored.append(_StoredFile(eln_file.name, eln_file.media_type, eln_file.description,
                                      self._contents.tell(), len(eln_file.content),
                                      hashlib.sha256(eln_file.content).hexdigest()))
            self._contents.write(eln_file.content)
        self._records.seek(0, os.SEEK_END)
        pickle.dump((replace(record, files=()), stored, problems, late), self._records,
                    protocol=pickle.HIGHEST_PROTOCOL)
        self._slugs.append(record.slug)

    def _stored(self) -> Iterator[tuple[ElnRecord, list[_StoredFile], list[str], list[str]]]:
        self._records.seek(0)
        for _ in range(len(self._slugs)):
            yield pickle.load(self._records)

    def problems(self, *, date: datetime, license_url: str | None = None,
                 based_on: BasedOn | None = None) -> list[str]:
        """Every problem of the archive as it would be written, each prefixed with where it
        is; `based_on` gives each record's links (by index), else its own `based_on`."""
        problems = _check_setting(bool(self._slugs), self.archive_name, date,
                                  self.publisher_name, self.publisher_url)
        all_slugs = self._seen
        for index, (record, _files, own, late) in enumerate(self._stored()):
            where = f"records[{index}] ({record.slug!r})"
            problems += own
            links = record.based_on if based_on is None else based_on(index, record)
            for b, slug in enumerate(links):
                if slug not in all_slugs or slug == record.slug:
                    problems.append(f"{where}.based_on[{b}]: {slug!r} is not another record of "
                                    "this archive; an @id must name an entity of the crate")
            problems += late
        if license_url is not None and not re.fullmatch(r"https?://\S+", license_url):
            problems.append(f"license_url {license_url!r}: must be an http(s) URL")
        return problems

    def save(self, path: Path, *, date: datetime, license_url: str | None = None,
             based_on: BasedOn | None = None) -> None:
        """Check the archive, then write it to `path` atomically (see `write_eln`)."""
        problems = self.problems(date=date, license_url=license_url, based_on=based_on)
        if problems:
            raise ElnWriteError(problems)
        with atomic_stream(path) as stream:
            self._write(stream, date, license_url, based_on)

    def write(self, out: IO[bytes], *, date: datetime, license_url: str | None = None,
              based_on: BasedOn | None = None) -> None:
        """Write the archive to the seekable `out`; raises `ElnWriteError` listing every
        problem, before writing anything."""
        problems = self.problems(date=date, license_url=license_url, based_on=based_on)
        if problems:
            raise ElnWriteError(problems)
        self._write(out, date, license_url, based_on)

    def _write(self, out: IO[bytes], date: datetime, license_url: str | None,
               based_on: BasedOn | None) -> None:
        top = self.archive_name
        # Member name -> None (a folder), -1 (the metadata), or the record's file.
        with SpooledMap[_Member]() as members, \
                tempfile.TemporaryFile(prefix="benchsheet-") as metadata:
            members.put(f"{top}/", None)
            members.put(f"{top}/{METADATA_NAME}", -1)
            self._write_metadata(metadata, date, license_url, based_on, members)
            size = metadata.tell()
            metadata.seek(0)
            _write_zip(out, members, date, self._contents, metadata, size)

    def _write_metadata(self, out: IO[bytes], date: datetime, license_url: str | None,
                        based_on: BasedOn | None,
                        members: SpooledMap[_Member]) -> None:
        """The JSON-LD document (descriptor, root dataset, publisher and people from
        `_crate_head`, then each record's category and entities), one entity at a time: the
        text `dumps_indented` gives of the whole, two spaces a level. Each record's folder and
        files join `members` on the way, so the records are read back once."""
        head, tail = _GRAPH_FRAME
        out.write(head.encode("utf-8"))
        first = True

        def put(entity: dict[str, Any]) -> None:
            nonlocal first
            text = dumps_indented(entity, 2).replace("\n", "\n    ")
            out.write(((_ITEM_START if first else _ITEM_NEXT) + text).encode("utf-8"))
            first = False

        for entity in _crate_head(self._slugs, self.archive_name, date, self.publisher_name,
                                  self.publisher_url, license_url, self._people):
            put(entity)
        written_categories: set[str] = set()
        for index, (record, files, _own, _late) in enumerate(self._stored()):
            members.put(f"{self.archive_name}/{record.slug}/", None)
            for stored in files:
                members.put(f"{self.archive_name}/{record.slug}/{stored.name}",
                            [stored.offset, stored.size])
            if record.category is not None and record.category[0] not in written_categories:
                written_categories.add(record.category[0])
                put({
                    "@id": _category_id(record.category[0]),
                    "@type": "Thing",
                    "name": record.category[0],
                    "color": record.category[1].upper(),
                })
            if based_on is not None:
                record = replace(record, based_on=based_on(index, record))
            for entity in _record_entities(record, files, self._people):
                put(entity)
        out.write((tail + "\n").encode("utf-8"))


# A member of the zip as the archive's writing holds it (``benchsheet.spool``, on disk: an
# archive of a build of many files has tens of thousands): None for a folder, -1 for the
# metadata, else the offset and size of the file's bytes in the contents' spool.
_Member = list[int] | int | None


@dataclass(frozen=True)
class _StoredFile:
    """A record's file as the archive keeps it: its bytes are in the spool at `offset`."""

    name: str
    media_type: str
    description: str
    offset: int
    size: int
    sha256: str


def _graph_frame() -> tuple[str, str]:
    """The metadata document's text before and after its `@graph` entities."""
    marker = "\x00"
    text = dumps_indented({"@context": RO_CRATE_CONTEXT, "@graph": [marker]}, 2)
    head, _, tail = text.partition(json.dumps(marker))
    return head.removesuffix(_ITEM_START), tail


# Each entity of the graph starts on its own line, four spaces in (the graph is two levels
# down), after a comma from the second on.
_ITEM_START = "\n    "
_ITEM_NEXT = ",\n    "
_GRAPH_FRAME = _graph_frame()


# --- input checks -------------------------------------------------------------------------


def _check_setting(
    any_records: bool,
    archive_name: str,
    date: datetime,
    publisher_name: str,
    publisher_url: str,
) -> list[str]:
    """Problems of the archive as a whole (its records are checked one by one)."""
    problems: list[str] = []
    if not any_records:
        problems.append("records: nothing to export (importers reject a crate without datasets)")
    if (
        not archive_name
        or archive_name in {".", ".."}
        or archive_name != archive_name.strip()
        or archive_name.endswith(".")
        or any(c in _FORBIDDEN_IN_ARCHIVE_NAME or not c.isprintable() for c in archive_name)
    ):
        problems.append(
            f"archive_name {archive_name!r}: must be a plain folder name, without"
            f" {''.join(sorted(_FORBIDDEN_IN_ARCHIVE_NAME))}, control characters, or a leading"
            " or trailing space or dot"
        )
    problems += _check_datetime("date", date)
    if not publisher_name.strip():
        problems.append("publisher_name: must not be empty")
    if not re.fullmatch(r"https?://\S+", publisher_url):
        problems.append(f"publisher_url {publisher_url!r}: must be an http(s) URL")
    return problems


def _check_record(where: str, record: ElnRecord) -> list[str]:
    """Problems of one record, field by field."""
    problems: list[str] = []
    if not _SLUG.fullmatch(record.slug):
        problems.append(
            f"{where}.slug: must be 1-128 characters of a-z, 0-9 and '-', starting with a letter"
            " or digit"
        )
    for field_name in ("name", "identifier"):
        if not getattr(record, field_name).strip():
            problems.append(f"{where}.{field_name}: must not be empty")
    if len(record.name) > KADI_TITLE_MAX:
        problems.append(f"{where}.name: {len(record.name)} characters; Kadi4Mat refuses a title"
                        f" longer than {KADI_TITLE_MAX}")
    if len(record.body) > KADI_DESCRIPTION_MAX:
        problems.append(f"{where}.body: {len(record.body)} characters; Kadi4Mat refuses a"
                        f" description longer than {KADI_DESCRIPTION_MAX}")
    if record.genre not in GENRES:
        problems.append(f"{where}.genre: {record.genre!r} is not one of {', '.join(GENRES)}")
    if record.body_format not in ("text/html", "text/markdown"):
        problems.append(f"{where}.body_format: must be text/html or text/markdown")
    seen_keywords: set[str] = set()
    for k, keyword in enumerate(record.keywords):
        if not keyword.strip() or keyword != keyword.strip():
            problems.append(f"{where}.keywords[{k}]: {keyword!r} is empty or padded with spaces")
        if "," in keyword:
            # Keywords travel as ONE comma-separated string; a comma would split this one.
            problems.append(f"{where}.keywords[{k}]: {keyword!r} contains a comma")
        if keyword in seen_keywords:
            problems.append(f"{where}.keywords[{k}]: {keyword!r} is repeated")
        seen_keywords.add(keyword)
    for s, step in enumerate(record.steps):
        if not step.strip():
            problems.append(f"{where}.steps[{s}]: must not be empty")
    problems += _check_quantities(where, record.quantities)
    problems += _check_files(where, record.files)
    if not record.authors:
        problems.append(f"{where}.authors: at least one author (the ELNs attribute records)")
    for a, person in enumerate(record.authors):
        problems += _check_person(f"{where}.authors[{a}]", person)
    problems += _check_datetime(f"{where}.date_created", record.date_created)
    problems += _check_datetime(f"{where}.date_modified", record.date_modified)
    if (
        record.date_created.tzinfo is not None
        and record.date_modified.tzinfo is not None
        and record.date_modified < record.date_created
    ):
        problems.append(f"{where}.date_modified: is before date_created")
    if record.category is not None:
        name, colour = record.category
        if not name.strip():
            problems.append(f"{where}.category: name must not be empty")
        if not _COLOUR.fullmatch(colour):
            problems.append(f"{where}.category: colour {colour!r} must be 6 hex digits without '#'")
    return problems


def _check_quantities(where: str, quantities: Sequence[ElnQuantity]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for q, quantity in enumerate(quantities):
        here = f"{where}.quantities[{q}] ({quantity.property_id!r})"
        if not quantity.property_id.strip():
            problems.append(f"{here}.property_id: must not be empty")
        elif quantity.property_id == _ELABFTW_METADATA:
            problems.append(f"{here}.property_id: {_ELABFTW_METADATA!r} is reserved for eLabFTW")
        elif quantity.property_id in seen:
            problems.append(f"{here}.property_id: is repeated; each quantity needs its own id")
        seen.add(quantity.property_id)
        if quantity.group not in QUANTITY_GROUPS:
            problems.append(f"{here}.group: must be one of {', '.join(QUANTITY_GROUPS)}")
        bounds = {
            "value": quantity.value,
            "min_value": quantity.min_value,
            "max_value": quantity.max_value,
        }
        finite = True
        for field_name, number in bounds.items():
            if number is not None and (isinstance(number, bool) or not math.isfinite(number)):
                problems.append(f"{here}.{field_name}: {number!r} is not a finite number")
                finite = False
        if not finite:
            continue
        low = quantity.min_value if quantity.min_value is not None else quantity.value
        high = quantity.max_value if quantity.max_value is not None else quantity.value
        if not low <= quantity.value <= high:
            problems.append(
                f"{here}: value {quantity.value} lies outside its range [{low}, {high}]"
            )
    return problems


def _check_files(where: str, files: Sequence[ElnFile]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for f, eln_file in enumerate(files):
        here = f"{where}.files[{f}] ({eln_file.name!r})"
        bad = sorted({c for c in eln_file.name if c in _FORBIDDEN_IN_FILE_NAME})
        if (
            not eln_file.name
            or eln_file.name in {".", ".."}
            or eln_file.name != eln_file.name.strip()
            or bad
            or not eln_file.name.isprintable()
        ):
            problems.append(
                f"{here}.name: must be a plain file name without"
                f" {' '.join(sorted(_FORBIDDEN_IN_FILE_NAME))}, control characters or padding"
            )
        if eln_file.name in seen:
            problems.append(f"{here}.name: is repeated in this record")
        seen.add(eln_file.name)
        if not _MEDIA_TYPE.fullmatch(eln_file.media_type):
            problems.append(f"{here}.media_type: {eln_file.media_type!r} is not type/subtype")
    return problems


def _check_person(where: str, person: ElnPerson) -> list[str]:
    problems: list[str] = []
    if not person.given_name.strip() and not person.family_name.strip():
        problems.append(f"{where}: needs a given or a family name")
    if person.email is not None and not _EMAIL.fullmatch(person.email):
        problems.append(f"{where}.email: {person.email!r} is not an e-mail address")
    return problems


def _check_datetime(where: str, moment: datetime) -> list[str]:
    if moment.tzinfo is None or moment.utcoffset() is None:
        # ELNs compare times across servers; a naive time means a different instant on each.
        return [f"{where}: must carry a time zone"]
    # Any year is fine: the metadata keeps the date, the zip members the nearest they can
    # hold (zip_stamp).
    return []


# --- RO-Crate metadata --------------------------------------------------------------------


def _crate_head(
    slugs: Sequence[str],
    archive_name: str,
    date: datetime,
    publisher_name: str,
    publisher_url: str,
    license_url: str | None,
    people: dict[ElnPerson, str],
) -> list[dict[str, Any]]:
    """The JSON-LD graph before the records: descriptor, root dataset, publisher, licence,
    then one entity per distinct person (numbered in order of first appearance)."""
    graph: list[dict[str, Any]] = [
        {
            "@id": METADATA_NAME,
            "@type": "CreativeWork",
            "about": {"@id": "./"},
            "conformsTo": {"@id": RO_CRATE_PROFILE},
            "dateCreated": date.isoformat(),
            "sdPublisher": {"@id": publisher_url},
            "version": ELN_FORMAT_VERSION,
        },
        {
            "@id": "./",
            "@type": "Dataset",
            "name": archive_name,
            "description": f"Protocols exported as .eln by {publisher_name}",
            "datePublished": date.isoformat(),
            "version": ELABFTW_CRATE_VERSION,
            "license": NO_LICENSE_STATED if license_url is None else {"@id": license_url},
            # Only the record datasets: files listed here make Kadi4Mat create a collection.
            "hasPart": [{"@id": f"./{slug}/"} for slug in slugs],
        },
        {
            "@id": publisher_url,
            "@type": "Organization",
            "name": publisher_name,
            "url": publisher_url,
        },
    ]
    if license_url is not None:
        graph.append({"@id": license_url, "@type": "CreativeWork", "name": license_url})
    for person, person_id in people.items():
        entity: dict[str, Any] = {
            "@id": person_id,
            "@type": "Person",
            "givenName": person.given_name,
            "familyName": person.family_name,
            "name": person.full_name,
        }
        if person.email is not None:
            entity["email"] = person.email
        graph.append(entity)
    return graph


def _category_id(name: str) -> str:
    return "#category-" + quote(name, safe="")


def _record_entities(record: ElnRecord, stored: Sequence[_StoredFile],
                     people: dict[ElnPerson, str]) -> list[dict[str, Any]]:
    """The record's Dataset followed by its files (as the archive stored them), steps and
    property values."""
    folder = f"./{record.slug}/"
    files = [
        {
            "@id": folder + eln_file.name,
            "@type": "File",
            "name": eln_file.name,
            "description": eln_file.description,
            "encodingFormat": eln_file.media_type,
            "contentSize": str(eln_file.size),
            "sha256": eln_file.sha256,
        }
        for eln_file in stored
    ]
    for entity in files:
        if not entity["description"]:
            del entity["description"]
    steps: list[dict[str, Any]] = []
    for position, text in enumerate(record.steps, start=1):
        step_id = f"#{record.slug}-step-{position}"
        steps.append(
            {
                "@id": step_id,
                "@type": "HowToStep",
                "position": position,
                "creativeWorkStatus": "unfinished",
                "itemListElement": {"@id": f"{step_id}-direction"},
            }
        )
        steps.append({"@id": f"{step_id}-direction", "@type": "HowToDirection", "text": text})
    # Typed numbers only. eLabFTW's own `elabftw_metadata` PropertyValue (a JSON *string*) is
    # not written: Kadi4Mat turns every PropertyValue into an extra, and that one arrived as a
    # string extra holding raw JSON. eLabFTW shows the numbers in the body's tables instead.
    values = [
        _property_value(f"#{record.slug}-quantity-{index}", quantity)
        for index, quantity in enumerate(record.quantities, start=1)
    ]
    authors = [{"@id": people[person]} for person in record.authors]
    dataset: dict[str, Any] = {
        "@id": folder,
        "@type": "Dataset",
        "name": record.name,
        "genre": record.genre,
        # The body goes in `description`, the one text field both importers read: eLabFTW
        # makes its body of `text` + `description` (so a summary in both showed twice), and
        # Kadi4Mat reads `description` only (so steps in `text` never arrived). The short
        # summary is the schema.org `abstract`.
        "description": record.body,
        "encodingFormat": record.body_format,
        # One author as one object, as eLabFTW writes (and reads) it; several as a list.
        "author": authors[0] if len(authors) == 1 else authors,
        "dateCreated": record.date_created.isoformat(),
        "dateModified": record.date_modified.isoformat(),
        "identifier": record.identifier,
        "keywords": ",".join(record.keywords),
        "hasPart": [{"@id": entity["@id"]} for entity in files],
        "step": [{"@id": step["@id"]} for step in steps if step["@type"] == "HowToStep"],
        "variableMeasured": [{"@id": value["@id"]} for value in values],
    }
    if record.description.strip():
        dataset["abstract"] = record.description
    if record.category is not None:
        dataset["about"] = {"@id": _category_id(record.category[0])}
    if record.based_on:
        dataset["isBasedOn"] = [{"@id": f"./{slug}/"} for slug in record.based_on]
    return [dataset, *files, *steps, *values]


def _property_value(entity_id: str, quantity: ElnQuantity) -> dict[str, Any]:
    """A schema.org PropertyValue, which Kadi4Mat turns into a typed extra with a unit."""
    entity: dict[str, Any] = {
        "@id": entity_id,
        "@type": "PropertyValue",
        "propertyID": quantity.property_id,
        "value": float(quantity.value),
        "description": quantity.description,
    }
    if quantity.unit:
        entity["unitText"] = quantity.unit
    if quantity.min_value is not None:
        entity["minValue"] = float(quantity.min_value)
    if quantity.max_value is not None:
        entity["maxValue"] = float(quantity.max_value)
    return entity


# --- zip and disk -------------------------------------------------------------------------


# What a zip member's MS-DOS timestamp can hold: 1980-01-01 00:00:00 to 2107-12-31 23:59:58.
ZIP_EARLIEST = (1980, 1, 1, 0, 0, 0)
ZIP_LATEST = (2107, 12, 31, 23, 59, 58)


def zip_stamp(date: datetime) -> tuple[int, int, int, int, int, int]:
    """The members' timestamp: the export date, held to the range a zip can store (a
    protocol dated 9999-12-31 keeps its date in the metadata; its members say 2107)."""
    stamp = tuple(date.timetuple()[:6])
    return min(max(stamp, ZIP_EARLIEST), ZIP_LATEST)  # type: ignore[return-value]


def _write_zip(out: IO[bytes], members: SpooledMap[_Member], date: datetime,
               contents: IO[bytes], metadata: IO[bytes], metadata_size: int) -> None:
    """Zip `members` (None marks a folder, -1 the metadata, else the offset and size of a
    file's bytes in `contents`) into `out`, in sorted order with fixed metadata: each member
    as `writestr` writes it, the metadata copied from its spool a megabyte at a time."""
    stamp = zip_stamp(date)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, member in members.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = _UNIX
            info.compress_type = zipfile.ZIP_STORED
            if member is None:
                info.external_attr = (_DIR_MODE << 16) | _MSDOS_DIRECTORY
                archive.writestr(info, b"")
                continue
            info.external_attr = _FILE_MODE << 16
            if isinstance(member, list):
                offset, size = member
                contents.seek(offset)
                archive.writestr(info, contents.read(size))
                continue
            info.file_size = metadata_size  # as writestr sets it: the same header, zip64 or not
            with archive.open(info, "w") as member_stream:
                while chunk := metadata.read(1 << 20):
                    member_stream.write(chunk)
