"""bench/reuse_bound.py, the bound on what reusing the base's results between variants could
save, still reaches what it measures and its figures hold together. Times are printed, never
asserted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_bound_is_measured_and_its_figures_hold_together() -> None:
    # A process of its own: the script takes the collector over, as the command line does.
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "reuse_bound.py"),
                           str(ROOT / "protocols"), "--rounds", "1"],
                          capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    ms = {m.group(1).strip(): float(m.group(2))
          for m in re.finditer(r"^(\S.*?|  of which.*?)\s{2,}([\d.]+) ms", out, re.MULTILINE)}
    assert set(ms) == {"whole file (untimed)", "rules on the base",
                       "rules on the other variants",
                       "of which the findings repeat the base rule",
                       "whole file without those runs"}
    # The library's files have variants whose rules find what the base's do (the hazard
    # statements of the same reagents) and others that do not (the amounts they change).
    assert 0 < ms["of which the findings repeat the base rule"] \
        < ms["rules on the other variants"]
    assert ms["whole file without those runs"] == pytest.approx(
        ms["whole file (untimed)"] - ms["of which the findings repeat the base rule"],
        abs=0.0015)  # each printed to 0.001
    ratio = float(re.search(r"whole / without ([\d.]+)", out).group(1))  # type: ignore[union-attr]
    assert ratio == pytest.approx(ms["whole file (untimed)"]
                                  / ms["whole file without those runs"], rel=0.01)
    for what in ("vessel states", "material amounts"):
        match = re.search(rf"{what} equal to the base's: (\d+) of (\d+)", out)
        assert match, what
        same, total = map(int, match.groups())
        assert 0 < same < total, what  # some repeat the base, not all
