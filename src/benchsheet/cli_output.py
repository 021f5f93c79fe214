"""``validate``'s output options: how much it says, colour, and standard input as a protocol.

Kept out of cli.py so its imports stay the standard library's and ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

STDIN = Path("-")
STDIN_NAME = "<stdin>"


def add_output_options(p: argparse.ArgumentParser) -> None:
    """``-q``, ``-v``, ``--color`` and ``--stdin-filename``; ``-v`` is reused if the command
    already has it (the folder search prints what it skipped on the same flag)."""
    p.add_argument("-q", "--quiet", action="store_true",
                   help="list only the failures (unacknowledged, at or above --fail-on) and "
                   "the summary")
    if "-v" not in p._option_string_actions:
        p.add_argument("-v", "--verbose", action="count", default=0,
                       help="list everything, notes and acknowledged findings included; also "
                       "what a folder's search skipped")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the text format (default auto: on a terminal, unless NO_COLOR "
                   "is set)")
    p.add_argument("--stdin-filename", metavar="NAME",
                   help=f"the name findings give the protocol read from '-' "
                   f"(default: {STDIN_NAME})")


def use_color(choice: str) -> bool:
    """``--color always|never``; ``auto`` colours a terminal unless NO_COLOR is set and not
    empty (no-color.org), so a pipe or a log file never gets escape codes."""
    if choice != "auto":
        return choice == "always"
    return not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def output_problem(args: argparse.Namespace) -> str | None:
    """A usage error in the output options or in the use of '-', else None."""
    if args.quiet and args.verbose:
        return "-q and -v contradict each other; give one"
    if STDIN in args.paths and len(args.paths) > 1:
        return "'-' reads one protocol from standard input; give it alone"
    if args.stdin_filename is not None and STDIN not in args.paths:
        return "--stdin-filename names the protocol read from standard input; give '-' as PATH"
    if STDIN in args.paths and sys.stdin is None:
        return "'-' reads standard input, but there is none"
    return None


def read_stdin(limit: int) -> bytes:
    """Standard input's bytes, at most ``limit`` (the loader reports a protocol too large)."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        return bytes(buffer.read(limit))
    return str(sys.stdin.read(limit)).encode("utf-8")  # a text stream without bytes beneath
