"""The fake's in-memory records (repositories, issues, pull requests, commits...), its clock and
the small helpers every part shares: fixture paths and payloads, GitHub's times and node ids."""

from __future__ import annotations

import base64
import copy
import functools
import json
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# The fixtures the fake reads: tests/fixtures, next to this package.
FIXTURES_DIR = Path(__file__).parent.parent / "fixtures"
WEBHOOKS_DIR = FIXTURES_DIR / "webhooks"
GRAPHQL_SCHEMA_FILE = FIXTURES_DIR / "graphql-schema.graphql"

MAX_TITLE = 256
MAX_BODY = 65536

# Real ids, so fixtures that mention these accounts agree with what the fake returns.
_KNOWN_USER_IDS = {"github-actions[bot]": 41898282, "dependabot[bot]": 49699333}

REVIEW_STATES = ("APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED")

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
    duplicate_of: int | None = None  # the issue number a close as DUPLICATE named
    is_pr: bool = False
    comment_ids: list[int] = field(default_factory=list)
    # Pull requests only.
    head_sha: str | None = None
    head_ref: str | None = None
    base_ref: str | None = None  # None: the repository's default branch
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
    # Bumped by every change that can move a commit's associated pull requests (new pull requests
    # or pull request commits, merges, pushes, history rewrites, closing and reopening), so that
    # FakeGitHub._associated rebuilds its index only after one.
    associations_version: int = 0

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


def _sorted_labels(labels: Iterable[_Label]) -> list[_Label]:
    return sorted(labels, key=lambda label: label.name.lower())


def _dedupe(ids: list[int]) -> list[int]:
    return list(dict.fromkeys(ids))
