"""A solution no stronger than the saturated solution of its solute in its solvent.

ST117 catches a solution whose solute would not fit in it at all (25 M n-BuLi); a slip that
still fits (30 M HCl for 3.0 M: 1.09 g of HCl per mL, less than the gas's liquid density)
is caught only by what the solvent can dissolve. The library gives that for a few common
solutes (``saturated:``: HCl, NaCl, NaOH in water); a stronger solution is a warning, since
some salts dissolve further when hot and a supersaturated solution can exist for a while.
"""

from __future__ import annotations

from collections.abc import Iterator

from benchsheet.checks import rule
from benchsheet.checks.context import CheckContext
from benchsheet.chemistry.amounts import PART_SEPARATOR
from benchsheet.findings import Finding, Severity

# A stated strength may round up the label (37 % for 36.5–38 %): 2 % over is not reported.
TOLERANCE = 1.02


@rule("ST118", Severity.WARNING, "a solution stronger than its saturated solution")
def beyond_saturation(ctx: CheckContext) -> Iterator[Finding]:
    """The grams of solute per mL of solution (or the mass fraction) against the saturated
    solution's, in the solvent the material names."""
    for mid, entry in ctx.amounts.materials.items():
        material = entry.material
        conc, record = material.concentration, entry.reagent.record
        if conc is None or isinstance(conc, str) or record is None or not record.saturated:
            continue
        solvent = ctx.amounts.parts.get(f"{mid}{PART_SEPARATOR}solvent")
        solvent_id = solvent.reagent.record.id if solvent is not None and \
            solvent.reagent.record is not None else None
        saturation = next((s for s in record.saturated if s.solvent == solvent_id), None)
        if saturation is None:
            continue
        at = f"{saturation.temperature_K - 273.15:.0f} °C"
        if conc.dimension == "mass_fraction":
            stated, limit = conc.to("dimensionless"), saturation.fraction
            said = f"{100 * limit:.1f} % at {at}"
        elif entry.mass is not None and entry.volume is not None and entry.volume.nominal > 0:
            stated = entry.mass.nominal / entry.volume.nominal
            limit = saturation.grams_per_mL
            molar = f", {limit / entry.reagent.molar_mass * 1000:.1f} mol/L" if \
                entry.reagent.molar_mass else ""
            said = f"{limit:.3g} g/mL at {at}{molar}"
        else:
            continue
        if stated > limit * TOLERANCE:
            yield ctx.finding(
                "ST118", f"'{mid}': {conc} {entry.reagent.name} in {solvent_id} is stronger "
                f"than its saturated solution ({said}; {saturation.source})",
                ("materials", mid, "concentration"),
                "check the concentration against the label (a slip of 10×?), or its unit")
