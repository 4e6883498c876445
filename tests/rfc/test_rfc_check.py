"""`gh-ops rfc check` end to end: real pull_request payloads, the CLI, the GitHub boundary, a fake GitHub.

The fake answers GraphQL by running each document against GitHub's real schema over its state, so
a query or mutation variable the schema refuses fails here as it would on GitHub.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import responses
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, NewFake
from rfc_data import AUTHOR, DECIDER, REPO, pull_event, rfc_body, write_event

from gh_ops import chat
from gh_ops.cli import main
from gh_ops.markup import read_marker
from gh_ops.rfc.rules import Memory, Move, memory_text, read_memory

pytestmark = pytest.mark.usefixtures("no_wall_clock")

BOT = "github-actions[bot]"
OPENED = datetime(2026, 11, 24, 10, tzinfo=UTC)
NOW = "2026-11-24T10:05:00+00:00"
CONFIG = "timezone: Europe/London\nteams: {}\n"
STAFF = [AUTHOR, DECIDER, "bob", "carol", "dave", "erin"]
WEBHOOK = "https://hooks.slack.com/services/T000/B000/XXXXSECRET"


@pytest.fixture
def fake(new_fake: NewFake, sleeps: list[float]) -> FakeGitHub:
    return new_fake(OPENED + timedelta(minutes=5), repos={REPO: {"collaborators": STAFF}})


@pytest.fixture
def workdir(checkout: Callable[[str, str], Path]) -> Path:
    return checkout(CONFIG, REPO)


@pytest.fixture
def on_event(
    fake: FakeGitHub, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., dict[str, Any]]:
    """on_event("opened", number=N, ...) writes a real pull_request.<action> payload about #N (as
    the fake has it now, unless title/body/labels are given) and points the Actions variables at it."""

    def make(action: str, *, number: int, name: str = "pull_request", **fields: Any) -> dict[str, Any]:
        current = fake.pull(REPO, number)
        fields.setdefault("title", current["title"])
        fields.setdefault("body", current["body"] or "")
        fields.setdefault("labels", tuple(label["name"] for label in current["labels"]))
        fields.setdefault("assignees", tuple(a["login"] for a in current["assignees"]))
        fields.setdefault("head_sha", current["head"]["sha"])
        fields.setdefault("created_at", OPENED)
        payload = pull_event(action, number=number, **fields)
        monkeypatch.setenv("GITHUB_EVENT_NAME", name)
        monkeypatch.setenv("GITHUB_EVENT_PATH", str(write_event(workdir, payload)))
        return payload

    return make


def rfc_pull(fake: FakeGitHub, **fields: Any) -> int:
    fields.setdefault("title", "RFC: Move the event store to ClickHouse")
    fields.setdefault("body", rfc_body())
    fields.setdefault("author", AUTHOR)
    fields.setdefault("created_at", OPENED)
    return fake.add_pull(REPO, **fields)


def check(*args: str, now: str = NOW) -> Result:
    return CliRunner().invoke(main, ["--now", now, "rfc", "check", *args])


def ours(fake: FakeGitHub, number: int, kind: str = "rfc") -> list[dict[str, Any]]:
    return [
        c
        for c in fake.comments(REPO, number)
        if c["user"]["login"] == BOT and (read_marker(c["body"]) or ("",))[0] == kind
    ]


def labels(fake: FakeGitHub, number: int) -> set[str]:
    return {label["name"] for label in fake.pull(REPO, number)["labels"]}


def runs(fake: FakeGitHub) -> list[dict[str, Any]]:
    return fake.check_runs(REPO)


# --- which pull requests are looked at -----------------------------------------------------------


def test_a_pull_request_that_is_not_an_rfc_costs_nothing_when_the_checkout_tells(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gh_ops.rfc import run as rfc_run

    number = fake.add_pull(REPO, title="Update the README with new information.", body="x", author=AUTHOR)
    on_event("opened", number=number)
    monkeypatch.setattr(rfc_run, "changed_files_from_checkout", lambda head, cwd=None: ("README.md",))
    result = check()
    assert result.exit_code == 0, result.output
    assert "nothing to do" in result.output and "not an RFC" in result.output
    assert fake.requests == []


def test_an_rfc_title_costs_no_lookup_of_files(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    number = rfc_pull(fake)
    on_event("opened", number=number)
    assert check().exit_code == 0
    # The read, and the read after the writes that shows an overlapping run's (gh_ops.converge).
    assert [read.json["variables"]["withFiles"] for read in fake.reads] == [False, False]


def test_without_the_checkout_one_read_of_the_files_tells(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    plain = fake.add_pull(REPO, title="Tidy the docs", body="x", author=AUTHOR, files=["docs/a.md"])
    on_event("opened", number=plain)
    result = check()
    assert result.exit_code == 0 and "not an RFC" in result.output
    assert (len(fake.reads), len(fake.writes)) == (1, 0)

    by_file = fake.add_pull(
        REPO,
        title="Event store",
        body=rfc_body(),
        author=AUTHOR,
        files=["requests-for-comments/2026-11-24-event-store.md"],
        created_at=OPENED,
    )
    on_event("opened", number=by_file)
    result = check()
    assert result.exit_code == 0, result.output
    assert "rfc" in labels(fake, by_file)
    assert len(ours(fake, by_file)) == 1


def test_the_real_opened_payload_of_a_plain_pull_request_is_ignored_on_a_review(
    fake: FakeGitHub, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fakegithub import load_payload

    payload = load_payload("pull_request_review.submitted")  # its PR is "Update the README..."
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request_review")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(write_event(workdir, payload)))
    result = check()
    assert result.exit_code == 0, result.output
    assert "not an RFC" in result.output and fake.requests == []


def test_a_comment_on_an_issue_is_not_about_an_rfc(
    fake: FakeGitHub, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fakegithub import load_payload

    payload = load_payload("issues.opened")
    payload["comment"] = {"body": "hi"}
    monkeypatch.setenv("GITHUB_EVENT_NAME", "issue_comment")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(write_event(workdir, payload)))
    result = check()
    assert result.exit_code == 0 and "not a pull request" in result.output
    assert fake.requests == []


@pytest.mark.parametrize(
    ("name", "payload", "says"),
    [
        ("push", {"ref": "refs/heads/main"}, "pass --pr N"),
        ("pull_request", {"action": "opened"}, "pull_request is missing, expected an object"),
        (
            "pull_request",
            {"pull_request": {"number": "7"}},
            'pull_request.number is text "7", expected an issue or pull request number',
        ),
    ],
)
def test_a_wrong_event_is_one_clear_error(
    fake: FakeGitHub,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    payload: dict[str, Any],
    says: str,
) -> None:
    monkeypatch.setenv("GITHUB_EVENT_NAME", name)
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(write_event(workdir, payload)))
    result = check()
    assert result.exit_code == 2, result.output
    assert says in result.output and "Traceback" not in result.output
    assert fake.requests == []


def test_an_unknown_pull_request_number_is_a_usage_error(fake: FakeGitHub, workdir: Path) -> None:
    result = check("--pr", "999")
    assert result.exit_code == 2, result.output
    assert "has no pull request #999" in result.output


# --- a valid RFC ---------------------------------------------------------------------------------


def test_a_valid_rfc_gets_a_passing_check_run_one_comment_and_the_label_in_three_requests(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    fake.add_label(REPO, "rfc")  # an earlier RFC made it (the first one ever costs one more write)
    number = rfc_pull(fake, assignees=["bob", "carol", "dave"])
    on_event("opened", number=number)
    result = check()
    assert result.exit_code == 0, result.output
    # The issue's budget is 3: one read, one mutation, and one read after it, which shows whether an
    # overlapping run posted the comment too (gh_ops.converge: GitHub has no unique key for comments).
    assert (len(fake.reads), len(fake.writes)) == (2, 1)
    assert "GitHub requests: 2 read(s), 1 write(s)" in result.output
    (run,) = runs(fake)
    assert (run["name"], run["conclusion"], run["head_sha"]) == (
        "RFC",
        "success",
        fake.pull(REPO, number)["head"]["sha"],
    )
    assert run["output"]["title"].startswith("Ready for feedback: decision by 2026-12-01")
    (comment,) = ours(fake, number)
    assert "Ready for feedback" in comment["body"]
    assert "required 0/2 · optional 0/1" in comment["body"]
    assert "Not assigned yet" not in comment["body"]
    assert labels(fake, number) == {"rfc"}


def test_a_second_run_on_the_same_state_only_posts_the_check_run(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    number = rfc_pull(fake)
    on_event("opened", number=number)
    assert check().exit_code == 0
    fake.clear_requests()
    on_event("synchronize", number=number, labels=("rfc",))
    result = check()
    assert result.exit_code == 0, result.output
    assert (len(fake.reads), len(fake.writes)) == (1, 1)
    assert len(ours(fake, number)) == 1 and len(runs(fake)) == 2
    mutation = fake.writes[0].json["query"]
    assert "createCheckRun" in mutation and "Comment" not in mutation and "Labels" not in mutation


def test_the_label_is_created_the_first_time_it_is_used(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    number = rfc_pull(fake)
    on_event("opened", number=number)
    assert check().exit_code == 0
    created = [r for r in fake.writes if r.method == "POST" and r.path.endswith("/labels")]
    assert len(created) == 1 and created[0].json["name"] == "rfc"
    assert {label["name"]: label["color"] for label in fake.labels(REPO)}["rfc"] == "5319e7"


# --- a malformed RFC, fixed across edits -----------------------------------------------------------


def test_a_malformed_rfc_fails_and_the_same_comment_follows_every_edit(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    broken = rfc_body(drop=("Problem",), decider="TBD")
    number = rfc_pull(fake, body=broken)
    on_event("opened", number=number)
    result = check()
    assert result.exit_code == 1, result.output
    assert "malformed (2 problem(s))" in result.output
    assert "the “Problem” section is missing." in result.output
    run = runs(fake)[-1]
    assert (run["conclusion"], run["output"]["title"]) == ("failure", "2 problem(s) to fix")
    assert "Add a heading `## Problem`" in run["output"]["summary"]
    (first,) = ours(fake, number)
    assert "Not ready: 2 problems to fix" in first["body"]

    half = rfc_body(decider="TBD")
    fake.edit_pull(REPO, number, body=half)
    on_event("edited", number=number, body_from=broken)
    assert check().exit_code == 1
    (second,) = ours(fake, number)
    assert second["id"] == first["id"] and "Not ready: 1 problem to fix" in second["body"]

    fake.edit_pull(REPO, number, body=rfc_body())
    on_event("edited", number=number, body_from=half)
    result = check()
    assert result.exit_code == 0, result.output
    (third,) = ours(fake, number)
    assert third["id"] == first["id"]
    assert "Ready for feedback" in third["body"] and "Not ready" not in third["body"]
    assert runs(fake)[-1]["conclusion"] == "success"


@pytest.mark.parametrize(
    ("date_text", "exit_code", "says"),
    [
        ("2026-11-24", 0, "Ready"),  # day 0
        ("1 December 2026", 0, "Ready"),  # day 7
        ("Dec 2, 2026", 1, "8 days after the pull request was opened"),  # day 8
        ("2026-11-23", 1, "before the pull request was opened"),
        ("next Tuesday", 1, "cannot be read"),
    ],
)
def test_decision_date_boundaries_through_the_command(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]], date_text: str, exit_code: int, says: str
) -> None:
    number = rfc_pull(fake, body=rfc_body(date=date_text))
    on_event("opened", number=number)
    result = check()
    assert result.exit_code == exit_code, result.output
    assert says in ours(fake, number)[0]["body"]


@pytest.mark.parametrize("zone", ["cst", "(Pacific)", "localtime", "Mars/Olympus"])
def test_a_time_with_a_zone_that_cannot_be_read_is_a_problem_on_its_line(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]], zone: str
) -> None:
    body = rfc_body(date=f"2026-12-01 17:00 {zone}")
    number = rfc_pull(fake, body=body)
    on_event("opened", number=number)
    result = check()
    assert result.exit_code == 1, result.output
    line = body.splitlines().index("## Decision date") + 1
    name = zone.strip("()")
    assert f"unknown time zone {name!r}" in result.output
    assert f"(line {line} of the description)" in result.output
    assert runs(fake)[-1]["conclusion"] == "failure"
    assert f"Line {line}: The decision date cannot be read" in ours(fake, number)[0]["body"]


@pytest.mark.parametrize(
    ("date_text", "shown"),
    [
        ("2026-11-30 17:00 hrs CET", "2026-11-30 17:00 +0100"),
        ("2026-11-30 5pm sharp PST", "2026-11-30 17:00 -0800"),
        ("2026-11-30 17:00 hours America/New_York", "2026-11-30 17:00 -0500"),
        ("2026-11-30 17:00 h EST", "2026-11-30 17:00 -0500"),
        ("2026-11-30 +01:00", "2026-11-30 (Monday), end of the day (UTC+01:00)"),
        ("2026-11-30 EOD PST", "2026-11-30 (Monday), end of the day (UTC-08:00)"),
        ("2026-11-30 EOD", "2026-11-30 (Monday), end of the day (Europe/London)"),
    ],
)
def test_a_zone_after_other_words_is_the_one_the_date_is_read_in(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]], date_text: str, shown: str
) -> None:
    number = rfc_pull(fake, body=rfc_body(date=date_text))
    on_event("opened", number=number)
    result = check()
    assert result.exit_code == 0, result.output
    assert f"**Decision date:** {shown}" in ours(fake, number)[0]["body"]


@pytest.mark.parametrize(
    ("date_text", "name"),
    [
        ("2026-11-30 17:00 hrs cst", "cst"),
        ("2026-11-30 5pm sharp (Pacific)", "Pacific"),
        ("2026-11-30 CST", "CST"),
        ("2026-11-30 IST", "IST"),
        ("2026-11-30 (Pacific)", "Pacific"),
        ("2026-11-30 localtime", "localtime"),
    ],
)
def test_a_zone_that_cannot_be_read_after_other_words_or_a_date_alone_is_a_problem_on_its_line(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]], date_text: str, name: str
) -> None:
    body = rfc_body(date=date_text)
    number = rfc_pull(fake, body=body)
    on_event("opened", number=number)
    result = check()
    assert result.exit_code == 1, result.output
    line = body.splitlines().index("## Decision date") + 1
    assert f"unknown time zone {name!r}" in result.output
    assert f"(line {line} of the description)" in result.output
    assert f"Line {line}: The decision date cannot be read" in ours(fake, number)[0]["body"]


def test_a_date_moved_by_an_edit_is_kept_in_the_comments_history(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    number = rfc_pull(fake)
    on_event("opened", number=number)
    check()
    for old, new, who in (("2026-12-01", "2026-11-28", DECIDER), ("2026-11-28", "2026-11-30", "bob")):
        fake.edit_pull(REPO, number, body=rfc_body(date=new))
        on_event("edited", number=number, body_from=rfc_body(date=old), sender=who)
        assert check().exit_code == 0
    on_event("edited", number=number, body_from=rfc_body(date="2026-11-28"), sender="bob")
    assert check().exit_code == 0  # the same event again
    (comment,) = ours(fake, number)
    assert "Decision date moved 2 times:" in comment["body"]
    assert "| 2026-12-01 | 2026-11-28 | `@alice` |" in comment["body"]
    assert "| 2026-11-28 | 2026-11-30 | `@bob` |" in comment["body"]


# --- roster and assignees ------------------------------------------------------------------------


def test_the_roster_follows_reviews_and_comments(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    number = rfc_pull(fake)
    on_event("opened", number=number)
    check()
    fake.add_review(REPO, number, author="bob", state="APPROVED")
    fake.add_comment(REPO, number, body="Fine by me as long as we keep backups.", author="carol")
    on_event("assigned", number=number)
    assert check().exit_code == 0
    (comment,) = ours(fake, number)
    assert "required 2/2 · optional 0/1" in comment["body"]
    assert "| `@bob` | required | ✅ approved |" in comment["body"]
    assert "| `@carol` | required | ✅ commented |" in comment["body"]
    assert "`@alice` may decide now, before the date" in comment["body"]


def test_missing_assignees_are_listed_or_assigned_when_configured(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]], workdir: Path
) -> None:
    number = rfc_pull(
        fake, assignees=["bob"], body=rfc_body(feedback="- @bob required\n- @carol\n- @zed optional")
    )
    on_event("opened", number=number)
    check()
    assert "Not assigned yet: `@carol`, `@zed`" in ours(fake, number)[0]["body"]
    assert "(or set `rfc.assign_feedback: true` to let gh-ops do it)" in ours(fake, number)[0]["body"]
    assert [a["login"] for a in fake.pull(REPO, number)["assignees"]] == ["bob"]

    (workdir / ".github/gh-ops.yml").write_text(CONFIG + "rfc:\n  assign_feedback: true\n")
    on_event("unassigned", number=number)
    result = check()
    assert result.exit_code == 0, result.output
    assert [a["login"] for a in fake.pull(REPO, number)["assignees"]] == ["bob", "carol"]
    assert "GitHub did not assign zed" in result.output  # not a collaborator
    assert "Not assigned yet" not in ours(fake, number)[0]["body"]


# --- merge and decline -----------------------------------------------------------------------------


def test_a_merge_without_a_decision_asks_the_merger_once_and_fails(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    number = rfc_pull(fake)
    on_event("opened", number=number)
    check()
    fake.merge_pull(REPO, number, by="bob")
    on_event("closed", number=number, merged_by="bob")
    result = check()
    assert result.exit_code == 1, result.output
    assert "merged-undecided" in result.output
    assert labels(fake, number) == {"rfc", "rfc:no-decision"}
    (notice,) = ours(fake, number, "rfc-no-decision")
    assert notice["body"].splitlines()[1].startswith("@bob: this RFC was merged with no decision recorded")
    assert "Merged without a recorded decision" in ours(fake, number)[0]["body"]
    assert len(runs(fake)) == 1  # no check run on a closed pull request
    assert check().exit_code == 1  # a re-run asks nobody twice
    assert len(ours(fake, number, "rfc-no-decision")) == 1


def test_the_decision_makers_comment_records_the_decision_after_the_merge(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    number = rfc_pull(fake)
    fake.merge_pull(REPO, number, by="bob")
    on_event("closed", number=number, merged_by="bob")
    assert check().exit_code == 1
    fake.add_comment(
        REPO, number, body="**Decision:** we go with ClickHouse, starting in January.", author=DECIDER
    )
    result = check("--pr", str(number))
    assert result.exit_code == 0, result.output
    assert labels(fake, number) == {"rfc"}
    assert "recorded in `@alice`'s comment starting with `Decision:`" in ours(fake, number)[0]["body"]


def test_a_merge_with_the_decision_section_filled_is_decided(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    number = rfc_pull(fake, body=rfc_body(decision="We move to ClickHouse; Postgres stays for billing."))
    fake.merge_pull(REPO, number, by=DECIDER)
    on_event("closed", number=number, merged_by=DECIDER)
    result = check()
    assert result.exit_code == 0, result.output
    assert (
        "Decided." in ours(fake, number)[0]["body"] and "“Decision” section" in ours(fake, number)[0]["body"]
    )
    assert ours(fake, number, "rfc-no-decision") == []


def test_closed_without_merging_is_recorded_as_declined(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    number = rfc_pull(fake, labels=["rfc", "rfc:overdue"])
    fake.close_pull(REPO, number, by=DECIDER, at=OPENED + timedelta(days=9))
    on_event("closed", number=number)
    result = check(now="2026-12-03T10:00:00+00:00")
    assert result.exit_code == 0, result.output
    body = ours(fake, number)[0]["body"]
    assert "Declined:" in body and "Closed on 2026-12-03; recorded as declined." in body
    assert labels(fake, number) == {"rfc"}


# --- two RFC comments left by runs racing ----------------------------------------------------------

MOVE = Move("2026-12-02", "2026-12-01", AUTHOR, "2026-11-24T10:02:00+00:00")


def raced(fake: FakeGitHub) -> tuple[int, dict[str, Any], dict[str, Any], dict[str, Any]]:
    """An RFC on which `rfc check` and `rfc remind` each posted the RFC comment (the later one
    remembering a move and the chat notice), and someone pasted the marker into a comment."""
    number = rfc_pull(fake)
    first = fake.add_comment(
        REPO,
        number,
        body=f"<!-- gh-ops:rfc -->\nfirst\n{memory_text(Memory())}",
        author=BOT,
        created_at=OPENED + timedelta(minutes=1),
    )
    second = fake.add_comment(
        REPO,
        number,
        body=f"<!-- gh-ops:rfc -->\nsecond\n{memory_text(Memory((MOVE,), announced=True))}",
        author=BOT,
        created_at=OPENED + timedelta(minutes=1, seconds=2),
    )
    pasted = fake.add_comment(REPO, number, body="<!-- gh-ops:rfc -->\nlook", author="bob")
    return number, first, second, pasted


def deletes(fake: FakeGitHub) -> list[str]:
    return [w.path for w in fake.writes if w.method == "DELETE"]


def test_two_rfc_comments_left_by_a_race_become_the_oldest_with_both_memories(
    fake: FakeGitHub, workdir: Path
) -> None:
    number, first, second, pasted = raced(fake)
    result = check("--pr", str(number))
    assert result.exit_code == 0, result.output
    (kept,) = ours(fake, number)
    assert kept["id"] == first["id"] and "first" not in kept["body"]  # brought up to date
    assert read_memory(kept["body"]) == Memory((MOVE,), announced=True)
    assert "| 2026-12-02 | 2026-12-01 |" in kept["body"]  # the move the other one saw
    assert deletes(fake) == [f"/repos/{REPO}/issues/comments/{second['id']}"]
    assert pasted["id"] in [c["id"] for c in fake.comments(REPO, number)]  # not gh-ops' own
    assert f"delete 1 extra RFC comment on #{number}" in result.output

    fake.clear_requests()
    assert check("--pr", str(number)).exit_code == 0
    assert deletes(fake) == [] and len(ours(fake, number)) == 1


def test_dry_run_says_it_would_delete_the_extra_rfc_comment(fake: FakeGitHub, workdir: Path) -> None:
    number, _, second, _ = raced(fake)
    result = CliRunner().invoke(main, ["--now", NOW, "--dry-run", "rfc", "check", "--pr", str(number)])
    assert result.exit_code == 0, result.output
    assert f"would delete 1 extra RFC comment on #{number} (id {second['id']};" in result.output
    assert fake.writes == [] and len(ours(fake, number)) == 2


def test_deleting_the_extra_rfc_comment_is_safe_to_repeat(fake: FakeGitHub, workdir: Path) -> None:
    number, first, second, _ = raced(fake)
    fake.fail_after_apply("DELETE", r"/issues/comments/", 502)  # deleted, but the answer is lost
    result = check("--pr", str(number))
    assert result.exit_code == 0, result.output  # the retry's 404 means it is gone
    assert [c["id"] for c in ours(fake, number)] == [first["id"]]
    assert deletes(fake) == [f"/repos/{REPO}/issues/comments/{second['id']}"] * 2


def test_the_extra_rfc_comment_stays_while_the_kept_one_cannot_take_its_memory(
    fake: FakeGitHub, workdir: Path
) -> None:
    number, first, second, _ = raced(fake)
    fake.fail_mutation_field("updateIssueComment", message="Something went wrong", type="INTERNAL")
    result = check("--pr", str(number))
    assert result.exit_code == 3, result.output
    assert deletes(fake) == [] and len(ours(fake, number)) == 2
    assert check("--pr", str(number)).exit_code == 0
    assert [c["id"] for c in ours(fake, number)] == [first["id"]]


# --- dry run, failures, chat -----------------------------------------------------------------------


def test_dry_run_reads_and_says_what_it_would_write(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    number = rfc_pull(fake)
    on_event("opened", number=number)
    result = CliRunner().invoke(main, ["--now", NOW, "--dry-run", "rfc", "check"])
    assert result.exit_code == 0, result.output
    assert fake.writes == []
    assert (
        f"would create check run 'RFC' (success) on {fake.pull(REPO, number)['head']['sha'][:7]}"
        in result.output
    )
    assert f"would create the RFC comment on #{number}" in result.output
    assert f"would add label(s) rfc to #{number}" in result.output
    assert "dry run: 2 write(s) not sent" in result.output  # the label, then the mutation
    assert "<" in result.output and "lines>" in result.output  # bodies summarised, not dumped


def test_a_token_that_cannot_create_check_runs_still_gets_the_comment(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    number = rfc_pull(fake, body=rfc_body(drop=("Context",)))
    on_event("opened", number=number)
    fake.fail_mutation_field("createCheckRun")
    result = check()
    assert result.exit_code == 1, result.output  # the RFC is malformed: the exit code still says so
    assert "could not create check run 'RFC'" in result.output and "checks: write" in result.output
    assert runs(fake) == [] and len(ours(fake, number)) == 1


def test_a_write_lost_in_transit_is_not_repeated_on_the_rerun(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    number = rfc_pull(fake, labels=["rfc"])
    on_event("opened", number=number)
    fake.fail_after_apply("POST", "/graphql")
    result = check()
    assert result.exit_code == 3, result.output
    assert "may or may not have been applied" in result.output
    assert check().exit_code == 0
    assert len(ours(fake, number)) == 1


def test_a_field_that_fails_is_reported_with_what_was_done(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    number = rfc_pull(fake, labels=["rfc"])
    on_event("opened", number=number)
    fake.fail_mutation_field("addComment", message="Something went wrong", type="INTERNAL")
    result = check()
    assert result.exit_code == 3, result.output
    assert "could not create the RFC comment" in result.output
    assert "Done: create check run 'RFC'" in result.output


def test_new_rfcs_and_decisions_go_to_chat_once(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GH_OPS_CHAT_WEBHOOK", WEBHOOK)
    posted: list[dict[str, Any]] = []

    def hook(request: Any) -> tuple[int, dict[str, str], str]:
        posted.append(json.loads(request.body))
        return 200, {}, "ok"

    fake.rsps.add_callback(responses.POST, WEBHOOK, callback=hook)
    number = rfc_pull(fake)
    on_event("opened", number=number)
    result = check()
    assert result.exit_code == 0, result.output
    assert posted == [
        {
            "text": f"New RFC <https://github.com/{REPO}/pull/{number}|#{number} Move the event store to "
            "ClickHouse> · decides: alice · by 2026-12-01"
        }
    ]
    assert WEBHOOK not in result.output and "XXXXSECRET" not in result.output
    on_event("edited", number=number)
    check()
    assert len(posted) == 1
    fake.edit_pull(REPO, number, body=rfc_body(decision="Yes: ClickHouse."))
    fake.merge_pull(REPO, number, by=DECIDER)
    on_event("closed", number=number, merged_by=DECIDER)
    assert check().exit_code == 0
    assert posted[-1]["text"].startswith("RFC decided and merged: <https://github.com/")
    check()
    assert len(posted) == 2


def test_a_title_cannot_ping_a_chat_channel(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GH_OPS_CHAT_WEBHOOK", WEBHOOK)
    posted: list[str] = []
    fake.rsps.add_callback(
        responses.POST,
        WEBHOOK,
        callback=lambda r: (posted.append(json.loads(r.body)["text"]), (200, {}, ""))[1],
    )
    number = rfc_pull(fake, title="RFC: @channel @here @everyone @all <!channel> look at @alice's idea")
    on_event("opened", number=number)
    assert check().exit_code == 0
    (text,) = posted
    assert "&lt;!channel&gt;" in text
    for word in ("channel", "here", "everyone", "all", "alice"):
        assert f"@{word}" not in text and f"@\u200d{word}" in text, word


def test_a_failing_webhook_is_a_warning_and_its_url_stays_secret(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GH_OPS_CHAT_WEBHOOK", WEBHOOK)
    monkeypatch.setattr(chat, "SLEEP", lambda _s: None)
    fake.rsps.add(responses.POST, WEBHOOK, status=500)
    number = rfc_pull(fake)
    on_event("opened", number=number)
    result = check()
    assert result.exit_code == 0, result.output
    assert "not sent to chat" in result.output and "$GH_OPS_CHAT_WEBHOOK" in result.output
    assert "XXXXSECRET" not in result.output
    assert len(fake.rsps.calls) - len(fake.requests) == 3  # three tries


def test_a_webhook_that_is_not_https_is_refused(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GH_OPS_CHAT_WEBHOOK", "http://hooks.example.com/secret-part")
    number = rfc_pull(fake)
    on_event("opened", number=number)
    result = check()
    assert result.exit_code == 2, result.output
    assert "not an https:// URL" in result.output and "secret-part" not in result.output


# --- the structure, through the command ------------------------------------------------------------

SECTIONS = (
    "Decision to be made",
    "Decision maker",
    "Decision date",
    "Feedback wanted from",
    "Problem",
    "Recommendation",
    "Context",
)


@pytest.mark.parametrize("heading", SECTIONS)
def test_each_missing_section_fails_the_check(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]], heading: str
) -> None:
    number = rfc_pull(fake, body=rfc_body(drop=(heading,)))
    on_event("opened", number=number)
    result = check()
    assert result.exit_code == 1, result.output
    assert f"the “{heading}” section is missing." in result.output
    assert f"Add a heading `## {heading}`" in runs(fake)[-1]["output"]["summary"]


@pytest.mark.parametrize("heading", SECTIONS)
@pytest.mark.parametrize(
    "placeholder", ["", "TBD", "_Say what the problem is, for whom, and why now._", "<!-- fill in -->"]
)
def test_each_section_left_as_a_placeholder_fails_the_check(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]], heading: str, placeholder: str
) -> None:
    number = rfc_pull(fake, body=rfc_body(replace={heading: placeholder}))
    on_event("opened", number=number)
    result = check()
    assert result.exit_code == 1, result.output
    assert f"the “{heading}” section is empty" in result.output


def test_aliases_and_any_heading_style_count(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    body = "\n".join(
        [
            "# RFC: event store",
            "### 1. What is being decided?",
            "Postgres or ClickHouse for events.",
            "**Who decides**",
            "",
            "Decider",
            "-------",
            "@alice",
            "## ⏰ DEADLINE",
            "Dec 1, 2026 17:00 CET",
            "## Reviewers",
            "Required: @bob @carol",
            "Optional: @dave",
            "## Motivation",
            "Slow queries.",
            "## Proposal",
            "ClickHouse.",
            "## Background",
            "Benchmarks attached.",
        ]
    )
    number = rfc_pull(fake, body=body)
    on_event("opened", number=number)
    result = check()
    assert result.exit_code == 0, result.output
    comment = ours(fake, number)[0]["body"]
    assert "2026-12-01 17:00 +0100" in comment and "required 0/2 · optional 0/1" in comment


@pytest.mark.parametrize(
    ("decider", "exit_code", "says"),
    [
        ("@alice", 0, "**Decision maker:** `@alice`"),
        ("- @alice (owns the migration)", 0, "**Decision maker:** `@alice`"),
        ("Alice (@alice), as the owner", 0, "**Decision maker:** `@alice`"),
        ("alice", 1, "not named as an `@login`"),
        ("@alice or @bob", 1, "names 2 people"),
        ("@acme/storage", 1, "is a team"),
    ],
)
def test_decision_maker_forms(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]], decider: str, exit_code: int, says: str
) -> None:
    number = rfc_pull(fake, body=rfc_body(decider=decider))
    on_event("opened", number=number)
    result = check()
    assert result.exit_code == exit_code, result.output
    assert says in ours(fake, number)[0]["body"]


@pytest.mark.parametrize(
    "form", ["2026-12-01", "1 December 2026", "Dec 1, 2026", "December 1 2026", "1 Dec 2026"]
)
def test_every_date_form_is_read(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]], form: str
) -> None:
    number = rfc_pull(fake, body=rfc_body(date=form))
    on_event("opened", number=number)
    assert check().exit_code == 0
    assert "**Decision date:** 2026-12-01 (Tuesday)" in ours(fake, number)[0]["body"]


def test_a_past_date_on_an_open_rfc_is_overdue_not_malformed(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    number = rfc_pull(fake)
    on_event("reopened", number=number)
    result = check(now="2026-12-02T09:00:00+00:00")
    assert result.exit_code == 0, result.output
    assert runs(fake)[-1]["conclusion"] == "neutral"
    assert "Overdue." in ours(fake, number)[0]["body"]


def test_a_decision_section_does_not_turn_a_malformed_rfc_green(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    number = rfc_pull(fake, body=rfc_body(drop=("Problem",), decision="We do it."))
    on_event("opened", number=number)
    result = check()
    assert result.exit_code == 1, result.output
    assert runs(fake)[-1]["conclusion"] == "failure"


def test_a_pull_request_from_a_fork_with_a_read_only_token_exits_on_the_check_alone(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    fake.add_label(REPO, "rfc")
    number = rfc_pull(fake)
    on_event("opened", number=number, head_repo="mallory/handbook")
    for name in ("createCheckRun", "addComment", "addLabelsToLabelable"):
        fake.fail_mutation_field(name)
    result = check()
    assert result.exit_code == 0, result.output
    assert "the token may only read" in result.output and "from a fork" in result.output
    assert ours(fake, number) == []


def test_quick_edits_record_each_move_from_their_own_event(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]]
) -> None:
    number = rfc_pull(fake)
    on_event("opened", number=number)
    check()
    fake.edit_pull(REPO, number, body=rfc_body(date="2026-11-28"))
    fake.edit_pull(REPO, number, body=rfc_body(date="2026-11-30"))  # before the first run starts
    first = {
        "body": rfc_body(date="2026-11-28"),
        "body_from": rfc_body(),
        "updated_at": OPENED + timedelta(hours=1),
    }
    on_event("edited", number=number, **first)
    check()
    on_event(
        "edited", number=number, body_from=rfc_body(date="2026-11-28"), updated_at=OPENED + timedelta(hours=2)
    )
    check()
    on_event("edited", number=number, **first)  # the first run, re-run by hand later
    check()
    body = ours(fake, number)[0]["body"]
    assert "Decision date moved 2 times:" in body
    assert "| 2026-12-01 | 2026-11-28 |" in body and "| 2026-11-28 | 2026-11-30 |" in body


def test_a_webhook_url_with_a_bad_port_is_refused_without_showing_it(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GH_OPS_CHAT_WEBHOOK", "https://hooks.slack.com:99999/services/XXXXSECRET")
    number = rfc_pull(fake)
    on_event("opened", number=number)
    result = check()
    assert result.exit_code == 2, result.output
    assert "XXXXSECRET" not in result.output


def test_a_webhook_that_cannot_be_reached_is_a_warning_without_the_url(
    fake: FakeGitHub, on_event: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import requests

    monkeypatch.setenv("GH_OPS_CHAT_WEBHOOK", WEBHOOK)
    monkeypatch.setattr(chat, "SLEEP", lambda _s: None)
    fake.rsps.add(responses.POST, WEBHOOK, body=requests.ConnectionError(f"cannot reach {WEBHOOK}"))
    number = rfc_pull(fake)
    on_event("opened", number=number)
    result = check()
    assert result.exit_code == 0, result.output
    assert "not sent to chat" in result.output and "ConnectionError" in result.output
    assert "XXXXSECRET" not in result.output
