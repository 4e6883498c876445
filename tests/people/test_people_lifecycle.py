"""A checklist's life after it opens: rehires, corrected answers, moved dates, replayed and odd events.

End to end through the CLI, the GitHub boundary and the fake GitHub (`fake`, `workdir` and `event`
are fixtures in conftest.py). Every test checks what the fake holds afterwards and the exact writes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub
from people_data import (
    GITHUB_TEAMS,
    JOINER,
    JOINER_FULL,
    LEAVER,
    NOW,
    PEOPLE,
    PUBLIC,
    REQUESTS,
    assignees_of,
    checklists,
    identity,
    offboard,
    onboard,
    routes,
)

from gh_ops.cli import main
from gh_ops.markup import read_marker
from gh_ops.people.rules import KEPT_HEADING, KEPT_MARKER

pytestmark = pytest.mark.usefixtures("no_wall_clock")

# The same repositories as conftest's `fake` (people.repo is PEOPLE in `workdir`'s config).


# The new-joiner form as GitHub renders it, with three answers to fix.
BAD_JOINER_BODY = (
    "### GitHub username\n\n@newbie\n\n### Full name\n\n_No response_\n\n### Team\n\nmobile\n\n"
    "### Role\n\nengineering\n\n### Start date\n\nnext Monday\n\n### Buddy\n\n@bob\n\n"
    "### Manager\n\n_No response_"
)
BAD_QUESTIONS = ('"Full name"', '"Team"', '"Start date"')


# --- helpers ------------------------------------------------------------------------------------------


def marker_of(body: str) -> dict[str, str]:
    mark = read_marker(body)
    assert mark is not None, body[:200]
    return mark[1]


def starting(args: list[str], day: str) -> list[str]:
    """The same joiner options with another start date."""
    return [day if a == "2026-12-07" else a for a in args]


def mentions(body: str, login: str) -> list[str]:
    """Every @-mention of exactly this login (not of a longer one such as login-real)."""
    return re.findall(rf"(?<![\w`])@{re.escape(login)}(?![\w-])", body)


_TASK = re.compile(r"^\s*[-*] \[( |x)\] (.*)$")
_BOLD_DAY = re.compile(r"\*\*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2}\*\*")


def tasks(body: str) -> list[tuple[bool, str]]:
    return [(m.group(1) == "x", m.group(2)) for m in map(_TASK.match, body.splitlines()) if m]


def step_key(text: str) -> str:
    return _BOLD_DAY.sub("", text).strip()


def ticked(body: str) -> list[str]:
    return [text for done, text in tasks(body) if done]


def kept_section(body: str) -> list[str]:
    """The lines gh-ops kept under its "Kept from before the dates moved" heading."""
    assert body.count(KEPT_HEADING) == 1, body
    after = body.split(KEPT_HEADING, 1)[1]
    return [line for line in after.splitlines() if line.strip() and line.strip() != KEPT_MARKER]


def org_teams(teams: list[dict[str, str]], *, more: bool = False) -> Callable:
    def handler(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        return {"organization": {"teams": {"nodes": teams, "pageInfo": {"hasNextPage": more}}}}

    return handler


def only_write(fake: FakeGitHub) -> Any:
    (write,) = fake.writes
    return write


# --- 1. rehires ------------------------------------------------------------------------------------------


def test_a_rehire_after_the_closed_checklist_gets_a_new_issue(fake: FakeGitHub, workdir: Path) -> None:
    assert onboard(*JOINER_FULL).exit_code == 0
    (first,) = checklists(fake, "onboarding")
    fake.edit_issue(PEOPLE, first["number"], by="alice", state="closed", state_reason="completed")
    closed = fake.issue(PEOPLE, first["number"])
    fake.clear_requests()

    result = onboard(*starting(JOINER_FULL, "2027-09-06"))  # back a year later

    assert result.exit_code == 0, result.output
    old, new = checklists(fake, "onboarding")
    assert fake.issue(PEOPLE, first["number"]) == closed  # body, title, state: untouched
    assert old["state"] == "closed" and old["body"] == first["body"]
    assert new["number"] != first["number"] and new["state"] == "open"
    assert identity(new["body"]) == ("onboarding", {"login": "newbie", "date": "2027-09-06"})
    assert routes(fake.writes) == [("POST", f"/repos/{PEOPLE}/issues")]


def test_a_closed_checklist_for_the_same_date_is_done_and_nothing_is_written(
    fake: FakeGitHub, workdir: Path
) -> None:
    assert onboard(*JOINER_FULL).exit_code == 0
    (first,) = checklists(fake, "onboarding")
    fake.edit_issue(PEOPLE, first["number"], by="alice", state="closed", state_reason="completed")
    before = fake.issues(PEOPLE)
    fake.clear_requests()

    result = onboard(*JOINER_FULL)

    assert result.exit_code == 0, result.output
    assert "already up to date" in result.output and f"#{first['number']} (closed)" in result.output
    assert fake.writes == []
    assert fake.issues(PEOPLE) == before


# --- 2. the checklist belongs to its request ------------------------------------------------------------


def test_a_username_corrected_on_the_closed_request_updates_the_same_checklist(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    request = event()["issue"]
    number = request["number"]
    assert onboard().exit_code == 0
    (issue,) = checklists(fake, "onboarding")
    comments = fake.comments(REQUESTS, number)
    fake.clear_requests()

    corrected = request["body"].replace("@newbie", "@newbie-real")
    event("issues.edited.new-joiner", body=corrected, number=number, state="closed")
    result = onboard()

    assert result.exit_code == 0, result.output
    (after,) = checklists(fake, "onboarding")  # no second issue
    assert after["number"] == issue["number"]
    assert identity(after["body"]) == ("onboarding", {"login": "newbie-real", "date": "2026-12-07"})
    assert marker_of(after["body"])["request"] == f"{REQUESTS}#{number}"
    assert mentions(after["body"], "newbie-real")
    assert fake.issue(REQUESTS, number)["state"] == "closed"
    # The one link comment, edited in place, now names the corrected username, not the old one.
    ((link_before,), (link,)) = comments, fake.comments(REQUESTS, number)
    assert link["id"] == link_before["id"]
    assert mentions(link["body"], "newbie-real") and mentions(link["body"], "newbie") == []
    assert f"{PEOPLE}#{issue['number']}" in link["body"]
    assert routes(fake.writes) == [
        ("PATCH", f"/repos/{REQUESTS}/issues/comments/{link['id']}"),
        ("PATCH", f"/repos/{PEOPLE}/issues/{issue['number']}"),
    ]

    # The same edit again: nothing to write, and the comments are not even read.
    fake.clear_requests()
    assert onboard().exit_code == 0
    assert fake.writes == []
    assert (("GET", f"/repos/{REQUESTS}/issues/{number}/comments")) not in routes(fake.reads)


def test_a_corrected_leaver_username_is_named_in_the_link_without_a_mention(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    fake.on_graphql("OrgTeamsOfMember", org_teams([]))
    request = event("issues.opened.leaver")["issue"]
    number = request["number"]
    assert offboard().exit_code == 0
    corrected = request["body"].replace("@leaver", "@leaver-real")
    event("issues.opened.leaver", body=corrected, number=number, state="closed", action="edited")

    result = offboard()

    assert result.exit_code == 0, result.output
    (link,) = fake.comments(REQUESTS, number)
    assert "`leaver-real`" in link["body"] and "`leaver`" not in link["body"]
    assert mentions(link["body"], "leaver-real") == []


def test_a_link_update_that_fails_is_finished_by_a_re_run(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    request = event()["issue"]
    number = request["number"]
    assert onboard().exit_code == 0
    (issue,) = checklists(fake, "onboarding")
    corrected = request["body"].replace("@newbie", "@newbie-real")
    event("issues.edited.new-joiner", body=corrected, number=number, state="closed")
    fake.server_error("PATCH", rf"/repos/{REQUESTS}/issues/comments/\d+$", times=5)

    failed = onboard()

    assert failed.exit_code == 3, failed.output
    assert "Not done: name newbie-real in the link on request" in failed.output
    assert identity(fake.issue(PEOPLE, issue["number"])["body"])[1]["login"] == "newbie"  # not yet
    assert onboard().exit_code == 0
    (link,) = fake.comments(REQUESTS, number)
    assert mentions(link["body"], "newbie-real")
    assert identity(fake.issue(PEOPLE, issue["number"])["body"])[1]["login"] == "newbie-real"


def test_a_corrected_username_leaves_no_trace_of_the_wrong_one(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    # The old username was gh-ops' own text (the "Joining" row), not something people wrote: it must
    # not survive as a mention of the wrong account, nor as a line "kept from before".
    request = event()["issue"]
    assert onboard().exit_code == 0
    corrected = request["body"].replace("@newbie", "@newbie-real")
    event("issues.edited.new-joiner", body=corrected, number=request["number"], state="closed")

    assert onboard().exit_code == 0

    (after,) = checklists(fake, "onboarding")
    assert mentions(after["body"], "newbie") == [], after["body"]
    assert KEPT_HEADING not in after["body"]


# --- 3. any answer re-renders ---------------------------------------------------------------------------


def test_a_buddy_named_later_is_assigned_and_written_in(fake: FakeGitHub, workdir: Path) -> None:
    assert onboard(*JOINER).exit_code == 0  # no buddy, no manager yet
    (issue,) = checklists(fake, "onboarding")
    assert assignees_of(issue) == [] and not mentions(issue["body"], "dave")
    fake.clear_requests()

    result = onboard(*JOINER, "--buddy", "dave")

    assert result.exit_code == 0, result.output
    write = only_write(fake)
    assert (write.method, write.path) == ("PATCH", f"/repos/{PEOPLE}/issues/{issue['number']}")
    assert write.json["assignees"] == ["dave"]
    assert mentions(write.json["body"], "dave")
    (after,) = checklists(fake, "onboarding")
    assert after["number"] == issue["number"]
    assert assignees_of(after) == ["dave"] and after["body"] == write.json["body"]

    # Nothing changed since: nothing is written.
    fake.clear_requests()
    result = onboard(*JOINER, "--buddy", "dave")
    assert result.exit_code == 0, result.output
    assert fake.writes == [] and "already up to date" in result.output


def test_a_buddy_named_later_does_not_keep_the_old_to_be_decided_text(
    fake: FakeGitHub, workdir: Path
) -> None:
    # "Buddy: to be decided" was gh-ops' text for the old answers, not a note someone added.
    assert onboard(*JOINER).exit_code == 0
    fake.clear_requests()
    assert onboard(*JOINER, "--buddy", "dave").exit_code == 0
    body = only_write(fake).json["body"]
    assert KEPT_HEADING not in body, body


# --- 4. moving the date keeps people's work -------------------------------------------------------------

NOTE = "Note from People: Nadia asked for a Linux laptop."
OWN_TASK = "- [ ] Order a standing desk"


def people_worked_on(fake: FakeGitHub, issue: dict) -> list[str]:
    """Tick two steps, add a note and a task of their own, as people do in the web UI."""
    lines = issue["body"].splitlines()
    steps = [i for i, line in enumerate(lines) if line.startswith("- [ ] ")]
    done = []
    for i in (steps[0], steps[5]):
        lines[i] = lines[i].replace("- [ ]", "- [x]", 1)
        done.append(step_key(lines[i][len("- [x] ") :]))
    lines.insert(steps[6], NOTE)
    lines.insert(steps[3] + 1, OWN_TASK)
    fake.edit_issue(PEOPLE, issue["number"], by="alice", body="\n".join(lines) + "\n")
    return done


def test_moving_the_date_carries_ticks_and_keeps_what_people_added(fake: FakeGitHub, workdir: Path) -> None:
    assert onboard(*JOINER_FULL).exit_code == 0
    (issue,) = checklists(fake, "onboarding")
    done = people_worked_on(fake, issue)
    fake.clear_requests()

    result = onboard(*starting(JOINER_FULL, "2026-12-14"))

    assert result.exit_code == 0, result.output
    write = only_write(fake)
    assert (write.method, write.path) == ("PATCH", f"/repos/{PEOPLE}/issues/{issue['number']}")
    body = write.json["body"]
    assert identity(body) == ("onboarding", {"login": "newbie", "date": "2026-12-14"})
    assert [step_key(t) for t in ticked(body)] == done  # the same steps, ticked, with their new dates
    assert all(t not in ticked(issue["body"]) for t in ticked(body))  # and the dates did move
    assert kept_section(body) == [OWN_TASK, NOTE]  # in the order they were in
    assert body.count(NOTE) == 1 and body.count(OWN_TASK) == 1
    assert "2 ticked step(s) carried over" in result.output

    # Moved again: the section is carried, not doubled.
    fake.clear_requests()
    result = onboard(*starting(JOINER_FULL, "2026-12-21"))
    assert result.exit_code == 0, result.output
    again = only_write(fake).json["body"]
    assert identity(again) == ("onboarding", {"login": "newbie", "date": "2026-12-21"})
    assert [step_key(t) for t in ticked(again)] == done
    assert kept_section(again) == [OWN_TASK, NOTE]
    assert again.count(KEPT_MARKER) == 1 and again.count(NOTE) == 1 and again.count(OWN_TASK) == 1
    assert checklists(fake, "onboarding")[0]["body"] == again


def test_moving_the_date_moves_gh_ops_own_title(fake: FakeGitHub, workdir: Path) -> None:
    assert onboard(*JOINER_FULL).exit_code == 0
    (issue,) = checklists(fake, "onboarding")
    assert "7 Dec 2026" in issue["title"]
    fake.clear_requests()

    assert onboard(*starting(JOINER_FULL, "2026-12-14")).exit_code == 0

    title = only_write(fake).json["title"]
    assert "14 Dec 2026" in title and "7 Dec" not in title
    assert checklists(fake, "onboarding")[0]["title"] == title


def test_moving_the_date_keeps_a_title_someone_edited(fake: FakeGitHub, workdir: Path) -> None:
    assert onboard(*JOINER_FULL).exit_code == 0
    (issue,) = checklists(fake, "onboarding")
    fake.edit_issue(PEOPLE, issue["number"], by="alice", title="Nadia joins web (laptop on order)")
    fake.clear_requests()

    assert onboard(*starting(JOINER_FULL, "2026-12-14")).exit_code == 0

    write = only_write(fake)
    assert "title" not in write.json
    (after,) = checklists(fake, "onboarding")
    assert after["title"] == "Nadia joins web (laptop on order)"
    assert identity(after["body"])[1]["date"] == "2026-12-14"


# --- 5. the request as it is now, not as the event remembers it ----------------------------------------


def test_an_old_event_for_a_request_edited_since_uses_the_current_answers(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    request = event()["issue"]  # the payload says 2026-12-07
    number = request["number"]
    fake.edit_issue(
        REQUESTS, number, by="Codertocat", body=request["body"].replace("2026-12-07", "2026-12-14")
    )
    fake.clear_requests()

    result = onboard()  # the opened event, delivered (or re-run) after the edit

    assert result.exit_code == 0, result.output
    (issue,) = checklists(fake, "onboarding")
    assert identity(issue["body"]) == ("onboarding", {"login": "newbie", "date": "2026-12-14"})
    assert routes(fake.reads).count(("GET", f"/repos/{REQUESTS}/issues/{number}")) == 1


def test_replaying_an_old_event_does_not_bring_back_the_old_date(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    request = event()["issue"]
    number = request["number"]
    opened_event = os.environ["GITHUB_EVENT_PATH"]
    assert onboard().exit_code == 0
    moved = request["body"].replace("2026-12-07", "2026-12-14")
    event("issues.edited.new-joiner", body=moved, number=number, state="closed")
    assert onboard().exit_code == 0
    (issue,) = checklists(fake, "onboarding")
    assert identity(issue["body"])[1]["date"] == "2026-12-14"
    fake.clear_requests()

    monkeypatch.setenv("GITHUB_EVENT_PATH", opened_event)  # someone re-runs the first workflow run
    result = onboard()

    assert result.exit_code == 0, result.output
    assert checklists(fake, "onboarding") == [issue]  # still 2026-12-14, same body
    assert fake.writes == []
    assert routes(fake.reads).count(("GET", f"/repos/{REQUESTS}/issues/{number}")) == 1


# --- 6-8. requests there is nothing (or nothing sensible) to do for ------------------------------------


def test_a_request_closed_as_not_planned_is_left_alone_when_edited(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    number = event()["issue"]["number"]
    fake.edit_issue(REQUESTS, number, by="alice", state="closed", state_reason="not_planned")
    event("issues.edited.new-joiner", number=number, state="closed")
    fake.clear_requests()

    result = onboard()

    assert result.exit_code == 0, result.output
    assert "not planned" in result.output
    assert fake.writes == []
    assert routes(fake.reads) == [("GET", f"/repos/{REQUESTS}/issues/{number}")]
    assert checklists(fake, "onboarding") == []
    assert fake.comments(REQUESTS, number) == []


def test_the_time_is_read_only_once_there_is_a_checklist_to_write(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    # A --now in the future is refused only by a run that would write with it: an event that is not
    # a request, or answers that need fixing, are reported as they are.
    event(action="assigned")
    assert onboard(now="2150-01-01").exit_code == 0
    bad = onboard(
        "--login", "nadia", "--name", "Nadia", "--team", "nope", "--start", "2026-13-45", now="2150-01-01"
    )
    assert bad.exit_code == 2 and "answer(s) need fixing" in bad.output and "--now" not in bad.output
    future = onboard(*JOINER_FULL, now="2150-01-01")
    assert future.exit_code == 2 and "is in the future" in future.output


@pytest.mark.parametrize("action", ["closed", "deleted", "assigned", "unlabeled", "transferred"])
def test_other_issue_events_are_nothing_to_do(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]], action: str
) -> None:
    event(action=action)
    fake.clear_requests()
    result = onboard()
    assert result.exit_code == 0, result.output
    assert "nothing to do" in result.output
    assert fake.requests == []
    assert checklists(fake, "onboarding") == []


@pytest.mark.parametrize("open_", [onboard, offboard], ids=["onboarding", "offboarding"])
def test_a_request_with_both_form_labels_is_refused(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]], open_: Callable[..., Result]
) -> None:
    event(labels=["new-joiner", "leaver"])
    fake.clear_requests()
    result = open_()
    assert result.exit_code == 2, result.output
    assert "'new-joiner'" in result.output and "'leaver'" in result.output
    assert fake.requests == []
    assert checklists(fake, "onboarding") == [] and checklists(fake, "offboarding") == []


# --- 9-10. bad answers ----------------------------------------------------------------------------------


def test_bad_answers_after_the_request_was_answered_do_not_replace_the_link(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    number = event()["issue"]["number"]
    assert onboard().exit_code == 0
    (issue,) = checklists(fake, "onboarding")
    (link,) = fake.comments(REQUESTS, number)
    fake.clear_requests()

    event("issues.edited.new-joiner", body=BAD_JOINER_BODY, number=number, state="closed")
    result = onboard()

    assert result.exit_code == 2, result.output
    for question in BAD_QUESTIONS:
        assert question in result.output
    assert fake.comments(REQUESTS, number) == [link]
    assert fake.writes == []
    assert checklists(fake, "onboarding") == [issue]

    # Someone reopens the request: the link still stays (the run fails with the problems instead).
    fake.edit_issue(REQUESTS, number, by="alice", state="open")
    event("issues.edited.new-joiner", body=BAD_JOINER_BODY, number=number, action="reopened")
    fake.clear_requests()
    result = onboard()
    assert result.exit_code == 2, result.output
    assert fake.comments(REQUESTS, number) == [link]
    assert fake.writes == []


def test_a_failed_bad_answers_comment_still_reports_the_bad_answers(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    number = event(body=BAD_JOINER_BODY)["issue"]["number"]
    fake.server_error("POST", rf"/repos/{REQUESTS}/issues/{number}/comments$", times=5)

    result = onboard()

    assert result.exit_code == 2, result.output  # the input error, not the GitHub failure
    for question in BAD_QUESTIONS:
        assert question in result.output
    assert f"could not comment on {REQUESTS}#{number}" in result.output
    assert fake.comments(REQUESTS, number) == []
    assert checklists(fake, "onboarding") == []


def test_a_failed_update_of_the_bad_answers_comment_still_reports_the_bad_answers(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]], sleeps: list[float]
) -> None:
    number = event(body=BAD_JOINER_BODY)["issue"]["number"]
    assert onboard().exit_code == 2
    (comment,) = fake.comments(REQUESTS, number)
    partly = BAD_JOINER_BODY.replace("_No response_\n\n### Team\n\nmobile", "Nadia Newbie\n\n### Team\n\nweb")
    event("issues.edited.new-joiner", body=partly, number=number)
    fake.server_error("PATCH", rf"/repos/{REQUESTS}/issues/comments/{comment['id']}$", times=5)

    result = onboard()

    assert result.exit_code == 2, result.output
    assert '"Start date"' in result.output
    assert f"could not comment on {REQUESTS}#{number}" in result.output
    assert fake.comments(REQUESTS, number) == [comment]
    assert fake.pending_failures == 0  # a PATCH is retried until the tries run out


# --- 11. leavers ----------------------------------------------------------------------------------------


def test_a_leaver_is_never_at_mentioned(fake: FakeGitHub, event: Callable[..., dict[str, Any]]) -> None:
    fake.on_graphql("OrgTeamsOfMember", org_teams(GITHUB_TEAMS))
    number = event("issues.opened.leaver")["issue"]["number"]

    result = offboard()

    assert result.exit_code == 0, result.output
    (issue,) = checklists(fake, "offboarding")
    (comment,) = fake.comments(REQUESTS, number)
    assert "`leaver`" in comment["body"] and mentions(comment["body"], "leaver") == []
    assert f"{PEOPLE}#{issue['number']}" in comment["body"]
    assert mentions(issue["body"], "leaver") == [] and "@leaver" not in issue["title"]
    assert "`leaver`" in issue["body"]
    assert mentions(issue["body"], "carol")  # the manager is mentioned as usual


def test_a_leaver_request_in_a_public_repository_is_warned_about(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    fake.on_graphql("OrgTeamsOfMember", org_teams([]))
    payload = event("issues.opened.leaver", repo=PUBLIC)
    number = payload["issue"]["number"]
    assert payload["repository"]["private"] is False

    result = offboard()

    assert result.exit_code == 0, result.output
    assert f"the leaver request {PUBLIC}#{number} is in a public repository" in result.output
    assert len(checklists(fake, "offboarding")) == 1  # in the private people repository
    assert checklists(fake, "offboarding", PUBLIC) == []
    (comment,) = fake.comments(PUBLIC, number)
    assert mentions(comment["body"], "leaver") == [] and "Leo Leaver" not in comment["body"]


# --- 12-13. where the checklist goes ------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["not a repo/../x", "acme/..", "acme/people/x", "people"])
def test_repo_option_is_checked_on_the_form_path_before_any_request(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]], bad: str
) -> None:
    event()
    fake.clear_requests()
    result = onboard("--repo", bad)
    assert result.exit_code == 2, result.output
    assert "OWNER/NAME" in result.output and repr(bad) in result.output
    assert fake.requests == []


def test_a_people_repo_that_does_not_exist_is_a_config_error(
    fake: FakeGitHub, workdir: Path, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = (workdir / ".github/gh-ops.yml").read_text().replace(f"repo: {PEOPLE}", "repo: acme/nope")
    (workdir / ".github/gh-ops.yml").write_text(config)
    line = config.splitlines().index("  repo: acme/nope") + 1
    monkeypatch.setenv("GITHUB_ACTIONS", "true")  # so the error is also an annotation on the config line

    result = onboard(*JOINER)

    assert result.exit_code == 2, result.output
    assert "people.repo acme/nope does not exist" in result.output
    assert f"file=.github/gh-ops.yml,line={line}" in result.output
    assert routes(fake.requests) == [("GET", "/repos/acme/nope")]  # a 404 is not retried
    assert sleeps == []
    assert fake.writes == []


def test_a_people_repo_that_does_not_exist_on_the_form_path(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]], workdir: Path
) -> None:
    config = (workdir / ".github/gh-ops.yml").read_text().replace(f"repo: {PEOPLE}", "repo: acme/nope")
    (workdir / ".github/gh-ops.yml").write_text(config)
    number = event()["issue"]["number"]
    fake.clear_requests()

    result = onboard()

    assert result.exit_code == 2, result.output
    assert "people.repo acme/nope" in result.output
    assert routes(fake.requests) == [
        ("GET", f"/repos/{REQUESTS}/issues/{number}"),
        ("GET", "/repos/acme/nope"),
    ]
    assert fake.issue(REQUESTS, number)["state"] == "open"


# --- 14. the leaver's GitHub teams ----------------------------------------------------------------------


def test_offboarding_when_the_owner_is_a_user_account(fake: FakeGitHub, workdir: Path) -> None:
    fake.on_graphql(
        "OrgTeamsOfMember",
        lambda q, v: {
            "data": {"organization": None},
            "errors": [
                {
                    "type": "NOT_FOUND",
                    "path": ["organization"],
                    "locations": [{"line": 2, "column": 3}],
                    "message": "Could not resolve to an Organization with the login of 'acme'.",
                }
            ],
        },
    )

    result = offboard(*LEAVER, "--kind", "voluntary")

    assert result.exit_code == 0, result.output
    assert "acme is a user account" in result.output
    assert "read:org" not in result.output  # not the missing-permission advice
    (issue,) = checklists(fake, "offboarding")
    assert all(team["name"] not in issue["body"] for team in GITHUB_TEAMS)
    # Whichever says the owner is a user account (here the teams query) wins: no organization step.
    assert "Remove from the GitHub organization" not in issue["body"]
    assert routes(fake.writes) == [("POST", f"/repos/{PEOPLE}/issues")]


def test_offboarding_warns_when_only_the_first_hundred_teams_are_listed(
    fake: FakeGitHub, workdir: Path
) -> None:
    fake.on_graphql("OrgTeamsOfMember", org_teams(GITHUB_TEAMS, more=True))

    result = offboard(*LEAVER, "--kind", "voluntary")

    assert result.exit_code == 0, result.output
    assert "more than 100 teams" in result.output and "first 100" in result.output
    (issue,) = checklists(fake, "offboarding")
    assert all(team["name"] in issue["body"] for team in GITHUB_TEAMS)


# --- 15-16. dry run and cost from the form ---------------------------------------------------------------


def test_dry_run_from_the_form_writes_nothing_and_lists_each_planned_write(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    number = event()["issue"]["number"]
    fake.clear_requests()

    result = CliRunner().invoke(main, ["--now", NOW, "--dry-run", "onboarding", "open"])

    assert result.exit_code == 0, result.output
    assert fake.writes == []
    assert fake.issues(PEOPLE) == [] and fake.comments(REQUESTS, number) == []
    assert fake.issue(REQUESTS, number)["state"] == "open"
    assert "dry run: 3 write(s) not sent:" in result.output
    planned = [
        line.split("  (")[0].strip() for line in result.output.splitlines() if re.match(r"  [A-Z]+ /", line)
    ]
    assert planned == [
        f"POST /repos/{PEOPLE}/issues",
        f"POST /repos/{REQUESTS}/issues/{number}/comments",
        f"PATCH /repos/{REQUESTS}/issues/{number}",
    ]
    assert '{"state": "closed", "state_reason": "completed"}' in result.output


def test_the_cost_of_a_form_event_and_of_the_same_event_again(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    number = event()["issue"]["number"]
    request_path = f"/repos/{REQUESTS}/issues/{number}"
    fake.clear_requests()

    result = onboard()

    assert result.exit_code == 0, result.output
    # The person's labelled checklists, then the one read that finds none made before checklists
    # were labelled; the request has no comment yet (GitHub counts them), so none are read before
    # the answer. After each of its two creations, one read of its siblings (gh_ops.converge: the
    # person's checklists again, the request's comments), in case another run made the same.
    assert routes(fake.reads) == [
        ("GET", request_path),
        ("GET", f"/repos/{PEOPLE}"),
        ("GET", f"/repos/{PEOPLE}/issues"),
        ("GET", f"/repos/{PEOPLE}/issues"),
        ("GET", "/user"),
        ("GET", f"/repos/{PEOPLE}/issues"),
        ("GET", f"{request_path}/comments"),
    ]
    assert routes(fake.writes) == [
        ("POST", f"/repos/{PEOPLE}/issues"),
        ("POST", f"{request_path}/comments"),
        ("PATCH", request_path),
    ]
    assert "GitHub requests: 7 read(s), 3 write(s)" in result.output

    fake.clear_requests()
    result = onboard()
    assert result.exit_code == 0, result.output
    assert fake.writes == []
    assert routes(fake.reads) == [
        ("GET", request_path),
        ("GET", f"/repos/{PEOPLE}"),
        ("GET", f"/repos/{PEOPLE}/issues"),
    ]


def test_the_cost_when_the_checklists_go_in_the_private_request_repository(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]], workdir: Path
) -> None:
    config = (workdir / ".github/gh-ops.yml").read_text().replace(f"people:\n  repo: {PEOPLE}\n", "")
    (workdir / ".github/gh-ops.yml").write_text(config)
    number = event()["issue"]["number"]
    request_path = f"/repos/{REQUESTS}/issues/{number}"
    fake.clear_requests()

    result = onboard()

    assert result.exit_code == 0, result.output
    assert len(checklists(fake, "onboarding", REQUESTS)) == 1
    assert routes(fake.reads) == [  # the event says the repository is private: no read for that
        ("GET", request_path),
        ("GET", f"/repos/{REQUESTS}/issues"),
        ("GET", f"/repos/{REQUESTS}/issues"),
        ("GET", "/user"),
        ("GET", f"/repos/{REQUESTS}/issues"),  # the siblings of the checklist it opened
        ("GET", f"{request_path}/comments"),  # and of its answer
    ]
    assert routes(fake.writes) == [
        ("POST", f"/repos/{REQUESTS}/issues"),
        ("POST", f"{request_path}/comments"),
        ("PATCH", request_path),
    ]

    fake.clear_requests()
    assert onboard().exit_code == 0
    assert fake.writes == []
    assert routes(fake.reads) == [("GET", request_path), ("GET", f"/repos/{REQUESTS}/issues")]
