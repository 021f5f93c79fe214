"""Shared fixtures: where the repository and the shared folder beside it are."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


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
