"""Bench sheets: the pipeline's results laid out as Markdown or print-ready HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from benchsheet.findings import Finding
from benchsheet.render.environment import environment
from benchsheet.render.view import SheetView, build_view
from benchsheet.validate import FileResult, VariantResult

SheetFormat = Literal["md", "html"]
Paper = Literal["A4", "Letter"]

__all__ = ["SheetFormat", "SheetView", "build_view", "render_index", "render_sheet"]


def render_sheet(result: FileResult, variant: VariantResult, fmt: SheetFormat, *,
                 templates: Path | None = None, paper: Paper = "A4",
                 extra_findings: list[Finding] | None = None) -> str:
    """The bench sheet of one variant, as Markdown (``md``) or self-contained HTML."""
    view = build_view(result, variant, paper, extra_findings)
    template = environment(templates).get_template(f"sheet.{fmt}.j2")
    return template.render(sheet=view)


def render_index(entries: list[dict[str, object]], fmt: SheetFormat, *,
                 templates: Path | None = None) -> str:
    """The index page of a build: every protocol and variant with its sheets and findings."""
    return environment(templates).get_template(f"index.{fmt}.j2").render(entries=entries)
