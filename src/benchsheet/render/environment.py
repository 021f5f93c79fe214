"""The jinja2 environments: sandboxed, escaping for their format, with a lab's templates first."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Literal

import jinja2
from markupsafe import Markup, escape

from benchsheet.render.pictograms import pictogram_svg

SheetFormat = Literal["md", "html"]

# Characters that start Markdown or HTML markup anywhere in a line; escaped, they print as is.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!{}])")
# The same or a line break: most values hold neither, and are printed as they are.
_MD_CHANGED = re.compile(r"[\\`*_\[\]<>#|~&!{}\n]")


def md_escape(value: object) -> str:
    """Protocol text for Markdown: what would become markup (or raw HTML) is escaped.

    Runs on every ``{{ … }}`` of a Markdown template (twenty thousand times in a build of the
    bundled library), so protocol text (a note holding ``<script>`` or ``|``) can neither
    become HTML nor break a table; line breaks become spaces.
    """
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    if _MD_CHANGED.search(text) is None:
        return text
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\n", " "))


# Where an id or a chemical name may break across lines: after a separator, never inside a
# word (metal_flask breaks as metal_ / flask, not metal_fl / ask).
_BREAK_AFTER = re.compile(r"([_\-./,)])(?=.)")
# What a CSS string in the stylesheet may hold as is; anything else is written as an escape.
_CSS_PLAIN = re.compile(r"[A-Za-z0-9 .,:;=+()×·\-]")


def breakable(value: object) -> Markup:
    """Text (an id, a chemical name) escaped for HTML, with ``<wbr>`` after each separator so
    a narrow column breaks it there and nowhere else (the stylesheet forbids other breaks)."""
    return Markup(_BREAK_AFTER.sub(r"\1<wbr>", str(escape(value))))


def css_string(value: object) -> Markup:
    """Text as a quoted CSS string for ``content:`` in the stylesheet: every character outside
    a plain set is a hex escape, so protocol text can neither end the string nor the
    ``<style>`` element (HTML escapes are not decoded inside it)."""
    out = "".join(c if _CSS_PLAIN.fullmatch(c) else f"\\{ord(c):06x}" for c in str(value))
    return Markup(f'"{out}"')


def ghs_svg(code: str, size: str = "10mm") -> Markup:
    """The GHS pictogram ``code`` drawn inline (render.pictograms)."""
    return Markup(pictogram_svg(code, size))


def environment(fmt: SheetFormat, templates: Path | None = None) -> jinja2.Environment:
    """The one environment of ``fmt`` and ``templates`` in this process (see ``_environment``);
    ``environment("md")`` and ``environment("md", None)`` are the same one, so each template
    is compiled once."""
    return _environment(fmt, templates)


@functools.cache
def _environment(fmt: SheetFormat, templates: Path | None) -> jinja2.Environment:
    """Templates in ``templates`` (a lab's folder) override the package's own by file name.

    The sandbox keeps a lab's template away from Python internals; benchsheet's own templates,
    which protocol text never becomes, run without it (its check on every attribute took 40 %
    of a sheet's rendering). HTML autoescapes, so text in a protocol (a note with
    ``<script>``) stays text; Markdown escapes every value it prints.
    """
    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        loaders.append(jinja2.FileSystemLoader(str(templates)))
    else:  # the package's templates as compiled ahead of time, when they are current
        from benchsheet.render.compiled import compiled_loader

        compiled = compiled_loader(fmt)
        if compiled is not None:
            loaders.append(compiled)
    return _made(fmt, templates, loaders)


def plain_environment(fmt: SheetFormat) -> jinja2.Environment:
    """A fresh environment of the package's own templates, compiled from their sources:
    what ``render.compiled`` compiles them with."""
    return _made(fmt, None, [])


def _made(fmt: SheetFormat, templates: Path | None,
          loaders: list[jinja2.BaseLoader]) -> jinja2.Environment:
    loaders = [*loaders, jinja2.PackageLoader("benchsheet.render", "templates")]
    kind: type[jinja2.Environment] = jinja2.Environment
    if templates is not None:
        from jinja2.sandbox import SandboxedEnvironment

        kind = SandboxedEnvironment
    html = fmt == "html"
    # benchsheet's own templates do not change while it runs: no stat of each on every use.
    env = kind(loader=jinja2.ChoiceLoader(loaders), undefined=jinja2.StrictUndefined,
               auto_reload=templates is not None,
               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
               autoescape=html, finalize=None if html else md_escape)
    env.filters.update(breakable=breakable, css_string=css_string, ghs_svg=ghs_svg)
    return env
