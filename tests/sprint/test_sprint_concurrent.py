"""Overlapping `sprint open` runs leave exactly one issue per team and sprint (issue 15)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from concurrency import SEEDS, run_together
from fakegithub import FakeGitHub, NewFake

from gh_ops.config import embedded_example_text
from gh_ops.markup import read_marker

REPO = "acme/widgets"
NOW = "2026-11-20T15:00:00Z"  # sprint 24's window for both example teams (web, infra)


@pytest.fixture
def fake(new_fake: NewFake, sleeps: list[float], checkout: Callable[[str, str], Path]) -> FakeGitHub:
    checkout(embedded_example_text(), REPO)
    return new_fake(
        datetime(2026, 11, 20, 15, tzinfo=UTC),
        repos={REPO: {"collaborators": ["alice", "bob", "carol", "dave", "erin"]}},
    )


def sprint_issues(fake: FakeGitHub) -> list[dict]:
    return [i for i in fake.issues(REPO) if (read_marker(i["body"] or "") or ("",))[0] == "sprint"]


def standing(fake: FakeGitHub) -> dict[str, list[int]]:
    """Team -> the numbers of its sprint issues not closed as duplicates."""
    out: dict[str, list[int]] = {}
    for issue in sprint_issues(fake):
        if issue["state_reason"] != "duplicate":
            out.setdefault(read_marker(issue["body"])[1]["team"], []).append(issue["number"])
    return out


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", [2, 3, 5])
def test_runs_started_together_leave_one_issue_per_team(fake: FakeGitHub, seed: int, runs: int) -> None:
    codes = run_together(fake, [["--now", NOW, "sprint", "open"]] * runs, seed=seed)

    assert codes == [0] * runs
    kept = standing(fake)
    assert sorted(kept) == ["infra", "web"] and all(len(v) == 1 for v in kept.values()), kept
    for issue in sprint_issues(fake):
        if issue["state_reason"] == "duplicate":
            # Closed as the duplicate of the older issue of its team, with a comment that links it.
            team = read_marker(issue["body"])[1]["team"]
            assert issue["state"] == "closed" and issue["number"] > kept[team][0]
            notes = [c["body"] for c in fake.comments(REPO, issue["number"])]
            assert any(f"Duplicate of #{kept[team][0]}" in n for n in notes), notes

    # A run afterwards finds what stands and changes nothing.
    fake.clear_requests()
    assert run_together(fake, [["--now", NOW, "sprint", "open"]], seed=seed) == [0]
    assert fake.writes == []
