"""The protocol: metadata, parameters and variants, and the sections steps refer to."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from benchsheet.model.claims import Claim
from benchsheet.model.common import Identifier, Model, ProtocolId
from benchsheet.model.equipment import Equipment, Vessel
from benchsheet.model.materials import Material
from benchsheet.model.product import Product
from benchsheet.model.steps import Step

FORMAT_VERSION = 1

SemVer = Annotated[
    str,
    StringConstraints(pattern=r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$"),
    Field(description="Semantic version of this protocol, e.g. 1.0.0"),
]
DOI = Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")]
ORCID = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")]
ParameterValue = float | int | str | bool


class Source(Model):
    """Where the procedure comes from."""

    doi: DOI | None = None
    section: str = Field(description="Section of the source this protocol encodes")
    citation: str | None = None
    url: str | None = None


class Author(Model):
    name: str
    orcid: ORCID | None = None
    email: str | None = None
    affiliation: str | None = None


class Parameter(Model):
    """A value the protocol is parametrised by; strings use it as ``${name}``."""

    default: ParameterValue
    description: str | None = None
    values: list[ParameterValue] = Field(
        [], description="The values the source reports; informational, variants pick from them"
    )


class Variant(Model):
    """Named parameter settings, or a matrix expanding into one variant per combination."""

    name: Identifier | None = Field(None, description="Default: 'p=v,q=w' from the settings")
    set: dict[str, ParameterValue] = {}
    matrix: dict[str, list[ParameterValue]] = {}
    description: str | None = None


class Acknowledgement(Model):
    """A finding that reflects a real ambiguity of the source, accepted with a reason."""

    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}\d{3}$")]
    path: str | None = Field(None, description="YAML path the finding must be at or under")
    variant: str | None = Field(None, description="Only in this variant")
    reason: str = Field(min_length=10)


class Protocol(Model):
    """One procedure, typed; a parametrised protocol stands for a series of variants."""

    format: Literal[1] = Field(1, description="benchsheet protocol format version")
    id: ProtocolId
    title: str
    version: SemVer
    source: Source
    authors: list[Author] = []
    license: str | None = None
    tags: list[str] = []
    date: dt.date | None = Field(None, description="Date of this version (exports use it)")
    summary: str | None = None
    assumptions: list[str] = Field(
        [], description="What the protocol assumes where the source is silent, and why"
    )
    parameters: dict[Identifier, Parameter] = {}
    tables: dict[Identifier, dict[str, ParameterValue]] = Field(
        {}, description="Lookup tables for parameter expressions, e.g. ${reagent_of[ligand]}"
    )
    variants: list[Variant] = []
    materials: dict[Identifier, Material] = {}
    vessels: dict[Identifier, Vessel] = {}
    equipment: dict[Identifier, Equipment] = {}
    steps: list[Step] = Field(min_length=1)
    products: dict[Identifier, Product] = {}
    claims: dict[Identifier, Claim] = {}
    acknowledge: list[Acknowledgement] = []
