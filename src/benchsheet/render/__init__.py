"""Bench sheets: one protocol variant as Markdown or self-contained, print-ready HTML.

Everything printed comes from the pipeline's output (``FileResult``/``VariantResult``): the
view-model in ``render.view`` reads the amounts table, the templates only lay it out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from benchsheet.findings import Finding
from benchsheet.render.environment import SheetFormat, environment, md_escape
from benchsheet.render.view import Paper, SheetView, build_view, content_hash, source_bytes
from benchsheet.validate import FileResult, VariantResult

__all__ = [
    "FORMATS",
    "IndexEntry",
    "Paper",
    "SheetBook",
    "SheetFormat",
    "SheetView",
    "build_view",
    "index_chunks",
    "md_escape",
    "render_index",
    "render_sheet",
    "render_sheets",
    "sheet_findings",
]

FORMATS: tuple[SheetFormat, ...] = ("md", "html")


def sheet_findings(result: FileResult, variant: VariantResult,
                   factor: Decimal = Decimal(1)) -> list[Finding]:
    """The variant's findings and the sheet's own bench checks (SH), acknowledged alike."""
    from benchsheet.scaling import bench_findings
    from benchsheet.validate import _acknowledge

    if variant.protocol is None or variant.amounts is None:
        return list(variant.findings)
    bench = bench_findings(result.document, variant.protocol, variant.amounts, variant.name,
                           factor)
    bench = _acknowledge(bench, variant.protocol, result.document, variant.name,
                         {"SH001", "SH002", "SH003"})
    return [*variant.findings, *bench]


def render_sheet(result: FileResult, variant: VariantResult, fmt: SheetFormat, *,
                 templates: Path | None = None, paper: Paper = "a4",
                 scale: Decimal = Decimal(1), scale_basis: str = "",
                 extra_findings: Sequence[Finding] = ()) -> str:
    """The bench sheet of one modelled variant (scale it first with ``scaling.scale_variant``).

    ``scale`` and ``scale_basis`` only label the sheet and let the bench checks know the amounts
    were scaled; the amounts themselves are the variant's.
    """
    return render_sheets(result, variant, (fmt,), templates=templates, paper=paper,
                         scale=scale, scale_basis=scale_basis, extra_findings=extra_findings)[fmt]


def render_sheets(result: FileResult, variant: VariantResult, formats: Sequence[SheetFormat],
                  *, templates: Path | None = None, paper: Paper = "a4",
                  scale: Decimal = Decimal(1), scale_basis: str = "",
                  extra_findings: Sequence[Finding] = ()) -> dict[SheetFormat, str]:
    """The sheet of one variant in each of ``formats``, from one view: the Markdown and HTML
    twins of a build or an export share everything but their template."""
    findings = [*sheet_findings(result, variant, scale), *extra_findings]
    view = build_view(result, variant, findings, scale=scale, scale_basis=scale_basis,
                      paper=paper)
    return {fmt: environment(fmt, templates).get_template(f"sheet.{fmt}.j2").render(sheet=view)
            for fmt in formats}


class SheetBook:
    """Every variant's sheet, made once for everything a build writes from it.

    The sheet files, the ELN archive's copies of them and the notebooks' Markdown are the same
    text; a book builds each variant's view once (per paper) and renders it once per format
    and template folder, so a build renders a sheet once however many outputs carry it. It
    holds on to the variants it has seen (they are its keys, by identity), so it lives as long
    as one build, not longer.
    """

    def __init__(self) -> None:
        # Keyed by the variant's id; the variant is kept beside, so its id is not reused.
        self._sources: dict[int, tuple[FileResult, bytes, str]] = {}
        self._findings: dict[int, tuple[VariantResult, list[Finding]]] = {}
        self._views: dict[tuple[int, Paper], SheetView] = {}
        self._texts: dict[tuple[int, SheetFormat, Path | None, Paper], str] = {}

    def source(self, result: FileResult) -> bytes:
        """The protocol file's bytes as validated (``view.source_bytes``), read once."""
        return self._source(result)[1]

    def _source(self, result: FileResult) -> tuple[FileResult, bytes, str]:
        if id(result) not in self._sources:
            data = source_bytes(result.document)
            self._sources[id(result)] = (result, data, content_hash(result.document, data))
        return self._sources[id(result)]

    def findings(self, result: FileResult, variant: VariantResult) -> list[Finding]:
        """``sheet_findings`` of the unscaled variant: what its sheet and the index count."""
        if id(variant) not in self._findings:
            self._findings[id(variant)] = (variant, sheet_findings(result, variant))
        return self._findings[id(variant)][1]

    def view(self, result: FileResult, variant: VariantResult, *,
             paper: Paper = "a4") -> SheetView:
        """The variant's unscaled sheet view with its findings and bench checks."""
        key = (id(variant), paper)
        if key not in self._views:
            self._views[key] = build_view(result, variant, self.findings(result, variant),
                                          paper=paper, file_hash=self._source(result)[2])
        return self._views[key]

    def render(self, result: FileResult, variant: VariantResult, fmt: SheetFormat, *,
               templates: Path | None = None, paper: Paper = "a4") -> str:
        """The variant's unscaled sheet in ``fmt``: what ``render_sheet`` gives, made once."""
        key = (id(variant), fmt, templates, paper)
        if key not in self._texts:
            view = self.view(result, variant, paper=paper)
            self._texts[key] = environment(fmt, templates).get_template(
                f"sheet.{fmt}.j2").render(sheet=view)
        return self._texts[key]

    def keep(self, result: FileResult, variant: VariantResult,
             texts: Mapping[SheetFormat, str], *, templates: Path | None = None,
             paper: Paper = "a4") -> None:
        """Hold ``texts`` as the variant's sheets, rendered elsewhere (a build's worker
        process, ``build_jobs``) exactly as ``render`` renders them."""
        self.findings(result, variant)  # keeps the variant, so that its id is not reused
        for fmt, text in texts.items():
            self._texts[(id(variant), fmt, templates, paper)] = text

    def render_all(self, result: FileResult, variant: VariantResult,
                   formats: Sequence[SheetFormat], *, templates: Path | None = None,
                   paper: Paper = "a4") -> dict[SheetFormat, str]:
        """The variant's sheet in each of ``formats``; every format is rendered before any is
        returned, so a lab template that fails leaves none half done."""
        return {fmt: self.render(result, variant, fmt, templates=templates, paper=paper)
                for fmt in formats}


@dataclass(frozen=True)
class IndexEntry:
    """One line of a build's index: a protocol variant, its sheets and its findings."""

    protocol_id: str
    title: str
    variant: str
    file: str
    md: str  # relative link; "" when no sheet was written
    html: str
    errors: int
    warnings: int
    notes: int
    acknowledged: int
    reason: str = ""  # why no sheet was written


def render_index(entries: Sequence[IndexEntry], fmt: SheetFormat, *,
                 templates: Path | None = None, failed: bool = False) -> str:
    """The index page of a build: every protocol and variant with its sheets and findings."""
    return "".join(index_chunks(entries, fmt, templates=templates, failed=failed))


def index_chunks(entries: Sequence[IndexEntry], fmt: SheetFormat, *,
                 templates: Path | None = None, failed: bool = False) -> Iterator[str]:
    """``render_index``'s page a piece at a time, as the template makes it: a build of many
    files writes it without holding it whole. The template gets ``entries`` as they are
    (a build's are read back from disk, ``benchsheet.spool``): a sequence, to loop over, count
    and index, as the list it used to get."""
    template = environment(fmt, templates).get_template(f"index.{fmt}.j2")
    return template.generate(entries=entries, failed=failed)
