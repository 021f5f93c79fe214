"""benchsheet: chemistry lab protocols as checked, machine-readable files.

The public API is ``benchsheet.load``, ``benchsheet.validate`` and ``benchsheet.render``, the
``ProtocolHandle`` that ``load`` returns (with ``actual(...)``, a ``BenchRun`` of the amounts
actually used) and the result types; the README's "Python API"
section shows a session.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what users' type checkers see; at run time __getattr__ imports on first use
    from benchsheet.api import (
        ProtocolHandle,
        SheetRequest,
        VariantError,
        load,
        load_text,
        render,
        validate,
    )
    from benchsheet.bench_run import BenchRun, ProductYield
    from benchsheet.findings import Finding, Severity
    from benchsheet.validate import FileResult, VariantResult

__all__ = ["BenchRun", "FileResult", "Finding", "ProductYield", "ProtocolHandle", "Severity",
           "SheetRequest", "VariantError", "VariantResult", "load", "load_text", "render",
           "validate"]

# Where each public name lives; imported on first use so that `import benchsheet` (and with it
# every start of the command line) stays cheap.
_HOMES = {
    "BenchRun": "benchsheet.bench_run",
    "FileResult": "benchsheet.validate",
    "Finding": "benchsheet.findings",
    "ProductYield": "benchsheet.bench_run",
    "ProtocolHandle": "benchsheet.api",
    "Severity": "benchsheet.findings",
    "SheetRequest": "benchsheet.api",
    "VariantError": "benchsheet.api",
    "VariantResult": "benchsheet.validate",
    "load": "benchsheet.api",
    "load_text": "benchsheet.api",
    "render": "benchsheet.api",
    "validate": "benchsheet.api",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        from importlib import import_module

        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'benchsheet' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(ModuleType):
    """The ``benchsheet`` package, whose API names are not taken over by its submodules.

    Python's import system binds every submodule it loads as an attribute of its package, so
    the first ``from benchsheet.validate import ...`` (anywhere: inside ``load()``, or in the
    user's own code) made ``benchsheet.validate`` the module instead of the function, and the
    next call failed with "'module' object is not callable". That one binding is skipped for
    the API's names (``validate`` and the ``render`` package); the submodules stay in
    ``sys.modules`` and import as before (``from benchsheet.validate import Options``).
    """

    def __setattr__(self, name: str, value: object) -> None:
        if (name in _HOMES and isinstance(value, ModuleType)
                and value.__name__ == f"{self.__name__}.{name}"):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
