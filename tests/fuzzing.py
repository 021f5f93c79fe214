"""Structure-aware fuzzing of the whole pipeline (issue 12): the machinery shared by the CI test
(``tests/test_fuzz.py``, a short Hypothesis run) and the long run (``tools/fuzz.py``).

A case starts from one bundled protocol, parsed with ``yaml.safe_load``; a list of mutations
changes the parsed data the way a careless editor or a hostile file would (keys deleted or
renamed, types swapped, extreme numbers, adversarial quantity strings, duplicated and huge
lists and mappings, references to undeclared ids, expressions, repeats, dates, reaction
coefficients, vessel volumes, portions), and byte mutations then damage the dumped YAML text
(bit flips, truncation, NUL, BOM and control characters). Every mutation is drawn from its own
integer seed, so a case is a few integers, and the same integers give the same bytes.

The case is driven in-process through every stage a user reaches: validate, render (Markdown
and HTML; unscaled, ×2 and ×0.001), export to ``.eln`` and ``.ipynb``, and import of the
written archive. A stage may refuse with one of the project's documented errors (those the
command line turns into exit 2); anything else that escapes, a case slower than the time limit
(SIGALRM) or one whose peak memory grows past the ceiling (``ru_maxrss``) is a failure. A
failure's *class* is what went wrong and where: the exception type and the innermost frame in
``benchsheet`` (file and function; the line is shown but not part of the class, so a class
survives edits above it).

This module is not a test module (no ``test_`` prefix); tests import it as ``fuzzing``
(tests/ is on ``sys.path``), the tool adds tests/ to the path.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import random
import re
import resource
import signal
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

import benchsheet

# A bug of benchsheet's is a failure of its case, raised where it happens, not an IN001
# finding among the others (tools/fuzz.py imports this module too).
os.environ.setdefault("BENCHSHEET_INTERNAL_ERRORS", "raise")

REPO = Path(__file__).resolve().parents[1]
PACKAGE_DIR = Path(benchsheet.__file__).resolve().parent

#: The protocols a case starts from: the library, the everyday and second-lab protocols, and
#: the small valid examples (cheap cases, so more of them per second).
BASE_GLOBS = ("protocols/*.yaml", "tests/everyday/*.yaml", "tests/second_lab/*.yaml",
              "tests/valid/*.yaml")

#: Upper bounds on what one mutation adds, so that a case stays fast enough to be a fuzz
#: case; the resource limits of issue 12 item 3 are tested by their own tests.
MAX_ADDED_ENTRIES = 400
#: Every variant is validated, exported and made a notebook of (~10-25 ms each): growth that
#: multiplies variants is held lower, so that a case stays within its time limit. Many
#: variants are the variant-count limit's to refuse, tested on their own.
MAX_ADDED_VARIANTS = 40
MAX_REPEAT_COPIES = 8

#: Render these many modelled variants per case (the base first): enough to reach variant
#: code, few enough that a protocol with 21 variants does not dominate the run.
RENDER_VARIANTS = 2
SCALES: tuple[str | None, ...] = (None, "2", "0.001")


# --------------------------------------------------------------------------- the bases


@cache
def base_files() -> tuple[Path, ...]:
    return tuple(sorted(p for pattern in BASE_GLOBS for p in REPO.glob(pattern)))


@cache
def _base_data(index: int) -> Any:
    return yaml.safe_load(base_files()[index].read_text(encoding="utf-8"))


def base_data(index: int) -> Any:
    """A fresh deep copy of one base protocol's parsed data."""
    return copy.deepcopy(_base_data(index))


# --------------------------------------------------------------------------- walking data

PathKey = str | int
Path_ = tuple[PathKey, ...]


def _walk(node: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in list(node.items()):
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, index))


def _get(root: Any, path: Path_) -> Any:
    for part in path:
        root = root[part]
    return root


def _set(root: Any, path: Path_, value: Any) -> Any:
    if not path:
        return value
    _get(root, path[:-1])[path[-1]] = value
    return root


def show(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<root>"


def _nodes(root: Any, want: Callable[[Any], bool]) -> list[Path_]:
    return [p for p, node in _walk(root) if want(node)]


_QUANTITY = re.compile(r"^\s*-?\d[\d.eE+-]*\s*(?:±\s*[\d.eE+-]+\s*)?[^\d\s].*$")


def _is_quantity(node: Any) -> bool:
    return isinstance(node, str) and bool(_QUANTITY.match(node)) and len(node) < 40


# --------------------------------------------------------------------------- value pools

EXTREME_NUMBERS: tuple[Any, ...] = (
    1e308, -1e308, 1.7976931348623157e308, 1e-308, 5e-324, -5e-324, 0, 0.0, -0.0, -1, 1,
    2**63, -(2**63), 10**400, float("inf"), float("-inf"), float("nan"),
    "nan", "NaN", "inf", "-inf", "Infinity", "1e400", "-0", "0x10", "1_000", "١٢",
)

ADVERSARIAL_QUANTITIES: tuple[str, ...] = (
    "0 mL", "0 mg", "0 mmol", "-0 mL", "1e400 mg", "1e308 g", "1e-308 mmol", "5e-324 g",
    "-5 degC", "-300 degC", "-273.15 degC", "0 K", "-1 K", "1e308 K", "NaN mmol", "nan mL",
    "inf mg", "-inf g", "Infinity L", "5 ± 1e9 mg", "5 ± -1 mg", "5 ± nan mg", "3-2 mL",
    "2-3 mL", "1e308-1e309 mL", "0-0 mL", "1,000 mg", "1.2.3 g", "mg", "5", "5 mL mL",
    "5 m", "5 M", "0 M", "1e308 M", "1e-308 M", "0 %", "100 %", "150 %", "-5 %", "nan %",
    "1e308 %", "0 bar", "-1 bar", "1e308 bar", "0 h", "-1 h", "1e308 h", "1e-308 s",
    "0 rpm", "1e308 rpm", "0 x g", "1e308 x g", "0 cm", "0 g/mL", "1e-308 g/mL",
    "5 µL", "5 uL", "5 μL", "5 mL/min", "0 mL/min", "5 L", "5 kg", "5 mol", "5 ppm",
    "5 °C", "5 °F", "5 degF", "5 kelvin", "5 bar gauge", "5 bar absolute", "5 psi",
    "  5   mL  ", "5\tmL", "5\u00a0mL", "5 mL # comment", "${1/0} mL", "${1e308 * 10} mL",
)

ADVERSARIAL_STRINGS: tuple[str, ...] = (
    "", " ", "\u0000", "\ufeff", "\u202e", "a" * 5000, "${", "}", "${}", "%s%s%n", "{{ x }}",
    "{% raw %}", "<script>alert(1)</script>", "](javascript:x)", "|", "\\", "../../etc/passwd",
    "CON", "nul", "x" * 300, "Ω", "🧪", "\udcff",
)

EXPRESSIONS: tuple[str, ...] = (
    "${1/0}", "${0/0}", "${1e308 * 1e308}", "${-1e308 * 1e308}", "${10 ** 10 ** 10}",
    "${9 ** 9 ** 9}", "${2 ** 100000}", "${1e-308 / 1e308}", "${undefined}", "${x}",
    "${x * 1e308}", "${'a' * 10 ** 9}", "${[1] * 10 ** 8}", "${(1,) * 10 ** 9}",
    "${" + "(" * 200 + "1" + ")" * 200 + "}", "${" + "-" * 5000 + "1}", "${1 if x else 2}",
    "${__import__('os')}", "${().__class__}", "${max(range(10 ** 12))}", "${abs(-1e308)}",
    "${round(1e308, -400)}", "${int('9' * 5000)}", "${'%s' % x}", "${f'{x}'}",
    "${x[0]}", "${{}['a']}", "${nan}", "${inf}", "${float('nan')}", "${lambda: 1}",
    "${x} mmol", "${1e400} mmol", "${-1} mL", "${0} mL", "${1 / x} mL", "${" * 3,
)

DATES: tuple[Any, ...] = (
    dt.date(9999, 12, 31), dt.date(1, 1, 1), dt.date(1970, 1, 1), dt.date(1979, 12, 31),
    dt.date(1980, 1, 1), dt.date(2107, 12, 31), dt.date(2108, 1, 1), "2026-02-30",
    "9999-12-31T23:59:59+14:00", "0000-00-00", "2026-11-24T25:00:00", 20261124, "tomorrow",
    dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
    dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=-12))),
)

EDGE_FRACTIONS: tuple[Any, ...] = (
    "0 %", "100 %", "100.0000001 %", "150 %", "-5 %", "nan %", "1e308 %", "1e-308 %",
    "rest", "half", 0, 1, 0.5, -1, 1e308, 1e-308, "0", "1/2", None, [], {},
)

REPEAT_TIMES: tuple[Any, ...] = (0, -1, 1, 1000, 10**6, 10**9, 2**63, 1e308, "1000",
                                 "${10 ** 9}", "nan", None, 1.5, True)

COEFFICIENTS: tuple[Any, ...] = (0, -1, -0.0, 1e308, 1e-308, 5e-324, 0.5, "nan", "inf", 10**30,
                                 None, True, "1")


def _scalar(rng: random.Random) -> Any:
    pool = rng.choice((EXTREME_NUMBERS, ADVERSARIAL_QUANTITIES, ADVERSARIAL_STRINGS,
                       EXPRESSIONS, (True, False, None)))
    return rng.choice(pool)


def _other_type(rng: random.Random, node: Any) -> Any:
    """A value of another type than ``node`` (str ↔ number ↔ list ↔ dict ↔ bool ↔ null)."""
    kinds: list[Callable[[], Any]] = [
        lambda: str(node) if not isinstance(node, str) else rng.choice(ADVERSARIAL_STRINGS),
        lambda: rng.choice(EXTREME_NUMBERS[:17]),
        lambda: [node] if rng.random() < 0.5 else [],
        lambda: {"value": node} if rng.random() < 0.5 else {},
        lambda: rng.choice((True, False)),
        lambda: None,
    ]
    return rng.choice(kinds)()


# --------------------------------------------------------------------------- mutations

Mutation = Callable[[Any, random.Random], tuple[Any, str]]
MUTATIONS: dict[str, Mutation] = {}


def mutation(name: str) -> Callable[[Mutation], Mutation]:
    def register(function: Mutation) -> Mutation:
        MUTATIONS[name] = function
        return function
    return register


def _pick(rng: random.Random, paths: Sequence[Path_]) -> Path_ | None:
    return rng.choice(paths) if paths else None


def _declared(root: Any, section: str) -> list[str]:
    value = root.get(section) if isinstance(root, dict) else None
    return [k for k in value if isinstance(k, str)] if isinstance(value, dict) else []


@mutation("delete-key")
def delete_key(root: Any, rng: random.Random) -> tuple[Any, str]:
    path = _pick(rng, _nodes(root, lambda n: isinstance(n, dict) and bool(n)))
    if path is None:
        return root, "delete-key: nothing"
    mapping = _get(root, path)
    key = rng.choice(list(mapping))
    del mapping[key]
    return root, f"delete {show((*path, key))}"


@mutation("rename-key")
def rename_key(root: Any, rng: random.Random) -> tuple[Any, str]:
    path = _pick(rng, _nodes(root, lambda n: isinstance(n, dict) and bool(n)))
    if path is None:
        return root, "rename-key: nothing"
    mapping = _get(root, path)
    key = rng.choice(list(mapping))
    new = rng.choice((f"{key}_", str(key).upper(), f"x-{key}", "", " ", "0", 0, 1.5, True,
                      None, "a" * 300, f"{key}\u0000", "<<", "${x}", "id", "steps"))
    items = [(new if k == key else k, v) for k, v in mapping.items()]
    mapping.clear()
    mapping.update(items)
    return root, f"rename {show((*path, key))} -> {new!r}"


@mutation("swap-type")
def swap_type(root: Any, rng: random.Random) -> tuple[Any, str]:
    path = _pick(rng, [p for p, _ in _walk(root) if p])
    if path is None:
        return root, "swap-type: nothing"
    value = _other_type(rng, _get(root, path))
    return _set(root, path, value), f"swap {show(path)} = {_short(value)}"


@mutation("extreme-number")
def extreme_number(root: Any, rng: random.Random) -> tuple[Any, str]:
    paths = _nodes(root, lambda n: (isinstance(n, int | float) and not isinstance(n, bool))
                   or _is_quantity(n))
    path = _pick(rng, paths)
    if path is None:
        return root, "extreme-number: nothing"
    old = _get(root, path)
    number = rng.choice(EXTREME_NUMBERS)
    if isinstance(old, str):  # keep the unit: "1.5 mmol" -> "1e308 mmol"
        unit = re.sub(r"^\s*-?\d[\d.eE+-]*\s*(?:±\s*[\d.eE+-]+\s*)?", "", old)
        value: Any = f"{number} {unit}"
    else:
        value = number
    return _set(root, path, value), f"set {show(path)} = {_short(value)}"


@mutation("adversarial-quantity")
def adversarial_quantity(root: Any, rng: random.Random) -> tuple[Any, str]:
    path = _pick(rng, _nodes(root, _is_quantity))
    if path is None:
        return root, "adversarial-quantity: nothing"
    value = rng.choice(ADVERSARIAL_QUANTITIES)
    return _set(root, path, value), f"set {show(path)} = {value!r}"


@mutation("adversarial-scalar")
def adversarial_scalar(root: Any, rng: random.Random) -> tuple[Any, str]:
    path = _pick(rng, [p for p, n in _walk(root) if p and not isinstance(n, dict | list)])
    if path is None:
        return root, "adversarial-scalar: nothing"
    value = _scalar(rng)
    return _set(root, path, value), f"set {show(path)} = {_short(value)}"


@mutation("duplicate-entry")
def duplicate_entry(root: Any, rng: random.Random) -> tuple[Any, str]:
    path = _pick(rng, _nodes(root, lambda n: isinstance(n, list) and bool(n)))
    if path is None:
        return root, "duplicate-entry: nothing"
    items = _get(root, path)
    index = rng.randrange(len(items))
    copies = rng.choice((1, 2, 10, 50))
    for _ in range(copies):
        items.insert(index, copy.deepcopy(items[index]))
    return root, f"duplicate {show((*path, index))} x{copies}"


@mutation("huge-collection")
def huge_collection(root: Any, rng: random.Random) -> tuple[Any, str]:
    """Many entries in a mapping or list; bounded by MAX_ADDED_ENTRIES."""
    path = _pick(rng, _nodes(root, lambda n: isinstance(n, dict | list) and bool(n)))
    if path is None:
        return root, "huge-collection: nothing"
    node = _get(root, path)
    count = rng.choice((50, 200, MAX_ADDED_ENTRIES))
    if path and path[-1] == "matrix":
        count = 2  # each key multiplies the variants: 3**400 is no fuzz case, just a wait
    elif path and path[0] == "variants":
        count = min(count, MAX_ADDED_VARIANTS)
    if isinstance(node, list):
        template = node[rng.randrange(len(node))]
        node.extend(copy.deepcopy(template) for _ in range(count))
    else:
        key = rng.choice(list(node))
        for i in range(count):
            node[f"{key}_{i}"] = copy.deepcopy(node[key])
    return root, f"grow {show(path)} by {count}"


@mutation("undeclared-reference")
def undeclared_reference(root: Any, rng: random.Random) -> tuple[Any, str]:
    """A string naming a declared material, vessel, product or equipment renamed to a ghost."""
    ids = {i for section in ("materials", "vessels", "products", "equipment", "parameters")
           for i in _declared(root, section)}
    paths = _nodes(root, lambda n: isinstance(n, str) and n in ids)
    path = _pick(rng, paths)
    if path is None:
        return root, "undeclared-reference: nothing"
    new = rng.choice(("ghost", "", _get(root, path) + "_", "materials", "__proto__"))
    return _set(root, path, new), f"reference {show(path)} -> {new!r}"


@mutation("rename-declared")
def rename_declared(root: Any, rng: random.Random) -> tuple[Any, str]:
    """A declared id renamed, so that every reference to it dangles."""
    sections = [s for s in ("materials", "vessels", "products", "equipment", "parameters",
                            "tables") if _declared(root, s)]
    if not sections:
        return root, "rename-declared: nothing"
    section = rng.choice(sections)
    mapping = root[section]
    key = rng.choice(_declared(root, section))
    new = rng.choice((f"{key}2", "x", "", "a b", "1", "${x}"))
    if new in mapping:
        return root, f"rename-declared: {new} exists"
    mapping[new] = mapping.pop(key)
    return root, f"rename declared {section}.{key} -> {new!r}"


@mutation("expression")
def expression(root: Any, rng: random.Random) -> tuple[Any, str]:
    path = _pick(rng, [p for p, n in _walk(root) if p and not isinstance(n, dict | list)])
    if path is None:
        return root, "expression: nothing"
    params = _declared(root, "parameters")
    value = rng.choice(EXPRESSIONS)
    if params and "x" in value:
        value = value.replace("x", rng.choice(params))
    return _set(root, path, value), f"set {show(path)} = {_short(value)}"


@mutation("variants")
def variants(root: Any, rng: random.Random) -> tuple[Any, str]:
    """Parameters and variants at their edges: many copies, big matrices, odd values."""
    if not isinstance(root, dict):
        return root, "variants: not a mapping"
    params = root.get("parameters")
    if not isinstance(params, dict) or not params:
        params = {"p": {"default": 1, "values": [1, 2]}}
        root["parameters"] = params
    name = rng.choice([k for k in params if isinstance(k, str)] or ["p"])
    choice = rng.randrange(7)
    declared = root.setdefault("variants", [])
    if not isinstance(declared, list):
        declared = root["variants"] = []
    if choice == 0:
        count = rng.choice((5, MAX_ADDED_VARIANTS))
        declared.extend({"name": "same", "set": {name: 1}} for _ in range(count))
        return root, f"variants: {count} copies of one variant"
    if choice == 1:
        values = rng.choice(([0] * 30, list(range(MAX_ADDED_VARIANTS)),
                             [1e308, -1e308, float("nan")], ["a", None, [], {}]))
        declared.append({"name": "big", "matrix": {name: values}})
        return root, f"variants: matrix over {name} of {_short(values)}"
    if choice == 2:
        matrix = {k: [0, 1, 2] for k in list(params)[:4] if isinstance(k, str)}
        declared.append({"name": "cross", "matrix": matrix})
        return root, f"variants: cross matrix over {list(matrix)}"
    if choice == 3:
        value = _scalar(rng)
        declared.append({"name": "odd", "set": {name: value}})
        return root, f"variants: set {name} = {_short(value)}"
    if choice == 4:
        value = _scalar(rng)
        if isinstance(params.get(name), dict):
            params[name]["default"] = value
        return root, f"parameters.{name}.default = {_short(value)}"
    if choice == 5:
        declared.append({"name": rng.choice(("", "a/b", "..", "x" * 300, "msc[x=0]", "é")),
                         "set": {}})
        return root, f"variants: odd name {_short(declared[-1]['name'])}"
    declared.append({"name": "undeclared", "set": {"nope": 1}})
    return root, "variants: sets an undeclared parameter"


def _steps_lists(root: Any) -> list[Path_]:
    return [p for p, n in _walk(root) if p and p[-1] == "steps" and isinstance(n, list)]


@mutation("repeat")
def repeat(root: Any, rng: random.Random) -> tuple[Any, str]:
    existing = _nodes(root, lambda n: isinstance(n, dict) and n.get("action") == "repeat")
    times = rng.choice(REPEAT_TIMES)
    if existing and rng.random() < 0.5:
        path = rng.choice(existing)
        _get(root, path)["times"] = times
        return root, f"set {show(path)}.times = {_short(times)}"
    lists = _steps_lists(root)
    if not lists:
        return root, "repeat: no steps"
    path = rng.choice(lists)
    steps = _get(root, path)
    if not steps:
        return root, "repeat: empty steps"
    start = rng.randrange(len(steps))
    body = copy.deepcopy(steps[start:start + rng.randint(1, MAX_REPEAT_COPIES)])
    steps.insert(start, {"action": "repeat", "times": times, "steps": body})
    return root, f"insert repeat times={_short(times)} at {show((*path, start))}"


@mutation("date")
def date(root: Any, rng: random.Random) -> tuple[Any, str]:
    if not isinstance(root, dict):
        return root, "date: not a mapping"
    value = rng.choice(DATES)
    root["date"] = value
    return root, f"date = {value}"


@mutation("reaction-coefficient")
def reaction_coefficient(root: Any, rng: random.Random) -> tuple[Any, str]:
    paths = [p for p, n in _walk(root) if len(p) >= 2 and p[-2] in ("reactants", "byproducts")
             and isinstance(_get(root, p[:-1]), dict)]
    path = _pick(rng, paths)
    if path is None:
        return root, "reaction-coefficient: no reaction"
    value = rng.choice(COEFFICIENTS)
    return _set(root, path, value), f"set {show(path)} = {_short(value)}"


@mutation("vessel-volume")
def vessel_volume(root: Any, rng: random.Random) -> tuple[Any, str]:
    vessels = _declared(root, "vessels")
    if not vessels:
        return root, "vessel-volume: no vessels"
    name = rng.choice(vessels)
    value = rng.choice(("0 mL", "0.0 mL", "-0 mL", "-5 mL", "1e-308 mL", "5e-324 L",
                        "1e308 L", "nan mL", "inf mL", "0 g", 0, None))
    if isinstance(root["vessels"][name], dict):
        root["vessels"][name]["volume"] = value
    return root, f"vessels.{name}.volume = {_short(value)}"


@mutation("portion")
def portion(root: Any, rng: random.Random) -> tuple[Any, str]:
    """An added material becomes a portion ``{material, fraction}`` (or amount) at an edge."""
    paths = [p for p, n in _walk(root) if p and p[-1] == "materials" and isinstance(n, list)
             and n]
    path = _pick(rng, paths)
    if path is None:
        return root, "portion: no added materials"
    items = _get(root, path)
    index = rng.randrange(len(items))
    item = items[index]
    material = item.get("material") if isinstance(item, dict) else item
    if rng.random() < 0.7:
        entry: dict[str, Any] = {"material": material, "fraction": rng.choice(EDGE_FRACTIONS)}
    else:
        entry = {"material": material, "amount": rng.choice(ADVERSARIAL_QUANTITIES)}
    items[index] = entry
    return root, f"{show((*path, index))} = {_short(entry)}"


@mutation("made-by")
def made_by(root: Any, rng: random.Random) -> tuple[Any, str]:
    materials = _declared(root, "materials")
    if not materials:
        return root, "made-by: no materials"
    name = rng.choice(materials)
    link = rng.choice((
        {"protocol": root.get("id", "self"), "product": "ghost"},
        {"protocol": "mn-msc-bda", "variant": "msc[x=0]", "product": "msc"},
        {"protocol": "nowhere", "product": "x"},
        {"protocol": "", "variant": "", "product": ""},
        {"protocol": root.get("id", "self"), "product": next(iter(_declared(root, "products")
                                                                   or ["p"]))},
    ))
    if isinstance(root["materials"][name], dict):
        root["materials"][name]["made_by"] = link
    return root, f"materials.{name}.made_by = {_short(link)}"


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}...({len(text)} chars)"


# --------------------------------------------------------------------------- byte mutations

ByteMutation = Callable[[bytes, random.Random], tuple[bytes, str]]
BYTE_MUTATIONS: dict[str, ByteMutation] = {}


def byte_mutation(name: str) -> Callable[[ByteMutation], ByteMutation]:
    def register(function: ByteMutation) -> ByteMutation:
        BYTE_MUTATIONS[name] = function
        return function
    return register


@byte_mutation("bit-flip")
def bit_flip(raw: bytes, rng: random.Random) -> tuple[bytes, str]:
    if not raw:
        return raw, "bit-flip: empty"
    data = bytearray(raw)
    flips = rng.choice((1, 1, 2, 8))
    where = []
    for _ in range(flips):
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)
        where.append(i)
    return bytes(data), f"flip bits at bytes {where}"


@byte_mutation("truncate")
def truncate(raw: bytes, rng: random.Random) -> tuple[bytes, str]:
    cut = rng.randrange(len(raw) + 1)
    return raw[:cut], f"truncate at byte {cut}"


@byte_mutation("insert")
def insert(raw: bytes, rng: random.Random) -> tuple[bytes, str]:
    junk = rng.choice((b"\x00", b"\xef\xbb\xbf", b"\x1b[31m", b"\x7f", b"\x85", b"\r",
                       b"\t", b"\xff\xfe", b"\xc3", b"\xe2\x80\xae", b"\x0c", b"&a", b"*a",
                       b"!!python/object:os.system", b"<<: *a", b"---\n", b"...\n", b"%YAML 1.1\n"))
    at = 0 if rng.random() < 0.2 else rng.randrange(len(raw) + 1)
    return raw[:at] + junk + raw[at:], f"insert {junk!r} at byte {at}"


@byte_mutation("delete-range")
def delete_range(raw: bytes, rng: random.Random) -> tuple[bytes, str]:
    if not raw:
        return raw, "delete-range: empty"
    start = rng.randrange(len(raw))
    end = min(len(raw), start + rng.choice((1, 5, 50, 500)))
    return raw[:start] + raw[end:], f"delete bytes {start}:{end}"


@byte_mutation("duplicate-range")
def duplicate_range(raw: bytes, rng: random.Random) -> tuple[bytes, str]:
    if not raw:
        return raw, "duplicate-range: empty"
    start = rng.randrange(len(raw))
    end = min(len(raw), start + rng.choice((5, 50, 500)))
    return raw[:end] + raw[start:end] + raw[end:], f"duplicate bytes {start}:{end}"


# --------------------------------------------------------------------------- cases

MUTATION_NAMES = tuple(MUTATIONS)
BYTE_MUTATION_NAMES = tuple(BYTE_MUTATIONS)


@dataclass(frozen=True)
class CaseSpec:
    """A case as integers: the base protocol, then (mutation, seed) pairs, structural first."""

    base: int
    mutations: tuple[tuple[int, int], ...] = ()
    byte_mutations: tuple[tuple[int, int], ...] = ()


@dataclass
class Case:
    spec: CaseSpec
    base_name: str
    steps: list[str]
    raw: bytes
    structural: bool  # no byte mutation: validate_text is driven, else validate_bytes

    def describe(self) -> str:
        return f"{self.base_name}: " + "; ".join(self.steps)


class _Dumper(yaml.SafeDumper):
    """Dumps what a mutation can put in the data (nan, inf and huge ints included)."""


def _represent_int(dumper: yaml.SafeDumper, value: int) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:int", str(value))


_Dumper.add_representer(int, _represent_int)


def dump(data: Any) -> bytes:
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return text.encode("utf-8", "surrogatepass")


def build_case(spec: CaseSpec) -> Case:
    files = base_files()
    data = base_data(spec.base % len(files))
    steps: list[str] = []
    for kind, seed in spec.mutations:
        name = MUTATION_NAMES[kind % len(MUTATION_NAMES)]
        data, what = MUTATIONS[name](data, random.Random(seed))
        steps.append(what)
    raw = dump(data)
    for kind, seed in spec.byte_mutations:
        name = BYTE_MUTATION_NAMES[kind % len(BYTE_MUTATION_NAMES)]
        raw, what = BYTE_MUTATIONS[name](raw, random.Random(seed))
        steps.append(what)
    return Case(spec, files[spec.base % len(files)].name, steps, raw,
                structural=not spec.byte_mutations)


def random_spec(rng: random.Random) -> CaseSpec:
    """A case for the long run: 1-4 structural mutations, raw-byte damage one case in five."""
    # Mostly one mutation: a case with several rarely models, and then never reaches the
    # render and export stages.
    count = rng.choices((1, 2, 3, 4), weights=(50, 30, 12, 8))[0]
    mutations = tuple((rng.randrange(len(MUTATION_NAMES)), rng.randrange(2**32))
                      for _ in range(count))
    damage = tuple((rng.randrange(len(BYTE_MUTATION_NAMES)), rng.randrange(2**32))
                   for _ in range(rng.randint(1, 2))) if rng.random() < 0.2 else ()
    return CaseSpec(rng.randrange(len(base_files())), mutations, damage)


# --------------------------------------------------------------------------- running a case


class CaseTimeoutError(BaseException):
    """Raised by SIGALRM inside a case: a BaseException, so no ``except Exception`` in the
    code under test swallows it."""


def _documented_errors() -> dict[str, tuple[type[BaseException], ...]]:
    """What each stage may raise: the errors the command line reports with exit 2."""
    from benchsheet.api import VariantError
    from benchsheet.export.eln_read import ElnImportError
    from benchsheet.export.eln_write import ElnWriteError
    from benchsheet.export.records import ExportError
    from benchsheet.scaling import ScaleError

    return {
        "validate": (),
        "render": (VariantError, ScaleError),
        "eln": (ExportError, ElnWriteError, OSError),
        "ipynb": (ExportError, OSError),
        "import": (ElnImportError, OSError),
    }


@dataclass(frozen=True)
class Failure:
    """What went wrong in one stage of one case, and its class (what and where)."""

    kind: str  # "exception", "timeout" or "memory"
    stage: str
    error: str  # exception type, or "Timeout" / "MemoryCeiling"
    frame: str  # innermost benchsheet frame, "benchsheet/x.py:123 in function"
    message: str
    trace: str = field(default="", compare=False, repr=False)  # the traceback, for a replay

    @property
    def signature(self) -> str:
        """The failure class: type and innermost benchsheet file and function (no line)."""
        where = re.sub(r":\d+ in ", ":", self.frame)
        if self.kind == "exception":
            return f"{self.error} at {where}"
        # Where a hang was interrupted varies with the case; the stage is the class.
        return f"{self.error} in {self.stage}"


@dataclass
class Outcome:
    case: Case
    seconds: float
    peak_growth_mb: float
    failure: Failure | None = None
    refusals: list[str] = field(default_factory=list)  # documented errors, per stage
    modelled: int = 0  # variants that modelled, so render and export saw them


def innermost_frame(tb: Any) -> str:
    """The innermost frame of the traceback in the benchsheet package, as file:line."""
    for frame in reversed(traceback.extract_tb(tb)):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(PACKAGE_DIR):
            rel = path.relative_to(PACKAGE_DIR.parent).as_posix()
            return f"{rel}:{frame.lineno} in {frame.name}"
    return ""


def _current_frame(frame: Any) -> str:
    stack = traceback.extract_stack(frame)
    for entry in reversed(stack):
        path = Path(entry.filename).resolve()
        if path.is_relative_to(PACKAGE_DIR):
            rel = path.relative_to(PACKAGE_DIR.parent).as_posix()
            return f"{rel}:{entry.lineno} in {entry.name}"
    return ""


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


@contextlib.contextmanager
def _alarm(seconds: float, where: list[str]) -> Iterator[None]:
    def expired(signum: int, frame: Any) -> None:
        where.append(_current_frame(frame))
        raise CaseTimeoutError

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _stages(case: Case, workdir: Path, state: dict[str, Any]
            ) -> Iterator[tuple[str, Callable[[], None]]]:
    """The stages of one case, in order, each a name and a call; later stages see earlier
    results through the closure."""
    from benchsheet.api import SheetRequest, prepare_sheet
    from benchsheet.export.eln_write import write_eln
    from benchsheet.export.importer import import_protocols
    from benchsheet.export.notebook import write_notebooks
    from benchsheet.export.records import export_date, license_url, records_for
    from benchsheet.reagents.library import load_library
    from benchsheet.render import render_sheets
    from benchsheet.validate import FileResult, validate_bytes, validate_text

    library = load_library(())
    name = "fuzz-case.yaml"

    def validate() -> None:
        if case.structural:
            result: FileResult = validate_text(case.raw.decode("utf-8", "surrogatepass"), name,
                                               library=library)
        else:
            result = validate_bytes(case.raw, name, library=library)
        state["result"] = result

    def render() -> None:
        result: FileResult = state["result"]
        modelled = [v for v in result.variants if v.protocol is not None
                    and v.amounts is not None][:RENDER_VARIANTS]
        for variant in modelled:
            for scale in SCALES:
                chosen, factor, basis = prepare_sheet(result, SheetRequest(variant.name, scale),
                                                      library)
                if chosen.protocol is None or chosen.amounts is None:
                    continue  # the CLI writes no sheet then, and says so
                # both formats from one view, as render and build write them
                render_sheets(result, chosen, ("md", "html"), scale=factor, scale_basis=basis)

    def eln() -> None:
        result: FileResult = state["result"]
        records = records_for([result])
        target = workdir / "fuzz.eln"
        write_eln(records, target, date=export_date(records), license_url=license_url([result]))
        state["archive"] = target

    def ipynb() -> None:
        write_notebooks([state["result"]], workdir / "notebooks")

    def import_() -> None:
        if "archive" in state:
            import_protocols(state["archive"], workdir / "imported")

    yield "validate", validate
    yield "render", render
    yield "eln", eln
    yield "ipynb", ipynb
    yield "import", import_


def run_case(case: Case, *, timeout: float = 10.0, memory_mb: float = 500.0) -> Outcome:
    """Drive one case through every stage; the first failure ends it."""
    allowed = _documented_errors()
    refusals: list[str] = []
    start, rss0 = time.perf_counter(), _max_rss_mb()
    stage = "setup"
    failure: Failure | None = None
    where: list[str] = []
    state: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="benchsheet-fuzz-") as tmp:
        try:
            with _alarm(timeout, where), warnings.catch_warnings():
                # As in the test suite: a warning that escapes the pipeline is a failure.
                warnings.simplefilter("error")
                for stage, call in _stages(case, Path(tmp), state):
                    try:
                        call()
                    except allowed[stage] as exc:
                        refusals.append(f"{stage}: {type(exc).__name__}")
                        if stage == "validate":
                            break
                    growth = _max_rss_mb() - rss0
                    if growth > memory_mb:
                        failure = Failure("memory", stage, "MemoryCeiling", "",
                                          f"peak memory grew by {growth:.0f} MB")
                        break
        except CaseTimeoutError:
            failure = Failure("timeout", stage, "Timeout", where[0] if where else "",
                              f"over {timeout:g} s")
        except Exception as exc:
            failure = Failure("exception", stage, type(exc).__name__,
                              innermost_frame(exc.__traceback__), _first_line(exc),
                              "".join(traceback.format_exception(exc)))
    modelled = sum(1 for v in getattr(state.get("result"), "variants", ())
                   if v.protocol is not None)
    return Outcome(case, time.perf_counter() - start, _max_rss_mb() - rss0, failure, refusals,
                   modelled)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return _short(text[0] if text else "", 200).strip("'\"")
