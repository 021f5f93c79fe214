"""Indented JSON text, as ``json.dumps`` writes it, in a fraction of its time.

``json.dumps`` with ``indent`` cannot use its C encoder and walks the document in Python,
one generator step per item: a build's notebooks and archive metadata (a Markdown sheet per
notebook, one line per list item) spent a tenth of the build there. ``dumps_indented`` gives
the same text, byte for byte (``tests/test_jsontext.py`` compares the two on generated
documents), with each string encoded by the C function ``json`` itself uses and each list
of strings joined in one call.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any


def dumps_indented(document: Any, indent: int, *, sort_keys: bool = False) -> str:
    """``json.dumps(document, indent=indent, sort_keys=sort_keys, ensure_ascii=False)``."""
    try:
        return _value(document, "\n", " " * indent, sort_keys)
    except _Unusual:  # a key that is not text, a float that is not finite, a tuple, ...
        return json.dumps(document, indent=indent, sort_keys=sort_keys, ensure_ascii=False)


class _Unusual(Exception):  # noqa: N818 - a signal to fall back, not an error
    """A value ``dumps_indented`` leaves to ``json.dumps``."""


def _value(value: Any, newline: str, step: str, sort_keys: bool) -> str:
    kind = type(value)
    if kind is str:
        return str(encode_basestring(value))
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + step
        items = sorted(value.items()) if sort_keys else value.items()
        parts = []
        for key, item in items:
            if type(key) is not str:
                raise _Unusual
            parts.append(f"{encode_basestring(key)}: {_value(item, inner, step, sort_keys)}")
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if kind is list:
        if not value:
            return "[]"
        inner = newline + step
        if all(type(item) is str for item in value):  # lines of text: one join
            return "[" + inner + ("," + inner).join(map(encode_basestring, value)) + \
                newline + "]"
        return "[" + inner + ("," + inner).join(
            _value(item, inner, step, sort_keys) for item in value) + newline + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float and value == value and value not in (float("inf"), float("-inf")):
        return float.__repr__(value)
    raise _Unusual
