"""model.parse: a variant takes the base's model of every entry whose expanded data is the
base's, value for value and type for type (``_same``)."""

from __future__ import annotations

from typing import Any

import pytest

from benchsheet.model.parse import _same


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ({"a": [1, {"b": "x"}]}, {"a": [1, {"b": "x"}]}, True),  # equal, built apart
        ({"a": 1}, {"a": 1.0}, False),  # equal to Python, not to a model
        ({"a": [True]}, {"a": [1]}, False),
        ({"a": {"b": 1}}, {"a": {"b": 1.0}}, False),  # one level down
        ([1, 2], [1, 2, 3], False),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}, True),  # a mapping's order is not its data
        ({"a": "1.125 mmol"}, {"a": "0.375 mmol"}, False),
        ({"a": [1]}, ([1],), False),
        (float("nan"), float("nan"), False),  # two NaNs are not the same value
    ],
)
def test_same_is_equality_of_values_and_types(left: Any, right: Any, same: bool) -> None:
    assert _same(left, right) is same
    assert _same(right, left) is same


def test_the_same_object_is_the_same() -> None:
    nan = float("nan")
    data = {"a": [nan]}
    assert _same(data, data)
    assert _same({"a": [nan]}, {"a": [nan]})  # the one NaN object, in two lists
