"""The validation pipeline: load → expand → model → amounts → checks → acknowledgements, then
links between the files validated together."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from benchsheet.chemistry.amounts import AmountsTable, compute_amounts
from benchsheet.discovery import DiscoveryRules, find_protocols
from benchsheet.expand import (
    TOO_MANY_VARIANTS_HINT,
    expand,
    too_many_variants,
    variant_count,
    variant_specs,
)
from benchsheet.findings import Finding, Severity, format_path
from benchsheet.limits import DEFAULT_LIMITS, MIB, Limits, raise_hint
from benchsheet.loader import LoadedDocument, load_bytes, load_file, load_text
from benchsheet.model.parse import parse_protocol
from benchsheet.model.protocol import Protocol
from benchsheet.reagents.library import ReagentLibrary, load_library
from benchsheet.rules import RULES

if TYPE_CHECKING:
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


@dataclass
class FileResult:
    document: LoadedDocument
    variants: list[VariantResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

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
                 variant: str, checked_codes: set[str]) -> list[Finding]:
    """Mark findings the protocol acknowledges; report acknowledgements that match nothing."""
    out: list[Finding] = []
    used: set[int] = set()
    for f in findings:
        for index, ack in enumerate(protocol.acknowledge):
            if ack.code != f.code:
                continue
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
                     library: ReagentLibrary, options: Options) -> VariantResult:
    from benchsheet.checks import load_all

    protocol, findings = parse_protocol(data, doc, name)
    result = VariantResult(name, values, protocol, None, findings)
    if protocol is None:
        return result
    too_many = _too_many_cycles(protocol, doc, name, options.limits)
    if too_many:  # the protocol's sheet would print a tick box per cycle: not modelled
        result.protocol = None
        result.findings.extend(too_many)
        return result
    from benchsheet.checks.context import CheckContext
    from benchsheet.chemistry.solutions import as_supplied

    # A commercial solution named by its entry takes the entry's strength, solvent, density.
    protocol = result.protocol = as_supplied(protocol, library)
    amounts = compute_amounts(protocol, library)
    result.amounts = amounts
    ctx = CheckContext(protocol, doc, name, amounts, library)
    checked: set[str] = set()
    for check in load_all():
        if check.across_files or not options.wants(check.info.code):
            continue  # checks across files run in link_files, once every file is validated
        checked.add(check.info.code)
        findings.extend(check.run(ctx))
    # Library conflicts from the lab's own reagent files are reported once, on the base.
    result.findings = _acknowledge(findings, protocol, doc, name, checked | {
        c for c in RULES if c[:2] in ("SC", "UN", "LD", "VA")})
    return result


def _too_many_cycles(protocol: Protocol, doc: LoadedDocument, variant: str,
                     limits: Limits) -> list[Finding]:
    """SC109 for each step repeated more often than ``limits.repeat_cycles``: nested repeat
    blocks multiply, and a measurement's own repeats count with its blocks'."""
    from benchsheet.model.steps import Measure, Repeat, Step

    found: list[Finding] = []

    def walk(steps: list[Step], path: tuple[str | int, ...], outer: int) -> None:
        for index, step in enumerate(steps):
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
                walk(step.steps, (*here, "steps"), cycles)

    walk(protocol.steps, ("steps",), 1)
    return found


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
        data, expansion = expand(doc.data, spec, options.limits)
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
        variant = validate_variant(doc, data, spec.name, dict(spec.values), library, options)
        # An expression that failed leaves its ${...} text behind; the model's complaint about
        # that text at the same place says nothing new.
        failed = {p.path for p in expansion}
        variant.findings = problems + [f for f in variant.findings if f.path not in failed]
        result.variants.append(variant)
    seen: set[tuple[object, ...]] = set()
    for variant in result.variants:
        for f in variant.findings:
            dedupe = (f.code, f.line, f.column, f.message, f.acknowledged)
            if dedupe in seen or not options.wants(f.code):
                continue
            seen.add(dedupe)
            result.findings.append(f)
    return result


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
        try:
            size = path.stat().st_size
        except OSError:
            size = 0  # load_file says why it cannot be read
        if self.size + size > self.limits.run_size:
            most = self.limits.run_size / MIB
            return self._refused(path, f"this file would take the run past {most:g} MB of "
                                 "protocol files (run-size-mb)", "run-size-mb")
        self.size += size
        document = load_file(path, limits=options.limits)
        if self.nodes + document.nodes > self.limits.run_nodes:
            return self._refused(path, f"its {document.nodes} YAML nodes would take the run "
                                 f"past {self.limits.run_nodes} nodes (run-nodes)", "run-nodes")
        self.nodes += document.nodes
        if isinstance(document.data, dict) and not document.findings:
            count = variant_count(document.data)
            if self.variants + count > self.limits.run_variants:
                return self._refused(path, f"its {count} variants would take the run past "
                                     f"{self.limits.run_variants} variants (run-variants)",
                                     "run-variants")
            self.variants += count
        return validate_document(document, options, library)

    @staticmethod
    def _refused(path: Path, message: str, key: str) -> FileResult:
        from benchsheet.loader import display_path

        shown = display_path(path)
        document = LoadedDocument(path=shown, text="", data=None)
        finding = Finding(shown, 1, 1, "LD012", Severity.ERROR, f"not checked: {message}",
                          "validate the files in smaller runs, or " + raise_hint(key))
        return FileResult(document, findings=[finding])


def _linked(result: FileResult) -> LinkedProtocol | None:
    """What a link to ``result``'s protocol can see: its id, variants and their products."""
    from benchsheet.checks.context import LinkedProtocol

    data = result.document.data
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return None
    if not result.variants:  # refused before expansion (too many variants)
        return LinkedProtocol(data["id"], {}, judged=False)
    products: dict[str, frozenset[str] | None] = {
        v.name: (frozenset(k for k, p in v.protocol.products.items() if p.when is True)
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


def link_files(results: Sequence[FileResult], library: ReagentLibrary,
               options: Options | None = None, *,
               complete_for: Collection[str] | None = None) -> None:
    """The pass across files: checks that follow links between protocols (a material made by
    another protocol, RF306) run on every variant once every file is validated; their
    findings join each variant's and file's findings, acknowledged like the others.

    ``complete_for`` names the documents (by path) for which the run is the whole library,
    those found by searching a folder; by default every document in the run.
    """
    from benchsheet.checks import load_all
    from benchsheet.checks.context import CheckContext, ProtocolSet

    options = options or Options()
    checks = [c for c in load_all() if c.across_files and options.wants(c.info.code)]
    if not checks:
        return
    protocols: dict[str, LinkedProtocol] = {}
    declared_in: dict[str, tuple[str, ...]] = {}
    for result in results:
        linked = _linked(result)
        if linked is not None:
            protocols.setdefault(linked.id, linked)  # two files with one id: the first wins
            declared_in[linked.id] = (*declared_in.get(linked.id, ()), result.document.path)
    complete = frozenset(r.document.path for r in results) if complete_for is None \
        else frozenset(complete_for)
    known = ProtocolSet(protocols, complete, declared_in)
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
