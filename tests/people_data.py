"""Names and answers shared by the onboarding/offboarding tests (conftest and two test modules)."""

from __future__ import annotations

from gh_ops.config import embedded_example_text

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
