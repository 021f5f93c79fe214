"""The validation pipeline: load → expand → model → amounts → checks → acknowledgements."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchsheet.chemistry.amounts import AmountsTable, compute_amounts
from benchsheet.expand import expand, variant_specs
from benchsheet.findings import Finding, Severity, format_path
from benchsheet.loader import LoadedDocument, load_file, load_text
from benchsheet.model.parse import parse_protocol
from benchsheet.model.protocol import Protocol
from benchsheet.reagents.library import ReagentLibrary, load_library
from benchsheet.rules import RULES

PROTOCOL_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Options:
    """What to check: rule selection by code or family prefix, and extra reagent files."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    reagent_files: tuple[Path, ...] = ()

    def wants(self, code: str) -> bool:
        if self.select and not any(code.startswith(s) for s in self.select):
            return False
        return not any(code.startswith(i) for i in self.ignore)


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


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """Protocol files under ``paths`` (folders are searched recursively), sorted; and errors."""
    files: list[Path] = []
    errors: list[str] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in PROTOCOL_SUFFIXES
                                and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            errors.append(f"{path}: no such file or folder")
    return files, errors


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
    from benchsheet.checks.context import CheckContext

    amounts = compute_amounts(protocol, library)
    result.amounts = amounts
    ctx = CheckContext(protocol, doc, name, amounts, library)
    checked: set[str] = set()
    for check in load_all():
        if not options.wants(check.info.code):
            continue
        checked.add(check.info.code)
        findings.extend(check.run(ctx))
    # Library conflicts from the lab's own reagent files are reported once, on the base.
    result.findings = _acknowledge(findings, protocol, doc, name, checked | {
        c for c in RULES if c[:2] in ("SC", "UN", "LD", "VA")})
    return result


def validate_document(doc: LoadedDocument, options: Options | None = None,
                      library: ReagentLibrary | None = None) -> FileResult:
    """Validate every variant of one loaded document."""
    options = options or Options()
    result = FileResult(doc, findings=list(doc.findings))
    if doc.data is None or doc.findings:
        result.findings = [f for f in result.findings if options.wants(f.code)]
        return result
    library = library or load_library(options.reagent_files)
    declared = doc.data.get("parameters") or {}
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
        data, expansion = expand(doc.data, spec)
        for problem in expansion:
            line, col = doc.position(problem.path)
            problems.append(Finding(doc.path, line, col, "VA001", Severity.ERROR,
                                    f"{format_path(problem.path)}: {problem.message}",
                                    "use declared parameters, numbers and table lookups",
                                    problem.path, spec.name))
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
    return validate_document(load_file(path), options, library)


def validate_text(text: str, name: str = "<text>", options: Options | None = None,
                  library: ReagentLibrary | None = None) -> FileResult:
    return validate_document(load_text(text, name), options, library)


def validate_paths(paths: Sequence[Path], options: Options | None = None
                   ) -> tuple[list[FileResult], list[str]]:
    options = options or Options()
    files, errors = collect_files(paths)
    library = load_library(options.reagent_files)
    return [validate_file(p, options, library) for p in files], errors
