"""How validation scales: files, steps, materials and variants, against an earlier commit.

    python bench/scale.py --against 58b0a96 [--files 10,100,1000,10000] [--jobs N]

Prints, in one run, for this checkout and (with ``--against``) an earlier commit checked out
into a temporary git worktree and run from its ``src`` with this interpreter:

- bulk: ``benchsheet validate`` of N copies of the bundled protocols (each with its own id, in
  folders of 100): files/s, variants/s, wall time and the peak memory of the process tree,
  beside PyYAML's C loader parsing the same files and check-jsonschema's schema-only run
  over them (skipped with a reason when it is not installed; see ``bench/cold_start.py``);
- grown: one generated protocol (``bench/scale_corpus.py``) of 10 to 10,000 steps, materials,
  both, and 1 to 1,000 variants, validated in a warm process (imports not counted) again
  until a sample of ``GROWN_SAMPLE_SECONDS`` is spent, with the ratio of each size's time of
  one validation to the previous size's; the least of ``--grown-repeat`` processes, the
  sizes taking turns;
- build: ``benchsheet build protocols/``: sheets per second; and of N copies of the library,
  with the peak memory (which a build that holds a batch at a time keeps flat);
- cold start: ``benchsheet validate protocols/``, median of fresh processes.

With an earlier commit, the protocols both legs read are that commit's (its ``protocols/``):
the library may have grown features since, which the earlier code would refuse.

Legs of the two checkouts alternate, so the drift of a shared machine falls on both. Memory
is the largest sum of the resident sets of the process and its children, sampled from /proc
every 10 ms, and the largest single process (getrusage of the children, exact). Numbers are
for reading, not asserting: no test times anything.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cold_start import find_check_jsonschema
from scale_corpus import copy_library, grown_protocol

ROOT = Path(__file__).resolve().parent.parent
# A grown file is far past the default limits; the bench raises them, as a lab would.
GROWN_LIMITS = {"file-size-mb": 100, "nodes": 10**8, "list-items": 10**6,
                "mapping-keys": 10**6, "variants": 10**5, "expanded-nodes": 10**10}


_WRAPPER_KB = 0


@dataclass
class Run:
    seconds: float
    tree_mb: float  # the largest sum over the process tree, sampled
    single_mb: float  # the largest single process (getrusage)
    code: int
    out: str
    cpu: float = 0.0  # user + system seconds of every process of the run


def _wrapper_kb() -> int:
    """Resident kB of the wrapper process of ``run`` alone (an interpreter that has imported
    subprocess), taken off the tree's sum."""
    probe = subprocess.Popen([sys.executable, "-c", "import resource, subprocess, sys; "
                              "sys.stdin.read()"], stdin=subprocess.PIPE)
    time.sleep(0.3)
    kb = _tree_rss_kb(probe.pid)
    probe.communicate(b"")
    return kb


def _tree_rss_kb(root: int) -> int:
    """Resident kB of ``root`` and every process below it, found through each task's
    ``children`` file (a walk of the tree alone, not of all of /proc: the sampler runs every
    10 ms beside the run it measures, on the same cores)."""
    page_kb = os.sysconf("SC_PAGESIZE") // 1024
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        proc = Path(f"/proc/{pid}")
        try:
            total += int((proc / "statm").read_bytes().split()[1]) * page_kb
            for task in (proc / "task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_bytes().split())
        except (OSError, ValueError):  # the process ended between two reads
            continue
    return total


# Runs the command and says the largest resident set among its processes (kB, exact): the
# measure of one process's peak that the kernel keeps, beside the sampled sum of the tree.
# The wall time is the command's own, taken here: the wrapper's start is not the tool's.
_MAXRSS = ("import resource, subprocess, sys, time\n"
           "start = time.perf_counter()\n"
           "code = subprocess.call(sys.argv[1:], stderr=subprocess.DEVNULL)\n"
           "wall = time.perf_counter() - start\n"
           "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
           "print(use.ru_maxrss, use.ru_utime + use.ru_stime, wall, file=sys.stderr)\n"
           "sys.exit(code)\n")


def run(argv: list[str], env: dict[str, str] | None = None) -> Run:
    """``argv`` timed, its output kept, its memory sampled."""
    process = subprocess.Popen([sys.executable, "-c", _MAXRSS, *argv], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=ROOT)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            stop.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    stop.set()
    sampler.join()
    single, cpu, wall = err.strip().splitlines()[-1].split()
    seconds = float(wall)
    # The tree's sum leaves out the small wrapper that measures the largest process.
    return Run(seconds, (peak - _WRAPPER_KB) / 1024, int(single) / 1024, process.returncode,
               out, float(cpu))


@contextmanager
def checkout(commit: str | None, src: str | None) -> Iterator[Path | None]:
    """The ``src`` folder of the earlier code: given, or a worktree of ``commit``."""
    if src:
        yield Path(src)
        return
    if commit is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="benchsheet-scale-") as tmp:
        old = Path(tmp) / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(old),
                        commit], check=True)
        try:
            yield old / "src"
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                           check=False)


def legs(old_src: Path | None, label: str, pycache: Path) -> dict[str, dict[str, str]]:
    """Environment per checkout: the old one's ``src`` first on the path.

    Python keeps compiled modules as an installed tool's are kept (``pycache``, each leg its
    own folder), also where the shell says not to write them (PYTHONDONTWRITEBYTECODE): a
    CI runner compiles benchsheet once, and recompiling it in every process would time the
    compiler, not the tool."""
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    here = {**base, "NO_COLOR": "1", "PYTHONPATH": str(ROOT / "src"),
            "PYTHONPYCACHEPREFIX": str(pycache / "after")}
    found = {"after": here}
    if old_src is not None:
        found[f"before ({label})"] = {**here, "PYTHONPATH": str(old_src),
                                      "PYTHONPYCACHEPREFIX": str(pycache / "before")}
    return found


def warm(envs: dict[str, dict[str, str]], protocols: Path) -> None:
    """One untimed ``validate`` of the bundled protocols per leg, which compiles its modules
    into the leg's fresh pycache folder: else the first timed process (the 10-file bulk row)
    times the compiler (measured: 0.98 s after and 1.14 s before without this, 0.31 and
    0.42 s with it)."""
    for env in envs.values():
        subprocess.run([sys.executable, "-m", "benchsheet", "validate", "-q", str(protocols)],
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)


def _rate(count: float, seconds: float) -> str:
    return f"{count / seconds:9.1f}" if seconds > 0 else "        -"


PARSE = """import sys, time, yaml
from pathlib import Path
files = sorted(Path(sys.argv[1]).rglob("*.yaml"))
start = time.perf_counter()
for path in files:
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
print(time.perf_counter() - start)
"""


def bulk(sizes: list[int], envs: dict[str, dict[str, str]], jobs: int | None,
         work: Path, protocols: Path) -> None:
    checker, origin = find_check_jsonschema()
    print("\n== bulk: benchsheet validate DIR -q over copies of the bundled protocols ==")
    print(f"check-jsonschema: {origin if checker else 'skipped: ' + origin}")
    print(f"{'files':>6} {'leg':24} {'seconds':>8} {'CPU s':>7} {'files/s':>9} "
          f"{'variants/s':>10} {'tree MB':>8} {'max proc MB':>11} {'exit':>4}  "
          "× C-YAML parse  × check-jsonschema")
    variants_per_file = _variants_per_file(protocols)
    for size in sizes:
        folder = work / f"copies-{size}"
        if not folder.exists():
            copy_library(folder, size, protocols)
        files = sorted(folder.rglob("*.yaml"))
        parse = run([sys.executable, "-c", PARSE, str(folder)])
        parse_wall = parse.seconds
        cj = None
        if checker:
            schema = protocols.parent / "schemas" / "protocol.schema.json"
            cj = run([checker, "--schemafile", str(schema), *map(str, files)])
        variants = sum(variants_per_file[_original(p)] for p in files)
        for name, env in envs.items():
            argv = [sys.executable, "-m", "benchsheet", "validate", "-q", str(folder)]
            if jobs is not None and name == "after":
                argv += ["--jobs", str(jobs)]
            result = run(argv, env)
            print(f"{size:6d} {name:24} {result.seconds:8.2f} {result.cpu:7.2f} "
                  f"{_rate(size, result.seconds)} "
                  f"{_rate(variants, result.seconds):>10} {result.tree_mb:8.0f} "
                  f"{result.single_mb:11.0f} {result.code:4d}  "
                  f"{result.seconds / parse_wall:13.1f}  "
                  + (f"{result.seconds / cj.seconds:16.1f}" if cj else "               -"))
        print(f"{size:6d} {'C-YAML parse (process)':24} {parse_wall:8.2f} {parse.cpu:7.2f} "
              f"{_rate(size, parse_wall)}   (parse alone: {float(parse.out):.2f} s)")
        if cj:
            print(f"{size:6d} {'check-jsonschema':24} {cj.seconds:8.2f} {cj.cpu:7.2f} "
                  f"{_rate(size, cj.seconds)}")


def _original(path: Path) -> str:
    return path.name.split("-", 1)[1]


def _variants_per_file(protocols: Path) -> dict[str, int]:
    """Concrete variants of each bundled protocol (for variants/s)."""
    code = ("import json, sys\nfrom pathlib import Path\n"
            "from benchsheet.validate import validate_file\n"
            "print(json.dumps({p.name: len(validate_file(p).variants) "
            "for p in sorted(Path(sys.argv[1]).glob('*.yaml'))}))")
    done = subprocess.run([sys.executable, "-c", code, str(protocols)],
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    counts: dict[str, int] = json.loads(done.stdout)
    return counts


GROWN = """import json, sys, time
from pathlib import Path
from benchsheet.limits import DEFAULT_LIMITS, parse_limit
from benchsheet.validate import Options, validate_file
from dataclasses import replace
import benchsheet.cli
limits = DEFAULT_LIMITS
for key, value in json.loads(sys.argv[1]).items():
    attribute, number = parse_limit(key, value)
    limits = replace(limits, **{attribute: number})
options = Options(limits=limits)
validate_file(Path(sys.argv[2]), options)  # warm: imports, the reagent library
# What the command line does before it starts (a checkout without it collects as Python does).
getattr(benchsheet.cli, "_tune_garbage_collector", lambda: None)()
# As timeit's autorange: the file again until the process has spent GROWN_SAMPLE_SECONDS
# on it, and the time of one. A sample of a small file is then as long as one of a large
# file, and a short burst of a busy machine cannot fall on a whole sample of one size alone.
runs, spent = 0, 0.0
while not runs or spent < float(sys.argv[4]):
    start = time.process_time()
    result = validate_file(Path(sys.argv[3]), options)
    spent += time.process_time() - start
    runs += 1
print(json.dumps([spent / runs, len(result.variants),
                  sorted({f.code for f in result.findings if f.severity >= 30}), runs]))
"""
#: The least CPU time of one grown sample (see GROWN).
GROWN_SAMPLE_SECONDS = 0.3


def grown(sizes: list[int], envs: dict[str, dict[str, str]], work: Path,
          most_seconds: float, repeat: int = 3) -> None:
    print("\n== grown: one file, validated in a warm process (CPU seconds of one validation, "
          f"in a sample of at least {GROWN_SAMPLE_SECONDS:g} s of the process's CPU, "
          f"so that other work on the machine does not count; after: the least of {repeat} "
          "processes, the sizes taking turns; before: one; × = over the previous size; a "
          "size is skipped when the "
          "time before it, grown as much again as it last grew (at least ×10), would pass "
          f"{most_seconds:g} s) ==")
    series = {
        "steps": lambda n: grown_protocol(n, 10, 1, per_flask=10**6),
        "materials": lambda n: grown_protocol(10, n, 1, per_flask=10**6),
        "steps+materials, one flask": lambda n: grown_protocol(n, n, 1, per_flask=10**6),
        "steps+materials, 20 a flask": lambda n: grown_protocol(n, n, 1, per_flask=20),
        "variants": lambda n: grown_protocol(20, 20, n, per_flask=10**6),
    }
    warm = work / "grown-warm.yaml"
    warm.write_text(grown_protocol(10, 10, 1), encoding="utf-8")
    for title, make in series.items():
        counts = [1, 10, 100, 1000] if title == "variants" else sizes
        paths = []
        for n in counts:
            path = work / f"grown-{title.replace(' ', '_').replace(',', '')}-{n}.yaml"
            path.write_text(make(n), encoding="utf-8")
            paths.append(path)
        print(f"{title} ({', '.join(map(str, counts))})")
        for name, env in envs.items():
            cells, errors = _grown_leg(paths, env, warm, most_seconds,
                                       repeat if name == "after" else 1)
            print(f"  {name:24} " + "  ".join(cells)
                  + (f"  (errors: {', '.join(sorted(errors))})" if errors else ""))


def _grown_once(path: Path, env: dict[str, str], warm: Path
                ) -> tuple[float, int, list[str], int] | str:
    """One fresh process's time of one validation of ``path``, its variants, its error codes
    and the validations in the sample; or why it failed."""
    done = subprocess.run([sys.executable, "-c", GROWN, json.dumps(GROWN_LIMITS), str(warm),
                           str(path), str(GROWN_SAMPLE_SECONDS)],
                          capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        return "failed: " + " ".join(done.stderr.strip().splitlines()[-1:])
    seconds, variants, codes, runs = json.loads(done.stdout)
    return float(seconds), int(variants), list(codes), int(runs)


def _grown_leg(paths: list[Path], env: dict[str, str], warm: Path, most_seconds: float,
               repeat: int) -> tuple[list[str], set[str]]:
    """The cells of one checkout's row: each size's least time over ``repeat`` fresh
    processes, and its ratio to the size before.

    The first round goes up the sizes and stops before one whose time, guessed from the
    growth so far, would pass ``most_seconds``. The other rounds go round the sizes it kept,
    one process each in turn: a shared machine's speed drifts over minutes, and taking
    every size's processes at the same times lets the drift fall on all of them alike, as
    the bulk leg alternates the two checkouts."""
    best: list[float] = []
    errors: set[str] = set()
    cells: list[str] = []
    before: float | None = None
    growth = 10.0  # the last size's time over the one before it
    for path in paths:
        if before is not None and before * growth > most_seconds:
            cells.append(f"skipped (~{before * growth:.3g} s)")
            break
        got = _grown_once(path, env, warm)
        if isinstance(got, str):
            cells.append(got)
            break
        best.append(got[0])
        errors |= set(got[2])
        if before:
            growth = max(10.0, got[0] / before)
        before = got[0]
    for _ in range(repeat - 1):
        for index in range(len(best)):
            got = _grown_once(paths[index], env, warm)
            if isinstance(got, str):  # failed once, passed before: keep what it measured
                continue
            best[index] = min(best[index], got[0])
    shown = [f"{seconds:.3f}" + (f" ×{seconds / best[i - 1]:.1f}" if i else "")
             for i, seconds in enumerate(best)]
    return shown + cells, errors


def build(envs: dict[str, dict[str, str]], jobs: int | None, work: Path,
          repeat: int, protocols: Path) -> None:
    print(f"\n== build: benchsheet build {protocols} (median of {repeat}) ==")
    times: dict[str, list[float]] = {name: [] for name in envs}
    sheets: dict[str, int] = {}
    for _ in range(repeat):
        for name, env in envs.items():
            out = work / f"build-{len(sheets)}-{name.split()[0]}"
            argv = [sys.executable, "-m", "benchsheet", "build", str(protocols), "-o",
                    str(out), "--date", "2026-11-30"]
            if jobs is not None and name == "after":
                argv += ["--jobs", str(jobs)]
            result = run(argv, env)
            times[name].append(result.seconds)
            sheets[name] = sum(1 for p in out.rglob("*") if p.suffix in (".html", ".md"))
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:24} {median:7.2f} s  {sheets[name]} sheets  "
              f"{sheets[name] / median:6.1f} sheets/s")


def build_bulk(sizes: list[int], envs: dict[str, dict[str, str]], jobs: int | None,
               work: Path, protocols: Path) -> None:
    """``benchsheet build`` of N copies of the library: time, sheets/s and peak memory, which
    should not grow with N (a build holds a batch of files at a time)."""
    print("\n== build of copies: benchsheet build DIR (one run each) ==")
    print(f"{'files':>6} {'leg':24} {'seconds':>8} {'CPU s':>7} {'sheets/s':>9} "
          f"{'tree MB':>8} {'max proc MB':>11} {'exit':>4}")
    for size in sizes:
        folder = work / f"copies-{size}"
        if not folder.exists():
            copy_library(folder, size, protocols)
        for name, env in envs.items():
            out = work / f"built-{size}-{name.split()[0]}"
            argv = [sys.executable, "-m", "benchsheet", "build", str(folder), "-o", str(out),
                    "--date", "2026-11-30"]
            if jobs is not None and name == "after":
                argv += ["--jobs", str(jobs)]
            result = run(argv, env)
            sheets = sum(1 for p in out.glob("*.html") if p.name != "index.html")
            print(f"{size:6d} {name:24} {result.seconds:8.2f} {result.cpu:7.2f} "
                  f"{sheets / result.seconds:9.1f} {result.tree_mb:8.0f} "
                  f"{result.single_mb:11.0f} {result.code:4d}")
            shutil.rmtree(out, ignore_errors=True)


def cold_start(envs: dict[str, dict[str, str]], repeat: int, protocols: Path) -> None:
    print(f"\n== cold start: benchsheet validate -q {protocols} (median of {repeat}) ==")
    times: dict[str, list[float]] = {name: [] for name in envs}
    for env in envs.values():
        run([sys.executable, "-m", "benchsheet", "validate", "-q", str(protocols)], env)
    for _ in range(repeat):
        for name, env in envs.items():
            times[name].append(run([sys.executable, "-m", "benchsheet", "validate", "-q",
                                    str(protocols)], env).seconds)
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, median in medians.items():
        print(f"  {name:24} {median * 1000:7.1f} ms")
    if len(medians) == 2:
        after, before = medians.values()
        print(f"  ratio after / before     {after / before:7.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", metavar="COMMIT", help="the earlier commit to compare")
    parser.add_argument("--against-src", metavar="DIR", help="or its src folder, checked out")
    parser.add_argument("--files", default="10,100,1000,10000")
    parser.add_argument("--sizes", default="10,100,1000,10000",
                        help="steps and materials of the grown files")
    parser.add_argument("--jobs", type=int, help="--jobs of this checkout (default: its own)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of build and cold start")
    parser.add_argument("--most-seconds", type=float, default=120,
                        help="a grown file is not tried when the size before it, grown as it "
                        "last grew, would take longer (the earlier code is quadratic: 10,000 "
                        "materials take it eight minutes)")
    parser.add_argument("--grown-repeat", type=int, default=3,
                        help="fresh processes per grown file; the least time is shown")
    parser.add_argument("--build-files", default="99,297",
                        help="files built by the build-of-copies part: whole copies of the "
                        "9-file library (11 and 33 by default), so that every link between "
                        "its files resolves and the build exits 0")
    parser.add_argument("--only", default="bulk,grown,build,copies,cold",
                        help="which parts, comma-separated")
    parser.add_argument("--work", help="keep the corpora here (default: a temporary folder)")
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))
    global _WRAPPER_KB
    _WRAPPER_KB = _wrapper_kb()
    label = args.against or args.against_src or ""
    with checkout(args.against, args.against_src) as old_src, \
            tempfile.TemporaryDirectory(prefix="benchsheet-corpus-") as tmp:
        work = Path(args.work or tmp)
        work.mkdir(parents=True, exist_ok=True)
        envs = legs(old_src, label, work / "pycache")
        protocols = old_src.parent / "protocols" if old_src else ROOT / "protocols"
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
              f"{os.getloadavg()[0]:.1f}")
        warm(envs, protocols)
        if "bulk" in parts:
            bulk([int(n) for n in args.files.split(",")], envs, args.jobs, work, protocols)
        if "grown" in parts:
            grown([int(n) for n in args.sizes.split(",")], envs, work, args.most_seconds,
                  args.grown_repeat)
        if "build" in parts:
            build(envs, args.jobs, work, args.repeat, protocols)
        if "copies" in parts:
            build_bulk([int(n) for n in args.build_files.split(",")], envs, args.jobs, work,
                       protocols)
        if "cold" in parts:
            cold_start(envs, args.repeat * 3, protocols)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
