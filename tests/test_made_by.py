"""A material made by another protocol (``made_by``): RF306 across files, sheets and exports."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchsheet.cli import main
from benchsheet.export.eln_write import ElnWriteError, build_eln_bytes
from benchsheet.export.records import records_for
from benchsheet.findings import Severity
from benchsheet.render import render_sheet
from benchsheet.rules import RULES
from benchsheet.validate import FileResult, validate_paths, validate_text

REPO = Path(__file__).resolve().parents[1]

# The protocol that makes the material: a base, a named variant, a matrix series, and a product
# that only some variants make.
BRINE = """\
id: brine
title: Brine
version: 1.0.0
date: 2026-01-01
source: {section: test}
parameters:
  grams: {default: 1}
variants:
  - name: strong
    set: {grams: 2}
  - name: series
    matrix: {grams: [1, 3]}
materials:
  NaCl:
    reagent: {name: sodium chloride, formula: NaCl, cas: 7647-14-5, hazards: {source: none}}
    amount: "${grams} g"
  water:
    reagent: {name: water, formula: H2O, cas: 7732-18-5, hazards: {source: none}}
    amount: 10 mL
vessels:
  vial: {kind: vial, volume: 20 mL}
steps:
  - {action: add, materials: [NaCl, water], to: vial}
products:
  brine: {name: salt solution, kind: solution}
  crystals: {name: salt crystals, kind: solution, when: "${grams > 1}"}
"""

# The protocol that uses it; LINK is replaced by the made_by mapping under test.
USER = """\
id: pickles
title: Pickles
version: 1.0.0
date: 2026-01-01
source: {section: test}
materials:
  brine:
    reagent: {name: brine (from brine), phase: solution, hazards: {source: none}}
    made_by: LINK
    amount: 5 mL
vessels:
  jar: {kind: jar, volume: 50 mL}
steps:
  - {action: add, materials: [brine], to: jar}
"""


def write(folder: Path, link: str, *, with_brine: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if with_brine:
        (folder / "brine.yaml").write_text(BRINE, encoding="utf-8")
    user = folder / "pickles.yaml"
    user.write_text(USER.replace("LINK", link), encoding="utf-8")
    return user


def run(tmp_path: Path, link: str, *, with_brine: bool = True) -> FileResult:
    """Validate the folder (both files together); the result of the file holding the link."""
    write(tmp_path, link, with_brine=with_brine)
    results, errors = validate_paths([tmp_path])
    assert errors == []
    return next(r for r in results if r.document.path.endswith("pickles.yaml"))


def rf306(result: FileResult) -> list:
    return [f for f in result.findings if f.code == "RF306"]


def test_RF306_is_an_error_in_the_references_family() -> None:
    from benchsheet.checks import load_all

    load_all()
    info = RULES["RF306"]
    assert info.severity is Severity.ERROR
    assert info.family == "RF"
    assert "named on its own" in info.explanation


def test_RF306_explain_prints_the_why(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "RF306"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("RF306 (error, references")
    assert "made_by" in out


def test_RF306_unknown_protocol_is_an_error_at_the_protocol_key(tmp_path: Path) -> None:
    result = run(tmp_path, "{protocol: brin, product: brine}")
    (f,) = rf306(result)
    assert f.severity is Severity.ERROR
    assert f.message == ("material 'brine': made by protocol 'brin', which is not among the "
                         "protocols validated")
    assert f.hint == ("did you mean 'brine'? protocols validated with it: brine; validate it "
                      "together with the file that makes the material")
    assert f.yaml_path == "materials.brine.made_by.protocol"
    # Line 9 is "    made_by: {protocol: brin, ...}"; the value starts after 24 characters.
    assert (f.line, f.column) == (9, 25)
    assert result.failed(Severity.ERROR)


def test_RF306_unknown_variant_lists_the_variants(tmp_path: Path) -> None:
    (f,) = rf306(run(tmp_path, "{protocol: brine, variant: stong}"))
    assert f.message == "material 'brine': protocol 'brine' has no variant 'stong'"
    assert f.hint == "did you mean 'strong'? variants of 'brine': series, strong"
    assert f.yaml_path == "materials.brine.made_by.variant"


def test_RF306_unknown_member_of_a_series_lists_the_series(tmp_path: Path) -> None:
    (f,) = rf306(run(tmp_path, "{protocol: brine, variant: 'series[grams=2]'}"))
    assert "has no variant 'series[grams=2]'" in f.message
    assert f.hint == "variants of 'brine' in series 'series': series[grams=1], series[grams=3]"


def test_RF306_unknown_product_lists_the_products(tmp_path: Path) -> None:
    (f,) = rf306(run(tmp_path, "{protocol: brine, product: brne}"))
    assert f.message == "material 'brine': 'brine' makes no product 'brne'"
    assert f.hint == "did you mean 'brine'? its products: brine"
    assert f.yaml_path == "materials.brine.made_by.product"


def test_RF306_product_the_named_variant_does_not_make(tmp_path: Path) -> None:
    # 'crystals' exists, but only where grams > 1: not in series[grams=1].
    (f,) = rf306(run(tmp_path, "{protocol: brine, variant: series, product: crystals}"))
    assert f.message == ("material 'brine': variant 'series[grams=1]' of 'brine' makes no "
                         "product 'crystals'")
    assert f.hint == "its products: brine"


@pytest.mark.parametrize("link", [
    "{protocol: brine}",
    "{protocol: brine, product: brine}",
    "{protocol: brine, variant: strong, product: crystals}",
    "{protocol: brine, variant: 'series[grams=3]', product: crystals}",
    "{protocol: brine, variant: series, product: brine}",
])
def test_RF306_good_link_passes(tmp_path: Path, link: str) -> None:
    result = run(tmp_path, link)
    assert rf306(result) == []
    assert not result.failed(Severity.ERROR)


def test_RF306_single_file_says_nothing(tmp_path: Path) -> None:
    # Alone, a file cannot show whether the protocol it links to exists: no error, no note.
    user = write(tmp_path, "{protocol: brin, product: nothing}", with_brine=False)
    (result,), errors = validate_paths([user])
    assert errors == []
    assert [f for f in result.findings if f.code.startswith("RF3")] == []
    assert not result.failed(Severity.INFO)
    text = validate_text(user.read_text(encoding="utf-8"), "pickles.yaml")
    assert [f.code for f in text.findings if f.code == "RF306"] == []



def test_RF306_files_named_one_by_one_may_link_outside_the_run(tmp_path: Path) -> None:
    # A pre-commit hook passes only the changed files: a link to a protocol it did not pass
    # is not broken. Two files named, neither makes 'brin': no RF306.
    user = write(tmp_path / "lib", "{protocol: brin}")
    results, errors = validate_paths([user, tmp_path / "lib" / "brine.yaml"])
    assert errors == []
    assert [f for r in results for f in rf306(r)] == []


def test_RF306_named_file_still_checks_variant_of_a_protocol_in_the_run(
        tmp_path: Path) -> None:
    # The linked protocol was given too, so its variants are known and a wrong one is an error.
    user = write(tmp_path, "{protocol: brine, variant: stong}")
    results, _ = validate_paths([user, tmp_path / "brine.yaml"])
    result = next(r for r in results if r.document.path.endswith("pickles.yaml"))
    assert [f.message for f in rf306(result)] == [
        "material 'brine': protocol 'brine' has no variant 'stong'"]


def test_RF306_a_file_found_in_a_folder_must_resolve_in_the_run(tmp_path: Path) -> None:
    # The folder is the library of the files found in it, whatever else is named beside it.
    write(tmp_path / "lib", "{protocol: brin}", with_brine=False)
    (tmp_path / "other.yaml").write_text(BRINE, encoding="utf-8")
    results, _ = validate_paths([tmp_path / "lib", tmp_path / "other.yaml"])
    result = next(r for r in results if r.document.path.endswith("pickles.yaml"))
    (f,) = rf306(result)
    assert f.message == ("material 'brine': made by protocol 'brin', which is not among "
                         "the protocols validated")
    assert f.hint.startswith("did you mean 'brine'?")
    assert f.path == ("materials", "brine", "made_by", "protocol")


def test_RF307_two_files_with_one_id(tmp_path: Path) -> None:
    (tmp_path / "brine.yaml").write_text(BRINE, encoding="utf-8")
    (tmp_path / "brine-copy.yaml").write_text(BRINE.replace("title: Brine", "title: Copy"),
                                              encoding="utf-8")
    results, _ = validate_paths([tmp_path])
    found = {Path(r.document.path).name: [f for f in r.findings if f.code == "RF307"]
             for r in results}
    # Each file names the other; the finding sits on the id, line 1 column 5 of BRINE.
    (first,) = found["brine.yaml"]
    (second,) = found["brine-copy.yaml"]
    assert first.severity is Severity.ERROR
    assert (first.line, first.column, first.path) == (1, 5, ("id",))
    assert first.message.endswith("brine-copy.yaml")
    assert second.message.endswith("/brine.yaml")
    assert main(["validate", str(tmp_path)]) == 1


def test_RF307_distinct_ids_pass(tmp_path: Path) -> None:
    (tmp_path / "brine.yaml").write_text(BRINE, encoding="utf-8")
    (tmp_path / "brine-2.yaml").write_text(BRINE.replace("id: brine", "id: brine-2"),
                                           encoding="utf-8")
    results, _ = validate_paths([tmp_path])
    assert [f for r in results for f in r.findings if f.code == "RF307"] == []

def test_RF306_single_file_keeps_its_acknowledgement_quiet(tmp_path: Path) -> None:
    # An acknowledgement of a link finding is not stale just because the file ran alone.
    ack = ("\nacknowledge:\n  - code: RF306\n    reason: the brine protocol is still being "
           "written up\n")
    user = write(tmp_path, "{protocol: brin}", with_brine=False)
    user.write_text(user.read_text(encoding="utf-8") + ack, encoding="utf-8")
    (alone,), _ = validate_paths([user])
    assert [f.code for f in alone.findings if f.code in ("RF306", "AK001")] == []
    (tmp_path / "brine.yaml").write_text(BRINE, encoding="utf-8")
    results, _ = validate_paths([tmp_path])
    together = next(r for r in results if r.document.path.endswith("pickles.yaml"))
    (f,) = rf306(together)
    assert f.acknowledged is not None
    assert not together.failed(Severity.ERROR)


def test_RF306_stale_acknowledgement_is_reported_when_files_run_together(
        tmp_path: Path) -> None:
    user = write(tmp_path, "{protocol: brine}")
    user.write_text(user.read_text(encoding="utf-8") + "\nacknowledge:\n  - code: RF306\n"
                    "    reason: the link used to be broken\n", encoding="utf-8")
    results, _ = validate_paths([tmp_path])
    together = next(r for r in results if r.document.path.endswith("pickles.yaml"))
    assert [f.code for f in together.findings if f.code in ("RF306", "AK001")] == ["AK001"]


def test_RF306_can_be_ignored_by_code(tmp_path: Path) -> None:
    from benchsheet.validate import Options

    write(tmp_path, "{protocol: brin}")
    results, _ = validate_paths([tmp_path], Options(ignore=("RF306",)))
    assert all(f.code != "RF306" for r in results for f in r.findings)


def test_RF306_each_variant_of_the_user_is_checked_with_its_own_link(tmp_path: Path) -> None:
    user = write(tmp_path, '{protocol: brine, variant: "${which}"}')
    text = user.read_text(encoding="utf-8").replace(
        "materials:", "parameters:\n  which: {default: strong}\nvariants:\n"
        "  - name: pick\n    matrix: {which: [strong, weak]}\nmaterials:", 1)
    user.write_text(text, encoding="utf-8")
    results, _ = validate_paths([tmp_path])
    result = next(r for r in results if r.document.path.endswith("pickles.yaml"))
    assert [(f.variant, f.message) for f in rf306(result)] == [
        ("pick[which=weak]", "material 'brine': protocol 'brine' has no variant 'weak'")]


def test_build_fails_on_a_broken_link(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "src", "{protocol: brine, variant: stong}")
    assert main(["build", str(tmp_path / "src"), "-o", str(tmp_path / "out")]) == 1
    assert "RF306" in capsys.readouterr().err


def test_validate_of_the_folder_fails_on_a_broken_link(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "{protocol: brine, product: brne}")
    assert main(["validate", str(tmp_path)]) == 1
    assert "RF306 error: material 'brine': 'brine' makes no product 'brne'" in \
        capsys.readouterr().out


# --- the bundled protocols ----------------------------------------------------------------------

LINKED = ["ag18-surface-defects", "co2-po-cycloaddition", "photostability", "plqy-solid-film"]


@pytest.fixture(scope="module")
def bundled() -> dict[str, FileResult]:
    results, errors = validate_paths([REPO / "protocols"])
    assert errors == []
    return {Path(r.document.path).stem: r for r in results}


def test_bundled_links_resolve(bundled: dict[str, FileResult]) -> None:
    assert [f for r in bundled.values() for f in r.findings if f.code == "RF306"] == []
    for stem in LINKED:
        variants = bundled[stem].variants
        assert all(any(m.made_by for m in v.protocol.materials.values())
                   for v in variants if v.protocol is not None), stem


def test_bundled_sample_links_follow_the_sample(bundled: dict[str, FileResult]) -> None:
    links = {v.name: v.protocol.materials["sample"].made_by
             for v in bundled["plqy-solid-film"].variants if v.protocol is not None}
    oda = links["film[sample=oda-ss]"]
    assert oda is not None
    assert (oda.protocol, oda.variant, oda.product) == (
        "mn-cdse13-ss-diamine", "chain[diamine=ODA]", "ss")
    ribbons = links["film[sample=ba-nr]"]
    assert ribbons is not None
    assert (ribbons.protocol, ribbons.variant, ribbons.product) == (
        "mn-msc-monoamine", "cdse-ba-nr", "grown")


def test_sheet_prints_the_link(bundled: dict[str, FileResult]) -> None:
    result = bundled["ag18-surface-defects"]
    assert result.base is not None
    md = render_sheet(result, result.base, "md")
    row = next(line for line in md.splitlines() if line.startswith("| ag18\\_solution |"))
    assert "(reactant); made by protocol ag18-cluster, product 'ag18' |" in row
    sample = next(line for line in md.splitlines() if line.startswith("| sample |"))
    assert "made by protocol mn-msc-bda, variant ss\\[x=0\\], product 'product'" in sample
    html = render_sheet(result, result.base, "html")
    assert ('<div class="note made-by">made by protocol ag18-cluster, product &#39;ag18&#39;'
            '</div>') in html


def test_sheet_of_a_material_without_a_link_says_nothing(bundled: dict[str, FileResult]) -> None:
    result = bundled["ag18-cluster"]
    assert result.base is not None
    assert "made by" not in render_sheet(result, result.base, "md")


# --- the .eln export ----------------------------------------------------------------------------

DATE = datetime(2026, 1, 2, tzinfo=UTC)


def _datasets(data: bytes) -> dict[str, dict[str, object]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        name = next(n for n in archive.namelist() if n.endswith("ro-crate-metadata.json"))
        graph = json.loads(archive.read(name))["@graph"]
    return {e["@id"]: e for e in graph if e.get("@type") == "Dataset"}


def test_export_links_the_record_of_the_protocol_that_makes_it(tmp_path: Path) -> None:
    write(tmp_path, "{protocol: brine, variant: strong, product: crystals}")
    results, _ = validate_paths([tmp_path])
    records = {r.slug: r for r in records_for(results, date=DATE)}
    # One entry per protocol file: variant 'strong' is inside brine's entry.
    assert records["pickles"].based_on == ("brine",)
    assert records["brine"].based_on == ()
    quantity = next(q for q in records["pickles"].quantities if q.property_id == "brine.volume")
    assert "made by protocol brine, variant strong, product 'crystals'" in quantity.description
    data = build_eln_bytes(list(records.values()), archive_name="linked", date=DATE)
    assert _datasets(data)["./pickles/"]["isBasedOn"] == [{"@id": "./brine/"}]
    assert "isBasedOn" not in _datasets(data)["./brine/"]


def test_export_without_the_other_protocol_keeps_only_the_description(tmp_path: Path) -> None:
    user = write(tmp_path, "{protocol: brine, product: brine}", with_brine=False)
    results, _ = validate_paths([user])
    (record,) = records_for(results, date=DATE)
    assert record.based_on == ()
    assert any("made by protocol brine" in q.description for q in record.quantities)


def test_export_of_a_link_to_a_series_points_at_the_protocols_entry(tmp_path: Path) -> None:
    # The whole series is one entry (its variants attached), so a link to it names that entry.
    write(tmp_path, "{protocol: brine, variant: series}")
    results, _ = validate_paths([tmp_path])
    records = {r.slug: r for r in records_for(results, date=DATE)}
    assert records["pickles"].based_on == ("brine",)


def test_writer_refuses_a_link_to_a_record_not_in_the_archive(tmp_path: Path) -> None:
    from dataclasses import replace

    write(tmp_path, "{protocol: brine}")
    results, _ = validate_paths([tmp_path])
    records = [replace(r, based_on=("elsewhere",)) if r.slug == "pickles" else r
               for r in records_for(results, date=DATE)]
    with pytest.raises(ElnWriteError,
                       match=r"based_on\[0\]: 'elsewhere' is not another record of this"):
        build_eln_bytes(records, archive_name="linked", date=DATE)
