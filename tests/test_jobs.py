"""--jobs and the streamed report: a run across processes reports byte for byte what one
process reports, and what the in-memory reporters write, for every format."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchsheet.cli import main
from benchsheet.findings import Finding, Severity
from benchsheet.reagents.library import ReagentLibrary
from benchsheet.reporters import REPORTERS
from benchsheet.validate import Options, validate_paths
from benchsheet.workers import PARALLEL_FROM, Checked, check_file

PROTOCOLS = Path(__file__).resolve().parent.parent / "protocols"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """More files than PARALLEL_FROM: copies of the bundled protocols with their own ids,
    one copy keeping its original's id (RF307), links that break (RF306), a file that is
    not YAML and one in a folder sorted between the others."""
    root = tmp_path_factory.mktemp("many")
    sources = sorted(PROTOCOLS.glob("*.yaml"))
    for number in range(PARALLEL_FROM + 6):
        source = sources[number % len(sources)]
        text = source.read_text(encoding="utf-8")
        if number not in (3, 3 + len(sources)):  # these two copies keep one id
            text = re.sub(r"^id: *(\S+)", rf"id: \1-{number}", text, count=1,
                          flags=re.MULTILINE)
        folder = root / ("b" if number % 3 else "a")
        folder.mkdir(exist_ok=True)
        (folder / f"{number:02d}-{source.name}").write_text(text, encoding="utf-8")
    (root / "a" / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    return root


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["validate", *args])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["text", "json", "json-lines", "github", "sarif"])
def test_jobs_report_as_one_process(library: Path, fmt: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    serial = _run(capsys, str(library), "--format", fmt, "-v", "--jobs", "1")
    parallel = _run(capsys, str(library), "--format", fmt, "-v", "--jobs", "2")
    assert parallel == serial
    assert serial[0] == 1
    for code in ("RF306", "RF307", "LD002"):  # links, one id twice, a file that is not YAML
        assert code in serial[1]


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_streamed_report_is_the_in_memory_report(library: Path, fmt: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    results, errors = validate_paths([library])
    assert not errors
    findings = [f for r in results for f in r.findings]
    expected = REPORTERS[fmt](findings, len(results), Severity.ERROR, Severity.WARNING)
    code, out = _run(capsys, str(library), "--format", fmt, "--jobs", "2")
    assert out == expected
    assert code == (1 if any(r.failed(Severity.ERROR) for r in results) else 0)


def _from_the_pass_across_files(f: Finding) -> bool:
    from benchsheet.checks import load_all

    across = {c.info.code for c in load_all() if c.across_files}
    return f.code in across or (f.code == "AK001" and any(c in f.message for c in across))


def _lines(fmt: str, findings: list[Finding], show: Severity) -> str:
    """The in-memory report of ``findings`` without its summary."""
    text = REPORTERS[fmt](findings, 0, Severity.ERROR, show)
    return text if fmt == "github" else text[:text.rstrip("\n").rfind("\n") + 1]


@pytest.mark.parametrize("fmt", ["text", "json-lines", "github"])
def test_report_as_the_run_goes_is_the_in_memory_report_reordered(
        library: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each file's own findings in file order, sorted within the file; then every finding
    of the pass across files, sorted; then the summary of the in-memory report."""
    results, errors = validate_paths([library])
    assert not errors
    findings = [f for r in results for f in r.findings]
    whole = REPORTERS[fmt](findings, len(results), Severity.ERROR, Severity.WARNING)
    summary = "" if fmt == "github" else whole[whole.rstrip("\n").rfind("\n") + 1:]
    expected = "".join(
        _lines(fmt, [f for f in r.findings if not _from_the_pass_across_files(f)],
               Severity.WARNING) for r in results)
    expected += _lines(fmt, [f for f in findings if _from_the_pass_across_files(f)],
                       Severity.WARNING) + summary
    code, out = _run(capsys, str(library), "--format", fmt, "--jobs", "2")
    assert out == expected
    assert sorted(out.splitlines()) == sorted(whole.splitlines())  # the same lines as ever
    assert code == (1 if any(r.failed(Severity.ERROR) for r in results) else 0)


@pytest.mark.parametrize("fmt", ["text", "json-lines", "github"])
@pytest.mark.parametrize("shown", [(), ("-q",), ("--show", "info")])
def test_jobs_write_as_the_run_goes_as_one_process(library: Path, fmt: str,
                                                   shown: tuple[str, ...],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    serial = _run(capsys, str(library), "--format", fmt, *shown, "--jobs", "1")
    parallel = _run(capsys, str(library), "--format", fmt, *shown, "--jobs", "2")
    assert parallel == serial
    assert "RF306" in serial[1]
    assert "RF307" in serial[1]


def test_run_limits_hold_across_processes(library: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    serial = _run(capsys, str(library), "--limit", "run-variants=40", "--jobs", "1", "-q")
    parallel = _run(capsys, str(library), "--limit", "run-variants=40", "--jobs", "2", "-q")
    assert parallel == serial
    assert "LD012" in serial[1]


# The file a worker ends abruptly on, and the parent's pid (``_killed_in_a_worker``).
_KILL: dict[str, object] = {}


def _killed_in_a_worker(path: Path, options: Options, library: ReagentLibrary) -> Checked:
    """``check_file`` (as imported before the test puts this in its place), except that a
    worker ends abruptly on one file, as a kill does. A function of the module, so the pool
    can name it to the (forked) workers."""
    import os

    if path.name == _KILL["name"] and os.getpid() != _KILL["parent"]:
        os._exit(9)
    return check_file(path, options, library)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_worker_that_dies_leaves_its_files_to_this_process(
        library: Path, fmt: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed mid-run (the system's out-of-memory killer, say) does not end the run
    with a traceback: the files whose results had not arrived are checked here, and the
    report and exit code are a serial run's."""
    import os

    from benchsheet import workers

    serial = _run(capsys, str(library), "--format", fmt, "--jobs", "1")
    monkeypatch.setitem(_KILL, "name", sorted(library.rglob("*.yaml"))[20].name)
    monkeypatch.setitem(_KILL, "parent", os.getpid())
    monkeypatch.setattr(workers, "check_file", _killed_in_a_worker)
    code = main(["validate", str(library), "--format", fmt, "--jobs", "2"])
    captured = capsys.readouterr()
    assert (code, captured.out) == serial
    assert "a worker process ended abruptly" in captured.err
    assert "checked in this process" in captured.err


# A run whose workers check each file slowly: argv is the folder, the folder each worker
# marks itself in (a file named by its pid, which says "interrupted" if Ctrl-C reached the
# worker's code), how the pool starts its workers, and optionally "slow-start": each worker
# also marks itself and waits a second as it starts (in the reagent library's loading, which
# the run's own process does not wait in). A spawned worker imports this script again (not
# as __main__), which patches its own modules alike. The run takes Ctrl-C as Python does
# from a terminal, even if whatever started the tests ignores it.
_SLOW_RUN = """
import multiprocessing, os, signal, sys, time
from pathlib import Path
from benchsheet import workers
from benchsheet.cli import main
from benchsheet.reagents import library as reagents

real, real_load = workers.check_file, reagents.load_library
marks = Path(sys.argv[2])

def nap(seconds):
    mark = marks / str(os.getpid())
    mark.touch()
    try:
        time.sleep(seconds)
    except KeyboardInterrupt:
        mark.write_text("interrupted")
        raise

def slow(path, options, library):
    nap(0.2)
    return real(path, options, library)

def slow_load(*args):
    if os.getpid() != int(os.environ["RUN_PID"]):
        nap(1.0)
    return real_load(*args)

workers.check_file = slow
if sys.argv[4:] == ["slow-start"]:
    reagents.load_library = slow_load
if __name__ == "__main__":
    os.environ["RUN_PID"] = str(os.getpid())
    signal.signal(signal.SIGINT, signal.default_int_handler)
    multiprocessing.set_start_method(sys.argv[3])
    sys.exit(main(["validate", "-q", "--jobs", "2", sys.argv[1]]))
"""


def _ended(pid: int) -> bool:
    """Whether process ``pid`` has ended (gone, or a zombie waiting to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death "
                    "signal and process handles are Linux's")
# fork: Python 3.11's default; forkserver: 3.14's, whose server outlives the run it serves.
@pytest.mark.parametrize("start", ["fork", "spawn", "forkserver"])
def test_workers_end_when_the_run_is_killed(library: Path, tmp_path: Path,
                                            start: str) -> None:
    """A run killed mid-way (SIGKILL: no clean-up at all, as the out-of-memory killer or a
    cancelled CI job's last resort) takes its workers with it: left behind, they would wait
    for ever for their next batch and hold the run's output open. The workers check each
    file slowly here, so that the run is still going when it is killed."""
    import signal
    import time

    script = tmp_path / "run.py"
    script.write_text(_SLOW_RUN, encoding="utf-8")
    marks = tmp_path / "workers"
    marks.mkdir()
    run = subprocess.Popen([sys.executable, str(script), str(library), str(marks), start],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    pids: list[int] = []
    try:
        pids = _started(run, marks)
        assert len(pids) == 2, "both workers should have started on a file"
        run.send_signal(signal.SIGKILL)
        run.wait()
        deadline = time.monotonic() + 10
        while not all(map(_ended, pids)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(map(_ended, pids)), "a worker outlived the run"
    finally:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _started(run: subprocess.Popen[str], marks: Path) -> list[int]:
    """The pids of the two workers once both have marked themselves (a minute at most)."""
    import time

    pids: list[int] = []
    deadline = time.monotonic() + 60
    while len(pids) < 2 and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.05)
        pids = [int(p.name) for p in marks.iterdir()]
    return pids


# Where ``_slowly_marked`` marks the files it starts on.
_MARKS: dict[str, Path] = {}


def _slowly_marked(path: Path, options: Options, library: ReagentLibrary) -> Checked:
    """``check_file``, two seconds slower, leaving an empty file named for the protocol and
    the worker's pid as it starts on it (made at once: a worker killed then leaves it
    whole). A function of the module, so the pool can name it to the (forked) workers."""
    import time

    (_MARKS["folder"] / f"{path.name} {os.getpid()}").touch()
    time.sleep(2.0)
    return check_file(path, options, library)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the workers' end is "
                    "watched through Linux's /proc")
def test_a_run_that_stops_early_ends_its_workers_at_once(
        library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that stops before its last file (Ctrl-C, an error, a reader that stops reading)
    ends its workers there and then. The pool keeps 4 batches a worker queued (one file a
    batch for these 31 files on 2): waiting for them, as a pool's shutdown does, would check
    9 files in all. Each file takes two seconds here: stopped as the first result comes, the
    workers have started their second file each (4), a third if the test is slow to stop
    the run (6), never the 9 a shutdown that waits would check."""
    from benchsheet import workers
    from benchsheet.reagents.library import load_library

    files = sorted(library.rglob("*.yaml"))
    assert len(workers._batches(files, 2)[0]) == 1
    assert workers.IN_FLIGHT == 4
    monkeypatch.setitem(_MARKS, "folder", tmp_path)
    run = workers._across_processes(files, Options(), load_library(()), 2, _slowly_marked)
    next(run)  # the first file's result: the first batch is done
    run.close()
    started = dict(p.name.split(" ") for p in tmp_path.iterdir())
    assert len(started) <= 6, sorted(started)
    assert all(_ended(int(pid)) for pid in started.values()), "a worker outlived the run"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the workers' end is "
                    "watched through Linux's /proc")
@pytest.mark.parametrize("start", ["fork", "spawn", "forkserver"])
@pytest.mark.parametrize("when", ["slow-start", "checking"])
def test_an_interrupted_run_stops_quietly(library: Path, tmp_path: Path, start: str,
                                          when: str) -> None:
    """Ctrl-C in a terminal signals every process of the run, the workers too. Whether they
    are starting (importing, loading the reagents: ``slow-start`` holds them there) or
    checking files, the run ends with 130, the shell's code for an interrupt, prints no
    traceback (a worker's, or the run's own), and leaves no worker behind. The interrupt
    never reaches a worker's code: the run stops its workers itself (were it left to each,
    a worker would print the traceback of wherever it was, unless the run ended it first).
    """
    import signal
    import time

    script = tmp_path / "run.py"
    script.write_text(_SLOW_RUN, encoding="utf-8")
    marks = tmp_path / "workers"
    marks.mkdir()
    run = subprocess.Popen([sys.executable, str(script), str(library), str(marks), start,
                            when], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, start_new_session=True)
    pids: list[int] = []
    try:
        pids = _started(run, marks)
        assert len(pids) == 2, "both workers should have started"
        os.killpg(run.pid, signal.SIGINT)
        _out, err = run.communicate(timeout=60)
        assert (run.returncode, err) == (130, "")
        interrupted = [pid for pid in pids if (marks / str(pid)).read_text()]
        assert not interrupted, "a worker took the interrupt: it should leave it to the run"
        deadline = time.monotonic() + 10
        while not all(map(_ended, pids)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(map(_ended, pids)), "a worker outlived the run"
    finally:
        run.kill()
        run.communicate()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_jobs_must_be_a_count(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(PROTOCOLS), "--jobs", "0"]) == 2
    assert "--jobs" in capsys.readouterr().err


@pytest.mark.parametrize(("count", "jobs", "size"), [
    # (files, workers, files a batch): fewer than 16 a worker, one a batch; 8 batches a
    # worker up to 32 files a batch (24 files on 2: 1 each; 100: 6; 1,000 and 10,000: 32).
    (24, 2, 1), (100, 2, 6), (100, 4, 3), (1000, 2, 32), (10_000, 2, 32), (257, 1, 32),
])
def test_batches_cover_the_files_in_order_and_keep_every_worker_busy(
        count: int, jobs: int, size: int) -> None:
    from benchsheet.workers import BATCH, SPREAD, _batches

    files = [Path(f"{n:05d}.yaml") for n in range(count)]
    batches = _batches(files, jobs)
    assert [p for batch in batches for p in batch] == files
    assert {len(batch) for batch in batches[:-1]} == {size}
    assert 0 < len(batches[-1]) <= size <= BATCH
    # each worker gets SPREAD batches or more, unless the batches are as big as they get
    assert len(batches) >= jobs * SPREAD or size == BATCH


_V1 = "cpu,cpuacct"  # the name some hosts mount cgroup v1's cpu controller under


def _v1(folder: str, quota: str, period: str = "100000\n") -> dict[str, str]:
    return {f"{folder}/cpu.cfs_quota_us": quota, f"{folder}/cpu.cfs_period_us": period}


@pytest.mark.parametrize(("files", "proc", "cores", "jobs"), [
    # cgroup v2 cpu.max is "QUOTA PERIOD" (µs): 2 CPUs' worth of time on a 64-core host,
    # in a container whose cgroup namespace shows its own cgroup as the root ("0::/").
    ({"cpu.max": "200000 100000\n"}, "0::/\n", 64, 2),
    ({"cpu.max": "150000 100000\n"}, None, 64, 2),  # 1.5 CPUs: two workers, part-time
    ({"cpu.max": "50000 100000\n"}, None, 64, 1),  # half a CPU: still one process
    ({"cpu.max": "800000 100000\n"}, None, 4, 4),  # a limit above the cores: the cores
    ({"cpu.max": "max 100000\n"}, None, 64, 64),  # no limit
    (_v1(_V1, "300000\n"), None, 64, 3),  # cgroup v1: quota and period files
    (_v1("cpu", "-1\n"), None, 64, 64),  # v1's "no limit", under the other name
    ({}, None, 8, 8),  # no cgroup to read: the cores
    ({"cpu.max": "garbage\n"}, None, 8, 8),  # unreadable: the cores
    # A runner started as a systemd service with CPUQuota=200%: its own cgroup is limited.
    ({"cpu.max": "max 100000\n", "system.slice/runner.service/cpu.max": "200000 100000\n"},
     "0::/system.slice/runner.service\n", 64, 2),
    # The slice above it is tighter than the service (1 CPU over a service's 4): it binds.
    ({"ci.slice/cpu.max": "100000 100000\n",
      "ci.slice/runner.service/cpu.max": "400000 100000\n"},
     "0::/ci.slice/runner.service\n", 64, 1),
    # A limit on a sibling slice does not bind this process.
    ({"other.slice/cpu.max": "100000 100000\n"}, "0::/ci.slice/runner.service\n", 64, 64),
    # v1 without a cgroup namespace: the host's path, the limit on the container's cgroup;
    # and a hybrid host's file (v1 controllers and v2's line), as this one's.
    (_v1(f"{_V1}/docker/abc", "300000\n"), "4:cpu,cpuacct:/docker/abc\n", 64, 3),
    (_v1(_V1, "300000\n"), "9:name=systemd:/\n4:memory:/x\n1:cpu:/docker/abc\n"
     "2:cpuacct:/docker/abc\n0::/\n", 64, 3),
    # Docker's v1 mount holds the container's own cgroup at its root, not the host's path.
    (_v1(_V1, "200000\n"), "4:cpu,cpuacct:/docker/abc\n", 64, 2),
    # A process outside its namespace's root sees a path that climbs out: the root alone.
    ({"cpu.max": "200000 100000\n", "x/cpu.max": "100000 100000\n"}, "0::/../x\n", 64, 2),
])
def test_default_jobs_keeps_to_the_cpu_limit_over_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str],
        proc: str | None, cores: int, jobs: int) -> None:
    """A CI runner in a container, or a service, limited to a few CPUs of a large host
    starts a worker per CPU it may use, not per CPU of the host: ceil(quota / period) of the
    tightest limit from its own cgroup up to the root, at most the cores. The mount and
    /proc/self/cgroup are folders and files here, as Linux lays them out."""
    from benchsheet import cgroups, workers

    mount = tmp_path / "cgroup"
    mount.mkdir()
    for name, text in files.items():
        (mount / name).parent.mkdir(parents=True, exist_ok=True)
        (mount / name).write_text(text, encoding="ascii")
    own = tmp_path / "proc-self-cgroup"
    if proc is not None:
        own.write_text(proc, encoding="ascii")
    monkeypatch.setattr(cgroups, "CGROUP_MOUNT", mount)
    monkeypatch.setattr(cgroups, "PROC_SELF_CGROUP", own)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cores)))
    assert workers.default_jobs() == jobs
