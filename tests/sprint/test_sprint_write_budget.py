"""The write budget in `sprint open`: bounded runs, repeated, end where one unbounded run does. A run
that opened a team's issue but stopped before linking the previous one is completed by the next
run, which does not open the issue again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub
from test_sprint_open import NOW, REPO, seed_sprint_issue
from write_budget import STOPPED, bounded_runs_match_one_run

from gh_ops.cli import main
from gh_ops.config import embedded_example_text

pytestmark = pytest.mark.usefixtures("no_wall_clock")

CLOCK = datetime(2026, 11, 20, 15, tzinfo=UTC)


def sprint_open(*args: str) -> Result:
    return CliRunner().invoke(main, ["--now", NOW, "sprint", "open", *args])


def setup(fake: FakeGitHub) -> None:
    fake.add_repo(REPO, collaborators=["alice", "bob", "carol", "dave", "erin"])
    seed_sprint_issue(fake, "web", 23, "2026-11-09")
    seed_sprint_issue(fake, "infra", 23, "2026-11-09")


@pytest.mark.parametrize("max_writes", [1, 3])
def test_bounded_runs_open_and_link_each_issue_once(
    max_writes: int, checkout: Callable[[str, str], Path], sleeps: list[float]
) -> None:
    checkout(embedded_example_text(), REPO)
    per_run, needed = bounded_runs_match_one_run(
        CLOCK, setup, lambda budget: sprint_open(*budget), max_writes=max_writes, repos=(REPO,)
    )
    assert needed == 4  # two issues opened, two previous ones linked and closed
    assert sum(per_run) == needed and per_run[0] == max_writes


def test_the_stop_says_what_is_left(
    new_fake: Callable[..., FakeGitHub], checkout: Callable[[str, str], Path], sleeps: list[float]
) -> None:
    checkout(embedded_example_text(), REPO)
    fake = new_fake(CLOCK)
    setup(fake)
    result = sprint_open("--max-writes", "1")
    assert result.exit_code == 0, result.output
    # Every issue is opened before any previous one is linked (the links point at the issue that
    # stands once overlapping runs settled): infra's issue and both links are left.
    assert f"{STOPPED}: 1 write(s) made (--max-writes 1); at least 3 write(s) left" in result.output
