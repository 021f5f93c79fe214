"""A progress bar on standard error for long runs, drawn only when a person is watching.

rich is imported here, and only when standard error is a terminal and the run is long: a run
in CI or behind a pipe never pays for the import (``bench/cold_start.py`` measures that).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")

#: Runs of up to this many files finish before a bar would be worth reading.
MIN_ITEMS = 8


def track(items: Sequence[T], description: str) -> Iterable[T]:
    """``items`` as they are worked through, with a bar on a terminal; else ``items`` as is.

    The bar is transient: it is erased when the run ends, so the report below it reads the
    same with or without a terminal.
    """
    if len(items) <= MIN_ITEMS or not sys.stderr.isatty():
        return items
    from rich.console import Console
    from rich.progress import track as rich_track

    return rich_track(items, description=description, transient=True,
                      console=Console(file=sys.stderr))
