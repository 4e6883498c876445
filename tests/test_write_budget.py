"""The per-run write budget (`--max-writes N`, config `max_writes`, default 400): every command that
writes takes it, it is validated at the edge, the GitHub boundary counts every write (GraphQL
mutations included) and stops cleanly before the one over the budget, the run says what is left and
sets the output `remaining`, and a dry run shows where a real run would stop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, NewFake
from write_budget import STOPPED, bounded_runs_match_one_run

from gh_ops.cli import main
from gh_ops.errors import WriteBudgetReached
from gh_ops.github import GitHub
from gh_ops.gql import mutation

pytestmark = pytest.mark.usefixtures("no_wall_clock")

REPO = "acme/widgets"
NOW = "2026-11-20T15:00:00Z"
CONFIG = "timezone: UTC\n"
MANAGED = 9  # the labels `priority labels` creates in an empty repository

# Commands that never write to GitHub, and why; every other command must take --max-writes.
WRITES_NOTHING = {
    "validate": "renders templates locally",
    "preview": "renders one issue locally",
    "rfc new": "writes a local file only",
    "rfc lint": "reads local files only",
    "init": "writes local files only",
    "yolo audit": "reads only",
    "run": "writes only through the commands it runs, each under the config's max_writes",
}


def leaf_commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found.update(leaf_commands(command, path + " "))
        else:
            found[path] = command
    return found


def takes_max_writes(command: click.Command) -> bool:
    return any("--max-writes" in getattr(p, "opts", ()) for p in command.params)


def test_every_command_that_writes_takes_max_writes_and_no_other_does() -> None:
    commands = leaf_commands(main)
    assert set(WRITES_NOTHING) <= set(commands)
    writing = {name for name in commands if name not in WRITES_NOTHING}
    assert writing >= {
        "sprint open",
        "onboarding open",
        "offboarding open",
        "rfc check",
        "rfc remind",
        "priority apply",
        "priority labels",
        "priority triage",
        "yolo check",
        "doctor",
    }
    for name, command in commands.items():
        assert takes_max_writes(command) == (name in writing), name
        if name in writing:
            help_text = CliRunner().invoke(main, [*name.split(), "--help"]).output
            assert "--max-writes N" in help_text, name


@pytest.fixture
def fake(new_fake: NewFake, sleeps: list[float]) -> FakeGitHub:
    return new_fake(datetime(2026, 11, 20, 15, tzinfo=UTC), repos={REPO: {}})


@pytest.fixture
def workdir(checkout: Callable[[str, str], Path]) -> Path:
    return checkout(CONFIG, REPO)


def labels(*args: str) -> Result:
    return CliRunner().invoke(main, ["--now", NOW, "priority", "labels", *args])


@pytest.mark.parametrize("value", ["0", "-1", "1.5", "many", ""])
@pytest.mark.parametrize("command", [["priority", "labels"], ["sprint", "open"], ["yolo", "check"]])
def test_max_writes_must_be_a_positive_whole_number(
    command: list[str], value: str, fake: FakeGitHub, workdir: Path
) -> None:
    result = CliRunner().invoke(main, ["--now", NOW, *command, "--max-writes", value])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '--max-writes': {value!r} is not a number of writes" in result.output
    assert "Traceback" not in result.output and fake.requests == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "expected a whole number of writes, 1 or more, got integer 0"),
        ("lots", "expected a whole number"),
    ],
)
def test_config_max_writes_is_checked_at_the_edge(
    value: str, expected: str, fake: FakeGitHub, checkout: Callable[[str, str], Path]
) -> None:
    checkout(f"timezone: UTC\nmax_writes: {value}\n", REPO)
    result = labels()
    assert result.exit_code == 2, result.output
    assert ".github/gh-ops.yml:2 (max_writes)" in result.output and expected in result.output
    assert fake.requests == []


def test_the_config_sets_the_budget_and_the_flag_overrides_it(
    fake: FakeGitHub, checkout: Callable[[str, str], Path]
) -> None:
    checkout("timezone: UTC\nmax_writes: 2\n", REPO)
    result = labels()
    assert result.exit_code == 0, result.output
    assert len(fake.writes) == 2
    assert f"{STOPPED}: 2 write(s) made (--max-writes 2); 7 write(s) left" in result.output
    assert "The next run continues from here" in result.output

    fake.clear_requests()
    result = labels("--max-writes", "5")
    assert result.exit_code == 0 and len(fake.writes) == 5
    assert "2 write(s) left" in result.output

    fake.clear_requests()
    result = labels("--max-writes", "5")
    assert result.exit_code == 0 and len(fake.writes) == 2 and STOPPED not in result.output
    assert len(fake.labels(REPO)) == MANAGED


def test_the_default_budget_is_400(fake: FakeGitHub, workdir: Path) -> None:
    for n in range(50):  # 450 writes to make
        fake.add_repo(f"big/r{n:02}")
    result = labels(*[arg for n in range(50) for arg in ("--repo", f"big/r{n:02}")])
    assert result.exit_code == 0, result.output
    assert len(fake.writes) == 400
    assert "at least 5 write(s) left" in result.output  # big/r44's: the others are not read yet
    assert "not yet checked: 5 more repositories (big/r45 first)" in result.output


def test_remaining_is_an_output_and_the_stop_is_in_the_summary(
    fake: FakeGitHub, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, summary = workdir / "out.txt", workdir / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_OUTPUT", str(out))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = labels("--max-writes", "4")
    assert result.exit_code == 0, result.output
    assert "remaining<<" in out.read_text() and "\n5\n" in out.read_text().split("remaining<<")[1]
    assert "stopped at the write budget" in summary.read_text()
    assert "::notice title=gh-ops%3A write budget reached::" in result.output

    out.write_text("")
    assert labels().exit_code == 0
    assert out.read_text().split("remaining<<")[1].split("\n")[1] == "0"


def test_a_dry_run_lists_every_write_and_where_a_run_would_stop(fake: FakeGitHub, workdir: Path) -> None:
    result = labels("--dry-run", "--max-writes", "4")
    assert result.exit_code == 0, result.output
    assert fake.writes == [] and STOPPED not in result.output
    assert f"dry run: {MANAGED} write(s) not sent:" in result.output
    listing = result.output.split("not sent:")[1].splitlines()
    writes = [i for i, line in enumerate(listing) if line.startswith(f"  POST /repos/{REPO}/labels")]
    stop = next(i for i, line in enumerate(listing) if "a run stops here" in line)
    assert len(writes) == MANAGED and writes[3] < stop < writes[4]
    assert "4 write(s), the most --max-writes 4 allows; the next run makes the rest" in listing[stop]


def test_repeated_bounded_runs_reach_the_state_of_one_unbounded_run_over_an_org(
    sleeps: list[float], workdir: Path
) -> None:
    repos = tuple(f"big-org/r{n}" for n in range(5))

    def setup(fake: FakeGitHub) -> None:
        for repo in repos:
            fake.add_repo(repo)
        fake.add_label(repos[2], "P1", color="000000", description="old")  # an update, not a creation

    per_run, needed = bounded_runs_match_one_run(
        datetime(2026, 11, 20, 15, tzinfo=UTC),
        setup,
        lambda budget: labels("--org", "big-org", *budget),
        max_writes=4,
        repos=repos,
    )
    assert needed == 5 * MANAGED and sum(per_run) == needed  # exactly the writes needed: none repeated
    assert per_run == [4] * 11 + [1]


def test_github_failing_for_a_repository_before_the_stop_still_fails_the_run(
    fake: FakeGitHub, workdir: Path
) -> None:
    for n in range(3):
        fake.add_repo(f"big/r{n}")
    fake.fail_next("GET", r"^/repos/big/r0/labels", 403, json={"message": "Resource not accessible"})
    result = labels("--repo", "big/r0", "--repo", "big/r1", "--repo", "big/r2", "--max-writes", "5")
    assert STOPPED in result.output and "not yet checked: 1 more repository (big/r2 first)" in result.output
    assert result.exit_code == 3, result.output  # the failure is not hidden by the clean stop
    assert "GitHub failed for 1 of 3 repositories before the run stopped at its write budget" in result.output


def test_the_boundary_counts_graphql_mutations_as_writes(fake: FakeGitHub) -> None:
    issue = fake.add_issue(REPO, title="t", body="b", author="alice")
    gh = GitHub(token="t", max_writes=2)
    gh.mutate(
        mutation(["newComment"]), {"newComment": {"subjectId": issue["node_id"], "body": "hello"}}, why="c"
    )
    gh.add_labels(REPO, issue["number"], ("bug",), why="label")
    with pytest.raises(WriteBudgetReached) as stopped:
        gh.create_comment(REPO, issue["number"], "again", why="comment again")
    assert (stopped.value.made, stopped.value.next_write) == (2, "comment again")
    assert len(fake.writes) == 2 and [c["body"] for c in fake.comments(REPO, issue["number"])] == ["hello"]
