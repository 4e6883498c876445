"""What convergence costs (issue 15): for each object gh-ops must create once, one run alone, then N
runs started together (N = 2, 3, 5, over several seeds of random request delays), on the tests' fake
GitHub through the real CLI (tests/concurrency.py).

For each scenario it prints:
- alone: the run's reads and writes. Of its reads, exactly one is the convergence read (the read
  after the write that shows an overlapping run's twin); that one read is also the least the API
  allows, since GitHub has no unique key or conditional create for issues and comments.
- N together: how many objects stand at the end (must be 1 per object), how many twins the
  overlapping runs made (each look-then-write race makes one; no API prevents it), and the repair
  writes that removed them (1 mutation per twin issue; 1-2 writes per twin comment), worst seed.

Run: .venv/bin/python benchmarks/convergence.py. tests/test_convergence_budget.py asserts the figures.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from concurrency import run_together  # tests/concurrency.py (on the path through harness)
from harness import FakeGitHub, fake_checkout

from gh_ops.config import embedded_example_text
from gh_ops.markup import read_marker

RUNS = (2, 3, 5)
SEEDS = range(6)


@dataclass(frozen=True)
class Scenario:
    name: str
    config: str
    repo: str
    clock: datetime
    setup: Callable[[FakeGitHub, Path], None]
    argv: list[str]
    # The objects that must exist once: their count standing (not closed as a duplicate, not
    # deleted) and their count made (standing or not), per key.
    standing: Callable[[FakeGitHub], dict[str, int]]
    made: Callable[[FakeGitHub], dict[str, int]]


@dataclass(frozen=True)
class Alone:
    reads: int
    writes: int


@dataclass(frozen=True)
class Together:
    runs: int
    standing: dict[str, int]  # worst seed (most standing per key)
    twins: int  # most objects made beyond one per key
    repairs: int  # most repair writes (closeAsDuplicate mutations, comment merges and deletes)
    reads_per_run: float  # worst seed, total reads / runs


def _quietly(fake: FakeGitHub, argvs: Sequence[list[str]], seed: int) -> None:
    """The runs, their output dropped (the figures are what matters here)."""
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        run_together(fake, argvs, seed=seed)


def _repairs(fake: FakeGitHub) -> int:
    count = 0
    for request in fake.writes:
        if (
            request.is_graphql
            and "closeAsDuplicate" in str((request.json or {}).get("query", ""))
            or "/issues/comments/" in request.path
            and request.method in ("PATCH", "DELETE")
        ):
            count += 1
    return count


# --- the scenarios -------------------------------------------------------------------------------

SPRINT_REPO = "acme/widgets"


def _sprint_setup(fake: FakeGitHub, _workdir: Path) -> None:
    fake.add_repo(SPRINT_REPO, collaborators=["alice", "bob", "carol", "dave", "erin"])


def _sprint_issues(fake: FakeGitHub, *, standing: bool) -> dict[str, int]:
    counts: dict[str, int] = {}
    for issue in fake.issues(SPRINT_REPO):
        mark = read_marker(issue["body"] or "")
        if mark and mark[0] == "sprint" and not (standing and issue["state_reason"] == "duplicate"):
            key = f"sprint issue, team {mark[1]['team']}"
            counts[key] = counts.get(key, 0) + 1
    return counts


DOCTOR_NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)
DOCTOR_CONFIG = "timezone: UTC\ntrusted_authors: [ops-bot]\nteams: {}\n"
DOCTOR_WORKFLOW = """name: gh-ops
on:
  schedule:
    - cron: "0 7 * * *"
jobs:
  gh-ops:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      issues: write
      pull-requests: write
      checks: write
    steps:
      - run: gh-ops run
"""


def _doctor_setup(fake: FakeGitHub, workdir: Path) -> None:
    from gh_ops.config import load_config
    from gh_ops.doctor import used_labels

    (workdir / ".github/workflows").mkdir(parents=True, exist_ok=True)
    (workdir / ".github/workflows/gh-ops.yml").write_text(DOCTOR_WORKFLOW, encoding="utf-8")
    fake.actor = "ops-bot"
    fake.add_repo(SPRINT_REPO)
    for name in used_labels(load_config(None)):
        fake.add_label(SPRINT_REPO, name)
    fake.add_workflow(SPRINT_REPO, state="disabled_manually", scheduled_runs=[DOCTOR_NOW - timedelta(days=3)])


def _health_issues(fake: FakeGitHub, *, standing: bool) -> dict[str, int]:
    found = [
        i
        for i in fake.issues(SPRINT_REPO)
        if (read_marker(i["body"] or "") or ("",))[0] == "health"
        and not (standing and i["state_reason"] == "duplicate")
    ]
    return {"health issue": len(found)}


SCENARIOS = [
    Scenario(
        "sprint open, 2 teams",
        embedded_example_text(),
        SPRINT_REPO,
        datetime(2026, 11, 20, 15, tzinfo=UTC),
        _sprint_setup,
        ["--now", "2026-11-20T15:00:00Z", "sprint", "open"],
        lambda fake: _sprint_issues(fake, standing=True),
        lambda fake: _sprint_issues(fake, standing=False),
    ),
    Scenario(
        "doctor --issue, a problem",
        DOCTOR_CONFIG,
        SPRINT_REPO,
        DOCTOR_NOW,
        _doctor_setup,
        ["--now", DOCTOR_NOW.isoformat(), "doctor", "--issue"],
        lambda fake: _health_issues(fake, standing=True),
        lambda fake: _health_issues(fake, standing=False),
    ),
]


# --- measuring -----------------------------------------------------------------------------------


def measure_alone(scenario: Scenario) -> Alone:
    with fake_checkout(scenario.config, scenario.repo, scenario.clock) as (fake, workdir):
        scenario.setup(fake, workdir)
        fake.clear_requests()
        _quietly(fake, [scenario.argv], 0)
        return Alone(len(fake.reads), len(fake.writes))


def measure_together(scenario: Scenario, runs: int) -> Together:
    standing: dict[str, int] = {}
    twins = repairs = 0
    reads_per_run = 0.0
    for seed in SEEDS:
        with fake_checkout(scenario.config, scenario.repo, scenario.clock) as (fake, workdir):
            scenario.setup(fake, workdir)
            fake.clear_requests()
            _quietly(fake, [scenario.argv] * runs, seed)
            for key, count in scenario.standing(fake).items():
                standing[key] = max(standing.get(key, 0), count)
            twins = max(twins, sum(n - 1 for n in scenario.made(fake).values()))
            repairs = max(repairs, _repairs(fake))
            reads_per_run = max(reads_per_run, len(fake.reads) / runs)
    return Together(runs, standing, twins, repairs, reads_per_run)


def measure() -> dict[str, tuple[Alone, list[Together]]]:
    return {s.name: (measure_alone(s), [measure_together(s, n) for n in RUNS]) for s in SCENARIOS}


def main_() -> None:
    for name, (alone, together) in measure().items():
        print(f"{name}")
        print(
            f"  alone: {alone.reads} read(s), {alone.writes} write(s); 1 of the reads is the convergence "
            "read (least the API allows: 1, as GitHub has no unique key for issues or comments)"
        )
        for t in together:
            most = max(t.standing.values())
            print(
                f"  {t.runs} together: at most {most} standing per object; at most {t.twins} twin(s) made, "
                f"removed by {t.repairs} repair write(s); at most {t.reads_per_run:.1f} read(s) per run"
            )


if __name__ == "__main__":
    main_()
