"""The write budget in `priority triage` and `priority apply`: runs bounded by --max-writes, repeated
until done, end exactly where one unbounded run does (no question asked twice, no label or note
written twice)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub
from priority_data import CONFIG, FORM, NOW, PRIVATE, REPO, send_event
from write_budget import bounded_runs_match_one_run

from gh_ops.cli import main

pytestmark = pytest.mark.usefixtures("no_wall_clock")

CLOCK = datetime(2026, 11, 20, 15, tzinfo=UTC)
VECTOR = "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:L"  # 8.9: security-P1


def priority(*args: str) -> Result:
    return CliRunner().invoke(main, ["--now", NOW, "priority", *args])


@pytest.fixture
def workdir(checkout: Callable[[str, str], Path], sleeps: list[float]) -> Path:
    return checkout(CONFIG, REPO)


def test_triage_asks_each_old_bug_once_over_several_bounded_runs(workdir: Path) -> None:
    def setup(fake: FakeGitHub) -> None:
        fake.add_repo(REPO)
        for n in range(7):
            fake.add_issue(
                REPO,
                title=f"Crash {n}",
                body="It breaks.",
                author="carol",
                labels=["bug"],
                created_at=CLOCK - timedelta(days=10 + n),
            )

    per_run, needed = bounded_runs_match_one_run(
        CLOCK, setup, lambda budget: priority("triage", *budget), max_writes=3, repos=(REPO,)
    )
    assert needed == 7 and per_run == [3, 3, 1]


def test_apply_labels_notes_and_warns_a_security_issue_over_bounded_runs(workdir: Path) -> None:
    def setup(fake: FakeGitHub) -> None:
        fake.add_repo(REPO)
        fake.add_repo(PRIVATE, private=True)
        number = send_event(
            fake, workdir, "opened", body=FORM.format(answer="P2"), setenv=os.environ.__setitem__
        )
        # A person's P3 next to the form's answer, then a CVSS vector: several writes for one event.
        fake.edit_issue(REPO, number, by="Codertocat", body=f"Vector: {VECTOR}\n" + FORM.format(answer="P2"))
        send_event(fake, workdir, "edited", number=number, setenv=os.environ.__setitem__)

    per_run, needed = bounded_runs_match_one_run(
        CLOCK, setup, lambda budget: priority("apply", *budget), max_writes=1, repos=(REPO,)
    )
    assert needed >= 2 and sum(per_run) == needed and len(per_run) == needed
