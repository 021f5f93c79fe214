"""Hazards: the GHS statements of a protocol and the controls its bench sheet must print.

Severity follows what a safety officer asks of a procedure. A hazard that is managed by a
standard control is information: the sheet prints the control, nothing is wrong. A step that
puts people at risk without its control in sight (a toxic gas flowing with no fume hood named)
is a warning, and a combination that cannot be made safe as written (hydrogen evolved inside a
sealed vessel) is an error.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from benchsheet.checks import rule
from benchsheet.checks.context import CheckContext, iter_steps
from benchsheet.chemistry.hazards import (
    HazardFlag,
    HazardKind,
    UsedReagent,
    flammables_heated_open,
    gas_evolved_with_water,
    hazard_flags,
    hazard_statements,
    is_protic,
    shared_used_reagents,
)
from benchsheet.findings import Finding, PathPart, Severity, format_path
from benchsheet.memo import ByIdentity
from benchsheet.model.steps import Add, Bubble, Pressurize, Step, Vent
from benchsheet.reagents.library import DERIVED_GHS

# What a note must mention for a toxic gas to count as contained.
_CONTAINMENT = re.compile(r"fume[ -]?hood|\bhood\b|glove[ -]?box|gas cabinet|"
                          r"ventilated enclosure", re.IGNORECASE)


def _path(reagent: UsedReagent) -> tuple[PathPart, ...]:
    first = reagent.material_ids[0]
    if ":" in first:  # a solution's solvent: point at the solution's 'solvent' field
        return ("materials", first.split(":", 1)[0], "solvent")
    return ("materials", first, "reagent")


def _label(reagent: UsedReagent) -> str:
    return f"{reagent.reagent.name} ({', '.join(reagent.material_ids)})"


Flagged = tuple[tuple[UsedReagent, HazardFlag], ...]


def _flagged(ctx: CheckContext, kind: HazardKind) -> Flagged:
    """The used reagents with a hazard class of ``kind``, each with its flag."""
    return _flags_by_kind(shared_used_reagents(ctx.amounts)).get(kind, ())


def _flags_by_kind(used: tuple[UsedReagent, ...]) -> dict[HazardKind, Flagged]:
    """``_by_kind`` of ``used``, once per tuple of used reagents (the variants of a file that
    use the same reagents the same way share it), for all the HZ rules."""
    return _BY_KIND.get(used, functools.partial(_by_kind, used))


def _by_kind(used: tuple[UsedReagent, ...]) -> dict[HazardKind, Flagged]:
    """The hazard flags of ``used`` (``hazard_flags``: of each reagent and its phase alone)
    by kind, in the order of the reagents."""
    found: dict[HazardKind, list[tuple[UsedReagent, HazardFlag]]] = {}
    for reagent in used:
        for flag in hazard_flags(reagent):
            found.setdefault(flag.kind, []).append((reagent, flag))
    return {kind: tuple(flagged) for kind, flagged in found.items()}


_BY_KIND: ByIdentity[dict[HazardKind, Flagged]] = ByIdentity(most=256)


def _controls(flag: HazardFlag) -> str:
    return "; ".join(c.text for c in flag.controls)


def _flag_text(reagent: UsedReagent, flag: HazardFlag) -> str:
    return (f"{_label(reagent)}: {flag.title} ({', '.join(flag.h_codes)}); the sheet prints: "
            f"{_controls(flag)}")


# The message and path of each flag of a kind, by the tuple of used reagents they are of: a
# flag and its words depend on its reagent, phase and materials alone (``hazard_flags``), so
# every variant of a file that uses the same reagents the same way reads them once.
_FLAG_TEXTS: ByIdentity[tuple[tuple[str, tuple[PathPart, ...]], ...]] = ByIdentity(most=512)


def _flag_texts(used: tuple[UsedReagent, ...], kind: HazardKind
                ) -> tuple[tuple[str, tuple[PathPart, ...]], ...]:
    return tuple((_flag_text(reagent, flag), _path(reagent))
                 for reagent, flag in _flags_by_kind(used).get(kind, ()))


def _flag_finding(ctx: CheckContext, code: str, kind: HazardKind) -> Iterator[Finding]:
    used = shared_used_reagents(ctx.amounts)
    for text, path in _FLAG_TEXTS.get(used, functools.partial(_flag_texts, used, kind), kind):
        yield ctx.finding(code, text, path)


# HZ101's words for a tuple of used reagents (None: no statement), which depend on those
# reagents and their phases alone (``hazard_statements``).
_STATEMENTS_TEXT: ByIdentity[str | None] = ByIdentity(most=512)


def _statements_text(used: tuple[UsedReagent, ...]) -> str | None:
    uses = hazard_statements(used)
    return "; ".join(
        f"{u.code} {u.text or '(statement text not known)'} ({', '.join(u.reagents)})"
        for u in uses) if uses else None


@rule("HZ101", Severity.INFO, "hazard statements of the protocol")
def statements(ctx: CheckContext) -> Iterator[Finding]:
    """Every GHS hazard statement of the protocol's reagents, once, with the reagents that
    carry it: what the top of the bench sheet lists."""
    used = shared_used_reagents(ctx.amounts)
    # The same words in every variant that uses the same reagents (one tuple).
    text = _STATEMENTS_TEXT.get(used, functools.partial(_statements_text, used))
    if text is not None:
        yield ctx.finding("HZ101", f"GHS hazard statements: {text}", ("materials",), key=True)


@rule("HZ102", Severity.INFO, "toxic gas")
def toxic_gas(ctx: CheckContext) -> Iterator[Finding]:
    """A gas that is toxic or fatal if inhaled (H330, H331), such as carbon monoxide, is used
    only in a fume hood with a monitor for that gas and leak-tested lines."""
    yield from _flag_finding(ctx, "HZ102", "toxic-gas")


def _gas_steps(ctx: CheckContext, gas_ids: set[str]) -> Iterator[
        tuple[tuple[PathPart, ...], str, str]]:
    """Steps that release or handle one of ``gas_ids``: (path, gas id, text of the step)."""
    charged_into = {g.vessel: mid for mid, g in ctx.amounts.gases.items() if mid in gas_ids}
    for path, step in iter_steps(ctx.protocol.steps):
        if isinstance(step, (Bubble, Pressurize)) and step.gas in gas_ids:
            yield path, step.gas, _text(ctx, step)
        elif isinstance(step, Vent):
            gas = step.gas if step.gas in gas_ids else charged_into.get(step.vessel)
            if gas is not None:
                yield path, gas, _text(ctx, step)
        elif isinstance(step, Add):
            for mid in step.material_ids:
                if mid in gas_ids:
                    yield path, mid, _text(ctx, step)


def _text(ctx: CheckContext, step: Step) -> str:
    """What a control named beside the action is read from: the step's note and assumption,
    and the kinds of the equipment it is done with (``using: [hood]``, the hood a fume
    hood)."""
    equipment = ctx.protocol.equipment
    kinds = (equipment[e].kind for e in step.using if e in equipment)
    return " ".join(t for t in (step.note, step.assumed, *kinds) if t)


@rule("HZ103", Severity.WARNING, "toxic gas step names no fume hood")
def toxic_gas_without_hood(ctx: CheckContext) -> Iterator[Finding]:
    """The step where a toxic gas flows, is charged or vented is where someone opens the
    valve; its note, or the equipment it is done with (``using``), must say the work is in a
    fume hood (or glovebox, gas cabinet), so the control stands beside the action and not
    only in the sheet's header. A warning, because a
    note fixes it and the protocol may acknowledge a containment stated elsewhere."""
    toxic = {mid for reagent, _ in _flagged(ctx, "toxic-gas") for mid in reagent.material_ids}
    if not toxic:  # no step to look at
        return
    for path, gas, text in _gas_steps(ctx, toxic):
        if not _CONTAINMENT.search(text):
            name = ctx.amounts.materials[gas].reagent.name
            yield ctx.finding("HZ103", f"this step handles '{gas}' ({name}, a toxic gas) and "
                              "neither its note nor its equipment names a fume hood", path,
                              f"add a note such as 'in a fume hood, with a {name} monitor', or "
                              "do it using a fume hood (using: [hood], the hood under "
                              "equipment with kind: fume hood)")


@rule("HZ104", Severity.INFO, "toxic if inhaled")
def inhalation_toxic(ctx: CheckContext) -> Iterator[Finding]:
    """A solid or liquid that is toxic or fatal if inhaled (H330, H331) as dust or vapour is
    weighed and handled in a fume hood."""
    yield from _flag_finding(ctx, "HZ104", "inhalation-toxic")


@rule("HZ105", Severity.INFO, "carcinogen, mutagen or reproductive toxicant")
def cmr(ctx: CheckContext) -> Iterator[Finding]:
    """Category 1 carcinogens, mutagens and reproductive toxicants (H340, H350, H360 and
    their variants), such as cadmium chloride, are handled with gloves in a designated area,
    and their waste is kept apart."""
    yield from _flag_finding(ctx, "HZ105", "cmr")


@rule("HZ106", Severity.INFO, "pyrophoric")
def pyrophoric(ctx: CheckContext) -> Iterator[Finding]:
    """A pyrophoric reagent (H250), such as triethylphosphine, ignites in air: it is
    transferred under inert gas, with a flame-resistant coat and a dry extinguisher at hand."""
    yield from _flag_finding(ctx, "HZ106", "pyrophoric")


def _meets_protic(ctx: CheckContext, reagent: UsedReagent) -> Iterator[
        tuple[tuple[PathPart, ...], str, str]]:
    """Where a material of ``reagent`` meets a protic one: (path, vessel, id), once per
    vessel. The timeline records the meeting as the gas it releases (and the quench that
    destroys the reagent); a protic material already sharing the vessel counts too."""
    done: set[str] = set()
    for state in ctx.amounts.timeline:
        if state.vessel in done:
            continue
        partner = next((r.sources[1] for r in state.released if len(r.sources) == 2
                        and r.sources[0] in reagent.material_ids), None)
        if partner is None and any(m in state.materials for m in reagent.material_ids):
            partner = next((mid for mid in state.materials
                            if (other := ctx.amounts.entry(mid)) is not None
                            and mid not in reagent.material_ids and is_protic(other.reagent)),
                           None)
        if partner is not None:
            done.add(state.vessel)
            yield state.step_path, state.vessel, partner


@rule("HZ107", Severity.INFO, "reacts with water to give a flammable gas")
def water_reactive(ctx: CheckContext) -> Iterator[Finding]:
    """A reagent that gives off a flammable gas with water (H260, H261), such as sodium
    borohydride (hydrogen), is kept dry, added slowly to water or alcohols in an open vented
    vessel, away from ignition sources. The message names the steps where it meets one."""
    for reagent, flag in _flagged(ctx, "water-reactive"):
        meets = [f"'{mid}' in '{vessel}' ({format_path(path)})"
                 for path, vessel, mid in _meets_protic(ctx, reagent)]
        where = f"; it meets {', '.join(meets)}" if meets else ""
        yield ctx.finding("HZ107", f"{_label(reagent)} {flag.title} "
                          f"({', '.join(flag.h_codes)}){where}; the sheet prints: "
                          f"{_controls(flag)}", _path(reagent))


@rule("HZ108", Severity.ERROR, "gas-evolving reagent meets water in a sealed vessel")
def water_reactive_sealed(ctx: CheckContext) -> Iterator[Finding]:
    """A reagent that gives off a flammable gas with water (H260, H261) put together with
    water, an alcohol or an acid in a sealed vessel fills it with that gas until it bursts."""
    for reagent, _ in _flagged(ctx, "water-reactive"):
        gas = gas_evolved_with_water(reagent.reagent)
        for path, vessel_id, mid in _meets_protic(ctx, reagent):
            state = next(s for s in ctx.amounts.timeline.at(path) if s.vessel == vessel_id)
            other = ctx.amounts.entry(mid)
            if state.sealed and other is not None:
                yield ctx.finding(
                    "HZ108", f"{_label(reagent)} meets '{mid}' "
                    f"({other.reagent.name}) in sealed vessel "
                    f"'{vessel_id}': {gas} is given off into the closed headspace", path,
                    "combine them in an open vessel vented to the fume hood, and seal only "
                    "once the gas has stopped")


@rule("HZ109", Severity.INFO, "flammable gas")
def flammable_gas(ctx: CheckContext) -> Iterator[Finding]:
    """A flammable gas (H220, H221) is used with leak-tested lines and no ignition sources."""
    yield from _flag_finding(ctx, "HZ109", "flammable-gas")


@rule("HZ110", Severity.INFO, "flammable liquid heated above its flash point")
def flammable_heated(ctx: CheckContext) -> Iterator[Finding]:
    """A flammable liquid (or a molten solid) heated above its flash point in an open vessel
    gives off an ignitable vapour: it is heated with a mantle or bath under a condenser in a
    fume hood. The measured flash point is used where the data have it (a diamine melt at
    120 °C, flash point 51 °C); without one the GHS category bounds it: below 23 °C for H224
    and H225, at most 60 °C for H226 (GHS Rev. 9, Table 2.6.1)."""
    for hot in flammables_heated_open(ctx.amounts, ctx.protocol.vessels):
        state = hot.state
        flash = (f"flash point {hot.flash_point_below_K - 273.15:.0f} °C, measured"
                 if hot.measured else f"flash point below {hot.flash_point_below_K - 273.15:.0f}"
                 " °C by its GHS category")
        codes = f"{', '.join(hot.h_codes)}: " if hot.h_codes else ""
        yield ctx.finding(
            "HZ110", f"'{hot.material_id}' ({hot.reagent}, {codes}{flash}) is "
            f"heated to {state.temperature_K - 273.15:.1f} °C in open vessel '{state.vessel}'; "
            "the sheet prints: heat with a mantle or bath under a condenser in a fume hood, "
            "never over a flame; no ignition sources nearby", state.step_path)


@rule("HZ111", Severity.WARNING, "no hazard data")
def no_hazard_data(ctx: CheckContext) -> Iterator[Finding]:
    """A reagent with no GHS classification leaves the sheet silent about its hazards, which
    reads as 'harmless'. (An empty classification, as for water, is data and passes.)"""
    for reagent in shared_used_reagents(ctx.amounts):
        resolved = reagent.reagent
        first = ctx.amounts.entry(reagent.material_ids[0])
        assert first is not None
        material = first.material
        known = resolved.record is not None or not isinstance(material.reagent, str)
        if resolved.record is not None and resolved.record.origin == "database":
            source = resolved.ghs.source if resolved.ghs is not None else ""
            derived = source.removeprefix(DERIVED_GHS).strip(" ()") \
                if source.startswith(DERIVED_GHS) else ""
            what = (f"from its data only {derived}, so its hazards are incomplete" if derived
                    else "the sheet says its hazards are not known")
            yield ctx.finding(
                "HZ111", f"{_label(reagent)} comes from the reagent database (CAS "
                f"{resolved.record.cas}), which holds no GHS classification; {what}",
                _path(reagent),
                "give its GHS data (signal_word, h_codes, pictograms, source) in a reagent file "
                "(--reagents FILE, or reagents in the configuration)")
        elif resolved.ghs is None and known:
            yield ctx.finding(
                "HZ111", f"{_label(reagent)} has no GHS hazard data; the sheet cannot print "
                "its hazards", _path(reagent),
                "add hazards (signal_word, h_codes, pictograms, source) to the inline reagent, "
                "or GHS data to the reagent file")


@rule("HZ112", Severity.ERROR, "pyrophoric reagent handled under air")
def pyrophoric_under_air(ctx: CheckContext) -> Iterator[Finding]:
    """A pyrophoric reagent (H250: n-butyllithium, tert-butyllithium, triethylphosphine)
    ignites in air: the vessel it goes into is under argon or nitrogen (an evacuate-and-
    backfill step, a gas line, 'atmosphere: argon'), or the work is in a glovebox. Reported at
    the first step where it sits in a vessel open to air."""
    pyrophoric = {mid for reagent, _ in _flagged(ctx, "pyrophoric")
                  for mid in reagent.material_ids}
    if not pyrophoric:  # nothing to look for at every step of a long procedure
        return
    glovebox = {eid for eid, e in ctx.protocol.equipment.items()
                if "glove" in e.kind.lower()}
    in_box = {tuple(path) for path, step in iter_steps(ctx.protocol.steps)
              if set(step.using) & glovebox} if glovebox else set()
    reported: set[str] = set()
    for state in ctx.amounts.timeline:
        if pyrophoric.isdisjoint(state.materials):  # nothing to report here, whatever the air
            continue
        if state.inert or state.sealed or tuple(state.step_path) in in_box:
            continue
        for owner in state.materials:  # a solution's solvent part is not the reagent
            if owner in pyrophoric and owner not in reported:
                reported.add(owner)
                name = ctx.amounts.materials[owner].reagent.name
                yield ctx.finding(
                    "HZ112", f"'{owner}' ({name}, pyrophoric, H250) is in '{state.vessel}', "
                    "which is open to air at this step", state.step_path,
                    f"put '{state.vessel}' under argon or nitrogen first (an evacuate step "
                    "with backfill, or atmosphere: argon), or work in a glovebox (using: "
                    "[glovebox])")


@rule("HZ113", Severity.WARNING, "toxic gas given off with no fume hood named")
def toxic_gas_released(ctx: CheckContext) -> Iterator[Finding]:
    """A step that gives off a toxic gas (carbon monoxide from a Swern oxidation, hydrogen
    sulfide, hydrogen cyanide) releases it where the chemist stands: its note, or the
    equipment it is done with, must say the work is in a fume hood, as for a toxic gas from a
    cylinder (HZ103)."""
    from benchsheet.chemistry.hazards import TOXIC_GAS_CODES

    for state in ctx.amounts.timeline:
        if not state.released:
            continue
        step_text: str | None = None  # read once a toxic gas is given off
        for release in state.released:
            if not release.gives_off:
                continue
            record = ctx.amounts.released_gases.get(release.formula)
            ghs = record.ghs if record is not None else None
            if ghs is None or not set(ghs.h_codes) & TOXIC_GAS_CODES:
                continue
            if step_text is None:
                step_text = _step_text(ctx, state.step_path)
            if _CONTAINMENT.search(step_text):
                continue
            yield ctx.finding(
                "HZ113", f"this step gives off {release.name} ({release.cause}), a toxic gas, "
                "and neither its note nor its equipment names a fume hood", state.step_path,
                f"add a note such as 'in a fume hood: {release.name} is given off', or do it "
                "using a fume hood (using: [hood], the hood under equipment with kind: fume "
                "hood)")


def _step_text(ctx: CheckContext, path: tuple[PathPart, ...]) -> str:
    """``_text`` of the step at ``path``."""
    node: object = ctx.protocol
    for part in path:
        node = getattr(node, str(part)) if isinstance(part, str) else node[part]  # type: ignore[index]
    return _text(ctx, node)  # type: ignore[arg-type]
