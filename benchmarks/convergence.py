"""What convergence costs (issue 15): for each object gh-ops must create once, one run alone, then N
runs started together (N = 2, 3, 5, over several seeds of random request delays), on the tests' fake
GitHub through the real CLI (tests/concurrency.py).

For each scenario it prints:
- alone: the run's reads and writes. Of its reads, exactly one is the convergence read (the read
  after the write that shows an overlapping run's twin); that one read is also the least the API
  allows, since GitHub has no unique key or conditional create for issues and comments.
- N together: how many objects stand at the end (must be 1 per object), how many twins the
  overlapping runs made (each look-then-write race makes one; no API prevents it), and the repair
  writes that removed them (1 mutation per twin issue; per twin comment its delete, and a merge into
  the oldest when the texts differ), worst seed; and the reads per run (a run that had to correct
  what another run's stale decision left reads once more).

Run: .venv/bin/python benchmarks/convergence.py. tests/test_convergence_budget.py asserts the figures.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

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
    kind: str = "issue"  # "issue": a twin is closed (1 repair write); "comment": merged (0-1), deleted (1)


@dataclass(frozen=True)
class Alone:
    reads: int
    writes: int


@dataclass(frozen=True)
class Together:
    runs: int
    standing: dict[str, int]  # worst seed (most standing per key)
    twins: int  # most objects made beyond one per key (issues closed as duplicates, comments deleted)
    closes: int  # most closeAsDuplicate mutations: one per twin issue
    repairs: int  # most repair writes: those closes, and each twin comment's merge and delete
    reads_per_run: float  # worst seed, total reads / runs


def _closes(fake: FakeGitHub) -> int:
    return sum(
        r.is_graphql and "closeAsDuplicate" in str((r.json or {}).get("query", "")) for r in fake.writes
    )


def _twin_issues(made: dict[str, int]) -> int:
    return sum(max(n - 1, 0) for key, n in made.items() if "comment" not in key and "note" not in key)


def _quietly(fake: FakeGitHub, argvs: Sequence[list[str]], seed: int) -> None:
    """The runs, their output dropped (the figures are what matters here)."""
    from concurrency import run_together  # tests/concurrency.py: on the path once harness is imported

    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        run_together(fake, argvs, seed=seed)


def _repairs(fake: FakeGitHub) -> int:
    comment_fixes = sum(
        "/issues/comments/" in r.path and r.method in ("PATCH", "DELETE") for r in fake.writes
    )
    return _closes(fake) + comment_fixes


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


def _doctor_setup(fake: FakeGitHub, workdir: Path) -> None:
    from gh_ops.config import load_config
    from gh_ops.doctor import used_labels

    (workdir / ".github/workflows").mkdir(parents=True, exist_ok=True)
    from doctor_requests import WORKFLOW  # the doctor benchmark's workflow: every permission granted

    (workdir / ".github/workflows/gh-ops.yml").write_text(WORKFLOW, encoding="utf-8")
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


def _people_setup(fake: FakeGitHub, _workdir: Path) -> None:
    from people_data import PEOPLE, PUBLIC, REQUESTS, STAFF

    fake.add_repo(PEOPLE, private=True, collaborators=STAFF)
    fake.add_repo(PUBLIC, collaborators=STAFF)
    fake.add_repo(REQUESTS, private=True, collaborators=STAFF)
    fake.add_organization(PEOPLE.split("/")[0])


def _checklists(fake: FakeGitHub, *, standing: bool) -> dict[str, int]:
    from people_data import checklists

    found = [i for i in checklists(fake, "onboarding") if not (standing and i["state_reason"] == "duplicate")]
    return {"onboarding checklist": len(found)}


def _deleted_comments(fake: FakeGitHub) -> int:
    return sum(r.method == "DELETE" and "/issues/comments/" in r.path for r in fake.writes)


def _comments_by_marker(fake: FakeGitHub, repo: str, number: int, kind: str, *, made: bool) -> int:
    found = sum(
        (read_marker(c["body"] or "") or ("",))[0] == kind and c["user"]["login"] == BOT
        for c in fake.comments(repo, number)
    )
    return found + (_deleted_comments(fake) if made else 0)


BOT = "github-actions[bot]"
RFC_OPENED = datetime(2026, 11, 24, 10, tzinfo=UTC)
RFC_PULL = 1  # the first pull request of the repository


def _rfc_setup(fake: FakeGitHub, _workdir: Path) -> None:
    from rfc_data import AUTHOR, DECIDER, REPO, rfc_body

    fake.add_repo(REPO, collaborators=[AUTHOR, DECIDER, "bob", "carol", "dave"])
    number = fake.add_pull(
        REPO,
        title="RFC: Move the event store to ClickHouse",
        body=rfc_body(),
        author=AUTHOR,
        created_at=RFC_OPENED,
    )
    assert number == RFC_PULL


def _rfc_comments(fake: FakeGitHub, *, made: bool) -> dict[str, int]:
    from rfc_data import REPO

    return {"RFC comment": _comments_by_marker(fake, REPO, RFC_PULL, "rfc", made=made)}


YOLO_REPO = "acme/shop"
YOLO_MERGED = datetime(2026, 11, 24, 15, tzinfo=UTC)


def _yolo_setup(*, labels: tuple[str, ...]) -> Callable[[FakeGitHub, Path], None]:
    def setup(fake: FakeGitHub, _workdir: Path) -> None:
        fake.add_repo(YOLO_REPO, collaborators=["maya", "bob"])
        fake.add_label(YOLO_REPO, "emergency")
        number = fake.add_pull(
            YOLO_REPO, title="Fix", body="Fix it.", author="maya", created_at=YOLO_MERGED, labels=labels
        )
        fake.merge_pull(YOLO_REPO, number, by="bob", at=YOLO_MERGED + timedelta(hours=1), method="squash")

    return setup


def _yolo_objects(fake: FakeGitHub, *, standing: bool) -> dict[str, int]:
    follow_ups = [
        i
        for i in fake.issues(YOLO_REPO)
        if "pull_request" not in i
        and (read_marker(i["body"] or "") or ("",))[0] == "yolo-follow-up"
        and not (standing and i["state_reason"] == "duplicate")
    ]
    counts = {"yolo comment": _comments_by_marker(fake, YOLO_REPO, 1, "yolo", made=not standing)}
    if follow_ups or not standing:
        counts["follow-up issue"] = len(follow_ups)
    return counts


VECTOR = "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:L"  # 8.9: security P1, and a note


def _priority_setup(fake: FakeGitHub, _workdir: Path) -> None:
    from priority_data import REPO

    fake.add_repo(REPO, collaborators=["alice", "bob"])
    fake.add_issue(REPO, title="Leak", body=f"Leak.\n\n{VECTOR}\n", labels=["bug"])


def _priority_notes(fake: FakeGitHub, *, made: bool, numbers: tuple[int, ...] = (1,)) -> dict[str, int]:
    """gh-ops' priority notes per issue (with `made`, the deleted twins added to the first)."""
    from priority_data import REPO

    counts = {
        f"priority note on #{n}": sum(
            c["user"]["login"] == BOT and c["body"].startswith("<!-- gh-ops:priority")
            for c in fake.comments(REPO, n)
        )
        for n in numbers
    }
    if made:
        counts[f"priority note on #{numbers[0]}"] += _deleted_comments(fake)
    return counts


TRIAGED = (1, 2, 3)  # three bugs, untriaged for days: triage asks on each


def _triage_setup(fake: FakeGitHub, _workdir: Path) -> None:
    from priority_data import REPO

    fake.add_repo(REPO, collaborators=["alice", "bob"])
    for n in TRIAGED:
        fake.add_issue(
            REPO,
            title=f"Bug {n}",
            labels=["bug"],
            author="bob",
            created_at=datetime(2026, 11, 15, tzinfo=UTC),
        )


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
    Scenario(
        "onboarding open, same person",
        "",  # people_data.CONFIG, read when the scenario runs (tests/people is on the path then)
        "acme/widgets",
        datetime(2026, 11, 20, 15, tzinfo=UTC),
        _people_setup,
        [],
        lambda fake: _checklists(fake, standing=True),
        lambda fake: _checklists(fake, standing=False),
    ),
    Scenario(
        "rfc check, same pull request",
        "timezone: Europe/London\nteams: {}\n",
        "acme/handbook",
        RFC_OPENED + timedelta(minutes=5),
        _rfc_setup,
        ["--now", "2026-11-24T10:05:00+00:00", "rfc", "check", "--pr", str(RFC_PULL)],
        lambda fake: _rfc_comments(fake, made=False),
        lambda fake: _rfc_comments(fake, made=True),
        kind="comment",
    ),
    Scenario(
        "yolo check, yolo merge",
        "timezone: UTC\nteams: {}\n",
        YOLO_REPO,
        YOLO_MERGED,
        _yolo_setup(labels=()),
        ["--now", "2026-11-24T18:00:00+00:00", "yolo", "check", "--pr", "1"],
        lambda fake: _yolo_objects(fake, standing=True),
        lambda fake: _yolo_objects(fake, standing=False),
        kind="comment",
    ),
    Scenario(
        "yolo check, emergency merge (follow-up issue)",
        "timezone: UTC\nteams: {}\nyolo:\n  follow_up_issue: true\n",
        YOLO_REPO,
        YOLO_MERGED,
        _yolo_setup(labels=("emergency",)),
        ["--now", "2026-11-24T18:00:00+00:00", "yolo", "check", "--pr", "1"],
        lambda fake: _yolo_objects(fake, standing=True),
        lambda fake: _yolo_objects(fake, standing=False),
        kind="both",
    ),
    Scenario(
        "priority apply, security note",
        "",  # priority_data.CONFIG
        "Codertocat/Hello-World",
        datetime(2026, 11, 20, 15, tzinfo=UTC),
        _priority_setup,
        ["--now", "2026-11-20T15:00:00Z", "priority", "apply", "--issue", "1"],
        lambda fake: _priority_notes(fake, made=False),
        lambda fake: _priority_notes(fake, made=True),
        kind="comment",
    ),
    Scenario(
        "priority triage, 3 bugs to ask",
        "",  # priority_data.CONFIG
        "Codertocat/Hello-World",
        datetime(2026, 11, 20, 15, tzinfo=UTC),
        _triage_setup,
        ["--now", "2026-11-20T15:00:00Z", "priority", "triage"],
        lambda fake: _priority_notes(fake, made=False, numbers=TRIAGED),
        lambda fake: _priority_notes(fake, made=True, numbers=TRIAGED),
        kind="comment",
    ),
]


def _config(scenario: Scenario) -> str:
    if scenario.config:
        return scenario.config
    if scenario.name.startswith("onboarding"):
        from people_data import CONFIG

        return str(CONFIG)
    from priority_data import CONFIG as PRIORITY_CONFIG

    return str(PRIORITY_CONFIG)


def _argv(scenario: Scenario) -> list[str]:
    if scenario.argv:
        return scenario.argv
    from people_data import JOINER_FULL, NOW

    return ["--now", NOW, "onboarding", "open", *JOINER_FULL]


# --- measuring -----------------------------------------------------------------------------------


def measure_alone(scenario: Scenario) -> Alone:
    with fake_checkout(_config(scenario), scenario.repo, scenario.clock) as (fake, workdir):
        scenario.setup(fake, workdir)
        fake.clear_requests()
        _quietly(fake, [_argv(scenario)], 0)
        return Alone(len(fake.reads), len(fake.writes))


def measure_together(scenario: Scenario, runs: int) -> Together:
    standing: dict[str, int] = {}
    twins = closes = repairs = 0
    reads_per_run = 0.0
    for seed in SEEDS:
        with fake_checkout(_config(scenario), scenario.repo, scenario.clock) as (fake, workdir):
            scenario.setup(fake, workdir)
            fake.clear_requests()
            _quietly(fake, [_argv(scenario)] * runs, seed)
            for key, count in scenario.standing(fake).items():
                standing[key] = max(standing.get(key, 0), count)
            made = scenario.made(fake)
            twins = max(twins, sum(n - 1 for n in made.values() if n))
            if _closes(fake) != _twin_issues(made):
                raise AssertionError(
                    f"{scenario.name}: {_closes(fake)} close(s) for {_twin_issues(made)} twin issue(s)"
                )
            closes = max(closes, _closes(fake))
            repairs = max(repairs, _repairs(fake))
            reads_per_run = max(reads_per_run, len(fake.reads) / runs)
    return Together(runs, standing, twins, closes, repairs, reads_per_run)


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
                f"  {t.runs} together: at most {most} standing per object; at most {t.twins} twin(s) made "
                f"({t.closes} closed as duplicates), {t.repairs} repair write(s) in all; "
                f"at most {t.reads_per_run:.1f} read(s) per run"
            )


if __name__ == "__main__":
    main_()
