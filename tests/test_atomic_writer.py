"""`AtomicWriter`: many files written as `write_atomic` writes them, several at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchsheet.atomic import AtomicWriter


def test_every_file_is_written_whole_and_no_temporary_file_stays(tmp_path: Path) -> None:
    wanted = {tmp_path / "sub" / f"sheet-{n}.md": f"sheet {n}\n" * (n + 1) for n in range(40)}
    with AtomicWriter() as writer:
        for path, text in wanted.items():
            writer.write(path, text)
    for path, text in wanted.items():
        assert path.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == sorted(
        p.name for p in wanted)


def test_the_first_error_is_raised_once_the_others_are_written(tmp_path: Path) -> None:
    (tmp_path / "b.md").mkdir()  # a folder where a file should go
    (tmp_path / "d.md").mkdir()

    def write_all() -> None:
        with AtomicWriter() as writer:
            for name in ("a.md", "b.md", "c.md", "d.md", "e.md"):
                writer.write(tmp_path / name, name)

    with pytest.raises(IsADirectoryError) as raised:
        write_all()
    assert raised.value.filename == str(tmp_path / "b.md")  # the first, in handing order
    for name in ("a.md", "c.md", "e.md"):
        assert (tmp_path / name).read_text(encoding="utf-8") == name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "b.md", "c.md", "d.md",
                                                          "e.md"]


def test_an_error_in_the_block_is_the_one_raised_after_the_writes(tmp_path: Path) -> None:
    (tmp_path / "b.md").mkdir()

    def fail_midway() -> None:
        with AtomicWriter() as writer:
            writer.write(tmp_path / "a.md", "the twin handed over before the error")
            writer.write(tmp_path / "b.md", "not written: a folder")
            raise KeyError("the caller's own error")

    with pytest.raises(KeyError):
        fail_midway()
    assert (tmp_path / "a.md").read_text(encoding="utf-8").startswith("the twin")


def test_a_path_handed_over_twice_ends_with_the_later_data(tmp_path: Path) -> None:
    target = tmp_path / "sheet.md"
    with AtomicWriter() as writer:
        for n in range(20):
            writer.write(target, f"version {n}")
    assert target.read_text(encoding="utf-8") == "version 19"
