"""RFC test data: a filled-in RFC description, and real `pull_request.*` payloads turned into RFC events.

The payloads are GitHub's own (tests/fixtures/webhooks, from @octokit/webhooks-examples); only the
fields a test is about are changed: title, body, labels, assignees, number, dates, merge data.
There is no `pull_request.edited` example in that set, so `edited` is the `opened` payload with the
action and the `changes` object GitHub documents for it (`changes.body.from`, `changes.title.from`).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from fakegithub import iso, load_payload

REPO = "acme/handbook"
AUTHOR = "maya"
DECIDER = "alice"
REQUIRED = ("bob", "carol")
OPTIONAL = ("dave",)


def rfc_body(
    *,
    decider: str = f"@{DECIDER}",
    date: str = "2026-12-01",
    feedback: str | None = None,
    decision: str = "",
    drop: tuple[str, ...] = (),
    replace: dict[str, str] | None = None,
) -> str:
    """A well-formed RFC description; `drop` leaves sections out, `replace` swaps a section's text."""
    if feedback is None:
        feedback = "\n".join(
            [f"- @{login} (required): the storage side" for login in REQUIRED]
            + [f"- @{login} (optional)" for login in OPTIONAL]
        )
    sections = {
        "Decision to be made": "Do we move the event store from Postgres to ClickHouse?",
        "Decision maker": decider,
        "Decision date": date,
        "Feedback wanted from": feedback,
        "Problem": "Queries over 30 days of events time out for our biggest customers.",
        "Recommendation": "Move the event store to ClickHouse behind the current query API.",
        "Context": "Load tests and cost estimates are linked in the design doc.",
    }
    sections.update(replace or {})
    parts = [f"## {heading}\n\n{text}\n" for heading, text in sections.items() if heading not in drop]
    parts.append(f"## Decision\n\n{decision}\n")
    return "\n".join(parts)


def pull_event(
    action: str,
    *,
    number: int,
    title: str = "RFC: Move the event store to ClickHouse",
    body: str | None = None,
    labels: tuple[str, ...] = (),
    assignees: tuple[str, ...] = (),
    created_at: datetime | None = None,
    updated_at: datetime | None = None,
    head_sha: str | None = None,
    sender: str = AUTHOR,
    body_from: str | None = None,
    merged_by: str | None = None,
    head_repo: str = REPO,
) -> dict[str, Any]:
    """A real pull_request.<action> payload about pull request `number` of REPO."""
    source = "opened" if action == "edited" else action
    payload = load_payload(f"pull_request.{source}")
    payload["action"] = action
    payload["number"] = number
    pr = payload["pull_request"]
    pr["number"] = number
    pr["title"] = title
    pr["body"] = rfc_body() if body is None else body
    pr["labels"] = [{"name": name, "color": "ededed"} for name in labels]
    pr["assignees"] = [{"login": login} for login in assignees]
    pr["user"]["login"] = AUTHOR
    if created_at is not None:
        pr["created_at"] = iso(created_at)
    if updated_at is not None:
        pr["updated_at"] = iso(updated_at)
    if head_sha is not None:
        pr["head"]["sha"] = head_sha
    if merged_by is not None:
        pr["merged"] = True
        pr["merged_by"] = {"login": merged_by}
    pr["base"]["repo"]["full_name"] = REPO
    pr["head"]["repo"]["full_name"] = head_repo  # another repository: a pull request from a fork
    payload["sender"]["login"] = sender
    owner, name = REPO.split("/")
    payload["repository"]["full_name"] = REPO
    payload["repository"]["name"] = name
    payload["repository"]["owner"]["login"] = owner
    if action == "edited":
        payload["changes"] = {} if body_from is None else {"body": {"from": body_from}}
    return payload


def write_event(tmp: Path, payload: dict[str, Any], name: str = "event.json") -> Path:
    path = tmp / name
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path
