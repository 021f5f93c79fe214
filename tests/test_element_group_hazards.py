"""A powder of a cadmium, beryllium, nickel, inorganic arsenic or lead compound is handled as
a category-1 CMR whatever its own label says (IARC Monographs 100C, 2012: cadmium and its
compounds, beryllium and its compounds, nickel compounds, inorganic arsenic are group 1; CLP
Annex VI 082-001-00-6: lead compounds Repr. 1A). A new material's supplier label (a cluster
classified only as a metal selenide, H301/H331/H373/H410) is not enough."""

from __future__ import annotations

import pytest

from benchsheet.chemistry.hazards import hazard_flags
from protocol_text import validate_body, with_code


def _body(name: str, formula: str, phase: str, h_codes: str, amount: str) -> str:
    return f"""
        materials:
          x:
            reagent:
              name: {name}
              formula: {formula}
              phase: {phase}
              hazards: {{signal_word: Danger, h_codes: [{h_codes}], pictograms: [GHS06],
                        source: supplier label}}
            amount: {amount}
            role: reactant
        vessels:
          vial: {{kind: vial, volume: 20 mL}}
        steps:
          - {{action: add, materials: [x], to: vial}}
        """


def _cmr_findings(body: str) -> list[str]:
    return [f.message for f in with_code(validate_body(body), "HZ105")]


def test_cadmium_selenide_powder_gets_the_cmr_controls() -> None:
    found = _cmr_findings(_body("cadmium selenide clusters", "Cd13Se13", "solid",
                                "H301, H331, H373, H410", "5 mg"))
    assert len(found) == 1
    assert "a cadmium compound" in found[0]
    assert "Weigh powders in the fume hood" in found[0]


def test_the_statement_list_carries_the_group_statement() -> None:
    result = validate_body(_body("cadmium selenide clusters", "Cd13Se13", "solid",
                                 "H301, H331, H373, H410", "5 mg"))
    statements = with_code(result, "HZ101")[0].message
    assert "H350 May cause cancer (cadmium selenide clusters, as a cadmium compound)" in \
        statements


@pytest.mark.parametrize(("name", "formula"), [
    ("zinc selenide", "ZnSe"),            # no group element
    ("nickel powder", "Ni"),              # nickel metal is IARC 2B, not in the group
    ("arsenobetaine", "C5H11AsO2"),       # organic arsenic: not inorganic arsenic
])
def test_not_in_a_group(name: str, formula: str) -> None:
    assert _cmr_findings(_body(name, formula, "solid", "H302", "5 mg")) == []


def test_a_label_that_already_says_cmr_is_not_doubled() -> None:
    found = _cmr_findings(_body("cadmium chloride", "CdCl2", "solid", "H350, H340", "5 mg"))
    assert len(found) == 1  # the label's own flag, not a second one from the group
    assert "category 1" in found[0]


def test_a_dispersion_is_not_a_powder() -> None:
    """Only a solid is weighed as a powder: the same clusters handled as a dispersion (by
    syringe) get no group flag; as a solid they do."""
    from benchsheet.chemistry.formula import parse_formula
    from benchsheet.chemistry.hazards import UsedReagent
    from benchsheet.chemistry.resolve import ResolvedReagent

    reagent = ResolvedReagent("CdSe clusters", None, (), parse_formula("CdSe"), None,
                              191.4, None, None, "solid", None, None)
    assert [f.kind for f in hazard_flags(UsedReagent(reagent, ("x",), "liquid"))] == []
    assert [f.kind for f in hazard_flags(UsedReagent(reagent, ("x",), "solid"))] == ["cmr"]
