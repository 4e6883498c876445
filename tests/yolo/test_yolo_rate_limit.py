"""`yolo audit` when GitHub's hourly GraphQL points run out mid-run (and reset later than a run
waits): it stops with exit 3, prints only the repositories audited in full as a report labelled
PARTIAL (in every format), names those it did not audit, and prints the command that audits exactly
those; the two runs together give the full audit, each change once."""

from __future__ import annotations

import csv
import io
import json
import shlex
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, FrozenClock, NewFake

from gh_ops import github as gh_module
from gh_ops.cli import main

pytestmark = pytest.mark.usefixtures("no_wall_clock")

REPOS = ("acme/one", "acme/two", "acme/three")
START = datetime(2026, 10, 1, tzinfo=UTC)
NOW = "2026-11-24T12:00:00Z"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START + timedelta(days=60))


@pytest.fixture
def fake(
    new_fake: NewFake,
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
    checkout: Callable[[str, str], Path],
) -> FakeGitHub:
    monkeypatch.setattr(gh_module, "WALL_CLOCK", lambda: clock().timestamp())
    monkeypatch.setattr(gh_module, "SLEEP", lambda _s: None)
    fake = new_fake(clock=clock, repos={repo: {"collaborators": ["maya", "alice"]} for repo in REPOS})
    checkout("timezone: UTC\nteams: {}\n", REPOS[0])
    for n, repo in enumerate(REPOS):
        for i in range(3):
            at = START + timedelta(days=n, hours=i)
            number = fake.add_pull(repo, title="Change", body="x", author="maya", created_at=at)
            if i:
                fake.add_review(repo, number, author="alice", state="APPROVED", submitted_at=at)
            fake.merge_pull(repo, number, by="maya", at=at + timedelta(minutes=5), method="squash")
        fake.push_commit(repo, author="maya", message="Direct", at=START + timedelta(days=n, hours=5))
    return fake


def audit(*args: str) -> Result:
    return CliRunner().invoke(main, ["--now", NOW, "yolo", "audit", *args])


def everything(fmt: str) -> list[str]:
    return ["--since", "2026-10-01", "--format", fmt, *(w for repo in REPOS for w in ("--repo", repo))]


def keys(records: list[dict[str, Any]]) -> list[tuple[str, int, str]]:
    return sorted((r["repository"], r["number"] or 0, r["sha"]) for r in records)


def test_out_of_points_stops_says_what_was_covered_and_resumes_exactly(
    fake: FakeGitHub, clock: FrozenClock
) -> None:
    full = json.loads(audit(*everything("json")).stdout)
    # Each repository costs 2 points (its history, then its pull requests): 3 left is enough for
    # the first and the start of the second; the hour resets in 40 minutes, longer than a run waits.
    fake.spend_graphql_points(fake.graphql_points_limit - 3, reset_in=2400)
    stopped = audit(*everything("json"))
    assert stopped.exit_code == 3, stopped.output
    shown = json.loads(stopped.stdout)
    assert shown["partial"] is True
    assert shown["covered"] == ["acme/one"] and shown["not_covered"] == ["acme/two", "acme/three"]
    assert keys(shown["records"]) == keys([r for r in full if r["repository"] == "acme/one"])
    assert "GraphQL points for this hour are spent" in stopped.stderr
    assert "the report above is PARTIAL" in stopped.stderr
    command = stopped.stderr.split("Resume once the limit resets with: ", 1)[1].split("\n")[0]
    words = shlex.split(command)
    assert words[0] == "gh-ops" and words[words.index("yolo") + 1] == "audit"
    assert words[words.index("--now") + 1] == NOW  # the global options as the run had them
    assert words[words.index("--since") + 1] == "2026-10-01T00:00:00Z"
    assert [words[i + 1] for i, w in enumerate(words) if w == "--repo"] == ["acme/two", "acme/three"]
    clock.advance(minutes=41)  # the hour came back
    resumed = CliRunner().invoke(main, words[1:])
    assert resumed.exit_code == 0, resumed.output
    assert keys(shown["records"] + json.loads(resumed.stdout)) == keys(full)


@pytest.mark.parametrize("fmt", ["markdown", "csv"])
def test_a_partial_report_says_so_in_every_format(fake: FakeGitHub, fmt: str) -> None:
    fake.spend_graphql_points(fake.graphql_points_limit - 3, reset_in=2400)
    stopped = audit(*everything(fmt))
    assert stopped.exit_code == 3, stopped.output
    first = stopped.stdout.splitlines()[0]
    assert "PARTIAL" in first
    assert "PARTIAL: GitHub's rate limit stopped the audit. Audited in full: acme/one." in stopped.stdout
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(stopped.stdout.split("\n", 1)[1])))
        assert {r["repository"] for r in rows} == {"acme/one"}


def test_out_of_points_before_any_repository_resumes_them_all(fake: FakeGitHub) -> None:
    fake.spend_graphql_points(fake.graphql_points_limit, reset_in=2400)
    stopped = audit(*everything("json"))
    assert stopped.exit_code == 3
    assert json.loads(stopped.stdout)["records"] == []
    assert "--repo acme/one --repo acme/two --repo acme/three" in stopped.stderr
