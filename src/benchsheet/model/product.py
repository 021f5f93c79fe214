"""Products and what they are made of, so the inputs can be checked against the claim."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from benchsheet.chemistry.formula import FormulaError, parse_formula
from benchsheet.model.common import MaterialRef, Model, When
from benchsheet.quantity_types import Fraction, Mass

DopantBasis = Literal["host-cation", "all-cations"]


class MeasuredDopant(Model):
    """A dopant fraction as measured in the product (ICP, EDS, XPS), beside the nominal one:
    what the clusters hold, which may differ from what the feed offered."""

    fraction: Fraction
    method: str = Field(min_length=1, description="How it was measured, e.g. 'ICP-AES'")
    basis: DopantBasis | None = Field(
        None, description="Default: the nominal fraction's basis")
    where: str | None = Field(None, description="Where the figure is reported")


class Dopant(Model):
    """A substitutional dopant and the basis its fraction is stated on."""

    element: str = Field(pattern=r"^[A-Z][a-z]?$")
    fraction: Fraction
    basis: DopantBasis | None = Field(
        None,
        description="host-cation: dopant / host cations; all-cations: dopant / (host + dopant)",
    )
    source: MaterialRef | None = Field(None, description="The material that supplies it")
    measured: MeasuredDopant | None = Field(
        None, description="The fraction measured in the product; 'fraction' stays the nominal "
        "one, from the feed, and is checked against the amounts",
    )


class Composition(Model):
    """A formula-unit composition: host cations with fractions, anions, nuclearity, dopant."""

    cations: dict[str, Fraction] = Field(
        description="Host cations and their fractions of the host sites, e.g. {Cd: 0.5, Zn: 0.5}"
    )
    anions: dict[str, float] = Field(description="Anions per formula unit, e.g. {Se: 1}")
    nuclearity: int | None = Field(
        None, ge=1, le=10**9, description="Formula units per cluster, e.g. 13 for (CdSe)13 "
        "(at most 10^9: a 100 nm crystal holds about 10^7)"
    )
    dopant: Dopant | None = None
    ligand: MaterialRef | None = None
    ligands_per_cluster: float | None = Field(
        None, ge=0, description="With 'ligand': the ligand shell per cluster, as "
        "shell: {ligand, count} says it (give one or the other)")


class LigandShell(Model):
    """Ligands (or end groups) that a product or catalyst unit carries beyond its core: they
    weigh, so a yield or a count of units by mass depends on whether they are counted.

    ``count`` ligands per ``per`` formula units: per cluster (the nuclearity) by default, per
    molecule for a molecule; for a polymer, 2 end groups per chain of 50 repeat units is
    ``count: 2, per: 50``.
    """

    ligand: MaterialRef | None = Field(None, description="The ligand, as a material here")
    formula: str | None = Field(None, description="The ligand's formula, where it is not a "
                                "material of this protocol, e.g. C4H12N2 for butane-1,4-diamine")
    count: Fraction = Field(description="Ligands per cluster (or per 'per' formula units); a "
                            "range where it is not known exactly, e.g. 10–13")
    per: float | None = Field(None, gt=0, allow_inf_nan=False,
                              description="Formula units the count is per (default: the "
                              "nuclearity of a cluster, else 1)")
    note: str | None = None

    @model_validator(mode="after")
    def _one_ligand(self) -> LigandShell:
        if (self.ligand is None) == (self.formula is None):
            raise ValueError("give the shell's 'ligand' (a material id) or its 'formula', "
                             "one of the two")
        if self.formula is not None:
            try:
                parse_formula(self.formula)
            except FormulaError as exc:
                raise ValueError(f"shell formula {self.formula!r}: {exc}") from None
        return self


# A stoichiometric coefficient: a finite number above zero (0 would divide every balance).
Coefficient = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class Reaction(Model):
    """A balanced equation: material ids with coefficients giving this product.

    Co-products that are not the product (the water of an esterification, the KBr and B(OH)3
    of a Suzuki coupling) are written under ``byproducts`` as formula: coefficient, so that the
    equation balances atom by atom without pretending they are materials.
    """

    reactants: dict[MaterialRef, Coefficient] = Field(min_length=1)
    product_coefficient: float = Field(1, gt=0, allow_inf_nan=False)
    byproducts: dict[str, float] = Field(
        {}, description="Co-products by formula and coefficient, e.g. {H2O: 1} for an "
        "esterification; they balance the equation and are not counted as product",
    )
    catalysts: list[MaterialRef] = []
    substrate: MaterialRef | None = Field(
        None, description="The reactant the reaction converts, against which mol %, loadings "
        "and equivalents are counted (default: inferred, never a gas or a solvent)",
    )

    @field_validator("byproducts")
    @classmethod
    def _byproducts_readable(cls, value: dict[str, float]) -> dict[str, float]:
        for formula, coefficient in value.items():
            if coefficient <= 0:
                raise ValueError(f"byproduct {formula!r}: the coefficient must be positive")
            try:
                parse_formula(formula)
            except FormulaError as exc:
                raise ValueError(f"byproduct {formula!r}: {exc}") from None
        return value


class Product(Model):
    """What a protocol makes, with enough identity to check it against the inputs."""

    name: str
    # Broad enough for a second lab's chemistry, not only nanomaterials: "solid" for a bulk
    # salt, oxide or framework; "polymer" for macromolecules.
    kind: Literal[
        "cluster", "suprastructure", "nanoribbon", "nanostructure", "nanocrystal", "molecule",
        "polymer", "solid", "solution", "film", "intermediate",
    ] = "molecule"
    composition: Composition | None = None
    formula: str | None = Field(None, description="For molecular products, e.g. C4H6O3")
    charge: int = Field(0, ge=-100, le=100)
    reaction: Reaction | None = None
    balance_elements: list[str] | None = Field(
        None, description="Elements the element balance counts (default: the core elements)"
    )
    isolated: Mass | None = Field(None, description="Isolated mass, where reported")
    shell: LigandShell | None = Field(
        None, description="The ligand shell (or end groups) the isolated product carries; "
        "yields are judged on the basis the yield claim states")
    main: bool = Field(
        False, description="The product the protocol is for: the reference for equivalents, "
        "mol % and --target (default: the last product a step makes)",
    )
    note: str | None = None
    when: When = True

    @model_validator(mode="after")
    def _one_identity(self) -> Product:
        if self.composition is not None and self.formula is not None:
            raise ValueError("give either 'composition' or 'formula', not both")
        if self.reaction is not None and self.formula is None:
            raise ValueError("a 'reaction' needs the product's 'formula' to check its balance")
        if self.reaction is not None and self.reaction.substrate is not None \
                and self.reaction.substrate not in self.reaction.reactants:
            raise ValueError(f"the reaction's substrate {self.reaction.substrate!r} must be one "
                             "of its reactants")
        if self.shell is not None and self.composition is not None \
                and self.composition.ligands_per_cluster is not None:
            raise ValueError("give the ligand shell once: 'shell' or the composition's "
                             "'ligands_per_cluster', not both")
        return self
