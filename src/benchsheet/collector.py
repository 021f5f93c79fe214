"""When the cycle collector runs in a command-line run: at the end of a file, not inside one.

A run builds millions of objects (YAML nodes, models, vessel states) and no reference cycles
(``tests/test_no_cyclic_garbage.py`` checks every bundled, invalid and everyday protocol).
Python's collector, triggered by allocations, would walk a file's live objects while the file
is being checked, for nothing: a 10,000-material protocol made five collections, 16 ms of its
370, and a 1,000-material one none, so the walks alone made the larger file cost more per
material. So the command line (``take_over``) leaves the collector a threshold no ordinary
file reaches, and each file's start (``file_done``, the previous file done) collects when
what the run made and kept since the last collection passes ``YOUNG``: the previous file's
objects are gone by then, and what is left to walk is what the run keeps (caches, results)
and any cycle a file did make. Garbage in cycles therefore waits at most one file (or
``BACKSTOP`` objects, for work between files such as rendering sheets).

Only in a process of the command line's own: a caller's (tests, a notebook) is left as it is.
"""

from __future__ import annotations

import gc

#: Objects made and kept since the last collection past which a file's end collects (the
#: threshold the command line used between and inside files before).
YOUNG = 50_000
#: The collector's own threshold while the command line owns it: far above a protocol of
#: 10,000 steps and 10,000 materials (about 600,000 objects), a bound on what cyclic garbage
#: made between files (by sheets, exports) can grow to before it is collected.
BACKSTOP = 2_000_000

_owned = False


def take_over() -> None:
    """Collect at files' ends from now on. Objects alive now (modules, the rule registry)
    are frozen out of every walk."""
    global _owned
    gc.freeze()
    gc.set_threshold(BACKSTOP, 20, 100)
    _owned = True


def file_done() -> None:
    """A file's end: collect, as the collector would have, the oldest generation due, once
    more than ``YOUNG`` objects were made and kept since the last collection."""
    if not _owned:
        return
    young, middle, old = gc.get_count()
    if young < YOUNG:
        return
    _, every_middle, every_old = gc.get_threshold()
    gc.collect(2 if old > every_old else 1 if middle > every_middle else 0)
