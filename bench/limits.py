"""How fast each size limit refuses a file just over it, against validating a real protocol.

    python bench/limits.py [--repeat 5]

For every limit of ``benchsheet.limits`` the inputs of ``tests/test_limits.py`` are used: a
file just under the limit (read and checked as usual) and one just over (refused with the
limit's code), plus the worst case the limit exists for (a 5 MB file of one-character items,
a matrix of 10^20 variants, a 1000-level nested list). Each is validated in this process,
warm, ``--repeat`` times; the median time is printed in seconds and as a ratio to validating
the ``benchsheet init`` example, with the peak of memory allocated while refusing
(tracemalloc). Numbers are for reading, not for asserting: tests never time anything.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import test_limits as cases  # noqa: E402 - the inputs the tests check, put on the path above
from benchsheet.limits import DEFAULT_LIMITS  # noqa: E402
from benchsheet.validate import FileResult, Options, validate_text  # noqa: E402


def as_text(data: dict[str, Any] | str) -> str:
    return data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False,
                                                             width=10**6)


def measure(text: str, repeat: int) -> tuple[float, float, FileResult]:
    """Median seconds of validating ``text``, the peak MB allocated, and the last result."""
    times = []
    result = validate_text(text, "p.yaml", Options())
    for _ in range(repeat):
        start = time.perf_counter()
        result = validate_text(text, "p.yaml", Options())
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    validate_text(text, "p.yaml", Options())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 1e6, result


def inputs() -> list[tuple[str, Callable[[], dict[str, Any] | str]]]:
    d = DEFAULT_LIMITS
    big_rows = "- [" + "1, " * 999 + "1]\n"
    return [
        ("nodes, just under", lambda: cases.padded_to(d.nodes)),
        ("nodes, just over", lambda: cases.padded_to(d.nodes + 1)),
        ("nodes, 1.6 million in 4.8 MB", lambda: cases.BASE + "notes:\n" + big_rows * 1600),
        ("depth, just under", lambda: cases.nested(d.depth)),
        ("depth, just over", lambda: cases.nested(d.depth + 1)),
        # written as text: PyYAML's dumper itself recurses too deep for 1000 levels
        ("depth, 1000 levels", lambda: cases.BASE + "tables:\n  t: " + "[" * 998 + "1"
         + "]" * 998 + "\n"),
        ("list-items, just under", lambda: {**cases.BASE_DATA, "assumptions": [
            f"a{i}" for i in range(d.list_items)]}),
        ("list-items, just over", lambda: {**cases.BASE_DATA, "assumptions": [
            f"a{i}" for i in range(d.list_items + 1)]}),
        ("mapping-keys, just under", lambda: cases.with_tables(
            t={f"k{i}": i for i in range(d.mapping_keys)})),
        ("mapping-keys, just over", lambda: cases.with_tables(
            t={f"k{i}": i for i in range(d.mapping_keys + 1)})),
        ("repeat-cycles, just under", lambda: cases.repeated(d.repeat_cycles)),
        ("repeat-cycles, just over", lambda: cases.repeated(d.repeat_cycles + 1)),
        ("variants, just under", lambda: cases.matrix_of(d.variants - 1)),
        ("variants, just over", lambda: cases.matrix_of(d.variants)),
        ("expression-chars, just over", lambda: cases.with_expression(
            "x+0." + "0" * (d.expression_chars - 5) + "10")),
        ("expression-nodes, just over", lambda: cases.with_expression("-x" + "+1" * 100)),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    base, _, _ = measure(cases.BASE, args.repeat)
    print(f"baseline: the benchsheet init example validates in {base * 1e3:.1f} ms\n")
    print(f"{'input':34} {'time':>10} {'× baseline':>11} {'peak MB':>8}  outcome")
    for name, make in inputs():
        seconds, peak, result = measure(as_text(make()), args.repeat)
        codes = sorted({f.code for f in result.findings if f.code in cases.LIMIT_CODES})
        outcome = "refused " + ",".join(codes) if codes else "read and checked"
        print(f"{name:34} {seconds * 1e3:8.1f} ms {seconds / base:10.1f}× {peak:8.1f}  "
              f"{outcome}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
