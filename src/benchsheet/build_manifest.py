"""The record `benchsheet build` keeps of what it wrote, so that the next build can remove the
sheets, notebooks and exports of protocols that are gone.

The manifest (``.benchsheet-manifest.json`` in the output folder) lists the files one build
wrote, relative to that folder. The next build removes the files the old manifest lists and it
did not write again, and nothing else: a file the lab put into the folder itself is never in a
manifest, so it stays, and an entry that leads outside the folder (``..``, an absolute path, a
symbolic link to elsewhere) or that is not a regular file is left alone.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from benchsheet.spool import SpooledTexts

MANIFEST_NAME = ".benchsheet-manifest.json"
_GENERATOR = "benchsheet build"


@dataclass
class Cleanup:
    """What removing the outputs a build no longer writes did."""

    removed: list[Path] = field(default_factory=list)
    # Listed, not written again, but could not be removed (permissions): kept in the manifest,
    # so the next build tries again.
    failed: list[tuple[Path, OSError]] = field(default_factory=list)
    # Why the old manifest was not used (unreadable or not benchsheet's), else "".
    ignored_manifest: str = ""


def _entry(out_dir: Path, path: str | Path) -> str | None:
    """``path`` as a manifest entry (POSIX, relative to ``out_dir``), or None if outside it."""
    relative = Path(os.path.relpath(path, out_dir))
    if relative.is_absolute() or relative.parts[:1] == ("..",) or relative == Path():
        return None
    return relative.as_posix()


def read_manifest(out_dir: Path) -> tuple[list[str], str]:
    """The entries of the manifest in ``out_dir``, sorted, each once ([] if there is none),
    and why it was ignored ("" when it was read)."""
    from benchsheet.spool import SpooledTexts

    with SpooledTexts() as entries:
        why = _read_into(out_dir, entries)
        return sorted(entries), why


def _read_into(out_dir: Path, entries: SpooledTexts) -> str:
    """Put the entries of the manifest in ``out_dir`` into ``entries`` (none if there is no
    manifest, or it is ignored); why it was ignored ("" when it was read).

    A manifest as ``write_manifest`` lays it out is read a line at a time, so that the
    manifest of a build of many files is never held whole; any other layout (a manifest
    edited by hand) is read as JSON, whole, with the same result."""
    path = out_dir / MANIFEST_NAME
    try:
        with path.open(encoding="utf-8") as stream:
            if _read_layout(stream, entries):
                return ""
            entries.clear()
            stream.seek(0)
            data = json.load(stream)
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        entries.clear()
        return f"{path}: not readable ({exc}); nothing removed"
    files = data.get("files") if isinstance(data, dict) else None
    if (not isinstance(data, dict) or data.get("generator") != _GENERATOR
            or not isinstance(files, list) or not all(isinstance(f, str) for f in files)):
        return f"{path}: not a benchsheet build manifest; nothing removed"
    entries.update(files)
    return ""


# The lines ``write_manifest`` writes around the entries (or instead of them, when there are
# none), and before each entry.
_OPEN, _CLOSE, _END, _ITEM = '  "files": [\n', "  ]\n", "}\n", "    "
_NONE = '  "files": []\n'



def _read_layout(stream: IO[str], entries: SpooledTexts) -> bool:
    """Whether ``stream`` holds a benchsheet manifest laid out as ``write_manifest`` lays it
    out (one entry a line), its entries put into ``entries`` as read; False as soon as a line
    is not as written (then ``json.load`` reads the file: what this accepts, it reads
    alike)."""
    header: list[str] = []
    for line in stream:
        header.append(line)
        if line in (_OPEN, _NONE) or len(header) > 16:
            break
    if len(header) > 16 or not header or header[0] != "{\n":
        return False
    empty = header[-1] != _OPEN
    try:
        data = json.loads("".join(header[:-1]) + ' "files": []}')
    except json.JSONDecodeError:
        return False
    if not isinstance(data, dict) or data.get("generator") != _GENERATOR:
        return False
    more = False  # whether the entry before ended with a comma
    first = True
    line = ""
    if not empty:
        for line in stream:
            if line == _CLOSE or not line.startswith(_ITEM) or not line.endswith("\n"):
                break
            text = line[len(_ITEM):-1]
            comma = text.endswith(",")
            try:
                entry = json.loads(text[:-1] if comma else text)
            except json.JSONDecodeError:
                return False
            if not isinstance(entry, str) or not (first or more):
                return False
            entries.add(entry)
            first, more = False, comma
        else:
            return False
        if line != _CLOSE or more or first:
            return False
    return stream.read() == _END


def _removable(out_dir: Path, entry: str, keep: Collection[Path]) -> Path | None:
    """The file an old entry names, if it is one the build may remove."""
    posix = PurePosixPath(entry)
    if posix.is_absolute() or ".." in posix.parts or not posix.parts or "\\" in entry:
        return None
    path = out_dir.joinpath(*posix.parts)
    if path.is_symlink() or not path.is_file():
        return None
    resolved = path.resolve()
    if not resolved.is_relative_to(out_dir.resolve()) or resolved in keep:
        return None
    return path


def remove_stale(out_dir: Path, written: Iterable[str | Path], *,
                 sources: Iterable[Path] = ()) -> Cleanup:
    """Remove what the old manifest lists and this build did not write; write the new one.

    ``sources`` are the build's input files: never removed, even if a manifest names them.
    The entries, old and new, are held on disk (``benchsheet.spool``): a build of many files
    writes hundreds of thousands.
    """
    from benchsheet.spool import SpooledTexts

    with SpooledTexts() as new, SpooledTexts() as old, SpooledTexts() as stale:
        new.update(e for p in written if (e := _entry(out_dir, p)) is not None)
        cleanup = Cleanup(ignored_manifest=_read_into(out_dir, old))
        stale.update(entry for entry in old if entry not in new)
        keep = _sources_inside(out_dir, sources) if len(stale) else set()
        for entry in stale:  # sorted
            path = _removable(out_dir, entry, keep)
            if path is None:
                continue
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                cleanup.failed.append((path, exc))
                continue
            cleanup.removed.append(path)
            _remove_empty_parents(path.parent, out_dir)
        new.update(e for p, _ in cleanup.failed if (e := _entry(out_dir, p)) is not None)
        write_manifest(out_dir, new)
    return cleanup


def _sources_inside(out_dir: Path, sources: Iterable[Path]) -> set[Path]:
    """The input files that lie in the output folder (resolved): the only ones an old entry
    could name."""
    inside = out_dir.resolve()
    return {resolved for p in sources if (resolved := p.resolve()).is_relative_to(inside)}


def _remove_empty_parents(folder: Path, out_dir: Path) -> None:
    """A folder the build made (``notebooks/``) goes when its last output has gone."""
    while folder != out_dir and folder.is_relative_to(out_dir):
        try:
            folder.rmdir()
        except OSError:  # not empty (the lab's own files), or not ours to remove
            return
        folder = folder.parent


def _quoted(entry: str) -> str:
    """``entry`` as JSON text: as it is, or escaped where it is not UTF-8 (a lone surrogate,
    from a file name that is not UTF-8 on disk), which reads back as the same text."""
    try:
        entry.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(entry)
    return json.dumps(entry, ensure_ascii=False)


def write_manifest(out_dir: Path, entries: Iterable[str]) -> Path:
    """Write the manifest listing ``entries`` (in the order given), a line at a time: the text
    ``json.dumps(..., indent=2, ensure_ascii=False)`` gives, never held whole."""
    from benchsheet.atomic import atomic_stream

    path = out_dir / MANIFEST_NAME
    head = {
        "generator": _GENERATOR,
        "about": "the files the last build wrote; the next build removes those it does not "
                 "write again, and nothing else",
    }
    with atomic_stream(path) as stream:
        # The head's text without its closing "\n}": the list follows as its last key.
        stream.write(json.dumps(head, indent=2, ensure_ascii=False)[:-2].encode("utf-8"))
        before = ',\n  "files": ['
        for entry in entries:
            stream.write(f"{before}\n{_ITEM}{_quoted(entry)}".encode())
            before = ","
        stream.write(("\n  ]\n}\n" if before == "," else f"{before}]\n}}\n").encode("utf-8"))
    return path
