"""The sheet's view-model: everything a template prints, as plain text, from the pipeline output.

Numbers come from the amounts table and the balances in it, words for steps from
``render.words``, hazards and controls from ``chemistry.hazards``; templates only lay them out.
Every field is plain text; the template environment escapes it for HTML or Markdown.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Literal

from benchsheet.chemistry.amounts import AmountsTable, MaterialAmount
from benchsheet.chemistry.hazards import (
    HEAT_SAFELY,
    LEAK_TEST,
    HeatedFlammable,
    UsedReagent,
    flammables_heated_open,
    hazard_flags,
    hazard_statements,
    used_reagents,
)
from benchsheet.chemistry.interval import Interval
from benchsheet.chemistry.phases import liquid_volume_mL
from benchsheet.chemistry.substrate import equivalents_reference
from benchsheet.chemistry.vessels import VesselState
from benchsheet.expand import format_value
from benchsheet.findings import Finding, PathPart, sort_key
from benchsheet.loader import LoadedDocument
from benchsheet.model import steps as st
from benchsheet.model.equipment import Vessel
from benchsheet.model.portions import PortionUse, portion_uses, portions_total_mL
from benchsheet.model.protocol import Protocol
from benchsheet.render.pictograms import GHS_NAMES
from benchsheet.render.words import (
    bench_mass,
    bench_moles,
    bench_span,
    bench_text,
    bench_volume,
    dispensed_by_volume,
    made_by_words,
    product_names,
    sig,
    step_words,
    substep_letter,
)
from benchsheet.units import Measured, format_measured
from benchsheet.validate import FileResult, VariantResult

Paper = Literal["a4", "letter"]

# GHS pictogram names, printed beside the code (render.pictograms draws them).
PICTOGRAMS = GHS_NAMES


@dataclass(frozen=True)
class Pictogram:
    code: str
    name: str


@dataclass(frozen=True)
class PictogramUse:
    """One pictogram of the hazard summary, drawn once, with the reagents that carry it."""

    code: str
    name: str
    reagents: str


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
    blank_unit: str = ""  # the unit of the mass or volume printed: "mg", "g", "µL", "mL"
    total: str = ""  # "used 20×: 200.0 mL in all" for a material used more than once

    @property
    def written_if_new(self) -> str:
        """The amount as written, unless it only repeats a printed column in fewer figures
        (``1.5 mmol`` beside ``1.500 mmol``): the printed sheet has no room for echoes."""
        number, _, unit = self.written.partition(" ")
        try:
            value = float(number)
        except ValueError:
            return self.written
        for printed in (self.mmol, self.mass, self.volume):
            shown, _, shown_unit = printed.partition(" ")
            try:
                if shown_unit == unit and math.isclose(float(shown), value, rel_tol=1e-9):
                    return ""
            except ValueError:
                continue
        return self.written


@dataclass(frozen=True)
class Row:
    """A labelled line of a small table: a vessel, an instrument, a figure."""

    label: str
    text: str
    detail: str = ""


BlankSize = Literal["short", "medium", "line"]


@dataclass(frozen=True)
class Blank:
    """A write-in blank and how much room what is written in it needs: a clock time or a
    reading (short), a volume, mass or sample id (medium), or sentences (the rest of the line)."""

    label: str
    size: BlankSize


@dataclass(frozen=True)
class StepView:
    number: str
    action: str
    text: str
    note: str
    assumed: str
    blanks: tuple[str, ...]
    substeps: tuple[StepView, ...] = ()
    cycles: int = 0  # a repeat block's count, one tick box each (0: not a repeat)
    after: str = ""  # what the vessel holds after the step, when the step changed it
    releases: str = ""  # the gas the step gives off, with what to do about it

    @property
    def sized_blanks(self) -> tuple[Blank, ...]:
        """The step's blanks with the room each needs on paper."""
        return tuple(Blank(label, blank_size(label)) for label in self.blanks)


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
    hazard_notes: int = 0  # info findings left out because the hazard box already shows them
    results: tuple[Row, ...] = ()  # one per product: the theoretical yield, blanks beside it
    portions_note: str = ""  # when equivalents count only the share that reaches the product
    # The hazard summary: each pictogram once, with the reagents that carry it.
    pictograms: tuple[PictogramUse, ...] = ()
    # Unacknowledged errors and warnings: what the chemist must act on, printed before the
    # work; ``findings`` (the appendix) holds the rest.
    act_on: tuple[FindingView, ...] = ()
    # What the equivalents' reference is when it is not the limiting reagent: "the substrate;
    # CO2 limits the reaction" (equivalents count against the substrate, not a gas charge).
    reference_note: str = ""

    @property
    def running_head(self) -> str:
        """What every printed page carries: ``mn-cdse13 v1.0.0 · variant x=0.5 · ×2``."""
        parts = [f"{self.protocol_id} v{self.version}",
                 f"variant {self.variant}" if self.variant else "base protocol"]
        if self.scale:
            parts.append(f"scaled {self.scale}")
        return " · ".join(parts)

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
    "extract": ("portions done", "volume per portion", "kept layer (volume)", _OBSERVED),
    "evaporate": ("start", "stop", "bath temperature / pressure read", "residue (mass)"),
    "distill": ("head temperature range collected", "pressure read", "fraction (mass / volume)",
                _OBSERVED),
    "chromatograph": ("column (diameter × height)", "eluent used", "fractions collected / "
                      "combined", _OBSERVED),
    "repeat": ("cycles done",),
    "warm": ("start", "temperature reached at (time)", _OBSERVED),
    "decant": ("time", "mass / volume kept", _OBSERVED),
    "recrystallize": ("solvent used (volume)", "crystals (mass)", _OBSERVED),
    "seal": ("time", "seal checked"),
    "open": ("time", _OBSERVED),
    "evacuate": ("cycles done", "vacuum read", _OBSERVED),
    "freeze-pump-thaw": ("cycles done", "vacuum read", _OBSERVED),
}
# What an end point asks to be written down, besides the action's blanks.
END_POINT_BLANKS: dict[str, tuple[str, ...]] = {
    "pH": ("pH read", "time to end point"),
    "temperature": ("temperature reached", "time to end point"),
}


# Blanks that take a clock time, a reading or a count: a short field. Sentences (observations,
# what was actually added of several materials, a result) take the rest of the line; anything
# else (a volume, a mass, a sample id, a file name) a medium field.
_SHORT_BLANKS = frozenset({
    "time", "start", "stop", "temperature read", "speed set", "pressure read", "washes done",
    "cycles done", "portions done", "pH read", "seal checked", "leak test passed",
    "temperature reached", "time to end point", "dissolved at (time)",
    "temperature reached at (time)", "vacuum read", "pressure before venting"})
_LINE_BLANKS = frozenset({
    _OBSERVED, "result", "amounts actually added", "amounts actually used",
    "fractions collected / combined"})


def blank_size(label: str) -> BlankSize:
    """How much room the blank ``label`` needs (see ``Blank``)."""
    if label in _LINE_BLANKS:
        return "line"
    return "short" if label in _SHORT_BLANKS else "medium"


def step_blanks(step: st.Step) -> tuple[str, ...]:
    """The action's blanks, with what its end point measures and the gas it releases."""
    blanks = STEP_BLANKS[step.action]
    until = getattr(step, "until", None)
    if until is not None:
        extra = END_POINT_BLANKS.get(until.condition, ("time to end point",))
        blanks = (*blanks[:-1], *extra, blanks[-1]) if blanks[-1] == _OBSERVED else (
            *blanks, *extra)
    return blanks


def _active(steps: Sequence[st.Step], path: tuple[PathPart, ...] = ("steps",)
            ) -> Iterator[tuple[tuple[PathPart, ...], st.Step]]:
    """Active steps with their YAML paths; a block repeated once is no block: its steps stand
    in its place (its own note and assumption go with the first of them)."""
    for index, step in enumerate(steps):
        if step.when is not True:
            continue
        here = (*path, index)
        if isinstance(step, st.Repeat) and step.times == 1:
            inner = list(_active(step.steps, (*here, "steps")))
            if inner and (step.note or step.assumed):
                first_path, first = inner[0]
                inner[0] = (first_path, first.model_copy(update={
                    "note": " ".join(x for x in (step.note, first.note) if x) or None,
                    "assumed": " ".join(x for x in (step.assumed, first.assumed) if x) or None}))
            yield from inner
        else:
            yield here, step


# Steps after which the sheet says what the vessel holds: the ones that change its contents.
_CHANGES_CONTENTS = frozenset({
    "add", "dissolve", "inject", "transfer", "centrifuge", "wash", "filter", "decant",
    "extract", "evaporate", "distill", "recrystallize", "redisperse"})


def _held_words(state: VesselState, amounts: AmountsTable) -> str:
    """``flask: about 62 mL of liquid; THF, PhBr (10 %), Mg`` after a step."""
    liquid, _ = liquid_volume_mL(state, amounts)
    names = []
    for held in state.held:
        if ":" in held.material_id:
            continue  # a solution's solvent goes with the solution
        share = f" ({100 * held.share:.2g} %)" if held.share < 0.995 else ""
        names.append(f"{held.material_id}{share}")
    names.extend(state.products)
    volume = f"about {bench_volume(liquid)} of liquid" if liquid > 0 else "no liquid"
    return f"{state.vessel}: {volume}; {', '.join(names) if names else 'empty'}"


def _release_words(state: VesselState, amounts: AmountsTable) -> str:
    """``Gives off carbon dioxide (about 25 mmol; acid 'HCl' + bicarbonate 'NaHCO3'), ...``
    with the controls the gas's hazards ask for."""
    parts = []
    controls: list[str] = []
    for r in state.released:
        if not r.gives_off:
            continue
        amount = f"up to {bench_moles(r.moles)}; " if r.moles is not None else ""
        parts.append(f"{r.name} ({amount}{r.cause})")
        record = amounts.released_gases.get(r.formula)
        if record is not None:
            for flag in hazard_flags(record):
                # A gas given off in a flask has no cylinder or lines to leak-test.
                controls.extend(c.text for c in flag.controls
                                if c.text not in controls and c.key != LEAK_TEST.key)
    if not parts:
        return ""
    where = ("the vessel is sealed: let it out first" if state.sealed else
             "let it escape: vented, not stoppered")
    text = f"Gives off {'; '.join(parts)} — {where}."
    if controls:
        text += " " + " ".join(c.rstrip(".") + "." for c in controls)
    return text


def step_views(steps: Sequence[st.Step], amounts: AmountsTable, prefix: str = "",
               products: Mapping[str, str] | None = None,
               path: tuple[PathPart, ...] = ("steps",)) -> tuple[StepView, ...]:
    """Numbered steps in words (1, 2, …; inside a repeat 3a, 3b, …), active ones only, with
    what the vessel holds after each step that changes it and the gas a step gives off."""
    out: list[StepView] = []
    for here, step in _active(steps, path):
        number = f"{prefix}{substep_letter(len(out))}" if prefix else str(len(out) + 1)
        substeps: tuple[StepView, ...] = ()
        cycles = 0
        after = releases = ""
        if isinstance(step, st.Repeat):
            text = f"Repeat {step.times}×, ticking off each cycle:"
            substeps = step_views(step.steps, amounts, number, products, (*here, "steps"))
            cycles = step.times
        else:
            text = step_words(step, amounts, products).rstrip(".") + "."
            states = amounts.timeline.at(here)
            if states and step.action in _CHANGES_CONTENTS:
                after = _held_words(states[-1], amounts)
            releases = " ".join(w for s in states if (w := _release_words(s, amounts)))
        out.append(StepView(number, step.action, text, step.note or "", step.assumed or "",
                            step_blanks(step), substeps, cycles, after, releases))
    return tuple(out)


def material_uses(steps: Sequence[st.Step],
                  portions: Mapping[str, Sequence[PortionUse]] | None = None) -> dict[str, int]:
    """How often each material's amount is measured out. An amount that steps charge (add,
    dissolve) is the total, so portions in several steps count once, times the repeat blocks
    around them (a fresh charge per cycle); a wash, extraction or redispersion solvent is
    counted per portion and per cycle (``portion_uses`` of the same steps, if not given)."""
    charged: dict[str, int] = {}
    _count_charges(steps, 1, charged)
    taken = {mid: sum(u.count for u in uses) for mid, uses in
             (portion_uses(steps) if portions is None else portions).items()}
    return {mid: charged.get(mid, 0) + taken.get(mid, 0)
            for mid in dict.fromkeys([*charged, *taken])}


def _count_charges(block: Sequence[st.Step], cycles: int, charged: dict[str, int]) -> None:
    """The cycles each material is charged in (``material_uses``), into ``charged``."""
    for step in block:
        if step.when is not True:
            continue
        if isinstance(step, st.Repeat):
            _count_charges(step.steps, cycles * step.times, charged)
        elif isinstance(step, (st.Add, st.Dissolve)):
            ids = [*step.material_ids,
                   *([step.solvent] if isinstance(step, st.Dissolve) else [])]
            for mid in ids:
                charged[mid] = max(charged.get(mid, 0), cycles)


# --- materials ---------------------------------------------------------------------------


def _span(value: Interval | None, show: Callable[[float], str]) -> str:
    return bench_span(value, show) if value is not None else ""


def _host_elements(protocol: Protocol | None, product_id: str) -> set[str]:
    """The host cations of a product written as a composition (Cd and Zn of an alloy)."""
    product = protocol.products.get(product_id) if protocol is not None else None
    if product is None or product.composition is None:
        return set()
    return {el for el, fraction in product.composition.cations.items()
            if fraction.to("dimensionless") > 0}


def _limiting_reference(amounts: AmountsTable, protocol: Protocol | None = None
                        ) -> tuple[str, float] | None:
    """What equivalents are counted against: the main product's limiting material (see
    ``AmountsTable.main_product``; an intermediate a later step consumes is not it).

    For a composition whose host sites are shared (Cd₁₋ₓZnₓ), the limiting precursors of the
    host cations count together (CdCl2 + ZnCl2, 1.5 mmol in all), so Se reads 3 equivalents
    whatever x is; a dopant precursor never is the reference.

    A reaction's substrate comes first where it is declared, or where a gas or a solvent
    limits (``chemistry.substrate``): a catalyst's mol % is of the epoxide it converts, not of
    the CO₂ charge that happens to limit the run.
    """
    found = equivalents_reference(protocol, amounts) if protocol is not None else None
    entry = amounts.materials.get(found.material_id) if found is not None else None
    if found is not None and entry is not None and entry.moles is not None \
            and entry.moles.nominal > 0:
        return found.material_id, entry.moles.nominal * _reached(amounts, found.material_id)
    for pid, balance in amounts.balances_main_first():
        usable = [(mid, entry.moles.nominal * _reached(amounts, mid))
                  for mid in balance.limiting_materials
                  if (entry := amounts.materials.get(mid)) is not None
                  and entry.moles is not None and entry.moles.nominal > 0]
        if not usable:
            continue
        hosts = _host_elements(protocol, pid)
        shared = [(mid, n) for mid, n in usable
                  if (formula := amounts.materials[mid].reagent.formula) is not None
                  and hosts & set(formula.elements)]
        if balance.method == "composition" and len(shared) > 1:
            return " + ".join(mid for mid, _ in shared), sum(n for _, n in shared)
        return shared[0] if shared else usable[0]
    return None


def _reference_note(amounts: AmountsTable, protocol: Protocol) -> str:
    """How the sheet names the equivalents' reference when it is a substrate that does not
    limit the reaction ("" otherwise: the templates say "the limiting reagent")."""
    found = equivalents_reference(protocol, amounts)
    if found is None or found.is_limiting:
        return ""
    limits = ", ".join(found.limiting)
    return "the substrate" + (f"; {limits} limits the reaction" if limits else "")


def _reached(amounts: AmountsTable, material_id: str) -> float:
    """The share of a material that reached the main product's vessel when it formed (a
    0.4 mL aliquot of a 42.7 mL stock: 0.94 %); all of it where the product forms nowhere
    or the material never got there (a work-up reagent)."""
    main = amounts.main_product
    formed = amounts.timeline.formations.get(main) if main else None
    share = formed.shares.get(material_id, 0.0) if formed is not None else 0.0
    return share if share > 0 else 1.0


def _portions_note(amounts: AmountsTable) -> str:
    """Which materials reach the product's vessel only in part, as the equivalents count
    them: ``Cs2CO3 0.94 %`` for an aliquot of a stock."""
    parts = [f"{mid} {100 * share:.2g} %" for mid in amounts.materials
             if (share := _reached(amounts, mid)) < 0.995]
    return ", ".join(parts)


def _equivalents(moles: Interval, reference: float) -> str:
    """Equivalents to 3 figures; below 0.01 equivalent as mol % (a catalyst's loading)."""
    low, high = moles.low / reference, moles.high / reference
    small = moles.nominal / reference < 0.01

    def show(x: float) -> str:
        return sig(x * 100, 3) if small else sig(x, 3)

    text = show(low) if moles.is_point else f"{show(low)}–{show(high)}"
    return f"{text} mol %" if small else text


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


def _unit(text: str) -> str:
    return text.rsplit(" ", 1)[-1] if text else ""



# Roles that take no part in the reaction: equivalents against the limiting reagent would
# mean nothing for them (a solvent, a wash, a drying agent, a blanket gas, a sample).
_NO_EQUIVALENTS = frozenset({"wash", "antisolvent", "solvent", "atmosphere", "sample",
                             "standard", "drying-agent"})

def material_rows(amounts: AmountsTable, scaled: bool = False,
                  protocol: Protocol | None = None) -> tuple[MaterialRow, ...]:
    reference = _limiting_reference(amounts, protocol)
    portions = portion_uses(protocol.steps) if protocol is not None else {}
    uses = material_uses(protocol.steps, portions) if protocol is not None else {}
    rows = []
    for mid, entry in amounts.materials.items():
        m = entry.material
        written = _written(m.amount, scaled) if m.amount is not None else ""
        if m.concentration is not None:
            strength = (m.concentration if isinstance(m.concentration, str)
                        else bench_text(m.concentration))
            written += f" of {strength}"
            if m.solvent is not None:
                solvent = m.solvent if isinstance(m.solvent, str) else m.solvent.name
                written += f" in {solvent}"
        elif m.nominal is not None:
            written = m.nominal
        gas = _gas_written(entry)
        written = "; ".join(x for x in (written, gas) if x)
        by_volume = dispensed_by_volume(entry)
        equivalents = ""
        if reference is not None and entry.moles is not None and m.role not in _NO_EQUIVALENTS:
            equivalents = _equivalents(entry.moles * _reached(amounts, mid), reference[1])
        # What is written is what the bench measures: a liquid written by mass (a viscous
        # ligand, cyclohexanol that may have frozen in the bottle) is weighed, its volume
        # printed beside as an aid; one written in moles is dispensed by volume.
        weigh: Literal["mass", "volume", "gas", ""] = (
            "gas" if m.gas is not None
            else "mass" if entry.basis == "mass" and entry.mass is not None
            else "volume" if by_volume and entry.volume is not None
            else "mass" if entry.mass is not None else "")
        # The blank takes the unit the sheet prints the amount in (19.94 g → "____ g").
        measured = (entry.volume if weigh == "volume" else entry.mass if weigh == "mass"
                    else None)
        show = bench_volume if weigh == "volume" else bench_mass
        blank_unit = _unit(show(measured.nominal)) if measured is not None else ""
        total = ""
        if measured is not None and uses.get(mid, 0) > 1:
            n = uses[mid]
            total = f"used {n}×: {bench_span(measured * n, show)} in all"
            taken = portions.get(mid)
            if (weigh == "volume" and taken and sum(u.count for u in taken) == n
                    and any(u.volume_mL is not None for u in taken)):
                # The steps say what a portion is: the total is theirs, whichever way the
                # amount is written (one portion, or all of them; ST120 if neither).
                total = (f"used {n}×: "
                         f"{bench_volume(portions_total_mL(taken, measured.nominal))} in all")
        rows.append(MaterialRow(
            id=mid, name=entry.reagent.name, cas=entry.reagent.cas or "", form=m.form or "",
            purity=bench_text(m.purity) if m.purity is not None else "",
            role=m.role or "", supplier=m.supplier or "", made_by=made_by_words(m.made_by),
            written=written,
            mmol=_span(entry.moles, bench_moles), mass=_span(entry.mass, bench_mass),
            volume=_span(entry.volume, bench_volume) if by_volume else "",
            equivalents=equivalents, weigh=weigh, note=m.note or "", assumed=m.assumed or "",
            blank_unit=blank_unit, total=total,
        ))
    return tuple(rows)


# --- hazards ----------------------------------------------------------------------------------


# Info findings that say only what the hazard box prints (statements, reagents, controls):
# the findings list leaves them out and says how many it left out. HZ107 and HZ110 stay: they
# name the steps where the hazard arises.
HAZARD_BOX_CODES = frozenset({"HZ101", "HZ102", "HZ104", "HZ105", "HZ106", "HZ109"})


def _controls(used: Sequence[UsedReagent], heated: Sequence[HeatedFlammable],
              released: Sequence[UsedReagent] = ()) -> tuple[str, ...]:
    """Each control once, with the reagents it is for: ``Work in a fume hood (selenium, …)``.

    Heating a flammable liquid past its flash point (``heated``, which depends on the steps;
    HZ110 reports the same list) adds the mantle-and-condenser control; a gas a step gives off
    (``released``: carbon monoxide from a Swern) adds its own, except the cylinder's leak test.
    """
    texts: dict[str, str] = {}
    names: dict[str, list[str]] = {}

    def add(key: str, text: str, name: str) -> None:
        texts.setdefault(key, text)
        who = names.setdefault(key, [])
        if name and name not in who:
            who.append(name)

    for u in used:
        for flag in hazard_flags(u):
            for control in flag.controls:
                add(control.key, control.text, u.reagent.name)
    for hot in heated:
        add(HEAT_SAFELY.key, HEAT_SAFELY.text, hot.reagent)
    for gas in released:
        for flag in hazard_flags(gas):
            for control in flag.controls:
                if control.key != LEAK_TEST.key:
                    add(control.key, control.text, f"{gas.reagent.name} given off")
    return tuple(f"{text} — for {', '.join(names[key])}" if names[key] else text
                 for key, text in texts.items())


def pictogram_uses(hazards: Sequence[ReagentHazard]) -> tuple[PictogramUse, ...]:
    """Each pictogram once, in GHS order, with the reagents (by name) that carry it."""
    carriers: dict[str, list[str]] = {}
    for h in hazards:
        for p in h.pictograms:
            carriers.setdefault(p.code, []).append(h.name)
    return tuple(PictogramUse(code, PICTOGRAMS.get(code, ""), ", ".join(carriers[code]))
                 for code in sorted(carriers))


def _hazards(amounts: AmountsTable, vessels: Mapping[str, Vessel]
             ) -> tuple[str, tuple[ReagentHazard, ...], tuple[Statement, ...], tuple[str, ...]]:
    used = used_reagents(amounts)
    rows = []
    words = set()
    for u in used:
        ghs = u.reagent.ghs
        codes, pictograms = u.label  # a gas only used dissolved is no gas under pressure
        if ghs is None or not (codes or pictograms):
            continue
        if ghs.signal_word:
            words.add(ghs.signal_word)
        rows.append(ReagentHazard(
            u.reagent.name, ", ".join(u.material_ids), ghs.signal_word or "",
            tuple(Pictogram(p, PICTOGRAMS.get(p, "")) for p in pictograms),
            ", ".join(codes)))
    signal = "Danger" if "Danger" in words else ("Warning" if words else "")
    statements = tuple(Statement(s.code, s.text or "", ", ".join(s.reagents))
                       for s in hazard_statements(used))
    released = [UsedReagent(r, (), "gas") for r in amounts.released_gases.values()
                if r is not None]
    return (signal, tuple(rows), statements,
            _controls(used, flammables_heated_open(amounts, vessels), released))


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
            # An alloy's host cations count together: Se:(Cd+Zn) = 3, as the paper's 1.5 mmol
            # "in all" of Cd and Zn; Se:Cd alone would read 4 at x = 0.25.
            hosts = [s for s in balance.supplies if s.element in _host_elements(protocol, pid)
                     and s.available.nominal > 0]
            ref = next((s for s in balance.supplies if s.element in balance.limiting),
                       balance.supplies[0])
            if len(hosts) > 1:
                label = "(" + "+".join(s.element for s in hosts) + ")"
                total = sum(s.available.nominal for s in hosts)
                ratios = ", ".join(f"{s.element}:{label} = {sig(s.available.nominal / total, 3)}"
                                   for s in balance.supplies)
                rows.append(Row(f"{pid}: mole ratios", ratios))
            elif ref.available.nominal > 0 and len(balance.supplies) > 1:
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


def restates_hazard_box(finding: Finding) -> bool:
    return (finding.code in HAZARD_BOX_CODES and finding.acknowledged is None
            and str(finding.severity) == "info")


# Products a protocol collects and weighs; a molecule measured in the mixture (PC by NMR), a
# solution used as made or a film have no mass "obtained" to write down.
_WEIGHED_KINDS = frozenset({"cluster", "suprastructure", "nanoribbon", "nanostructure",
                            "nanocrystal", "polymer", "solid"})


def results(protocol: Protocol, amounts: AmountsTable) -> tuple[Row, ...]:
    """One line per collected product with its theoretical yield, to write the mass obtained
    beside; a cluster's theory counts its inorganic core only, so the yield can pass 100 %."""
    rows = []
    for pid, balance in amounts.balances.items():
        product = protocol.products.get(pid)
        if (product is None or product.kind not in _WEIGHED_KINDS
                or balance.theoretical_mass_g is None):
            continue
        theory = bench_span(balance.theoretical_mass_g, bench_mass)
        if balance.nuclearity:
            theory += " (inorganic core; ligands not counted)"
        rows.append(Row(product.name, theory, pid))
    return tuple(rows)


def finding_views(findings: Sequence[Finding]) -> tuple[FindingView, ...]:
    ordered = sorted(findings, key=lambda f: (f.acknowledged is not None, -f.severity,
                                              *sort_key(f)))
    # one file, often hundreds of findings: its name is worked out once
    names = {file: Path(file).name for file in {f.file for f in findings}}
    return tuple(FindingView(f.code, str(f.severity), f.message, f.hint,
                             f"{names[f.file]}:{f.line}:{f.column}", f.acknowledged or "")
                 for f in ordered)


def source_bytes(document: LoadedDocument) -> bytes:
    """The protocol file as it is on disk, if that is still what was validated; else its text.

    The loader keeps the decoded text; the file's own bytes (a byte-order mark, say) are read
    once more, and only trusted if they still decode to the validated text (else the text, as
    UTF-8), so they name what was validated.
    """
    try:
        raw = Path(document.path).read_bytes()
        if raw.decode("utf-8-sig") == document.text:
            return raw
    except (OSError, UnicodeDecodeError):
        pass
    return document.text.encode("utf-8")


def content_hash(document: LoadedDocument, source: bytes | None = None) -> str:
    """sha256 of the protocol file's bytes (``source_bytes``, or ``source`` when they have
    been read already), first 12 hex digits."""
    data = source_bytes(document) if source is None else source
    return hashlib.sha256(data).hexdigest()[:12]


def _counts(findings: Sequence[FindingView]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0, "acknowledged": 0}
    for f in findings:
        if f.acknowledged:
            counts["acknowledged"] += 1
        else:
            counts[f.severity] += 1
    return counts


def equipment_used(protocol: Protocol) -> set[str]:
    """The equipment the active steps name: under ``using:``, as a centrifuge's ``rotor``, a
    measurement's ``instrument`` or any other equipment field. The same walk of references
    that RF302 ("declared but never used") reads, so the sheet and the validator agree."""
    from benchsheet.checks.references import iter_references

    return {name for kind, name, _ in iter_references(protocol.steps, ("steps",))
            if kind == "equipment"}


def must_act_on(finding: FindingView) -> bool:
    """An unacknowledged error or warning: printed before the work, without its file:line."""
    return not finding.acknowledged and finding.severity in ("error", "warning")


def _vessel_size(vessel: Vessel) -> str:
    """', 100 mL', or ', 2 × 50 mL' for contents shared between identical vessels."""
    if vessel.volume is None:
        return ""
    return f", {vessel.count} × {bench_text(vessel.volume)}" if vessel.count > 1 \
        else f", {bench_text(vessel.volume)}"

def build_view(result: FileResult, variant: VariantResult, findings: Sequence[Finding],
               *, scale: Decimal = Decimal(1), scale_basis: str = "",
               paper: Paper = "a4", file_hash: str | None = None) -> SheetView:
    """The sheet of one modelled variant; ``findings`` are the ones to print on it;
    ``file_hash`` the file's ``content_hash`` if it has been worked out already (it is the
    same for every variant of the file)."""
    protocol, amounts = variant.protocol, variant.amounts
    if protocol is None or amounts is None:
        raise ValueError(f"variant {variant.name or '(base)'} did not model")
    used_equipment = equipment_used(protocol)
    vessels = tuple(
        Row(vid, v.kind + _vessel_size(v)
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
    signal, hazards, statements, controls = _hazards(amounts, protocol.vessels)
    found = finding_views(findings)
    listed = finding_views([f for f in findings if not restates_hazard_box(f)])
    act_on = tuple(f for f in listed if must_act_on(f))
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
        file=Path(result.document.path).name,
        content_hash=file_hash or content_hash(result.document),
        doi=doi, doi_url=f"https://doi.org/{doi}" if doi else "",
        section=protocol.source.section, citation=protocol.source.citation or "",
        url=protocol.source.url or "",
        authors=", ".join(a.name for a in protocol.authors), license=protocol.license or "",
        summary=" ".join((protocol.summary or "").split()),
        assumptions=tuple(" ".join(a.split()) for a in protocol.assumptions),
        scale=scale_text, signal_word=signal, hazards=hazards, statements=statements,
        controls=controls, materials=material_rows(amounts, scaled=scale != 1, protocol=protocol),
        limiting=(ref[0] if (ref := _limiting_reference(amounts, protocol)) else ""),
        reference_note=_reference_note(amounts, protocol),
        portions_note=_portions_note(amounts),
        vessels=vessels, equipment=equipment,
        steps=step_views(protocol.steps, amounts, products=product_names(protocol)),
        figures=figures(protocol, amounts),
        findings=tuple(f for f in listed if not must_act_on(f)), counts=_counts(found),
        paper=paper, hazard_notes=len(found) - len(listed), results=results(protocol, amounts),
        pictograms=pictogram_uses(hazards), act_on=act_on,
    )
