"""One regression test per failure class the fuzzing suite (issue 12) found, with the smallest
reproduction. A class that is fixed has a plain test; one that is not fixed yet is listed in
``KNOWN`` of tests/test_fuzz.py and has a strict xfail test here: the fix makes it pass, strict
xfail then fails the run, and the fix removes the marker and the ``KNOWN`` entry together."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchsheet.api import ProtocolHandle
from benchsheet.chemistry.phases import ideal_freezing_point_K
from benchsheet.findings import Severity
from benchsheet.reagents.library import load_library
from benchsheet.validate import validate_file
from protocol_text import validate_body, with_code
from test_fuzz import KNOWN


def _sheets(body: str, *scales: float) -> None:
    """Validate, then render every sheet the fuzzing suite renders (md and html, scaled)."""
    result = validate_body(body)
    assert result.base is not None
    assert result.base.protocol is not None, [f.message for f in result.findings]
    handle = ProtocolHandle(result, load_library(()))
    for scale in (1, *scales):
        handle.render("md", scale=scale)
        handle.render("html", scale=scale)


# --- fixed -----------------------------------------------------------------------------------


def test_thousands_of_schema_errors_are_sorted_out_in_linear_time() -> None:
    """Keeping the deepest error paths compared every path with every other: a file with an
    unknown key in each of thousands of places took minutes (fuzz: a step mapping grown by 50
    keys, the steps list by 200)."""
    odd_keys = ", ".join(f"odd{i}: 1" for i in range(50))
    steps = "\n".join(f"  - {{action: add, materials: [water], to: flask, {odd_keys}}}"
                      for _ in range(100))  # 11,000 nodes: under the node limit
    result = validate_body(f"""\
materials:
  water: {{reagent: water, amount: 1 mL}}
vessels:
  flask: {{kind: flask, volume: 50 mL}}
steps:
{steps}
""")
    # Each unknown key is reported once, none lost to the parent of another (the time it
    # takes, 40 s before the fix and under 2 s after, is for bench/, not for a test).
    assert len(with_code(result, "SC102")) == 100 * 50


def test_a_trace_component_has_no_freezing_point_instead_of_a_math_domain_error() -> None:
    """x underflows to 0 beside an overwhelming rest: ln 0 raised; the limit is 0 K."""
    assert ideal_freezing_point_K(300.0, 0.0) == 0.0
    assert 0 < ideal_freezing_point_K(300.0, 1e-300) < 300.0
    assert ideal_freezing_point_K(300.0, 1.0) == 300.0


def test_a_solvent_swamped_by_a_huge_amount_renders_scaled() -> None:
    """fuzz: mn-cdse13-bda-msc with Se at 1e308 mmol, rendered ×2: the melting diamine's mole
    fraction underflowed to 0 in PH101's freezing-point estimate. The freezing point now has
    its limit at x = 0 (above), and the unit layer refuses such a number at the source: the
    largest it takes, 10^15 mmol, renders at ×2."""
    result = validate_body("""\
        materials:
          Se: {reagent: selenium, amount: 1e308 mmol, role: precursor}
        vessels:
          flask: {kind: flask, volume: 50 mL}
        steps:
          - {action: add, materials: [Se], to: flask}
        """)
    assert [f.code for f in result.findings if f.severity >= Severity.ERROR] == ["UN209"]
    _sheets("""\
        materials:
          BDA: {reagent: butanediamine, amount: 5 mL, role: solvent}
          Se: {reagent: selenium, amount: 1e15 mmol, role: precursor}
        vessels:
          flask: {kind: flask, volume: 50 mL}
        steps:
          - {action: add, materials: [BDA, Se], to: flask}
          - {action: stir, vessel: flask, temperature: 25 degC, duration: 1 h}
        """, 2)


# --- known, not fixed yet (listed in tests/test_fuzz.py KNOWN) --------------------------------


_XFAILED: set[str] = set()


def _known(signature: str) -> str:
    """The reason of a strict xfail: a class listed in KNOWN, noted as having its test."""
    assert signature in KNOWN, f"{signature} is not in KNOWN of tests/test_fuzz.py"
    _XFAILED.add(signature)
    return signature


def test_a_centrifuge_speed_near_the_float_limit_is_a_finding() -> None:
    """1e308 rpm squared past the float range in EQ102; the unit layer now refuses a number
    beyond 10^15 in its unit (UN209), so no check ever sees it."""
    result = validate_body("""\
        materials:
          water: {reagent: water, amount: 10 mL, role: solvent}
        vessels:
          tube: {kind: centrifuge tube, volume: 50 mL}
        steps:
          - {action: add, materials: [water], to: tube}
          - {action: centrifuge, vessel: tube, speed: 1e308 rpm, rotor_radius: 10 cm,
             duration: 5 min, keep: pellet}
        """)
    assert [f.code for f in result.findings if f.code.startswith("UN")] == ["UN209"]


# Timeouts: files within every limit that took seconds (a protocol grown to 70 steps, one with
# 230 materials in 21 variants), because figures were recomputed per rule, per format or per
# variant. Each guard counts the costly call: the count, not a time, is what regresses.

CO2 = Path(__file__).resolve().parents[1] / "protocols" / "co2-po-cycloaddition.yaml"


def _counting(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_a_sealed_vessels_pressure_is_worked_out_once_per_state_for_all_rules(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Six pressure rules (PH103-PH107) each recomputed every sealed state's pressure."""
    import benchsheet.checks.phases as rules

    calls = _counting(monkeypatch, rules, "sealed_pressure")
    result = validate_file(CO2)
    # A variant of the base's own values is the base again (validate.twin_of): its states
    # are the base's, counted once.
    checked = {id(v.amounts): v for v in result.variants
               if v.protocol is not None and v.amounts is not None}.values()
    assert len(checked) < len(result.variants)  # the file has such a twin
    sealed = sum(1 for v in checked if v.protocol is not None and v.amounts is not None
                 for vid, vessel in v.protocol.vessels.items() if vessel.when is True
                 for state in v.amounts.timeline.of(vid) if state.sealed)
    assert sealed > 0
    assert len(calls) == sealed


def test_a_variants_references_are_walked_once_for_rf301_and_rf302(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each step is walked once for both rules, and once for all the variants whose models
    hold that same step object (a variant reuses the steps its values do not change)."""
    import benchsheet.checks.references as references

    walked: list[int] = []
    real = references.iter_references

    def counted(node: Any, path: tuple[Any, ...]) -> Any:
        if len(path) == 2 and path[0] == "steps":
            walked.append(id(node))
        return real(node, path)

    monkeypatch.setattr(references, "iter_references", counted)
    result = validate_file(CO2)
    models = [v.protocol for v in result.variants if v.protocol is not None]
    distinct = {id(step) for p in models for step in p.steps}
    assert sorted(walked) == sorted(distinct)
    # The variants share steps: fewer walks than one per step and variant.
    assert len(walked) < sum(len(p.steps) for p in models)


def test_an_expression_is_parsed_once_for_every_variant(monkeypatch: pytest.MonkeyPatch) -> None:
    """co2-po-cycloaddition's 8 variants evaluate the same expressions: each is parsed once."""
    import ast

    import benchsheet.expand as expand

    expand._parsed.cache_clear()
    calls = _counting(monkeypatch, ast, "parse")
    result = validate_file(CO2)
    text = CO2.read_text(encoding="utf-8")
    distinct = {m.group(1) for m in expand._TEMPLATE.finditer(text)}
    assert len(result.variants) == 8
    assert 0 < len(calls) <= len(distinct)


def test_the_markdown_and_html_sheets_of_an_export_share_one_view(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    from benchsheet.export.records import records_for

    # the module: benchsheet.render as an attribute of the package is the API's function
    render = importlib.import_module("benchsheet.render")
    calls = _counting(monkeypatch, render, "build_view")
    result = validate_file(CO2)
    records = records_for([result])
    # One entry for the file; one view per variant gives its sheets (and the base its body).
    assert len(records) == 1
    assert len(calls) == len(result.variants)


def test_an_import_parses_a_protocol_file_its_variants_share_once(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import benchsheet.export.importer as importer
    from benchsheet.export.eln_write import write_eln
    from benchsheet.export.records import export_date, license_url, records_for

    result = validate_file(CO2)
    records = records_for([result])
    archive = tmp_path / "co2.eln"
    write_eln(records, archive, date=export_date(records), license_url=license_url([result]))
    calls = _counting(monkeypatch, importer, "load_text")
    (protocol,) = importer.read_protocols(archive)  # 8 datasets, one file
    assert protocol.content == CO2.read_bytes()
    assert len(calls) == 1


def test_variants_exported_under_one_name_are_refused_before_any_sheet_is_rendered(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Forty copies of one variant (VA003) rendered every sheet before the .eln writer saw
    the clash, and the notebook export wrote each copy over the last."""
    import importlib

    import yaml

    from benchsheet.export.notebook import write_notebooks
    from benchsheet.export.records import ExportError, records_for
    from benchsheet.validate import validate_text

    data = yaml.safe_load(CO2.read_text(encoding="utf-8"))
    data["variants"] = [*data["variants"], data["variants"][0]]
    result = validate_text(yaml.safe_dump(data, sort_keys=False), "co2.yaml")
    assert with_code(result, "VA003")
    render = importlib.import_module("benchsheet.render")
    calls = _counting(monkeypatch, render, "build_view")
    for export in (lambda: records_for([result]),
                   lambda: write_notebooks([result], tmp_path / "nb")):
        with pytest.raises(ExportError, match="exported as"):
            export()
    assert calls == []
    assert not (tmp_path / "nb").exists()


@pytest.mark.parametrize(("purity", "code", "words"), [
    ("5e-324 %", "UN209", "close to zero"), ("1e-20 %", "UN209", "close to zero"),
    ("1e-300", "UN209", "close to zero"), ("0 %", "SC108", "leaves no substance"),
    ("0.0", "SC108", "leaves no substance"), ("0-99 %", "SC108", "leaves no substance"),
])
def test_a_purity_of_zero_or_one_that_underflows_is_a_finding_not_a_division_by_zero(
        purity: str, code: str, words: str) -> None:
    """The material's mass is its moles divided by the purity: '0.0 %' (or a range reaching
    0) was 0, and '5e-324 %' is 5e-326 as a fraction, 0.0 in floating point (fuzz class
    ZeroDivisionError in interval.__truediv__, seed 2026 cases 18526 and 50711)."""
    result = validate_body(f"""\
materials:
  salt: {{reagent: sodium-chloride, amount: 1 g, purity: '{purity}'}}
  water: {{reagent: water, amount: 10 mL}}
vessels:
  flask: {{kind: flask, volume: 50 mL}}
steps:
  - {{action: add, materials: [salt, water], to: flask}}
""")
    (found,) = with_code(result, code)
    assert words in found.message
    assert found.yaml_path == "materials.salt.purity"


def test_a_catalyst_amount_reaching_zero_leaves_the_turnover_claim_unrecomputed() -> None:
    """The co2 protocol's TON series with its catalyst at '0.0-5.3 mg': the number of
    catalyst units reaches 0 and was divided by (fuzz class ZeroDivisionError in
    interval.__truediv__, seed 2026 case 25859). The claim cannot be bounded: CL104."""
    import yaml

    from benchsheet.validate import validate_text

    data = yaml.safe_load(CO2.read_text(encoding="utf-8"))
    data["tables"]["catalyst_mass"]["ton"] = "0.0–5.3 mg"
    result = validate_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "co2.yaml")
    ton = [v for v in result.variants if "ton" in v.name]
    assert ton
    assert all(any(f.code == "CL104" for f in v.findings) for v in ton)


@pytest.mark.parametrize("temperature", ["0 K", "-273.15 degC", "-459.67 degF"])
def test_a_gas_charged_at_absolute_zero_is_a_finding_not_a_division_by_zero(
        temperature: str) -> None:
    """n = PV/RT with T = 0 (fuzz class ZeroDivisionError in amounts._charge, seed 2026 case
    44396): absolute zero itself is refused like any temperature below it (UN208)."""
    result = validate_body(f"""\
materials:
  H2: {{reagent: hydrogen, gas: {{mode: charge, vessel: flask, pressure: 1 bar gauge,
        temperature: '{temperature}'}}}}
vessels:
  flask: {{kind: flask, volume: 50 mL}}
steps:
  - {{action: pressurize, vessel: flask, gas: H2}}
""")
    (found,) = with_code(result, "UN208")
    assert "at or below absolute zero" in found.message


@pytest.mark.parametrize(("field", "value", "amount"), [
    ("density", "0 g/mL", "1.00 g"), ("density", "0 kg/L", "2 mL"),
    ("molar_mass", "0 g/mol", "1.00 g"), ("molar_mass", "0 g/mol", "5 mmol")])
def test_a_substance_of_zero_density_or_molar_mass_is_a_finding_not_a_division_by_zero(
        field: str, value: str, amount: str) -> None:
    """A reagent written out with 'density: 0 g/mL' and weighed out: its volume is its mass
    over its density (fuzz class ZeroDivisionError in interval.__truediv__, seed 3018 case
    15471). No substance has no density or no molar mass, so zero is refused where it is
    written (UN208), as a negative one is, and never reaches the amounts; a volume or a
    number of moles that would not divide by it is refused alike."""
    result = validate_body(f"""\
materials:
  naph: {{reagent: {{name: naphthalene, formula: C10H8, {field}: '{value}'}}, amount: {amount}}}
vessels:
  flask: {{kind: flask, volume: 50 mL}}
steps:
  - {{action: add, materials: [naph], to: flask}}
""")
    (found,) = with_code(result, "UN208")
    assert found.message.endswith("cannot be zero")
    assert found.path == ("materials", "naph", "reagent", field)


@pytest.mark.parametrize(("field", "value"), [
    ("nuclearity", 10**400), ("nuclearity", 10**10), ("charge", 10**400)])
def test_an_integer_past_the_float_range_is_out_of_range_not_an_overflow(
        field: str, value: int) -> None:
    """A 401-digit nuclearity reached the interval arithmetic, which could not make it a float
    (fuzz class OverflowError in interval._as, seed 2026 case 47602): SC108."""
    import yaml

    from benchsheet.validate import validate_text

    bundled = CO2.parent / "mn-msc-bda.yaml"
    data = yaml.safe_load(bundled.read_text(encoding="utf-8"))
    product = data["products"]["product"]
    if field == "nuclearity":
        product["composition"]["nuclearity"] = value
    else:
        product["charge"] = value
    result = validate_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "p.yaml")
    assert any(f.code == "SC108" and field in f.yaml_path for f in result.findings)


def test_every_known_class_has_a_strict_xfail_test_here() -> None:
    assert set(KNOWN) == _XFAILED


@pytest.mark.parametrize("duration", ["0 h", "0.0 min", "0–6 h"])
def test_a_turnover_number_over_no_time_is_a_finding_not_a_division_by_zero(
        duration: str) -> None:
    """The co2 protocol's TON counted over '0 h': CL106 divided the TON by it to compare the
    TOF (fuzz class ZeroDivisionError in interval.__truediv__, seed 3020 case 11999). A
    reaction time of 0, or a range reaching 0, is refused where it is written (SC108), and
    no rule divides by it."""
    import yaml

    from benchsheet.validate import validate_text

    data = yaml.safe_load(CO2.read_text(encoding="utf-8"))
    data["claims"]["ton"]["duration"] = duration
    result = validate_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "co2.yaml")
    (found,) = with_code(result, "SC108")
    assert found.yaml_path == "claims.ton.duration"
    assert "reaches 0" in found.message
    assert not any(f.code == "CL106" for f in result.findings)


@pytest.mark.parametrize("fraction", ["1" + "0" * 400, "1" + "0" * 400 + "/3", "1.5"])
def test_a_portion_past_the_float_range_is_more_than_all_of_it(fraction: str) -> None:
    """A portion's fraction written as a whole number of 401 digits (or a ratio of one) made
    ``float(Fraction(...))`` raise OverflowError in the model (fuzz class OverflowError in
    steps._portion_fraction, seed 3023 case 7367). It is more than all of it, the same
    finding, at the same place, as a fraction of 1.5."""
    result = validate_body(f"""\
materials:
  salt: {{reagent: sodium-chloride, amount: 1 g}}
vessels:
  vial: {{kind: vial, volume: 20 mL}}
steps:
  - action: add
    to: vial
    materials: [{{material: salt, fraction: {fraction}}}]
""")
    (found,) = [f for f in result.findings if f.yaml_path == "steps[0].materials[0].fraction"]
    assert found.severity is Severity.ERROR
    assert found.message.endswith("a portion is more than 0 and at most all of it (1)")
    assert found.code == "SC107"
