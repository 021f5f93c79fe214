"""A build renders each sheet once: the sheet files, the archive's copies and the notebooks'
Markdown are the same text, made by one `SheetBook`."""

from __future__ import annotations

import importlib
import json
import zipfile
from pathlib import Path

import pytest

from benchsheet.cli import main
from benchsheet.render import FORMATS, Paper, SheetBook, SheetView, render_sheets
from benchsheet.validate import validate_file

# The package, not the `benchsheet.render` function of the public API.
render = importlib.import_module("benchsheet.render")

REPO = Path(__file__).resolve().parents[1]
PARAMETRISED = REPO / "tests" / "valid" / "parametrised-scale.yaml"
MN_CDSE13 = REPO / "protocols" / "mn-cdse13-bda-msc.yaml"


@pytest.fixture(autouse=True)
def _template_cache(tmp_path_factory: pytest.TempPathFactory,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


def test_a_build_makes_each_view_once_and_carries_the_same_sheets(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    views: list[str] = []
    build_view = render.build_view

    def counted(*args: object, **kwargs: object) -> SheetView:
        view: SheetView = build_view(*args, **kwargs)
        views.append(view.variant)
        return view

    monkeypatch.setattr(render, "build_view", counted)
    src = tmp_path / "protocols"
    src.mkdir()
    (src / PARAMETRISED.name).write_bytes(PARAMETRISED.read_bytes())
    out = tmp_path / "build"
    assert main(["build", str(src), "-o", str(out), "--date", "2026-11-30"]) == 0
    # The base protocol and its variant 'half': one view each, for sheets, archive, notebooks.
    assert sorted(views) == ["", "half"]
    with zipfile.ZipFile(out / "protocols.eln") as archive:
        carried = {Path(name).name: archive.read(name) for name in archive.namelist()
                   if name.endswith((".md", ".html"))}
    for name in ("parametrised-scale.md", "parametrised-scale.html",
                 "parametrised-scale--half.md", "parametrised-scale--half.html"):
        assert carried[name] == (out / name).read_bytes(), name
    notebook = json.loads((out / "notebooks" / "parametrised-scale--half.ipynb").read_text(
        encoding="utf-8"))
    sheet = (out / "parametrised-scale--half.md").read_text(encoding="utf-8")
    # The notebook holds the sheet cut at its second-level headings, one cell per section.
    sections = ["".join(cell["source"]) for cell in notebook["cells"]
                if cell["cell_type"] == "markdown"]
    first = sheet.split("\n## ", 1)[0].strip()
    assert first in sections


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_book_gives_what_render_sheets_gives(paper: Paper) -> None:
    result = validate_file(MN_CDSE13)
    (variant,) = result.variants
    book = SheetBook()
    made = book.render_all(result, variant, FORMATS, paper=paper)
    assert made == render_sheets(result, variant, FORMATS, paper=paper)
    # Asked again, the book gives the very same text: nothing is rendered twice.
    assert book.render(result, variant, "html", paper=paper) is made["html"]
    assert book.view(result, variant, paper=paper) is book.view(result, variant, paper=paper)
