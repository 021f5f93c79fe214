"""Protocol → `.eln` record: what a checked protocol file becomes inside an archive.

One protocol file is one ELN entry, whatever its variants: the base protocol's sheet is the
entry's body (Markdown, `render/templates/eln_body.md.j2`), a table in it lists the variants,
and every variant's bench sheets (Markdown and HTML) travel as files, with its material
amounts as typed values under `variants.<variant>.`. A library of nine protocols is nine
entries, not one per variant with repeated titles. Each entry's title starts with the
protocol id, so the identifier Kadi4Mat derives from the title is readable and unique.

Every number comes from the pipeline's output: material amounts from the amounts table,
conditions and reported figures from the typed model. Nothing re-parses the YAML; the YAML's
original bytes only travel along as a file, so `benchsheet import` can give them back unchanged.
Nothing reads the wall clock: dates come from the protocol's `date` or from the caller.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from benchsheet.chemistry.amounts import AmountsTable
from benchsheet.chemistry.interval import Interval
from benchsheet.expand import format_value
from benchsheet.export.eln_records import ElnFile, ElnPerson, ElnQuantity, ElnRecord
from benchsheet.export.eln_write import KADI_TITLE_MAX, ElnArchive
from benchsheet.model import steps as st
from benchsheet.model.claims import (
    MeasuredClaim,
    RatioClaim,
    TurnoverFrequencyClaim,
    TurnoverNumberClaim,
    YieldClaim,
)
from benchsheet.model.protocol import Author, Protocol
from benchsheet.render.words import (
    amount_words,
    describe_step,
    dispensed_by_volume,
    made_by_words,
    step_texts,
)
from benchsheet.spool import SpooledList, SpooledMap, SpooledTexts
from benchsheet.units import Measured, format_measured
from benchsheet.validate import FileResult, VariantResult

if TYPE_CHECKING:
    from benchsheet.render import SheetBook

__all__ = [
    "ARCHIVE_NAME",
    "CATEGORY",
    "IDENTIFIER_PREFIX",
    "PROTOCOL_MEDIA_TYPE",
    "ExportError",
    "describe_step",
    "entry_title",
    "export_all",
    "export_date",
    "kadi_identifier",
    "license_url",
    "protocol_bytes",
    "protocol_records",
    "records_for",
    "render_sheet",
    "variant_slug",
]

#: Every protocol dataset carries this category (eLabFTW's category, with its colour).
CATEGORY = ("Protocol", "2825B0")
#: A dataset's identifier is `benchsheet:<protocol id>`; the importer looks for it. (Archives
#: from before one entry per file also wrote `benchsheet:<protocol id>:<variant>`.)
IDENTIFIER_PREFIX = "benchsheet:"
PROTOCOL_MEDIA_TYPE = "application/yaml"
PROTOCOL_FILE_DESCRIPTION = "benchsheet protocol, the original YAML file"
#: The archive `benchsheet build` writes beside the sheets.
ARCHIVE_NAME = "protocols.eln"
SheetFormat = Literal["html", "md"]

# Significant digits kept for computed numbers: far below any balance's resolution, and short
# enough that an ELN field shows `274.982`, not 17 digits of float noise.
_DIGITS = 6
_MEDIA = {"html": "text/html", "md": "text/markdown"}
#: Kadi4Mat cuts the identifier it derives from a title to this length.
KADI_IDENTIFIER_MAX = 50


class ExportError(ValueError):
    """A protocol cannot be exported (it did not load or model); `problems` says why."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


# --- the renderer, behind one adapter ------------------------------------------------------


def render_sheet(result: FileResult, variant: VariantResult, fmt: SheetFormat) -> str:
    """The bench sheet of one variant as HTML or Markdown, from the renderer package.

    The one place exports call the renderer: switching to its final API is a one-line change.
    Only when the render package is not installed at all is a minimal sheet made here.
    """
    try:
        render = importlib.import_module("benchsheet.render")
    except ModuleNotFoundError as error:
        if error.name != "benchsheet.render":
            raise  # the renderer is there but broken: say so, do not hide it
        return _minimal_sheet(variant, fmt)
    return str(render.render_sheet(result, variant, fmt))  # pragma: no cover - lands later


def _minimal_sheet(variant: VariantResult, fmt: SheetFormat) -> str:
    """Title, materials with amounts, numbered steps: enough for a body until sheets land."""
    protocol, amounts = _concrete(variant)
    rows = [(mid, amount_words(mid, amounts)) for mid in amounts.materials]
    steps = list(step_texts(protocol, amounts))
    if fmt == "md":
        lines = [f"# {protocol.title}", ""]
        if protocol.summary:
            lines += [protocol.summary, ""]
        lines += ["## Materials", ""] + [f"- **{mid}**: {words}" for mid, words in rows]
        lines += ["", "## Steps", ""] + [f"{n}. [ ] {text}" for n, text in enumerate(steps, 1)]
        return "\n".join(lines) + "\n"
    parts = [f"<h1>{escape(protocol.title)}</h1>"]
    if protocol.summary:
        parts.append(f"<p>{escape(protocol.summary)}</p>")
    parts.append("<h2>Materials</h2><ul>")
    parts += [f"<li><b>{escape(mid)}</b>: {escape(words)}</li>" for mid, words in rows]
    parts.append("</ul><h2>Steps</h2><ol>")
    parts += [f"<li>{escape(text)}</li>" for text in steps]
    parts.append("</ol>")
    return "\n".join(parts) + "\n"


# --- quantities ------------------------------------------------------------------------------


def _round(x: float) -> float:
    return float(f"{x:.{_DIGITS}g}")


def _number(x: float) -> str:
    return f"{x:.{_DIGITS}g}"


def _from_interval(pid: str, value: Interval, scale: float, unit: str, description: str,
                   group: Literal["Materials", "Conditions", "Results"]) -> ElnQuantity:
    low, nominal, high = (_round(x * scale) for x in (value.low, value.nominal, value.high))
    ranged = low != high
    return ElnQuantity(pid, nominal, unit, description, group,
                       low if ranged else None, high if ranged else None)


def _from_measured(pid: str, m: Measured, description: str,
                   group: Literal["Materials", "Conditions", "Results"]) -> ElnQuantity:
    """A quantity as the protocol writes it, in its own unit (a pressure keeps gauge/abs)."""
    unit = m.unit + (f" {m.reference}" if m.reference else "")
    low, nominal, high = float(m.low), float(m.nominal), float(m.high)
    if m.bound is not None:  # "<1 %": the number is a bound, not a range
        description += f" ({m.bound} {format_measured(m).lstrip('~<>=≤≥')})"
        low = high = nominal
    if m.approximate:
        description += " (approximate)"
    ranged = low != high
    return ElnQuantity(pid, nominal, unit, description, group,
                       low if ranged else None, high if ranged else None)


def _material_quantities(amounts: AmountsTable, prefix: str = "",
                         variant: str = "") -> Iterator[ElnQuantity]:
    """Amount, mass and (for what is dispensed by volume) volume of every material; `prefix`
    nests a variant's under its own key (`variants.<variant>.CdCl2.amount`)."""
    for mid, entry in amounts.materials.items():
        made_by = made_by_words(entry.material.made_by)
        label = f"{entry.reagent.name} ({mid}{'; ' + made_by if made_by else ''})"
        if variant:
            label += f", variant {variant}"
        pid = f"{prefix}{mid}"
        if entry.moles is not None:
            yield _from_interval(f"{pid}.amount", entry.moles, 1e3, "mmol",
                                 f"{label}: amount of substance", "Materials")
        if entry.mass is not None:
            yield _from_interval(f"{pid}.mass", entry.mass, 1e3, "mg", f"{label}: mass",
                                 "Materials")
        if entry.volume is not None and dispensed_by_volume(entry):
            yield _from_interval(f"{pid}.volume", entry.volume, 1.0, "mL", f"{label}: volume",
                                 "Materials")


def _steps_with_numbers(steps: Sequence[st.Step], prefix: str) -> Iterator[tuple[str, st.Step]]:
    number = 0
    for step in steps:
        if step.when is not True:
            continue
        number += 1
        yield f"{prefix}{number}", step
        if isinstance(step, st.Repeat):
            yield from _steps_with_numbers(step.steps, f"{prefix}{number}_")


def _condition_quantities(protocol: Protocol) -> Iterator[ElnQuantity]:
    """Every quantity a step states (temperature, duration, pressure, speed, ...)."""
    for number, step in _steps_with_numbers(protocol.steps, "step_"):
        for field_name in type(step).model_fields:
            value = getattr(step, field_name)
            if isinstance(value, Measured):
                words = field_name.replace("_", " ")
                yield _from_measured(f"{number}.{field_name}", value,
                                     f"{number.replace('_', ' ')} ({step.action}): {words}",
                                     "Conditions")
    for mid, material in protocol.materials.items():
        gas = material.gas
        if gas is None or material.when is not True:
            continue
        for field_name in type(gas).model_fields:
            value = getattr(gas, field_name)
            if isinstance(value, Measured):
                words = field_name.replace("_", " ")
                yield _from_measured(f"{mid}.gas.{field_name}", value,
                                     f"{mid} gas {gas.mode}: {words}", "Conditions")


def _result_quantities(protocol: Protocol) -> Iterator[ElnQuantity]:
    """Reported figures (claims) and isolated masses, as the paper states them."""
    for cid, claim in protocol.claims.items():
        if claim.when is not True:
            continue
        where = f" ({claim.where})" if claim.where else ""
        if isinstance(claim, TurnoverFrequencyClaim):
            yield _from_measured(f"claims.{cid}.reported_per_hour", claim.reported_per_hour,
                                 f"{cid}: turnover frequency per hour{where}", "Results")
            continue
        kind = {RatioClaim: "ratio", TurnoverNumberClaim: "turnover number",
                YieldClaim: "yield"}.get(type(claim))
        if isinstance(claim, MeasuredClaim):
            kind = claim.quantity
        text = claim.description or kind or claim.kind
        yield _from_measured(f"claims.{cid}.reported", claim.reported,
                             f"{cid}: {text}{where}", "Results")
    for pid, product in protocol.products.items():
        if product.when is True and product.isolated is not None:
            yield _from_measured(f"products.{pid}.isolated", product.isolated,
                                 f"{product.name}: isolated mass", "Results")


# --- records ---------------------------------------------------------------------------------


def variant_slug(protocol_id: str, variant: str) -> str:
    """`<id>` for the base protocol, `<id>--<variant-slug>` for a variant; [a-z0-9-] only."""
    if not variant:
        return protocol_id
    words = re.sub(r"[^a-z0-9]+", "-", variant.lower()).strip("-") or "variant"
    slug = f"{protocol_id}--{words}"
    if len(slug) > 120:  # keep it unique when cut: a short hash of the full name
        digest = hashlib.sha256(variant.encode()).hexdigest()[:8]
        slug = f"{slug[:111].rstrip('-')}-{digest}"
    return slug


def _person(author: Author) -> ElnPerson:
    """Given names first, the last word as family name (`Ada King Lovelace`)."""
    given, _, family = author.name.strip().rpartition(" ")
    email = author.email if author.email and re.fullmatch(r"[^@\s]+@[^@\s]+", author.email) \
        else None
    return ElnPerson(given.strip(), family.strip(), email)


def _keywords(tags: Sequence[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for tag in tags:
        # Keywords travel as one comma-separated string: a comma would split a tag in two.
        cleaned = " ".join(tag.replace(",", " ").split())
        if cleaned:
            seen.setdefault(cleaned)
    return tuple(seen)


def _as_datetime(day: date | datetime) -> datetime:
    if isinstance(day, datetime):
        return day if day.tzinfo is not None else day.replace(tzinfo=UTC)
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def protocol_bytes(result: FileResult) -> bytes:
    """The protocol file as it is on disk, if that is still what was validated; else its text
    (`render.view.source_bytes`: an import must give the file's own bytes back)."""
    from benchsheet.render.view import source_bytes

    return source_bytes(result.document)


def _file_name(result: FileResult, protocol: Protocol) -> str:
    name = Path(result.document.path).name
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+-]*\.ya?ml", name):
        return name
    return f"{protocol.id}.yaml"


def _concrete(variant: VariantResult) -> tuple[Protocol, AmountsTable]:
    if variant.protocol is None or variant.amounts is None:
        raise ExportError([f"variant {variant.name or '(base)'} did not model"])
    return variant.protocol, variant.amounts


@dataclass(frozen=True)
class VariantSheets:
    """One variant as the entry's variants table lists it: its name, settings and files."""

    name: str
    settings: str
    markdown_file: str
    html_file: str


def kadi_identifier(title: str) -> str:
    """The identifier Kadi4Mat's importer derives from a record's title (kadi-apy's documented
    rule: lower case, only a-z, 0-9, '-', '_' and spaces kept, spaces joined by '-', cut to 50
    characters). Two entries whose titles give the same one are numbered -1, -2, … by Kadi."""
    kept = re.sub(r"[^a-z0-9\-_ ]+", "", title.lower())
    return re.sub(r" +", "-", kept)[:KADI_IDENTIFIER_MAX]


def entry_title(protocol: Protocol) -> str:
    """`<id> — <title>`: the id first, so the identifier Kadi4Mat makes of it is readable and
    as unique as the ids are; cut to Kadi4Mat's 150 characters."""
    title = f"{protocol.id} — {' '.join(protocol.title.split())}"
    if len(title) > KADI_TITLE_MAX:
        title = title[:KADI_TITLE_MAX - 1].rstrip() + "…"
    return title


def _texts_of(result: FileResult, variant: VariantResult,
              variants: Sequence[VariantSheets] | None, sheets: SheetBook) -> tuple[str, str, str]:
    """The variant's Markdown and HTML sheets and, when `variants` is given, the entry body,
    all three from one view of the variant (the sheets as `sheets` has them, or renders them
    once)."""
    from benchsheet.render.environment import environment

    md = sheets.render(result, variant, "md")
    html = sheets.render(result, variant, "html")
    body = "" if variants is None else environment("md").get_template(
        "eln_body.md.j2").render(sheet=sheets.view(result, variant), variants=variants)
    return md, html, body


def protocol_records(result: FileResult, *, date: datetime | None = None,
                     genre: str = "experiment template",
                     sheets: SheetBook | None = None) -> list[ElnRecord]:
    """The one record of one validated file: the base protocol, its variants attached.

    `date` overrides the protocol's own `date` for the record's created/modified dates;
    `sheets` holds the sheets a build has already rendered. Raises `ExportError` when the file
    did not load or a variant did not model.
    """
    from benchsheet.render import SheetBook

    book = SheetBook() if sheets is None else sheets
    broken = [v for v in result.variants if v.protocol is None or v.amounts is None]
    if not result.variants or broken:
        errors = [f for f in result.findings if f.fails and f.severity.name == "ERROR"]
        shown = [f"{f.location()} {f.code} {f.message}" for f in errors[:5]]
        raise ExportError([f"{result.document.path}: cannot be exported, it does not model",
                           *shown])
    base = result.variants[0]
    protocol, amounts = _concrete(base)
    moment = date or (_as_datetime(protocol.date) if protocol.date else None)
    if moment is None:
        raise ExportError([f"{result.document.path}: the protocol has no 'date'; give one "
                           "(or --date) so that the export does not depend on the clock"])
    files = [ElnFile(_file_name(result, protocol), book.source(result), PROTOCOL_MEDIA_TYPE,
                     PROTOCOL_FILE_DESCRIPTION)]
    listed: list[VariantSheets] = []
    variant_quantities: list[ElnQuantity] = []
    for variant in result.variants[1:]:
        variant_protocol, variant_amounts = _concrete(variant)
        slug = variant_slug(variant_protocol.id, variant.name)
        key = slug.removeprefix(f"{variant_protocol.id}--")
        md, html, _ = _texts_of(result, variant, None, book)
        files += _sheet_files(slug, md, html, f" of variant {variant.name}")
        settings = ", ".join(f"{name}={format_value(value)}"
                             for name, value in variant.values.items())
        listed.append(VariantSheets(variant.name, settings, f"{slug}.md", f"{slug}.html"))
        variant_quantities += _material_quantities(variant_amounts, f"variants.{key}.",
                                                   variant.name)
    md, html, body = _texts_of(result, base, listed, book)
    files[1:1] = _sheet_files(protocol.id, md, html, "")
    authors = tuple(_person(a) for a in protocol.authors) or (ElnPerson("", "benchsheet"),)
    return [ElnRecord(
        slug=protocol.id,
        name=entry_title(protocol),
        genre=genre,
        description=" ".join((protocol.summary or protocol.title).split()),
        body=body,
        body_format="text/markdown",
        keywords=_keywords(protocol.tags),
        steps=tuple(step_texts(protocol, amounts)),
        quantities=(*_material_quantities(amounts), *_condition_quantities(protocol),
                    *_result_quantities(protocol), *variant_quantities),
        files=tuple(files),
        authors=authors,
        date_created=_as_datetime(moment),
        date_modified=_as_datetime(moment),
        identifier=IDENTIFIER_PREFIX + protocol.id,
        category=CATEGORY,
    )]


def _sheet_files(slug: str, md: str, html: str, which: str) -> list[ElnFile]:
    return [ElnFile(f"{slug}.md", md.encode("utf-8"), _MEDIA["md"],
                    f"bench sheet{which} (Markdown)"),
            ElnFile(f"{slug}.html", html.encode("utf-8"), _MEDIA["html"],
                    f"bench sheet{which} (HTML, print-ready)")]


class SlugClashes:
    """`clashing_names`, a file at a time: a run's variants by export name, and the problems
    of the names taken twice so far."""

    def __init__(self) -> None:
        # Each name's first variant: on disk (``benchsheet.spool``), as a build of many files
        # exports hundreds of thousands.
        self._seen: SpooledMap[str] = SpooledMap()
        self.problems: list[str] = []

    def add(self, result: FileResult) -> None:
        for variant in result.variants:
            if variant.protocol is None:
                continue
            slug = variant_slug(variant.protocol.id, variant.name)
            where = f"{result.document.path}" + (f" [{variant.name}]" if variant.name else "")
            first = self._seen.claim(slug, where)
            if first is not None:
                self.problems.append(
                    f"{where}: exported as '{slug}', as {first} is; name the "
                    "variants (or give the protocols ids) so that each is its own")


def clashing_names(results: Sequence[FileResult]) -> list[str]:
    """Problems for variants that would be exported under one name (two variants of a file
    named alike, VA003; or two files of one protocol id): one would overwrite the other.
    Found before anything is written, so such a run exports nothing."""
    clashes = SlugClashes()
    for result in results:
        clashes.add(result)
    return clashes.problems


class ArchiveRecords:
    """The records of a run's files, made a file at a time (`add`), and what the archive of
    them needs of the whole run: the problems (`check`), each record's links to the others
    (`based_on`), the archive's date and licence. `records_for` makes a list of them;
    `ArchiveExport` writes them to an archive as they come, so a build of ten thousand files
    never holds them all."""

    def __init__(self, *, date: datetime | None = None,
                 genre: str = "experiment template") -> None:
        self.date = date
        self.genre = genre
        self._clashes = SlugClashes()
        self._problems: list[str] = []  # of files that cannot be exported, in order
        self._identifiers = _Identifiers()  # titles Kadi4Mat would number
        # Every record's name, and the protocols each is made by: on disk
        # (``benchsheet.spool``), as a build of many files exports thousands of records.
        self._slugs = SpooledTexts()
        self._made_by: SpooledList[tuple[str, ...]] = SpooledList(list, tuple)
        self._newest: datetime | None = None
        self._licences: set[str | None] = set()

    def add(self, result: FileResult, sheets: SheetBook | None = None) -> list[ElnRecord]:
        """The record of one file (none when it cannot be exported: a problem kept for
        `check`); its links to other records are set by `based_on` once every file is in."""
        self._clashes.add(result)
        self._licences |= {v.protocol.license for v in result.variants if v.protocol}
        try:
            records = protocol_records(result, date=self.date, genre=self.genre, sheets=sheets)
        except ExportError as error:
            self._problems += error.problems
            return []
        base = result.variants[0].protocol
        assert base is not None  # protocol_records refuses a file whose variants do not model
        for record in records:
            self._identifiers.add(record)
            self._slugs.add(record.slug)
            self._made_by.append(tuple(_made_by_slugs(base)))
            if self._newest is None or record.date_modified > self._newest:
                self._newest = record.date_modified
        return records

    def check(self) -> None:
        """Raise `ExportError` with every problem of the run: the names taken twice alone if
        any (the records would overwrite each other), else the files that cannot be exported
        and the titles Kadi4Mat would number."""
        if self._clashes.problems:
            raise ExportError(self._clashes.problems)
        problems = self._problems + self._identifiers.problems
        if problems:
            raise ExportError(problems)

    def based_on(self, index: int, record: ElnRecord) -> tuple[str, ...]:
        """The records the `index`-th record's materials are made by, when the archive holds
        them."""
        return tuple(dict.fromkeys(slug for slug in self._made_by[index]
                                   if slug in self._slugs and slug != record.slug))

    def export_date(self) -> datetime:
        """The archive's date: the one given, else the newest protocol date (never the
        clock)."""
        if self.date is not None:
            return _as_datetime(self.date)
        assert self._newest is not None, "no record was added"
        return self._newest

    def license_url(self) -> str | None:
        """`license_url` of the files added."""
        return _licence_url(self._licences)


def records_for(results: Sequence[FileResult], *, date: datetime | None = None,
                genre: str = "experiment template",
                sheets: SheetBook | None = None) -> list[ElnRecord]:
    """Records of every file, in order; every problem of every file in one `ExportError`."""
    clashes = clashing_names(results)
    if clashes:  # refused before a sheet is rendered: the records would overwrite each other
        raise ExportError(clashes)
    made = ArchiveRecords(date=date, genre=genre)
    records = [record for result in results for record in made.add(result, sheets)]
    made.check()
    # A material made by another protocol points at that protocol's record, when the archive
    # holds it.
    return [replace(record, based_on=made.based_on(index, record))
            for index, record in enumerate(records)]


class _Identifiers:
    """`_clashing_identifiers`, a record at a time."""

    def __init__(self) -> None:
        self._seen: SpooledMap[str] = SpooledMap()  # each identifier's first record
        self.problems: list[str] = []

    def add(self, record: ElnRecord) -> None:
        identifier = kadi_identifier(record.name)
        first = self._seen.claim(identifier, record.slug)
        if first is not None:
            self.problems.append(f"{record.slug}: its title gives Kadi4Mat the identifier "
                                 f"'{identifier}', as {first}'s does; give "
                                 "the protocols ids that differ in their first 48 characters")


def _clashing_identifiers(records: Sequence[ElnRecord]) -> list[str]:
    """Entries Kadi4Mat would number (-1, -2, …) because their titles give one identifier."""
    identifiers = _Identifiers()
    for record in records:
        identifiers.add(record)
    return identifiers.problems


def _made_by_slugs(protocol: Protocol) -> Iterator[str]:
    """The record slugs (protocol ids) of the protocols the materials say they are made by."""
    for material in protocol.materials.values():
        if material.made_by is not None and material.when is True:
            yield material.made_by.protocol


def export_date(records: Sequence[ElnRecord], date: datetime | None = None) -> datetime:
    """The archive's date: the one given, else the newest protocol date (never the clock)."""
    if date is not None:
        return _as_datetime(date)
    return max(r.date_modified for r in records)


class ArchiveExport:
    """The `.eln` archive `benchsheet build` writes (`ARCHIVE_NAME` in its folder), made a
    file at a time: each file's record goes to the archive's spools as it is added, and
    `finish` checks the whole and writes the archive (nothing is written when a file cannot
    be exported). `export_all` for a list."""

    def __init__(self, out_dir: Path, date: datetime | None = None) -> None:
        self.target = out_dir / ARCHIVE_NAME
        self._records = ArchiveRecords(date=date)
        self._archive = ElnArchive(archive_name=self.target.stem)
        self._added = False

    def add(self, result: FileResult, sheets: SheetBook | None = None) -> None:
        self._added = True
        for record in self._records.add(result, sheets):
            self._archive.add(record)

    def finish(self) -> list[Path]:
        """Write the archive; the paths written (none for a run of no file). Raises
        `ExportError` when a protocol cannot be exported, `ElnWriteError` when the archive
        would be invalid."""
        try:
            if not self._added:
                return []
            self._records.check()
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self._archive.save(self.target, date=self._records.export_date(),
                               license_url=self._records.license_url(),
                               based_on=self._records.based_on)
            return [self.target]
        finally:
            self.close()

    def close(self) -> None:
        """Remove the archive's spools (what `finish` does when it is done)."""
        self._archive.close()


def export_all(results: Sequence[FileResult], out_dir: Path,
               date: datetime | None = None, *, sheets: SheetBook | None = None) -> list[Path]:
    """Write what `benchsheet build` exports for `results` into `out_dir`; the paths written.

    Today: one `.eln` archive, one entry per protocol file (`protocols.eln`). Raises
    `ExportError` when a protocol cannot be exported; nothing is written then.
    """
    export = ArchiveExport(out_dir, date)
    for result in results:
        export.add(result, sheets)
    return export.finish()


def license_url(results: Sequence[FileResult]) -> str | None:
    """The crate's licence: the SPDX page of the one licence all protocols share, else None."""
    return _licence_url({v.protocol.license for r in results for v in r.variants if v.protocol})


def _licence_url(licences: set[str | None]) -> str | None:
    if len(licences) != 1:
        return None
    (licence,) = licences
    if licence is None or not re.fullmatch(r"[A-Za-z0-9.+-]+", licence):
        return None
    return f"https://spdx.org/licenses/{licence}.html"
