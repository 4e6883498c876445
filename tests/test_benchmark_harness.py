"""benchmarks/harness.py's own_cost measures gh-ops alone by replaying the fake GitHub's recorded
answers: the replayed run must be exactly the recorded one (same requests, same output), without the
fake answering (its state stays as the recorded run left it), and a run that strays is refused
rather than measured. No timing here: only that what is timed is the run that was recorded."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from gh_ops.cli import main

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _benchmark(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sprint = _benchmark("sprint_requests")  # puts benchmarks/ and tests/ on the path
yolo = _benchmark("yolo_points")
harness = importlib.import_module("harness")  # the one the benchmarks use

NOW = "2026-11-06T06:00:00Z"


def _command(*args: str) -> Callable[[], tuple[int, str]]:
    def run() -> tuple[int, str]:
        result = CliRunner().invoke(main, list(args))
        return result.exit_code, result.output

    return run


def _sent(fake: Any, start: int = 0) -> list[tuple[str, str, Any]]:
    return [(r.method, r.url, r.json) for r in fake.requests[start:]]


def test_a_replayed_run_makes_the_recorded_requests_and_prints_the_recorded_output() -> None:
    # sprint open's first run over 5 teams writes: 5 opens and their labels, so the fake's state
    # changes, and answering again from state would give another run (the issues exist now).
    with harness.fake_checkout(sprint.CONFIG, sprint.REPO, datetime(2026, 11, 6, 6, tzinfo=UTC)) as (fake, _):
        fake.add_repo(sprint.REPO, collaborators=[f"{t}-lead" for t in sprint.TEAMS])
        run = _command("--now", NOW, "sprint", "open")
        recording = harness.record(fake, run)
        recorded = _sent(fake)
        issues = len(fake.issues(sprint.REPO))
        assert recording.result[0] == 0 and issues == 5, recording.result
        assert len(recorded) == len(recording.answers) and any(m == "POST" for m, _, _ in recorded)

        start = len(fake.requests)
        result = harness.replay(fake, recording, run)

        assert result == recording.result  # the same exit code and output
        assert _sent(fake, start) == recorded  # the same requests, bodies and order
        assert len(fake.issues(sprint.REPO)) == issues  # answered from the recording, not the fake
        # Answered from state, the same command is a repeat: it opens nothing.
        assert run() != recording.result


def test_own_cost_reports_the_recorded_runs_requests_and_points() -> None:
    with harness.fake_checkout(yolo.CONFIG, yolo.REPO, yolo.START) as (fake, _):
        fake.add_repo(yolo.REPO, collaborators=["maya", "alice", "bob"])
        yolo.seed(fake, 150)
        fake.clear_requests()
        yolo.audit()
        requests, points = len(fake.requests), fake.points_spent
        fake.clear_requests()
        results: list[object] = []

        def run() -> tuple[int, str]:
            results.append(answer := yolo.audit())
            return answer

        cost = harness.own_cost(fake, run)

        assert (cost.requests, cost.points) == (requests, points) and points > 0
        assert len(results) == 3 and results[0] == results[1] == results[2]  # recorded, timed, traced
        assert _sent(fake)[:requests] == _sent(fake)[requests : 2 * requests] == _sent(fake)[2 * requests :]
        assert cost.cpu_s >= 0 and cost.peak_mb > 0


@pytest.mark.parametrize(
    ("other", "problem"),
    [
        (("--now", "2026-11-06T06:00:00Z", "sprint", "open", "--team", "web"), "request"),
        (("--now", "2026-11-06T06:00:00Z", "--dry-run", "sprint", "open"), "request"),
    ],
)
def test_a_replay_that_strays_from_the_recording_is_refused(other: tuple[str, ...], problem: str) -> None:
    with harness.fake_checkout(sprint.CONFIG, sprint.REPO, datetime(2026, 11, 6, 6, tzinfo=UTC)) as (fake, _):
        fake.add_repo(sprint.REPO, collaborators=[f"{t}-lead" for t in sprint.TEAMS])
        recording = harness.record(fake, _command("--now", NOW, "sprint", "open"))
        with pytest.raises(harness.ReplayMismatch, match=problem):
            harness.replay(fake, recording, _command(*other))
