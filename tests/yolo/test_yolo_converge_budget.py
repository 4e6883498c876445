"""What convergence costs `yolo check` and `priority apply`/`triage` (issue 15), as measured by
benchmarks/converge_yolo_priority.py (the README quotes these figures): one read after a run's
creating writes, and one repair per object a run that lost the race created."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "converge_yolo_priority.py"


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location("converge_yolo_priority", BENCHMARK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.measure())


SCENARIOS = (
    "yolo check, yolo merge",
    "yolo check, emergency merge",
    "priority apply, security note",
    "priority triage, 3 bugs to ask",
)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_one_run_reads_once_more_after_creating_and_is_at_the_minimum(
    figures: dict[str, Any], scenario: str
) -> None:
    cost = figures[f"{scenario}, 1 run(s)"]
    assert (cost.reads, cost.writes) == (cost.least_reads, cost.most_writes), cost


@pytest.mark.parametrize("runs", [2, 3])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_overlapping_runs_cost_at_most_one_read_more_each_and_one_repair_per_duplicate(
    figures: dict[str, Any], scenario: str, runs: int
) -> None:
    one, cost = figures[f"{scenario}, 1 run(s)"], figures[f"{scenario}, {runs} run(s)"]
    assert cost.reads <= cost.least_reads == runs * one.reads, cost
    assert one.writes <= cost.writes <= cost.most_writes, cost


def test_the_read_after_creating_costs_what_the_readme_says() -> None:
    """2 points, as the pull request's own read: GitHub's rule (tests/fakegithub/cost.py)."""
    from fakegithub.cost import points

    from gh_ops.gql import with_rate_limit
    from gh_ops.yolo import queries as q

    variables = {"owner": "acme", "name": "shop", "number": 1, "label": "yolo-merge"}
    assert points(with_rate_limit(q.YOLO_SETTLE_QUERY + q.YOLO_PULL_FRAGMENT), variables) == 2
