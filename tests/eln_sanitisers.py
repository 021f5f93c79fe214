"""Test doubles of what eLabFTW and Kadi4Mat do to an imported entry's body before showing it.

Built from the importers' own sources, read at these commits:

- eLabFTW (github.com/elabftw/elabftw, 205421e, 2026-08): `src/Import/Eln.php` makes the body
  of ``text`` followed directly by ``description`` and takes its content type from the
  dataset's ``encodingFormat``; an HTML body is filtered on save by `Filter::body`
  (`src/Services/Filter.php`), HTMLPurifier with the ``HTML.Allowed`` list below (no
  ``style``, ``input``, ``svg``, ``thead``/``tbody``, no ``class`` outside a few code-language
  names). A Markdown body is stored as written (`Filter::bodyMarkdown` only checks its size)
  and shown through marked + DOMPurify; its PDF export (`src/Make/MakePdf.php`) runs the
  rendered HTML through the same `Filter::body`. So the stricter of the two, the allow-list,
  is what every body must survive.
- Kadi4Mat (kadi-apy's `kadi_apy.lib.imports.import_eln`, installed here): the record's
  description is the dataset's ``description`` only (``text`` and ``step`` are not read). Kadi
  renders a description as Markdown with markdown-it, raw HTML switched off, so any tag in it
  is shown as literal text; markdown-it-py's ``js-default`` preset is that configuration.

What "survives" means for a bench sheet is checked by the tests on the visible text: each
tick box (☐), each blank (a run of underscores) and each hazard statement.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from markdown_it import MarkdownIt

#: eLabFTW's `Filter::body` HTML.Allowed, element → allowed attributes.
ELABFTW_ALLOWED: dict[str, frozenset[str]] = {
    name: frozenset(attrs.split("|")) if attrs else frozenset()
    for name, attrs in re.findall(r"([a-z0-9]+)(?:\[([a-z|-]+)\])?", (
        "div[class|style],br,p[class|style],sub,img[src|class|style|width|height],sup,strong,"
        "b,em,u,a[href|target],s,span[style],ul[style],li[style],ol[style],dl,dt,dd,"
        "blockquote,h1[class|style],h2[class|style],h3[class|style],h4[class|style],"
        "h5[class|style],h6[class|style],hr,table[style|data-table-sort|border],tr[style],"
        "td[style|colspan|rowspan],th[style|colspan|rowspan],code,source[src|type],"
        "video[src|controls|style|width|height],audio[src|controls],pre[class],"
        "details[class|open],summary,caption,figure,figcaption"))
}
#: HTMLPurifier removes these with everything inside them; other elements not allowed lose
#: their tags and keep their text.
_DROPPED_WITH_CONTENT = frozenset({"script", "style", "svg", "math", "template", "head"})
_VOID = frozenset({"br", "hr", "img", "input", "source", "meta", "link", "col", "wbr"})


class AllowListFilter(HTMLParser):
    """HTML through an element/attribute allow-list, the way HTMLPurifier treats a body."""

    def __init__(self, allowed: dict[str, frozenset[str]]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed = allowed
        self.out: list[str] = []
        self.hidden = 0  # depth inside an element dropped with its content

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED_WITH_CONTENT:
            self.hidden += 1
            return
        if self.hidden or tag not in self.allowed:
            return
        kept = "".join(f' {k}="{html.escape(v or "")}"' for k, v in attrs
                       if k in self.allowed[tag])
        self.out.append(f"<{tag}{kept}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED_WITH_CONTENT:
            self.hidden = max(0, self.hidden - 1)
            return
        if not self.hidden and tag in self.allowed and tag not in _VOID:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.out.append(html.escape(data, quote=False))


def allow_list(body_html: str, allowed: dict[str, frozenset[str]] = ELABFTW_ALLOWED) -> str:
    """`body_html` as an allow-list filter leaves it."""
    parser = AllowListFilter(allowed)
    parser.feed(body_html)
    parser.close()
    return "".join(parser.out)


class _Text(HTMLParser):
    """The text a reader sees: table cells joined by ' | ', one line per block."""

    _BLOCKS = frozenset({"p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "div", "br",
                         "table", "ul", "ol", "blockquote", "pre", "hr", "dt", "dd"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(body_html: str) -> str:
    """The lines of text `body_html` shows, spaces normalised, empty lines dropped."""
    parser = _Text()
    parser.feed(body_html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


# marked (eLabFTW's Markdown renderer) is GitHub-flavoured and passes raw HTML through.
_GFM_WITH_HTML = MarkdownIt("gfm-like", {"linkify": False})
# Kadi4Mat: markdown-it with raw HTML off.
_KADI = MarkdownIt("js-default")


def elabftw_body(dataset: dict[str, Any]) -> tuple[str, str]:
    """The body eLabFTW's importer stores for a dataset, and its content type."""
    body = str(dataset.get("text", "")) + str(dataset.get("description", ""))
    markdown = dataset.get("encodingFormat", "text/html") == "text/markdown"
    return body, "text/markdown" if markdown else "text/html"


def elabftw_shown(dataset: dict[str, Any]) -> str:
    """The HTML eLabFTW shows (and prints to PDF) for the dataset, after its filter."""
    body, content_type = elabftw_body(dataset)
    rendered = _GFM_WITH_HTML.render(body) if content_type == "text/markdown" else body
    return allow_list(rendered)


def kadi_shown(dataset: dict[str, Any]) -> str:
    """The HTML Kadi4Mat shows for the record's description."""
    return _KADI.render(str(dataset.get("description", "")))


def unfiltered(dataset: dict[str, Any]) -> str:
    """The body as its author meant it: rendered, nothing removed (the reference to compare)."""
    body, content_type = elabftw_body(dataset)
    return _GFM_WITH_HTML.render(body) if content_type == "text/markdown" else body


def raw_html_in(markdown: str) -> list[str]:
    """Raw HTML in a Markdown text: what Kadi4Mat would print as literal tags."""
    found: list[str] = []
    for token in _GFM_WITH_HTML.parse(markdown):
        if token.type == "html_block":
            found.append(token.content)
        for child in token.children or ():
            if child.type == "html_inline":
                found.append(child.content)
    return found


BLANK = re.compile(r"_{4,}")


def tick_box_lines(text: str) -> list[str]:
    """Every line that carries a tick box."""
    return [line for line in text.splitlines() if "☐" in line]


def blank_labels(text: str) -> list[str]:
    """Every blank, as the words before it on its line (or in its table cell)."""
    labels: list[str] = []
    for line in text.splitlines():
        for segment in re.split(r" · | \| ", line):
            labels += [segment[:match.start()].strip(" :|") or "(cell)"
                       for match in BLANK.finditer(segment)]
    return labels
