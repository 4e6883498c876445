"""The only door to GitHub: auth, API roots, retries with backoff, paging, request counting, dry-run."""

from __future__ import annotations

import itertools
import math
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import github as pygithub  # the only import of PyGithub in gh-ops
import requests
from github import GithubException

from gh_ops.errors import (
    GitHubError,
    GraphQLNotFound,
    RateLimited,
    UsageError,
    WriteBudgetReached,
    WriteBudgetTooSmall,
)
from gh_ops.gql import RATE_LIMIT_ALIAS, with_rate_limit
from gh_ops.models import Comment, Issue, Label, Milestone, TimelineEvent

DEFAULT_API_URL = "https://api.github.com"

# Indirection so tests (and benchmarks) can make waiting instant without touching time.sleep.
SLEEP: Callable[[float], None] = time.sleep
MONOTONIC: Callable[[], float] = time.monotonic
WALL_CLOCK: Callable[[], float] = time.time  # compared with x-ratelimit-reset


def graphql_url_for(api_url: str) -> str:
    """GraphQL endpoint for a REST root: api.github.com/graphql, or <host>/api/graphql on GHES."""
    root = api_url.rstrip("/")
    if root.endswith("/api/v3"):
        return root[: -len("/v3")] + "/graphql"
    return root + "/graphql"


def web_url_for(api_url: str) -> str:
    """The web host for an API root, for links in text (github.com, or the GHES host)."""
    parts = urlsplit(api_url)
    host = parts.netloc
    if host == "api.github.com":
        return "https://github.com"
    if host.startswith("api."):
        host = host[len("api.") :]  # GHE.com data residency: api.acme.ghe.com -> acme.ghe.com
    return f"{parts.scheme}://{host}"


@dataclass(frozen=True)
class PlannedWrite:
    """A write that dry-run did not send: exactly what would have gone to GitHub."""

    method: str
    path: str
    payload: dict[str, Any]
    why: str

    def __str__(self) -> str:
        return f"{self.method} {self.path}  ({self.why})"


@dataclass
class RetryPolicy:
    attempts: int = 5  # tries per request, the first included
    base_delay: float = 1.0  # 5xx back-off: 1, 2, 4, 8 ... seconds
    max_delay: float = 60.0
    secondary_wait: float = 60.0  # GitHub: wait at least a minute after a secondary limit
    max_rate_limit_wait: float = 900.0  # longer than this, fail now and say when to retry
    write_spacing: float = 1.0  # GitHub asks for a pause between content-creating requests


@dataclass
class RequestCounter:
    reads: int = 0
    writes: int = 0
    retries: int = 0
    by_route: dict[str, int] = field(default_factory=dict)
    points: int = 0  # GraphQL points: as GitHub reported each query's cost, 1 per mutation
    points_left: int | None = None  # what the hour had left after the last GraphQL request

    @property
    def total(self) -> int:
        return self.reads + self.writes


class _Ambiguous(Exception):
    """A write failed in a way that leaves unknown whether GitHub applied it."""

    def __init__(self, cause: Exception, text: str | None = None) -> None:
        super().__init__(text or str(cause))
        self.cause = cause


# How far GitHub's clock may be behind ours when looking for a comment a lost answer made.
_CLOCK_SKEW = 300.0

_RATE_LIMIT_TEXT = re.compile(r"rate limit|abuse detection|retry your request again later", re.I)


def _is_rate_limited(status: int, headers: dict[str, str], message: str) -> bool:
    """A primary or secondary rate limit: any 429, or a 403 that says so (headers or text)."""
    if status == 429:
        return True
    return status == 403 and bool(
        headers.get("retry-after")
        or headers.get("x-ratelimit-remaining") == "0"
        or _RATE_LIMIT_TEXT.search(message)
    )


_ASSIGNEE_FIELDS = frozenset({"assignees", "assignee"})


class _NotLanded(Exception):
    """A POST failed on every try, and a look after each showed it had not been applied (`looked`),
    or it failed once in a way that leaves unknown whether it was, with no way to look."""

    def __init__(self, text: str, *, looked: bool) -> None:
        super().__init__(text)
        self.looked = looked


Made = TypeVar("Made")


class _ValidationFailed(GitHubError):
    """A 422, with the fields GitHub named, so callers need not parse the message."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None,
        fields: frozenset[str],
        errors: tuple[dict[str, Any], ...] = (),
    ) -> None:
        super().__init__(message, status=status)
        self.fields = fields
        self.errors = errors

    def values_of(self, field_names: frozenset[str]) -> frozenset[str] | None:
        """The values GitHub refused in these fields (lowercased), or None if an error names none.

        A value may be one string or a list of them; an error about one of the fields without a
        usable value means the refused values are unknown.
        """
        values: set[str] = set()
        for error in self.errors:
            if str(error.get("field")) not in field_names:
                continue
            value = error.get("value")
            named = [value] if isinstance(value, str) else value if isinstance(value, list) else []
            named = [v.strip().lower() for v in named if isinstance(v, str) and v.strip()]
            if not named:
                return None
            values.update(named)
        return frozenset(values)


# --- the client ---------------------------------------------------------------------------


class GitHub:
    """A thin client over PyGithub's requester: one method per endpoint gh-ops uses."""

    def __init__(
        self,
        *,
        token: str | None,
        api_url: str = DEFAULT_API_URL,
        graphql_url: str | None = None,
        dry_run: bool = False,
        retry: RetryPolicy | None = None,
        on_wait: Callable[[str], None] | None = None,
        max_writes: int | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.graphql_endpoint = graphql_url or graphql_url_for(self.api_url)
        self.web_url = web_url_for(self.api_url)
        self.dry_run = dry_run
        self.retry = retry or RetryPolicy()
        self.counter = RequestCounter()
        self.planned: list[PlannedWrite] = []
        # The write budget: at most `max_writes` writes per run (None: no limit); a write counts
        # once however often it is retried. In a dry run, `budget_stop` is how many of the planned
        # writes a real run with this budget makes before it stops (None: all of them).
        self.max_writes = max_writes
        self.writes_spent = 0
        self.budget_stop: int | None = None
        self._repairing = 0  # inside repairing(): writes are counted but never stopped
        self._on_wait = on_wait or (lambda _msg: None)
        self._last_write: float | None = None
        client = pygithub.Github(
            auth=pygithub.Auth.Token(token) if token else None,
            base_url=self.api_url,
            per_page=100,
            retry=None,  # retries are ours: counted, logged and aware of ambiguous writes
            seconds_between_requests=None,
            seconds_between_writes=None,
            user_agent="gh-ops",
        )
        self._requester = client.requester
        self.has_token = bool(token)
        self.token_scopes: str | None = None  # X-OAuth-Scopes, once authenticated_login has read it

    # -- transport ---------------------------------------------------------------------

    def _send(
        self, method: str, url: str, params: dict[str, Any] | None, body: Any | None
    ) -> tuple[dict[str, str], Any]:
        is_write = method != "GET" and not (url == self.graphql_endpoint and not _is_mutation(body))
        if is_write and self._last_write is not None:
            gap = MONOTONIC() - self._last_write
            if gap < self.retry.write_spacing:
                SLEEP(self.retry.write_spacing - gap)
        if is_write:
            self.counter.writes += 1
        else:
            self.counter.reads += 1
        route = f"{method} {_route_of(url, self.api_url)}"
        self.counter.by_route[route] = self.counter.by_route.get(route, 0) + 1
        try:
            headers, data = self._requester.requestJsonAndCheck(method, url, parameters=params, input=body)
        finally:
            if is_write:
                self._last_write = MONOTONIC()
        return {k.lower(): v for k, v in headers.items()}, data

    def _call(
        self,
        method: str,
        url: str,
        *,
        why: str,
        params: dict[str, Any] | None = None,
        body: Any | None = None,
        idempotent: bool | None = None,
    ) -> tuple[dict[str, str], Any]:
        """Send one request, retrying what GitHub says can be retried; raise GitHubError otherwise."""
        if idempotent is None:
            idempotent = method != "POST" or url == self.graphql_endpoint and not _is_mutation(body)
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._send(method, url, params, body)
            except GithubException as exc:
                wait, reason = self._retry_wait(exc, attempt)
                ambiguous = exc.status >= 500 and not idempotent
                if wait is None or attempt >= self.retry.attempts:
                    if ambiguous:
                        raise _Ambiguous(exc) from exc
                    raise self._error(exc, method, url, why, attempt) from None
                if ambiguous:
                    raise _Ambiguous(exc) from exc
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
            ) as exc:
                trouble = _network_trouble(exc, url)
                if not idempotent:
                    raise _Ambiguous(exc, trouble) from exc
                if attempt >= self.retry.attempts:
                    tries = "1 try" if attempt == 1 else f"{attempt} tries"
                    raise GitHubError(
                        f"could not reach GitHub for {method} {_route_of(url, self.api_url)} ({why}) "
                        f"after {tries}: {trouble}"
                        + ("" if urlsplit(url).hostname in _GITHUB_COM_HOSTS else " (check GITHUB_API_URL)")
                    ) from None
                wait, reason = self._backoff(attempt), f"network error ({trouble})"
            self.counter.retries += 1
            self._on_wait(
                f"GitHub {reason} on {method} {_route_of(url, self.api_url)}; "
                f"retrying in {wait:.0f}s (try {attempt + 1} of {self.retry.attempts})"
            )
            SLEEP(wait)

    def _backoff(self, attempt: int) -> float:
        return min(self.retry.base_delay * 2 ** (attempt - 1), self.retry.max_delay)

    def _retry_wait(self, exc: GithubException, attempt: int) -> tuple[float | None, str]:
        """How long to wait before retrying, or None when retrying cannot help."""
        headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
        message = _message_of(exc)
        retry_after = headers.get("retry-after")
        if _is_rate_limited(exc.status, headers, message):
            # The primary (hourly) limit says so with x-ratelimit-remaining: 0, whatever else it sends.
            primary = headers.get("x-ratelimit-remaining") == "0"
            kind = "rate limit" if primary else "secondary rate limit"
            if retry_after and retry_after.isdigit():
                wait = float(retry_after)
            elif primary and str(headers.get("x-ratelimit-reset", "")).isdigit():
                wait = max(float(headers["x-ratelimit-reset"]) - WALL_CLOCK(), 0.0) + 1.0
            else:
                wait = self.retry.secondary_wait * 2 ** (attempt - 1)
            if wait > self.retry.max_rate_limit_wait:
                return None, kind
            return wait, kind
        if exc.status >= 500:
            if retry_after and retry_after.isdigit():
                return min(float(retry_after), self.retry.max_delay), f"error {exc.status}"
            return self._backoff(attempt), f"error {exc.status}"
        return None, f"error {exc.status}"

    def _error(self, exc: GithubException, method: str, url: str, why: str, attempts: int) -> GitHubError:
        message = _message_of(exc)
        route = _route_of(url, self.api_url)
        tries = f" after {attempts} tries" if attempts > 1 else ""
        text = f"GitHub answered {exc.status} to {method} {route} ({why}){tries}: {message or 'no message'}"
        headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
        if exc.status == 401:
            text += ". The token is missing, expired or wrong: set GITHUB_TOKEN or GH_TOKEN."
        elif _is_rate_limited(exc.status, headers, message):
            reset = str(headers.get("x-ratelimit-reset", ""))
            retry_after = str(headers.get("retry-after", ""))
            if headers.get("x-ratelimit-remaining") == "0" and reset.isdigit():
                text += f". Rate limit: try again at {_minute_after(float(reset))}."
                resets_at = datetime.fromtimestamp(float(reset), UTC)
                return RateLimited(text, status=exc.status, resets_at=resets_at)
            elif retry_after.isdigit():
                text += f". Rate limit: try again at {_minute_after(WALL_CLOCK() + float(retry_after))}."
            else:
                text += ". Rate limit: wait a few minutes before trying again."
        elif exc.status == 403:
            text += ". The token lacks permission: in a workflow grant it, e.g. `permissions: issues: write`."
        elif exc.status == 404:
            text += ". The repository does not exist or the token cannot see it (check --repo and the token)."
        elif exc.status == 422:
            errors = exc.data.get("errors") if isinstance(exc.data, dict) else None
            errors = [e for e in errors if e] if isinstance(errors, list) else []
            details = "; ".join(_describe_validation(e) for e in errors)
            if details:
                text += f" ({details})"
            dicts = tuple(e for e in errors if isinstance(e, dict))
            fields = frozenset(str(e["field"]) for e in dicts if e.get("field"))
            return _ValidationFailed(text, status=exc.status, fields=fields, errors=dicts)
        return GitHubError(text, status=exc.status)

    # -- paging ------------------------------------------------------------------------

    def _pages(self, path: str, *, why: str, params: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
        url: str | None = self.api_url + path
        query: dict[str, Any] | None = {"per_page": 100, **params}
        while url:
            headers, data = self._call("GET", url, why=why, params=query)
            yield data
            url = _next_link(headers.get("link", ""))
            query = None  # the next link already carries the query

    def _every(self, path: str, *, why: str, **params: Any) -> Iterator[Any]:
        """Every item of a listing, page after page, as the caller reads on."""
        for page in self._pages(path, why=why, params=params):
            yield from page

    def _repo_path(self, repo: str) -> str:
        return f"/repos/{repo}"

    # -- reads ---------------------------------------------------------------------------

    def list_issues(
        self,
        repo: str,
        *,
        state: str = "all",
        creator: str | None = None,
        labels: tuple[str, ...] = (),
        sort: str = "created",
        direction: str = "desc",
        since: datetime | None = None,
    ) -> Iterator[Issue]:
        """Issues (not pull requests) in listing order; pages are fetched only as the caller reads on.
        With `since`, only those updated at or after it."""
        params: dict[str, Any] = {"state": state, "sort": sort, "direction": direction}
        if creator:
            params["creator"] = creator
        if since is not None:
            params["since"] = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if labels:
            params["labels"] = ",".join(labels)
        for page in self._pages(f"{self._repo_path(repo)}/issues", why="list issues", params=params):
            for item in page:
                issue = Issue.from_json(item)
                if not issue.is_pull_request:
                    yield issue

    def authenticated_login(self) -> str | None:
        """The login the token acts as, or None for installation tokens (Actions, Apps) that have none."""
        try:
            headers, data = self._call(
                "GET", self.api_url + "/user", why="check which account the token acts as"
            )
        except GitHubError as exc:
            if exc.status in (403, 404) and not isinstance(exc, RateLimited):  # not accessible by integration
                return None
            raise
        # A classic token's scopes (GitHub sends them on every answer; None for other tokens).
        self.token_scopes = headers.get("x-oauth-scopes")
        return data.get("login")

    def get_issue(self, repo: str, number: int) -> Issue:
        _, data = self._call(
            "GET", f"{self.api_url}{self._repo_path(repo)}/issues/{number}", why=f"read #{number}"
        )
        return Issue.from_json(data)

    def get_repository(self, repo: str) -> dict[str, Any]:
        _, data = self._call("GET", self.api_url + self._repo_path(repo), why="read the repository")
        return data

    def list_comments(self, repo: str, number: int, *, since: datetime | None = None) -> list[Comment]:
        """The comments of an issue or pull request, oldest first; with `since`, only those
        created or edited at or after it."""
        path = f"{self._repo_path(repo)}/issues/{number}/comments"
        params = {"since": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")} if since else {}
        found = self._every(path, why=f"read the comments of #{number}", **params)
        return [Comment.from_json(c) for c in found]

    def list_milestones(self, repo: str) -> list[Milestone]:
        found = self._every(f"{self._repo_path(repo)}/milestones", why="list milestones", state="open")
        return [Milestone(m["number"], m["title"]) for m in found]

    def list_labels(self, repo: str) -> list[Label]:
        """Every label of a repository: one request per 100 labels."""
        found = self._every(f"{self._repo_path(repo)}/labels", why=f"list the labels of {repo}")
        return [Label.from_json(item) for item in found]

    def list_workflows(self, repo: str) -> list[dict[str, Any]]:
        """The repository's workflows (id, name, path, state): one request per 100."""
        path = f"{self._repo_path(repo)}/actions/workflows"
        found: list[dict[str, Any]] = []
        for page in self._pages(path, why="list the workflows", params={}):
            found += page.get("workflows") or [] if isinstance(page, dict) else []
        return found

    def latest_scheduled_run(self, repo: str, workflow_id: int) -> dict[str, Any] | None:
        """The workflow's latest run started by its schedule, or None: one request."""
        _, data = self._call(
            "GET",
            f"{self.api_url}{self._repo_path(repo)}/actions/workflows/{workflow_id}/runs",
            why="read the workflow's last scheduled run",
            params={"event": "schedule", "per_page": 1},
        )
        runs = data.get("workflow_runs") or [] if isinstance(data, dict) else []
        return runs[0] if runs else None

    def list_timeline(self, repo: str, number: int) -> list[TimelineEvent]:
        """An issue's timeline, oldest first: who added each label, and the comments (one request per 100)."""
        path = f"{self._repo_path(repo)}/issues/{number}/timeline"
        found = self._every(path, why=f"read the history of #{number}")
        return [TimelineEvent.from_json(item) for item in found if isinstance(item, dict)]

    def graphql(self, query: str, variables: dict[str, Any], *, why: str) -> dict[str, Any]:
        """Run a GraphQL document. In dry-run a mutation is recorded, not sent, and returns {}.

        A query also asks what it cost (`rateLimit`, counted in `counter.points`). When the hour's
        points are spent, it waits for the reset if that is at most `max_rate_limit_wait` away, and
        raises RateLimited otherwise."""
        if _is_mutation({"query": query}):
            self._spend_write("POST", _route_of(self.graphql_endpoint, self.api_url), why)
            if self.dry_run:
                self._plan(
                    "POST", _route_of(self.graphql_endpoint, self.api_url), _body(query, variables), why
                )
                return {}
            try:
                data = self._graphql_send(query, variables, why=why, idempotent=False)
            except _Ambiguous as exc:
                raise GitHubError(
                    f"GitHub failed while sending a GraphQL mutation to {why} ({exc}); it may or may not "
                    "have been applied: check before re-running"
                ) from None
        else:
            data = self._graphql_send(with_rate_limit(query), variables, why=why, idempotent=True)
        if data.get("errors"):
            errors = [e for e in data["errors"] if isinstance(e, dict)]
            messages = "; ".join(str(e.get("message", "?")) for e in errors) or "no message"
            if errors and all(e.get("type") == "NOT_FOUND" for e in errors):
                raise GraphQLNotFound(f"GitHub GraphQL found nothing to {why}: {messages}")
            raise GitHubError(f"GitHub GraphQL refused the query to {why}: {messages}")
        return data.get("data") or {}

    def graphql_existing(
        self, query: str, variables: dict[str, Any], *, why: str, needs: tuple[str, ...], missing: str
    ) -> dict[str, Any]:
        """A query about something the user named (a repository, an organization, a pull request):
        its answer, or one usage error (`missing`) when GitHub cannot find it, or finds it without
        the object at `needs` (e.g. ("repository", "pullRequest"))."""
        try:
            data = self.graphql(query, variables, why=why)
        except GraphQLNotFound:
            raise UsageError(missing) from None
        found: Any = data
        for key in needs:
            found = found.get(key) if isinstance(found, dict) else None
        if not found:
            raise UsageError(missing)
        return data

    def _graphql_send(
        self, query: str, variables: dict[str, Any], *, why: str, idempotent: bool
    ) -> dict[str, Any]:
        """POST a GraphQL document and count its points. A spent hour (GitHub answers RATE_LIMITED
        and applies nothing, a mutation included) is waited out when it comes back soon enough, and
        raises RateLimited otherwise. The cost field the client added is taken out of the answer; an
        error on it alone (GitHub Enterprise Server without rate limiting) is not the query's."""
        body = _body(query, variables)
        attempt = 0
        while True:
            attempt += 1
            headers, data = self._call(
                "POST", self.graphql_endpoint, why=why, body=body, idempotent=idempotent
            )
            if not isinstance(data, dict):
                data = {}
            if not _graphql_rate_limited(data):
                found = data.get("data")
                cost = found.pop(RATE_LIMIT_ALIAS, None) if isinstance(found, dict) else None
                if data.get("errors"):
                    kept = [e for e in data["errors"] if not _about_cost_field(e)]
                    data = (
                        {**data, "errors": kept} if kept else {k: v for k, v in data.items() if k != "errors"}
                    )
                self._count_points(headers, cost if isinstance(cost, dict) else None)
                return data
            reset = str(headers.get("x-ratelimit-reset", ""))
            reset_at = float(reset) if reset.isdigit() else WALL_CLOCK() + self.retry.secondary_wait
            wait = max(reset_at - WALL_CLOCK(), 0.0) + 1.0
            self.counter.points_left = 0
            if wait > self.retry.max_rate_limit_wait or attempt >= self.retry.attempts:
                raise RateLimited(
                    f"GitHub's GraphQL points for this hour are spent (to {why}): they come back at "
                    f"{_minute_after(reset_at)}",
                    resets_at=datetime.fromtimestamp(reset_at, UTC),
                )
            self.counter.retries += 1
            self._on_wait(
                f"GitHub's GraphQL points are spent until {_minute_after(reset_at)}; waiting "
                f"{wait:.0f}s (try {attempt + 1} of {self.retry.attempts})"
            )
            SLEEP(wait)

    def _count_points(self, headers: dict[str, str], cost: dict[str, Any] | None) -> None:
        """Add what a GraphQL request cost: the query's reported cost, or 1 for a mutation (GitHub
        reports no cost for those); what is left, from the answer or its rate-limit headers."""
        reported = cost.get("cost") if cost else None
        self.counter.points += reported if isinstance(reported, int) and reported >= 0 else 1
        left = cost.get("remaining") if cost else None
        header = str(headers.get("x-ratelimit-remaining", ""))
        if isinstance(left, int):
            self.counter.points_left = left
        elif header.isdigit():
            self.counter.points_left = int(header)

    def mutate(
        self, query: str, variables: dict[str, Any], *, why: str, repeatable: bool = False
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Run a GraphQL mutation whose fields may succeed or fail one by one.

        Returns the data and GitHub's errors (each with the `path` of the field that failed), so
        the caller can say what was done and what was not. In dry-run it is recorded, not sent.
        `repeatable`: applying it twice changes nothing more (gql.repeatable), so a lost answer is
        retried like a read's; otherwise it is not sent again in this run.
        """
        self._spend_write("POST", _route_of(self.graphql_endpoint, self.api_url), why)
        if self.dry_run:
            self._plan("POST", _route_of(self.graphql_endpoint, self.api_url), _body(query, variables), why)
            return {}, []
        try:
            data = self._graphql_send(query, variables, why=why, idempotent=repeatable)
        except _Ambiguous as exc:
            raise GitHubError(
                f"GitHub failed while sending the changes to {why} ({exc}); they may or may not have "
                "been applied (re-running is safe: gh-ops finds what was applied)"
            ) from None
        errors = [e for e in data.get("errors") or [] if isinstance(e, dict)]
        return data.get("data") or {}, errors

    # -- the write budget -----------------------------------------------------------------

    def reserve_writes(self, needed: int, *, why: str, route: str = "(several writes)") -> None:
        """Stop (WriteBudgetReached) unless `needed` more writes fit in the budget: before writes
        that must be made in the same run, so that a run never stops between them. More than the
        whole budget can never fit: WriteBudgetTooSmall. A dry run notes where a real run would
        stop and goes on planning."""
        limit = self.max_writes
        if limit is None:
            return
        if needed > limit:
            raise WriteBudgetTooSmall(limit=limit, needed=needed, what=why)
        if self.writes_spent + needed <= limit:
            return
        if self.dry_run:
            if self.budget_stop is None:
                self.budget_stop = len(self.planned)
            return
        raise WriteBudgetReached(
            limit=limit, made=self.writes_spent, next_write=why, route=route, needed=needed
        )

    def _spend_write(self, method: str, path: str, why: str) -> None:
        """Count one write against the budget, or stop before it (every write method calls this
        first, in a dry run too)."""
        if not self._repairing:
            self.reserve_writes(1, why=why, route=f"{method} {path}")
        self.writes_spent += 1

    @contextmanager
    def repairing(self) -> Iterator[None]:
        """Writes that undo a duplicate another run's overlap made (gh_ops.converge): counted, but
        never stopped by the write budget, since stopping there would leave the duplicate."""
        self._repairing += 1
        try:
            yield
        finally:
            self._repairing -= 1

    # -- writes --------------------------------------------------------------------------

    def _plan(self, method: str, path: str, payload: dict[str, Any], why: str) -> None:
        self.planned.append(PlannedWrite(method, path, payload, why))

    def _post_checked(
        self,
        path: str,
        payload: dict[str, Any],
        *,
        why: str,
        parse: Callable[[dict[str, Any]], Made],
        landed: Callable[[], Made | None] | None,
    ) -> Made:
        """POST something that must not be made twice, with the same retries as any request.

        A 5xx or a dropped connection leaves unknown whether GitHub made it: `landed()` looks for
        it before the POST is repeated (waiting as for any 5xx: back-off, or Retry-After). Without a
        way to look (`landed` None), or when it is still missing after the last try, _NotLanded says
        which.
        """
        attempt = 0
        while True:
            attempt += 1
            try:
                _, data = self._call("POST", self.api_url + path, why=why, body=payload)
                return parse(data)
            except _Ambiguous as exc:
                if landed is None:
                    raise _NotLanded(f"({exc})", looked=False) from None
                found = landed()
                if found is not None:
                    return found
                if attempt >= self.retry.attempts:
                    raise _NotLanded(f"after {attempt} tries ({exc})", looked=True) from None
                wait = self._backoff(attempt)
                if isinstance(exc.cause, GithubException):
                    wait = self._retry_wait(exc.cause, attempt)[0] or wait
                self.counter.retries += 1
                self._on_wait(
                    f"GitHub failed on POST {path} and it did not land; "
                    f"retrying in {wait:.0f}s (try {attempt + 1} of {self.retry.attempts})"
                )
                SLEEP(wait)

    def create_issue(
        self,
        repo: str,
        *,
        title: str,
        body: str,
        labels: tuple[str, ...] = (),
        assignees: tuple[str, ...] = (),
        milestone: int | None = None,
        marker: str | None = None,
        trusted_author: Callable[[str | None], bool] | None = None,
        on_warning: Callable[[str], None] | None = None,
    ) -> Issue:
        """Open an issue. With a marker, a POST whose answer was lost is looked up, not repeated.

        The lookup accepts only an issue whose body starts with the marker and whose author is
        trusted (`trusted_author`), so an issue someone else pasted the marker into is not taken
        for ours.
        """
        path = f"{self._repo_path(repo)}/issues"
        payload: dict[str, Any] = {
            "title": title,
            "body": body,
            "labels": list(labels),
            "assignees": list(assignees),
        }
        if milestone is not None:
            payload["milestone"] = milestone
        why = f"open issue {title!r}"
        self._spend_write("POST", path, why)
        if self.dry_run:
            self._plan("POST", path, payload, why)
            return Issue(
                number=0,
                title=title,
                body=body,
                state="open",
                labels=tuple(labels),
                assignees=tuple(assignees),
                author=None,
                url="(not created: dry run)",
                created_at=None,
                planned=True,
            )
        dropped: list[str] = []

        def opened(issue: Issue) -> Issue:
            if dropped and on_warning:
                on_warning(_dropped_assignees_warning(title, dropped, payload["assignees"]))
            return issue

        def landed() -> Issue | None:
            assert marker is not None
            return self._find_by_marker(repo, marker, trusted_author)

        while True:
            try:
                issue = self._post_checked(
                    path, payload, why=why, parse=Issue.from_json, landed=landed if marker else None
                )
                return opened(issue)
            except _NotLanded as exc:
                outcome = (
                    "it was not created"
                    if exc.looked
                    else "it may or may not have been created: check the repository before re-running"
                )
                raise GitHubError(f"GitHub failed while opening issue {title!r} {exc}; {outcome}") from None
            except _ValidationFailed as exc:
                # An assignee who cannot be assigned (not a collaborator) makes GitHub refuse the
                # whole issue; open it without the logins GitHub named rather than not at all, or
                # without any assignee when it names none of those sent. Every such retry drops at
                # least one login, so there are at most as many as assignees. (The fallback is not
                # a retry of a failure, so it does not use up one of the attempts.)
                if not _drop_refused_assignees(exc, payload, dropped):
                    raise

    def _find_by_marker(
        self, repo: str, marker: str, trusted_author: Callable[[str | None], bool] | None
    ) -> Issue | None:
        """The issue a lost POST created, if any: it is among the newest, so one page is enough."""
        for issue in itertools.islice(self.list_issues(repo, state="all"), 100):
            if issue.body.lstrip().startswith(marker) and (
                trusted_author is None or trusted_author(issue.author)
            ):
                return issue
        return None

    def update_issue(
        self,
        repo: str,
        number: int,
        *,
        why: str,
        body: str | None = None,
        state: str | None = None,
        state_reason: str | None = None,
        title: str | None = None,
        assignees: tuple[str, ...] | None = None,
        on_warning: Callable[[str], None] | None = None,
        labels: tuple[str, ...] | None = None,
    ) -> None:
        """Edit an issue; `labels` (when given) replaces all of its labels."""
        path = f"{self._repo_path(repo)}/issues/{number}"
        fields = {"title": title, "body": body, "state": state, "state_reason": state_reason}
        payload: dict[str, Any] = {k: v for k, v in fields.items() if v is not None}
        if assignees is not None:
            payload["assignees"] = list(assignees)
        if labels is not None:
            payload["labels"] = list(labels)
        self._spend_write("PATCH", path, why)
        if self.dry_run:
            self._plan("PATCH", path, payload, why)
            return
        dropped: list[str] = []
        while True:
            try:
                self._call("PATCH", self.api_url + path, why=why, body=payload)
                break
            except _ValidationFailed as exc:
                # As when opening: an assignee GitHub refuses must not block the rest of the edit.
                if not _drop_refused_assignees(exc, payload, dropped):
                    raise
        if dropped and on_warning:
            on_warning(f"could not assign {', '.join(dropped)} on #{number} (not collaborators of {repo}?)")

    def update_comment(self, repo: str, comment_id: int, body: str, *, why: str) -> None:
        path = f"{self._repo_path(repo)}/issues/comments/{comment_id}"
        self._spend_write("PATCH", path, why)
        if self.dry_run:
            self._plan("PATCH", path, {"body": body}, why)
            return
        self._call("PATCH", self.api_url + path, why=why, body={"body": body})

    def delete_comment(self, repo: str, comment_id: int, *, why: str) -> None:
        """Delete a comment; one that is already gone (404) is fine, so a re-run is safe."""
        self._delete(f"{self._repo_path(repo)}/issues/comments/{comment_id}", why=why)

    def _delete(self, path: str, *, why: str) -> Any:
        """DELETE something; what is already gone (a 404: a re-run, or a retry after a lost answer)
        is fine. GitHub's answer (None in a dry run, or when it was already gone)."""
        self._spend_write("DELETE", path, why)
        if self.dry_run:
            self._plan("DELETE", path, {}, why)
            return None
        try:
            return self._call("DELETE", self.api_url + path, why=why)[1]
        except GitHubError as exc:
            if exc.status != 404:
                raise
        return None

    def create_comment(self, repo: str, number: int, body: str, *, why: str) -> Comment | None:
        """Post a comment; the comment as GitHub made it (None in dry-run)."""
        path = f"{self._repo_path(repo)}/issues/{number}/comments"
        self._spend_write("POST", path, why)
        if self.dry_run:
            self._plan("POST", path, {"body": body}, why)
            return None
        # A comment has no key GitHub checks, so a lost answer is looked for by its exact body
        # among the comments made since shortly before the first try (one page, in practice).
        since = datetime.fromtimestamp(WALL_CLOCK() - _CLOCK_SKEW, tz=UTC)

        def landed() -> Comment | None:
            return next((c for c in self.list_comments(repo, number, since=since) if c.body == body), None)

        try:
            return self._post_checked(path, {"body": body}, why=why, parse=Comment.from_json, landed=landed)
        except _NotLanded as exc:
            raise GitHubError(
                f"GitHub failed while commenting on #{number} {exc}; it was not posted"
            ) from None

    def add_assignees(self, repo: str, number: int, logins: tuple[str, ...], *, why: str) -> tuple[str, ...]:
        """Assign people (adding to those assigned); returns who is assigned afterwards.
        GitHub silently skips logins that cannot be assigned, so the caller compares."""
        path = f"{self._repo_path(repo)}/issues/{number}/assignees"
        self._spend_write("POST", path, why)
        if self.dry_run:
            self._plan("POST", path, {"assignees": list(logins)}, why)
            return logins
        _, data = self._call(
            "POST", self.api_url + path, why=why, body={"assignees": list(logins)}, idempotent=True
        )
        return tuple(a["login"] for a in data.get("assignees") or [])

    def create_label(
        self, repo: str, name: str, *, color: str, description: str, why: str | None = None
    ) -> str | None:
        """Create a label and return its node id; None in dry-run. A label someone made meanwhile
        (already_exists), or one whose creation lost its answer, is read back by name instead."""
        path = f"{self._repo_path(repo)}/labels"
        payload = {"name": name, "color": color, "description": description}
        why = why or f"create label {name!r}"
        self._spend_write("POST", path, why)
        if self.dry_run:
            self._plan("POST", path, payload, why)
            return None
        read_back = f"{self.api_url}{path}/{quote(name, safe='')}"

        def landed() -> dict[str, Any] | None:  # a label is unique by name: reading it tells
            try:
                _, data = self._call("GET", read_back, why=f"read label {name!r}")
            except GitHubError as lookup:
                if lookup.status != 404:
                    raise
                return None
            return dict(data)

        data: dict[str, Any]
        try:
            data = self._post_checked(path, payload, why=why, parse=_as_dict, landed=landed)
        except _ValidationFailed as exc:
            if not any(e.get("code") == "already_exists" for e in exc.errors):
                raise
            _, data = self._call("GET", read_back, why=f"read label {name!r}")
        except _NotLanded as exc:
            raise GitHubError(
                f"GitHub failed while creating label {name!r} in {repo} {exc}; it was not created"
            ) from None
        return data.get("node_id")

    def update_label(self, repo: str, current_name: str, label: Label, *, why: str) -> None:
        """Give an existing label (found as `current_name`) this exact name, colour and description."""
        path = f"{self._repo_path(repo)}/labels/{quote(current_name, safe='')}"
        payload = {"new_name": label.name, "color": label.color, "description": label.description}
        self._spend_write("PATCH", path, why)
        if self.dry_run:
            self._plan("PATCH", path, payload, why)
            return
        self._call("PATCH", self.api_url + path, why=why, body=payload)

    def add_labels(
        self, repo: str, number: int, labels: tuple[str, ...], *, why: str
    ) -> tuple[str, ...] | None:
        """Add labels to an issue; the labels it has afterwards, as GitHub answers (None in a dry run):
        what another run changed meanwhile shows there at no extra cost."""
        path = f"{self._repo_path(repo)}/issues/{number}/labels"
        payload = {"labels": list(labels)}
        self._spend_write("POST", path, why)
        if self.dry_run:
            self._plan("POST", path, payload, why)
            return None
        # Adding a label the issue already has changes nothing, so a lost answer may be retried.
        _, data = self._call("POST", self.api_url + path, why=why, body=payload, idempotent=True)
        return _label_names(data)

    def remove_label(self, repo: str, number: int, label: str, *, why: str) -> tuple[str, ...] | None:
        """Take a label off an issue; one that is already gone is fine. The labels it has afterwards,
        as GitHub answers (None in a dry run, or when the label was already gone)."""
        data = self._delete(
            f"{self._repo_path(repo)}/issues/{number}/labels/{quote(label, safe='')}", why=why
        )
        return None if data is None else _label_names(data)


# --- helpers -------------------------------------------------------------------------------


def _label_names(data: Any) -> tuple[str, ...]:
    """The names in an issue's labels answer (a list of label objects)."""
    return tuple(str(item["name"]) for item in data or [] if isinstance(item, dict) and "name" in item)


def _body(query: str, variables: dict[str, Any]) -> dict[str, Any]:
    return {"query": query, "variables": variables}


def _about_cost_field(error: Any) -> bool:
    """An error on the cost field the client adds to every query, and on nothing else."""
    path = error.get("path") if isinstance(error, dict) else None
    return isinstance(path, list) and bool(path) and path[0] == RATE_LIMIT_ALIAS


def _graphql_rate_limited(data: Any) -> bool:
    """GitHub's answer to a query once the hour's points are spent: 200 with a RATE_LIMITED error
    (spelled RATE_LIMIT at times, with the code graphql_rate_limit)."""
    errors = data.get("errors") if isinstance(data, dict) else None
    return isinstance(errors, list) and any(
        isinstance(e, dict)
        and (e.get("type") in ("RATE_LIMITED", "RATE_LIMIT") or e.get("code") == "graphql_rate_limit")
        for e in errors
    )


def _is_mutation(body: Any) -> bool:
    return isinstance(body, dict) and str(body.get("query", "")).lstrip().startswith("mutation")


_GITHUB_COM_HOSTS = frozenset({"api.github.com", "uploads.github.com"})


def _network_trouble(exc: Exception, url: str) -> str:
    """What went wrong on the way to GitHub, in a few words naming the host (requests' own
    message is a paragraph about connection pools)."""
    host = urlsplit(url).hostname or url
    text = str(exc)
    if isinstance(exc, requests.Timeout):
        return f"{host} did not answer in time"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return f"the connection to {host} broke off mid-answer"
    if re.search(r"refused", text, re.I):
        return f"{host} refused the connection"
    if re.search(r"resolve|name or service not known|nodename nor servname|getaddrinfo|NameResolution", text):
        return f"no such host {host} (DNS lookup failed)"
    if re.search(r"certificate|SSL", text):
        return f"the TLS connection to {host} failed (certificate or proxy?)"
    if re.search(r"dropped|reset|aborted", text, re.I):
        return f"the connection to {host} was dropped"
    return f"could not connect to {host} ({exc.__class__.__name__})"


def _as_dict(data: dict[str, Any]) -> dict[str, Any]:
    return dict(data)


def _message_of(exc: GithubException) -> str:
    data = exc.data
    if isinstance(data, dict):
        return str(data.get("message") or "")
    return str(data or "")


def _drop_refused_assignees(exc: _ValidationFailed, payload: dict[str, Any], dropped: list[str]) -> bool:
    """Take the assignees GitHub refused out of a payload (all of them when it names none of those
    sent), adding them to `dropped`; False when the refusal is not about assignees."""
    current: list[str] = payload.get("assignees") or []
    if not (exc.fields & _ASSIGNEE_FIELDS and current):
        return False
    refused_values = exc.values_of(_ASSIGNEE_FIELDS)
    refused = [a for a in current if refused_values and a.lower() in refused_values] or list(current)
    dropped.extend(refused)
    payload["assignees"] = [a for a in current if a not in refused]
    return True


def _dropped_assignees_warning(title: str, dropped: list[str], kept: list[str]) -> str:
    who = "not a collaborator" if len(dropped) == 1 else "not collaborators"
    rest = f"assigned to {', '.join(kept)}" if kept else "unassigned"
    return f"could not assign {', '.join(dropped)} to {title!r} ({who} of the repository?); opened it {rest}"


def _describe_validation(error: Any) -> str:
    if isinstance(error, dict):
        parts = [str(error.get(k)) for k in ("field", "code", "value", "message") if error.get(k)]
        return " ".join(parts)
    return str(error)


def _minute_after(timestamp: float) -> str:
    """HH:MM UTC of the first whole minute at or after a time (so "try again at" is never too early)."""
    return datetime.fromtimestamp(math.ceil(timestamp / 60) * 60, UTC).strftime("%H:%M UTC")


_LINK_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


def _next_link(link_header: str) -> str | None:
    match = _LINK_NEXT.search(link_header or "")
    return match.group(1) if match else None


def _route_of(url: str, api_url: str) -> str:
    """The path of a request without host or query, for messages and per-route counts."""
    path = url[len(api_url) :] if url.startswith(api_url) else urlsplit(url).path
    return path.split("?", 1)[0] or "/"
