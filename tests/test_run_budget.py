"""The request budget of `gh-ops run`: routing costs nothing. An event no enabled capability
handles costs no request at all; an issues event only `priority` handles costs exactly what
`priority apply` alone costs on it (the figures of the README's table, each the API's minimum)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fakegithub import FakeGitHub, NewFake, load_payload

from gh_ops.cli import main
from gh_ops.config import embedded_example_text

pytestmark = pytest.mark.usefixtures("no_wall_clock")

REPO = "Codertocat/Hello-World"
NOW = "2026-11-20T15:00:00Z"
# Every section: people too, so its route is asked (and declines: the issue is no form request).
CONFIG = embedded_example_text() + "people:\n  repo: acme/people\nrfc: {}\npriority: {}\nyolo: {}\n"


def requests(fake: FakeGitHub) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in fake.requests]


def send(folder: Path, monkeypatch: pytest.MonkeyPatch, name: str, payload: dict[str, Any]) -> None:
    path = folder / "event.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    monkeypatch.setenv("GITHUB_EVENT_NAME", name)
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))


@pytest.mark.parametrize(
    ("name", "fixture", "ref"),
    [
        ("issue_comment", "issue_comment.created", None),  # no enabled capability's trigger
        ("push", "push", "refs/heads/topic"),  # yolo's, but not the default branch
        ("push", "push", "refs/tags/simple-tag"),  # the real payload as GitHub sent it
    ],
)
def test_an_event_no_enabled_capability_handles_costs_no_request(
    new_fake: NewFake,
    checkout: Callable[[str, str], Path],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    name: str,
    fixture: str,
    ref: str | None,
) -> None:
    fake = new_fake(datetime(2026, 11, 20, 15, tzinfo=UTC), repos={REPO: {}})
    checkout(CONFIG, REPO)
    payload = load_payload(fixture)
    if ref is not None:
        payload["ref"] = ref
    send(tmp_path, monkeypatch, name, payload)
    result = CliRunner().invoke(main, ["--now", NOW, "run"])
    assert result.exit_code == 0, result.output
    assert "nothing to do" in result.output
    assert requests(fake) == []  # the minimum: 0


@pytest.mark.parametrize("answer", ["P1 - Urgent, non-breaking", "I don't know"])
def test_an_issues_event_only_priority_handles_costs_what_priority_apply_costs(
    new_fake: NewFake,
    checkout: Callable[[str, str], Path],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    answer: str,
) -> None:
    costs = {}
    for argv in (["priority", "apply"], ["run"]):
        fake = new_fake(datetime(2026, 11, 20, 15, tzinfo=UTC), repos={REPO: {}}, labels={REPO: ["bug"]})
        checkout(CONFIG, REPO)
        body = f"### What happened?\n\nThe page is blank.\n\n### Priority\n\n{answer}\n"
        issue = fake.add_issue(REPO, title="Blank page", body=body, author="Codertocat", labels=["bug"])
        payload = load_payload("issues.opened")
        payload["issue"].update(
            number=issue["number"], body=body, node_id=issue["node_id"], updated_at=issue["updated_at"]
        )
        payload["issue"]["author_association"] = "NONE"  # not a people request: people declines
        payload["issue"]["labels"] = [{**payload["issue"]["labels"][0], "name": "bug"}]
        send(tmp_path, monkeypatch, "issues", payload)
        result = CliRunner().invoke(main, ["--now", NOW, *argv])
        assert result.exit_code == 0, result.output
        costs[argv[0]] = (requests(fake), [(r.method, r.path) for r in fake.writes])
    assert costs["run"] == costs["priority"]
    reads_and_writes = (len(costs["run"][0]) - len(costs["run"][1]), len(costs["run"][1]))
    # As the README's table has it for `priority apply`, each at the API's minimum: with a form
    # answer, 1 read (the timeline: the payload holds the issue) and 1 write (the label); a bug
    # with nothing that gives a priority, 0 and 0 (triage asks later).
    assert reads_and_writes == ((1, 1) if answer.startswith("P1") else (0, 0)), costs["run"]
