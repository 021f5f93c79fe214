"""`benchsheet.load`, `.validate` and `.render` stay the functions whatever was imported first,
and users' mypy sees them typed.

Python binds a submodule as an attribute of its package when it first loads, and
`benchsheet.validate` (a module) and `benchsheet.render` (a package) share their names with the
API functions; `benchsheet.load()` followed by `benchsheet.validate([...])` once failed with
"'module' object is not callable". Each order runs in a fresh interpreter, since a module is
imported once per process.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PROTOCOL = REPO / "tests" / "valid" / "minimal-salt-solution.yaml"

CALLS = {
    "load": "assert benchsheet.load(PROTOCOL).variants == ['']",
    "validate": "assert [r.document.path for r in benchsheet.validate([PROTOCOL])] "
                "== [str(PROTOCOL)]",
    "render": "assert benchsheet.render(PROTOCOL, 'md').startswith('# ')",
}
SUBMODULES = "import benchsheet.validate, benchsheet.render, benchsheet.api, benchsheet.loader"


def _script(order: tuple[str, ...], submodules_first: bool) -> str:
    lines = [f"PROTOCOL = {str(PROTOCOL)!r}"]
    if submodules_first:
        lines.append(SUBMODULES)
    lines.append("import benchsheet")
    lines += [CALLS[name] for name in order]
    # ... then the submodules, by each kind of import statement, and every call again.
    lines += [SUBMODULES, "from benchsheet.validate import Options, validate_paths",
              "from benchsheet.render import render_sheet",
              "from benchsheet import load, render, validate",
              "assert callable(load) and callable(render) and callable(validate)"]
    lines += [CALLS[name] for name in reversed(order)]
    lines += ["import types",
              "assert not isinstance(benchsheet.validate, types.ModuleType)",
              "assert not isinstance(benchsheet.render, types.ModuleType)",
              "import sys; assert sys.modules['benchsheet.validate'].Options is Options"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("submodules_first", [False, True], ids=["plain", "submodules-first"])
@pytest.mark.parametrize("order", list(itertools.permutations(CALLS)),
                         ids=lambda order: "-".join(order))
def test_api_calls_in_every_order(order: tuple[str, ...], submodules_first: bool) -> None:
    done = subprocess.run([sys.executable, "-c", _script(order, submodules_first)],
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr


def test_public_names_are_exported() -> None:
    import benchsheet

    assert set(benchsheet.__all__) <= set(dir(benchsheet))
    for name in benchsheet.__all__:
        assert getattr(benchsheet, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = benchsheet.nope  # type: ignore[attr-defined]


def test_a_function_can_still_be_replaced_on_purpose(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the import system's binding of the submodule is skipped; a test double is not."""
    import benchsheet

    monkeypatch.setattr(benchsheet, "validate", lambda *args, **kwargs: [])
    assert benchsheet.validate("anything") == []


USER_SCRIPT = '''\
"""A lab's script, checked with mypy --strict against the installed benchsheet."""

from pathlib import Path

import benchsheet
import benchsheet.validate  # the submodule, imported on purpose: the names stay the functions
from benchsheet import ProtocolHandle


def failing(folder: Path) -> list[str]:
    results: list[benchsheet.FileResult] = benchsheet.validate([folder], ignore=["HZ"])
    return [r.document.path for r in results if r.failed(benchsheet.Severity.ERROR)]


def sheet(path: str) -> str:
    proto: ProtocolHandle = benchsheet.load(path)
    findings: list[benchsheet.Finding] = proto.findings
    assert all(f.code for f in findings)
    return benchsheet.render(proto, "md", scale=2)


wrong: int = benchsheet.render("x.yaml")  # MISTAKE: a sheet is text
'''


def test_users_mypy_sees_the_api_typed(tmp_path: Path) -> None:
    pytest.importorskip("mypy", reason="mypy is not installed (pip install -e '.[test]')")
    script = tmp_path / "lab_script.py"
    script.write_text(USER_SCRIPT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file",
         "/dev/null", script.name],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=600)
    mistake = next(n for n, line in enumerate(USER_SCRIPT.splitlines(), 1) if "MISTAKE" in line)
    # Exactly the one deliberate mistake: the API is typed (not Any), and nothing else is
    # reported (no "Module not callable", no missing stubs).
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert errors == [f'{script.name}:{mistake}: error: Incompatible types in assignment '
                      '(expression has type "str", variable has type "int")  [assignment]'], \
        done.stdout + done.stderr


def test_the_readme_python_session_runs_as_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    import doctest
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (session,) = re.findall(r"```python\n(>>> .*?)```", readme, flags=re.DOTALL)
    monkeypatch.chdir(REPO)
    test = doctest.DocTestParser().get_doctest(session, {}, "README.md", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
