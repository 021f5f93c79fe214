"""Warm lookup times in the embedded reagent database, as ratios against a dict lookup.

    python bench/reagent_lookup.py [--number N]

Each lookup runs once untimed (the file is opened and SQLite's page cache is warm, as in a
validate run that has already resolved one reagent), then N times, repeated five times; the best
repeat's time per call is reported beside a plain dict lookup in this process, so the ratio says
something on any machine. Issue 11 asks for name, CAS and formula lookups under 1 ms warm. This
script prints; no test asserts a time.
"""

from __future__ import annotations

import argparse
import timeit
from collections.abc import Callable

from benchsheet.reagents.database import database

LOOKUPS: dict[str, Callable[[], object]] = {
    "by_name('ethanol')": lambda: database().by_name("ethanol"),
    "by_name('DMSO') (synonym)": lambda: database().by_name("DMSO"),
    "by_cas('64-17-5')": lambda: database().by_cas("64-17-5"),
    "by_formula('C2H6O')": lambda: database().by_formula("C2H6O"),
    "by_formula('CH3CH2OH')": lambda: database().by_formula("CH3CH2OH"),
    "by_inchikey(ethanol)": lambda: database().by_inchikey("LFQSCWFLJHTTHZ-UHFFFAOYSA-N"),
    "search('styrene', 10)": lambda: database().search("styrene", 10),
    "search('64-17-5', 10)": lambda: database().search("64-17-5", 10),
}


def best_per_call(function: Callable[[], object], number: int) -> float:
    """Seconds per call, best of five repeats of `number` calls."""
    function()  # warm: open the file, fill the page and formula caches
    return min(timeit.repeat(function, number=number, repeat=5)) / number


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--number", type=int, default=2000, help="calls per repeat")
    number = parser.parse_args().number
    table = {f"{i}-17-5": i for i in range(70_000)}  # a dict the size of the database
    baseline = best_per_call(lambda: table.get("64-17-5"), number * 50)
    print(f"baseline dict.get: {baseline * 1e9:.0f} ns per call")
    print(f"{'lookup':30} {'µs/call':>9} {'× dict':>9}  under 1 ms")
    for label, lookup in LOOKUPS.items():
        seconds = best_per_call(lookup, number)
        print(f"{label:30} {seconds * 1e6:9.1f} {seconds / baseline:9.0f}  "
              f"{'yes' if seconds < 1e-3 else 'NO'}")


if __name__ == "__main__":
    main()
