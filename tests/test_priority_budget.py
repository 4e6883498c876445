"""The request budget of `priority apply` and `priority labels`, as measured by
benchmarks/priority_requests.py (the README quotes these figures)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "priority_requests.py"


def _measure() -> dict[str, tuple[int, int]]:
    spec = importlib.util.spec_from_file_location("priority_requests", BENCHMARK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.measure()


def test_priority_requests_stay_within_budget() -> None:
    figures = _measure()
    # apply on an event: at most one read (the payload holds the issue), and only the writes needed.
    assert figures["apply: opened, form answer"] == (1, 1)
    assert figures["apply: the same event again"] == (1, 0)
    assert figures["apply: edited answer (replace P1 by P2)"] == (1, 2)  # remove, then add
    assert figures["apply: a person adds P0 (conflict note)"] == (1, 2)  # remove gh-ops' P2, note
    assert figures["apply: CVSS in a public repo (labels + note)"] == (1, 2)  # both labels in one POST
    assert figures["apply: not a bug"] == (0, 0)
    assert figures["apply: a bug with no priority source"] == (0, 0)
    # labels: one read per 100 labels; no write when up to date.
    assert figures["labels: up to date (9 labels)"] == (1, 0)
    assert figures["labels: up to date (259 labels)"] == (3, 0)
    assert figures["labels: first run (new repo)"] == (1, 9)
