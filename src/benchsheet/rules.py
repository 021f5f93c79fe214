"""Every rule code benchsheet reports, with its severity and the why behind it.

Codes are stable: a family prefix and a number. Checks register their own rules with the
``rule`` decorator in ``benchsheet.checks``; the codes the loader and model report live here.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchsheet.findings import Severity


@dataclass(frozen=True)
class RuleInfo:
    code: str
    severity: Severity
    title: str
    explanation: str

    @property
    def family(self) -> str:
        return self.code[:2]


FAMILIES: dict[str, str] = {
    "LD": "reading the file (encoding, YAML, size)",
    "SC": "structure: keys, types and allowed values",
    "UN": "units and quantities",
    "RF": "references between parts of the protocol and to the reagent library",
    "VA": "parameters and variants",
    "ID": "reagent identity: ambiguous names, forms and hydrates",
    "ST": "stoichiometry: ratios, dopant and alloy fractions, limiting reagent, yield",
    "GS": "gases: headspace charges and feeds",
    "PH": "phases and vessels: melting, boiling, pressure, fill",
    "EQ": "equipment settings",
    "HZ": "hazards and the controls a sheet must print",
    "CL": "reported figures recomputed from their inputs",
    "AK": "acknowledgements",
    "SH": "bench sheets and scaling",
    "IN": "benchsheet's own failures",
}

RULES: dict[str, RuleInfo] = {}


def register(code: str, severity: Severity, title: str, explanation: str) -> RuleInfo:
    """Add a rule to the catalogue; a code registered twice is a programming error."""
    if code in RULES:
        raise RuntimeError(f"rule {code} registered twice")
    if code[:2] not in FAMILIES:
        raise RuntimeError(f"rule {code} has no family")
    info = RuleInfo(code, severity, title, explanation)
    RULES[code] = info
    return info


E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO

for _code, _sev, _title, _why in [
    ("LD001", E, "file cannot be read", "The path does not exist or cannot be opened."),
    ("LD002", E, "not valid YAML", "The YAML parser stopped here; nothing after it was read."),
    ("LD003", E, "empty file", "An empty file is never a protocol, and passing it silently "
     "would hide a failed checkout or a truncated write."),
    ("LD004", E, "duplicate key", "YAML keeps only the last of two equal keys, so one amount "
     "or temperature would silently vanish."),
    ("LD005", E, "too many nodes, alias bomb or too deep", "A protocol is a few hundred YAML "
     "nodes; a file past the node or depth limit (nodes, depth), or aliases that expand to "
     "very many nodes or refer to themselves, is refused before it is built, so that it "
     "cannot take minutes or gigabytes. The limits are in the README and can be raised."),
    ("LD006", E, "file too large", "Protocols are a few kilobytes; a file over the limit "
     "(file-size-mb) is not read, to keep CI fast and safe."),
    ("LD007", E, "not a mapping", "A protocol file is one mapping of keys (id, title, ...)."),
    ("LD008", E, "key is not text", "YAML 1.1 reads unquoted on/off/yes/no and numbers as "
     "other types; keys must be text."),
    ("LD009", E, "merge key", "Merge keys ('<<') hide where a value comes from."),
    ("LD010", E, "not UTF-8 text", "Protocols are UTF-8 text so that µ, ° and ± survive."),
    ("LD011", E, "list or mapping too long", "One list or mapping with more entries than the "
     "limit (list-items, mapping-keys) is a generated or damaged file: every check, sheet and "
     "export walks it once per variant. It is refused while the file is read."),
    ("LD012", E, "run limit reached", "A run reads at most run-size-mb of protocol files, "
     "run-nodes of YAML nodes and run-variants variants; the files after the limit are not "
     "checked, and each says so."),
    ("SC101", E, "required key missing", "The format needs this key to describe the step "
     "or entry completely."),
    ("SC102", E, "unknown key", "A misspelt key would otherwise be silently ignored, and "
     "with it an amount or a condition."),
    ("SC103", E, "wrong type", "The value has the wrong type (text, number, list, mapping)."),
    ("SC104", E, "value not allowed", "The key takes one of a closed list of values."),
    ("SC105", E, "unknown step action or kind", "Steps come from a closed vocabulary so "
     "every step has typed fields a sheet and a check can rely on."),
    ("SC106", E, "bad format", "An id, CAS number, DOI or version does not have its form."),
    ("SC107", E, "inconsistent entry", "Fields of one entry contradict each other."),
    ("SC108", E, "out of range", "A count, a list's length or a value is outside what makes "
     "sense: a purity of 0 or above 100 %, a turnover number over a reaction time of 0."),
    ("SC109", E, "too many repetitions", "A step repeated more times than the limit "
     "(repeat-cycles; nested repeat blocks multiply) would print a tick box per cycle on the "
     "sheet and is almost always a slip for a smaller number."),
    ("UN201", E, "bare number", "A number without a unit is ambiguous: 10 could be mg, g, "
     "mL or mmol."),
    ("UN202", E, "wrong dimension", "The unit measures something else than the field "
     "needs (a volume where a temperature belongs)."),
    ("UN203", E, "unknown unit", "The unit is not one benchsheet accepts for this field."),
    ("UN204", E, "ambiguous unit spelling", "Some spellings mean two things at the bench "
     "('m' metre or minute, 'Mg' megagram or mg); they are refused with the reason."),
    ("UN205", E, "malformed quantity", "The text is not a number (or range) and a unit."),
    ("UN206", E, "gauge or absolute not stated", "A pressure of '3 bar' differs by one "
     "atmosphere depending on whether the gauge or the absolute value is meant; the gas "
     "amount in a headspace changes by a third."),
    ("UN207", E, "range runs backwards", "A range is written low–high."),
    ("UN208", E, "negative or unphysical value", "Amounts, volumes, times and tolerances "
     "cannot be negative, a density or a molar mass cannot be zero either, a temperature "
     "cannot be below absolute zero, and a pressure cannot be below a perfect vacuum."),
    ("UN209", E, "number too large or too small to be meant", "No quantity at the bench is "
     "written with a number beyond 10^15 in its unit (10^15 mg is a thousand tonnes), or one "
     "below 10^-15 that is not zero; such a number is a slip, and at the ends of the range of "
     "floating point it would overflow every calculation, or become 0 and be divided by."),
    ("VA001", E, "expression cannot be evaluated", "A ${...} expression names an unknown "
     "parameter or uses something other than arithmetic, comparisons and table lookups."),
    ("VA002", E, "unknown parameter in a variant", "A variant sets a parameter the protocol "
     "does not declare."),
    ("VA003", E, "duplicate variant name", "Two variants with one name cannot be told apart "
     "on sheets, in exports or in acknowledgements."),
    ("VA004", E, "too many variants", "Every variant is checked, rendered and exported on its "
     "own; a matrix whose product passes the limit (variants) would make one file cost "
     "minutes. It is refused before any variant is expanded."),
    ("VA005", E, "expression too long", "A ${...} expression longer or with more operations "
     "than the limits (expression-chars, expression-nodes) is not evaluated: protocol "
     "arithmetic is a line, and every expression is evaluated once per variant."),
    ("AK001", W, "acknowledgement matches nothing", "An acknowledgement that no longer "
     "matches a finding is stale: the problem was fixed or the path changed."),
    ("IN001", E, "benchsheet failed on this variant", "Expanding, modelling or checking the "
     "variant raised an error that no protocol should cause: a bug in benchsheet, not in the "
     "file. The variant is reported as not modelled (no sheet, no export) and the rest of the "
     "run goes on, so one file does not cost the report of every other. Report it with the "
     "file; BENCHSHEET_INTERNAL_ERRORS=raise shows the traceback instead."),
]:
    register(_code, _sev, _title, _why)
