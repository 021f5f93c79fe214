"""The repository's `.pre-commit-hooks.yaml`, run by pre-commit itself on a lab's repository.

pre-commit installs benchsheet into its own environment from a git repository of this
checkout (the working tree as it is, committed into a temporary repository, so that the test
checks the hooks and code under review, not the last commit), then runs the hooks on a good
and a bad protocol. Slow (one environment is built, from the package registry); CI runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from working_tree import GIT_ENV, git, working_tree_repository

HERE = Path(__file__).resolve().parent
GOOD = HERE / "valid" / "minimal-salt-solution.yaml"
BAD = HERE / "invalid" / "rf301-undeclared-vessel.yaml"

pytestmark = pytest.mark.slow


def test_pre_commit_runs_the_hooks_on_a_labs_repository(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    source = working_tree_repository(tmp_path / "benchsheet-src")
    lab = tmp_path / "lab"
    (lab / "protocols").mkdir(parents=True)
    shutil.copy(GOOD, lab / "protocols" / "good.yaml")
    git("init", "-q", cwd=lab)
    git("add", "-A", cwd=lab)
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "PRE_COMMIT_COLOR": "never"}

    def try_repo(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([pre_commit, "try-repo", str(source), *args], cwd=lab, env=env,
                              capture_output=True, text=True, check=False, timeout=1200)

    # A good protocol: both hooks (changed files, whole library) pass.
    done = try_repo("--files", "protocols/good.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "benchsheet validate (changed protocols)" in done.stdout
    assert "benchsheet validate (whole library)" in done.stdout
    assert "Failed" not in done.stdout

    # A bad one beside it: the changed-files hook fails and names the finding (the
    # environment built above is reused).
    shutil.copy(BAD, lab / "protocols" / "bad.yaml")
    git("add", "-A", cwd=lab)
    done = try_repo("benchsheet-validate", "--files", "protocols/bad.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout
    assert "protocols/bad.yaml" in done.stdout
    assert "RF301" in done.stdout
