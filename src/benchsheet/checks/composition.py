"""A product's composition as claimed: nominal (from the feed) and measured (with its
method), and how a dopant spreads over clusters of known nuclearity (CL110, CL111).

The nominal dopant fraction is checked against the amounts (ST101); a measured one is what the
clusters hold and is printed beside it. Either way a fraction is an average: over 13 cation
sites, 5 % Mn leaves about half the clusters with none.
"""

from __future__ import annotations

from collections.abc import Iterator

from benchsheet.checks import rule
from benchsheet.checks.context import CheckContext
from benchsheet.chemistry.dopant_distribution import dopant_distribution
from benchsheet.chemistry.stoichiometry import dopant_all_cation_fraction
from benchsheet.findings import Finding, Severity
from benchsheet.model.claims import MeasuredClaim
from benchsheet.model.product import Dopant, Product


def _all_cation_share(fraction: float, basis: str | None) -> float:
    """A dopant fraction as its share of all cation sites (5 % of the host is 4.76 %)."""
    return fraction if basis == "all-cations" else fraction / (1 + fraction)


def _measured_share(dopant: Dopant) -> float | None:
    measured = dopant.measured
    if measured is None:
        return None
    return _all_cation_share(measured.fraction.to("dimensionless"),
                             measured.basis or dopant.basis)


@rule("CL110", Severity.INFO, "dopant atoms per cluster")
def dopant_per_cluster(ctx: CheckContext) -> Iterator[Finding]:
    """A dopant fraction in clusters of known nuclearity is an average: placed at random over
    the cation sites, the dopant atoms per cluster follow a binomial law (5 % Mn in (CdSe)13:
    53 % of clusters hold none, 12.5 % two or more). Printed for each doped cluster product,
    on the claims that state a per-cluster property of it."""
    for pid, product in ctx.protocol.products.items():
        # The product alone decides: worked out once for the variants that share it.
        text = ctx.of_part(("CL110", pid), product, _per_cluster, pid, product)
        if text is None:
            continue
        claims = [cid for cid, claim in ctx.protocol.claims.items()
                  if isinstance(claim, MeasuredClaim) and claim.when is True
                  and claim.per_cluster and claim.sample == pid]
        if not claims:
            yield ctx.finding("CL110", text, ("products", pid, "composition", "dopant"))
        for cid in claims:
            yield ctx.finding("CL110", f"claim '{cid}' is per cluster: {text}", ("claims", cid))


def _per_cluster(pid: str, product: Product) -> str | None:
    """CL110's words for a doped cluster product, or None (not one, or undoped)."""
    c = product.composition
    if product.when is not True or c is None or c.dopant is None or not c.nuclearity:
        return None
    measured = _measured_share(c.dopant)
    share = measured if measured is not None else dopant_all_cation_fraction(c)
    dist = dopant_distribution(c.nuclearity, share)
    if dist is None or share <= 0:  # an undoped member of a series
        return None
    none, one, more = dist.none_one_more
    p_none, p_one, p_more = dist.poisson_none_one_more
    source = (f"measured ({c.dopant.measured.method})" if c.dopant.measured is not None
              else "nominal, from the feed")
    return (f"'{pid}': {c.dopant.element} on {100 * share:.3g} % of {c.nuclearity} cation "
            f"sites ({source}) is {dist.mean:.3g} per cluster on average; placed at random "
            f"(binomial), {100 * none:.1f} % of clusters hold none, {100 * one:.1f} % one "
            f"and {100 * more:.1f} % two or more (Poisson: {100 * p_none:.1f} %, "
            f"{100 * p_one:.1f} %, {100 * p_more:.1f} %)")


@rule("CL111", Severity.INFO, "measured composition beside the nominal")
def measured_composition(ctx: CheckContext) -> Iterator[Finding]:
    """A dopant fraction measured in the product (ICP, EDS) is what the clusters hold; the
    nominal one is what the feed offered, and only the nominal one is checked against the
    amounts (ST101). The two are printed side by side, with how much of the feed went in."""
    for pid, product in ctx.protocol.products.items():
        c = product.composition
        if product.when is not True or c is None or c.dopant is None \
                or c.dopant.measured is None:
            continue
        nominal = _all_cation_share(c.dopant.fraction.to("dimensionless"), c.dopant.basis)
        measured = _measured_share(c.dopant)
        assert measured is not None
        m = c.dopant.measured
        ratio = f": {100 * measured / nominal:.3g} % of the nominal" if nominal > 0 else ""
        yield ctx.finding(
            "CL111", f"'{pid}': {c.dopant.element} measured at {m.fraction} "
            f"({m.basis or c.dopant.basis or 'basis not stated'}, {m.method}) against "
            f"{c.dopant.fraction} nominal from the feed ({100 * measured:.3g} % and "
            f"{100 * nominal:.3g} % of all cation sites{ratio})",
            ("products", pid, "composition", "dopant", "measured"))
