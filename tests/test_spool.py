"""The containers a build keeps its per-file records in, on disk (``benchsheet.spool``):
each behaves as the Python list, set or dict it stands in for, and holding many entries does
not grow the process."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from benchsheet.spool import SpooledList, SpooledMap, SpooledTexts

# Texts that sort differently by bytes of other encodings, by case or by length, and a lone
# surrogate (a file name that is not UTF-8 on disk, as Python reads it).
AWKWARD = ["b", "a", "B", "ab", "é", "z", "\u00ff", "\u4e2d", "\U0001f600", "\udcff", "",
           "a b", 'quote"d', "back\\slash", "new\nline"]


def test_a_spooled_list_reads_back_as_the_list_it_was_given() -> None:
    rows = [(text, str(i)) for i, text in enumerate(AWKWARD)]
    spooled = SpooledList(list, lambda row: (row[0], row[1]))
    spooled.append(rows[0])
    spooled.extend(rows[1:5])
    spooled.extend(iter(rows[5:]))  # an iterator, as a generator gives it
    assert len(spooled) == len(rows)
    assert list(spooled) == rows
    assert [spooled[i] for i in range(len(rows))] == rows
    assert spooled[-1] == rows[-1]
    assert spooled[-len(rows)] == rows[0]
    assert spooled[2:7] == rows[2:7]
    assert spooled[::-3] == rows[::-3]
    assert list(reversed(spooled)) == rows[::-1]
    with pytest.raises(IndexError):
        spooled[len(rows)]
    with pytest.raises(IndexError):
        spooled[-len(rows) - 1]


def test_a_spooled_set_sorts_as_python_sorts_text() -> None:
    texts = SpooledTexts(AWKWARD[:4])
    assert [texts.add(t) for t in AWKWARD[3:]] == [False] + [True] * (len(AWKWARD) - 4)
    texts.update(AWKWARD)  # every one again: nothing new
    assert len(texts) == len(set(AWKWARD))
    assert list(texts) == sorted(set(AWKWARD))  # code point order, the surrogate included
    assert all(t in texts for t in AWKWARD)
    assert "c" not in texts
    assert 3 not in texts
    texts.clear()
    assert len(texts) == 0
    assert list(texts) == []
    assert "a" not in texts


def test_a_spooled_map_keeps_the_first_claim_and_sorts_its_keys() -> None:
    claims: SpooledMap[str] = SpooledMap()
    assert claims.claim("slug", "first.yaml") is None
    assert claims.claim("slug", "second.yaml") == "first.yaml"
    assert claims.get("slug") == "first.yaml"
    assert claims.get("other") is None
    members: SpooledMap[list[int] | int | None] = SpooledMap()
    expected: dict[str, list[int] | int | None] = {}
    for number, key in enumerate(AWKWARD):
        value: list[int] | int | None = [number, 2 * number] if number % 3 else (
            None if number % 2 else -1)
        members.put(key, value)
        expected[key] = value
    members.put("a", [7, 7])  # set again: the later value
    expected["a"] = [7, 7]
    assert list(members.items()) == sorted(expected.items())
    assert len(members) == len(expected)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_holding_many_texts_does_not_grow_the_process() -> None:
    """300,000 paths of some 60 characters: as Python text in a set they take about 45 MB
    (a str of 60 ASCII characters is 109 bytes, and the set's slot and the list around it
    some 30 more), spooled they stay within the page cache (256 KiB) and SQLite's own
    bookkeeping; the bound of 12 MB leaves room for the allocator's noise."""
    page = os.sysconf("SC_PAGE_SIZE")

    def resident() -> int:
        statm = Path("/proc/self/statm").read_text(encoding="ascii")
        return int(statm.split()[1]) * page

    texts = SpooledTexts()
    before = resident()
    for start in range(0, 300_000, 10_000):
        texts.update(f"build/notebooks/protocol-{n:07d}--variant-name.ipynb"
                     for n in range(start, start + 10_000))
    grown = resident() - before
    assert len(texts) == 300_000
    assert "build/notebooks/protocol-0123456--variant-name.ipynb" in texts
    assert grown < 12_000_000, grown
    texts.close()
