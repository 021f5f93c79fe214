"""The nine GHS hazard pictograms, drawn here as small inline SVG (red diamond, black symbol).

The pictograms are public (UN GHS Rev. 9, Annex 3); these are benchsheet's own simplified
drawings, so a sheet prints them with no image file, font or network. Sheets inline the SVG;
an ELN body whose HTML filter drops ``<svg>`` can use ``pictogram_data_uri`` in an ``<img>``.

Interface: ``GHS_NAMES`` (code → name), ``pictogram_svg(code, size)`` (an ``<svg>`` element as
text) and ``pictogram_data_uri(code)`` (a ``data:image/svg+xml;base64,…`` URI). An unknown
code raises ``KeyError``: a pictogram nobody drew must not print as nothing.
"""

from __future__ import annotations

import base64
import functools
import math
from html import escape

__all__ = ["GHS_NAMES", "pictogram_data_uri", "pictogram_svg"]

# GHS pictogram names (UN GHS Rev. 9, Annex 3, section 3).
GHS_NAMES: dict[str, str] = {
    "GHS01": "exploding bomb", "GHS02": "flame", "GHS03": "flame over circle",
    "GHS04": "gas cylinder", "GHS05": "corrosion", "GHS06": "skull and crossbones",
    "GHS07": "exclamation mark", "GHS08": "health hazard", "GHS09": "environment",
}

# GHS asks for a black symbol on white in a red frame "wide enough to be clearly visible".
_RED = "#e4001b"
_FRAME = (f'<path d="M50 4 L96 50 L50 96 L4 50 Z" fill="#fff" stroke="{_RED}" '
          'stroke-width="6" stroke-linejoin="miter"/>')


def _star(cx: float, cy: float, outer: float, inner: float, points: int) -> str:
    """A star polygon's points: the burst on the health-hazard chest, the bomb's blast."""
    corners = []
    for i in range(2 * points):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi * i / points - math.pi / 2
        corners.append(f"{cx + radius * math.cos(angle):.1f},{cy + radius * math.sin(angle):.1f}")
    return " ".join(corners)


def _flame(scale: float, dx: float, dy: float) -> str:
    """A flame (drawn for a 0–100 box) moved and scaled into place."""
    return (f'<path transform="translate({dx} {dy}) scale({scale})" d="M50 22 C54 32 64 38 '
            "64 52 C64 47 62 44 60 42 C68 48 70 62 62 70 L38 70 C30 63 31 52 38 44 C38 50 "
            '40 53 43 55 C40 44 44 32 50 22 Z"/>')


_SYMBOLS: dict[str, str] = {
    # A round bomb bursting: the blast a star, fragments flying off.
    "GHS01": (f'<circle cx="40" cy="62" r="11"/><polygon points="{_star(58, 42, 17, 7, 9)}"/>'
              '<path d="M28 40 l5 -3 l2 5 z M74 60 l5 2 l-4 4 z M40 29 l4 -1 l1 4 z '
              'M71 30 l4 1 l-2 4 z"/>'),
    "GHS02": _flame(1.0, 0, 0) + '<rect x="30" y="73" width="40" height="4"/>',
    # The flame rises from a ring (an oxidiser's O).
    "GHS03": (_flame(0.62, 19, 12) + '<circle cx="50" cy="64" r="9" fill="none" '
              'stroke="#000" stroke-width="5"/><rect x="30" y="76" width="40" height="4"/>'),
    # A cylinder lying at a slant, valve at its neck.
    "GHS04": ('<g transform="rotate(-25 50 58)"><rect x="26" y="50" width="40" height="16" '
              'rx="8"/><rect x="65" y="54" width="6" height="8"/>'
              '<rect x="71" y="51" width="4" height="14"/></g>'),
    # Two tubes pour onto a hand and onto a bar; both are eaten away.
    "GHS05": ('<path d="M29 27 l6 -3 l9 17 l-6 3 z M71 27 l-6 -3 l-9 17 l6 3 z"/>'
              '<circle cx="41" cy="50" r="2.2"/><circle cx="40" cy="56" r="2"/>'
              '<circle cx="59" cy="50" r="2.2"/><circle cx="60" cy="56" r="2"/>'
              '<path d="M24 72 L24 63 L30 63 L30 60 L33 60 L33 63 L36 60 L39 60 L39 63 '
              'L44 63 L46 72 Z"/><path d="M54 63 L57 63 L60 67 L63 63 L76 63 L76 72 L54 72 Z"/>'),
    # Crossbones first, the skull over them, eyes and nose left white.
    "GHS06": ('<g stroke="#000" stroke-width="6" stroke-linecap="round"><line x1="32" y1="58" '
              'x2="68" y2="76"/><line x1="32" y1="76" x2="68" y2="58"/></g>'
              '<circle cx="50" cy="39" r="14"/><rect x="42" y="46" width="16" height="11" '
              'rx="2"/><g fill="#fff"><circle cx="44" cy="39" r="4"/><circle cx="56" cy="39" '
              'r="4"/><polygon points="50,45 47.5,49 52.5,49"/><rect x="45" y="53" width="1.6" '
              'height="4"/><rect x="49.2" y="53" width="1.6" height="4"/><rect x="53.4" y="53" '
              'width="1.6" height="4"/></g>'),
    "GHS07": '<path d="M45.5 25 L54.5 25 L52.5 60 L47.5 60 Z"/><circle cx="50" cy="69" r="5"/>',
    # A bust with a burst on its chest.
    "GHS08": ('<circle cx="50" cy="30" r="8"/><path d="M29 76 C29 55 38 43 50 43 C62 43 71 55 '
              f'71 76 Z"/><polygon fill="#fff" points="{_star(50, 61, 10, 4, 8)}"/>'),
    # A bare tree and a fish belly up by the water's edge.
    "GHS09": ('<g stroke="#000" stroke-linecap="round"><line x1="36" y1="71" x2="36" y2="32" '
              'stroke-width="4"/><line x1="36" y1="44" x2="27" y2="35" stroke-width="3"/>'
              '<line x1="36" y1="40" x2="45" y2="31" stroke-width="3"/><line x1="36" y1="53" '
              'x2="47" y2="46" stroke-width="3"/><line x1="36" y1="50" x2="26" y2="44" '
              'stroke-width="3"/><line x1="22" y1="73" x2="78" y2="73" stroke-width="3"/></g>'
              '<ellipse cx="57" cy="64" rx="11" ry="5"/><polygon points="67,64 76,58 76,70"/>'
              '<circle cx="51" cy="63" r="1.6" fill="#fff"/>'),
}


@functools.cache
def pictogram_svg(code: str, size: str = "10mm") -> str:
    """The pictogram ``code`` (``GHS06``) as an ``<svg>`` element ``size`` wide and high,
    titled with its name for screen readers and tooltips."""
    name = GHS_NAMES[code]
    return (f'<svg class="ghs" data-ghs="{code}" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 100 100" width="{escape(size)}" height="{escape(size)}" '
            f'role="img" aria-label="{code} {name}"><title>{code} {name}</title>'
            f"{_FRAME}{_SYMBOLS[code]}</svg>")


def pictogram_data_uri(code: str) -> str:
    """The pictogram as a ``data:`` URI, for an ``<img>`` where inline SVG is filtered out."""
    data = base64.b64encode(pictogram_svg(code, "100").encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{data}"
