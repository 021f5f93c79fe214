"""A run's file list kept as text (``pathlist.PathList``): read back as the paths it was made
of, in order, and a fraction of their memory; ``validate`` holds its files so to its end."""

from __future__ import annotations

import tracemalloc
import typing
from pathlib import Path

import pytest

from benchsheet import workers
from benchsheet.cli import main
from benchsheet.pathlist import PathList

REPO = Path(__file__).resolve().parent.parent


def _paths(root: Path, count: int) -> list[Path]:
    """Paths shaped as a repository's: batches of numbered protocol files."""
    return [root / f"batch{i // 100:03d}" / f"{i:04d}-mn-msc-bda.yaml" for i in range(count)]


def test_a_path_list_reads_back_the_paths_it_was_made_of(tmp_path: Path) -> None:
    paths = [*_paths(tmp_path, 5), Path("relative/one.yaml"), Path("two.yml")]
    kept = PathList(paths)
    assert len(kept) == 7
    assert list(kept) == paths
    assert [kept[i] for i in range(-7, 7)] == paths + paths
    assert all(type(p) is type(tmp_path) for p in kept)
    part = kept[2:6]
    assert isinstance(part, PathList)
    assert list(part) == paths[2:6]
    assert list(kept[::-2]) == paths[::-2]
    assert list(PathList(str(p) for p in paths)) == paths  # made from text alike
    with pytest.raises(IndexError):
        kept[7]


def test_a_path_list_takes_a_fraction_of_the_paths_memory() -> None:
    """Measured with tracemalloc, as a run holds them: the paths found, sorted (which
    compares their parts) and printed (which keeps their text), against the same as text.
    Each is 49 characters, "/home/lab/protocols/batch000/0000-mn-msc-bda.yaml": a string
    of them is 49 + 49 = 98 bytes (``sys.getsizeof``, CPython's compact ASCII string), in a
    block of 104, and a list keeps 8 more for it."""
    count = 2000
    root = Path("/home/lab/protocols")

    def held(make: typing.Callable[[], object]) -> tuple[int, object]:
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            kept = make()
            return tracemalloc.get_traced_memory()[0] - before, kept
        finally:
            tracemalloc.stop()

    def as_paths() -> list[Path]:
        found = sorted(_paths(root, count))
        for path in found:
            str(path)
        return found

    objects, _found = held(as_paths)
    text, _kept = held(lambda: PathList(as_paths()))
    assert text / count < 104 + 8 + 8  # and a little for the list's spare room
    assert text * 2 < objects  # each path object was its parts and its text besides


def test_validate_holds_its_files_as_text(capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    given: list[object] = []
    inner = workers.check_run

    def check_run(files: typing.Any, *args: typing.Any, **kwargs: typing.Any) -> typing.Any:
        given.append(files)
        return inner(files, *args, **kwargs)

    monkeypatch.setattr(workers, "check_run", check_run)
    assert main(["validate", str(REPO / "protocols"), "--format", "json"]) == 0
    capsys.readouterr()
    assert len(given) == 1
    assert isinstance(given[0], PathList)
    assert sorted(given[0]) == sorted((REPO / "protocols").glob("*.yaml"))
