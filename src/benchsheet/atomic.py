"""Writing files atomically: a reader never sees half a file, a failure leaves nothing."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a fresh file beside it, synced, then renamed over it.

    The temporary file is created with O_EXCL (never written through a file or link someone
    else put there) and mode 0o666, so the umask sets the final permissions as for any file
    the user creates. An existing ``path`` stays as it was until the rename.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.replace(path)  # atomic within one file system
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
