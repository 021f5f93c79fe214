"""Integrity under faults (issue 12): a run killed at any moment leaves no half-written file
under a final name, inputs are never modified, and the same input gives the same bytes.

Each kill is a real SIGKILL of a ``benchsheet`` process: nothing in it can clean up, so what
the folder holds afterwards is what a power cut or an OOM kill would leave. Kill moments are
fractions of a full run timed in the same test, so they land before, during and after the
writes on a slow machine as on a fast one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchsheet.atomic import STALE_AFTER_S, sweep_stale

REPO = Path(__file__).resolve().parents[1]
PROTOCOLS = REPO / "protocols"
FRACTIONS = (0.2, 0.4, 0.55, 0.65, 0.75, 0.85, 0.92, 0.98)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def command(*argv: str | Path) -> list[str]:
    return [sys.executable, "-m", "benchsheet", *(str(a) for a in argv)]


def environment(seed: str = "0") -> dict[str, str]:
    return {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1"}


def digests(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative path: its sha256."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def is_temporary(name: str) -> bool:
    leaf = name.rsplit("/", 1)[-1]
    return leaf.startswith(".") and leaf.endswith(".tmp")


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=environment(), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - start


def killed_after(argv: list[str], seconds: float) -> None:
    process = subprocess.Popen(argv, env=environment(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled protocols twice: as they are ('new') and with every title changed ('old'),
    so that an old build and a new one differ in every sheet."""
    root = tmp_path_factory.mktemp("library")
    new, old = root / "new", root / "old"
    shutil.copytree(PROTOCOLS, new)
    shutil.copytree(PROTOCOLS, old)
    for path in old.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\ntitle: ", "\ntitle: Old draft, ", 1), encoding="utf-8")
    return {"new": new, "old": old, "root": root}


def test_a_build_is_byte_identical_whatever_the_hash_seed(library: dict[str, Path]) -> None:
    """Two builds of one input in fresh processes with different string-hash seeds (so any
    set or dict order that leaked into an output would differ) write the same files, byte
    for byte: sheets, index, .eln archive, notebooks and the manifest."""
    out = library["root"] / "twice"
    subprocess.run(command("build", library["new"], "-o", out), env=environment("1"),
                   capture_output=True, check=True)
    first = digests(out)
    shutil.rmtree(out)
    subprocess.run(command("build", library["new"], "-o", out), env=environment("4242"),
                   capture_output=True, check=True)
    assert digests(out) == first
    assert any(name.endswith(".eln") for name in first)
    assert any(name.endswith(".ipynb") for name in first)


def test_a_build_killed_at_any_moment_leaves_only_whole_files(library: dict[str, Path]) -> None:
    """A build over the folder of an older build, killed at eight moments: every file under a
    final name is byte for byte either the old build's or the new build's (never a mix, never
    cut short), the protocols are untouched, and the next build sweeps the temporary files
    and finishes the job.

    On a noisy machine a run's length varies more than the moment its sheets are written
    takes, so the fixed moments may all fall before or after the writes: then further kills
    bisect between the latest that renewed nothing and the earliest that renewed everything,
    until one lands among the writes (each is checked the same way)."""
    root = library["root"]
    reference = {}
    for kind in ("old", "new"):
        out = root / f"ref-{kind}"
        timed(command("build", library[kind], "-o", out))
        reference[kind] = digests(out)
    duration = timed(command("build", library["new"], "-o", root / "timing"))
    inputs = digests(library["new"])
    # what a finished build renews: the files whose bytes differ between the two builds
    total = sum(1 for n, d in reference["new"].items() if reference["old"].get(n) != d)
    kills = 0

    def renewed_after_kill(fraction: float) -> int:
        """Kill a build at ``fraction`` of ``duration``, check the folder, then finish it;
        the number of files the killed build had renewed."""
        nonlocal kills
        kills += 1
        out = root / f"kill-{kills}"
        shutil.copytree(root / "ref-old", out)
        killed_after(command("build", library["new"], "-o", out), fraction * duration)
        after = digests(out)
        for name, digest in after.items():
            if is_temporary(name):
                continue
            allowed = {reference["old"].get(name), reference["new"].get(name)}
            assert digest in allowed, f"{name} after a kill at {fraction:.0%}: a torn file"
        finals = {n: d for n, d in after.items() if not is_temporary(n)}
        renewed = sum(1 for n, d in finals.items() if d == reference["new"].get(n)
                      and d != reference["old"].get(n))
        assert digests(library["new"]) == inputs  # the protocols are never written
        # the next build: old temporary files (aged past STALE_AFTER_S) are swept, and the
        # folder ends as a fresh build's
        for name in after:
            if is_temporary(name):
                aged = time.time() - 2 * STALE_AFTER_S
                os.utime(out / name, (aged, aged))
        timed(command("build", library["new"], "-o", out))
        assert digests(out) == reference["new"]
        return renewed

    early, late = 0.0, 1.5  # the latest kill that renewed nothing, the earliest that all
    partial = 0

    def moments() -> Iterator[float]:
        """The fixed moments, then up to eight between ``early`` and ``late`` (a noisy pair
        may cross: still between the two) until a kill has landed among the writes."""
        yield from FRACTIONS
        for _ in range(8):
            if partial:
                return
            yield (early + late) / 2

    for fraction in moments():
        renewed = renewed_after_kill(fraction)
        partial += 0 < renewed < total
        if renewed == 0:
            early = max(early, fraction)
        elif renewed >= total:
            late = min(late, fraction)
    # some kills landed while the sheets were being written (else the test proved little)
    assert partial >= 1


def test_an_export_killed_at_any_moment_leaves_no_torn_archive(
        library: dict[str, Path]) -> None:
    root = library["root"]
    target = root / "ref.eln"
    duration = timed(command("export", library["new"], "--to", "eln", "-o", target))
    whole = target.read_bytes()
    assert zipfile.ZipFile(target).testzip() is None
    for fraction in FRACTIONS:
        out = root / f"export-{fraction}" / "ref.eln"  # the name is the top folder
        killed_after(command("export", library["new"], "--to", "eln", "-o", out),
                     fraction * duration)
        if out.exists():
            assert out.read_bytes() == whole, f"a torn archive after a kill at {fraction:.0%}"
        finals = [p for p in out.parent.glob("*") if not p.name.startswith(".")] \
            if out.parent.exists() else []
        assert finals in ([], [out])


def test_sweep_removes_only_stale_temporaries_of_dead_processes(tmp_path: Path) -> None:
    """A temporary file of a process that is gone and older than a minute goes; a final file,
    a live process's temporary file and a fresh one stay."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    old = time.time() - 2 * STALE_AFTER_S
    files = {
        "stale": tmp_path / f".sheet.md.{dead.pid}.0123abcd.tmp",
        "fresh": tmp_path / f".index.md.{dead.pid}.4567cdef.tmp",
        "alive": tmp_path / f".sheet.html.{os.getpid()}.89abcdef.tmp",
        "final": tmp_path / "sheet.md",
        "look-alike": tmp_path / ".notes.tmp",
    }
    for name, path in files.items():
        path.write_text(name, encoding="utf-8")
        if name != "fresh":
            os.utime(path, (old, old))
    assert sweep_stale(tmp_path) == [files["stale"]]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for k, p in files.items() if k != "stale")
