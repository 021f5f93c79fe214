"""schema.py and schemas/protocol.schema.json: the committed schema is the generated one, every
bundled protocol passes plain jsonschema, and the schema and the pydantic model agree.

By design the schema accepts a quantity written as a template (``${585 * scale} mg``): templates
are expanded per variant before the model sees them, so only the model can check the result.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from benchsheet.loader import load_file, load_text
from benchsheet.model.parse import parse_protocol
from benchsheet.schema import SCHEMA_PATH, schema_text

REGENERATE = "benchsheet schema -o schemas/protocol.schema.json"
HERE = Path(__file__).parent
BASE_TEXT = (HERE / "valid" / "minimal-salt-solution.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def committed(repo_root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((repo_root / SCHEMA_PATH).read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def validator(committed: dict[str, Any]) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(committed)
    return jsonschema.Draft202012Validator(
        committed, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def as_json(data: Any) -> Any:
    """YAML timestamps as ISO text, the way check-jsonschema hands YAML to the validator."""
    if isinstance(data, dict):
        return {k: as_json(v) for k, v in data.items()}
    if isinstance(data, list):
        return [as_json(v) for v in data]
    if isinstance(data, (dt.date, dt.datetime)):
        return data.isoformat()
    return data


def test_committed_schema_is_the_generated_one(repo_root: Path) -> None:
    path = repo_root / SCHEMA_PATH
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    assert current == schema_text(), f"{SCHEMA_PATH} is out of date; run: {REGENERATE}"


def test_schema_is_draft_2020_12(committed: dict[str, Any]) -> None:
    assert committed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(committed)


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        found += list(node.get("patternProperties", {}))
        return found + [p for v in node.values() for p in _patterns(v)]
    if isinstance(node, list):
        return [p for v in node for p in _patterns(v)]
    return []


def test_every_pattern_is_an_ecma_262_regex(committed: dict[str, Any]) -> None:
    # check-jsonschema compiles patterns as ECMA-262 with the unicode flag (via regress);
    # Python's re.escape once wrote 'x\ g', which that refuses, and with it the whole schema.
    regress = pytest.importorskip("regress")
    patterns = set(_patterns(committed))
    assert len(patterns) > 20
    for pattern in patterns:
        regress.Regex(pattern, "u")


def bundled() -> list[Path]:
    root = Path(__file__).resolve().parent.parent / "protocols"
    return sorted(root.glob("*.yaml"))


@pytest.mark.parametrize("path", bundled(), ids=[p.name for p in bundled()])
def test_bundled_protocol_passes_plain_jsonschema(
    path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    doc = load_file(path)
    assert doc.findings == []
    errors = [f"{list(e.absolute_path)}: {e.message}"
              for e in validator.iter_errors(as_json(doc.data))]
    assert errors == []


def test_valid_acceptance_files_pass_plain_jsonschema(
    validator: jsonschema.Draft202012Validator
) -> None:
    for path in sorted((HERE / "valid").glob("*.yaml")):
        assert validator.is_valid(as_json(load_file(path).data)), path.name


# --- the two layers agree -------------------------------------------------------------------

Edit = Callable[[dict[str, Any]], None]


def _set(path: tuple[Any, ...], value: Any) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        node: Any = doc
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    return edit


def _delete(path: tuple[Any, ...]) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        node: Any = doc
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]
    return edit


def _add_step(step: dict[str, Any]) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        doc["steps"].append(step)
    return edit


def _rename_material(old: str, new: str) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        doc["materials"][new] = doc["materials"].pop(old)
        doc["steps"][0]["materials"] = [new if m == old else m
                                        for m in doc["steps"][0]["materials"]]
    return edit


STIR = ("steps", 1)
# (case, edit of the minimal valid protocol, accepted by both layers?)
AGREEMENT: list[tuple[str, Edit | None, bool]] = [
    ("unchanged", None, True),
    ("range amount", _set(("materials", "NaCl", "amount"), "580–590 mg"), True),
    ("tolerance amount", _set(("materials", "water", "amount"), "10.00 ± 0.05 ml"), True),
    ("micro litres", _set(("materials", "water", "amount"), "10000 µL"), True),
    ("optional key added", _set((*STIR, "atmosphere"), "argon"), True),
    ("vacuum dry with absolute pressure", _add_step({
        "action": "dry", "method": "vacuum", "pressure": "10 mbar abs"}), True),
    ("hold is a heat step", _add_step({
        "action": "hold", "vessel": "vial", "temperature": "298 K"}), True),
    ("wrong dimension", _set((*STIR, "temperature"), "10 mL"), False),
    ("bare number amount", _set(("materials", "NaCl", "amount"), 585), False),
    ("ambiguous unit", _set((*STIR, "duration"), "10 m"), False),
    ("thousands comma", _set(("materials", "NaCl", "amount"), "1,000 mg"), False),
    ("pressure without reference", _add_step({
        "action": "dry", "method": "vacuum", "pressure": "10 mbar"}), False),
    ("unknown key in a step", _set((*STIR, "speed"), "fast"), False),
    ("unknown top-level key", _set(("colour",), "blue"), False),
    ("unknown key in an inline reagent", _set(("materials", "NaCl", "reagent", "mp"), "801 °C"),
     False),
    ("missing required key in a step", _delete((*STIR, "duration")), False),
    ("missing steps", _delete(("steps",)), False),
    ("missing reagent name", _delete(("materials", "NaCl", "reagent", "name")), False),
    ("bad enum", _set((*STIR, "atmosphere"), "helium"), False),
    ("bad enum of a material role", _set(("materials", "NaCl", "role"), "seasoning"), False),
    ("unknown action", _set((*STIR, "action"), "shake"), False),
    ("bad CAS", _set(("materials", "NaCl", "reagent", "cas"), "7647145"), False),
    ("bad version", _set(("version",), "1.0"), False),
    ("format 2", _set(("format",), 2), False),
    ("no steps", _set(("steps",), []), False),
    ("zero washes", _add_step({"action": "wash", "solvent": "water", "times": 0}),
     False),
    ("material id not an identifier", _rename_material("NaCl", "1-NaCl"), False),
    ("material id too long", _rename_material("NaCl", "N" * 65), False),
    ("list where a mapping belongs", _set(("materials",), ["NaCl", "water"]), False),
]


def model_accepts(data: dict[str, Any]) -> bool:
    protocol, findings = parse_protocol(data, load_text(BASE_TEXT, "base.yaml"))
    return protocol is not None and not findings


@pytest.mark.parametrize(("case", "edit", "accepted"), AGREEMENT,
                         ids=[case for case, _, _ in AGREEMENT])
def test_schema_rejects_exactly_what_the_model_rejects(
    case: str, edit: Edit | None, accepted: bool,
    validator: jsonschema.Draft202012Validator,
) -> None:
    base = load_text(BASE_TEXT, "base.yaml").data
    data = copy.deepcopy(base)
    if edit is not None:
        edit(data)
    assert model_accepts(data) is accepted
    assert validator.is_valid(as_json(data)) is accepted


# What a schema cannot say, and the model does: the order of a range's ends, and rules across
# fields. These pass the schema and fail the model; the table keeps the list honest.
DIVERGENT: list[tuple[str, Edit]] = [
    ("reversed range", _set(("materials", "NaCl", "amount"), "590–580 mg")),
    ("negative tolerance", _set(("materials", "NaCl", "amount"), "585 ± -5 mg")),
    ("concentration needs a volume",
     _set(("materials", "NaCl", "concentration"), "1 M")),
]


@pytest.mark.parametrize(("case", "edit"), DIVERGENT, ids=[c for c, _ in DIVERGENT])
def test_known_divergence_schema_accepts_model_refuses(
    case: str, edit: Edit, validator: jsonschema.Draft202012Validator
) -> None:
    data = copy.deepcopy(load_text(BASE_TEXT, "base.yaml").data)
    edit(data)
    assert validator.is_valid(as_json(data))
    assert not model_accepts(data)


def test_template_quantity_passes_the_schema_by_design(
    validator: jsonschema.Draft202012Validator
) -> None:
    data = copy.deepcopy(load_text(BASE_TEXT, "base.yaml").data)
    data["materials"]["NaCl"]["amount"] = "${585 * scale} mg"
    assert validator.is_valid(as_json(data))
