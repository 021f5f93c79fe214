"""The short, seeded fuzz run of issue 12 in CI: mutated protocols through every stage.

Hypothesis draws a case (a base protocol, structural mutations, and sometimes raw-byte damage;
see ``tests/fuzzing.py``) and the case is driven through validate, render (md and html,
scaled), export (.eln and .ipynb) and import. ``derandomize=True`` and no example database
make the run the same on every machine; the limits per case are generous (10 s, 500 MB of peak
memory growth) so that a slow runner does not make it flaky. The long run is
``python tools/fuzz.py --cases N --seed S``.

A failure class that is known and not fixed yet is listed in ``KNOWN`` with what it is; the
run tolerates it so that CI stays green while the list is worked down. Each one has a strict
xfail regression test in ``tests/test_fuzz_regressions.py`` with a minimal reproduction:
when its fix lands, that test passes, strict xfail fails it, and the fix removes the marker
and the entry here.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import (
    BYTE_MUTATION_NAMES,
    MUTATION_NAMES,
    CaseSpec,
    Failure,
    base_files,
    build_case,
    run_case,
)

#: Failure classes (``Failure.signature``) found and not fixed yet; each with what it is.
KNOWN: dict[str, str] = {}

CI_EXAMPLES = 250
CI_TIMEOUT_S = 10.0
CI_MEMORY_MB = 500.0

_seed = st.integers(min_value=0, max_value=2**32 - 1)
case_specs = st.builds(
    CaseSpec,
    base=st.integers(min_value=0, max_value=len(base_files()) - 1),
    mutations=st.lists(st.tuples(st.integers(0, len(MUTATION_NAMES) - 1), _seed),
                       min_size=1, max_size=3).map(tuple),
    byte_mutations=st.one_of(
        st.just(()),
        st.lists(st.tuples(st.integers(0, len(BYTE_MUTATION_NAMES) - 1), _seed),
                 min_size=1, max_size=2).map(tuple)),
)


def _report(failure: Failure, what: str) -> str:
    return (f"{failure.signature} in stage {failure.stage}\n  {failure.frame}\n"
            f"  {failure.message}\n  case: {what}\n"
            "  (a new class: fix it at its cause, or list it in KNOWN with a strict xfail "
            "regression test)")


@settings(derandomize=True, database=None, deadline=None, max_examples=CI_EXAMPLES,
          suppress_health_check=[HealthCheck.too_slow])
@given(case_specs)
def test_mutated_protocols_raise_only_documented_errors(spec: CaseSpec) -> None:
    case = build_case(spec)
    outcome = run_case(case, timeout=CI_TIMEOUT_S, memory_mb=CI_MEMORY_MB)
    failure = outcome.failure
    if failure is not None and failure.signature not in KNOWN:
        pytest.fail(_report(failure, case.describe()))


def test_every_base_protocol_passes_unmutated() -> None:
    """The harness itself: the bases dump back to YAML that goes through every stage."""
    for index, path in enumerate(base_files()):
        outcome = run_case(build_case(CaseSpec(index)))
        assert outcome.failure is None, (path.name, outcome.failure)
        assert outcome.modelled, path.name


def test_a_case_is_the_same_bytes_every_time() -> None:
    spec = CaseSpec(3, ((0, 1), (5, 2), (9, 3)), ((1, 4),))
    assert build_case(spec).raw == build_case(spec).raw


def test_the_harness_catches_an_escape_a_hang_and_its_class(monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    """An undocumented exception and a hang are failures, classed by type and frame."""
    import importlib
    import time

    # (``import benchsheet.validate as ...`` gives the API function, not the module.)
    validate_module = importlib.import_module("benchsheet.validate")

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(validate_module, "validate_document", broken)
    outcome = run_case(build_case(CaseSpec(0)))
    assert outcome.failure is not None
    assert outcome.failure.signature == "ZeroDivisionError at benchsheet/validate.py:validate_text"

    def hang(*args: object, **kwargs: object) -> None:
        time.sleep(5)

    monkeypatch.setattr(validate_module, "validate_document", hang)
    outcome = run_case(build_case(CaseSpec(0)), timeout=0.2)
    assert outcome.failure is not None
    assert outcome.failure.signature == "Timeout in validate"
    assert outcome.seconds < 2
