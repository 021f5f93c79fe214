"""jsontext.py: the indented JSON text is json.dumps's, byte for byte."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from benchsheet.jsontext import dumps_indented

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_DOCUMENTS = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(
        st.text(max_size=8), inner, max_size=5), max_leaves=40)


@settings(max_examples=400, deadline=None)
@given(_DOCUMENTS, st.sampled_from([1, 2]), st.booleans())
def test_it_writes_what_json_dumps_writes(document: Any, indent: int, sort_keys: bool) -> None:
    expected = json.dumps(document, indent=indent, sort_keys=sort_keys, ensure_ascii=False)
    assert dumps_indented(document, indent, sort_keys=sort_keys) == expected


def test_what_it_leaves_to_json_dumps() -> None:
    # A key that is not text, a value that is not finite, a tuple: json.dumps's own text.
    for document in ({1: "a"}, {"x": float("nan")}, [float("inf")], {"t": (1, 2)}):
        assert dumps_indented(document, 1) == json.dumps(document, indent=1,
                                                          ensure_ascii=False)


def test_lines_of_a_sheet_are_one_string_each() -> None:
    cell = {"source": ["# Title\n", "ü | *x*\n", "\"quoted\" \\ back\n"], "cell_type": "markdown"}
    assert dumps_indented(cell, 1, sort_keys=True) == (
        '{\n "cell_type": "markdown",\n "source": [\n  "# Title\\n",\n  "ü | *x*\\n",\n'
        '  "\\"quoted\\" \\\\ back\\n"\n ]\n}')
