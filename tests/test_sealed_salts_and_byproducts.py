"""What a sealed, heated vessel's pressure counts, for solvothermal syntheses: a metal salt
gives no vapour, even molten in its own water of crystallisation (zinc nitrate hexahydrate
melts at 36 °C), so it is no 'no data' warning (PH107); and a by-product that is a liquid at
the bench (water, nitric acid) stays in the vessel's liquid instead of being counted as gas,
while one that is a gas at the bench (CO2) is still released."""

from __future__ import annotations

from benchsheet.chemistry.gas_release import byproduct_releases
from protocol_text import findings_of, with_code

# Normal boiling points, K (CRC Handbook): water, nitric acid, carbon dioxide (sublimes).
BOILING_K = {"H2O": 373.15, "HNO3": 356.0, "CO2": 194.7}


def _is_gas(formula: str, t_k: float) -> bool:
    return t_k > BOILING_K[formula]


def test_a_liquid_byproduct_stays_in_the_liquid_of_a_sealed_vessel() -> None:
    byproducts = {"HNO3": 6.0, "H2O": 6.0, "CO2": 1.0}
    open_vessel = byproduct_releases("p", byproducts, 0.001, 453.15, _is_gas)
    sealed = byproduct_releases("p", byproducts, 0.001, 453.15, _is_gas, condensed=True)
    assert sorted(r.formula for r in open_vessel) == ["CO2", "H2O", "HNO3"]
    assert [(r.formula, r.moles) for r in sealed] == [("CO2", 0.001)]


PROTOCOL = """\
materials:
  salt: SALT
  DMF: {reagent: "N,N-dimethylformamide", amount: 10 mL, role: solvent}
vessels:
  vial: {kind: screw-cap vial, volume: 20 mL, pressure_rating: 10 bar gauge}
steps:
  - {action: add, materials: [salt, DMF], to: vial}
  - {action: seal, vessel: vial}
  - {action: heat, vessel: vial, temperature: 120 degC, duration: 24 h}
"""

ZINC_NITRATE = "{reagent: zinc-nitrate-hexahydrate, amount: 0.30 g, role: precursor}"
# A made-up organic solid with a melting point and no boiling point or vapour data.
ORGANIC = ("{reagent: {name: an organic solid, formula: C12H10O2, phase: solid, "
           "melting_point: 80 degC, hazards: {h_codes: [], source: test}}, amount: 0.30 g}")


def test_a_molten_metal_salt_is_no_missing_vapour_data() -> None:
    """Zn(NO3)2·6H2O (mp 36 °C, no boiling point) in DMF at 120 °C: nothing unknown."""
    found = findings_of(PROTOCOL.replace("SALT", ZINC_NITRATE))
    assert not with_code(found, "PH107")
    assert with_code(found, "PH105")


def test_a_molten_organic_solid_without_data_is_still_reported() -> None:
    """An organic solid melted at 120 °C may well have a vapour: PH107 names it."""
    (found,) = with_code(findings_of(PROTOCOL.replace("SALT", ORGANIC)), "PH107")
    assert "no data for salt" in found.message
