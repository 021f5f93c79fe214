"""Reagent identity: a name must pin down one substance in one form."""

from __future__ import annotations

import re
from collections.abc import Iterator

from benchsheet.checks import rule
from benchsheet.checks.context import CheckContext
from benchsheet.findings import Finding, Severity
from benchsheet.memo import ByIdentity
from benchsheet.model.materials import InlineReagent
from benchsheet.reagents.library import ReagentLibrary, ReagentRecord, cas_check_digit_ok

# Forms whose molar masses differ by more than this change a weighed amount noticeably.
FORM_MASS_TOLERANCE = 0.03
# Water of hydration written into a formula (MnCl2·4H2O, CdCl2.2.5H2O): the text names a hydrate.
_HYDRATE_WATER = re.compile(r"[·.*•⋅∙]\s*\d*(?:\.\d+)?\s*[HD]2O")


def _hazard_words(record: ReagentRecord) -> str:
    """', Danger: H250, H314' for a candidate with a classification: picking the wrong one of
    two is also picking the wrong hazards."""
    ghs = record.ghs
    if ghs is None:
        return ", no GHS data"
    if not ghs.h_codes:
        return ", not classified"
    return f", {ghs.signal_word + ': ' if ghs.signal_word else ''}{', '.join(ghs.h_codes)}"


@rule("ID101", Severity.ERROR, "name or abbreviation names several substances")
def ambiguous_reagent(ctx: CheckContext) -> Iterator[Finding]:
    """Abbreviations such as TOP are used for trioctylphosphine and for triethylphosphine,
    whose molar masses differ threefold; without a CAS number or library id the amount
    cannot be converted and the bottle cannot be picked."""
    for mid, entry in ctx.amounts.materials.items():
        if entry.reagent.record is None and len(entry.reagent.candidates) > 1:
            names = "; ".join(f"{c.name} ({c.cas}{_hazard_words(c)})"
                              for c in entry.reagent.candidates)
            yield ctx.finding(
                "ID101", f"material '{mid}': '{entry.material.reagent}' can be {names}",
                ("materials", mid, "reagent"),
                "use the library id or the CAS number of the one meant")


@rule("ID102", Severity.WARNING, "hydrate or form not stated")
def form_unstated(ctx: CheckContext) -> Iterator[Finding]:
    """Salts such as MnCl2 come anhydrous or as hydrates (MnCl2·4H2O weighs 57 % more per
    mole); when the forms' molar masses differ by more than a few per cent the protocol must
    state the form it weighs."""
    for mid, entry in ctx.amounts.materials.items():
        record = entry.reagent.record
        if record is None or entry.material.form is not None or record.form is None:
            continue
        if isinstance(entry.material.reagent, str) and (
            entry.material.reagent.lower() in {record.id.lower(), (record.cas or "").lower()}
        ):
            continue  # a library id or CAS names one form exactly
        if isinstance(entry.material.reagent, str) and (
            record.form.lower() in entry.material.reagent.lower()
            or _HYDRATE_WATER.search(entry.material.reagent)
        ):
            continue  # "... tetrahydrate" or MnCl2·4H2O states the form in the name itself
        members = [m for m in ctx.library.family_members(record.family) if m.id != record.id]
        mine = entry.reagent.molar_mass
        if not members or mine is None:
            continue
        from benchsheet.chemistry.formula import molar_mass

        others = [(m, molar_mass(m.formula)) for m in members]
        far = [(m, mm) for m, mm in others if abs(mm - mine) / mine > FORM_MASS_TOLERANCE]
        if not far:
            continue
        alternatives = ", ".join(
            f"{m.form or m.name} {mm:.2f} g/mol ({100 * (mm / mine - 1):+.0f} %)" for m, mm in far
        )
        yield ctx.finding(
            "ID102", f"material '{mid}' is read as {record.form} {record.name} "
            f"({mine:.2f} g/mol), but the name also fits {alternatives}",
            ("materials", mid, "reagent"), f"add form: {record.form} (or the form weighed)")


@rule("ID103", Severity.ERROR, "stated form contradicts the reagent")
def form_contradiction(ctx: CheckContext) -> Iterator[Finding]:
    """A material that says form: tetrahydrate but resolves to the anhydrous entry (or the
    reverse) would be weighed with the wrong molar mass."""
    for mid, entry in ctx.amounts.materials.items():
        record = entry.reagent.record
        form = entry.material.form
        if record is None or form is None or record.form is None:
            continue
        if form.lower() != record.form.lower():
            yield ctx.finding(
                "ID103", f"material '{mid}' says form '{form}' but '{entry.material.reagent}' "
                f"is the {record.form} entry ({record.formula})", ("materials", mid, "form"),
                f"name the {form} entry of the library, or correct the form")


@rule("ID104", Severity.ERROR, "CAS number check digit wrong")
def cas_check_digit(ctx: CheckContext) -> Iterator[Finding]:
    """A CAS Registry Number ends in a check digit (weighted sum of the other digits mod 10);
    a wrong one means a typo and possibly another substance."""
    for mid, entry in ctx.amounts.materials.items():
        reagent = entry.material.reagent
        if isinstance(reagent, InlineReagent) and reagent.cas and not cas_check_digit_ok(
            reagent.cas
        ):
            yield ctx.finding("ID104", f"material '{mid}': CAS {reagent.cas} fails its check "
                              "digit", ("materials", mid, "reagent", "cas"),
                              "copy the CAS number again from the supplier's label")


def _abbreviations(library: ReagentLibrary) -> frozenset[str]:
    """Every abbreviation, plain or ambiguous, of every reagent of ``library``: the ids ID105
    can find an abbreviation of another meaning in."""
    return frozenset(a for r in library for a in (*r.abbreviations, *r.ambiguous_abbreviations))


# ``_abbreviations`` by the library, which is not changed once loaded (a run has one or two).
_ABBREVIATIONS: ByIdentity[frozenset[str]] = ByIdentity(most=16)


@rule("ID105", Severity.WARNING, "material id is an ambiguous abbreviation")
def ambiguous_material_id(ctx: CheckContext) -> Iterator[Finding]:
    """A material called 'TOP' on a sheet is read as trioctylphosphine by most chemists even
    when the protocol means triethylphosphine; the id printed at the bench must not mislead."""
    abbreviations = _ABBREVIATIONS.get(ctx.library, lambda: _abbreviations(ctx.library))
    for mid, entry in ctx.amounts.materials.items():
        record = entry.reagent.record
        # An id no reagent of the library abbreviates to is no abbreviation of any meaning.
        if record is None or mid not in abbreviations:
            continue
        meanings = [r for r in ctx.library.find(mid) if r.family != record.family]
        if meanings and mid in {a for r in meanings for a in (*r.abbreviations,
                                                                *r.ambiguous_abbreviations)}:
            others = ", ".join(r.name for r in meanings)
            yield ctx.finding(
                "ID105", f"material id '{mid}' is {record.name}, but '{mid}' also names "
                f"{others}", ("materials", mid), "give the material an unambiguous id",
                key=True)


@rule("ID106", Severity.ERROR, "material contradicts the commercial solution it names")
def supplied_solution_contradicted(ctx: CheckContext) -> Iterator[Finding]:
    """A library entry such as n-butyllithium-2.5m-hexanes is one bottle: 2.5 M in hexane. A
    material that names it and writes another strength or solvent is counted with the numbers
    written, so one of the two is wrong and every derived amount with it."""
    from benchsheet.chemistry.solutions import (
        solution_entry,
        supplied_concentration,
        supplied_density,
    )

    for mid, entry in ctx.amounts.materials.items():
        material = entry.material
        record = solution_entry(material.reagent, ctx.library)
        if record is None or record.solution is None:
            continue
        solution = record.solution
        label = f"'{material.reagent}' is {solution.concentration} in {solution.solvent}"
        fix = (f"name the solute ({solution.solute}) with your own concentration and solvent, "
               f"or delete them and keep the entry's")
        stated = material.concentration
        if stated is not None and (stated == "saturated" or not _same(
                stated, supplied_concentration(solution.concentration))):
            yield ctx.finding("ID106", f"material '{mid}': {label}, but the material says "
                              f"concentration {stated}", ("materials", mid, "concentration"),
                              fix)
        if material.solvent is not None and not _same_reagent(material.solvent, solution.solvent,
                                                              ctx):
            yield ctx.finding("ID106", f"material '{mid}': {label}, but the material says "
                              f"solvent {material.solvent}", ("materials", mid, "solvent"), fix)
        density = material.density
        if density is not None and not _same(density, supplied_density(solution.density_g_mL),
                                             tolerance=0.02):
            yield ctx.finding("ID106", f"material '{mid}': {label} of density "
                              f"{solution.density_g_mL:g} g/mL, but the material says density "
                              f"{density}", ("materials", mid, "density"), fix)


def _same(a: object, b: object, tolerance: float = 1e-6) -> bool:
    """Two quantities of one dimension equal within ``tolerance`` (relative, nominal values)."""
    from benchsheet.units import Measured

    if not isinstance(a, Measured) or not isinstance(b, Measured) or a.dimension != b.dimension:
        return False
    unit = b.unit
    x, y = a.to(unit), b.to(unit)
    return abs(x - y) <= tolerance * max(abs(y), 1e-12)


def _same_reagent(stated: object, expected: str, ctx: CheckContext) -> bool:
    if not isinstance(stated, str):
        return False
    hits = ctx.library.find(stated)
    return len(hits) == 1 and hits[0].id == expected
