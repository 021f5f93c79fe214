"""Protocol → `.eln` record: what a checked protocol (one variant) becomes inside an archive.

Every number comes from the pipeline's output: material amounts from the amounts table,
conditions and reported figures from the typed model. Nothing re-parses the YAML; the YAML's
original bytes only travel along as a file, so `benchsheet import` can give them back unchanged.
Nothing reads the wall clock: dates come from the protocol's `date` or from the caller.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, time
from html import escape
from pathlib import Path
from typing import Any, Literal

from benchsheet.chemistry.amounts import AmountsTable, MaterialAmount
from benchsheet.chemistry.interval import Interval
from benchsheet.export.eln_records import ElnFile, ElnPerson, ElnQuantity, ElnRecord
from benchsheet.export.eln_write import write_eln
from benchsheet.model import steps as st
from benchsheet.model.claims import (
    MeasuredClaim,
    RatioClaim,
    TurnoverFrequencyClaim,
    TurnoverNumberClaim,
    YieldClaim,
)
from benchsheet.model.protocol import Author, Protocol
from benchsheet.units import Measured, format_measured
from benchsheet.validate import FileResult, VariantResult

__all__ = [
    "ARCHIVE_NAME",
    "CATEGORY",
    "IDENTIFIER_PREFIX",
    "PROTOCOL_MEDIA_TYPE",
    "ExportError",
    "describe_step",
    "export_all",
    "export_date",
    "license_url",
    "protocol_bytes",
    "protocol_records",
    "records_for",
    "render_sheet",
    "variant_slug",
]

#: Every protocol dataset carries this category (eLabFTW's category, with its colour).
CATEGORY = ("Protocol", "2825B0")
#: A dataset's identifier is `benchsheet:<protocol id>[:<variant>]`; the importer looks for it.
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
    rows = [(mid, _amount_words(mid, amounts)) for mid in amounts.materials]
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


# --- steps in words --------------------------------------------------------------------------


def _q(m: Measured | None) -> str:
    return "" if m is None else format_measured(m)


def _at(m: Measured | None) -> str:
    return f" at {format_measured(m)}" if m is not None else ""


def _for(m: Measured | None) -> str:
    return f" for {format_measured(m)}" if m is not None else ""


def _amount_words(mid: str, amounts: AmountsTable) -> str:
    """`1.5 mmol = 274.982 mg` for a material, from the amounts table."""
    entry = amounts.materials.get(mid)
    if entry is None:
        return mid
    words = []
    if entry.moles is not None:
        words.append(_span(entry.moles, 1e3, "mmol"))
    if entry.mass is not None:
        big = entry.mass.nominal >= 1.0  # 39.3 g of ethanol reads better than 39298.7 mg
        words.append(_span(entry.mass, 1.0, "g") if big else _span(entry.mass, 1e3, "mg"))
    if entry.volume is not None and _dispensed_by_volume(entry):
        words.append(_span(entry.volume, 1.0, "mL"))
    name = entry.reagent.name
    return f"{name}, " + " = ".join(words) if words else name


def _dispensed_by_volume(entry: MaterialAmount) -> bool:
    """A solid's volume (from its density) is no use at the bench; a liquid's is."""
    return entry.basis in ("volume", "solution") or entry.reagent.phase_25C != "solid"


def _span(value: Interval, scale: float, unit: str) -> str:
    low, nominal, high = (_round(x * scale) for x in (value.low, value.nominal, value.high))
    if low == high:
        return f"{_number(nominal)} {unit}"
    return f"{_number(low)}–{_number(high)} {unit}"


def _with_amounts(mids: Sequence[str], amounts: AmountsTable) -> str:
    return "; ".join(f"{mid} ({_amount_words(mid, amounts)})" for mid in mids)


def describe_step(step: st.Step, amounts: AmountsTable) -> str:
    """One step in words, with the amounts of the materials it handles and its note."""
    text = _STEP_WORDS[type(step)](step, amounts)
    extras = [x for x in (step.note, f"Assumed: {step.assumed}" if step.assumed else None) if x]
    return " ".join([text.rstrip() + ".", *extras])


def _add(s: st.Add, a: AmountsTable) -> str:
    how = " dropwise" if s.dropwise else ""
    air = f" under {s.atmosphere}" if s.atmosphere else ""
    return f"Add{how} {_with_amounts(s.materials, a)} to {s.to}{_at(s.temperature)}{air}"


def _dissolve(s: st.Dissolve, a: AmountsTable) -> str:
    return (f"Dissolve {_with_amounts(s.materials, a)} in {s.solvent} "
            f"({_amount_words(s.solvent, a)}) in {s.vessel}{_at(s.temperature)}")


def _stirring(value: Measured | str | None) -> str:
    if value is None or value == "none":
        return ""
    return f", stirring ({value if isinstance(value, str) else format_measured(value)})"


def _heat(s: st.Heat, a: AmountsTable) -> str:
    verb = "Hold" if s.action == "hold" else "Heat"
    forms = f"; forms {s.product}" if s.product else ""
    air = f" under {s.atmosphere}" if s.atmosphere else ""
    return (f"{verb} {s.vessel} at {_q(s.temperature)}{_for(s.duration)}"
            f"{_stirring(s.stirring)}{air}{forms}")


def _stir(s: st.Stir, a: AmountsTable) -> str:
    forms = f"; forms {s.product}" if s.product else ""
    return (f"Stir {s.vessel}{_at(s.temperature)} for {_q(s.duration)}"
            f"{_stirring(s.stirring)}{forms}")


def _cool(s: st.Cool, a: AmountsTable) -> str:
    return f"Cool {s.vessel} to {_q(s.temperature)} ({s.method})"


def _quench(s: st.Quench, a: AmountsTable) -> str:
    return f"Quench {s.vessel} in a {s.bath} bath" + (
        f" to {_q(s.temperature)}" if s.temperature else "")


def _bubble(s: st.Bubble, a: AmountsTable) -> str:
    rate = f" at {_q(s.flow_rate)}" if s.flow_rate else ""
    return f"Bubble {s.gas} through {s.into}{rate} for {_q(s.duration)}{_at(s.temperature)}"


def _pressurize(s: st.Pressurize, a: AmountsTable) -> str:
    return f"Pressurize {s.vessel} with {s.gas} to {_q(s.pressure)}"


def _vent(s: st.Vent, a: AmountsTable) -> str:
    return f"Vent {s.vessel}" + (f" ({s.gas})" if s.gas else "") + " in the fume hood"


def _inject(s: st.Inject, a: AmountsTable) -> str:
    verb = "Inject" if s.action == "inject" else "Transfer"
    rate = f" at {_q(s.rate)}" if s.rate else ""
    return f"{verb} the contents of {s.source} into {s.into}{_at(s.temperature)}{rate}"


def _centrifuge(s: st.Centrifuge, a: AmountsTable) -> str:
    where = f" {s.vessel}" if s.vessel else ""
    return (f"Centrifuge{where} at {_q(s.speed)}{_for(s.duration)}{_at(s.temperature)}; "
            f"keep the {s.keep}")


def _wash(s: st.Wash, a: AmountsTable) -> str:
    per = f" {_q(s.volume)}" if s.volume else ""
    spin = f", spinning at {_q(s.speed)}" if s.speed else ""
    return (f"Wash {s.times}× with{per} {s.solvent} ({_amount_words(s.solvent, a)})"
            f"{_for(s.duration)}{spin}")


def _dry(s: st.Dry, a: AmountsTable) -> str:
    pressure = f" at {_q(s.pressure)}" if s.pressure else ""
    return f"Dry ({s.method}){_at(s.temperature)}{pressure}{_for(s.duration)}"


def _redisperse(s: st.Redisperse, a: AmountsTable) -> str:
    volume = f" {_q(s.volume)}" if s.volume else ""
    where = f" in {s.vessel}" if s.vessel else ""
    return f"Redisperse in{volume} {s.solvent}{where}"


def _drop_cast(s: st.DropCast, a: AmountsTable) -> str:
    volume = f" {_q(s.volume)}" if s.volume else ""
    return f"Drop-cast{volume} onto {s.onto}; dry ({s.drying})"


def _irradiate(s: st.Irradiate, a: AmountsTable) -> str:
    parts = [f"Irradiate at {_q(s.wavelength)}"]
    if s.excitation_bandwidth:
        parts.append(f"excitation bandwidth {_q(s.excitation_bandwidth)}")
    if s.emission_wavelength:
        parts.append(f"emission at {_q(s.emission_wavelength)}")
    if s.emission_bandwidth:
        parts.append(f"emission bandwidth {_q(s.emission_bandwidth)}")
    if s.dwell:
        parts.append(f"dwell {_q(s.dwell)}")
    if s.duration:
        parts.append(f"for {_q(s.duration)}")
    if s.atmosphere:
        parts.append(f"under {s.atmosphere}")
    return ", ".join(parts)


def _measure(s: st.Measure, a: AmountsTable) -> str:
    text = f"Measure {s.technique}"
    if s.sample:
        text += f" of {s.sample}"
    size = s.sample_volume or s.sample_mass
    if size is not None:
        text += f" ({_q(size)})"
    if s.repeats > 1:
        text += f", {s.repeats} times"
    if s.records:
        text += f"; record {', '.join(s.records)}"
    return text


def _filter(s: st.Filter, a: AmountsTable) -> str:
    return "Filter" + (f" {s.vessel}" if s.vessel else "") + f"; keep the {s.keep}"


def _repeat(s: st.Repeat, a: AmountsTable) -> str:
    inner = [describe_step(sub, a) for sub in s.steps if sub.when is True]
    listed = " ".join(f"({chr(ord('a') + i)}) {text}" for i, text in enumerate(inner))
    return f"Repeat {s.times}×: {listed}".rstrip(".")


# Every step type must be here: a new action without words fails loudly (KeyError), and
# tests/test_export_records.py checks the table against the model's union.
_STEP_WORDS: dict[type, Callable[[Any, AmountsTable], str]] = {
    st.Add: _add, st.Dissolve: _dissolve, st.Heat: _heat, st.Stir: _stir, st.Cool: _cool,
    st.Quench: _quench, st.Bubble: _bubble, st.Pressurize: _pressurize, st.Vent: _vent,
    st.Inject: _inject, st.Centrifuge: _centrifuge, st.Wash: _wash, st.Dry: _dry,
    st.Redisperse: _redisperse, st.DropCast: _drop_cast, st.Irradiate: _irradiate,
    st.Measure: _measure, st.Filter: _filter, st.Repeat: _repeat,
}


def step_texts(protocol: Protocol, amounts: AmountsTable) -> Iterator[str]:
    """The active top-level steps in words (a repeat block is one step)."""
    for step in protocol.steps:
        if step.when is True:
            yield describe_step(step, amounts)


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


def _material_quantities(amounts: AmountsTable) -> Iterator[ElnQuantity]:
    for mid, entry in amounts.materials.items():
        label = f"{entry.reagent.name} ({mid})"
        if entry.moles is not None:
            yield _from_interval(f"{mid}.amount", entry.moles, 1e3, "mmol",
                                 f"{label}: amount of substance", "Materials")
        if entry.mass is not None:
            yield _from_interval(f"{mid}.mass", entry.mass, 1e3, "mg", f"{label}: mass",
                                 "Materials")
        if entry.volume is not None and _dispensed_by_volume(entry):
            yield _from_interval(f"{mid}.volume", entry.volume, 1.0, "mL", f"{label}: volume",
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
    """The protocol file as it is on disk, if that is still what was validated; else its text.

    The loader keeps the decoded text; the file's own bytes (a byte-order mark, say) are what
    an import must give back, so they are read once more here, and only trusted if they still
    decode to the validated text.
    """
    text = result.document.text
    path = Path(result.document.path)
    try:
        raw = path.read_bytes()
    except OSError:
        return text.encode("utf-8")
    try:
        same = raw.decode("utf-8-sig") == text
    except UnicodeDecodeError:
        same = False
    return raw if same else text.encode("utf-8")


def _file_name(result: FileResult, protocol: Protocol) -> str:
    name = Path(result.document.path).name
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+-]*\.ya?ml", name):
        return name
    return f"{protocol.id}.yaml"


def _concrete(variant: VariantResult) -> tuple[Protocol, AmountsTable]:
    if variant.protocol is None or variant.amounts is None:
        raise ExportError([f"variant {variant.name or '(base)'} did not model"])
    return variant.protocol, variant.amounts


def protocol_records(result: FileResult, *, date: datetime | None = None,
                     genre: str = "experiment template") -> list[ElnRecord]:
    """One record per concrete variant of one validated file (the base protocol first).

    `date` overrides the protocol's own `date` for the records' created/modified dates.
    Raises `ExportError` when the file did not load or a variant did not model.
    """
    broken = [v for v in result.variants if v.protocol is None or v.amounts is None]
    if not result.variants or broken:
        errors = [f for f in result.findings if f.fails and f.severity.name == "ERROR"]
        shown = [f"{f.location()} {f.code} {f.message}" for f in errors[:5]]
        raise ExportError([f"{result.document.path}: cannot be exported, it does not model",
                           *shown])
    source = protocol_bytes(result)
    records = []
    for variant in result.variants:
        protocol, amounts = _concrete(variant)
        moment = date or (_as_datetime(protocol.date) if protocol.date else None)
        if moment is None:
            raise ExportError([f"{result.document.path}: the protocol has no 'date'; give one "
                               "(or --date) so that the export does not depend on the clock"])
        slug = variant_slug(protocol.id, variant.name)
        sheet_html = render_sheet(result, variant, "html")
        title = protocol.title + (f" ({variant.name})" if variant.name else "")
        files = (
            ElnFile(_file_name(result, protocol), source, PROTOCOL_MEDIA_TYPE,
                    PROTOCOL_FILE_DESCRIPTION),
            ElnFile(f"{slug}.md", render_sheet(result, variant, "md").encode("utf-8"),
                    _MEDIA["md"], "bench sheet (Markdown)"),
            ElnFile(f"{slug}.html", sheet_html.encode("utf-8"),
                    _MEDIA["html"], "bench sheet (HTML)"),
        )
        authors = tuple(_person(a) for a in protocol.authors) or (ElnPerson("", "benchsheet"),)
        records.append(ElnRecord(
            slug=slug,
            name=title,
            genre=genre,
            description=" ".join((protocol.summary or protocol.title).split()),
            body=sheet_html,
            body_format="text/html",
            keywords=_keywords(protocol.tags),
            steps=tuple(step_texts(protocol, amounts)),
            quantities=(*_material_quantities(amounts), *_condition_quantities(protocol),
                        *_result_quantities(protocol)),
            files=files,
            authors=authors,
            date_created=_as_datetime(moment),
            date_modified=_as_datetime(moment),
            identifier=IDENTIFIER_PREFIX + protocol.id
            + (f":{variant.name}" if variant.name else ""),
            category=CATEGORY,
        ))
    return records


def records_for(results: Sequence[FileResult], *, date: datetime | None = None,
                genre: str = "experiment template") -> list[ElnRecord]:
    """Records of every file, in order; every problem of every file in one `ExportError`."""
    records: list[ElnRecord] = []
    problems: list[str] = []
    for result in results:
        try:
            records += protocol_records(result, date=date, genre=genre)
        except ExportError as error:
            problems += error.problems
    if problems:
        raise ExportError(problems)
    return records


def export_date(records: Sequence[ElnRecord], date: datetime | None = None) -> datetime:
    """The archive's date: the one given, else the newest protocol date (never the clock)."""
    if date is not None:
        return _as_datetime(date)
    return max(r.date_modified for r in records)


def export_all(results: Sequence[FileResult], out_dir: Path,
               date: datetime | None = None) -> list[Path]:
    """Write what `benchsheet build` exports for `results` into `out_dir`; the paths written.

    Today: one `.eln` archive of every protocol and variant (`protocols.eln`). Raises
    `ExportError` when a protocol cannot be exported; nothing is written then.
    """
    records = records_for(results, date=date)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / ARCHIVE_NAME
    write_eln(records, target, date=export_date(records, date),
              license_url=license_url(results))
    return [target]


def license_url(results: Sequence[FileResult]) -> str | None:
    """The crate's licence: the SPDX page of the one licence all protocols share, else None."""
    licences = {v.protocol.license for r in results for v in r.variants if v.protocol}
    if len(licences) != 1:
        return None
    (licence,) = licences
    if licence is None or not re.fullmatch(r"[A-Za-z0-9.+-]+", licence):
        return None
    return f"https://spdx.org/licenses/{licence}.html"
