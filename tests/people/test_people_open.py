"""`gh-ops onboarding open` / `offboarding open` end to end: the CLI, the GitHub boundary and a fake GitHub.

Written against the spec, not the default templates' wording: the checks on the bodies are the
person's name, the dates of the steps (all weekdays), the team's timezone, the role's own section,
the leaver's GitHub teams and the exit interview of a voluntary departure.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, NewFake, load_payload
from people_data import (
    BASE_CONFIG,
    BOT,
    CONFIG,
    GITHUB_TEAMS,
    JOINER,
    JOINER_FULL,
    LEAVER,
    NOW,
    PEOPLE,
    PUBLIC,
    REQUESTS,
    STAFF,
    assignees_of,
    checklists,
    identity,
    offboard,
    onboard,
    routes,
)

from gh_ops import dates
from gh_ops.cli import main
from gh_ops.markup import read_marker
from gh_ops.models import PERSON_LABEL_PREFIX
from gh_ops.people.rules import REQUEST_MARKER

pytestmark = pytest.mark.usefixtures("no_wall_clock")


# `fake`, `workdir` and `event` are fixtures in conftest.py (shared with test_people_lifecycle.py).


def labels_of(issue: dict) -> list[str]:
    """The issue's labels but gh-ops' person label (test_people_lookup.py covers that one)."""
    return [label["name"] for label in issue["labels"] if not label["name"].startswith(PERSON_LABEL_PREFIX)]


def headings(body: str) -> set[str]:
    return {line.strip() for line in body.splitlines() if line.startswith("#")}


_TASK = re.compile(r"^\s*[-*] \[( |x)\] (.*)$")
_BOLD_DAY = re.compile(
    r"\*\*(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\*\*"
)
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def tasks(body: str) -> list[tuple[bool, str]]:
    return [(m.group(1) == "x", m.group(2)) for m in map(_TASK.match, body.splitlines()) if m]


def step_dates(body: str, around: date) -> list[date]:
    """Every bold `**Ddd D Mon**` step date, resolved to the year (within one of `around`) whose
    weekday matches what is written; a date whose weekday fits no such year fails."""
    found = []
    for weekday, day, month in _BOLD_DAY.findall(body):
        candidates = []
        for year in (around.year - 1, around.year, around.year + 1):
            try:
                candidates.append(date(year, _MONTHS.index(month) + 1, int(day)))
            except ValueError:  # 29 Feb outside a leap year
                continue
        matching = [d for d in candidates if d.strftime("%a") == weekday and abs(d - around).days < 366]
        assert len(matching) == 1, f"**{weekday} {day} {month}** is not a real date near {around}"
        found.append(matching[0])
    return found


def assert_all_weekdays(body: str, around: date) -> list[date]:
    days = step_dates(body, around)
    assert len(days) >= 10, "expected the checklist steps to carry bold dates"
    weekend = sorted({d for d in days if not dates.is_workday(d)})
    assert weekend == [], f"steps dated on a weekend: {weekend}"
    return days


def step_key(text: str) -> str:
    return _BOLD_DAY.sub("", text).strip()


def starting_on(day: str) -> list[str]:
    """The joiner's options with another start date."""
    return [day if a == "2026-12-07" else a for a in JOINER_FULL]


# --- onboarding from options --------------------------------------------------------------------------


def test_onboarding_opens_one_dated_issue_in_the_private_people_repo(fake: FakeGitHub, workdir: Path) -> None:
    result = onboard(*JOINER_FULL)

    assert result.exit_code == 0, result.output
    assert fake.issues(PUBLIC) == []  # not the repository the workflow runs in
    (issue,) = checklists(fake, "onboarding")
    assert identity(issue["body"]) == ("onboarding", {"login": "newbie", "date": "2026-12-07"})
    assert issue["user"]["login"] == BOT
    assert "Nadia Newbie" in issue["title"]
    assert "Nadia Newbie" in issue["body"] and "@newbie" in issue["body"]
    assert labels_of(issue) == ["onboarding", "team/web"]  # the kind's labels, then the team's
    assert assignees_of(issue) == ["bob", "carol"]  # buddy and manager
    # Every step is dated from the start date, before and after it, and never on a weekend.
    days = assert_all_weekdays(issue["body"], date(2026, 12, 7))
    assert date(2026, 12, 7) in days
    assert min(days) < date(2026, 12, 7) < max(days)
    assert max(days) > date(2027, 2, 1)  # the 30/60/90-day follow-ups cross the year
    # Dates are the team's: web is in New York.
    assert "America/New_York" in issue["body"]
    assert f"opened #{issue['number']}" in result.output
    # Cost: the repository's visibility, the person's labelled checklists and the look for
    # unlabelled ones (two listings), who the token is (before the first write), one write, then
    # the person's checklists again, for a twin another run opened at the same moment (converge).
    assert routes(fake.reads) == [
        ("GET", f"/repos/{PEOPLE}"),
        ("GET", f"/repos/{PEOPLE}/issues"),
        ("GET", f"/repos/{PEOPLE}/issues"),
        ("GET", "/user"),
        ("GET", f"/repos/{PEOPLE}/issues"),
    ]
    assert routes(fake.writes) == [("POST", f"/repos/{PEOPLE}/issues")]
    assert "GitHub requests: 5 read(s), 1 write(s)" in result.output


def test_a_rerun_opens_nothing_and_writes_nothing(fake: FakeGitHub, workdir: Path) -> None:
    assert onboard(*JOINER_FULL).exit_code == 0
    before = fake.issues(PEOPLE)
    fake.clear_requests()

    result = onboard(*JOINER_FULL, now="2026-11-21T08:00:00Z")

    assert result.exit_code == 0, result.output
    assert fake.issues(PEOPLE) == before
    assert fake.writes == []
    assert len(fake.reads) == 2
    assert "already up to date" in result.output
    assert "GitHub requests: 2 read(s), 0 write(s)" in result.output


def test_the_same_person_in_another_spelling_is_the_same_issue(fake: FakeGitHub, workdir: Path) -> None:
    assert onboard(*JOINER_FULL).exit_code == 0
    again = [a if a != "newbie" else "@NewBie" for a in JOINER_FULL]
    assert onboard(*again).exit_code == 0
    assert len(checklists(fake, "onboarding")) == 1


def test_a_weekend_start_date_still_dates_every_step_on_a_weekday(fake: FakeGitHub, workdir: Path) -> None:
    args = [a if a != "2026-12-07" else "2026-12-05" for a in JOINER]  # a Saturday
    result = onboard(*args)
    assert result.exit_code == 0, result.output
    (issue,) = checklists(fake, "onboarding")
    assert read_marker(issue["body"])[1]["date"] == "2026-12-05"
    days = assert_all_weekdays(issue["body"], date(2026, 12, 5))
    assert date(2026, 12, 7) in days  # day one is the Monday after


def test_dates_are_given_in_the_teams_timezone(fake: FakeGitHub, workdir: Path) -> None:
    # infra has no timezone of its own: the config's Europe/London. The team is found by its name.
    args = ["--login", "ivy", "--name", "Ivy Infra", "--team", "Team Infra", "--start", "2026-12-07"]
    assert onboard(*args).exit_code == 0
    assert onboard(*JOINER).exit_code == 0
    bodies = {read_marker(i["body"])[1]["login"]: i["body"] for i in checklists(fake, "onboarding")}
    assert "Europe/London" in bodies["ivy"] and "America/New_York" not in bodies["ivy"]
    assert "America/New_York" in bodies["newbie"] and "Europe/London" not in bodies["newbie"]


def test_every_role_gets_its_own_section(fake: FakeGitHub, workdir: Path) -> None:
    roles = ["engineering", "product", "design", "ops", "other"]
    for n, role in enumerate(roles):
        args = ["--login", f"joiner{n}", "--name", f"Joiner {n}", "--team", "web", "--start", "2026-12-07"]
        result = onboard(*args, "--role", role)
        assert result.exit_code == 0, result.output
    bodies = {
        roles[int(read_marker(i["body"])[1]["login"][-1])]: i["body"] for i in checklists(fake, "onboarding")
    }
    assert set(bodies) == set(roles)
    for role, body in bodies.items():
        others = set().union(*(headings(b) for r, b in bodies.items() if r != role))
        own = headings(body) - others
        assert own, f"the {role} issue has no section of its own"
        if role != "other":
            # product -> product management material, ops -> ops, ...
            assert any(role in h.lower() for h in own), (role, own)
        assert_all_weekdays(body, date(2026, 12, 7))
    # The product manager's material is only in the product issue.
    assert "product manager" in bodies["product"].lower()
    assert all("product manager" not in b.lower() for r, b in bodies.items() if r != "product")


def test_without_a_buddy_or_manager_nobody_but_config_assignees_is_assigned(
    fake: FakeGitHub, workdir: Path
) -> None:
    (workdir / ".github/gh-ops.yml").write_text(
        CONFIG + "onboarding:\n  labels: [onboarding, people]\n  assignees: [erin]\n"
    )
    result = onboard(*JOINER)
    assert result.exit_code == 0, result.output
    (issue,) = checklists(fake, "onboarding")
    assert assignees_of(issue) == ["erin"]
    assert labels_of(issue) == ["onboarding", "people", "team/web"]


def test_a_person_is_never_assigned_their_own_checklist(fake: FakeGitHub, workdir: Path) -> None:
    # The config assigns bob to every onboarding issue; bob's own is the exception. (As their own
    # buddy or manager, they are refused: see test_a_joiner_cannot_be_their_own_buddy_or_manager.)
    (workdir / ".github/gh-ops.yml").write_text(CONFIG + "onboarding:\n  assignees: [bob]\n")
    result = onboard("--login", "bob", "--name", "Bob", "--team", "web", "--start", "2026-12-07")
    assert result.exit_code == 0, result.output
    (issue,) = checklists(fake, "onboarding")
    assert assignees_of(issue) == []


def test_bad_options_list_every_problem_by_flag_before_any_request(fake: FakeGitHub, workdir: Path) -> None:
    result = onboard("--login", "not a login", "--team", "mobile", "--start", "soon")
    assert result.exit_code == 2, result.output
    for flag in ("--login", "--name", "--team", "--start"):
        assert f"{flag}: " in result.output, flag
    assert "Traceback" not in result.output
    assert fake.requests == []


# --- a changed date ------------------------------------------------------------------------------------


def test_a_changed_start_date_moves_the_dates_and_keeps_the_ticked_boxes(
    fake: FakeGitHub, workdir: Path
) -> None:
    assert onboard(*JOINER_FULL).exit_code == 0
    (issue,) = checklists(fake, "onboarding")
    # Someone ticks the first two steps in the web UI.
    lines = issue["body"].splitlines(keepends=True)
    ticked_steps = []
    for i, line in enumerate(lines):
        if line.startswith("- [ ] ") and len(ticked_steps) < 2:
            lines[i] = line.replace("- [ ] ", "- [x] ", 1)
            ticked_steps.append(step_key(line[6:]))
    fake.edit_issue(PEOPLE, issue["number"], by="carol", body="".join(lines))
    fake.clear_requests()

    moved = [a if a != "2026-12-07" else "2026-12-14" for a in JOINER_FULL]
    result = onboard(*moved)

    assert result.exit_code == 0, result.output
    (after,) = checklists(fake, "onboarding")
    assert after["number"] == issue["number"]
    assert identity(after["body"]) == ("onboarding", {"login": "newbie", "date": "2026-12-14"})
    assert after["title"] != issue["title"]  # the title carries the start date
    # A week later, so every step moves by exactly a week.
    days = assert_all_weekdays(after["body"], date(2026, 12, 14))
    assert days == [d + timedelta(days=7) for d in step_dates(issue["body"], date(2026, 12, 7))]
    done = [step_key(text) for ticked, text in tasks(after["body"]) if ticked]
    assert done == ticked_steps  # the same steps, re-dated, and nothing else ticked
    assert routes(fake.writes) == [("PATCH", f"/repos/{PEOPLE}/issues/{issue['number']}")]
    assert "2 ticked step(s) carried over" in result.output
    # And moving it again to the same date is a no-op.
    fake.clear_requests()
    assert onboard(*moved).exit_code == 0
    assert fake.writes == []


# --- offboarding -----------------------------------------------------------------------------------------


def org_teams(seen: list[dict[str, Any]], teams: list[dict[str, str]] = GITHUB_TEAMS) -> Callable:
    def handler(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        seen.append(variables)
        return {"organization": {"teams": {"nodes": teams}}}

    return handler


def test_offboarding_lists_the_leavers_github_teams_as_access_to_remove(
    fake: FakeGitHub, workdir: Path
) -> None:
    seen: list[dict[str, Any]] = []
    fake.on_graphql("OrgTeamsOfMember", org_teams(seen))

    result = offboard(*LEAVER, "--kind", "voluntary")

    assert result.exit_code == 0, result.output
    assert seen == [{"org": "acme", "login": "leaver"}]
    (issue,) = checklists(fake, "offboarding")
    assert identity(issue["body"]) == ("offboarding", {"login": "leaver", "date": "2026-12-18"})
    assert "Leo Leaver" in issue["title"] and "Leo Leaver" in issue["body"]
    assert labels_of(issue) == ["offboarding"]
    assert assignees_of(issue) == ["carol"]
    steps = [text for _, text in tasks(issue["body"])]
    for team in GITHUB_TEAMS:
        assert any(team["name"] in s for s in steps), f"no checklist item removes {team['name']}"
    assert any(ORG_STEP in s and "acme" in s for s in steps)  # acme is an organization
    # The configured systems (the defaults here) are listed as well.
    assert any("Password manager" in s for s in steps)
    days = assert_all_weekdays(issue["body"], date(2026, 12, 18))
    assert max(days) == date(2026, 12, 18) and min(days) < date(2026, 12, 18)
    assert "exit interview" in issue["body"].lower()
    # Cost: visibility, two listings, the teams query (a read), who the token is, one write, the
    # person's checklists after it (for a twin).
    assert routes(fake.reads) == [
        ("GET", f"/repos/{PEOPLE}"),
        ("GET", f"/repos/{PEOPLE}/issues"),
        ("GET", f"/repos/{PEOPLE}/issues"),
        ("POST", "/graphql"),
        ("GET", "/user"),
        ("GET", f"/repos/{PEOPLE}/issues"),
    ]
    assert routes(fake.writes) == [("POST", f"/repos/{PEOPLE}/issues")]


ORG_STEP = "Remove from the GitHub organization"


def test_a_people_repository_of_a_personal_account_has_no_organization_to_leave(
    fake: FakeGitHub, workdir: Path
) -> None:
    fake.add_repo("lena/people", private=True, collaborators=STAFF)  # lena is a user, not an org
    fake.clear_requests()

    result = offboard(*LEAVER, "--kind", "voluntary", "--repo", "lena/people")

    assert result.exit_code == 0, result.output
    (issue,) = checklists(fake, "offboarding", "lena/people")
    steps = [text for _, text in tasks(issue["body"])]
    for organization_only in (ORG_STEP, "Remove from team", "No team memberships were found"):
        assert organization_only not in issue["body"]
    assert any("collaborator" in s and "lena" in s for s in steps)
    assert "lena is a user account" in result.output
    # The repository read says who owns it: no teams query is sent for a personal account.
    assert routes(fake.reads) == [
        ("GET", "/repos/lena/people"),
        ("GET", "/repos/lena/people/issues"),
        ("GET", "/repos/lena/people/issues"),
        ("GET", "/user"),
        ("GET", "/repos/lena/people/issues"),  # after opening it: a twin another run opened?
    ]


def test_a_leaver_form_in_a_personal_accounts_repository_has_no_organization_to_leave(
    fake: FakeGitHub, workdir: Path, event: Callable[..., dict[str, Any]]
) -> None:
    # No people.repo: the checklist goes in the private request repository, which the payload says
    # belongs to the user Codertocat.
    (workdir / ".github/gh-ops.yml").write_text(BASE_CONFIG)
    event("issues.opened.leaver")
    fake.clear_requests()

    result = offboard()

    assert result.exit_code == 0, result.output
    (issue,) = checklists(fake, "offboarding", REQUESTS)
    assert ORG_STEP not in issue["body"]
    assert ("POST", "/graphql") not in routes(fake.reads)


def test_an_involuntary_departure_has_no_exit_interview(fake: FakeGitHub, workdir: Path) -> None:
    fake.on_graphql("OrgTeamsOfMember", org_teams([]))
    result = offboard(*LEAVER, "--kind", "involuntary")
    assert result.exit_code == 0, result.output
    (issue,) = checklists(fake, "offboarding")
    assert "exit interview" not in issue["body"].lower()
    assert any(GITHUB_TEAMS[0]["name"] in text for _, text in tasks(issue["body"]))
    assert_all_weekdays(issue["body"], date(2026, 12, 18))


def test_a_weekend_last_day_dates_the_last_steps_on_the_friday_before(
    fake: FakeGitHub, workdir: Path
) -> None:
    fake.on_graphql("OrgTeamsOfMember", org_teams([]))
    args = [a if a != "2026-12-18" else "2026-12-20" for a in LEAVER]  # a Sunday
    assert offboard(*args, "--kind", "involuntary").exit_code == 0
    (issue,) = checklists(fake, "offboarding")
    days = assert_all_weekdays(issue["body"], date(2026, 12, 20))
    assert max(days) == date(2026, 12, 18)


def test_configured_access_items_replace_the_defaults(fake: FakeGitHub, workdir: Path) -> None:
    (workdir / ".github/gh-ops.yml").write_text(CONFIG + "offboarding:\n  access: [Figma, Linear]\n")
    fake.on_graphql("OrgTeamsOfMember", org_teams([], teams=[]))
    assert offboard(*LEAVER, "--kind", "voluntary").exit_code == 0
    (issue,) = checklists(fake, "offboarding")
    steps = [text for _, text in tasks(issue["body"])]
    assert any("Figma" in s for s in steps) and any("Linear" in s for s in steps)
    assert not any("Password manager" in s for s in steps)


def test_teams_that_cannot_be_read_are_a_warning_not_a_failure(fake: FakeGitHub, workdir: Path) -> None:
    fake.on_graphql(
        "OrgTeamsOfMember",
        lambda q, v: {"data": None, "errors": [{"type": "FORBIDDEN", "message": "Resource not accessible"}]},
    )
    result = offboard(*LEAVER, "--kind", "voluntary")
    assert result.exit_code == 0, result.output
    assert "could not read leaver's GitHub teams in acme" in result.output and "read:org" in result.output
    (issue,) = checklists(fake, "offboarding")
    assert all(t["name"] not in issue["body"] for t in GITHUB_TEAMS)


def test_an_offboarding_rerun_does_not_read_the_teams_again(fake: FakeGitHub, workdir: Path) -> None:
    seen: list[dict[str, Any]] = []
    fake.on_graphql("OrgTeamsOfMember", org_teams(seen))
    assert offboard(*LEAVER, "--kind", "voluntary").exit_code == 0
    fake.clear_requests()
    result = offboard(*LEAVER, "--kind", "voluntary")
    assert result.exit_code == 0, result.output
    assert fake.writes == [] and len(fake.reads) == 2 and len(seen) == 1


# --- privacy ----------------------------------------------------------------------------------------------


def test_offboarding_refuses_a_public_repository(fake: FakeGitHub, workdir: Path) -> None:
    fake.on_graphql("OrgTeamsOfMember", org_teams([]))
    result = offboard(*LEAVER, "--kind", "voluntary", "--repo", PUBLIC)
    assert result.exit_code == 2, result.output
    assert f"refusing to open an offboarding issue in {PUBLIC}: it is public" in result.output
    assert "--allow-public" in result.output
    assert fake.writes == [] and fake.issues(PUBLIC) == []
    assert "Traceback" not in result.output


def test_offboarding_in_a_public_repository_with_allow_public(fake: FakeGitHub, workdir: Path) -> None:
    fake.on_graphql("OrgTeamsOfMember", org_teams([]))
    result = offboard(*LEAVER, "--kind", "voluntary", "--repo", PUBLIC, "--allow-public")
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "public" in result.output
    assert len(checklists(fake, "offboarding", PUBLIC)) == 1


def test_onboarding_in_a_public_repository_warns_but_opens(fake: FakeGitHub, workdir: Path) -> None:
    result = onboard(*JOINER, "--repo", PUBLIC)
    assert result.exit_code == 0, result.output
    assert f"warning: {PUBLIC} is public" in result.output
    assert len(checklists(fake, "onboarding", PUBLIC)) == 1


def test_without_people_repo_a_public_current_repository_is_refused(fake: FakeGitHub, workdir: Path) -> None:
    (workdir / ".github/gh-ops.yml").write_text(BASE_CONFIG)
    result = onboard(*JOINER)
    assert result.exit_code == 2, result.output
    assert "people.repo" in result.output and f"{PUBLIC} is public" in result.output
    assert fake.writes == []
    assert routes(fake.reads) == [("GET", f"/repos/{PUBLIC}")]


def test_without_people_repo_a_private_current_repository_is_used(
    fake: FakeGitHub, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workdir / ".github/gh-ops.yml").write_text(BASE_CONFIG)
    monkeypatch.setenv("GITHUB_REPOSITORY", PEOPLE)
    result = onboard(*JOINER)
    assert result.exit_code == 0, result.output
    assert len(checklists(fake, "onboarding")) == 1
    assert "warning" not in result.output


# --- trust -------------------------------------------------------------------------------------------------


def test_a_token_whose_markers_are_not_trusted_does_not_open_a_duplicate_on_every_run(
    new_fake: NewFake, sleeps: list[float], workdir: Path
) -> None:
    # A personal token (acts as alice) while the config trusts only github-actions[bot]: each run
    # would look for the bot's issue, not find alice's, and open another one. The sprint command
    # refuses this before writing (GET /user); the people commands must not duplicate either.
    at = datetime(2026, 11, 20, 15, tzinfo=UTC)
    fake = new_fake(at, repos={PEOPLE: {"private": True, "collaborators": STAFF}}, actor="alice")
    first = onboard(*JOINER_FULL)
    second = onboard(*JOINER_FULL)
    assert len(checklists(fake, "onboarding")) <= 1, (first.output, second.output)


def test_a_marker_in_someone_elses_issue_is_not_taken_for_the_checklist(
    fake: FakeGitHub, workdir: Path
) -> None:
    fake.add_issue(
        PEOPLE,
        title="fake",
        author="mallory",
        body="<!-- gh-ops:onboarding login=newbie date=2026-12-07 -->\n",
    )
    result = onboard(*JOINER_FULL)
    assert result.exit_code == 0, result.output
    mine = [i for i in checklists(fake, "onboarding") if i["user"]["login"] == BOT]
    assert len(mine) == 1


# --- from the issue form (the issues event) ---------------------------------------------------------------


def bot_comments(fake: FakeGitHub, number: int) -> list[dict]:
    return [c for c in fake.comments(REQUESTS, number) if c["user"]["login"] == BOT]


def test_the_form_opens_the_checklist_links_it_and_closes_the_request(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    request = event()["issue"]
    fake.clear_requests()

    result = onboard()

    assert result.exit_code == 0, result.output
    (issue,) = checklists(fake, "onboarding")
    assert identity(issue["body"]) == ("onboarding", {"login": "newbie", "date": "2026-12-07"})
    assert "Nadia Newbie" in issue["body"] and f"{REQUESTS}#{request['number']}" in issue["body"]
    assert assignees_of(issue) == ["bob"]  # the buddy; the manager was left empty
    assert_all_weekdays(issue["body"], date(2026, 12, 7))
    (comment,) = fake.comments(REQUESTS, request["number"])
    assert comment["user"]["login"] == BOT
    assert f"{PEOPLE}#{issue['number']}" in comment["body"]
    closed = fake.issue(REQUESTS, request["number"])
    assert closed["state"] == "closed" and closed["state_reason"] == "completed"
    assert checklists(fake, "onboarding", REQUESTS) == []
    # Cost: the request as it is now, people repo visibility, the person's checklists and the
    # look for unlabelled ones, who the token is (the request has no comment to read yet);
    # checklist, the link comment, then closing the request. After each creation, one read of
    # what another run may have made at the same moment (gh_ops.converge).
    assert routes(fake.reads) == [
        ("GET", f"/repos/{REQUESTS}/issues/{request['number']}"),
        ("GET", f"/repos/{PEOPLE}"),
        ("GET", f"/repos/{PEOPLE}/issues"),
        ("GET", f"/repos/{PEOPLE}/issues"),
        ("GET", "/user"),
        ("GET", f"/repos/{PEOPLE}/issues"),
        ("GET", f"/repos/{REQUESTS}/issues/{request['number']}/comments"),
    ]
    assert routes(fake.writes) == [
        ("POST", f"/repos/{PEOPLE}/issues"),
        ("POST", f"/repos/{REQUESTS}/issues/{request['number']}/comments"),
        ("PATCH", f"/repos/{REQUESTS}/issues/{request['number']}"),
    ]


def test_the_same_event_twice_opens_nothing_new(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    request = event()["issue"]
    assert onboard().exit_code == 0
    issues_before = fake.issues(PEOPLE)
    comments_before = fake.comments(REQUESTS, request["number"])
    fake.clear_requests()

    result = onboard()  # the same payload again: GitHub redelivered it, or a re-run of the job

    assert result.exit_code == 0, result.output
    assert fake.issues(PEOPLE) == issues_before
    assert fake.comments(REQUESTS, request["number"]) == comments_before
    assert fake.issue(REQUESTS, request["number"])["state"] == "closed"
    # The payload still says the request is open, but gh-ops' comment records it was answered.
    assert routes(fake.writes) == []
    assert "already up to date" in result.output


def test_the_form_without_people_repo_uses_the_private_request_repository(
    fake: FakeGitHub, workdir: Path, event: Callable[..., dict[str, Any]]
) -> None:
    (workdir / ".github/gh-ops.yml").write_text(BASE_CONFIG)
    request = event()["issue"]
    fake.clear_requests()
    result = onboard()
    assert result.exit_code == 0, result.output
    (issue,) = checklists(fake, "onboarding", REQUESTS)
    assert issue["number"] != request["number"]
    assert f"{REQUESTS}#{issue['number']}" in fake.comments(REQUESTS, request["number"])[0]["body"]
    # The payload already says the repository is private: no read for it.
    assert ("GET", f"/repos/{REQUESTS}") not in routes(fake.reads)


BAD_JOINER_BODY = (
    "### GitHub username\n\n@newbie\n\n### Full name\n\n_No response_\n\n### Team\n\nmobile\n\n"
    "### Role\n\nengineering\n\n### Start date\n\nnext Monday\n\n### Buddy\n\n@bob\n\n"
    "### Manager\n\n_No response_"
)


def test_bad_answers_get_one_comment_that_is_kept_up_to_date_until_they_are_fixed(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    request = event(body=BAD_JOINER_BODY)["issue"]
    number = request["number"]

    result = onboard()

    assert result.exit_code == 2, result.output
    assert checklists(fake, "onboarding") == []
    (comment,) = fake.comments(REQUESTS, number)
    assert comment["user"]["login"] == BOT
    problem_lines = [line for line in comment["body"].splitlines() if line.startswith("- ")]
    assert len(problem_lines) == 3
    for question, wrong in (("Full name", "missing"), ("Team", "mobile"), ("Start date", "next Monday")):
        (line,) = [x for x in problem_lines if f'"{question}"' in x]
        assert wrong in line
    assert fake.issue(REQUESTS, number)["state"] == "open"
    for question in ('"Full name"', '"Team"', '"Start date"'):
        assert question in result.output

    # The requester fixes two answers but not the date: the same comment now names only the date.
    partly = BAD_JOINER_BODY.replace("_No response_\n\n### Team\n\nmobile", "Nadia Newbie\n\n### Team\n\nweb")
    event("issues.edited.new-joiner", body=partly, number=number)
    assert onboard().exit_code == 2
    (comment2,) = fake.comments(REQUESTS, number)
    assert comment2["id"] == comment["id"]
    assert [line for line in comment2["body"].splitlines() if line.startswith("- ")] == [
        line for line in comment2["body"].splitlines() if line.startswith('- "Start date"')
    ]
    assert len([line for line in comment2["body"].splitlines() if line.startswith("- ")]) == 1

    # The same edit delivered again changes nothing.
    fake.clear_requests()
    assert onboard().exit_code == 2
    assert fake.writes == []

    # Fixed: the checklist opens, the same comment now links it, and the request is closed.
    event("issues.edited.new-joiner", number=number)
    result = onboard()
    assert result.exit_code == 0, result.output
    (issue,) = checklists(fake, "onboarding")
    (comment3,) = fake.comments(REQUESTS, number)
    assert comment3["id"] == comment["id"]
    assert f"{PEOPLE}#{issue['number']}" in comment3["body"]
    assert "fix" not in comment3["body"].lower()
    assert fake.issue(REQUESTS, number)["state"] == "closed"


def problem_lines(fake: FakeGitHub, number: int) -> list[str]:
    """The "- question: problem" lines of gh-ops' one comment on a request."""
    (comment,) = bot_comments(fake, number)
    return [line for line in comment["body"].splitlines() if line.startswith("- ")]


@pytest.mark.parametrize(
    ("open_", "args", "flag", "day"),
    [
        (onboard, starting_on("2001-12-07"), "--start", "2001-12-07"),  # 25 years back: a typo
        (onboard, starting_on("2027-11-23"), "--start", "2027-11-23"),  # a year and three days ahead
        (
            offboard,
            [*LEAVER[:5], "2025-11-19", *LEAVER[6:], "--kind", "voluntary"],
            "--last-day",
            "2025-11-19",
        ),
    ],
    ids=["start-25-years-ago", "start-next-year", "last-day-a-year-ago"],
)
def test_a_date_more_than_a_year_from_today_is_refused_before_any_request(
    fake: FakeGitHub, workdir: Path, open_: Callable[..., Result], args: list[str], flag: str, day: str
) -> None:
    result = open_(*args)

    assert result.exit_code == 2, result.output
    assert f"{flag}: {day} is more than a year" in result.output
    assert "--allow-far-dates" in result.output and "Traceback" not in result.output
    assert fake.requests == []

    allowed = open_(*args, "--allow-far-dates")
    assert allowed.exit_code == 0, allowed.output
    (issue,) = checklists(fake, "onboarding" if flag == "--start" else "offboarding")
    assert identity(issue["body"])[1]["date"] == day


def test_a_date_up_to_a_year_away_either_side_is_accepted(fake: FakeGitHub, workdir: Path) -> None:
    # Today is 2026-11-20 (in the config's timezone): a backfill a year back and a start a year ahead.
    assert onboard(*starting_on("2025-11-20")).exit_code == 0
    assert onboard(*[a.replace("newbie", "newbie2") for a in starting_on("2027-11-20")]).exit_code == 0
    assert len(checklists(fake, "onboarding")) == 2


def test_a_far_date_in_the_form_is_named_in_the_comment_and_opens_nothing(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    body = load_payload("issues.opened.new-joiner")["issue"]["body"].replace("2026-12-07", "2001-12-07")
    number = event(body=body)["issue"]["number"]

    result = onboard()

    assert result.exit_code == 2, result.output
    assert checklists(fake, "onboarding") == []
    (line,) = problem_lines(fake, number)
    assert line.startswith('- "Start date": 2001-12-07 is more than a year before today')
    assert fake.issue(REQUESTS, number)["state"] == "open"

    # Whoever runs gh-ops confirms the date is right.
    fake.clear_requests()
    result = onboard("--allow-far-dates")
    assert result.exit_code == 0, result.output
    (issue,) = checklists(fake, "onboarding")
    assert identity(issue["body"])[1]["date"] == "2001-12-07"
    assert fake.issue(REQUESTS, number)["state"] == "closed"


def test_a_question_whose_heading_appears_twice_in_the_form_is_refused(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    # The requester typed "### Team" into the name answer: either team could be theirs.
    body = load_payload("issues.opened.new-joiner")["issue"]["body"].replace(
        "Nadia Newbie", "Nadia Newbie\n\n### Team\n\ninfra"
    )
    number = event(body=body)["issue"]["number"]

    result = onboard()

    assert result.exit_code == 2, result.output
    assert checklists(fake, "onboarding") == []
    (line,) = problem_lines(fake, number)
    assert line.startswith('- "Team": appears twice in the form')


HUGE = "x" * 300_000  # a 300 KB answer


def test_a_huge_answer_is_shortened_in_the_comment_and_the_log(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    # Every answer gh-ops repeats in a problem is 300 KB (the name is not repeated: it is too long).
    body = "".join(
        f"### {question}\n\n{HUGE}\n\n"
        for question in ("GitHub username", "Full name", "Team", "Role", "Start date", "Buddy", "Manager")
    )
    number = event(body=body)["issue"]["number"]

    result = onboard()

    assert result.exit_code == 2, result.output
    assert len(result.output) < 10_000, result.output[:500]
    assert result.output.count("(300,000 characters)") == 6
    lines = problem_lines(fake, number)
    assert len(lines) == 7 and sum("(300,000 characters)" in line for line in lines) == 6
    assert all(len(line) < 500 for line in lines)
    assert any('"Full name": is 300,000 characters long' in line for line in lines)
    (comment,) = bot_comments(fake, number)
    assert len(comment["body"]) < 5_000


def test_a_huge_option_is_shortened_in_the_message(fake: FakeGitHub, workdir: Path) -> None:
    result = onboard(*[HUGE if a == "web" else a for a in JOINER_FULL])
    assert result.exit_code == 2, result.output
    assert "--team: 'xxxx" in result.output and "(300,000 characters)" in result.output
    assert len(result.output) < 2_000


def test_the_bad_answers_comment_stays_within_githubs_body_limit_whatever_the_problems() -> None:
    from gh_ops.errors import Problem
    from gh_ops.models import BODY_LIMIT
    from gh_ops.people.rules import AnswersError
    from gh_ops.people.run import bad_answers_comment

    many = AnswersError([Problem("y" * 100_000, key=f'"Question {n}"') for n in range(100)])
    text = bad_answers_comment("onboarding", many)
    assert len(text) <= BODY_LIMIT
    assert "(100,000 characters)" in text and text.endswith("as soon as the issue is edited.")
    assert "more (see the run's log)" in text


def test_a_pasted_request_marker_in_someone_elses_comment_is_not_taken_for_gh_ops_comment(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    # Like issue markers, the request comment's marker is only gh-ops' own in a comment it wrote.
    number = event()["issue"]["number"]
    spoof = fake.add_comment(REQUESTS, number, body=f"{REQUEST_MARKER}\nmallory was here", author="mallory")
    result = onboard()
    assert result.exit_code == 0, result.output
    comments = {c["id"]: c for c in fake.comments(REQUESTS, number)}
    assert comments[spoof["id"]]["body"] == spoof["body"]  # a human's comment is never edited
    (mine,) = bot_comments(fake, number)
    (issue,) = checklists(fake, "onboarding")
    assert f"{PEOPLE}#{issue['number']}" in mine["body"]


def test_editing_the_closed_request_to_move_the_start_date_redates_the_checklist(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    request = event()["issue"]
    assert onboard().exit_code == 0
    (issue,) = checklists(fake, "onboarding")
    fake.clear_requests()

    moved = request["body"].replace("2026-12-07", "2026-12-14")
    event("issues.edited.new-joiner", body=moved, number=request["number"], state="closed")
    result = onboard()

    assert result.exit_code == 0, result.output
    (after,) = checklists(fake, "onboarding")
    assert after["number"] == issue["number"]
    assert read_marker(after["body"])[1]["date"] == "2026-12-14"
    assert len(fake.comments(REQUESTS, request["number"])) == 1
    assert fake.issue(REQUESTS, request["number"])["state"] == "closed"
    assert routes(fake.writes) == [("PATCH", f"/repos/{PEOPLE}/issues/{issue['number']}")]


def test_the_leaver_form_opens_the_offboarding_checklist(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    fake.on_graphql("OrgTeamsOfMember", org_teams([]))
    request = event("issues.opened.leaver")["issue"]
    result = offboard()
    assert result.exit_code == 0, result.output
    (issue,) = checklists(fake, "offboarding")
    assert identity(issue["body"]) == ("offboarding", {"login": "leaver", "date": "2026-12-18"})
    assert assignees_of(issue) == ["carol"]
    assert "exit interview" in issue["body"].lower()
    (comment,) = fake.comments(REQUESTS, request["number"])
    assert f"{PEOPLE}#{issue['number']}" in comment["body"]
    assert fake.issue(REQUESTS, request["number"])["state"] == "closed"


def test_an_issue_without_the_form_label_is_nothing_to_do(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    event("issues.opened")  # an ordinary bug report
    fake.clear_requests()
    result = onboard()
    assert result.exit_code == 0, result.output
    assert "nothing to do" in result.output
    assert fake.requests == []


def test_the_other_kinds_request_is_nothing_to_do(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    event("issues.opened.leaver")
    fake.clear_requests()
    result = onboard()
    assert result.exit_code == 0, result.output
    assert "nothing to do" in result.output and fake.requests == []


def test_a_pull_request_event_without_options_is_a_usage_error(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    event("pull_request.opened", name="pull_request")
    result = onboard()
    assert result.exit_code == 2, result.output
    assert "pull_request" in result.output and "issues" in result.output
    assert fake.requests == []


def test_no_event_and_no_options_is_a_usage_error(fake: FakeGitHub, workdir: Path) -> None:
    result = offboard()
    assert result.exit_code == 2, result.output
    assert "GITHUB_EVENT_PATH" in result.output
    assert fake.requests == []


# --- dry run ----------------------------------------------------------------------------------------------


def test_dry_run_writes_nothing_and_prints_the_planned_writes(fake: FakeGitHub, workdir: Path) -> None:
    result = CliRunner().invoke(main, ["--now", NOW, "--dry-run", "onboarding", "open", *JOINER_FULL])
    assert result.exit_code == 0, result.output
    assert fake.writes == [] and fake.issues(PEOPLE) == []
    assert "dry run: 1 write(s) not sent:" in result.output
    assert f"POST /repos/{PEOPLE}/issues" in result.output
    planned = [json.loads(line.strip()) for line in result.output.splitlines() if line.startswith("    {")]
    assert len(planned) == 1
    # gh-ops' person label is shown without its hash (a hash of a login can be looked up).
    assert planned[0]["labels"] == ["onboarding", "team/web", f"{PERSON_LABEL_PREFIX}…"]
    assert planned[0]["assignees"] == ["bob", "carol"]
    # The person's name and dates stay out of the (possibly public) log...
    assert "Nadia Newbie" not in result.output and "2026-12-07" not in result.output
    assert planned[0]["title"] == "<personal: shown with --verbose>"
    # ...unless asked for.
    verbose = CliRunner().invoke(main, ["--now", NOW, "--dry-run", "-v", "onboarding", "open", *JOINER_FULL])
    assert "Nadia Newbie" in verbose.output


def test_the_action_log_hides_a_persons_details() -> None:
    from gh_ops.action import shown_argv

    argv = [
        "--dry-run",
        "offboarding",
        "open",
        "--login",
        "leo",
        "--name",
        "Leo Leaver",
        "--kind",
        "involuntary",
    ]
    shown = " ".join(shown_argv(argv))
    assert "Leo" not in shown and "leo" not in shown and "involuntary" not in shown
    assert shown.startswith("--dry-run offboarding open --login … --name …")
    assert shown_argv(["sprint", "open", "--team", "web"]) == ["sprint", "open", "--team", "web"]


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (
            ["offboarding", "open", "--login=leaver1", "--name=Leo Leaver", "--kind=involuntary"],
            ["offboarding", "open", "--login=…", "--name=…", "--kind=…"],
        ),
        (  # a value that looks like an option is still a value
            ["onboarding", "open", "--name", "-Leo-", "--allow-public", "--start", "2026-12-07"],
            ["onboarding", "open", "--name", "…", "--allow-public", "--start", "…"],
        ),
        (
            ["--config", "c.yml", "preview", "offboarding", "--name=Leo", "--var", "person.name=Leo"],
            ["--config", "…", "preview", "offboarding", "--name=…", "--var", "…"],
        ),
    ],
)
def test_the_action_log_hides_every_value_whatever_its_spelling(argv: list[str], shown: list[str]) -> None:
    from gh_ops.action import shown_argv

    assert shown_argv(argv) == shown


def test_dry_run_from_the_form_plans_the_checklist_the_comment_and_the_close(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    number = event()["issue"]["number"]
    fake.clear_requests()
    result = CliRunner().invoke(main, ["--now", NOW, "--dry-run", "onboarding", "open"])
    assert result.exit_code == 0, result.output
    assert fake.writes == []
    assert "dry run: 3 write(s) not sent:" in result.output
    assert f"POST /repos/{PEOPLE}/issues" in result.output
    assert f"POST /repos/{REQUESTS}/issues/{number}/comments" in result.output
    assert f"PATCH /repos/{REQUESTS}/issues/{number}" in result.output


# --- preview and validate (offline) ----------------------------------------------------------------------


def preview(*args: str) -> Result:
    return CliRunner().invoke(main, ["--now", NOW, "preview", *args])


def test_preview_onboarding_with_options_needs_no_network(
    fake: FakeGitHub, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    result = preview("onboarding", *JOINER, "--role", "product", "--buddy", "bob")
    assert result.exit_code == 0, result.output
    assert fake.requests == []
    assert "title: " in result.output and "Nadia Newbie" in result.output
    assert "labels: onboarding" in result.output and "assignees: bob" in result.output
    assert "product manager" in result.output.lower()
    assert_all_weekdays(result.output, date(2026, 12, 7))


def test_preview_without_options_renders_a_sample_person(fake: FakeGitHub, workdir: Path) -> None:
    for kind in ("onboarding", "offboarding"):
        result = preview(kind)
        assert result.exit_code == 0, result.output
        assert "sample person" in result.output
        assert "title: " in result.output
    assert fake.requests == []


def test_preview_offboarding_with_options(fake: FakeGitHub, workdir: Path) -> None:
    result = preview("offboarding", *LEAVER, "--kind", "involuntary")
    assert result.exit_code == 0, result.output
    assert "Leo Leaver" in result.output and "exit interview" not in result.output.lower()
    assert "assignees: carol" in result.output
    assert fake.requests == []


def test_preview_declares_each_person_option_once(fake: FakeGitHub, workdir: Path) -> None:
    # --login, --name and --manager are both joiner and leaver options: declared twice, click warns
    # on every `gh-ops preview` (and with warnings as errors, preview is an internal error).
    help_text = CliRunner().invoke(main, ["preview", "--help"]).output
    for flag in ("--login", "--name", "--manager", "--team"):
        assert len(re.findall(rf"^\s+{flag} ", help_text, re.MULTILINE)) == 1, flag
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = preview("onboarding", *JOINER)
    assert result.exit_code == 0, result.output


def test_validate_renders_the_people_templates(fake: FakeGitHub, workdir: Path) -> None:
    result = CliRunner().invoke(main, ["--now", NOW, "validate"])
    assert result.exit_code == 0, result.output
    assert "onboarding: template onboarding.md rendered" in result.output
    assert "offboarding: template offboarding.md rendered" in result.output
    assert fake.requests == []


def test_validate_points_at_the_line_of_a_broken_onboarding_template(fake: FakeGitHub, workdir: Path) -> None:
    templates = workdir / ".github/gh-ops/templates"
    templates.mkdir(parents=True)
    (templates / "onboarding.md").write_text(
        "---\ntitle: Onboarding {{ person.name }}\n---\n"
        "Hello {{ person.name }}\n\n{{ person.favourite_colour }}\n"
    )
    result = CliRunner().invoke(main, ["--now", NOW, "validate"])
    assert result.exit_code == 2, result.output
    assert "onboarding.md:6" in result.output and "favourite_colour" in result.output
    assert "Traceback" not in result.output
    assert fake.requests == []


@pytest.mark.parametrize(
    ("name", "branch", "variable"),
    [
        # The mistake is only in the design branch: validate renders every role, so it is found.
        ("onboarding.md", "person.role == 'design'", "figma.url"),
        # Only in a personal account's repository: validate renders that owner too.
        ("offboarding.md", "not owner_is_org", "personal.account"),
    ],
    ids=["every role", "a personal account"],
)
def test_validate_renders_each_branch_of_a_user_template(
    fake: FakeGitHub, workdir: Path, name: str, branch: str, variable: str
) -> None:
    templates = workdir / ".github/gh-ops/templates"
    templates.mkdir(parents=True)
    (templates / name).write_text(
        "---\ntitle: Checklist {{ person.name }}\n---\n"
        f"{{% if {branch} %}}\n{{{{ {variable} }}}}\n{{% endif %}}\n"
    )
    result = CliRunner().invoke(main, ["--now", NOW, "validate"])
    assert result.exit_code == 2, result.output
    assert f"{name}:5" in result.output and variable.split(".")[0] in result.output


def test_the_default_offboarding_template_validates_and_previews_for_a_personal_account(
    fake: FakeGitHub, workdir: Path
) -> None:
    assert CliRunner().invoke(main, ["--now", NOW, "validate"]).exit_code == 0
    result = CliRunner().invoke(
        main,
        ["--now", NOW, "preview", "offboarding", *LEAVER, "--kind", "voluntary", "--var", "owner_is_org="],
    )
    assert result.exit_code == 0, result.output
    assert "collaborator" in result.output and ORG_STEP not in result.output


# --- a late failure is reported honestly -------------------------------------------------------------------


def test_a_failure_closing_the_request_exits_3_and_a_rerun_finishes(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]]
) -> None:
    number = event()["issue"]["number"]
    fake.fail_next("PATCH", rf"/repos/{REQUESTS}/issues/{number}$", status=503, times=5)
    result = onboard()
    assert result.exit_code == 3, result.output
    assert "Done before the failure: opened #" in result.output
    assert f"Not done: answer and close request #{number}" in result.output
    # The job is re-run: nothing is duplicated and the request is closed.
    result = onboard()
    assert result.exit_code == 0, result.output
    assert len(checklists(fake, "onboarding")) == 1
    assert len(fake.comments(REQUESTS, number)) == 1
    assert fake.issue(REQUESTS, number)["state"] == "closed"


def test_the_checklist_does_not_depend_on_the_day_gh_ops_runs(fake: FakeGitHub, workdir: Path) -> None:
    assert onboard(*JOINER_FULL, now="2026-11-01T00:00:00Z").exit_code == 0
    other = [a if a != "newbie" else "newbie2" for a in JOINER_FULL]
    assert onboard(*other, now="2026-12-06T23:30:00Z").exit_code == 0
    first, second = checklists(fake, "onboarding")

    # The same checklist for another login; the marker's answers fingerprint differs with the login.
    def without_marker(body: str) -> str:
        return body.split("\n", 1)[1]

    assert without_marker(first["body"]).replace("newbie", "newbie2") == without_marker(second["body"])


# --- dates across month ends and timezones; names as data; limits; GraphQL failures ---------------


def test_steps_cross_a_month_end_and_check_ins_skip_the_weekend(fake: FakeGitHub, workdir: Path) -> None:
    # Friday 29 January 2027: the first week runs into February; day 30 is Sunday 28 February.
    args = [a if a != "2026-12-07" else "2027-01-29" for a in JOINER]
    assert onboard(*args).exit_code == 0
    (issue,) = checklists(fake, "onboarding")
    days = assert_all_weekdays(issue["body"], date(2027, 1, 29))
    assert any(d.month == 2 and d < date(2027, 2, 8) for d in days)  # the first week crossed the month
    day_30 = next(line for line in issue["body"].splitlines() if "day 30:" in line)
    assert day_30.startswith("- [ ] **Mon 1 Mar**")  # 28 Feb is a Sunday: moved to the Monday


def test_today_is_the_teams_own_date(fake: FakeGitHub, workdir: Path) -> None:
    from gh_ops.config import parse_config
    from gh_ops.people import rules as people

    config = parse_config(CONFIG, "gh-ops.yml", base_dir=None)
    moment = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # 22:00 on the 19th in New York, 03:00 in London
    for team, expected in (("web", date(2026, 11, 19)), ("infra", date(2026, 11, 20))):
        person = people.Joiner("x", "X", team, "other", date(2026, 12, 7), None, None)
        context = people.build_context(
            kind="onboarding", person=person, config=config, repo=PEOPLE, now=moment, request=None
        )
        assert context["today"] == expected, team
        assert str(context["now"].tzinfo) == config.teams[team].timezone


def test_a_name_cannot_forge_a_marker_or_run_template_code(fake: FakeGitHub, workdir: Path) -> None:
    name = "Eve <!-- gh-ops:onboarding login=alice date=2026-12-07 --> {{ 7*7 }}"
    args = [a if a != "Nadia Newbie" else name for a in JOINER]
    assert onboard(*args).exit_code == 0
    (issue,) = checklists(fake, "onboarding")
    assert issue["body"].count("<!-- gh-ops:onboarding") == 1
    assert identity(issue["body"]) == ("onboarding", {"login": "newbie", "date": "2026-12-07"})
    assert "{{ 7*7 }}" in issue["body"] and "49" not in issue["title"]


@pytest.mark.parametrize("name", ["Leo @leaver", "@leaver", "@everyone @acme/platform", "a@b.c @Alice-2"])
def test_a_name_can_never_mention_anyone(fake: FakeGitHub, workdir: Path, name: str) -> None:
    assert offboard(*(a if a != "Leo Leaver" else name for a in LEAVER), "--kind", "voluntary").exit_code == 0
    assert onboard(*(a if a != "Nadia Newbie" else name for a in JOINER)).exit_code == 0
    for kind in ("offboarding", "onboarding"):
        (issue,) = checklists(fake, kind)
        text = issue["title"] + "\n" + issue["body"]
        mentioned = set(re.findall(r"(?<![\w`])@([A-Za-z0-9][\w/-]*)", text))
        assert mentioned <= {"newbie", "alice", "carol"}, (kind, mentioned)  # only whom gh-ops chose
        assert name.replace("@", "@\u200d") in text  # still shown as written


@pytest.mark.parametrize(
    ("args", "question"),
    [
        ([*JOINER, "--buddy", "newbie"], "--buddy"),
        ([*JOINER, "--manager", "@NewBie"], "--manager"),
    ],
)
def test_a_joiner_cannot_be_their_own_buddy_or_manager(
    fake: FakeGitHub, workdir: Path, args: list[str], question: str
) -> None:
    result = onboard(*args)
    assert result.exit_code == 2, result.output
    assert f"{question}: is the person themself" in result.output
    assert fake.writes == []


def test_a_leaver_cannot_be_their_own_manager(fake: FakeGitHub, workdir: Path) -> None:
    result = offboard(*(a if a != "carol" else "leaver" for a in LEAVER), "--kind", "voluntary")
    assert result.exit_code == 2 and "--manager: is the person themself" in result.output
    assert fake.writes == []


def test_a_name_too_long_for_a_title_is_refused_before_any_request(fake: FakeGitHub, workdir: Path) -> None:
    # validate renders the templates with a name of the longest length taken, so what passes fits.
    assert onboard(*[a if a != "Nadia Newbie" else "N" * 100 for a in JOINER]).exit_code == 0
    fake.clear_requests()
    result = onboard(*[a if a != "Nadia Newbie" else "N" * 101 for a in JOINER])
    assert result.exit_code == 2, result.output
    assert "--name: is 101 characters long: give the name as people write it (at most 100 characters)" in (
        result.output
    )
    assert fake.requests == []


def test_a_teams_query_that_keeps_failing_is_a_github_failure(fake: FakeGitHub, workdir: Path) -> None:
    fake.server_error("POST", r"^/graphql$", times=5, status=502)
    result = offboard(*LEAVER, "--kind", "voluntary")
    assert result.exit_code == 3, result.output
    assert "Not done: open or update the offboarding issue for leaver" in result.output
    assert checklists(fake, "offboarding") == []
