"""validate.slim keeps of a file's places exactly those the checks across files point at.

The places are written here as a filter over every place the file has, the way slim chose
them before it looked them up by path: the root's; ``id`` and everything under it;
``acknowledge`` and each acknowledgement of a code checked across files; ``materials`` and
each material that names ``made_by``, with its ``made_by`` and everything under that."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from benchsheet.checks import load_all
from benchsheet.loader import load_file, load_text

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "protocols").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "invalid").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "everyday").glob("*.yaml"))
V = importlib.import_module("benchsheet.validate")

# Read the long way (an anchor and its alias), with a link, a nested made_by and an
# acknowledgement of RF306, the code the pass across files reports on a link.
LINKED = """\
id: linked
title: A protocol that links to another
version: 1.0.0
date: 2026-11-30
source: {doi: 10.1038/s41563-020-00880-6, section: Methods}
materials:
  clusters: {reagent: ethanol, amount: 1 mL, made_by: {protocol: other, product: p}}
  etoh: &etoh {reagent: ethanol, amount: 1 mL}
  again: *etoh
vessels:
  v: {kind: vial, volume: 20 mL}
steps:
  - {action: add, materials: [clusters, etoh, again], to: v}
acknowledge:
  - {code: HZ101, reason: not across files}
  - {code: RF306, reason: the other protocol is in another repository}
"""


def _expected(result: Any) -> dict[tuple[Any, ...], Any]:
    across = {c.info.code for c in load_all() if c.across_files}
    made_by: set[str] = set()
    acknowledged: set[int] = set()
    for variant in result.variants:
        if variant.protocol is None:
            continue
        made_by |= {mid for mid, m in variant.protocol.materials.items()
                    if m.made_by is not None}
        acknowledged |= {i for i, a in enumerate(variant.protocol.acknowledge)
                         if a.code in across}

    def kept(path: tuple[Any, ...]) -> bool:
        if not path or path[0] == "id":
            return True
        if path[0] == "acknowledge":
            return len(path) == 1 or (len(path) == 2 and path[1] in acknowledged)
        if path[0] == "materials":
            return len(path) == 1 or (path[1] in made_by
                                      and (len(path) == 2 or path[2] == "made_by"))
        return False

    return {p: place for p, place in result.document.positions.items() if kept(p)}


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_slim_keeps_the_places_across_files_read(path: Path) -> None:
    result = V.validate_document(load_file(path))
    assert V.slim(result).document.positions == _expected(result)


def test_slim_of_a_file_read_the_long_way_with_links() -> None:
    result = V.validate_document(load_text(LINKED, "linked.yaml"))
    expected = _expected(result)
    assert ("materials", "clusters", "made_by", "protocol") in expected
    assert ("acknowledge", 1) in expected
    assert ("acknowledge", 0) not in expected
    assert ("materials", "etoh") not in expected
    assert V.slim(result).document.positions == expected
