"""The substrate a reaction converts: what mol %, loadings and equivalents are counted against.

A catalyst loading is "0.005 mol %" of the epoxide it converts, never of the CO₂ charged over
it or of the solvent. When a one-off gas charge is the limiting reagent, counting against it
makes every loading read as if the gas were the substrate. The substrate is the reaction's
declared ``substrate``; otherwise the reactant that is neither a gas nor a solvent, the one
marked ``role: substrate`` first, and of several the one with the fewest moles per
coefficient (the limiting one among them). An inferred substrate replaces the limiting
reagent as the reference only where that is a gas or a solvent.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchsheet.chemistry.amounts import AmountsTable
from benchsheet.model.protocol import Protocol

# Roles that are never the substrate a loading is counted against.
_NOT_SUBSTRATE_ROLES = frozenset({"solvent", "atmosphere", "reagent-gas", "wash", "antisolvent",
                                  "catalyst", "cocatalyst", "quench"})


@dataclass(frozen=True)
class Substrate:
    """The substrate of the main product's reaction and how it was found."""

    material_id: str
    product_id: str
    declared: bool  # named by the reaction's ``substrate``; else inferred
    limiting: tuple[str, ...]  # what limits the product (may be a gas, not the substrate)

    @property
    def is_limiting(self) -> bool:
        return self.material_id in self.limiting


def reaction_substrate(protocol: Protocol, amounts: AmountsTable) -> Substrate | None:
    """The substrate of the main product's reaction, or None when it has no reaction or no
    reactant qualifies (every reactant a gas or a solvent)."""
    pid = amounts.main_product
    product = protocol.products.get(pid) if pid is not None else None
    balance = amounts.balances.get(pid) if pid is not None else None
    if pid is None or product is None or product.reaction is None or balance is None:
        return None
    reaction = product.reaction
    if reaction.substrate is not None:
        return Substrate(reaction.substrate, pid, True, balance.limiting)
    candidates = []
    for mid, nu in reaction.reactants.items():
        entry = amounts.materials.get(mid)
        if entry is None or entry.material.gas is not None or entry.moles is None:
            continue
        if entry.material.role in _NOT_SUBSTRATE_ROLES:
            continue
        # A marked substrate first; then the fewest moles per coefficient.
        candidates.append((entry.material.role != "substrate", entry.moles.nominal / nu, mid))
    if not candidates:
        return None
    return Substrate(min(candidates)[2], pid, False, balance.limiting)


def equivalents_reference(protocol: Protocol, amounts: AmountsTable) -> Substrate | None:
    """The substrate when it, not the limiting reagent, is what equivalents count against:
    always when the reaction declares it; when inferred, only where the limiting reagent is a
    gas or a solvent (a one-off CO₂ charge). Otherwise the limiting reagent stays the
    reference, as a chemist writes equivalents of an amide coupling against its limiting
    amine or acid."""
    found = reaction_substrate(protocol, amounts)
    if found is None or found.declared:
        return found
    for mid in found.limiting:
        entry = amounts.materials.get(mid)
        if entry is None or (entry.material.gas is None
                             and entry.material.role not in ("solvent", "reagent-gas")):
            return None
    return found
