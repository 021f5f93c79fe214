"""Writing files atomically: a reader never sees half a file, a failure leaves nothing."""

from __future__ import annotations

import contextlib
import errno
import os
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
