"""`gh-ops sprint open` end to end: the CLI, the GitHub boundary and a stateful fake GitHub."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, NewFake

from gh_ops import github as gh_module
from gh_ops.cli import main
from gh_ops.config import embedded_example_text
from gh_ops.markup import read_marker
from gh_ops.sprint.rules import NEXT_LINK_MARKER

REPO = "acme/widgets"
BOT = "github-actions[bot]"
KIND_LABEL = "gh-ops:sprint"  # the default sprint.kind_label

# The issue's example config, as shipped: teams web (New York) and infra (London), 2-week sprints.
CONFIG = embedded_example_text()

# 2026-11-20 is sprint 24's window (sprint 24: 23 Nov - 6 Dec; sprint 23: 9 - 22 Nov).
NOW = "2026-11-20T15:00:00Z"


@pytest.fixture
def fake(new_fake: NewFake, sleeps: list[float]) -> FakeGitHub:
    return new_fake(
        datetime(2026, 11, 20, 15, tzinfo=UTC),
        repos={REPO: {"collaborators": ["alice", "bob", "carol", "dave", "erin"]}},
    )


@pytest.fixture
def workdir(checkout: Callable[[str, str], Path]) -> Path:
    return checkout(CONFIG, REPO)


def run(*args: str, now: str = NOW) -> Result:
    return CliRunner().invoke(main, ["--now", now, "sprint", "open", *args])


def sprint_issues(fake: FakeGitHub) -> list[dict]:
    return [i for i in fake.issues(REPO) if (read_marker(i["body"]) or ("",))[0] == "sprint"]


def seed_sprint_issue(
    fake: FakeGitHub,
    team: str,
    number: int,
    start: str,
    *,
    author: str = BOT,
    body_extra: str = "",
    state: str = "open",
    created: datetime | None = None,
    kind_label: bool = True,
) -> dict:
    """A sprint issue as gh-ops opens it (`kind_label=False`: as gh-ops opened it before it labelled
    its sprint issues with KIND_LABEL)."""
    body = (
        f"<!-- gh-ops:sprint team={team} period={start} number={number} -->\n## Sprint {number}\n{body_extra}"
    )
    return fake.add_issue(
        REPO,
        title=f"{team} sprint {number}",
        body=body,
        author=author,
        state=state,
        labels=["sprint", KIND_LABEL] if kind_label else ["sprint"],
        created_at=created or datetime(2026, 11, 6, 7, tzinfo=UTC),
    )


# --- first run, second run ---------------------------------------------------------------------


def test_first_run_opens_one_issue_per_team_and_links_the_previous(fake: FakeGitHub, workdir: Path) -> None:
    prev_web = seed_sprint_issue(fake, "web", 23, "2026-11-09")
    prev_infra = seed_sprint_issue(fake, "infra", 23, "2026-11-09")
    fake.clear_requests()

    result = run()

    assert result.exit_code == 0, result.output
    opened = {
        read_marker(i["body"])[1]["team"]: i
        for i in sprint_issues(fake)
        if read_marker(i["body"])[1]["number"] == "24"
    }
    assert set(opened) == {"web", "infra"}
    web = opened["web"]
    assert web["title"] == "Team Web · Sprint 24 · 23 Nov – 6 Dec 2026"
    assert [label["name"] for label in web["labels"]] == [KIND_LABEL, "sprint", "team/web"]
    assert [a["login"] for a in web["assignees"]] == ["alice"]
    assert web["user"]["login"] == BOT
    assert read_marker(web["body"]) == ("sprint", {"team": "web", "period": "2026-11-23", "number": "24"})
    assert f"#{prev_web['number']}" in web["body"]
    assert [a["login"] for a in opened["infra"]["assignees"]] == ["dave"]
    # The previous issues now point at their successors and are closed as completed.
    for prev, new in ((prev_web, web), (prev_infra, opened["infra"])):
        after = fake.issue(REPO, prev["number"])
        assert after["state"] == "closed" and after["state_reason"] == "completed"
        assert f"continues in #{new['number']}" in after["body"]
    # Cost: one listing of the sprint issues for both teams, and as sprint 24's issue is not among
    # them, one of the bot's recent issues (for one opened without the label: no duplicate ever),
    # one identity check before writing, one write per issue, and per link-and-close the previous
    # issue read just before its one write (a PATCH replaces the whole body: the body written must
    # be the one there now). Between the opens and the links, one listing of the newest sprint
    # issues tells whether an overlapping run opened the same ones (gh_ops.converge).
    assert [(r.method, r.path) for r in fake.requests] == [
        ("GET", f"/repos/{REPO}/issues"),
        ("GET", f"/repos/{REPO}/issues"),
        ("GET", "/user"),
        ("POST", f"/repos/{REPO}/issues"),
        ("POST", f"/repos/{REPO}/issues"),
        ("GET", f"/repos/{REPO}/issues"),
        ("GET", f"/repos/{REPO}/issues/{prev_web['number']}"),
        ("PATCH", f"/repos/{REPO}/issues/{prev_web['number']}"),
        ("GET", f"/repos/{REPO}/issues/{prev_infra['number']}"),
        ("PATCH", f"/repos/{REPO}/issues/{prev_infra['number']}"),
    ]
    assert fake.requests[0].query["labels"] == KIND_LABEL and "labels" not in fake.requests[1].query
    assert "GitHub requests: 6 read(s), 4 write(s)" in result.output


def test_an_edit_to_the_previous_issue_during_the_run_survives_the_link(
    fake: FakeGitHub, workdir: Path
) -> None:
    prev = seed_sprint_issue(fake, "web", 23, "2026-11-09", body_extra="- [ ] ship the thing\n")
    edited = prev["body"].replace("- [ ] ship the thing", "- [x] ship the thing\n\nRetro notes: went well")

    def someone_edits() -> None:  # after the run's listing, before its link
        fake.edit_issue(REPO, prev["number"], by="alice", body=edited)

    fake.before_next("POST", rf"/repos/{REPO}/issues$", someone_edits)

    result = run("--team", "web")

    assert result.exit_code == 0, result.output
    (new,) = [i for i in sprint_issues(fake) if i["number"] != prev["number"]]
    after = fake.issue(REPO, prev["number"])
    assert after["body"].startswith(edited)  # the edit is kept, the link is added after it
    assert f"continues in #{new['number']}" in after["body"]
    assert after["state"] == "closed"


def test_a_previous_issue_linked_meanwhile_is_not_linked_twice(fake: FakeGitHub, workdir: Path) -> None:
    prev = seed_sprint_issue(fake, "web", 23, "2026-11-09")
    before = fake.issue(REPO, prev["number"])

    def another_run_links_it() -> None:
        link = f"\n\n{NEXT_LINK_MARKER}\n---\n➡️ Sprint 24 continues in #99.\n"
        fake.edit_issue(REPO, prev["number"], by=BOT, body=before["body"] + link, state="closed")

    fake.before_next("POST", rf"/repos/{REPO}/issues$", another_run_links_it)
    fake.clear_requests()

    result = run("--team", "web")

    assert result.exit_code == 0, result.output
    assert "already linked" in result.output
    assert fake.issue(REPO, prev["number"])["body"].count("continues in") == 1
    assert [w.method for w in fake.writes] == ["POST"]


def test_a_second_run_opens_nothing_and_costs_one_read(fake: FakeGitHub, workdir: Path) -> None:
    seed_sprint_issue(fake, "web", 23, "2026-11-09")
    assert run().exit_code == 0
    before = [(i["number"], i["state"], i["body"]) for i in fake.issues(REPO)]
    fake.clear_requests()

    result = run(now="2026-11-21T08:00:00Z")  # the next day's scheduled run

    assert result.exit_code == 0, result.output
    assert [(i["number"], i["state"], i["body"]) for i in fake.issues(REPO)] == before
    assert fake.writes == []
    assert len(fake.reads) == 1
    assert "already open" in result.output


def test_a_human_reopening_the_previous_issue_is_respected(fake: FakeGitHub, workdir: Path) -> None:
    prev = seed_sprint_issue(fake, "web", 23, "2026-11-09")
    assert run("--team", "web").exit_code == 0
    fake.edit_issue(REPO, prev["number"], by="alice", state="open")  # reopened to finish notes
    fake.clear_requests()

    assert run("--team", "web").exit_code == 0
    assert fake.writes == []
    assert fake.issue(REPO, prev["number"])["state"] == "open"


# --- calendar behaviour against GitHub ---------------------------------------------------------


def test_missed_runs_catch_up_with_the_current_sprint_but_never_an_ended_one(
    fake: FakeGitHub, workdir: Path
) -> None:
    # No run since sprint 22. On 1 December sprint 24 is current; 23 has ended and is skipped.
    goals = "\n### Goals\n- [x] Finish the importer · owner @bob\n"
    s22 = seed_sprint_issue(
        fake, "web", 22, "2026-10-26", body_extra=goals, created=datetime(2026, 10, 23, tzinfo=UTC)
    )
    result = run("--team", "web", now="2026-12-01T12:00:00Z")
    assert result.exit_code == 0, result.output
    numbers = sorted(int(read_marker(i["body"])[1]["number"]) for i in sprint_issues(fake))
    assert numbers == [22, 24]
    # Sprint 22's issue is the newest before 24: it is bridged, carried over, linked and closed.
    (s24,) = [i for i in sprint_issues(fake) if "number=24" in i["body"]]
    assert "Follows sprint 22" in s24["body"] and "### Looking back at sprint 22" in s24["body"]
    assert "- [x] Finish the importer · owner @bob" in s24["body"]
    assert fake.issue(REPO, s22["number"])["state"] == "closed"
    assert f"continues in #{s24['number']}" in fake.issue(REPO, s22["number"])["body"]


def test_an_issue_older_than_the_look_back_is_left_alone(fake: FakeGitHub, workdir: Path) -> None:
    s21 = seed_sprint_issue(fake, "web", 21, "2026-10-12", created=datetime(2026, 10, 9, tzinfo=UTC))
    result = run("--team", "web", now="2026-12-01T12:00:00Z")
    assert result.exit_code == 0, result.output
    assert fake.issue(REPO, s21["number"])["state"] == "open"
    (s24,) = [i for i in sprint_issues(fake) if "number=24" in i["body"]]
    assert "No issue was found for sprint 23" in s24["body"]


def test_before_the_window_opens_nothing_is_due(fake: FakeGitHub, workdir: Path) -> None:
    result = run(now="2025-12-20T12:00:00Z")
    assert result.exit_code == 0, result.output
    assert "nothing due yet (sprint 1 opens on 2026-01-02)" in result.output
    assert fake.requests == []  # nothing due: not even a read


def test_each_team_uses_its_own_timezone(fake: FakeGitHub, workdir: Path) -> None:
    # 04:30 UTC on 20 Nov: already the 20th in London (infra), still the 19th in New York (web).
    result = run(now="2026-11-20T04:30:00Z")
    assert result.exit_code == 0, result.output
    opened = {
        read_marker(i["body"])[1]["team"]: read_marker(i["body"])[1]["number"] for i in sprint_issues(fake)
    }
    assert opened == {"infra": "24", "web": "23"}


# --- trust ---------------------------------------------------------------------------------------


def test_a_marker_in_someone_elses_issue_is_ignored(fake: FakeGitHub, workdir: Path) -> None:
    spoof = seed_sprint_issue(fake, "web", 24, "2026-11-23", author="mallory")
    spoof_prev = seed_sprint_issue(fake, "web", 23, "2026-11-09", author="mallory")
    result = run("--team", "web")
    assert result.exit_code == 0, result.output
    mine = [i for i in sprint_issues(fake) if i["user"]["login"] == BOT]
    assert len(mine) == 1 and read_marker(mine[0]["body"])[1]["number"] == "24"
    # The spoofed "previous" issue is neither linked nor closed.
    assert fake.issue(REPO, spoof_prev["number"])["state"] == "open"
    assert fake.issue(REPO, spoof["number"])["body"] == spoof["body"]


def test_a_marker_pasted_into_the_middle_of_a_bot_issue_is_not_trusted(
    fake: FakeGitHub, workdir: Path
) -> None:
    fake.add_issue(
        REPO,
        title="Release notes",
        author=BOT,
        body="Notes\n<!-- gh-ops:sprint team=web period=2026-11-23 number=24 -->",
    )
    assert run("--team", "web").exit_code == 0
    assert len([i for i in sprint_issues(fake)]) == 1


def test_trusted_authors_markers_count(fake: FakeGitHub, workdir: Path) -> None:
    (workdir / ".github/gh-ops.yml").write_text(CONFIG + "trusted_authors: [maintainer]\n")
    seed_sprint_issue(fake, "web", 24, "2026-11-23", author="maintainer")
    result = run("--team", "web")
    assert result.exit_code == 0, result.output
    assert fake.writes == []
    # With more than one trusted author the listing cannot filter by creator server-side.
    assert "creator" not in fake.reads[0].query


# --- carry-over ----------------------------------------------------------------------------------


def test_previous_goals_are_carried_into_the_retrospective_with_their_state(
    fake: FakeGitHub, workdir: Path
) -> None:
    goals = (
        "\n### Goals\n- [x] Ship billing to everyone · owner @alice\n"
        "- [ ] Halve p95 latency · owner @bob\n- [ ] _Second goal, if there is one · owner @…_\n"
        "- [ ] Evil <!-- gh-ops:sprint team=web period=2027-01-04 number=27 --> {{ 7*7 }}\n"
    )
    seed_sprint_issue(fake, "web", 23, "2026-11-09", body_extra=goals)
    assert run("--team", "web").exit_code == 0
    (new,) = [i for i in sprint_issues(fake) if read_marker(i["body"])[1]["number"] == "24"]
    body = new["body"]
    retro = body[body.index("### Looking back at sprint 23") : body.index("### Goals")]
    assert "- [x] Ship billing to everyone · owner @alice · nailed / scraped / failed:" in retro
    assert "- [ ] Halve p95 latency · owner @bob · nailed / scraped / failed:" in retro
    assert "Second goal" not in retro  # an unfilled placeholder is not a goal
    # Text from GitHub stays data: not evaluated, and cannot open a fake marker.
    assert "{{ 7*7 }}" in retro and "49" not in retro
    assert body.count("<!-- gh-ops:sprint") == 1


# --- dry run ---------------------------------------------------------------------------------------


def test_dry_run_writes_nothing_and_says_exactly_what_it_would_do(fake: FakeGitHub, workdir: Path) -> None:
    prev = seed_sprint_issue(fake, "web", 23, "2026-11-09")
    fake.clear_requests()
    result = CliRunner().invoke(main, ["--now", NOW, "--dry-run", "sprint", "open", "--team", "web"])
    assert result.exit_code == 0, result.output
    assert fake.writes == []
    assert len(sprint_issues(fake)) == 1
    assert "dry run: 2 write(s) not sent:" in result.output
    assert f"POST /repos/{REPO}/issues" in result.output
    assert f"PATCH /repos/{REPO}/issues/{prev['number']}" in result.output
    planned = [line.strip() for line in result.output.splitlines() if line.startswith("    {")]
    create, patch = (json.loads(line) for line in planned)
    assert create["title"] == "Team Web · Sprint 24 · 23 Nov – 6 Dec 2026"
    assert create["labels"] == ["sprint", "team/web", KIND_LABEL] and create["assignees"] == ["alice"]
    assert create["body"].endswith("lines>")  # the body is summarised; --verbose prints it whole
    assert patch == {"body": patch["body"], "state": "closed", "state_reason": "completed"}


def test_a_dry_run_that_fails_does_not_say_it_had_nothing_to_write(fake: FakeGitHub, workdir: Path) -> None:
    fake.fail_next("GET", rf"/repos/{REPO}/issues$", 404, json={"message": "Not Found"})
    result = CliRunner().invoke(main, ["--now", NOW, "--dry-run", "sprint", "open"])
    assert result.exit_code == 3, result.output
    assert "nothing to write" not in result.output
    assert "dry run: stopped by the error below before any write it would make" in result.output
    assert fake.writes == []


# --- failures and retries ----------------------------------------------------------------------


def test_502_and_secondary_rate_limit_are_retried_with_backoff(
    fake: FakeGitHub, workdir: Path, sleeps: list[float]
) -> None:
    fake.server_error("GET", rf"/repos/{REPO}/issues", times=2, status=502)
    fake.secondary_rate_limit("POST", rf"/repos/{REPO}/issues", retry_after=61)
    result = run("--team", "web")
    assert result.exit_code == 0, result.output
    assert len(sprint_issues(fake)) == 1
    assert sleeps[:3] == [1.0, 2.0, 61.0]  # exponential back-off, then Retry-After honoured
    assert "retrying in" in result.output
    assert "3 retried" in result.output


def test_a_lost_create_response_does_not_duplicate_the_issue(fake: FakeGitHub, workdir: Path) -> None:
    fake.fail_after_apply("POST", rf"/repos/{REPO}/issues", status=502)
    result = run("--team", "web")
    assert result.exit_code == 0, result.output
    assert len(sprint_issues(fake)) == 1
    assert "opened #" in result.output


def test_persistent_failure_exits_3_and_says_what_was_and_was_not_done(
    fake: FakeGitHub, workdir: Path
) -> None:
    seed_sprint_issue(fake, "web", 23, "2026-11-09")
    seed_sprint_issue(fake, "infra", 23, "2026-11-09")
    fake.server_error("PATCH", rf"/repos/{REPO}/issues/\d+$", times=5, status=503)
    result = run()
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert "503" in result.output and "after 5 tries" in result.output
    # Both issues are opened (and settled) before any link: the links are what is left.
    assert "Done before the failure: team web: open sprint 24 issue #" in result.output
    assert "team infra: open sprint 24 issue #" in result.output.split("Not done:")[0]
    assert "Not done: team web: link and close #" in result.output
    assert "team infra: link #" in result.output.split("Not done:")[1]
    assert "ghs_secret_token_value" not in result.output
    # Re-running once GitHub recovers finishes the job without duplicating anything.
    assert fake.pending_failures == 0  # five tries, then it gave up
    assert run().exit_code == 0
    assert len(sprint_issues(fake)) == 4
    assert all(i["state"] == "closed" for i in sprint_issues(fake) if "number=23" in i["body"])


def test_a_primary_rate_limit_far_in_the_future_fails_now_with_the_reset_time(
    fake: FakeGitHub, workdir: Path, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gh_module, "WALL_CLOCK", lambda: fake.clock().timestamp())
    fake.primary_rate_limit("GET", rf"/repos/{REPO}/issues", reset_in=3600)
    result = run()
    assert result.exit_code == 3, result.output
    assert "Rate limit: try again at" in result.output
    assert sleeps == []


def test_a_primary_rate_limit_resetting_soon_is_waited_out(
    fake: FakeGitHub, workdir: Path, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gh_module, "WALL_CLOCK", lambda: fake.clock().timestamp())
    fake.primary_rate_limit("GET", rf"/repos/{REPO}/issues", reset_in=30)
    result = run("--team", "web")
    assert result.exit_code == 0, result.output
    assert sleeps[0] == 31.0  # until the reset, plus a second
    assert len(sprint_issues(fake)) == 1


def test_an_assignee_github_refuses_does_not_block_the_issue(fake: FakeGitHub, workdir: Path) -> None:
    fake.add_repo("acme/gadgets", collaborators=["bob"])  # alice cannot be assigned there
    result = run("--team", "web", "--repo", "acme/gadgets")
    assert result.exit_code == 0, result.output
    (issue,) = [i for i in fake.issues("acme/gadgets") if read_marker(i["body"])]
    assert issue["assignees"] == []
    assert "could not assign alice" in result.output


def test_missing_token_is_a_usage_error(
    fake: FakeGitHub, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    result = run()
    assert result.exit_code == 2
    assert "no token: set GITHUB_TOKEN or GH_TOKEN" in result.output
    assert fake.requests == []


def test_a_broken_template_fails_before_any_write(fake: FakeGitHub, workdir: Path) -> None:
    seed_sprint_issue(fake, "web", 23, "2026-11-09")
    templates = workdir / ".github/gh-ops/templates"
    templates.mkdir(parents=True)
    (templates / "sprint.md").write_text(
        "---\ntitle: Sprint {{ sprint.number }}\n---\nHello\n{{ team.nmae }}\n"
    )
    result = run()
    assert result.exit_code == 2, result.output
    assert "sprint.md:5" in result.output and "nmae" in result.output
    assert fake.writes == []


# --- paging --------------------------------------------------------------------------------------


def test_paging_stops_once_the_listing_is_older_than_anything_wanted(fake: FakeGitHub, workdir: Path) -> None:
    for n in range(250):  # a busy bot with a long history
        fake.add_issue(
            REPO,
            title=f"old {n}",
            body="",
            author=BOT,
            created_at=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=n),
        )
    fake.clear_requests()
    assert run("--team", "web").exit_code == 0
    # The sprint issues (none yet), then the bot's recent issues: one page, not its whole history;
    # after opening, one page of the newest sprint issues (for an overlapping run's twin).
    assert [r.query.get("labels") for r in fake.reads if r.path == f"/repos/{REPO}/issues"] == [
        KIND_LABEL,
        None,
        KIND_LABEL,
    ]


def test_an_existing_issue_beyond_the_first_page_is_found(fake: FakeGitHub, workdir: Path) -> None:
    # Opened by an older gh-ops, without the kind label: only the bot's recent issues show it.
    old = seed_sprint_issue(
        fake, "web", 24, "2026-11-23", created=datetime(2026, 11, 20, 6, tzinfo=UTC), kind_label=False
    )
    for n in range(150):  # newer bot issues push it to page 2
        fake.add_issue(
            REPO,
            title=f"newer {n}",
            author=BOT,
            created_at=datetime(2026, 11, 20, 7, tzinfo=UTC) + timedelta(minutes=n),
        )
    fake.clear_requests()
    result = run("--team", "web")
    assert result.exit_code == 0, result.output
    assert len(sprint_issues(fake)) == 1  # found, not opened again
    assert len(fake.reads) == 3  # the labelled issues (none), then two pages of the bot's
    # It gets the kind label (its only write), so the next run finds it in one read.
    assert [(w.method, w.path) for w in fake.writes] == [
        ("POST", f"/repos/{REPO}/issues/{old['number']}/labels")
    ]
    fake.clear_requests()
    assert run("--team", "web", now="2026-11-21T08:00:00Z").exit_code == 0
    assert len(fake.reads) == 1 and fake.writes == []


# --- the kind label: finding the sprint issues in one read at any size -------------------------


def seed_busy_repository(fake: FakeGitHub, count: int, *, author: str, since: datetime) -> None:
    """`count` issues by `author`, each newer than the last, from `since` on."""
    for n in range(count):
        fake.add_issue(REPO, title=f"busy {n}", author=author, created_at=since + timedelta(minutes=n))


@pytest.mark.parametrize(
    ("trusted", "busy_author"),
    [
        ("trusted_authors: [maintainer]\n", "someone"),  # a creator filter cannot say "these two"
        ("", BOT),  # github-actions[bot] opens the issues of every workflow in the repository
    ],
)
def test_a_repeat_run_reads_one_page_however_busy_the_repository(
    fake: FakeGitHub, workdir: Path, trusted: str, busy_author: str
) -> None:
    (workdir / ".github/gh-ops.yml").write_text(CONFIG + trusted)
    assert run().exit_code == 0
    seed_busy_repository(fake, 450, author=busy_author, since=datetime(2026, 11, 20, 16, tzinfo=UTC))
    before = [(i["number"], i["state"], i["body"]) for i in fake.issues(REPO)]
    fake.clear_requests()

    result = run(now="2026-11-21T08:00:00Z")

    assert result.exit_code == 0, result.output
    assert result.output.count("already open") == 2
    assert [(i["number"], i["state"], i["body"]) for i in fake.issues(REPO)] == before
    assert fake.writes == []
    (read,) = fake.reads
    assert read.query["labels"] == KIND_LABEL
    assert "GitHub requests: 1 read(s), 0 write(s)" in result.output


def test_an_issue_an_older_gh_ops_opened_is_found_labelled_and_then_found_in_one_read(
    fake: FakeGitHub, workdir: Path
) -> None:
    (workdir / ".github/gh-ops.yml").write_text(CONFIG + "trusted_authors: [maintainer]\n")
    old = seed_sprint_issue(
        fake,
        "web",
        24,
        "2026-11-23",
        author="maintainer",
        created=datetime(2026, 11, 20, 6, tzinfo=UTC),
        kind_label=False,
    )
    seed_busy_repository(fake, 450, author="someone", since=datetime(2026, 11, 20, 7, tzinfo=UTC))
    fake.clear_requests()

    result = run("--team", "web")

    assert result.exit_code == 0, result.output
    assert len(sprint_issues(fake)) == 1  # no duplicate after the upgrade
    assert f"labelling #{old['number']} {KIND_LABEL}" in result.output
    assert KIND_LABEL in [label["name"] for label in fake.issue(REPO, old["number"])["labels"]]
    # The labelled issues, then the recent issues of each trusted account (not everyone's 450).
    assert [(r.query.get("labels"), r.query.get("creator")) for r in fake.reads] == [
        (KIND_LABEL, None),
        (None, BOT),
        (None, "maintainer"),
    ]
    assert len(fake.writes) == 1
    fake.clear_requests()
    assert run("--team", "web", now="2026-11-21T08:00:00Z").exit_code == 0
    assert len(fake.reads) == 1 and fake.writes == []


def test_a_previous_issue_an_older_gh_ops_opened_is_still_linked_after_a_failure(
    fake: FakeGitHub, workdir: Path
) -> None:
    prev = seed_sprint_issue(fake, "web", 23, "2026-11-09", kind_label=False)
    fake.server_error("PATCH", rf"/repos/{REPO}/issues/\d+$", times=5, status=503)

    failed = run("--team", "web")

    assert failed.exit_code == 3, failed.output
    assert f"Done before the failure: team web: label #{prev['number']} {KIND_LABEL}" in failed.output
    # The re-run finds the previous issue by its label (the new one is labelled): it links it.
    fake.clear_requests()
    assert run("--team", "web").exit_code == 0
    assert len(sprint_issues(fake)) == 2
    after = fake.issue(REPO, prev["number"])
    assert after["state"] == "closed" and "continues in #" in after["body"]
    assert [r.query.get("labels") for r in fake.reads if r.path == f"/repos/{REPO}/issues"] == [KIND_LABEL]


def test_a_sprint_issue_whose_label_was_taken_off_is_not_opened_again(
    fake: FakeGitHub, workdir: Path
) -> None:
    assert run("--team", "web").exit_code == 0
    (mine,) = sprint_issues(fake)
    fake.edit_issue(REPO, mine["number"], by="alice", labels=["sprint", "team/web"])
    fake.clear_requests()

    result = run("--team", "web", now="2026-11-21T08:00:00Z")

    assert result.exit_code == 0, result.output
    assert len(sprint_issues(fake)) == 1
    assert [(w.method, w.path) for w in fake.writes] == [
        ("POST", f"/repos/{REPO}/issues/{mine['number']}/labels")
    ]


def test_a_dry_run_says_which_issue_it_would_label(fake: FakeGitHub, workdir: Path) -> None:
    old = seed_sprint_issue(fake, "web", 24, "2026-11-23", kind_label=False)
    result = CliRunner().invoke(main, ["--now", NOW, "--dry-run", "sprint", "open", "--team", "web"])
    assert result.exit_code == 0, result.output
    assert f"would label #{old['number']} {KIND_LABEL}" in result.output
    assert f"POST /repos/{REPO}/issues/{old['number']}/labels" in result.output
    assert fake.writes == []


def test_a_kind_label_of_ones_own_is_used_to_open_and_to_find(fake: FakeGitHub, workdir: Path) -> None:
    (workdir / ".github/gh-ops.yml").write_text(
        CONFIG.replace("  labels: [sprint]\n", "  labels: [sprint]\n  kind_label: bots/sprint\n")
    )
    assert run("--team", "web").exit_code == 0
    (mine,) = sprint_issues(fake)
    assert "bots/sprint" in [label["name"] for label in mine["labels"]]
    fake.clear_requests()
    assert run("--team", "web", now="2026-11-21T08:00:00Z").exit_code == 0
    assert [r.query.get("labels") for r in fake.reads] == ["bots/sprint"]


# --- Actions integration and GitHub Enterprise -------------------------------------------------


def test_outputs_and_summary_in_actions(
    fake: FakeGitHub, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, summary = workdir / "out.txt", workdir / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_OUTPUT", str(out))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run()
    assert result.exit_code == 0, result.output
    numbers = sorted(i["number"] for i in sprint_issues(fake))
    text = out.read_text()
    assert f"{numbers[0]} {numbers[1]}" in text or f"{numbers[1]} {numbers[0]}" in text
    assert f"https://github.com/{REPO}/issues/{numbers[0]}" in text
    delimiter, rest = text.split("result<<", 1)[1].split("\n", 1)
    result_json = json.loads(rest.split("\n" + delimiter, 1)[0])
    assert {r["team"]: r["action"] for r in result_json} == {"web": "opened", "infra": "opened"}
    assert "| Team Web | 24 |" in summary.read_text()


def test_github_enterprise_server_api_root(
    new_fake: NewFake, sleeps: list[float], workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_API_URL", "https://ghe.example.com/api/v3")
    fake = new_fake(
        datetime(2026, 11, 20, 15, tzinfo=UTC),
        repos={REPO: {"collaborators": ["alice", "dave"]}},
        api_url="https://ghe.example.com/api/v3",
    )
    result = run()
    assert result.exit_code == 0, result.output
    assert all(i["html_url"].startswith("https://ghe.example.com/") for i in fake.issues(REPO))
    assert len(fake.issues(REPO)) == 2


# --- identity, identity fields and limits ------------------------------------------------------


def test_a_token_whose_markers_would_not_be_trusted_is_refused_before_writing(
    new_fake: NewFake, sleeps: list[float], workdir: Path
) -> None:
    at = datetime(2026, 11, 20, 15, tzinfo=UTC)
    fake = new_fake(at, repos={REPO: {"collaborators": ["alice", "dave"]}}, actor="alice")
    result = run()
    assert result.exit_code == 2, result.output
    assert "this token acts as alice" in result.output and "Set `bot: alice`" in result.output
    assert fake.writes == []
    # Trusting the account fixes it, and the next run sees its own issues.
    (workdir / ".github/gh-ops.yml").write_text(CONFIG + "trusted_authors: [alice]\n")
    assert run().exit_code == 0
    assert run(now="2026-11-21T08:00:00Z").exit_code == 0
    assert len(sprint_issues(fake)) == 2


def test_an_app_token_that_turns_out_untrusted_stops_after_the_first_issue(
    new_fake: NewFake, sleeps: list[float], workdir: Path
) -> None:
    at = datetime(2026, 11, 20, 15, tzinfo=UTC)
    fake = new_fake(at, repos={REPO: {"collaborators": ["alice", "dave"]}}, actor="acme-ops[bot]")
    result = run()
    assert result.exit_code == 2, result.output
    assert "this token acts as acme-ops[bot]" in result.output
    assert "was opened before this was known" in result.output
    assert len(sprint_issues(fake)) == 1  # not one per team


def test_the_same_team_twice_opens_one_issue(fake: FakeGitHub, workdir: Path) -> None:
    assert run("--team", "web", "--team", "web").exit_code == 0
    assert len(sprint_issues(fake)) == 1


def test_with_trusted_authors_other_peoples_markers_are_still_ignored(
    fake: FakeGitHub, workdir: Path
) -> None:
    (workdir / ".github/gh-ops.yml").write_text(CONFIG + "trusted_authors: [maintainer]\n")
    seed_sprint_issue(fake, "web", 24, "2026-11-23", author="mallory")
    assert run("--team", "web").exit_code == 0
    assert len([i for i in sprint_issues(fake) if i["user"]["login"] == BOT]) == 1


def test_close_previous_false_links_but_leaves_it_open(fake: FakeGitHub, workdir: Path) -> None:
    (workdir / ".github/gh-ops.yml").write_text(
        CONFIG.replace("close_previous: true", "close_previous: false")
    )
    prev = seed_sprint_issue(fake, "web", 23, "2026-11-09")
    assert run("--team", "web").exit_code == 0
    after = fake.issue(REPO, prev["number"])
    assert after["state"] == "open" and "continues in #" in after["body"]


def test_an_issue_opened_under_a_wider_window_is_still_found(fake: FakeGitHub, workdir: Path) -> None:
    # Opened on 14 Nov when open_days_before was 9; the setting is now 3 (window from 20 Nov).
    seed_sprint_issue(fake, "web", 24, "2026-11-23", created=datetime(2026, 11, 14, tzinfo=UTC))
    result = run("--team", "web")
    assert result.exit_code == 0, result.output
    assert len(sprint_issues(fake)) == 1 and fake.writes == []


def test_an_issue_whose_marker_was_edited_away_is_recognised_by_its_title(
    fake: FakeGitHub, workdir: Path
) -> None:
    twin = fake.add_issue(REPO, title="Team Web · Sprint 24 · 23 Nov – 6 Dec 2026", body="notes", author=BOT)
    result = run("--team", "web")
    assert result.exit_code == 0, result.output
    assert fake.writes == []
    assert f"#{twin['number']} has lost its gh-ops marker" in result.output


def test_a_previous_issue_too_long_to_link_is_closed_and_the_job_stays_green(
    fake: FakeGitHub, workdir: Path
) -> None:
    prev = seed_sprint_issue(fake, "web", 23, "2026-11-09", body_extra="x" * 65400)
    result = run("--team", "web")
    assert result.exit_code == 0, result.output
    assert "too long to take a link" in result.output
    after = fake.issue(REPO, prev["number"])
    assert after["state"] == "closed" and "continues in" not in after["body"]
    fake.clear_requests()
    assert run("--team", "web", now="2026-11-21T08:00:00Z").exit_code == 0
    assert fake.writes == []


def test_a_title_longer_than_github_allows_is_an_input_error(fake: FakeGitHub, workdir: Path) -> None:
    (workdir / ".github/gh-ops.yml").write_text(CONFIG.replace("name: Team Web", "name: " + "W" * 300))
    result = run("--team", "web")
    assert result.exit_code == 2, result.output
    assert "the rendered title has" in result.output and "GitHub allows 256" in result.output
    assert fake.writes == []


@pytest.mark.parametrize("now", ["9999-12-31", "0001-01-01", "2026-13-01", "yesterday"])
def test_an_unusable_now_is_an_input_error(fake: FakeGitHub, workdir: Path, now: str) -> None:
    result = run(now=now)
    assert result.exit_code == 2, result.output
    assert "--now" in result.output and "internal error" not in result.output


@pytest.mark.parametrize("url", ["api.github.com", "ftp://x", "https//nope"])
def test_a_malformed_api_url_is_an_input_error(
    fake: FakeGitHub, workdir: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("GITHUB_API_URL", url)
    result = run()
    assert result.exit_code == 2, result.output
    assert "$GITHUB_API_URL" in result.output and fake.requests == []


def test_a_future_now_is_refused_for_writes_but_not_for_a_dry_run(
    fake: FakeGitHub, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gh_ops import dates

    monkeypatch.setattr(dates, "real_now", lambda: datetime(2026, 11, 22, 9, tzinfo=UTC))
    result = run(now="2027-06-01")  # a typo'd backfill date
    assert result.exit_code == 2, result.output
    assert "is in the future" in result.output and fake.requests == []
    assert CliRunner().invoke(main, ["--now", "2027-06-01", "--dry-run", "sprint", "open"]).exit_code == 0
    assert fake.writes == []
    assert run(now="2026-11-20").exit_code == 0  # the past is a backfill


def test_verbose_after_the_subcommand(fake: FakeGitHub, workdir: Path) -> None:
    result = CliRunner().invoke(main, ["--now", NOW, "sprint", "open", "--dry-run", "-v", "--team", "web"])
    assert result.exit_code == 0, result.output
    assert '"body": "<!-- gh-ops:sprint' in result.output  # --verbose prints whole payloads
