"""`benchsheet export` and `benchsheet import`: protocols to ELN archives and notebooks, and back.

Exit codes as for the other commands (`render`, `build`): 0 done; 1 a protocol fails validation
at error level or does not model (its errors are printed, nothing is written: an archive or a
notebook of a protocol with errors would carry them into the ELN unnoticed); 2 usage, I/O or a
refused archive (nothing is written).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchsheet.validate import FileResult

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def iso_date(text: str) -> datetime:
    """`2026-11-24` or a full ISO timestamp; a time without a zone is taken as UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO date such as 2026-11-24 or 2026-11-24T09:30:00+01:00"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def cmd_export(args: argparse.Namespace) -> int:
    from benchsheet.atomic import sweep_stale
    from benchsheet.cli import discovery_from, options_from, settings_from
    from benchsheet.export.eln_write import ElnWriteError, write_eln
    from benchsheet.export.notebook import write_notebooks
    from benchsheet.export.records import ExportError, export_date, license_url, records_for
    from benchsheet.reagents.library import ReagentFileError
    from benchsheet.validate import validate_paths

    output: Path = args.output
    if args.to == "eln" and output.suffix != ".eln":
        print(f"benchsheet: {output}: an ELN archive's name ends in .eln", file=sys.stderr)
        return EXIT_USAGE
    if args.to == "ipynb" and output.suffix == ".eln":  # a folder named x.eln: surely a slip
        print(f"benchsheet: {output}: --to ipynb writes notebooks; give a folder or a .ipynb "
              "file, or use --to eln for an archive", file=sys.stderr)
        return EXIT_USAGE
    # The configuration's reagent files, rule selection and exclusions apply as for validate;
    # its output folder does not (an export names its archive or notebook folder itself).
    config = settings_from(argparse.Namespace(**{**vars(args), "output": None}))
    if config is None:
        return EXIT_USAGE
    try:
        results, errors = validate_paths(args.paths, options_from(config),
                                         rules=discovery_from(config, args))
    except ReagentFileError as exc:
        print(f"benchsheet: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for error in errors:
        print(f"benchsheet: {error}", file=sys.stderr)
    if errors or not results:
        if not errors:
            print("benchsheet: no protocol files (*.yaml, *.yml) found", file=sys.stderr)
        return EXIT_USAGE
    if _report_failures(results):
        return EXIT_FINDINGS
    try:
        if args.to == "eln":
            records = records_for(results, date=args.date, genre=args.genre)
            output.parent.mkdir(parents=True, exist_ok=True)
            sweep_stale(output.parent, name=output.name)  # left by an export killed mid-write
            write_eln(records, output, date=export_date(records, args.date),
                      license_url=license_url(results))
            written = [output]
        else:
            if output.suffix != ".ipynb":
                sweep_stale(output)
            written = write_notebooks(results, output)
    except ExportError as exc:
        for problem in exc.problems:
            print(f"benchsheet: {problem}", file=sys.stderr)
        modelled = all(v.protocol is not None for r in results for v in r.variants) and all(
            r.variants for r in results)
        return EXIT_USAGE if modelled else EXIT_FINDINGS
    except ElnWriteError as exc:
        print(f"benchsheet: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for path in written:
        print(f"wrote {path}")
    return EXIT_OK


def _report_failures(results: Sequence[FileResult]) -> bool:
    """Print the error-level findings of every file that fails validation; True if any does.

    The same rule as `render` and `build`: unacknowledged errors fail, warnings do not.
    """
    from benchsheet.cli_render import report_errors
    from benchsheet.findings import Severity

    failing = [result for result in results if result.failed(Severity.ERROR)]
    for result in failing:
        report_errors(result)
        print(f"benchsheet: {result.document.path}: fails validation; nothing exported",
              file=sys.stderr)
    return bool(failing)


def cmd_import(args: argparse.Namespace) -> int:
    from benchsheet.export.eln_read import ElnImportError
    from benchsheet.export.importer import ImportTargetExistsError, import_protocols

    try:
        written = import_protocols(args.archive, args.output, force=args.force)
    except ElnImportError as exc:
        print(f"benchsheet: {args.archive}: {exc.code} {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    except ImportTargetExistsError as exc:
        print(f"benchsheet: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for path in written:
        print(f"wrote {path}")
    return EXIT_OK


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `export` and `import`."""
    from benchsheet.export.eln_records import GENRES

    p = sub.add_parser(
        "export", help="write protocols as an ELN archive (.eln) or bench notebooks (.ipynb)",
        description="Validate the protocols, then write one .eln archive (one dataset per "
        "protocol file, its variants' sheets attached, for eLabFTW, Kadi4Mat and other ELNs) "
        "or one Jupyter bench notebook per variant. A protocol that fails validation exits 1 "
        "and nothing is written. The same protocols always give the same bytes.")
    p.add_argument("paths", nargs="+", type=Path, metavar="PROTOCOL",
                   help="protocol files, or folders searched for *.yaml")
    p.add_argument("--to", choices=("eln", "ipynb"), default="eln",
                   help="eln: one archive; ipynb: bench notebooks (default: eln)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="PATH",
                   help="the .eln file; for ipynb a folder, or a .ipynb file for one notebook")
    p.add_argument("--genre", choices=GENRES, default="experiment template",
                   help="what eLabFTW makes of each dataset (default: experiment template)")
    p.add_argument("--date", type=iso_date, metavar="ISO",
                   help="export date (default: each protocol's own 'date'; never the clock)")
    p.add_argument("--reagents", metavar="FILE", action="append", type=Path, default=[],
                   help="a lab's own reagent file (may be repeated)")
    from benchsheet.cli import add_limit_option

    add_limit_option(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "import", help="get protocol YAML files back out of a .eln archive benchsheet wrote",
        description="Read a .eln archive written by 'benchsheet export' and write its protocol "
        "files, byte for byte as they were exported. Unsafe or foreign archives are refused "
        "(codes EL001-EL010) and nothing is written.")
    p.add_argument("archive", type=Path, metavar="FILE.eln")
    p.add_argument("-o", "--output", type=Path, default=Path(), metavar="DIR",
                   help="folder to write the protocols into (default: the current folder)")
    p.add_argument("--force", action="store_true", help="overwrite files that already exist")
    p.set_defaults(func=cmd_import)
