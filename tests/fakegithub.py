"""A small, stateful, in-memory fake of the GitHub REST (and GraphQL) API served via `responses`.

Usage::

    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake = FakeGitHub(rsps)
        fake.add_repo("acme/widgets")
        ...  # drive PyGithub / requests against https://api.github.com
        assert len(fake.writes) == 1

Object shapes are built from the real webhook payloads in tests/fixtures/webhooks so that code
under test sees the same keys it will see from GitHub. Only behaviour the project relies on is
modelled; anything else is deliberately absent (an unknown endpoint is not mocked at all, so
`responses` raises ConnectionError and the gap is obvious).

Pull requests are issues with PR fields (add_pull, merge_pull, add_review...). GraphQL documents
named in STATE_OPERATIONS are answered from state by running them against GitHub's real schema
(tests/fixtures/graphql-schema.graphql), so answers hold exactly the selected fields; other
operations need an on_graphql handler (fake.execute_graphql answers any document from state).
"""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import itertools
import json
import math
import re
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import responses
from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    OperationType,
    build_schema,
    execute_sync,
    get_operation_ast,
    parse,
    validate,
)
from requests import PreparedRequest
from requests.structures import CaseInsensitiveDict

FIXTURES_DIR = Path(__file__).parent / "fixtures"
WEBHOOKS_DIR = FIXTURES_DIR / "webhooks"
GRAPHQL_SCHEMA_FILE = FIXTURES_DIR / "graphql-schema.graphql"

PUBLIC_API_URL = "https://api.github.com"
DEFAULT_ACTOR = "github-actions[bot]"
RATE_LIMIT = 5000
MAX_TITLE = 256
MAX_BODY = 65536
DOCS = "https://docs.github.com/rest"

# Real ids, so fixtures that mention these accounts agree with what the fake returns.
_KNOWN_USER_IDS = {"github-actions[bot]": 41898282, "dependabot[bot]": 49699333}

# The template payload's own identity, rewritten away when deriving new objects from it.
_TPL_API_USER = "https://api.github.com/users/Codertocat"

# The GraphQL operations FakeGitHub answers from its state without per-test setup (gh_ops/rfc_queries.py).
STATE_OPERATIONS = (
    "RfcPullRequest",
    "RfcOpenPullRequests",
    "RfcRecentPullRequests",
    "RfcMoreComments",
    "RfcMoreReviews",
    "GhOpsWrites",
    "YoloPullRequest",
    "YoloPush",
    "YoloHistory",
)
REVIEW_STATES = ("APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED")

_Resp = tuple[int, dict[str, str], Any]
Clock = Callable[[], datetime]


# --------------------------------------------------------------------------- small helpers


@functools.cache
def _load_json(path: Path) -> Any:
    """Parse a fixture file once per session."""
    return json.loads(path.read_text(encoding="utf-8"))


def load_payload(name: str) -> dict[str, Any]:
    """Return a deep copy of a webhook payload fixture ("issues.opened" or "issues.opened.json")."""
    filename = name if name.endswith(".json") else f"{name}.json"
    return copy.deepcopy(_load_json(WEBHOOKS_DIR / filename))


def _utc(dt: datetime) -> datetime:
    """Normalise to an aware UTC datetime with GitHub's one-second precision."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).replace(microsecond=0)


def iso(dt: datetime | None) -> str | None:
    """Format like GitHub does: 2024-01-31T09:00:00Z."""
    return None if dt is None else _utc(dt).strftime("%Y-%m-%dT%H:%M:%SZ")


def _node_id(type_name: str, ident: int) -> str:
    """Legacy GitHub node id, e.g. base64("05:Issue123") as in the fixture payloads."""
    return base64.b64encode(f"0{len(type_name)}:{type_name}{ident}".encode()).decode()


def _user_id(login: str) -> int:
    """Stable, realistic-looking numeric id for a login."""
    known = _KNOWN_USER_IDS.get(login.lower())
    return known if known is not None else 1_000_000 + zlib.crc32(login.lower().encode()) % 90_000_000


def _int_param(raw: str | None, default: int) -> int:
    """Parse an integer query parameter, falling back like GitHub does on garbage."""
    try:
        return int(raw) if raw is not None else default
    except ValueError:
        return default


class FrozenClock:
    """A controllable clock to pass as FakeGitHub(clock=...)."""

    def __init__(self, now: datetime) -> None:
        self.now = _utc(now)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move time forward by timedelta(**delta) and return the new now."""
        self.now = self.now + timedelta(**delta)
        return self.now


# --------------------------------------------------------------------------- recorded requests


@dataclass
class RecordedRequest:
    """A request that reached the fake; `path` is relative to the API root ("/graphql" for GQL)."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    headers: CaseInsensitiveDict[str]
    url: str = ""
    status: int | None = None

    @property
    def is_graphql(self) -> bool:
        """True for POSTs to the GraphQL endpoint."""
        return self.path == "/graphql"

    @functools.cached_property
    def is_write(self) -> bool:
        """GETs and GraphQL queries are reads; everything else (incl. mutations) is a write."""
        if self.is_graphql:
            data = self.json if isinstance(self.json, dict) else {}
            return _operation_type(str(data.get("query", "")), data.get("operationName")) == "mutation"
        return self.method not in ("GET", "HEAD")


# --------------------------------------------------------------------------- in-memory state


@dataclass
class _Label:
    id: int
    name: str
    color: str = "ededed"
    description: str | None = None
    default: bool = False


@dataclass
class _Milestone:
    id: int
    number: int
    title: str
    creator: str
    created_at: datetime
    description: str | None = None
    state: str = "open"
    due_on: datetime | None = None
    closed_at: datetime | None = None


@dataclass
class _Comment:
    id: int
    issue_number: int
    body: str
    author: str
    created_at: datetime
    updated_at: datetime


@dataclass
class _Review:
    id: int
    author: str
    state: str  # APPROVED, CHANGES_REQUESTED, COMMENTED or DISMISSED
    submitted_at: datetime
    commit_id: str | None
    body: str = ""


@dataclass
class _Commit:
    oid: str
    message: str
    author: str | None  # the git author's GitHub login (None: an address GitHub does not know)
    committed_at: datetime
    parents: int = 1


@dataclass
class _CheckRun:
    id: int
    name: str
    head_sha: str
    status: str  # REST spelling: queued, in_progress, completed...
    conclusion: str | None
    title: str | None
    summary: str | None
    text: str | None
    details_url: str | None
    external_id: str | None
    started_at: datetime | None
    completed_at: datetime | None
    app: str  # the login of the app (token) that created it


@dataclass
class _Issue:
    id: int
    number: int
    title: str
    body: str | None
    author: str
    created_at: datetime
    updated_at: datetime
    state: str = "open"
    state_reason: str | None = None
    locked: bool = False
    label_ids: list[int] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    milestone: int | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    is_pr: bool = False
    comment_ids: list[int] = field(default_factory=list)
    # Pull requests only.
    head_sha: str | None = None
    head_ref: str | None = None
    files: list[str] = field(default_factory=list)
    draft: bool = False
    merged_at: datetime | None = None
    merged_by: str | None = None
    merge_sha: str | None = None
    merge_method: str | None = None  # "merge", "squash" or "rebase"
    commit_oids: list[str] = field(default_factory=list)  # the pull request's commits, oldest first
    reviews: list[_Review] = field(default_factory=list)
    # The timeline, oldest first: ("labeled" | "unlabeled", label name, actor, time, event id) or
    # ("commented", comment id).
    timeline: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass
class _Repo:
    id: int
    owner: str
    name: str
    private: bool
    archived: bool
    has_issues: bool
    default_branch: str
    collaborators: dict[str, str]  # lower-cased login -> login as registered
    labels: dict[int, _Label] = field(default_factory=dict)
    issues: dict[int, _Issue] = field(default_factory=dict)
    milestones: dict[int, _Milestone] = field(default_factory=dict)
    comments: dict[int, _Comment] = field(default_factory=dict)
    check_runs: list[_CheckRun] = field(default_factory=list)
    commits: set[str] = field(default_factory=set)  # shas check runs may be created for
    commit_objects: dict[str, _Commit] = field(default_factory=dict)  # sha -> commit, when modelled
    history: list[str] = field(default_factory=list)  # the default branch, oldest first
    next_number: int = 1

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass
class _Req:
    """A parsed incoming request, as handlers see it."""

    method: str
    url: str
    path: str
    query: dict[str, str]
    query_pairs: list[tuple[str, str]]
    json: Any
    json_error: bool
    headers: CaseInsensitiveDict[str]


@dataclass
class _Failure:
    """An injected failure; `after_apply` ones let the request change state first."""

    method: str
    pattern: re.Pattern[str]
    status: int
    remaining: int
    headers: dict[str, str]
    body: Any
    after_apply: bool = False

    def matches(self, req: _Req) -> bool:
        return self.method in ("*", req.method) and bool(self.pattern.search(req.path))


@dataclass
class _FieldFailure:
    """An injected failure of one GraphQL mutation field (by field name, not alias)."""

    field_name: str
    message: str
    type: str
    remaining: int


@dataclass
class _Route:
    method: str
    pattern: str  # regex on the API-relative path
    handler: Callable[..., _Resp]
    repo_scoped: bool = True


class _HttpError(Exception):
    """Raised inside handlers to short-circuit with a GitHub-style error response."""

    def __init__(self, code: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        # Current GitHub error bodies carry documentation_url and the status as a string.
        body = {"message": message, **extra}
        body.setdefault("documentation_url", DOCS)
        body["status"] = str(code)
        self.response: _Resp = (code, {}, body)


def _not_found() -> _HttpError:
    return _HttpError(404, "Not Found")


def _validation_failed(resource: str, field_name: str, code: str, **extra: Any) -> _HttpError:
    error = {"resource": resource, "field": field_name, "code": code, **extra}
    return _HttpError(422, "Validation Failed", errors=[error])


def _missing_param(name: str) -> _HttpError:
    return _HttpError(422, f'Invalid request.\n\n"{name}" wasn\'t supplied.')


# --------------------------------------------------------------------------- the fake


_SEG = r"([^/?#]+)"
_NUM = r"(\d+)"


class FakeGitHub:
    """An in-memory GitHub whose REST/GraphQL endpoints are registered on a RequestsMock."""

    def __init__(
        self,
        rsps: responses.RequestsMock,
        api_url: str = PUBLIC_API_URL,
        actor: str = DEFAULT_ACTOR,
        clock: Clock | None = None,
    ) -> None:
        self.rsps = rsps
        self.api_url = api_url.rstrip("/")
        self.actor = actor
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self.require_auth = True
        self.latency = 0.0  # seconds each answer takes (benchmarks set a realistic one)
        self.emails: dict[str, str] = {}  # lower-cased email -> login: whose account an email is
        self.requests: list[RecordedRequest] = []
        self.web_url, self.graphql_url = _derive_urls(self.api_url)
        self._repos: dict[str, _Repo] = {}
        self._failures: list[_Failure] = []
        self._field_failures: list[_FieldFailure] = []
        self._graphql_handlers: list[tuple[str, Callable[[str, dict[str, Any]], dict[str, Any]]]] = []
        # Operations answered from state by default; an on_graphql handler of the same name wins.
        self._state_operations = set(STATE_OPERATIONS)
        self._association_cache: dict[str, tuple[Any, dict[str, list[_Issue]]]] = {}
        self._rate_used = {"core": 0, "graphql": 0}
        self._rate_reset: int | None = None
        self._ids = {
            kind: itertools.count(start)
            for kind, start in {
                "repo": 700_000_001,
                "issue": 2_100_000_001,
                "comment": 2_500_000_001,
                "label": 6_000_000_001,
                "milestone": 11_000_001,
                "review": 2_300_000_001,
                "check_run": 30_000_000_001,
                "sha": 1,
                "event": 9_000_000_001,
                "request": 1,
            }.items()
        }
        tpl = _load_json(WEBHOOKS_DIR / "issues.opened.json")
        self._tpl_issue: dict[str, Any] = tpl["issue"]
        self._tpl_repo: dict[str, Any] = tpl["repository"]
        self._tpl_pull: dict[str, Any] = _load_json(WEBHOOKS_DIR / "pull_request.opened.json")["pull_request"]
        self._lock = threading.RLock()
        self._register()
        self.on_graphql("TransferIssue", self._transfer_issue)

    # ----------------------------------------------------------------- log views

    @property
    def reads(self) -> list[RecordedRequest]:
        """Recorded GETs and GraphQL queries."""
        return [r for r in self.requests if not r.is_write]

    @property
    def writes(self) -> list[RecordedRequest]:
        """Recorded POST/PATCH/PUT/DELETE requests and GraphQL mutations."""
        return [r for r in self.requests if r.is_write]

    def clear_requests(self) -> None:
        """Forget the request log (e.g. after API-driven setup)."""
        self.requests.clear()

    @property
    def pending_failures(self) -> int:
        """How many injected failures (request- and mutation-field-level) have not fired yet."""
        return sum(f.remaining for f in self._failures) + sum(f.remaining for f in self._field_failures)

    # ----------------------------------------------------------------- state helpers

    def add_repo(
        self,
        full_name: str,
        *,
        private: bool = False,
        default_branch: str = "main",
        collaborators: Iterable[str] = (),
        archived: bool = False,
        has_issues: bool = True,
    ) -> dict[str, Any]:
        """Create a repository; the owner, actor and `collaborators` are assignable."""
        owner, name = full_name.split("/", 1)
        logins = [owner, self.actor, *collaborators]
        repo = _Repo(
            id=next(self._ids["repo"]),
            owner=owner,
            name=name,
            private=private,
            archived=archived,
            has_issues=has_issues,
            default_branch=default_branch,
            collaborators={login.lower(): login for login in logins},
        )
        self._repos[full_name.lower()] = repo
        return self._render_repo(repo)

    def add_label(
        self, full_name: str, name: str, *, color: str = "ededed", description: str | None = None
    ) -> dict[str, Any]:
        """Create a repository label."""
        repo = self._repo(full_name)
        label = _Label(next(self._ids["label"]), name, color, description)
        repo.labels[label.id] = label
        return self._render_label(repo, label)

    def add_milestone(
        self,
        full_name: str,
        title: str,
        number: int | None = None,
        *,
        state: str = "open",
        description: str | None = None,
        due_on: datetime | None = None,
    ) -> dict[str, Any]:
        """Create a milestone (numbers count up from 1 unless given)."""
        repo = self._repo(full_name)
        if number is None:
            number = max(repo.milestones, default=0) + 1
        now = _utc(self.clock())
        milestone = _Milestone(
            id=next(self._ids["milestone"]),
            number=number,
            title=title,
            creator=self.actor,
            created_at=now,
            description=description,
            state=state,
            due_on=_utc(due_on) if due_on else None,
            closed_at=now if state == "closed" else None,
        )
        repo.milestones[number] = milestone
        return self._render_milestone(repo, milestone)

    def add_issue(
        self,
        full_name: str,
        *,
        title: str,
        body: str | None = "",
        author: str = DEFAULT_ACTOR,
        state: str = "open",
        labels: Iterable[str] = (),
        assignees: Iterable[str] = (),
        created_at: datetime | None = None,
        pull_request: bool = False,
        updated_at: datetime | None = None,
        closed_at: datetime | None = None,
        state_reason: str | None = None,
        locked: bool = False,
        milestone: int | None = None,
    ) -> dict[str, Any]:
        """Seed an issue (or a PR seen through the issues API) without going through HTTP."""
        repo = self._repo(full_name)
        created = _utc(created_at or self.clock())
        issue = self._new_issue(repo, title=title, body=body, author=author, created=created)
        self._relabel(repo, issue, [self._ensure_label(repo, name).id for name in labels], author, created)
        issue.assignees = list(assignees)
        issue.is_pr = pull_request
        if pull_request:
            issue.head_sha = self._push(repo, None)
            issue.head_ref = f"patch-{issue.number}"
        issue.locked = locked
        issue.milestone = milestone
        issue.updated_at = _utc(updated_at) if updated_at else created
        if state == "closed":
            issue.state = "closed"
            issue.state_reason = state_reason or "completed"
            issue.closed_at = _utc(closed_at) if closed_at else issue.updated_at
            issue.closed_by = self.actor
        else:
            issue.state_reason = state_reason
        return self._render_issue(repo, issue)

    def edit_issue(
        self,
        full_name: str,
        number: int,
        *,
        by: str | None = None,
        title: str | None = None,
        body: str | None = None,
        state: str | None = None,
        state_reason: str | None = None,
        labels: Iterable[str] | None = None,
        assignees: Iterable[str] | None = None,
        at: datetime | None = None,
    ) -> dict[str, Any]:
        """Change an issue out of band (a human in the web UI): no request is recorded."""
        repo = self._repo(full_name)
        issue = self._issue(repo, number)
        now = _utc(at or self.clock())
        if title is not None:
            issue.title = title
        if body is not None:
            issue.body = body or None
        if labels is not None:
            self._relabel(
                repo, issue, [self._ensure_label(repo, n).id for n in labels], by or issue.author, now
            )
        if assignees is not None:
            issue.assignees = list(assignees)
        self._apply_state(issue, state or issue.state, state_reason, now, by)
        issue.updated_at = now
        return self._render_issue(repo, issue, full=True)

    def add_comment(
        self,
        full_name: str,
        number: int,
        *,
        body: str,
        author: str,
        created_at: datetime | None = None,
    ) -> dict[str, Any]:
        """Seed a comment on an issue or PR."""
        repo = self._repo(full_name)
        issue = self._issue(repo, number)
        comment = self._new_comment(repo, issue, body, author, _utc(created_at or self.clock()))
        return self._render_comment(repo, comment)

    def issues(self, full_name: str) -> list[dict[str, Any]]:
        """All issues and PRs of a repository, in number order."""
        repo = self._repo(full_name)
        return [self._render_issue(repo, i) for _, i in sorted(repo.issues.items())]

    def issue(self, full_name: str, number: int) -> dict[str, Any]:
        """One issue as the single-issue endpoint returns it."""
        repo = self._repo(full_name)
        return self._render_issue(repo, self._issue(repo, number), full=True)

    def comments(self, full_name: str, number: int) -> list[dict[str, Any]]:
        """Comments of an issue, oldest first."""
        repo = self._repo(full_name)
        issue = self._issue(repo, number)
        return [self._render_comment(repo, repo.comments[c]) for c in issue.comment_ids]

    def labels(self, full_name: str) -> list[dict[str, Any]]:
        """Repository labels, sorted by name."""
        repo = self._repo(full_name)
        return [self._render_label(repo, label) for label in _sorted_labels(repo.labels.values())]

    def milestones(self, full_name: str) -> list[dict[str, Any]]:
        """Repository milestones in number order."""
        repo = self._repo(full_name)
        return [self._render_milestone(repo, m) for _, m in sorted(repo.milestones.items())]

    # ----------------------------------------------------------------- pull requests

    def add_pull(
        self,
        full_name: str,
        *,
        title: str,
        body: str | None,
        author: str,
        created_at: datetime | None = None,
        head_sha: str | None = None,
        files: Iterable[str] = (),
        draft: bool = False,
        labels: Iterable[str] = (),
        assignees: Iterable[str] = (),
        head_ref: str | None = None,
    ) -> int:
        """Seed an open pull request (an issue with PR fields; numbers are shared with issues).

        Returns its number. `head_sha` defaults to a fresh 40-hex sha; labels are created as needed.
        """
        repo = self._repo(full_name)
        created = _utc(created_at or self.clock())
        issue = self._new_issue(repo, title=title, body=body, author=author, created=created)
        issue.is_pr = True
        issue.label_ids = _dedupe([self._ensure_label(repo, name).id for name in labels])
        issue.assignees = list(assignees)
        issue.head_sha = self._push(repo, head_sha)
        self._record_commit(repo, issue.head_sha, title, author, created)
        issue.commit_oids = [issue.head_sha]
        issue.head_ref = head_ref or f"patch-{issue.number}"
        issue.files = list(files)
        issue.draft = draft
        return issue.number

    def edit_pull(
        self, full_name: str, number: int, *, at: datetime | None = None, **fields: Any
    ) -> dict[str, Any]:
        """Change a pull request out of band: title, body, labels, assignees, head_sha (a push),
        draft, files. Bumps updated_at; returns the pull() view."""
        allowed = {"title", "body", "labels", "assignees", "head_sha", "draft", "files"}
        unknown = set(fields) - allowed
        if unknown:
            raise TypeError(
                f"edit_pull() got unexpected fields {sorted(unknown)}; allowed: {sorted(allowed)}"
            )
        repo = self._repo(full_name)
        issue = self._pull_state(repo, number)
        if "title" in fields:
            issue.title = fields["title"]
        if "body" in fields:
            issue.body = fields["body"] or None
        if "labels" in fields:
            issue.label_ids = _dedupe([self._ensure_label(repo, n).id for n in fields["labels"]])
        if "assignees" in fields:
            issue.assignees = list(fields["assignees"])
        if "head_sha" in fields:
            issue.head_sha = self._push(repo, fields["head_sha"])
            self._record_commit(repo, issue.head_sha, "Push", issue.author, _utc(at or self.clock()))
            issue.commit_oids.append(issue.head_sha)
        if "draft" in fields:
            issue.draft = bool(fields["draft"])
        if "files" in fields:
            issue.files = list(fields["files"])
        issue.updated_at = _utc(at or self.clock())
        return self._render_pull(repo, issue)

    def merge_pull(
        self,
        full_name: str,
        number: int,
        *,
        by: str,
        at: datetime | None = None,
        method: str = "merge",
        sha: str | None = None,
    ) -> dict[str, Any]:
        """Merge an open pull request: closed and merged by `by` at `at`; returns the pull() view.

        The default branch gains what the merge method puts there: "merge" the pull request's
        commits and a merge commit (two parents), "squash" one new commit, "rebase" a copy of
        each commit (the last copy is the merge sha). `sha` fixes the merge sha."""
        repo = self._repo(full_name)
        issue = self._pull_state(repo, number)
        if issue.state != "open":
            raise ValueError(f"{full_name}#{number} is not open, so it cannot be merged")
        if method not in ("merge", "squash", "rebase"):
            raise ValueError(f"merge method {method!r} is not merge, squash or rebase")
        now = _utc(at or self.clock())
        issue.state, issue.state_reason, issue.closed_at, issue.closed_by = "closed", None, now, by
        issue.merged_at, issue.merged_by, issue.merge_method = now, by, method
        title = f"{issue.title} (#{issue.number})"
        if method == "merge":
            repo.history.extend(issue.commit_oids)
            issue.merge_sha = self._push(repo, sha)
            message = f"Merge pull request #{issue.number} from {repo.owner}/{issue.head_ref}"
            self._record_commit(repo, issue.merge_sha, message, by, now, parents=2)
        elif method == "squash":
            issue.merge_sha = self._push(repo, sha)
            self._record_commit(repo, issue.merge_sha, title, issue.author, now)
        else:
            for i, oid in enumerate(issue.commit_oids):
                original = repo.commit_objects[oid]
                last = i == len(issue.commit_oids) - 1
                copy_sha = self._push(repo, sha if last else None)
                self._record_commit(repo, copy_sha, original.message, original.author, now)
                issue.merge_sha = copy_sha
                if not last:
                    repo.history.append(copy_sha)
        repo.history.append(issue.merge_sha)
        issue.updated_at = now
        return self._render_pull(repo, issue)

    def add_pull_commit(
        self,
        full_name: str,
        number: int,
        *,
        message: str = "More changes",
        author: str | None = None,
        parents: int = 1,
        sha: str | None = None,
        at: datetime | None = None,
    ) -> str:
        """Push a commit to an open pull request's branch (it becomes the head); returns its sha.
        `parents=2` with a message like "Merge branch 'main' into ..." is a merge of the base."""
        repo = self._repo(full_name)
        issue = self._pull_state(repo, number)
        now = _utc(at or self.clock())
        issue.head_sha = self._push(repo, sha)
        self._record_commit(repo, issue.head_sha, message, author or issue.author, now, parents=parents)
        issue.commit_oids.append(issue.head_sha)
        issue.updated_at = now
        return issue.head_sha

    def push_commit(
        self,
        full_name: str,
        *,
        message: str = "Direct change",
        author: str | None,
        sha: str | None = None,
        at: datetime | None = None,
    ) -> str:
        """A commit pushed straight to the default branch (no pull request); returns its sha."""
        repo = self._repo(full_name)
        sha = self._push(repo, sha)
        self._record_commit(repo, sha, message, author, _utc(at or self.clock()))
        repo.history.append(sha)
        return sha

    def rewrite_history(self, full_name: str, keep: int) -> None:
        """A force-push that drops all but the first `keep` commits of the default branch."""
        repo = self._repo(full_name)
        del repo.history[keep:]

    def history(self, full_name: str) -> list[str]:
        """The default branch's commit shas, oldest first."""
        return list(self._repo(full_name).history)

    def _associated(self, repo: _Repo) -> dict[str, list[_Issue]]:
        """sha -> pull requests GitHub associates with the commit: merged ones whose commits, merge
        commit or rebased copies it is, then open ones holding it. Cached until the state changes."""
        pulls = [i for _, i in sorted(repo.issues.items()) if i.is_pr]
        version = (len(repo.history), len(repo.commit_objects), tuple(p.merge_sha for p in pulls))
        cached = self._association_cache.get(repo.full_name)
        if cached is not None and cached[0] == version:
            return cached[1]
        index: dict[str, list[_Issue]] = {}
        position = {sha: i for i, sha in enumerate(repo.history)}
        for pull in pulls:
            if pull.merged_at is None:
                continue
            shas = [*pull.commit_oids, pull.merge_sha]
            if pull.merge_method == "rebase" and pull.merge_sha in position:
                end = position[pull.merge_sha]
                shas += repo.history[max(0, end - len(pull.commit_oids) + 1) : end + 1]
            for sha in dict.fromkeys(shas):
                if sha is not None:
                    index.setdefault(sha, []).append(pull)
        for pull in pulls:
            if pull.merged_at is None:
                for sha in pull.commit_oids:
                    index.setdefault(sha, []).append(pull)
        self._association_cache[repo.full_name] = (version, index)
        return index

    def _record_commit(
        self, repo: _Repo, sha: str, message: str, author: str | None, at: datetime, parents: int = 1
    ) -> None:
        repo.commit_objects[sha] = _Commit(sha, message, author, at, parents)

    def close_pull(
        self, full_name: str, number: int, *, by: str | None = None, at: datetime | None = None
    ) -> dict[str, Any]:
        """Close a pull request without merging it; returns the pull() view."""
        repo = self._repo(full_name)
        issue = self._pull_state(repo, number)
        if issue.state != "open":
            raise ValueError(f"{full_name}#{number} is already closed")
        now = _utc(at or self.clock())
        issue.state, issue.state_reason, issue.closed_at, issue.closed_by = (
            "closed",
            None,
            now,
            by or self.actor,
        )
        issue.updated_at = now
        return self._render_pull(repo, issue)

    def reopen_pull(
        self, full_name: str, number: int, *, by: str | None = None, at: datetime | None = None
    ) -> dict[str, Any]:
        """Reopen a closed, unmerged pull request (GitHub cannot reopen a merged one)."""
        del by  # GitHub records who reopened only in the timeline, which the fake does not model
        repo = self._repo(full_name)
        issue = self._pull_state(repo, number)
        if issue.merged_at is not None:
            raise ValueError(f"{full_name}#{number} is merged and cannot be reopened")
        if issue.state != "closed":
            raise ValueError(f"{full_name}#{number} is already open")
        issue.state, issue.state_reason, issue.closed_at, issue.closed_by = "open", None, None, None
        issue.updated_at = _utc(at or self.clock())
        return self._render_pull(repo, issue)

    def add_review(
        self,
        full_name: str,
        number: int,
        *,
        author: str,
        state: str,
        submitted_at: datetime | None = None,
        body: str = "",
    ) -> dict[str, Any]:
        """Submit a review (APPROVED, CHANGES_REQUESTED, COMMENTED or DISMISSED) on the current head.

        Returns the review as the REST reviews endpoint renders it."""
        repo = self._repo(full_name)
        issue = self._pull_state(repo, number)
        state = state.upper()
        if state not in REVIEW_STATES:
            raise ValueError(f"review state {state!r} is not one of {REVIEW_STATES}")
        when = _utc(submitted_at or self.clock())
        review = _Review(next(self._ids["review"]), author, state, when, issue.head_sha, body)
        issue.reviews.append(review)
        issue.updated_at = max(issue.updated_at, when)
        return self._render_review(repo, issue, review)

    def pull(self, full_name: str, number: int) -> dict[str, Any]:
        """One pull request as GET /repos/{o}/{r}/pulls/{n} renders it (head.sha, merged, draft...)."""
        repo = self._repo(full_name)
        return self._render_pull(repo, self._pull_state(repo, number))

    def reviews(self, full_name: str, number: int) -> list[dict[str, Any]]:
        """Reviews of a pull request, oldest first, as the REST reviews endpoint renders them."""
        repo = self._repo(full_name)
        issue = self._pull_state(repo, number)
        return [self._render_review(repo, issue, r) for r in issue.reviews]

    def check_runs(self, full_name: str) -> list[dict[str, Any]]:
        """Check runs created in a repository, in creation order, as the REST API renders them
        (name, head_sha, status, conclusion, output: {title, summary, text}, ...)."""
        repo = self._repo(full_name)
        return [self._render_check_run(repo, run) for run in repo.check_runs]

    def _pull_state(self, repo: _Repo, number: int) -> _Issue:
        issue = repo.issues.get(int(number))
        if issue is None or not issue.is_pr:
            raise KeyError(f"{repo.full_name} has no pull request #{number}")
        return issue

    def _new_sha(self, repo: _Repo) -> str:
        """A fresh, deterministic 40-hex commit sha."""
        seed = f"{repo.full_name}:{next(self._ids['sha'])}"
        return hashlib.sha1(seed.encode()).hexdigest()

    def _push(self, repo: _Repo, sha: str | None) -> str:
        """Record a commit (generating its sha if not given) so check runs can be created for it."""
        sha = sha or self._new_sha(repo)
        if not re.fullmatch(r"[0-9a-f]{40}", sha):
            raise ValueError(f"not a 40-hex commit sha: {sha!r}")
        repo.commits.add(sha)
        return sha

    # ----------------------------------------------------------------- GraphQL

    def on_graphql(self, operation: str, handler: Callable[[str, dict[str, Any]], dict[str, Any]]) -> None:
        """Answer GraphQL requests whose operation name equals (or query contains) `operation`.

        The handler returns the response body; a dict without "data"/"errors" is wrapped in
        {"data": ...}. A handler for one of STATE_OPERATIONS, by exact name, replaces the built-in
        answer from state; `fake.execute_graphql` may be registered to answer other operations
        from state too.
        """
        self._graphql_handlers.append((operation, handler))

    def execute_graphql(
        self, query: str, variables: dict[str, Any] | None = None, operation_name: str | None = None
    ) -> dict[str, Any]:
        """Run a document against GitHub's schema (tests/fixtures/graphql-schema.graphql) and the
        fake's state; returns the response body ({"data": ..., "errors": [...]}, GitHub-style).

        The real schema decides what is valid and which fields the answer holds; the fake models
        the fields of gh_ops/rfc_queries.py (and a few neighbours). Selecting a field or passing an
        argument the fake does not model raises NotImplementedError, so the gap is obvious.
        """
        return _execute(self, query, variables or {}, operation_name)

    def fail_mutation_field(
        self,
        field_name: str,
        *,
        message: str = "Resource not accessible by integration",
        type: str = "FORBIDDEN",
        times: int = 1,
    ) -> None:
        """Make the next `times` GraphQL mutation fields named `field_name` (e.g. "createCheckRun")
        fail without applying: null in data, an error with the field's alias as path. The other
        fields of the mutation still apply, as on GitHub."""
        self._field_failures.append(_FieldFailure(field_name, message, type, times))

    # ----------------------------------------------------------------- failure injection

    def fail_next(
        self,
        method: str,
        path_pattern: str,
        status: int,
        *,
        times: int = 1,
        headers: dict[str, str] | None = None,
        json: Any = None,
    ) -> None:
        """Answer the next `times` matching requests with an error, without touching state.

        `path_pattern` is re.search-ed against the API-relative path (no query), e.g.
        r"/repos/acme/widgets/issues$"; method "*" matches any method.
        """
        body = json if json is not None else {"message": "Server Error"}
        self._failures.append(
            _Failure(method.upper(), re.compile(path_pattern), status, times, dict(headers or {}), body)
        )

    def fail_after_apply(self, method: str, path_pattern: str, status: int = 502, *, times: int = 1) -> None:
        """Apply the next matching successful write to state, then answer with an error.

        Only writes match (reads have nothing to apply): on "/graphql" the next mutation fails,
        while queries before it pass through."""
        self._failures.append(
            _Failure(
                method.upper(),
                re.compile(path_pattern),
                status,
                times,
                {},
                {"message": "Server Error"},
                after_apply=True,
            )
        )

    def server_error(self, method: str, pattern: str, times: int = 1, status: int = 502) -> None:
        """Inject 5xx responses like a flaky GitHub frontend."""
        self.fail_next(method, pattern, status, times=times, json={"message": "Server Error"})

    def secondary_rate_limit(
        self, method: str, pattern: str, retry_after: int = 60, *, status: int = 403, times: int = 1
    ) -> None:
        """Inject GitHub's secondary (abuse) rate limit: 403/429 with Retry-After."""
        self.fail_next(
            method,
            pattern,
            status,
            times=times,
            headers={"Retry-After": str(retry_after)},
            json={
                "message": "You have exceeded a secondary rate limit. Please wait a few minutes "
                "before you try again.",
                "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
            },
        )

    def primary_rate_limit(
        self, method: str, pattern: str, reset_in: int = 30, *, status: int = 403, times: int = 1
    ) -> None:
        """Inject an exhausted primary rate limit: remaining 0, reset `reset_in` seconds ahead."""
        reset = int(_utc(self.clock()).timestamp()) + reset_in
        self.fail_next(
            method,
            pattern,
            status,
            times=times,
            headers={
                "x-ratelimit-remaining": "0",
                "x-ratelimit-used": str(RATE_LIMIT),
                "x-ratelimit-reset": str(reset),
            },
            json={
                "message": "API rate limit exceeded for installation ID 123.",
                "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
            },
        )

    def too_many_requests(self, method: str, pattern: str, retry_after: int = 60) -> None:
        """The 429 flavour of the secondary rate limit."""
        self.secondary_rate_limit(method, pattern, retry_after, status=429)

    # ----------------------------------------------------------------- registration & dispatch

    def _routes(self) -> list[_Route]:
        """The endpoint table; patterns are disjoint per method (responses pops on overlap)."""
        r = rf"/repos/{_SEG}/{_SEG}"
        return [
            _Route("GET", "/user", self._get_authenticated_user, repo_scoped=False),
            _Route("GET", rf"/orgs/{_SEG}/repos", self._list_org_repos, repo_scoped=False),
            _Route("GET", r, self._get_repo),
            _Route("GET", rf"{r}/issues", self._list_issues),
            _Route("POST", rf"{r}/issues", self._create_issue),
            _Route("GET", rf"{r}/issues/{_NUM}", self._get_issue),
            _Route("PATCH", rf"{r}/issues/{_NUM}", self._update_issue),
            _Route("GET", rf"{r}/issues/{_NUM}/comments", self._list_comments),
            _Route("POST", rf"{r}/issues/{_NUM}/comments", self._create_comment),
            _Route("GET", rf"{r}/issues/comments/{_NUM}", self._get_comment),
            _Route("PATCH", rf"{r}/issues/comments/{_NUM}", self._update_comment),
            _Route("DELETE", rf"{r}/issues/comments/{_NUM}", self._delete_comment),
            _Route("GET", rf"{r}/issues/{_NUM}/timeline", self._list_timeline),
            _Route("GET", rf"{r}/issues/{_NUM}/labels", self._list_issue_labels),
            _Route("POST", rf"{r}/issues/{_NUM}/labels", self._add_issue_labels),
            _Route("PUT", rf"{r}/issues/{_NUM}/labels", self._set_issue_labels),
            _Route("DELETE", rf"{r}/issues/{_NUM}/labels", self._clear_issue_labels),
            _Route("DELETE", rf"{r}/issues/{_NUM}/labels/{_SEG}", self._remove_issue_label),
            _Route("GET", rf"{r}/labels", self._list_labels),
            _Route("POST", rf"{r}/labels", self._create_label),
            _Route("GET", rf"{r}/labels/{_SEG}", self._get_label),
            _Route("PATCH", rf"{r}/labels/{_SEG}", self._update_label),
            _Route("DELETE", rf"{r}/labels/{_SEG}", self._delete_label),
            _Route("GET", rf"{r}/milestones", self._list_milestones),
            _Route("GET", rf"{r}/milestones/{_NUM}", self._get_milestone),
            _Route("POST", rf"{r}/issues/{_NUM}/assignees", self._add_assignees),
            _Route("DELETE", rf"{r}/issues/{_NUM}/assignees", self._remove_assignees),
            _Route("GET", rf"{r}/assignees", self._list_assignees),
            _Route("GET", rf"{r}/assignees/{_SEG}", self._check_assignee),
        ]

    def _register(self) -> None:
        """Register one `responses` callback per route, plus the GraphQL endpoint."""
        for route in self._routes():
            url = re.compile(_url_regex(self.api_url) + route.pattern + r"(?:\?.*)?$")
            self.rsps.add_callback(
                route.method,
                url,
                callback=functools.partial(self._dispatch, route),
                content_type=None,
            )
        graphql = _Route("POST", "/graphql", self._graphql, repo_scoped=False)
        self.rsps.add_callback(
            "POST",
            re.compile(_url_regex(self.graphql_url) + r"(?:\?.*)?$"),
            callback=functools.partial(self._dispatch, graphql),
            content_type=None,
        )

    def _dispatch(self, route: _Route, prepared: PreparedRequest) -> tuple[int, dict[str, str], str]:
        """The `responses` callback: record, serve, and decorate with GitHub headers."""
        if self.latency:
            time.sleep(self.latency)  # outside the lock: like GitHub, answers may overlap
        with self._lock:
            req = self._parse(route, prepared)
            record = RecordedRequest(req.method, req.path, dict(req.query), req.json, req.headers, req.url)
            self.requests.append(record)
            status, headers, body = self._serve(route, req, is_write=record.is_write)
            record.status = status
            return self._finish(route, status, headers, body)

    def _parse(self, route: _Route, prepared: PreparedRequest) -> _Req:
        """Split a prepared request into the parts handlers need."""
        url = _without_default_port(str(prepared.url))
        parts = urlsplit(url)
        api_prefix = len(urlsplit(self.api_url).path)
        path = "/graphql" if route.pattern == "/graphql" else parts.path[api_prefix:]
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        raw = prepared.body
        payload: Any = None
        json_error = False
        if raw:
            try:
                payload = json.loads(raw)
            except ValueError:
                json_error = True
        return _Req(
            method=str(prepared.method).upper(),
            url=url,
            path=path,
            query=dict(pairs),
            query_pairs=pairs,
            json=payload,
            json_error=json_error,
            headers=CaseInsensitiveDict(dict(prepared.headers)),
        )

    def _serve(self, route: _Route, req: _Req, *, is_write: bool = True) -> _Resp:
        """Apply injected failures, auth, routing and the handler."""
        early = self._take_failure(req, after_apply=False)
        if early is not None:
            return early
        try:
            resp = self._handle(route, req)
        except _HttpError as err:
            return err.response
        if resp[0] < 400 and is_write:
            late = self._take_failure(req, after_apply=True)
            if late is not None:
                return late
        return resp

    def _handle(self, route: _Route, req: _Req) -> _Resp:
        """Authenticate, resolve the repository and call the route handler."""
        if req.json_error:
            raise _HttpError(400, "Problems parsing JSON")
        match = re.fullmatch(route.pattern, req.path)
        assert match is not None, (route.pattern, req.path)
        args = [unquote(g) for g in match.groups()]
        if not route.repo_scoped:
            self._check_auth(req, repo=None)
            return route.handler(req)
        repo = self._repos.get(f"{args[0]}/{args[1]}".lower())
        self._check_auth(req, repo=repo)
        if repo is None:
            raise _not_found()
        if req.method != "GET" and repo.archived:
            raise _HttpError(403, "Repository was archived so is read-only.")
        return route.handler(req, repo, *args[2:])

    def _check_auth(self, req: _Req, repo: _Repo | None) -> None:
        """Refuse anonymous requests, except reads of public repositories."""
        if not self.require_auth or req.headers.get("Authorization"):
            return
        if req.method == "GET" and repo is not None and not repo.private:
            return
        if req.path == "/graphql":
            raise _HttpError(
                401,
                "This endpoint requires you to be authenticated.",
                documentation_url="https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql",
            )
        raise _HttpError(401, "Requires authentication")

    def _take_failure(self, req: _Req, *, after_apply: bool) -> _Resp | None:
        """Consume the first matching injected failure of the given kind."""
        for failure in self._failures:
            if failure.after_apply == after_apply and failure.remaining > 0 and failure.matches(req):
                failure.remaining -= 1
                return failure.status, dict(failure.headers), copy.deepcopy(failure.body)
        return None

    def _finish(
        self, route: _Route, status: int, extra: dict[str, str], body: Any
    ) -> tuple[int, dict[str, str], str]:
        """Attach the headers every GitHub response carries and serialise the body."""
        resource = "core" if route.repo_scoped else "graphql"
        now = int(_utc(self.clock()).timestamp())
        if self._rate_reset is None or now >= self._rate_reset:
            # A fresh hourly window, like GitHub's primary rate limit.
            self._rate_reset = now + 3600
            self._rate_used = {"core": 0, "graphql": 0}
        self._rate_used[resource] += 1
        used = self._rate_used[resource]
        request_no = next(self._ids["request"])
        headers = {
            "x-github-api-version-selected": "2022-11-28",
            "x-github-media-type": "github.v3; format=json",
            "x-ratelimit-limit": str(RATE_LIMIT),
            "x-ratelimit-remaining": str(max(0, RATE_LIMIT - used)),
            "x-ratelimit-reset": str(self._rate_reset),
            "x-ratelimit-used": str(used),
            "x-ratelimit-resource": resource,
            # Same five-part hex shape as GitHub's ids, deterministic for reproducible logs.
            "x-github-request-id": f"F00D:{request_no:04X}:{request_no * 7919:06X}:"
            f"{request_no * 104729:07X}:65B0C0DE",
        }
        if status == 204 or body is None:
            return status, {**headers, **extra}, ""
        headers["Content-Type"] = "application/json; charset=utf-8"
        return status, {**headers, **extra}, json.dumps(body)

    # ----------------------------------------------------------------- lookups & mutations

    def _repo(self, full_name: str) -> _Repo:
        """Helper-side repository lookup (KeyError on typos is what a test wants)."""
        return self._repos[full_name.lower()]

    @staticmethod
    def _issue(repo: _Repo, number: int | str) -> _Issue:
        issue = repo.issues.get(int(number))
        if issue is None:
            raise _not_found()
        return issue

    @staticmethod
    def _find_label(repo: _Repo, name: str) -> _Label | None:
        """Label names are case-insensitive on GitHub."""
        wanted = name.lower()
        return next((lb for lb in repo.labels.values() if lb.name.lower() == wanted), None)

    def _node(self, node_id: Any) -> tuple[str, _Repo, Any] | None:
        """(type name, repository, state object) for a node id this fake handed out, else None."""
        try:
            raw = base64.b64decode(str(node_id), validate=True).decode()
            length, rest = raw.split(":", 1)
            kind, ident = rest[: int(length)], int(rest[int(length) :])
        except ValueError:
            return None
        for repo in self._repos.values():
            if kind == "Repository" and repo.id == ident:
                return kind, repo, repo
            if kind in ("Issue", "PullRequest"):
                issue = next((i for i in repo.issues.values() if i.id == ident), None)
                if issue is not None and issue.is_pr == (kind == "PullRequest"):
                    return kind, repo, issue
            if kind == "IssueComment" and ident in repo.comments:
                return kind, repo, repo.comments[ident]
            if kind == "Label" and ident in repo.labels:
                return kind, repo, repo.labels[ident]
            if kind == "CheckRun":
                run = next((r for r in repo.check_runs if r.id == ident), None)
                if run is not None:
                    return kind, repo, run
        return None

    def _take_field_failure(self, field_name: str) -> None:
        """Raise the first pending injected failure for this mutation field, if any."""
        for failure in self._field_failures:
            if failure.field_name == field_name and failure.remaining > 0:
                failure.remaining -= 1
                raise _GqlError(failure.message, failure.type)

    def _ensure_label(self, repo: _Repo, name: str) -> _Label:
        """Find a label or create it like GitHub does for unknown names (grey, no description)."""
        label = self._find_label(repo, name)
        if label is None:
            label = _Label(next(self._ids["label"]), name)
            repo.labels[label.id] = label
        return label

    def _new_issue(
        self, repo: _Repo, *, title: str, body: str | None, author: str, created: datetime
    ) -> _Issue:
        # GitHub stores an empty body as null.
        issue = _Issue(
            id=next(self._ids["issue"]),
            number=repo.next_number,
            title=title,
            body=body or None,
            author=author,
            created_at=created,
            updated_at=created,
        )
        repo.next_number += 1
        repo.issues[issue.number] = issue
        return issue

    def _new_comment(self, repo: _Repo, issue: _Issue, body: str, author: str, created: datetime) -> _Comment:
        comment = _Comment(next(self._ids["comment"]), issue.number, body, author, created, created)
        repo.comments[comment.id] = comment
        issue.comment_ids.append(comment.id)
        issue.timeline.append(("commented", comment.id))
        issue.updated_at = max(issue.updated_at, created)
        return comment

    def _relabel(self, repo: _Repo, issue: _Issue, label_ids: list[int], actor: str, at: datetime) -> None:
        """Set an issue's labels, recording a labeled/unlabeled timeline event per change, as GitHub does."""
        new = _dedupe(label_ids)
        for label_id in new:
            if label_id not in issue.label_ids:
                issue.timeline.append(
                    ("labeled", repo.labels[label_id].name, actor, at, next(self._ids["event"]))
                )
        for label_id in issue.label_ids:
            if label_id not in new and label_id in repo.labels:
                issue.timeline.append(
                    ("unlabeled", repo.labels[label_id].name, actor, at, next(self._ids["event"]))
                )
        issue.label_ids = new

    def _assignable(self, repo: _Repo, login: str) -> str | None:
        """The canonical spelling of an assignable login, or None."""
        return repo.collaborators.get(str(login).lower())

    def _label_names(self, raw: Any, resource: str = "Issue") -> list[str]:
        """Accept labels as names or {"name": ...} objects, as the API does."""
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise _validation_failed(resource, "labels", "invalid")
        names = [item.get("name") if isinstance(item, dict) else item for item in raw]
        if not all(isinstance(n, str) and n.strip() for n in names):
            raise _validation_failed(resource, "labels", "invalid")
        return [n.strip() for n in names]

    def _validated_assignees(self, repo: _Repo, data: dict[str, Any]) -> list[str] | None:
        """Resolve assignees/assignee from a payload; None means "not given"."""
        if "assignees" in data:
            raw = data["assignees"] or []
        elif "assignee" in data:
            raw = [data["assignee"]] if data["assignee"] else []
        else:
            return None
        if not isinstance(raw, list):
            raise _validation_failed("Issue", "assignees", "invalid", value=raw)
        resolved = []
        for login in raw:
            canonical = self._assignable(repo, login)
            if canonical is None:
                raise _validation_failed("Issue", "assignees", "invalid", value=login)
            if canonical not in resolved:
                resolved.append(canonical)
        return resolved

    @staticmethod
    def _validated_milestone(repo: _Repo, data: dict[str, Any]) -> tuple[bool, int | None]:
        """(given, number) for the milestone field; unknown numbers are a 422."""
        if "milestone" not in data:
            return False, None
        raw = data["milestone"]
        if raw is None:
            return True, None
        try:
            number = int(raw)
        except (TypeError, ValueError):
            raise _validation_failed("Issue", "milestone", "invalid", value=raw) from None
        if number not in repo.milestones:
            raise _validation_failed("Issue", "milestone", "invalid", value=raw)
        return True, number

    @staticmethod
    def _validate_text(resource: str, title: Any = None, body: Any = None) -> None:
        """Enforce GitHub's length limits on titles and bodies."""
        for name, value, limit in (("title", title, MAX_TITLE), ("body", body, MAX_BODY)):
            if value is not None and len(str(value)) > limit:
                message = f"{name} is too long (maximum is {limit} characters)"
                raise _validation_failed(resource, name, "custom", message=message)

    @staticmethod
    def _object_body(req: _Req) -> dict[str, Any]:
        """The JSON object a write endpoint expects (empty if no body was sent)."""
        if req.json is None:
            return {}
        if not isinstance(req.json, dict):
            raise _HttpError(400, "Problems parsing JSON")
        return req.json

    def _require_issues(self, repo: _Repo) -> None:
        if not repo.has_issues:
            raise _HttpError(410, "Issues are disabled for this repo")

    # ----------------------------------------------------------------- pagination

    def _paginate(self, req: _Req, items: list[Any], render: Callable[[Any], Any]) -> _Resp:
        """Slice `items` by page/per_page and emit GitHub's Link header."""
        per_page = _int_param(req.query.get("per_page"), 30)
        per_page = 30 if per_page < 1 else min(per_page, 100)
        page = max(1, _int_param(req.query.get("page"), 1))
        last = max(1, math.ceil(len(items) / per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        link = _link_header(req, page, last)
        if link:
            headers["Link"] = link
        return 200, headers, [render(item) for item in chunk]

    # ----------------------------------------------------------------- REST handlers: repo

    def _get_authenticated_user(self, req: _Req) -> _Resp:
        # Like GitHub: an installation token (the Actions GITHUB_TOKEN, an App) has no user.
        if self.actor.endswith("[bot]"):
            raise _HttpError(403, "Resource not accessible by integration")
        return 200, {}, self._user(self.actor)

    def _get_repo(self, req: _Req, repo: _Repo) -> _Resp:
        return 200, {}, self._render_repo(repo)

    def _list_org_repos(self, req: _Req) -> _Resp:
        org = unquote(req.path.split("/")[2]).lower()
        repos = sorted((r for r in self._repos.values() if r.owner.lower() == org), key=lambda r: r.id)
        if not repos:
            raise _not_found()
        if req.query.get("direction", "asc") == "desc":
            repos.reverse()
        return self._paginate(req, repos, self._render_repo)

    def _list_assignees(self, req: _Req, repo: _Repo) -> _Resp:
        logins = sorted(repo.collaborators.values(), key=str.lower)
        return self._paginate(req, logins, self._user)

    def _check_assignee(self, req: _Req, repo: _Repo, login: str) -> _Resp:
        if self._assignable(repo, login) is None:
            raise _not_found()
        return 204, {}, None

    def _assignees_payload(self, req: _Req) -> list[str]:
        raw = self._object_body(req).get("assignees", [])
        if not isinstance(raw, list):
            raise _validation_failed("Issue", "assignees", "invalid", value=raw)
        return [str(login) for login in raw]

    def _add_assignees(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        """Add assignees; like GitHub, logins that cannot be assigned are silently ignored."""
        issue = self._issue(repo, number)
        current = {login.lower() for login in issue.assignees}
        for login in self._assignees_payload(req):
            canonical = self._assignable(repo, login)
            if canonical is not None and canonical.lower() not in current:
                issue.assignees.append(canonical)
                current.add(canonical.lower())
        issue.updated_at = _utc(self.clock())
        return 201, {}, self._render_issue(repo, issue, full=True)

    def _remove_assignees(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        issue = self._issue(repo, number)
        gone = {login.lower() for login in self._assignees_payload(req)}
        issue.assignees = [login for login in issue.assignees if login.lower() not in gone]
        issue.updated_at = _utc(self.clock())
        return 200, {}, self._render_issue(repo, issue, full=True)

    # ----------------------------------------------------------------- REST handlers: issues

    def _list_issues(self, req: _Req, repo: _Repo) -> _Resp:
        self._require_issues(repo)
        items = _filter_issues(repo, req.query)
        return self._paginate(req, items, functools.partial(self._render_issue, repo))

    def _get_issue(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        self._require_issues(repo)
        return 200, {}, self._render_issue(repo, self._issue(repo, number), full=True)

    def _create_issue(self, req: _Req, repo: _Repo) -> _Resp:
        self._require_issues(repo)
        data = self._object_body(req)
        if data.get("title") is None:
            raise _missing_param("title")
        title = str(data["title"])
        if not title.strip():
            raise _validation_failed("Issue", "title", "missing_field")
        body = data.get("body")
        self._validate_text("Issue", title, body)
        # Validate everything before mutating, so a 422 leaves no half-created labels behind.
        label_names = self._label_names(data.get("labels"))
        assignees = self._validated_assignees(repo, data) or []
        _, milestone = self._validated_milestone(repo, data)
        issue = self._new_issue(repo, title=title, body=body, author=self.actor, created=_utc(self.clock()))
        self._relabel(
            repo, issue, [self._ensure_label(repo, n).id for n in label_names], self.actor, issue.created_at
        )
        issue.assignees = assignees
        issue.milestone = milestone
        rendered = self._render_issue(repo, issue, full=True)
        return 201, {"Location": rendered["url"]}, rendered

    def _update_issue(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        self._require_issues(repo)
        issue = self._issue(repo, number)
        data = self._object_body(req)
        if "title" in data and (data["title"] is None or not str(data["title"]).strip()):
            raise _validation_failed("Issue", "title", "missing_field")
        self._validate_text("Issue", data.get("title"), data.get("body"))
        state = data.get("state", issue.state)
        if state not in ("open", "closed"):
            raise _validation_failed("Issue", "state", "invalid", value=state)
        reason = data.get("state_reason")
        if reason not in (None, "completed", "not_planned", "reopened", "duplicate"):
            raise _validation_failed("Issue", "state_reason", "invalid", value=reason)
        label_names = self._label_names(data["labels"]) if "labels" in data else None
        assignees = self._validated_assignees(repo, data)
        milestone_given, milestone = self._validated_milestone(repo, data)
        now = _utc(self.clock())
        if "title" in data:
            issue.title = str(data["title"])
        if "body" in data:
            issue.body = data["body"] or None
        if label_names is not None:
            self._relabel(repo, issue, [self._ensure_label(repo, n).id for n in label_names], self.actor, now)
        if assignees is not None:
            issue.assignees = assignees
        if milestone_given:
            issue.milestone = milestone
        self._apply_state(issue, state, reason, now)
        issue.updated_at = now
        return 200, {}, self._render_issue(repo, issue, full=True)

    def _apply_state(
        self, issue: _Issue, state: str, reason: str | None, now: datetime, by: str | None = None
    ) -> None:
        """Open/close transitions with GitHub's closed_at/state_reason bookkeeping."""
        if state == "closed" and issue.state == "open":
            issue.state, issue.closed_at, issue.closed_by = "closed", now, by or self.actor
            issue.state_reason = reason or "completed"
        elif state == "open" and issue.state == "closed":
            issue.state, issue.closed_at, issue.closed_by = "open", None, None
            issue.state_reason = "reopened"
        elif reason is not None:
            issue.state_reason = reason

    # ----------------------------------------------------------------- REST handlers: comments

    def _list_comments(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        issue = self._issue(repo, number)
        comments = [repo.comments[c] for c in issue.comment_ids]
        if "since" in req.query:
            since = _parse_since(req.query["since"])
            comments = [c for c in comments if c.updated_at >= since]
        return self._paginate(req, comments, functools.partial(self._render_comment, repo))

    def _list_timeline(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        issue = self._issue(repo, number)
        items = [e for e in issue.timeline if e[0] != "commented" or e[1] in repo.comments]
        return self._paginate(req, items, functools.partial(self._render_timeline_event, repo, issue))

    def _render_timeline_event(self, repo: _Repo, issue: _Issue, event: tuple[Any, ...]) -> dict[str, Any]:
        if event[0] == "commented":
            comment = repo.comments[event[1]]
            return {
                **self._render_comment(repo, comment),
                "event": "commented",
                "actor": self._user(comment.author),
            }
        kind, name, actor, at, event_id = event
        label = self._find_label(repo, name)
        return {
            "id": event_id,
            "node_id": _node_id("LabeledEvent" if kind == "labeled" else "UnlabeledEvent", event_id),
            "url": f"{self.api_url}/repos/{repo.full_name}/issues/events/{event_id}",
            "actor": self._user(actor),
            "event": kind,
            "commit_id": None,
            "commit_url": None,
            "created_at": iso(at),
            "label": {"name": name, "color": label.color if label else "ededed"},
            "performed_via_github_app": None,
        }

    def _create_comment(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        issue = self._issue(repo, number)
        data = self._object_body(req)
        if data.get("body") is None:
            raise _missing_param("body")
        body = str(data["body"])
        if not body.strip():
            raise _validation_failed("IssueComment", "body", "missing_field")
        self._validate_text("IssueComment", body=body)
        comment = self._new_comment(repo, issue, body, self.actor, _utc(self.clock()))
        rendered = self._render_comment(repo, comment)
        return 201, {"Location": rendered["url"]}, rendered

    def _comment(self, repo: _Repo, comment_id: str) -> _Comment:
        comment = repo.comments.get(int(comment_id))
        if comment is None:
            raise _not_found()
        return comment

    def _get_comment(self, req: _Req, repo: _Repo, comment_id: str) -> _Resp:
        return 200, {}, self._render_comment(repo, self._comment(repo, comment_id))

    def _update_comment(self, req: _Req, repo: _Repo, comment_id: str) -> _Resp:
        comment = self._comment(repo, comment_id)
        data = self._object_body(req)
        if data.get("body") is None:
            raise _missing_param("body")
        self._validate_text("IssueComment", body=data["body"])
        comment.body = str(data["body"])
        comment.updated_at = _utc(self.clock())
        return 200, {}, self._render_comment(repo, comment)

    def _delete_comment(self, req: _Req, repo: _Repo, comment_id: str) -> _Resp:
        comment = self._comment(repo, comment_id)
        del repo.comments[comment.id]
        repo.issues[comment.issue_number].comment_ids.remove(comment.id)
        return 204, {}, None

    # ----------------------------------------------------------------- REST handlers: labels

    def _issue_labels(self, repo: _Repo, issue: _Issue) -> list[dict[str, Any]]:
        labels = _sorted_labels(repo.labels[i] for i in issue.label_ids)
        return [self._render_label(repo, label) for label in labels]

    def _labels_payload(self, req: _Req) -> list[str]:
        """POST/PUT issue labels accept either a bare list or {"labels": [...]}."""
        raw = req.json.get("labels") if isinstance(req.json, dict) else req.json
        return self._label_names(raw, "Label")

    def _list_issue_labels(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        issue = self._issue(repo, number)
        labels = _sorted_labels(repo.labels[i] for i in issue.label_ids)
        return self._paginate(req, labels, functools.partial(self._render_label, repo))

    def _add_issue_labels(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        issue = self._issue(repo, number)
        names = self._labels_payload(req)
        ids = [self._ensure_label(repo, n).id for n in names]
        self._relabel(repo, issue, issue.label_ids + ids, self.actor, _utc(self.clock()))
        issue.updated_at = _utc(self.clock())
        return 200, {}, self._issue_labels(repo, issue)

    def _set_issue_labels(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        issue = self._issue(repo, number)
        names = self._labels_payload(req)
        self._relabel(
            repo, issue, [self._ensure_label(repo, n).id for n in names], self.actor, _utc(self.clock())
        )
        issue.updated_at = _utc(self.clock())
        return 200, {}, self._issue_labels(repo, issue)

    def _clear_issue_labels(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        issue = self._issue(repo, number)
        self._relabel(repo, issue, [], self.actor, _utc(self.clock()))
        issue.updated_at = _utc(self.clock())
        return 204, {}, None

    def _remove_issue_label(self, req: _Req, repo: _Repo, number: str, name: str) -> _Resp:
        issue = self._issue(repo, number)
        label = self._find_label(repo, name)
        if label is None or label.id not in issue.label_ids:
            raise _HttpError(404, "Label does not exist")
        self._relabel(
            repo, issue, [i for i in issue.label_ids if i != label.id], self.actor, _utc(self.clock())
        )
        issue.updated_at = _utc(self.clock())
        return 200, {}, self._issue_labels(repo, issue)

    def _list_labels(self, req: _Req, repo: _Repo) -> _Resp:
        labels = _sorted_labels(repo.labels.values())
        return self._paginate(req, labels, functools.partial(self._render_label, repo))

    def _get_label(self, req: _Req, repo: _Repo, name: str) -> _Resp:
        label = self._find_label(repo, name)
        if label is None:
            raise _not_found()
        return 200, {}, self._render_label(repo, label)

    def _create_label(self, req: _Req, repo: _Repo) -> _Resp:
        data = self._object_body(req)
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _missing_param("name")
        if self._find_label(repo, name) is not None:
            raise _validation_failed("Label", "name", "already_exists")
        color = _validated_color(data.get("color", "ededed"))
        label = _Label(next(self._ids["label"]), name, color, data.get("description"))
        repo.labels[label.id] = label
        rendered = self._render_label(repo, label)
        return 201, {"Location": rendered["url"]}, rendered

    def _update_label(self, req: _Req, repo: _Repo, name: str) -> _Resp:
        label = self._find_label(repo, name)
        if label is None:
            raise _not_found()
        data = self._object_body(req)
        new_name = data.get("new_name", data.get("name"))
        if new_name is not None:
            clash = self._find_label(repo, new_name)
            if clash is not None and clash is not label:
                raise _validation_failed("Label", "name", "already_exists")
            label.name = new_name
        if "color" in data:
            label.color = _validated_color(data["color"])
        if "description" in data:
            label.description = data["description"]
        return 200, {}, self._render_label(repo, label)

    def _delete_label(self, req: _Req, repo: _Repo, name: str) -> _Resp:
        label = self._find_label(repo, name)
        if label is None:
            raise _not_found()
        del repo.labels[label.id]
        for issue in repo.issues.values():
            if label.id in issue.label_ids:
                issue.label_ids.remove(label.id)
        return 204, {}, None

    # ----------------------------------------------------------------- REST handlers: milestones

    def _list_milestones(self, req: _Req, repo: _Repo) -> _Resp:
        state = req.query.get("state", "open")
        if state not in ("open", "closed", "all"):
            raise _validation_failed("Milestone", "state", "invalid", value=state)
        items = [m for m in repo.milestones.values() if state in ("all", m.state)]
        sort = req.query.get("sort", "due_on")
        if sort == "due_on":
            # GitHub lists milestones without a due date after dated ones.
            items.sort(key=lambda m: (m.due_on is None, m.due_on or m.created_at, m.number))
        else:
            items.sort(key=lambda m: m.number)
        if req.query.get("direction", "asc") == "desc":
            items.reverse()
        return self._paginate(req, items, functools.partial(self._render_milestone, repo))

    def _get_milestone(self, req: _Req, repo: _Repo, number: str) -> _Resp:
        milestone = repo.milestones.get(int(number))
        if milestone is None:
            raise _not_found()
        return 200, {}, self._render_milestone(repo, milestone)

    # ----------------------------------------------------------------- GraphQL handler

    def _graphql(self, req: _Req) -> _Resp:
        data = req.json if isinstance(req.json, dict) else {}
        query = data.get("query")
        if not isinstance(query, str):
            raise _HttpError(400, "A query attribute must be specified and must be a string.")
        variables = data.get("variables") or {}
        if not isinstance(variables, dict):
            raise _HttpError(400, "Variables are invalid JSON.")
        operation_name = data.get("operationName")
        handler = self._graphql_handler(query, operation_name)
        if handler is None:
            if (operation_name or _operation_name(query)) in self._state_operations:
                return 200, {}, self.execute_graphql(query, variables, operation_name)
            return 200, {}, {"errors": [{"message": "no fake handler"}]}
        result = handler(query, variables)
        if isinstance(result, dict) and ("data" in result or "errors" in result):
            return 200, {}, result
        return 200, {}, {"data": result}

    def _graphql_handler(
        self, query: str, operation_name: str | None
    ) -> Callable[[str, dict[str, Any]], dict[str, Any]] | None:
        """Prefer an exact operation-name match, then (unless the fake answers the operation from
        state) the first key found in the query text."""
        name = operation_name or _operation_name(query)
        for key, handler in self._graphql_handlers:
            if key == name:
                return handler
        if name in self._state_operations:
            return None
        for key, handler in self._graphql_handlers:
            if key in query:
                return handler
        return None

    def _transfer_issue(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """transferIssue: the issue moves with its comments to a new number in the other repository."""
        issue_id, repo_id = variables.get("issueId"), variables.get("repositoryId")
        source = next(
            (
                r
                for r in self._repos.values()
                for i in r.issues.values()
                if _node_id("Issue", i.id) == issue_id
            ),
            None,
        )
        target = next((r for r in self._repos.values() if _node_id("Repository", r.id) == repo_id), None)
        if source is None or target is None:
            return {"data": {"transferIssue": None}, "errors": [{"message": "Could not resolve to a node"}]}
        if source.owner.lower() != target.owner.lower() or (target.private is False and source.private):
            return {"data": {"transferIssue": None}, "errors": [{"message": "Cannot transfer this issue"}]}
        issue = next(i for i in source.issues.values() if _node_id("Issue", i.id) == issue_id)
        names = [source.labels[i].name for i in issue.label_ids]
        del source.issues[issue.number]
        issue.number = target.next_number
        target.next_number += 1
        target.issues[issue.number] = issue
        for comment_id in issue.comment_ids:
            comment = source.comments.pop(comment_id)
            comment.issue_number = issue.number
            target.comments[comment_id] = comment
        issue.label_ids = [self._ensure_label(target, name).id for name in names]
        issue.timeline = [e for e in issue.timeline if e[0] == "commented"]
        moved = self._render_issue(target, issue)
        return {"transferIssue": {"issue": {"number": moved["number"], "url": moved["html_url"]}}}

    # ----------------------------------------------------------------- rendering

    def _user(self, login: str) -> dict[str, Any]:
        """A user object derived from the fixture's user, with identity fields replaced."""
        user = copy.deepcopy(self._tpl_issue["user"])
        uid = _user_id(login)
        is_bot = login.endswith("[bot]")
        api_user = f"{self.api_url}/users/{quote(login)}"
        for key, value in user.items():
            if isinstance(value, str) and value.startswith(_TPL_API_USER):
                user[key] = api_user + value[len(_TPL_API_USER) :]
        html = f"{self.web_url}/apps/{login[: -len('[bot]')]}" if is_bot else f"{self.web_url}/{login}"
        user.update(
            login=login,
            id=uid,
            node_id=_node_id("Bot" if is_bot else "User", uid),
            avatar_url=f"https://avatars.githubusercontent.com/u/{uid}?v=4",
            url=api_user,
            html_url=html,
            type="Bot" if is_bot else "User",
            site_admin=False,
        )
        return user

    def _render_repo(self, repo: _Repo) -> dict[str, Any]:
        """Repository object derived from the fixture's repository."""
        tpl_api = "https://api.github.com/repos/Codertocat/Hello-World"
        api = f"{self.api_url}/repos/{repo.full_name}"
        web = f"{self.web_url}/{repo.full_name}"
        host = urlsplit(self.web_url).netloc
        out = copy.deepcopy(self._tpl_repo)
        for key, value in out.items():
            if isinstance(value, str):
                value = value.replace(tpl_api, api).replace(
                    "github.com/Codertocat/Hello-World", f"{host}/{repo.full_name}"
                )
                out[key] = value.replace("github.com:Codertocat/Hello-World", f"{host}:{repo.full_name}")
        open_count = sum(1 for i in repo.issues.values() if i.state == "open")
        out.update(
            id=repo.id,
            node_id=_node_id("Repository", repo.id),
            name=repo.name,
            full_name=repo.full_name,
            owner=self._user(repo.owner),
            private=repo.private,
            visibility="private" if repo.private else "public",
            archived=repo.archived,
            has_issues=repo.has_issues,
            default_branch=repo.default_branch,
            html_url=web,
            url=api,
            open_issues_count=open_count,
            open_issues=open_count,
        )
        return out

    def _render_label(self, repo: _Repo, label: _Label) -> dict[str, Any]:
        return {
            "id": label.id,
            "node_id": _node_id("Label", label.id),
            "url": f"{self.api_url}/repos/{repo.full_name}/labels/{quote(label.name, safe='')}",
            "name": label.name,
            "color": label.color,
            "default": label.default,
            "description": label.description,
        }

    def _render_milestone(self, repo: _Repo, milestone: _Milestone) -> dict[str, Any]:
        out = copy.deepcopy(self._tpl_issue["milestone"])
        api = f"{self.api_url}/repos/{repo.full_name}/milestones/{milestone.number}"
        counts = [i.state for i in repo.issues.values() if i.milestone == milestone.number]
        out.update(
            url=api,
            html_url=f"{self.web_url}/{repo.full_name}/milestone/{milestone.number}",
            labels_url=f"{api}/labels",
            id=milestone.id,
            node_id=_node_id("Milestone", milestone.id),
            number=milestone.number,
            title=milestone.title,
            description=milestone.description,
            creator=self._user(milestone.creator),
            open_issues=counts.count("open"),
            closed_issues=counts.count("closed"),
            state=milestone.state,
            created_at=iso(milestone.created_at),
            updated_at=iso(milestone.closed_at or milestone.created_at),
            due_on=iso(milestone.due_on),
            closed_at=iso(milestone.closed_at),
        )
        return out

    def _render_issue(self, repo: _Repo, issue: _Issue, full: bool = False) -> dict[str, Any]:
        """Issue object as the list endpoint returns it; `full` adds single-issue-only keys."""
        out = copy.deepcopy(self._tpl_issue)
        repo_api = f"{self.api_url}/repos/{repo.full_name}"
        api = f"{repo_api}/issues/{issue.number}"
        kind = "pull" if issue.is_pr else "issues"
        out.update(
            url=api,
            repository_url=repo_api,
            labels_url=f"{api}/labels{{/name}}",
            comments_url=f"{api}/comments",
            events_url=f"{api}/events",
            html_url=f"{self.web_url}/{repo.full_name}/{kind}/{issue.number}",
            id=issue.id,
            node_id=_node_id("PullRequest" if issue.is_pr else "Issue", issue.id),
            number=issue.number,
            title=issue.title,
            user=self._user(issue.author),
            labels=self._issue_labels(repo, issue),
            state=issue.state,
            state_reason=issue.state_reason,
            locked=issue.locked,
            assignee=self._user(issue.assignees[0]) if issue.assignees else None,
            assignees=[self._user(login) for login in issue.assignees],
            milestone=self._milestone_of(repo, issue),
            comments=len(issue.comment_ids),
            created_at=iso(issue.created_at),
            updated_at=iso(issue.updated_at),
            closed_at=iso(issue.closed_at),
            author_association=_association(repo, issue.author),
            active_lock_reason=None,
            body=issue.body,
            timeline_url=f"{api}/timeline",
            performed_via_github_app=None,
        )
        out["reactions"]["url"] = f"{api}/reactions"
        out.pop("draft", None)  # only pull requests carry "draft"
        if issue.is_pr:
            out["draft"] = issue.draft
            out["pull_request"] = self._pr_links(repo, issue)
        if full:
            out["closed_by"] = self._user(issue.closed_by) if issue.closed_by else None
        return out

    def _milestone_of(self, repo: _Repo, issue: _Issue) -> dict[str, Any] | None:
        if issue.milestone is None or issue.milestone not in repo.milestones:
            return None
        return self._render_milestone(repo, repo.milestones[issue.milestone])

    def _pr_links(self, repo: _Repo, issue: _Issue) -> dict[str, Any]:
        web = f"{self.web_url}/{repo.full_name}/pull/{issue.number}"
        return {
            "url": f"{self.api_url}/repos/{repo.full_name}/pulls/{issue.number}",
            "html_url": web,
            "diff_url": f"{web}.diff",
            "patch_url": f"{web}.patch",
            "merged_at": iso(issue.merged_at),
        }

    def _render_pull(self, repo: _Repo, issue: _Issue) -> dict[str, Any]:
        """Pull request object as GET /repos/{o}/{r}/pulls/{n} returns it, from the real payload."""
        out = copy.deepcopy(self._tpl_pull)
        repo_api = f"{self.api_url}/repos/{repo.full_name}"
        api = f"{repo_api}/pulls/{issue.number}"
        issue_api = f"{repo_api}/issues/{issue.number}"
        web = f"{self.web_url}/{repo.full_name}/pull/{issue.number}"
        statuses = f"{repo_api}/statuses/{issue.head_sha}"
        rendered_repo = self._render_repo(repo)
        links = {
            "self": api,
            "html": web,
            "issue": issue_api,
            "comments": f"{issue_api}/comments",
            "review_comments": f"{api}/comments",
            "review_comment": f"{repo_api}/pulls/comments{{/number}}",
            "commits": f"{api}/commits",
            "statuses": statuses,
        }
        out.update(
            url=api,
            id=issue.id,
            node_id=_node_id("PullRequest", issue.id),
            html_url=web,
            diff_url=f"{web}.diff",
            patch_url=f"{web}.patch",
            issue_url=issue_api,
            number=issue.number,
            state=issue.state,
            locked=issue.locked,
            title=issue.title,
            user=self._user(issue.author),
            body=issue.body,
            created_at=iso(issue.created_at),
            updated_at=iso(issue.updated_at),
            closed_at=iso(issue.closed_at),
            merged_at=iso(issue.merged_at),
            merge_commit_sha=issue.merge_sha,
            assignee=self._user(issue.assignees[0]) if issue.assignees else None,
            assignees=[self._user(login) for login in issue.assignees],
            requested_reviewers=[],
            requested_teams=[],
            labels=self._issue_labels(repo, issue),
            milestone=self._milestone_of(repo, issue),
            draft=issue.draft,
            commits_url=links["commits"],
            review_comments_url=links["review_comments"],
            review_comment_url=links["review_comment"],
            comments_url=links["comments"],
            statuses_url=statuses,
            head={
                "label": f"{issue.author}:{issue.head_ref}",
                "ref": issue.head_ref,
                "sha": issue.head_sha,
                "user": self._user(issue.author),
                "repo": rendered_repo,
            },
            base={
                "label": f"{repo.owner}:{repo.default_branch}",
                "ref": repo.default_branch,
                "sha": out["base"]["sha"],
                "user": self._user(repo.owner),
                "repo": rendered_repo,
            },
            _links={rel: {"href": href} for rel, href in links.items()},
            author_association=_association(repo, issue.author),
            merged=issue.merged_at is not None,
            mergeable=None,
            rebaseable=None,
            mergeable_state="unknown",
            merged_by=self._user(issue.merged_by) if issue.merged_by else None,
            comments=len(issue.comment_ids),
            review_comments=0,
            commits=1,
            additions=0,
            deletions=0,
            changed_files=len(issue.files),
        )
        return out

    def _render_review(self, repo: _Repo, issue: _Issue, review: _Review) -> dict[str, Any]:
        """A review as GET /repos/{o}/{r}/pulls/{n}/reviews renders it (state upper-case)."""
        web = f"{self.web_url}/{repo.full_name}/pull/{issue.number}#pullrequestreview-{review.id}"
        api = f"{self.api_url}/repos/{repo.full_name}/pulls/{issue.number}"
        return {
            "id": review.id,
            "node_id": _node_id("PullRequestReview", review.id),
            "user": self._user(review.author),
            "body": review.body,
            "state": review.state,
            "html_url": web,
            "pull_request_url": api,
            "author_association": _association(repo, review.author),
            "_links": {"html": {"href": web}, "pull_request": {"href": api}},
            "submitted_at": iso(review.submitted_at),
            "commit_id": review.commit_id,
        }

    def _render_check_run(self, repo: _Repo, run: _CheckRun) -> dict[str, Any]:
        """A check run as the REST checks API renders it (status/conclusion lower-case)."""
        return {
            "id": run.id,
            "node_id": _node_id("CheckRun", run.id),
            "name": run.name,
            "head_sha": run.head_sha,
            "external_id": run.external_id,
            "url": f"{self.api_url}/repos/{repo.full_name}/check-runs/{run.id}",
            "html_url": f"{self.web_url}/{repo.full_name}/runs/{run.id}",
            "details_url": run.details_url,
            "status": run.status,
            "conclusion": run.conclusion,
            "started_at": iso(run.started_at),
            "completed_at": iso(run.completed_at),
            "output": {"title": run.title, "summary": run.summary, "text": run.text},
            "app": {"slug": run.app.removesuffix("[bot]")},
        }

    def _comment_html_url(self, repo: _Repo, comment: _Comment) -> str:
        issue = repo.issues.get(comment.issue_number)
        kind = "pull" if issue is not None and issue.is_pr else "issues"
        return f"{self.web_url}/{repo.full_name}/{kind}/{comment.issue_number}#issuecomment-{comment.id}"

    def _render_comment(self, repo: _Repo, comment: _Comment) -> dict[str, Any]:
        """Issue comment with the keys of the real issue_comment payload."""
        api = f"{self.api_url}/repos/{repo.full_name}/issues"
        reactions = dict(self._tpl_issue["reactions"], url=f"{api}/comments/{comment.id}/reactions")
        return {
            "url": f"{api}/comments/{comment.id}",
            "html_url": self._comment_html_url(repo, comment),
            "issue_url": f"{api}/{comment.issue_number}",
            "id": comment.id,
            "node_id": _node_id("IssueComment", comment.id),
            "user": self._user(comment.author),
            "created_at": iso(comment.created_at),
            "updated_at": iso(comment.updated_at),
            "author_association": _association(repo, comment.author),
            "body": comment.body,
            "reactions": reactions,
            "performed_via_github_app": None,
        }


# --------------------------------------------------------------------------- module helpers


def _derive_urls(api_url: str) -> tuple[str, str]:
    """(web root, GraphQL URL) for an API root: api.github.com or a GHE /api/v3 root."""
    parts = urlsplit(api_url)
    if parts.path.rstrip("/").endswith("/api/v3"):
        root = parts.path.rstrip("/")[: -len("/v3")]  # ".../api"
        web = urlunsplit((parts.scheme, parts.netloc, root[: -len("/api")], "", ""))
        return web, urlunsplit((parts.scheme, parts.netloc, f"{root}/graphql", "", ""))
    host = parts.netloc[len("api.") :] if parts.netloc.startswith("api.") else parts.netloc
    return urlunsplit((parts.scheme, host, "", "", "")), f"{api_url}/graphql"


_DEFAULT_PORTS = {"https": 443, "http": 80}


def _url_regex(url: str) -> str:
    """Regex for a URL root that also accepts an explicit default port (PyGithub sends :443)."""
    parts = urlsplit(url)
    prefix = f"{parts.scheme}://{parts.netloc}"
    port = _DEFAULT_PORTS.get(parts.scheme)
    optional_port = f"(?::{port})?" if parts.port is None and port else ""
    return re.escape(prefix) + optional_port + re.escape(parts.path)


def _without_default_port(url: str) -> str:
    """Canonical form of a request URL, as GitHub itself would spell it in Link headers."""
    parts = urlsplit(url)
    if parts.port is not None and parts.port == _DEFAULT_PORTS.get(parts.scheme):
        parts = parts._replace(netloc=parts.netloc.rsplit(":", 1)[0])
    return urlunsplit(parts)


def _link_header(req: _Req, page: int, last: int) -> str:
    """GitHub's Link header: prev, next, last, first — absolute URLs keeping other params."""
    rels: list[tuple[str, int]] = []
    if page > 1:
        rels.append(("prev", page - 1))
    if page < last:
        rels += [("next", page + 1), ("last", last)]
    if page > 1:
        rels.append(("first", 1))
    base = urlsplit(req.url)
    links = []
    for rel, number in rels:
        pairs = [(k, v) for k, v in req.query_pairs if k != "page"] + [("page", str(number))]
        url = urlunsplit((base.scheme, base.netloc, base.path, urlencode(pairs), ""))
        links.append(f'<{url}>; rel="{rel}"')
    return ", ".join(links)


def _filter_issues(repo: _Repo, query: dict[str, str]) -> list[_Issue]:
    """Apply the list-issues query parameters: state, creator, labels, assignee, milestone..."""
    state = query.get("state", "open")
    if state not in ("open", "closed", "all"):
        raise _validation_failed("Issue", "state", "invalid", value=state)
    items = [i for i in repo.issues.values() if state in ("all", i.state)]
    if creator := query.get("creator"):
        items = [i for i in items if i.author == creator]
    if labels := query.get("labels"):
        wanted = {n.strip().lower() for n in labels.split(",") if n.strip()}
        items = [i for i in items if wanted <= {repo.labels[x].name.lower() for x in i.label_ids}]
    if assignee := query.get("assignee"):
        items = [i for i in items if _assignee_matches(i, assignee)]
    if milestone := query.get("milestone"):
        items = [i for i in items if _milestone_matches(i, milestone)]
    if since := query.get("since"):
        cutoff = _parse_since(since)
        items = [i for i in items if i.updated_at >= cutoff]
    return _sorted_issues(items, query.get("sort", "created"), query.get("direction", "desc"))


def _sorted_issues(items: list[_Issue], sort: str, direction: str) -> list[_Issue]:
    """Order by created/updated/comments, ties broken by number so pages are stable."""
    keys: dict[str, Callable[[_Issue], Any]] = {
        "created": lambda i: (i.created_at, i.number),
        "updated": lambda i: (i.updated_at, i.number),
        "comments": lambda i: (len(i.comment_ids), i.number),
    }
    if sort not in keys:
        raise _validation_failed("Issue", "sort", "invalid", value=sort)
    if direction not in ("asc", "desc"):
        raise _validation_failed("Issue", "direction", "invalid", value=direction)
    return sorted(items, key=keys[sort], reverse=direction == "desc")


def _assignee_matches(issue: _Issue, wanted: str) -> bool:
    if wanted == "*":
        return bool(issue.assignees)
    if wanted == "none":
        return not issue.assignees
    return wanted.lower() in (a.lower() for a in issue.assignees)


def _milestone_matches(issue: _Issue, wanted: str) -> bool:
    if wanted == "*":
        return issue.milestone is not None
    if wanted == "none":
        return issue.milestone is None
    return str(issue.milestone) == wanted


def _parse_since(raw: str) -> datetime:
    try:
        return _utc(datetime.fromisoformat(raw))
    except ValueError:
        raise _validation_failed("Issue", "since", "invalid", value=raw) from None


def _sorted_labels(labels: Iterable[_Label]) -> list[_Label]:
    return sorted(labels, key=lambda label: label.name.lower())


def _dedupe(ids: list[int]) -> list[int]:
    return list(dict.fromkeys(ids))


def _validated_color(raw: Any) -> str:
    """Six hex digits without '#', as the labels API requires."""
    color = str(raw)
    if not re.fullmatch(r"[0-9a-fA-F]{6}", color):
        raise _validation_failed("Label", "color", "invalid", value=raw)
    return color.lower()


def _association(repo: _Repo, login: str) -> str:
    """author_association as GitHub computes it, reduced to owner/collaborator/none."""
    if login.lower() == repo.owner.lower():
        return "OWNER"
    if login.lower() in repo.collaborators and not login.endswith("[bot]"):
        return "COLLABORATOR"
    return "NONE"


def _operation_name(query: str) -> str | None:
    """The name of the document's first operation (fragments may come first)."""
    match = re.search(r"(?:^|[}\s])(?:query|mutation|subscription)\s+(\w+)", _strip_comments(query))
    return match.group(1) if match else None


def _strip_comments(query: str) -> str:
    return re.sub(r"#[^\n]*", "", query)


def _operation_type(query: str, operation_name: str | None = None) -> str:
    """ "query", "mutation" or "subscription": what GitHub would run for this document."""
    try:
        operation = get_operation_ast(parse(query), operation_name)
    except GraphQLError:
        operation = None
    if operation is not None:
        return operation.operation.value
    match = re.match(r"\s*(mutation|subscription)\b", _strip_comments(query))
    return match.group(1) if match else "query"


# --------------------------------------------------------------------------- GraphQL from state
#
# Documents run against GitHub's real schema with graphql-core, so validation, variables, aliases,
# fragments, @include/@skip and "exactly the selected fields" are the schema's business. The
# classes below resolve fields from the fake's state: a view's attribute (or a Mapping key) of the
# field's name answers it; a method is called with the field's arguments. A field or argument the
# fake does not model raises NotImplementedError out of the request, so a gap is never silent.


class _GqlError(Exception):
    """A GitHub-style field error: the field becomes null, errors get {type, path, locations, message}."""

    def __init__(self, message: str, type_: str = "NOT_FOUND") -> None:
        super().__init__(message)
        self.type = type_


def _unresolvable(node_id: Any) -> _GqlError:
    return _GqlError(f"Could not resolve to a node with the global id of '{node_id}'.")


def _wide_int(value: Any) -> int:
    """GitHub answers Int fields past 32 bits (IssueComment.databaseId is > 2**31 today) as they are."""
    if isinstance(value, bool | int):
        return int(value)
    raise GraphQLError(f"Int cannot represent non-integer value: {value!r}")


# graphql-core reserves the name "Int"; the name of an output scalar never reaches a response.
_WIDE_INT = GraphQLScalarType("WideInt", serialize=_wide_int)


def _with_wide_ints(type_: Any) -> Any:
    if isinstance(type_, GraphQLNonNull):
        return GraphQLNonNull(_with_wide_ints(type_.of_type))
    if isinstance(type_, GraphQLList):
        return GraphQLList(_with_wide_ints(type_.of_type))
    return _WIDE_INT if type_ is GraphQLInt else type_


@functools.cache
def _github_schema() -> GraphQLSchema:
    """GitHub's public schema, built once per session (about 1.5 s) on the first GraphQL request."""
    schema = build_schema(GRAPHQL_SCHEMA_FILE.read_text(encoding="utf-8"), assume_valid_sdl=True)
    # GitHub's own schema fails graphql-core's strict schema checks; it is GitHub's by definition.
    schema._validation_errors = []
    for named in schema.type_map.values():
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType) and not named.name.startswith("__"):
            for definition in named.fields.values():
                definition.type = _with_wide_ints(definition.type)
    return schema


def _execute(
    fake: FakeGitHub, query: str, variables: dict[str, Any], operation_name: str | None
) -> dict[str, Any]:
    schema = _github_schema()
    document, problems = _prepared(query)
    if document is None:
        return {"errors": copy.deepcopy(problems)}
    operation = get_operation_ast(document, operation_name)
    mutation = operation is not None and operation.operation == OperationType.MUTATION
    result = execute_sync(
        schema,
        document,
        root_value=_GqlMutation(fake) if mutation else _GqlQuery(fake),
        variable_values=variables,
        operation_name=operation_name,
        field_resolver=_resolve_field,
        type_resolver=_resolve_type,
    )
    for err in result.errors or ():
        if err.original_error is not None and not isinstance(err.original_error, _GqlError | GraphQLError):
            raise err.original_error  # a gap or a bug in the fake: fail the test, not the query
    body: dict[str, Any] = {}
    if result.data is not None or not result.errors:
        body["data"] = result.data
    if result.errors:
        body["errors"] = [_format_error(err) for err in result.errors]
    return body


@functools.lru_cache(maxsize=256)
def _prepared(query: str) -> tuple[DocumentNode | None, list[dict[str, Any]]]:
    """Parse and validate a document once: clients send the same few documents over and over."""
    try:
        document = parse(query)
    except GraphQLError as err:
        return None, [_format_error(err)]
    problems = validate(_github_schema(), document)
    if problems:
        return None, [_format_error(err) for err in problems]
    return document, []


def _format_error(err: GraphQLError) -> dict[str, Any]:
    """GitHub's error shape: {"type": "NOT_FOUND", "path": [...], "locations": [...], "message": ...}."""
    out: dict[str, Any] = {}
    if isinstance(err.original_error, _GqlError):
        out["type"] = err.original_error.type
    if err.path is not None:
        out["path"] = list(err.path)
    if err.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in err.locations]
    out["message"] = err.message
    return out


_MISSING = object()


def _resolve_field(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    name = info.field_name
    if isinstance(source, _GqlMutation):
        source._fake._take_field_failure(name)
    if isinstance(source, Mapping):
        value = source.get(name, _MISSING)
    else:
        value = _MISSING if name.startswith("_") else getattr(source, name, _MISSING)
    if value is _MISSING:
        raise NotImplementedError(f"FakeGitHub does not model {info.parent_type.name}.{name}")
    if callable(value):
        return value(info, **args)
    _modelled(info)
    return value


def _resolve_type(value: Any, info: GraphQLResolveInfo, abstract_type: Any) -> str | None:
    if isinstance(value, Mapping):
        return value.get("__typename")
    return getattr(value, "_typename", None)


def _modelled(info: GraphQLResolveInfo, *names: str) -> None:
    """Refuse arguments the query passes explicitly that the fake would otherwise ignore."""
    given = {arg.name.value for node in info.field_nodes for arg in node.arguments or ()}
    extra = sorted(given - set(names))
    if extra:
        raise NotImplementedError(
            f"FakeGitHub does not model argument(s) {extra} of {info.parent_type.name}.{info.field_name}"
        )


def _cursor(index: int) -> str:
    return base64.b64encode(f"cursor:v2:{index}".encode()).decode()


def _cursor_index(cursor: str) -> int:
    try:
        prefix, _, index = base64.b64decode(cursor, validate=True).decode().rpartition(":")
        if prefix != "cursor:v2":
            raise ValueError(cursor)
        return int(index)
    except (ValueError, UnicodeDecodeError):
        raise _GqlError(
            f"`{cursor}` does not appear to be a valid cursor.", "INVALID_CURSOR_ARGUMENTS"
        ) from None


_PAGING = ("first", "after", "last", "before")


def _connection(
    info: GraphQLResolveInfo, items: list[Any], render: Callable[[Any], Any], args: dict[str, Any]
) -> dict[str, Any]:
    """A Relay connection over `items` honouring first/after/last/before like GitHub (max 100)."""
    name = info.field_name
    first, last = args.get("first"), args.get("last")
    if first is None and last is None:
        raise _GqlError(
            f"You must provide a `first` or `last` value to properly paginate the `{name}` connection.",
            "MISSING_PAGINATION_BOUNDARIES",
        )
    for arg, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= 100:
            raise _GqlError(
                f"Requesting {value} records on the `{name}` connection exceeds the `{arg}` limit of "
                "100 records.",
                "EXCESSIVE_PAGINATION",
            )
    lo, hi = 0, len(items)
    if args.get("after") is not None:
        lo = min(hi, _cursor_index(args["after"]) + 1)
    if args.get("before") is not None:
        hi = max(lo, min(hi, _cursor_index(args["before"])))
    if first is not None:
        hi = min(hi, lo + first)
    if last is not None:
        lo = max(lo, hi - last)
    nodes = [render(items[i]) for i in range(lo, hi)]
    return {
        "nodes": nodes,
        "edges": [{"cursor": _cursor(i), "node": node} for i, node in zip(range(lo, hi), nodes, strict=True)],
        "pageInfo": {
            "hasNextPage": hi < len(items),
            "hasPreviousPage": lo > 0,
            "startCursor": _cursor(lo) if lo < hi else None,
            "endCursor": _cursor(hi - 1) if lo < hi else None,
        },
        "totalCount": len(items),
    }


def _ordered(items: list[Any], order: Any, keys: dict[str, Callable[[Any], Any]]) -> list[Any]:
    """Sort by an {field, direction} orderBy argument, given a key per modelled field."""
    if order is None:
        return items
    if order["field"] not in keys:
        raise NotImplementedError(f"FakeGitHub does not model ordering by {order['field']}")
    return sorted(items, key=keys[order["field"]], reverse=order["direction"] == "DESC")


def _gql_time(raw: Any, name: str) -> datetime:
    try:
        return _utc(datetime.fromisoformat(str(raw)))
    except ValueError:
        raise _GqlError(f"{name} is not a valid ISO-8601 date time: {raw!r}", "UNPROCESSABLE") from None


def _gql_body(raw: Any) -> str:
    body = str(raw)
    if not body.strip():
        raise _GqlError("Body can't be blank", "UNPROCESSABLE")
    if len(body) > MAX_BODY:
        raise _GqlError(f"Body is too long (maximum is {MAX_BODY} characters)", "UNPROCESSABLE")
    return body


class _GqlView:
    """Base of the views: the fake and the repository the object lives in."""

    _typename = ""

    def __init__(self, fake: FakeGitHub, repo: _Repo) -> None:
        self._fake = fake
        self._repo = repo

    def _actor(self, login: str | None) -> dict[str, Any] | None:
        """An Actor: User, or Bot whose GraphQL login drops the REST "[bot]" suffix."""
        if login is None:
            return None
        uid = _user_id(login)
        is_bot = login.endswith("[bot]")
        short = login.removesuffix("[bot]")
        web = self._fake.web_url
        return {
            "__typename": "Bot" if is_bot else "User",
            "id": _node_id("Bot" if is_bot else "User", uid),
            "databaseId": uid,
            "login": short,
            "url": f"{web}/apps/{short}" if is_bot else f"{web}/{login}",
        }

    def _label(self, label: _Label) -> dict[str, Any]:
        return {
            "__typename": "Label",
            "id": _node_id("Label", label.id),
            "name": label.name,
            "color": label.color,
            "description": label.description,
            "isDefault": label.default,
            "url": f"{self._fake.web_url}/{self._repo.full_name}/labels/{quote(label.name, safe='')}",
        }

    def _comment(self, comment: _Comment) -> dict[str, Any]:
        return {
            "__typename": "IssueComment",
            "id": _node_id("IssueComment", comment.id),
            "databaseId": comment.id,
            "fullDatabaseId": str(comment.id),  # BigInt is a string on GitHub
            "author": self._actor(comment.author),
            "body": comment.body,
            "createdAt": iso(comment.created_at),
            "updatedAt": iso(comment.updated_at),
            "url": self._fake._comment_html_url(self._repo, comment),
            "viewerDidAuthor": comment.author == self._fake.actor,
        }

    def _review(self, review: _Review) -> dict[str, Any]:
        return {
            "__typename": "PullRequestReview",
            "id": _node_id("PullRequestReview", review.id),
            "databaseId": review.id,
            "fullDatabaseId": str(review.id),
            "author": self._actor(review.author),
            "state": review.state,
            "body": review.body,
            "submittedAt": iso(review.submitted_at),
            "createdAt": iso(review.submitted_at),
            "commit": None
            if review.commit_id is None
            else _GqlCommit(self._fake, self._repo, review.commit_id),
        }

    def _check_run(self, run: _CheckRun) -> dict[str, Any]:
        return {
            "__typename": "CheckRun",
            "id": _node_id("CheckRun", run.id),
            "databaseId": run.id,
            "name": run.name,
            "status": run.status.upper(),
            "conclusion": run.conclusion.upper() if run.conclusion else None,
            "title": run.title,
            "summary": run.summary,
            "text": run.text,
            "detailsUrl": run.details_url,
            "externalId": run.external_id,
            "startedAt": iso(run.started_at),
            "completedAt": iso(run.completed_at),
            "url": f"{self._fake.web_url}/{self._repo.full_name}/runs/{run.id}",
        }


class _GqlIssue(_GqlView):
    """An Issue or a PullRequest (PR-only fields are only asked of PullRequests by the schema)."""

    def __init__(self, fake: FakeGitHub, repo: _Repo, issue: _Issue) -> None:
        super().__init__(fake, repo)
        self._issue = issue

    @property
    def _typename(self) -> str:  # type: ignore[override]
        return "PullRequest" if self._issue.is_pr else "Issue"

    @property
    def id(self) -> str:
        return _node_id(self._typename, self._issue.id)

    @property
    def databaseId(self) -> int:
        return self._issue.id

    @property
    def fullDatabaseId(self) -> str:
        return str(self._issue.id)

    @property
    def number(self) -> int:
        return self._issue.number

    @property
    def title(self) -> str:
        return self._issue.title

    @property
    def body(self) -> str:
        return self._issue.body or ""

    @property
    def url(self) -> str:
        kind = "pull" if self._issue.is_pr else "issues"
        return f"{self._fake.web_url}/{self._repo.full_name}/{kind}/{self._issue.number}"

    @property
    def createdAt(self) -> str | None:
        return iso(self._issue.created_at)

    @property
    def updatedAt(self) -> str | None:
        return iso(self._issue.updated_at)

    @property
    def closedAt(self) -> str | None:
        return iso(self._issue.closed_at)

    @property
    def closed(self) -> bool:
        return self._issue.state == "closed"

    @property
    def locked(self) -> bool:
        return self._issue.locked

    @property
    def state(self) -> str:
        if self._issue.merged_at is not None:
            return "MERGED"
        return self._issue.state.upper()

    @property
    def author(self) -> dict[str, Any] | None:
        return self._actor(self._issue.author)

    @property
    def repository(self) -> _GqlRepository:
        return _GqlRepository(self._fake, self._repo)

    # pull requests only

    @property
    def merged(self) -> bool:
        return self._issue.merged_at is not None

    @property
    def mergedAt(self) -> str | None:
        return iso(self._issue.merged_at)

    @property
    def mergedBy(self) -> dict[str, Any] | None:
        return self._actor(self._issue.merged_by)

    @property
    def isDraft(self) -> bool:
        return self._issue.draft

    @property
    def headRefOid(self) -> str | None:
        return self._issue.head_sha

    @property
    def headRefName(self) -> str | None:
        return self._issue.head_ref

    @property
    def baseRefName(self) -> str:
        return self._repo.default_branch

    # connections

    def labels(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        _modelled(info, *_PAGING, "orderBy")
        labels = [self._repo.labels[i] for i in self._issue.label_ids]
        keys = {"CREATED_AT": lambda lb: lb.id, "NAME": lambda lb: lb.name.lower()}
        return _connection(info, _ordered(labels, args.get("orderBy"), keys), self._label, args)

    def assignees(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        _modelled(info, *_PAGING)
        return _connection(info, list(self._issue.assignees), self._actor, args)

    def comments(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        _modelled(info, *_PAGING, "orderBy")
        comments = [self._repo.comments[c] for c in self._issue.comment_ids]
        keys = {"UPDATED_AT": lambda c: (c.updated_at, c.id)}
        return _connection(info, _ordered(comments, args.get("orderBy"), keys), self._comment, args)

    def reviews(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        _modelled(info, *_PAGING, "states", "author")
        reviews = list(self._issue.reviews)
        if args.get("states") is not None:
            reviews = [r for r in reviews if r.state in args["states"]]
        if args.get("author") is not None:
            wanted = args["author"].lower()
            reviews = [r for r in reviews if r.author.lower().removesuffix("[bot]") == wanted]
        return _connection(info, reviews, self._review, args)

    def files(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        _modelled(info, *_PAGING)
        return _connection(info, list(self._issue.files), lambda path: {"path": path}, args)

    def commits(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        _modelled(info, *_PAGING)

        def render(oid: str) -> dict[str, Any]:
            return {"__typename": "PullRequestCommit", "commit": _GqlCommit(self._fake, self._repo, oid)}

        return _connection(info, list(self._issue.commit_oids), render, args)

    @property
    def mergeCommit(self) -> _GqlCommit | None:
        if self._issue.merge_sha is None:
            return None
        return _GqlCommit(self._fake, self._repo, self._issue.merge_sha)


class _GqlCommit(_GqlView):
    """A commit the fake knows (default-branch history, a pull request's commits, a merge)."""

    _typename = "Commit"

    def __init__(self, fake: FakeGitHub, repo: _Repo, oid: str) -> None:
        super().__init__(fake, repo)
        self._oid = oid
        self._commit = repo.commit_objects.get(oid) or _Commit(oid, "Change", None, fake.clock())

    @property
    def id(self) -> str:
        return base64.b64encode(f"06:Commit{self._repo.id}:{self._oid}".encode()).decode()

    @property
    def oid(self) -> str:
        return self._oid

    @property
    def abbreviatedOid(self) -> str:
        return self._oid[:7]

    @property
    def message(self) -> str:
        return self._commit.message

    @property
    def messageHeadline(self) -> str:
        return self._commit.message.splitlines()[0] if self._commit.message else ""

    @property
    def committedDate(self) -> str | None:
        return iso(self._commit.committed_at)

    @property
    def url(self) -> str:
        return f"{self._fake.web_url}/{self._repo.full_name}/commit/{self._oid}"

    @property
    def author(self) -> dict[str, Any]:
        """A GitActor: bots are not Users, so GitHub gives them no `user`, only name and email."""
        login = self._commit.author
        is_bot = bool(login) and str(login).endswith("[bot]")
        return {
            "name": login or "Someone",
            "email": f"{_user_id(login)}+{login}@users.noreply.github.com"
            if login
            else "someone@example.com",
            "date": iso(self._commit.committed_at),
            "user": None if login is None or is_bot else self._actor(login),
        }

    def authors(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        """GitHub's list: the git author first, then each Co-authored-by trailer, each a GitActor
        whose `user` is the account that email belongs to (noreply addresses, or fake.emails)."""
        _modelled(info, *_PAGING)
        actors = [self.author]
        for name, email in re.findall(
            r"(?im)^\s*co-authored-by:\s*([^<\n]*?)\s*<([^>\n]*)>\s*$", self._commit.message
        ):
            noreply = re.match(
                r"^(?:\d+\+)?([A-Za-z0-9-]+)@users\.noreply\.github\.com$", email.strip(), re.I
            )
            login = noreply.group(1) if noreply else self._fake.emails.get(email.strip().casefold())
            actors.append(
                {"name": name, "email": email, "date": None, "user": self._actor(login) if login else None}
            )
        return _connection(info, actors, lambda actor: actor, args)

    def parents(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        _modelled(info, *_PAGING)
        fake_parents = [f"{i}" * 40 for i in range(self._commit.parents)]
        return _connection(info, fake_parents, lambda oid: _GqlCommit(self._fake, self._repo, oid), args)

    def associatedPullRequests(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        """Merged pull requests whose commits (or merge commit) this is, then open ones holding it."""
        _modelled(info, *_PAGING)
        found = self._fake._associated(self._repo).get(self._oid, [])
        return _connection(info, found, lambda p: _GqlIssue(self._fake, self._repo, p), args)

    def history(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        """The default branch from this commit back, newest first (since: committed at or after)."""
        _modelled(info, *_PAGING, "since")
        line = self._repo.history
        upto = line.index(self._oid) + 1 if self._oid in line else 0
        oids = list(reversed(line[:upto]))
        if args.get("since") is not None:
            since = _gql_time(args["since"], "since")
            oids = [o for o in oids if self._repo.commit_objects[o].committed_at >= since]
        return _connection(info, oids, lambda oid: _GqlCommit(self._fake, self._repo, oid), args)


class _GqlRepository(_GqlView):
    _typename = "Repository"

    @property
    def id(self) -> str:
        return _node_id("Repository", self._repo.id)

    @property
    def databaseId(self) -> int:
        return self._repo.id

    @property
    def name(self) -> str:
        return self._repo.name

    @property
    def nameWithOwner(self) -> str:
        return self._repo.full_name

    @property
    def url(self) -> str:
        return f"{self._fake.web_url}/{self._repo.full_name}"

    @property
    def isPrivate(self) -> bool:
        return self._repo.private

    @property
    def isArchived(self) -> bool:
        return self._repo.archived

    def object(self, info: GraphQLResolveInfo, **args: Any) -> _GqlCommit | None:
        _modelled(info, "oid")
        oid = args.get("oid")
        return _GqlCommit(self._fake, self._repo, oid) if oid in self._repo.commit_objects else None

    @property
    def defaultBranchRef(self) -> dict[str, Any] | None:
        tip = self._repo.history[-1] if self._repo.history else None
        return {
            "__typename": "Ref",
            "name": self._repo.default_branch,
            "prefix": "refs/heads/",
            "target": None if tip is None else _GqlCommit(self._fake, self._repo, tip),
        }

    def label(self, info: GraphQLResolveInfo, name: str) -> dict[str, Any] | None:
        found = self._fake._find_label(self._repo, name)
        return None if found is None else self._label(found)

    def pullRequest(self, info: GraphQLResolveInfo, number: int) -> _GqlIssue:
        issue = self._repo.issues.get(number)
        if issue is None or not issue.is_pr:
            raise _GqlError(f"Could not resolve to a PullRequest with the number of {number}.")
        return _GqlIssue(self._fake, self._repo, issue)

    def issue(self, info: GraphQLResolveInfo, number: int) -> _GqlIssue:
        issue = self._repo.issues.get(number)
        if issue is None or issue.is_pr:
            raise _GqlError(f"Could not resolve to an Issue with the number of {number}.")
        return _GqlIssue(self._fake, self._repo, issue)

    def pullRequests(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        _modelled(info, *_PAGING, "states", "orderBy")
        pulls = [i for _, i in sorted(self._repo.issues.items()) if i.is_pr]
        if args.get("states") is not None:
            pulls = [p for p in pulls if _GqlIssue(self._fake, self._repo, p).state in args["states"]]
        keys = {
            "CREATED_AT": lambda p: (p.created_at, p.number),
            "UPDATED_AT": lambda p: (p.updated_at, p.number),
            "COMMENTS": lambda p: (len(p.comment_ids), p.number),
        }
        pulls = _ordered(pulls, args.get("orderBy"), keys)
        return _connection(info, pulls, lambda p: _GqlIssue(self._fake, self._repo, p), args)


class _GqlQuery:
    """The Query root."""

    def __init__(self, fake: FakeGitHub) -> None:
        self._fake = fake

    def repository(self, info: GraphQLResolveInfo, owner: str, name: str, **args: Any) -> _GqlRepository:
        _modelled(info, "owner", "name", "followRenames")
        repo = self._fake._repos.get(f"{owner}/{name}".lower())
        if repo is None:
            raise _GqlError(f"Could not resolve to a Repository with the name '{owner}/{name}'.")
        return _GqlRepository(self._fake, repo)

    def node(self, info: GraphQLResolveInfo, id: str) -> Any:
        found = self._fake._node(id)
        if found is None:
            raise _unresolvable(id)
        kind, repo, obj = found
        view = _GqlView(self._fake, repo)
        if kind in ("Issue", "PullRequest"):
            return _GqlIssue(self._fake, repo, obj)
        if kind == "Repository":
            return _GqlRepository(self._fake, repo)
        return {"IssueComment": view._comment, "Label": view._label, "CheckRun": view._check_run}[kind](obj)


class _GqlMutation:
    """The Mutation root: each field applies to state in document order (graphql-core runs mutation
    fields serially), failing alone like on GitHub."""

    def __init__(self, fake: FakeGitHub) -> None:
        self._fake = fake

    def _issue(self, node_id: str) -> tuple[_Repo, _Issue]:
        found = self._fake._node(node_id)
        if found is None or found[0] not in ("Issue", "PullRequest"):
            raise _unresolvable(node_id)
        repo = found[1]
        if repo.archived:
            raise _GqlError("Repository was archived so is read-only.", "UNPROCESSABLE")
        return repo, found[2]

    def _labels(self, repo: _Repo, ids: list[str]) -> list[_Label]:
        labels = []
        for label_id in ids:
            found = self._fake._node(label_id)
            if found is None or found[0] != "Label" or found[1] is not repo:
                raise _unresolvable(label_id)
            labels.append(found[2])
        return labels

    def createCheckRun(self, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:
        fake = self._fake
        found = fake._node(input["repositoryId"])
        if found is None or found[0] != "Repository":
            raise _unresolvable(input["repositoryId"])
        repo = found[1]
        modelled = {"repositoryId", "headSha", "name", "status", "conclusion", "output", "completedAt",
                    "startedAt", "detailsUrl", "externalId", "clientMutationId"}  # fmt: skip
        if set(input) - modelled:
            raise NotImplementedError(
                f"FakeGitHub does not model createCheckRun {sorted(set(input) - modelled)}"
            )
        if input["headSha"] not in repo.commits:
            raise _GqlError(f"No commit found for SHA: {input['headSha']}", "UNPROCESSABLE")
        status = "COMPLETED" if input.get("conclusion") else (input.get("status") or "QUEUED")
        if status == "COMPLETED" and not input.get("conclusion"):
            raise _GqlError("Conclusion must be set when status is completed", "UNPROCESSABLE")
        now = _utc(fake.clock())
        completed = input.get("completedAt")
        output = input.get("output") or {}
        run = _CheckRun(
            id=next(fake._ids["check_run"]),
            name=input["name"],
            head_sha=input["headSha"],
            status=status.lower(),
            conclusion=input["conclusion"].lower() if input.get("conclusion") else None,
            title=output.get("title"),
            summary=output.get("summary"),
            text=output.get("text"),
            details_url=input.get("detailsUrl"),
            external_id=input.get("externalId"),
            started_at=_gql_time(input["startedAt"], "startedAt") if input.get("startedAt") else now,
            completed_at=_gql_time(completed, "completedAt")
            if completed
            else (now if status == "COMPLETED" else None),
            app=fake.actor,
        )
        repo.check_runs.append(run)
        view = _GqlView(fake, repo)
        return {"clientMutationId": input.get("clientMutationId"), "checkRun": view._check_run(run)}

    def addComment(self, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:
        repo, issue = self._issue(input["subjectId"])
        body = _gql_body(input["body"])
        comment = self._fake._new_comment(repo, issue, body, self._fake.actor, _utc(self._fake.clock()))
        view = _GqlView(self._fake, repo)
        return {
            "clientMutationId": input.get("clientMutationId"),
            "commentEdge": {"cursor": _cursor(len(issue.comment_ids) - 1), "node": view._comment(comment)},
            "subject": _GqlIssue(self._fake, repo, issue),
        }

    def updateIssueComment(self, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:
        found = self._fake._node(input["id"])
        if found is None or found[0] != "IssueComment":
            raise _unresolvable(input["id"])
        repo, comment = found[1], found[2]
        comment.body = _gql_body(input["body"])
        comment.updated_at = _utc(self._fake.clock())
        view = _GqlView(self._fake, repo)
        return {"clientMutationId": input.get("clientMutationId"), "issueComment": view._comment(comment)}

    def addLabelsToLabelable(self, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:
        repo, issue = self._issue(input["labelableId"])
        labels = self._labels(repo, input["labelIds"])
        issue.label_ids = _dedupe(issue.label_ids + [label.id for label in labels])
        issue.updated_at = _utc(self._fake.clock())
        return {
            "clientMutationId": input.get("clientMutationId"),
            "labelable": _GqlIssue(self._fake, repo, issue),
        }

    def removeLabelsFromLabelable(self, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:
        repo, issue = self._issue(input["labelableId"])
        gone = {label.id for label in self._labels(repo, input["labelIds"])}
        issue.label_ids = [i for i in issue.label_ids if i not in gone]
        issue.updated_at = _utc(self._fake.clock())
        return {
            "clientMutationId": input.get("clientMutationId"),
            "labelable": _GqlIssue(self._fake, repo, issue),
        }
