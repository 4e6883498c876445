"""GraphQL points of `yolo audit`, as benchmarks/yolo_points.py measures them on the fake GitHub
(which charges each query by GitHub's published rule); the README's yolo cost table quotes them."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parent.parent.parent / "benchmarks"


def benchmark(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_page_of_100_commits_costs_at_most_5_points_and_25_in_the_worst_case() -> None:
    figures = benchmark("yolo_points").measure()
    common, worst = figures["common"], figures["worst"]
    pages = common["commits"] // 100
    # 100 squashed pull requests a page, approved on their heads: the history (1 point) and the
    # first read of its pull requests (3), with no second pass: the API's minimum. Before: 204.
    assert common["points"] <= 5 * pages and common["points"] == common["minimum"], common
    assert common["requests"] == pages + 1, common
    # Every pull request needs the second pass (10 co-authored commits and a merge of the base
    # after the approval): 1 point more per 100 commits confirmed, 15 a page.
    assert worst["points"] <= 25 * pages and worst["points"] == worst["minimum"], worst
