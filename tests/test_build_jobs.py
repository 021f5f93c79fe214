"""``build --jobs``: a build across processes writes, prints and exits exactly as one process
does, also when a protocol fails or a lab's template breaks on some sheets; a small build
stays in one process."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from benchsheet import build_jobs
from benchsheet.cli import main

REPO = Path(__file__).resolve().parent.parent
INVALID = Path(__file__).resolve().parent / "invalid"
SMALL = REPO / "protocols" / "ag18-cluster.yaml"  # one file, one variant


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The workers the build forks (their pids), counted in the parent."""
    started: list[int] = []
    real_fork: Callable[[], int] = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            started.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return started


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, *args: str
           ) -> tuple[int, str, str, dict[str, bytes]]:
    """A build into ``tmp_path/name``: exit code, standard output and error (the folder's
    name made the same for every build), and the files written."""
    out = tmp_path / name
    code = main(["build", *args, "-o", str(out), "--date", "2026-11-30"])
    said = capsys.readouterr()
    return (code, said.out.replace(str(out), "OUT"), said.err.replace(str(out), "OUT"),
            _tree(out))


def _same_as_serial(capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str
                    ) -> tuple[int, str, str, dict[str, bytes]]:
    serial = _build(capsys, tmp_path, "serial", *args, "--jobs", "1")
    parallel = _build(capsys, tmp_path, "parallel", *args, "--jobs", "2")
    assert parallel[:3] == serial[:3]
    assert parallel[3].keys() == serial[3].keys()
    for path, data in serial[3].items():
        assert parallel[3][path] == data, path
    return serial


def test_build_of_the_library_across_processes_is_the_serial_build(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], forks: list[int]) -> None:
    protocols = tmp_path / "protocols"
    shutil.copytree(REPO / "protocols", protocols)
    code, out, err, files = _same_as_serial(capsys, tmp_path, str(protocols))
    assert forks  # the second build did fork
    assert code == 0, err
    assert "protocols.eln" in files
    assert sum(1 for name in files if name.endswith(".html")) > 2 * build_jobs.PARALLEL_FROM
    assert "sheets of 9 protocol files" in out


def test_build_with_failing_protocols_across_processes_is_the_serial_build(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], forks: list[int]) -> None:
    protocols = tmp_path / "protocols"
    shutil.copytree(REPO / "protocols", protocols)
    for bad in ("rf301-undeclared-vessel.yaml", "ld002-not-yaml.yaml"):
        shutil.copy(INVALID / bad, protocols / bad)
    code, _out, err, files = _same_as_serial(capsys, tmp_path, str(protocols))
    assert forks
    assert code == 1
    assert "RF301" in err
    assert "mn-msc-bda.html" in files  # the files that model still have their sheets


@pytest.mark.parametrize("failing", ["film", "screening"])
def test_lab_template_failing_on_some_sheets_fails_as_in_one_process(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], forks: list[int],
        failing: str) -> None:
    # Fails only on the variants named so: the photostability and PLQY films come last,
    # in a worker's share; the catalytic screening comes early, in the parent's.
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "sheet.md.j2").write_text(
        f'# {{{{ sheet.title }}}}\n{{% if "{failing}" in sheet.variant %}}\n'
        "{{ sheet.no_such_field }}\n{% endif %}\n", encoding="utf-8")
    code, _out, err, files = _same_as_serial(capsys, tmp_path, str(REPO / "protocols"),
                                             "--templates", str(templates))
    assert forks
    assert code == 2
    assert err.startswith(f"benchsheet: {templates / 'sheet.md.j2'}:3: template error: ")
    assert "Traceback" not in err
    assert "ag18-cluster.md" in files  # written before the first sheet that fails


def test_lab_template_that_does_not_parse_stays_in_one_process(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], forks: list[int]) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "sheet.html.j2").write_text("{% if %}\n", encoding="utf-8")
    code, _out, err, files = _same_as_serial(capsys, tmp_path, str(REPO / "protocols"),
                                             "--templates", str(templates))
    assert not forks
    assert code == 2
    assert "sheet.html.j2:1: template syntax error" in err
    assert not any(name.endswith((".md", ".html")) for name in files)


def test_one_small_file_is_built_in_one_process(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], forks: list[int]) -> None:
    code, out, _err, _files = _build(capsys, tmp_path, "one", str(SMALL), "--jobs", "8")
    assert code == 0
    assert not forks
    assert "1 sheets of 1 protocol files" in out


@pytest.mark.parametrize(("count", "jobs", "expected"), [
    (1, 8, [range(0, 1)]),
    (build_jobs.PARALLEL_FROM - 1, 8, [range(0, build_jobs.PARALLEL_FROM - 1)]),
    (56, 1, [range(0, 56)]),
    (56, 2, [range(0, 23), range(23, 56)]),  # the parent also writes: it renders less
])
def test_shares_are_consecutive_and_cover_every_sheet(count: int, jobs: int,
                                                     expected: list[range]) -> None:
    assert build_jobs.shares(count, jobs) == expected


def test_shares_never_leave_a_worker_too_little() -> None:
    for count in range(1, 300):
        for jobs in (2, 3, 8, 64):
            parts = build_jobs.shares(count, jobs)
            assert [i for part in parts for i in part] == list(range(count))
            assert len(parts) <= jobs
            assert all(len(part) >= build_jobs.LEAST_SHARE for part in parts[1:])


def test_a_worker_that_dies_leaves_its_sheets_to_the_parent(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], forks: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    def die(self: build_jobs.ForkedSheets, part: range, texts: int) -> None:
        os._exit(9)  # as if killed: nothing written

    monkeypatch.setattr(build_jobs.ForkedSheets, "_work", die)
    code, _out, err, _files = _same_as_serial(capsys, tmp_path, str(REPO / "protocols"))
    assert forks
    assert code == 0, err


def test_a_worker_killed_is_said_and_its_sheets_rendered_here(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], forks: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed (by the out-of-memory killer, say) leaves the same files and exit code
    as a serial build, and a line on standard error that says so, with the count of its
    share: the library's sheets cut as ``shares`` cuts them for two jobs."""
    import signal

    def killed(self: build_jobs.ForkedSheets, part: range, texts: int) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(build_jobs.ForkedSheets, "_work", killed)
    serial = _build(capsys, tmp_path, "serial", str(REPO / "protocols"), "--jobs", "1")
    code, out, err, files = _build(capsys, tmp_path, "parallel", str(REPO / "protocols"),
                                   "--jobs", "2")
    assert len(forks) == 1
    assert (code, out, files) == (serial[0], serial[1], serial[3])
    sheets = int(out.split(" sheets of ")[0].split("(")[-1])
    share = len(build_jobs.shares(sheets, 2)[1])
    assert err == serial[2] + (
        f"benchsheet: a sheet worker process ended abruptly (signal {int(signal.SIGKILL)}: "
        f"killed, perhaps for want of memory); its {share} sheet(s) are rendered in this "
        "process\n")
