"""The protocol → record mapping: step words for every action, slugs, authors, keywords, build."""

from __future__ import annotations

import re
import typing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchsheet.export import records
from benchsheet.export.eln_read import read_eln
from benchsheet.export.eln_records import ElnPerson, ElnRecord
from benchsheet.model.protocol import Author
from benchsheet.model.steps import Step
from benchsheet.render import words
from benchsheet.validate import validate_file, validate_text

REPO = Path(__file__).resolve().parents[1]
MN_CDSE13 = REPO / "protocols" / "mn-cdse13-bda-msc.yaml"


def test_every_step_action_has_words() -> None:
    union = typing.get_args(typing.get_args(Step)[0])
    assert set(union) == set(words.STEP_WORDS)


@pytest.mark.parametrize(("variant", "slug"), [
    ("", "proto"),
    ("half", "proto--half"),
    ("host=Zn,x=0.5", "proto--host-zn-x-0-5"),
    ("series[mn=2.5]", "proto--series-mn-2-5"),
])
def test_variant_slug(variant: str, slug: str) -> None:
    assert records.variant_slug("proto", variant) == slug


def test_long_variant_slugs_stay_unique_and_short() -> None:
    first = records.variant_slug("p", "x" * 200 + "a")
    second = records.variant_slug("p", "x" * 200 + "b")
    assert first != second
    assert len(first) <= 120


@pytest.mark.parametrize(("name", "person"), [
    ("Ada Lovelace", ElnPerson("Ada", "Lovelace")),
    ("Augusta Ada King", ElnPerson("Augusta Ada", "King")),
    ("Curie", ElnPerson("", "Curie")),
])
def test_author_names_split_into_given_and_family(name: str, person: ElnPerson) -> None:
    assert records._person(Author(name=name)) == person


def test_keywords_never_carry_a_comma_and_never_repeat() -> None:
    assert records._keywords(["CdSe", "Mn, doped", "CdSe", "  "]) == ("CdSe", "Mn doped")


def test_step_words_carry_the_amounts_table() -> None:
    text = """
id: salt
title: Salt
version: 1.0.0
source: {section: test}
materials:
  NaCl:
    reagent: {name: sodium chloride, formula: NaCl}
    amount: 2 mmol
vessels:
  vial: {kind: vial, volume: 20 mL}
steps:
  - action: add
    materials: [NaCl]
    to: vial
  - action: repeat
    times: 3
    steps:
      - {action: stir, vessel: vial, duration: 5 min, temperature: 30 degC}
"""
    result = validate_text(text)
    base = result.base
    assert base is not None
    assert base.protocol is not None
    assert base.amounts is not None
    steps = list(records.step_texts(base.protocol, base.amounts))
    # 2 mmol × (22.990 + 35.453) g/mol = 116.89 mg, printed to 4 significant figures (116.9)
    match = re.fullmatch(r"(.*= )([\d.]+) mg\) to vial\.", steps[0])
    assert match is not None
    head, mass = match.groups()
    assert head == "Add NaCl (sodium chloride, 2.000 mmol = "
    assert mass == "116.9"
    assert float(mass) == pytest.approx(2 * (22.990 + 35.453), abs=0.05)
    assert steps[1] == "Repeat 3×: (a) Stir vial at 30 °C for 5 min (magnetic stirrer)."
    quantities = {q.property_id: q for q in records.protocol_records(
        result, date=datetime(2026, 1, 1, tzinfo=UTC))[0].quantities}
    assert (quantities["step_2_1.duration"].value, quantities["step_2_1.duration"].unit) == \
        (5.0, "min")


def test_the_renderer_adapter_falls_back_only_without_the_render_package() -> None:
    result = validate_file(MN_CDSE13)
    assert result.base is not None
    html = records.render_sheet(result, result.base, "html")
    assert "<h1>" in html


def test_export_all_writes_the_archive_build_needs(tmp_path: Path) -> None:
    result = validate_file(MN_CDSE13)
    (path,) = records.export_all([result], tmp_path / "build")
    assert path == tmp_path / "build" / "protocols.eln"
    (record,) = read_eln(path)
    assert record.identifier == "benchsheet:mn-cdse13-bda-msc"
    assert record.files["mn-cdse13-bda-msc.yaml"] == MN_CDSE13.read_bytes()


def test_ranges_become_min_and_max() -> None:
    text = """
id: cat
title: Catalyst
version: 1.0.0
source: {section: test}
materials:
  cat:
    reagent: {name: zinc oxide, formula: ZnO}
    amount: 3.8–5.3 mg
vessels:
  vial: {kind: vial, volume: 20 mL}
steps:
  - {action: add, materials: [cat], to: vial}
  - {action: stir, vessel: vial, duration: 1–2 h}
"""
    (record,) = records.protocol_records(validate_text(text),
                                         date=datetime(2026, 1, 1, tzinfo=UTC))
    quantities = {q.property_id: q for q in record.quantities}
    mass = quantities["cat.mass"]
    assert (mass.min_value, mass.value, mass.max_value) == (3.8, 4.55, 5.3)
    duration = quantities["step_2.duration"]
    assert (duration.min_value, duration.value, duration.max_value) == (1.0, 1.5, 2.0)


@pytest.mark.parametrize("title", [
    "mn-cdse13-bda-msc — Mn²⁺:(CdSe)₁₃(BDA) magic-sized clusters",
    "co2-po-cycloaddition — CO₂ cycloaddition to propylene oxide over Mn²⁺:(Cd₁₋ₓZnₓSe)₁₃",
    "A  b__c -- d", "ÄÖÜ", "x" * 80])
def test_kadi_identifier_is_the_one_kadi_apy_derives(title: str) -> None:
    utils = pytest.importorskip("kadi_apy.lib.utils")
    assert records.kadi_identifier(title) == utils.generate_identifier(title)


def test_titles_that_would_share_a_kadi_identifier_are_refused() -> None:
    """Ids `a` and `a-b` with titles `b foo` and `foo` both give Kadi4Mat `a-b-foo`."""
    moment = datetime(2026, 1, 1, tzinfo=UTC)

    def record(slug: str, name: str) -> ElnRecord:
        return ElnRecord(slug=slug, name=name, description="", body="", body_format="text/markdown",
                         keywords=(), steps=(), quantities=(), files=(), authors=(),
                         date_created=moment, date_modified=moment, identifier=slug)

    (problem,) = records._clashing_identifiers([record("a", "a — b foo"),
                                                record("a-b", "a-b — foo")])
    assert problem.startswith("a-b: its title gives Kadi4Mat the identifier 'a-b-foo', as a's")
    assert records._clashing_identifiers([record("a", "a — b foo"),
                                          record("c", "c — foo")]) == []
