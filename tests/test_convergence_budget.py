"""What convergence costs, as benchmarks/convergence.py measures it (the README quotes it): one read
per run that created something, and when runs overlapped, one repair write per twin issue; and
whatever N runs started together do, one object of each kind stands (issue 15)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "convergence.py"


@pytest.fixture(scope="module")
def figures() -> dict:
    sys.path.insert(0, str(BENCHMARK.parent))
    try:
        spec = importlib.util.spec_from_file_location("convergence_benchmark", BENCHMARK)
        assert spec and spec.loader
        module: ModuleType = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up there
        spec.loader.exec_module(module)
        return module.measure()
    finally:
        sys.path.remove(str(BENCHMARK.parent))


# Reads of one run alone, the convergence read included (the least the API allows: GitHub has no
# unique key for issues, so a run learns of a twin only by reading after its write).
ALONE = {
    # the labelled sprint issues, the bot's recent ones, /user, then the convergence read
    "sprint open, 2 teams": (4, 2),
    # /user, labels, workflows, last scheduled run, the health issues, then the convergence read
    "doctor --issue, a problem": (6, 1),
}


def test_one_run_alone_pays_one_read_for_convergence(figures: dict) -> None:
    assert {name: (alone.reads, alone.writes) for name, (alone, _) in figures.items()} == ALONE


def test_runs_together_leave_one_of_each_and_repair_each_twin_with_one_write(figures: dict) -> None:
    for name, (alone, together) in figures.items():
        for t in together:
            assert set(t.standing.values()) == {1}, (name, t)
            assert t.repairs == t.twins, (name, t)  # issues: one closeAsDuplicate mutation per twin
            assert t.reads_per_run <= alone.reads, (name, t)  # overlapping costs no run an extra read
