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
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

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
    """The entries of the manifest in ``out_dir`` ([] if there is none), and why it was
    ignored ("" when it was read)."""
    path = out_dir / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [], ""
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [], f"{path}: not readable ({exc}); nothing removed"
    files = data.get("files") if isinstance(data, dict) else None
    if (not isinstance(data, dict) or data.get("generator") != _GENERATOR
            or not isinstance(files, list) or not all(isinstance(f, str) for f in files)):
        return [], f"{path}: not a benchsheet build manifest; nothing removed"
    return files, ""


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


def remove_stale(out_dir: Path, written: Sequence[str | Path], *,
                 sources: Sequence[Path] = ()) -> Cleanup:
    """Remove what the old manifest lists and this build did not write; write the new one.

    ``sources`` are the build's input files: never removed, even if a manifest names them.
    """
    old, ignored = read_manifest(out_dir)
    cleanup = Cleanup(ignored_manifest=ignored)
    new = sorted({e for p in written if (e := _entry(out_dir, p)) is not None})
    keep = {p.resolve() for p in sources}
    for entry in sorted(set(old) - set(new)):
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
    failed = {e for p, _ in cleanup.failed if (e := _entry(out_dir, p)) is not None}
    write_manifest(out_dir, sorted({*new, *failed}))
    return cleanup


def _remove_empty_parents(folder: Path, out_dir: Path) -> None:
    """A folder the build made (``notebooks/``) goes when its last output has gone."""
    while folder != out_dir and folder.is_relative_to(out_dir):
        try:
            folder.rmdir()
        except OSError:  # not empty (the lab's own files), or not ours to remove
            return
        folder = folder.parent


def write_manifest(out_dir: Path, entries: Sequence[str]) -> Path:
    from benchsheet.atomic import write_atomic

    path = out_dir / MANIFEST_NAME
    data = {
        "generator": _GENERATOR,
        "about": "the files the last build wrote; the next build removes those it does not "
                 "write again, and nothing else",
        "files": list(entries),
    }
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path
