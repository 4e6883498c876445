"""The write budget in `yolo check`: a follow-up issue and the comment that remembers its number are
written in the same run or not at all, so a budget can never leave an issue the next run would open
again."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fakegithub import FakeGitHub, NewFake
from test_yolo_check import CONFIG, OPENED, REPO, STAFF, check, closed_event, follow_ups, merged_pull, ours

pytestmark = pytest.mark.usefixtures("no_wall_clock")


@pytest.fixture
def fake(new_fake: NewFake, sleeps: list[float]) -> FakeGitHub:
    return new_fake(
        OPENED + timedelta(minutes=5),
        repos={REPO: {"collaborators": STAFF}},
        labels={REPO: ["yolo-merge", "emergency"]},
    )


@pytest.fixture
def send(checkout: Callable[[str, str], Path], monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    workdir = checkout(CONFIG, REPO)

    def make(name: str, payload: dict[str, Any]) -> None:
        path = workdir / "event.json"
        path.write_text(json.dumps(payload), encoding="utf-8")
        monkeypatch.setenv("GITHUB_EVENT_NAME", name)
        monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))

    return make


def test_a_budget_too_small_for_the_follow_up_and_its_comment_writes_neither(
    fake: FakeGitHub, send: Callable[..., None]
) -> None:
    number = merged_pull(fake, by="bob", labels=("emergency",))
    send("pull_request", closed_event(fake, number))
    for _ in range(2):  # however often it is run
        result = check("--max-writes", "1")
        assert result.exit_code == 2, result.output
        assert "--max-writes 1 is too small" in result.output and "at least 2" in result.output
        assert fake.writes == [] and follow_ups(fake) == []

    result = check("--max-writes", "2")
    assert result.exit_code == 0, result.output
    (issue,) = follow_ups(fake)
    (comment,) = ours(fake, number)
    assert f"Follow-up: #{issue['number']}" in comment["body"]
    assert check("--max-writes", "1").exit_code == 0 and len(follow_ups(fake)) == 1  # nothing left to write
