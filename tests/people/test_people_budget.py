"""What finding a person's checklist costs in a people repository with 10,000 checklists (issue 12):
at most 2 reads of its issues, whatever it holds; GitHub's minimum is 1 (the person's checklists)
or 2 (plus the checklist a request links to, or the look for checklists made before the label).
A run that opens the checklist then reads the person's checklists once more (issue 15: a twin
another run opened at the same moment; GitHub has no unique key for issues, so that read after the
write is part of the minimum). benchmarks/people_requests.py prints the same figures; the README
quotes them."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fakegithub import FakeGitHub
from people_data import JOINER_FULL, LEAVER, PEOPLE, REQUESTS, checklists, offboard, onboard
from people_history import seed_checklists

pytestmark = pytest.mark.usefixtures("no_wall_clock")

ISSUES = f"/repos/{PEOPLE}/issues"
HISTORY = 10_000
LOOKUP_BUDGET = 2  # reads of the people repository's issues to find the checklist
SETTLE_BUDGET = 1  # reads of them after opening it, for a twin another run opened (gh_ops.converge)


def _issue_reads(fake: FakeGitHub, *, before_opening: bool) -> int:
    opened = next(
        (i for i, r in enumerate(fake.requests) if r.method == "POST" and r.path == ISSUES),
        len(fake.requests),
    )
    return sum(
        1
        for i, r in enumerate(fake.requests)
        if r.method == "GET" and r.path.startswith(ISSUES) and (i < opened) == before_opening
    )


def lookup_reads(fake: FakeGitHub) -> int:
    """The look: reads of the people repository's issues before the run opens a checklist."""
    return _issue_reads(fake, before_opening=True)


def settle_reads(fake: FakeGitHub) -> int:
    """Reads of them after it opened one: its siblings, read once (none when nothing was opened)."""
    return _issue_reads(fake, before_opening=False)


def ten_years(fake: FakeGitHub, *, labelled: bool = True, last: datetime | None = None) -> None:
    seed_checklists(
        fake,
        PEOPLE,
        HISTORY,
        first=datetime(2016, 11, 1, tzinfo=UTC),
        last=last or datetime(2026, 11, 1, tzinfo=UTC),
        labelled=labelled,
    )


def no_teams(fake: FakeGitHub) -> None:
    fake.on_graphql(
        "OrgTeamsOfMember",
        lambda q, v: {"organization": {"teams": {"nodes": [], "pageInfo": {"hasNextPage": False}}}},
    )


def test_options_first_run_and_repeat_among_10000_checklists(fake: FakeGitHub, workdir: Path) -> None:
    ten_years(fake)
    no_teams(fake)
    for run, args in (("onboarding", JOINER_FULL), ("offboarding", [*LEAVER, "--kind", "voluntary"])):
        command = onboard if run == "onboarding" else offboard
        fake.clear_requests()
        assert command(*args).exit_code == 0
        assert lookup_reads(fake) == 2  # the person's checklists (none), the look for unlabelled ones
        assert settle_reads(fake) == SETTLE_BUDGET  # the person's checklists, after opening theirs
        assert len(fake.writes) == 1

        fake.clear_requests()
        assert command(*args).exit_code == 0
        assert lookup_reads(fake) == 1 and settle_reads(fake) == 0 and fake.writes == []

    fake.clear_requests()  # a moved date: found in one read, updated in one write
    moved = [("2026-12-14" if a == "2026-12-07" else a) for a in JOINER_FULL]
    assert onboard(*moved).exit_code == 0
    assert lookup_reads(fake) == 1 and len(fake.writes) == 1


def test_the_form_among_10000_checklists(fake: FakeGitHub, event: Callable[..., dict[str, Any]]) -> None:
    ten_years(fake)
    request = event()["issue"]
    fake.clear_requests()
    assert onboard().exit_code == 0
    assert lookup_reads(fake) <= LOOKUP_BUDGET and settle_reads(fake) == SETTLE_BUDGET
    assert [r.path for r in fake.reads].count(f"/repos/{REQUESTS}/issues/{request['number']}/comments") == 1

    fake.clear_requests()  # the same event again
    assert onboard().exit_code == 0
    assert lookup_reads(fake) == 1 and fake.writes == []

    corrected = request["body"].replace("@newbie", "@newbie-real")
    event("issues.edited.new-joiner", body=corrected, number=request["number"], state="closed")
    fake.clear_requests()  # a corrected username: the person listing, then the linked checklist
    assert onboard().exit_code == 0
    assert lookup_reads(fake) == LOOKUP_BUDGET
    # The request, its comments; and the request again after updating the checklist from it, in
    # case it was edited meanwhile (issue 15: the latest answers must be the ones that stay).
    assert sum(1 for r in fake.reads if r.path.startswith(f"/repos/{REQUESTS}/issues/")) == 2 + 1


def test_unlabelled_checklists_cost_no_more_than_those_that_can_still_matter(
    fake: FakeGitHub, workdir: Path
) -> None:
    # 10,000 checklists made before the person label over ten years up to last week: the look for
    # them reads only those last changed within 400 days of the start date (about 1,300 here),
    # 100 a page, and stops at the first labelled checklist.
    ten_years(fake, labelled=False, last=datetime(2026, 11, 13, tzinfo=UTC))
    seed_checklists(
        fake, PEOPLE, 50, first=datetime(2026, 11, 14, tzinfo=UTC), last=datetime(2026, 11, 19, tzinfo=UTC)
    )
    window = sum(
        1
        for issue in fake.issues(PEOPLE)
        if datetime.fromisoformat(issue["updated_at"]) >= datetime(2025, 11, 2, tzinfo=UTC)
        and not any(label["name"].startswith("gh-ops:person-") for label in issue["labels"])
    )
    fake.clear_requests()

    assert onboard(*JOINER_FULL).exit_code == 0

    assert lookup_reads(fake) == 1 + math.ceil((window + 1) / 100) < HISTORY / 100
    assert settle_reads(fake) == SETTLE_BUDGET
    (mine,) = [i for i in checklists(fake, "onboarding") if "login=newbie " in i["body"]]

    fake.clear_requests()  # from then on, the label finds it in one read
    assert onboard(*JOINER_FULL).exit_code == 0
    assert lookup_reads(fake) == 1 and fake.writes == []
