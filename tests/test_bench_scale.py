"""bench/scale.py's grown leg: the sizes of a row take turns over the repeated processes, each
size shows its least time, and a size whose guessed time passes the limit is not tried.
Times are made up here (or, for the one real process, only checked to be a time): nothing is
timed against a bound."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import scale  # noqa: E402  - the benchmark itself, from bench/
from scale_corpus import grown_protocol  # noqa: E402


def test_sizes_take_turns_and_each_shows_its_least_time(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    paths = [Path("a-10.yaml"), Path("a-100.yaml"), Path("a-1000.yaml")]
    # Each size's times, one per process, in the order the processes run.
    times = {paths[0]: [0.004, 0.002, 0.003], paths[1]: [0.030, 0.040, 0.020],
             paths[2]: [0.300, 0.200, 0.250]}
    order: list[Path] = []

    def once(path: Path, env: object, warm: object) -> tuple[float, int, list[str], int]:
        order.append(path)
        return times[path].pop(0), 1, ["PH102"] if path == paths[2] else [], 1

    monkeypatch.setattr(scale, "_grown_once", once)
    cells, errors = scale._grown_leg(paths, {}, Path("warm.yaml"), 120.0, repeat=3)
    # Round one goes up the sizes; rounds two and three go round them again, in turn.
    assert order == paths * 3
    # Least times 0.002, 0.020, 0.200: ratios 0.020 / 0.002 = 10, 0.200 / 0.020 = 10.
    assert cells == ["0.002", "0.020 ×10.0", "0.200 ×10.0"]
    assert errors == {"PH102"}


def test_a_size_guessed_past_the_limit_is_skipped_and_never_repeated(
        monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [Path("b-10.yaml"), Path("b-100.yaml"), Path("b-1000.yaml")]
    # 1 s, then 15 s (×15): the next size is guessed at 15 × 15 = 225 s, past 120 s.
    times = {paths[0]: [1.0, 0.9], paths[1]: [15.0, 14.0]}
    order: list[Path] = []

    def once(path: Path, env: object, warm: object) -> tuple[float, int, list[str], int]:
        order.append(path)
        return times[path].pop(0), 1, [], 1

    monkeypatch.setattr(scale, "_grown_once", once)
    cells, _ = scale._grown_leg(paths, {}, Path("warm.yaml"), 120.0, repeat=2)
    assert order == [paths[0], paths[1], paths[0], paths[1]]
    assert cells == ["0.900", "14.000 ×15.6", "skipped (~225 s)"]


def test_a_failed_first_process_ends_the_row(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [Path("c-10.yaml"), Path("c-100.yaml")]

    def once(path: Path, env: object, warm: object) -> tuple[float, int, list[str], int] | str:
        return (0.01, 1, [], 1) if path == paths[0] else "failed: MemoryError"

    monkeypatch.setattr(scale, "_grown_once", once)
    cells, _ = scale._grown_leg(paths, {}, Path("warm.yaml"), 120.0, repeat=2)
    assert cells == ["0.010", "failed: MemoryError"]


def test_one_real_process_gives_the_time_of_one_validation(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    # A short sample: the file is validated until 0.05 s of CPU are spent, at least once.
    monkeypatch.setattr(scale, "GROWN_SAMPLE_SECONDS", 0.05)
    warm, grown = tmp_path / "warm.yaml", tmp_path / "grown.yaml"
    warm.write_text(grown_protocol(4, 4), encoding="utf-8")
    grown.write_text(grown_protocol(10, 10, variants=3), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    got = scale._grown_once(grown, env, warm)
    assert not isinstance(got, str), got
    seconds, variants, codes, runs = got
    # The sample ran until it had spent 0.05 s, and the time shown is one validation's.
    assert runs >= 1
    assert seconds * runs >= 0.05 * (1 - 1e-9)
    assert seconds > 0
    assert variants == 3  # the base and the two other hold temperatures of the matrix
    assert isinstance(codes, list)
