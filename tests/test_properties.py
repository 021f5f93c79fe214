"""Properties that must hold for any amounts, not just the ones the examples use."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchsheet.chemistry.amounts import AmountsTable
from benchsheet.chemistry.formula import parse_formula
from benchsheet.chemistry.interval import Interval
from benchsheet.findings import Finding
from benchsheet.units import convert
from protocol_text import validate_body

# Each example runs the whole pipeline (a few ms, slower on a cold start): no deadline.
PIPELINE = settings(max_examples=100, deadline=None)

def _plain(x: float) -> str:
    """A decimal without an exponent, exact to the float's shortest repr."""
    return format(Decimal(repr(x)), "f")


def _run(body: str) -> tuple[AmountsTable, list[Finding]]:
    result = validate_body(body)
    amounts = result.variants[0].amounts
    assert amounts is not None
    return amounts, result.findings


# --- mass → mol → mass ------------------------------------------------------------------------

REAGENTS = [
    "cadmium chloride, form: anhydrous",
    "manganese(II) chloride, form: tetrahydrate",
    "selenium",
    "triethylphosphine",
    "{name: cluster, formula: Cd6.5Zn6.5Se13}",
]


def _single(reagent: str, amount: str, purity: str | None) -> str:
    extra = f", purity: {purity}" if purity else ""
    return f"""\
        materials:
          m: {{reagent: {reagent}, amount: {amount}{extra}}}
        vessels:
          vial: {{kind: vial, volume: 1000 L}}
        steps:
          - {{action: add, materials: [m], to: vial}}
        """


@PIPELINE
@given(reagent=st.sampled_from(REAGENTS),
       mass_mg=st.floats(min_value=0.01, max_value=1e5, allow_nan=False),
       purity=st.sampled_from([None, "95 %", "99.999 %"]))
def test_mass_to_moles_to_mass_through_the_table(reagent: str, mass_mg: float,
                                                  purity: str | None) -> None:
    by_mass, _ = _run(_single(reagent, f"{_plain(mass_mg)} mg", purity))
    moles = by_mass.materials["m"].moles
    assert moles is not None
    by_moles, _ = _run(_single(reagent, f"{_plain(moles.nominal * 1e3)} mmol", purity))
    mass = by_moles.materials["m"].mass
    assert mass is not None
    assert 1e3 * mass.nominal == pytest.approx(mass_mg, rel=1e-9)


@given(formula=st.sampled_from(["CdCl2", "MnCl2·4H2O", "CdCl2·2.5H2O", "C6H15P",
                                "Cd6.5Zn6.5Se13", "C4H6O3"]),
       mass_mg=st.floats(min_value=1e-6, max_value=1e9, allow_nan=False))
def test_mass_to_moles_to_mass_through_units_and_formula(formula: str, mass_mg: float) -> None:
    molar_mass = parse_formula(formula).molar_mass
    grams = convert(mass_mg, "milligram", "gram")
    mmol = convert(grams / molar_mass, "mole", "millimole")
    back = convert(convert(mmol, "millimole", "mole") * molar_mass, "gram", "milligram")
    assert back == pytest.approx(mass_mg, rel=1e-12)


# --- scaling a protocol by k ------------------------------------------------------------------

ST_BODY = """\
    materials:
      CdCl2: {{reagent: cadmium chloride, form: anhydrous, amount: {cd} mmol}}
      ZnCl2: {{reagent: zinc chloride, form: anhydrous, amount: {zn} mmol}}
      MnCl2: {{reagent: manganese(II) chloride, form: anhydrous, amount: {mn} mmol}}
      Se: {{reagent: selenium, amount: {se} mmol}}
      PR3: {{reagent: triethylphosphine, amount: {pr3} mmol, role: scavenger,
             scavenges: {{element: Se, per_mole: 1}}}}
    vessels:
      flask: {{kind: round-bottom flask, volume: 1000 L}}
    steps:
      - {{action: add, materials: [CdCl2, ZnCl2, MnCl2, Se], to: flask}}
      - {{action: add, materials: [PR3], to: flask}}
    products:
      alloy:
        name: Mn-doped (Cd0.5Zn0.5Se)13
        kind: cluster
        composition:
          cations: {{Cd: 0.5, Zn: 0.5}}
          anions: {{Se: 1}}
          nuclearity: 13
          dopant: {{element: Mn, fraction: 5 %{basis}}}
    """
# Base amounts (mmol) chosen so that ST101/ST102, ST103, ST104 and ST109 all have something to say.
BASES = [
    {"cd": 0.75, "zn": 0.75, "mn": 0.075, "se": 4.5, "pr3": 0.5, "basis": ", basis: all-cations"},
    {"cd": 0.5, "zn": 1.0, "mn": 0.075, "se": 1.2, "pr3": 3.0, "basis": ""},
    {"cd": 0.6, "zn": 0.9, "mn": 0.2, "se": 2.0, "pr3": 1.0, "basis": ", basis: host-cation"},
]
# Amounts scale with k; '.4g' prints 10 g as 1e+04 mg, so allow an exponent.
_NUMBER = r"[\d.,]+(?:e[+-]\d+)?"
_AMOUNT = re.compile(rf"{_NUMBER}(?:–{_NUMBER})? (?:mmol|mg)|(?<=\(){_NUMBER}(?= of )")


def _scaled(base: dict[str, object], k: float) -> str:
    values = {key: (_plain(float(v) * k) if isinstance(v, float) else v)
              for key, v in base.items()}
    return ST_BODY.format(**values)


def _ratio_text(findings: list[Finding]) -> list[tuple[str, str]]:
    """ST findings with their amounts blanked out: what is left are ratios and fractions."""
    return sorted((f.code, _AMOUNT.sub("<amount>", f.message)) for f in findings
                  if f.code.startswith("ST"))


@PIPELINE
@given(base=st.sampled_from(BASES), k=st.floats(min_value=0.01, max_value=100))
def test_scaling_all_amounts_keeps_ratios(base: dict[str, object], k: float) -> None:
    before, found_before = _run(_scaled(base, 1.0))
    after, found_after = _run(_scaled(base, k))
    assert _ratio_text(found_after) == _ratio_text(found_before)
    b0, b1 = before.balances["alloy"], after.balances["alloy"]
    assert b1.limiting == b0.limiting
    assert b1.limiting_materials == b0.limiting_materials
    assert b0.formula_units is not None
    assert b1.formula_units is not None
    assert b1.formula_units.nominal == pytest.approx(k * b0.formula_units.nominal, rel=1e-9)
    excess0, excess1 = b0.excess(), b1.excess()
    assert excess1.keys() == excess0.keys()
    for element, value in excess0.items():
        assert excess1[element].nominal == pytest.approx(value.nominal, rel=1e-9)
    for element in ("Cd", "Zn", "Mn", "Se"):
        share0 = before.element_moles(element).nominal / before.element_moles("Se").nominal
        share1 = after.element_moles(element).nominal / after.element_moles("Se").nominal
        assert share1 == pytest.approx(share0, rel=1e-9)


# --- interval arithmetic contains the point results ------------------------------------------

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def interval_with_point(draw: st.DrawFn, *, positive: bool = False) -> tuple[Interval, float]:
    lo_bound = 1e-3 if positive else -1e6
    a = draw(st.floats(min_value=lo_bound, max_value=1e6))
    b = draw(st.floats(min_value=lo_bound, max_value=1e6))
    low, high = min(a, b), max(a, b)
    nominal = draw(st.floats(min_value=low, max_value=high))
    point = draw(st.floats(min_value=low, max_value=high))
    return Interval(low, nominal, high), point


def _holds(result: Interval, value: float) -> bool:
    slack = 1e-12 * max(abs(result.low), abs(result.high), 1e-300)
    return result.low - slack <= value <= result.high + slack


@given(interval_with_point(), interval_with_point())
def test_interval_sum_difference_product_contain_points(
        a: tuple[Interval, float], b: tuple[Interval, float]) -> None:
    (i, x), (j, y) = a, b
    for result, value in ((i + j, x + y), (i - j, x - y), (i * j, x * y)):
        assert _holds(result, value)
        assert _holds(result, result.nominal)


@given(interval_with_point(), interval_with_point(positive=True))
def test_interval_quotient_contains_points(a: tuple[Interval, float],
                                           b: tuple[Interval, float]) -> None:
    (i, x), (j, y) = a, b
    result = i / j
    assert _holds(result, x / y)
    assert _holds(result, result.nominal)
    assert _holds(result, i.nominal / j.nominal)


@given(interval_with_point(), finite)
def test_interval_with_a_scalar(a: tuple[Interval, float], c: float) -> None:
    i, x = a
    assert _holds(i * c, x * c)
    assert _holds(c * i, x * c)
    assert _holds(i + c, x + c)
    assert _holds(c - i, c - x)
    assert i.contains(x)
    assert i.distance(x) == 0
