"""`benchsheet init [DIR]`: a starter repository for a lab's protocols.

Writes an example protocol (with the editor modeline on its first line), the JSON Schema the
modeline points at, a lab reagent file, a pre-commit configuration and a GitHub Actions
workflow; `benchsheet build protocols/ -o build/` works in it at once. The files come from the
package (``benchsheet/starter/``, ``benchsheet/schemas/``). A file that is already there is
never overwritten: then nothing is written and the command exits 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_USAGE = 0, 2

#: Where each file of the starter repository comes from, in the package.
STARTER_FILES: dict[str, tuple[str, ...]] = {
    "protocols/example.yaml": ("starter", "protocols", "example.yaml"),
    "schemas/protocol.schema.json": ("schemas", "protocol.schema.json"),
    "reagents.yaml": ("starter", "reagents.yaml"),
    "benchsheet.toml": ("starter", "benchsheet.toml"),
    ".pre-commit-config.yaml": ("starter", "pre-commit-config.yaml"),
    ".github/workflows/benchsheet.yml": ("starter", "github-workflow.yml"),
}
_VERSION_MARK = "@BENCHSHEET_VERSION@"


def starter_files() -> dict[str, str]:
    """The starter repository: path relative to its folder → text."""
    from importlib.resources import files

    from benchsheet.cli import _version

    package = files("benchsheet")
    texts: dict[str, str] = {}
    for target, parts in STARTER_FILES.items():
        text = package.joinpath(*parts).read_text(encoding="utf-8")
        # The workflow installs the version that wrote it, so CI checks as the lab does.
        texts[target] = text.replace(_VERSION_MARK, _version())
    return texts


def cmd_init(args: argparse.Namespace) -> int:
    from benchsheet.atomic import write_atomic

    root: Path = args.directory
    if root.exists() and not root.is_dir():
        print(f"benchsheet: {root}: not a folder; give the folder for the new repository",
              file=sys.stderr)
        return EXIT_USAGE
    texts = starter_files()
    present = [path for path in texts if (root / path).exists() or (root / path).is_symlink()]
    if present:
        print(f"benchsheet: {root}: already has {', '.join(present)}; nothing written "
              "(init never overwrites; move them away or choose another folder)",
              file=sys.stderr)
        return EXIT_USAGE
    for path, text in texts.items():
        write_atomic(root / path, text)
        print(f"wrote {root / path}")
    print(f"\nNext, in {root}:\n"
          "  benchsheet validate protocols/\n"
          "  benchsheet build protocols/ -o build/\n"
          "  git init && pre-commit install     (checks protocols before every commit)")
    return EXIT_OK


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `init`."""
    p = sub.add_parser(
        "init", help="write a starter repository (example protocol, reagent file, CI)",
        description="Write a starter repository for a lab's protocols into DIR: "
        + ", ".join(STARTER_FILES) + ". The example's first line is the editor modeline "
        "(YAML language server). Nothing is overwritten: if any of these files exists, "
        "nothing is written and the exit code is 2.")
    p.add_argument("directory", nargs="?", type=Path, default=Path(), metavar="DIR",
                   help="where to write it (default: the current folder)")
    p.set_defaults(func=cmd_init)
