"""Words for the bench: steps as sentences, amounts in the units a chemist weighs and pipettes.

Both the bench sheets and the ELN export (HowToStep texts) use these, so a step reads the same
on paper and in the notebook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from benchsheet.chemistry.amounts import AmountsTable, MaterialAmount
from benchsheet.chemistry.interval import Interval
from benchsheet.model import steps as st
from benchsheet.model.materials import MadeBy
from benchsheet.model.protocol import Protocol
from benchsheet.units import Measured, format_measured

# Significant digits for computed amounts at the bench: a 0.1 mg balance and a 2-20 µL pipette
# resolve three to four figures; more would be noise.
BENCH_DIGITS = 4


def sig(x: float, digits: int = BENCH_DIGITS) -> str:
    """``x`` to ``digits`` significant figures, keeping trailing zeros (1.500, 275.0)."""
    if x == 0:
        return "0"
    text = f"{x:#.{digits}g}"
    if "e" in text:  # 12340 → "1.234e+04": write it out, the bench never needs exponents
        exponent = int(text.split("e")[1])
        text = f"{float(text):.{max(digits - 1 - exponent, 0)}f}"
    return text.rstrip(".")


def bench_mass(grams: float) -> str:
    """A mass in mg below 1 g and in g above: what a balance shows."""
    return f"{sig(grams)} g" if grams >= 1.0 else f"{sig(grams * 1e3)} mg"


def bench_volume(millilitres: float) -> str:
    """A volume in µL below 1 mL (pipette) and in mL above (syringe, cylinder)."""
    return f"{sig(millilitres)} mL" if millilitres >= 1.0 else f"{sig(millilitres * 1e3)} µL"


def bench_moles(moles: float) -> str:
    """An amount in mmol, or µmol below 0.01 mmol."""
    return f"{sig(moles * 1e3)} mmol" if moles >= 1e-5 else f"{sig(moles * 1e6)} µmol"


def bench_span(value: Interval, show: Callable[[float], str]) -> str:
    """A point or a range in bench units (the range's ends in the unit of its low end)."""
    if value.is_point:
        return show(value.nominal)
    low, high = show(value.low), show(value.high)
    unit_low, unit_high = low.rsplit(" ", 1)[1], high.rsplit(" ", 1)[1]
    if unit_low == unit_high:
        return f"{low.rsplit(' ', 1)[0]}–{high}"
    return f"{low} – {high}"


# --- steps in words (shared by sheets and exports) ----------------------------------------


# How unit spellings print at the bench (the protocol keeps its ASCII spellings).
_DISPLAY_UNITS = {"degC": "°C", "degF": "°F", "delta_degC": "K"}


def bench_text(m: Measured) -> str:
    """A quantity as written in the protocol, with units printed as a chemist writes them."""
    text = format_measured(m)
    if m.unit in _DISPLAY_UNITS:
        text = text.replace(f" {m.unit}", f" {_DISPLAY_UNITS[m.unit]}")
    return text


def _q(m: Measured | None) -> str:
    return "" if m is None else bench_text(m)


def _at(m: Measured | None) -> str:
    return f" at {bench_text(m)}" if m is not None else ""


def _for(m: Measured | None) -> str:
    return f" for {bench_text(m)}" if m is not None else ""


# Roles measured out by volume only: their moles and mass are noise at the bench.
VOLUME_ONLY_ROLES = frozenset({"solvent", "wash", "antisolvent"})


def amount_words(mid: str, amounts: AmountsTable) -> str:
    """``cadmium chloride, 1.500 mmol = 275.0 mg`` for a material, from the amounts table.

    A solvent, wash or antisolvent poured by volume reads as its volume only
    (``ethanol, 50.00 mL``): nobody counts the millimoles of a wash.
    """
    entry = amounts.materials.get(mid)
    if entry is None:
        return mid
    words = []
    volume = (bench_span(entry.volume, bench_volume)
              if entry.volume is not None and dispensed_by_volume(entry) else "")
    if not (volume and entry.material.role in VOLUME_ONLY_ROLES):
        if entry.moles is not None:
            words.append(bench_span(entry.moles, bench_moles))
        if entry.mass is not None:
            words.append(bench_span(entry.mass, bench_mass))
    if volume:
        words.append(volume)
    name = entry.reagent.name
    return f"{name}, " + " = ".join(words) if words else name


def _named(mid: str, amounts: AmountsTable) -> str:
    """``EtOH (ethanol)``: an id with its reagent's name, unless the id already is the name."""
    entry = amounts.materials.get(mid)
    if entry is None or entry.reagent.name.casefold() == mid.casefold():
        return mid
    return f"{mid} ({entry.reagent.name})"


def made_by_words(link: MadeBy | None) -> str:
    """Where a material made in-house comes from: ``made by protocol ag18-cluster, product
    'ag18'`` (the product is a key of that protocol's products, so it is quoted)."""
    if link is None:
        return ""
    return ", ".join(x for x in (
        f"made by protocol {link.protocol}",
        f"variant {link.variant}" if link.variant else "",
        f"product '{link.product}'" if link.product else "") if x)


def dispensed_by_volume(entry: MaterialAmount) -> bool:
    """A solid's volume (from its density) is no use at the bench; a liquid's is."""
    return entry.basis in ("volume", "solution") or entry.reagent.phase_25C != "solid"


def _listed(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _one_amount(mid: str, amounts: AmountsTable) -> str:
    words = amount_words(mid, amounts)
    entry = amounts.materials.get(mid)
    if entry is not None and entry.reagent.name.casefold() == mid.casefold():
        words = words.removeprefix(f"{entry.reagent.name}, ")  # water (0.5 mL), not water (water…
    return f"{mid} ({words})" if words != mid else mid


def _charge_words(charge: st.Charge, amounts: AmountsTable) -> str:
    """A material charged whole (``PhBr (bromobenzene, 50.0 mmol = …)``) or a portion of it
    (``0.5 mL of PhBr (bromobenzene)``, ``the rest of PhBr``, ``1/3 of PhBr (…)``)."""
    if isinstance(charge, str):
        return _one_amount(charge, amounts)
    if charge.amount is not None:
        return f"{bench_text(charge.amount)} of {_named(charge.material, amounts)}"
    if charge.fraction == "rest":
        return f"the rest of {_named(charge.material, amounts)}"
    share = float(charge.fraction or 1.0)
    return f"{100 * share:.3g} % of {_one_amount(charge.material, amounts)}"


def _with_amounts(mids: Sequence[st.Charge], amounts: AmountsTable) -> str:
    return _listed([_charge_words(mid, amounts) for mid in mids])


def _timing(s: st.TimedStep) -> str:
    """``, over 30 min``, ``, until pH 2 (at most 1 h)``, as the step says."""
    words = ""
    if s.over is not None:
        words += f", over {_q(s.over)}"
    rate = getattr(s, "rate", None)
    if rate is not None and isinstance(s, st.Add):
        words += f" at {_q(rate)}"
    limit = getattr(s, "keep_below", None)
    if limit is not None:
        words += f", keeping the inside below {_q(limit)}"
    if s.until is not None:
        end = s.until
        what = {"pH": f"pH {end.value}", "observation": end.value or "",
                "temperature": f"it reaches {end.value}", "consumed":
                "the starting material is consumed (TLC)", "precipitate":
                "a precipitate forms", "initiation": "the reaction starts"}.get(
            end.condition, end.condition)
        words += f", until {what}"
        if end.longest is not None:
            words += f" (at most {_q(end.longest)})"
    return words


def describe_step(step: st.Step, amounts: AmountsTable,
                  products: Mapping[str, str] | None = None) -> str:
    """One step in words, with the amounts of the materials it handles and its note.

    ``products`` maps product ids to names, so "forms ss" reads "forms Mn²⁺:(CdSe)₁₃ SSs (ss)".
    """
    text = step_words(step, amounts, products)
    extras = [x for x in (step.note, f"Assumed: {step.assumed}" if step.assumed else None) if x]
    return " ".join([text.rstrip() + ".", *extras])


def substep_letter(index: int) -> str:
    """The letter of the ``index``-th step inside a repeat block, as a spreadsheet names its
    columns: a … z, then aa, ab, … (not '{', '|' past the 26th)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def step_words(step: st.Step, amounts: AmountsTable,
               products: Mapping[str, str] | None = None) -> str:
    """The step's sentence (no note), naming what forms by its product name when known."""
    if isinstance(step, st.Repeat):
        inner = [describe_step(sub, amounts, products) for sub in step.steps if sub.when is True]
        listed = " ".join(f"({substep_letter(i)}) {text}" for i, text in enumerate(inner))
        return f"Repeat {step.times}×: {listed}".rstrip(".")
    text = _using(STEP_WORDS[type(step)](step, amounts), step.using)
    product = getattr(step, "product", None)
    if product and products and product in products and products[product] != product:
        marker = f"; forms {product}"
        if text.endswith(marker):
            text = text[: -len(marker)] + f"; forms {products[product]} ({product})"
    return text


def _using(text: str, equipment: Sequence[str]) -> str:
    """The step's sentence with ``, using glovebox`` before what it forms, if anything."""
    if not equipment:
        return text
    using = f", using {' and '.join(equipment)}"
    head, marker, tail = text.partition("; forms ")
    return head + using + marker + tail


def _add(s: st.Add, a: AmountsTable) -> str:
    how = " dropwise" if s.dropwise else ""
    air = f" under {s.atmosphere}" if s.atmosphere else ""
    return (f"Add{how} {_with_amounts(s.materials, a)} to {s.to}{_at(s.temperature)}{air}"
            f"{_timing(s)}")


def _dissolve(s: st.Dissolve, a: AmountsTable) -> str:
    return (f"Dissolve {_with_amounts(s.materials, a)} in {_one_amount(s.solvent, a)} "
            f"in {s.vessel}{_at(s.temperature)}{_timing(s)}")


_STIRRING_ADVERB = {"gentle": "gently", "moderate": "moderately", "vigorous": "vigorously"}


def _stirring(value: Measured | str | None) -> str:
    """``, with magnetic stirring``, ``, stirring gently``, ``, stirring at 500 rpm``."""
    if value is None or value == "none":
        return ""
    if value == "magnetic":
        return ", with magnetic stirring"
    if isinstance(value, str):
        return f", stirring {_STIRRING_ADVERB.get(value, value)}"
    return f", stirring at {bench_text(value)}"


def _heat(s: st.Heat, a: AmountsTable) -> str:
    verb = {"hold": "Hold", "warm": "Warm"}.get(s.action, "Heat")
    forms = f"; forms {s.product}" if s.product else ""
    air = f" under {s.atmosphere}" if s.atmosphere else ""
    reflux = " under reflux" if s.reflux else ""
    where = " to" if s.action == "warm" else " at"
    return (f"{verb} {s.vessel}{where} {_q(s.temperature)}{reflux}{_for(s.duration)}"
            f"{_timing(s)}{_stirring(s.stirring)}{air}{forms}")


def _stir(s: st.Stir, a: AmountsTable) -> str:
    # "Stir vial gently at 25 °C for 4 h under argon", not "Stir …, stirring (gentle)".
    how = ("" if s.stirring in ("magnetic", "none") else
           f" {_STIRRING_ADVERB.get(s.stirring, s.stirring)}" if isinstance(s.stirring, str)
           else f" at {bench_text(s.stirring)}")
    tool = " (magnetic stirrer)" if s.stirring == "magnetic" else ""
    air = f" under {s.atmosphere}" if s.atmosphere else ""
    forms = f"; forms {s.product}" if s.product else ""
    return (f"Stir {s.vessel}{how}{_at(s.temperature)}{_for(s.duration)}{_timing(s)}{tool}"
            f"{air}{forms}")


_COOLING = {"ambient": "in air", "ice bath": "in an ice bath", "water bath": "in a water bath",
            "dry ice": "in dry ice", "liquid nitrogen": "in liquid nitrogen"}


def _cool(s: st.Cool, a: AmountsTable) -> str:
    return (f"Cool {s.vessel} to {_q(s.temperature)} {_COOLING.get(s.method, s.method)}"
            f"{_for(s.duration)}{_timing(s)}")


def _quench(s: st.Quench, a: AmountsTable) -> str:
    article = "an" if s.bath[0] in "aeiou" else "a"
    return f"Quench {s.vessel} in {article} {s.bath} bath" + (
        f" to {_q(s.temperature)}" if s.temperature else "")


def _bubble(s: st.Bubble, a: AmountsTable) -> str:
    rate = f" at {_q(s.flow_rate)}" if s.flow_rate else ""
    return (f"Bubble {s.gas} through {s.into}{rate} for {_q(s.duration)}{_at(s.temperature)}"
            f"{_timing(s)}")


def _pressurize(s: st.Pressurize, a: AmountsTable) -> str:
    return f"Pressurize {s.vessel} with {s.gas} to {_q(s.pressure)}"


def _vent(s: st.Vent, a: AmountsTable) -> str:
    return f"Vent {s.vessel}" + (f" ({s.gas})" if s.gas else "") + " in the fume hood"


def _inject(s: st.Inject, a: AmountsTable) -> str:
    verb = "Inject" if s.action == "inject" else "Transfer"
    rate = f" at {_q(s.rate)}" if s.rate else ""
    left = list(getattr(s, "leave", None) or ())
    part = ("the contents" if s.amount is None and s.fraction is None else
            f"{bench_text(s.amount)} of the contents" if s.amount is not None else
            "the rest of the contents" if s.fraction == "rest" else
            f"{100 * float(s.fraction or 1):.3g} % of the contents")
    what = f"{part} of {s.source}" + (
        f", leaving {_listed([_named(m, a) for m in left])} behind," if left else "")
    how = " dropwise" if s.dropwise else ""
    return f"{verb} {what} into {s.into}{how}{_at(s.temperature)}{rate}{_timing(s)}"


def _centrifuge(s: st.Centrifuge, a: AmountsTable) -> str:
    where = f" {s.vessel}" if s.vessel else ""
    return (f"Centrifuge{where} at {_q(s.speed)}{_for(s.duration)}{_at(s.temperature)}; "
            f"keep the {s.keep}{_separated(s)}")


def _separated(s: st.Centrifuge | st.Filter) -> str:
    """Where the kept part goes and where the rest goes: ``into flask; the rest to waste``."""
    into = f" (into {s.into})" if s.into else ""
    rest = f"; the rest into {s.rest_to}" if s.rest_to else "; the rest to waste"
    return into + rest


def _solvent_volume(mid: str, volume: Measured | None, a: AmountsTable) -> str:
    """The volume of solvent a step uses: its own, else the material's (per use)."""
    if volume is not None:
        return bench_text(volume)
    entry = a.materials.get(mid)
    if entry is not None and entry.volume is not None and dispensed_by_volume(entry):
        return bench_span(entry.volume, bench_volume)
    return ""


def _wash(s: st.Wash, a: AmountsTable) -> str:
    # The material's amount is per wash (as the protocols write it): say so.
    per = _solvent_volume(s.solvent, s.volume, a)
    each = f"{per} {_named(s.solvent, a)} each" if per else _named(s.solvent, a)
    spin = f", spinning at {_q(s.speed)}{_for(s.duration)}" if s.speed else _for(s.duration)
    return f"Wash {s.times}× with {each}{spin}"


_DRYING = {"ambient": "in air", "vacuum": "under vacuum", "oven": "in an oven",
           "nitrogen stream": "in a nitrogen stream", "spin": "by spinning"}


def _dry(s: st.Dry, a: AmountsTable) -> str:
    pressure = f" at {_q(s.pressure)}" if s.pressure else ""
    verb = "Freeze-dry" if s.method == "freeze-dry" else f"Dry {_DRYING.get(s.method, s.method)}"
    return f"{verb}{_at(s.temperature)}{pressure}{_for(s.duration)}"


def _redisperse(s: st.Redisperse, a: AmountsTable) -> str:
    volume = _solvent_volume(s.solvent, s.volume, a)
    where = f" in {s.vessel}" if s.vessel else ""
    return f"Redisperse in{' ' + volume if volume else ''} {_named(s.solvent, a)}{where}"


def _drop_cast(s: st.DropCast, a: AmountsTable) -> str:
    volume = f" {_q(s.volume)}" if s.volume else ""
    return f"Drop-cast{volume} onto {s.onto} and let dry {_DRYING.get(s.drying, s.drying)}"


def _irradiate(s: st.Irradiate, a: AmountsTable) -> str:
    where = f" in {s.instrument}" if s.instrument else ""
    parts = [f"Irradiate{where} at {_q(s.wavelength)}"]
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
    if s.instrument:
        text += f" on {s.instrument}"
    if s.repeats > 1:
        text += f", {s.repeats} times"
    if s.records:
        text += f"; record {', '.join(s.records)}"
    return text


def _filter(s: st.Filter, a: AmountsTable) -> str:
    verb = "Decant" if s.action == "decant" else "Filter"
    return verb + (f" {s.vessel}" if s.vessel else "") + f"; keep the {s.keep}{_separated(s)}"


def _recrystallize(s: st.Recrystallize, a: AmountsTable) -> str:
    rest = f"; the mother liquor into {s.rest_to}" if s.rest_to else ""
    return (f"Recrystallise the contents of {s.vessel} from {_named(s.solvent, a)}: dissolve "
            f"at {_q(s.temperature)}, cool to {_q(s.cool_to)}, filter off the crystals{rest}")


def _seal(s: st.Seal, a: AmountsTable) -> str:
    return f"Seal {s.vessel}" + (f" under {s.atmosphere}" if s.atmosphere else "")


def _open(s: st.Open, a: AmountsTable) -> str:
    return f"Open {s.vessel} to {s.to}"


def _evacuate(s: st.Evacuate, a: AmountsTable) -> str:
    backfill = "leave under vacuum" if s.backfill == "vacuum" else f"backfill with {s.backfill}"
    return f"Evacuate {s.vessel} and {backfill}, {s.cycles}×"


def _freeze_pump_thaw(s: st.FreezePumpThaw, a: AmountsTable) -> str:
    backfill = ("leave it sealed under vacuum" if s.backfill == "vacuum" else
                f"backfill with {s.backfill} and leave it sealed")
    return f"Degas {s.vessel} by {s.cycles} freeze–pump–thaw cycles; {backfill}"


def _extract(s: st.Extract, a: AmountsTable) -> str:
    # The material's amount is one portion (as for wash): say so when there are several.
    per = _solvent_volume(s.solvent, s.volume, a)
    portion = f"{per} {_named(s.solvent, a)}" if per else _named(s.solvent, a)
    times = f" {s.times}×" if s.times > 1 else ""
    each = " each" if s.times > 1 and per else ""
    kept = f"; keep the {s.keep} layer"
    if s.into:
        kept += f"s, combined in {s.into}" if s.times > 1 else f" in {s.into}"
    other = "aqueous" if s.keep == "organic" else "organic"
    left = (f", leaving {_listed([_named(m, a) for m in s.leave])} in the {other} layer"
            if s.leave else "")
    return f"Extract {s.source}{times} with {portion}{each}{kept}{left}"


_EVAPORATING = {"rotary evaporator": "on a rotary evaporator",
                "nitrogen stream": "in a nitrogen stream", "vacuum": "under vacuum"}


def _evaporate(s: st.Evaporate, a: AmountsTable) -> str:
    what = _listed([_named(m, a) for m in s.solvents]) if s.solvents else "the solvent"
    settings = ", ".join(x for x in (f"bath {_q(s.temperature)}" if s.temperature else "",
                                     _q(s.pressure)) if x)
    return (f"Evaporate {what} from {s.vessel} {_EVAPORATING.get(s.method, s.method)}"
            + (f" ({settings})" if settings else "") + _for(s.duration))


def _distill(s: st.Distill, a: AmountsTable) -> str:
    pressure = _at(s.pressure)
    heat = f", heating at {_q(s.temperature)}" if s.temperature else ""
    fraction = (f" ({_listed([_named(m, a) for m in s.fraction])})" if s.fraction else "")
    into = f" into {s.into}" if s.into else ""
    return (f"Distil from {s.source}{pressure}{heat}, collecting the fraction boiling at "
            f"{_q(s.collect)}{fraction}{into}")


_CHROMATOGRAPHY = {"column": "column chromatography", "flash": "flash chromatography",
                   "preparative TLC": "preparative TLC"}


def _chromatograph(s: st.Chromatograph, a: AmountsTable) -> str:
    what = f" the contents of {s.vessel}" if s.vessel else ""
    eluent = (s.eluent if isinstance(s.eluent, str)
              else _listed([_named(m, a) for m in s.eluent]))
    return (f"Purify{what} by {_CHROMATOGRAPHY.get(s.method, s.method)} on "
            f"{s.stationary_phase}, eluting with {eluent}")


def _repeat(s: st.Repeat, a: AmountsTable) -> str:
    return step_words(s, a)


# Every step type must be here: a new action without words fails loudly (KeyError), and
# tests/test_export_records.py checks the table against the model's union.
STEP_WORDS: dict[type, Callable[[Any, AmountsTable], str]] = {
    st.Add: _add, st.Dissolve: _dissolve, st.Heat: _heat, st.Stir: _stir, st.Cool: _cool,
    st.Quench: _quench, st.Bubble: _bubble, st.Pressurize: _pressurize, st.Vent: _vent,
    st.Inject: _inject, st.Centrifuge: _centrifuge, st.Wash: _wash, st.Dry: _dry,
    st.Redisperse: _redisperse, st.DropCast: _drop_cast, st.Irradiate: _irradiate,
    st.Measure: _measure, st.Filter: _filter, st.Extract: _extract, st.Evaporate: _evaporate,
    st.Distill: _distill, st.Chromatograph: _chromatograph, st.Repeat: _repeat,
    st.Recrystallize: _recrystallize, st.Seal: _seal, st.Open: _open, st.Evacuate: _evacuate,
    st.FreezePumpThaw: _freeze_pump_thaw,
}


def product_names(protocol: Protocol) -> dict[str, str]:
    return {pid: product.name for pid, product in protocol.products.items()}


def step_texts(protocol: Protocol, amounts: AmountsTable) -> Iterator[str]:
    """The active top-level steps in words (a repeat block is one step)."""
    names = product_names(protocol)
    for step in protocol.steps:
        if step.when is True:
            yield describe_step(step, amounts, names)


