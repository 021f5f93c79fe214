"""Shared fixtures: where the repository and the shared folder beside it are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

# A bug of benchsheet's raises in the tests, with its traceback, instead of becoming an IN001
# finding that a test looking for other findings might pass over (tests/test_internal_errors.py
# unsets it to test IN001 itself). Processes the tests start inherit it.
os.environ.setdefault("BENCHSHEET_INTERNAL_ERRORS", "raise")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout's root (holds pyproject.toml, protocols/, schemas/)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def protocols_dir(repo_root: Path) -> Path:
    """The bundled protocols."""
    return repo_root / "protocols"


@pytest.fixture(scope="session")
def shared_dir(repo_root: Path) -> Path:
    """``../shared`` beside the checkout (paper, ELN checker); skips the test when absent."""
    shared = repo_root.parent / "shared"
    if not shared.is_dir():
        pytest.skip(f"{shared} is not there (it sits beside the checkout on the team machine)")
    return shared
