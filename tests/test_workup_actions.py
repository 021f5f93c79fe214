"""Work-up actions a second lab needed (extract, evaporate, distill, chromatograph): they parse,
read as a chemist writes them, are checked as references, track what a vessel holds, and
boiling a solvent off on purpose is no PH102.

Boiling points as the protocols state them or as the library has them: ethyl acetate 77.1 °C,
toluene 110.6 °C, diethyl ether 34.6 °C (CRC Handbook, physical constants of organic
compounds).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from benchsheet.chemistry.vessels import AMBIENT_K
from benchsheet.export import records
from benchsheet.findings import Severity
from benchsheet.model import steps as st
from benchsheet.render.view import STEP_BLANKS, material_uses
from benchsheet.render.words import step_texts
from benchsheet.scaling import scale_protocol
from benchsheet.validate import FileResult, VariantResult
from protocol_text import findings_of, validate_body, with_code

MATERIALS = """\
materials:
  water: {reagent: water, amount: 20 mL, role: solvent}
  EtOAc:
    reagent:
      name: ethyl acetate
      formula: C4H8O2
      cas: 141-78-6
      density: 0.902 g/mL
      phase: liquid
      boiling_point: 77.1 degC
      hazards: {signal_word: Danger, h_codes: [H225, H319, H336], source: test}
    amount: 10 mL
    role: solvent
  hexane: {reagent: hexane, amount: 20 mL, role: solvent}
  toluene: {reagent: toluene, amount: 5 mL, role: solvent}
vessels:
  funnel: {kind: separatory funnel, volume: 250 mL}
  flask: {kind: round-bottom flask, volume: 100 mL}
  pot: {kind: round-bottom flask, volume: 25 mL}
  receiver: {kind: vial, volume: 20 mL}
"""

STEPS = """\
steps:
  - {action: add, materials: [water], to: funnel}
  - {action: extract, from: funnel, solvent: EtOAc, times: 3, volume: 10 mL, keep: organic,
     into: flask, leave: [water]}
  - {action: evaporate, vessel: flask, temperature: 40 degC, pressure: 150 mbar abs,
     duration: 20 min}
  - {action: add, materials: [toluene], to: pot}
  - {action: distill, from: pot, temperature: 130 degC, collect: 108-111 degC, into: receiver,
     fraction: [toluene]}
  - {action: chromatograph, vessel: flask, stationary_phase: silica gel, eluent: [hexane]}
"""


def _base(result: FileResult) -> VariantResult:
    base = result.base
    assert base is not None
    assert base.protocol is not None
    assert base.amounts is not None
    return base


def test_every_workup_action_parses() -> None:
    step = TypeAdapter(st.Step)
    assert isinstance(step.validate_python(
        {"action": "extract", "from": "f", "solvent": "s", "times": 2, "keep": "aqueous"}),
        st.Extract)
    assert isinstance(step.validate_python({"action": "evaporate", "vessel": "f"}), st.Evaporate)
    assert isinstance(step.validate_python(
        {"action": "distill", "from": "f", "collect": "140-143 degC"}), st.Distill)
    assert isinstance(step.validate_python(
        {"action": "chromatograph", "stationary_phase": "silica gel", "eluent": "hexane"}),
        st.Chromatograph)
    for action in ("extract", "evaporate", "distill", "chromatograph"):
        assert action in st.ACTIONS
        assert len(STEP_BLANKS[action]) >= 2


@pytest.mark.parametrize("bad", [
    {"action": "extract", "from": "f", "solvent": "s", "times": 1, "keep": "top"},
    {"action": "extract", "from": "f", "solvent": "s", "times": 0, "keep": "organic"},
    {"action": "extract", "from": "f", "solvent": "s", "times": 1},  # which layer is kept?
    {"action": "evaporate", "vessel": "f", "method": "boiling"},
    {"action": "evaporate", "vessel": "f", "pressure": "20 mbar"},  # gauge or absolute?
    {"action": "distill", "from": "f"},  # no fraction collected
    {"action": "distill", "from": "f", "collect": "140 mL"},
    {"action": "chromatograph", "eluent": "hexane"},  # no stationary phase
])
def test_malformed_workup_steps_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(st.Step).validate_python(bad)


def test_the_workup_protocol_validates_clean() -> None:
    result = validate_body(MATERIALS + STEPS)
    loud = [f"{f.code} {f.message}" for f in result.findings if f.severity >= Severity.WARNING]
    assert loud == []
    # Notes: the flammable solvents heated open (EtOAc on the bath, toluene in the pot).
    assert {f.code for f in result.findings} == {"HZ101", "HZ110"}


def test_workup_steps_in_words() -> None:
    base = _base(validate_body(MATERIALS + STEPS + """\
  - {action: chromatograph, method: flash, stationary_phase: silica gel (40-63 µm),
     eluent: "hexane/EtOAc 9:1"}
  - {action: extract, from: funnel, solvent: EtOAc, times: 1, keep: aqueous}
  - {action: evaporate, vessel: receiver, method: nitrogen stream, solvents: [toluene]}
  - {action: distill, from: flask, pressure: 20 mbar abs, collect: 140-143 degC}
"""))
    texts = list(step_texts(base.protocol, base.amounts))  # type: ignore[arg-type]
    assert texts[1:] == [
        "Extract funnel 3× with 10 mL EtOAc (ethyl acetate) each; keep the organic layers, "
        "combined in flask, leaving water in the aqueous layer.",
        "Evaporate the solvent from flask on a rotary evaporator (bath 40 °C, 150 mbar "
        "absolute) for 20 min.",
        "Add toluene (5.000 mL) to pot.",
        "Distil from pot, heating at 130 °C, collecting the fraction boiling at 108–111 °C "
        "(toluene) into receiver.",
        "Purify the contents of flask by column chromatography on silica gel, eluting with "
        "hexane (n-hexane).",
        "Purify by flash chromatography on silica gel (40-63 µm), eluting with hexane/EtOAc 9:1.",
        # One portion: no "1×", and the material's own volume.
        "Extract funnel with 10.00 mL EtOAc (ethyl acetate); keep the aqueous layer.",
        "Evaporate toluene from receiver in a nitrogen stream.",
        "Distil from flask at 20 mbar absolute, collecting the fraction boiling at 140–143 °C.",
    ]


# Each reference a work-up step makes, misspelt: RF301 at that field.
TYPOS = [
    ("from: funnel, solvent: EtOAc", "from: funel, solvent: EtOAc", ("from",), 1),
    ("solvent: EtOAc, times: 3", "solvent: EtOA, times: 3", ("solvent",), 1),
    ("into: flask, leave", "into: flsk, leave", ("into",), 1),
    ("leave: [water]", "leave: [watr]", ("leave", 0), 1),
    ("vessel: flask, temperature: 40", "vessel: flasc, temperature: 40", ("vessel",), 2),
    ("from: pot, temperature", "from: pt, temperature", ("from",), 4),
    ("into: receiver", "into: reciever", ("into",), 4),
    ("fraction: [toluene]", "fraction: [tolune]", ("fraction", 0), 4),
    ("eluent: [hexane]", "eluent: [hexan]", ("eluent", 0), 5),
    ("vessel: flask, stationary", "vessel: flaks, stationary", ("vessel",), 5),
]


@pytest.mark.parametrize(("old", "new", "field", "index"), TYPOS, ids=[t[1] for t in TYPOS])
def test_a_typo_in_a_reference_is_rf301(old: str, new: str, field: tuple[str | int, ...],
                                        index: int) -> None:
    assert old in STEPS
    found = with_code(findings_of(MATERIALS + STEPS.replace(old, new, 1)), "RF301")
    assert [f.path for f in found] == [("steps", index, *field)]


def test_references_count_as_uses() -> None:
    """Every material and vessel of the work-up is used by its steps: no RF302. Without the
    chromatography the eluent's hexane is declared but unused."""
    assert with_code(findings_of(MATERIALS + STEPS), "RF302") == []
    without = STEPS.replace(
        "  - {action: chromatograph, vessel: flask, stationary_phase: silica gel, "
        "eluent: [hexane]}\n", "")
    assert [f.path for f in with_code(findings_of(MATERIALS + without), "RF302")] == [
        ("materials", "hexane")]


def test_free_text_eluent_is_no_reference() -> None:
    """An eluent written out is text: its letters are not material ids, and the material it
    happens to name is not thereby used."""
    text = STEPS.replace("eluent: [hexane]", 'eluent: "hexane/EtOAc 19:1"')
    found = findings_of(MATERIALS + text)
    assert with_code(found, "RF301") == []
    assert [f.path for f in with_code(found, "RF302")] == [("materials", "hexane")]


def test_contents_follow_the_workup() -> None:
    """The extraction adds its solvent to the funnel and moves the kept layer on, leaving
    the water; the evaporation takes the solvent out; the distillation moves its fraction."""
    base = _base(validate_body(MATERIALS + STEPS))
    states = [(s.step_path[1], s.action, s.vessel, s.materials)
              for s in base.amounts.timeline]  # type: ignore[union-attr]
    assert states == [
        (0, "add", "funnel", ("water",)),
        (1, "extract", "funnel", ("water", "EtOAc")),
        (1, "extract", "flask", ("EtOAc",)),
        (2, "evaporate", "flask", ("EtOAc",)),  # while it evaporates
        (2, "evaporate", "flask", ()),  # the residue, off the bath
        (3, "add", "pot", ("toluene",)),
        (4, "distill", "pot", ("toluene",)),
        (4, "distill", "pot", ()),  # what stays in the pot
        (4, "distill", "receiver", ("toluene",)),
    ]


def test_extraction_without_receiver_drains_only_what_leave_names() -> None:
    body = MATERIALS + """\
steps:
  - {action: add, materials: [water, toluene], to: funnel}
  - {action: extract, from: funnel, solvent: EtOAc, times: 2, keep: organic, leave: [water]}
  - {action: heat, vessel: funnel, temperature: 30 degC}
  - {action: extract, from: funnel, solvent: hexane, times: 1, keep: aqueous}
  - {action: heat, vessel: funnel, temperature: 30 degC}
  - {action: chromatograph, stationary_phase: silica, eluent: text}
"""
    base = _base(validate_body(body))
    held = {s.step_path[1]: s.materials for s in base.amounts.timeline}  # type: ignore[union-attr]
    assert held[1] == ("water", "toluene", "EtOAc")  # the funnel while shaking
    assert held[2] == ("toluene", "EtOAc")  # the aqueous layer was drained
    assert held[4] == ("toluene", "EtOAc", "hexane")  # nothing named: nothing drained


def test_evaporation_takes_the_solvents_and_leaves_the_flask_at_ambient() -> None:
    """Without a list every solvent and wash goes; a listed solvent goes alone. Afterwards the
    flask is off the bath: a low-boiling liquid added next does not boil (no PH102)."""
    body = MATERIALS.replace("vessels:", """\
  ether:
    reagent:
      name: diethyl ether
      formula: C4H10O
      cas: 60-29-7
      density: 0.713 g/mL
      phase: liquid
      boiling_point: 34.6 degC
      hazards: {signal_word: Danger, h_codes: [H224, H302, H336], source: test}
    amount: 5 mL
    role: solvent
vessels:""") + """\
steps:
  - {action: add, materials: [EtOAc, toluene], to: flask}
  - {action: evaporate, vessel: flask, solvents: [EtOAc], temperature: 60 degC}
  - {action: add, materials: [water], to: pot}
  - {action: evaporate, vessel: pot, method: vacuum}
  - {action: add, materials: [ether], to: flask}
  - {action: heat, vessel: receiver, temperature: 30 degC}
  - {action: chromatograph, stationary_phase: silica, eluent: [hexane]}
"""
    result = validate_body(body)
    base = _base(result)
    held: dict[tuple[object, str], tuple[tuple[str, ...], float]] = {}
    for s in base.amounts.timeline:  # type: ignore[union-attr]
        held.setdefault((s.step_path[1], s.vessel), (s.materials, s.temperature_K))
    # The first state of the evaporation is while it evaporates, on the bath; the next is
    # the residue at ambient.
    assert held[(1, "flask")] == (("EtOAc", "toluene"), pytest.approx(333.15))
    assert held[(4, "flask")] == (("toluene", "ether"), pytest.approx(AMBIENT_K))
    assert held[(3, "pot")][0] == ("water",)
    assert with_code(result, "PH102") == []


# A flask at 130 °C with toluene (bp 110.6 °C) and ethyl acetate (bp 77.1 °C) in it.
BOILING = MATERIALS + """\
steps:
  - {action: add, materials: [toluene, EtOAc], to: pot}
  - STEP
  - {action: add, materials: [water, hexane], to: funnel}
  - {action: extract, from: funnel, solvent: EtOAc, times: 1, keep: organic, into: flask,
     leave: [water]}
  - {action: chromatograph, vessel: receiver, stationary_phase: silica, eluent: [hexane]}
"""


@pytest.mark.parametrize(("step", "boils"), [
    # Heating an open flask above its liquids' boiling points: both boil off.
    ("{action: heat, vessel: pot, temperature: 130 degC}", ["EtOAc", "toluene"]),
    # A distillation boils on purpose: the heating is the point.
    ("{action: distill, from: pot, temperature: 130 degC, collect: 76-78 degC, "
     "into: receiver, fraction: [EtOAc]}", []),
    # No bath temperature: the pot is at least at the top of the range collected.
    ("{action: distill, from: pot, collect: 108-111 degC, into: receiver}", []),
    # Evaporating the solvents (by default every solvent) is no accident either.
    ("{action: evaporate, vessel: pot, temperature: 130 degC, method: vacuum}", []),
    # Evaporating only the ethyl acetate: the toluene boiling off with it is still reported.
    ("{action: evaporate, vessel: pot, temperature: 130 degC, solvents: [EtOAc]}",
     ["toluene"]),
])
def test_boiling_off_on_purpose_is_no_ph102(step: str, boils: list[str]) -> None:
    found = findings_of(BOILING.replace("STEP", step))
    assert sorted(f.message.split("'")[1] for f in with_code(found, "PH102")) == boils
    assert not [f for f in found if f.severity >= Severity.WARNING and f.code != "PH102"]


@pytest.mark.parametrize(("step", "short_by"), [
    # Toluene (bp 110.6 °C) collected at 108-111 °C from a bath at 90 °C: 18 K short.
    ("{action: distill, from: pot, temperature: 90 degC, collect: 108-111 degC, "
     "into: receiver}", 18.0),
    # The bath at the bottom of the range (within the 0.5 K a transition is read to) and
    # above it: the head can reach the range.
    ("{action: distill, from: pot, temperature: 108 degC, collect: 108-111 degC, "
     "into: receiver}", None),
    ("{action: distill, from: pot, temperature: 130 degC, collect: 108-111 degC, "
     "into: receiver}", None),
    # A bath of 100-120 °C may be hot enough.
    ("{action: distill, from: pot, temperature: 100-120 degC, collect: 108-111 degC, "
     "into: receiver}", None),
    # Under vacuum the range is the head temperature at that pressure: 45 °C from 70 °C.
    ("{action: distill, from: pot, temperature: 70 degC, pressure: 50 mbar abs, "
     "collect: 45-48 degC, into: receiver}", None),
    # No bath temperature: nothing to compare.
    ("{action: distill, from: pot, collect: 108-111 degC, into: receiver}", None),
])
def test_PH110_a_bath_below_the_fraction_collected(step: str, short_by: float | None
                                                   ) -> None:
    found = with_code(findings_of(BOILING.replace("STEP", step)), "PH110")
    if short_by is None:
        assert found == []
        return
    (finding,) = found
    assert finding.path == ("steps", 1, "temperature")
    assert f"{short_by:.0f} K above the bath's 90 degC" in finding.message


def test_distillation_of_a_flammable_liquid_prints_the_heating_control() -> None:
    """HZ110 still applies: the pot of a distillation is a flammable liquid heated open."""
    found = findings_of(BOILING.replace(
        "STEP", "{action: distill, from: pot, collect: 108-111 degC, into: receiver}"))
    heated = {f.message.split("'")[1]: f.message for f in with_code(found, "HZ110")}
    assert set(heated) == {"toluene", "EtOAc"}
    assert "heated to 111.0 °C in open vessel 'pot'" in heated["toluene"]


def test_a_distillation_pot_is_filled_at_most_two_thirds() -> None:
    """The pot is heated: PH109's two-thirds limit applies (30 mL in a 25 mL pot is PH108)."""
    body = BOILING.replace("pot: {kind: round-bottom flask, volume: 25 mL}",
                           "pot: {kind: round-bottom flask, volume: 20 mL}")
    found = findings_of(body.replace(
        "STEP", "{action: distill, from: pot, collect: 108-111 degC, into: receiver}"))
    (full,) = with_code(found, "PH109")
    assert "'pot' is 75 % full" in full.message


def test_extraction_portions_count_and_scale() -> None:
    """Three 10 mL portions are three uses of the solvent; the portion volume grows with the
    batch, as a wash volume does."""
    base = _base(validate_body(MATERIALS + STEPS))
    protocol = base.protocol
    assert protocol is not None
    assert material_uses(protocol.steps)["EtOAc"] == 3
    doubled = scale_protocol(protocol, Decimal(2))
    extract = doubled.steps[1]
    assert isinstance(extract, st.Extract)
    assert str(extract.volume) == "20 mL"


def test_workup_quantities_are_exported_as_conditions() -> None:
    (record,) = records.protocol_records(validate_body(MATERIALS + STEPS.replace(
        "collect: 108-111 degC", "collect: 108-111 degC, pressure: 1013 mbar abs")),
        date=datetime(2026, 1, 1, tzinfo=UTC))
    quantities = {q.property_id: q for q in record.quantities}
    collect = quantities["step_5.collect"]
    assert (collect.min_value, collect.value, collect.max_value, collect.unit) == (
        108.0, 109.5, 111.0, "degC")
    assert collect.group == "Conditions"
    assert (quantities["step_5.pressure"].value, quantities["step_5.pressure"].unit) == (
        1013.0, "mbar absolute")
    assert quantities["step_3.temperature"].value == 40.0
    assert quantities["step_2.volume"].value == 10.0
