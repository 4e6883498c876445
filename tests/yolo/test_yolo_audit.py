"""`gh-ops yolo audit` end to end: default-branch history read 100 commits per request from the fake
GitHub, one record per change, the three formats, --fail-on-yolo, and bad input."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, NewFake

from gh_ops.cli import main

pytestmark = pytest.mark.usefixtures("no_wall_clock")

REPO = "acme/shop"
OTHER = "acme/api"
START = datetime(2026, 10, 1, tzinfo=UTC)
NOW = "2026-11-24T12:00:00Z"
CONFIG = "timezone: UTC\nteams: {}\n"


@pytest.fixture
def fake(new_fake: NewFake, sleeps: list[float]) -> FakeGitHub:
    staff = {"collaborators": ["maya", "alice", "bob"]}
    return new_fake(START, repos={REPO: staff, OTHER: staff})


@pytest.fixture
def workdir(checkout: Callable[[str, str], Path]) -> Path:
    return checkout(CONFIG, REPO)


def merge(
    fake: FakeGitHub,
    at: datetime,
    *,
    repo: str = REPO,
    reviewer: str | None = "alice",
    labels: tuple[str, ...] = (),
    method: str = "squash",
    by: str = "maya",
    review_after: bool = False,
) -> int:
    number = fake.add_pull(repo, title="Change", body="x", author="maya", created_at=at, labels=labels)
    if method != "squash":
        fake.add_pull_commit(repo, number, message="Second step", at=at + timedelta(minutes=5))
    if reviewer and not review_after:
        fake.add_review(
            repo, number, author=reviewer, state="APPROVED", submitted_at=at + timedelta(minutes=30)
        )
    fake.merge_pull(repo, number, by=by, at=at + timedelta(hours=1), method=method)
    if reviewer and review_after:
        fake.add_review(repo, number, author=reviewer, state="APPROVED", submitted_at=at + timedelta(days=1))
    return number


def audit(*args: str) -> Result:
    return CliRunner().invoke(main, ["--now", NOW, "yolo", "audit", *args])


def records(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_one_record_per_change_across_many_pages(fake: FakeGitHub, workdir: Path) -> None:
    fake.push_commit(REPO, author="maya", at=START - timedelta(days=3))  # before the period
    methods = ["squash", "merge", "rebase"]
    numbers = [
        merge(fake, START + timedelta(hours=i), method=methods[i % 3], reviewer="alice" if i % 4 else None)
        for i in range(120)
    ]
    direct = fake.push_commit(REPO, author="bob", message="Quick fix", at=START + timedelta(days=10))
    # 120 pull requests: 40 squashed (1 commit), 40 with a merge commit (3), 40 rebased (2) = 240
    # commits and a direct push: 3 pages of 100, each with the details of the pull requests the page
    # before found, and one request for the last page's.
    result = audit("--since", "2026-10-01", "--format", "json")
    found = records(result)
    assert len(fake.reads) == 4
    by_number = {r["number"]: r for r in found if r["number"] is not None}
    assert sorted(by_number) == numbers
    assert [r for r in found if r["number"] is None] == [
        {
            "repository": REPO,
            "number": None,
            "sha": direct,
            "author": "bob",
            "merged_by": None,
            "reasons": ["direct-push"],
            "emergency": False,
            "post_merge_review_by": [],
        }
    ]
    assert by_number[numbers[0]]["reasons"] == ["no-approval"]
    assert by_number[numbers[1]]["reasons"] == []
    assert {k for r in found for k in r} >= {
        "repository",
        "number",
        "sha",
        "author",
        "merged_by",
        "reasons",
        "emergency",
    }


def test_a_change_a_release_pull_request_brought_is_that_pull_request(
    fake: FakeGitHub, workdir: Path
) -> None:
    """The fix's squash commit is associated with its pull request into the release branch first:
    the change is the release's pull request into the default branch, not a direct push."""
    fix = fake.add_pull(REPO, title="Fix", body="x", author="maya", created_at=START, base="release")
    squashed = fake.merge_pull(REPO, fix, by="maya", at=START, method="squash")["merge_commit_sha"]
    release = fake.add_pull(
        REPO, title="Release", body="x", author="bob", created_at=START, head_sha=squashed
    )
    fake.merge_pull(REPO, release, by="bob", at=START + timedelta(hours=1), method="merge")
    found = records(audit("--since", "2026-10-01", "--format", "json"))
    assert [(r["number"], r["reasons"]) for r in found] == [(release, ["no-approval"])]


def test_since_a_date_is_midnight_in_the_configs_timezone(
    fake: FakeGitHub, checkout: Callable[[str, str], Path]
) -> None:
    checkout("timezone: America/New_York\nteams: {}\n", REPO)
    # 1 October 2026 starts at 04:00 UTC in New York (EDT, UTC-4).
    merge(fake, datetime(2026, 10, 1, 1, tzinfo=UTC), reviewer=None)  # 30 September there
    later = merge(fake, datetime(2026, 10, 1, 4, tzinfo=UTC), reviewer=None)
    result = audit("--since", "2026-10-01", "--format", "json")
    assert [r["number"] for r in records(result)] == [later]
    assert "since 2026-10-01" in result.output


def test_since_in_days_counts_back_from_now(fake: FakeGitHub, workdir: Path) -> None:
    merge(fake, datetime(2026, 10, 1, tzinfo=UTC), reviewer=None)
    recent = merge(fake, datetime(2026, 11, 20, tzinfo=UTC), reviewer=None)
    found = records(audit("--since", "30d", "--format", "json"))
    assert [r["number"] for r in found] == [recent]


def test_fail_on_yolo_exits_1_for_an_unexcused_yolo_merge_only(fake: FakeGitHub, workdir: Path) -> None:
    merge(fake, START, reviewer=None, labels=("emergency",))
    merge(fake, START + timedelta(hours=1))
    result = audit("--since", "2026-10-01", "--fail-on-yolo")
    assert result.exit_code == 0, result.output
    merge(fake, START + timedelta(hours=2), reviewer="alice", review_after=True)  # reviewed since
    result = audit("--since", "2026-10-01", "--fail-on-yolo")
    assert result.exit_code == 0, result.output
    merge(fake, START + timedelta(hours=3), reviewer=None)
    result = audit("--since", "2026-10-01", "--fail-on-yolo")
    assert result.exit_code == 1
    assert "1 yolo merge(s) neither declared an emergency nor reviewed since" in result.output


def test_the_markdown_report_shares_emergencies_and_groups(fake: FakeGitHub, workdir: Path) -> None:
    first = merge(fake, START, reviewer=None, labels=("emergency",), by="bob")
    second = merge(
        fake, START + timedelta(hours=1), reviewer="alice", review_after=True, labels=("emergency",)
    )
    merge(fake, START + timedelta(hours=2))
    merge(fake, START + timedelta(hours=3))
    result = audit("--since", "2026-10-01")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "4 change(s): 2 reviewed (50%), 2 yolo, of which 2 emergency." in text
    assert f"| {REPO} | #{first} | maya | bob | no-approval | yes | **missing** |" in text
    assert f"| {REPO} | #{second} | maya | maya | no-approval | yes | alice |" in text
    assert "#### By repository" in text and "#### By person" in text
    assert "| bob | 1 | 0% | 1 | 1 |" in text


def test_the_csv_report_has_one_row_per_change(fake: FakeGitHub, workdir: Path) -> None:
    number = merge(fake, START, reviewer=None)
    result = audit("--since", "2026-10-01", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows == [
        {
            "repository": REPO,
            "number": str(number),
            "sha": fake.history(REPO)[-1],
            "author": "maya",
            "merged_by": "maya",
            "reasons": "no-approval",
            "emergency": "false",
            "post_merge_review_by": "",
        }
    ]


def test_several_repositories_and_an_organization(fake: FakeGitHub, workdir: Path) -> None:
    merge(fake, START, repo=REPO, reviewer=None)
    merge(fake, START, repo=OTHER, reviewer=None)
    found = records(audit("--since", "2026-10-01", "--format", "json", "--repo", REPO, "--repo", OTHER))
    assert sorted(r["repository"] for r in found) == [OTHER, REPO]
    found = records(audit("--since", "2026-10-01", "--format", "json", "--org", "acme"))
    assert sorted(r["repository"] for r in found) == [OTHER, REPO]


def test_a_repository_github_fails_for_does_not_stop_the_others(
    fake: FakeGitHub, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    merge(fake, START, repo=REPO, reviewer=None)
    merge(fake, START, repo=OTHER, reviewer=None)

    def history(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """GitHub failing for the first repository's history (after the organization's listing)."""
        if variables["name"] == REPO.split("/")[1]:
            return {"errors": [{"message": "Something went wrong while executing your query."}]}
        return fake.execute_graphql(query, variables)

    fake.on_graphql("YoloHistory", history)
    result = audit("--since", "2026-10-01", "--format", "json", "--org", "acme")
    assert result.exit_code == 3, result.output
    assert [r["repository"] for r in json.loads(result.stdout)] == [OTHER]  # REPO, listed first, failed
    assert f"error: GitHub failed for 1 of 2 repositories; the others were done:\n- {REPO}: " in result.output


def test_an_empty_period_says_there_was_nothing_to_audit(
    fake: FakeGitHub, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No change is not "0 reviewed (100%)": there was nothing to share out."""
    assert records(audit("--since", "2026-10-01", "--format", "json")) == []
    assert list(csv.DictReader(io.StringIO(audit("--since", "2026-10-01", "--format", "csv").stdout))) == []
    summary = workdir / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_OUTPUT", str(workdir / "output.txt"))
    result = audit("--since", "2026-10-01")
    assert result.exit_code == 0, result.output
    said = "Nothing to audit: no change reached the default branch since 2026-10-01."
    for text in (result.stdout, summary.read_text()):
        assert said in text
        assert "%" not in text and "reviewed" not in text


@pytest.mark.parametrize(
    ("since", "says"),
    [
        ("a month", "expected a number of days such as 30d, or a date YYYY-MM-DD"),
        ("2026-02-30", "expected a number of days"),
        ("0d", "expected a number of days"),
        ("2027-01-01", "is in the future"),
    ],
)
def test_a_bad_since_is_one_clear_error(fake: FakeGitHub, workdir: Path, since: str, says: str) -> None:
    result = audit("--since", since)
    assert result.exit_code == 2 and says in result.output and fake.requests == []


def test_a_bad_repository_name_is_a_usage_error(fake: FakeGitHub, workdir: Path) -> None:
    result = audit("--since", "30d", "--repo", "not a repo")
    assert result.exit_code == 2 and "is not of the form OWNER/NAME" in result.output


def test_an_unknown_repository_is_a_usage_error(fake: FakeGitHub, workdir: Path) -> None:
    result = audit("--since", "30d", "--repo", "acme/nothing-here")
    assert result.exit_code == 2, result.output
    assert "acme/nothing-here does not exist or the token cannot see it" in result.output
