"""The printed bench sheet in a real browser: headless Chromium prints the Mn:(CdSe)₁₃ sheet to
A4 and Letter, and lays it out at each paper's text width.

Per paper size one test checks what the chemist holds: the page count, the first step on page 1,
"page x of y" with the protocol on every page, no table wider than the body, ids broken only
after a separator, and the GHS pictograms drawn (their pixels in a screenshot).

Locally the test skips without Chromium (`apt-get install -y chromium`); under CI (CI set, as
.ci/run does) a missing Chromium fails it, so CI never passes without printing. The sheet, PDF
and screenshot are kept in $BENCHSHEET_TEST_ARTEFACTS/browser when that is set (else in
pytest's tmp_path). The PNG is decoded with zlib only; the PDF's text is read with pypdf.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import unicodedata
import zlib
from pathlib import Path

import pypdf
import pytest

from benchsheet.render import render_sheet, sheet_findings
from benchsheet.render.view import build_view
from benchsheet.validate import FileResult, validate_file

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
MN_CDSE13 = REPO / "protocols" / "mn-cdse13-bda-msc.yaml"
CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             "/usr/bin/chromium") if p and Path(p).exists()), None)
# PostScript points: ISO A4 is 210 × 297 mm = 595.28 × 841.89 pt; US Letter 8.5 × 11 in.
PAPER_PT = {"a4": (595, 842), "letter": (612, 792)}
# The text width in CSS px (96 px/in): the page less the sheet's 11 mm side margins.
TEXT_WIDTH_PX = {"a4": round((210 - 22) / 25.4 * 96), "letter": round((215.9 - 22) / 25.4 * 96)}
# Before issue 16 the sheet ran to 5 pages on A4 and 6 on Letter, the steps from page 3. Now
# the bench part (hazard summary, materials, steps, results, sign-off) takes 2 pages and the
# appendix (hazards in full, computed figures, assumptions, findings) starts on a page of its
# own: 4 in all on both papers.
MOST_PAGES = 4
BENCH_PAGES = 2


@pytest.fixture(scope="module")
def mn_cdse13() -> FileResult:
    return validate_file(MN_CDSE13)


@pytest.fixture
def artefacts(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """Where this test leaves its sheet, PDF and screenshot."""
    root = os.environ.get("BENCHSHEET_TEST_ARTEFACTS")
    if not root:
        return tmp_path
    folder = Path(root) / "browser" / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must print the bench sheet, but Chromium is not installed")
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--hide-scrollbars",
               "--force-device-scale-factor=1", f"--user-data-dir={profile}", *args]
    done = subprocess.run(command, capture_output=True, timeout=120, check=False, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


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


def _words(text: str) -> str:
    """PDF text as plain words: ligatures (ﬂ) undone, every run of white space one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


# Measured after layout, written into the DOM that --dump-dom prints: the body's width, the
# tables wider than it, the ids that wrap anywhere but after a separator, and where the hazard
# summary's pictograms are drawn.
_PROBE = """<script>window.addEventListener('load', () => {
  const body = document.body.clientWidth;
  const wide = [...document.querySelectorAll('table')]
    .filter(t => t.getBoundingClientRect().width > body + 1)
    .map(t => t.className + ':' + Math.round(t.getBoundingClientRect().width));
  const broken = [];
  for (const el of document.querySelectorAll('td.mid b, ul.inline li > b')) {
    let top = null, last = '';
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + 1);
        const y = range.getBoundingClientRect().top;
        if (top !== null && y > top + 2 && !'_-./,)'.includes(last)) broken.push(el.textContent);
        top = y; last = node.data[i];
      }
    }
  }
  const pictos = [...document.querySelectorAll('.hazards svg.ghs')].map(s => {
    const r = s.getBoundingClientRect();
    return [s.dataset.ghs, r.left, r.top, r.width, r.height];
  });
  document.body.setAttribute('data-probe', JSON.stringify({body, wide, broken, pictos}));
});</script>"""


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_printed_sheet_starts_with_the_work(mn_cdse13: FileResult, paper: str,
                                             artefacts: Path, tmp_path: Path) -> None:
    variant = mn_cdse13.base
    assert variant is not None
    html = artefacts / f"mn-cdse13-{paper}.html"
    html.write_text(render_sheet(mn_cdse13, variant, "html", paper=paper),  # type: ignore[arg-type]
                    encoding="utf-8")
    view = build_view(mn_cdse13, variant, sheet_findings(mn_cdse13, variant))

    # Printed: the paper asked for, few pages, the work on page 1, every page numbered.
    pdf = artefacts / f"mn-cdse13-{paper}.pdf"
    _chromium(tmp_path / "profile", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
              html.as_uri())
    pages = pypdf.PdfReader(pdf).pages
    for page in pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == \
            PAPER_PT[paper]
    texts = [_words(page.extract_text()) for page in pages]
    assert len(texts) <= MOST_PAGES, [t[:80] for t in texts]
    first = texts[0]
    assert "Materials" in first
    assert all(m.id in first for m in view.materials)
    assert f"1. {_words(view.steps[0].text)[:60]}" in first
    bench = next(i for i, text in enumerate(texts) if "Sign-off" in text)
    assert bench < BENCH_PAGES
    assert "Appendix" not in " ".join(texts[:bench + 1])
    for number, text in enumerate(texts, start=1):
        assert f"page {number} of {len(texts)}" in text
        assert "mn-cdse13-bda-msc v1.0.0 · base protocol" in text

    # Laid out at the paper's text width: no table wider than the body (a clipped column is a
    # lost amount), no id broken inside a word, the pictograms drawn where the summary puts them.
    probed = tmp_path / "probed.html"
    probed.write_text(html.read_text(encoding="utf-8").replace("</body>", _PROBE + "</body>"),
                      encoding="utf-8")
    size = f"--window-size={TEXT_WIDTH_PX[paper]},1400"
    done = _chromium(tmp_path / "profile", size, "--virtual-time-budget=5000", "--dump-dom",
                     probed.as_uri())
    found = re.search(r'data-probe="([^"]*)"', done.stdout)
    assert found, "the probe did not run"
    probe = json.loads(found[1].replace("&quot;", '"'))
    assert probe["body"] > 600
    assert probe["wide"] == []
    assert probe["broken"] == []
    assert [p[0] for p in probe["pictos"]] == [p.code for p in view.pictograms]

    png = artefacts / f"mn-cdse13-{paper}.png"
    _chromium(tmp_path / "profile", size, f"--screenshot={png}", html.as_uri())
    width, height, rows = _png_pixels(png.read_bytes())
    assert (width, height) == (TEXT_WIDTH_PX[paper], 1400)
    channels = len(rows[0]) // width
    for code, left, top, box_w, box_h in probe["pictos"]:
        assert top + box_h < height, code
        red = dark = 0
        for y in range(int(top), int(top + box_h)):
            row = rows[y]
            for x in range(int(left), int(left + box_w)):
                r, g, b = row[x * channels:x * channels + 3]
                red += r > 180 and g < 90 and b < 90
                dark += r < 100 and g < 100 and b < 100
        area = box_w * box_h
        # The red diamond frame and a black symbol inside it, not a bare number.
        assert red > 0.08 * area, (code, red, area)
        assert dark > 0.015 * area, (code, dark, area)
