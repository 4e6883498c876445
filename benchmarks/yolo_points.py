"""GraphQL points of `gh-ops yolo audit` at scale, beside the API's minimum, and gh-ops' own CPU time
and peak memory at the largest size.

Run: .venv/bin/python benchmarks/yolo_points.py
Uses the tests' fake GitHub, which charges each query by GitHub's published rule
(tests/fakegithub/cost.py). tests/yolo/test_yolo_budget.py asserts these figures.

- common case: every change a squashed pull request (100 pull requests per page of 100 commits, the
  most a page can bring), approved on its head commit: one first read per pull request suffices.
- worst case: every pull request needs the second pass: 10 co-authored commits (their matched
  co-authors are read) and an approval before a merge of the base branch (its parents are read).

The API's minimum for a page of 100 commits: 1 point for the history with each commit's pull
request, then for 100 pull requests 1 point each for their reviews, labels (the emergency label)
and commits (authors, freshness): 4 points. In the worst case add what must be confirmed: 1 point
per 100 commits whose parents or matched co-authors decide a verdict.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import FakeGitHub, fake_checkout  # noqa: E402 (also puts tests/ on the path)
from harness import own_cost as harness_own_cost  # noqa: E402

from gh_ops.cli import main  # noqa: E402

REPO = "acme/shop"
START = datetime(2026, 1, 1, tzinfo=UTC)
NOW = "2026-12-31T00:00:00Z"
CONFIG = "timezone: UTC\nteams: {}\n"
CO_AUTHORED = 10  # worst case: co-authored commits per pull request
MERGE_BASE = "Merge branch 'main' into feature"


def seed(fake: FakeGitHub, commits: int, *, worst: bool = False) -> None:
    """`commits` squashed pull requests on the default branch, a few minutes apart."""
    fake.emails["bob@work.example"] = "bob"
    for i in range(commits):
        at = START + timedelta(minutes=10 * i)
        number = fake.add_pull(REPO, title=f"Change {i}", body="x", author="maya", created_at=at)
        if worst:
            for k in range(CO_AUTHORED):
                fake.add_pull_commit(
                    REPO, number, message=f"Step {k}\n\nCo-authored-by: Robert <bob@work.example>", at=at
                )
        fake.add_review(
            REPO, number, author="alice", state="APPROVED", submitted_at=at + timedelta(minutes=1)
        )
        if worst:
            fake.add_pull_commit(REPO, number, message=MERGE_BASE, parents=2, at=at + timedelta(minutes=2))
        fake.merge_pull(REPO, number, by="maya", at=at + timedelta(minutes=3), method="squash")


def audit(*args: str) -> tuple[int, str]:
    """The audit of the period; its exit code and report."""
    result = CliRunner().invoke(
        main, ["--now", NOW, "yolo", "audit", "--since", "2026-01-01", "--format", "json", *args]
    )
    if result.exit_code not in (0, 1):
        raise SystemExit(f"gh-ops yolo audit failed: {result.output}")
    return result.exit_code, result.output


def audit_cost(commits: int, *, worst: bool = False) -> tuple[int, int]:
    """(requests, points) of the audit of `commits` commits."""
    with fake_checkout(CONFIG, REPO, START) as (fake, _):
        fake.add_repo(REPO, collaborators=["maya", "alice", "bob"])
        seed(fake, commits, worst=worst)
        fake.clear_requests()
        audit()
        return len(fake.reads), fake.points_spent


def minimum(commits: int, *, worst: bool = False) -> int:
    """The API's minimum (module docstring): 4 points per page of 100 commits and 100 pull requests,
    plus 1 per 100 commits to confirm."""
    pages = -(-commits // 100)
    confirm = commits * (CO_AUTHORED + 1) if worst else 0
    return 4 * pages + -(-confirm // 100)


def measure(commits: int = 500) -> dict[str, dict[str, int]]:
    """The figures tests/yolo/test_yolo_budget.py asserts, in both cases."""
    figures = {}
    for worst in (False, True):
        requests, points = audit_cost(commits, worst=worst)
        figures["worst" if worst else "common"] = {
            "commits": commits,
            "requests": requests,
            "points": points,
            "minimum": minimum(commits, worst=worst),
        }
    return figures


def org_cost(repos: int = 200, active: int = 5, pulls: int = 10) -> tuple[int, int, int]:
    """(requests, points, the API's minimum) of `--org` over `repos` repositories of which
    `active` had `pulls` squashed pull requests in the period (the others only older commits). The
    minimum: 1 point per 100 repositories to find the active ones, then for each its history page
    (1 point) and its pull requests' first read (1 point for up to 33)."""
    with fake_checkout(CONFIG, REPO, START) as (fake, _):
        for i in range(repos):
            name = f"acme/repo-{i:03}"
            fake.add_repo(name, collaborators=["maya", "alice"])
            fake.push_commit(name, author="maya", at=START - timedelta(days=30))
        for i in range(active):
            name = f"acme/repo-{i * (repos // active):03}"
            for k in range(pulls):
                at = START + timedelta(hours=k)
                number = fake.add_pull(name, title="Change", body="x", author="maya", created_at=at)
                fake.add_review(name, number, author="alice", state="APPROVED", submitted_at=at)
                fake.merge_pull(name, number, by="maya", at=at + timedelta(minutes=5), method="squash")
        fake.clear_requests()
        audit("--org", "acme")
        return len(fake.reads), fake.points_spent, -(-repos // 100) + 2 * active


def own_cost(commits: int) -> tuple[float, float, int, int]:
    """gh-ops' own CPU seconds and peak memory (MB) for the audit of `commits` commits (common
    case), with its requests and points: the fake's answers are recorded in a first run and
    replayed in the measured ones (harness.own_cost), so that only gh-ops and the HTTP layer
    (requests, responses) run in them."""
    with fake_checkout(CONFIG, REPO, START) as (fake, _):
        fake.add_repo(REPO, collaborators=["maya", "alice", "bob"])
        seed(fake, commits)
        cost = harness_own_cost(fake, audit)
        return cost.cpu_s, cost.peak_mb, cost.requests, cost.points


def _row(name: str, commits: int, requests: int, points: int, least: int) -> str:
    return f"| {name} | {commits:,} commits | {requests} | {points} | {least} | {points / least:.2f} |"


if __name__ == "__main__":
    print("| operation | size | requests | GraphQL points | API minimum | ratio |")
    print("|---|---|---|---|---|---|")
    for worst in (False, True):
        for commits in (1000, 10_000):
            requests, points = audit_cost(commits, worst=worst)
            name = "`yolo audit`, " + (
                "worst case (every pull request needs the second pass)" if worst else "common case"
            )
            print(_row(name, commits, requests, points, minimum(commits, worst=worst)))
    requests, points, least = org_cost()
    print(
        f"| `yolo audit --org`, 5 of them active (10 pull requests each) | 200 repositories | {requests} | "
        f"{points} | {least} | {points / least:.2f} |"
    )
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    cpu, peak, requests, points = own_cost(size)
    print(
        f"gh-ops' own cost for the audit of {size:,} commits: {cpu:.1f} s CPU, "
        f"{peak:.0f} MB peak (tracemalloc)"
    )
