"""`yolo audit --org` stopped by spent GraphQL points names every repository it did not audit, those
it never started included, and its resume command pins the period (`--since 30d` becomes the exact
moment it meant), so the resumed audit covers the same period once the limit resets."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, FrozenClock, NewFake

from gh_ops import github as gh_module
from gh_ops.cli import main

START = datetime(2026, 11, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
REPOS = ["acme/a", "acme/b", "acme/c"]
CONFIG = "timezone: UTC\nteams: {}\n"


@pytest.fixture
def fake(new_fake: NewFake, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    clock = FrozenClock(NOW)
    monkeypatch.setattr(gh_module, "WALL_CLOCK", lambda: clock().timestamp())
    monkeypatch.setattr(gh_module, "SLEEP", lambda _s: None)
    staff = {"collaborators": ["maya", "alice"]}
    fake = new_fake(clock=clock, repos={repo: staff for repo in REPOS})
    for repo in REPOS:
        number = fake.add_pull(repo, title="Change", body="x", author="maya", created_at=START)
        fake.merge_pull(repo, number, by="maya", at=START + timedelta(hours=1))
    return fake


def _audit_stopped_in_b(fake: FakeGitHub, root: list[str], *args: str) -> Result:
    """Measure what one repository's audit costs, then leave exactly that much of the hour."""
    one = CliRunner().invoke(main, [*root, "yolo", "audit", *args])  # $GITHUB_REPOSITORY alone
    assert one.exit_code == 0, one.output
    cost = fake.points_spent
    fake.clear_requests()
    fake.spend_graphql_points(fake.graphql_points_limit - cost, reset_in=3000)
    return CliRunner().invoke(main, [*root, "yolo", "audit", "--org", "acme", *args])


def test_a_rate_limited_org_audit_report_names_every_repository_it_did_not_audit(
    fake: FakeGitHub, checkout: Callable[[str, str], Path]
) -> None:
    checkout(CONFIG, REPOS[0])
    result = _audit_stopped_in_b(fake, ["--now", NOW.isoformat()], "--since", "2026-10-01")
    assert result.exit_code == 3, result.output
    assert "acme/a" in result.stdout and "Not audited" in result.stdout
    assert "acme/b" in result.stdout
    assert "acme/c" in result.stdout, f"the report reads as if acme/c had been audited:\n{result.stdout}"


def test_the_resume_command_of_an_audit_pins_the_period(
    fake: FakeGitHub, checkout: Callable[[str, str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    checkout(CONFIG, REPOS[0])
    monkeypatch.setenv("GH_OPS_NOW", NOW.isoformat())  # "now" as a scheduled run has it: not on the line
    result = _audit_stopped_in_b(fake, [], "--since", "30d")
    assert result.exit_code == 3, result.output
    line = result.stderr.split("Resume once the limit resets with: ", 1)[1].splitlines()[0]
    argv = shlex.split(line)
    since = argv[argv.index("--since") + 1]
    # Run after the reset (50 minutes on), `30d` starts the period 50 minutes later than the run it resumes.
    assert since != "30d", argv
