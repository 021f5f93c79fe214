"""What the hazard and identity rules keep between calls gives what working it out afresh
gives: a reagent's statements are kept per reagent and handling (a powder of a cadmium
compound carries the group's H350, the same reagent in solution does not), and ID105 looks
only at ids that some reagent of the library abbreviates to."""

from __future__ import annotations

from benchsheet.chemistry.formula import parse_formula
from benchsheet.chemistry.hazards import UsedReagent, hazard_statements
from benchsheet.chemistry.resolve import ResolvedReagent
from benchsheet.reagents.library import GHS
from protocol_text import validate_body, with_code


def _cadmium_clusters() -> ResolvedReagent:
    return ResolvedReagent(
        "cadmium selenide clusters", None, (), parse_formula("Cd13Se13"), None, None, None,
        None, "solid", None, GHS("Danger", ("H331", "H301"), ("GHS06",), "supplier label"))


def _codes(used: list[UsedReagent]) -> dict[str, tuple[str, ...]]:
    return {use.code: use.reagents for use in hazard_statements(used)}


def test_one_reagent_as_powder_and_in_solution_keeps_each_handling_apart() -> None:
    clusters = _cadmium_clusters()
    solid = UsedReagent(clusters, ("x",), "solid")
    liquid = UsedReagent(clusters, ("x",), "liquid")
    # Asked in either order, with the same reagent object: the group statement is the
    # powder's alone, and the label's codes are in both, sorted by code.
    for _ in range(2):
        assert _codes([liquid]) == {"H301": ("cadmium selenide clusters",),
                                    "H331": ("cadmium selenide clusters",)}
        assert _codes([solid]) == {
            "H301": ("cadmium selenide clusters",),
            "H331": ("cadmium selenide clusters",),
            "H350": ("cadmium selenide clusters, as a cadmium compound",)}
        assert list(_codes([solid])) == ["H301", "H331", "H350"]


def test_a_carrier_is_named_once_per_statement() -> None:
    clusters = _cadmium_clusters()
    solid = UsedReagent(clusters, ("x",), "solid")
    again = UsedReagent(clusters, ("y",), "solid")
    assert _codes([solid, again])["H350"] == (
        "cadmium selenide clusters, as a cadmium compound",)


_BODY = """
    materials:
      {mid}:
        reagent: triethylphosphine
        amount: 0.1 mL
        role: reactant
      solvent:
        reagent: toluene
        amount: 5 mL
        role: solvent
    vessels:
      flask: {{kind: flask, volume: 50 mL, atmosphere: argon}}
    steps:
      - {{action: add, materials: [{mid}, solvent], to: flask}}
    """


def test_an_abbreviation_of_another_reagent_is_still_reported() -> None:
    found = with_code(validate_body(_BODY.format(mid="TOP")), "ID105")
    assert [f.message for f in found] == [
        "material id 'TOP' is triethylphosphine, but 'TOP' also names trioctylphosphine"]


def test_an_id_no_reagent_abbreviates_to_is_not() -> None:
    assert with_code(validate_body(_BODY.format(mid="phosphine")), "ID105") == []
