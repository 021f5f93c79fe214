"""Bench notebooks are built as plain nbformat 4.5 JSON, without nbformat: what is written is
valid against nbformat's schema and byte for byte what nbformat's own writer writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest

from benchsheet.export.notebook import bench_notebook, notebook_text
from benchsheet.render import SheetBook
from benchsheet.validate import validate_file

REPO = Path(__file__).resolve().parents[1]
PROTOCOLS = sorted((REPO / "protocols").glob("*.yaml"))
PARAMETRISED = REPO / "tests" / "valid" / "parametrised-scale.yaml"
# nbformat ships partial type hints; its reader and writer are untyped.
_nbformat: Any = nbformat


@pytest.mark.parametrize("path", [*PROTOCOLS, PARAMETRISED], ids=lambda p: p.stem)
def test_notebooks_are_valid_and_written_as_nbformat_writes_them(path: Path) -> None:
    result = validate_file(path)
    book = SheetBook()
    for variant in result.variants:
        notebook = bench_notebook(result, variant, book)
        text = notebook_text(notebook)
        node = _nbformat.from_dict(notebook)
        _nbformat.validate(node)
        assert text == _nbformat.writes(node) + "\n"
        # Read back, it is the notebook that was built (the sources split into lines).
        assert _nbformat.reads(text, as_version=4) == node
        # Without a book, the sheet is rendered on its own: the same notebook.
        assert bench_notebook(result, variant) == notebook
