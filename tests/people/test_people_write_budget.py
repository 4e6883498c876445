"""The write budget in `onboarding open` from the request form: the checklist and the request's
answer (its link, and closing it) are made in the same run, so a budget stop never leaves a checklist
its request does not link to; bounded runs end where one unbounded run does."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakegithub import FakeGitHub, load_payload
from people_data import CONFIG, PEOPLE, PUBLIC, REQUESTS, STAFF, onboard
from write_budget import bounded_runs_match_one_run

pytestmark = pytest.mark.usefixtures("no_wall_clock")


# The checklist and the request's answer are one group of 3 (a smaller budget is refused:
# tests/review/test_review_people_duplicate.py).
@pytest.mark.parametrize("max_writes", [3, 4])
def test_bounded_runs_open_one_checklist_and_answer_the_request_once(
    max_writes: int,
    checkout: Callable[[str, str], Path],
    sleeps: list[float],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workdir = checkout(CONFIG, PUBLIC)

    def setup(fake: FakeGitHub) -> None:
        for repo, private in ((PEOPLE, True), (PUBLIC, False), (REQUESTS, True)):
            fake.add_repo(repo, private=private, collaborators=STAFF)
        fake.add_organization(PEOPLE.split("/")[0])
        payload = load_payload("issues.opened.new-joiner")
        issue = payload["issue"]
        seeded = fake.add_issue(
            REQUESTS,
            title=issue["title"],
            body=issue["body"],
            author="Codertocat",
            labels=[label["name"] for label in issue["labels"]],
        )
        issue["number"] = seeded["number"]
        path = workdir / "event.json"
        path.write_text(json.dumps(payload))
        monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))
        monkeypatch.setenv("GITHUB_EVENT_NAME", "issues")

    per_run, needed = bounded_runs_match_one_run(
        datetime(2026, 11, 20, 15, tzinfo=UTC),
        setup,
        lambda budget: onboard(*budget),
        max_writes=max_writes,
        repos=(PEOPLE, REQUESTS),
    )
    assert needed == 3  # the checklist, the answer on the request, closing it
    assert sum(per_run) == needed
