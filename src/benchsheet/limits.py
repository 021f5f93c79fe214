"""How much one file, and one run, may ask of benchsheet before it is refused with a finding.

A protocol is a few kilobytes: a few hundred YAML nodes, tens of steps and materials, a
handful of variants. The limits sit far above any real protocol and far below what would make
a run hang or fill memory, so a damaged, generated or hostile file is refused in well under a
second with a code, a place and a fix, instead of taking minutes or gigabytes. A lab that needs
more raises a limit in ``[tool.benchsheet.limits]`` (or ``benchsheet.toml``'s ``[limits]``), or
with ``--limit NAME=VALUE`` on the command line.

Only the standard library is imported here: the command line reads the defaults for its help.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Each limit, its default, and (in ``LIMIT_HELP``) what it bounds and the code that
    reports it. Sizes are in bytes here and in MB (MiB) where a person writes them."""

    # per file
    file_size: int = 5 * MIB  # LD006: bytes of one protocol file
    nodes: int = 20_000  # LD005: YAML nodes after expanding aliases
    depth: int = 64  # LD005: levels of nesting
    list_items: int = 5_000  # LD011: items in one list (steps, materials, a matrix's values)
    mapping_keys: int = 5_000  # LD011: keys in one mapping (materials, vessels, a table)
    repeat_cycles: int = 100  # SC109: cycles of one step, nested repeats multiplied
    variants: int = 64  # VA004: concrete variants of one file, matrices multiplied out
    expanded_nodes: int = 30_000  # VA004: the file's YAML nodes times its variants
    expression_chars: int = 1_000  # VA005: characters of one ${...} expression
    expression_nodes: int = 200  # VA005: operations and operands of one expression
    # per run
    run_size: int = 1024 * MIB  # LD012: bytes of all the protocol files of one run
    run_variants: int = 100_000  # LD012: concrete variants of all the files of one run
    run_nodes: int = 10_000_000  # LD012: YAML nodes of all the files of one run


DEFAULT_LIMITS = Limits()

# The name a person writes (in the configuration file, --limit) → (attribute, bytes per unit,
# what it bounds). Sizes are written in MB so that nobody counts digits.
LIMIT_HELP: dict[str, tuple[str, int, str]] = {
    "file-size-mb": ("file_size", MIB, "size of one protocol file (LD006)"),
    "nodes": ("nodes", 1, "YAML nodes of one file, aliases expanded (LD005)"),
    "depth": ("depth", 1, "nesting levels of one file (LD005)"),
    "list-items": ("list_items", 1, "items in one list (LD011)"),
    "mapping-keys": ("mapping_keys", 1, "keys in one mapping (LD011)"),
    "repeat-cycles": ("repeat_cycles", 1, "cycles of one step, nested repeats multiplied "
                      "(SC109)"),
    "variants": ("variants", 1, "concrete variants of one file, matrices multiplied out "
                 "(VA004)"),
    "expanded-nodes": ("expanded_nodes", 1, "YAML nodes of one file times its variants: what "
                       "every check, sheet and export walks (VA004)"),
    "expression-chars": ("expression_chars", 1, "characters in one ${...} expression (VA005)"),
    "expression-nodes": ("expression_nodes", 1, "operations and operands in one expression "
                         "(VA005)"),
    "run-size-mb": ("run_size", MIB, "size of all the protocol files of one run (LD012)"),
    "run-variants": ("run_variants", 1, "concrete variants of all the files of one run "
                     "(LD012)"),
    "run-nodes": ("run_nodes", 1, "YAML nodes of all the files of one run (LD012)"),
}

if {a for a, _, _ in LIMIT_HELP.values()} != {f.name for f in fields(Limits)}:
    raise RuntimeError("every limit needs its name in LIMIT_HELP")  # a programming error


class LimitError(ValueError):
    """A limit written wrongly (unknown name, not a positive whole number)."""


def parse_limit(name: str, value: object) -> tuple[str, int]:
    """``(attribute, value in its own unit)`` for a limit as a person writes it
    (``file-size-mb``, 20); raises ``LimitError`` saying what would be right."""
    key = name.strip().lower().replace("_", "-")
    if key not in LIMIT_HELP:
        raise LimitError(f"no limit named '{name}'; the limits are: {', '.join(LIMIT_HELP)}")
    attribute, unit, _what = LIMIT_HELP[key]
    number: object = value
    if isinstance(value, str):
        try:
            number = int(value.strip().replace("_", ""))
        except ValueError:
            number = None
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise LimitError(f"limit {key} = {value!r}: write a whole number of at least 1")
    return attribute, number * unit


def describe_limits(limits: Limits) -> dict[str, int]:
    """Each limit under the name a person writes, in the unit they write it in."""
    return {key: getattr(limits, attribute) // unit
            for key, (attribute, unit, _what) in LIMIT_HELP.items()}


def raise_hint(key: str) -> str:
    """How to raise the limit ``key``, for the fix of the finding that reports it."""
    return (f"if the file is meant to be this large, raise the limit: {key} = N under "
            f"[tool.benchsheet.limits], or --limit {key}=N")
