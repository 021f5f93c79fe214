"""The HTML sheet in a real browser: headless Chromium draws it and prints it to A4 and Letter.

Skipped without Chromium (`apt-get install -y chromium`). The PNG is decoded with zlib only;
the PDF's pages and MediaBox are read from its page dictionaries.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from benchsheet.render import render_sheet
from benchsheet.validate import validate_file

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
MN_CDSE13 = REPO / "protocols" / "mn-cdse13-bda-msc.yaml"
CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             "/usr/bin/chromium") if p and Path(p).exists()), None)
# PostScript points: ISO A4 is 210 × 297 mm = 595.28 × 841.89 pt; US Letter 8.5 × 11 in.
A4_PT, LETTER_PT = (595, 842), (612, 792)


def _chromium(tmp: Path, *args: str) -> None:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", f"--user-data-dir={tmp / 'profile'}",
               *args]
    done = subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]


def _sheet(tmp: Path, paper: str) -> Path:
    result = validate_file(MN_CDSE13)
    assert result.base is not None
    path = tmp / f"sheet-{paper}.html"
    path.write_text(render_sheet(result, result.base, "html", paper=paper),  # type: ignore[arg-type]
                    encoding="utf-8")
    return path


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered RGB(A) rows of an 8-bit PNG (filters per RFC 2083)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8
    assert colour in (2, 6)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[x] = (line[x] + pred) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def test_sheet_draws_in_a_browser(tmp_path: Path) -> None:
    html = _sheet(tmp_path, "a4")
    png = tmp_path / "sheet.png"
    _chromium(tmp_path, f"--screenshot={png}", "--window-size=1000,1400", html.as_uri())
    width, height, rows = _png_pixels(png.read_bytes())
    assert (width, height) == (1000, 1400)
    channels = len(rows[0]) // width
    dark = sum(1 for row in rows for x in range(0, len(row), channels)
               if min(row[x:x + 3]) < 128)
    # Text, table rules and check boxes: a blank or unstyled-error page has (almost) none.
    assert dark > 0.01 * width * height


def _pdf_pages(data: bytes) -> list[tuple[float, float]]:
    boxes = re.findall(rb"/Type\s*/Page\b(?!s).*?/MediaBox\s*\[\s*([\d.\s]+)\]", data,
                       re.DOTALL)
    if not boxes:  # MediaBox before /Type in the dictionary
        boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.\s]+)\]", data)
    out = []
    for box in boxes:
        x0, y0, x1, y1 = (float(v) for v in box.split())
        out.append((x1 - x0, y1 - y0))
    return out


@pytest.mark.parametrize(("paper", "size"), [("a4", A4_PT), ("letter", LETTER_PT)])
def test_sheet_prints_on_the_paper_asked_for(tmp_path: Path, paper: str,
                                            size: tuple[int, int]) -> None:
    html = _sheet(tmp_path, paper)
    pdf = tmp_path / f"sheet-{paper}.pdf"
    _chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", html.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = _pdf_pages(data)
    assert 1 <= len(pages) <= 6, pages
    for width, height in pages:
        assert (round(width), round(height)) == size


def test_every_table_fits_the_page_width(tmp_path: Path) -> None:
    # Laid out at the width of an A4 page's text (210 mm − 2 × 11 mm margins = 188 mm ≈ 711 CSS
    # px at 96 px/in), no table may be wider than the body: a clipped column is a lost amount.
    # A script measures after layout and writes the verdict into the DOM that --dump-dom prints.
    html = _sheet(tmp_path, "a4")
    probe = ("<script>window.addEventListener('load', () => {"
             "const body = document.body.clientWidth;"
             "const wide = [...document.querySelectorAll('table')]"
             ".filter(t => t.getBoundingClientRect().width > body + 1)"
             ".map(t => t.className + ':' + Math.round(t.getBoundingClientRect().width));"
             "document.body.setAttribute('data-overflow', JSON.stringify([body, wide]));"
             "});</script>")
    html.write_text(html.read_text(encoding="utf-8").replace("</body>", probe + "</body>"),
                    encoding="utf-8")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               f"--user-data-dir={tmp_path / 'profile'}", "--window-size=760,1000",
               "--virtual-time-budget=5000", "--dump-dom", html.as_uri()]
    done = subprocess.run(command, capture_output=True, timeout=120, check=False, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'data-overflow="([^"]*)"', done.stdout)
    assert found, "the probe did not run"
    body, wide = json.loads(found[1].replace("&quot;", '"'))
    assert body > 600
    assert wide == []
