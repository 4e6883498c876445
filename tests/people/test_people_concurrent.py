"""Overlapping `onboarding open` / `offboarding open` runs leave exactly one checklist per person and
exactly one answer on the request (issue 15): a schedule and a manual run, a laptop and the workflow,
two deliveries of the same request's event, started together against the fake with random delays."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from concurrency import SEEDS, run_together
from fakegithub import FakeGitHub
from people_data import JOINER_FULL, LEAVER, NOW, PEOPLE, REQUESTS, checklists

from gh_ops.people.rules import REQUEST_MARKER, linked_checklist

pytestmark = pytest.mark.usefixtures("no_wall_clock", "workdir")

RUNS = [2, 3, 5]
NOTE = "Please also order a standing desk."  # a person's comment on the request: it must stay


def onboarding(*args: str) -> list[str]:
    return ["--now", NOW, "onboarding", "open", *args]


def offboarding(*args: str) -> list[str]:
    return ["--now", NOW, "offboarding", "open", *args]


def no_teams(fake: FakeGitHub) -> None:
    fake.on_graphql(
        "OrgTeamsOfMember",
        lambda q, v: {"organization": {"teams": {"nodes": [], "pageInfo": {"hasNextPage": False}}}},
    )


def standing(fake: FakeGitHub, kind: str) -> list[dict[str, Any]]:
    """The person's checklists of this kind that were not closed as duplicates."""
    return [i for i in checklists(fake, kind) if i["state_reason"] != "duplicate"]


def assert_one_checklist(fake: FakeGitHub, kind: str) -> dict[str, Any]:
    kept = standing(fake, kind)
    assert len(kept) == 1, [(i["number"], i["state"], i["state_reason"]) for i in checklists(fake, kind)]
    (one,) = kept
    assert one["state"] == "open"
    for issue in checklists(fake, kind):
        if issue["number"] != one["number"]:
            # Closed as the duplicate of the older checklist, by the run that opened it, with a link.
            assert issue["state"] == "closed" and issue["number"] > one["number"]
            notes = [c["body"] for c in fake.comments(PEOPLE, issue["number"])]
            assert any(f"Duplicate of #{one['number']}" in n for n in notes), notes
    return one


def answers_on(fake: FakeGitHub, number: int) -> list[str]:
    """gh-ops' comments on the request (its marker; the bot's)."""
    return [c["body"] for c in fake.comments(REQUESTS, number) if c["body"].startswith(REQUEST_MARKER)]


def assert_nothing_more_to_do(fake: FakeGitHub, argv: list[str], seed: int) -> None:
    fake.clear_requests()
    assert run_together(fake, [argv], seed=seed) == [0]
    assert fake.writes == []


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", RUNS)
def test_onboarding_runs_started_together_leave_one_checklist(fake: FakeGitHub, seed: int, runs: int) -> None:
    argv = onboarding(*JOINER_FULL)
    assert run_together(fake, [argv] * runs, seed=seed) == [0] * runs

    assert_one_checklist(fake, "onboarding")
    assert_nothing_more_to_do(fake, argv, seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", RUNS)
def test_offboarding_runs_started_together_leave_one_checklist(
    fake: FakeGitHub, seed: int, runs: int
) -> None:
    no_teams(fake)
    argv = offboarding(*LEAVER, "--kind", "voluntary")
    assert run_together(fake, [argv] * runs, seed=seed) == [0] * runs

    assert_one_checklist(fake, "offboarding")
    assert_nothing_more_to_do(fake, argv, seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", RUNS)
@pytest.mark.parametrize("action", ["opened", "edited"])
def test_deliveries_of_one_request_leave_one_checklist_and_one_answer(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]], seed: int, runs: int, action: str
) -> None:
    # The same request's event delivered N times at once (a redelivery; or `edited` deliveries of a
    # request no run has answered yet): every run reads the request anew, so all see its answers.
    request = event()["issue"]
    if action == "edited":
        event("issues.edited.new-joiner", number=request["number"])
    fake.add_comment(REQUESTS, request["number"], body=NOTE, author="alice")
    body_before = fake.issue(REQUESTS, request["number"])["body"]

    assert run_together(fake, [onboarding()] * runs, seed=seed) == [0] * runs

    one = assert_one_checklist(fake, "onboarding")
    (answer,) = answers_on(fake, request["number"])
    assert linked_checklist(answer, "onboarding", PEOPLE) == one["number"]
    after = fake.issue(REQUESTS, request["number"])
    assert after["state"] == "closed" and after["body"] == body_before
    assert NOTE in [c["body"] for c in fake.comments(REQUESTS, request["number"])]
    assert_nothing_more_to_do(fake, onboarding(), seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", [2, 3])
def test_runs_with_different_dates_for_one_person_end_as_if_run_one_after_the_other(
    fake: FakeGitHub, seed: int, runs: int
) -> None:
    # Two people move the same joiner's start date by hand at once: no "later" answer exists, so
    # either order is right, but there is one checklist, drawn wholly from one run's answers.
    starts = ["2026-12-07", "2026-12-14", "2026-12-21"][:runs]
    argvs = [onboarding(*[start if a == "2026-12-07" else a for a in JOINER_FULL]) for start in starts]

    assert run_together(fake, argvs, seed=seed) == [0] * runs

    one = assert_one_checklist(fake, "onboarding")
    (start,) = [s for s in starts if f"date={s}" in one["body"]]
    assert_nothing_more_to_do(fake, argvs[starts.index(start)], seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", [2, 3])
def test_a_request_and_a_run_by_hand_for_the_same_person_leave_one_checklist(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]], seed: int, runs: int
) -> None:
    # The workflow answers the request while someone opens the same joiner's checklist by hand.
    request = event()["issue"]
    by_hand = onboarding(
        "--login", "newbie", "--name", "Nadia Newbie", "--team", "web", "--start", "2026-12-07"
    )
    argvs = [onboarding() if i % 2 == 0 else by_hand for i in range(runs)]

    assert run_together(fake, argvs, seed=seed) == [0] * runs

    one = assert_one_checklist(fake, "onboarding")
    (answer,) = answers_on(fake, request["number"])
    assert linked_checklist(answer, "onboarding", PEOPLE) == one["number"]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", [2, 3])
def test_deliveries_of_a_request_with_bad_answers_leave_one_comment(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]], seed: int, runs: int
) -> None:
    payload = event()
    number = payload["issue"]["number"]
    broken = payload["issue"]["body"].replace("2026-12-07", "someday")
    event("issues.edited.new-joiner", number=number, body=broken)

    codes = run_together(fake, [onboarding()] * runs, seed=seed)

    assert codes == [2] * runs
    assert checklists(fake, "onboarding") == []
    (comment,) = answers_on(fake, number)
    assert "Start date" in comment and "someday" in comment


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("answered", [True, False])
def test_a_run_that_read_the_request_before_a_later_edit_does_not_leave_the_older_answers(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]], seed: int, answered: bool
) -> None:
    # The requester moves the start date seconds after the last event (answered: after the request
    # was answered, twice in a row; else right after opening it). The run for the earlier event reads
    # the request before that edit, the run for the edit after it: whichever writes last, and whether
    # both open a checklist or update one, it ends drawn from the request's answers as they are now.
    request = event()["issue"]
    number = request["number"]
    old, new = "2026-12-07", "2026-12-21"
    if answered:
        assert run_together(fake, [onboarding()], seed=seed) == [0]
        old = "2026-12-14"
        event("issues.edited.new-joiner", number=number, body=request["body"].replace("2026-12-07", old))
    reads = iter(range(1000))

    def edit() -> None:
        if next(reads) == 1:  # just before the second run reads the request
            current = fake.issue(REQUESTS, number)["body"]
            fake.edit_issue(REQUESTS, number, by="Codertocat", body=current.replace(old, new))

    fake.before_next("GET", rf"^/repos/{REQUESTS}/issues/{number}$", edit, times=1000)

    assert run_together(fake, [onboarding(), onboarding()], seed=seed) == [0, 0]

    one = assert_one_checklist(fake, "onboarding")
    assert f"date={new}" in one["body"]
    (answer,) = answers_on(fake, number)
    assert linked_checklist(answer, "onboarding", PEOPLE) == one["number"]
    assert fake.issue(REQUESTS, number)["state"] == "closed"
    assert_nothing_more_to_do(fake, onboarding(), seed)
