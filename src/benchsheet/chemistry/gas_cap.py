"""A one-off gas charge as a range, with what each end assumes.

A gauge reading of 3 bar over 3 mL of propylene oxide is not 4.01 bar of CO₂: the epoxide's
vapour (0.72 bar at 25 °C, Raoult's law over the liquid) holds part of it, and a reactor that
was not purged keeps the air it was closed with. The charged gas is then
n = p·V/(R·T + B·p) with p its own partial pressure (the virial equation the amounts table
uses for the whole reading, with the gas's own second virial coefficient B). The low end keeps
the air (1 atm, sealed in before the liquid evaporated) unless the protocol says the vessel was
purged or evacuated; the high end is purged. Neither counts gas dissolved in the liquid: the
library holds no solubilities, so the cap is what the headspace alone holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchsheet.chemistry.amounts import AmountsTable, GasInHeadspace, R
from benchsheet.chemistry.phases import vapour
from benchsheet.units import STANDARD_ATMOSPHERE_PA


@dataclass(frozen=True)
class ChargeEnd:
    """One end of a charge: the gas's partial pressure, its moles, and what that assumes."""

    partial_Pa: float
    moles: float
    assumes: str
    keeps_air: bool = False  # not purged: the air the vessel was closed with is still in it


@dataclass(frozen=True)
class ChargeRange:
    """The charged gas between its two ends, with the pressures that make the difference."""

    low: ChargeEnd
    high: ChargeEnd
    vapour_Pa: float  # the liquids' vapour at the charge temperature (Raoult's law)
    vapour_of: tuple[str, ...]  # the liquids that give it
    air_Pa: float  # the air (or inert gas) left in at the low end
    purge: str  # "stated", "evacuated", "not purged (stated)" or "not stated"


def _moles(partial_Pa: float, volume_m3: float, t_k: float, b: float | None) -> float:
    """n = p·V / (R·T + B·p): Z = 1 + B·p/(R·T), ideal without B."""
    if partial_Pa <= 0:
        return 0.0
    return partial_Pa * volume_m3 / (R * t_k + (b or 0.0) * partial_Pa)


def charge_range(gas: GasInHeadspace, amounts: AmountsTable, purged: bool | None
                 ) -> ChargeRange:
    """The charged gas as a range (see the module docstring); ``purged`` as the protocol
    states it (None: silent)."""
    mid = gas.material_id
    state = next((s for s in amounts.timeline
                  if s.vessel == gas.vessel and mid in s.materials), None)
    vap_Pa, vap_of = 0.0, tuple[str, ...]()
    if state is not None:
        over = vapour(state, amounts, gas.temperature_K, exclude=frozenset({mid}))
        vap_Pa = over.total_Pa
        vap_of = tuple(t.material_id for t in over.terms if t.partial_Pa > 0)
    evacuated = state is not None and state.sealed_gas == "vacuum"
    entry = amounts.materials.get(mid)
    record = entry.reagent.record if entry is not None else None
    b = record.second_virial(gas.temperature_K) if record is not None else None
    v_m3 = gas.headspace_mL * 1e-6
    t_k = gas.temperature_K
    vapour_words = f"less {vap_Pa / 1e5:.2g} bar of vapour" if vap_Pa > 0 else ""
    high_p = max(gas.pressure_abs_Pa.high - vap_Pa, 0.0)
    high = ChargeEnd(high_p, _moles(high_p, v_m3, t_k, b),
                     f"purged: the reading {vapour_words}" if vap_Pa > 0
                     else "purged: the whole reading")
    if evacuated or purged:
        purge = "evacuated" if evacuated else "stated"
        low_p = max(gas.pressure_abs_Pa.low - vap_Pa, 0.0)
        low = ChargeEnd(low_p, _moles(low_p, v_m3, t_k, b), high.assumes)
        return ChargeRange(low, high, vap_Pa, vap_of, 0.0, purge)
    air = STANDARD_ATMOSPHERE_PA
    kept_words = (f"the reading {vapour_words} and 1 atm of air left in" if vap_Pa > 0
                  else "the reading less 1 atm of air left in")
    low_p = max(gas.pressure_abs_Pa.low - vap_Pa - air, 0.0)
    low = ChargeEnd(low_p, _moles(low_p, v_m3, t_k, b), f"not purged: {kept_words}", True)
    if purged is False:  # stated: both ends keep the air
        high_p = max(gas.pressure_abs_Pa.high - vap_Pa - air, 0.0)
        high = ChargeEnd(high_p, _moles(high_p, v_m3, t_k, b), f"not purged: {kept_words}",
                         True)
        return ChargeRange(low, high, vap_Pa, vap_of, air, "not purged (stated)")
    return ChargeRange(low, high, vap_Pa, vap_of, air, "not stated")


def heated_ends(span: ChargeRange, whole: GasInHeadspace, term_Pa: float, t_k: float
                ) -> tuple[tuple[float, str], tuple[float, str]]:
    """What a charge's term in a sealed vessel's pressure (``term_Pa``, counted from the whole
    reading) becomes at each end of ``span``, at ``t_k``: the gas scaled by its moles at that
    end, plus, where the end keeps the air, that air heated at constant volume. The liquids'
    vapour is already a term of its own, so taking it out of the reading is what corrects the
    double count. Returns ((Pa, assumes) at the low end, (Pa, assumes) at the high end)."""
    n = whole.moles.nominal

    def at(end: ChargeEnd) -> tuple[float, str]:
        gas = term_Pa * end.moles / n if n > 0 else 0.0
        kept_air = span.air_Pa * t_k / whole.temperature_K if end.keeps_air else 0.0
        return gas + kept_air, end.assumes

    return at(span.low), at(span.high)
