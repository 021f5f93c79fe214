"""loader.py: one test per way a file can fail, each pinning code, line and column; and where the
model's findings point in a small protocol written inline."""

from __future__ import annotations

import os
import textwrap
from dataclasses import replace
from pathlib import Path
from typing import IO

import pytest

from benchsheet.findings import Finding
from benchsheet.limits import DEFAULT_LIMITS
from benchsheet.loader import MAX_FILE_BYTES, load_file, load_text
from benchsheet.validate import validate_text


def only(findings: list[Finding]) -> tuple[str, int, int]:
    assert len(findings) == 1, findings
    f = findings[0]
    return f.code, f.line, f.column


def test_LD001_a_missing_path_is_a_finding_not_a_traceback(tmp_path: Path) -> None:
    doc = load_file(tmp_path / "nope.yaml")
    assert only(doc.findings) == ("LD001", 1, 1)
    assert "No such file" in doc.findings[0].message
    assert doc.data is None


def test_LD001_a_folder_is_not_a_file(tmp_path: Path) -> None:
    assert only(load_file(tmp_path).findings)[0] == "LD001"


def test_LD002_not_yaml_points_at_the_parser_stop() -> None:
    # 'title: x' indented under a scalar: line 2, the colon after 'title' at column 8.
    doc = load_text("id: a\n  title: x\n", "bad.yaml")
    assert only(doc.findings) == ("LD002", 2, 8)
    assert doc.findings[0].message.startswith("not valid YAML: mapping values are not allowed")


def test_LD002_a_tab_in_indentation() -> None:
    # YAML forbids tabs for indentation; the tab is the first character of line 2.
    assert only(load_text("a:\n\tb: 1\n", "tab.yaml").findings) == ("LD002", 2, 1)


def test_LD003_empty_file() -> None:
    assert only(load_text("", "empty.yaml").findings) == ("LD003", 1, 1)


def test_LD003_only_comments_is_empty() -> None:
    assert only(load_text("# expect nothing\n\n", "c.yaml").findings) == ("LD003", 1, 1)


def test_LD004_duplicate_key_at_the_second_key() -> None:
    doc = load_text("id: a\ntitle: t\nid: b\n", "dup.yaml")
    assert only(doc.findings) == ("LD004", 3, 1)
    assert "first at line 1" in doc.findings[0].message


def test_LD004_duplicate_nested_key_at_its_column() -> None:
    text = "materials:\n  A: {reagent: x}\n  B: {reagent: y}\n  A: {reagent: z}\n"
    doc = load_text(text, "dup.yaml")
    assert only(doc.findings) == ("LD004", 4, 3)
    assert doc.findings[0].yaml_path == "materials.A"


def test_LD005_alias_bomb_is_stopped() -> None:
    # Nodes (keys too) are counted as they are built: the mapping (1), key a (2), its scalar
    # (3), key b (4), b's list of 1000 aliases (1001 more: 1005), key c (1006), c's list
    # (1007), then each copy of b adds 1001. After 18 copies the count is 1007 + 18 × 1001 =
    # 19 025; the 19th copy's list is node 19 026 and its 975th item node 20 001, the first
    # past the limit of 20 000. That item is the scalar anchored as '&a' on line 1; a node
    # with an anchor starts at its '&', column 4.
    bomb = "a: &a x\nb: &b [" + ",".join(["*a"] * 1000) + "]\nc: [" + ",".join(
        ["*b"] * 100) + "]\n"
    doc = load_text(bomb, "bomb.yaml")
    assert only(doc.findings) == ("LD005", 1, 4)
    assert "more than 20000 nodes" in doc.findings[0].message
    assert doc.data is None


def test_LD005_recursive_alias_is_stopped() -> None:
    doc = load_text("a: &a [*a]\n", "loop.yaml")
    assert only(doc.findings) == ("LD005", 1, 4)
    assert "nested deeper" in doc.findings[0].message


def test_LD006_a_50_MB_file_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written to disk
    assert big.stat().st_size > MAX_FILE_BYTES
    doc = load_file(big)
    assert only(doc.findings) == ("LD006", 1, 1)
    assert "50.0 MiB" in doc.findings[0].message  # 50 × 1024² bytes


class _GrownSinceStat:
    """A file whose size on disk, when asked, was ``said`` bytes: it grew before it was
    read (a protocol still being written by an editor or a sync)."""

    def __init__(self, real: Path, said: int) -> None:
        self.real, self.said = real, said

    def stat(self) -> os.stat_result:
        return os.stat_result((0, 0, 0, 0, 0, 0, self.said, 0, 0, 0))

    def open(self, mode: str) -> IO[bytes]:
        return self.real.open(mode)


def test_a_file_that_grew_since_its_size_was_read_is_read_whole(tmp_path: Path) -> None:
    # load_file reads the size the file had (not the limit's 5 MiB a file), then reads on.
    real = tmp_path / "p.yaml"
    real.write_text("id: p\ntitle: " + "x" * 300 + "\n", encoding="utf-8")
    doc = load_file(_GrownSinceStat(real, 10), display="p.yaml")  # type: ignore[arg-type]
    assert doc.findings == []
    assert doc.data == {"id": "p", "title": "x" * 300}


def test_LD006_a_file_that_grew_past_the_limit_since_its_size_was_read(
        tmp_path: Path) -> None:
    real = tmp_path / "p.yaml"
    real.write_text("id: p\ntitle: " + "x" * 3000 + "\n", encoding="utf-8")
    limits = replace(DEFAULT_LIMITS, file_size=1024)
    doc = load_file(_GrownSinceStat(real, 10), display="p.yaml",  # type: ignore[arg-type]
                    limits=limits)
    assert only(doc.findings) == ("LD006", 1, 1)


def test_LD007_top_level_list() -> None:
    assert only(load_text("- a\n- b\n", "list.yaml").findings) == ("LD007", 1, 1)


def test_LD007_top_level_scalar() -> None:
    doc = load_text("just text\n", "s.yaml")
    assert only(doc.findings) == ("LD007", 1, 1)
    assert "a str" in doc.findings[0].message


def test_LD008_on_key_is_read_as_a_boolean() -> None:
    # YAML 1.1 reads an unquoted 'on' as true; the key sits on line 2, column 3.
    doc = load_text("gas:\n  on: true\n", "on.yaml")
    assert only(doc.findings) == ("LD008", 2, 3)
    assert doc.findings[0].message == "key 'on' is read as bool, not text"


def test_LD009_merge_key() -> None:
    doc = load_text("a: &x {b: 1}\nc:\n  <<: *x\n", "merge.yaml")
    assert only(doc.findings) == ("LD009", 3, 3)


def test_LD010_latin1_bytes(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("id: a\ntitle: café\n".encode("latin-1"))
    doc = load_file(path)
    # 'é' is byte 0xe9 on line 2 after "title: caf" (10 characters): column 11.
    assert only(doc.findings) == ("LD010", 2, 11)
    assert "0xe9" in doc.findings[0].message


def test_LD010_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "nul.yaml"
    path.write_bytes(b"id: a\ntitle: b\x00c\n")
    # The NUL follows "title: b" (8 characters) on line 2: column 9.
    assert only(load_file(path).findings) == ("LD010", 2, 9)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfid: a\n")
    doc = load_file(path)
    assert doc.findings == []
    assert doc.data == {"id": "a"}


def test_positions_of_keys_and_values() -> None:
    doc = load_text("id: a\nsteps:\n  - action: heat\n    temperature: 10 mL\n", "p.yaml")
    assert doc.positions[("steps", 0, "temperature")] == (4, 5, 4, 18)
    # An unknown path falls back to its nearest known ancestor.
    assert doc.position(("steps", 0, "nope")) == (3, 5)


# --- where the model's findings point ---------------------------------------------------

LOCATED = """\
id: loc
title: locations
version: 1.0.0
source: {section: test}
materials:
  water:
    reagent: {name: water, formula: H2O, cas: 7732-18-5}
    amount: 5 mL
    colour: clear
vessels:
  vial: {kind: vial, volume: 20 mL}
steps:
  - action: add
    materials: [water]
    to: vial
  - action: heat
    vessel: vial
    temperature: 10 mL
  - action: cool
    vessel: vial
  - action: shake
    vessel: vial
"""


@pytest.fixture(scope="module")
def located() -> dict[str, Finding]:
    findings = validate_text(LOCATED, "loc.yaml").findings
    by_code = {f.code: f for f in findings}
    assert len(by_code) == len(findings), findings
    return by_code


def test_SC102_unknown_key_points_at_the_key(located: dict[str, Finding]) -> None:
    f = located["SC102"]
    assert (f.line, f.column) == (9, 5)  # '    colour:' on line 9
    assert f.yaml_path == "materials.water.colour"
    assert f.message == "unknown key 'colour'"


def test_UN202_wrong_dimension_points_at_the_value(located: dict[str, Finding]) -> None:
    f = located["UN202"]
    assert (f.line, f.column) == (18, 18)  # '    temperature: ' is 17 characters
    assert f.yaml_path == "steps[1].temperature"


def test_SC101_missing_key_points_at_the_step(located: dict[str, Finding]) -> None:
    f = located["SC101"]
    assert (f.line, f.column) == (19, 5)  # the step mapping starts after '  - '
    assert f.message == "'temperature' is required in a 'cool' step"


def test_SC105_unknown_action_points_at_the_step(located: dict[str, Finding]) -> None:
    f = located["SC105"]
    assert (f.line, f.column) == (21, 5)
    assert "shake" in f.message
    assert "'heat'" in f.hint


def test_located_protocol_has_exactly_these_findings(located: dict[str, Finding]) -> None:
    assert set(located) == {"SC101", "SC102", "SC105", "UN202"}


def test_RF301_undeclared_reference_points_at_the_name() -> None:
    text = textwrap.dedent("""\
        id: ref
        title: reference
        version: 1.0.0
        source: {section: test}
        materials:
          water:
            reagent: {name: water, formula: H2O, cas: 7732-18-5}
            amount: 5 mL
        vessels:
          vial: {kind: vial, volume: 20 mL}
        steps:
          - action: add
            materials: [water]
            to: flask
        """)
    rf = [f for f in validate_text(text, "ref.yaml").findings if f.code == "RF301"]
    assert len(rf) == 1
    assert (rf[0].line, rf[0].column) == (14, 9)  # '    to: ' is 8 characters
    assert rf[0].message == "'flask' is not declared under 'vessels'"


def test_nested_list_where_a_mapping_belongs_is_SC103_at_the_value() -> None:
    text = "id: a\ntitle: t\nversion: 1.0.0\nsource: {section: s}\nmaterials: [a, b]\n" \
        "steps:\n  - {action: vent, vessel: v}\n"
    findings = validate_text(text, "m.yaml").findings
    assert [(f.code, f.line, f.column) for f in findings] == [("SC103", 5, 12)]


def test_impossible_date_is_kept_as_text_for_the_model() -> None:
    # '7647-14-55' has the shape of a YAML timestamp (year 7647, month 14): PyYAML raised
    # ValueError here. The loader keeps the text; the CAS pattern then refuses it (SC106).
    doc = load_text("cas: 7647-14-55\ndate: 2026-02-30\nok: 2026-02-28\n", "d.yaml")
    assert doc.findings == []
    assert doc.data["cas"] == "7647-14-55"
    assert doc.data["date"] == "2026-02-30"
    assert str(doc.data["ok"]) == "2026-02-28"  # a real date stays a date


def test_explicit_bad_int_tag_is_kept_as_text() -> None:
    assert load_text("a: !!int 12x\n", "t.yaml").data == {"a": "12x"}


def test_LD002_python_tag_is_refused_at_the_tag() -> None:
    # The safe loader constructs no Python objects; the tag starts line 2, column 4.
    doc = load_text("id: a\nb: !!python/object:os.system x\n", "tag.yaml")
    assert only(doc.findings) == ("LD002", 2, 4)
    assert doc.data is None


def test_LD008_list_as_key_names_its_kind() -> None:
    doc = load_text("? [a, b]\n: c\n", "k.yaml")
    assert only(doc.findings) == ("LD008", 1, 3)
    assert doc.findings[0].message == "a list is used as a key; keys must be text"


# The one-pass reading (loader._read_plain) must give what the long way gives (the shape
# check, the composer and the builder): the same data, positions, node count and findings.
# The long way is forced by making the one-pass reader give up, as it does on an anchor.
_SAME_WAY = [
    "id: a\ntitle: t\nsteps:\n  - {action: add, materials: [x, y], to: f}\n  - 3\n",
    "date: 2026-11-30\ncas: 7647-14-55\nn: 1.5e3\nb: yes\nz: ~\nq: '1'\nl: |\n  two\n  lines\n",
    "", "# only a comment\n", "just text\n", "- a\n- b\n", "~\n", "a: [1, 2\n",
    "id: a\n  title: x\n", "a: 1\n---\nb: 2\n", "a: 1\na: 2\n", "on: 1\n", "1: a\n",
    "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: !!python/name:os.system x\n", "<<: {a: 1}\n",
    "? [a, b]\n: c\n", "a: " + "[" * 70 + "]" * 70 + "\n",
    "a: [" + ", ".join(["x"] * 5001) + "]\n",
    "m:\n" + "".join(f"  k{i}: v\n" for i in range(5001)),
    "a: [" + ", ".join(["x"] * 19_999) + "]\n", "a: [" + ", ".join(["x"] * 19_997) + "]\n",
    # Scalars whose first character may or may not make them more than text, plain and quoted.
    "a: 'yes'\nb: \"1.5\"\nc: '~'\nd: '2026-01-01'\ne: Yes please\nf: on the bench\n"
    "g: True\nh: NULL\ni: .5\nj: +1\nk: '='\nl: 0x1F\nm: 1_000\nn: .inf\no: -.nan\n"
    "p: ''\nq: \"\"\nr: Off\ns: 12:30\nt: 2026-11-30 10:00:00\nu: !\nv: ! 12\n",
]


@pytest.mark.parametrize("text", _SAME_WAY, ids=range(len(_SAME_WAY)))
def test_one_pass_reading_is_the_long_way(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import benchsheet.loader as loader

    fast = load_text(text, "same.yaml")

    def give_up(*_: object) -> None:
        raise loader._UnusualError

    monkeypatch.setattr(loader, "_read_plain", give_up)
    slow = load_text(text, "same.yaml")
    assert (fast.positions, fast.nodes, fast.findings) == (
        slow.positions, slow.nodes, slow.findings)
    # repr: 1 is not True nor 1.0 here, and nan is itself
    assert repr(fast.data) == repr(slow.data)


def test_one_pass_reading_of_the_bundled_protocols(monkeypatch: pytest.MonkeyPatch) -> None:
    import benchsheet.loader as loader

    folder = Path(__file__).resolve().parent.parent / "protocols"
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yaml"))]
    assert texts
    fast = [load_text(t, "p.yaml") for t in texts]
    for text in texts:  # each is read in one pass (it raises _UnusualError if it gives up)
        loader._read_plain(text, loader.LoadedDocument("p.yaml", text, None),
                           loader.DEFAULT_LIMITS)
    monkeypatch.setattr(loader, "_read_plain", lambda *_: (_ for _ in ()).throw(
        loader._UnusualError()))
    for text, one in zip(texts, fast, strict=True):
        other = load_text(text, "p.yaml")
        assert (one.data, one.positions, one.nodes) == (other.data, other.positions,
                                                        other.nodes)
        assert one.findings == other.findings == []


def test_a_text_written_in_many_places_is_read_as_one_object() -> None:
    # 10,000 materials of ethanol hold one 'ethanol' and one 'reagent' key, not 10,000 each.
    doc = load_text("materials:\n  a: {reagent: ethanol, amount: 1 mL}\n"
                    "  b: {reagent: ethanol, amount: '1 mL'}\n", "t.yaml")
    a, b = doc.data["materials"]["a"], doc.data["materials"]["b"]
    assert a == {"reagent": "ethanol", "amount": "1 mL"} == b
    assert a["reagent"] is b["reagent"]
    assert a["amount"] is b["amount"]
    assert next(iter(a)) is next(iter(b))  # the key 'reagent'
