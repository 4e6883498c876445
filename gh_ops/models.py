"""Plain GitHub objects every capability shares: issues, comments, reviews, labels, timeline events.

They are built from GitHub's JSON at the boundary (REST `from_json`, GraphQL `from_graphql`); nothing
here talks to GitHub.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gh_ops.dates import parse_time
from gh_ops.gql import login


@dataclass(frozen=True)
class Issue:
    number: int
    title: str
    body: str
    state: str
    labels: tuple[str, ...]
    assignees: tuple[str, ...]
    author: str | None
    url: str
    created_at: datetime | None
    is_pull_request: bool = False
    planned: bool = False  # a dry-run stand-in, never sent to GitHub
    state_reason: str | None = None
    node_id: str = ""  # GraphQL id (e.g. for transferIssue)
    comments: int = 0  # how many comments it has, as the listing says

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Issue:
        return cls(
            number=data["number"],
            title=data.get("title") or "",
            body=data.get("body") or "",
            state=data.get("state") or "open",
            labels=tuple(
                label["name"] if isinstance(label, dict) else str(label) for label in data.get("labels") or []
            ),
            assignees=tuple(a["login"] for a in data.get("assignees") or []),
            author=(data.get("user") or {}).get("login"),
            url=data.get("html_url") or "",
            created_at=parse_time(data.get("created_at")),
            is_pull_request="pull_request" in data,
            state_reason=data.get("state_reason"),
            node_id=data.get("node_id") or "",
            comments=comments if isinstance(comments := data.get("comments"), int) else 0,
        )


@dataclass(frozen=True)
class Comment:
    """A comment on an issue or pull request, read through REST (which gives `id`) or GraphQL
    (which gives `node_id`, and `id` when the query selects `databaseId`)."""

    body: str
    author: str | None
    id: int = 0  # REST id; 0 when read through GraphQL without `databaseId`
    node_id: str = ""
    created_at: datetime | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Comment:
        return cls(
            body=data.get("body") or "",
            author=(data.get("user") or {}).get("login"),
            id=data["id"],
            node_id=data.get("node_id") or "",
            created_at=parse_time(data.get("created_at")),
        )

    @classmethod
    def from_graphql(cls, node: dict[str, Any]) -> Comment:
        return cls(
            body=node.get("body") or "",
            author=login(node.get("author")),
            id=node.get("databaseId") or 0,
            node_id=node["id"],
            created_at=parse_time(node.get("createdAt")),
        )


@dataclass(frozen=True)
class Review:
    """A pull request review that was submitted (pending ones are not shown to others)."""

    author: str | None  # as REST spells it: bots end in [bot]
    state: str  # APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED
    submitted_at: datetime | None
    commit: str | None = None  # the commit it was given on, when the query asked for it

    @classmethod
    def from_graphql(cls, node: dict[str, Any]) -> Review:
        return cls(
            author=login(node.get("author")),
            state=node.get("state") or "",
            submitted_at=parse_time(node.get("submittedAt")),
            commit=(node.get("commit") or {}).get("oid"),
        )


@dataclass(frozen=True)
class Label:
    name: str
    color: str
    description: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Label:
        return cls(
            name=data["name"],
            color=(data.get("color") or "").lower(),
            description=data.get("description") or "",
        )


@dataclass(frozen=True)
class TimelineEvent:
    """One item of an issue's timeline: a label added or removed (with who did it), or a comment."""

    kind: str  # "labeled", "unlabeled", "commented", or another GitHub event name
    actor: str | None
    label: str | None = None
    comment: Comment | None = None
    at: datetime | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TimelineEvent:
        kind = str(data.get("event") or "")
        at = parse_time(data.get("created_at"))
        if kind == "commented":
            comment = Comment.from_json(data)
            return cls(kind=kind, actor=comment.author, comment=comment, at=at)
        label = found if isinstance(found := data.get("label"), dict) else {}
        return cls(kind=kind, actor=(data.get("actor") or {}).get("login"), label=label.get("name"), at=at)


@dataclass(frozen=True)
class Milestone:
    number: int
    title: str


# GitHub's limits for an issue, checked before writing so that they are input errors, not API ones.
TITLE_LIMIT = 256
# Labels named by a one-way hash of a person's login (people checklists are found by them): a
# run that handles personal data keeps them out of its log, like names and titles.
PERSON_LABEL_PREFIX = "gh-ops:person-"
BODY_LIMIT = 65536


@dataclass(frozen=True)
class RenderedIssue:
    """An issue as a template renders it, before it is opened."""

    title: str
    body: str
    labels: tuple[str, ...]
    assignees: tuple[str, ...]
    milestone: str | None
