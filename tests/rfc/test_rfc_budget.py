"""What converging costs `rfc check` and `rfc remind` (issue 15), as benchmarks/rfc_requests.py
measures it: every scenario at the least the API allows, which includes one read after writing."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "rfc_requests.py"


def test_every_scenario_costs_the_least_the_api_allows() -> None:
    spec = importlib.util.spec_from_file_location("rfc_requests_budget", BENCHMARK)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    figures = bench.measure()
    assert set(figures) == set(bench.LEAST)
    overlap = "check: 2 runs together on an opened RFC"
    for name, least in bench.LEAST.items():
        if name != overlap:
            assert figures[name] == least, name
    # Two runs at once: one read after each run's writes, and one DELETE of the newer comment; no
    # more (when one run happened to read after the other's comment, fewer).
    reads, writes = figures[overlap]
    assert reads <= 4 and writes <= 3 and reads + writes >= 5
