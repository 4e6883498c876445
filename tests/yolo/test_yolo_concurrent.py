"""Overlapping `yolo check` runs on one merged pull request leave one comment, one follow-up issue
and the label a single run would leave (issue 15): a `closed` delivery and its redelivery, a manual
`--pr N` run, and a post-merge review arriving while stale runs still write."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from concurrency import SEEDS, run_together
from fakegithub import FakeGitHub, NewFake

from gh_ops.cli import main
from gh_ops.markup import read_marker

pytestmark = pytest.mark.usefixtures("no_wall_clock")

REPO = "acme/shop"
BOT = "github-actions[bot]"
AUTHOR = "maya"
OPENED = datetime(2026, 11, 24, 9, tzinfo=UTC)
MERGED = OPENED + timedelta(hours=4)
NOW = "2026-11-24T16:00:00+00:00"
CONFIG = "timezone: UTC\nteams: {}\n"
FOLLOW_UP_CONFIG = CONFIG + "yolo:\n  follow_up_issue: true\n"


@pytest.fixture
def fake(new_fake: NewFake, sleeps: list[float]) -> FakeGitHub:
    # No yolo-merge label yet: the runs also race to create it.
    return new_fake(
        OPENED + timedelta(minutes=5),
        repos={REPO: {"collaborators": [AUTHOR, "alice", "bob"]}},
        labels={REPO: ["emergency"]},
    )


def merged_pull(fake: FakeGitHub, *, labels: tuple[str, ...] = (), by: str = "bob") -> int:
    number = fake.add_pull(
        REPO, title="Fix export", body="Fix it.", author=AUTHOR, created_at=OPENED, labels=labels
    )
    fake.merge_pull(REPO, number, by=by, at=MERGED, method="squash")
    return number


def ours(fake: FakeGitHub, number: int) -> list[dict[str, Any]]:
    return [
        c
        for c in fake.comments(REPO, number)
        if c["user"]["login"] == BOT and (read_marker(c["body"]) or ("",))[0] == "yolo"
    ]


def follow_ups(fake: FakeGitHub) -> list[dict[str, Any]]:
    return [
        i
        for i in fake.issues(REPO)
        if "pull_request" not in i and (read_marker(i["body"] or "") or ("",))[0] == "yolo-follow-up"
    ]


def labels(fake: FakeGitHub, number: int) -> set[str]:
    return {label["name"] for label in fake.pull(REPO, number)["labels"]}


def check(number: int) -> list[str]:
    return ["--now", NOW, "yolo", "check", "--pr", str(number)]


def assert_later_run_writes_nothing(fake: FakeGitHub, number: int, seed: int) -> None:
    fake.clear_requests()
    assert run_together(fake, [check(number)], seed=seed) == [0]
    assert fake.writes == []


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", [2, 3, 5])
def test_runs_started_together_leave_one_comment_and_the_label(
    fake: FakeGitHub, checkout: Callable[[str, str], Path], seed: int, runs: int
) -> None:
    checkout(CONFIG, REPO)
    number = merged_pull(fake)
    fake.add_comment(REPO, number, body="Merged in a hurry, sorry", author="bob")

    assert run_together(fake, [check(number)] * runs, seed=seed) == [0] * runs

    (comment,) = ours(fake, number)
    assert "@bob merged this pull request without a review" in comment["body"]
    assert labels(fake, number) == {"yolo-merge"}
    assert [c["body"] for c in fake.comments(REPO, number) if c["user"]["login"] == "bob"] == [
        "Merged in a hurry, sorry"
    ]
    assert follow_ups(fake) == []
    assert_later_run_writes_nothing(fake, number, seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", [2, 3, 5])
def test_runs_started_together_leave_one_follow_up_issue_that_the_comment_names(
    fake: FakeGitHub, checkout: Callable[[str, str], Path], seed: int, runs: int
) -> None:
    checkout(FOLLOW_UP_CONFIG, REPO)
    number = merged_pull(fake, labels=("emergency",))

    assert run_together(fake, [check(number)] * runs, seed=seed) == [0] * runs

    issues = follow_ups(fake)
    standing = [i for i in issues if i["state_reason"] != "duplicate"]
    assert len(standing) == 1, [(i["number"], i["state"], i["state_reason"]) for i in issues]
    kept = standing[0]
    assert kept["state"] == "open" and kept["number"] == min(i["number"] for i in issues)
    for issue in issues:
        if issue is not kept:
            assert issue["state"] == "closed"
            notes = [c["body"] for c in fake.comments(REPO, issue["number"])]
            assert any(f"Duplicate of #{kept['number']}" in n for n in notes), notes
    (comment,) = ours(fake, number)
    assert f"Follow-up: #{kept['number']}" in comment["body"]
    assert read_marker(comment["body"])[1]["issue"] == str(kept["number"])
    assert_later_run_writes_nothing(fake, number, seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", [2, 3, 5])
def test_a_review_arriving_while_stale_runs_write_clears_the_flag(
    fake: FakeGitHub, checkout: Callable[[str, str], Path], seed: int, runs: int
) -> None:
    """Stale runs read before the approval; the review's own run starts after it. Whatever lands
    last, the end state is the one a single run after the review leaves: no label, the comment says
    reviewed, the follow-up issue closed."""
    checkout(FOLLOW_UP_CONFIG, REPO)
    number = merged_pull(fake, labels=("emergency",))
    review_done = threading.Event()

    reviewed: list[object] = []

    def review_then_check() -> None:
        time.sleep(random.Random(seed).uniform(0, 0.02))
        with fake._lock:
            fake.add_review(
                REPO, number, author="alice", state="APPROVED", submitted_at=MERGED + timedelta(hours=1)
            )
        review_done.set()
        try:
            reviewed.append(main.main(args=check(number), prog_name="gh-ops", standalone_mode=False))
        except BaseException as exc:  # noqa: BLE001 - reported below
            reviewed.append(exc)

    reviewer = threading.Thread(target=review_then_check)
    reviewer.start()
    codes = run_together(fake, [check(number)] * (runs - 1), seed=seed) if runs > 1 else []
    reviewer.join(timeout=60)
    assert review_done.is_set() and reviewed in ([None], [0]) and codes == [0] * (runs - 1), reviewed

    assert "yolo-merge" not in labels(fake, number)
    (comment,) = ours(fake, number)
    assert "@alice approved it after the merge" in comment["body"], comment["body"]
    # No follow-up issue stays open; every one but the oldest says it is the oldest's duplicate. (A
    # run that saw the approval may close a twin as completed just after its opener closed it as a
    # duplicate: GitHub keeps the last reason given, so the reason alone does not tell twins apart.)
    issues = sorted(follow_ups(fake), key=lambda i: i["number"])
    assert all(i["state"] == "closed" for i in issues), [(i["number"], i["state"]) for i in issues]
    for twin in issues[1:]:
        notes = [c["body"] for c in fake.comments(REPO, twin["number"])]
        assert any(n.startswith(f"Duplicate of #{issues[0]['number']}") for n in notes), (
            twin["number"],
            notes,
        )
    assert_later_run_writes_nothing(fake, number, seed)


def test_the_read_after_creating_costs_what_the_readme_says() -> None:
    """2 points, as the pull request's own read: GitHub's rule (tests/fakegithub/cost.py)."""
    from fakegithub.cost import points

    from gh_ops.gql import with_rate_limit
    from gh_ops.yolo import queries as q

    variables = {"owner": "acme", "name": "shop", "number": 1, "label": "yolo-merge"}
    assert points(with_rate_limit(q.YOLO_SETTLE_QUERY + q.YOLO_PULL_FRAGMENT), variables) == 2
