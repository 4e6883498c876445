"""Overlapping `rfc check` and `rfc remind` runs leave what one run leaves (issue 15): one RFC
comment with every run's memory, one reminder of each kind per date, and the labels of the latest
state, whatever the interleaving."""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import responses
from concurrency import MOST_DELAY, SEEDS, run_together
from fakegithub import FakeGitHub, NewFake
from rfc_data import AUTHOR, DECIDER, REPO, pull_event, rfc_body, write_event

from gh_ops.cli import main
from gh_ops.markup import read_marker
from gh_ops.rfc.rules import Memory, read_memory

pytestmark = pytest.mark.usefixtures("no_wall_clock")

BOT = "github-actions[bot]"
OPENED = datetime(2026, 11, 24, 10, tzinfo=UTC)
NOW = "2026-11-24T10:05:00+00:00"  # minutes after it opened: `rfc check` on its opened event
DAY_BEFORE = "2026-11-30T09:00:00+00:00"
OVERDUE = "2026-12-02T08:00:00+00:00"
CONFIG = "timezone: Europe/London\nteams: {}\n"
STAFF = [AUTHOR, DECIDER, "bob", "carol", "dave"]
WEBHOOK = "https://hooks.slack.com/services/T000/B000/XXXXSECRET"


@pytest.fixture
def fake(new_fake: NewFake, sleeps: list[float], checkout: Callable[[str, str], Path]) -> FakeGitHub:
    checkout(CONFIG, REPO)
    return new_fake(OPENED + timedelta(minutes=5), repos={REPO: {"collaborators": STAFF}})


@pytest.fixture
def chat(fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The chat messages the runs send (the webhook is process-wide, as the runs' environment)."""
    monkeypatch.setenv("GH_OPS_CHAT_WEBHOOK", WEBHOOK)
    posted: list[str] = []

    def hook(request: Any) -> tuple[int, dict[str, str], str]:
        posted.append(json.loads(request.body)["text"])
        return 200, {}, "ok"

    fake.rsps.add_callback(responses.POST, WEBHOOK, callback=hook)
    return posted


def rfc_pull(fake: FakeGitHub, **fields: Any) -> int:
    fields.setdefault("title", "RFC: Move the event store to ClickHouse")
    fields.setdefault("body", rfc_body())
    fields.setdefault("author", AUTHOR)
    fields.setdefault("created_at", OPENED)
    return fake.add_pull(REPO, **fields)


def ours(fake: FakeGitHub, number: int, kind: str = "rfc") -> list[dict[str, Any]]:
    return [
        c
        for c in fake.comments(REPO, number)
        if c["user"]["login"] == BOT and (read_marker(c["body"]) or ("",))[0] == kind
    ]


def labels(fake: FakeGitHub, number: int) -> set[str]:
    return {label["name"] for label in fake.pull(REPO, number)["labels"]}


def check(number: int, now: str = NOW) -> list[str]:
    return ["--now", now, "rfc", "check", "--pr", str(number)]


def remind(now: str) -> list[str]:
    return ["--now", now, "rfc", "remind"]


def only_the_check_run(fake: FakeGitHub) -> bool:
    """A run on a state that needs nothing else posts its check run, and nothing more."""
    return len(fake.writes) == 1 and all(
        p not in fake.writes[0].json["query"] for p in ("Comment", "Labels", "closeIssue")
    )


# --- rfc check x N: the table's row ----------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", [2, 3, 5])
def test_checks_started_together_leave_one_rfc_comment(
    fake: FakeGitHub, chat: list[str], seed: int, runs: int
) -> None:
    number = rfc_pull(fake)  # the label does not exist yet either: every run creates it
    codes = run_together(fake, [check(number)] * runs, seed=seed)

    assert codes == [0] * runs
    (kept,) = ours(fake, number)
    assert read_memory(kept["body"]).announced  # the chat notice is remembered
    assert labels(fake, number) == {"rfc"}
    assert [x["name"] for x in fake.labels(REPO)].count("rfc") == 1
    assert len([m for m in chat if m.startswith("New RFC")]) == 1  # the run whose comment stands
    # What converging costs: at most one read after each run's writes, one DELETE per newer comment.
    reads = [r for r in fake.reads if r.path == "/graphql" and "RfcPullRequest" in r.json["query"]]
    assert runs < len(reads) <= 2 * runs
    # (A run that reads while another's twin still stands may delete it too, as the extra a race
    # left; the second DELETE finds it gone (404), which is fine: count the comments deleted.)
    assert len({w.path for w in fake.writes if w.method == "DELETE"}) <= runs - 1

    fake.clear_requests()
    assert run_together(fake, [check(number)], seed=seed) == [0]
    assert only_the_check_run(fake)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", [2, 3])
def test_an_edited_delivery_and_a_check_together_keep_the_moved_date(
    fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch, seed: int, runs: int
) -> None:
    """`opened` is checked with --pr while the `edited` delivery that moved the date is checked
    from its payload: only the edited runs know the move; the comment that stands remembers it."""
    number = rfc_pull(fake, body=rfc_body(date="2026-11-30"))
    payload = pull_event(
        "edited",
        number=number,
        body=rfc_body(date="2026-11-30"),
        body_from=rfc_body(),
        sender=DECIDER,
        created_at=OPENED,
        updated_at=OPENED + timedelta(minutes=4),
        head_sha=fake.pull(REPO, number)["head"]["sha"],
    )
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(write_event(Path.cwd(), payload)))
    edited = ["--now", NOW, "rfc", "check"]
    argvs = [check(number), edited, check(number)][:runs]

    assert run_together(fake, argvs, seed=seed) == [0] * runs
    (kept,) = ours(fake, number)
    (move,) = read_memory(kept["body"]).moves
    assert (move.old, move.new, move.by) == ("2026-12-01", "2026-11-30", DECIDER)
    assert "Decision date moved 1 time:" in kept["body"]

    fake.clear_requests()
    assert run_together(fake, [check(number)], seed=seed) == [0]
    assert only_the_check_run(fake)


# --- rfc remind x N: the reminders of a date --------------------------------------------------------


def merged_undecided(fake: FakeGitHub) -> int:
    number = rfc_pull(fake, labels=["rfc"])
    fake.merge_pull(REPO, number, by="bob", at=datetime(2026, 11, 29, 12, tzinfo=UTC))
    return number


SWEEPS = {
    # situation -> (the sweep's --now, the reminder it posts, the labels it leaves)
    "overdue": (OVERDUE, "rfc-overdue", {"rfc", "rfc:overdue"}),
    "day before": (DAY_BEFORE, "rfc-due-soon", {"rfc"}),
    "merged undecided": (DAY_BEFORE, "rfc-no-decision", {"rfc", "rfc:no-decision"}),
}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    ("when", "runs"),
    [("overdue", 2), ("overdue", 3), ("overdue", 5), ("day before", 3), ("merged undecided", 3)],
)
def test_sweeps_started_together_remind_once(fake: FakeGitHub, seed: int, when: str, runs: int) -> None:
    now, kind, left = SWEEPS[when]
    number = merged_undecided(fake) if when == "merged undecided" else rfc_pull(fake, labels=["rfc"])
    codes = run_together(fake, [remind(now)] * runs, seed=seed)

    assert codes == [0] * runs
    assert len(ours(fake, number)) == 1
    assert len(ours(fake, number, kind)) == 1
    assert labels(fake, number) == left

    fake.clear_requests()
    assert run_together(fake, [remind(now)], seed=seed) == [0]
    assert fake.writes == []


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("runs", [2, 5])
def test_check_and_remind_together_leave_one_of_each(fake: FakeGitHub, seed: int, runs: int) -> None:
    number = rfc_pull(fake, labels=["rfc"])
    argvs = [remind(OVERDUE) if i % 2 else check(number, OVERDUE) for i in range(runs)]

    assert run_together(fake, argvs, seed=seed) == [0] * runs
    assert len(ours(fake, number)) == 1
    assert len(ours(fake, number, "rfc-overdue")) == 1
    assert labels(fake, number) == {"rfc", "rfc:overdue"}

    fake.clear_requests()
    assert run_together(fake, [remind(OVERDUE)], seed=seed) == [0]
    assert fake.writes == []


# --- runs that saw different states: the later state wins -------------------------------------------


def together(fake: FakeGitHub, jobs: list[Callable[[], None]], *, seed: int) -> None:
    """Run each job in its own thread, released at once, with the fake's random delays."""
    fake.delay_randomly(seed, MOST_DELAY)
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def one(job: Callable[[], None]) -> None:
        start.wait()
        try:
            job()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    fake.delay_randomly(seed, 0.0)
    if errors:
        raise errors[0]


def cli(argv: list[str]) -> int:
    result = main.main(args=argv, prog_name="gh-ops", standalone_mode=False)
    return result if isinstance(result, int) else 0


@pytest.mark.parametrize("seed", SEEDS)
def test_a_decision_during_a_sweep_ends_decided(fake: FakeGitHub, seed: int) -> None:
    """The RFC became overdue overnight; the scheduled sweep reads it while its decision maker
    records the decision, whose event runs `rfc check`: the sweep's stale writes (the overdue label,
    an "Overdue" comment) must not outlast the check's, whichever lands last."""
    number = rfc_pull(fake, labels=["rfc"])
    assert cli(remind(DAY_BEFORE)) == 0  # the day before: the RFC comment and a reminder
    assert labels(fake, number) == {"rfc"}
    today = OVERDUE
    codes: list[int] = []
    pause = random.Random(seed).uniform(0, 10 * MOST_DELAY)

    def decide_then_check() -> None:
        time.sleep(pause)
        with fake._lock:  # as GitHub stores a comment: between two requests
            fake.add_comment(REPO, number, body="Decision: ClickHouse it is.", author=DECIDER)
        codes.append(cli(check(number, today)))

    together(fake, [lambda: codes.append(cli(remind(today))), decide_then_check], seed=seed)

    assert codes == [0, 0] or codes == [0, 0][::-1]
    assert labels(fake, number) == {"rfc"}
    (kept,) = ours(fake, number)
    assert "Decided." in kept["body"]
    assert read_memory(kept["body"]) == Memory()
    fake.clear_requests()
    assert cli(remind(today)) == 0
    assert fake.writes == []
    assert cli(check(number, today)) == 0
    assert only_the_check_run(fake)
