"""Finding a person's checklist: by the label every checklist of theirs carries (a hash of the
login, never the login), the request's link when the person listing does not hold the request's
own, and, for checklists gh-ops versions before the label made, a listing that stops early.

End to end through the CLI and the fake GitHub (`fake`, `workdir` and `event` are conftest.py's).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from configfiles import ISSUE_EXAMPLE, validate_text
from fakegithub import FakeGitHub
from people_data import JOINER_FULL, NOW, PEOPLE, REQUESTS, checklists, identity, onboard, routes
from people_history import seed_checklists

from gh_ops.models import PERSON_LABEL_PREFIX
from gh_ops.people.rules import person_label

pytestmark = pytest.mark.usefixtures("no_wall_clock")

ISSUES = f"/repos/{PEOPLE}/issues"


def labels_of(issue: dict[str, Any]) -> list[str]:
    return [label["name"] for label in issue["labels"]]


def people_reads(fake: FakeGitHub) -> list[Any]:
    """The reads of the people repository's issues: the lookup (the repository itself is read for
    its visibility, which is not part of finding the checklist)."""
    return [r for r in fake.reads if r.method == "GET" and r.path.startswith(ISSUES)]


def own_checklists(fake: FakeGitHub, login_prefix: str) -> list[dict[str, Any]]:
    """The onboarding checklists whose marker names a login starting with `login_prefix`."""
    found = checklists(fake, "onboarding")
    return [i for i in found if identity(i["body"])[1]["login"].startswith(login_prefix)]


def starting(day: str) -> list[str]:
    return [day if a == "2026-12-07" else a for a in JOINER_FULL]


def unlabel(fake: FakeGitHub, number: int) -> None:
    """Make a checklist look like one a version before the person label made."""
    issue = fake.issue(PEOPLE, number)
    kept = [name for name in labels_of(issue) if not name.startswith(PERSON_LABEL_PREFIX)]
    fake.edit_issue(PEOPLE, number, labels=kept, at=datetime.fromisoformat(issue["updated_at"]))


# --- the label -----------------------------------------------------------------------------------------


def test_each_checklist_carries_its_persons_label_which_names_no_one(fake: FakeGitHub, workdir: Path) -> None:
    result = onboard(*JOINER_FULL)

    assert result.exit_code == 0, result.output
    (issue,) = checklists(fake, "onboarding")
    assert person_label("newbie") in labels_of(issue)
    assert person_label("NewBie") == person_label("newbie")  # logins are the same in any case
    assert person_label("newbie") != person_label("newbie2")
    assert not any("newbie" in label.lower() for label in labels_of(issue))
    # The hash stays out of the log too: it can be looked up from a list of logins.
    assert person_label("newbie") not in result.output


def test_a_repeat_run_finds_the_checklist_by_its_label_in_one_read(fake: FakeGitHub, workdir: Path) -> None:
    assert onboard(*JOINER_FULL).exit_code == 0
    fake.clear_requests()

    result = onboard(*JOINER_FULL)

    assert result.exit_code == 0, result.output
    assert fake.writes == []
    (listing,) = people_reads(fake)
    assert listing.query["labels"] == person_label("newbie") and listing.query["state"] == "all"


def test_a_label_that_looks_like_a_person_label_is_refused_in_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = ISSUE_EXAMPLE + "onboarding:\n  labels: [onboarding, gh-ops:person-123]\n"
    result = validate_text(tmp_path, monkeypatch, text)
    assert result.exit_code == 2, result.output
    assert "gh-ops:person-123" in result.output and "(onboarding.labels)" in result.output


# --- a corrected username, and the request's link ---------------------------------------------------------


def test_a_corrected_username_moves_the_person_label_and_reads_the_people_repository_twice(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    request = event()["issue"]
    assert onboard().exit_code == 0
    (issue,) = checklists(fake, "onboarding")
    corrected = request["body"].replace("@newbie", "@newbie-real")
    event("issues.edited.new-joiner", body=corrected, number=request["number"], state="closed")
    fake.clear_requests()

    result = onboard()

    assert result.exit_code == 0, result.output
    (after,) = checklists(fake, "onboarding")  # the same issue, found through the request's link
    assert after["number"] == issue["number"]
    assert person_label("newbie-real") in labels_of(after) and person_label("newbie") not in labels_of(after)
    assert "onboarding" in labels_of(after) and "team/web" in labels_of(after)
    # The person listing (the new username has none), then the checklist the link names; the
    # request's comments are read once, for the link and for editing it.
    assert [r.path for r in people_reads(fake)] == [ISSUES, f"{ISSUES}/{issue['number']}"]
    comments = f"/repos/{REQUESTS}/issues/{request['number']}/comments"
    assert [r.path for r in fake.reads].count(comments) == 1

    fake.clear_requests()  # the same event again: the new label finds it in one read
    assert onboard().exit_code == 0
    assert fake.writes == [] and len(people_reads(fake)) == 1


def test_a_request_answered_by_an_older_version_finds_its_checklist_through_the_link(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    request = event()["issue"]
    assert onboard().exit_code == 0
    (issue,) = checklists(fake, "onboarding")
    unlabel(fake, issue["number"])
    seed_checklists(  # a busy repository: the link, not a listing, finds it
        fake, PEOPLE, 300, first=datetime(2026, 1, 1, tzinfo=UTC), last=datetime(2026, 11, 1, tzinfo=UTC)
    )
    corrected = request["body"].replace("@newbie", "@newbie-real")
    event("issues.edited.new-joiner", body=corrected, number=request["number"], state="closed")
    fake.clear_requests()

    result = onboard()

    assert result.exit_code == 0, result.output
    (after,) = own_checklists(fake, "newbie")
    assert after["number"] == issue["number"]
    assert identity(after["body"])[1]["login"] == "newbie-real"
    assert [r.path for r in people_reads(fake)] == [ISSUES, f"{ISSUES}/{issue['number']}"]
    # It keeps its labels: labelling it would end the look for unlabelled ones too early.
    assert not any(name.startswith(PERSON_LABEL_PREFIX) for name in labels_of(after))


def test_a_request_someone_commented_on_reads_its_comments_once(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    request = event()["issue"]
    fake.add_comment(REQUESTS, request["number"], body="Welcome aboard!", author="alice")
    fake.clear_requests()

    result = onboard()

    assert result.exit_code == 0, result.output
    comments = f"/repos/{REQUESTS}/issues/{request['number']}/comments"
    # Once to find gh-ops' answer (none yet), once after posting it, for a twin another run posted.
    assert [r.path for r in fake.reads].count(comments) == 1 + 1
    assert len(fake.comments(REQUESTS, request["number"])) == 2  # the link was added


# --- checklists made before the person label --------------------------------------------------------------


def test_an_unlabelled_open_checklist_is_updated_not_opened_again(fake: FakeGitHub, workdir: Path) -> None:
    fake.clock.now = datetime(2026, 6, 1, 15, tzinfo=UTC)  # opened in June by an older version
    assert onboard(*JOINER_FULL, now="2026-06-01T15:00:00Z").exit_code == 0
    (issue,) = checklists(fake, "onboarding")
    unlabel(fake, issue["number"])
    fake.clock.now = datetime(2026, 11, 20, 15, tzinfo=UTC)
    seed_checklists(  # since then, 300 checklists with labels
        fake, PEOPLE, 300, first=datetime(2026, 6, 2, tzinfo=UTC), last=datetime(2026, 11, 1, tzinfo=UTC)
    )
    fake.clear_requests()

    result = onboard(*starting("2026-12-14"))

    assert result.exit_code == 0, result.output
    assert [i["number"] for i in own_checklists(fake, "newbie")] == [issue["number"]]
    assert identity(fake.issue(PEOPLE, issue["number"])["body"])[1]["date"] == "2026-12-14"
    assert routes(fake.writes) == [("PATCH", f"{ISSUES}/{issue['number']}")]
    # The person listing, then one page of the oldest issues changed since the window began: the
    # unlabelled checklist is the first of them, so the look stops there.
    person, unlabelled = people_reads(fake)
    assert unlabelled.query["direction"] == "asc" and unlabelled.query["since"] == "2025-11-09T00:00:00Z"


def test_an_unlabelled_closed_checklist_for_the_same_date_is_still_done(
    fake: FakeGitHub, workdir: Path
) -> None:
    assert onboard(*JOINER_FULL).exit_code == 0
    (issue,) = checklists(fake, "onboarding")
    fake.edit_issue(PEOPLE, issue["number"], by="alice", state="closed", state_reason="completed")
    unlabel(fake, issue["number"])
    fake.clear_requests()

    result = onboard(*JOINER_FULL)

    assert result.exit_code == 0, result.output
    assert "already up to date" in result.output and "(closed)" in result.output
    assert fake.writes == []


def test_unlabelled_checklists_too_old_to_matter_are_not_read(fake: FakeGitHub, workdir: Path) -> None:
    # 1,000 checklists from before the label, all last changed more than 400 days before the start
    # date, then 100 with it: a newcomer's first run reads one page of each listing.
    seed_checklists(
        fake,
        PEOPLE,
        1_000,
        first=datetime(2019, 1, 1, tzinfo=UTC),
        last=datetime(2025, 9, 1, tzinfo=UTC),
        labelled=False,
        prefix="old",
    )
    seed_checklists(
        fake, PEOPLE, 100, first=datetime(2025, 10, 1, tzinfo=UTC), last=datetime(2026, 11, 1, tzinfo=UTC)
    )
    fake.clear_requests()

    result = onboard(*JOINER_FULL)

    assert result.exit_code == 0, result.output
    assert len(people_reads(fake)) == 2 + 1  # and the person's checklists after opening theirs
    assert routes(fake.writes) == [("POST", ISSUES)]


def test_the_look_for_unlabelled_checklists_stops_at_the_first_labelled_one(
    fake: FakeGitHub, workdir: Path
) -> None:
    # 250 unlabelled checklists of other people still within the window, then 300 labelled ones:
    # three pages (the third ends at the first labelled checklist), not six.
    seed_checklists(
        fake,
        PEOPLE,
        250,
        first=datetime(2025, 12, 1, tzinfo=UTC),
        last=datetime(2026, 3, 1, tzinfo=UTC),
        labelled=False,
        prefix="old",
    )
    seed_checklists(
        fake, PEOPLE, 300, first=datetime(2026, 3, 2, tzinfo=UTC), last=datetime(2026, 11, 1, tzinfo=UTC)
    )
    fake.clear_requests()

    result = onboard(*JOINER_FULL)

    assert result.exit_code == 0, result.output
    assert len(people_reads(fake)) == 1 + 3 + 1  # + the person's checklists after opening theirs
    (new,) = own_checklists(fake, "newbie")
    assert identity(new["body"])[1] == {"login": "newbie", "date": "2026-12-07"}


def test_dry_run_says_which_checklist_it_found_without_writing(fake: FakeGitHub, workdir: Path) -> None:
    assert onboard(*JOINER_FULL).exit_code == 0
    (issue,) = checklists(fake, "onboarding")
    fake.clear_requests()

    from click.testing import CliRunner

    from gh_ops.cli import main

    result = CliRunner().invoke(
        main, ["--now", NOW, "--dry-run", "onboarding", "open", *starting("2026-12-14")]
    )

    assert result.exit_code == 0, result.output
    assert fake.writes == []
    assert f"would update #{issue['number']}" in result.output
