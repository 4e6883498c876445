"""Fixtures of the onboarding and offboarding tests: the fake GitHub with the people, code and
requests repositories, a checkout of the code repository, and issues events from the issue forms.
The names and answers they use live in people_data.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fakegithub import FakeGitHub, NewFake
from fakegithub import load_payload as _load_payload
from people_data import CONFIG, PEOPLE, PUBLIC, REQUESTS, STAFF


@pytest.fixture
def fake(new_fake: NewFake, sleeps: list[float]) -> FakeGitHub:
    """A FakeGitHub at 2026-11-20 15:00 UTC with the people repository (private), the public code
    repository (both the organization acme's) and the private requests repository (a personal
    account's, as in GitHub's example payloads)."""
    fake = new_fake(
        datetime(2026, 11, 20, 15, tzinfo=UTC),
        repos={
            PEOPLE: {"private": True, "collaborators": STAFF},
            PUBLIC: {"collaborators": STAFF},
            REQUESTS: {"private": True, "collaborators": STAFF},
        },
    )
    fake.add_organization(PEOPLE.split("/")[0])
    return fake


@pytest.fixture
def workdir(checkout: Callable[[str, str], Path]) -> Path:
    """A checkout of the public code repository whose config sets people.repo."""
    return checkout(CONFIG, PUBLIC)


@pytest.fixture
def event(fake: FakeGitHub, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., dict[str, Any]]:
    """event("issues.opened.new-joiner", body=...) seeds the request issue and points
    $GITHUB_EVENT_PATH at its payload; returns the payload (with the seeded number).

    `number` given: the requester edited that request (its body in the fake is replaced). `state`,
    `action` and `labels` override the payload's; `repo` files the request in another repository of
    the fake (the payload's repository then says whether that one is private)."""
    counter = iter(range(1000))

    def make(
        fixture: str = "issues.opened.new-joiner",
        *,
        body: str | None = None,
        number: int | None = None,
        state: str | None = None,
        name: str = "issues",
        action: str | None = None,
        labels: list[str] | None = None,
        repo: str = REQUESTS,
    ) -> dict[str, Any]:
        payload = _load_payload(fixture)
        if action is not None:
            payload["action"] = action
        issue = payload.get("issue")
        if issue is not None:
            if body is not None:
                issue["body"] = body
            if labels is not None:
                issue["labels"] = [{**issue["labels"][0], "name": label} for label in labels]
            if number is None:
                seeded = fake.add_issue(
                    repo,
                    title=issue["title"],
                    body=issue["body"],
                    author="Codertocat",
                    labels=[label["name"] for label in issue["labels"]],
                )
                number = seeded["number"]
            else:  # the requester edited the request
                fake.edit_issue(repo, number, by="Codertocat", body=issue["body"])
            issue["number"] = number
            issue["html_url"] = f"https://github.com/{repo}/issues/{number}"
            if state is not None:
                issue["state"] = state
        if repo != REQUESTS:
            owner, short = repo.split("/", 1)
            payload["repository"].update(full_name=repo, name=short, private=fake._repo(repo).private)
            payload["repository"]["owner"]["login"] = owner
        path = workdir / f"event-{next(counter)}.json"
        path.write_text(json.dumps(payload))
        monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))
        monkeypatch.setenv("GITHUB_EVENT_NAME", name)
        return payload

    return make
