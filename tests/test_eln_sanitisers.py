"""Every bundled protocol's ELN body survives eLabFTW's and Kadi4Mat's sanitisers.

The doubles (tests/eln_sanitisers.py) are built from the importers' own allow-lists and
importer code. What must survive is what a chemist fills in or heeds at the bench: each tick
box, each blank, each hazard statement. The reference is the same body rendered with nothing
removed; the hazard statements expected are taken from the reagents' GHS data, not from the
body.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from benchsheet.chemistry.hazards import HAZARD_STATEMENTS
from benchsheet.cli import main
from benchsheet.model import steps as st
from benchsheet.validate import FileResult, validate_file

pytest.importorskip("markdown_it")

from eln_sanitisers import (
    allow_list,
    blank_labels,
    elabftw_body,
    elabftw_shown,
    kadi_shown,
    raw_html_in,
    tick_box_lines,
    unfiltered,
    visible_text,
)

REPO = Path(__file__).resolve().parents[1]
PROTOCOLS = sorted((REPO / "protocols").glob("*.yaml"))
IMPORTERS = {"elabftw": elabftw_shown, "kadi": kadi_shown}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The bundled library exported as `benchsheet build` exports it: its crate's graph."""
    archive = tmp_path_factory.mktemp("eln") / "protocols.eln"
    assert main(["export", *map(str, PROTOCOLS), "-o", str(archive)]) == 0
    with zipfile.ZipFile(archive) as zf:
        top = zf.namelist()[0].split("/")[0]
        graph = json.loads(zf.read(f"{top}/ro-crate-metadata.json"))["@graph"]
    return {entity["@id"]: entity for entity in graph}


@pytest.fixture(scope="module")
def validated() -> dict[str, FileResult]:
    return {path.stem: validate_file(path) for path in PROTOCOLS}


def leaf_steps(steps: list[st.Step]) -> int:
    """Steps a chemist does (a repeat block counts by what it holds), as the protocol says."""
    return sum(leaf_steps(list(step.steps)) if isinstance(step, st.Repeat) else 1
               for step in steps if step.when is True)


def dataset_of(library: dict[str, dict[str, Any]], protocol: Path) -> dict[str, Any]:
    (dataset,) = [library[part["@id"]] for part in library["./"]["hasPart"]
                  if library[part["@id"]]["identifier"] == f"benchsheet:{protocol.stem}"]
    return dataset


@pytest.mark.parametrize("importer", sorted(IMPORTERS))
@pytest.mark.parametrize("protocol", PROTOCOLS, ids=[p.stem for p in PROTOCOLS])
def test_tick_boxes_blanks_and_hazards_survive(
        library: dict[str, dict[str, Any]], validated: dict[str, FileResult],
        protocol: Path, importer: str) -> None:
    dataset = dataset_of(library, protocol)
    reference = visible_text(unfiltered(dataset))
    shown = visible_text(IMPORTERS[importer](dataset))

    assert tick_box_lines(shown) == tick_box_lines(reference)
    assert blank_labels(shown) == blank_labels(reference)

    base = validated[protocol.stem].variants[0]
    assert base.protocol is not None
    assert base.amounts is not None
    # One tick box per step done at the bench, counted from the protocol's own steps.
    numbered = [line for line in tick_box_lines(shown) if re.match(r"☐ \d+\S*\. ", line)]
    assert len(numbered) >= leaf_steps(list(base.protocol.steps))
    assert len(blank_labels(shown)) >= leaf_steps(list(base.protocol.steps))
    # Each H statement of each reagent, code and words, as the reagent data gives them.
    codes = {code for entry in base.amounts.materials.values()
             if entry.reagent.ghs is not None for code in entry.reagent.ghs.h_codes}
    assert codes, "every bundled protocol handles something classified"
    lines = shown.splitlines()
    for code in sorted(codes):
        (line,) = [line for line in lines if line.startswith(f"{code} ")]
        if code in HAZARD_STATEMENTS:
            assert line.startswith(f"{code} {HAZARD_STATEMENTS[code]}")
    assert any(line in {"DANGER", "WARNING"} for line in lines)


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=[p.stem for p in PROTOCOLS])
def test_body_holds_no_raw_html_and_the_summary_once(
        library: dict[str, dict[str, Any]], protocol: Path) -> None:
    dataset = dataset_of(library, protocol)
    assert raw_html_in(dataset["description"]) == []  # Kadi4Mat would print it as text
    body, content_type = elabftw_body(dataset)
    assert content_type == "text/markdown"
    summary = dataset["abstract"]
    # eLabFTW's body is text + description: the summary must be in it exactly once.
    assert visible_text(elabftw_shown(dataset)).count(summary[:60]) == 1
    assert body.count(summary[:60]) == 1


def test_one_entry_per_protocol_with_readable_unique_titles(
        library: dict[str, dict[str, Any]]) -> None:
    """Nine protocol files, nine entries (not one per variant); Kadi4Mat's identifier, cut
    from the title at 50 characters, starts with the protocol id and never repeats."""
    generate_identifier = pytest.importorskip("kadi_apy.lib.utils").generate_identifier

    datasets = [library[part["@id"]] for part in library["./"]["hasPart"]]
    assert len(datasets) == len(PROTOCOLS) == 9
    identifiers = [generate_identifier(d["name"]) for d in datasets]
    assert len(set(identifiers)) == len(identifiers)
    for dataset, identifier in zip(datasets, identifiers, strict=True):
        protocol_id = dataset["identifier"].removeprefix("benchsheet:")
        assert identifier.startswith(protocol_id)
    # mn-msc-bda holds 21 variants: listed in its body, each with its sheets attached.
    series = next(d for d in datasets if d["identifier"] == "benchsheet:mn-msc-bda")
    files = [library[part["@id"]]["name"] for part in series["hasPart"]]
    assert files[0] == "mn-msc-bda.yaml"
    assert len(files) == 1 + 2 * 21
    assert "| msc\\[x=0.5\\] | " in series["description"]


def test_the_allow_list_double_drops_what_elabftw_drops() -> None:
    """The double itself: style, input and svg go (with a style sheet's and an SVG's text),
    disallowed attributes go, text of a disallowed wrapper stays."""
    body = ('<style>p{display:none}</style><p style="color:red" onclick="x()">weigh'
            '<input type="checkbox"> <svg><title>GHS06</title></svg><label>ok</label></p>'
            '<table><thead><tr><th>a</th></tr></thead></table>')
    assert allow_list(body) == ('<p style="color:red">weigh ok</p>'
                                "<table><tr><th>a</th></tr></table>")
    # What the issue saw: an HTML sheet's tick boxes are <input>s, and vanish.
    sheet = {"text": '<p><input type="checkbox"> Add CdCl2</p>', "encodingFormat": "text/html"}
    assert tick_box_lines(visible_text(elabftw_shown(sheet))) == []
    assert visible_text(elabftw_shown(sheet)) == "Add CdCl2"


def test_the_kadi_double_prints_raw_html_as_text() -> None:
    shown = visible_text(kadi_shown({"description": "<b>☐</b> weigh\n\n| a |\n|---|\n| ☐ |"}))
    assert shown.splitlines() == ["<b>☐</b> weigh", "| a", "| ☐"]
