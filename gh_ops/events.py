"""Reading webhook payloads: one validating reader per event shape (issues, pull_request,
pull_request_review, issue_comment, push). Each field is checked when a command reads it: a missing
or mistyped field the command needs is a usage error naming its path (exit 2); a field it does not
read is never looked at, whatever it holds."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from gh_ops.errors import UsageError

MAX_NUMBER = 2**31 - 1  # GitHub's issue and pull request numbers are 32-bit signed integers


def _shown(value: Any) -> str:
    kind = {
        bool: "true or false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }.get(type(value), type(value).__name__)
    text = json.dumps(value, ensure_ascii=False, default=str)
    return kind if len(text) > 40 or value is None else f"{kind} {text}"


class Fields:
    """A JSON object of a payload, read field by field; `path` is where it is (e.g. issue.labels[0])."""

    def __init__(self, data: Any, path: str, event: str) -> None:
        self._data = data
        self.path = path
        self.event = event
        if not isinstance(data, dict):
            raise self._wrong("", data, "an object")

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _wrong(self, key: str, value: Any, expected: str) -> UsageError:
        where = self._at(key) if key else self.path or "the payload"
        missing = key and key not in self._data if isinstance(self._data, dict) else False
        found = "missing" if missing else _shown(value)
        return UsageError(
            f"the {self.event} event payload is not as GitHub sends it: {where} is {found}, expected "
            f"{expected} ($GITHUB_EVENT_PATH)"
        )

    def has(self, key: str) -> bool:
        return key in self._data

    def raw(self, key: str) -> Any:
        """A field's value, unchecked: for a caller that only tests whether it is present or truthy."""
        return self._data.get(key)

    def text(self, key: str) -> str:
        value = self._data.get(key)
        if not isinstance(value, str):
            raise self._wrong(key, value, "text")
        return value

    def optional_text(self, key: str) -> str | None:
        """Text, or None when the field is null or absent (as GitHub sends an empty body)."""
        value = self._data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._wrong(key, value, "text or null")
        return value

    def number(self, key: str) -> int:
        """An issue or pull request number: a whole number from 1 to 2^31 - 1."""
        value = self._data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_NUMBER:
            raise self._wrong(key, value, f"an issue or pull request number (1 to {MAX_NUMBER})")
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self._data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self._wrong(key, value, "true or false")
        return value

    def optional_flag(self, key: str) -> bool | None:
        value = self._data.get(key)
        if value is None or isinstance(value, bool):
            return value
        raise self._wrong(key, value, "true or false")

    def time(self, key: str) -> datetime | None:
        """A timestamp, or None when it is null or absent."""
        value = self.optional_text(key)
        if value is None:
            return None
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise self._wrong(key, value, "a time such as 2026-11-20T09:00:00Z") from None

    def obj(self, key: str) -> Fields:
        value = self._data.get(key)
        if not isinstance(value, dict):
            raise self._wrong(key, value, "an object")
        return Fields(value, self._at(key), self.event)

    def optional_obj(self, key: str) -> Fields | None:
        value = self._data.get(key)
        return None if value is None else self.obj(key)

    def objects(self, key: str) -> list[Fields]:
        """A list of objects (null or absent: none)."""
        value = self._data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._wrong(key, value, "a list")
        return [Fields(item, f"{self._at(key)}[{i}]", self.event) for i, item in enumerate(value)]

    def login(self, key: str) -> str | None:
        """The login of a user object (sender, user, merged_by...), or None when it is null."""
        actor = self.optional_obj(key)
        return None if actor is None else actor.text("login")


# --- the shapes --------------------------------------------------------------------------------------


class Event(Fields):
    """A whole payload of a named event."""

    def __init__(self, payload: Any, event: str) -> None:
        super().__init__(payload, "", event)

    @property
    def action(self) -> str | None:
        return self.optional_text("action")

    @property
    def sender(self) -> str | None:
        return self.login("sender")

    @property
    def repository(self) -> Repository:
        return Repository(self.obj("repository"))


class Repository:
    def __init__(self, fields: Fields) -> None:
        self.fields = fields

    @property
    def full_name(self) -> str:
        return self.fields.text("full_name")

    @property
    def private(self) -> bool | None:
        return self.fields.optional_flag("private")

    @property
    def default_branch(self) -> str:
        return self.fields.text("default_branch")

    @property
    def owner_type(self) -> str | None:
        """ "Organization" or "User" (the account that owns the repository), when the payload says."""
        owner = self.fields.optional_obj("owner")
        return None if owner is None else owner.optional_text("type")


class IssuePayload:
    """The `issue` of an issues or issue_comment event."""

    def __init__(self, fields: Fields) -> None:
        self.fields = fields

    @property
    def number(self) -> int:
        return self.fields.number("number")

    @property
    def title(self) -> str:
        return self.fields.text("title")

    @property
    def body(self) -> str:
        return self.fields.optional_text("body") or ""

    @property
    def state(self) -> str:
        return self.fields.optional_text("state") or "open"

    @property
    def state_reason(self) -> str | None:
        return self.fields.optional_text("state_reason")

    @property
    def url(self) -> str:
        return self.fields.optional_text("html_url") or ""

    @property
    def labels(self) -> list[str]:
        return [label.text("name") for label in self.fields.objects("labels")]

    @property
    def is_pull_request(self) -> bool:
        return self.fields.raw("pull_request") is not None

    @property
    def created_at(self) -> datetime | None:
        return self.fields.time("created_at")

    @property
    def updated_at(self) -> datetime | None:
        return self.fields.time("updated_at")

    def to_issue(self) -> Any:
        """The issue as gh_ops.models.Issue, every field it holds checked."""
        from gh_ops.models import Issue

        comments = self.fields.raw("comments")
        return Issue(
            number=self.number,
            title=self.title,
            body=self.body,
            state=self.state,
            labels=tuple(self.labels),
            assignees=tuple(a.text("login") for a in self.fields.objects("assignees")),
            author=self.fields.login("user"),
            url=self.url,
            created_at=self.fields.time("created_at"),
            is_pull_request=self.is_pull_request,
            state_reason=self.state_reason,
            node_id=self.fields.optional_text("node_id") or "",
            comments=comments if isinstance(comments, int) and not isinstance(comments, bool) else 0,
        )


class IssuesEvent(Event):
    """issues.* (and, for its `issue`, issue_comment.*)."""

    @property
    def issue(self) -> IssuePayload:
        return IssuePayload(self.obj("issue"))

    @property
    def label(self) -> str | None:
        """The name of the label a labeled or unlabeled event is about (None for other actions)."""
        label = self.optional_obj("label")
        return None if label is None else label.text("name")


class PullRequestPayload:
    """The `pull_request` of a pull_request or pull_request_review event."""

    def __init__(self, fields: Fields) -> None:
        self.fields = fields

    @property
    def number(self) -> int:
        return self.fields.number("number")

    @property
    def title(self) -> str | None:
        return self.fields.optional_text("title")

    @property
    def body(self) -> str | None:
        return self.fields.optional_text("body")

    @property
    def state(self) -> str | None:
        return self.fields.optional_text("state")

    @property
    def merged(self) -> bool:
        return self.fields.flag("merged")

    @property
    def labels(self) -> list[str]:
        return [label.text("name") for label in self.fields.objects("labels")]

    @property
    def updated_at(self) -> datetime | None:
        return self.fields.time("updated_at")

    @property
    def head_sha(self) -> str | None:
        head = self.fields.optional_obj("head")
        return None if head is None else head.optional_text("sha")

    @property
    def base_ref(self) -> str:
        return self.fields.obj("base").text("ref")

    def repo_of(self, side: str) -> str | None:
        """The full name of the repository of the `head` or `base` side, when the payload says."""
        end = self.fields.optional_obj(side)
        repo = None if end is None else end.optional_obj("repo")
        return None if repo is None else repo.optional_text("full_name")


class PullRequestEvent(Event):
    """pull_request.*, pull_request_target.* and pull_request_review.*."""

    @property
    def pull_request(self) -> PullRequestPayload:
        return PullRequestPayload(self.obj("pull_request"))

    @property
    def body_before(self) -> str | None:
        """The description before an `edited` event, when the edit changed it."""
        changes = self.optional_obj("changes")
        body = None if changes is None else changes.optional_obj("body")
        return None if body is None else body.optional_text("from")

    @property
    def review_state(self) -> str | None:
        review = self.optional_obj("review")
        return None if review is None else review.optional_text("state")


class PushEvent(Event):
    """push."""

    @property
    def ref(self) -> str:
        return self.optional_text("ref") or ""

    @property
    def before(self) -> str:
        return self.optional_text("before") or ""

    @property
    def after_sha(self) -> str:
        """The commit the branch points to after the push (40 or 64 hex digits)."""
        value = self.text("after")
        if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", value):
            raise self._wrong("after", value, "a commit id (40 hex digits)")
        return value

    @property
    def forced(self) -> bool:
        return self.flag("forced")

    @property
    def deleted(self) -> bool:
        return self.flag("deleted")

    @property
    def commit_ids(self) -> list[str]:
        return [commit.text("id") for commit in self.objects("commits")]

    @property
    def pusher(self) -> str | None:
        pusher = self.optional_obj("pusher")
        return None if pusher is None else pusher.optional_text("name")
