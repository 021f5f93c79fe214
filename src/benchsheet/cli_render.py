"""`benchsheet render` and `benchsheet build`: bench sheets, and everything a lab publishes.

Exit codes as for the other commands: 0 done; 1 a protocol fails validation at error level (its
sheets are not written by `render`; `build` still writes the sheets of every file that models),
or a variant made by `--variant` settings, `--scale` or `--target` does (its sheet is written,
with the errors listed on it, so the chemist sees what the new amounts break); 2 usage, I/O, a
bad scale or target.

`build` writes the sheets, then the index, and feeds every step in `BUILD_STEPS` (the
exports, `ExportStep`, are the first). A step is made once per build from the output folder
and the build's `BuildSettings`; its `add` gets each batch of validated files with the sheets
the build rendered of them, after they are written, and its `finish`, after the index, writes
what is left and returns every path the step wrote. A step that raises `ValueError` (e.g. an
export that refuses a protocol) makes the build exit 1.

A build holds a batch of files at a time (`BATCH_FILES`), so its memory does not grow with the
run: a run of more files validates them all once for the links between them (across processes,
`workers.link_index`), then validates each batch again to write its sheets and exports. The
files, output, lines printed and exit code are those of a build that held every file. What it
keeps of every file to its end (the paths written, the index's rows, the exports' names) it
keeps on disk (`benchsheet.spool`), and the index pages are written as they are rendered.

Last, `build` removes what the previous build wrote and this one did not (the sheets of a
deleted protocol), as listed in the output folder's `.benchsheet-manifest.json`
(`build_manifest.py`); nothing else in the folder is touched.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from benchsheet.config import Settings
    from benchsheet.discovery import DiscoveryRules
    from benchsheet.findings import Finding
    from benchsheet.reagents.library import ReagentLibrary
    from benchsheet.render import IndexEntry, Paper, SheetBook, SheetFormat
    from benchsheet.spool import SpooledList, SpooledTexts
    from benchsheet.validate import FileResult, Options, VariantResult

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

@dataclass(frozen=True)
class BuildSettings:
    """What the command line tells the build steps."""

    # The exports' created/modified date instead of each protocol's own `date` (--date);
    # never the clock, so that a build is reproducible.
    date: datetime | None = None


class BuildStep(Protocol):
    """One output of a build beside its sheets and index, made a batch of files at a time."""

    def add(self, results: Sequence[FileResult], sheets: SheetBook) -> None:
        """Take a batch of validated files (in build order) and the sheets the build rendered
        of them (the .eln archive and the notebooks carry the same texts)."""

    def finish(self) -> Iterable[str]:
        """Write what is left, once every batch is in and the index is written; every path
        the step wrote, as text (``os.fspath``), which the build reads once, into what it
        keeps to the end for its manifest (``benchsheet.spool``): an iterator will do."""

    def close(self) -> None:
        """Let go of what the step holds (its temporary files, and what it has not put in
        place): called when the build ends, also when it stops on an error."""


class ExportStep:
    """The exports a build publishes: one .eln archive and a bench notebook per variant, each
    put in place only when every file could be exported."""

    def __init__(self, out: Path, settings: BuildSettings) -> None:
        from benchsheet.export.notebook import NotebookExport
        from benchsheet.export.records import ArchiveExport

        self._archive = ArchiveExport(out, settings.date)
        self._notebooks = NotebookExport(out / "notebooks")

    def add(self, results: Sequence[FileResult], sheets: SheetBook) -> None:
        loaded = [r for r in results if r.variants]  # files that did not load are reported
        for result in loaded:
            self._archive.add(result, sheets)
        self._notebooks.add(loaded, sheets)

    def finish(self) -> Iterable[str]:
        import itertools

        try:
            archive = [os.fspath(p) for p in self._archive.finish()]  # none if nothing loads
        except BaseException:
            self._notebooks.discard()
            raise
        return itertools.chain(archive, self._notebooks.finish())

    def close(self) -> None:
        self._archive.close()
        self._notebooks.discard()


#: The steps `benchsheet build` runs beside the sheets and the index, in order: each is made
#: once per build (output folder, settings) and fed batch by batch (`BuildStep`).
BUILD_STEPS: list[Callable[[Path, BuildSettings], BuildStep]] = [ExportStep]
#: Files a build holds at once: more are validated twice (see the module's docstring). A
#: file of the bundled library holds about 3 MB of models, amounts and sheets.
BATCH_FILES = 32


def _settings(pairs: Sequence[str]) -> dict[str, object] | str | None:
    """`--variant x=0.5 --variant host=Zn` → parameter settings; one bare word → a name."""
    import yaml

    if not pairs:
        return None
    if len(pairs) == 1 and "=" not in pairs[0]:
        return pairs[0]
    settings: dict[str, object] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--variant {pair}: write NAME=VALUE (e.g. x=0.5), or give one "
                             "declared variant's name alone")
        if name.strip() in settings:
            raise ValueError(f"--variant {pair}: {name.strip()} is set twice; give it once")
        # A value is read as a YAML scalar, the way the protocol's parameters are written.
        settings[name.strip()] = yaml.safe_load(value) if value.strip() else ""
    return settings


def _sheet_name(slug: str, factor: object) -> str:
    if str(factor) in ("1", ""):
        return slug
    return f"{slug}--x{str(factor).replace('.', '-')}"


def _inputs(paths: Sequence[Path], settings: Settings, rules: DiscoveryRules
            ) -> tuple[list[Path], ReagentLibrary, Options] | None:
    """The protocol files under ``paths``, the reagent library and the validation options;
    None when the files or the reagent files cannot be read (said on stderr)."""
    from benchsheet.cli import options_from
    from benchsheet.reagents.library import ReagentFileError, load_library
    from benchsheet.validate import collect_files

    options = options_from(settings)
    files, errors = collect_files(paths, rules)
    for error in errors:
        print(f"benchsheet: {error}", file=sys.stderr)
    if errors:
        return None
    if not files:
        print("benchsheet: no protocol files (*.yaml, *.yml) found", file=sys.stderr)
        return None
    try:
        library = load_library(options.reagent_files)
    except ReagentFileError as exc:
        print(f"benchsheet: {exc}", file=sys.stderr)
        return None
    return files, library, options


def _load(paths: Sequence[Path], settings: Settings, rules: DiscoveryRules
          ) -> tuple[list[FileResult], ReagentLibrary, Options] | None:
    """Every file under ``paths`` validated, links between them followed, as by validate."""
    from benchsheet.validate import validate_files

    inputs = _inputs(paths, settings, rules)
    if inputs is None:
        return None
    files, library, options = inputs
    return validate_files(files, options, library, named=paths), library, options


def _batches(files: Sequence[Path], named: Sequence[Path], options: Options,
             library: ReagentLibrary, *, progress: bool, jobs: int
             ) -> Iterator[list[FileResult]]:
    """The files' results, ``BATCH_FILES`` at a time, each validated and linked to the whole
    run as ``validate_files`` would (a file named in ``named`` on its own is not told of links
    to files outside the run)."""
    from benchsheet.progress import track
    from benchsheet.validate import RunBudget, link_files, validate_files
    from benchsheet.workers import link_index

    # A long build shows a bar on a terminal (only there is rich imported).
    bar = (lambda items: track(items, "validating")) if progress else None
    if len(files) <= BATCH_FILES:
        yield validate_files(files, options, library, named=named, progress=bar)
        return
    index = link_index(files, options, library, named=named, progress=bar, jobs=jobs)
    budget = RunBudget(options.limits)  # the first pass's decisions again, file for file
    starts = range(0, len(files), BATCH_FILES)
    for start in track(starts, "writing") if progress else starts:
        batch = [budget.validate(path, options.for_file(path), library)
                 for path in files[start:start + BATCH_FILES]]
        link_files(batch, library, options, index=index)
        yield batch


def _errors(findings: Sequence[Finding]) -> list[Finding]:
    """The findings that fail at error level (not acknowledged)."""
    from benchsheet.findings import Severity

    return [f for f in findings if f.fails and f.severity >= Severity.ERROR]


def report_errors(result: FileResult | VariantResult) -> None:
    """Print a result's errors to stderr, one line each with its fix: what ``render`` and
    ``export`` say before they exit 1 without writing."""
    for f in _errors(result.findings):
        where = f" [{f.variant}]" if f.variant else ""
        print(f"{f.location()}{where} {f.code} {f.severity}: {f.message}; {f.hint}"
              if f.hint else f"{f.location()}{where} {f.code} {f.severity}: {f.message}",
              file=sys.stderr)


def _template_problem(exc: Exception, templates: Path | None) -> str:
    """A template that does not parse or render, in one line with its file and line."""
    import traceback

    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError):
        return (f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: "
                f"{exc.message}; fix the template")
    if isinstance(exc, UnicodeDecodeError):
        return (f"--templates {templates}: a template is not UTF-8 text ({exc.reason}); "
                "save it as UTF-8")
    # jinja2 rewrites the traceback so that a template's frames carry its file and line.
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    where = f"{frames[-1].filename}:{frames[-1].lineno}: " if frames else ""
    return (f"{where}template error: {exc}; fix the template (benchsheet's own templates "
            "show the names a sheet offers)")


def _guard_templates(command: Callable[[argparse.Namespace], int]
                     ) -> Callable[[argparse.Namespace], int]:
    """A lab's ``--templates`` folder that is missing, or a template in it that does not parse
    or render, is a usage error (exit 2) with the template's file and line, not a traceback."""
    import functools

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        import jinja2

        templates: Path | None = args.templates
        if templates is not None and not templates.is_dir():
            print(f"benchsheet: --templates {templates}: not a folder; give the folder that "
                  "holds the lab's templates (sheet.md.j2, sheet.html.j2, ...)", file=sys.stderr)
            return EXIT_USAGE
        try:
            return command(args)
        except (jinja2.TemplateError, UnicodeDecodeError) as exc:
            print(f"benchsheet: {_template_problem(exc, templates)}", file=sys.stderr)
            return EXIT_USAGE

    return run


@_guard_templates
def cmd_render(args: argparse.Namespace) -> int:
    from benchsheet.api import SheetRequest, VariantError, prepare_sheet
    from benchsheet.atomic import write_atomic
    from benchsheet.cli import discovery_from, settings_from
    from benchsheet.export.records import variant_slug
    from benchsheet.findings import Severity
    from benchsheet.render import render_sheets
    from benchsheet.scaling import ScaleError

    try:
        variant = _settings(args.variant)
    except ValueError as exc:
        print(f"benchsheet: {exc}", file=sys.stderr)
        return EXIT_USAGE
    config = settings_from(args)
    if config is None:
        return EXIT_USAGE
    if config.source("output") == "default":
        print("benchsheet: render: give the folder to write the sheets into with -o DIR (or "
              "output in the configuration)", file=sys.stderr)
        return EXIT_USAGE
    loaded = _load(args.paths, config, discovery_from(config, args))
    if loaded is None:
        return EXIT_USAGE
    results, library, options = loaded
    formats: list[SheetFormat] = args.format or ["md", "html"]
    status = EXIT_OK
    for result in results:
        if result.failed(Severity.ERROR):
            report_errors(result)
            print(f"benchsheet: {result.document.path}: fails validation; no sheet written",
                  file=sys.stderr)
            status = EXIT_FINDINGS
            continue
        wanted = [variant] if variant is not None else [v.name for v in result.variants]
        for which in wanted:
            try:
                chosen, factor, basis = prepare_sheet(
                    result, SheetRequest(which, args.scale, args.target),
                    library, options)
            except (VariantError, ScaleError) as exc:
                print(f"benchsheet: {exc}", file=sys.stderr)
                return EXIT_USAGE
            # A variant made from --variant settings, or a scaled one, is validated anew; its
            # own findings (a negative amount, an overfilled vessel) are what to report.
            shown = (chosen.name or "the base protocol") + (
                f" scaled by {factor}" if factor != 1 else "")
            report_errors(chosen)
            if chosen.protocol is None or chosen.amounts is None:
                print(f"benchsheet: {result.document.path}: {shown} does not model; no sheet "
                      "written", file=sys.stderr)
                status = EXIT_FINDINGS
                continue
            if _errors(chosen.findings):
                print(f"benchsheet: {result.document.path}: {shown} has the errors above; "
                      "they are listed on its sheet too", file=sys.stderr)
                status = EXIT_FINDINGS
            name = _sheet_name(variant_slug(chosen.protocol.id, chosen.name), factor)
            # Every format is rendered before any is written: a lab template that fails
            # leaves no Markdown sheet without its HTML twin.
            texts = render_sheets(result, chosen, formats, templates=args.templates,
                                  paper=config.paper, scale=factor, scale_basis=basis)
            for fmt, text in texts.items():
                target = config.output / f"{name}.{fmt}"
                write_atomic(target, text)
                print(f"wrote {target}")
    return status


def write_sheets(results: Sequence[FileResult], out_dir: Path, *,
                 templates: Path | None = None, paper: Paper = "a4", progress: bool = False,
                 sheets: SheetBook | None = None, jobs: int = 1
                 ) -> tuple[list[Path], list[IndexEntry]]:
    """Every variant of every file that models, as Markdown and HTML; the index entries.

    The sheets are rendered into ``sheets`` (a fresh book if none is given), where the build's
    other outputs find them; each is written while the next is rendered. With ``jobs`` > 1
    and enough sheets, the later ones are rendered meanwhile by forked workers
    (``build_jobs``); what is written and said is the same."""
    from benchsheet.atomic import AtomicWriter
    from benchsheet.build_jobs import ForkedSheets
    from benchsheet.export.records import variant_slug
    from benchsheet.progress import track
    from benchsheet.render import FORMATS, IndexEntry, SheetBook

    book = SheetBook() if sheets is None else sheets
    written: list[Path] = []
    entries: list[IndexEntry] = []
    modelled = [(result, variant) for result in results for variant in result.variants
                if variant.protocol is not None and variant.amounts is not None]
    # The workers are forked before the writer starts its threads: never fork beside one.
    with ForkedSheets(book, modelled, FORMATS, templates=templates, paper=paper,
                      jobs=jobs) as forked, AtomicWriter() as writer:
        for result in (track(results, "writing sheets") if progress else results):
            file = Path(result.document.path).name
            if not result.variants:
                first = next((f for f in result.findings if f.fails), None)
                reason = f"{first.code} {first.message}" if first else "did not load"
                entries.append(IndexEntry(Path(file).stem, file, "", file, "", "",
                                          sum(1 for f in result.findings if f.fails), 0, 0, 0,
                                          reason))
                continue
            for variant in result.variants:
                counts = {"error": 0, "warning": 0, "info": 0, "acknowledged": 0}
                for f in book.findings(result, variant):
                    counts["acknowledged" if f.acknowledged else str(f.severity)] += 1
                if variant.protocol is None or variant.amounts is None:
                    entries.append(IndexEntry(Path(file).stem, file, variant.name, file, "",
                                              "", counts["error"], counts["warning"],
                                              counts["info"], counts["acknowledged"],
                                              "does not model"))
                    continue
                slug = variant_slug(variant.protocol.id, variant.name)
                forked.take(variant)
                for fmt, text in book.render_all(result, variant, FORMATS,
                                                 templates=templates, paper=paper).items():
                    target = out_dir / f"{slug}.{fmt}"
                    writer.write(target, text)
                    written.append(target)
                entries.append(IndexEntry(variant.protocol.id, variant.protocol.title,
                                          variant.name, file, f"{slug}.md", f"{slug}.html",
                                          counts["error"], counts["warning"], counts["info"],
                                          counts["acknowledged"]))
    return written, entries


def _write_batches(batches: Iterator[list[FileResult]], out: Path, steps: list[BuildStep], *,
                   templates: Path | None, paper: Paper, progress: bool, jobs: int
                   ) -> tuple[SpooledTexts, SpooledList[IndexEntry], bool,
                              dict[int, ValueError]]:
    """Each batch's errors said, its sheets written and the steps fed: the paths written and
    the index entries (both held to the end of the build, for its manifest and its index: on
    disk, ``benchsheet.spool``, as a build of ten thousand files writes some 190,000 files),
    whether a file failed validation, and the steps that refused a batch (by index: their
    error is said when the others are done)."""
    from benchsheet.findings import Severity
    from benchsheet.render import SheetBook
    from benchsheet.spool import SpooledList, SpooledTexts

    written = SpooledTexts()
    entries = SpooledList(astuple, _index_entry)
    failed = False
    broken: dict[int, ValueError] = {}
    for batch in batches:
        for result in batch:
            failed = failed or result.failed(Severity.ERROR)
            report_errors(result)
        sheets = SheetBook()  # each sheet rendered once, for its files, archive and notebooks
        done, listed = write_sheets(batch, out, templates=templates, paper=paper,
                                    progress=progress, sheets=sheets, jobs=jobs)
        written.update(map(os.fspath, done))
        entries.extend(listed)
        for number, step in enumerate(steps):
            if number not in broken:
                try:
                    step.add(batch, sheets)
                except ValueError as exc:
                    broken[number] = exc
    return written, entries, failed, broken


def _index_entry(row: list[Any]) -> IndexEntry:
    """An index entry back from ``benchsheet.spool``, which keeps its fields in order."""
    from benchsheet.render import IndexEntry

    return IndexEntry(*row)


def _write_index(out: Path, entries: Sequence[IndexEntry], *, templates: Path | None,
                 failed: bool) -> list[str]:
    """The index pages, each written as its template renders it, a piece at a time: a build
    of ten thousand files has an index of megabytes, never held whole. The paths written."""
    from benchsheet.atomic import atomic_stream
    from benchsheet.render import FORMATS, index_chunks

    written = []
    for fmt in FORMATS:
        index = out / f"index.{fmt}"
        with atomic_stream(index) as stream:
            pending: list[str] = []
            size = 0
            for chunk in index_chunks(entries, fmt, templates=templates, failed=failed):
                pending.append(chunk)
                size += len(chunk)
                if size > 1 << 16:
                    stream.write("".join(pending).encode("utf-8"))
                    pending, size = [], 0
            stream.write("".join(pending).encode("utf-8"))
        written.append(os.fspath(index))
    return written


@_guard_templates
def cmd_build(args: argparse.Namespace) -> int:
    from benchsheet.atomic import sweep_stale
    from benchsheet.build_manifest import remove_stale
    from benchsheet.cli import discovery_from, settings_from
    from benchsheet.pathlist import PathList
    from benchsheet.workers import default_jobs

    config = settings_from(args)
    if config is None:
        return EXIT_USAGE
    jobs = config.jobs or default_jobs()
    paths = args.paths or [Path("protocols")]
    inputs = _inputs(paths, config, discovery_from(config, args))
    if inputs is None:
        return EXIT_USAGE
    found, library, options = inputs
    # Held to the build's end: as text, not a path object each (the list found goes now).
    files = PathList(found)
    found.clear()
    batches = _batches(files, paths, options, library, progress=True, jobs=jobs)
    out: Path = config.output
    sweep_stale(out)  # what a build killed mid-write left behind
    steps = [make(out, BuildSettings(date=args.date)) for make in BUILD_STEPS]
    try:
        written, entries, failed, broken = _write_batches(
            batches, out, steps, templates=args.templates, paper=config.paper,
            progress=len(files) <= BATCH_FILES, jobs=jobs)
        written.update(_write_index(out, entries, templates=args.templates, failed=failed))
        status = EXIT_FINDINGS if failed else EXIT_OK
        for number, step in enumerate(steps):
            try:
                if number in broken:
                    raise broken[number]
                written.update(step.finish())
            except ValueError as exc:
                print(f"benchsheet: {type(step).__name__}: {exc}", file=sys.stderr)
                status = EXIT_FINDINGS
    finally:
        for step in steps:
            step.close()
    # What the last build wrote and this one did not (the sheets of a deleted protocol or
    # variant) goes; the manifest records this build's files for the next.
    cleanup = remove_stale(out, written, sources=files)
    if cleanup.ignored_manifest:
        print(f"benchsheet: {cleanup.ignored_manifest}", file=sys.stderr)
    for path in cleanup.removed:
        print(f"removed {path}")
    for path, error in cleanup.failed:
        print(f"benchsheet: could not remove {path}, which the build no longer writes: "
              f"{error.strerror or error}", file=sys.stderr)
    removed = f"; removed {len(cleanup.removed)} no longer written" if cleanup.removed else ""
    print(f"wrote {len(written)} files to {out} ({len(entries)} sheets of "
          f"{len(files)} protocol files){removed}{'; validation failed' if failed else ''}")
    return status


def _add_sheet_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--templates", type=Path, metavar="DIR",
                   help="a lab's own templates (sheet.md.j2, sheet.html.j2, index.*.j2, "
                   "sheet.css.j2); any not there come from benchsheet")
    p.add_argument("--paper", choices=("a4", "letter"),
                   help="page size of the printed HTML sheet (default: a4, or paper in the "
                   "configuration)")
    p.add_argument("--reagents", metavar="FILE", action="append", type=Path, default=[],
                   help="a lab's own reagent file (may be repeated)")
    from benchsheet.cli import add_limit_option

    add_limit_option(p)


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `render` and `build`."""
    from benchsheet import scaling  # noqa: F401 - registers the SH rules, for 'explain SH'
    from benchsheet.cli import add_jobs_option, add_verbose
    from benchsheet.cli_export import iso_date

    p = sub.add_parser(
        "render", help="write bench sheets (Markdown, print-ready HTML) of protocols",
        description="Validate the protocols and write the bench sheet of each variant (or of "
        "the one chosen with --variant), optionally scaled. Amounts scale; ratios, "
        "temperatures and times do not; the scaled protocol is checked again.")
    p.add_argument("paths", nargs="+", type=Path, metavar="PROTOCOL",
                   help="protocol files, or folders searched for *.yaml")
    p.add_argument("--variant", action="append", default=[], metavar="NAME=VALUE",
                   help="parameter settings (repeat for several, e.g. --variant x=0.5), or a "
                   "declared variant's name; default: every variant")
    scale = p.add_mutually_exclusive_group()
    scale.add_argument("--scale", metavar="F", help="multiply every amount by F (e.g. 2, 0.5)")
    scale.add_argument("--target", metavar="AMOUNT",
                       help="scale to a wanted amount: of the product's theoretical yield "
                       "('0.05 mmol', clusters for a cluster product; '200 mg') or of one "
                       "material or product ('CdCl2=3 mmol', 'msc=0.05 mmol')")
    p.add_argument("--format", action="append", choices=("md", "html"),
                   help="md or html (repeat for both; default: both)")
    p.add_argument("-o", "--output", type=Path, metavar="DIR",
                   help="folder to write the sheets into (default: output in the "
                   "configuration)")
    _add_sheet_options(p)
    add_verbose(p)
    p.set_defaults(func=cmd_render)

    p = sub.add_parser(
        "build", help="validate everything and write every sheet with an index page",
        description="Validate every protocol, then write the Markdown and HTML sheet of every "
        "protocol and variant and an index (index.html, index.md) into one folder, then run "
        "the other build steps (exports). Exit 1 if validation fails at error level; the "
        "sheets of the files that model are written all the same. Files an earlier build "
        "wrote and this one does not (those of deleted protocols) are removed, as listed in "
        "the folder's .benchsheet-manifest.json; nothing else is.")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="protocol files or folders (default: protocols/)")
    p.add_argument("-o", "--output", type=Path, metavar="DIR",
                   help="output folder (default: build/, or output in the configuration)")
    p.add_argument("--date", type=iso_date, metavar="ISO",
                   help="created/modified date of the exports (e.g. 2026-11-24) instead of "
                   "each protocol's own 'date'; needed when a protocol has none")
    _add_sheet_options(p)
    add_jobs_option(p, "render the sheets across N processes when there are many")
    add_verbose(p)
    p.set_defaults(func=cmd_build)
