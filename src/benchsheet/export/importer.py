"""`benchsheet import`: get the protocol YAML back out of a `.eln` archive benchsheet wrote.

The archive is untrusted: `read_eln` refuses unsafe or inconsistent archives (EL001–EL009).
Here the sound archive must also hold benchsheet protocols (EL010): datasets whose identifier
is `benchsheet:<id>` carrying exactly one YAML file that loads and names that id. Every check
is done before the first byte is written, no existing file is replaced without `force`, and a
failure while writing removes what this import had created: no partial imports.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

from benchsheet.atomic import write_atomic
from benchsheet.export.eln_read import ElnImportError, ImportedRecord, read_eln
from benchsheet.export.records import IDENTIFIER_PREFIX
from benchsheet.loader import load_text

__all__ = ["ImportTargetExistsError", "ImportedProtocol", "import_protocols", "read_protocols"]

_PLAIN_YAML_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,200}\.ya?ml")


class ImportTargetExistsError(FileExistsError):
    """Importing would replace files that are already there; `paths` lists them."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = tuple(paths)
        shown = ", ".join(str(p) for p in paths)
        super().__init__(f"{shown} already exist(s); use --force to overwrite")


@dataclass(frozen=True)
class ImportedProtocol:
    """One protocol file recovered from an archive, byte for byte as it was exported."""

    protocol_id: str
    file_name: str
    content: bytes


def _protocol_of(record: ImportedRecord, ids: dict[bytes, object]) -> ImportedProtocol:
    """The YAML file of one benchsheet dataset, checked to be the protocol it claims to be.

    ``ids`` holds the id of each file content already read: the variants of a protocol share
    one file, which is parsed once, not once per variant."""
    identifier = record.identifier or ""
    protocol_id = identifier.removeprefix(IDENTIFIER_PREFIX).split(":", 1)[0]
    yaml_files = [name for name in record.files if name.endswith((".yaml", ".yml"))]
    if len(yaml_files) != 1:
        raise ElnImportError(
            "EL010", f"dataset {record.folder!r} ({identifier}) holds {len(yaml_files)} YAML"
            " files; a benchsheet dataset holds exactly one protocol file")
    (name,) = yaml_files
    if not _PLAIN_YAML_NAME.fullmatch(name):
        raise ElnImportError("EL010", f"dataset {record.folder!r}: {name!r} is not a plain"
                             " protocol file name")
    content = record.files[name]
    if content not in ids:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ElnImportError("EL010", f"{record.folder}{name} is not UTF-8 text") from None
        document = load_text(text, name)
        if document.data is None or document.findings:
            why = document.findings[0].message if document.findings else "no data"
            raise ElnImportError("EL010", f"{record.folder}{name} is not a protocol: {why}")
        ids[content] = document.data.get("id")
    if ids[content] != protocol_id:
        raise ElnImportError(
            "EL010", f"{record.folder}{name} has id {ids[content]!r}, but the"
            f" dataset says {protocol_id!r}")
    return ImportedProtocol(protocol_id, name, content)


def read_protocols(archive: Path) -> list[ImportedProtocol]:
    """The distinct protocol files of a benchsheet archive (variants share their file)."""
    records = read_eln(archive)
    ours = [r for r in records if (r.identifier or "").startswith(IDENTIFIER_PREFIX)]
    if not ours:
        raise ElnImportError(
            "EL010", f"{archive.name} holds {len(records)} dataset(s), none written by"
            " benchsheet (identifier 'benchsheet:<id>'); nothing to import")
    found: dict[str, ImportedProtocol] = {}
    ids: dict[bytes, object] = {}
    for record in ours:
        protocol = _protocol_of(record, ids)
        earlier = found.setdefault(protocol.file_name, protocol)
        if earlier.content != protocol.content:
            raise ElnImportError(
                "EL010", f"two datasets carry different files named {protocol.file_name!r};"
                " importing both would lose one")
    return list(found.values())


def import_protocols(archive: Path, out_dir: Path, *, force: bool = False) -> list[Path]:
    """Write the protocols of `archive` into `out_dir`; the paths written.

    Raises `ElnImportError` for an archive that is unsafe or holds no benchsheet protocol and
    `ImportTargetExistsError` when a file exists and `force` is false; nothing is written then.
    """
    protocols = read_protocols(archive)
    targets = [(out_dir / p.file_name, p.content) for p in protocols]
    existing = [path for path, _ in targets if path.exists() or path.is_symlink()]
    if existing and not force:
        raise ImportTargetExistsError(existing)
    created: list[Path] = []
    try:
        for path, content in targets:
            is_new = not path.exists()
            write_atomic(path, content)
            if is_new:
                created.append(path)
    except BaseException:
        for path in created:
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    return [path for path, _ in targets]
