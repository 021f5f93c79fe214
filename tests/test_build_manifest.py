"""`benchsheet build` keeps a manifest of what it wrote and, on the next build, removes the
outputs of protocols (and variants) that are gone, and nothing else in the folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from benchsheet.build_manifest import MANIFEST_NAME, read_manifest, remove_stale
from benchsheet.cli import main

VALID = Path(__file__).resolve().parent / "valid"


def _library(tmp_path: Path, *names: str) -> Path:
    src = tmp_path / "protocols"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir()
    for name in names:
        shutil.copy(VALID / name, src / name)
    return src


def _build(src: Path, out: Path) -> int:
    return main(["build", str(src), "-o", str(out), "--date", "2026-01-02"])


def _files(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


def test_the_manifest_lists_what_the_build_wrote(tmp_path: Path) -> None:
    src = _library(tmp_path, "minimal-salt-solution.yaml")
    out = tmp_path / "build"
    assert _build(src, out) == 0
    entries, why = read_manifest(out)
    assert why == ""
    assert set(entries) == _files(out) - {MANIFEST_NAME}
    assert {"index.md", "minimal-salt-solution.html", "protocols.eln",
            "notebooks/minimal-salt-solution.ipynb"} <= set(entries)


def test_a_deleted_protocol_loses_its_outputs_and_nothing_else_goes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _library(tmp_path, "minimal-salt-solution.yaml", "parametrised-scale.yaml")
    out = tmp_path / "build"
    assert _build(src, out) == 0
    # The lab's own files in the output folder, including one named like a sheet.
    (out / "README.txt").write_text("ours\n", encoding="utf-8")
    (out / "old-protocol.md").write_text("a sheet from before the manifest\n", encoding="utf-8")
    (out / "notebooks" / "analysis.ipynb").write_text("{}\n", encoding="utf-8")
    capsys.readouterr()

    (src / "parametrised-scale.yaml").unlink()
    assert _build(src, out) == 0
    stdout = capsys.readouterr().out
    gone = {"parametrised-scale.md", "parametrised-scale.html",
            "parametrised-scale--half.md", "parametrised-scale--half.html",
            "notebooks/parametrised-scale.ipynb", "notebooks/parametrised-scale--half.ipynb"}
    assert not gone & _files(out)
    assert {"README.txt", "old-protocol.md", "notebooks/analysis.ipynb",
            "minimal-salt-solution.md", "notebooks/minimal-salt-solution.ipynb"} <= _files(out)
    for name in gone:
        assert f"removed {out / name}" in stdout
    assert "; removed 6 no longer written" in stdout
    assert not gone & set(read_manifest(out)[0])


def test_a_deleted_variant_loses_its_sheets(tmp_path: Path) -> None:
    src = _library(tmp_path, "parametrised-scale.yaml")
    out = tmp_path / "build"
    assert _build(src, out) == 0
    assert (out / "parametrised-scale--half.md").is_file()
    protocol = src / "parametrised-scale.yaml"
    text = protocol.read_text(encoding="utf-8")
    protocol.write_text(text.replace("  - {name: half, set: {scale: 0.5}}\n", "")
                        .replace("variants:\n", ""), encoding="utf-8")
    assert _build(src, out) == 0
    assert not (out / "parametrised-scale--half.md").exists()
    assert not (out / "notebooks" / "parametrised-scale--half.ipynb").exists()
    assert (out / "parametrised-scale.md").is_file()


def test_a_folder_left_empty_goes_too(tmp_path: Path) -> None:
    out = tmp_path / "build"
    (out / "notebooks").mkdir(parents=True)
    (out / "notebooks" / "gone.ipynb").write_text("{}", encoding="utf-8")
    (out / "index.md").write_text("x", encoding="utf-8")
    remove_stale(out, [out / "notebooks" / "gone.ipynb", out / "index.md"])
    cleanup = remove_stale(out, [out / "index.md"])
    assert cleanup.removed == [out / "notebooks" / "gone.ipynb"]
    assert not (out / "notebooks").exists()
    assert (out / "index.md").is_file()


def test_entries_outside_the_folder_and_sources_are_never_removed(tmp_path: Path) -> None:
    out = tmp_path / "build"
    out.mkdir()
    outside = tmp_path / "precious.txt"
    outside.write_text("keep", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.md").write_text("keep", encoding="utf-8")
    (out / "link").symlink_to(elsewhere)
    (out / "linked.md").symlink_to(outside)
    source = out / "protocol.yaml"
    source.write_text("id: x\n", encoding="utf-8")
    (out / "sub").mkdir()
    (out / MANIFEST_NAME).write_text(json.dumps({
        "generator": "benchsheet build",
        "files": ["../precious.txt", str(outside), "link/x.md", "linked.md", "protocol.yaml",
                  "sub", "", "."],
    }), encoding="utf-8")
    cleanup = remove_stale(out, [], sources=[source])
    assert cleanup.removed == []
    assert outside.read_text(encoding="utf-8") == "keep"
    assert (elsewhere / "x.md").is_file()
    assert (out / "linked.md").is_symlink()
    assert source.is_file()
    assert (out / "sub").is_dir()


@pytest.mark.parametrize("manifest", [
    "not json", json.dumps(["index.md"]), json.dumps({"files": ["index.md"]}),
    json.dumps({"generator": "benchsheet build", "files": "index.md"}),
])
def test_a_manifest_that_is_not_ours_removes_nothing(tmp_path: Path, manifest: str) -> None:
    out = tmp_path / "build"
    out.mkdir()
    (out / "index.md").write_text("the lab's", encoding="utf-8")
    (out / MANIFEST_NAME).write_text(manifest, encoding="utf-8")
    cleanup = remove_stale(out, [])
    assert cleanup.removed == []
    assert "nothing removed" in cleanup.ignored_manifest
    assert (out / "index.md").is_file()
    # ... and it is replaced by a proper one.
    assert read_manifest(out) == ([], "")


def test_a_file_that_cannot_be_removed_stays_listed(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "build"
    out.mkdir()
    (out / "stuck.md").write_text("x", encoding="utf-8")
    remove_stale(out, [out / "stuck.md"])

    def refuse(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "unlink", refuse)
    cleanup = remove_stale(out, [])
    assert [p for p, _ in cleanup.failed] == [out / "stuck.md"]
    monkeypatch.undo()
    assert read_manifest(out)[0] == ["stuck.md"]  # the next build tries again


def test_build_shows_progress_while_validating_and_writing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long build draws a bar on a terminal: both its phases go through progress.track
    (which shows nothing when stderr is not a terminal, as here)."""
    import benchsheet.progress as progress

    seen: list[str] = []

    def track(items, description):  # type: ignore[no-untyped-def]
        seen.append(description)
        return items

    monkeypatch.setattr(progress, "track", track)
    protocols = Path(__file__).resolve().parents[1] / "protocols"
    assert main(["build", str(protocols / "ag18-cluster.yaml"), "-o", str(tmp_path)]) == 0
    assert seen == ["validating", "writing sheets"]


@pytest.mark.parametrize("entries", [[], ["index.md"], [
    "index.html", "index.md", "notebooks/a--b.ipynb", "sub/é ü.md", 'odd "quoted".md',
    "back\\slash.md", "\u4e2d.md"]])
def test_the_manifest_is_the_json_text_of_its_entries(tmp_path: Path,
                                                      entries: list[str]) -> None:
    """Written a line at a time, the manifest is the text ``json.dumps`` gives of the whole
    (two spaces a level, characters as they are), and it reads back."""
    from benchsheet.build_manifest import write_manifest

    path = write_manifest(tmp_path, entries)
    text = path.read_text(encoding="utf-8")
    about = json.loads(text)["about"]
    assert text == json.dumps({"generator": "benchsheet build", "about": about,
                               "files": entries}, indent=2, ensure_ascii=False) + "\n"
    assert read_manifest(tmp_path) == (sorted(entries), "")


def test_a_manifest_entry_that_is_not_utf8_reads_back(tmp_path: Path) -> None:
    """A file name that is not UTF-8 on disk reaches Python with a lone surrogate, which UTF-8
    cannot carry: the manifest escapes it (``\\udcff``), and reads it back the same."""
    from benchsheet.build_manifest import write_manifest

    write_manifest(tmp_path, ["a.md", "b\udcff.md"])
    text = (tmp_path / MANIFEST_NAME).read_text(encoding="utf-8")
    assert '"b\\udcff.md"' in text
    assert read_manifest(tmp_path) == (["a.md", "b\udcff.md"], "")


@pytest.mark.parametrize("text", [
    json.dumps({"generator": "benchsheet build", "files": ["b.md", "a.md"]}),
    json.dumps({"files": ["b.md", "a.md"], "generator": "benchsheet build"}, indent=2),
    json.dumps({"generator": "benchsheet build", "files": ["b.md", "a.md"]}, indent=4),
    '{\n  "generator": "benchsheet build",\n  "files": [\n    "b.md", "a.md"\n  ]\n}\n',
    '{\n  "generator": "benchsheet build",\n  "files": [\n    "b.md",\n    "a.md"\n  ],\n'
    '  "note": "added by hand"\n}\n',
    '{\n  "generator": "benchsheet build",\n  "files": [\n    "b.md",\n    "a.md",\n'
    '    "b.md"\n  ]\n}',
])
def test_a_manifest_laid_out_by_hand_reads_as_json(tmp_path: Path, text: str) -> None:
    """Any layout of the same JSON gives the same entries as the one the build writes."""
    (tmp_path / MANIFEST_NAME).write_text(text, encoding="utf-8")
    assert read_manifest(tmp_path) == (["a.md", "b.md"], "")


@pytest.mark.parametrize("text", [
    '{\n  "generator": "benchsheet build",\n  "files": [\n    "b.md"\n    "a.md"\n  ]\n}\n',
    '{\n  "generator": "benchsheet build",\n  "files": [\n    "b.md",\n  ]\n}\n',
    '{\n  "generator": "benchsheet build",\n  "files": [\n    "b.md",\n    "a.md"\n  ]\n',
    '{\n  "generator": "benchsheet build",\n  "files": [\n    "b.md",\n    7\n  ]\n}\n',
    '{\n  "generator": "other",\n  "files": [\n    "b.md"\n  ]\n}\n',
])
def test_a_manifest_broken_in_our_layout_removes_nothing(tmp_path: Path, text: str) -> None:
    """A manifest that looks like the build's but is not valid JSON (a missing or extra
    comma, a cut end), or not all text, or another generator's, is not half read: nothing in
    it is removed."""
    (tmp_path / "b.md").write_text("x", encoding="utf-8")
    (tmp_path / MANIFEST_NAME).write_text(text, encoding="utf-8")
    entries, why = read_manifest(tmp_path)
    assert entries == []
    assert "nothing removed" in why
    cleanup = remove_stale(tmp_path, [])
    assert cleanup.removed == []
    assert (tmp_path / "b.md").is_file()
