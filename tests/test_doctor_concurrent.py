"""Overlapping `gh-ops doctor --issue` runs keep exactly one health issue, and close it with one
comment (issue 15)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from concurrency import SEEDS, run_together
from fakegithub import NewFake
from test_doctor import NOW, REPO, all_labels, health_issues, workdir  # noqa: F401 (a fixture)

from gh_ops.markup import read_marker

pytestmark = pytest.mark.usefixtures("no_wall_clock", "sleeps", "workdir")

DOCTOR = ["--now", NOW.isoformat(), "doctor", "--issue"]


def standing(issues: list[dict]) -> list[dict]:
    return [i for i in issues if i["state_reason"] != "duplicate"]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", [2, 3, 5])
def test_runs_started_together_open_one_health_issue_and_close_it_once(
    new_fake: NewFake, seed: int, runs: int
) -> None:
    fake = new_fake(NOW, repos={REPO: {}}, actor="ops-bot")
    all_labels(fake)
    workflow = fake.add_workflow(REPO, state="disabled_manually")

    assert run_together(fake, [DOCTOR] * runs, seed=seed) == [1] * runs  # a problem: exit 1
    [issue] = standing(health_issues(fake))
    assert issue["state"] == "open" and read_marker(str(issue["body"]))[0] == "health"
    for twin in health_issues(fake):
        if twin["state_reason"] == "duplicate":
            assert twin["number"] > issue["number"] and twin["state"] == "closed"
            notes = [c["body"] for c in fake.comments(REPO, int(twin["number"]))]
            assert any(f"Duplicate of #{issue['number']}" in n for n in notes), notes

    # All well again, with runs overlapping: closed once, with one comment saying so.
    workflow["state"] = "active"
    workflow["runs"] = [NOW - timedelta(hours=2)]
    assert run_together(fake, [DOCTOR] * runs, seed=seed + 100) == [0] * runs
    [issue] = standing(health_issues(fake))
    assert issue["state"] == "closed"
    said = [c["body"] for c in fake.comments(REPO, int(issue["number"]))]
    assert len(said) == 1 and "All well again" in said[0], said

    # A run afterwards writes nothing.
    fake.clear_requests()
    assert run_together(fake, [DOCTOR], seed=seed) == [0]
    assert fake.writes == []
