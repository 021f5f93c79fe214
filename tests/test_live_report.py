"""validate writes text, github and json-lines as the run goes: each file's findings as its
result arrives, in file order; then what the pass across files found (RF306, RF307), which
only the last file completes; then the summary. json and sarif stay one document each."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from benchsheet import workers
from benchsheet.cli import _draws_bar, main
from benchsheet.progress import MIN_ITEMS
from test_made_by import BRINE, USER

# The validation order; a file's own finding, then the findings of the pass across files.
STALE_ACK = "acknowledge:\n  - code: ST102\n    reason: the paper gives no basis here\n"


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal, as a person's shell is."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """Four files: two with one id (RF307), one whose link is broken (RF306) and whose
    acknowledgement matches nothing (AK001, its own), and one that is not YAML (LD002)."""
    (tmp_path / "a-brine.yaml").write_text(BRINE, encoding="utf-8")
    (tmp_path / "b-copy.yaml").write_text(BRINE.replace("title: Brine", "title: Copy"),
                                          encoding="utf-8")
    (tmp_path / "c-pickles.yaml").write_text(
        USER.replace("LINK", "{protocol: brin}") + STALE_ACK, encoding="utf-8")
    (tmp_path / "d-broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    return tmp_path


def _where_and_code(fmt: str, line: str) -> tuple[str, str]:
    """The file's name and the code a report line is about."""
    if fmt == "json-lines":
        found = json.loads(line)
        return Path(found["file"]).name, found["code"]
    if fmt == "github":
        file = line.split("file=", 1)[1].split(",", 1)[0]
        return Path(file).name, line.split("title=", 1)[1].split(" ", 1)[0].split("::")[0]
    where, code = line.split(" ")[:2]
    return Path(where.split(":", 1)[0]).name, code


@pytest.mark.parametrize("fmt", ["text", "github", "json-lines"])
def test_a_files_findings_are_written_before_the_last_file_is_validated(
        tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a-broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    for name in ("b-brine", "c-next", "d-last"):
        (tmp_path / f"{name}.yaml").write_text(BRINE.replace("id: brine", f"id: {name}"),
                                               encoding="utf-8")
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    written_before: dict[str, str] = {}
    check_file = workers.check_file

    def slow_check(path: Path, *args: object) -> workers.Checked:
        written_before[path.name] = out.getvalue()  # what the report shows as it starts
        return check_file(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(workers, "check_file", slow_check)
    assert main(["validate", str(tmp_path), "--format", fmt, "--jobs", "1"]) == 1
    assert list(written_before) == ["a-broken.yaml", "b-brine.yaml", "c-next.yaml",
                                    "d-last.yaml"]
    assert written_before["a-broken.yaml"] == ""
    assert "LD002" in written_before["d-last.yaml"]
    assert out.getvalue().startswith(written_before["d-last.yaml"])


@pytest.mark.parametrize("fmt", ["text", "github", "json-lines"])
def test_findings_across_files_come_after_every_file_and_before_the_summary(
        linked: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(linked), "--format", fmt, "-v", "--jobs", "1"]) == 1
    lines = capsys.readouterr().out.splitlines()
    if fmt != "github":  # github has no summary
        summary = lines.pop()
        assert "4" in summary
    assert [_where_and_code(fmt, line) for line in lines] == [
        # each file's own findings, in the order the files are validated
        ("c-pickles.yaml", "AK001"),
        ("d-broken.yaml", "LD002"),
        # then the pass across files, sorted as a whole report is: by file, line, column
        ("a-brine.yaml", "RF307"),
        ("b-copy.yaml", "RF307"),
        ("c-pickles.yaml", "RF306"),
    ]


def test_the_summary_counts_the_findings_across_files(
        linked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(linked), "--jobs", "1"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "4 file(s) checked: 4 error(s), 1 warning(s), 0 note(s) — FAILED")


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_documents_keep_every_finding_in_one_sorted_list(
        linked: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["validate", str(linked), "--format", fmt, "--jobs", "1"])
    document = json.loads(capsys.readouterr().out)
    if fmt == "json":
        places = [(Path(f["file"]).name, f["line"]) for f in document["findings"]]
    else:
        places = [(Path(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]).name,
                   r["locations"][0]["physicalLocation"]["region"]["startLine"])
                  for r in document["runs"][0]["results"]]
    assert places == sorted(places)
    assert len(places) == 5


@pytest.mark.parametrize(("fmt", "stdout_tty", "bar"), [
    ("text", False, True),  # a pipe or a log file: the bar on the terminal stays
    ("text", True, False),  # lines written under a bar would break it
    ("github", True, False),
    ("json-lines", True, False),
    ("json", True, True),  # written once the bar is gone
    ("sarif", True, True),
])
def test_no_bar_where_the_report_is_written_as_the_run_goes(
        fmt: str, stdout_tty: bool, bar: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from benchsheet.reporters import LIVE_REPORTERS

    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    monkeypatch.setattr(sys, "stdout", FakeTerminal() if stdout_tty else io.StringIO())
    args = type("Args", (), {"quiet": False})()
    assert _draws_bar(args, streamed=fmt in LIVE_REPORTERS) is bar  # type: ignore[arg-type]
    args.quiet = True
    assert _draws_bar(args, streamed=fmt in LIVE_REPORTERS) is False  # type: ignore[arg-type]


def test_a_bar_on_the_terminal_does_not_take_the_piped_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # While rich draws its bar it stands in for sys.stdout and sends what it is given to
    # the bar's stream: the report, written as the run goes, must still reach the pipe.
    for number in range(MIN_ITEMS + 2):
        (tmp_path / f"{number:02d}.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    terminal, piped = FakeTerminal(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(sys, "stdout", piped)
    assert main(["validate", str(tmp_path), "--jobs", "1"]) == 1
    assert "validating" in terminal.getvalue()
    assert "LD002" not in terminal.getvalue()
    assert piped.getvalue().count("LD002") == MIN_ITEMS + 2


def test_files_are_reported_in_the_order_they_are_validated(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A folder's files are validated sorted part by part (a/ before a-b/, as Path sorts);
    # a document sorts its findings by the file's text, where '-' comes before '/'.
    for folder in ("a", "a-b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    main(["validate", str(tmp_path), "--jobs", "1"])
    text = capsys.readouterr().out
    assert text.index("/a/x.yaml") < text.index("/a-b/x.yaml")
    main(["validate", str(tmp_path), "--format", "json", "--jobs", "1"])
    document = json.loads(capsys.readouterr().out)
    assert [Path(f["file"]).parent.name for f in document["findings"]] == ["a-b", "a"]
