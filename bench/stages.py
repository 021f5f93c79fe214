"""Where one file's validation time goes, stage by stage, on the bundled protocols.

    python bench/stages.py [--rounds 20] [PROTOCOLS_DIR]

Validates each protocol file of the folder (default: the bundled ``protocols/``) ``--rounds``
times in this process, as a worker of a bulk run does (``workers.check_file``, the command
line's collector settings), and prints the CPU time per file of each stage, for the base
protocol and for the other variants apart:

- loading: reading the file and building its data with the place of every node;
- expansion: the variant's parameter values put into the data (``expand.expand``);
- models: the data made into the protocol's models (``model.parse.parse_protocol``);
- amounts: the materials' amounts and the vessel walk (``compute_amounts``), the walk also
  on its own (``vessels.simulate``);
- rules: every check, the commercial solutions filled in and the acknowledgements matched
  (the rest of ``validate.validate_variant``);
- the rest: variants' bookkeeping, the file's findings, the slim result.

Each stage is timed at its entry and exit (a few calls per variant, not per rule, so the
timing adds little); the timed total is printed beside the untimed total of the same
files, run in the same process just before, with their ratio.
The baseline beside them is PyYAML's C loader parsing the same files in this process.
Numbers are for reading, not asserting: no test times anything.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

STAGES = ("loading", "expansion", "models", "amounts", "  of which the walk", "rules")


def _timed(module: Any, name: str, stage: str, totals: Counter[tuple[str, str]],
           which: Callable[..., str], undo: list[tuple[Any, str, Any]]) -> None:
    """Replace ``module.name`` by a function that adds its CPU time to ``totals`` under
    ``(stage, which(*args))``; ``undo`` gets what puts it back."""
    inner = getattr(module, name)
    undo.append((module, name, inner))

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            totals[(stage, which(*args, **kwargs))] += time.process_time() - start

    setattr(module, name, timed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("protocols", nargs="?", default=str(ROOT / "protocols"))
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    import yaml

    from benchsheet.cli import _tune_garbage_collector
    from benchsheet.validate import Options
    from benchsheet.workers import check_file

    validate = importlib.import_module("benchsheet.validate")
    amounts = importlib.import_module("benchsheet.chemistry.amounts")
    loader = importlib.import_module("benchsheet.loader")
    from benchsheet.reagents.library import load_library

    files = sorted(Path(args.protocols).glob("*.yaml"))
    if not files:
        print(f"no protocol files in {args.protocols}", file=sys.stderr)
        return 2
    options = Options()
    library = load_library(())
    for path in files:  # warm: imports, the reagents, the rules
        check_file(path, options, library)
    _tune_garbage_collector()

    def once() -> float:
        start = time.process_time()
        for _ in range(args.rounds):
            for path in files:
                check_file(path, options, library)
        return time.process_time() - start

    untimed = once()
    texts = [path.read_text(encoding="utf-8") for path in files]
    start = time.process_time()
    for _ in range(args.rounds):
        for text in texts:
            yaml.load(text, Loader=yaml.CSafeLoader)
    parse = time.process_time() - start

    totals: Counter[tuple[str, str]] = Counter()
    undo: list[tuple[Any, str, Any]] = []
    variant = ["base"]

    def of_variant(*_args: Any, **_kwargs: Any) -> str:
        return variant[0]

    inner_variant = validate.validate_variant
    undo.append((validate, "validate_variant", inner_variant))

    def validate_variant(doc: Any, data: Any, name: str, *rest: Any, **kwargs: Any) -> Any:
        variant[0] = "other" if name else "base"
        start = time.process_time()
        try:
            return inner_variant(doc, data, name, *rest, **kwargs)
        finally:
            totals[("variant", variant[0])] += time.process_time() - start

    validate.validate_variant = validate_variant
    _timed(validate, "expand", "expansion", totals,
           lambda _data, spec, *_rest, **_kw: "other" if spec.name else "base", undo)
    _timed(validate, "parse_protocol", "models", totals, of_variant, undo)
    _timed(validate, "compute_amounts", "amounts", totals, of_variant, undo)
    _timed(amounts, "simulate", "  of which the walk", totals, of_variant, undo)
    # check_file imports load_file as it runs: the loader's own is the one it calls.
    _timed(loader, "load_file", "loading", totals, lambda *a, **k: "file", undo)
    try:
        timed = once()
    finally:
        for module, name, inner in undo:
            setattr(module, name, inner)

    n = args.rounds * len(files)
    for key in ("base", "other"):  # the rules: the rest of a variant
        totals[("rules", key)] = (totals[("variant", key)] - totals[("models", key)]
                                  - totals[("amounts", key)])

    def ms(seconds: float) -> str:
        return f"{1000 * seconds / n:8.3f}"

    print(f"{len(files)} files x {args.rounds} rounds, ms of CPU per file "
          f"(python {sys.version.split()[0]})")
    print(f"{'stage':24s} {'base':>8s} {'others':>8s} {'both':>8s}  share")
    staged = 0.0
    for stage in STAGES:
        if stage == "loading":
            base, other = totals[(stage, "file")], 0.0
        else:
            base, other = totals[(stage, "base")], totals[(stage, "other")]
        if not stage.startswith(" "):
            staged += base + other
        print(f"{stage:24s} {ms(base)} {ms(other)} {ms(base + other)}  "
              f"{100 * (base + other) / timed:4.1f} %")
    print(f"{'the rest':24s} {'':8s} {'':8s} {ms(timed - staged)}  "
          f"{100 * (timed - staged) / timed:4.1f} %")
    print(f"{'total (timed)':24s} {'':8s} {'':8s} {ms(timed)}")
    print(f"{'total (untimed)':24s} {'':8s} {'':8s} {ms(untimed)}  "
          f"timed / untimed {timed / untimed:.3f}")
    print(f"{'C-YAML parse':24s} {'':8s} {'':8s} {ms(parse)}  "
          f"untimed / parse {untimed / parse:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
