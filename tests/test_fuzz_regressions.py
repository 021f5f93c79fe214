"""One regression test per failure class the fuzzing suite (issue 12) found, with the smallest
reproduction. A class that is fixed has a plain test; one that is not fixed yet is listed in
``KNOWN`` of tests/test_fuzz.py and has a strict xfail test here: the fix makes it pass, strict
xfail then fails the run, and the fix removes the marker and the ``KNOWN`` entry together."""

from __future__ import annotations

import time

from benchsheet.api import ProtocolHandle
from benchsheet.chemistry.phases import ideal_freezing_point_K
from benchsheet.findings import Severity
from benchsheet.reagents.library import load_library
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


def test_ten_thousand_schema_errors_are_sorted_out_in_linear_time() -> None:
    """Keeping the deepest error paths compared every path with every other: a file with an
    unknown key in each of thousands of places took minutes (fuzz: a step mapping grown by 50
    keys, the steps list by 200)."""
    odd_keys = ", ".join(f"odd{i}: 1" for i in range(50))
    steps = "\n".join(f"  - {{action: add, materials: [water], to: flask, {odd_keys}}}"
                      for _ in range(200))
    start = time.perf_counter()
    result = validate_body(f"""\
materials:
  water: {{reagent: water, amount: 1 mL}}
vessels:
  flask: {{kind: flask, volume: 50 mL}}
steps:
{steps}
""")
    elapsed = time.perf_counter() - start
    assert len(with_code(result, "SC102")) == 200 * 50
    assert elapsed < 5, f"{elapsed:.1f} s for 10,000 unknown keys"  # was ~40 s


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


def test_every_known_class_has_a_strict_xfail_test_here() -> None:
    assert set(KNOWN) == _XFAILED
