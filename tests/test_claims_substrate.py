"""Mol %, loadings and equivalents count against the substrate a reaction converts.

The paper's case (Baek et al., Nat. Mater. 2021): 3.8–5.3 mg of clusters and 100 mg of TBAB in
3 mL of propylene oxide under one CO₂ charge that limits the run. Against the CO₂ the loadings
read as if the gas were the substrate; against the epoxide the cluster is 0.004–0.006 mol % and
TBAB 0.73 mol %. The other field: a rhodium hydrogenation under one H₂ charge.
"""

from __future__ import annotations

import textwrap

import pytest

from benchsheet.chemistry.substrate import reaction_substrate
from benchsheet.render.view import material_rows
from benchsheet.validate import VariantResult
from protocol_text import validate_body

# IUPAC/CIAAW 2021 standard atomic weights (abridged values where the weight is an interval).
CD, ZN, SE, MN = 112.414, 65.38, 78.971, 54.938043
C, H, N, OX, BR, RH, CL = 12.011, 1.008, 14.007, 15.999, 79.904, 102.90549, 35.453
CORE_M = 6.190 * CD + 6.190 * ZN + 0.619 * MN + 13 * SE  # 2161.17 g/mol
TBAB_M = 16 * C + 36 * H + N + BR  # C16H36BrN, 322.37 g/mol
# 3 mL PO at 0.823 g/mL (25 °C, as the library records it) / 58.080 g/mol = 42.51 mmol.
N_PO = 3 * 0.823 / (3 * C + 6 * H + OX)


def _variant(body: str) -> VariantResult:
    result = validate_body(body)
    (variant,) = result.variants
    assert variant.protocol is not None
    assert variant.amounts is not None
    return variant


def _equivalents(variant: VariantResult) -> dict[str, str]:
    assert variant.amounts is not None
    rows = material_rows(variant.amounts, protocol=variant.protocol)
    return {row.id: row.equivalents for row in rows}


def _mol_percent(text: str) -> tuple[float, float]:
    numbers = text.removesuffix(" mol %").split("–")
    return float(numbers[0]), float(numbers[-1])


CYCLOADDITION = """\
    materials:
      PO: {reagent: propylene oxide, amount: 3 mL, role: substrate}
      cat:
        reagent: {name: MnCdZnSe cluster, formula: Cd6.190Zn6.190Mn0.619Se13}
        amount: 3.8–5.3 mg
        role: catalyst
      TBAB: {reagent: tetrabutylammonium bromide, amount: 100 mg, role: cocatalyst}
      CO2:
        reagent: carbon dioxide
        role: reactant
        gas: {mode: charge, pressure: 3 bar gauge, vessel: reactor, temperature: 25 degC}
    vessels:
      reactor: {kind: Parr reactor, volume: 150 mL, closed: true}
    steps:
      - {action: add, materials: [PO, cat, TBAB], to: reactor}
      - {action: pressurize, vessel: reactor, gas: CO2, pressure: 3 bar gauge}
      - {action: hold, vessel: reactor, temperature: 70 degC, duration: 6 h, product: PC}
    products:
      PC:
        name: propylene carbonate
        formula: C4H6O3
        reaction: {reactants: {PO: 1, CO2: 1}, catalysts: [cat, TBAB]}
    """


def test_loadings_of_the_paper_against_propylene_oxide() -> None:
    variant = _variant(CYCLOADDITION)
    assert variant.amounts is not None
    assert variant.protocol is not None
    found = reaction_substrate(variant.protocol, variant.amounts)
    assert found is not None
    assert (found.material_id, found.declared, found.is_limiting) == ("PO", False, False)
    assert found.limiting == ("CO2",)  # one charge of 24.3 mmol limits the run
    eq = _equivalents(variant)
    low, high = _mol_percent(eq["cat"])
    # 3.8 mg / 2161.17 g/mol / 42.51 mmol = 0.00414 mol %; 5.3 mg: 0.00577 mol %
    assert low == pytest.approx(100 * 3.8e-3 / CORE_M / N_PO, rel=2e-3)
    assert high == pytest.approx(100 * 5.3e-3 / CORE_M / N_PO, rel=2e-3)
    # 100 mg / 322.37 g/mol = 0.3102 mmol, 0.730 mol % of 42.51 mmol
    assert _mol_percent(eq["TBAB"])[0] == pytest.approx(100 * 0.1 / TBAB_M / N_PO, rel=2e-3)
    assert eq["PO"] == "1.00"


def test_declared_substrate_is_the_reference() -> None:
    body = CYCLOADDITION.replace("catalysts: [cat, TBAB]}", "catalysts: [cat, TBAB], "
                                 "substrate: PO}")
    variant = _variant(body)
    assert variant.amounts is not None
    assert variant.protocol is not None
    found = reaction_substrate(variant.protocol, variant.amounts)
    assert found is not None
    assert found.declared
    assert found.material_id == "PO"


def test_substrate_that_is_not_a_reactant_is_refused_with_a_finding() -> None:
    body = CYCLOADDITION.replace("catalysts: [cat, TBAB]}", "catalysts: [cat, TBAB], "
                                 "substrate: TBAB}")
    result = validate_body(body)
    found = [f for f in result.findings if "substrate" in f.message and f.code.startswith("SC")]
    assert found, [f.message for f in result.findings]
    assert "must be one of its reactants" in found[0].message


def test_a_solid_limiting_reagent_stays_the_reference() -> None:
    # With 0.3 mL of PO (4.25 mmol) the 24.3 mmol CO2 charge is in excess: the epoxide limits,
    # the substrate and the limiting reagent are one, and equivalents read as before.
    variant = _variant(CYCLOADDITION.replace("amount: 3 mL", "amount: 0.3 mL"))
    assert variant.amounts is not None
    assert variant.protocol is not None
    found = reaction_substrate(variant.protocol, variant.amounts)
    assert found is not None
    assert found.is_limiting
    assert _equivalents(variant)["PO"] == "1.00"


# --- another field: a hydrogenation under one H2 charge -------------------------------------------

RH_DIMER_M = 16 * C + 24 * H + 2 * CL + 2 * RH  # [Rh(cod)Cl]2, 493.09 g/mol

HYDROGENATION = textwrap.dedent("""\
    materials:
      styrene: {reagent: {name: styrene, formula: C8H8}, amount: 10 mmol, role: substrate}
      rh: {reagent: {name: "chloro(1,5-cyclooctadiene)rhodium(I) dimer", formula: C16H24Cl2Rh2},
           amount: 2.466 mg, role: catalyst}
      H2:
        reagent: hydrogen
        role: reactant
        gas: {mode: charge, pressure: 2 bar gauge, vessel: autoclave, temperature: 25 degC}
    vessels:
      autoclave: {kind: autoclave, volume: 25 mL, closed: true}
    steps:
      - {action: add, materials: [styrene, rh], to: autoclave}
      - {action: pressurize, vessel: autoclave, gas: H2, pressure: 2 bar gauge}
      - {action: hold, vessel: autoclave, temperature: 25 degC, duration: 2 h, product: EB}
    products:
      EB:
        name: ethylbenzene
        formula: C8H10
        reaction: {reactants: {styrene: 1, H2: 1}, catalysts: [rh]}
    """)


def test_hydrogenation_loading_against_the_alkene_not_the_hydrogen() -> None:
    # 3.01 bar abs of H2 in 25 mL at 25 °C is about 3.0 mmol, less than the 10 mmol of styrene:
    # H2 limits. The loading is still of the alkene: 2.466 mg / 493.09 g/mol = 5.001 µmol of
    # dimer, 0.0500 mol % of 10 mmol.
    variant = _variant(HYDROGENATION)
    assert variant.amounts is not None
    assert variant.protocol is not None
    assert variant.amounts.balances["EB"].limiting == ("H2",)
    eq = _equivalents(variant)
    assert _mol_percent(eq["rh"])[0] == pytest.approx(100 * 2.466e-3 / RH_DIMER_M / 10e-3,
                                                      rel=2e-3)
    assert eq["styrene"] == "1.00"


AMIDE = """\
    materials:
      acid: {reagent: benzoic-acid, amount: 1.221 g, role: substrate}
      amine: {reagent: butylamine, amount: 0.5485 g, role: reactant}
      DCM: {reagent: dichloromethane, amount: 20 mL, role: solvent}
    vessels:
      flask: {kind: flask, volume: 100 mL}
    steps:
      - {action: add, materials: [DCM, acid, amine], to: flask}
      - {action: stir, vessel: flask, duration: 1 h, product: salt}
    products:
      salt:
        name: butylammonium benzoate
        formula: C11H17NO2
        reaction: {reactants: {acid: 1, amine: 1}%s}
    """
# 1.221 g / 122.123 g/mol = 10.00 mmol benzoic acid; 0.5485 g / 73.139 g/mol = 7.50 mmol amine.
N_ACID = 1.221 / (7 * C + 6 * H + 2 * OX)
N_AMINE = 0.5485 / (4 * C + 11 * H + N)


def test_a_limiting_liquid_reactant_stays_the_reference_unless_declared() -> None:
    # Inferred, the substrate does not displace a limiting reagent that is neither gas nor
    # solvent: the acid reads 10.00 / 7.50 = 1.33 equivalents of the limiting amine.
    eq = _equivalents(_variant(AMIDE % ""))
    assert float(eq["acid"]) == pytest.approx(N_ACID / N_AMINE, abs=5e-3)
    assert eq["amine"] == "1.00"
    # Declared, it is the reference: the amine is 0.750 equivalents.
    eq = _equivalents(_variant(AMIDE % ", substrate: acid"))
    assert eq["acid"] == "1.00"
    assert float(eq["amine"]) == pytest.approx(N_AMINE / N_ACID, abs=5e-4)
