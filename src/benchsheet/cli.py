"""The ``benchsheet`` command: options in, one API call, an exit code out.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 usage or I/O error.
Imports stay inside the sub-commands so ``--help`` and ``--version`` start fast.
"""

from __future__ import annotations

import argparse
import errno
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchsheet.config import Settings
    from benchsheet.discovery import DiscoveryRules
    from benchsheet.findings import Severity
    from benchsheet.validate import Options

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

DESCRIPTION = """\
Check chemistry protocols written as YAML, and turn them into bench sheets and ELN records.

Typical use:
  benchsheet validate protocols/            check every protocol (CI runs this)
  benchsheet explain ST102                  what a rule checks, and why
  benchsheet build protocols/ -o build/     check, then write every sheet and export
"""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("benchsheet")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


class _VersionAction(argparse.Action):
    """Looks the version up only when asked: importlib.metadata costs ~30 ms at every start."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        print(f"benchsheet {_version()}")
        parser.exit()


_OS_ERROR_HINTS = {
    errno.EACCES: "check its permissions, or choose another place",
    errno.EPERM: "check its permissions, or choose another place",
    errno.EEXIST: "a file is in the way where a folder is needed; choose another output",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "that is a folder; give a file name",
    errno.ENOSPC: "free some space, or write somewhere else",
    errno.EROFS: "write somewhere else",
    errno.ENOENT: "check the path",
}


def describe_os_error(exc: OSError) -> str:
    """An I/O error as one line: the path, what the system says, and what to do about it.

    ``str(exc)`` reads ``[Errno 17] File exists: 'build'``; this reads ``build: File exists;
    a file is in the way where a folder is needed; choose another output``.
    """
    what = exc.strerror or str(exc)
    where = f"{exc.filename}: " if exc.filename is not None else ""
    hint = _OS_ERROR_HINTS.get(exc.errno or 0)
    return f"{where}{what}" + (f"; {hint}" if hint else "")


def _codes(text: str | None) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in (text or "").split(",") if c.strip())


def _add_selection(p: argparse.ArgumentParser) -> None:
    p.add_argument("--select", metavar="CODES", help="only these rule codes or families "
                   "(comma-separated, e.g. ST,GS101)")
    p.add_argument("--ignore", metavar="CODES", help="skip these rule codes or families")
    p.add_argument("--reagents", metavar="FILE", action="append", type=Path, default=[],
                   help="a lab's own reagent file that adds to or overrides the library "
                   "(may be repeated)")
    add_limit_option(p)


def add_limit_option(p: argparse.ArgumentParser) -> None:
    """``--limit NAME=VALUE``: raise (or lower) one of the size limits for this run."""
    p.add_argument("--limit", metavar="NAME=VALUE", action="append", default=[],
                   help="raise a limit for this run, e.g. --limit variants=200 (see the "
                   "README's Limits; may be repeated)")


def _limits(settings: Settings, given: list[str]) -> Settings:
    """``settings`` with the ``--limit`` options applied over the file's limits; raises
    ``ConfigError`` for one written wrongly."""
    from dataclasses import replace

    from benchsheet.config import ConfigError
    from benchsheet.limits import LimitError, parse_limit

    if not given:
        return settings
    chosen: dict[str, int] = {}
    for item in given:
        name, sep, value = item.partition("=")
        try:
            if not sep:
                raise LimitError(f"write NAME=VALUE, e.g. --limit variants=200, not {item!r}")
            attribute, amount = parse_limit(name, value)
        except LimitError as exc:
            raise ConfigError(f"--limit: {exc}") from None
        chosen[attribute] = amount
    return settings.override(limits=replace(settings.limits, **chosen))


def _unknown_selection(settings: Settings) -> str | None:
    """A usage error for a select or ignore code (option or configuration) that names no
    rule, else None.

    A typo (``--ignore ST10Z``) would otherwise check nothing, or everything, in silence. A
    code counts when it is a rule, a family or a prefix of rules (``ST1``).
    """
    from benchsheet.checks import load_all
    from benchsheet.config import COMMAND_LINE
    from benchsheet.rules import FAMILIES, RULES

    load_all()
    chosen = [("select", settings.select), ("ignore", settings.ignore),
              *(("per-file-ignores", codes) for _, codes in settings.per_file_ignores)]
    for key, codes in chosen:
        unknown = [c for c in codes if not any(code.startswith(c) for code in RULES)]
        if unknown:
            source = settings.source(key)
            option = f"--{key}" if source == COMMAND_LINE else f"{source}: {key}"
            return (f"{option} {','.join(unknown)}: no such rule or family; families: "
                    f"{', '.join(sorted(FAMILIES))} ('benchsheet explain ST' lists a family)")
    return None


def settings_from(args: argparse.Namespace, *, codes: bool = True) -> Settings | None:
    """The configuration file's settings with the options given on the command line in their
    place; None (the problem printed) if the file cannot be used or (``codes``) a select or
    ignore code names no rule."""
    from benchsheet.config import ConfigError, load_settings

    try:
        settings = load_settings().override(
            fail_on=getattr(args, "fail_on", None), select=_codes(getattr(args, "select", "")),
            ignore=_codes(getattr(args, "ignore", "")),
            reagents=tuple(getattr(args, "reagents", ())), paper=getattr(args, "paper", None),
            output=getattr(args, "output", None), jobs=getattr(args, "jobs", None))
        settings = _limits(settings, getattr(args, "limit", []))
    except ConfigError as exc:
        print(f"benchsheet: {exc}", file=sys.stderr)
        return None
    problem = _unknown_selection(settings) if codes else None
    if problem:
        print(f"benchsheet: {problem}", file=sys.stderr)
        return None
    return settings


def options_from(settings: Settings) -> Options:
    """What to check, from the effective settings."""
    from benchsheet.validate import Options

    return Options(select=settings.select, ignore=settings.ignore,
                   reagent_files=settings.reagents, per_file_ignores=settings.per_file_ignores,
                   per_file_root=settings.root, limits=settings.limits)


def discovery_from(settings: Settings, args: argparse.Namespace) -> DiscoveryRules:
    """What a folder's search leaves out; with ``-v`` each thing left out is printed."""
    from benchsheet.discovery import DiscoveryRules, Skipped

    def tell(skipped: Skipped) -> None:
        print(f"benchsheet: skipped {skipped}", file=sys.stderr)

    return DiscoveryRules(exclude=settings.exclude, root=settings.root,
                          exclude_source=settings.source("exclude"), output=settings.output,
                          reagent_files=settings.reagents,
                          on_skip=tell if getattr(args, "verbose", 0) else None)


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of processes, 1 or more")
    return jobs


def add_jobs_option(p: argparse.ArgumentParser,
                    work: str = "validate across N processes when there are many files"
                    ) -> None:
    """``-j/--jobs N``; ``work`` says what the command spreads over the N processes."""
    p.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                   help=f"{work} (default: the jobs setting, else the cores it may use, within "
                   "the CPU limit of its container or service); output and exit code are "
                   "those of one process")


def add_verbose(p: argparse.ArgumentParser) -> None:
    """``-v``, unless the command has it already: output verbosity and the files a folder's
    search skipped share the one flag."""
    if "-v" not in p._option_string_actions:
        p.add_argument("-v", "--verbose", action="count", default=0,
                       help="say more: also what a folder's search skipped, and why")


def cmd_validate(args: argparse.Namespace) -> int:
    from benchsheet.findings import Severity
    from benchsheet.reagents.library import ReagentFileError
    from benchsheet.reporters import REPORTERS

    settings = settings_from(args)
    if settings is None:
        return EXIT_USAGE
    from benchsheet.cli_output import STDIN, STDIN_NAME, output_problem, read_stdin, use_color

    problem = output_problem(args)
    if problem:
        print(f"benchsheet: {problem}", file=sys.stderr)
        return EXIT_USAGE
    options = options_from(settings)
    fail_on = Severity.parse(settings.fail_on)
    try:
        if args.paths == [STDIN]:
            from benchsheet.loader import MAX_FILE_BYTES
            from benchsheet.validate import validate_bytes

            name = args.stdin_filename or STDIN_NAME
            errors: list[str] = []
            results = [validate_bytes(read_stdin(MAX_FILE_BYTES + 1), name, options)]
        else:
            return _validate_streaming(args, settings, options, fail_on)
    except ReagentFileError as exc:
        print(f"benchsheet: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for error in errors:
        print(f"benchsheet: {error}", file=sys.stderr)
    findings = [f for r in results for f in r.findings]
    if results:
        show = Severity.INFO if args.verbose else Severity.parse(args.show)
        sys.stdout.write(REPORTERS[args.format](findings, len(results), fail_on, show,
                                                quiet=args.quiet,
                                                color=use_color(args.color)))
    if errors or not results:
        if not errors:
            print("benchsheet: no protocol files (*.yaml, *.yml) found", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_FINDINGS if any(r.failed(fail_on) for r in results) else EXIT_OK


def _validate_streaming(args: argparse.Namespace, settings: Settings, options: Options,
                        fail_on: Severity) -> int:
    """``validate PATH...``: the files checked one at a time (across ``--jobs`` processes,
    ``benchsheet.workers``).

    Text, github and json-lines are written as the run goes: each file's findings, sorted,
    as its result arrives in file order; then those of the pass across files (RF306, RF307
    and their stale acknowledgements), which only the last file completes, sorted as the
    whole report once was; then the summary. json and sarif are one document each, written
    from the spool once every file is read.
    """
    from benchsheet.cli_output import use_color
    from benchsheet.findings import Finding, Severity, sort_key
    from benchsheet.pathlist import PathList
    from benchsheet.progress import track
    from benchsheet.reagents.library import load_library
    from benchsheet.reporters import LIVE_REPORTERS, STREAMING_REPORTERS
    from benchsheet.streaming import Tally, Totals
    from benchsheet.validate import collect_files
    from benchsheet.workers import check_run, default_jobs, stream_run

    # Taken before a progress bar starts: rich stands in for sys.stdout while it draws, and
    # sends what it is given to the bar's stream, standard error.
    out = sys.stdout
    found, errors = collect_files(args.paths, discovery_from(settings, args))
    # Held to the run's end: as text, not a path object each (the list found goes now).
    files = PathList(found)
    found.clear()
    library = load_library(options.reagent_files)
    for error in errors:
        print(f"benchsheet: {error}", file=sys.stderr)
    if not files:
        if not errors:
            print("benchsheet: no protocol files (*.yaml, *.yml) found", file=sys.stderr)
        return EXIT_USAGE
    show = Severity.INFO if args.verbose else Severity.parse(args.show)
    color = use_color(args.color)
    live = LIVE_REPORTERS.get(args.format)
    progress = (lambda found: track(found, "validating")) \
        if _draws_bar(args, streamed=live is not None) else None
    jobs = settings.jobs or default_jobs()
    if live is None:
        spool = check_run(files, options, library, named=args.paths, progress=progress,
                          jobs=jobs)
        try:
            STREAMING_REPORTERS[args.format](out, spool.sorted_findings(), spool.totals,
                                             fail_on, show, quiet=args.quiet, color=color)
        finally:
            spool.close()
        totals = spool.totals
    else:
        report = live(out, fail_on, show, quiet=args.quiet, color=color)
        totals = Totals()

        def arrived(findings: list[Finding] | Tally) -> None:
            totals.files += 1
            if isinstance(findings, Tally):  # from a worker: what is printed, and counts
                totals.add(findings.totals)
                findings = findings.shown
            else:
                totals.count(findings)
            if report.findings(sorted(findings, key=sort_key)):
                out.flush()  # a CI log shows the file's findings now, not when a buffer fills

        across = stream_run(files, options, library, on_file=arrived, named=args.paths,
                            progress=progress, jobs=jobs, keep=report.shown())
        try:
            report.findings(across.sorted_findings())
            totals.add(across.totals)
            report.summary(totals)
        finally:
            across.close()
    if errors:
        return EXIT_USAGE
    return EXIT_FINDINGS if totals.failed(fail_on) else EXIT_OK


def _draws_bar(args: argparse.Namespace, *, streamed: bool) -> bool:
    """Whether a long run may draw its progress bar (on standard error, if a terminal).

    Not with ``-q``; and not when the report is written as the run goes to a terminal that
    standard error shares: a line written there while the bar is drawn would break the bar,
    and the bar would redraw over the line.
    """
    if args.quiet:
        return False
    return not (streamed and sys.stdout.isatty() and sys.stderr.isatty())


def cmd_schema(args: argparse.Namespace) -> int:
    from benchsheet.atomic import write_atomic
    from benchsheet.schema import schema_text

    text = schema_text()
    if args.output == "-":
        sys.stdout.write(text)
        return EXIT_OK
    out = Path(args.output)
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            print(f"{out} is out of date; run: benchsheet schema -o {out}", file=sys.stderr)
            return EXIT_FINDINGS
        return EXIT_OK
    write_atomic(out, text)
    print(f"wrote {out}")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from benchsheet.checks import load_all
    from benchsheet.rules import FAMILIES, RULES

    load_all()
    code = args.code.strip().upper()
    if code in FAMILIES:
        print(f"{code}: {FAMILIES[code]}")
        for info in sorted(RULES.values(), key=lambda r: r.code):
            if info.family == code:
                print(f"  {info.code} {info.severity}: {info.title}")
        return EXIT_OK
    found = RULES.get(code)
    if found is None:
        print(f"benchsheet: no rule {code or repr(code)}; give a code such as ST102 or a family:"
              f" {', '.join(sorted(FAMILIES))}", file=sys.stderr)
        return EXIT_USAGE
    print(f"{found.code} ({found.severity}, {FAMILIES[found.family]}): {found.title}\n")
    print(found.explanation)
    return EXIT_OK


def cmd_reagents(args: argparse.Namespace) -> int:
    from benchsheet.reagents.library import ReagentFileError, load_library

    settings = settings_from(args, codes=False)
    if settings is None:
        return EXIT_USAGE
    if args.matches < 0:
        print("benchsheet: --matches must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    try:
        library = load_library(settings.reagents)
    except ReagentFileError as exc:
        print(f"benchsheet: {exc}", file=sys.stderr)
        return EXIT_USAGE
    records = library.find(args.query) if args.query else sorted(library, key=lambda r: r.id)
    # The library's own entries come first, then the embedded database's ranked matches; a
    # bare `benchsheet reagents` lists the library only.
    hits = _database_hits(args.query, args.matches) if args.query else []
    if not records and not hits:
        print(f"benchsheet: no reagent matches {args.query!r}", file=sys.stderr)
        return EXIT_FINDINGS
    marker = "library   " if args.query else ""
    for r in records:
        names = ", ".join((*r.abbreviations, *r.ambiguous_abbreviations))
        form = f" [{r.form}]" if r.form else ""
        print(f"{marker}{r.id:36} {r.cas or '-':>12}  {r.formula:16} {r.name}{form}"
              + (f"  ({names})" if names else ""))
    for line in hits:
        print(line)
    return EXIT_OK


def _database_hits(query: str, limit: int) -> list[str]:
    """Lines for the embedded database's ranked matches: CAS, formula, name, main properties."""
    import sqlite3

    from benchsheet.reagents.database import database

    try:
        hits = database().search(query, limit)
    except sqlite3.Error as exc:
        print(f"benchsheet: the reagent database cannot be read ({exc}); library only",
              file=sys.stderr)
        return []
    lines = []
    for hit in hits:
        c = hit.compound
        facts = [f"M {c.molar_mass:.2f} g/mol" if c.formula_problem is None else
                 "formula short of the water its name says: M not known"]
        for label, kelvin in (("mp", c.melting_point_K), ("bp", c.boiling_point_K),
                              ("flash", c.flash_point_K)):
            if kelvin is not None:
                facts.append(f"{label} {kelvin - 273.15:.1f} °C")
        density = c.correlation_at("liquid_density", 298.15)
        value = c.density_at(298.15)
        if density is not None and value is not None:
            facts.append(f"ρ(25 °C) {value:.3f} g/mL" + (" est." if density.estimated else ""))
        lines.append(f"database  {hit.match:9} {c.cas:>12}  {c.formula:16} {c.name}  "
                     f"[{', '.join(facts)}]")
    return lines


def cmd_config(args: argparse.Namespace) -> int:
    from benchsheet.config import describe, describe_json

    settings = settings_from(args)
    if settings is None:
        return EXIT_USAGE
    sys.stdout.write(describe_json(settings) if args.format == "json" else describe(settings))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="benchsheet", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0,
                        help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check protocol files or folders",
                       description="Check structure, units, references, stoichiometry, gases, "
                       "phases, hazards and reported figures of every protocol and variant.")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                   help="protocol files, or folders searched for *.yaml; '-' reads one "
                   "protocol from standard input")
    p.add_argument("--format", "--output-format", dest="format",
                   choices=("text", "json", "json-lines", "github", "sarif"), default="text",
                   help="text for people, json for tools (json-lines: one finding a line, then "
                   "the run's summary), github for workflow annotations, sarif for code "
                   "scanning")
    add_jobs_option(p)
    p.add_argument("--fail-on", choices=("info", "warning", "error"),
                   help="exit 1 when a finding at or above this severity is not acknowledged "
                   "(default: error, or fail-on in the configuration)")
    p.add_argument("--show", choices=("info", "warning", "error"), default="warning",
                   help="list findings at or above this severity in text and github output "
                   "(default: warning; notes such as computed yields are counted, not listed; "
                   "json and sarif list everything)")
    _add_selection(p)
    from benchsheet.cli_output import add_output_options

    add_output_options(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("schema", help="write the protocol JSON Schema",
                       description="Write the JSON Schema generated from the protocol models.")
    p.add_argument("-o", "--output", default="schemas/protocol.schema.json",
                   help="where to write it ('-' for standard output)")
    p.add_argument("--check", action="store_true",
                   help="exit 1 if the file differs from a fresh schema; write nothing")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("explain", help="say what a rule checks and why",
                       description="Print a rule's explanation, or list a family's rules.")
    p.add_argument("code", help="a rule code (ST102) or a family (ST)")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("reagents", help="list or look up reagents in the library",
                       description="List the reagent library, or find entries by id, name, "
                       "abbreviation, CAS or formula (several hits mean the key is ambiguous); "
                       "a query also searches the embedded reagent database, whose ranked "
                       "matches follow the library's.")
    p.add_argument("query", nargs="?", help="id, name, abbreviation, CAS, formula or InChIKey")
    p.add_argument("--matches", type=int, default=10, metavar="N",
                   help="show at most N database matches (default 10; 0 for the library only)")
    p.add_argument("--reagents", metavar="FILE", action="append", type=Path, default=[],
                   help="a lab's own reagent file to include")
    p.set_defaults(func=cmd_reagents)

    p = sub.add_parser("config", help="show the effective settings and where each came from",
                       description="Print the settings validate, build and render use: the "
                       "nearest pyproject.toml with [tool.benchsheet] or benchsheet.toml (here "
                       "or in a folder above), under the options given here, over the "
                       "defaults; each with its source.")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text (TOML with the source of each setting) or json")
    p.add_argument("--fail-on", choices=("info", "warning", "error"))
    p.add_argument("--paper", choices=("a4", "letter"))
    p.add_argument("-o", "--output", type=Path, metavar="DIR")
    _add_selection(p)
    p.set_defaults(func=cmd_config)

    from benchsheet import cli_export, cli_init, cli_render

    cli_render.add_commands(sub)  # render, build
    cli_export.add_commands(sub)  # export, import
    cli_init.add_commands(sub)  # init

    return parser


def _escape_unprintable_output() -> None:
    """Print a path whose name is not UTF-8 (lone surrogates) with escapes, not a traceback.

    Under a UTF-8 locale stdout is strict, so ``wrote \udcff.md`` would fail after the work
    is done; the C locale already escapes.
    """
    import io

    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="backslashreplace")


def _tune_garbage_collector() -> None:
    """Collect reference cycles at files' ends, not inside a file (``benchsheet.collector``):
    a run builds millions of objects and no cycles, and the collector's walks of a file's
    live objects were half the time of a 10,000-step protocol."""
    from benchsheet.collector import take_over

    take_over()


def _leave(status: int) -> int:
    """End a command-line run with ``status`` without the interpreter's teardown: once the
    output is flushed, freeing every module and object one by one (a tenth of a second after
    a build) changes nothing the run made. Every file a command writes is closed (and
    renamed into place) before it returns, and every thread and worker it starts is joined.
    A run under a tracer or coverage, which save their data at exit, ends as usual; so does
    one whose output cannot be flushed, which Python then reports as it always does."""
    import os

    if sys.gettrace() is not None or "coverage" in sys.modules:
        return status
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return status
    os._exit(status)
    return status  # pragma: no cover - not reached


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:  # the command line, not a caller in Python: its own process
        _tune_garbage_collector()
        return _leave(_main(None))
    return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    _escape_unprintable_output()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except BrokenPipeError:  # output piped into `head`: not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        print(f"benchsheet: {describe_os_error(exc)}", file=sys.stderr)
        return EXIT_USAGE
