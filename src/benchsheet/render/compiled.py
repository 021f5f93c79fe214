"""benchsheet's own sheet templates, compiled to Python modules ahead of time.

Jinja compiles a template the first time a process asks for it; a build's sheet templates
took a tenth of its time to compile, in every run. The modules under ``compiled/`` are what
jinja compiles them to (``Environment.compile_templates``), imported like any module, so
Python keeps their bytecode as it keeps benchsheet's own.

They are used only when they are what jinja would make now: ``manifest.json`` records the
jinja2 version and a hash of every template's source, and a template edited since, or
another jinja2, means compiling as before. Regenerate them after changing a template:

    python -m benchsheet.render.compiled

(``tests/test_render_compiled.py`` fails while they are out of date.)
"""

from __future__ import annotations

import hashlib
import json
import shutil
from importlib import resources
from pathlib import Path
from typing import Literal

import jinja2

COMPILED = Path(__file__).resolve().parent / "compiled"
_FORMATS: tuple[Literal["md", "html"], ...] = ("md", "html")


def _sources() -> dict[str, str]:
    """Every template of the package by name, with the SHA-256 of its source."""
    folder = resources.files("benchsheet.render") / "templates"
    return {entry.name: hashlib.sha256(entry.read_bytes()).hexdigest()
            for entry in sorted(folder.iterdir(), key=lambda e: e.name)
            if entry.name.endswith(".j2")}


def _manifest() -> dict[str, object]:
    return {"jinja2": jinja2.__version__, "sources": _sources()}


def compiled_loader(fmt: Literal["md", "html"]) -> jinja2.BaseLoader | None:
    """A loader of the compiled modules of ``fmt``'s templates, or None when they are not
    the package's templates as they are now (or were made by another jinja2)."""
    try:
        recorded = json.loads((COMPILED / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if recorded != _manifest() or not (COMPILED / fmt).is_dir():
        return None
    return jinja2.ModuleLoader(str(COMPILED / fmt))


def write_compiled(target: Path = COMPILED) -> None:
    """Compile the package's templates for each format into ``target`` (replaced whole)."""
    from benchsheet.render.environment import plain_environment

    if target.exists():
        shutil.rmtree(target)
    for fmt in _FORMATS:
        plain_environment(fmt).compile_templates(str(target / fmt), zip=None,
                                                 ignore_errors=False)
    (target / "manifest.json").write_text(json.dumps(_manifest(), indent=1, sort_keys=True)
                                          + "\n", encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - the maintainers' command
    write_compiled()
    print(f"wrote {COMPILED}")
