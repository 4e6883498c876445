"""`gh-ops rfc lint`: RFC documents checked offline with the rules of `rfc check`, and the pre-commit
hook that runs it over the RFC folder."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, NewFake
from rfc_data import AUTHOR, REPO, rfc_body

from gh_ops.cli import main
from gh_ops.rfc.rules import PROBLEM_CODES

pytestmark = pytest.mark.usefixtures("no_wall_clock")

OPENED = datetime(2026, 11, 24, 10, tzinfo=UTC)
NOW = "2026-11-24T10:05:00+00:00"
CONFIG = "timezone: Europe/London\nteams: {}\n"
TITLE = "RFC: Move the event store to ClickHouse"
ROOT = Path(__file__).resolve().parents[2]

# Malformed RFCs, each with the codes both commands must report.
MALFORMED = {
    "missing sections": (rfc_body(drop=("Problem", "Context")), ["section-missing", "section-missing"]),
    "template text left": (
        rfc_body(replace={"Recommendation": "TBD", "Decision maker": "<!-- one person -->"}),
        ["section-empty", "section-empty"],
    ),
    "two deciders": (rfc_body(decider="@alice and @bob"), ["decision-maker-several"]),
    "a team decides": (rfc_body(decider="@acme/leads"), ["decision-maker-team"]),
    "unreadable date": (rfc_body(date="next Friday-ish"), ["decision-date-unreadable"]),
    "date too late": (rfc_body(date="2026-12-24"), ["decision-date-too-late"]),
    "date before opening": (rfc_body(date="2026-11-01"), ["decision-date-before-opening"]),
    "nobody for feedback": (rfc_body(feedback="the storage team"), ["feedback-no-people"]),
    "several at once": (
        rfc_body(decider="@a/b", date="someday", feedback="everyone", drop=("Problem",)),
        ["section-missing", "decision-maker-team", "decision-date-unreadable", "feedback-no-people"],
    ),
}


@pytest.fixture
def workdir(checkout: Callable[[str, str], Path]) -> Path:
    return checkout(CONFIG, REPO)


def lint(*args: str, now: str = NOW) -> Result:
    return CliRunner().invoke(main, ["--now", now, "rfc", "lint", *args])


def write(workdir: Path, name: str, text: str) -> str:
    path = workdir / "requests-for-comments" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path.relative_to(workdir))


LINT_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<code>[a-z-]+): (?P<text>.*)$")
WHERE = re.compile(r" \(line (\d+) of the description\)")


def lint_problems(result: Result) -> list[tuple[int, str, str]]:
    found = [LINT_LINE.match(line) for line in result.stdout.splitlines()]
    assert all(found), result.stdout
    return [(int(m["line"]), m["code"], m["text"]) for m in found if m]


@pytest.mark.parametrize("case", list(MALFORMED))
def test_lint_reports_what_rfc_check_reports_on_the_same_text(
    case: str, workdir: Path, new_fake: NewFake, sleeps: list[float]
) -> None:
    body, codes = MALFORMED[case]
    # The document as `rfc new` writes it: the title as its first heading, then the description.
    path = write(workdir, "2026-11-24-event-store.md", f"# {TITLE}\n{body}")
    linted = lint(path)
    assert linted.exit_code == 1, linted.output
    problems = lint_problems(linted)
    assert [code for _, code, _ in problems] == codes

    fake: FakeGitHub = new_fake(OPENED + timedelta(minutes=5), repos={REPO: {"collaborators": [AUTHOR]}})
    number = fake.add_pull(REPO, title=TITLE, body=body, author=AUTHOR, created_at=OPENED)
    checked = CliRunner().invoke(main, ["--now", NOW, "rfc", "check", "--pr", str(number)])
    assert checked.exit_code == 1, checked.output
    reported = [line[4:] for line in checked.stdout.splitlines() if line.startswith("  - ")]
    assert len(reported) == len(problems), checked.stdout
    for (line, _, text), said in zip(problems, reported, strict=True):
        where = WHERE.search(said)
        assert text == WHERE.sub("", said)
        # The description starts on the file's second line; a missing section is put on line 1.
        assert line == (int(where[1]) + 1 if where else 1)


def test_a_filled_in_document_passes(workdir: Path) -> None:
    path = write(workdir, "2026-11-24-event-store.md", f"# {TITLE}\n\n{rfc_body()}")
    result = lint(path)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_the_opening_date_is_the_one_in_the_file_name(workdir: Path) -> None:
    # Decided 2026-12-01: 7 days after a document dated 2026-11-24 is fine, 11 after 2026-11-20 not.
    fine = write(workdir, "2026-11-24-event-store.md", f"# {TITLE}\n\n{rfc_body()}")
    late = write(workdir, "2026-11-20-event-store.md", f"# {TITLE}\n\n{rfc_body()}")
    undated = write(workdir, "event-store.md", f"# {TITLE}\n\n{rfc_body()}")
    assert lint(fine, now="2026-11-28T09:00").exit_code == 0
    result = lint(late, undated, now="2026-11-28T09:00")
    assert [(code, f) for f, code in _files_codes(result)] == [("decision-date-too-late", late)]
    # Without a date in its name, the document opens today (--now): 2026-11-20 leaves 11 days.
    result = lint(undated, now="2026-11-20T09:00")
    assert [code for _, code in _files_codes(result)] == ["decision-date-too-late"]
    assert "is 11 days after" in result.stdout


def _files_codes(result: Result) -> list[tuple[str, str]]:
    return [(m["file"], m["code"]) for m in map(LINT_LINE.match, result.stdout.splitlines()) if m]


def test_a_document_without_a_title_heading_is_told_to_start_with_one(workdir: Path) -> None:
    path = write(workdir, "2026-11-24-event-store.md", rfc_body())
    result = lint(path)
    assert result.exit_code == 1
    [(line, code, text)] = lint_problems(result)
    assert (line, code) == (1, "title-empty")
    assert "Start the document with `# RFC: <what is being decided>`" in text
    assert code in PROBLEM_CODES


def test_an_unreadable_file_is_a_usage_error_after_the_others_are_checked(workdir: Path) -> None:
    bad = write(workdir, "2026-11-24-bad.md", f"# {TITLE}\n\n{rfc_body(decider='nobody')}")
    (workdir / "binary.md").write_bytes(b"\xff\xfe\x00")
    result = lint(bad, "missing.md", "binary.md")
    assert result.exit_code == 2
    assert "decision-maker-none" in result.stdout
    assert "missing.md: cannot read it" in result.stderr
    assert "binary.md: cannot read it" in result.stderr
    assert "Traceback" not in result.output


def test_a_bad_config_is_a_usage_error(workdir: Path) -> None:
    (workdir / ".github/gh-ops.yml").write_text("rfc:\n  max_decision_days: many\n", encoding="utf-8")
    path = write(workdir, "2026-11-24-event-store.md", f"# {TITLE}\n\n{rfc_body()}")
    result = lint(path)
    assert result.exit_code == 2, result.output
    assert "max_decision_days" in result.stderr


def test_the_config_rules_apply(workdir: Path) -> None:
    (workdir / ".github/gh-ops.yml").write_text(CONFIG + "rfc:\n  max_decision_days: 3\n", encoding="utf-8")
    path = write(workdir, "2026-11-24-event-store.md", f"# {TITLE}\n\n{rfc_body()}")
    assert [code for _, code in _files_codes(lint(path))] == ["decision-date-too-late"]


def test_the_rfc_folder_readme_is_skipped(workdir: Path) -> None:
    path = write(workdir, "README.md", "# How we write RFCs\n\nSee the template.\n")
    result = lint(path)
    assert result.exit_code == 0, result.output
    assert "skipped" in result.stderr


def test_lint_needs_no_token_and_no_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    new = CliRunner().invoke(main, ["--now", NOW, "rfc", "new", "Adopt Postgres 17", "--decider", "alice"])
    assert new.exit_code == 0, new.output
    written = new.stdout.strip()
    result = lint(written)
    # The template's prompts are still there: each section to fill in is named, at its line.
    assert result.exit_code == 1
    assert {code for _, code in _files_codes(result)} == {"section-empty"}
    lines = Path(written).read_text(encoding="utf-8").splitlines()
    for line, _, text in lint_problems(result):
        heading = re.search(r"“(.*?)”", text)
        assert heading is not None and lines[line - 1] == f"## {heading[1]}"


# --- the pre-commit hook ---------------------------------------------------------------------


def test_the_pre_commit_hook_runs_lint_over_what_rfc_new_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "gh-ops-rfc-lint"
    assert hook["language"] == "python"
    program, *words = hook["entry"].split()
    assert program == "gh-ops"  # the console script pyproject.toml installs
    assert 'gh-ops = "gh_ops.cli:main"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert CliRunner().invoke(main, [*words, "--help"]).exit_code == 0

    monkeypatch.chdir(tmp_path)
    new = CliRunner().invoke(main, ["--now", NOW, "rfc", "new", "Adopt Postgres 17"])
    written = new.stdout.strip()
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    for path, linted in [
        (written, True),
        ("requests-for-comments/team/2026-11-24-x.md", True),
        ("requests-for-comments/README.md", False),
        ("requests-for-comments/readme.md", False),
        ("docs/2026-11-24-x.md", False),
        ("requests-for-comments/notes.txt", False),
    ]:
        assert bool(files.search(path) and not exclude.search(path)) == linted, path
