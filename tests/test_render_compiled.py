"""render/compiled.py: the package's templates compiled ahead of time are what jinja makes of
them now, give the same sheets, and are left alone once a template changes."""

from __future__ import annotations

import importlib
from pathlib import Path

import jinja2
import pytest

from benchsheet.render import build_view, sheet_findings
from benchsheet.validate import validate_file

compiled = importlib.import_module("benchsheet.render.compiled")
environment = importlib.import_module("benchsheet.render.environment")
REPO = Path(__file__).resolve().parents[1]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def test_the_committed_modules_are_current(tmp_path: Path) -> None:
    recorded = (compiled.COMPILED / "manifest.json").read_text(encoding="utf-8")
    if f'"jinja2": "{jinja2.__version__}"' not in recorded:
        # Another jinja2 than the one that made them: they must not be used.
        assert compiled.compiled_loader("md") is None
        return
    compiled.write_compiled(tmp_path / "fresh")
    fresh, committed = _files(tmp_path / "fresh"), _files(compiled.COMPILED)
    assert fresh.keys() == committed.keys(), "run: python -m benchsheet.render.compiled"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"out of date: {stale}; run: python -m benchsheet.render.compiled"
    assert isinstance(compiled.compiled_loader("md"), jinja2.ModuleLoader)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_compiled_templates_give_the_sheets_the_sources_give(fmt: str) -> None:
    if compiled.compiled_loader(fmt) is None:
        pytest.skip("the compiled templates are not current for this jinja2")
    result = validate_file(REPO / "protocols" / "co2-po-cycloaddition.yaml")
    variant = result.variants[1]
    view = build_view(result, variant, sheet_findings(result, variant))
    ahead = environment._environment.__wrapped__(fmt, None)
    assert isinstance(ahead.loader, jinja2.ChoiceLoader)
    assert isinstance(ahead.loader.loaders[0], jinja2.ModuleLoader)
    made_now = environment.plain_environment(fmt)
    name = f"sheet.{fmt}.j2"
    assert ahead.get_template(name).render(sheet=view) == made_now.get_template(name).render(
        sheet=view)


def test_an_edited_template_is_compiled_from_its_source(monkeypatch: pytest.MonkeyPatch) -> None:
    edited = dict.fromkeys(compiled._sources(), "0" * 64)
    monkeypatch.setattr(compiled, "_sources", lambda: edited)
    assert compiled.compiled_loader("md") is None
    env = environment._environment.__wrapped__("md", None)
    assert isinstance(env.loader, jinja2.ChoiceLoader)
    assert [type(x) for x in env.loader.loaders] == [jinja2.PackageLoader]
