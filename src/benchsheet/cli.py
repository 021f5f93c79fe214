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


def _unknown_selection(args: argparse.Namespace) -> str | None:
    """A usage error for a --select or --ignore code that names no rule, else None.

    A typo (``--ignore ST10Z``) would otherwise check nothing, or everything, in silence. A
    code counts when it is a rule, a family or a prefix of rules (``ST1``).
    """
    from benchsheet.checks import load_all
    from benchsheet.rules import FAMILIES, RULES

    load_all()
    for option, text in (("--select", args.select), ("--ignore", args.ignore)):
        unknown = [c for c in _codes(text) if not any(code.startswith(c) for code in RULES)]
        if unknown:
            return (f"{option} {','.join(unknown)}: no such rule or family; families: "
                    f"{', '.join(sorted(FAMILIES))} ('benchsheet explain ST' lists a family)")
    return None


def _options(args: argparse.Namespace) -> object:
    from benchsheet.validate import Options

    return Options(select=_codes(args.select), ignore=_codes(args.ignore),
                   reagent_files=tuple(args.reagents))


def cmd_validate(args: argparse.Namespace) -> int:
    from benchsheet.findings import Severity
    from benchsheet.reagents.library import ReagentFileError
    from benchsheet.reporters import REPORTERS
    from benchsheet.validate import Options, validate_paths

    problem = _unknown_selection(args)
    if problem:
        print(f"benchsheet: {problem}", file=sys.stderr)
        return EXIT_USAGE
    options = _options(args)
    assert isinstance(options, Options)
    fail_on = Severity.parse(args.fail_on)
    try:
        results, errors = validate_paths(args.paths, options)
    except ReagentFileError as exc:
        print(f"benchsheet: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for error in errors:
        print(f"benchsheet: {error}", file=sys.stderr)
    findings = [f for r in results for f in r.findings]
    if results:
        show = Severity.parse(args.show)
        sys.stdout.write(REPORTERS[args.format](findings, len(results), fail_on, show))
    if errors or not results:
        if not errors:
            print("benchsheet: no protocol files (*.yaml, *.yml) found", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_FINDINGS if any(r.failed(fail_on) for r in results) else EXIT_OK


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

    try:
        library = load_library(tuple(args.reagents))
    except ReagentFileError as exc:
        print(f"benchsheet: {exc}", file=sys.stderr)
        return EXIT_USAGE
    records = library.find(args.query) if args.query else sorted(library, key=lambda r: r.id)
    if not records:
        print(f"benchsheet: no reagent matches {args.query!r}", file=sys.stderr)
        return EXIT_FINDINGS
    for r in records:
        names = ", ".join((*r.abbreviations, *r.ambiguous_abbreviations))
        form = f" [{r.form}]" if r.form else ""
        print(f"{r.id:36} {r.cas or '-':>12}  {r.formula:16} {r.name}{form}"
              + (f"  ({names})" if names else ""))
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
                   help="protocol files, or folders searched for *.yaml")
    p.add_argument("--format", choices=("text", "json", "github"), default="text",
                   help="text for people, json for tools, github for workflow annotations")
    p.add_argument("--fail-on", choices=("info", "warning", "error"), default="error",
                   help="exit 1 when a finding at or above this severity is not acknowledged "
                   "(default: error)")
    p.add_argument("--show", choices=("info", "warning", "error"), default="warning",
                   help="list findings at or above this severity in text and github output "
                   "(default: warning; notes such as computed yields are counted, not listed; "
                   "json lists everything)")
    _add_selection(p)
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
                       "abbreviation, CAS or formula (several hits mean the key is ambiguous).")
    p.add_argument("query", nargs="?", help="id, name, abbreviation, CAS or formula")
    p.add_argument("--reagents", metavar="FILE", action="append", type=Path, default=[],
                   help="a lab's own reagent file to include")
    p.set_defaults(func=cmd_reagents)

    from benchsheet import cli_export, cli_render

    cli_render.add_commands(sub)  # render, build
    cli_export.add_commands(sub)  # export, import

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


def main(argv: Sequence[str] | None = None) -> int:
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
