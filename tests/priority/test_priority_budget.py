"""Requests and GraphQL points of `priority triage` and `priority labels --org` at scale, as measured
by benchmarks/priority_requests.py (the README quotes these figures)."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path
from typing import Any

import pytest
from fakegithub.cost import points

from gh_ops.gql import with_rate_limit
from gh_ops.priority import queries as q

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "priority_requests.py"


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location("priority_requests", BENCHMARK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.measure_at_scale())


@pytest.mark.parametrize("open_issues", [200, 5000])
@pytest.mark.parametrize("run", ["first run", "repeat"])
def test_triage_reads_one_page_per_100_open_issues_first_run_or_repeat(
    figures: dict[str, Any], open_issues: int, run: str
) -> None:
    """The issue's bound: ceil(open issues / 100) + 1 reads on every run, plus, on a run that asks,
    one read per 100 bugs asked (issue 15: the read after the write that finds an overlapping run's
    question; GitHub has no unique key for comments). Before, a repeat run read the comments of every
    bug already asked: 1,050 reads at 5,000 open issues."""
    cost = figures[f"triage: {open_issues:,} open issues, {run}"]
    pages = math.ceil(open_issues / 100)
    asked = open_issues // 5 if run == "first run" else 0  # one question per old bug
    settle = math.ceil(asked / 100)
    assert cost.reads <= pages + 1 + settle, cost
    assert cost.reads == cost.least_reads == pages + settle  # and here exactly the API's minimum
    # 2 points a page: each issue's labels and first comments are 100 fetches each; 1 a settle read.
    assert cost.points == cost.least_points == 2 * pages + settle
    assert cost.writes == asked


def test_labels_org_confirms_200_repositories_in_two_reads(figures: dict[str, Any]) -> None:
    """ceil(N / 100) + 1 reads at most for N repositories up to date (before: 202, one label
    listing per repository after the repository listing)."""
    cost = figures["labels --org: 200 repositories up to date"]
    assert (cost.reads, cost.writes, cost.points) == (2, 0, 2)
    assert cost.reads <= math.ceil(200 / 100) + 1


def test_the_priority_documents_cost_what_the_readme_says() -> None:
    """Points by GitHub's rule (tests/fakegithub/cost.py), as sent (with the client's rateLimit)."""
    repo = {"owner": "acme", "name": "shop", "after": None}
    assert points(with_rate_limit(q.TRIAGE_ISSUES_QUERY), repo) == 2  # 1 + 100 + 100 fetches
    assert points(with_rate_limit(q.TRIAGE_MORE_COMMENTS_QUERY), {"id": "I_1", "after": "x"}) == 1
    assert points(with_rate_limit(q.ORG_LABELS_QUERY), {"org": "acme", "after": None}) == 1  # 1 + 100
    assert points(with_rate_limit(q.MORE_LABELS_QUERY), repo) == 1
    ids = {"ids": [f"I_{n}" for n in range(100)]}
    assert points(with_rate_limit(q.NOTES_QUERY), ids) == 1  # 1 + 100 fetches: the read after asking
