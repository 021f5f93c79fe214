"""A build's sheets rendered across processes (``build --jobs``), the same as in one.

Once the parent has validated and linked every file and imported the renderer, it forks
``jobs - 1`` workers. The sheets (every modelled variant, Markdown and HTML) are cut into
consecutive shares in build order: the parent renders the first share itself, as a serial
build does, while each worker renders one of the later shares into its own copy of the
``SheetBook`` and leaves the texts in a file in memory for the parent. Workers inherit the
results through the fork, so nothing is sent to them, and start in milliseconds (a spawned
worker would import for a third of a second). When the parent's loop reaches a worker's
share it takes that worker's texts into its book; everything after (writing, the index,
the archive and the notebooks) reads the book as before.

The texts a worker sends are only a head start: a sheet the book does not hold when the
loop reaches it (its worker failed on it, or died) is rendered by the parent there and then.
So the files written, the lines printed, the exit code, and the error of a lab template
that fails (file and line, exit 2, from the parent's own rendering of the first sheet it
fails on) are those of a serial build.

A fork is only safe in a process with no other thread running (a lock another thread holds
stays locked in the child), and only cheap where the OS forks (not macOS, where Python
spawns): anywhere else, and for a build of few sheets, the build stays in one process.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchsheet.render import Paper, SheetBook, SheetFormat
    from benchsheet.validate import FileResult, VariantResult

#: Fewer sheets than this are rendered in this process: a fork, and the texts sent back,
#: cost more than a worker saves on so few (on the bundled library a sheet takes some 2 ms
#: to view and render in both formats; a worker costs the parent 5 to 10 ms).
PARALLEL_FROM = 16
#: The least a worker is given: fewer sheets would not pay for its fork.
LEAST_SHARE = 8
#: The parent's share beside a worker's: it also writes every sheet and counts the findings
#: for the index while the workers render, so it renders less (measured: 0.7 keeps both
#: busy to the end).
PARENT_WEIGHT = 0.7

Sheet = tuple["FileResult", "VariantResult"]
Texts = dict["SheetFormat", str]


def can_fork() -> bool:
    """Whether this process may fork workers now: an OS that forks, and no other thread."""
    import threading

    return (hasattr(os, "fork") and sys.platform != "darwin"
            and threading.active_count() == 1)


def shares(count: int, jobs: int) -> list[range]:
    """``count`` sheets cut into consecutive shares, the first the parent's and one for each
    worker: at most ``jobs`` shares, none for a worker under ``LEAST_SHARE``, and one share
    (no worker) for fewer than ``PARALLEL_FROM`` sheets."""
    if count < PARALLEL_FROM or jobs < 2:
        return [range(count)]
    workers = min(jobs - 1, int(count // LEAST_SHARE - PARENT_WEIGHT))
    while workers > 0 and count / (workers + PARENT_WEIGHT) < LEAST_SHARE:
        workers -= 1
    if workers < 1:
        return [range(count)]
    total = workers + PARENT_WEIGHT
    bounds = [0, *(round(count * (PARENT_WEIGHT + worker) / total)
                   for worker in range(workers + 1))]
    return [range(start, end) for start, end in pairwise(bounds)]


class _Worker:
    """A forked worker: its pid (0 once reaped) and the file it leaves its texts in."""

    __slots__ = ("pid", "texts")

    def __init__(self, pid: int, texts: int) -> None:
        self.pid = pid
        self.texts = texts


def _scratch_file() -> int:
    """A file in memory (Linux), else a temporary file: a worker writes its texts there
    without waiting for the parent to read them, as it would on a pipe."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create("benchsheet-sheets", os.MFD_CLOEXEC)
    import tempfile

    return os.dup(tempfile.TemporaryFile().fileno())  # pragma: no cover - not Linux


class ForkedSheets:
    """The sheets of a build, the later shares rendered by forked workers (a context
    manager: leaving it stops and reaps any worker still running)."""

    def __init__(self, book: SheetBook, sheets: Sequence[Sheet],
                 formats: Sequence[SheetFormat], *, templates: Path | None = None,
                 paper: Paper = "a4", jobs: int = 1) -> None:
        self.book = book
        self.sheets = sheets
        self.formats = formats
        self.templates = templates
        self.paper: Paper = paper
        self.jobs = jobs
        self._workers: list[_Worker] = []
        self._owner: dict[int, _Worker] = {}  # by the variant's id

    def __enter__(self) -> ForkedSheets:
        parts = shares(len(self.sheets), self.jobs)
        if len(parts) > 1 and can_fork() and self._templates_load():
            for part in parts[1:]:
                worker = self._fork(part)
                if worker is None:
                    break  # the fork failed (no memory, too many processes): the rest is ours
                self._workers.append(worker)
                for index in part:
                    self._owner[id(self.sheets[index][1])] = worker
        return self

    def _templates_load(self) -> bool:
        """Load the templates once, here, so that no worker loads them again; one that does
        not load is left to the parent's loop, which reports it as a serial build does."""
        from benchsheet.render.environment import environment

        try:
            for fmt in self.formats:
                environment(fmt, self.templates).get_template(f"sheet.{fmt}.j2")
        except Exception:  # reported by the parent's loop, as a serial build reports it
            return False
        return True

    def _fork(self, part: range) -> _Worker | None:
        for stream in (sys.stdout, sys.stderr):  # the child prints nothing; should it
            with contextlib.suppress(AttributeError, OSError, ValueError):  # warn, the
                stream.flush()  # parent's unwritten output must not go out twice
        texts = _scratch_file()
        try:
            pid = os.fork()
        except OSError:
            os.close(texts)
            return None
        if pid == 0:  # pragma: no cover - the child (coverage does not follow a fork)
            self._work(part, texts)
        return _Worker(pid, texts)

    def _work(self, part: range, texts: int) -> None:  # pragma: no cover - in the child
        """In the child: render ``part`` and leave the texts in ``texts``; then leave without
        running the parent's exit handlers or flushing its buffers. Exit 0 only when every
        text is written; a sheet that fails is left out (the parent renders it, and says
        why)."""
        import gc
        import pickle

        code = 1
        try:
            gc.disable()  # a short life: the collector would only copy pages it walks
            made: list[tuple[int, Texts]] = []
            # A sheet that fails ends the share: the parent renders it and says why.
            with contextlib.suppress(Exception):
                for index in part:
                    result, variant = self.sheets[index]
                    made.append((index, self.book.render_all(
                        result, variant, self.formats, templates=self.templates,
                        paper=self.paper)))
            with os.fdopen(texts, "wb") as out:
                out.write(pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
            code = 0
        finally:
            os._exit(code)

    def take(self, variant: VariantResult) -> None:
        """Before the loop renders ``variant``: if a worker was given it, that worker's
        texts into the book (waiting for them); a sheet missing there is left to the loop."""
        worker = self._owner.get(id(variant))
        if worker is None or worker.pid == 0:
            return
        import pickle

        _, status = os.waitpid(worker.pid, 0)
        worker.pid = 0
        if os.WIFSIGNALED(status):  # a failing sheet ends a worker with 1, said by the loop
            mine = sum(owner is worker for owner in self._owner.values())
            print(f"benchsheet: a sheet worker process ended abruptly (signal "
                  f"{os.WTERMSIG(status)}: killed, perhaps for want of memory); its {mine} "
                  "sheet(s) are rendered in this process", file=sys.stderr)
        made: list[tuple[int, Texts]] = []
        with os.fdopen(worker.texts, "rb") as found:  # and closed
            if status == 0:  # else the worker died: its sheets are rendered here
                found.seek(0)  # where the worker began to write (the offset is shared)
                with contextlib.suppress(Exception):  # cut short: rendered here too
                    made = pickle.loads(found.read())
        for index, texts in made:
            result, done = self.sheets[index]
            self.book.keep(result, done, texts, templates=self.templates, paper=self.paper)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        """Stop the workers whose texts were not taken (the build stopped before their
        share): killed, reaped, their files closed."""
        for worker in self._workers:
            if worker.pid == 0:
                continue
            import signal

            os.kill(worker.pid, signal.SIGKILL)
            os.waitpid(worker.pid, 0)
            worker.pid = 0
            os.close(worker.texts)
