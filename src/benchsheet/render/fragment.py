"""A protocol variant as an HTML fragment for Jupyter (`ProtocolHandle._repr_html_`).

The printed sheet is a whole document with page rules and global styles; dropped into a
notebook those restyle every other cell. The fragment has one root element and a style sheet
whose every selector starts with that element's class (`templates/fragment.html.j2`).
"""

from __future__ import annotations

from markupsafe import escape

from benchsheet.render.environment import environment
from benchsheet.render.view import build_view
from benchsheet.validate import FileResult, VariantResult

__all__ = ["FRAGMENT_CLASS", "render_fragment"]

#: The class of the fragment's root element; every rule of its style sheet is scoped to it.
FRAGMENT_CLASS = "bs-sheet"


def render_fragment(result: FileResult, variant: VariantResult | None) -> str:
    """The variant's sheet as a self-scoped HTML fragment; only the findings if there is no
    variant (the file did not load) or it does not model: there is no sheet to show then."""
    from benchsheet.render import sheet_findings

    if variant is None or variant.protocol is None or variant.amounts is None:
        findings = result.findings if variant is None else variant.findings
        items = "".join(f"<li>{escape(f.code)} {escape(str(f.severity))}: "
                        f"{escape(f.message)}</li>" for f in findings)
        return (f'<div class="{FRAGMENT_CLASS}"><p>{escape(result.document.path)} does not '
                f"model.</p><ul>{items}</ul></div>")
    view = build_view(result, variant, sheet_findings(result, variant))
    return environment("html").get_template("fragment.html.j2").render(sheet=view)
