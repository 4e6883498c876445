"""A people repository with years of checklists, for the lookup's budget tests and
benchmarks/people_requests.py: checklists of other people as gh-ops makes them (marker, kind label,
person label) or as versions before the person label made them (no person label)."""

from __future__ import annotations

from datetime import datetime, timedelta

from fakegithub import FakeGitHub

from gh_ops.people.rules import Joiner, Leaver, person_label, person_marker

BOT = "github-actions[bot]"


def seed_checklists(
    fake: FakeGitHub,
    repo: str,
    count: int,
    *,
    first: datetime,
    last: datetime,
    labelled: bool = True,
    open_every: int = 50,
    body_size: int = 0,
    prefix: str = "past",
) -> None:
    """`count` checklists of other people (logins `{prefix}-N`), created evenly from `first` to
    `last` and last changed a week after, alternately onboarding and offboarding; one in
    `open_every` still open (people in flight), the rest closed. `labelled`: as this version makes
    them; otherwise as versions before the person label did. `body_size`: pad each body to about
    that many characters (real checklists are 5 to 10 KB)."""
    step = (last - first) / max(count - 1, 1)
    padding = "x" * max(body_size - 200, 0)
    seeds = []
    for n in range(count):
        created = first + step * n
        login = f"{prefix}-{n}"
        day = (created + timedelta(days=30)).date()
        kind = "onboarding" if n % 2 == 0 else "offboarding"
        person: Joiner | Leaver
        if kind == "onboarding":
            person = Joiner(login, f"Person {n}", "web", "other", day, None, None)
        else:
            person = Leaver(login, f"Person {n}", day, "voluntary", None)
        seeds.append(
            {
                "title": f"{kind.capitalize()}: Person {n}",
                "body": f"{person_marker(kind, person)}\n## {kind} checklist\n- [ ] a step\n{padding}",
                "author": BOT,
                "labels": [kind, person_label(login)] if labelled else [kind],
                "state": "open" if n % open_every == 0 else "closed",
                "created_at": created,
                "updated_at": created + timedelta(days=7),
            }
        )
    fake.add_issues(repo, seeds)
