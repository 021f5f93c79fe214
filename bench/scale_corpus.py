"""The corpora of ``bench/scale.py``: copies of the bundled protocols with unique ids, and
one generated protocol grown in steps, materials or variants.

Kept apart from the benchmark so a profile (``python -m cProfile``) or a test can build the
same inputs without timing anything.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = ROOT / "protocols"
_ID = re.compile(r"^id: *(\S+)", re.MULTILINE)


def copy_library(target: Path, files: int, protocols: Path = PROTOCOLS) -> list[Path]:
    """``files`` copies of the protocols in ``protocols`` (the bundled ones) under ``target``,
    in folders of 100 as a big repository would have.

    The k-th copy of the whole library gives every protocol id the suffix ``-k``, in its own
    ``id:`` and wherever a protocol of the library names another (``made_by``, the tables
    that feed it), so each copy is a library whose links resolve, as a real repository's do,
    and the run reports what the bundled library reports, not one broken link a file."""
    sources = sorted(protocols.glob("*.yaml"))
    texts = [p.read_text(encoding="utf-8") for p in sources]
    ids = [m.group(1) for m in map(_ID.search, texts) if m]
    # An id as a YAML scalar: not inside a longer name, not a file name (``x.yaml``).
    named = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, sorted(ids, key=len,
                       reverse=True))) + r")(?![\w.-])")
    written = []
    for number in range(files):
        index = number % len(sources)
        copy = number // len(sources)
        text = named.sub(lambda m, k=copy: f"{m.group(1)}-{k}", texts[index])
        folder = target / f"batch{number // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{number:05d}-{sources[index].name}"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def grown_protocol(steps: int, materials: int, variants: int = 1, per_flask: int = 20) -> str:
    """One protocol of ``steps`` steps and ``materials`` materials (ethanol, 0.01 mL each), and
    a matrix of ``variants`` hold temperatures. Every other step adds materials to a flask and
    the others hold it; a flask takes ``per_flask`` additions, then the next one is used, as in
    a long procedure of many stages. A step that scans every vessel, or a check that scans
    every step for each material, grows with the square of the file."""
    vessels = max(1, -(-((steps + 1) // 2) // per_flask))
    out = [
        "id: grown", "title: A protocol grown for the scaling benchmark", "version: 1.0.0",
        "date: 2026-11-30", "source: {doi: 10.1038/s41563-020-00880-6, section: Methods}",
        "parameters:", "  hold: {default: 25 degC, description: hold temperature}",
    ]
    if variants > 1:
        values = ", ".join(f"{20 + (i % 60)}.{i // 60:03d} degC" for i in range(variants - 1))
        out += ["variants:", "  - name: held", f"    matrix: {{hold: [{values}]}}"]
    out.append("materials:")
    out += [f"  m{i}: {{reagent: ethanol, amount: 0.01 mL, role: solvent}}"
            for i in range(materials)]
    out.append("vessels:")
    out += [f"  v{i}: {{kind: round-bottom flask, volume: 1000 mL}}" for i in range(vessels)]
    out.append("steps:")
    adding = (steps + 1) // 2  # the even steps add, the odd ones hold
    for i in range(steps):
        # the k-th adding step adds materials k, k + adding, k + 2·adding, ...: each goes in once
        added = [f"m{j}" for j in range(i // 2, materials, adding)] if i % 2 == 0 else []
        if added:
            out.append(f"  - {{action: add, materials: [{', '.join(added)}], "
                       f"to: v{i // 2 // per_flask}}}")
        else:
            out.append(f"  - {{action: hold, vessel: v{i // 2 // per_flask}, temperature: "
                       "\"${hold}\", duration: 1 min}")
    return "\n".join(out) + "\n"
