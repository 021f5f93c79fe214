"""What every check reads: the protocol, where its nodes sit, and the computed amounts."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from benchsheet.findings import Finding, PathPart, Severity
from benchsheet.loader import LoadedDocument
from benchsheet.memo import ByIdentity
from benchsheet.model.protocol import Protocol
from benchsheet.model.steps import Repeat, Step
from benchsheet.reagents.library import ReagentLibrary
from benchsheet.rules import RULES

if TYPE_CHECKING:
    from benchsheet.chemistry.amounts import AmountsTable

_T = TypeVar("_T")
_MISSING = object()


def iter_steps(
    steps: list[Step], path: tuple[PathPart, ...] = ("steps",)
) -> Iterator[tuple[tuple[PathPart, ...], Step]]:
    """Every active step with its YAML path, depth first through ``repeat`` blocks.

    A protocol's own steps are walked once and the walk kept (the model does not change),
    for the dozens of rules and the vessel model that each go through them per variant."""
    global _last_walked
    if path == ("steps",):
        if _last_walked[0] is not steps:  # the rules of one variant ask one after the other
            _last_walked = (steps, _WALKED.get(steps, lambda: tuple(_iter_steps(steps, path))))
        return iter(_last_walked[1])
    return _iter_steps(steps, path)


# A protocol's step list -> its walk; and the last one asked for (held, so its id is not
# reused while it is compared).
_WALKED: ByIdentity[tuple[tuple[tuple[PathPart, ...], Step], ...]] = ByIdentity(most=64)
_last_walked: tuple[object, tuple[tuple[tuple[PathPart, ...], Step], ...]] = (None, ())


def _iter_steps(
    steps: list[Step], path: tuple[PathPart, ...]
) -> Iterator[tuple[tuple[PathPart, ...], Step]]:
    for index, step in enumerate(steps):
        if step.when is not True:
            continue
        here = (*path, index)
        yield here, step
        if isinstance(step, Repeat):
            yield from _iter_steps(step.steps, (*here, "steps"))


@dataclass(frozen=True)
class LinkedProtocol:
    """A protocol of the same run as another protocol's link sees it: its variants, its products."""

    id: str
    # Concrete variant name ("" for the base) → keys of the products it makes; None when that
    # variant did not model (its own findings say why, so links to it are not judged).
    products: Mapping[str, frozenset[str] | None]
    # Declared variant name → the concrete variants it expands into (one, or a matrix).
    series: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # False when the file was refused before its variants were expanded (a limit): links to
    # it are not judged, since its own finding says why it was not read.
    judged: bool = True


@dataclass(frozen=True)
class ProtocolSet:
    """Every protocol validated in one run, by id, for checks that follow links between files."""

    protocols: Mapping[str, LinkedProtocol]
    # Files found by searching a folder: the run is their library, so a link from them to a
    # protocol the run lacks is broken. A file named on its own (a pre-commit hook passing the
    # changed files) may link to protocols the run was not given.
    complete_for: frozenset[str]
    # Protocol id → the files (document paths) that declare it, in the order validated.
    declared_in: Mapping[str, Sequence[str]] = field(default_factory=dict)
    # Worked out once per run, not once per link (a run may hold ten thousand protocols).
    _sorted: list[str] = field(default_factory=list, repr=False, compare=False)
    _close: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)

    def ids_sorted(self) -> list[str]:
        """Every protocol id of the run, sorted."""
        if len(self._sorted) != len(self.protocols):
            self._sorted[:] = sorted(self.protocols)
        return self._sorted

    def close_to(self, name: str, besides: str) -> str | None:
        """The run's protocol id closest to ``name`` (difflib), ``besides`` left out; the
        search over every id is done once per name."""
        import difflib

        if name not in self._close:
            self._close[name] = difflib.get_close_matches(name, self.protocols, n=2)
        return next((c for c in self._close[name] if c != besides), None)


@dataclass
class CheckContext:
    """One concrete protocol (a variant) and everything computed from it."""

    protocol: Protocol
    document: LoadedDocument
    variant: str
    amounts: AmountsTable
    library: ReagentLibrary
    protocols: ProtocolSet | None = None  # set only for checks that run across files
    # Figures several rules read (the sealed pressure at every step), computed once per variant.
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    # Figures of one part of the model, shared by the variants of one file (``of_part``).
    # None: the file has one variant, and nothing is kept.
    shared: ByIdentity[Any] | None = field(default_factory=ByIdentity, repr=False,
                                           compare=False)

    def of_part(self, key: Hashable, part: object, compute: Callable[..., _T],
                *args: object) -> _T:
        """``compute()`` for the model part ``part`` (a step, the materials), worked out once
        for all the variants of the file that hold that very object.

        A variant's model takes the parts its values do not change from the file's base or
        an earlier variant, as the same objects (``model.parse.parse_protocol``), and
        nothing changes a model once built: so a figure that depends on ``part`` alone is the
        same in every
        variant holding it, and a file of many variants that differ in a few values walks
        each shared part once. ``compute(*args)`` must read nothing but ``part``; ``key``
        says what is worked out and where the part sits (a step's index: its paths).
        """
        if self.shared is None:
            return compute(*args)
        value: _T = self.shared.get(part, lambda: compute(*args), key)
        return value

    def part_memo(self, name: str) -> dict[Hashable, tuple[object, Any]]:
        """A dict kept as long as ``of_part``'s figures (for all the variants of the file;
        a fresh one for a file of one variant), for a rule that looks up every part of the
        model in each variant: it keeps ``(part, figure)`` under the part's id and where it
        sits, and takes a hit only if the part held is the very object, as ``of_part``
        does, without a call and a closure per part. ``name`` says whose figures it holds;
        a figure kept there must depend on its part and where it sits alone."""
        if self.shared is None:
            return {}
        memo: dict[Hashable, tuple[object, Any]] = self.shared.get(
            self.document, dict, ("part memo", name))
        return memo

    def computed(self, key: str, compute: Callable[[], _T]) -> _T:
        """``compute()``, worked out once for this variant and kept under ``key``: the rules of
        one family share a figure without each recomputing it (which made the pressure rules
        cost steps × rules)."""
        hit: Any = self._memo.get(key, _MISSING)
        if hit is _MISSING:
            hit = self._memo[key] = compute()
        value: _T = hit
        return value

    def finding(self, code: str, message: str, path: tuple[PathPart, ...], hint: str = "",
                severity: Severity | None = None, *, key: bool = False) -> Finding:
        """A finding at ``path``, with the severity registered for ``code`` by default."""
        document = self.document
        # Most findings sit at a path the file has (``LoadedDocument.position`` walks up to
        # the nearest one that it has otherwise).
        place = document.positions.get(path) if type(path) is tuple else None
        if place is not None:
            line, column = (place[0], place[1]) if key else (place[2], place[3])
        else:
            line, column = document.position(path, key=key)
        return _new_finding(
            document.path, line, column, code,
            severity if severity is not None else RULES[code].severity,
            message, hint, path, self.variant,
        )


_new = object.__new__


def _new_finding(file: str, line: int, column: int, code: str, severity: Severity,
                 message: str, hint: str, path: tuple[PathPart, ...], variant: str
                 ) -> Finding:
    """``Finding(file, ..., variant)``, not acknowledged, without the frozen dataclass's
    ``__init__``, which sets each of its ten fields through ``object.__setattr__``: the rules
    make a finding for each thing they report in each variant, and this is half the cost.
    Every field is set, in the declared order, and the class has no ``__post_init__``, so
    the finding equals, hashes and prints as the one ``Finding(...)`` makes (a test holds
    this to the class's fields)."""
    finding: Finding = _new(Finding)
    finding.__dict__.update({"file": file, "line": line, "column": column, "code": code,
                             "severity": severity, "message": message, "hint": hint,
                             "path": path, "variant": variant, "acknowledged": None})
    return finding

