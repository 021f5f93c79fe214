"""How much of the other variants' work repeats the base protocol's: a bound on what reusing
results between the variants of a file could save.

    python bench/reuse_bound.py [--rounds 10] [PROTOCOLS_DIR]

Validates each protocol file of the folder (default: the bundled ``protocols/``) ``--rounds``
times in this process, as a worker of a bulk run does (``workers.check_file``, the command
line's collector settings), and prints, per file:

- the untimed CPU time of the whole file;
- the CPU time of each rule run on a variant other than the base (twins, whose parameter
  values repeat an earlier variant's, run no rule), and of those runs whose findings (code,
  place and words) are the rule's findings on the base: an oracle that knew beforehand which
  runs repeat the base would save that much and no more;
- the file's time with those runs left out, and its ratio to the whole;
- of the other variants' vessel states, those equal to one of the base's (step, vessel, what
  it holds and in what shares, temperature, open or sealed, atmosphere, what the step added,
  products), and of their materials, those whose moles are the base's: the most a walk and
  an amounts table shared with the base could take as they are.

Numbers are for reading, not asserting: no test times anything.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _state_key(state: Any) -> tuple[Any, ...]:
    """A vessel state's value, as the rules read it."""
    return (state.step_path, state.vessel,
            tuple((h.material_id, h.share) for h in state.held), state.temperature_K,
            state.enclosure, state.atmosphere, state.added, state.products)


def _moles(entry: Any) -> object:
    moles = getattr(entry, "moles", None)
    return None if moles is None else moles.nominal


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("protocols", nargs="?", default=str(ROOT / "protocols"))
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))

    from benchsheet.cli import _tune_garbage_collector
    from benchsheet.reagents.library import load_library
    from benchsheet.workers import check_file

    validate = importlib.import_module("benchsheet.validate")
    files = sorted(Path(args.protocols).glob("*.yaml"))
    if not files:
        print(f"no protocol files in {args.protocols}", file=sys.stderr)
        return 2
    options = validate.Options()
    library = load_library(())
    for path in files:  # warm: imports, the reagents, the rules
        check_file(path, options, library)
    _tune_garbage_collector()

    start = time.process_time()
    for _ in range(args.rounds):
        for path in files:
            check_file(path, options, library)
    untimed = time.process_time() - start

    spent: Counter[str] = Counter()
    on_base: dict[str, frozenset[tuple[Any, ...]]] = {}  # the rule's findings on the base

    def timed(code: str, run: Callable[[Any], Any]) -> Callable[[Any], list[Any]]:
        def rule(ctx: Any) -> list[Any]:
            began = time.perf_counter()
            found = list(run(ctx))
            took = time.perf_counter() - began
            said = frozenset((f.code, f.path, f.message) for f in found)
            if not ctx.variant:  # the base runs first in each file
                on_base[code] = said
                spent["base"] += took
            else:
                spent["others"] += took
                if on_base.get(code) == said:
                    spent["others, as on the base"] += took
            return found
        return rule

    def runs_of(options: Any, *, on_base: bool) -> tuple[Callable[[Any], list[Any]], ...]:
        return tuple(timed(c.info.code, c.run) for c in validate._checks_of(options)[0]
                     if on_base or not c.base_only)

    inner = validate._runs_of
    validate._runs_of = runs_of
    try:
        for _ in range(args.rounds):
            for path in files:
                check_file(path, options, library)
    finally:
        validate._runs_of = inner

    states: Counter[str] = Counter()
    for path in files:
        result = validate.validate_file(path, options, library)
        base = result.variants[0] if result.variants else None
        if base is None or base.amounts is None:
            continue
        base_states = {_state_key(s) for s in base.amounts.timeline}
        base_moles = {mid: _moles(e) for mid, e in base.amounts.materials.items()}
        for other in _own_tables(result.variants[1:], base):
            for state in other.timeline:
                states["states"] += 1
                states["states as on the base"] += _state_key(state) in base_states
            for mid, entry in other.materials.items():
                states["materials"] += 1
                states["materials as on the base"] += (mid in base_moles
                                                       and base_moles[mid] == _moles(entry))

    n = args.rounds * len(files)

    def ms(seconds: float) -> str:
        return f"{1000 * seconds / n:7.3f} ms"

    left = untimed - spent["others, as on the base"]
    print(f"{len(files)} files x {args.rounds} rounds, CPU per file (python "
          f"{sys.version.split()[0]})")
    print(f"{'whole file (untimed)':44s} {ms(untimed)}")
    print(f"{'rules on the base':44s} {ms(spent['base'])}")
    print(f"{'rules on the other variants':44s} {ms(spent['others'])}")
    print(f"{'  of which the findings repeat the base rule':44s} "
          f"{ms(spent['others, as on the base'])}")
    print(f"{'whole file without those runs':44s} {ms(left)}  "
          f"whole / without {untimed / left:.3f}")
    for what in ("states", "materials"):
        total = states[what]
        same = states[f"{what} as on the base"]
        label = "vessel states" if what == "states" else "material amounts"
        print(f"other variants' {label} equal to the base's: {same} of {total}"
              + (f" ({100 * same / total:.0f} %)" if total else ""))
    return 0


def _own_tables(variants: list[Any], base: Any) -> Iterator[Any]:
    """The amounts tables of ``variants`` that are their own (a twin shares an earlier
    variant's), each once."""
    seen = {id(base.amounts)}
    for variant in variants:
        table = variant.amounts
        if table is not None and id(table) not in seen:
            seen.add(id(table))
            yield table


if __name__ == "__main__":
    raise SystemExit(main())
