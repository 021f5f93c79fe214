"""What a build keeps of every file until it ends, held on disk instead of in memory.

A build of many files keeps something of each to its end: the paths it wrote (for its
manifest), a row of the index, each variant's export name (to refuse two variants that would
overwrite each other), the notebooks written under temporary names until all are put in place.
Held as Python objects that is some kilobytes a file, so the build's memory grew with the
repository. These containers keep the same things in a private temporary SQLite database
(``sqlite3.connect("")``: on disk beyond a small page cache, removed when it is closed or
garbage-collected), so what a build holds no longer grows with its files; lookups stay
logarithmic and reading back is in order.

Texts go in as UTF-8 with lone surrogates passed through (paths that are not valid UTF-8 on
disk reach Python as such): SQLite compares them byte by byte, which for UTF-8 is the order of
code points, the order Python sorts text in.

Each container is used from the thread that made it (SQLite's default check), and a forked
process must not use one it inherited (a build's sheet workers never touch them).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Generic, Self, TypeVar, overload

T = TypeVar("T")

# The page cache of each database, in KiB: a build holds a handful at once.
PAGE_CACHE_KIB = 256


def _connect(schema: str) -> sqlite3.Connection:
    """A private temporary database with ``schema``, unjournalled (nothing to recover: it
    lives only as long as the build) and in autocommit mode."""
    database = sqlite3.connect("", isolation_level=None)
    database.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
    database.execute("PRAGMA journal_mode=OFF")
    database.execute("PRAGMA synchronous=OFF")
    database.execute(schema)
    return database


def _blob(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _text(blob: bytes) -> str:
    return blob.decode("utf-8", "surrogatepass")


class _Closing:
    """A container's database, closed by ``close`` (or when the container is collected)."""

    _db: sqlite3.Connection

    def close(self) -> None:
        """Remove the database; the container is empty and unusable after."""
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class SpooledList(_Closing, Sequence[T]):
    """A list of values that only grows, kept as JSON (``dump`` makes a value JSON-able,
    ``load`` makes it back): appended, counted, read by index and in order."""

    def __init__(self, dump: Callable[[T], Any], load: Callable[[Any], T],
                 items: Iterable[T] = ()) -> None:
        self._db = _connect("CREATE TABLE items (data BLOB NOT NULL)")
        self._dump, self._load = dump, load
        self._count = 0
        self.extend(items)

    def append(self, item: T) -> None:
        self._db.execute("INSERT INTO items (data) VALUES (?)", (self._encoded(item),))
        self._count += 1

    def extend(self, items: Iterable[T]) -> None:
        before = self._db.total_changes
        self._db.executemany("INSERT INTO items (data) VALUES (?)",
                             ((self._encoded(item),) for item in items))
        self._count += self._db.total_changes - before

    def _encoded(self, item: T) -> bytes:
        return _blob(json.dumps(self._dump(item), ensure_ascii=False))

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("spooled list index out of range")
        # Rows are numbered 1, 2, … as appended (nothing is ever deleted).
        (data,) = self._db.execute("SELECT data FROM items WHERE rowid = ?",
                                   (index + 1,)).fetchone()
        return self._load(json.loads(_text(data)))

    def __iter__(self) -> Iterator[T]:
        """The values in order, read a few at a time (appending meanwhile is not seen)."""
        rows = self._db.execute("SELECT data FROM items WHERE rowid <= ? ORDER BY rowid",
                                (self._count,))
        while chunk := rows.fetchmany(256):
            for (data,) in chunk:
                yield self._load(json.loads(_text(data)))


class SpooledTexts(_Closing):
    """A set of texts: added, asked for, counted, and read back sorted (by code point, as
    ``sorted`` sorts text)."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self._db = _connect("CREATE TABLE texts (text BLOB PRIMARY KEY) WITHOUT ROWID")
        self._count = 0
        self.update(texts)

    def add(self, text: str) -> bool:
        """Add ``text``; whether it was new."""
        added = self._db.execute("INSERT OR IGNORE INTO texts VALUES (?)",
                                 (_blob(text),)).rowcount == 1
        self._count += added
        return added

    def update(self, texts: Iterable[str]) -> None:
        before = self._db.total_changes
        self._db.executemany("INSERT OR IGNORE INTO texts VALUES (?)",
                             ((_blob(text),) for text in texts))
        self._count += self._db.total_changes - before

    def clear(self) -> None:
        self._db.execute("DELETE FROM texts")
        self._count = 0

    def __contains__(self, text: object) -> bool:
        if not isinstance(text, str):
            return False
        return self._db.execute("SELECT 1 FROM texts WHERE text = ?",
                                (_blob(text),)).fetchone() is not None

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        """The texts in sorted order, read a few at a time."""
        rows = self._db.execute("SELECT text FROM texts ORDER BY text")
        while chunk := rows.fetchmany(256):
            for (blob,) in chunk:
                yield _text(blob)


class SpooledMap(_Closing, Generic[T]):
    """Texts mapped to values (JSON-able as they are): first-come claims (``claim``), or
    values set and read back in the order of their keys (``put``, ``items``)."""

    def __init__(self) -> None:
        self._db = _connect("CREATE TABLE map (key BLOB PRIMARY KEY, value BLOB NOT NULL) "
                            "WITHOUT ROWID")

    def claim(self, key: str, value: T) -> T | None:
        """None when ``key`` had no value and now has ``value``; else the value it has."""
        kept = self.get(key)
        if kept is None:
            self.put(key, value)
        return kept

    def put(self, key: str, value: T) -> None:
        """``key`` has ``value`` now, whatever it had."""
        self._db.execute("INSERT OR REPLACE INTO map VALUES (?, ?)",
                         (_blob(key), _blob(json.dumps(value, ensure_ascii=False))))

    def get(self, key: str) -> T | None:
        found = self._db.execute("SELECT value FROM map WHERE key = ?", (_blob(key),)
                                 ).fetchone()
        if found is None:
            return None
        kept: T = json.loads(_text(found[0]))
        return kept

    def items(self) -> Iterator[tuple[str, T]]:
        """Every key with its value, keys sorted (as ``sorted`` sorts text), read a few at a
        time."""
        rows = self._db.execute("SELECT key, value FROM map ORDER BY key")
        while chunk := rows.fetchmany(256):
            for key, value in chunk:
                yield _text(key), json.loads(_text(value))

    def __len__(self) -> int:
        (count,) = self._db.execute("SELECT count(*) FROM map").fetchone()
        return int(count)
