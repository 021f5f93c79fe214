"""benchsheet: chemistry lab protocols as checked, machine-readable files."""

from __future__ import annotations

from typing import Any

__all__ = ["load", "render", "validate"]


def __getattr__(name: str) -> Any:
    """`benchsheet.load`, `.validate` and `.render`, imported on first use: `import
    benchsheet` stays cheap for the CLI's start."""
    if name in __all__:
        from benchsheet import api

        return getattr(api, name)
    raise AttributeError(f"module 'benchsheet' has no attribute {name!r}")
