"""Which files a folder holds for benchsheet: protocol files, less what a lab keeps out.

A folder is searched recursively for ``*.yaml`` and ``*.yml``. Left out, each with its reason
(``-v`` lists them): what ``.gitignore`` files ignore (those in the searched folders, and in
the folders above up to the repository's root), what the configuration's ``exclude``
patterns match, the lab's reagent files, virtual environments (a folder with ``pyvenv.cfg``),
``.git``, ``node_modules``, ``__pycache__``, ``build`` and ``dist`` folders and the output
folder.

A path named on the command line is always searched or checked, as ruff does: only what is
found inside a folder can be left out. ``pathspec`` (gitignore patterns) is imported only when
there is a pattern to match, so checking one named file does not pay for it.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

PROTOCOL_SUFFIXES = (".yaml", ".yml")

#: Folders never searched, by name, and why.
SKIPPED_FOLDERS = {
    ".git": "version-control data",
    "node_modules": "JavaScript packages",
    "__pycache__": "Python byte-code cache",
    "build": "a build output folder",
    "dist": "a build output folder",
}


@dataclass(frozen=True)
class DiscoveryRules:
    """What to leave out besides the folders that are always skipped."""

    # gitignore-style patterns, relative to ``root`` (the configuration file's folder; by
    # default the current folder); ``exclude_source`` names where they came from.
    exclude: tuple[str, ...] = ()
    root: Path | None = None
    exclude_source: str = "exclude"
    # The output folder of build and render: sheets written there are not protocols.
    output: Path | None = None
    # The lab's reagent files: YAML, but not protocols.
    reagent_files: tuple[Path, ...] = ()
    gitignore: bool = True
    # Told of each file or folder left out as the search meets it (``-v`` prints them).
    on_skip: Callable[[Skipped], None] | None = None


@dataclass(frozen=True)
class Skipped:
    """A file or folder left out of a search, and why."""

    path: Path
    reason: str
    folder: bool = False

    def __str__(self) -> str:
        return f"{self.path}{os.sep if self.folder else ''}: {self.reason}"


@dataclass
class Discovery:
    """The protocol files found (sorted per folder, in the order the paths were given), the
    paths that could not be searched, and what was left out."""

    files: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def unusable(path: Path, exc: OSError) -> str:
    """Why ``path`` cannot be read, in words: a missing path, a link loop, no permission."""
    if exc.errno == errno.ELOOP:
        return f"{path}: a symbolic link loop; point at the real file or folder"
    if exc.errno == errno.ENOENT:
        if path.is_symlink():
            return f"{path}: a broken symbolic link (to {path.readlink()})"
        return f"{path}: no such file or folder"
    if exc.errno == errno.ENOTDIR:
        return f"{path}: no such file or folder (a part of the path is a file)"
    return f"{path}: cannot read: {exc.strerror or exc}; check its permissions"


def find_protocols(paths: Iterable[Path], rules: DiscoveryRules | None = None) -> Discovery:
    """Protocol files under ``paths``: a file is taken as it is, a folder is searched.

    Nothing is skipped in silence: a path that is missing, a link loop, unreadable or neither
    a file nor a folder (a device, a pipe) is an error, and so is a subfolder that cannot be
    searched; what the rules leave out is listed in ``skipped``. A file reached twice (a
    folder named twice, or a file named beside the folder that holds it) is taken once,
    where it is first reached: checked twice, its findings would be reported twice and its
    sheets written over each other.
    """
    rules = rules or DiscoveryRules()
    found = Discovery()
    paths = list(paths)
    for path in paths:
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            found.errors.append(unusable(path, exc))
            continue
        if stat.S_ISDIR(mode):
            _Search(path, rules, found).run()
        elif stat.S_ISREG(mode):
            found.files.append(path)  # named on the command line: never excluded
        else:
            found.errors.append(f"{path}: not a file or folder (a device or pipe?); "
                                "point at a protocol file or a folder of them")
    if len(paths) > 1:  # one path cannot reach a file twice: a search meets each once
        found.files = _once(found.files)
    return found


def _once(files: list[Path]) -> list[Path]:
    """``files`` with each file kept where it first comes, told by its absolute path (links
    not resolved: a link is a file of its own name, as the search walks it)."""
    seen: set[str] = set()
    kept: list[Path] = []
    for path in files:
        key = os.path.abspath(path)  # noqa: PTH100 - normalised, as Path.absolute() is not
        if key not in seen:
            seen.add(key)
            kept.append(path)
    return kept


def _absolute(path: Path | str) -> Path:
    """An absolute path without resolving links, so it compares with the walked paths."""
    # os.walk's paths keep the links in them; resolve() would not compare with them
    return Path(os.path.abspath(path))  # noqa: PTH100


def _repository_root(folder: Path) -> Path | None:
    """The nearest folder at or above ``folder`` with a ``.git`` (a folder, or the file of a
    worktree or submodule)."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _compile(lines: Sequence[str]) -> GitIgnoreSpec:
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(lines)


def _relative(path: Path, base: Path, folder: bool) -> str | None:
    """``path`` relative to ``base`` as gitignore patterns see it, or None if outside."""
    try:
        rel = path.relative_to(base).as_posix()
    except ValueError:
        return None
    return rel + "/" if folder else rel


class _Search:
    """One folder's search: the ignore files met on the way down, and the rules."""

    def __init__(self, top: Path, rules: DiscoveryRules, found: Discovery) -> None:
        self.top = top
        self.absolute_top = _absolute(top)
        self.rules = rules
        self.found = found
        # Each folder whose .gitignore has patterns: the compiled patterns and the file.
        self.ignores: dict[Path, tuple[GitIgnoreSpec, Path]] = {}
        self.exclude: GitIgnoreSpec | None = None
        self.exclude_root = _absolute(rules.root or Path.cwd())
        self.output = self._identity(rules.output) if rules.output is not None else None
        self.reagent_files = {self._identity(p) for p in rules.reagent_files} - {None}

    @staticmethod
    def _identity(path: Path) -> tuple[int, int] | None:
        try:
            st = path.stat()
        except OSError:
            return None
        return st.st_dev, st.st_ino

    def run(self) -> None:
        if self.rules.exclude:
            self.exclude = _compile(self.rules.exclude)
        if self.rules.gitignore:
            self._read_parent_ignores()
        if self.exclude is not None and self._pattern_reason(self.absolute_top, folder=True):
            # A folder named on the command line is searched even if `exclude` names it.
            self.exclude = None
        found: list[Path] = []

        def unreadable(exc: OSError) -> None:
            self.found.errors.append(unusable(Path(exc.filename or self.top), exc))

        for top, dirs, names in os.walk(self.top, onerror=unreadable):
            here = _absolute(top)
            if self.rules.gitignore and ".gitignore" in names:
                self._read_ignore(Path(top, ".gitignore"), here)
            kept: list[str] = []
            for name in sorted(dirs):
                reason = self._folder_reason(Path(top, name), here / name)
                if reason:
                    self._skip(Skipped(Path(top, name), reason, folder=True))
                else:
                    kept.append(name)
            dirs[:] = kept
            for name in names:
                path = Path(top, name)
                if path.suffix not in PROTOCOL_SUFFIXES:
                    continue
                reason = self._pattern_reason(here / name, folder=False)
                if not reason and self.reagent_files and \
                        self._identity(path) in self.reagent_files:
                    reason = "a reagent file (reagents)"
                if reason:
                    self._skip(Skipped(path, reason))
                    continue
                try:
                    if stat.S_ISREG(path.stat().st_mode):
                        found.append(path)
                except OSError as exc:
                    self.found.errors.append(unusable(path, exc))
        self.found.files.extend(sorted(found))

    def _skip(self, skipped: Skipped) -> None:
        self.found.skipped.append(skipped)
        if self.rules.on_skip is not None:
            self.rules.on_skip(skipped)

    def _read_parent_ignores(self) -> None:
        """The .gitignore files above the searched folder, up to the repository's root (none
        outside a repository: there git ignores nothing)."""
        root = _repository_root(self.absolute_top)
        if root is None or root == self.absolute_top:
            return
        for folder in reversed(self.absolute_top.parents):
            if folder == root or root in folder.parents:
                self._read_ignore(folder / ".gitignore", folder)
        # A folder named on the command line is searched even if it is ignored; then what
        # ignores it (build/ for build/extra/) must not leave out everything inside it.
        if self._pattern_reason(self.absolute_top, folder=True):
            self.ignores.clear()

    def _read_ignore(self, path: Path, folder: Path) -> None:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return
        except OSError as exc:
            self.found.errors.append(unusable(path, exc))
            return
        if any(line.strip() and not line.startswith("#") for line in lines):
            self.ignores[folder] = (_compile(lines), path)

    def _folder_reason(self, path: Path, absolute: Path) -> str | None:
        name = path.name
        if name in SKIPPED_FOLDERS:
            return SKIPPED_FOLDERS[name]
        if (path / "pyvenv.cfg").exists():
            return "a virtual environment (has pyvenv.cfg)"
        if self.output is not None and self._identity(path) == self.output:
            return "the output folder"
        return self._pattern_reason(absolute, folder=True)

    def _pattern_reason(self, absolute: Path, folder: bool) -> str | None:
        """The .gitignore or exclude pattern that leaves ``absolute`` out, if any.

        As in git, a deeper .gitignore overrides a shallower one, and in each file the last
        matching pattern decides (``!keep.yaml`` takes a file back).
        """
        reason: str | None = None
        for base in sorted((b for b in self.ignores if b == absolute or b in absolute.parents),
                           key=lambda b: len(b.parts)):
            spec, source = self.ignores[base]
            rel = _relative(absolute, base, folder)
            if rel is None or rel == "/":
                continue
            result = spec.check_file(rel)
            if result.include is not None:
                reason = (f"ignored by {source} ({_pattern(spec, result.index)})"
                          if result.include else None)
        if self.exclude is not None:
            rel = _relative(absolute, self.exclude_root, folder) \
                or _relative(absolute, self.absolute_top, folder)
            if rel and rel != "/":
                result = self.exclude.check_file(rel)
                if result.include is not None:
                    reason = (f"excluded by {self.rules.exclude_source} "
                              f"({_pattern(self.exclude, result.index)})"
                              if result.include else None)
        return reason


def _pattern(spec: GitIgnoreSpec, index: int | None) -> str:
    """The text of the pattern that matched."""
    if index is None or not 0 <= index < len(spec.patterns):
        return "a pattern"
    return str(getattr(spec.patterns[index], "pattern", "a pattern"))


@functools.lru_cache(maxsize=64)
def _compiled(patterns: tuple[str, ...]) -> tuple[GitIgnoreSpec, ...]:
    return tuple(_compile([pattern]) for pattern in patterns)


def matching_codes(path: Path, per_file: Sequence[tuple[str, Sequence[str]]],
                   root: Path | None = None) -> tuple[str, ...]:
    """The codes of every ``(pattern, codes)`` whose gitignore-style pattern matches ``path``,
    relative to ``root`` (default: the current folder); a file outside ``root`` is matched
    by the patterns without a folder (``*.draft.yaml``) only, by its name."""
    absolute = _absolute(path)
    rel = _relative(absolute, _absolute(root or Path.cwd()), folder=False) or absolute.name
    specs = _compiled(tuple(pattern for pattern, _ in per_file))
    return tuple(code for spec, (_, codes) in zip(specs, per_file, strict=True)
                 if spec.match_file(rel) for code in codes)
