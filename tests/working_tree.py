"""A git repository holding this checkout's working tree as it is (tracked and new files, minus
what .gitignore excludes): what pre-commit installs the hooks from, and what the wheel is
built from, so that the slow tests check the code under review and never write into the
checkout. Tests import it as ``from working_tree import ...`` (tests/ has no __init__.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: What building and installing benchsheet needs.
PACKAGE_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml")

GIT_ENV = {"GIT_AUTHOR_NAME": "benchsheet tests", "GIT_AUTHOR_EMAIL": "tests@localhost",
           "GIT_COMMITTER_NAME": "benchsheet tests", "GIT_COMMITTER_EMAIL": "tests@localhost",
           "GIT_CONFIG_NOSYSTEM": "1"}


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main",
                           *args], cwd=cwd, capture_output=True, text=True, check=True,
                          env={**os.environ, **GIT_ENV}, timeout=120)
    return done.stdout


def working_tree_repository(target: Path) -> Path:
    """``target`` as a one-commit git repository of the package's files in the working tree."""
    listed = git("ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=REPO)
    for name in listed.split("\0"):
        if not (name.startswith("src/") or name in PACKAGE_FILES):
            continue
        if not (REPO / name).is_file():  # deleted in the working tree
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target / name)
    git("init", "-q", cwd=target)
    git("add", "-A", cwd=target)
    git("commit", "-q", "-m", "benchsheet working tree", cwd=target)
    return target
