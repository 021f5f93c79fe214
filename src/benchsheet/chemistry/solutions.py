"""Commercial solutions: a library entry that is a solute in a solvent at a stated strength.

A chemist writes ``reagent: n-butyllithium-2.5m-hexanes, amount: 4.40 mL`` and means 11.0 mmol
of n-butyllithium in hexane; ``reagent: hydrochloric-acid-37, amount: 10 mL`` means 11.84 g of
solution holding 4.38 g of HCl. Before anything is computed, such a material takes the
entry's concentration, solvent and density where it does not give its own, so every check,
sheet and export sees an ordinary solution. A value the material gives that disagrees with the
entry is left as written and reported by the identity checks (ID106): the bottle cannot be two
strengths at once.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from benchsheet.model.protocol import Protocol
    from benchsheet.reagents.library import CommercialSolution, ReagentLibrary, ReagentRecord
    from benchsheet.units import Measured

__all__ = ["as_supplied", "solution_entry", "supplied_concentration", "supplied_density"]


def solution_entry(reagent: object, library: ReagentLibrary) -> ReagentRecord | None:
    """The one library entry a material's reagent names, when it is a commercial solution."""
    if not isinstance(reagent, str):
        return None
    hits = library.find(reagent)
    if len(hits) != 1 or hits[0].solution is None:
        return None
    return hits[0]


@functools.lru_cache(maxsize=256)
def supplied_concentration(text: str) -> Measured:
    """The label's strength ('2.5 M', '37 %') as the model's solution concentration."""
    from pydantic import TypeAdapter

    from benchsheet.quantity_types import SolutionConcentration

    return TypeAdapter(SolutionConcentration).validate_python(text)


@functools.lru_cache(maxsize=256)
def supplied_density(value_g_mL: float) -> Measured:
    """The solution's density as the model's density quantity."""
    from pydantic import TypeAdapter

    from benchsheet.quantity_types import Density

    return TypeAdapter(Density).validate_python(f"{value_g_mL:g} g/mL")


def _filled(solution: CommercialSolution, material: Any) -> dict[str, object]:
    update: dict[str, object] = {}
    if material.concentration is None:
        update["concentration"] = supplied_concentration(solution.concentration)
    if material.solvent is None:
        update["solvent"] = solution.solvent
    if material.density is None:
        update["density"] = supplied_density(solution.density_g_mL)
    return update


def as_supplied(protocol: Protocol, library: ReagentLibrary) -> Protocol:
    """The protocol with each commercial solution's concentration, solvent and density filled
    in from its library entry; the same protocol object when no material names one."""
    materials = dict(protocol.materials)
    changed = False
    for mid, material in protocol.materials.items():
        record = solution_entry(material.reagent, library)
        if record is None or record.solution is None:
            continue
        update = _filled(record.solution, material)
        if update:
            materials[mid] = material.model_copy(update=update)
            changed = True
    return protocol.model_copy(update={"materials": materials}) if changed else protocol
