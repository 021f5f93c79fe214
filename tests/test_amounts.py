"""The amounts table of the bundled Mn:(CdSe)13 protocol against values worked out by hand.

Atomic weights: IUPAC/CIAAW 2021 (chlorine 35.453, inside its interval [35.446, 35.457]).
Purity, as amounts.py documents it: an amount in moles is of the substance itself, so the mass
weighed is n·M/purity; a mass or volume weighed is of the material as sold, so the substance is
m·purity/M.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from benchsheet.chemistry.amounts import AmountsTable
from benchsheet.validate import validate_text

CD, MN, SE, CL = 112.414, 54.938043, 78.971, 35.453
C, H, N, OX, P = 12.011, 1.008, 14.007, 15.999, 30.973762

CDCL2 = CD + 2 * CL  # 183.32 g/mol
MNCL2 = MN + 2 * CL  # 125.84 g/mol, anhydrous as the protocol states
BDA = 4 * C + 12 * H + 2 * N  # butane-1,4-diamine C4H12N2, 88.15 g/mol
PET3 = 6 * C + 15 * H + P  # triethylphosphine C6H15P, 118.16 g/mol
ETOH = 2 * C + 6 * H + OX  # 46.07 g/mol
# Densities at 25 °C as the library carries them: BDA 0.877 g/mL and PEt3 0.802 g/mL
# (Sigma-Aldrich specifications); ethanol 0.785973 g/mL (chemicals 1.5.2, VDI PPDS equation).
BDA_DENSITY, PET3_DENSITY, ETOH_DENSITY = 0.877, 0.802, 0.785973

PROTOCOL_ID = "mn-cdse13-bda-msc"


@pytest.fixture(scope="module")
def bundled(protocols_dir: Path) -> AmountsTable:
    """The bundled protocol's amounts table, found by its id (file names may change)."""
    for path in sorted(protocols_dir.glob("*.y*ml")):
        text = path.read_text(encoding="utf-8")
        if f"\nid: {PROTOCOL_ID}\n" in text:
            result = validate_text(text)
            amounts = result.variants[0].amounts
            assert amounts is not None
            return amounts
    pytest.skip(f"no protocol with id {PROTOCOL_ID} under {protocols_dir}")


def test_cadmium_chloride_by_moles_with_purity(bundled: AmountsTable) -> None:
    entry = bundled.materials["CdCl2"]
    assert entry.basis == "moles"
    assert entry.moles is not None
    assert entry.mass is not None
    assert entry.moles.nominal == pytest.approx(1.5e-3)
    # 1.5 mmol × 183.32 g/mol = 274.98 mg of CdCl2, divided by the 99.999 % purity.
    assert entry.mass.nominal == pytest.approx(1.5e-3 * CDCL2 / 0.99999, rel=1e-5)
    assert entry.mass.nominal == pytest.approx(0.27498, abs=1e-5)


def test_manganese_chloride_anhydrous(bundled: AmountsTable) -> None:
    entry = bundled.materials["MnCl2"]
    assert entry.reagent.record is not None
    assert entry.reagent.record.form == "anhydrous"
    assert entry.mass is not None
    # 0.075 mmol × 125.84 g/mol = 9.438 mg
    assert 1e3 * entry.mass.nominal == pytest.approx(0.075 * MNCL2, rel=1e-5)
    assert 1e3 * entry.mass.nominal == pytest.approx(9.438, abs=5e-4)


def test_selenium(bundled: AmountsTable) -> None:
    entry = bundled.materials["Se"]
    assert entry.mass is not None
    # 4.5 mmol × 78.971 g/mol = 355.37 mg
    assert 1e3 * entry.mass.nominal == pytest.approx(4.5 * SE, rel=1e-5)
    assert 1e3 * entry.mass.nominal == pytest.approx(355.4, abs=0.05)


def test_butanediamine_by_volume(bundled: AmountsTable) -> None:
    entry = bundled.materials["BDA_metal"]
    assert entry.basis == "volume"
    assert entry.volume is not None
    assert entry.mass is not None
    assert entry.moles is not None
    # 10 mL × 0.877 g/mL = 8.77 g; 8.77 g / 88.15 g/mol = 99.49 mmol
    assert entry.volume.nominal == pytest.approx(10)
    assert entry.mass.nominal == pytest.approx(10 * BDA_DENSITY)
    assert 1e3 * entry.moles.nominal == pytest.approx(10 * BDA_DENSITY / BDA * 1e3, rel=1e-4)
    assert 1e3 * entry.moles.nominal == pytest.approx(99.49, abs=0.005)


def test_phosphine_and_ethanol_by_volume(bundled: AmountsTable) -> None:
    tep = bundled.materials["TEP"].moles
    etoh = bundled.materials["EtOH_quench"].mass
    assert tep is not None
    assert etoh is not None
    # 3 mL × 0.802 g/mL / 118.16 g/mol = 20.36 mmol; 50 mL × 0.785973 g/mL = 39.30 g
    assert tep.nominal == pytest.approx(3 * PET3_DENSITY / PET3, rel=1e-4)
    assert etoh.nominal == pytest.approx(50 * ETOH_DENSITY, rel=1e-6)


def test_carbon_monoxide_feed_has_no_amount(bundled: AmountsTable) -> None:
    entry = bundled.materials["CO"]
    assert entry.basis == "gas-flow"  # bubbled with no flow rate: a supply, not an amount
    assert entry.moles is None
    assert entry.mass is None
    assert not bundled.gases


def test_cluster_balance(bundled: AmountsTable) -> None:
    balance = bundled.balances["msc"]
    assert balance.limiting == ("Cd", "Mn")
    assert balance.formula_units is not None
    assert balance.clusters is not None
    assert balance.theoretical_mass_g is not None
    # 5 % Mn on the host: 1.5 mmol Cd + 0.075 mmol Mn = 1.575 mmol cation sites;
    # 1.575/13 = 0.12115 mmol clusters; Se 4.5/1.575 = 2.857× excess.
    assert balance.formula_units.nominal == pytest.approx(1.575e-3)
    assert 1e3 * balance.clusters.nominal == pytest.approx(1.575 / 13)
    assert balance.excess()["Se"].nominal == pytest.approx(4.5 / 1.575)
    unit = (CD + 0.05 * MN) / 1.05 + SE  # 188.65 g/mol per formula unit
    assert balance.theoretical_mass_g.nominal == pytest.approx(1.575e-3 * unit, rel=1e-5)


def test_element_moles_exclude_work_up(bundled: AmountsTable) -> None:
    # Ethanol and the phosphine are work-up: they do not count towards the product's elements.
    assert bundled.element_moles("P").nominal == 0
    assert bundled.element_moles("P", include_workup=True).nominal == pytest.approx(
        3 * PET3_DENSITY / PET3, rel=1e-4)



def test_moles_of_materials_and_of_an_element_in_them(bundled: AmountsTable) -> None:
    # Cd + Mn: 1.5 mmol CdCl2 (99.999 % pure; its moles are of CdCl2 itself) + 0.075 mmol
    # MnCl2; chlorine in them counts two per formula: 2 × 1.575 mmol.
    metals = bundled.moles_of(["CdCl2", "MnCl2"])
    assert metals is not None
    assert metals.nominal == pytest.approx(1.575e-3, rel=1e-4)
    chlorine = bundled.moles_of(["CdCl2", "MnCl2"], "Cl")
    assert chlorine is not None
    assert chlorine.nominal == pytest.approx(2 * 1.575e-3, rel=1e-4)
    # CO is fed continuously: it has no molar amount, so no sum can include it.
    assert bundled.moles_of(["CdCl2", "CO"]) is None

# --- purity on each basis ---------------------------------------------------------------------


def _one_material(material: str) -> AmountsTable:
    text = textwrap.dedent(f"""\
        format: 1
        id: purity-test
        title: purity test
        version: 1.0.0
        source: {{section: test}}
        materials:
          m: {material}
        vessels:
          vial: {{kind: vial, volume: 20 mL}}
        steps:
          - {{action: add, materials: [m], to: vial}}
        """)
    amounts = validate_text(text).variants[0].amounts
    assert amounts is not None
    return amounts


def test_purity_on_a_weighed_mass() -> None:
    entry = _one_material("{reagent: cadmium-chloride, amount: 100 mg, purity: 99 %}").materials[
        "m"]
    assert entry.moles is not None
    assert entry.mass is not None
    assert entry.mass.nominal == pytest.approx(0.1)
    assert entry.moles.nominal == pytest.approx(0.1 * 0.99 / CDCL2, rel=1e-5)  # 0.540 mmol


def test_purity_on_a_measured_volume() -> None:
    entry = _one_material("{reagent: butanediamine, amount: 10 mL, purity: 99 %}").materials["m"]
    assert entry.moles is not None
    assert entry.moles.nominal == pytest.approx(10 * BDA_DENSITY * 0.99 / BDA, rel=1e-4)


def test_materials_naming_one_reagent_share_its_resolution() -> None:
    """A resolved reagent is the substance, not the material: two portions of ethanol (and a
    third named by CAS, another spelling of it) each keep their own amounts, while the name
    they give resolves once, so its hazard classes and gas behaviour are worked out once."""
    result = validate_text(textwrap.dedent("""\
        id: two-portions
        title: Two portions of ethanol
        version: 1.0.0
        source: {section: benchsheet tests}
        materials:
          first: {reagent: ethanol, amount: 1 mL}
          second: {reagent: ethanol, amount: 2 mL}
          by_cas: {reagent: 64-17-5, amount: 3 mL}
        vessels:
          vial: {kind: vial, volume: 20 mL}
        steps:
          - {action: add, materials: [first, second, by_cas], to: vial}
        """), "two-portions.yaml")
    amounts = result.variants[0].amounts
    assert amounts is not None
    first, second, by_cas = (amounts.materials[m] for m in ("first", "second", "by_cas"))
    assert first.reagent is second.reagent
    assert by_cas.reagent.record is first.reagent.record  # one library entry, found by CAS
    # Each portion's own amount: 1 mL and 2 mL × 0.785973 g/mL.
    assert first.mass is not None
    assert second.mass is not None
    assert first.mass.nominal == pytest.approx(1 * ETOH_DENSITY)
    assert second.mass.nominal == pytest.approx(2 * ETOH_DENSITY)
