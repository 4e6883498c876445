"""`gh-ops yolo check` end to end: real pull_request.closed, push and pull_request_review.submitted
payloads, the CLI, the GitHub boundary, and the fake GitHub answering GraphQL from its state."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, NewFake, load_payload

from gh_ops.cli import main
from gh_ops.markup import marker, read_marker

pytestmark = pytest.mark.usefixtures("no_wall_clock")

REPO = "acme/shop"
BOT = "github-actions[bot]"
AUTHOR = "maya"
OPENED = datetime(2026, 11, 24, 9, tzinfo=UTC)
MERGED = OPENED + timedelta(hours=4)
LATER = MERGED + timedelta(hours=2)
NOW = "2026-11-24T16:00:00+00:00"
CONFIG = "timezone: UTC\nteams: {}\n"
STAFF = [AUTHOR, "alice", "bob", "carol"]


@pytest.fixture
def fake(new_fake: NewFake, sleeps: list[float]) -> FakeGitHub:
    return new_fake(
        OPENED + timedelta(minutes=5),
        repos={REPO: {"collaborators": STAFF}},
        labels={REPO: ["yolo-merge", "emergency"]},
    )


@pytest.fixture
def workdir(checkout: Callable[[str, str], Path]) -> Path:
    return checkout(CONFIG, REPO)


@pytest.fixture
def send(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, dict[str, Any]], None]:
    counter = iter(range(1000))

    def make(name: str, payload: dict[str, Any]) -> None:
        path = workdir / f"event-{next(counter)}.json"
        path.write_text(json.dumps(payload), encoding="utf-8")
        monkeypatch.setenv("GITHUB_EVENT_NAME", name)
        monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))

    return make


def _repository(payload: dict[str, Any]) -> None:
    owner, name = REPO.split("/")
    payload["repository"].update(full_name=REPO, name=name, default_branch="main")
    payload["repository"]["owner"]["login"] = owner


def closed_event(fake: FakeGitHub, number: int) -> dict[str, Any]:
    """The real pull_request.closed payload, about #number as the fake has it (merged or not)."""
    payload = load_payload("pull_request.closed")
    current = fake.pull(REPO, number)
    pr = payload["pull_request"]
    payload["number"] = pr["number"] = number
    pr["merged"] = current["merged"]
    pr["merged_by"] = current["merged_by"]
    pr["head"]["sha"] = current["head"]["sha"]
    pr["base"]["ref"] = "main"
    pr["user"]["login"] = current["user"]["login"]
    _repository(payload)
    return payload


def review_event(number: int, state: str = "approved", pr_state: str = "closed") -> dict[str, Any]:
    payload = load_payload("pull_request_review.submitted")
    payload["review"]["state"] = state
    payload["pull_request"]["number"] = number
    payload["pull_request"]["state"] = pr_state
    payload["pull_request"]["base"]["ref"] = "main"
    _repository(payload)
    return payload


def push_event(before: str, after: str, shas: list[str], *, forced: bool = False) -> dict[str, Any]:
    payload = load_payload("push")
    payload.update(ref="refs/heads/main", before=before, after=after, forced=forced, created=False)
    template = payload["head_commit"]  # this sample push carries its one commit there
    payload["commits"] = [{**template, "id": sha} for sha in shas]
    payload["head_commit"] = {**template, "id": after}
    payload["pusher"] = {"name": AUTHOR, "email": "maya@example.com"}
    _repository(payload)
    return payload


def merged_pull(
    fake: FakeGitHub,
    *reviewers: str,
    author: str = AUTHOR,
    by: str = AUTHOR,
    body: str = "Fix the flaky export.",
    labels: tuple[str, ...] = (),
    method: str = "squash",
) -> int:
    number = fake.add_pull(
        REPO, title="Fix export", body=body, author=author, created_at=OPENED, labels=labels
    )
    for login in reviewers:
        fake.add_review(
            REPO, number, author=login, state="APPROVED", submitted_at=OPENED + timedelta(hours=1)
        )
    fake.merge_pull(REPO, number, by=by, at=MERGED, method=method)
    return number


def check(*args: str) -> Result:
    return CliRunner().invoke(main, ["--now", NOW, "yolo", "check", *args])


def ours(fake: FakeGitHub, number: int) -> list[dict[str, Any]]:
    return [
        c
        for c in fake.comments(REPO, number)
        if c["user"]["login"] == BOT and (read_marker(c["body"]) or ("",))[0] == "yolo"
    ]


def labels(fake: FakeGitHub, number: int) -> set[str]:
    return {label["name"] for label in fake.pull(REPO, number)["labels"]}


def follow_ups(fake: FakeGitHub) -> list[dict[str, Any]]:
    return [
        i
        for i in fake.issues(REPO)
        if "pull_request" not in i and "gh-ops:yolo-follow-up" in (i["body"] or "")
    ]


# --- a merged pull request ------------------------------------------------------------------------


def test_a_merge_without_review_is_labelled_and_the_merger_asked_for_a_review(
    fake: FakeGitHub, send: Callable[..., None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    number = merged_pull(fake, by="bob")
    send("pull_request", closed_event(fake, number))
    result = check()
    assert result.exit_code == 0, result.output
    assert labels(fake, number) == {"yolo-merge"}
    (comment,) = ours(fake, number)
    assert "@bob merged this pull request without a review" in comment["body"]
    assert "`no-approval`" in comment["body"] and "approval on this pull request clears" in comment["body"]
    assert f"#{number}: yolo merge (no-approval)" in summary.read_text()
    # The budget: one read, one mutation for the label and the comment, and the read after posting
    # it (issue 15: where an overlapping run's comment would be; GitHub has no unique key for one).
    assert (len(fake.reads), len(fake.writes)) == (2, 1)
    assert [r.json["query"].split("(")[0] for r in fake.reads] == [
        "query YoloPullRequest",
        "query YoloSettle",
    ]


def test_a_partly_refused_write_says_what_landed_and_a_rerun_finishes(
    fake: FakeGitHub, send: Callable[..., None]
) -> None:
    # GitHub runs the label and the comment as fields of one mutation and answers for each.
    number = merged_pull(fake)
    send("pull_request", closed_event(fake, number))
    fake.fail_mutation_field("addComment", message="Something went wrong", type="INTERNAL")
    result = check()
    assert result.exit_code == 3, result.output
    assert f"could not comment on #{number}: Something went wrong" in result.output
    assert f"Done: add label yolo-merge to #{number}." in result.output
    assert labels(fake, number) == {"yolo-merge"} and ours(fake, number) == []
    assert check().exit_code == 0
    assert labels(fake, number) == {"yolo-merge"} and len(ours(fake, number)) == 1


def test_a_rerun_adds_nothing(fake: FakeGitHub, send: Callable[..., None]) -> None:
    number = merged_pull(fake)
    send("pull_request", closed_event(fake, number))
    assert check().exit_code == 0
    fake.clear_requests()
    assert check().exit_code == 0
    assert len(ours(fake, number)) == 1 and fake.writes == [] and len(fake.reads) == 1


def test_a_reviewed_merge_costs_one_read_and_writes_nothing(
    fake: FakeGitHub, send: Callable[..., None]
) -> None:
    number = merged_pull(fake, "alice")
    send("pull_request", closed_event(fake, number))
    result = check()
    assert result.exit_code == 0 and f"#{number}: reviewed" in result.output
    assert (len(fake.reads), len(fake.writes)) == (1, 0) and ours(fake, number) == []


def test_a_pull_request_closed_without_merging_costs_nothing(
    fake: FakeGitHub, send: Callable[..., None]
) -> None:
    number = fake.add_pull(REPO, title="Drop it", body="x", author=AUTHOR)
    fake.close_pull(REPO, number)
    send("pull_request", closed_event(fake, number))
    result = check()
    assert result.exit_code == 0 and "was not merged" in result.output and fake.requests == []


def test_the_label_is_created_the_first_time(
    new_fake: NewFake, sleeps: list[float], send: Callable[..., None]
) -> None:
    fake = new_fake(OPENED, repos={REPO: {"collaborators": STAFF}})  # no yolo-merge label yet
    number = merged_pull(fake)
    send("pull_request", closed_event(fake, number))
    assert check().exit_code == 0
    assert labels(fake, number) == {"yolo-merge"}
    assert (len(fake.reads), len(fake.writes)) == (2, 2)  # and the read after posting (issue 15)


def test_a_merge_by_someone_else_is_not_a_review(fake: FakeGitHub, send: Callable[..., None]) -> None:
    number = merged_pull(fake, by="alice")
    send("pull_request", closed_event(fake, number))
    assert check().exit_code == 0 and labels(fake, number) == {"yolo-merge"}


def test_a_stale_approval_is_named(fake: FakeGitHub, send: Callable[..., None]) -> None:
    number = fake.add_pull(REPO, title="Fix", body="x", author=AUTHOR, created_at=OPENED)
    fake.add_review(REPO, number, author="alice", state="APPROVED", submitted_at=OPENED + timedelta(hours=1))
    fake.add_pull_commit(REPO, number, message="One more thing", at=OPENED + timedelta(hours=2))
    fake.merge_pull(REPO, number, by=AUTHOR, at=MERGED)
    send("pull_request", closed_event(fake, number))
    assert check().exit_code == 0
    assert "`stale-approval`" in ours(fake, number)[0]["body"]


def test_an_approval_followed_only_by_a_merge_of_main_is_fresh(
    fake: FakeGitHub, send: Callable[..., None]
) -> None:
    number = fake.add_pull(REPO, title="Fix", body="x", author=AUTHOR, created_at=OPENED)
    fake.add_review(REPO, number, author="alice", state="APPROVED", submitted_at=OPENED + timedelta(hours=1))
    fake.add_pull_commit(REPO, number, message="Merge branch 'main' into patch-1", parents=2)
    fake.merge_pull(REPO, number, by=AUTHOR, at=MERGED, method="merge")
    send("pull_request", closed_event(fake, number))
    assert check().exit_code == 0 and labels(fake, number) == set()


def test_a_co_authors_approval_is_self_approval(fake: FakeGitHub, send: Callable[..., None]) -> None:
    number = fake.add_pull(REPO, title="Fix", body="x", author=AUTHOR, created_at=OPENED)
    fake.add_pull_commit(
        REPO, number, message="Pair on it\n\nCo-authored-by: Alice <7+alice@users.noreply.github.com>"
    )
    fake.add_review(REPO, number, author="alice", state="APPROVED", submitted_at=OPENED + timedelta(hours=1))
    fake.merge_pull(REPO, number, by=AUTHOR, at=MERGED)
    send("pull_request", closed_event(fake, number))
    assert check().exit_code == 0
    assert "`self-approval-only`" in ours(fake, number)[0]["body"]


@pytest.mark.parametrize("known", [True, False])
def test_a_co_author_with_a_work_email_is_matched_to_their_account(
    fake: FakeGitHub, send: Callable[..., None], known: bool
) -> None:
    if known:
        fake.emails["alice.smith@acme.example"] = "alice"  # GitHub knows whose address it is
    number = fake.add_pull(REPO, title="Fix", body="x", author=AUTHOR, created_at=OPENED)
    fake.add_pull_commit(
        REPO, number, message="Pair on it\n\nCo-authored-by: Alice Smith <alice.smith@acme.example>"
    )
    fake.add_review(REPO, number, author="alice", state="APPROVED", submitted_at=OPENED + timedelta(hours=1))
    fake.merge_pull(REPO, number, by=AUTHOR, at=MERGED)
    send("pull_request", closed_event(fake, number))
    assert check().exit_code == 0
    if known:
        assert "`self-approval-only`" in ours(fake, number)[0]["body"]
    else:  # an address no account claims: the approval is a stranger's, and counts
        assert ours(fake, number) == [] and labels(fake, number) == set()


def test_a_dismissed_approval_does_not_count(fake: FakeGitHub, send: Callable[..., None]) -> None:
    number = fake.add_pull(REPO, title="Fix", body="x", author=AUTHOR, created_at=OPENED)
    fake.add_review(REPO, number, author="alice", state="DISMISSED", submitted_at=OPENED + timedelta(hours=1))
    fake.merge_pull(REPO, number, by=AUTHOR, at=MERGED)
    send("pull_request", closed_event(fake, number))
    assert check().exit_code == 0 and "`no-approval`" in ours(fake, number)[0]["body"]


def test_changes_requested_is_named(fake: FakeGitHub, send: Callable[..., None]) -> None:
    number = fake.add_pull(REPO, title="Fix", body="x", author=AUTHOR, created_at=OPENED)
    fake.add_review(REPO, number, author="alice", state="APPROVED", submitted_at=OPENED + timedelta(hours=1))
    fake.add_review(
        REPO, number, author="alice", state="CHANGES_REQUESTED", submitted_at=OPENED + timedelta(hours=2)
    )
    fake.merge_pull(REPO, number, by=AUTHOR, at=MERGED)
    send("pull_request", closed_event(fake, number))
    assert check().exit_code == 0
    body = ours(fake, number)[0]["body"]
    assert "`no-approval`" in body and "`changes-requested`" in body


@pytest.mark.parametrize(("bot", "flagged"), [("dependabot[bot]", False), ("renovate[bot]", True)])
def test_bots_pass_only_from_the_allow_list(
    fake: FakeGitHub, send: Callable[..., None], bot: str, flagged: bool
) -> None:
    number = merged_pull(fake, author=bot)
    send("pull_request", closed_event(fake, number))
    assert check().exit_code == 0
    assert (labels(fake, number) == {"yolo-merge"}) is flagged
    if flagged:
        assert "`bot-not-allowed`" in ours(fake, number)[0]["body"]


def test_fail_on_yolo_exits_1_for_an_unexcused_yolo_merge(
    fake: FakeGitHub, send: Callable[..., None]
) -> None:
    number = merged_pull(fake)
    send("pull_request", closed_event(fake, number))
    assert check("--fail-on-yolo").exit_code == 1


def test_dry_run_never_writes(fake: FakeGitHub, send: Callable[..., None]) -> None:
    number = merged_pull(fake, labels=("emergency",))
    send("pull_request", closed_event(fake, number))
    result = check("--dry-run")
    assert result.exit_code == 0, result.output
    assert fake.writes == [] and "would open follow-up issue" in result.output
    assert ours(fake, number) == [] and follow_ups(fake) == []


def test_a_marker_in_someone_elses_comment_is_not_ours(fake: FakeGitHub, send: Callable[..., None]) -> None:
    number = merged_pull(fake)
    fake.add_comment(REPO, number, body=marker("yolo") + "\nall good, nothing to see", author="mallory")
    send("pull_request", closed_event(fake, number))
    assert check().exit_code == 0
    (comment,) = ours(fake, number)
    assert "without a review" in comment["body"]


# --- emergencies ------------------------------------------------------------------------------------


def test_an_emergency_label_opens_one_follow_up_issue_for_the_merger(
    fake: FakeGitHub, send: Callable[..., None]
) -> None:
    number = merged_pull(fake, by="bob", labels=("emergency",))
    send("pull_request", closed_event(fake, number))
    result = check("--fail-on-yolo")
    assert result.exit_code == 0, result.output  # an emergency is excused
    # The issue, then the comment; one read before, one after (issue 15).
    assert (len(fake.reads), len(fake.writes)) == (2, 2)
    (issue,) = follow_ups(fake)
    assert issue["title"] == f"Post-merge review needed: #{number} Fix export"
    assert [a["login"] for a in issue["assignees"]] == ["bob"]
    assert "yolo-merge" not in labels(fake, number)
    (comment,) = ours(fake, number)
    assert "as an emergency" in comment["body"] and f"Follow-up: #{issue['number']}" in comment["body"]
    # Re-running finds the issue through the comment and opens no other.
    fake.clear_requests()
    assert check().exit_code == 0
    assert len(follow_ups(fake)) == 1 and fake.writes == []


def test_an_emergency_line_in_the_body_is_an_emergency(fake: FakeGitHub, send: Callable[..., None]) -> None:
    number = merged_pull(fake, body="Roll back the payment change.\n\nEmergency: checkout is down")
    send("pull_request", closed_event(fake, number))
    assert check().exit_code == 0
    assert "as an emergency (checkout is down)" in ours(fake, number)[0]["body"]
    assert len(follow_ups(fake)) == 1


# --- after the merge: a review clears the flag ------------------------------------------------------


def test_a_post_merge_approval_clears_the_flag_and_closes_the_follow_up(
    fake: FakeGitHub, send: Callable[..., None]
) -> None:
    number = merged_pull(fake, labels=("emergency",))
    send("pull_request", closed_event(fake, number))
    assert check().exit_code == 0
    (issue,) = follow_ups(fake)

    fake.add_review(REPO, number, author="alice", state="APPROVED", submitted_at=LATER)
    send("pull_request_review", review_event(number))
    fake.clear_requests()
    result = check()
    assert result.exit_code == 0, result.output
    assert "reviewed after the merge by alice" in result.output
    (comment,) = ours(fake, number)
    assert "@alice approved it after the merge" in comment["body"]
    assert fake.issue(REPO, issue["number"])["state"] == "closed"
    assert (len(fake.reads), len(fake.writes)) == (1, 2)  # the comment; closing the issue
    # A person reopens the issue; a re-run of the review's check leaves it open and writes nothing.
    fake.edit_issue(REPO, issue["number"], by="bob", state="open")
    fake.clear_requests()
    assert check().exit_code == 0
    assert fake.writes == [] and fake.issue(REPO, issue["number"])["state"] == "open"


def test_a_post_merge_approval_removes_the_label(fake: FakeGitHub, send: Callable[..., None]) -> None:
    number = merged_pull(fake)
    send("pull_request", closed_event(fake, number))
    assert check().exit_code == 0 and labels(fake, number) == {"yolo-merge"}
    fake.add_review(REPO, number, author="alice", state="APPROVED", submitted_at=LATER)
    send("pull_request_review", review_event(number))
    assert check().exit_code == 0
    assert labels(fake, number) == set()
    fake.clear_requests()
    assert check().exit_code == 0 and fake.writes == []


def test_a_post_merge_approval_by_the_author_clears_nothing(
    fake: FakeGitHub, send: Callable[..., None]
) -> None:
    number = merged_pull(fake, "alice", by="alice")
    fake.add_review(REPO, number, author=AUTHOR, state="APPROVED", submitted_at=LATER)
    send("pull_request_review", review_event(number))
    assert check().exit_code == 0
    number2 = merged_pull(fake)
    fake.add_review(REPO, number2, author=AUTHOR, state="APPROVED", submitted_at=LATER)
    send("pull_request_review", review_event(number2))
    assert check().exit_code == 0 and labels(fake, number2) == {"yolo-merge"}


def test_a_review_that_is_not_an_approval_or_on_an_open_pull_request_costs_nothing(
    fake: FakeGitHub, send: Callable[..., None]
) -> None:
    send("pull_request_review", review_event(3, state="commented"))
    assert check().exit_code == 0 and fake.requests == []
    send("pull_request_review", review_event(3, pr_state="open"))
    assert check().exit_code == 0 and fake.requests == []


# --- pushes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["merge", "squash", "rebase"])
def test_the_commits_a_merged_pull_request_brings_are_not_direct_pushes(
    fake: FakeGitHub, send: Callable[..., None], method: str
) -> None:
    tip = fake.push_commit(REPO, author=AUTHOR, at=OPENED)
    number = fake.add_pull(REPO, title="Fix", body="x", author=AUTHOR, created_at=OPENED)
    fake.add_pull_commit(REPO, number, message="Second step")
    fake.merge_pull(REPO, number, by=AUTHOR, at=MERGED, method=method)
    new = fake.history(REPO)[1:]
    assert len(new) == {"merge": 3, "squash": 1, "rebase": 2}[method]
    send("push", push_event(tip, new[-1], new))
    result = check()
    assert result.exit_code == 0, result.output
    assert "direct" not in result.output and (len(fake.reads), len(fake.writes)) == (1, 0)
    # The pull request itself is judged on its own event, whatever the merge method.
    send("pull_request", closed_event(fake, number))
    assert check().exit_code == 0 and labels(fake, number) == {"yolo-merge"}


def test_commits_pushed_straight_to_main_are_direct_pushes(
    fake: FakeGitHub, send: Callable[..., None]
) -> None:
    tip = fake.push_commit(REPO, author=AUTHOR, at=OPENED)
    first = fake.push_commit(REPO, author=AUTHOR, message="Quick fix", at=MERGED)
    second = fake.push_commit(REPO, author="dependabot[bot]", message="Bump", at=MERGED)
    send("push", push_event(tip, second, [first, second]))
    result = check("--fail-on-yolo")
    assert result.exit_code == 1
    assert f"{first[:7]}: yolo merge (direct-push)" in result.output
    assert f"{second[:7]}: pushed by an allowed bot" in result.output
    assert (len(fake.reads), len(fake.writes)) == (1, 0)


def test_every_commit_of_a_push_of_more_than_100_is_read(fake: FakeGitHub, send: Callable[..., None]) -> None:
    """A push is read 100 commits (1 point) a request until each of its commits is found."""
    tip = fake.push_commit(REPO, author=AUTHOR, at=OPENED)
    pushed = [fake.push_commit(REPO, author=AUTHOR, message=f"Step {i}", at=MERGED) for i in range(150)]
    send("push", push_event(tip, pushed[-1], pushed))
    result = check("--fail-on-yolo")
    assert result.exit_code == 1, result.output
    reported = {line.split(":")[0] for line in result.output.splitlines() if "(direct-push)" in line}
    assert reported == {sha[:7] for sha in pushed}
    assert (len(fake.reads), len(fake.writes)) == (2, 0)


def test_a_commit_a_release_pull_request_brought_is_not_a_direct_push(
    fake: FakeGitHub, send: Callable[..., None]
) -> None:
    """A fix squash-merged into a release branch, then the release merged into main: GitHub
    associates the fix's commit with both pull requests, the release branch's first."""
    tip = fake.push_commit(REPO, author=AUTHOR, at=OPENED)
    fix = fake.add_pull(REPO, title="Fix", body="x", author=AUTHOR, created_at=OPENED, base="release")
    squashed = fake.merge_pull(REPO, fix, by=AUTHOR, at=OPENED, method="squash")["merge_commit_sha"]
    release = fake.add_pull(
        REPO, title="Release", body="x", author="bob", created_at=OPENED, head_sha=squashed
    )
    fake.add_review(REPO, release, author="alice", state="APPROVED", submitted_at=MERGED)
    fake.merge_pull(REPO, release, by="bob", at=MERGED, method="merge")
    new = fake.history(REPO)[1:]
    assert squashed in new
    send("push", push_event(tip, new[-1], new))
    result = check("--fail-on-yolo")
    assert result.exit_code == 0, result.output
    assert "direct" not in result.output


def test_a_force_push_is_reported_with_both_tips(fake: FakeGitHub, send: Callable[..., None]) -> None:
    base = fake.push_commit(REPO, author=AUTHOR, at=OPENED)
    old = fake.push_commit(REPO, author=AUTHOR, at=OPENED)
    fake.rewrite_history(REPO, 1)
    new = fake.push_commit(REPO, author=AUTHOR, message="Rewritten", at=MERGED)
    assert fake.history(REPO) == [base, new]
    send("push", push_event(old, new, [new], forced=True))
    result = check()
    assert result.exit_code == 0, result.output
    assert f"yolo merge (force-push), {old}...{new}" in result.output
    assert f"{new[:7]}: yolo merge (direct-push)" in result.output


def test_a_push_to_another_branch_costs_nothing(fake: FakeGitHub, send: Callable[..., None]) -> None:
    payload = push_event("0" * 40, "1" * 40, ["1" * 40])
    payload["ref"] = "refs/heads/feature"
    send("push", payload)
    result = check()
    assert result.exit_code == 0 and "not the default branch" in result.output and fake.requests == []


# --- bad input ------------------------------------------------------------------------------------------


def test_an_event_it_does_not_handle_is_a_usage_error(fake: FakeGitHub, send: Callable[..., None]) -> None:
    send("issues", load_payload("issues.opened"))
    result = check()
    assert result.exit_code == 2 and "yolo check runs on" in result.output and fake.requests == []


def test_a_payload_without_a_pull_request_number_is_a_usage_error(
    fake: FakeGitHub, send: Callable[..., None]
) -> None:
    payload = load_payload("pull_request.closed")
    del payload["pull_request"]["number"]
    send("pull_request", payload)
    result = check()
    assert result.exit_code == 2
    assert "pull_request.number is missing, expected an issue or pull" in result.output


def test_the_check_never_reads_the_clock_so_a_bad_now_does_not_stop_it(
    fake: FakeGitHub, send: Callable[..., None]
) -> None:
    number = fake.add_pull(REPO, title="Drop it", body="x", author=AUTHOR)
    fake.close_pull(REPO, number)
    send("pull_request", closed_event(fake, number))
    result = CliRunner().invoke(main, ["--now", "garbage", "yolo", "check"])
    assert result.exit_code == 0, result.output
    assert "was not merged" in result.output


def test_pr_option_checks_one_merged_pull_request(fake: FakeGitHub, workdir: Path) -> None:
    number = merged_pull(fake)
    result = check("--pr", str(number))
    assert result.exit_code == 0 and labels(fake, number) == {"yolo-merge"}
    result = check("--pr", "999")
    assert result.exit_code == 2 and "no pull request #999" in result.output
