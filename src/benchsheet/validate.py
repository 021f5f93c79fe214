"""The validation pipeline: load → expand → model → amounts → checks → acknowledgements, then
links between the files validated together."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from benchsheet.chemistry.amounts import AmountsTable, compute_amounts
from benchsheet.chemistry.vessels import Timeline
from benchsheet.collector import file_done
from benchsheet.discovery import DiscoveryRules, find_protocols
from benchsheet.expand import (
    TOO_MANY_VARIANTS_HINT,
    expand,
    templated,
    too_many_variants,
    variant_count,
    variant_specs,
)
from benchsheet.findings import Finding, PathPart, Severity, format_path
from benchsheet.limits import DEFAULT_LIMITS, MIB, Limits, raise_hint
from benchsheet.loader import LoadedDocument, Place, load_bytes, load_file, load_text
from benchsheet.memo import ByIdentity
from benchsheet.model.materials import Material
from benchsheet.model.parse import PartModels, parse_protocol, unvalidated
from benchsheet.model.protocol import Acknowledgement, Protocol
from benchsheet.model.steps import Measure, Repeat, Step
from benchsheet.reagents.library import ReagentLibrary, load_library
from benchsheet.rules import RULES

if TYPE_CHECKING:
    from benchsheet.checks import Check, CheckFunction
    from benchsheet.checks.context import LinkedProtocol


@dataclass(frozen=True)
class Options:
    """What to check: rule selection by code or family prefix, and extra reagent files."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    reagent_files: tuple[Path, ...] = ()
    # Codes ignored in the files a gitignore-style pattern matches, relative to
    # ``per_file_root`` (the configuration's folder): the lab's per-file-ignores.
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    per_file_root: Path | None = None
    # How much one file and one run may hold (benchsheet.limits).
    limits: Limits = DEFAULT_LIMITS

    def wants(self, code: str) -> bool:
        if self.select and not any(code.startswith(s) for s in self.select):
            return False
        return not any(code.startswith(i) for i in self.ignore)

    def for_file(self, path: Path | str) -> Options:
        """These options with the per-file ignores that match ``path`` added."""
        if not self.per_file_ignores:
            return self
        from benchsheet.discovery import matching_codes

        extra = matching_codes(Path(path), self.per_file_ignores, self.per_file_root)
        return replace(self, ignore=(*self.ignore, *extra)) if extra else self


@dataclass
class VariantResult:
    name: str
    values: dict[str, object]
    protocol: Protocol | None
    amounts: AmountsTable | None
    findings: list[Finding] = field(default_factory=list)
    # The model as validated, before the library fills in commercial solutions: what the
    # next variant of the file reuses the unchanged parts of.
    parsed: Protocol | None = field(default=None, repr=False, compare=False)


@dataclass
class FileResult:
    document: LoadedDocument
    variants: list[VariantResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Set by ``slim``: what links to this file see, worked out before the data was dropped.
    linked: LinkedProtocol | None = None
    slim: bool = False

    @property
    def base(self) -> VariantResult | None:
        return self.variants[0] if self.variants else None

    def failed(self, fail_on: Severity) -> bool:
        return any(f.fails and f.severity >= fail_on for f in self.findings)


def collect_files(paths: Iterable[Path], rules: DiscoveryRules | None = None
                  ) -> tuple[list[Path], list[str]]:
    """Protocol files under ``paths`` (folders are searched recursively, see
    ``benchsheet.discovery``), sorted per folder; and the paths that could not be read."""
    found = find_protocols(paths, rules)
    return found.files, found.errors


def _acknowledge(findings: list[Finding], protocol: Protocol, doc: LoadedDocument,
                 variant: str, checked_codes: Collection[str]) -> list[Finding]:
    """Mark findings the protocol acknowledges; report acknowledgements that match nothing.

    A finding is matched against the acknowledgements of its code only, in their order (the
    first that matches marks it), found by code rather than by a pass over all of them."""
    out: list[Finding] = []
    used: set[int] = set()
    by_code: dict[str, list[tuple[int, Acknowledgement]]] = {}
    for index, ack in enumerate(protocol.acknowledge):
        by_code.setdefault(ack.code, []).append((index, ack))
    for f in findings:
        for index, ack in by_code.get(f.code, ()):
            if ack.variant is not None and ack.variant != f.variant:
                continue
            if ack.path is not None and not (f.yaml_path == ack.path
                                             or f.yaml_path.startswith(ack.path + ".")
                                             or f.yaml_path.startswith(ack.path + "[")):
                continue
            f = f.acknowledge(ack.reason)
            used.add(index)
            break
        out.append(f)
    for index, ack in enumerate(protocol.acknowledge):
        applies = ack.variant is None or ack.variant == variant
        if index in used or not applies or ack.code not in checked_codes:
            continue
        path = ("acknowledge", index)
        line, col = doc.position(path)
        out.append(Finding(doc.path, line, col, "AK001", RULES["AK001"].severity,
                           f"acknowledgement of {ack.code}"
                           + (f" at {ack.path}" if ack.path else "") + " matches no finding"
                           + (f" in variant {variant}" if variant else ""),
                           "remove it, or correct its code or path", path, variant))
    return out


def validate_variant(doc: LoadedDocument, data: object, name: str, values: dict[str, object],
                     library: ReagentLibrary, options: Options, *,
                     base: tuple[object, Protocol] | PartModels | None = None,
                     shared: ByIdentity[Any] | None = None,
                     raw: list[Finding] | None = None
                     ) -> VariantResult:
    """One concrete variant through the model, the amounts and every check of one file;
    ``base`` is the base protocol's expanded data and model (or a ``PartModels``, which also
    holds the parts the file's earlier variants validated), whose unchanged parts the
    variant's model takes as they are (``model.parse.parse_protocol``); ``shared`` is what
    the checks worked out for those parts in the file's other variants
    (``CheckContext.of_part``), None for a file of one variant. ``raw`` gets the findings as
    the checks made them, before the protocol's acknowledgements (``twin_of`` reads them)."""
    protocol, findings = parse_protocol(data, doc, name, base)
    if raw is not None:
        raw.extend(findings)
        findings = raw
    result = VariantResult(name, values, protocol, None, findings, parsed=protocol)
    if protocol is None:
        return result
    too_many = too_many_cycles(protocol, doc, name, options.limits)
    if too_many:  # the protocol's sheet would print a tick box per cycle: not modelled
        result.protocol = None
        result.findings.extend(too_many)
        return result
    from benchsheet.checks.context import CheckContext
    from benchsheet.chemistry.solutions import as_supplied

    # A commercial solution named by its entry takes the entry's strength, solvent, density.
    protocol = result.protocol = as_supplied(protocol, library)
    amounts = compute_amounts(protocol, library, shared)
    result.amounts = amounts
    ctx = CheckContext(protocol, doc, name, amounts, library, shared=shared)
    checked = _checks_of(options)[1]
    # Those across files run in link_files, once every file is done; those on the base only
    # (e.g. the lab's reagent files) run on the base alone.
    for run in _runs_of(options, on_base=not name):
        findings.extend(run(ctx))
    result.findings = _acknowledge(findings, protocol, doc, name, checked)
    return result


def twin_of(earlier: VariantResult, raw: Sequence[Finding], doc: LoadedDocument, name: str,
            values: dict[str, object], options: Options) -> VariantResult:
    """The result of a variant whose parameter values are all ``earlier``'s (a matrix that
    spells out the defaults repeats the base): its expanded data, and so its model, its
    amounts and what every check finds, are ``earlier``'s, which ``raw`` holds as the checks
    made them. The variant takes them under its own name, with the rules that run on the base
    only left out, and the protocol's acknowledgements matched to it as to any variant."""
    base_only: frozenset[str] = frozenset()
    if not earlier.name and name:
        base_only = frozenset(c.info.code for c in _checks_of(options)[0] if c.base_only)
    findings = [f.in_variant(name) for f in raw if f.code not in base_only]
    twin = VariantResult(name, values, earlier.protocol, earlier.amounts, findings,
                         parsed=earlier.parsed)
    if earlier.protocol is not None and earlier.amounts is not None:
        twin.findings = _acknowledge(findings, earlier.protocol, doc, name,
                                     _checks_of(options)[1])
    return twin


_CHECKS_OF: dict[Options, tuple[list[Check], frozenset[str]]] = {}


def _checks_of(options: Options) -> tuple[list[Check], frozenset[str]]:
    """The checks of one file that ``options`` select, and the codes whose stale
    acknowledgements are reported (theirs and the families found before the checks): worked
    out once per options, not once per variant."""
    found = _CHECKS_OF.get(options)
    if found is None:
        from benchsheet.checks import load_all

        checks = [c for c in load_all() if not c.across_files and options.wants(c.info.code)]
        codes = {c.info.code for c in checks} | {
            c for c in RULES if c[:2] in ("SC", "UN", "LD", "VA")}
        if len(_CHECKS_OF) > 64:  # per-file ignores make options per file
            _CHECKS_OF.clear()
        found = _CHECKS_OF[options] = (checks, frozenset(codes))
    return found


_RUNS_OF: dict[tuple[Options, bool], tuple[CheckFunction, ...]] = {}


def _runs_of(options: Options, *, on_base: bool) -> tuple[CheckFunction, ...]:
    """The functions of ``_checks_of(options)``'s checks that run on the base protocol
    (``on_base``: all of them) or on another variant (all but those on the base only), in
    their order: picked once per options, not once per variant."""
    found = _RUNS_OF.get((options, on_base))
    if found is None:
        runs = tuple(c.run for c in _checks_of(options)[0] if on_base or not c.base_only)
        if len(_RUNS_OF) > 128:  # per-file ignores make options per file
            _RUNS_OF.clear()
        found = _RUNS_OF[(options, on_base)] = runs
    return found


def too_many_cycles(protocol: Protocol, doc: LoadedDocument, variant: str,
                     limits: Limits) -> list[Finding]:
    """SC109 for each step repeated more often than ``limits.repeat_cycles``: nested repeat
    blocks multiply, and a measurement's own repeats count with its blocks'."""
    found: list[Finding] = []
    _count_cycles(protocol.steps, ("steps",), 1, doc, variant, limits, found)
    return found


def _count_cycles(steps: list[Step], path: tuple[str | int, ...], outer: int,
                  doc: LoadedDocument, variant: str, limits: Limits,
                  found: list[Finding]) -> None:
    """``too_many_cycles`` of ``steps``, run ``outer`` times each. A step that is neither a
    repeat block nor a measurement runs ``outer`` times: when that is within the limit it
    can be reported for nothing and is passed over without a look at its fields."""
    plain_fit = outer <= limits.repeat_cycles
    for index, step in enumerate(steps):
        if plain_fit and not isinstance(step, (Repeat, Measure)):
            continue
        here = (*path, index)
        own = step.times if isinstance(step, Repeat) else \
            step.repeats if isinstance(step, Measure) else 1
        cycles = outer * own
        if cycles > limits.repeat_cycles:
            key = "times" if isinstance(step, Repeat) else "repeats"
            line, col = doc.position((*here, key))
            nested = f" ({outer} outer cycles × {own})" if outer > 1 else ""
            found.append(Finding(
                doc.path, line, col, "SC109", Severity.ERROR,
                f"this step runs {cycles} times{nested}; a step runs at most "
                f"{limits.repeat_cycles} times (repeat-cycles)",
                "check the count for a slip; or " + raise_hint("repeat-cycles"),
                (*here, key), variant))
        elif isinstance(step, Repeat):
            _count_cycles(step.steps, (*here, "steps"), cycles, doc, variant, limits, found)


def validate_document(doc: LoadedDocument, options: Options | None = None,
                      library: ReagentLibrary | None = None) -> FileResult:
    """Validate every variant of one loaded document."""
    options = options or Options()
    result = FileResult(doc, findings=list(doc.findings))
    if doc.data is None or doc.findings:
        result.findings = [f for f in result.findings if options.wants(f.code)]
        return result
    too_many = too_many_variants(doc.data, options.limits, doc.nodes)
    if too_many:  # refused before a single variant is expanded
        line, col = doc.position(("variants",))
        result.findings = [Finding(doc.path, line, col, "VA004", Severity.ERROR, too_many,
                                   TOO_MANY_VARIANTS_HINT, ("variants",))]
        return result
    library = library or load_library(options.reagent_files)
    declared = doc.data.get("parameters")
    if not isinstance(declared, dict):
        declared = {}  # the model reports a 'parameters' that is not a mapping
    seen_names: set[str] = set()
    several = variant_count(doc.data) > 1
    template_ids = templated(doc.data, shares=several)
    base: PartModels | None = None
    # What the variants share (CheckContext.of_part); nothing to keep for a file of one.
    shared: ByIdentity[Any] | None = ByIdentity() if several else None
    # Parameter values (their repr) -> the expansion, result and unacknowledged findings of
    # the first variant that has them.
    done: dict[str, tuple[tuple[Any, list[Any]], VariantResult, list[Finding]]] = {}
    for spec in variant_specs(doc.data):
        problems: list[Finding] = []
        unknown = [k for k in spec.values if k not in declared]
        for key in unknown:
            line, col = doc.position((*spec.path, "set"))
            problems.append(Finding(doc.path, line, col, "VA002", Severity.ERROR,
                                    f"variant sets '{key}', which is not a parameter",
                                    "declare it under 'parameters:'", spec.path, spec.name))
        if spec.name in seen_names:
            line, col = doc.position(spec.path)
            problems.append(Finding(doc.path, line, col, "VA003", Severity.ERROR,
                                    f"two variants are named '{spec.name}'",
                                    "give each variant its own name", spec.path, spec.name))
        seen_names.add(spec.name)
        # A variant of the same parameter values as an earlier one (type for type: 1 is
        # not 1.0) expands to the same data: it is that protocol again (``twin_of``).
        same_values = repr(sorted(spec.values.items()))
        twin = done.get(same_values)
        try:
            data, expansion = expand(doc.data, spec, options.limits, template_ids) \
                if twin is None else twin[0]
        except Exception as exc:  # a bug of ours: this variant is lost, not the run
            result.variants.append(_failed_variant(doc, spec.name, spec.values, spec.path,
                                                   exc, problems))
            continue
        for problem in expansion:
            line, col = doc.position(problem.path)
            hint = ("use declared parameters, numbers and table lookups"
                    if problem.code == "VA001" else
                    "compute it in a table or a parameter instead; or " + raise_hint(
                        "expression-chars" if "characters" in problem.message
                        else "expression-nodes"))
            problems.append(Finding(doc.path, line, col, problem.code, Severity.ERROR,
                                    f"{format_path(problem.path)}: {problem.message}",
                                    hint, problem.path, spec.name))
        if twin is None:
            raw: list[Finding] = []
            try:
                variant = validate_variant(doc, data, spec.name, dict(spec.values), library,
                                           options, base=base, shared=shared, raw=raw)
            except Exception as exc:  # a bug of ours: this variant is lost, not the run
                variant = _failed_variant(doc, spec.name, spec.values, spec.path, exc, [])
                raw = list(variant.findings)
            done[same_values] = ((data, expansion), variant, raw)
        else:
            variant = twin_of(twin[1], twin[2], doc, spec.name, dict(spec.values), options)
        if base is None and variant.parsed is not None:
            base = PartModels(data, variant.parsed)
        # An expression that failed leaves its ${...} text behind; the model's complaint about
        # that text at the same place says nothing new.
        failed = {p.path for p in expansion}
        variant.findings = problems + ([f for f in variant.findings if f.path not in failed]
                                       if failed else variant.findings)
        result.variants.append(variant)
    result.findings.extend(_file_findings(result.variants, options))
    return result


#: Set to "raise" (the test suite does), an error of benchsheet's own while a variant is
#: expanded, modelled or checked is raised as it is, with its traceback, instead of IN001.
INTERNAL_ERRORS = "BENCHSHEET_INTERNAL_ERRORS"


def raises_internal_errors() -> bool:
    """Whether ``INTERNAL_ERRORS`` asks for an error of benchsheet's own to be raised."""
    import os

    return os.environ.get(INTERNAL_ERRORS) == "raise"


def _failed_variant(doc: LoadedDocument, name: str, values: Mapping[str, object],
                    path: tuple[PathPart, ...], error: Exception,
                    problems: list[Finding]) -> VariantResult:
    """The variant ``name`` that raised ``error`` on its way through the pipeline, a bug of
    ours and not of the file: not modelled, with IN001 where the variant is declared (the
    file's top for the base), naming the error and the innermost place of benchsheet's it
    came from, after the variant's own ``problems``. Raises it instead when asked to
    (``INTERNAL_ERRORS``)."""
    import os
    import traceback

    if raises_internal_errors():
        raise error
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if f"{os.sep}benchsheet{os.sep}" in f.filename]
    where = ""
    if frames:
        last = frames[-1]
        module = last.filename.rsplit(f"{os.sep}benchsheet{os.sep}", 1)[1]
        where = f" (in benchsheet/{module}:{last.lineno}, {last.name})"
    said = str(error).splitlines()[0][:200] if str(error) else ""
    line, col = doc.position(path)
    found = Finding(doc.path, line, col, "IN001", Severity.ERROR,
                    f"benchsheet failed on this {'variant' if name else 'protocol'}: "
                    f"{type(error).__name__}{': ' + said if said else ''}{where}; this is "
                    "a bug in benchsheet, not in the file, and the rest is checked as usual",
                    f"report it with this file; set {INTERNAL_ERRORS}=raise for the "
                    "traceback", path, name)
    return VariantResult(name, dict(values), None, None, [*problems, found])


def _file_findings(variants: list[VariantResult], options: Options) -> list[Finding]:
    """The file's findings: each variant's that ``options`` want, a finding said alike in
    several variants (same code, place, words and acknowledgement) once, as the first
    variant that has it says it. Whether a code is wanted is asked once per code."""
    seen: set[tuple[object, ...]] = set()
    wanted: dict[str, bool] = {}
    out: list[Finding] = []
    for variant in variants:
        for f in variant.findings:
            dedupe = (f.code, f.line, f.column, f.message, f.acknowledged)
            if dedupe in seen:
                continue
            wants = wanted.get(f.code)
            if wants is None:
                wants = wanted[f.code] = options.wants(f.code)
            if wants:
                seen.add(dedupe)
                out.append(f)
    return out


def validate_file(path: Path, options: Options | None = None,
                  library: ReagentLibrary | None = None) -> FileResult:
    limits = options.limits if options else DEFAULT_LIMITS
    return validate_document(load_file(path, limits=limits), options, library)


def validate_text(text: str, name: str = "<text>", options: Options | None = None,
                  library: ReagentLibrary | None = None) -> FileResult:
    limits = options.limits if options else DEFAULT_LIMITS
    return validate_document(load_text(text, name, limits), options, library)


def validate_bytes(raw: bytes, name: str, options: Options | None = None,
                   library: ReagentLibrary | None = None) -> FileResult:
    """One protocol that is no file on disk (standard input), checked as if named on its own:
    its links to protocols outside the run are not reported."""
    options = options or Options()
    library = library or load_library(options.reagent_files)
    # The name stands for a file (ruff's --stdin-filename): its per-file ignores apply.
    result = validate_document(load_bytes(raw, name, options.limits), options.for_file(name),
                               library)
    link_files([result], library, options, complete_for=())
    return result


#: Wraps the files of a run as they are validated, e.g. to draw a progress bar.
Progress = Callable[[Sequence[Path]], Iterable[Path]]


def validate_paths(paths: Sequence[Path], options: Options | None = None, *,
                   progress: Progress | None = None, rules: DiscoveryRules | None = None
                   ) -> tuple[list[FileResult], list[str]]:
    """Validate the protocol files under ``paths`` together; ``rules`` say what a folder's
    search leaves out besides what is always skipped (see ``benchsheet.discovery``)."""
    options = options or Options()
    files, errors = collect_files(paths, rules)
    library = load_library(options.reagent_files)
    return validate_files(files, options, library, named=paths, progress=progress), errors


def validate_files(files: Sequence[Path], options: Options | None = None,
                   library: ReagentLibrary | None = None, *,
                   named: Collection[Path] = (),
                   progress: Progress | None = None) -> list[FileResult]:
    """Validate each file, then follow the links between them (``link_files``).

    ``named`` are the paths the user gave; a file among them was named on its own, not found
    by searching a folder, and its links to protocols outside the run are not reported.
    """
    options = options or Options()
    library = library or load_library(options.reagent_files)
    budget = RunBudget(options.limits)
    results = [budget.validate(p, options.for_file(p), library)
               for p in (progress(files) if progress else files)]
    given = set(named)
    link_files(results, library, options,
               complete_for={r.document.path for r, p in zip(results, files, strict=True)
                             if p not in given})
    return results


def slim(result: FileResult) -> FileResult:
    """``result`` cut down to what the pass across files reads (``link_files``): its id and
    products (``LinkedProtocol``), and per variant the materials made by another protocol and
    the acknowledgements of rules across files, with their places in the file. The text, the
    models, the amounts and the findings are dropped (the caller has reported or spooled the
    findings): a kB or two of each file, which a streamed run keeps on disk until that pass
    reads it (``streaming.ResultSpool``)."""
    from benchsheet.checks import load_all

    across = {c.info.code for c in load_all() if c.across_files}
    doc = result.document
    linked = linked_protocol(result)
    made_by: set[str] = set()
    acknowledged: set[int] = set()  # indexes of acknowledgements of rules across files
    # Variants that differ in nothing the pass reads share one cut-down protocol: the
    # materials a variant does not change are the base's own objects (model.parse).
    shared: dict[tuple[object, ...], Protocol] = {}
    # A linked material as RF306 reads it (its link and whether it is used), one per link.
    linking: dict[tuple[object, ...], Material] = {}
    variants = []
    for variant in result.variants:
        protocol = variant.protocol
        if protocol is not None:
            links = {mid: linking.setdefault((m.made_by, m.when), _thin(
                Material, made_by=m.made_by, when=m.when))
                for mid, m in protocol.materials.items() if m.made_by is not None}
            acks = [a if a.code in across else _BLANK for a in protocol.acknowledge]
            made_by |= links.keys()
            acknowledged |= {i for i, a in enumerate(acks) if a is not _BLANK}
            key = (protocol.id, *((mid, id(m)) for mid, m in links.items()), None,
                   *((a.code, a.path, a.variant, a.reason) for a in acks if a is not _BLANK),
                   len(acks))
            if key not in shared:
                shared[key] = _thin(Protocol, id=protocol.id, materials=links, acknowledge=acks)
            protocol = shared[key]
        variants.append(VariantResult(variant.name, {}, protocol,
                                      _NO_AMOUNTS if protocol is not None else None))
    if not made_by and not acknowledged:
        # Nothing links out and nothing acknowledges a link: every variant can only be found
        # to share its id (RF307), in the same words, and the file keeps the first finding.
        variants = [v for v in variants if v.protocol is not None][:1]
    document = LoadedDocument(doc.path, "", None, _slim_positions(doc, made_by, acknowledged),
                              nodes=doc.nodes)
    return FileResult(document, variants, [], linked, slim=True)


def _slim_positions(doc: LoadedDocument, made_by: Collection[str],
                    acknowledged: Collection[int]) -> dict[tuple[PathPart, ...], Place]:
    """The places a slim result keeps of ``doc``'s, what the checks across files point at:
    the root's; the id's and everything's under it; the acknowledgements' and each of
    ``acknowledged``'s; the materials' and each of ``made_by``'s, with its ``made_by`` and
    everything under that.

    Each is looked up by its path (the nodes under one are those of ``doc.data``, which the
    loader read with the places) rather than by a pass over every place of the file."""
    positions = doc.positions
    data = doc.data
    if not isinstance(data, dict):  # a file that did not load: what places it has, if any
        return {path: place for path, place in positions.items()
                if len(path) < 1 or path[0] == "id"
                or (path[0] == "acknowledge" and (len(path) < 2 or (
                    len(path) == 2 and path[1] in acknowledged)))
                or (path[0] == "materials" and (len(path) < 2 or (
                    path[1] in made_by and (len(path) < 3 or path[2] == "made_by"))))}
    wanted: list[tuple[PathPart, ...]] = [(), ("acknowledge",), ("materials",)]
    wanted += [("acknowledge", index) for index in acknowledged]
    _subtree(data.get("id"), ("id",), wanted)
    materials = data.get("materials")
    for mid in made_by:
        wanted.append(("materials", mid))
        entry = materials.get(mid) if isinstance(materials, dict) else None
        made = entry.get("made_by") if isinstance(entry, dict) else None
        _subtree(made, ("materials", mid, "made_by"), wanted)
    return {path: place for path in wanted if (place := positions.get(path)) is not None}


def _subtree(node: Any, path: tuple[PathPart, ...], out: list[tuple[PathPart, ...]]) -> None:
    """``path`` and the path of every node under ``node``, the data at ``path``, into ``out``."""
    out.append(path)
    if isinstance(node, dict):
        for key, value in node.items():
            _subtree(value, (*path, key), out)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _subtree(value, (*path, index), out)


_Model = TypeVar("_Model", bound=BaseModel)


def _thin(model: type[_Model], **fields: Any) -> _Model:
    """A frozen model holding only ``fields``, built without validation and without the
    defaults of the others: what a slim result keeps of a checked model for the checks
    across files, which read no more."""
    return unvalidated(model, fields)


# The amounts of a slim variant: the checks across files read none.
_NO_AMOUNTS = AmountsTable({}, Timeline())


# An acknowledgement of no rule: in a slim protocol it stands for one of a rule of a single
# file, so the others keep their indexes (and their places in the file).
_BLANK = Acknowledgement.model_construct(code="", reason="")


class RunBudget:
    """The per-run limits: the bytes of protocol files read, their YAML nodes and the variants
    expanded so far. A file past one is not validated; it gets one LD012 finding saying
    which limit."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.size = 0
        self.nodes = 0
        self.variants = 0

    def validate(self, path: Path, options: Options, library: ReagentLibrary) -> FileResult:
        """``path`` validated, or refused with LD012 when it would take the run past a limit."""
        file_done()  # the previous file's: collect its cycles now, if any were due
        if not self.admit_size(path):
            return self.refused_size(path)
        document = load_file(path, limits=options.limits)
        count = variant_count(document.data) if isinstance(document.data, dict) and (
            not document.findings) else 0
        refusal = self.admit_loaded(path, document.nodes, count)
        return refusal if refusal is not None else validate_document(document, options,
                                                                     library)

    def admit_size(self, path: Path) -> bool:
        """Whether ``path``'s bytes fit in the run (they are counted if so)."""
        try:
            size = path.stat().st_size
        except OSError:
            size = 0  # load_file says why it cannot be read
        if self.size + size > self.limits.run_size:
            return False
        self.size += size
        return True

    def refused_size(self, path: Path) -> FileResult:
        most = self.limits.run_size / MIB
        return self._refused(path, f"this file would take the run past {most:g} MB of "
                             "protocol files (run-size-mb)", "run-size-mb")

    def admit_loaded(self, path: Path, nodes: int, variants: int) -> FileResult | None:
        """None when a loaded file's YAML nodes and variants fit in the run (they are counted
        then), else its LD012 result."""
        if self.nodes + nodes > self.limits.run_nodes:
            return self._refused(path, f"its {nodes} YAML nodes would take the run "
                                 f"past {self.limits.run_nodes} nodes (run-nodes)", "run-nodes")
        self.nodes += nodes
        if variants:
            if self.variants + variants > self.limits.run_variants:
                return self._refused(path, f"its {variants} variants would take the run past "
                                     f"{self.limits.run_variants} variants (run-variants)",
                                     "run-variants")
            self.variants += variants
        return None

    @staticmethod
    def _refused(path: Path, message: str, key: str) -> FileResult:
        from benchsheet.loader import display_path

        shown = display_path(path)
        document = LoadedDocument(path=shown, text="", data=None)
        finding = Finding(shown, 1, 1, "LD012", Severity.ERROR, f"not checked: {message}",
                          "validate the files in smaller runs, or " + raise_hint(key))
        return FileResult(document, findings=[finding])


def linked_protocol(result: FileResult) -> LinkedProtocol | None:
    """What a link to ``result``'s protocol can see: its id, variants and their products."""
    from benchsheet.checks.context import LinkedProtocol

    if result.slim:
        return result.linked
    data = result.document.data
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return None
    if not result.variants:  # refused before expansion (too many variants)
        return LinkedProtocol(data["id"], {}, judged=False)
    alike: dict[frozenset[str], frozenset[str]] = {}  # variants that make the same, share
    products: dict[str, frozenset[str] | None] = {
        v.name: (alike.setdefault(made := frozenset(
            k for k, p in v.protocol.products.items() if p.when is True), made)
            if v.protocol is not None else None)
        for v in result.variants}
    declared = data.get("variants")
    series: dict[str, tuple[str, ...]] = {}
    for spec in variant_specs(data):
        if spec.path[:1] != ("variants",) or not isinstance(declared, list):
            continue
        entry = declared[int(spec.path[1])]
        name = entry.get("name") if isinstance(entry, dict) else None
        if isinstance(name, str) and spec.name in products:
            series[name] = (*series.get(name, ()), spec.name)
    return LinkedProtocol(data["id"], products, series)


class LinkIndex:
    """What the pass across files must know of the whole run before it checks one file's
    links: per protocol id what a link sees (``LinkedProtocol``, the first file's) and the
    files that declare it, and the files for which the run is the whole library.

    It is all of a run that pass holds at once: a streamed run builds it as the files are
    validated and reads each file's slim result back from disk once (``workers.check_run``).
    The products and series of a protocol are mostly those of another (copies of a file,
    variants named alike), so equal ones are held once.
    """

    def __init__(self) -> None:
        self.protocols: dict[str, LinkedProtocol] = {}
        self.declared_in: dict[str, list[str]] = {}  # id → documents, in run order
        self.complete: set[str] = set()  # documents found by searching a folder
        self._shared: dict[object, Any] = {}  # a value → the equal one already held

    def add(self, result: FileResult, *, complete: bool = True) -> None:
        """Index ``result`` (whole or slim); ``complete`` False for a file named on its own."""
        self.enter(result.document.path, linked_protocol(result), complete=complete)

    def enter(self, path: str, linked: LinkedProtocol | None, *, complete: bool = True
              ) -> None:
        """Index the file shown as ``path``, whose protocol a link sees as ``linked`` (None:
        it has no id to link to); ``complete`` as for ``add``."""
        if complete:
            self.complete.add(path)
        if linked is None:
            return
        self.declared_in.setdefault(linked.id, []).append(path)  # not a copy per file
        if linked.id not in self.protocols:  # two files with one id: the first wins
            self.protocols[linked.id] = replace(
                linked, products=self._held(dict(linked.products)),
                series=self._held(dict(linked.series)))

    def _held(self, mapping: dict[str, Any]) -> Any:
        """``mapping``, or the equal one held already; its keys and values shared alike."""
        key = tuple(mapping.items())
        if key not in self._shared:
            self._shared[key] = {self._one(k): self._one(v) for k, v in mapping.items()}
        return self._shared[key]

    def _one(self, value: object) -> object:
        return value if value is None else self._shared.setdefault(value, value)


def link_files(results: Iterable[FileResult], library: ReagentLibrary,
               options: Options | None = None, *,
               complete_for: Collection[str] | None = None,
               on_linked: Callable[[FileResult], None] | None = None,
               index: LinkIndex | None = None) -> None:
    """The pass across files: checks that follow links between protocols (a material made by
    another protocol, RF306) run on every variant once every file is validated; their
    findings join each variant's and file's findings, acknowledged like the others.

    ``complete_for`` names the documents (by path) for which the run is the whole library,
    those found by searching a folder; by default every document in the run (or those
    ``index`` holds as complete). ``on_linked`` is called with each result once its links are
    checked (a streamed run spools its findings then). ``index`` is the run's ``LinkIndex``
    when the caller built it as the files were validated: ``results`` are then read once, one
    at a time, and may come back from disk; else they are read twice.
    """
    from benchsheet.checks import load_all
    from benchsheet.checks.context import CheckContext, ProtocolSet

    options = options or Options()
    checks = [c for c in load_all() if c.across_files and options.wants(c.info.code)]
    if not checks:
        if on_linked is not None:
            for result in results:
                on_linked(result)
        return
    if index is None:
        results = results if isinstance(results, Sequence) else list(results)
        index = LinkIndex()
        for result in results:
            index.add(result)
    complete = frozenset(index.complete if complete_for is None else complete_for)
    known = ProtocolSet(index.protocols, complete, index.declared_in)
    codes = {c.info.code for c in checks}
    for result in results:
        # A file named on its own cannot show that an acknowledgement of a link is stale.
        checked = codes if result.document.path in complete else set()
        seen = {(f.code, f.line, f.column, f.message, f.acknowledged) for f in result.findings}
        for variant in result.variants:
            if variant.protocol is None or variant.amounts is None:
                continue
            ctx = CheckContext(variant.protocol, result.document, variant.name,
                               variant.amounts, library, protocols=known)
            found = [f for check in checks for f in check.run(ctx)]
            own = options.for_file(result.document.path)
            found = [f for f in _acknowledge(found, variant.protocol, result.document,
                                             variant.name, checked) if own.wants(f.code)]
            variant.findings.extend(found)
            for f in found:
                dedupe = (f.code, f.line, f.column, f.message, f.acknowledged)
                if dedupe not in seen:
                    seen.add(dedupe)
                    result.findings.append(f)
        if on_linked:
            on_linked(result)
