"""The jinja2 environments: sandboxed, escaping for their format, with a lab's templates first."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Literal

import jinja2
from jinja2.sandbox import SandboxedEnvironment

SheetFormat = Literal["md", "html"]

# Characters that start Markdown or HTML markup anywhere in a line; escaped, they print as is.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!{}])")


def md_escape(value: object) -> str:
    """Protocol text for Markdown: what would become markup (or raw HTML) is escaped.

    Runs on every ``{{ … }}`` of a Markdown template, so protocol text (a note holding
    ``<script>`` or ``|``) can neither become HTML nor break a table; line breaks become spaces.
    """
    if value is None:
        return ""
    text = " ".join(str(value).split("\n"))
    return _MD_SPECIAL.sub(r"\\\1", text)


@functools.cache
def environment(fmt: SheetFormat, templates: Path | None = None) -> jinja2.Environment:
    """Templates in ``templates`` (a lab's folder) override the package's own by file name.

    The sandbox keeps a lab's template away from Python internals; benchsheet's own templates,
    which protocol text never becomes, run without it (its check on every attribute took 40 %
    of a sheet's rendering). HTML autoescapes, so text in a protocol (a note with
    ``<script>``) stays text; Markdown escapes every value it prints.
    """
    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        loaders.append(jinja2.FileSystemLoader(str(templates)))
    loaders.append(jinja2.PackageLoader("benchsheet.render", "templates"))
    kind = SandboxedEnvironment if templates is not None else jinja2.Environment
    html = fmt == "html"
    return kind(loader=jinja2.ChoiceLoader(loaders), undefined=jinja2.StrictUndefined,
                trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                autoescape=html, finalize=None if html else md_escape)
