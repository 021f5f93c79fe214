"""A run's list of files, kept as text and handed out as ``Path`` objects one at a time.

A run keeps the files it found until its end (the order of the report, the batches handed to
workers). A ``Path`` object is its text plus a list of its parts, each part a string of its
own, and the text again once it has been printed: about 0.4 kB for a path that is 0.1 kB as
text, and a repository of 100,000 protocols would hold 30 MB more for nothing. A
``PathList`` holds the text alone; each ``Path`` it gives is made when asked and equal to the
one it was made from, and lives as long as whoever asked for it holds it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import overload


class PathList(Sequence[Path]):
    """``paths`` in order, kept as text (``os.fspath``), read back as ``Path`` objects; a
    slice is a ``PathList`` too."""

    __slots__ = ("_texts",)

    def __init__(self, paths: Iterable[str | os.PathLike[str]] = ()) -> None:
        self._texts: list[str] = [os.fspath(p) for p in paths]

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, index: int) -> Path: ...

    @overload
    def __getitem__(self, index: slice) -> PathList: ...

    def __getitem__(self, index: int | slice) -> Path | PathList:
        if isinstance(index, slice):
            part = PathList()
            part._texts = self._texts[index]
            return part
        return Path(self._texts[index])

    def __iter__(self) -> Iterator[Path]:
        return map(Path, self._texts)

    def __repr__(self) -> str:
        return f"PathList({self._texts!r})"
