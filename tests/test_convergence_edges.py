"""Convergence at its edges (issue 15), from a review: what a run opened before a stop at the write
budget is settled before the run stops (no later run settles another run's twin), and a request's
answer that links the checklist is not replaced by a request for fixes made from an older reading."""

from __future__ import annotations

import importlib.util
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from concurrency import SEEDS, run_together
from fakegithub import FakeGitHub, NewFake

from gh_ops.config import embedded_example_text
from gh_ops.markup import read_marker

REPO = "acme/widgets"


# --------------------------------------------------------------------------- sprint

SPRINT_NOW = "2026-11-20T15:00:00Z"  # sprint 24's window for both example teams (web, infra)


@pytest.fixture
def sprint_fake(new_fake: NewFake, sleeps: list[float], checkout: Callable[[str, str], Path]) -> FakeGitHub:
    checkout(embedded_example_text(), REPO)
    return new_fake(
        datetime(2026, 11, 20, 15, tzinfo=UTC),
        repos={REPO: {"collaborators": ["alice", "bob", "carol", "dave", "erin"]}},
    )


def _standing_sprint_issues(fake: FakeGitHub) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for issue in fake.issues(REPO):
        mark = read_marker(issue["body"] or "")
        if mark and mark[0] == "sprint" and issue["state_reason"] != "duplicate":
            out.setdefault(mark[1]["team"], []).append(issue["number"])
    return out


@pytest.mark.parametrize("seed", range(3))
def test_sprint_twins_opened_before_a_budget_stop_are_settled(sprint_fake: FakeGitHub, seed: int) -> None:
    # Both runs open the first team's issue, then stop before the second team's (budget 1).
    argv = ["--now", SPRINT_NOW, "sprint", "open", "--max-writes", "1"]
    assert run_together(sprint_fake, [argv, argv], seed=seed) == [0, 0]
    # The next run, with no budget, finishes the job; it must leave one issue per team.
    assert run_together(sprint_fake, [["--now", SPRINT_NOW, "sprint", "open"]], seed=seed) == [0]
    kept = _standing_sprint_issues(sprint_fake)
    assert sorted(kept) == ["infra", "web"]
    assert all(len(v) == 1 for v in kept.values()), kept


# --------------------------------------------------------------------------- priority

sys.path.insert(0, str(Path(__file__).parent / "priority"))
from priority_data import BOT as P_BOT  # noqa: E402
from priority_data import CONFIG as P_CONFIG  # noqa: E402
from priority_data import NOW as P_NOW  # noqa: E402
from priority_data import REPO as P_REPO  # noqa: E402

P_CLOCK = datetime(2026, 11, 20, 15, tzinfo=UTC)


@pytest.fixture
def priority_fake(new_fake: NewFake, sleeps: list[float], checkout: Callable[[str, str], Path]) -> FakeGitHub:
    checkout(P_CONFIG, P_REPO)
    return new_fake(P_CLOCK, repos={P_REPO: {"collaborators": ["alice", "bob"]}})


def _priority_notes(fake: FakeGitHub, number: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for comment in fake.comments(P_REPO, number):
        mark = read_marker(comment["body"])
        if mark and mark[0] == "priority" and comment["user"]["login"] == P_BOT:
            found[mark[1]["note"]] = found.get(mark[1]["note"], 0) + 1
    return found


def test_triage_questions_posted_before_a_budget_stop_are_settled(priority_fake: FakeGitHub) -> None:
    triage = ["--now", P_NOW, "priority", "triage"]
    twins: dict[int, dict[str, int]] = {}
    for seed in SEEDS:  # every interleaving must end with one question per bug
        old = P_CLOCK - timedelta(days=3)
        numbers = [
            priority_fake.add_issue(
                P_REPO, title=f"Bug {seed}.{i}", labels=["bug"], author="bob", created_at=old
            )["number"]
            for i in range(3)
        ]
        assert run_together(priority_fake, [[*triage, "--max-writes", "2"]] * 2, seed=seed) == [0, 0]
        assert run_together(priority_fake, [triage], seed=seed) == [0]
        twins.update(
            {n: found for n in numbers if (found := _priority_notes(priority_fake, n)) != {"triage": 1}}
        )
    assert twins == {}


def test_apply_notes_posted_before_a_budget_stop_are_settled(priority_fake: FakeGitHub) -> None:
    broken = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q"  # a cvss note, and a conflict note (P1, P2)
    twins: dict[int, int] = {}
    for seed in SEEDS:  # every interleaving must end with one cvss note
        number = priority_fake.add_issue(
            P_REPO, title=f"Crash {seed}", body=f"It crashes.\n\n{broken}\n", author="bob", labels=["bug"]
        )["number"]
        priority_fake.edit_issue(P_REPO, number, by="alice", labels=["bug", "P1", "P2"])
        apply = ["--now", P_NOW, "priority", "apply", "--issue", str(number)]
        # Budget 2: remove P2, post the cvss note, stop before the conflict note.
        assert run_together(priority_fake, [[*apply, "--max-writes", "2"]] * 2, seed=seed) == [0, 0]
        assert run_together(priority_fake, [apply], seed=seed) == [0]
        cvss = _priority_notes(priority_fake, number).get("cvss", 0)
        if cvss != 1:
            twins[number] = cvss
    assert twins == {}


# --------------------------------------------------------------------------- people (requests)

_people_dir = Path(__file__).parent / "people"
sys.path.insert(0, str(_people_dir))
_spec = importlib.util.spec_from_file_location("review15_people_conftest", _people_dir / "conftest.py")
assert _spec is not None and _spec.loader is not None
_people_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_people_conftest)
fake = _people_conftest.fake  # the people fixtures: `fake`, `workdir`, `event`
workdir = _people_conftest.workdir
event = _people_conftest.event

from people_data import NOW as PEOPLE_NOW  # noqa: E402
from people_data import PEOPLE, REQUESTS, checklists  # noqa: E402

from gh_ops.cli import main  # noqa: E402
from gh_ops.people.rules import REQUEST_MARKER, linked_checklist  # noqa: E402


def test_a_late_bad_answers_comment_does_not_replace_the_link_of_a_later_reading(
    fake: FakeGitHub, event: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gh_ops.github import GitHub

    payload = event()
    number = payload["issue"]["number"]
    good = payload["issue"]["body"]
    event("issues.edited.new-joiner", number=number, body=good.replace("2026-12-07", "someday"))

    # Run A (the bad answers' delivery) has read the request and is about to post its comment when
    # the requester fixes the answers and run B (the fix's delivery) answers the request.
    a_ready, release = threading.Event(), threading.Event()
    real_create_comment = GitHub.create_comment

    def create_comment(self: GitHub, repo: str, num: int, body: str, *, why: str) -> Any:
        if threading.current_thread().name == "run-A" and "could not open" in body:
            a_ready.set()
            assert release.wait(30)
        return real_create_comment(self, repo, num, body, why=why)

    monkeypatch.setattr(GitHub, "create_comment", create_comment)
    argv = ["--now", PEOPLE_NOW, "onboarding", "open"]
    codes: list[Any] = []

    def run_a() -> None:
        codes.append(main.main(args=list(argv), prog_name="gh-ops", standalone_mode=False))

    thread = threading.Thread(target=run_a, name="run-A")
    thread.start()
    assert a_ready.wait(30)
    event("issues.edited.new-joiner", number=number, body=good)
    assert main.main(args=list(argv), prog_name="gh-ops", standalone_mode=False) in (0, None)
    release.set()
    thread.join(30)
    assert codes == [2]  # run A fails on its (stale) bad answers, as it should

    (one,) = checklists(fake, "onboarding")
    assert fake.issue(REQUESTS, number)["state"] == "closed"
    answers = [c["body"] for c in fake.comments(REQUESTS, number) if c["body"].startswith(REQUEST_MARKER)]
    assert len(answers) == 1
    # The request is answered: its one gh-ops comment must still link the checklist.
    assert linked_checklist(answers[0], "onboarding", PEOPLE) == one["number"], answers[0]
