"""Cold start of ``benchsheet validate protocols/`` at this checkout against an earlier commit.

    python bench/cold_start_against.py 86ec559 [--runs 15]

The earlier commit is checked out into a temporary git worktree and run from its own
``src`` (PYTHONPATH) with this interpreter and its installed dependencies, so the two legs
differ only in benchsheet's code (the bundled protocols are the checkout's own, validated by
each leg). Each leg is a fresh process, timed ``--runs`` times after one untimed warm-up, in
alternation so that drift of the machine falls on both; the medians and their ratio are
printed. Only a measurement to read: no test asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(src: Path, protocols: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(src), "NO_COLOR": "1"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "benchsheet", "validate", "-q", str(protocols)],
                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commit", help="the earlier commit to compare with")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="benchsheet-bench-") as tmp:
        old = Path(tmp) / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(old),
                        args.commit], check=True)
        try:
            protocols = ROOT / "protocols"
            legs = {"this checkout": ROOT / "src", args.commit: old / "src"}
            times: dict[str, list[float]] = {name: [] for name in legs}
            for src in legs.values():
                timed(src, protocols)  # warm the file and bytecode caches
            for _ in range(args.runs):
                for name, src in legs.items():
                    times[name].append(timed(src, protocols))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                           check=False)
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, median in medians.items():
        print(f"{name:>16}: median {median * 1e3:7.1f} ms over {args.runs} runs")
    ratio = medians["this checkout"] / medians[args.commit]
    print(f"ratio this checkout / {args.commit}: {ratio:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
