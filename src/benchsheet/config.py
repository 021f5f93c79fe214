"""A lab's settings, written once: ``[tool.benchsheet]`` in ``pyproject.toml`` or a
``benchsheet.toml``, found from the current folder upwards; command-line options win.

The nearest file wins; in one folder ``benchsheet.toml`` comes before ``pyproject.toml``, and
a ``pyproject.toml`` without a ``[tool.benchsheet]`` table does not count. Paths in the file
(``reagents``, ``output``, and the patterns of ``exclude`` and ``per-file-ignores``) are
relative to the file's folder, so the settings mean the same from any subfolder.

Only the standard library is imported here, ``tomllib`` only when there is a file to read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchsheet.limits import DEFAULT_LIMITS, LimitError, Limits, describe_limits, parse_limit

if TYPE_CHECKING:
    from benchsheet.render import Paper

CONFIG_NAMES = ("benchsheet.toml", "pyproject.toml")
DEFAULT = "default"
COMMAND_LINE = "command line"
SEVERITIES = ("info", "warning", "error")
PAPERS = ("a4", "letter")
#: ``jobs`` as written for its default: as many processes as the run may use cores.
AUTO_JOBS = "auto"


class ConfigError(Exception):
    """A configuration file that cannot be used: where, what is wrong, and what would fix it."""


@dataclass(frozen=True)
class Settings:
    """The effective settings, and for each where it came from (``sources``, keyed by the
    name used in the file: ``fail-on``, ``per-file-ignores``, ...)."""

    fail_on: str = "error"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    # (gitignore-style pattern, codes) in the file's order, patterns relative to ``root``.
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    reagents: tuple[Path, ...] = ()
    paper: Paper = "a4"
    exclude: tuple[str, ...] = ()
    output: Path = Path("build")
    limits: Limits = DEFAULT_LIMITS
    # Processes for validate and build; None: the cores the run may use (``default_jobs``).
    jobs: int | None = None
    # The configuration file read, if any, and the folder its patterns are relative to.
    file: Path | None = None
    root: Path | None = None
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)

    def source(self, key: str) -> str:
        """``default``, ``command line``, or the file (with its line when known)."""
        where = self.sources.get(key, DEFAULT)
        line = self.lines.get(key)
        return f"{where}:{line}" if line and where not in (DEFAULT, COMMAND_LINE) else where

    def override(self, **given: object) -> Settings:
        """These settings with the options given on the command line (``None``, an empty
        list or tuple: not given) in place of the file's or the default."""
        chosen = {name: value for name, value in given.items()
                  if value is not None and value != () and value != []}
        unknown = set(chosen) - {f.name for f in fields(self)}
        if unknown:
            raise TypeError(f"no such setting: {', '.join(sorted(unknown))}")
        sources = dict(self.sources)
        for name in chosen:
            sources[key_of(name)] = COMMAND_LINE
        return replace(self, sources=sources, **chosen)  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, object]:
        """Each setting under its file name, as JSON and TOML can write it."""
        return {
            "fail-on": self.fail_on,
            "select": list(self.select),
            "ignore": list(self.ignore),
            "per-file-ignores": {glob: list(codes) for glob, codes in self.per_file_ignores},
            "reagents": [str(p) for p in self.reagents],
            "paper": self.paper,
            "exclude": list(self.exclude),
            "output": str(self.output),
            "limits": describe_limits(self.limits),
            "jobs": AUTO_JOBS if self.jobs is None else self.jobs,
        }


KEYS = ("fail-on", "select", "ignore", "per-file-ignores", "reagents", "paper", "exclude",
        "output", "limits", "jobs")


def key_of(attribute: str) -> str:
    return attribute.replace("_", "-")


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``benchsheet.toml``, or ``pyproject.toml`` with a ``[tool.benchsheet]``
    table, in ``start`` (default: the current folder) or a folder above it."""
    # abspath, not resolve: the folders as the user sees them, links and all
    folder = Path(os.path.abspath(start or Path.cwd()))  # noqa: PTH100
    for candidate in (folder, *folder.parents):
        own = candidate / "benchsheet.toml"
        if own.is_file():
            return own
        project = candidate / "pyproject.toml"
        if project.is_file() and _has_our_table(project):
            return project
    return None


def _has_our_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False  # not ours to judge: a project file benchsheet cannot read is no config
    if "benchsheet" not in text:
        return False  # the common case, decided without parsing TOML
    table = _parse(pyproject, text).get("tool", {})
    return isinstance(table, dict) and "benchsheet" in table


def _parse(path: Path, text: str) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib says "... (at line 3, column 9)"; turn that into the compiler's file:line:col.
        message = str(exc)
        where = re.search(r" \(at line (\d+), column (\d+)\)$", message)
        if where:
            message = message[:where.start()]
            raise ConfigError(f"{path}:{where[1]}:{where[2]}: not valid TOML: {message}; "
                              "fix the syntax") from None
        raise ConfigError(f"{path}: not valid TOML: {message}; fix the syntax") from None


def _key_line(text: str, table: str | None, key: str) -> int | None:
    """The line (1-based) where ``key`` is set in ``table`` (``None``: the top level), found
    by reading the lines, since tomllib keeps no positions."""
    current: str | None = None
    name = re.escape(key)
    key_pattern = re.compile(rf"""^\s*(?:{name}|"{name}"|'{name}')\s*=""")
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$", line)
        if header:
            current = re.sub(r"\s*\.\s*", ".", header[1]).replace('"', "")
            if current == f"{table}.{key}" if table else current == key:
                return number  # the key written as a table of its own: [tool.benchsheet.key]
            continue
        if current == table and key_pattern.match(line):
            return number
    return None


# A lab's reagent files for every command, where no configuration file names any: paths
# separated as in PATH (':' on POSIX, ';' on Windows).
REAGENTS_VARIABLE = "BENCHSHEET_REAGENTS"


def load_settings(start: Path | None = None) -> Settings:
    """The settings from the nearest configuration file (see ``find_config``), or the
    defaults when there is none; ``$BENCHSHEET_REAGENTS`` names the reagent files when the
    file does not. Raises ``ConfigError`` for a file that cannot be used."""
    path = find_config(start)
    settings = Settings() if path is None else read_config(path)
    named = os.environ.get(REAGENTS_VARIABLE, "")
    files = tuple(Path(f) for f in named.split(os.pathsep) if f.strip())
    if files and not settings.reagents:
        sources = {**settings.sources, "reagents": f"environment {REAGENTS_VARIABLE}"}
        settings = replace(settings, reagents=files, sources=sources)
    return settings


def read_config(path: Path) -> Settings:
    """The settings of one configuration file over the defaults."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    document = _parse(path, text)
    table_name: str | None = None
    table: object = document
    if path.name == "pyproject.toml":
        table_name = "tool.benchsheet"
        table = document.get("tool", {}).get("benchsheet", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.benchsheet] must be a table of settings")
    root = Path(os.path.abspath(path.parent))  # noqa: PTH100 - as find_config
    reader = _Reader(path, text, table_name)
    values: dict[str, object] = {}
    for key, value in table.items():
        if key not in KEYS:
            near = [k for k in KEYS if k.replace("-", "_") == key.replace("-", "_")]
            fix = f"did you mean '{near[0]}'?" if near else f"the keys are: {', '.join(KEYS)}"
            raise ConfigError(reader.where(key) + f"unknown setting '{key}'; {fix}")
        values[key.replace("-", "_")] = reader.value(key, value, root)
    sources = {key_of(name): str(path) for name in values}
    lines = {key: line for key in sources if (line := _key_line(text, table_name, key))}
    return replace(Settings(file=path, root=root, sources=sources, lines=lines),
                   **values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class _Reader:
    """Checks each setting's type, and says where a wrong one is and what it should be."""

    path: Path
    text: str
    table: str | None

    def where(self, key: str) -> str:
        line = _key_line(self.text, self.table, key)
        if line is None and self.table and self.table.endswith("per-file-ignores"):
            # an entry of an inline table: the line of the table's own key
            parent, _, own = self.table.rpartition(".")
            line = _key_line(self.text, parent or None, own)
        return f"{self.path}:{line}: " if line else f"{self.path}: "

    def fail(self, key: str, value: object, wanted: str) -> ConfigError:
        # A per-file-ignores entry is named with its table: per-file-ignores."drafts/*".
        shown = f'{self.table.rpartition(".")[2]}."{key}"' if self.table and \
            self.table.endswith("per-file-ignores") else key
        return ConfigError(self.where(key) + f"{shown} = {_toml(value)}: {wanted}")

    def strings(self, key: str, value: object, example: str, what: str = "strings"
                ) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, value, f"write a list of {what}, e.g. {example}")
        return tuple(value)

    def codes(self, key: str, value: object) -> tuple[str, ...]:
        codes = self.strings(key, value, '["ST102", "GS"]', "rule codes or families")
        return tuple(c.strip().upper() for c in codes if c.strip())

    def limits(self, key: str, value: object) -> Limits:
        """The ``limits`` table over the defaults: each a whole number (sizes in MB)."""
        if not isinstance(value, dict):
            raise self.fail(key, value, "write a table of limits, e.g. "
                            "[tool.benchsheet.limits] variants = 200")
        chosen: dict[str, int] = {}
        for name, number in value.items():
            try:
                attribute, amount = parse_limit(name, number)
            except LimitError as exc:
                entry = _Reader(self.path, self.text,
                                f"{self.table}.{key}" if self.table else key)
                raise ConfigError(entry.where(name) + str(exc)) from None
            chosen[attribute] = amount
        return replace(DEFAULT_LIMITS, **chosen)

    def value(self, key: str, value: object, root: Path) -> object:
        if key in ("fail-on", "paper"):
            choices = SEVERITIES if key == "fail-on" else PAPERS
            if value not in choices:
                raise self.fail(key, value, "write one of " + ", ".join(
                    f'"{c}"' for c in choices))
            return value
        if key in ("select", "ignore"):
            return self.codes(key, value)
        if key == "exclude":
            return self.strings(key, value, '["drafts/", "*.draft.yaml"]', "patterns")
        if key == "reagents":
            files = self.strings(key, value, '["lab-reagents.yaml"]', "files")
            return tuple(root / f for f in files)
        if key == "output":
            if not isinstance(value, str) or not value.strip():
                raise self.fail(key, value, 'write a folder, e.g. output = "build"')
            return root / value
        if key == "limits":
            return self.limits(key, value)
        if key == "jobs":
            if value == AUTO_JOBS:
                return None
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise self.fail(key, value, "write a number of processes, 1 or more (1: "
                                f'one process), or "{AUTO_JOBS}" for the cores the run '
                                "may use")
            return value
        assert key == "per-file-ignores"
        if not isinstance(value, dict):
            raise self.fail(key, value, "write a table of pattern = codes, e.g. "
                            '"drafts/*.yaml" = ["RF302"]')
        entries: list[tuple[str, tuple[str, ...]]] = []
        for glob, codes in value.items():
            entry = _Reader(self.path, self.text,
                            f"{self.table}.{key}" if self.table else key)
            entries.append((glob, entry.codes(glob, codes)))
        return tuple(entries)


def _toml(value: object) -> str:
    """A value as it was written in TOML, near enough for a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}"
    return str(value)


def describe(settings: Settings) -> str:
    """The effective settings as TOML lines, each with where it came from."""
    import json

    lines = [f"# {settings.file}" if settings.file else
             "# no configuration file (pyproject.toml with [tool.benchsheet], or "
             "benchsheet.toml) here or above"]
    for key, value in settings.as_dict().items():
        if isinstance(value, dict):
            shown = "{" + ", ".join(f"{json.dumps(k)} = {json.dumps(v)}"
                                    for k, v in value.items()) + "}"
        else:
            shown = json.dumps(value)
        lines.append(f"{key} = {shown}".ljust(40) + f"  # {settings.source(key)}")
    return "\n".join(lines) + "\n"


def describe_json(settings: Settings) -> str:
    import json

    payload = {
        "file": str(settings.file) if settings.file else None,
        "settings": {key: {"value": value, "source": settings.sources.get(key, DEFAULT),
                           "line": settings.lines.get(key)
                           if settings.sources.get(key, DEFAULT) not in (DEFAULT, COMMAND_LINE)
                           else None}
                     for key, value in settings.as_dict().items()},
    }
    return json.dumps(payload, indent=2) + "\n"
