"""The jinja2 environment: sandboxed, autoescaping HTML, with a lab's own templates first."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

# Characters that start Markdown or HTML markup anywhere in a line; escaped, they print as is.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def md_escape(value: object) -> str:
    """Protocol text in Markdown: characters that would become markup (or HTML) are escaped."""
    text = "" if value is None else str(value)
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


@functools.cache
def environment(templates: Path | None = None) -> SandboxedEnvironment:
    """Templates from ``templates`` (a lab's folder) override the package's own by name.

    The sandbox keeps a lab's template from reaching Python internals; autoescaping keeps text
    in a protocol (a note with ``<script>``) from becoming markup in an HTML sheet.
    """
    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        loaders.append(jinja2.FileSystemLoader(str(templates)))
    loaders.append(jinja2.PackageLoader("benchsheet.render", "templates"))
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"),
                                            default_for_string=True, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    return env
