"""The write budget in `rfc check` and `rfc remind`: one pull request's writes (a new label, the
mutation with its check run, comment and labels, the assignees) are made in the same run or not at
all, so a run never stops between a check run and what it would still owe, and bounded sweeps end
where one unbounded sweep does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, NewFake
from rfc_data import AUTHOR, DECIDER, REPO, rfc_body
from write_budget import bounded_runs_match_one_run

from gh_ops.cli import main

pytestmark = pytest.mark.usefixtures("no_wall_clock")

OPENED = datetime(2026, 11, 24, 10, tzinfo=UTC)
CONFIG = "timezone: Europe/London\nteams: {}\n"
STAFF = [AUTHOR, DECIDER, "bob", "carol", "dave"]
OVERDUE = "2026-12-02T08:00:00+00:00"


def rfc(*args: str, now: str = OVERDUE) -> Result:
    return CliRunner().invoke(main, ["--now", now, "rfc", *args])


def add_rfc(fake: FakeGitHub, n: int, labels: tuple[str, ...] = ("rfc",)) -> int:
    return fake.add_pull(
        REPO,
        title=f"RFC: Decision {n}",
        body=rfc_body(),
        author=AUTHOR,
        created_at=OPENED,
        labels=list(labels),
    )


@pytest.fixture
def workdir(checkout: Callable[[str, str], Path], sleeps: list[float]) -> Path:
    return checkout(CONFIG, REPO)


def test_check_refuses_a_budget_smaller_than_one_pull_requests_writes(
    new_fake: NewFake, workdir: Path
) -> None:
    fake = new_fake(OPENED + timedelta(minutes=5), repos={REPO: {"collaborators": STAFF}})
    number = add_rfc(fake, 1, labels=())  # the rfc label is made the first time
    result = rfc("check", "--pr", str(number), "--max-writes", "1", now="2026-11-25T09:00:00+00:00")
    assert result.exit_code == 2, result.output
    assert "--max-writes 1 is too small: bring RFC #1 up to date takes" in result.output
    assert fake.writes == [] and fake.check_runs(REPO) == []

    result = rfc("check", "--pr", str(number), "--max-writes", "3", now="2026-11-25T09:00:00+00:00")
    assert result.exit_code == 0, result.output
    assert len(fake.check_runs(REPO)) == 1 and "rfc" in {x["name"] for x in fake.labels(REPO)}


def test_bounded_sweeps_remind_each_rfc_once(workdir: Path) -> None:
    def setup(fake: FakeGitHub) -> None:
        fake.add_repo(REPO, collaborators=STAFF)
        fake.add_label(REPO, "rfc")
        for n in range(5):
            add_rfc(fake, n)

    per_run, needed = bounded_runs_match_one_run(
        OPENED + timedelta(minutes=5),
        setup,
        lambda budget: rfc("remind", *budget),
        max_writes=2,
        repos=(REPO,),
    )
    # The first RFC creates the overdue label, then one mutation each (comment, notice, label).
    assert needed == 6 and sum(per_run) == needed and per_run == [2, 2, 2]
