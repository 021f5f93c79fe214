"""The sheet's view-model: everything a template prints, as plain text, from the pipeline output.

Numbers come from the amounts table and the balances in it, words for steps from
``render.words``, hazards and controls from ``chemistry.hazards``; templates only lay them out.
Every field is plain text; the template environment escapes it for HTML or Markdown.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Literal

from benchsheet.chemistry.amounts import AmountsTable, MaterialAmount
from benchsheet.chemistry.hazards import controls_for, hazard_statements, used_reagents
from benchsheet.chemistry.interval import Interval
from benchsheet.expand import format_value
from benchsheet.findings import Finding, sort_key
from benchsheet.loader import LoadedDocument
from benchsheet.model import steps as st
from benchsheet.model.protocol import Protocol
from benchsheet.render.words import (
    STEP_WORDS,
    bench_mass,
    bench_moles,
    bench_span,
    bench_text,
    bench_volume,
    dispensed_by_volume,
    made_by_words,
    sig,
)
from benchsheet.units import Measured, format_measured
from benchsheet.validate import FileResult, VariantResult

Paper = Literal["a4", "letter"]

# GHS pictogram names (UN GHS Rev. 9, Annex 3, section 3), printed beside the code.
PICTOGRAMS: dict[str, str] = {
    "GHS01": "exploding bomb", "GHS02": "flame", "GHS03": "flame over circle",
    "GHS04": "gas cylinder", "GHS05": "corrosion", "GHS06": "skull and crossbones",
    "GHS07": "exclamation mark", "GHS08": "health hazard", "GHS09": "environment",
}


@dataclass(frozen=True)
class Pictogram:
    code: str
    name: str


@dataclass(frozen=True)
class ReagentHazard:
    name: str
    materials: str
    signal_word: str
    pictograms: tuple[Pictogram, ...]
    h_codes: str


@dataclass(frozen=True)
class Statement:
    code: str
    text: str
    reagents: str


@dataclass(frozen=True)
class MaterialRow:
    id: str
    name: str
    cas: str
    form: str
    purity: str
    role: str
    supplier: str
    made_by: str  # "made by protocol …, variant …, product …" for another protocol's product
    written: str  # the amount as the protocol writes it
    mmol: str
    mass: str
    volume: str
    equivalents: str
    weigh: Literal["mass", "volume", "gas", ""]  # what the bench measures out
    note: str
    assumed: str


@dataclass(frozen=True)
class Row:
    """A labelled line of a small table: a vessel, an instrument, a figure."""

    label: str
    text: str
    detail: str = ""


@dataclass(frozen=True)
class StepView:
    number: str
    action: str
    text: str
    note: str
    assumed: str
    blanks: tuple[str, ...]
    substeps: tuple[StepView, ...] = ()


@dataclass(frozen=True)
class FindingView:
    code: str
    severity: str
    message: str
    hint: str
    location: str
    acknowledged: str  # the protocol's reason; "" when not acknowledged


@dataclass(frozen=True)
class SheetView:
    """One bench sheet: one protocol variant, possibly scaled."""

    protocol_id: str
    title: str
    version: str
    date: str
    variant: str
    settings: str
    file: str
    content_hash: str
    doi: str
    doi_url: str
    section: str
    citation: str
    url: str
    authors: str
    license: str
    summary: str
    assumptions: tuple[str, ...]
    scale: str
    signal_word: str
    hazards: tuple[ReagentHazard, ...]
    statements: tuple[Statement, ...]
    controls: tuple[str, ...]
    materials: tuple[MaterialRow, ...]
    limiting: str
    vessels: tuple[Row, ...]
    equipment: tuple[Row, ...]
    steps: tuple[StepView, ...]
    figures: tuple[Row, ...]
    findings: tuple[FindingView, ...]
    counts: dict[str, int] = field(default_factory=dict)
    paper: Paper = "a4"

    @property
    def flat_steps(self) -> list[tuple[int, StepView]]:
        """Every step with its depth (0 at the top, 1 inside a repeat, …), in order."""
        out: list[tuple[int, StepView]] = []

        def walk(steps: Sequence[StepView], depth: int) -> None:
            for step in steps:
                out.append((depth, step))
                walk(step.substeps, depth + 1)

        walk(self.steps, 0)
        return out


# --- what a bench worker fills in, per action ------------------------------------------------

_OBSERVED = "observations"
# Every action in model.steps.ACTIONS must be here (tests/test_render.py checks it): the blanks
# are what is actually done, to be written in by hand.
STEP_BLANKS: dict[str, tuple[str, ...]] = {
    "add": ("amounts actually added", "time", _OBSERVED),
    "dissolve": ("amounts actually used", "dissolved at (time)", _OBSERVED),
    "heat": ("start", "stop", "temperature read", _OBSERVED),
    "hold": ("start", "stop", "temperature read", _OBSERVED),
    "stir": ("start", "stop", "temperature read", _OBSERVED),
    "cool": ("start", "temperature reached at (time)", _OBSERVED),
    "quench": ("time", "temperature read", _OBSERVED),
    "bubble": ("start", "stop", "flow / bubbles seen", _OBSERVED),
    "pressurize": ("pressure read", "time", "leak test passed"),
    "vent": ("time", "pressure before venting", _OBSERVED),
    "inject": ("time", "volume transferred", _OBSERVED),
    "transfer": ("time", "volume transferred", _OBSERVED),
    "centrifuge": ("speed set", "start", "stop", _OBSERVED),
    "wash": ("washes done", "volume per wash", _OBSERVED),
    "dry": ("start", "stop", "mass after drying"),
    "redisperse": ("volume used", _OBSERVED),
    "drop-cast": ("volume cast", "substrate id", _OBSERVED),
    "irradiate": ("start", "stop", "lamp power / setting", _OBSERVED),
    "measure": ("sample id", "file name", "result"),
    "filter": ("time", "mass / volume kept", _OBSERVED),
    "repeat": ("cycles done",),
}


def step_views(steps: Sequence[st.Step], amounts: AmountsTable, prefix: str = ""
               ) -> tuple[StepView, ...]:
    """Numbered steps in words (1, 2, …; inside a repeat 3a, 3b, …), active ones only."""
    out: list[StepView] = []
    for step in (s for s in steps if s.when is True):
        number = (f"{prefix}{chr(ord('a') + len(out))}" if prefix else str(len(out) + 1))
        substeps: tuple[StepView, ...] = ()
        if isinstance(step, st.Repeat):
            text = f"Repeat {step.times}×:"
            substeps = step_views(step.steps, amounts, number)
        else:
            text = STEP_WORDS[type(step)](step, amounts).rstrip(".") + "."
        out.append(StepView(number, step.action, text, step.note or "", step.assumed or "",
                            STEP_BLANKS[step.action], substeps))
    return tuple(out)


# --- materials ---------------------------------------------------------------------------


def _span(value: Interval | None, show: Callable[[float], str]) -> str:
    return bench_span(value, show) if value is not None else ""


def _limiting_reference(amounts: AmountsTable) -> tuple[str, float] | None:
    """The material that equivalents are counted against: the first product's limiting one."""
    for balance in amounts.balances.values():
        for mid in balance.limiting_materials:
            entry = amounts.materials.get(mid)
            if entry is not None and entry.moles is not None and entry.moles.nominal > 0:
                return mid, entry.moles.nominal
    return None


def _gas_written(entry: MaterialAmount) -> str:
    gas = entry.material.gas
    if gas is None:
        return ""
    if gas.mode == "charge":
        return (f"charged to {bench_text(gas.pressure)} into {gas.vessel} at "
                f"{bench_text(gas.temperature)}")
    if gas.mode == "flow":
        parts = ["fed continuously"]
        if gas.flow_rate is not None:
            parts.append(f"at {bench_text(gas.flow_rate)}")
        if gas.duration is not None:
            parts.append(f"for {bench_text(gas.duration)}")
        return " ".join(parts)
    return "as a blanket (atmosphere)"


def _written(m: Measured, scaled: bool) -> str:
    """The amount as written; a scaled one to four figures (``0.6190 mmol``, not 0.6190470)."""
    if not scaled:
        return bench_text(m)

    def short(d: Decimal | None) -> Decimal | None:
        return None if d is None else Decimal(sig(float(d)))

    return format_measured(replace(m, value=short(m.value) or m.value, upper=short(m.upper),
                                   tolerance=short(m.tolerance)))


def material_rows(amounts: AmountsTable, scaled: bool = False) -> tuple[MaterialRow, ...]:
    reference = _limiting_reference(amounts)
    rows = []
    for mid, entry in amounts.materials.items():
        m = entry.material
        written = _written(m.amount, scaled) if m.amount is not None else ""
        if m.concentration is not None:
            written += f" of {bench_text(m.concentration)}"
        gas = _gas_written(entry)
        written = "; ".join(x for x in (written, gas) if x)
        by_volume = dispensed_by_volume(entry)
        equivalents = ""
        if reference is not None and entry.moles is not None and m.role not in (
                "wash", "antisolvent", "solvent", "atmosphere", "sample", "standard"):
            equivalents = sig(entry.moles.nominal / reference[1], 3)
        weigh: Literal["mass", "volume", "gas", ""] = (
            "gas" if m.gas is not None else "volume" if by_volume and entry.volume is not None
            else "mass" if entry.mass is not None else "")
        rows.append(MaterialRow(
            id=mid, name=entry.reagent.name, cas=entry.reagent.cas or "", form=m.form or "",
            purity=bench_text(m.purity) if m.purity is not None else "",
            role=m.role or "", supplier=m.supplier or "", made_by=made_by_words(m.made_by),
            written=written,
            mmol=_span(entry.moles, bench_moles), mass=_span(entry.mass, bench_mass),
            volume=_span(entry.volume, bench_volume) if by_volume else "",
            equivalents=equivalents, weigh=weigh, note=m.note or "", assumed=m.assumed or "",
        ))
    return tuple(rows)


# --- hazards ----------------------------------------------------------------------------------


def _hazards(amounts: AmountsTable) -> tuple[str, tuple[ReagentHazard, ...],
                                             tuple[Statement, ...], tuple[str, ...]]:
    used = used_reagents(amounts)
    rows = []
    words = set()
    for u in used:
        ghs = u.reagent.ghs
        if ghs is None or not (ghs.h_codes or ghs.pictograms):
            continue
        if ghs.signal_word:
            words.add(ghs.signal_word)
        rows.append(ReagentHazard(
            u.reagent.name, ", ".join(u.material_ids), ghs.signal_word or "",
            tuple(Pictogram(p, PICTOGRAMS.get(p, "")) for p in ghs.pictograms),
            ", ".join(ghs.h_codes)))
    signal = "Danger" if "Danger" in words else ("Warning" if words else "")
    statements = tuple(Statement(s.code, s.text or "", ", ".join(s.reagents))
                       for s in hazard_statements(used))
    controls = tuple(c.text for c in controls_for(used))
    return signal, tuple(rows), statements, controls


# --- computed figures -------------------------------------------------------------------------


def figures(protocol: Protocol, amounts: AmountsTable) -> tuple[Row, ...]:
    """Limiting reagent, element ratios, theoretical yields and gas in headspaces."""
    rows: list[Row] = []
    for pid, balance in amounts.balances.items():
        product = protocol.products[pid]
        if balance.formula_units is None:
            continue
        if balance.supplies:
            supply = "; ".join(f"{s.element} {bench_span(s.available, bench_moles)}"
                               for s in balance.supplies)
            rows.append(Row(f"{pid}: element supply", supply, f"by {balance.method}"))
            # Ratios against the (first) limiting element: Se:Cd = 3 reads as the paper's.
            ref = next((s for s in balance.supplies if s.element in balance.limiting),
                       balance.supplies[0])
            if ref.available.nominal > 0 and len(balance.supplies) > 1:
                ratios = ", ".join(
                    f"{s.element}:{ref.element} = "
                    f"{sig(s.available.nominal / ref.available.nominal, 3)}"
                    for s in balance.supplies if s is not ref)
                rows.append(Row(f"{pid}: mole ratios", ratios))
        limiting = ", ".join(balance.limiting)
        if limiting:
            excess = ", ".join(f"{k} ×{sig(v.nominal, 3)}" for k, v in balance.excess().items())
            rows.append(Row(f"{pid}: limiting", limiting,
                            f"excess: {excess}" if excess else ""))
        yields = []
        if balance.clusters is not None:
            yields.append(f"{bench_span(balance.clusters, bench_moles)} of clusters "
                          f"({bench_span(balance.formula_units, bench_moles)} formula units "
                          f"÷ {balance.nuclearity})")
        else:
            yields.append(bench_span(balance.formula_units, bench_moles))
        if balance.theoretical_mass_g is not None:
            core = " (inorganic core)" if balance.nuclearity else ""
            yields.append(f"{bench_span(balance.theoretical_mass_g, bench_mass)}{core}")
        rows.append(Row(f"{pid}: theoretical yield", " = ".join(yields), product.name))
        if product.isolated is not None:
            rows.append(Row(f"{pid}: isolated (reported)", bench_text(product.isolated)))
    for mid, gas in amounts.gases.items():
        text = (f"{bench_span(gas.moles, bench_moles)} in {sig(gas.headspace_mL, 3)} mL "
                f"headspace of {gas.vessel}")
        detail = (f"{sig(gas.pressure_abs_Pa.nominal / 1e5, 3)} bar abs at "
                  f"{sig(gas.temperature_K - 273.15, 3)} °C, Z = {sig(gas.z, 3)}"
                  f" ({sig(gas.vessel_volume_mL, 3)} mL vessel − "
                  f"{sig(gas.condensed_volume_mL, 3)} mL condensed)")
        if gas.replenished:
            detail += "; recharged during the run"
        rows.append(Row(f"{mid}: gas charged", text, detail))
    return tuple(rows)


# --- findings and identity ----------------------------------------------------------------------


def finding_views(findings: Sequence[Finding]) -> tuple[FindingView, ...]:
    ordered = sorted(findings, key=lambda f: (f.acknowledged is not None, -f.severity,
                                              *sort_key(f)))
    return tuple(FindingView(f.code, str(f.severity), f.message, f.hint,
                             f"{Path(f.file).name}:{f.line}:{f.column}", f.acknowledged or "")
                 for f in ordered)


def content_hash(document: LoadedDocument) -> str:
    """sha256 of the protocol file's bytes, first 12 hex digits.

    The loader keeps the decoded text; the file's own bytes are used only if they still decode
    to that text (else the text, as UTF-8), so the hash names what was validated.
    """
    data = document.text.encode("utf-8")
    try:
        raw = Path(document.path).read_bytes()
        if raw.decode("utf-8-sig") == document.text:
            data = raw
    except (OSError, UnicodeDecodeError):
        pass
    return hashlib.sha256(data).hexdigest()[:12]


def _counts(findings: Sequence[FindingView]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0, "acknowledged": 0}
    for f in findings:
        if f.acknowledged:
            counts["acknowledged"] += 1
        else:
            counts[f.severity] += 1
    return counts


def _walk(steps: Sequence[st.Step]) -> Iterator[st.Step]:
    for step in steps:
        if step.when is True:
            yield step
            if isinstance(step, st.Repeat):
                yield from _walk(step.steps)


def build_view(result: FileResult, variant: VariantResult, findings: Sequence[Finding],
               *, scale: Decimal = Decimal(1), scale_basis: str = "",
               paper: Paper = "a4") -> SheetView:
    """The sheet of one modelled variant; ``findings`` are the ones to print on it."""
    protocol, amounts = variant.protocol, variant.amounts
    if protocol is None or amounts is None:
        raise ValueError(f"variant {variant.name or '(base)'} did not model")
    used_equipment = {getattr(s, name) for s in _walk(protocol.steps)
                      for name in ("rotor", "instrument") if getattr(s, name, None)}
    vessels = tuple(
        Row(vid, v.kind + (f", {bench_text(v.volume)}" if v.volume else "")
            + (", sealed" if v.closed else ""),
            "; ".join(x for x in (
                f"rated {bench_text(v.pressure_rating)}" if v.pressure_rating else "",
                v.material or "", v.note or "",
                f"Assumed: {v.assumed}" if v.assumed else "") if x))
        for vid, v in protocol.vessels.items() if v.when is True)
    equipment = tuple(
        Row(eid, e.kind + (f" ({e.model})" if e.model else ""),
            "; ".join(x for x in (
                f"rotor radius {bench_text(e.rotor_radius)}" if e.rotor_radius else "",
                e.note or "", f"Assumed: {e.assumed}" if e.assumed else "",
                "" if eid in used_equipment else "not used by any step") if x))
        for eid, e in protocol.equipment.items() if e.when is True)
    signal, hazards, statements, controls = _hazards(amounts)
    found = finding_views(findings)
    doi = protocol.source.doi or ""
    scale_text = ""
    if scale != 1:
        scale_text = f"×{format_value(float(scale))}" + (f" ({scale_basis})"
                                                         if scale_basis else "")
    return SheetView(
        protocol_id=protocol.id, title=protocol.title, version=protocol.version,
        date=protocol.date.isoformat() if protocol.date else "",
        variant=variant.name,
        settings=", ".join(f"{k} = {format_value(v)}" for k, v in variant.values.items()),
        file=Path(result.document.path).name, content_hash=content_hash(result.document),
        doi=doi, doi_url=f"https://doi.org/{doi}" if doi else "",
        section=protocol.source.section, citation=protocol.source.citation or "",
        url=protocol.source.url or "",
        authors=", ".join(a.name for a in protocol.authors), license=protocol.license or "",
        summary=" ".join((protocol.summary or "").split()),
        assumptions=tuple(" ".join(a.split()) for a in protocol.assumptions),
        scale=scale_text, signal_word=signal, hazards=hazards, statements=statements,
        controls=controls, materials=material_rows(amounts, scaled=scale != 1),
        limiting=(ref[0] if (ref := _limiting_reference(amounts)) else ""),
        vessels=vessels, equipment=equipment, steps=step_views(protocol.steps, amounts),
        figures=figures(protocol, amounts), findings=found, counts=_counts(found),
        paper=paper,
    )
