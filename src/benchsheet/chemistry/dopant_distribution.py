"""How dopant atoms spread over clusters of known nuclearity.

A 5 % dopant is an average. In a cluster of 13 cation sites it means 0.62 dopant atoms per
cluster, and if the sites are taken at random (each independently, with the dopant's share of
all cation sites as the probability) the number per cluster is binomial: about 53 % of
(CdSe)₁₃ clusters then carry no Mn and 12.5 % carry two or more. Any argument about single
dopant emission, dopant–dopant coupling or a per-cluster quantum yield rests on these numbers.
The Poisson law with the same mean is the limit for many sites and is printed beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class DopantDistribution:
    """Dopant atoms per cluster when ``sites`` cation sites each hold the dopant with
    probability ``fraction``."""

    sites: int
    fraction: float  # the dopant's share of all cation sites

    @property
    def mean(self) -> float:
        """Dopant atoms per cluster on average: sites × fraction (13 × 0.0476 = 0.619)."""
        return self.sites * self.fraction

    def binomial(self, k: int) -> float:
        """P(k dopant atoms) = C(N, k) pᵏ (1 − p)ᴺ⁻ᵏ."""
        if not 0 <= k <= self.sites:
            return 0.0
        p = self.fraction
        return math.comb(self.sites, k) * p**k * (1 - p) ** (self.sites - k)

    def poisson(self, k: int) -> float:
        """P(k) = λᵏ e^−λ / k!, λ the mean."""
        if k < 0:
            return 0.0
        return self.mean**k * math.exp(-self.mean) / math.factorial(k)

    @property
    def none_one_more(self) -> tuple[float, float, float]:
        """Binomial shares of clusters with no dopant, one, and two or more."""
        none, one = self.binomial(0), self.binomial(1)
        return none, one, max(1 - none - one, 0.0)

    @property
    def poisson_none_one_more(self) -> tuple[float, float, float]:
        none, one = self.poisson(0), self.poisson(1)
        return none, one, max(1 - none - one, 0.0)


def dopant_distribution(sites: int, fraction: float) -> DopantDistribution | None:
    """The distribution over ``sites`` cation sites, or None for a fraction outside [0, 1]."""
    if sites < 1 or not 0 <= fraction <= 1:
        return None
    return DopantDistribution(sites, fraction)
