"""Resolving a material to its reagent: library entry or inline identity, formula, density."""

from __future__ import annotations

from dataclasses import dataclass, replace

from benchsheet.chemistry.formula import FormulaError, ParsedFormula, parse_formula
from benchsheet.memo import ByIdentity
from benchsheet.model.materials import InlineReagent, Material
from benchsheet.reagents.library import GHS, ReagentLibrary, ReagentRecord
from benchsheet.units import absolute_pressure_pa, convert


@dataclass(frozen=True)
class ResolvedReagent:
    """Everything the chemistry needs to know about one material's substance: the substance's,
    not the material's (the materials that name it share it)."""

    name: str
    record: ReagentRecord | None  # the library entry, when there is exactly one
    candidates: tuple[ReagentRecord, ...]  # several: the name is ambiguous
    formula: ParsedFormula | None
    formula_error: str | None
    molar_mass: float | None  # g/mol
    density: float | None  # g/mL
    density_temperature_K: float | None
    phase_25C: str | None
    cas: str | None
    ghs: GHS | None
    melting_point_K: float | None = None
    boiling_point_K: float | None = None
    flash_point_K: float | None = None  # measured (closed cup), from the library or database
    # An inline reagent's vapour-pressure curve, (T / K, P / Pa) in increasing T; a library
    # reagent's is on its record.
    vapour_pressure_points: tuple[tuple[float, float], ...] = ()

    @property
    def known(self) -> bool:
        return self.record is not None or self.candidates == ()


def _formula(text: str | None) -> tuple[ParsedFormula | None, str | None]:
    if not text:
        return None, None
    try:
        return parse_formula(text), None
    except FormulaError as exc:
        return None, str(exc)


def _inline(reagent: InlineReagent) -> ResolvedReagent:
    parsed, error = _formula(reagent.formula)
    molar_mass = parsed.molar_mass if parsed else None
    if reagent.molar_mass is not None:
        molar_mass = reagent.molar_mass.to("g/mol")
    density = reagent.density.to("g/mL") if reagent.density is not None else None
    t_density = (
        reagent.density_temperature.to("kelvin") if reagent.density_temperature else None
    )
    ghs = None
    if reagent.hazards is not None:
        h = reagent.hazards
        ghs = GHS(h.signal_word, tuple(h.h_codes), tuple(h.pictograms), h.source or "protocol")
    return ResolvedReagent(
        reagent.name, None, (), parsed, error, molar_mass, density, t_density,
        reagent.phase if reagent.phase in ("solid", "liquid", "gas") else None, reagent.cas, ghs,
        reagent.melting_point.to("kelvin") if reagent.melting_point else None,
        reagent.boiling_point.to("kelvin") if reagent.boiling_point else None,
        reagent.flash_point.to("kelvin") if reagent.flash_point else None,
        tuple(sorted((t.to("kelvin"), absolute_pressure_pa(p))
                     for t, p in (reagent.vapor_pressure or {}).items())),
    )


def _solute_label(record: ReagentRecord, library: ReagentLibrary) -> GHS | None:
    """A commercial solution without its own label (a lab's entry) carries its solute's, said
    so: the solvent's hazards come with the solvent part, so together they cover the bottle's
    classes, though a dilute solution may rank lower in some."""
    assert record.solution is not None
    solute = library.get(record.solution.solute)
    if solute is None or solute.ghs is None:
        return None
    return replace(solute.ghs, source=f"the label of its solute, {solute.name} "
                   f"({solute.ghs.source}); the solution's own label is not in the library")


# A library and (the name a material gives, its form) -> the resolved reagent. The same name
# in the same library resolves to the same substance for every material, variant and file,
# and one object for it lets what is worked out from a reagent (its hazard classes) be worked
# out once: a protocol of ten thousand portions of ethanol resolves ethanol once.
_RESOLVED: ByIdentity[ResolvedReagent] = ByIdentity(most=1024)


def resolve(material: Material, library: ReagentLibrary) -> ResolvedReagent:
    """Find the substance a material names; ambiguity is kept for the identity checks."""
    if isinstance(material.reagent, InlineReagent):
        return _inline(material.reagent)
    name, form = material.reagent, material.form
    return _RESOLVED.get(library, lambda: _resolve_named(name, form, library), (name, form))


def _resolve_named(name: str, form: str | None, library: ReagentLibrary) -> ResolvedReagent:
    """``resolve`` of a material that names its reagent (by id, name, CAS or formula)."""
    hits = library.find(name)
    if not hits:
        # Not in the curated library: the embedded database, by CAS number or name (opened
        # only now, so protocols of library reagents never pay for it).
        from benchsheet.reagents.from_database import lookup

        hits = list(lookup(name))
    exact = any(name.lower() in {h.id.lower(), (h.cas or "").lower()} for h in hits)
    if form and hits and not exact:
        # "manganese chloride" + form: tetrahydrate names the hydrate of the same family.
        family = {m for h in hits for m in library.family_members(h.family)}
        narrowed = sorted((m for m in family if (m.form or "").lower() == form.lower()),
                          key=lambda r: r.id)
        if narrowed:
            hits = narrowed
    if len(hits) != 1:
        return ResolvedReagent(name, None, tuple(hits), None, None, None, None, None, None,
                               None, None)
    record = hits[0]
    ghs = record.ghs
    if ghs is None and record.solution is not None:
        ghs = _solute_label(record, library)
    parsed, error = ((None, record.formula_problem) if record.formula_problem is not None
                     else _formula(record.formula))
    density = record.density.value if record.density is not None else None
    if record.density is not None and record.density.unit != "g/mL":
        density = convert(record.density.value, record.density.unit, "g/mL")
    return ResolvedReagent(
        record.name, record, (record,), parsed, error,
        parsed.molar_mass if parsed else None, density,
        record.density.temperature_K if record.density else None,
        record.phase_25C, record.cas, ghs,
        record.melting_point_K.value if record.melting_point_K else None,
        record.boiling_point_K.value if record.boiling_point_K else None,
        record.flash_point_K.value if record.flash_point_K else None,
    )

