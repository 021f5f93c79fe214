"""Writing files atomically: a reader never sees half a file, a failure leaves nothing."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO


def _about(exc: OSError, path: Path, temporary: Path) -> OSError:
    """``exc`` naming ``path``, the file the user asked for, where it named the hidden temporary
    file or no file at all (a full disk); other errors are returned as they are."""
    named = exc.filename is None or os.fspath(exc.filename) == os.fspath(temporary)
    if exc.errno is None or not named:
        return exc
    return type(exc)(exc.errno, exc.strerror, str(path))


def _temporary_for(path: Path) -> tuple[Path, int]:
    """A fresh temporary file beside ``path`` (``.NAME.PID.HEX.tmp``, O_EXCL, mode 0o666) and
    its descriptor; the folder is made if it is missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():  # else the rename fails with the temporary file's name in the message
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        return temporary, os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise _about(exc, path, temporary) from None


@contextlib.contextmanager
def atomic_stream(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through, piece by piece, as ``write_atomic`` writes it:
    a fresh temporary file beside it, synced and renamed over ``path`` when the block ends; if
    the block raises, the temporary file is removed and ``path`` stays as it was. For a file
    too big to hold in memory (a build's archive of every protocol)."""
    temporary, descriptor = _temporary_for(path)
    stream = os.fdopen(descriptor, "wb")
    try:
        yield stream
        stream.flush()
        os.fsync(stream.fileno())
        stream.close()
        temporary.replace(path)  # atomic within one file system
    except BaseException as exc:
        stream.close()
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        if isinstance(exc, OSError):
            raise _about(exc, path, temporary) from None
        raise


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a fresh file beside it, synced, then renamed over it.

    The temporary file is created with O_EXCL (never written through a file or link someone
    else put there) and mode 0o666, so the umask sets the final permissions as for any file
    the user creates. An existing ``path`` stays as it was until the rename. An ``OSError``
    names ``path`` (or the folder that could not be made), never the temporary file.
    """
    commit_staged([(os.fspath(_stage(path, data)), os.fspath(path))])


def _stage(path: Path, data: bytes | str) -> Path:
    """``data`` written and synced to a fresh temporary file beside ``path``, not yet renamed
    over it: the temporary file's path (``commit_staged`` renames, ``discard_staged``
    removes)."""
    temporary, descriptor = _temporary_for(path)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        if isinstance(exc, OSError):
            raise _about(exc, path, temporary) from None
        raise
    return temporary


# (temporary file, the path it becomes), in handing order; as text, which a build holds for
# every notebook until the last is written (a Path object is several times the size; a build
# of many files holds them on disk, ``benchsheet.spool``).
Staged = list[tuple[str, str]]


def commit_staged(staged: Iterable[tuple[str, str]]) -> None:
    """Rename each staged file over its path, in order (a path staged twice ends with the
    later data); a file not renamed because an earlier one failed is removed."""
    pairs = iter(staged)
    for temporary, path in pairs:
        try:
            Path(temporary).replace(path)  # atomic within one file system
        except BaseException as exc:
            discard_staged([(temporary, path)])
            discard_staged(pairs)
            if isinstance(exc, OSError):
                raise _about(exc, Path(path), Path(temporary)) from None
            raise


def discard_staged(staged: Iterable[tuple[str, str]]) -> None:
    """Remove the staged files: their paths stay as they were."""
    for temporary, _path in staged:
        with contextlib.suppress(FileNotFoundError):
            Path(temporary).unlink()


class AtomicWriter:
    """Many files, each written as ``write_atomic`` writes it, several at a time.

    Every file is synced before its rename, and a file system commits its journal once per
    sync: a build's hundred sheets written one after another wait on a hundred commits in a
    row (0.4 s on an idle ext4 disk, seconds on a busy one). Synced side by side on a few
    threads they share commits (0.07 s), and the writing overlaps the rendering of the next
    sheet. Each file is still whole or absent, as with ``write_atomic``, and a path handed
    over twice ends with the later data, as in a loop.

    ``write`` hands a file over and returns at once. Leaving the ``with`` block waits for
    every file handed over, also when the block raised (so the Markdown and HTML twins of a
    sheet are written together or not at all); then the block's own error is raised, else the
    first error of a write, in the order the files were handed over.

    With ``defer`` the files are written and synced under their temporary names only: the
    caller renames them all later (``staged``, ``commit_staged``), when it knows that the
    whole set is to be kept (a build's notebooks, all or none), or removes them
    (``discard_staged``); a block that fails removes its own.
    """

    THREADS = 4

    def __init__(self, *, defer: bool = False) -> None:
        # Plain threads and a queue: concurrent.futures would add its import (and logging's)
        # to the start of every build.
        import queue
        import threading

        self._jobs: queue.SimpleQueue[tuple[int, Path, bytes | str, threading.Event] | None] \
            = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._latest: dict[Path, threading.Event] = {}
        self._errors: dict[int, BaseException] = {}  # by the order the files were handed over
        self._count = 0
        # With ``defer``: each file is written and synced under its temporary name and renamed
        # only by the caller (``staged``, then ``commit_staged`` or ``discard_staged``).
        self._defer = defer
        self._staged: dict[int, tuple[str, str]] = {}

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            order, path, data, done = job
            try:
                if self._defer:
                    self._staged[order] = (os.fspath(_stage(path, data)), os.fspath(path))
                else:
                    write_atomic(path, data)
            except BaseException as error:  # raised by __exit__, in handing order
                self._errors[order] = error
            finally:
                done.set()

    def write(self, path: Path, data: bytes | str) -> None:
        """Write ``data`` to ``path`` atomically, in the background."""
        import threading

        if path in self._latest:  # the same file again: the earlier write first, then this
            self._latest[path].wait()
        if len(self._threads) < self.THREADS:
            thread = threading.Thread(target=self._work, name="benchsheet-write", daemon=True)
            thread.start()
            self._threads.append(thread)
        self._latest[path] = done = threading.Event()
        self._jobs.put((self._count, path, data, done))
        self._count += 1

    def __enter__(self) -> AtomicWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        for _thread in self._threads:
            self._jobs.put(None)  # one stop for each thread
        for worker in self._threads:
            worker.join()
        if kind is not None or self._errors:
            discard_staged(self.staged)  # nothing of a failed block is kept
            self._staged.clear()
        if kind is not None:
            return  # the error that stopped the block is the one to see
        if self._errors:
            raise self._errors[min(self._errors)]

    @property
    def staged(self) -> Staged:
        """With ``defer``, once the block has ended: the files written under their temporary
        names, in the order they were handed over (a path handed over twice, twice)."""
        return [self._staged[order] for order in sorted(self._staged)]


# The name write_atomic gives its temporary file: .NAME.PID.HEX.tmp
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.tmp$")
# A write takes milliseconds; a temporary file this old is not being written.
STALE_AFTER_S = 60.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, but belongs to someone else
        return True
    return True


def sweep_stale(folder: Path, *, name: str | None = None, now: float | None = None
                ) -> list[Path]:
    """Remove the temporary files that a killed ``write_atomic`` left in ``folder`` and its
    subfolders (with ``name``: only those of that file, in ``folder`` itself); the paths
    removed.

    Only files with the temporary name (``.NAME.PID.HEX.tmp``), whose process is gone and
    which are over ``STALE_AFTER_S`` old, are touched: never a file under a final name, never
    one a running process (here, or on another machine sharing the folder) is writing.
    """
    import time

    moment = time.time() if now is None else now
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    walk = os.walk(folder) if name is None else [
        (str(folder), [], [p.name for p in folder.iterdir()])]
    for root, _dirs, files in walk:
        for entry in files:
            found = _TEMPORARY.match(entry)
            if found is None or (name is not None and found["name"] != name) \
                    or _alive(int(found["pid"])):
                continue
            path = Path(root) / entry
            with contextlib.suppress(OSError):  # gone meanwhile, or not ours to remove
                if moment - path.lstat().st_mtime > STALE_AFTER_S:
                    path.unlink()
                    removed.append(path)
    return removed
