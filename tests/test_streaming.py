"""The findings spool of a streamed run: read back in the order one sorted list gives, with
the same counts, whatever the files were added in."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from benchsheet import units, workers
from benchsheet.findings import Finding, Severity, sort_key
from benchsheet.reagents.library import load_library
from benchsheet.streaming import FindingSpool, ResultSpool, Shipped
from benchsheet.validate import (
    FileResult,
    LinkIndex,
    Options,
    collect_files,
    link_files,
    slim,
    validate_files,
    validate_text,
)
from benchsheet.workers import PARALLEL_FROM


def _finding(file: str, line: int, code: str = "ST101", severity: Severity = Severity.ERROR,
             acknowledged: str | None = None) -> Finding:
    return Finding(file, line, 1, code, severity, f"{code} at {line}", "", (), "",
                   acknowledged)


def test_spool_reads_back_as_one_sorted_list() -> None:
    added = [
        # (file shown, its findings): files out of order, one named twice, findings about a
        # lab reagent file (RF305) from two protocols, ties kept in the order added
        ("b.yaml", [_finding("b.yaml", 9), _finding("b.yaml", 2),
                    _finding("lab/reagents.yaml", 4, "RF305", Severity.WARNING)]),
        ("a/z.yaml", [_finding("a/z.yaml", 1, "HZ101", Severity.INFO)]),
        ("a.yaml", [_finding("a.yaml", 5, acknowledged="the paper says so")]),
        ("b.yaml", [_finding("b.yaml", 2), _finding("b.yaml", 1)]),
        ("c.yaml", [_finding("lab/reagents.yaml", 4, "RF305", Severity.WARNING),
                    _finding("c.yaml", 3)]),
    ]
    spool = FindingSpool()
    try:
        for path, findings in added:
            spool.add(path, findings)
        spool.add("c.yaml", [_finding("c.yaml", 1, "RF306")], new_file=False)
        everything = [f for _, findings in added for f in findings] + [
            _finding("c.yaml", 1, "RF306")]
        assert list(spool.sorted_findings()) == sorted(everything, key=sort_key)
        assert spool.totals.files == len(added)
        assert spool.totals.failing[Severity.ERROR] == 6
        assert spool.totals.failing[Severity.WARNING] == 2
        assert spool.totals.failing[Severity.INFO] == 1
        assert spool.totals.acknowledged == 1
        assert spool.totals.failed(Severity.ERROR)
    finally:
        spool.close()


def test_an_empty_run_fails_nothing() -> None:
    spool = FindingSpool()
    try:
        spool.add("a.yaml", [_finding("a.yaml", 1, "HZ101", Severity.INFO)])
        assert list(spool.sorted_findings()) == [_finding("a.yaml", 1, "HZ101", Severity.INFO)]
        assert not spool.totals.failed(Severity.WARNING)
        assert spool.totals.failed(Severity.INFO)
    finally:
        spool.close()


# A streamed run (``workers.check_run``) keeps of each file only its entry in the index of
# links between files; its slim result waits on disk for the pass across files.

PROTOCOLS = Path(__file__).resolve().parent.parent / "protocols"
STALE_LINK = """
  - code: RF306
    reason: a link that was broken once
"""


@pytest.fixture(scope="module")
def linked_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """More files than PARALLEL_FROM in a folder named ``streamed-run``: copies of the bundled
    protocols with their own ids, two that keep one id (RF307), links that break (RF306), an
    acknowledgement of a link rule that matches nothing (AK001) and a file that is not YAML."""
    root = tmp_path_factory.mktemp("streamed-run")
    sources = sorted(PROTOCOLS.glob("*.yaml"))
    for number in range(PARALLEL_FROM + 4):
        source = sources[number % len(sources)]
        text = source.read_text(encoding="utf-8")
        if number not in (2, 2 + len(sources)):
            text = re.sub(r"^id: *(\S+)", rf"id: \1-{number}", text, count=1,
                          flags=re.MULTILINE)
        if number == 5:
            text = re.sub(r"^acknowledge:\n", "acknowledge:" + STALE_LINK, text, count=1,
                          flags=re.MULTILINE) if "\nacknowledge:" in text else (
                text + "acknowledge:" + STALE_LINK)
        folder = root / ("b" if number % 3 else "a")
        folder.mkdir(exist_ok=True)
        (folder / f"{number:02d}-{source.name}").write_text(text, encoding="utf-8")
    (root / "a" / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    return root


def _files_held(root: Path) -> list[FileResult]:
    """The results of files under ``root`` that this process still holds."""
    # A spelling that is no quantity ('gentle' stirring) is cached with its QuantityError,
    # whose traceback keeps the frames, and so the result, of the file that first wrote it:
    # a few files, whatever the run's size; not what is counted here.
    units._PARSED.clear()
    gc.collect()
    return [o for o in gc.get_objects()
            if type(o) is FileResult and o.document.path.startswith(str(root))]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_streamed_run_holds_no_file_result_while_it_links(
        linked_run: Path, jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    files, _ = collect_files([linked_run])
    named = [files[4]]  # named on its own: its links outside the run are not judged
    options = Options()
    library = load_library(())
    held_before: list[int] = []
    held_while: list[int] = []
    linked: list[str] = []

    def watched(results: Iterable[FileResult], *args: Any, **kwargs: Any) -> None:
        held_before.append(len(_files_held(linked_run)))
        spool = kwargs["on_linked"]

        def on_linked(result: FileResult) -> None:
            linked.append(result.document.path)
            held_while.append(len(_files_held(linked_run)))
            spool(result)

        link_files(results, *args, **{**kwargs, "on_linked": on_linked})

    monkeypatch.setattr(workers, "link_files", watched)
    spool = workers.check_run(files, options, library, named=named, jobs=jobs)
    try:
        streamed = list(spool.sorted_findings())
        totals = spool.totals
    finally:
        spool.close()
    assert held_before == [0]  # every result waits on disk, none in a list
    assert linked == [str(p) for p in files]  # each read back once, in the order of the run
    assert max(held_while) == 1  # the one whose links are being checked
    # and the report is the one of a run that holds every result in memory
    results = validate_files(files, options, library, named=named)
    assert streamed == sorted((f for r in results for f in r.findings), key=sort_key)
    assert totals.files == len(files)
    for code in ("RF306", "RF307", "AK001", "LD002"):
        assert any(f.code == code for f in streamed), code


def test_the_link_index_holds_equal_products_once() -> None:
    text = (PROTOCOLS / "mn-msc-bda.yaml").read_text(encoding="utf-8")
    index = LinkIndex()
    for number in range(3):
        copy = re.sub(r"^id: *(\S+)", rf"id: \1-{number}", text, count=1, flags=re.MULTILINE)
        result = validate_text(copy, f"copy-{number}.yaml")
        index.add(slim(result), complete=number != 1)
    first, second, third = index.protocols.values()
    assert first.id != second.id
    assert first.products == _linked_products(text)
    assert second.products is first.products is third.products
    assert second.series is first.series
    assert index.complete == {"copy-0.yaml", "copy-2.yaml"}
    assert index.declared_in == {p.id: [f"copy-{n}.yaml"]
                                 for n, p in enumerate(index.protocols.values())}


def _linked_products(text: str) -> object:
    result = validate_text(text, "original.yaml")
    found = LinkIndex()
    found.add(result)
    (protocol,) = found.protocols.values()
    return protocol.products


def test_result_spool_reads_back_each_result_in_order() -> None:
    waiting = ResultSpool()
    try:
        for name in ("a.yaml", "b.yaml"):
            waiting.add(slim(validate_text("id: [unclosed\n", name)))
        assert [r.document.path for r in waiting] == ["a.yaml", "b.yaml"]
        waiting.add(slim(validate_text("id: x\n", "c.yaml")))
        assert len(waiting) == 3
        assert [r.document.path for r in waiting] == ["a.yaml", "b.yaml", "c.yaml"]
        assert all(r.slim and not r.findings for r in waiting)
        # A reading stopped after the first result leaves the spool there; the next result
        # still goes after the last.
        partly = iter(waiting)
        assert next(partly).document.path == "a.yaml"
        waiting.add(slim(validate_text("id: y\n", "d.yaml")))
        assert [r.document.path for r in waiting] == ["a.yaml", "b.yaml", "c.yaml", "d.yaml"]
    finally:
        waiting.close()


def test_a_shipped_result_is_spooled_as_the_result_itself() -> None:
    """A worker ships a file's slim result pickled with what the index reads of it
    (``Shipped``); the spool writes those bytes as they came, and the pass across files reads
    back the same result as from a result spooled in the parent, in the order added."""
    text = (PROTOCOLS / "mn-msc-bda.yaml").read_text(encoding="utf-8")
    thin = slim(validate_text(text, "a.yaml"))
    thin.findings = []
    shipped = Shipped.of(thin)
    assert shipped.path == "a.yaml"
    assert shipped.linked is not None
    assert shipped.linked == thin.linked
    waiting = ResultSpool()
    try:
        waiting.add(shipped)
        waiting.add(slim(validate_text("id: x\n", "b.yaml")))
        waiting.add(shipped)
        first, second, third = waiting
        assert [r.document.path for r in (first, second, third)] == ["a.yaml", "b.yaml",
                                                                    "a.yaml"]
        for back in (first, third):
            assert back.slim
            assert back.findings == []
            assert back.linked == thin.linked
            assert [(v.name, v.protocol) for v in back.variants] == [
                (v.name, v.protocol) for v in thin.variants]
            assert back.document.positions == thin.document.positions
    finally:
        waiting.close()


def test_a_tally_keeps_what_the_report_prints_and_counts_the_rest() -> None:
    """What a worker sends a report written as the run goes (``Tally``): the findings the
    report prints, in the order made, and the counts the summary and exit code read.

    Of the five findings below, by hand: failing are two errors, one warning and one note
    (an acknowledged finding never fails), one acknowledged. ``--show warning`` prints the
    errors, the warning and the acknowledged note; ``-q`` (fail-on error) the two errors;
    JSON lines everything."""
    import io

    from benchsheet.reporters import JsonLinesReport, TextReport
    from benchsheet.streaming import Tally

    made = [_finding("a.yaml", 3), _finding("a.yaml", 1, severity=Severity.INFO),
            _finding("a.yaml", 2, severity=Severity.WARNING),
            _finding("a.yaml", 4, severity=Severity.INFO, acknowledged="known"),
            _finding("a.yaml", 5, code="ST102")]
    expected = {"show warning": [0, 2, 3, 4], "quiet": [0, 4], "json lines": [0, 1, 2, 3, 4]}
    reports = {"show warning": TextReport(io.StringIO(), Severity.ERROR, Severity.WARNING),
               "quiet": TextReport(io.StringIO(), Severity.ERROR, Severity.WARNING,
                                   quiet=True),
               "json lines": JsonLinesReport(io.StringIO(), Severity.ERROR)}
    for name, report in reports.items():
        keep = report.shown()
        tally = Tally.of(made, keep if keep is not None else lambda f: True)
        assert tally.shown == [made[i] for i in expected[name]], name
        assert tally.totals.failing == {Severity.ERROR: 2, Severity.WARNING: 1,
                                        Severity.INFO: 1}
        assert tally.totals.acknowledged == 1
        assert tally.totals.files == 0
        # The report prints from a tally what it prints from all the findings.
        whole, kept = io.StringIO(), io.StringIO()
        report.out = whole
        report.findings(made)
        report.out = kept
        report.findings(tally.shown)
        assert kept.getvalue() == whole.getvalue()
