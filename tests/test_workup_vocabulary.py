"""Words of an ordinary work-up that the format refused: a material added to quench a reaction
(``role: quench``: saturated NH4Cl, ice, dilute acid) and a transfer done drop by drop
(``dropwise`` on ``transfer``/``inject``, as ``add`` has had). Both were found writing the
second lab's nitration (tests/second_lab/methyl-nitrobenzoate-nitration.yaml).

Hand calculation used below (IUPAC 2021 atomic weights C 12.011, H 1.008, O 15.999;
benzaldehyde 1.041 g/mL at 25 °C, the reagent database's figure, which the library takes):
  benzaldehyde  1.02 mL × 1.041 g/mL = 1.0618 g ÷ 106.124 g/mol = 10.01 mmol
  n-BuLi        2.5 M × 4.4 mL                                 = 11.0 mmol
  HCl (quench)  1.0 M × 5.0 mL                                 =  5.0 mmol (under-dosed)
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from benchsheet.chemistry.substrate import reaction_substrate
from benchsheet.render.words import describe_step
from protocol_text import HEADER, validate_body, with_code

SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "protocol.schema.json"
C, H, OX = 12.011, 1.008, 15.999

BODY = """\
    materials:
      PhCHO: {reagent: benzaldehyde, amount: 1.02 mL, role: reactant}
      THF: {reagent: tetrahydrofuran, amount: 20 mL, role: solvent}
      nBuLi: {reagent: n-butyllithium, concentration: 2.5 M, solvent: hexane, amount: 4.4 mL,
              role: reactant}
      HCl: {reagent: hydrogen-chloride, concentration: 1.0 M, solvent: water, amount: 5.0 mL,
            role: ROLE}
    vessels:
      flask: {kind: two-neck round-bottom flask with septum, volume: 100 mL}
      funnel: {kind: dropping funnel, volume: 25 mL}
    steps:
      - {action: add, materials: [THF, PhCHO], to: flask, atmosphere: argon}
      - {action: cool, vessel: flask, temperature: -78 degC, method: dry ice}
      - {action: add, materials: [nBuLi], to: flask, over: 10 min, keep_below: -70 degC}
      - {action: warm, vessel: flask, temperature: 0 degC, over: 30 min}
      - {action: add, materials: [HCl], to: funnel}
      - {action: transfer, from: funnel, into: flask, DROPWISE over: 10 min}
      - {action: stir, vessel: flask, temperature: 25 degC, duration: 10 min, product: alcohol}
    products:
      alcohol:
        name: 1-phenylpentan-1-ol
        formula: C11H16O
        main: true
        reaction:
          reactants: {PhCHO: 1, nBuLi: 1, HCl: 1}
          byproducts: {LiCl: 1}
    """


def _body(role: str = "quench", dropwise: str = "dropwise: true,") -> str:
    return BODY.replace("ROLE", role).replace("DROPWISE", dropwise)


def test_quench_is_a_role() -> None:
    result = validate_body(_body())
    assert not with_code(result, "SC104")
    (variant,) = result.variants
    assert variant.protocol is not None
    assert variant.protocol.materials["HCl"].role == "quench"
    # A role the format does not have is still refused.
    assert with_code(validate_body(_body(role="quencher")), "SC104")


def test_schema_takes_the_quench_role_and_a_dropwise_transfer() -> None:
    """What editors and check-jsonschema read (the committed schema) agrees with the models."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    checker = jsonschema.Draft202012Validator(schema)

    def errors(body: str) -> list[str]:
        data = yaml.safe_load(HEADER + textwrap.dedent(body))
        as_json = json.loads(json.dumps(data, default=str))  # dates as text, as YAML tools do
        return [e.message for e in checker.iter_errors(as_json)]

    assert errors(_body()) == []
    assert errors(_body(role="quencher"))
    assert errors(_body(dropwise="dropwise: often,"))


def test_a_quench_is_never_taken_for_the_substrate() -> None:
    """An under-dosed quench (5.0 mmol HCl for 10.01 mmol of alkoxide) has the fewest moles
    per coefficient: it limits the alcohol, and the balance says so, but the substrate that
    mol % and equivalents would count against stays the aldehyde. As an acid, the same
    material would be taken for the substrate."""
    n_aldehyde = 1.02 * 1.041 / (7 * C + 6 * H + OX)  # 10.01 mmol
    for role, substrate in (("quench", "PhCHO"), ("acid", "HCl")):
        (variant,) = validate_body(_body(role=role)).variants
        assert variant.protocol is not None
        assert variant.amounts is not None
        assert variant.amounts.materials["PhCHO"].moles.nominal == pytest.approx(  # type: ignore[union-attr]
            n_aldehyde, rel=1e-3)
        assert variant.amounts.balances["alcohol"].limiting == ("HCl",)  # 5.0 < 10.01, 11.0
        found = reaction_substrate(variant.protocol, variant.amounts)
        assert found is not None
        assert (found.material_id, found.declared) == (substrate, False)


def test_a_dropwise_transfer_says_so_on_the_sheet() -> None:
    for dropwise, expected in (("dropwise: true,", True), ("", False)):
        (variant,) = validate_body(_body(dropwise=dropwise)).variants
        assert variant.protocol is not None
        assert variant.amounts is not None
        transfer = variant.protocol.steps[5]
        text = describe_step(transfer, variant.amounts)
        assert text.startswith("Transfer the contents of funnel into flask")
        assert ("into flask dropwise, over 10 min" in text) is expected
