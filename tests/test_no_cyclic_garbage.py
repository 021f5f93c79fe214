"""Validating a file leaves no reference cycles behind.

A command-line run collects cycles only at a file's end (``benchsheet.collector``) because a
run makes millions of objects and should make no cycles; a cycle made per file (a closure
that calls itself, a traceback frame that holds the exception it raised) keeps that file's
expanded parts and results alive until a collection, and every collection then walks
them. Each file is validated once to warm the caches and lazy imports, then again with the
collector off: ``gc.collect()`` counts what the second validation left unreachable."""

from __future__ import annotations

import gc
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "protocols").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "invalid").glob("*.yaml"))[:40] + sorted(
    (ROOT / "tests" / "everyday").glob("*.yaml"))


@pytest.fixture
def collector_off() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_validating_a_file_makes_no_cycles(path: Path, collector_off: None) -> None:
    validate = importlib.import_module("benchsheet.validate")
    validate.validate_file(path)  # warm: lazy imports, the library, per-options caches
    gc.collect()
    result = validate.validate_file(path)
    assert result.document.path  # the result is alive here, and may be: it is no garbage
    del result
    assert gc.collect() == 0
