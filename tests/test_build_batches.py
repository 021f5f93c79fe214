"""A build of more files than it holds at once (``cli_render.BATCH_FILES``) validates them all
for the links between them, then writes them a batch at a time: the files it writes, the
lines it prints and its exit code are those of a build that held every file, also when a
link crosses batches, a file does not load or a protocol cannot be exported. The `.eln`
archive it streams is the document ``json.dumps`` gives, a failed export leaves no temporary
file behind, and the first pass, which reads only the models, sees each file as a whole
validation does."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import typing
import zipfile
from pathlib import Path

import pytest

from benchsheet import cli_render
from benchsheet.cli import main

REPO = Path(__file__).resolve().parent.parent
INVALID = Path(__file__).resolve().parent / "invalid"
sys.path.insert(0, str(REPO / "bench"))
from scale_corpus import copy_library  # noqa: E402  - the benchmark's corpus, not a copy of it


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
           source: Path, out: Path, batch: int, jobs: int = 1
           ) -> tuple[int, str, str, dict[str, bytes]]:
    """A build of ``source`` into ``out`` holding ``batch`` files at a time: exit code,
    standard output and error (the folder's name made the same for every build), files."""
    monkeypatch.setattr(cli_render, "BATCH_FILES", batch)
    code = main(["build", str(source), "-o", str(out), "--jobs", str(jobs)])
    said = capsys.readouterr()
    return (code, said.out.replace(str(out), "OUT"), said.err.replace(str(out), "OUT"),
            _tree(out))


def _same_in_batches(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                     tmp_path: Path, source: Path) -> tuple[int, str, str, dict[str, bytes]]:
    whole = _build(capsys, monkeypatch, source, tmp_path / "whole", 10_000)
    batched = _build(capsys, monkeypatch, source, tmp_path / "batched", 4)
    assert batched[:3] == whole[:3]
    assert batched[3].keys() == whole[3].keys()
    for name, data in whole[3].items():
        assert batched[3][name] == data, name
    return whole


def test_a_build_in_batches_writes_what_one_holding_every_file_writes(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    # Eleven files: a whole copy of the library (9), then two files of a second copy, whose
    # materials are made by protocols the run does not hold (RF306, a link across batches).
    source = tmp_path / "src"
    copy_library(source, 11)
    shutil.copy(INVALID / "ld002-not-yaml.yaml", source / "batch000" / "zz-broken.yaml")
    code, out, err, files = _same_in_batches(capsys, monkeypatch, tmp_path, source)
    assert code == 1  # the file that does not load
    assert "LD002" in err
    assert "of 12 protocol files" in out
    # The links across batches were judged against the whole run.
    assert any(b"RF306" in data for name, data in files.items() if name.endswith(".md"))
    assert "protocols.eln" in files  # files that did not load are left out of the exports
    # Every sheet of the 11 files that load, and one notebook per sheet.
    sheets = [n for n in files if n.endswith(".md") and "/" not in n and n != "index.md"]
    notebooks = [n for n in files if n.startswith("notebooks/")]
    assert len(sheets) == len(notebooks) > 11


def test_batches_across_processes_write_what_one_process_writes(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    # Thirty files in batches of ten: the first pass goes to worker processes (24 files or
    # more) and each batch's sheets to forked ones (16 sheets or more), one fork per batch.
    source = tmp_path / "src"
    copy_library(source, 30)
    one = _build(capsys, monkeypatch, source, tmp_path / "one", 10, jobs=1)
    forks: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    two = _build(capsys, monkeypatch, source, tmp_path / "two", 10, jobs=2)
    assert len(forks) >= 3  # at least a sheet worker per batch (and the first pass's pool)
    assert two[:3] == one[:3]
    assert two[3] == one[3]
    assert "of 30 protocol files" in one[1]


def test_an_export_that_fails_in_a_later_batch_writes_no_archive_nor_notebook(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    # The last file has no date: its record cannot be made without the clock, so neither the
    # archive nor a single notebook is put in place, whatever the batches wrote before.
    source = tmp_path / "src"
    (last,) = copy_library(source, 10)[-1:]
    text = last.read_text(encoding="utf-8")
    last.write_text("\n".join(line for line in text.splitlines()
                              if not line.startswith("date:")) + "\n", encoding="utf-8")
    code, _out, err, files = _same_in_batches(capsys, monkeypatch, tmp_path, source)
    assert code == 1
    assert "the protocol has no 'date'" in err
    assert "protocols.eln" not in files
    assert not [n for n in files if n.startswith("notebooks/")]
    assert not [n for n in files if n.endswith(".tmp")]  # nothing staged is left


def test_the_streamed_archive_metadata_is_the_whole_document_dumped(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    # The metadata is written one entity at a time; read back whole it must be the text
    # json.dumps gives of the whole document, two spaces a level.
    source = tmp_path / "src"
    copy_library(source, 9)
    code, _, _, _ = _build(capsys, monkeypatch, source, tmp_path / "out", 4)
    assert code == 0
    with zipfile.ZipFile(tmp_path / "out" / "protocols.eln") as archive:
        (name,) = [n for n in archive.namelist() if n.endswith("/ro-crate-metadata.json")]
        text = archive.read(name).decode("utf-8")
        assert archive.testzip() is None
    document = json.loads(text)
    assert text == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    datasets = [e for e in document["@graph"] if e.get("genre") == "experiment template"]
    assert len(datasets) == 9  # one record per protocol file


def test_the_first_pass_reads_of_each_file_what_a_whole_validation_gives(
        tmp_path: Path) -> None:
    # link_file skips the amounts and the checks: what it gives the links between files (the
    # slim result) and the run's budget must be check_file's, for files that model, files
    # that do not, files that do not load and variants that repeat one another.
    from benchsheet.reagents.library import load_library
    from benchsheet.validate import Options
    from benchsheet.workers import check_file, link_file

    options = Options()
    library = load_library(())
    # A protocol whose last step repeats past the limit (SC109) does not model either.
    cycles = tmp_path / "cycles.yaml"
    text = (REPO / "protocols" / "ag18-cluster.yaml").read_text(encoding="utf-8")
    stir = "{action: stir, vessel: flask, duration: 1 min, temperature: 25 degC}"
    cycles.write_text(text.replace("steps:\n", "steps:\n  - action: repeat\n    times: 101\n"
                                   f"    steps: [{stir}]\n", 1), encoding="utf-8")
    files = sorted([*(REPO / "protocols").glob("*.yaml"), *INVALID.glob("*.yaml"),
                    *(REPO / "tests" / "everyday").rglob("*.yaml"), cycles])
    assert len(files) > 40
    assert any(f.code == "SC109" for f in check_file(cycles, options, library)[2].findings)

    def seen(checked: tuple[int, int, typing.Any]) -> object:
        nodes, count, thin = checked
        return (nodes, count, thin.linked, thin.document.positions,
                [(v.name, v.protocol if v.protocol is None else v.protocol.__dict__)
                 for v in thin.variants])

    for path in files:
        assert seen(link_file(path, options, library)) == seen(
            check_file(path, options, library)), path


def test_a_build_keeps_the_paths_it_wrote_as_text(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    """A build keeps every path it wrote to its end (for its manifest), and each notebook's
    staged file until the last is written: as text (on disk, ``benchsheet.spool``), never
    path objects, which take several times the memory (about 0.5 kB a path against 0.1 kB:
    a build of 10,000 library files writes some 190,000 files). The manifest still lists
    every file written."""
    from benchsheet.export.notebook import NotebookExport

    kept: list[object] = []
    staged: list[object] = []
    inner, add = cli_render._write_batches, NotebookExport.add

    def watched(*args: typing.Any, **kwargs: typing.Any) -> typing.Any:
        done = inner(*args, **kwargs)
        kept.extend(done[0])
        return done

    def adding(self: NotebookExport, *args: typing.Any, **kwargs: typing.Any) -> None:
        add(self, *args, **kwargs)
        staged[:] = [part for pair in self._staged for part in pair]

    monkeypatch.setattr(cli_render, "_write_batches", watched)
    monkeypatch.setattr(NotebookExport, "add", adding)
    monkeypatch.setattr(cli_render, "BATCH_FILES", 4)
    source = tmp_path / "copies"
    copy_library(source, 9, REPO / "protocols")
    out = tmp_path / "out"
    assert main(["build", str(source), "-o", str(out), "--jobs", "1"]) == 0
    capsys.readouterr()
    assert kept
    assert all(type(p) is str for p in kept)
    # Before the last notebook is put in place: each is staged (temporary, final) as text.
    assert staged
    assert all(type(p) is str for p in staged)
    manifest = json.loads((out / ".benchsheet-manifest.json").read_text(encoding="utf-8"))
    listed = manifest["files"]
    assert {str(out / name) for name in listed} >= set(kept)
    # Every variant's notebook went from its staged text into place and into the manifest.
    assert len([n for n in listed if n.endswith(".ipynb")]) == len(
        [p for p in kept if p.endswith(".md")])


def test_a_labs_index_template_gets_every_entry_in_order(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    """A build holds its index entries on disk and hands the index template a sequence of
    them: a lab's template that counts them, indexes them, sorts them and loops over them
    sees what it saw when it was handed a list, every sheet of every batch, in build order."""
    source = tmp_path / "copies"
    copy_library(source, 9, REPO / "protocols")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "index.md.j2").write_text(
        "{{ entries|length }} first={{ entries[0].md }} last={{ entries[-1].md }}\n"
        "{% for e in entries %}{{ loop.index }}/{{ loop.length }} {{ e.md }}\n{% endfor %}"
        "sorted={{ (entries|sort(attribute='md')|first).md }}\n", encoding="utf-8")
    monkeypatch.setattr(cli_render, "BATCH_FILES", 2)
    out = tmp_path / "out"
    assert main(["build", str(source), "-o", str(out), "--jobs", "1",
                 "--templates", str(templates)]) == 0
    capsys.readouterr()
    # Every sheet, in build order: the files in the order found, each file's variants in the
    # order of its ``variants:`` list, the base first, as ``wrote`` lines would say them.
    sheets = json.loads((out / ".benchsheet-manifest.json").read_text(encoding="utf-8"))
    markdown = sorted(n for n in sheets["files"] if n.endswith(".md") and n != "index.md")
    lines = (out / "index.md").read_text(encoding="utf-8").splitlines()
    count = len(markdown)
    listed = [line.split(" ", 1)[1] for line in lines[1:-1]]
    assert lines[0].startswith(f"{count} first={listed[0]} last={listed[-1]}")
    assert [line.split(" ", 1)[0] for line in lines[1:-1]] == [
        f"{n}/{count}" for n in range(1, count + 1)]
    assert sorted(listed) == markdown
    assert lines[-1] == f"sorted={markdown[0]}"
    # In the order of the bundled index page, which loops over the same entries once.
    plain = tmp_path / "plain"
    assert main(["build", str(source), "-o", str(plain), "--jobs", "1"]) == 0
    capsys.readouterr()
    index = (plain / "index.md").read_text(encoding="utf-8")
    assert re.findall(r"\[md\]\(([^)]+)\)", index) == listed
