"""Sub-commands that write sheets and exports (render, build, export, import).

Kept apart from ``cli`` so the validation path stays small; they are added as they land.
"""

from __future__ import annotations

import argparse


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the output commands on the main parser."""
