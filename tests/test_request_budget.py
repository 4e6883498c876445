"""Request budgets, as measured by the scripts in benchmarks/ (the README quotes these figures)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


_LOADED: dict[str, Any] = {}


def _module(name: str) -> Any:
    """benchmarks/<name>.py, loaded once."""
    if name not in _LOADED:
        spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _LOADED[name] = module
    return _LOADED[name]


def measure(name: str) -> dict[str, tuple[int, int]]:
    """(reads, writes) per scenario from benchmarks/<name>.py."""
    return _module(name).measure()  # type: ignore[no-any-return]


def test_sprint_open_for_five_teams_stays_within_budget() -> None:
    figures = measure("sprint_requests")
    # A repeated run costs at most 2 requests, all reads.
    for scenario in ("repeated run (same day)", "repeated run (next day)", "repeated run after next sprint"):
        reads, writes = figures[scenario]
        assert reads <= 2 and writes == 0, (scenario, reads, writes)
    # A first run costs one write per issue, plus one per link-and-close of the previous issue;
    # its reads are the listing and one check of which account the token acts as, plus one read of
    # each previous issue right before its link: a PATCH replaces the whole body and GitHub has no
    # conditional write, so the body as it is then is the minimum needed not to lose an edit.
    # The listing is two: the issues with the sprint kind label (all a repeated run reads, however
    # busy the repository), then, as the new sprint's issues are not among them, the bot's recent
    # issues, so that one opened without the label (by an older gh-ops) is never opened again.
    # After the opens, one more page of the newest sprint issues shows whether an overlapping run
    # opened the same ones (gh_ops.converge): one read per run, not per issue.
    assert figures["first run (5 teams, no previous issue)"] == (4, 5)
    assert figures["next sprint (5 opens + 5 link-and-close)"] == (9, 10)


def test_rfc_check_and_remind_stay_within_budget() -> None:
    figures = measure("rfc_requests")
    # The budget: a non-RFC pull request costs 0 requests (when the checkout shows its
    # files; one read otherwise), a valid RFC at most 3. A run that changed the comment or labels
    # reads the pull request once more afterwards: an overlapping run's writes show there
    # (gh_ops.converge; GitHub has no unique key for comments), so 2 reads and 1 write.
    assert figures["check: not an RFC, files from the checkout"] == (0, 0)
    assert figures["check: not an RFC, no checkout"] == (1, 0)
    for scenario in ("valid RFC, opened", "date moved by an edit"):
        assert figures[f"check: {scenario}"] == (2, 1), scenario
    assert figures["check: valid RFC, nothing changed"] == (1, 1)  # the check run alone: no read after
    assert sum(figures["check: first RFC ever (creates the label)"]) == 4  # + the label, once ever
    # Only after two runs raced, each posting the RFC comment: one DELETE per extra comment.
    assert figures["check: two RFC comments left by a race"] == (1, 2)
    # rfc remind over 51 open RFCs (and 11 other pull requests): one read per page of 25, never
    # one per RFC; one write per RFC that needs any; after writing, the 3 pages they are on once more.
    assert figures["remind: 51 RFCs, nothing due"] == (4, 0)
    reads, writes = figures["remind: 51 RFCs, day before"]
    assert reads == 4 + 3 and writes == 51
    # GraphQL points: a check reads 1 point and writes one mutation (1), GitHub's least for a read
    # and a write; the sweep 1 point per page of 25 pull requests with their comments and reviews.
    points = _module("rfc_requests").POINTS
    assert points["check: valid RFC, opened"] == 3
    assert points["check: not an RFC, no checkout"] == 1
    assert points["remind: 51 RFCs, nothing due"] == 4
    assert points["remind: 51 RFCs, day before"] == 4 + 3 + 51


def test_priority_requests_stay_within_budget() -> None:
    figures = measure("priority_requests")
    # apply on an event: at most one read (the payload holds the issue), and only the writes needed.
    assert figures["apply: opened, form answer"] == (1, 1)
    assert figures["apply: the same event again"] == (1, 0)
    assert figures["apply: edited answer (replace P1 by P2)"] == (1, 2)  # remove, then add
    # A note posted is read back once (issue 15): an overlapping run's same note would be there.
    assert figures["apply: a person adds P0 (conflict note)"] == (2, 2)  # remove gh-ops' P2, note
    assert figures["apply: CVSS in a public repo (labels + note)"] == (2, 2)  # both labels in one POST
    assert figures["apply: not a bug"] == (0, 0)
    assert figures["apply: a bug with no priority source"] == (0, 0)
    # labels: one read per 100 labels; no write when up to date.
    assert figures["labels: up to date (9 labels)"] == (1, 0)
    assert figures["labels: up to date (259 labels)"] == (3, 0)
    assert figures["labels: first run (new repo)"] == (1, 9)


def test_the_audit_of_1000_merged_pull_requests_stays_within_25_requests() -> None:
    figures = measure("yolo_requests")
    reads, writes = figures["audit: 1000 merged pull requests"]
    # 16 pages of 100 commits, and one request for the details of the last page's pull requests.
    assert reads <= 25 and writes == 0, (reads, writes)
    # yolo check on a merged-pull-request event: one read, and only the writes it needs.
    assert figures["check: reviewed merge"] == (1, 0)
    # and, after posting its comment, the one read that finds an overlapping run's (issue 15).
    assert figures["check: yolo merge"] == (2, 1)
    assert figures["check: yolo merge, re-run"] == (1, 0)


def test_yolo_reads_stay_within_their_graphql_points() -> None:
    """GitHub charges GraphQL by points (benchmarks/graphql_points.py), not requests."""
    spec = importlib.util.spec_from_file_location("yolo_requests", BENCHMARKS / "yolo_requests.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    figures = module.measure_points()
    # Each pull request is read once, without its commits' parents and matched co-authors (3 points
    # per 100), and none needs them here: about 3 points per page of 100 commits (2,046 points when
    # every pull request's commits were read with those, 3,264 when they were read with every page).
    requests, cost = figures["audit: 1000 merged pull requests"]
    assert requests == 17 and cost <= 4 * 16, figures
    # A push is read whole, 1 point per 100 commits: its pull requests' details are not needed.
    assert figures["check: a push of 20 commits"] == (1, 1)
    assert figures["check: a push of 150 commits"] == (2, 2)


def test_the_points_calculator_gives_githubs_documented_example() -> None:
    """GitHub's "Calculating a rate limit score" example: 1 + 100 + 5,000 requests, 51 points."""
    spec = importlib.util.spec_from_file_location("graphql_points", BENCHMARKS / "graphql_points.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    example = """query {
      viewer {
        login
        repositories(first: 100) {
          edges { node { id issues(first: 50) { edges { node { id labels(first: 60) {
            edges { node { id name } } } } } } } }
        }
      }
    }"""
    assert module.requests_needed(example, {}) == 5101
    assert module.points(example, {}) == 51
    assert module.points("query { viewer { login } }", {}) == 1
