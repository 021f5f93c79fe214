"""A density estimated from a formula alone, for bounds where no measured density is known.

Girolami's method (G. S. Girolami, J. Chem. Educ. 71, 962 (1994)): each atom takes a volume
set by its row of the periodic table (H 1; Li–F 2; Na–Cl 4; K–Br 5; Rb–I 7.5; Cs–Bi 9, in
units of about 5 Å³ per molecule), and the density of the liquid or solid is about
M / (5·ΣV) g/mL, within some 10 % for molecular compounds. Hydrogen bonding, rings and ionic
lattices pack tighter, so the real density is higher, never much lower: used as a limit it
needs a margin, and it never replaces a measured value.
"""

from __future__ import annotations

from collections.abc import Mapping

import molmass

# Relative atomic volume by period (Girolami 1994, Table 1); period 1 is hydrogen (and He).
_VOLUME_BY_PERIOD = {1: 1.0, 2: 2.0, 3: 4.0, 4: 5.0, 5: 7.5, 6: 9.0}


def girolami_density(elements: Mapping[str, float], molar_mass: float) -> float | None:
    """Estimated density in g/mL of a substance with these atoms per formula unit; None for an
    element the method does not cover (period 7) or an empty formula."""
    volume = 0.0
    for symbol, count in elements.items():
        try:
            period = molmass.ELEMENTS[symbol].period
        except KeyError:
            return None
        if period not in _VOLUME_BY_PERIOD:
            return None
        volume += _VOLUME_BY_PERIOD[period] * count
    if volume <= 0:
        return None
    return molar_mass / (5.0 * volume)
