"""A run over several repositories that spends GitHub's hourly budget stops there (every other
repository would fail the same way), says what it covered and prints the command that resumes: the
same command on the repositories left, with the global options (--dry-run, --config, --now,
--verbose) and --max-writes as the run had them, wherever they were given, and every repository not
done, one GitHub failed for earlier included."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakegithub import FakeGitHub, FrozenClock, NewFake

from gh_ops import github as gh_module
from gh_ops.cli import main

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
CONFIG = "priority: {}\n"
REPOS = [f"acme/r{i}" for i in range(1, 5)]


@pytest.fixture
def fake(new_fake: NewFake, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    clock = FrozenClock(NOW)
    monkeypatch.setattr(gh_module, "WALL_CLOCK", lambda: clock().timestamp())
    monkeypatch.setattr(gh_module, "SLEEP", lambda _s: None)
    return new_fake(clock=clock, repos={repo: {} for repo in REPOS})


def test_a_spent_hour_stops_an_org_run_and_names_the_command_that_resumes(
    fake: FakeGitHub, checkout: Callable[[str, str], Path]
) -> None:
    checkout(CONFIG, REPOS[0])
    fake.primary_rate_limit("POST", r"/repos/acme/r2/labels$", reset_in=3000)
    command = ["--config", ".github/gh-ops.yml", "priority", "labels", "--org", "acme"]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 3, result.output
    error = result.stderr[result.stderr.index("error: ") :]
    assert error.startswith("error: GitHub's rate limit stopped the run after 1 of 4 repositories:\n")
    assert "Rate limit: try again at 12:50 UTC" in error
    assert "Covered: acme/r1\n" in error
    assert "Not started: acme/r3, acme/r4\n" in error
    # acme/r3 and acme/r4 were not tried: the limit would refuse them too.
    assert not [r for r in fake.requests if r.path.startswith(("/repos/acme/r3", "/repos/acme/r4"))]
    argv = _resume(error)
    assert argv == [
        "gh-ops", "--config", ".github/gh-ops.yml", "priority", "labels",
        "--repo", "acme/r2", "--repo", "acme/r3", "--repo", "acme/r4",
    ]  # fmt: skip

    # The printed command, run once the limit has reset, finishes exactly what was left.
    fake.clear_requests()
    again = CliRunner().invoke(main, argv[1:])
    assert again.exit_code == 0, again.output
    assert {r.path.split("/")[3] for r in fake.requests if r.path.startswith("/repos/")} == {"r2", "r3", "r4"}
    for repo in REPOS:
        assert {"P0", "P1", "P2", "P3"} <= {label["name"] for label in fake.labels(repo)}


def test_other_failures_still_go_on_with_the_other_repositories(
    fake: FakeGitHub, checkout: Callable[[str, str], Path]
) -> None:
    checkout(CONFIG, REPOS[0])
    fake.fail_next("POST", r"/repos/acme/r2/labels$", 403, json={"message": "Resource not accessible"})
    result = CliRunner().invoke(main, ["priority", "labels", "--org", "acme"])
    assert result.exit_code == 3, result.output
    assert "GitHub failed for 1 of 4 repositories; the others were done" in result.stderr
    assert "Resume" not in result.stderr
    assert {"P0"} <= {label["name"] for label in fake.labels("acme/r4")}


def test_a_spent_hour_in_a_single_repository_run_says_when_and_how_to_resume(
    fake: FakeGitHub, checkout: Callable[[str, str], Path]
) -> None:
    checkout(CONFIG, REPOS[0])
    fake.primary_rate_limit("POST", r"/repos/acme/r1/labels$", reset_in=3000)
    result = CliRunner().invoke(main, ["priority", "labels"])
    assert result.exit_code == 3, result.output
    assert "Done before the failure: nothing" in result.stderr
    assert "Not done: create P0; create P1;" in result.stderr
    assert "Resume once the limit resets at 12:50 UTC: run the same command again" in result.stderr
    assert "Re-running is safe" not in result.stderr


def _resume(stderr: str) -> list[str]:
    line = stderr.split("Resume once the limit resets with: ", 1)[1].splitlines()[0]
    return shlex.split(line)


def test_the_resume_command_of_a_dry_run_makes_no_write(
    fake: FakeGitHub, checkout: Callable[[str, str], Path]
) -> None:
    checkout("priority: {}\n", REPOS[0])
    # A dry run sends no write: the limit meets it on a read (--repo lists each repository's labels).
    fake.primary_rate_limit("GET", r"/repos/acme/r2/labels$", reset_in=3000)
    repos = [w for repo in REPOS for w in ("--repo", repo)]
    result = CliRunner().invoke(main, ["priority", "labels", *repos, "--dry-run"])
    assert result.exit_code == 3, result.output
    assert fake.writes == []
    argv = _resume(result.stderr)

    fake.clear_requests()
    again = CliRunner().invoke(main, argv[1:])  # the printed command, once the limit has reset
    assert again.exit_code == 0, again.output
    assert fake.writes == [], f"the dry run's resume command {argv} created labels for real"


def test_the_resume_command_keeps_the_config_and_the_write_budget(
    fake: FakeGitHub, checkout: Callable[[str, str], Path]
) -> None:
    workdir = checkout("priority: {}\n", REPOS[0])
    (workdir / "other.yml").write_text("priority: {}\n")
    fake.primary_rate_limit("POST", r"/repos/acme/r2/labels$", reset_in=3000)
    command = ["priority", "labels", "--org", "acme", "--config", "other.yml", "--max-writes", "50"]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 3, result.output
    argv = _resume(result.stderr)
    assert "--config" in argv and argv[argv.index("--config") + 1] == "other.yml", argv
    assert "--max-writes" in argv and argv[argv.index("--max-writes") + 1] == "50", argv


def test_the_resume_command_includes_a_repository_github_failed_for_before_the_limit(
    fake: FakeGitHub, checkout: Callable[[str, str], Path]
) -> None:
    checkout("priority: {}\n", REPOS[0])
    fake.server_error("POST", r"/repos/acme/r1/labels$", times=5)  # an outage on r1, every try
    fake.primary_rate_limit("POST", r"/repos/acme/r3/labels$", reset_in=3000)
    result = CliRunner().invoke(main, ["priority", "labels", "--org", "acme"])
    assert result.exit_code == 3, result.output
    argv = _resume(result.stderr)
    # r1 was neither covered nor is it in the command: following the printed advice never does it.
    assert "acme/r1" in argv, argv
