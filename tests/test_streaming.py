"""The findings spool of a streamed run: read back in the order one sorted list gives, with
the same counts, whatever the files were added in."""

from __future__ import annotations

from benchsheet.findings import Finding, Severity, sort_key
from benchsheet.streaming import FindingSpool


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
