"""The reagent library: bundled identities and sourced properties, plus a lab's own files."""

from benchsheet.reagents.library import (
    GHS,
    CriticalConstants,
    LibraryConflict,
    ReagentFileError,
    ReagentLibrary,
    ReagentRecord,
    SourcedValue,
    load_library,
)

__all__ = [
    "GHS",
    "CriticalConstants",
    "LibraryConflict",
    "ReagentFileError",
    "ReagentLibrary",
    "ReagentRecord",
    "SourcedValue",
    "load_library",
]
