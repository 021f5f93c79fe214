"""Stoichiometry checks (ST1xx): every expected number is computed here from sourced constants.

Standard atomic weights are the IUPAC/CIAAW 2021 values (Pure Appl. Chem. 2022); for chlorine,
whose standard atomic weight is the interval [35.446, 35.457], 35.453 is used (the value the
formula library applies), so hand and program agree to 1e-4 or better.
"""

from __future__ import annotations

import re

import pytest

from benchsheet.findings import Severity
from benchsheet.validate import validate_text
from protocol_text import validate_body, with_code

CD, MN, SE, ZN = 112.414, 54.938043, 78.971, 65.38
CL = 35.453
C, H, OX, P = 12.011, 1.008, 15.999, 30.973762  # OX: oxygen (a bare O reads as zero)

CDCL2 = CD + 2 * CL  # 183.32 g/mol
MNCL2 = MN + 2 * CL  # 125.84 g/mol (anhydrous)
PET3 = 6 * C + 15 * H + P  # triethylphosphine C6H15P, 118.16 g/mol
TEP_DENSITY = 0.802  # g/mL at 25 °C (Sigma-Aldrich specification, as the library cites it)

def _numbers(text: str, pattern: str) -> tuple[float, ...]:
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not in {text!r}"
    return tuple(float(g.replace(",", "")) for g in match.groups())


def _cluster(*, cd: str = "1.5 mmol", mn: str = "0.075 mmol", se: str = "4.5 mmol",
             dopant: str = "{element: Mn, fraction: 5 %, basis: host-cation}",
             extra_materials: str = "", product_extra: str = "") -> str:
    """A Mn-doped (CdSe)13 synthesis: metal salts and selenium into one flask."""
    materials = (
        f"  CdCl2: {{reagent: cadmium chloride, form: anhydrous, amount: {cd}, "
        "role: precursor}\n"
        f"  MnCl2: {{reagent: manganese(II) chloride, form: anhydrous, amount: {mn}, "
        "role: dopant-precursor}\n"
        f"  Se: {{reagent: selenium, amount: {se}, role: precursor}}\n"
    ) + extra_materials
    return (
        "materials:\n" + materials
        + "vessels:\n  flask: {kind: round-bottom flask, volume: 50 mL}\n"
        + "steps:\n  - {action: add, materials: [CdCl2, MnCl2, Se], to: flask}\n"
        + "products:\n  msc:\n    name: Mn-doped (CdSe)13\n    kind: cluster\n"
        + "    composition:\n      cations: {Cd: 1}\n      anions: {Se: 1}\n"
        + "      nuclearity: 13\n"
        + (f"      dopant: {dopant}\n" if dopant else "") + product_extra
    )


# --- ST101: dopant fraction on its basis ------------------------------------------------------


def test_ST101_matching_fraction_passes() -> None:
    # 0.075 mmol Mn on 1.5 mmol Cd: n(Mn)/n(Cd) = 0.05, i.e. 5 % of the host cation.
    result = validate_body(_cluster())
    assert not with_code(result, "ST101")
    assert not with_code(result, "ST102")
    amounts = result.variants[0].amounts
    assert amounts is not None
    assert amounts.element_moles("Mn").nominal / amounts.element_moles("Cd").nominal == \
        pytest.approx(0.075 / 1.5)


def test_ST101_wrong_basis_is_flagged() -> None:
    result = validate_body(_cluster(dopant="{element: Mn, fraction: 5 %, basis: all-cations}"))
    (found,) = with_code(result, "ST101")
    on_all = 0.075 / (1.5 + 0.075)  # 4.76 % of all cations
    on_host = 0.075 / 1.5  # 5 % of the host, the other basis
    declared, actual, mn, host = _numbers(
        found.message, r"declared as ([\d.]+) % \(all-cations\) but the amounts give "
        r"([\d.]+) %: ([\d.]+) mmol Mn on ([\d.]+) mmol host")
    assert declared == pytest.approx(5)
    assert actual == pytest.approx(100 * on_all, abs=0.005)  # 4.76
    assert (mn, host) == (pytest.approx(0.075), pytest.approx(1.5))
    (other,) = _numbers(found.hint, r"give ([\d.]+) % on the other basis")
    assert other == pytest.approx(100 * on_host)
    assert "basis: host-cation" in found.hint
    assert found.severity.name == "ERROR"
    assert found.yaml_path == "products.msc.composition.dopant.fraction"


def test_ST101_wrong_amount_gets_no_basis_hint() -> None:
    # 0.15 mmol Mn is 10 % of the host and 9.09 % of all cations: neither basis gives 5 %.
    (found,) = with_code(validate_body(_cluster(mn="0.15 mmol")), "ST101")
    (actual,) = _numbers(found.message, r"the amounts give ([\d.]+) %")
    assert actual == pytest.approx(100 * 0.15 / 1.5, abs=0.005)
    assert "other basis" not in found.hint


# --- ST102: dopant fraction without a basis ---------------------------------------------------


def test_ST102_no_basis_gives_both_numbers() -> None:
    result = validate_body(_cluster(dopant="{element: Mn, fraction: 5 %}"))
    (found,) = with_code(result, "ST102")
    on_host, on_all = _numbers(found.message, r"Mn is ([\d.]+) % of the host cation but "
                               r"([\d.]+) % of all cations")
    assert on_host == pytest.approx(100 * 0.075 / 1.5)  # 5 %
    assert on_all == pytest.approx(100 * 0.075 / 1.575, abs=0.005)  # 4.76 %
    assert found.severity.name == "WARNING"
    assert not with_code(result, "ST101")  # without a basis there is nothing to compare


def test_ST102_stated_basis_passes() -> None:
    assert not with_code(validate_body(_cluster()), "ST102")


# --- ST103: alloy fraction --------------------------------------------------------------------


def _alloy(cd: str, zn: str) -> str:
    return f"""\
        materials:
          CdCl2: {{reagent: cadmium chloride, form: anhydrous, amount: {cd}, role: precursor}}
          ZnCl2: {{reagent: zinc chloride, form: anhydrous, amount: {zn}, role: precursor}}
          Se: {{reagent: selenium, amount: 4.5 mmol, role: precursor}}
        vessels:
          flask: {{kind: round-bottom flask, volume: 50 mL}}
        steps:
          - {{action: add, materials: [CdCl2, ZnCl2, Se], to: flask}}
        products:
          alloy:
            name: (Cd0.5Zn0.5Se)13
            kind: cluster
            composition: {{cations: {{Cd: 0.5, Zn: 0.5}}, anions: {{Se: 1}}, nuclearity: 13}}
        """


def test_ST103_equal_metals_match_x_half() -> None:
    result = validate_body(_alloy("0.75 mmol", "0.75 mmol"))
    assert not with_code(result, "ST103")
    amounts = result.variants[0].amounts
    assert amounts is not None
    # x = n(Zn)/(n(Cd)+n(Zn)) = 0.75/1.5 = 0.5
    assert amounts.element_moles("Zn").nominal / (
        amounts.element_moles("Cd").nominal + amounts.element_moles("Zn").nominal
    ) == pytest.approx(0.5)


def test_ST103_unequal_metals_are_flagged() -> None:
    result = validate_body(_alloy("0.5 mmol", "1.0 mmol"))
    found = {f.path[-1]: f for f in with_code(result, "ST103")}
    assert set(found) == {"Cd", "Zn"}
    total = 0.5 + 1.0
    for element, moles in (("Cd", 0.5), ("Zn", 1.0)):
        declared, actual, n, n_total = _numbers(
            found[element].message, r"declared as ([\d.]+) of the host cations but the amounts "
            r"give ([\d.]+) \(([\d.]+) of ([\d.]+) mmol\)")
        assert declared == pytest.approx(0.5)
        assert actual == pytest.approx(moles / total, abs=5e-4)  # 0.333 and 0.667
        assert (n, n_total) == (pytest.approx(moles), pytest.approx(total))


# --- ST104: limiting reagent and excess -------------------------------------------------------


def test_ST104_selenium_excess_over_the_metals() -> None:
    result = validate_body(_cluster())
    (found,) = with_code(result, "ST104")
    # The Mn:(CdSe)13 formula unit is Cd(1/1.05) Mn(0.05/1.05) Se: 1.5 mmol Cd and 0.075 mmol Mn
    # each allow 1.5 × 1.05 = 1.575 mmol formula units; Se allows 4.5 mmol, 4.5/1.575 = 2.857×.
    units = 1.5 * 1.05
    assert "limited by Cd/Mn (from CdCl2, MnCl2)" in found.message
    (excess,) = _numbers(found.message, r"excess: Se ([\d.]+)×")
    assert excess == pytest.approx(4.5 / units, abs=0.005)
    amounts = result.variants[0].amounts
    assert amounts is not None
    balance = amounts.balances["msc"]
    assert balance.limiting == ("Cd", "Mn")
    assert balance.formula_units is not None
    assert balance.formula_units.nominal == pytest.approx(units * 1e-3)
    assert balance.excess()["Se"].nominal == pytest.approx(4.5 / units)  # 2.857


def test_ST104_selenium_limits_when_short() -> None:
    # 1.0 mmol Se against 1.575 mmol of metal sites: Se limits; Cd excess 1.5/(1.0/1.05).
    (found,) = with_code(validate_body(_cluster(se="1.0 mmol")), "ST104")
    assert "limited by Se (from Se)" in found.message
    cd, mn = _numbers(found.message, r"excess: Cd ([\d.]+)×, Mn ([\d.]+)×")
    assert cd == pytest.approx(1.575 / 1.0, abs=0.005)
    assert mn == pytest.approx(1.575 / 1.0, abs=0.005)


def test_ST104_nothing_to_balance_is_silent() -> None:
    body = """\
        materials:
          EtOH: {reagent: ethanol, amount: 5 mL, role: solvent}
        vessels:
          vial: {kind: vial, volume: 20 mL}
        steps:
          - {action: add, materials: [EtOH], to: vial}
        """
    assert not with_code(validate_body(body), "ST104")


# --- ST105: a needed input is missing ---------------------------------------------------------


def test_ST105_zinc_product_without_zinc_salt() -> None:
    body = _alloy("0.75 mmol", "0.75 mmol").replace(
        "          ZnCl2: {reagent: zinc chloride, form: anhydrous, amount: 0.75 mmol, "
        "role: precursor}\n", "").replace("[CdCl2, ZnCl2, Se]", "[CdCl2, Se]")
    (found,) = with_code(validate_body(body), "ST105")
    assert found.message == "'alloy': no input supplies Zn"
    assert found.severity.name == "ERROR"


def test_ST105_a_reactant_measured_by_volume_without_a_density_says_so() -> None:
    """Phenylacetylene comes from the reagent database, which has no measured density for it:
    1.21 mL of it gives no moles, and ST105 says the density is what is missing (it said the
    amount was not known, and to add a material). Written with its density (0.93 g/mL, the
    figure the hint suggests), the product's limit is worked out."""
    body = """\
        materials:
          PhI: {reagent: iodobenzene, amount: 10.0 mmol, role: substrate}
          alkyne: {reagent: phenylacetylene, amount: 1.21 mL, role: reactant}
        vessels:
          flask: {kind: flask, volume: 25 mL}
        steps:
          - {action: add, materials: [PhI, alkyne], to: flask}
          - {action: stir, vessel: flask, duration: 1 h, product: tolan}
        products:
          tolan:
            name: diphenylacetylene
            formula: C14H10
            reaction:
              reactants: {PhI: 1, alkyne: 1}
              byproducts: {HI: 1}
        """
    (found,) = with_code(validate_body(body), "ST105")
    assert found.message == ("'tolan': the moles of reactant 'alkyne' cannot be worked out "
                             "without a density")
    assert "density: 0.93 g/mL" in found.hint
    dense = body.replace("amount: 1.21 mL, role: reactant",
                         "amount: 1.21 mL, density: 0.93 g/mL, role: reactant")
    assert not with_code(validate_body(dense), "ST105")


def test_ST105_all_inputs_present_passes() -> None:
    assert not with_code(validate_body(_alloy("0.75 mmol", "0.75 mmol")), "ST105")


# --- ST106: reaction balance ------------------------------------------------------------------

# g/mL at 25 °C: linear between 0.859 at 0 °C (Merck Index) and 0.830 at 20 °C (CRC), 0.8228
PO_DENSITY = 0.823  # 0.830 - (0.859 - 0.830) / 20 × 5 = 0.8228, recorded as 0.823
PO_M = 3 * C + 6 * H + OX  # C3H6O, 58.08 g/mol


def _carbonate(co2_coefficient: str = "1", co2: str = "20 mmol") -> str:
    return f"""\
        materials:
          PO: {{reagent: propylene oxide, amount: 3 mL, role: substrate}}
          CO2: {{reagent: carbon dioxide, amount: {co2}, role: reactant}}
        vessels:
          reactor: {{kind: autoclave, volume: 150 mL, closed: true}}
        steps:
          - {{action: add, materials: [PO, CO2], to: reactor}}
        products:
          PC:
            name: propylene carbonate
            formula: C4H6O3
            reaction: {{reactants: {{PO: 1, CO2: {co2_coefficient}}}}}
        """


def test_ST106_propylene_carbonate_balances() -> None:
    # C3H6O + CO2 → C4H6O3: C 3+1 = 4, H 6 = 6, O 1+2 = 3.
    result = validate_body(_carbonate())
    assert not with_code(result, "ST106")
    amounts = result.variants[0].amounts
    assert amounts is not None
    balance = amounts.balances["PC"]
    po = 3 * PO_DENSITY / PO_M  # mol: 2.468 g / 58.08 g/mol = 42.50 mmol
    assert balance.reactant_units["PO"].nominal == pytest.approx(po, rel=1e-4)
    assert balance.limiting == ("CO2",)  # 20 mmol < 42.87 mmol
    assert balance.excess()["PO"].nominal == pytest.approx(po / 20e-3, rel=1e-4)  # 2.14×


def test_ST106_wrong_coefficient_is_flagged() -> None:
    # C3H6O + 2 CO2 has C 5 and O 5 on the left against C 4 and O 3 in C4H6O3.
    (found,) = with_code(validate_body(_carbonate("2")), "ST106")
    assert "unbalanced in C (5 → 4), O (5 → 3)" in found.message
    assert found.yaml_path == "products.PC.reaction"
    # The left has C 5 − 4 = 1 and O 5 − 3 = 2 over the right: one CO2 too many, which the
    # message names as what the reactants have more (it would be the by-product, if any).
    assert "the reactants have CO2 more than the products" in found.message


def test_ST106_names_the_water_a_condensation_leaves_out() -> None:
    # Esterification without its water: C5H12O + C2H4O2 (C 7, H 16, O 3) → C7H14O2 leaves
    # H 16 − 14 = 2 and O 3 − 2 = 1, one H2O, which 'byproducts: {H2O: 1}' balances.
    body = """\
        materials:
          alcohol: {reagent: {name: isopentyl alcohol, formula: C5H12O, density: 0.810 g/mL,
                              phase: liquid, hazards: {h_codes: [], source: test}},
                    amount: 5.0 mL, role: substrate}
          AcOH: {reagent: acetic-acid, amount: 7.0 mL, role: reactant}
        vessels:
          flask: {kind: round-bottom flask, volume: 25 mL}
        steps:
          - {action: add, materials: [alcohol, AcOH], to: flask}
          - {action: stir, vessel: flask, duration: 1 h, product: ester}
        products:
          ester:
            name: isopentyl acetate
            formula: C7H14O2
            reaction: {reactants: {alcohol: 1, AcOH: 1}REST}
        """
    (found,) = with_code(validate_body(body.replace("REST", "")), "ST106")
    assert "unbalanced in H (16 → 14), O (3 → 2)" in found.message
    assert "the reactants have H2O more than the products" in found.message
    assert "byproducts ({H2O: 1})" in found.message
    assert not with_code(validate_body(body.replace("REST", ", byproducts: {H2O: 1}")), "ST106")
    # Two waters written where there is one: now the products have H2O more, so a reactant
    # (or a coefficient) is missing, and no by-product is suggested.
    (over,) = with_code(validate_body(body.replace("REST", ", byproducts: {H2O: 2}")), "ST106")
    assert "the products have H2O more than the reactants" in over.message
    assert "byproducts (" not in over.message


def test_ST106_suggests_no_formula_for_a_fraction_of_an_atom() -> None:
    # C3H6O + 1.5 CO2: C 4.5 and O 4 against C 4 and O 3, half a CO2 over: no formula to write.
    (found,) = with_code(validate_body(_carbonate("1.5")), "ST106")
    assert "unbalanced in C (4.5 → 4), O (4 → 3)" in found.message
    assert "more than the" not in found.message


def test_ST106_suggests_nothing_when_the_sides_differ_both_ways() -> None:
    # C3H6O + 2 CO2 → C4H8O3 (a wrong product formula too): C 5 → 4 and O 5 → 3 are over on
    # the left, H 6 → 8 over on the right, so no one formula is what either side lacks.
    text = _carbonate("2").replace("formula: C4H6O3", "formula: C4H8O3")
    (found,) = with_code(validate_body(text), "ST106")
    assert "unbalanced in C (5 → 4), H (6 → 8), O (5 → 3)" in found.message
    assert "more than the" not in found.message


# --- ST107 / ST108: theoretical yield and isolated mass ---------------------------------------

# Formula unit Cd(1/1.05) Mn(0.05/1.05) Se, 188.65 g/mol; 1.575 mmol of it is the limit.
UNIT_M = (CD + 0.05 * MN) / 1.05 + SE
CORE_MG = 1.575 * UNIT_M  # 297.12 mg of inorganic core


def test_ST107_cluster_theoretical_yield() -> None:
    result = validate_body(_cluster())
    (found,) = with_code(result, "ST107")
    clusters, core = _numbers(found.message, r"at most ([\d.]+) mmol clusters \(([\d.]+) mg "
                              r"of inorganic core\)")
    assert clusters == pytest.approx(1.575 / 13, abs=5e-5)  # 0.12115 mmol
    assert core == pytest.approx(CORE_MG, abs=0.05)
    amounts = result.variants[0].amounts
    assert amounts is not None
    balance = amounts.balances["msc"]
    assert balance.theoretical_moles is not None
    assert balance.theoretical_mass_g is not None
    assert balance.theoretical_moles.nominal == pytest.approx(1.575e-3 / 13, rel=1e-9)
    assert balance.unit_molar_mass == pytest.approx(UNIT_M, rel=1e-5)
    assert 1e3 * balance.theoretical_mass_g.nominal == pytest.approx(CORE_MG, rel=1e-5)


def test_ST107_no_product_no_yield() -> None:
    body = _cluster().split("products:")[0]
    assert not with_code(validate_body(body), "ST107")


def test_ST108_isolated_above_theoretical_is_flagged() -> None:
    result = validate_body(_cluster(product_extra="    isolated: 400 mg\n"))
    (found,) = with_code(result, "ST108")
    isolated, ceiling = _numbers(found.message, r"isolated mass \(([\d.]+) mg\) exceeds the "
                                 r"theoretical ([\d.]+) mg")
    assert isolated == pytest.approx(400)
    assert ceiling == pytest.approx(CORE_MG, abs=0.05)
    assert found.yaml_path == "products.msc.isolated"


def test_ST108_isolated_below_theoretical_passes() -> None:
    result = validate_body(_cluster(product_extra="    isolated: 150 mg\n"))
    assert not with_code(result, "ST108")
    (found,) = with_code(result, "ST107")
    isolated, percent = _numbers(found.message, r"isolated ([\d.]+) mg = ([\d.]+) % of")
    assert isolated == pytest.approx(150)
    assert percent == pytest.approx(100 * 150 / CORE_MG, abs=0.05)  # 50.5 %


# --- ST109 / ST110: scavenger capacity --------------------------------------------------------

SE_EXCESS = 4.5 - 1.575  # mmol Se left after 1.575 mmol formula units take one Se each


def _scavenged(amount: str, reagent: str = "triethylphosphine",
               scavenges: str = ", scavenges: {element: Se, per_mole: 1}") -> str:
    return _cluster(extra_materials=f"  PR3: {{reagent: {reagent}, amount: {amount}, "
                    f"role: scavenger{scavenges}}}\n")


def test_ST109_scavenger_too_small_is_flagged() -> None:
    (found,) = with_code(validate_body(_scavenged("0.5 mmol")), "ST109")
    capacity, excess, ratio = _numbers(
        found.message, r"takes up ([\d.]+) mmol Se but ([\d.]+) mmol Se is left over "
        r"\(([\d.]+)×\)")
    assert capacity == pytest.approx(0.5)
    assert excess == pytest.approx(SE_EXCESS)  # 2.925 mmol
    assert ratio == pytest.approx(0.5 / SE_EXCESS, abs=0.005)  # 0.17×
    (least,) = _numbers(found.hint, r"at least ([\d.]+) mmol")
    assert least == pytest.approx(SE_EXCESS, abs=0.006)
    assert not with_code(validate_body(_scavenged("0.5 mmol")), "ST110")


def test_ST110_enough_phosphine_passes() -> None:
    result = validate_body(_scavenged("3 mL"))
    assert not with_code(result, "ST109")
    (found,) = with_code(result, "ST110")
    # 3 mL × 0.802 g/mL / 118.16 g/mol = 20.36 mmol PEt3, one Se each.
    pet3 = 3 * TEP_DENSITY / PET3 * 1e3
    capacity, excess, ratio = _numbers(found.message, r"([\d.]+) mmol for ([\d.]+) mmol excess "
                                       r"Se \(([\d.]+)× enough\)")
    assert capacity == pytest.approx(pet3, abs=0.005)
    assert excess == pytest.approx(SE_EXCESS)
    assert ratio == pytest.approx(pet3 / SE_EXCESS, abs=0.05)  # 6.96, printed to 2 digits
    amounts = result.variants[0].amounts
    assert amounts is not None
    moles = amounts.materials["PR3"].moles
    assert moles is not None
    assert moles.nominal == pytest.approx(pet3 * 1e-3, rel=1e-4)
    # A scavenger is work-up: its Se-free phosphorus does not count towards the product's Se.
    assert amounts.element_moles("Se").nominal == pytest.approx(4.5e-3)


def test_ST110_exactly_enough_scavenger_is_enough() -> None:
    # Se left over: 4.5 − 1.5 × 1.05 = 2.925 mmol; 2.925 mmol PEt3 takes up one Se each, 1×.
    # (In floating point the excess is 2.9250000000000005 mmol: round-off is not a shortfall.)
    result = validate_body(_scavenged(f"{SE_EXCESS:.3f} mmol"))
    assert not with_code(result, "ST109")
    (found,) = with_code(result, "ST110")
    capacity, excess, ratio = _numbers(found.message, r"([\d.]+) mmol for ([\d.]+) mmol excess "
                                       r"Se \(([\d.]+)× enough\)")
    assert (capacity, excess) == (pytest.approx(SE_EXCESS), pytest.approx(SE_EXCESS))
    assert ratio == pytest.approx(1.0)


def test_ST110_large_ratio_is_written_out() -> None:
    # 1.6 mmol Se: the excess is 1.6 − 1.575 = 0.025 mmol against 20.36 mmol PEt3 (3 mL × 0.802
    # g/mL / 118.16 g/mol), 814× enough, printed to two figures as 810, not as 8.1e+02.
    pet3 = 3 * TEP_DENSITY / PET3 * 1e3
    excess = 1.6 - 1.575
    (found,) = with_code(validate_body(_cluster(se="1.6 mmol", extra_materials=(
        "  PR3: {reagent: triethylphosphine, amount: 3 mL, role: scavenger, "
        "scavenges: {element: Se, per_mole: 1}}\n"))), "ST110")
    assert "e+" not in found.message
    (ratio,) = _numbers(found.message, r"\(([\d.]+)× enough\)")
    assert ratio == pytest.approx(pet3 / excess, rel=0.01)  # 814.5 → 810


def test_ST104_large_excess_is_written_out() -> None:
    # 2000 mmol Se on 1.575 mmol formula units: 1270× excess, not 1.27e+03×.
    (found,) = with_code(validate_body(_cluster(se="2000 mmol")), "ST104")
    assert "e+" not in found.message
    (excess,) = _numbers(found.message, r"excess: Se ([\d.]+)×")
    assert excess == pytest.approx(2000 / 1.575, rel=5e-3)


def test_ST109_scavenger_without_moles_is_a_warning() -> None:
    body = _scavenged("3 mL", reagent="{name: mystery phosphine}")
    (found,) = with_code(validate_body(body), "ST109")
    assert "its amount in moles is not known" in found.message
    assert found.severity.name == "WARNING"


# --- ST111: scavenger that does not say what it removes ---------------------------------------


def test_ST111_unstated_scavenger_is_flagged() -> None:
    (found,) = with_code(validate_body(_scavenged("3 mL", scavenges="")), "ST111")
    assert found.message == "scavenger 'PR3' does not say what it removes"
    assert found.yaml_path == "materials.PR3.role"


def test_ST111_stated_scavenger_passes() -> None:
    assert not with_code(validate_body(_scavenged("3 mL")), "ST111")


def test_ST104_recharged_gas_is_never_the_limiting_reagent() -> None:
    # 3 bar gauge CO2 into 147 mL holds ~24.3 mmol (see test_checks_gases), less than the
    # 42.87 mmol of PO; recharged during the run, the gas is an unlimited supply, so PO limits.
    text = """\
id: recharged
title: recharged gas
version: 1.0.0
source: {section: test}
materials:
  PO: {reagent: propylene oxide, amount: 3 mL, role: reactant}
  CO2:
    reagent: carbon dioxide
    role: reagent-gas
    gas: {mode: charge, pressure: 3 bar gauge, vessel: reactor, temperature: 25 degC,
          replenished: true}
vessels:
  reactor: {kind: Parr reactor, volume: 150 mL, closed: true, pressure_rating: 100 bar gauge}
steps:
  - {action: add, materials: [PO], to: reactor}
  - {action: pressurize, vessel: reactor, gas: CO2, pressure: 3 bar gauge}
  - {action: heat, vessel: reactor, temperature: 70 degC, duration: 6 h, product: PC}
products:
  PC:
    name: propylene carbonate
    formula: C4H6O3
    reaction: {reactants: {PO: 1, CO2: 1}}
"""
    result = validate_text(text)
    balance = result.variants[0].amounts.balances["PC"]
    assert balance.limiting == ("PO",)
    # PO: 3 mL × 0.8228 g/mL (library, 25 °C) / 58.08 g/mol = 42.50 mmol → at most 42.50 mmol PC.
    assert balance.formula_units is not None
    assert balance.formula_units.nominal * 1e3 == pytest.approx(3 * PO_DENSITY / 58.08 * 1e3,
                                                                rel=0.01)
    assert not [f for f in result.findings if f.code == "GS102"]


def test_ST105_composition_naming_no_element_is_a_finding_not_a_crash() -> None:
    # A variant that puts a non-element into the composition (here through a template key)
    # must come back as ST105, never as a traceback.
    text = """\
id: bad-element
title: bad element
version: 1.0.0
source: {section: test}
parameters:
  host: {default: Xq}
materials:
  Se: {reagent: selenium, amount: 1 mmol}
vessels:
  v: {kind: vial}
steps:
  - {action: add, materials: [Se], to: v}
products:
  p:
    name: cluster
    composition: {cations: {"${host}": 1}, anions: {Se: 1}, nuclearity: 13}
"""
    result = validate_text(text)
    st105 = [f for f in result.findings if f.code == "ST105"]
    assert len(st105) == 1
    assert "unknown element" in st105[0].message
    assert "Xq" in st105[0].message


ZERO = """\
materials:
  NaCl: {reagent: {name: sodium chloride, formula: NaCl, cas: 7647-14-5, hazards: {source: none}},
         amount: AMOUNT}
  water: {reagent: water, amount: 10 mL, role: solvent}
vessels:
  vial: {kind: vial, volume: 20 mL}
steps:
  - {action: add, materials: [NaCl, water], to: vial}
"""


@pytest.mark.parametrize("amount", ["0 mg", "0 g", "0 mmol", "0.0 mol"])
def test_ST112_zero_amount_is_an_error(amount: str) -> None:
    (found,) = with_code(validate_body(ZERO.replace("AMOUNT", amount)), "ST112")
    assert found.severity is Severity.ERROR
    assert found.message == "material 'NaCl' has a zero amount"
    assert found.yaml_path == "materials.NaCl.amount"


def test_ST112_small_amount_passes() -> None:
    assert not with_code(validate_body(ZERO.replace("AMOUNT", "0.1 mg")), "ST112")


def test_ST113_reactant_without_formula_leaves_the_equation_unchecked() -> None:
    # An inline reactant with no formula: the atoms of the equation cannot be counted, which
    # must be said rather than passing as balanced.
    body = _carbonate().replace(
        "PO: {reagent: propylene oxide, amount: 3 mL, role: substrate}",
        "PO: {reagent: {name: epoxide blend, phase: liquid, hazards: {source: none}}, "
        "amount: 40 mmol, role: substrate}")
    result = validate_body(body)
    (found,) = with_code(result, "ST113")
    assert found.severity is Severity.WARNING
    assert found.message == "'PC': reactant 'PO' has no formula; the equation cannot be checked"
    assert not with_code(result, "ST106")


def test_ST113_balanced_reaction_passes() -> None:
    assert not with_code(validate_body(_carbonate()), "ST113")
