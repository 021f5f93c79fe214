"""Writing files atomically: a reader never sees half a file, a failure leaves nothing."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from pathlib import Path


def _about(exc: OSError, path: Path, temporary: Path) -> OSError:
    """``exc`` naming ``path``, the file the user asked for, where it named the hidden temporary
    file or no file at all (a full disk); other errors are returned as they are."""
    named = exc.filename is None or os.fspath(exc.filename) == os.fspath(temporary)
    if exc.errno is None or not named:
        return exc
    return type(exc)(exc.errno, exc.strerror, str(path))


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a fresh file beside it, synced, then renamed over it.

    The temporary file is created with O_EXCL (never written through a file or link someone
    else put there) and mode 0o666, so the umask sets the final permissions as for any file
    the user creates. An existing ``path`` stays as it was until the rename. An ``OSError``
    names ``path`` (or the folder that could not be made), never the temporary file.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():  # else the rename fails with the temporary file's name in the message
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise _about(exc, path, temporary) from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.replace(path)  # atomic within one file system
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        if isinstance(exc, OSError):
            raise _about(exc, path, temporary) from None
        raise


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
    """

    THREADS = 4

    def __init__(self) -> None:
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

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            order, path, data, done = job
            try:
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
        if kind is not None:
            return  # the error that stopped the block is the one to see
        if self._errors:
            raise self._errors[min(self._errors)]


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
