"""The long fuzz run of issue 12: seeded cases through validate, render, export and import.

    python tools/fuzz.py --cases 100000 --seed 1
    python tools/fuzz.py --cases 5000 --seed 7 --timeout 2 --memory 200 --save fuzz-out/
    python tools/fuzz.py --replay 7:1234          # one case again, with its YAML printed

Case ``i`` of seed ``S`` is drawn from ``random.Random(f"{S}:{i}")`` alone, so any case can be
replayed without the others. The summary gives the cases, cases per second, the slowest case,
the largest growth of peak memory, the documented refusals per stage, and each failure class
(exception type and innermost benchsheet frame; a hang; memory past the ceiling) with its
count and the smallest case that shows it. Exit 1 when a failure class is not in the known
table of tests/test_fuzz.py (``--strict``: any failure), else 0. The machinery is
``tests/fuzzing.py``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import fuzzing  # noqa: E402 - tests/ is put on the path just above

# An address-space limit turns a runaway allocation into a MemoryError (a failure of its case)
# instead of the kernel's OOM killer ending the whole run: the ceiling plus this much room for
# the interpreter and its libraries, which map far more address space than they touch.
ADDRESS_SPACE_HEADROOM_MB = 4096


def case_for(seed: str, index: int) -> fuzzing.Case:
    return fuzzing.build_case(fuzzing.random_spec(random.Random(f"{seed}:{index}")))


def _known() -> dict[str, str]:
    try:
        from test_fuzz import KNOWN
    except ImportError:  # pytest is not installed: nothing is known
        return {}
    return dict(KNOWN)


def _limit_address_space(memory_mb: float) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = int((memory_mb + ADDRESS_SPACE_HEADROOM_MB) * 1024 * 1024)
    if hard == resource.RLIM_INFINITY or limit < hard:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", default="0")
    parser.add_argument("--start", type=int, default=0, help="first case index (default 0)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per case")
    parser.add_argument("--memory", type=float, default=500.0,
                        help="MB a case may grow the peak memory by")
    parser.add_argument("--slow", type=float, default=2.0,
                        help="report cases slower than this many seconds (not failures)")
    parser.add_argument("--save", type=Path, metavar="DIR",
                        help="write the YAML of the smallest case of each class here")
    parser.add_argument("--json", type=Path, metavar="FILE", help="the summary as JSON")
    parser.add_argument("--replay", metavar="SEED:INDEX", help="run one case, print its YAML")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 on any failure, known classes included")
    args = parser.parse_args(argv)

    _limit_address_space(args.memory)
    if args.replay:
        seed, _, index = args.replay.rpartition(":")
        case = case_for(seed, int(index))
        print(case.describe())
        print(case.raw.decode("utf-8", "backslashreplace"))
        outcome = fuzzing.run_case(case, timeout=args.timeout, memory_mb=args.memory)
        print(f"{outcome.seconds:.2f} s; refusals: {outcome.refusals}")
        if outcome.failure:
            f = outcome.failure
            print(f.trace)
            print(f"FAILURE [{f.stage}] {f.signature}\n  {f.frame}\n  {f.message}")
            return 1
        return 0

    known = _known()
    classes: dict[str, list[tuple[int, fuzzing.Outcome]]] = {}
    refusals: Counter[str] = Counter()
    slow: list[tuple[float, int, str]] = []
    slowest = (0.0, -1, "")
    peak_growth = (0.0, -1)
    modelled = 0
    started = time.perf_counter()
    for index in range(args.start, args.start + args.cases):
        case = case_for(args.seed, index)
        outcome = fuzzing.run_case(case, timeout=args.timeout, memory_mb=args.memory)
        refusals.update(outcome.refusals)
        modelled += outcome.modelled > 0
        if outcome.seconds > slowest[0]:
            slowest = (outcome.seconds, index, case.describe())
        if outcome.peak_growth_mb > peak_growth[0]:
            peak_growth = (outcome.peak_growth_mb, index)
        if outcome.seconds > args.slow:
            slow.append((outcome.seconds, index, case.describe()))
        if outcome.failure is not None:
            signature = outcome.failure.signature
            if signature not in classes:  # said at once: a long run need not end to be acted on
                print(f"  new failure class at case {index}: {signature}: "
                      f"{outcome.failure.message} ({case.describe()})", file=sys.stderr,
                      flush=True)
            classes.setdefault(signature, []).append((index, outcome))
        done = index - args.start + 1
        if done % 500 == 0:
            rate = done / (time.perf_counter() - started)
            print(f"  {done} cases, {rate:.1f}/s, {len(classes)} failure classes",
                  file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - started

    print(f"seed {args.seed}: {args.cases} cases in {elapsed:.1f} s "
          f"({args.cases / elapsed:.1f} cases/s)")
    print(f"cases that modelled (reached render and export): {modelled}")
    print(f"slowest: case {slowest[1]} {slowest[0]:.2f} s: {slowest[2][:300]}")
    print(f"largest growth of peak memory: {peak_growth[0]:.0f} MB (case {peak_growth[1]})")
    print(f"cases over {args.slow:g} s: {len(slow)}")
    for seconds, index, what in sorted(slow, reverse=True)[:10]:
        print(f"  {seconds:.2f} s case {index}: {what[:200]}")
    print("refusals (documented errors): " + (", ".join(
        f"{name} x{count}" for name, count in refusals.most_common()) or "none"))
    failures = sum(len(v) for v in classes.values())
    print(f"failures: {failures} in {len(classes)} classes")
    summary = []
    for signature, hits in sorted(classes.items(), key=lambda kv: -len(kv[1])):
        index, outcome = min(hits, key=lambda hit: (len(hit[1].case.steps),
                                                     len(hit[1].case.raw)))
        f = outcome.failure
        assert f is not None
        tag = "known" if signature in known else "NEW"
        stages = sorted({hit[1].failure.stage for hit in hits if hit[1].failure})
        print(f"\n[{tag}] {signature}  x{len(hits)}  stages: {', '.join(stages)}")
        print(f"  frame: {f.frame}\n  message: {f.message}")
        print(f"  smallest: --replay {args.seed}:{index}  {outcome.case.describe()[:400]}")
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            slug = "".join(c if c.isalnum() else "-" for c in signature)[:120]
            (args.save / f"{slug}.yaml").write_bytes(outcome.case.raw)
        summary.append({"class": signature, "known": signature in known, "count": len(hits),
                        "stages": stages, "frame": f.frame, "message": f.message,
                        "replay": f"{args.seed}:{index}", "mutations": outcome.case.steps})
    if args.json:
        args.json.write_text(json.dumps({
            "seed": args.seed, "cases": args.cases, "seconds": elapsed, "modelled": modelled,
            "slowest": {"case": slowest[1], "seconds": slowest[0]},
            "peak_growth_mb": peak_growth[0], "slow_cases": len(slow),
            "refusals": dict(refusals), "failures": summary}, indent=1), encoding="utf-8")
    unknown = [s for s in classes if s not in known]
    return 1 if unknown or (args.strict and classes) else 0


if __name__ == "__main__":
    sys.exit(main())
