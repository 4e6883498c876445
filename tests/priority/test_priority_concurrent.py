"""Overlapping `priority apply` and `priority triage` runs leave one note of each kind and the one
priority label a single run would leave (issue 15): an `opened` and an `edited` delivery of the same
issue seconds apart, a manual `--issue N` run beside the workflow, two triage sweeps."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from concurrency import SEEDS, run_together
from fakegithub import FakeGitHub, NewFake
from priority_data import BOT, CONFIG, FORM, NOW, REPO, labels_on, send_event

from gh_ops.markup import read_marker

pytestmark = pytest.mark.usefixtures("no_wall_clock")

CLOCK = datetime(2026, 11, 20, 15, tzinfo=UTC)
V31_HIGH = "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:L"  # 8.9: security-P1
V31_BROKEN = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q"


@pytest.fixture
def fake(new_fake: NewFake, sleeps: list[float]) -> FakeGitHub:
    return new_fake(CLOCK, repos={REPO: {"collaborators": ["alice", "bob"]}})


@pytest.fixture
def workdir(checkout: Callable[[str, str], Path]) -> Path:
    return checkout(CONFIG, REPO)


def apply(*args: str) -> list[str]:
    return ["--now", NOW, "priority", "apply", *args]


TRIAGE = ["--now", NOW, "priority", "triage"]


def notes(fake: FakeGitHub, number: int) -> dict[str, list[str]]:
    """gh-ops' priority comments on an issue, by kind (a list, to see duplicates)."""
    found: dict[str, list[str]] = {}
    for comment in fake.comments(REPO, number):
        mark = read_marker(comment["body"])
        if mark and mark[0] == "priority" and comment["user"]["login"] == BOT:
            found.setdefault(mark[1]["note"], []).append(comment["body"])
    return found


def people_comments(fake: FakeGitHub, number: int) -> list[str]:
    return [c["body"] for c in fake.comments(REPO, number) if c["user"]["login"] != BOT]


def later_run_writes_nothing(fake: FakeGitHub, argv: list[str], seed: int) -> None:
    fake.clear_requests()
    assert run_together(fake, [argv], seed=seed) == [0]
    assert fake.writes == []


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", [2, 3, 5])
def test_apply_runs_together_leave_one_note_of_each_kind(
    fake: FakeGitHub, workdir: Path, monkeypatch: pytest.MonkeyPatch, seed: int, runs: int
) -> None:
    # Two priorities set by people (a conflict note) and a vector that cannot be read (a CVSS note).
    number = fake.add_issue(
        REPO, title="Crash", body=f"It crashes.\n\n{V31_BROKEN}\n", author="bob", labels=["bug"]
    )["number"]
    fake.edit_issue(REPO, number, by="alice", labels=["bug", "P1", "P2"])
    fake.add_comment(REPO, number, body="Same here", author="alice")
    send_event(fake, workdir, "labeled", number=number, label="P2", sender="alice", setenv=monkeypatch.setenv)
    argvs = [apply() if i % 2 else apply("--issue", str(number)) for i in range(runs)]

    assert run_together(fake, argvs, seed=seed) == [0] * runs

    assert labels_on(fake, number) == ["P1", "bug"]
    found = notes(fake, number)
    assert sorted(found) == ["conflict", "cvss"] and all(len(v) == 1 for v in found.values()), found
    assert people_comments(fake, number) == ["Same here"]
    later_run_writes_nothing(fake, apply("--issue", str(number)), seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", [2, 3, 5])
def test_apply_runs_together_leave_one_security_note(
    fake: FakeGitHub, workdir: Path, seed: int, runs: int
) -> None:
    number = fake.add_issue(
        REPO, title="Leak", body=f"Tokens leak.\n\n{V31_HIGH}\n", author="bob", labels=["bug"]
    )["number"]
    assert run_together(fake, [apply("--issue", str(number))] * runs, seed=seed) == [0] * runs

    assert labels_on(fake, number) == ["bug", "security", "security-P1"]
    found = notes(fake, number)
    assert sorted(found) == ["security"] and len(found["security"]) == 1, found
    later_run_writes_nothing(fake, apply("--issue", str(number)), seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", [2, 3, 5])
def test_a_stale_delivery_and_a_fresh_run_end_with_the_label_of_the_issue_as_it_is_now(
    fake: FakeGitHub, workdir: Path, monkeypatch: pytest.MonkeyPatch, seed: int, runs: int
) -> None:
    """gh-ops had set P3; the reporter answered P2, then P1, seconds apart. The `edited` delivery of
    P2 (its payload is stale: the timeline holds no event after it) and runs reading the issue now
    (P1) overlap: one removes P3 and adds P2 while another removes P3 and adds P1. A single run now
    leaves P1, and so must they, whatever order their writes land in."""
    number = send_event(fake, workdir, "opened", body=FORM.format(answer="P3"), setenv=monkeypatch.setenv)
    fake.edit_issue(REPO, number, by=BOT, labels=["bug", "P3"])
    send_event(
        fake, workdir, "edited", number=number, body=FORM.format(answer="P2"), setenv=monkeypatch.setenv
    )
    fake.edit_issue(REPO, number, by="Codertocat", body=FORM.format(answer="P1"))
    ticks = itertools.count(1)  # time goes on: what the runs write comes after the stale payload
    fake.clock = lambda: CLOCK + timedelta(seconds=next(ticks))
    argvs = [apply() if i % 2 == 0 else apply("--issue", str(number)) for i in range(runs)]

    assert run_together(fake, argvs, seed=seed) == [0] * runs

    assert labels_on(fake, number) == ["P1", "bug"]
    later_run_writes_nothing(fake, apply("--issue", str(number)), seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", [2, 3, 5])
def test_triage_runs_together_ask_once_per_bug(fake: FakeGitHub, workdir: Path, seed: int, runs: int) -> None:
    old = CLOCK - timedelta(days=3)
    numbers = [
        fake.add_issue(REPO, title=f"Bug {i}", labels=["bug"], author="bob", created_at=old)["number"]
        for i in range(3)
    ]
    fake.add_comment(REPO, numbers[0], body="Still broken", author="alice")

    assert run_together(fake, [TRIAGE] * runs, seed=seed) == [0] * runs

    for number in numbers:
        found = notes(fake, number)
        assert sorted(found) == ["triage"] and len(found["triage"]) == 1, (number, found)
    assert people_comments(fake, numbers[0]) == ["Still broken"]
    later_run_writes_nothing(fake, TRIAGE, seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", [2, 3, 5])
def test_apply_and_triage_together_end_with_the_one_label(
    fake: FakeGitHub, workdir: Path, seed: int, runs: int
) -> None:
    number = fake.add_issue(
        REPO,
        title="Blank page",
        body=FORM.format(answer="P2"),
        labels=["bug"],
        created_at=CLOCK - timedelta(days=3),
    )["number"]
    argvs = [apply("--issue", str(number)) if i % 2 == 0 else TRIAGE for i in range(runs)]

    assert run_together(fake, argvs, seed=seed) == [0] * runs

    assert labels_on(fake, number) == ["P2", "bug"]
    assert len(notes(fake, number).get("triage", [])) <= 1
    later_run_writes_nothing(fake, apply("--issue", str(number)), seed)
    later_run_writes_nothing(fake, TRIAGE, seed)
