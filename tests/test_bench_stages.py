"""bench/stages.py, the breakdown of a file's validation time, still fits the pipeline it
times: every stage it names is reached and its columns add up. Times are printed, never
asserted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_every_stage_is_timed_and_the_columns_add_up() -> None:
    # A process of its own: the script takes the collector over, as the command line does.
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "stages.py"),
                           str(ROOT / "protocols"), "--rounds", "1"],
                          capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    rows = {}
    for line in out.splitlines():
        match = re.match(r"^(\S.*?|  of which the walk)\s{2,}([\d.]+)\s+([\d.]+)\s+([\d.]+)",
                         line)
        if match:
            rows[match.group(1).strip()] = [float(x) for x in match.groups()[1:]]
    assert set(rows) == {"loading", "expansion", "models", "amounts", "of which the walk",
                         "rules"}
    for stage, (base, others, both) in rows.items():
        assert both == pytest.approx(base + others, abs=0.0015), stage  # printed to 0.001
        assert both > 0, stage  # the library has variants: every stage is reached
    # The library's files have variants besides their base: expansion, models, amounts and
    # rules run for them too; loading is the file's, once.
    assert all(rows[s][1] > 0 for s in ("expansion", "models", "amounts", "rules"))
    assert rows["loading"][1] == 0
    assert rows["of which the walk"][2] <= rows["amounts"][2]
    assert "timed / untimed" in out
    assert "untimed / parse" in out
