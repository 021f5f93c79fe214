"""A run of many files in bounded memory: each file's result is cut down to what the pass
across files needs (``slim``), and its findings are either written as they arrive (text,
github, json-lines: ``reporters.LiveReport``) or go to a spool on disk, which the report
(json, sarif) reads back one file at a time, in the order a serial, all-in-memory run sorts
them.

Why a spool: links between files (RF306, RF307) are judged only once every file is
validated, so no file's findings are final before the last file is read; keeping them all
in memory made a run's memory grow with its files (4.6 GB at 10,000). The spool is a
temporary file of pickled lists, one per file, removed when the run ends; a report written
as the run goes spools only what the pass across files adds, and writes it last. The slim
results wait for that pass the same way (``ResultSpool``): of each file the run keeps in
memory only what the pass needs of every file at once (``validate.LinkIndex``), a few
hundred bytes.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from benchsheet.findings import Finding, Severity, sort_key

if TYPE_CHECKING:
    from benchsheet.checks.context import LinkedProtocol
    from benchsheet.validate import FileResult


@dataclass
class Totals:
    """What the summary line and the exit code need, counted as findings arrive."""

    files: int = 0
    failing: dict[Severity, int] = field(default_factory=lambda: dict.fromkeys(Severity, 0))
    acknowledged: int = 0

    def count(self, findings: Sequence[Finding]) -> None:
        for f in findings:
            if f.fails:
                self.failing[f.severity] += 1
            else:
                self.acknowledged += 1

    def add(self, other: Totals) -> None:
        """Count ``other``'s files and findings in these."""
        self.files += other.files
        for severity, n in other.failing.items():
            self.failing[severity] += n
        self.acknowledged += other.acknowledged

    def failed(self, fail_on: Severity) -> bool:
        return any(n for s, n in self.failing.items() if s >= fail_on)


@dataclass(frozen=True)
class Shown:
    """Which findings a report written as the run goes prints (``reporters.LiveReport``):
    those at ``show`` or above, and those acknowledged; with ``fail_on`` (``-q``), only the
    failures at ``fail_on`` or above. A worker process applies it to each file
    (``Tally.of``), so the parent receives, unpickles and sorts only what it prints."""

    show: Severity
    fail_on: Severity | None = None

    def __call__(self, f: Finding) -> bool:
        if self.fail_on is not None:
            return f.fails and f.severity >= self.fail_on
        return f.severity >= self.show or bool(f.acknowledged)


@dataclass
class Tally:
    """One file's findings as a worker sends them to a report written as the run goes: the
    ones it prints (``Shown``), in the order made, and ``Totals`` of them all (no files
    counted), which is all the summary and the exit code read of the rest."""

    shown: list[Finding]
    totals: Totals

    @classmethod
    def of(cls, findings: Sequence[Finding], shown: Callable[[Finding], bool]) -> Tally:
        totals = Totals()
        totals.count(findings)
        return cls([f for f in findings if shown(f)], totals)


class FindingSpool:
    """The findings of each file of a run, on disk in the run's order.

    ``add`` keeps a file's findings about that file on disk and the few about other files
    (a lab reagent file's conflict, RF305) in memory; ``sorted_findings`` yields every
    finding in ``sort_key`` order, ties in the order they were added, as ``sorted`` over all
    of them would.
    """

    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="benchsheet-")  # noqa: SIM115 - closed by close()
        self._entries: list[tuple[str, int]] = []  # (file shown, offset in the spool)
        self._foreign: list[tuple[int, int, Finding]] = []  # (entry, order, finding)
        self.totals = Totals()

    def add(self, path: str, findings: Sequence[Finding], *, new_file: bool = True) -> None:
        """Spool ``findings`` of the file shown as ``path``; ``new_file`` False for more
        findings of a file already added (those of the pass across files)."""
        if not findings and not new_file:
            return
        index = len(self._entries)
        own = [f for f in findings if f.file == path]
        self._foreign.extend((index, n, f) for n, f in enumerate(findings) if f.file != path)
        offset = self._file.tell()
        pickle.dump(own, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._entries.append((path, offset))
        self.totals.files += new_file
        self.totals.count(findings)

    def _read(self, offset: int) -> list[Finding]:
        self._file.seek(offset)
        found: list[Finding] = pickle.load(self._file)
        return found

    def sorted_findings(self) -> Iterator[Finding]:
        """Every finding, sorted as one list would be, reading one file's at a time."""
        by_file: dict[str, list[int]] = {}
        for index, (path, _) in enumerate(self._entries):
            by_file.setdefault(path, []).append(index)
        foreign: dict[str, list[tuple[int, int, Finding]]] = {}
        for item in self._foreign:
            foreign.setdefault(item[2].file, []).append(item)
        for name in sorted(by_file.keys() | foreign.keys()):
            items = [(index, n, f) for index in by_file.get(name, ())
                     for n, f in enumerate(self._read(self._entries[index][1]))]
            items += foreign.get(name, [])
            items.sort(key=lambda item: (item[0], item[1]))  # the order they were added
            yield from sorted((f for _, _, f in items), key=sort_key)

    def close(self) -> None:
        self._file.close()


@dataclass(frozen=True)
class Shipped:
    """A slim result (``validate.slim``) as a worker process sends it: the file shown and
    what a link to its protocol sees (``LinkIndex`` reads them as the file arrives), and the
    result itself pickled once, in the worker. The parent writes those bytes to the
    ``ResultSpool`` as they came, and never unpickles a result only to pickle it again (a
    round trip per file, on the cores the workers need)."""

    path: str
    linked: LinkedProtocol | None
    pickled: bytes

    @classmethod
    def of(cls, result: FileResult) -> Shipped:
        from benchsheet.validate import linked_protocol

        return cls(result.document.path, linked_protocol(result),
                   pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))


class ResultSpool:
    """The slim results of a run (``validate.slim``), on disk in the order added, read back
    one at a time by the pass across files: holding them all in memory made a run grow by
    10 kB a file. Each iteration reads them all back from the first; add none while one is
    under way."""

    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="benchsheet-")  # noqa: SIM115 - closed by close()
        self._count = 0
        self._at_end = True  # where the next result goes: no reading has moved the spool

    def add(self, result: FileResult | Shipped) -> None:
        """Spool ``result``, or the result a worker shipped pickled (written as it is)."""
        if not self._at_end:  # a reading may have stopped anywhere
            self._file.seek(0, os.SEEK_END)
            self._at_end = True
        # Otherwise the spool is where the last result ended: no seek, which would write out
        # the buffer (and cost two system calls) for every file of the run.
        if isinstance(result, Shipped):
            self._file.write(result.pickled)
        else:
            pickle.dump(result, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[FileResult]:
        self._at_end = False
        self._file.seek(0)
        for _ in range(self._count):
            result: FileResult = pickle.load(self._file)
            yield result

    def close(self) -> None:
        self._file.close()
