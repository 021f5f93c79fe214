"""render/environment.py: one environment per format in a process, and the Markdown escape."""

from __future__ import annotations

import importlib

import pytest

environment = importlib.import_module("benchsheet.render.environment")


def test_one_environment_per_format_however_it_is_asked_for() -> None:
    # Asked for with and without the templates folder given as None: one environment, so
    # each template is compiled once in a run.
    assert environment.environment("md") is environment.environment("md", None)
    assert environment.environment("html") is not environment.environment("md")


@pytest.mark.parametrize("text", [
    "", "plain words 1.5 mmol", "BDA_metal", "a | b", "<script>alert(1)</script>",
    "line one\nline two", "\\`*_{}[]<>#|~&!", "x\n\n*", "µ° — ×",
])
def test_markdown_escape_is_the_backslash_before_each_markup_character(text: str) -> None:
    expected = "".join("\\" + c if c in "\\`*_[]<>#|~&!{}" else " " if c == "\n" else c
                       for c in text)
    assert environment.md_escape(text) == expected
    assert environment.md_escape(None) == ""
    assert environment.md_escape(3) == "3"
