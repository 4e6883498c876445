"""gh_ops.github.GitHub against the stateful fake GitHub: paging, payloads, dry-run, request counting,
retries and back-off, rate limits, lost answers to writes, error messages, write spacing and GHE URLs.

Waits never happen: SLEEP and MONOTONIC are a controllable clock (a wait is recorded and moves the
clock on), and WALL_CLOCK is the fake's frozen clock, so rate-limit resets are exact.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import responses
from fakegithub import FakeGitHub, FrozenClock, NewFake
from requests import PreparedRequest

from gh_ops import github as gh_module
from gh_ops.context import Run
from gh_ops.errors import EXIT_GITHUB, GitHubError
from gh_ops.github import GitHub, PlannedWrite, RetryPolicy, graphql_url_for, web_url_for
from gh_ops.gql import mutation, repeatable, with_rate_limit

REPO = "acme/widgets"
ISSUES = f"/repos/{REPO}/issues"
ISSUES_RE = rf"^/repos/{REPO}/issues$"
COMMENTS_RE = rf"^/repos/{REPO}/issues/\d+/comments$"
TOKEN = "ghs_SECRET123"
BOT = "github-actions[bot]"
NOW = datetime(2026, 11, 20, 15, tzinfo=UTC)
GHE = "https://ghe.example.com/api/v3"
MARKER = "<!-- gh-ops:sprint team=web period=2026-11-23 number=24 -->"
VIEWER = "query Viewer { viewer { login } }"
CLOSE = "mutation Close($id: ID!) { closeIssue(input: {issueId: $id}) { issue { number } } }"
SECONDARY_TEXT = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."


# --------------------------------------------------------------------------- clocks and fixtures


class Clock:
    """Stands in for MONOTONIC and SLEEP: a wait is recorded and moves time on, nothing is slept."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class _Drop:
    method: str
    pattern: re.Pattern[str]
    remaining: int
    after_apply: bool
    error: type[Exception]


class NetworkFaults:
    """Transport failures in front of the fake: `responses` raises them as a dropped connection would.

    FakeGitHub only injects HTTP answers (fail_next & co.), and registering a second `responses`
    mock for the same URL would displace the fake's own callback (responses pops one of two
    matches), so this wraps the callbacks the fake registered instead. A request dropped before
    the fake sees it is not in `fake.requests`; an `after_apply` one is (GitHub did the work, only
    its answer was lost). Every dropped request is kept in `dropped`.
    """

    def __init__(self, rsps: responses.RequestsMock) -> None:
        self._drops: list[_Drop] = []
        self.dropped: list[PreparedRequest] = []
        for registered in rsps.registered():
            if isinstance(registered, responses.CallbackResponse):
                registered.callback = self._wrap(registered.callback)

    def drop(
        self,
        method: str,
        path_pattern: str,
        *,
        times: int = 1,
        after_apply: bool = False,
        error: type[Exception] = requests.ConnectionError,
    ) -> None:
        """Fail the next `times` matching requests (path regex, re.search) with `error`."""
        self._drops.append(_Drop(method.upper(), re.compile(path_pattern), times, after_apply, error))

    @property
    def pending(self) -> int:
        return sum(d.remaining for d in self._drops)

    def _take(self, request: PreparedRequest) -> _Drop | None:
        path = urlsplit(str(request.url)).path
        for drop in self._drops:
            if drop.remaining > 0 and drop.method == request.method and drop.pattern.search(path):
                drop.remaining -= 1
                return drop
        return None

    def _wrap(self, callback: Callable[[PreparedRequest], Any]) -> Callable[[PreparedRequest], Any]:
        def wrapped(request: PreparedRequest) -> Any:
            drop = self._take(request)
            if drop is None:
                return callback(request)
            self.dropped.append(request)
            if drop.after_apply:
                callback(request)
            raise drop.error(f"connection to {urlsplit(str(request.url)).hostname} dropped")

        return wrapped


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(gh_module, "SLEEP", c.sleep)
    monkeypatch.setattr(gh_module, "MONOTONIC", c.monotonic)
    return c


@pytest.fixture
def fake(new_fake: NewFake, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    frozen = FrozenClock(NOW)
    monkeypatch.setattr(gh_module, "WALL_CLOCK", lambda: frozen().timestamp())
    return new_fake(clock=frozen, repos={REPO: {"collaborators": ["alice", "bob"]}})


@pytest.fixture
def net(fake: FakeGitHub) -> NetworkFaults:
    return NetworkFaults(fake.rsps)


@pytest.fixture
def waits() -> list[str]:
    """What the client announced before each retry (its on_wait messages)."""
    return []


@pytest.fixture
def gh(fake: FakeGitHub, waits: list[str]) -> GitHub:
    return GitHub(token=TOKEN, on_wait=waits.append)


def seed(fake: FakeGitHub, count: int, *, start: datetime = NOW, **fields: Any) -> None:
    """`count` issues, one a minute ending at `start`, numbered oldest first."""
    for n in range(count):
        created = start - timedelta(minutes=count - 1 - n)
        fake.add_issue(REPO, title=f"issue {n + 1}", created_at=created, **fields)


def routes(fake: FakeGitHub) -> list[tuple[str, str, int | None]]:
    return [(r.method, r.path, r.status) for r in fake.requests]


# --------------------------------------------------------------------------- listing and paging


def test_list_issues_follows_link_headers_across_three_pages(fake: FakeGitHub, gh: GitHub) -> None:
    seed(fake, 250)

    issues = list(gh.list_issues(REPO))

    assert [i.number for i in issues] == list(range(250, 0, -1))  # newest first, nothing twice
    first = {"per_page": "100", "state": "all", "sort": "created", "direction": "desc"}
    assert [r.query for r in fake.requests] == [first, {**first, "page": "2"}, {**first, "page": "3"}]
    assert len(fake.reads) == 3 and fake.writes == []
    assert (gh.counter.reads, gh.counter.writes, gh.counter.retries) == (3, 0, 0)
    assert gh.counter.by_route == {f"GET {ISSUES}": 3}


def test_list_issues_is_lazy(fake: FakeGitHub, gh: GitHub) -> None:
    seed(fake, 250)
    listing = gh.list_issues(REPO)
    assert fake.requests == []  # nothing is fetched before the caller reads

    first_page = list(itertools.islice(listing, 100))

    assert [i.number for i in first_page] == list(range(250, 150, -1))
    assert len(fake.reads) == 1 and gh.counter.reads == 1
    assert next(listing).number == 150  # reading on fetches the next page, and only it
    assert len(fake.reads) == 2 and gh.counter.reads == 2


def test_list_issues_leaves_out_pull_requests(fake: FakeGitHub, gh: GitHub) -> None:
    for n in range(5):
        fake.add_issue(
            REPO, title=f"item {n}", pull_request=n % 2 == 1, created_at=NOW + timedelta(minutes=n)
        )

    issues = list(gh.list_issues(REPO))

    assert [(i.number, i.title) for i in issues] == [(5, "item 4"), (3, "item 2"), (1, "item 0")]
    assert not any(i.is_pull_request for i in issues)
    assert len(fake.reads) == 1


def test_pull_requests_filling_a_whole_page_are_paged_past(fake: FakeGitHub, gh: GitHub) -> None:
    fake.add_issue(REPO, title="the only issue", created_at=NOW - timedelta(days=1))
    seed(fake, 100, pull_request=True)  # newer: the whole first page is pull requests

    assert [i.title for i in gh.list_issues(REPO)] == ["the only issue"]
    assert len(fake.reads) == 2


def test_list_issues_sends_creator_labels_state_and_order(fake: FakeGitHub, gh: GitHub) -> None:
    fake.add_issue(REPO, title="bot, both labels", author=BOT, labels=["sprint", "team/web"])
    fake.add_issue(REPO, title="bot, one label", author=BOT, labels=["sprint"])
    fake.add_issue(REPO, title="human, both labels", author="mallory", labels=["sprint", "team/web"])
    fake.add_issue(REPO, title="bot, closed", author=BOT, labels=["sprint", "team/web"], state="closed")

    issues = list(
        gh.list_issues(
            REPO, state="open", creator=BOT, labels=("sprint", "team/web"), sort="updated", direction="asc"
        )
    )

    assert [i.title for i in issues] == ["bot, both labels"]
    assert fake.requests[0].query == {
        "per_page": "100",
        "state": "open",
        "creator": BOT,
        "labels": "sprint,team/web",
        "sort": "updated",
        "direction": "asc",
    }
    issue = issues[0]
    assert (issue.author, issue.labels, issue.state) == (BOT, ("sprint", "team/web"), "open")
    assert issue.url == f"https://github.com/{REPO}/issues/1"


def test_list_milestones_and_get_repository(fake: FakeGitHub, gh: GitHub) -> None:
    fake.add_milestone(REPO, "Q4")
    fake.add_milestone(REPO, "Q3", state="closed")

    assert [(m.number, m.title) for m in gh.list_milestones(REPO)] == [(1, "Q4")]
    assert gh.get_repository(REPO)["full_name"] == REPO
    assert [(r.path, r.query) for r in fake.requests] == [
        (f"/repos/{REPO}/milestones", {"per_page": "100", "state": "open"}),
        (f"/repos/{REPO}", {}),
    ]


# --------------------------------------------------------------------------- write payloads


def test_create_issue_sends_the_whole_payload_once(fake: FakeGitHub, gh: GitHub) -> None:
    fake.add_milestone(REPO, "Q4")

    issue = gh.create_issue(
        REPO, title="Sprint 24", body="Hello", labels=("sprint",), assignees=("alice",), milestone=1
    )

    (write,) = fake.writes
    assert (write.method, write.path, write.status) == ("POST", ISSUES, 201)
    assert write.json == {
        "title": "Sprint 24",
        "body": "Hello",
        "labels": ["sprint"],
        "assignees": ["alice"],
        "milestone": 1,
    }
    assert fake.reads == []
    assert (gh.counter.reads, gh.counter.writes) == (0, 1)
    assert gh.counter.by_route == {f"POST {ISSUES}": 1}
    assert (issue.number, issue.title, issue.body, issue.state) == (1, "Sprint 24", "Hello", "open")
    assert (issue.labels, issue.assignees, issue.author) == (("sprint",), ("alice",), BOT)
    assert issue.url == f"https://github.com/{REPO}/issues/1"
    assert issue.created_at == NOW
    assert not issue.planned and not issue.is_pull_request


def test_create_issue_without_milestone_leaves_the_key_out(fake: FakeGitHub, gh: GitHub) -> None:
    gh.create_issue(REPO, title="T", body="")
    assert fake.writes[0].json == {"title": "T", "body": "", "labels": [], "assignees": []}


def test_update_issue_sends_only_the_fields_given(fake: FakeGitHub, gh: GitHub, clock: Clock) -> None:
    fake.add_issue(REPO, title="Sprint 23", body="old")

    gh.update_issue(REPO, 1, why="link and close #1", body="new", state="closed", state_reason="completed")
    clock.advance(5)
    gh.update_issue(REPO, 1, why="rename #1", title="Sprint 23 (done)")

    assert [(w.method, w.path, w.json) for w in fake.writes] == [
        ("PATCH", f"{ISSUES}/1", {"body": "new", "state": "closed", "state_reason": "completed"}),
        ("PATCH", f"{ISSUES}/1", {"title": "Sprint 23 (done)"}),
    ]
    after = fake.issue(REPO, 1)
    assert (after["title"], after["body"], after["state"], after["state_reason"]) == (
        "Sprint 23 (done)",
        "new",
        "closed",
        "completed",
    )
    assert gh.counter.by_route == {f"PATCH {ISSUES}/1": 2}


def test_create_comment_posts_the_body(fake: FakeGitHub, gh: GitHub) -> None:
    fake.add_issue(REPO, title="Sprint 23")

    gh.create_comment(REPO, 1, "continues in #2", why="comment on #1")

    (write,) = fake.writes
    assert (write.method, write.path, write.json) == (
        "POST",
        f"{ISSUES}/1/comments",
        {"body": "continues in #2"},
    )
    assert [c["body"] for c in fake.comments(REPO, 1)] == ["continues in #2"]


def test_deleting_a_comment_twice_is_fine(fake: FakeGitHub, gh: GitHub) -> None:
    fake.add_issue(REPO, title="Sprint 23")
    comment = fake.add_comment(REPO, 1, body="twice", author="github-actions[bot]")

    gh.delete_comment(REPO, comment["id"], why="delete a comment on #1")
    gh.delete_comment(REPO, comment["id"], why="delete it again")  # 404: already gone

    assert fake.comments(REPO, 1) == []
    assert [(w.method, w.path) for w in fake.writes] == [("DELETE", f"{ISSUES}/comments/{comment['id']}")] * 2
    dry = GitHub(token=TOKEN, dry_run=True)
    dry.delete_comment(REPO, 7, why="delete a comment on #1")
    assert dry.planned == [PlannedWrite("DELETE", f"{ISSUES}/comments/7", {}, "delete a comment on #1")]
    assert len(fake.writes) == 2


def test_deleting_a_comment_fails_on_other_errors(fake: FakeGitHub, gh: GitHub) -> None:
    fake.add_issue(REPO, title="Sprint 23")
    comment = fake.add_comment(REPO, 1, body="kept", author="github-actions[bot]")
    fake.fail_next("DELETE", r"/issues/comments/", 403)
    with pytest.raises(GitHubError) as caught:
        gh.delete_comment(REPO, comment["id"], why="delete a comment on #1")
    assert caught.value.status == 403 and len(fake.comments(REPO, 1)) == 1


# --------------------------------------------------------------------------- dry run and counting


def test_dry_run_records_writes_sends_none_and_still_reads(fake: FakeGitHub, clock: Clock) -> None:
    gh = GitHub(token=TOKEN, dry_run=True)
    fake.add_issue(REPO, title="Sprint 23")

    assert [i.title for i in gh.list_issues(REPO)] == ["Sprint 23"]
    planned = gh.create_issue(
        REPO, title="Sprint 24", body="B", labels=("sprint",), assignees=("alice",), marker=MARKER
    )
    gh.update_issue(REPO, 1, why="close #1", state="closed", state_reason="completed")
    gh.create_comment(REPO, 1, "hello", why="comment on #1")

    assert gh.planned == [
        PlannedWrite(
            "POST",
            ISSUES,
            {"title": "Sprint 24", "body": "B", "labels": ["sprint"], "assignees": ["alice"]},
            "open issue 'Sprint 24'",
        ),
        PlannedWrite("PATCH", f"{ISSUES}/1", {"state": "closed", "state_reason": "completed"}, "close #1"),
        PlannedWrite("POST", f"{ISSUES}/1/comments", {"body": "hello"}, "comment on #1"),
    ]
    assert str(gh.planned[1]) == f"PATCH {ISSUES}/1  (close #1)"
    assert planned.planned and planned.number == 0 and planned.url == "(not created: dry run)"
    assert (planned.title, planned.labels, planned.assignees) == ("Sprint 24", ("sprint",), ("alice",))
    assert fake.writes == [] and len(fake.reads) == 1
    assert (gh.counter.reads, gh.counter.writes) == (1, 0)
    assert fake.issue(REPO, 1)["state"] == "open" and fake.comments(REPO, 1) == []
    assert clock.sleeps == []  # no write was sent, so none was spaced


def test_counter_counts_every_request_by_route(fake: FakeGitHub, gh: GitHub, clock: Clock) -> None:
    seed(fake, 150)
    fake.add_milestone(REPO, "Q4")

    gh.get_repository(REPO)
    list(gh.list_issues(REPO))
    gh.list_milestones(REPO)
    gh.create_issue(REPO, title="new", body="")
    gh.update_issue(REPO, 1, why="close #1", state="closed")
    gh.create_comment(REPO, 1, "bye", why="comment on #1")

    assert gh.counter.by_route == {
        f"GET /repos/{REPO}": 1,
        f"GET {ISSUES}": 2,
        f"GET /repos/{REPO}/milestones": 1,
        f"POST {ISSUES}": 1,
        f"PATCH {ISSUES}/1": 1,
        f"POST {ISSUES}/1/comments": 1,
    }
    assert (gh.counter.reads, gh.counter.writes, gh.counter.total) == (4, 3, 7)
    assert (len(fake.reads), len(fake.writes)) == (4, 3)
    assert gh.counter.retries == 0


# --------------------------------------------------------------------------- 5xx: back-off


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried_with_exponential_backoff(
    fake: FakeGitHub, gh: GitHub, clock: Clock, waits: list[str], status: int
) -> None:
    fake.add_issue(REPO, title="survivor")
    fake.server_error("GET", ISSUES_RE, times=4, status=status)

    assert [i.title for i in gh.list_issues(REPO)] == ["survivor"]
    assert clock.sleeps == [1, 2, 4, 8]
    assert [r.status for r in fake.requests] == [status] * 4 + [200]
    assert (gh.counter.reads, gh.counter.retries) == (5, 4)
    assert waits[0] == f"GitHub error {status} on GET {ISSUES}; retrying in 1s (try 2 of 5)"
    assert waits[-1] == f"GitHub error {status} on GET {ISSUES}; retrying in 8s (try 5 of 5)"


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_give_up_after_five_tries(
    fake: FakeGitHub, gh: GitHub, clock: Clock, status: int
) -> None:
    fake.server_error("GET", ISSUES_RE, times=5, status=status)

    with pytest.raises(GitHubError) as caught:
        list(gh.list_issues(REPO))

    error = caught.value
    assert error.exit_code == EXIT_GITHUB == 3
    assert error.status == status
    assert str(error) == f"GitHub answered {status} to GET {ISSUES} (list issues) after 5 tries: Server Error"
    assert clock.sleeps == [1, 2, 4, 8]  # no wait after the last try
    assert len(fake.reads) == 5 and fake.pending_failures == 0


def test_the_retry_policy_sets_tries_and_delays(fake: FakeGitHub, clock: Clock) -> None:
    gh = GitHub(token=TOKEN, retry=RetryPolicy(attempts=5, base_delay=10, max_delay=25))
    fake.server_error("GET", ISSUES_RE, times=4)
    list(gh.list_issues(REPO))
    assert clock.sleeps == [10, 20, 25, 25]

    few = GitHub(token=TOKEN, retry=RetryPolicy(attempts=3, base_delay=0.5))
    fake.server_error("GET", ISSUES_RE, times=3)
    with pytest.raises(GitHubError, match="after 3 tries"):
        list(few.list_issues(REPO))
    assert clock.sleeps[4:] == [0.5, 1.0]


@pytest.mark.parametrize(("retry_after", "waited"), [("7", 7.0), ("600", 60.0)])
def test_retry_after_on_a_server_error_is_honoured_up_to_max_delay(
    fake: FakeGitHub, gh: GitHub, clock: Clock, retry_after: str, waited: float
) -> None:
    fake.fail_next("GET", ISSUES_RE, 503, headers={"Retry-After": retry_after})
    list(gh.list_issues(REPO))
    assert clock.sleeps == [waited]
    assert len(fake.reads) == 2


def test_a_patch_is_idempotent_and_retried(fake: FakeGitHub, gh: GitHub, clock: Clock) -> None:
    fake.add_issue(REPO, title="Sprint 23")
    fake.server_error("PATCH", rf"^{ISSUES}/1$", times=2)

    gh.update_issue(REPO, 1, why="close #1", state="closed")

    assert [(w.method, w.status) for w in fake.writes] == [("PATCH", 502), ("PATCH", 502), ("PATCH", 200)]
    assert clock.sleeps == [1, 2]  # the back-off already spaces the writes
    assert fake.issue(REPO, 1)["state"] == "closed"


# --------------------------------------------------------------------------- rate limits


def test_secondary_rate_limit_waits_for_retry_after(
    fake: FakeGitHub, gh: GitHub, clock: Clock, waits: list[str]
) -> None:
    fake.secondary_rate_limit("GET", ISSUES_RE, retry_after=30)
    list(gh.list_issues(REPO))
    assert clock.sleeps == [30.0]
    assert [r.status for r in fake.requests] == [403, 200]
    assert waits == [f"GitHub secondary rate limit on GET {ISSUES}; retrying in 30s (try 2 of 5)"]


def test_secondary_rate_limit_without_retry_after_waits_a_minute_then_doubles(
    fake: FakeGitHub, gh: GitHub, clock: Clock
) -> None:
    fake.fail_next("GET", ISSUES_RE, 403, times=3, json={"message": SECONDARY_TEXT})
    list(gh.list_issues(REPO))
    assert clock.sleeps == [60, 120, 240]
    assert len(fake.reads) == 4


def test_secondary_rate_limit_without_retry_after_gives_up_after_five_tries(
    fake: FakeGitHub, gh: GitHub, clock: Clock
) -> None:
    fake.fail_next("GET", ISSUES_RE, 403, times=5, json={"message": SECONDARY_TEXT})
    with pytest.raises(GitHubError) as caught:
        list(gh.list_issues(REPO))
    assert clock.sleeps == [60, 120, 240, 480]
    assert "after 5 tries" in str(caught.value)
    assert "Rate limit: wait a few minutes before trying again." in str(caught.value)


def test_429_too_many_requests_is_a_rate_limit(fake: FakeGitHub, gh: GitHub, clock: Clock) -> None:
    fake.too_many_requests("GET", ISSUES_RE, retry_after=45)
    list(gh.list_issues(REPO))
    assert clock.sleeps == [45.0]


def test_a_bare_429_is_a_rate_limit_too(fake: FakeGitHub, gh: GitHub, clock: Clock) -> None:
    fake.fail_next("GET", ISSUES_RE, 429, json={"message": "Too Many Requests"})
    list(gh.list_issues(REPO))
    assert clock.sleeps == [60.0]
    assert len(fake.reads) == 2


def test_a_secondary_limit_longer_than_the_longest_wait_fails_now(
    fake: FakeGitHub, gh: GitHub, clock: Clock
) -> None:
    fake.secondary_rate_limit("GET", ISSUES_RE, retry_after=1800)
    with pytest.raises(GitHubError) as caught:
        list(gh.list_issues(REPO))
    assert clock.sleeps == [] and len(fake.reads) == 1
    # When Retry-After says, not when the (unrelated) hourly primary window resets.
    assert "Rate limit: try again at 15:30 UTC." in str(caught.value)


def test_a_rate_limited_post_is_retried_without_a_lookup(fake: FakeGitHub, gh: GitHub, clock: Clock) -> None:
    fake.secondary_rate_limit("POST", ISSUES_RE, retry_after=60)

    issue = gh.create_issue(REPO, title="T", body=MARKER, marker=MARKER)

    # A rate-limited request was refused, not applied: safe to repeat, no marker lookup needed.
    assert routes(fake) == [("POST", ISSUES, 403), ("POST", ISSUES, 201)]
    assert clock.sleeps == [60.0]
    assert issue.number == 1 and len(fake.issues(REPO)) == 1


@pytest.mark.parametrize("status", [403, 429])
def test_primary_rate_limit_resetting_soon_is_waited_out(
    fake: FakeGitHub, gh: GitHub, clock: Clock, waits: list[str], status: int
) -> None:
    fake.primary_rate_limit("GET", ISSUES_RE, reset_in=30, status=status)
    list(gh.list_issues(REPO))
    assert clock.sleeps == [31.0]  # until x-ratelimit-reset, plus a second
    assert waits == [f"GitHub rate limit on GET {ISSUES}; retrying in 31s (try 2 of 5)"]
    assert len(fake.reads) == 2


def test_a_primary_limit_with_retry_after_is_logged_as_the_primary_limit(
    fake: FakeGitHub, gh: GitHub, clock: Clock, waits: list[str]
) -> None:
    fake.primary_rate_limit("GET", ISSUES_RE, reset_in=600, retry_after=40)
    list(gh.list_issues(REPO))
    assert clock.sleeps == [40.0]  # Retry-After, when given, comes first
    assert waits == [f"GitHub rate limit on GET {ISSUES}; retrying in 40s (try 2 of 5)"]


@pytest.mark.parametrize(("reset_in", "waited"), [(899, True), (900, False), (3600, False)])
def test_primary_rate_limit_waits_only_up_to_max_rate_limit_wait(
    fake: FakeGitHub, gh: GitHub, clock: Clock, reset_in: int, waited: bool
) -> None:
    fake.primary_rate_limit("GET", ISSUES_RE, reset_in=reset_in)
    if waited:
        list(gh.list_issues(REPO))
        assert clock.sleeps == [reset_in + 1.0]
        return
    with pytest.raises(GitHubError) as caught:
        list(gh.list_issues(REPO))
    assert clock.sleeps == [] and len(fake.reads) == 1  # no retry: it fails at once
    error = caught.value
    assert error.status == 403 and error.exit_code == 3
    assert str(error).startswith(
        f"GitHub answered 403 to GET {ISSUES} (list issues): API rate limit exceeded"
    )
    reset = NOW + timedelta(seconds=reset_in)
    expected = (reset + timedelta(seconds=59)).replace(second=0)  # the first whole minute at or after
    assert f"Rate limit: try again at {expected:%H:%M} UTC." in str(error)


def test_primary_rate_limit_wait_follows_the_policy(fake: FakeGitHub, clock: Clock) -> None:
    gh = GitHub(token=TOKEN, retry=RetryPolicy(max_rate_limit_wait=10))
    fake.primary_rate_limit("GET", ISSUES_RE, reset_in=30)
    with pytest.raises(GitHubError, match=r"try again at 15:01 UTC"):
        list(gh.list_issues(REPO))
    assert clock.sleeps == []


# --------------------------------------------------------------------------- network errors


@pytest.mark.parametrize(
    "error", [requests.ConnectionError, requests.ReadTimeout, requests.exceptions.ChunkedEncodingError]
)
def test_network_errors_on_a_read_are_retried(
    fake: FakeGitHub, gh: GitHub, net: NetworkFaults, clock: Clock, waits: list[str], error: type[Exception]
) -> None:
    fake.add_issue(REPO, title="survivor")
    net.drop("GET", ISSUES_RE, times=2, error=error)

    assert [i.title for i in gh.list_issues(REPO)] == ["survivor"]
    assert clock.sleeps == [1, 2]
    assert len(net.dropped) == 2 and len(fake.reads) == 1  # the dropped two never reached GitHub
    assert (gh.counter.reads, gh.counter.retries) == (3, 2)
    assert waits[0].startswith("GitHub network error (") and waits[0].endswith(
        f" on GET {ISSUES}; retrying in 1s (try 2 of 5)"
    )


def test_a_refused_connection_names_the_host_it_tried(clock: Clock) -> None:
    # No fake in front: a real connection to a closed local port, refused at once.
    gh = GitHub(token=TOKEN, api_url="http://127.0.0.1:9/api/v3")
    with pytest.raises(GitHubError) as caught:
        gh.get_repository(REPO)
    assert str(caught.value) == (
        "could not reach GitHub for GET /repos/acme/widgets (read the repository) after 5 tries: "
        "127.0.0.1 refused the connection (check GITHUB_API_URL)"
    )
    assert clock.sleeps == [1, 2, 4, 8]


def test_network_errors_give_up_after_five_tries(
    fake: FakeGitHub, gh: GitHub, net: NetworkFaults, clock: Clock
) -> None:
    net.drop("GET", ISSUES_RE, times=5)
    with pytest.raises(GitHubError) as caught:
        list(gh.list_issues(REPO))
    assert str(caught.value) == (
        "could not reach GitHub for GET /repos/acme/widgets/issues (list issues) "
        "after 5 tries: the connection to api.github.com was dropped"
    )
    assert caught.value.exit_code == 3
    assert clock.sleeps == [1, 2, 4, 8] and net.pending == 0


def test_a_lost_answer_to_a_post_with_a_marker_finds_the_issue_instead_of_repeating_it(
    fake: FakeGitHub, gh: GitHub, net: NetworkFaults, clock: Clock
) -> None:
    net.drop("POST", ISSUES_RE, after_apply=True)

    issue = gh.create_issue(REPO, title="Sprint 24", body=f"{MARKER}\nhello", marker=MARKER)

    assert routes(fake) == [("POST", ISSUES, 201), ("GET", ISSUES, 200)]
    assert len(fake.issues(REPO)) == 1  # no duplicate
    assert (issue.number, issue.title, issue.body) == (1, "Sprint 24", f"{MARKER}\nhello")
    assert (gh.counter.reads, gh.counter.writes) == (1, 1)
    assert clock.sleeps == []


def test_a_502_after_github_created_the_issue_is_looked_up_by_marker(
    fake: FakeGitHub, gh: GitHub, clock: Clock
) -> None:
    fake.fail_after_apply("POST", ISSUES_RE, 502)

    issue = gh.create_issue(REPO, title="Sprint 24", body=f"{MARKER}\nhello", marker=MARKER)

    assert routes(fake) == [("POST", ISSUES, 502), ("GET", ISSUES, 200)]
    assert len(fake.issues(REPO)) == 1
    assert issue.number == 1 and issue.body.startswith(MARKER)
    assert clock.sleeps == []


def test_a_post_that_did_not_land_is_repeated_after_the_lookup(
    fake: FakeGitHub, gh: GitHub, net: NetworkFaults, clock: Clock
) -> None:
    fake.add_issue(REPO, title="an older issue", created_at=NOW - timedelta(hours=3))
    net.drop("POST", ISSUES_RE)  # dropped before GitHub saw it
    fake.server_error("POST", ISSUES_RE)  # then refused outright

    issue = gh.create_issue(REPO, title="Sprint 24", body=MARKER, marker=MARKER)

    assert routes(fake) == [
        ("GET", ISSUES, 200),  # lookup after the dropped POST: not there
        ("POST", ISSUES, 502),
        ("GET", ISSUES, 200),  # lookup after the 502: still not there
        ("POST", ISSUES, 201),
    ]
    assert issue.number == 2 and [i["title"] for i in fake.issues(REPO)] == ["an older issue", "Sprint 24"]
    assert clock.sleeps == [1, 2]
    assert (gh.counter.reads, gh.counter.writes, gh.counter.retries) == (2, 3, 2)


def test_a_post_that_never_lands_gives_up_saying_it_was_not_created(
    fake: FakeGitHub, gh: GitHub, clock: Clock
) -> None:
    fake.server_error("POST", ISSUES_RE, times=5)
    with pytest.raises(GitHubError, match=r"after 5 tries \(.*\); it was not created$"):
        gh.create_issue(REPO, title="Sprint 24", body=MARKER, marker=MARKER)
    assert [r.method for r in fake.requests] == ["POST", "GET"] * 5
    assert clock.sleeps == [1, 2, 4, 8]
    assert fake.issues(REPO) == []


def test_the_marker_lookup_reads_only_the_newest_page(fake: FakeGitHub, gh: GitHub, clock: Clock) -> None:
    seed(fake, 150, start=NOW - timedelta(hours=1))  # 150 recent issues: two pages of listing
    fake.server_error("POST", ISSUES_RE)
    gh.create_issue(REPO, title="Sprint 25", body="<!-- other -->", marker="<!-- other -->")
    # A lost POST's issue would be the newest: one page is enough before retrying the POST.
    assert [r.method for r in fake.requests] == ["POST", "GET", "POST"]


def test_the_marker_lookup_ignores_an_issue_someone_else_pasted_the_marker_into(
    fake: FakeGitHub, gh: GitHub, clock: Clock
) -> None:
    spoof = fake.add_issue(REPO, title="Sprint 24", body=MARKER + "\nfake", author="mallory")
    fake.server_error("POST", ISSUES_RE)
    issue = gh.create_issue(
        REPO, title="Sprint 24", body=MARKER, marker=MARKER, trusted_author=lambda login: login == BOT
    )
    assert issue.number != spoof["number"]
    assert issue.author == BOT
    assert [r.method for r in fake.requests] == ["POST", "GET", "POST"]


def test_a_lost_post_without_a_marker_is_not_repeated(
    fake: FakeGitHub, gh: GitHub, net: NetworkFaults, clock: Clock
) -> None:
    net.drop("POST", ISSUES_RE, after_apply=True)

    with pytest.raises(GitHubError) as caught:
        gh.create_issue(REPO, title="Sprint 24", body="hello")

    message = str(caught.value)
    assert message.startswith("GitHub failed while opening issue 'Sprint 24'")
    assert "it may or may not have been created" in message
    assert caught.value.exit_code == 3
    assert routes(fake) == [("POST", ISSUES, 201)]  # no blind retry, no lookup
    assert len(fake.issues(REPO)) == 1 and clock.sleeps == []


def test_a_comment_whose_answer_is_lost_is_found_not_repeated(
    fake: FakeGitHub, gh: GitHub, clock: Clock
) -> None:
    fake.add_issue(REPO, title="Sprint 23")
    fake.fail_after_apply("POST", COMMENTS_RE, 502)

    comment = gh.create_comment(REPO, 1, "continues in #2", why="comment on #1")

    assert comment is not None and comment.body == "continues in #2" and comment.author == BOT
    assert [c["body"] for c in fake.comments(REPO, 1)] == ["continues in #2"]  # no duplicate
    assert routes(fake) == [("POST", f"{ISSUES}/1/comments", 502), ("GET", f"{ISSUES}/1/comments", 200)]
    # Only the comments made since shortly before the POST are read back.
    assert fake.reads[0].query["since"] == "2026-11-20T14:55:00Z"
    assert clock.sleeps == []


def test_a_comment_that_did_not_land_is_posted_again_after_the_check(
    fake: FakeGitHub, gh: GitHub, net: NetworkFaults, clock: Clock, waits: list[str]
) -> None:
    fake.add_issue(REPO, title="Sprint 23")
    fake.add_comment(
        REPO, 1, body="continues in #2", author=BOT, created_at=NOW - timedelta(hours=2)
    )  # old twin
    net.drop("POST", COMMENTS_RE)  # lost before GitHub saw it
    fake.server_error("POST", COMMENTS_RE)  # then refused outright

    gh.create_comment(REPO, 1, "continues in #2", why="comment on #1")

    comments = f"{ISSUES}/1/comments"
    assert routes(fake) == [
        ("GET", comments, 200),
        ("POST", comments, 502),
        ("GET", comments, 200),
        ("POST", comments, 201),
    ]
    assert [c["body"] for c in fake.comments(REPO, 1)] == ["continues in #2"] * 2  # the old one, then ours
    assert clock.sleeps == [1, 2]
    assert waits[-1] == f"GitHub failed on POST {comments} and it did not land; retrying in 2s (try 3 of 5)"


@pytest.mark.parametrize("what", ["issue", "comment"])
def test_a_lost_post_waits_as_long_as_retry_after_says_before_sending_again(
    fake: FakeGitHub, gh: GitHub, clock: Clock, waits: list[str], what: str
) -> None:
    fake.add_issue(REPO, title="Sprint 23")
    pattern = ISSUES_RE if what == "issue" else COMMENTS_RE
    fake.fail_next("POST", pattern, 503, headers={"retry-after": "7"}, json={"message": "Unavailable"})
    if what == "issue":
        gh.create_issue(REPO, title="Sprint 24", body=MARKER, marker=MARKER)
    else:
        gh.create_comment(REPO, 1, "hello", why="comment on #1")
    assert clock.sleeps == [7.0]  # Retry-After, as for any 5xx
    assert len(waits) == 1 and waits[0].endswith("and it did not land; retrying in 7s (try 2 of 5)")


def test_a_comment_that_never_lands_says_it_was_not_posted(
    fake: FakeGitHub, gh: GitHub, clock: Clock
) -> None:
    fake.add_issue(REPO, title="Sprint 23")
    fake.server_error("POST", COMMENTS_RE, times=5)
    with pytest.raises(GitHubError) as caught:
        gh.create_comment(REPO, 1, "continues in #2", why="comment on #1")
    assert str(caught.value) == (
        'GitHub failed while commenting on #1 after 5 tries (Server Error: 502 {"message": "Server Error"}); '
        "it was not posted"
    )
    assert caught.value.exit_code == 3
    assert [r.method for r in fake.requests] == ["POST", "GET"] * 5
    assert clock.sleeps == [1, 2, 4, 8] and fake.comments(REPO, 1) == []


@pytest.mark.parametrize("what", ["label", "comment"])
@pytest.mark.parametrize("limit", ["primary", "secondary"])
def test_a_rate_limited_label_or_comment_is_waited_out_and_sent_again(
    fake: FakeGitHub, gh: GitHub, clock: Clock, what: str, limit: str
) -> None:
    fake.add_issue(REPO, title="Sprint 23")
    pattern = r"/labels$" if what == "label" else COMMENTS_RE
    if limit == "primary":
        fake.primary_rate_limit("POST", pattern, reset_in=30)
    else:
        fake.secondary_rate_limit("POST", pattern, retry_after=60)
    if what == "label":
        gh.create_label(REPO, "rfc", color="5319e7", description="x")
        assert [label["name"] for label in fake.labels(REPO)] == ["rfc"]
    else:
        gh.create_comment(REPO, 1, "hello", why="comment on #1")
        assert [c["body"] for c in fake.comments(REPO, 1)] == ["hello"]
    # Refused, not applied: sent again after the wait, with no look-up in between.
    assert [(r.method, r.status) for r in fake.requests] == [("POST", 403), ("POST", 201)]
    assert clock.sleeps == ([31.0] if limit == "primary" else [60.0])


def test_a_network_error_on_a_patch_is_retried(
    fake: FakeGitHub, gh: GitHub, net: NetworkFaults, clock: Clock
) -> None:
    fake.add_issue(REPO, title="Sprint 23")
    net.drop("PATCH", rf"^{ISSUES}/1$", after_apply=True)
    gh.update_issue(REPO, 1, why="close #1", state="closed")
    assert [w.status for w in fake.writes] == [200, 200]  # applied twice: same result
    assert fake.issue(REPO, 1)["state"] == "closed"
    assert clock.sleeps == [1]


# --------------------------------------------------------------------------- refusals


def test_401_names_the_token_variables(fake: FakeGitHub, clock: Clock) -> None:
    gh = GitHub(token=None)
    assert not gh.has_token
    with pytest.raises(GitHubError) as caught:
        gh.create_issue(REPO, title="T", body="")
    error = caught.value
    assert error.status == 401 and error.exit_code == 3
    assert str(error).startswith(
        f"GitHub answered 401 to POST {ISSUES} (open issue 'T'): Requires authentication"
    )
    assert "GITHUB_TOKEN" in str(error) and "GH_TOKEN" in str(error)
    assert len(fake.requests) == 1 and clock.sleeps == []  # not retried


def test_anonymous_reads_of_a_public_repository_work(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, title="public")
    assert [i.title for i in GitHub(token=None).list_issues(REPO)] == ["public"]
    assert "Authorization" not in fake.requests[0].headers


def test_403_without_a_rate_limit_is_about_permissions(fake: FakeGitHub, gh: GitHub, clock: Clock) -> None:
    fake.fail_next("POST", ISSUES_RE, 403, json={"message": "Resource not accessible by integration"})
    with pytest.raises(GitHubError) as caught:
        gh.create_issue(REPO, title="T", body="")
    message = str(caught.value)
    assert "403" in message and "Resource not accessible by integration" in message
    assert "permission" in message and "issues: write" in message
    assert "Rate limit" not in message
    assert len(fake.requests) == 1 and clock.sleeps == []


def test_404_names_the_repository_and_the_token(fake: FakeGitHub, gh: GitHub, clock: Clock) -> None:
    with pytest.raises(GitHubError) as caught:
        gh.get_repository("acme/nope")
    message = str(caught.value)
    assert message.startswith("GitHub answered 404 to GET /repos/acme/nope (read the repository): Not Found")
    assert "repository does not exist" in message and "token" in message and "--repo" in message
    assert caught.value.status == 404
    assert len(fake.requests) == 1 and clock.sleeps == []


def test_422_includes_the_validation_details(fake: FakeGitHub, gh: GitHub) -> None:
    with pytest.raises(GitHubError) as caught:
        gh.create_issue(REPO, title="T", body="", milestone=99)
    assert str(caught.value) == (
        f"GitHub answered 422 to POST {ISSUES} (open issue 'T'): Validation Failed (milestone invalid 99)"
    )
    assert caught.value.status == 422 and len(fake.writes) == 1


def test_an_assignee_github_refuses_opens_the_issue_unassigned(
    fake: FakeGitHub, gh: GitHub, clock: Clock
) -> None:
    warnings: list[str] = []

    issue = gh.create_issue(
        REPO,
        title="Sprint 24",
        body="",
        labels=("sprint",),
        assignees=("mallory",),
        on_warning=warnings.append,
    )

    assert [w.json["assignees"] for w in fake.writes] == [["mallory"], []]
    assert [w.status for w in fake.writes] == [422, 201]
    assert issue.assignees == () and issue.labels == ("sprint",)
    assert warnings == [
        "could not assign mallory to 'Sprint 24' (not a collaborator of the repository?); "
        "opened it unassigned"
    ]
    assert clock.sleeps == [1.0]  # the second POST is a write right after the first


def test_only_the_assignee_github_refuses_is_dropped(fake: FakeGitHub, gh: GitHub) -> None:
    warnings: list[str] = []

    issue = gh.create_issue(
        REPO, title="Sprint 24", body="", assignees=("alice", "mallory"), on_warning=warnings.append
    )

    assert [(w.status, w.json["assignees"]) for w in fake.writes] == [
        (422, ["alice", "mallory"]),
        (201, ["alice"]),
    ]
    assert issue.assignees == ("alice",)
    assert warnings == [
        "could not assign mallory to 'Sprint 24' (not a collaborator of the repository?); "
        "opened it assigned to alice"
    ]


def test_when_every_assignee_is_refused_the_issue_opens_unassigned(fake: FakeGitHub, gh: GitHub) -> None:
    warnings: list[str] = []

    # The fake, like GitHub, names one refused login per answer: one more POST per login.
    issue = gh.create_issue(
        REPO, title="T", body="", assignees=("mallory", "Eve"), on_warning=warnings.append
    )

    assert [(w.status, w.json["assignees"]) for w in fake.writes] == [
        (422, ["mallory", "Eve"]),
        (422, ["Eve"]),
        (201, []),
    ]
    assert issue.assignees == ()
    assert warnings == [
        "could not assign mallory, Eve to 'T' (not collaborators of the repository?); opened it unassigned"
    ]


def test_a_refusal_listing_several_logins_drops_them_in_one_go(fake: FakeGitHub, gh: GitHub) -> None:
    error = {"resource": "Issue", "field": "assignees", "code": "invalid", "value": ["Mallory", "eve"]}
    fake.fail_next("POST", ISSUES_RE, 422, json={"message": "Validation Failed", "errors": [error]})
    warnings: list[str] = []

    issue = gh.create_issue(
        REPO, title="T", body="", assignees=("alice", "mallory", "eve", "bob"), on_warning=warnings.append
    )

    assert [w.json["assignees"] for w in fake.writes] == [
        ["alice", "mallory", "eve", "bob"],
        ["alice", "bob"],
    ]
    assert issue.assignees == ("alice", "bob")
    assert warnings == [
        "could not assign mallory, eve to 'T' (not collaborators of the repository?); "
        "opened it assigned to alice, bob"
    ]


@pytest.mark.parametrize(
    "error",
    [
        {"resource": "Issue", "field": "assignees", "code": "invalid"},
        {"resource": "Issue", "field": "assignees", "code": "invalid", "value": ""},
        {"resource": "Issue", "field": "assignee", "code": "invalid", "value": None},
        {"resource": "Issue", "field": "assignees", "code": "invalid", "value": "zed"},  # not one we sent
    ],
    ids=["no value", "empty value", "null value", "a login not sent"],
)
def test_a_refusal_naming_no_login_sent_drops_every_assignee(
    fake: FakeGitHub, gh: GitHub, error: dict[str, Any]
) -> None:
    fake.fail_next("POST", ISSUES_RE, 422, json={"message": "Validation Failed", "errors": [error]})
    warnings: list[str] = []

    issue = gh.create_issue(REPO, title="T", body="", assignees=("alice", "bob"), on_warning=warnings.append)

    assert [w.json["assignees"] for w in fake.writes] == [["alice", "bob"], []]
    assert issue.assignees == ()
    assert warnings == [
        "could not assign alice, bob to 'T' (not collaborators of the repository?); opened it unassigned"
    ]


def test_repeated_assignee_refusals_stop_once_no_assignee_is_left(fake: FakeGitHub, gh: GitHub) -> None:
    error = {"resource": "Issue", "field": "assignees", "code": "invalid", "value": "alice"}
    fake.fail_next("POST", ISSUES_RE, 422, times=10, json={"message": "Validation Failed", "errors": [error]})
    warnings: list[str] = []

    with pytest.raises(GitHubError, match="assignees invalid alice"):
        gh.create_issue(REPO, title="T", body="", assignees=("alice", "bob"), on_warning=warnings.append)

    # alice is dropped, then (named again, though no longer sent) everyone; then it is not ours to fix.
    assert [w.json["assignees"] for w in fake.writes] == [["alice", "bob"], ["bob"], []]
    assert warnings == []  # nothing was opened


def test_the_assignee_fallback_needs_no_warning_callback(fake: FakeGitHub, gh: GitHub) -> None:
    assert gh.create_issue(REPO, title="T", body="", assignees=("mallory",)).assignees == ()


def test_a_422_about_something_else_is_not_taken_for_an_assignee_problem(
    fake: FakeGitHub, gh: GitHub
) -> None:
    warnings: list[str] = []
    with pytest.raises(GitHubError, match="milestone invalid 99"):
        gh.create_issue(
            REPO,
            title="Fix the assignees page",  # the word in the title must not trigger the fallback
            body="",
            assignees=("alice",),
            milestone=99,
            on_warning=warnings.append,
        )
    assert len(fake.writes) == 1 and warnings == []


def test_the_assignee_fallback_does_not_use_up_a_try(fake: FakeGitHub, clock: Clock) -> None:
    gh = GitHub(token=TOKEN, retry=RetryPolicy(attempts=2))
    fake.server_error("POST", ISSUES_RE)  # one lost answer (looked up: not there) ...

    issue = gh.create_issue(REPO, title="T", body=MARKER, assignees=("mallory",), marker=MARKER)

    # ... then the refused assignee: the issue still opens on the last allowed try.
    assert [(r.method, r.status) for r in fake.requests] == [
        ("POST", 502),
        ("GET", 200),
        ("POST", 422),
        ("POST", 201),
    ]
    assert issue.number == 1 and issue.assignees == ()


# --------------------------------------------------------------------------- write spacing


def test_consecutive_writes_are_spaced_by_write_spacing(fake: FakeGitHub, gh: GitHub, clock: Clock) -> None:
    fake.add_issue(REPO, title="Sprint 23")
    fake.on_graphql("Viewer", lambda query, variables: {"viewer": {"login": "octocat"}})

    gh.update_issue(REPO, 1, why="first", title="a")
    assert clock.sleeps == []  # the first write never waits
    gh.update_issue(REPO, 1, why="second", title="b")
    assert clock.sleeps == [1.0]  # immediately after: the whole second
    clock.advance(0.25)
    gh.create_comment(REPO, 1, "c", why="third")
    assert clock.sleeps == [1.0, 0.75]  # write_spacing - elapsed
    list(gh.list_issues(REPO))  # reads are never spaced
    gh.graphql(VIEWER, {}, why="read the viewer")  # nor are GraphQL queries
    clock.advance(1.5)
    gh.update_issue(REPO, 1, why="fourth", title="d")
    assert clock.sleeps == [1.0, 0.75]  # long enough ago: no wait


def test_write_spacing_follows_the_policy_and_covers_mutations(fake: FakeGitHub, clock: Clock) -> None:
    gh = GitHub(token=TOKEN, retry=RetryPolicy(write_spacing=2.5))
    fake.add_issue(REPO, title="Sprint 23")
    fake.on_graphql("Close", lambda query, variables: {"closeIssue": {"issue": {"number": 1}}})

    gh.update_issue(REPO, 1, why="first", title="a")
    clock.advance(1)
    gh.graphql(CLOSE, {"id": "I_1"}, why="close #1")

    assert clock.sleeps == [1.5]


# --------------------------------------------------------------------------- the token stays secret


def _fail_401(fake: FakeGitHub, gh: GitHub, net: NetworkFaults) -> None:
    fake.fail_next("GET", ISSUES_RE, 401, json={"message": "Bad credentials"})
    list(gh.list_issues(REPO))


def _fail_403(fake: FakeGitHub, gh: GitHub, net: NetworkFaults) -> None:
    fake.fail_next("POST", ISSUES_RE, 403, json={"message": "Resource not accessible by integration"})
    gh.create_issue(REPO, title="T", body="")


def _fail_404(fake: FakeGitHub, gh: GitHub, net: NetworkFaults) -> None:
    gh.get_repository("acme/nope")


def _fail_422(fake: FakeGitHub, gh: GitHub, net: NetworkFaults) -> None:
    gh.create_issue(REPO, title="T", body="", milestone=99)


def _fail_5xx(fake: FakeGitHub, gh: GitHub, net: NetworkFaults) -> None:
    fake.server_error("GET", ISSUES_RE, times=5)
    list(gh.list_issues(REPO))


def _fail_primary(fake: FakeGitHub, gh: GitHub, net: NetworkFaults) -> None:
    fake.primary_rate_limit("GET", ISSUES_RE, reset_in=3600)
    list(gh.list_issues(REPO))


def _fail_secondary(fake: FakeGitHub, gh: GitHub, net: NetworkFaults) -> None:
    fake.secondary_rate_limit("GET", ISSUES_RE, times=5)
    list(gh.list_issues(REPO))


def _fail_network(fake: FakeGitHub, gh: GitHub, net: NetworkFaults) -> None:
    net.drop("GET", ISSUES_RE, times=5)
    list(gh.list_issues(REPO))


def _fail_lost_issue(fake: FakeGitHub, gh: GitHub, net: NetworkFaults) -> None:
    net.drop("POST", ISSUES_RE, after_apply=True)
    gh.create_issue(REPO, title="T", body="")


def _fail_lost_issue_with_marker(fake: FakeGitHub, gh: GitHub, net: NetworkFaults) -> None:
    fake.server_error("POST", ISSUES_RE, times=5)
    gh.create_issue(REPO, title="T", body=MARKER, marker=MARKER)


def _fail_lost_comment(fake: FakeGitHub, gh: GitHub, net: NetworkFaults) -> None:
    fake.add_issue(REPO, title="T")
    fake.server_error("POST", COMMENTS_RE, times=5)
    gh.create_comment(REPO, 1, "hi", why="comment on #1")


def _fail_graphql_errors(fake: FakeGitHub, gh: GitHub, net: NetworkFaults) -> None:
    fake.on_graphql("Viewer", lambda query, variables: {"errors": [{"message": "Something went wrong"}]})
    gh.graphql(VIEWER, {}, why="read the viewer")


def _fail_lost_mutation(fake: FakeGitHub, gh: GitHub, net: NetworkFaults) -> None:
    fake.on_graphql("Close", lambda query, variables: {"closeIssue": None})
    fake.fail_after_apply("POST", "^/graphql$")
    gh.graphql(CLOSE, {"id": "I_1"}, why="close #1")


ERROR_PATHS = {
    "401": _fail_401,
    "403": _fail_403,
    "404": _fail_404,
    "422": _fail_422,
    "5xx": _fail_5xx,
    "primary-rate-limit": _fail_primary,
    "secondary-rate-limit": _fail_secondary,
    "network": _fail_network,
    "lost-issue": _fail_lost_issue,
    "lost-issue-with-marker": _fail_lost_issue_with_marker,
    "lost-comment": _fail_lost_comment,
    "graphql-errors": _fail_graphql_errors,
    "lost-mutation": _fail_lost_mutation,
}


@pytest.mark.parametrize("trigger", ERROR_PATHS.values(), ids=ERROR_PATHS.keys())
def test_the_token_never_appears_in_an_error(
    fake: FakeGitHub,
    gh: GitHub,
    net: NetworkFaults,
    clock: Clock,
    waits: list[str],
    trigger: Callable[[FakeGitHub, GitHub, NetworkFaults], None],
) -> None:
    with pytest.raises(GitHubError) as caught:
        trigger(fake, gh, net)

    error = caught.value
    assert error.exit_code == 3
    sent = [str(r.headers.get("Authorization", "")) for r in fake.requests]
    sent += [str(r.headers.get("Authorization", "")) for r in net.dropped]
    assert sent and all(TOKEN in header for header in sent)  # it was sent, so it could have leaked
    shown = "\n".join([str(error), *error.lines(), repr(error), *waits])
    assert TOKEN not in shown and "SECRET123" not in shown


# --------------------------------------------------------------------------- API roots


@pytest.mark.parametrize(
    ("api_url", "graphql", "web"),
    [
        ("https://api.github.com", "https://api.github.com/graphql", "https://github.com"),
        ("https://api.github.com/", "https://api.github.com/graphql", "https://github.com"),
        ("https://ghe.example.com/api/v3", "https://ghe.example.com/api/graphql", "https://ghe.example.com"),
        ("https://ghe.example.com/api/v3/", "https://ghe.example.com/api/graphql", "https://ghe.example.com"),
        ("http://localhost:8080/api/v3", "http://localhost:8080/api/graphql", "http://localhost:8080"),
        ("https://api.acme.ghe.com", "https://api.acme.ghe.com/graphql", "https://acme.ghe.com"),
    ],
)
def test_graphql_and_web_urls_for_an_api_root(api_url: str, graphql: str, web: str) -> None:
    assert graphql_url_for(api_url) == graphql
    assert web_url_for(api_url) == web
    gh = GitHub(token=TOKEN, api_url=api_url)
    assert (gh.api_url, gh.graphql_endpoint, gh.web_url) == (api_url.rstrip("/"), graphql, web)


def test_an_explicit_graphql_url_wins() -> None:
    gh = GitHub(token=TOKEN, api_url=GHE, graphql_url="https://gql.example.com/graphql")
    assert gh.graphql_endpoint == "https://gql.example.com/graphql"
    assert gh.web_url == "https://ghe.example.com"


def test_github_enterprise_server_requests_land_on_the_enterprise_host(
    new_fake: NewFake, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen = FrozenClock(NOW)
    fake = new_fake(clock=frozen, repos={REPO: {}}, api_url=GHE)
    seed(fake, 150)
    fake.on_graphql("Viewer", lambda query, variables: {"viewer": {"login": "octocat"}})
    gh = GitHub(token=TOKEN, api_url=GHE)

    assert gh.graphql_endpoint == "https://ghe.example.com/api/graphql"
    assert gh.web_url == "https://ghe.example.com"
    assert len(list(gh.list_issues(REPO))) == 150  # paging follows the GHE Link headers
    created = gh.create_issue(REPO, title="T", body="")
    assert gh.graphql(VIEWER, {}, why="read the viewer") == {"viewer": {"login": "octocat"}}

    assert {urlsplit(r.url).netloc for r in fake.requests} == {"ghe.example.com"}
    assert [(r.method, urlsplit(r.url).path) for r in fake.requests] == [
        ("GET", f"/api/v3{ISSUES}"),
        ("GET", f"/api/v3{ISSUES}"),
        ("POST", f"/api/v3{ISSUES}"),
        ("POST", "/api/graphql"),
    ]
    assert created.url == f"https://ghe.example.com/{REPO}/issues/151"
    assert gh.counter.by_route == {f"GET {ISSUES}": 2, f"POST {ISSUES}": 1, "POST /api/graphql": 1}


# --------------------------------------------------------------------------- GraphQL


def test_graphql_returns_data_and_counts_a_query_as_a_read(fake: FakeGitHub, gh: GitHub) -> None:
    seen: list[dict[str, Any]] = []

    def viewer(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        seen.append(variables)
        return {"viewer": {"login": "octocat"}}

    fake.on_graphql("Viewer", viewer)

    assert gh.graphql(VIEWER, {"n": 1}, why="read the viewer") == {"viewer": {"login": "octocat"}}
    assert seen == [{"n": 1}]
    (request,) = fake.requests
    # Every query also asks what it cost (gh_ops.gql.with_rate_limit).
    assert request.json == {"query": with_rate_limit(VIEWER), "variables": {"n": 1}}
    assert request.headers["Authorization"].endswith(TOKEN)
    assert len(fake.reads) == 1 and fake.writes == []
    assert (gh.counter.reads, gh.counter.writes) == (1, 0)
    assert gh.counter.by_route == {"POST /graphql": 1}


def test_graphql_errors_raise(fake: FakeGitHub, gh: GitHub) -> None:
    fake.on_graphql(
        "Viewer",
        lambda query, variables: {"data": None, "errors": [{"message": "A"}, {"message": "B"}]},
    )
    with pytest.raises(GitHubError) as caught:
        gh.graphql(VIEWER, {}, why="read the viewer")
    assert str(caught.value) == "GitHub GraphQL refused the query to read the viewer: A; B"
    assert caught.value.exit_code == 3


def test_a_graphql_mutation_counts_as_a_write(fake: FakeGitHub, gh: GitHub) -> None:
    fake.on_graphql("Close", lambda query, variables: {"closeIssue": {"issue": {"number": 7}}})
    assert gh.graphql(CLOSE, {"id": "I_7"}, why="close #7") == {"closeIssue": {"issue": {"number": 7}}}
    assert len(fake.writes) == 1 and fake.reads == []
    assert (gh.counter.reads, gh.counter.writes) == (0, 1)


def test_a_graphql_query_is_retried_but_a_lost_mutation_is_not(
    fake: FakeGitHub, gh: GitHub, clock: Clock
) -> None:
    fake.on_graphql("Viewer", lambda query, variables: {"viewer": {"login": "octocat"}})
    fake.on_graphql("Close", lambda query, variables: {"closeIssue": {"issue": {"number": 7}}})
    fake.server_error("POST", "^/graphql$")
    assert gh.graphql(VIEWER, {}, why="read the viewer") == {"viewer": {"login": "octocat"}}
    assert clock.sleeps == [1]

    fake.fail_after_apply("POST", "^/graphql$")
    with pytest.raises(GitHubError, match="may or may not have been applied"):
        gh.graphql(CLOSE, {"id": "I_7"}, why="close #7")
    assert len(fake.writes) == 1 and clock.sleeps == [1]


@pytest.mark.parametrize(
    ("parts", "retried"),
    [
        (["editComment", "addLabels"], True),  # the same text, the same labels: twice is once
        (["removeLabels"], True),
        (["editComment", "newComment"], False),  # a second comment would be a duplicate
        (["checkRun", "addLabels"], False),
    ],
)
def test_a_composed_mutation_is_sent_again_after_a_5xx_only_when_it_repeats_harmlessly(
    fake: FakeGitHub, gh: GitHub, clock: Clock, parts: list[str], retried: bool
) -> None:
    fake.on_graphql(
        "GhOpsWrites", lambda query, variables: {part: {"clientMutationId": None} for part in parts}
    )
    fake.fail_after_apply("POST", "^/graphql$")
    query, variables = mutation(parts), {part: {} for part in parts}
    assert repeatable(parts) is retried
    if retried:
        data, errors = gh.mutate(query, variables, why="write", repeatable=repeatable(parts))
        assert set(data) == set(parts) and errors == []
        assert len(fake.writes) == 2 and clock.sleeps == [1]
    else:
        with pytest.raises(GitHubError, match="may or may not have been applied"):
            gh.mutate(query, variables, why="write", repeatable=repeatable(parts))
        assert len(fake.writes) == 1 and clock.sleeps == []


def test_dry_run_records_a_mutation_and_still_sends_queries(fake: FakeGitHub, clock: Clock) -> None:
    gh = GitHub(token=TOKEN, dry_run=True)
    fake.on_graphql("Viewer", lambda query, variables: {"viewer": {"login": "octocat"}})

    assert gh.graphql(CLOSE, {"id": "I_7"}, why="close #7") == {}
    assert gh.graphql(VIEWER, {}, why="read the viewer") == {"viewer": {"login": "octocat"}}

    assert gh.planned == [
        PlannedWrite("POST", "/graphql", {"query": CLOSE, "variables": {"id": "I_7"}}, "close #7")
    ]
    assert fake.writes == [] and len(fake.reads) == 1
    assert (gh.counter.reads, gh.counter.writes) == (1, 0)


# --- labels -------------------------------------------------------------------------------------------


def test_create_label_returns_its_node_id_and_reads_back_a_lost_answer(fake: FakeGitHub, gh: GitHub) -> None:
    made = gh.create_label(REPO, "rfc", color="5319e7", description="A request for comments")
    assert made == {label["name"]: label["node_id"] for label in fake.labels(REPO)}["rfc"]
    fake.fail_after_apply("POST", r"/labels$")  # created, but the answer is lost
    lost = gh.create_label(REPO, "rfc:overdue", color="d93f0b", description="Past its date")
    names = [label["name"] for label in fake.labels(REPO)]
    assert names.count("rfc:overdue") == 1
    assert lost == {label["name"]: label["node_id"] for label in fake.labels(REPO)}["rfc:overdue"]


def test_create_label_that_someone_made_meanwhile_is_read_back(fake: FakeGitHub, gh: GitHub) -> None:
    fake.add_label(REPO, "rfc")
    found = gh.create_label(REPO, "rfc", color="5319e7", description="x")
    assert found == fake.labels(REPO)[0]["node_id"]


def test_create_label_that_did_not_land_is_created_on_a_later_try(
    fake: FakeGitHub, gh: GitHub, clock: Clock
) -> None:
    fake.server_error("POST", r"/labels$", times=2)
    made = gh.create_label(REPO, "rfc", color="5319e7", description="x")
    assert made == fake.labels(REPO)[0]["node_id"]
    read = f"/repos/{REPO}/labels/rfc"
    assert [(r.method, r.path, r.status) for r in fake.requests] == [
        ("POST", f"/repos/{REPO}/labels", 502),
        ("GET", read, 404),  # not there: safe to send again
        ("POST", f"/repos/{REPO}/labels", 502),
        ("GET", read, 404),
        ("POST", f"/repos/{REPO}/labels", 201),
    ]
    assert clock.sleeps == [1, 2]


def test_create_label_that_never_lands_says_it_was_not_created(
    fake: FakeGitHub, gh: GitHub, clock: Clock
) -> None:
    fake.server_error("POST", r"/labels$", times=5)
    with pytest.raises(
        GitHubError, match=r"creating label 'rfc' in acme/widgets after 5 tries \(.*\); it was not created$"
    ):
        gh.create_label(REPO, "rfc", color="5319e7", description="x")
    assert clock.sleeps == [1, 2, 4, 8] and fake.labels(REPO) == []


# --- the closing lines of a run -------------------------------------------------------------------


@pytest.mark.parametrize("failed", [False, True], ids=["finished", "failed"])
def test_a_dry_run_lists_its_writes_and_says_when_an_error_stopped_it(
    fake: FakeGitHub, clock: Clock, capsys: pytest.CaptureFixture[str], failed: bool
) -> None:
    run = Run(config_path=None, repo_option=REPO, dry_run=True, now_option=None, verbose=False)
    run._github = GitHub(token=TOKEN, dry_run=True)
    run._github.create_comment(REPO, 1, "hello", why="comment on #1")
    if failed:
        try:
            raise GitHubError("GitHub answered 502")
        except GitHubError:
            run.report_requests()  # as a command's `finally` or `except` does
    else:
        run.report_requests()
    out = capsys.readouterr().out
    stopped = "; then stopped by the error below" if failed else ""
    assert f"dry run: 1 write(s) not sent{stopped}:\n  POST /repos/{REPO}/issues/1/comments" in out
