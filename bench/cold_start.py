"""Cold start of ``benchsheet validate protocols/`` beside ``check-jsonschema`` on the same files.

Each leg is a fresh process, run N times after one untimed warm-up (so the OS file cache and
the bytecode caches are warm, as on a CI runner's second step); the median is reported.
Then ``python -X importtime`` shows which imports ``benchsheet validate`` spends its start on.

check-jsonschema needs click>=8.5, which kadi-apy (the eln-check extra) refuses, so it lives in
its own virtual environment:

    python -m venv /tmp/cj-venv && /tmp/cj-venv/bin/pip install check-jsonschema
    CHECK_JSONSCHEMA=/tmp/cj-venv/bin/check-jsonschema python bench/cold_start.py

Without CHECK_JSONSCHEMA the script looks for a working ``check-jsonschema`` on PATH, and skips
that leg with a message if there is none.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "protocol.schema.json"
PROTOCOLS = ROOT / "protocols"


def benchsheet_command() -> list[str]:
    """The installed console script beside this interpreter, else ``python -m benchsheet``."""
    script = Path(sys.executable).with_name("benchsheet")
    return [str(script)] if script.exists() else [sys.executable, "-m", "benchsheet"]


def find_check_jsonschema() -> tuple[str | None, str]:
    """A check-jsonschema that runs, and where it came from (or why there is none)."""
    candidates: list[tuple[str, str]] = []
    if env := os.environ.get("CHECK_JSONSCHEMA"):
        candidates.append((env, "$CHECK_JSONSCHEMA"))
    if found := shutil.which("check-jsonschema"):
        candidates.append((found, "PATH"))
    reasons = []
    for path, origin in candidates:
        try:
            done = subprocess.run([path, "--version"], capture_output=True, text=True,
                                  check=False, timeout=60)
        except OSError as exc:
            reasons.append(f"{path} ({origin}): {exc}")
            continue
        if done.returncode == 0:
            return path, f"{path} ({origin}, {done.stdout.strip()})"
        last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        reasons.append(f"{path} ({origin}) does not run: {last}")
    if not candidates:
        reasons.append("not on PATH and CHECK_JSONSCHEMA is not set")
    return None, "; ".join(reasons)


def time_runs(argv: list[str], repetitions: int, ok_codes: tuple[int, ...]) -> list[float]:
    """Wall-clock seconds of each run, after one untimed warm-up."""
    times: list[float] = []
    for attempt in range(repetitions + 1):
        start = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=ROOT)
        elapsed = time.perf_counter() - start
        if done.returncode not in ok_codes:
            raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr}")
        if attempt:
            times.append(elapsed)
    return times


def import_times(argv: list[str]) -> list[tuple[int, int, int, str]]:
    """(cumulative µs, self µs, depth, module) of every import of one run, slowest first."""
    done = subprocess.run([sys.executable, "-X", "importtime", *argv], capture_output=True,
                          text=True, check=False, cwd=ROOT)
    rows: list[tuple[int, int, int, str]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line.removeprefix("import time:").split("|", 2)
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
        rows.append((int(cumulative_us), int(self_us), depth, name.strip()))
    return sorted(rows, reverse=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--repetitions", type=int, default=10)
    parser.add_argument("--top", type=int, default=10, help="imports to list")
    args = parser.parse_args()
    files = sorted(str(p.relative_to(ROOT)) for p in PROTOCOLS.glob("*.yaml"))
    print(f"{len(files)} protocol file(s); N = {args.repetitions}, median of fresh processes\n")

    bench = [*benchsheet_command(), "validate", "protocols/"]
    # 1: the protocols have findings; both 0 and 1 are a completed run, 2 is not.
    bench_times = time_runs(bench, args.repetitions, (0, 1))
    bench_median = statistics.median(bench_times)
    print(f"benchsheet validate protocols/        median {bench_median * 1000:7.1f} ms "
          f"(min {min(bench_times) * 1000:.1f}, max {max(bench_times) * 1000:.1f})")

    checker, origin = find_check_jsonschema()
    if checker is None:
        print(f"check-jsonschema                      skipped: {origin}")
    else:
        cj = [checker, "--schemafile", str(SCHEMA.relative_to(ROOT)), *files]
        cj_times = time_runs(cj, args.repetitions, (0, 1))
        cj_median = statistics.median(cj_times)
        print(f"check-jsonschema --schemafile ...     median {cj_median * 1000:7.1f} ms "
              f"(min {min(cj_times) * 1000:.1f}, max {max(cj_times) * 1000:.1f})")
        print(f"  using {origin}")
        print(f"ratio benchsheet / check-jsonschema   {bench_median / cj_median:.2f}")

    rows = import_times(["-m", "benchsheet", "validate", "protocols/"])
    # Depth 0 are the imports the process itself asked for (each includes what it pulls in);
    # together they are the run's whole import time.
    outer = [r for r in rows if r[2] == 0]
    total = sum(r[0] for r in outer)
    print(f"\npython -X importtime -m benchsheet validate protocols/: {total / 1000:.0f} ms of "
          f"imports; top {args.top} outermost imports")
    print(f"{'cumulative ms':>14} {'self ms':>8}  module")
    for cumulative, own, _, name in outer[: args.top]:
        print(f"{cumulative / 1000:14.1f} {own / 1000:8.1f}  {name}")
    print(f"\ntop {args.top} by own (self) time, at any depth")
    for cumulative, own, depth, name in sorted(rows, key=lambda r: -r[1])[: args.top]:
        print(f"{cumulative / 1000:14.1f} {own / 1000:8.1f}  {name} (depth {depth})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
