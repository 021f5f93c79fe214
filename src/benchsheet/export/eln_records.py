"""Neutral records for `.eln` archives, independent of the protocol model.

The protocol-to-record mapping fills these; the writer turns them into RO-Crate 1.1 entities
that eLabFTW, Kadi4Mat, SampleDB and PASTA import. Keeping them free of pydantic and pint lets
the archive code be tested (and fuzzed) without a protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

QuantityGroup = Literal["Materials", "Conditions", "Results"]
BodyFormat = Literal["text/html", "text/markdown"]

#: Genres the importers understand: eLabFTW makes a template of the first two, an experiment
#: of the last.
GENRES: tuple[str, ...] = ("experiment template", "protocol", "experiment")
#: What a quantity is: a material's amount, a step's condition or a reported result. The
#: archive does not group PropertyValues; the mapping and the reader keep it for callers.
QUANTITY_GROUPS: tuple[QuantityGroup, ...] = ("Materials", "Conditions", "Results")


@dataclass(frozen=True)
class ElnFile:
    """A file that travels with a record, e.g. the protocol YAML or a rendered bench sheet."""

    name: str
    content: bytes
    media_type: str
    description: str = ""


@dataclass(frozen=True)
class ElnQuantity:
    """One number with its unit, which Kadi4Mat makes a typed extra of (with its unit and range).

    `property_id` may use dots to nest (`cadmium_chloride.amount`); `min_value`/`max_value`
    carry a stated range or tolerance around the nominal `value`. An empty `unit` means a
    dimensionless number (a ratio, an equivalent count).
    """

    property_id: str
    value: float
    unit: str
    description: str
    group: QuantityGroup
    min_value: float | None = None
    max_value: float | None = None


@dataclass(frozen=True)
class ElnPerson:
    """An author as the ELNs attribute records to them."""

    given_name: str
    family_name: str
    email: str | None = None

    @property
    def full_name(self) -> str:
        """The display name, given name first."""
        return f"{self.given_name} {self.family_name}".strip()


@dataclass(frozen=True, kw_only=True)
class ElnRecord:
    """One protocol (or experiment) as it becomes one dataset folder inside a `.eln` archive.

    Keyword-only so that a mapping can never swap two same-typed fields silently.
    `slug` names the folder (`[a-z0-9-]`), `description` is short plain text (the dataset's
    `abstract`), `body` is the entry's text in `body_format`: written as the dataset's
    `description`, which is eLabFTW's body and Kadi4Mat's record description alike, so it
    must read well in both (Markdown without raw HTML does).
    """

    slug: str
    name: str
    genre: str = "experiment template"
    description: str
    body: str
    body_format: BodyFormat
    keywords: tuple[str, ...]
    steps: tuple[str, ...]
    quantities: tuple[ElnQuantity, ...]
    files: tuple[ElnFile, ...]
    authors: tuple[ElnPerson, ...]
    date_created: datetime
    date_modified: datetime
    identifier: str
    category: tuple[str, str] | None = None
    #: Slugs of other records of the same archive whose products this one uses (a material
    #: made by another protocol); written as `isBasedOn`, so the ELN can link the two.
    based_on: tuple[str, ...] = ()
