"""Repositories, config and the issues-event builder shared by the priority tests and benchmark."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fakegithub import FakeGitHub, load_payload

REPO = "Codertocat/Hello-World"  # public, as in the real payloads
PRIVATE = "Codertocat/security"  # where security issues may be moved
BOT = "github-actions[bot]"
NOW = "2026-11-20T15:00:00Z"

CONFIG = """\
timezone: UTC
teams:
  web:
    lead: alice
    members: [alice, bob]
priority:
  triage_team: web
"""

FORM = "### What happened?\n\nThe page is blank.\n\n### Priority\n\n{answer}\n"


def send_event(
    fake: FakeGitHub,
    folder: Path,
    action: str,
    *,
    number: int | None = None,
    title: str = "Spelling error in the README file",
    body: str | None = None,
    labels: tuple[str, ...] = ("bug",),
    sender: str = "Codertocat",
    label: str | None = None,
    repo: str = REPO,
    setenv: Callable[[str, str], None],
) -> int:
    """Do to the fake what the event says happened, then write the real payload of that event (with
    the issue as it is now) and point $GITHUB_EVENT_PATH at it (with `setenv`), as Actions does.
    Returns the issue number.

    opened: seeds a new issue. edited: replaces the body. labeled: `sender` adds `label`.
    unlabeled: `sender` removes `label`.
    """
    if action == "opened":
        seeded = fake.add_issue(repo, title=title, body=body, author="Codertocat", labels=labels)
        number = seeded["number"]
    assert number is not None
    if action == "edited" and body is not None:
        fake.edit_issue(repo, number, by=sender, body=body)
    if action == "labeled":
        assert label is not None
        current = [item["name"] for item in fake.issue(repo, number)["labels"]]
        fake.edit_issue(repo, number, by=sender, labels=[*current, label])
    if action == "unlabeled":
        assert label is not None
        current = [item["name"] for item in fake.issue(repo, number)["labels"]]
        fake.edit_issue(repo, number, by=sender, labels=[name for name in current if name != label])
    now = fake.issue(repo, number)
    payload: dict[str, Any] = load_payload(f"issues.{action}")
    issue = payload["issue"]
    template_label = issue["labels"][0]
    issue.update(
        number=number,
        title=now["title"],
        body=now["body"],
        node_id=now["node_id"],
        html_url=now["html_url"],
        labels=[{**template_label, "name": item["name"]} for item in now["labels"]],
        updated_at=now["updated_at"],  # the payload is the issue as it was when the event fired
    )
    if label is not None:
        payload["label"] = {**template_label, "name": label}
    payload["sender"]["login"] = sender
    owner, short = repo.split("/", 1)
    payload["repository"].update(full_name=repo, name=short, private=fake._repo(repo).private)
    path = folder / f"event-{action}-{number}-{len(fake.requests)}.json"
    path.write_text(json.dumps(payload))
    setenv("GITHUB_EVENT_PATH", str(path))
    setenv("GITHUB_EVENT_NAME", "issues")
    return number


def labels_on(fake: FakeGitHub, number: int, repo: str = REPO) -> list[str]:
    return sorted(item["name"] for item in fake.issue(repo, number)["labels"])
