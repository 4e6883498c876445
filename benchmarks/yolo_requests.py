"""Count GitHub requests for `gh-ops yolo audit` and `gh-ops yolo check`.

Run: .venv/bin/python benchmarks/yolo_requests.py
Uses the tests' stateful fake GitHub (no network). Prints one line per scenario: reads, writes.

The audit's repository has 1,000 merged pull requests in the period, merged the three ways
GitHub offers (700 squashed: one commit each; 200 with a merge commit: two commits and the merge;
100 rebased: two commits each), half of them reviewed, and 20 direct pushes: 1,520 commits on the
default branch, read 100 per request. A per-pull-request REST loop would need at least two
requests per pull request (the pull request and its reviews): 2,000 or more.

GraphQL points (GitHub's rate-limit cost, benchmarks/graphql_points.py) are the other budget: the
audit reads each page of commits with only the ids of their pull requests (1 point) and each pull
request's details once (about 2 points), about 2,050 points for these 1,000 pull requests; reading
the details with every commit, as it did before, cost 204 points a page: 3,264. A push of 150
commits is read in 2 requests of 1 point each (before: 100 of them, for 204 points).

A check that posts the comment or opens a follow-up issue reads the pull request once more after
writing (issue 15): GitHub has no unique key for comments or issues, so only a read after the write
finds an overlapping run's; the API's minimum for such a run is 2 reads.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import FakeGitHub, fake_checkout, load_payload, print_figures  # noqa: E402 (also puts tests/ on the path)

from gh_ops.cli import main  # noqa: E402

REPO = "acme/shop"
START = datetime(2026, 9, 1, tzinfo=UTC)
CONFIG = "timezone: UTC\nteams: {}\n"
PULLS = 1000
LATENCY = 0.25  # seconds per answer: GitHub's GraphQL answers for 100 commits take about this long


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    if result.exit_code not in (0, 1):
        raise SystemExit(f"gh-ops {' '.join(args)} failed: {result.output}")
    return result.output


def seed(fake: FakeGitHub, pulls: int = PULLS, direct: int = 20) -> None:
    """`pulls` merged pull requests (7 in 10 squashed, 2 with a merge commit, 1 rebased; every
    other one approved) and `direct` direct pushes, a few hours apart from START on."""
    fake.push_commit(REPO, author="maya", at=START - timedelta(days=1))  # before the period
    for i in range(pulls):
        at = START + timedelta(hours=2 * i)
        number = fake.add_pull(REPO, title=f"Change {i}", body="x", author="maya", created_at=at)
        method = "squash" if i % 10 < 7 else ("merge" if i % 10 < 9 else "rebase")
        if method != "squash":
            fake.add_pull_commit(REPO, number, message="Second step", at=at + timedelta(minutes=5))
        if i % 2 == 0:
            fake.add_review(
                REPO, number, author="alice", state="APPROVED", submitted_at=at + timedelta(minutes=30)
            )
        fake.merge_pull(REPO, number, by="maya", at=at + timedelta(hours=1), method=method)
        if i % (pulls // direct) == 0 and i // (pulls // direct) < direct:
            fake.push_commit(REPO, author="bob", message="Quick fix", at=at + timedelta(hours=1, minutes=30))


def timed_audit(latency: float = LATENCY, pulls: int = PULLS) -> tuple[int, float]:
    """Requests and wall-clock seconds of the audit against a fake that answers in `latency` s."""
    import time

    with fake_checkout(CONFIG, REPO, START) as (fake, _):
        fake.add_repo(REPO, collaborators=["maya", "alice", "bob"])
        seed(fake, pulls)
        fake.clear_requests()
        fake.latency = latency
        started = time.perf_counter()
        _invoke("--now", "2026-12-31T00:00:00Z", "yolo", "audit", "--since", "2026-09-01", "--format", "json")
        return len(fake.requests), time.perf_counter() - started


def graphql_points(fake: FakeGitHub) -> int:
    """The points of the GraphQL reads the fake recorded since its requests were last cleared."""
    from graphql_points import points

    return sum(
        points(r.json["query"], r.json.get("variables") or {})
        for r in fake.reads
        if r.path == "/graphql" and isinstance(r.json, dict)
    )


def push_event(fake: FakeGitHub, commits: int) -> None:
    """`commits` direct pushes to the default branch, and the push event that lists them."""
    before = fake.history(REPO)[-1]
    shas = [fake.push_commit(REPO, author="bob", message=f"Step {i}") for i in range(commits)]
    payload = load_payload("push")
    template = payload["head_commit"]
    payload.update(ref="refs/heads/main", before=before, after=shas[-1], forced=False, created=False)
    payload["commits"] = [{**template, "id": sha} for sha in shas]
    payload["repository"]["default_branch"] = "main"
    Path("event.json").write_text(json.dumps(payload))
    os.environ.update(GITHUB_EVENT_NAME="push", GITHUB_EVENT_PATH=str(Path("event.json").resolve()))


def measure_points(pulls: int = PULLS) -> dict[str, tuple[int, int]]:
    """(GraphQL requests, points) per scenario."""
    figures: dict[str, tuple[int, int]] = {}
    with fake_checkout(CONFIG, REPO, START) as (fake, _):
        fake.add_repo(REPO, collaborators=["maya", "alice", "bob"])
        seed(fake, pulls)
        now = "2026-12-31T00:00:00Z"
        fake.clear_requests()
        _invoke("--now", now, "yolo", "audit", "--since", "2026-09-01", "--format", "json")
        figures[f"audit: {pulls} merged pull requests"] = (len(fake.reads), graphql_points(fake))
        for commits in (20, 150):
            push_event(fake, commits)
            fake.clear_requests()
            _invoke("--now", now, "yolo", "check")
            figures[f"check: a push of {commits} commits"] = (len(fake.reads), graphql_points(fake))
    return figures


def measure(pulls: int = PULLS) -> dict[str, tuple[int, int]]:
    """(reads, writes) per scenario, measured at the HTTP layer of the fake."""
    figures: dict[str, tuple[int, int]] = {}
    with fake_checkout(CONFIG, REPO, START) as (fake, _):
        fake.add_repo(REPO, collaborators=["maya", "alice", "bob"])
        fake.add_label(REPO, "yolo-merge")
        seed(fake, pulls)
        now = "2026-12-31T00:00:00Z"

        def scenario(name: str, action: Callable[[], None]) -> None:
            fake.clear_requests()
            action()
            figures[name] = (len(fake.reads), len(fake.writes))

        scenario(
            f"audit: {pulls} merged pull requests",
            lambda: _invoke("--now", now, "yolo", "audit", "--since", "2026-09-01", "--format", "json"),
        )

        def merged_event(number: int) -> None:
            payload = load_payload("pull_request.closed")
            payload["pull_request"]["number"] = number
            payload["pull_request"]["merged"] = True
            payload["pull_request"]["base"]["ref"] = "main"
            payload["repository"]["default_branch"] = "main"
            Path("event.json").write_text(json.dumps(payload))
            os.environ.update(
                GITHUB_EVENT_NAME="pull_request", GITHUB_EVENT_PATH=str(Path("event.json").resolve())
            )
            _invoke("--now", now, "yolo", "check")

        scenario("check: reviewed merge", lambda: merged_event(1))
        scenario("check: yolo merge", lambda: merged_event(2))
        scenario("check: yolo merge, re-run", lambda: merged_event(2))
    return figures


if __name__ == "__main__":
    print_figures(measure())
    for name, (requests, cost) in measure_points().items():
        print(f"{name}: {requests} GraphQL request(s), {cost} point(s)")
    requests, seconds = timed_audit()
    rest = 2 * PULLS  # a REST loop: at least the pull request and its reviews, for each
    print(
        f"audit with {LATENCY * 1000:.0f} ms per answer: {requests} requests in {seconds:.1f} s; "
        f"a REST loop of {rest}+ requests would wait {rest * LATENCY:.0f}+ s"
    )
