"""Names, answers and helpers shared by the onboarding/offboarding tests."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner, Result
from fakegithub import FakeGitHub

from gh_ops.cli import main
from gh_ops.config import embedded_example_text
from gh_ops.markup import read_marker

PEOPLE = "acme/people"  # private: where the checklists go
PUBLIC = "acme/widgets"  # the public code repository the workflow may run in
REQUESTS = "Codertocat/Hello-World"  # private, where the issue forms are filed (the fixtures' repository)
BOT = "github-actions[bot]"
STAFF = ["alice", "bob", "carol", "dave", "erin"]

# The shipped example (teams web in New York, infra in London), and that plus the people repository.
BASE_CONFIG = embedded_example_text()
CONFIG = BASE_CONFIG + f"people:\n  repo: {PEOPLE}\n"

NOW = "2026-11-20T15:00:00Z"
JOINER = ["--login", "newbie", "--name", "Nadia Newbie", "--team", "web", "--start", "2026-12-07"]
JOINER_FULL = [*JOINER, "--role", "engineering", "--buddy", "bob", "--manager", "carol"]
LEAVER = ["--login", "leaver", "--name", "Leo Leaver", "--last-day", "2026-12-18", "--manager", "carol"]

GITHUB_TEAMS = [
    {
        "name": "Frontend Guild",
        "slug": "frontend-guild",
        "url": "https://github.com/orgs/acme/teams/frontend-guild",
    },
    {
        "name": "Release Managers",
        "slug": "release-managers",
        "url": "https://github.com/orgs/acme/teams/release-managers",
    },
]


def onboard(*args: str, now: str = NOW) -> Result:
    """`gh-ops --now NOW onboarding open ARGS` through click."""
    return CliRunner().invoke(main, ["--now", now, "onboarding", "open", *args])


def offboard(*args: str, now: str = NOW) -> Result:
    return CliRunner().invoke(main, ["--now", now, "offboarding", "open", *args])


def checklists(fake: FakeGitHub, kind: str, repo: str = PEOPLE) -> list[dict]:
    """The issues in `repo` whose gh-ops marker is of this kind."""
    return [i for i in fake.issues(repo) if (read_marker(i["body"]) or ("",))[0] == kind]


def identity(body: str) -> tuple[str, dict[str, str]]:
    """The marker's kind, login and date (it also carries the request and an answers fingerprint)."""
    mark = read_marker(body)
    assert mark is not None, body[:200]
    return mark[0], {k: v for k, v in mark[1].items() if k in ("login", "date")}


def routes(requests: list[Any]) -> list[tuple[str, str]]:
    """(method, path) of recorded requests, to compare with an expected list."""
    return [(r.method, r.path) for r in requests]


def assignees_of(issue: dict) -> list[str]:
    return [a["login"] for a in issue["assignees"]]
