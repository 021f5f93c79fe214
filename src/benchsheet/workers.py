"""A run of many files, one at a time or across processes (``--jobs``), in bounded memory.

Each file is loaded, validated and cut down (``validate.slim``) on its own, in this process
or in a worker; its findings go to the report (``stream_run``) or to the run's spool
(``check_run``) as they arrive, in the order of the files, so the report and the exit code
are the same whatever the number of processes. The per-run limits (run-size-mb, run-nodes,
run-variants) are kept here, in the parent, in the order of the files: a worker validates a
file without knowing the budget, and the parent replaces its result with LD012 when the
budget is spent, exactly where a serial run would have refused it. A file's size is checked
before it is handed out, so a run past run-size-mb never reads the files it refuses.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from benchsheet.collector import file_done
from benchsheet.streaming import FindingSpool, ResultSpool, Shipped, Shown, Tally
from benchsheet.validate import (
    FileResult,
    LinkIndex,
    Options,
    Progress,
    RunBudget,
    link_files,
    linked_protocol,
    slim,
    validate_document,
)

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from benchsheet.findings import Finding
    from benchsheet.reagents.library import ReagentLibrary

#: Fewer files than this are validated in this process: starting workers (a fork and the
#: reagent library each) costs more than a few files take.
PARALLEL_FROM = 24
#: Files handed to a worker at a time, at most: each batch is a round trip through the
#: parent, which shares the cores with the workers (over 10,000 files, 32 a batch took the
#: parent 2.3-2.5 s where 8 took 3.0). A run of fewer files gets smaller batches, so that
#: each worker has at least ``SPREAD`` of them and none waits long for the last.
BATCH = 32
SPREAD = 8
#: Batches in flight per worker: enough to keep every core busy, few enough that results
#: waiting their turn stay small.
IN_FLIGHT = 4

Checked = tuple[int, int, FileResult]  # YAML nodes, variants, the result (slim)
# A file's findings as the parent takes them: all of them, or from a worker for a report
# written as the run goes, those it prints and counts of the rest (``Tally``).
Reported: TypeAlias = "list[Finding] | Tally"
# What reaches the parent of a file: YAML nodes, variants, its findings, its slim result
# (pickled in a worker: ``Shipped``).
Arrived = tuple[int, int, Reported, "FileResult | Shipped"]


def default_jobs() -> int:
    """The cores this process may use: those it may be scheduled on, and no more than the
    CPU time its container or service is allowed (``cgroups.cpu_limit``). A CI runner
    limited to 2 CPUs on a host of 64 would otherwise start 64 workers, each with its own
    reagent library, to share 2 CPUs' worth of time."""
    from benchsheet.cgroups import cpu_limit

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    limit = cpu_limit()
    return max(1, min(cores, limit) if limit is not None else cores)


def check_file(path: Path, options: Options, library: ReagentLibrary) -> Checked:
    """One file loaded, validated and cut down, with what the run's budget counts."""
    from benchsheet.expand import variant_count
    from benchsheet.loader import load_file

    file_done()  # the previous file's: collect its cycles now, if any were due
    own = options.for_file(path)
    document = load_file(path, limits=own.limits)
    count = 0
    if isinstance(document.data, dict) and not document.findings:
        count = variant_count(document.data)
    result = validate_document(document, own, library)
    findings = result.findings
    thin = slim(result)
    thin.findings = findings  # carried to the parent, which spools them and drops them
    return document.nodes, count, thin


def link_file(path: Path, options: Options, library: ReagentLibrary) -> Checked:
    """What the pass across files needs of one file (its slim result, ``check_file``'s for
    the same file), and what the run's budget counts, from its variants' models alone: no
    amounts and no checks, which a build's first pass does not read (its second validates
    each file whole). A variant models, or not, as ``validate_document`` finds: its model
    parses and no step repeats past the limit."""
    from benchsheet.expand import (
        expand,
        templated,
        too_many_variants,
        variant_count,
        variant_specs,
    )
    from benchsheet.loader import load_file
    from benchsheet.model.parse import parse_protocol
    from benchsheet.validate import VariantResult, raises_internal_errors, too_many_cycles

    file_done()  # the previous file's: collect its cycles now, if any were due
    own = options.for_file(path)
    document = load_file(path, limits=own.limits)
    result = FileResult(document)
    data = document.data
    if not isinstance(data, dict) or document.findings:
        return document.nodes, 0, slim(result)
    count = variant_count(data)
    if too_many_variants(data, own.limits, document.nodes):
        return document.nodes, count, slim(result)
    base = None
    plan = templated(data)
    for spec in variant_specs(data):
        try:
            expanded, _problems = expand(data, spec, own.limits, plan)
            protocol, _findings = parse_protocol(expanded, document, spec.name, base)
        except Exception:  # a bug of ours: the file's whole validation reports IN001
            if raises_internal_errors():
                raise
            result.variants.append(VariantResult(spec.name, {}, None, None))
            continue
        if base is None and protocol is not None:
            base = (expanded, protocol)
        if protocol is not None and too_many_cycles(protocol, document, spec.name,
                                                    own.limits):
            protocol = None
        result.variants.append(VariantResult(spec.name, {}, protocol, None))
    return document.nodes, count, slim(result)


_WORKER: tuple[Options, ReagentLibrary] | None = None


def _start_worker(options: Options, maker: int) -> None:
    """Leave interrupts to the run (``_deaf_to_interrupts``), tie the worker's life to the
    run's (``_end_with_parent``: ``maker`` is the process that made the pool), then load the
    reagent library once per worker process."""
    global _WORKER
    _deaf_to_interrupts()
    from benchsheet.reagents.library import load_library

    _end_with_parent(maker)
    _WORKER = (options, load_library(options.reagent_files))


def _deaf_to_interrupts() -> None:
    """Have this worker ignore SIGINT. Ctrl-C in a terminal signals every process of the run:
    a worker would stop wherever it was, and print the traceback of that place (its start,
    an import, a check) over the report. The run that made the pool stops its workers
    itself (``_stopped_at_once``). A worker is born with SIGINT held back
    (``_interrupts_held``), so an interrupt that came before this line is dropped here,
    not raised."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """SIGINT held back from this thread while the pool may start workers (``submit``),
    which inherit the mask: none can be interrupted before it ignores SIGINT. An interrupt
    that comes meanwhile is raised as the block ends, in the run that made the pool."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


@contextmanager
def _stopped_at_once(pool: ProcessPoolExecutor) -> Iterator[ProcessPoolExecutor]:
    """``pool``, shut down as ``with pool`` does when the run goes through, waiting for its
    workers; and at once when it does not (an interrupt, an error, a consumer that stops
    reading): its workers, which ignore SIGINT, are ended there and then, rather than after
    every batch already queued for them."""
    try:
        yield pool
    except BaseException:
        workers = list((getattr(pool, "_processes", None) or {}).values())
        for worker in workers:
            worker.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            worker.join(5)
        raise
    pool.shutdown(wait=True)


#: Linux's prctl option that has the kernel signal a process when its parent ends.
_PR_SET_PDEATHSIG = 1


def _end_with_parent(maker: int) -> None:
    """Have this worker end when ``maker``, the process that made the pool, ends (Linux).

    A worker waits for its next batch on a pipe that the other workers hold open too, so it
    never learns by itself that the run is over: a run killed mid-way (``timeout``, a CI
    step cancelled, the out-of-memory killer) would leave its workers waiting for ever,
    holding the run's stdout and stderr open, so that whatever reads them (the CI step)
    never sees them close.

    A worker the maker forked or spawned asks the kernel for SIGTERM when its parent ends
    (the thread that started it, which is the thread that runs the command and ends with
    the process), and ends at once if the maker is already gone. A fork server's worker
    (Python's default from 3.14) is the server's child, and the server outlives a killed
    maker: it watches the maker itself, a thread waiting on the maker's process handle.
    Elsewhere the worker is left as Python's pool leaves it."""
    if not sys.platform.startswith("linux"):
        return
    if os.getppid() == maker:
        import ctypes
        import signal

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
            return
        if os.getppid() == maker:  # else it ended before the kernel was asked
            return
    _watch(maker)


def _watch(maker: int) -> None:
    """End this process when process ``maker`` ends (at once if it has), from a thread that
    waits on the maker's process handle (Linux 5.3 and later; else nothing is watched)."""
    try:
        handle = os.pidfd_open(maker)
    except ProcessLookupError:
        os._exit(1)
    except (OSError, AttributeError):  # pragma: no cover - an older kernel, or not allowed
        return
    import select
    import threading

    def wait() -> None:
        select.select([handle], [], [])  # readable once the process has ended
        os._exit(1)

    threading.Thread(target=wait, name="benchsheet-maker-watch", daemon=True).start()


Check = Callable[[Path, Options, "ReagentLibrary"], Checked]


def _check_batch(paths: list[Path], work: Check, keep: Shown | None = None
                 ) -> list[Arrived]:
    assert _WORKER is not None, "the worker was not started by _start_worker"
    options, library = _WORKER
    return [_arrived(work(path, options, library), ship=True, keep=keep) for path in paths]


def _arrived(checked: Checked, *, ship: bool, keep: Shown | None = None) -> Arrived:
    """A file's ``Checked`` as the parent takes it: its findings apart from its slim result,
    which a worker ships pickled (``ship``); with ``keep``, the findings as a ``Tally``."""
    nodes, count, result = checked
    findings, result.findings = result.findings, []
    thin = result if result.slim else slim(result)
    return (nodes, count, findings if keep is None else Tally.of(findings, keep),
            Shipped.of(thin) if ship else thin)


def _checked_in_order(files: Sequence[Path], admitted: list[bool], options: Options,
                      library: ReagentLibrary, jobs: int, work: Check,
                      keep: Shown | None = None) -> Iterator[Arrived | None]:
    """Each admitted file's ``Arrived`` (None for one refused by size), in file order; a
    worker sends the findings as a ``Tally`` of ``keep``, if given (in this process, where
    nothing is sent, they come whole)."""
    from benchsheet.pathlist import PathList

    # Held for the whole run (in batches across processes): the caller's own list when every
    # file is admitted (``validate`` keeps it as text), else the admitted ones as text.
    wanted = files if all(admitted) else PathList(
        p for p, ok in zip(files, admitted, strict=True) if ok)
    if jobs <= 1 or len(wanted) < PARALLEL_FROM:
        results: Iterator[Arrived] = (_arrived(work(p, options, library), ship=False)
                                      for p in wanted)
    else:
        results = _across_processes(wanted, options, library, jobs, work, keep)
    for ok in admitted:
        yield next(results) if ok else None


def _batches(files: Sequence[Path], jobs: int) -> list[Sequence[Path]]:
    """``files`` cut into batches in order: at most ``BATCH`` files each, and at least
    ``SPREAD`` batches a worker when there are files enough."""
    size = max(1, min(BATCH, len(files) // (jobs * SPREAD)))
    return [files[i:i + size] for i in range(0, len(files), size)]


def _across_processes(files: Sequence[Path], options: Options, library: ReagentLibrary,
                      jobs: int, work: Check, keep: Shown | None = None) -> Iterator[Arrived]:
    """``work`` (``check_file``) of each file in worker processes, yielded in file order; at most
    ``IN_FLIGHT`` batches per worker wait, so memory does not grow with the run.

    A worker that ends abruptly (killed by the system for want of memory, or by hand) breaks
    the pool: the files whose results had not arrived are then checked in this process, in
    order, so the report and the exit code are still a serial run's; stderr says so once."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    batches = _batches(files, jobs)
    arrived = 0  # batches whose results were yielded
    try:
        with _stopped_at_once(ProcessPoolExecutor(
                max_workers=jobs, initializer=_start_worker,
                initargs=(options, os.getpid()))) as pool:
            pending: deque[Future[list[Arrived]]] = deque()
            queued = iter(batches)
            for batch in queued:
                with _interrupts_held():
                    pending.append(pool.submit(_check_batch, list(batch), work, keep))
                if len(pending) >= jobs * IN_FLIGHT:
                    break
            while pending:
                done = pending.popleft().result()
                following = next(queued, None)
                if following is not None:
                    with _interrupts_held():
                        pending.append(pool.submit(_check_batch, list(following), work, keep))
                arrived += 1
                yield from done
    except BrokenProcessPool:
        left = [path for batch in batches[arrived:] for path in batch]
        print("benchsheet: a worker process ended abruptly (killed, perhaps for want of "
              f"memory); the {len(left)} file(s) from {left[0]} on are checked in this "
              "process", file=sys.stderr)
        for path in left:
            yield _arrived(work(path, options, library), ship=False)


def _in_order(files: Sequence[Path], options: Options, library: ReagentLibrary,
              progress: Progress | None, jobs: int, work: Check | None = None,
              keep: Shown | None = None
              ) -> Iterator[tuple[Path, Reported, FileResult | Shipped]]:
    """Each file, its findings and its slim result, in file order; a result that takes the
    run past its budget is replaced by LD012, as a serial run refuses it."""
    budget = RunBudget(options.limits)
    admitted = [budget.admit_size(p) for p in files]
    shown = progress(files) if progress else files
    checked = _checked_in_order(files, admitted, options, library, jobs,
                                work or check_file, keep)
    for path, outcome in zip(shown, checked, strict=True):
        refusal = budget.refused_size(path) if outcome is None else budget.admit_loaded(
            path, outcome[0], outcome[1])
        if refusal is not None:
            findings, refusal.findings = refusal.findings, []
            yield path, findings, slim(refusal)
        else:
            assert outcome is not None  # admitted
            yield path, outcome[2], outcome[3]


def _first_pass(files: Sequence[Path], options: Options, library: ReagentLibrary,
                checked: Callable[[str, Reported], None], *, named: Collection[Path],
                progress: Progress | None, jobs: int, keep: Shown | None = None
                ) -> tuple[LinkIndex, ResultSpool]:
    """Every file validated: its findings handed to ``checked`` (with the file shown) as
    its result arrives, its slim result indexed and spooled for the pass across files; no
    result is held once the next one arrives."""
    index = LinkIndex()
    waiting = ResultSpool()
    try:
        for thin in _indexed(files, options, library, index, checked, named=named,
                             progress=progress, jobs=jobs, keep=keep):
            waiting.add(thin)
    except BaseException:
        waiting.close()
        raise
    return index, waiting


def _indexed(files: Sequence[Path], options: Options, library: ReagentLibrary,
             index: LinkIndex, checked: Callable[[str, Reported], None], *,
             named: Collection[Path], progress: Progress | None, jobs: int,
             work: Check | None = None, keep: Shown | None = None
             ) -> Iterator[FileResult | Shipped]:
    """Each file's slim result (or the result shipped pickled), in file order, once
    ``checked`` has its findings and ``index`` holds it."""
    given = set(named)
    for path, findings, thin in _in_order(files, options, library, progress, jobs, work,
                                          keep):
        if isinstance(thin, Shipped):
            shown, linked = thin.path, thin.linked
        else:
            shown, linked = thin.document.path, linked_protocol(thin)
        checked(shown, findings)
        index.enter(shown, linked, complete=path not in given)
        yield thin


def link_index(files: Sequence[Path], options: Options, library: ReagentLibrary, *,
               named: Collection[Path] = (), progress: Progress | None = None,
               jobs: int = 1) -> LinkIndex:
    """What the pass across files needs of every file (``LinkIndex``), from the models of
    each (``link_file``) across ``jobs`` processes, and nothing else: the first pass of a
    build too big to hold in memory, which then validates the files again a batch at a time
    to write them (``cli_render``)."""
    index = LinkIndex()
    for _thin in _indexed(files, options, library, index, lambda _path, _found: None,
                          named=named, progress=progress, jobs=jobs, work=link_file):
        pass
    return index


def _run(files: Sequence[Path], options: Options, library: ReagentLibrary, *,
         checked: Callable[[str, Reported], None],
         linked: Callable[[str, list[Finding]], None], named: Collection[Path],
         progress: Progress | None, jobs: int, keep: Shown | None = None) -> None:
    """Validate ``files`` (``checked`` gets each file's findings in file order, from a
    worker as a ``Tally`` of ``keep`` if given), then the links between them (``linked``
    gets the findings that pass adds to each file)."""
    index, waiting = _first_pass(files, options, library, checked, named=named,
                                 progress=progress, jobs=jobs, keep=keep)

    def link_found(result: FileResult) -> None:
        linked(result.document.path, result.findings)

    try:
        link_files(waiting, library, options, index=index, on_linked=link_found)
    finally:
        waiting.close()


def check_run(files: Sequence[Path], options: Options, library: ReagentLibrary, *,
              named: Collection[Path] = (), progress: Progress | None = None,
              jobs: int = 1) -> FindingSpool:
    """Validate ``files`` as ``validate_files`` does, in bounded memory and over ``jobs``
    processes: the findings, sorted as a serial run reports them, are in the returned spool
    (close it when the report is written).

    Of each file the run keeps in memory only its entry in the index of links between files
    (``LinkIndex``): its findings and its slim result wait on disk for the pass across files,
    which reads the results back one at a time.
    """
    spool = FindingSpool()

    def spooled(path: str, findings: Reported) -> None:
        assert not isinstance(findings, Tally), "no keep: every finding comes"
        spool.add(path, findings)

    try:
        _run(files, options, library, checked=spooled,
             linked=partial(spool.add, new_file=False), named=named, progress=progress,
             jobs=jobs)
    except BaseException:
        spool.close()
        raise
    return spool


def stream_run(files: Sequence[Path], options: Options, library: ReagentLibrary, *,
               on_file: Callable[[Reported], None], named: Collection[Path] = (),
               progress: Progress | None = None, jobs: int = 1,
               keep: Shown | None = None) -> FindingSpool:
    """Validate ``files`` as ``check_run`` does, but hand each file's findings to
    ``on_file`` as soon as its result arrives, in file order (the same whatever ``jobs``).
    With ``keep`` (what the report prints: ``LiveReport.shown``), a file validated in a
    worker arrives as a ``Tally``: the findings ``keep`` takes, and counts of all.

    The findings the pass across files adds (RF306, RF307, their stale acknowledgements)
    are known only once every file is read: they are in the returned spool, which counts
    them in its ``totals`` (close it when they are written). Nothing of a file's findings
    is kept once ``on_file`` returns.
    """
    across = FindingSpool()
    try:
        _run(files, options, library, checked=lambda _path, findings: on_file(findings),
             linked=partial(across.add, new_file=False), named=named, progress=progress,
             jobs=jobs, keep=keep)
    except BaseException:
        across.close()
        raise
    return across
