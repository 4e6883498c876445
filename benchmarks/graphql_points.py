"""GitHub's GraphQL rate-limit cost of gh-ops' documents (tests/fakegithub/cost.py computes it the
way GitHub documents it).

Run: .venv/bin/python benchmarks/graphql_points.py
Prints the points of each yolo document at the sizes gh-ops sends.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "tests"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from fakegithub.cost import points, requests_needed  # noqa: E402, F401 (requests_needed: for callers)


def yolo_points() -> dict[str, int]:
    """Points of the yolo documents at the sizes gh-ops sends them."""
    from gh_ops.yolo import queries as q
    from gh_ops.yolo.run import HISTORY_PAGE

    repo = {"owner": "acme", "name": "shop"}
    hundred_ids = [f"PR_{i}" for i in range(HISTORY_PAGE)]
    push = q.YOLO_PUSH_QUERY + q.YOLO_COMMIT_FRAGMENT
    second = q.YOLO_AUDIT_PULL_FRAGMENT + q.YOLO_COMMIT_PARENTS_FRAGMENT + q.YOLO_COMMIT_AUTHORS_FRAGMENT
    history = q.YOLO_HISTORY_QUERY + q.YOLO_COMMIT_FRAGMENT + second
    pulls = q.YOLO_PULLS_QUERY + second
    page = {**repo, "since": "2026-01-01T00:00:00Z", "after": None, "pageSize": HISTORY_PAGE}
    none: dict[str, list[str]] = {"pulls": [], "parents": [], "authors": []}
    return {
        "check: a merged pull request": points(
            q.YOLO_PULL_QUERY + q.YOLO_PULL_FRAGMENT, {**repo, "number": 1, "label": "yolo-merge"}
        ),
        "check: a push, 1 page of up to 100 commits": points(
            push, {**repo, "after": "0" * 40, "count": HISTORY_PAGE, "cursor": None}
        ),
        "audit: first page (100 commits)": points(history, {**page, **none}),
        "audit: a later page, with the first read of 100 pull requests": points(
            history, {**page, **none, "pulls": hundred_ids}
        ),
        "audit: a later page, 100 pull requests and 100 commits' parents and co-authors each": points(
            history, {**page, "pulls": hundred_ids, "parents": hundred_ids, "authors": hundred_ids}
        ),
        "audit: the last first reads, 100 pull requests": points(pulls, {**none, "pulls": hundred_ids}),
    }


if __name__ == "__main__":
    figures = yolo_points()
    width = max(len(name) for name in figures)
    for name, cost in figures.items():
        print(f"{name:{width}}  {cost:4} point(s)")
