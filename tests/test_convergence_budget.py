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


# One run alone, the convergence read included in its reads (the least the API allows: GitHub has no
# unique key for issues or comments, so a run learns of a twin only by reading after its write).
ALONE = {
    # the labelled sprint issues, the bot's recent ones, /user, then the convergence read
    "sprint open, 2 teams": (4, 2),
    # /user, labels, workflows, last scheduled run, the health issues, then the convergence read
    "doctor --issue, a problem": (6, 1),
    # the people repository, the person's checklists, the look for unlabelled ones, /user; then
    # the person's checklists again
    "onboarding open, same person": (5, 1),
    # the pull request in one query, one mutation (check run, comment, label), the read back
    "rfc check, same pull request": (2, 2),
    # the pull request; the label created; label and comment in one mutation; the read back
    "yolo check, yolo merge": (2, 2),
    # the pull request; the follow-up issue, then the comment; the read back
    "yolo check, emergency merge (follow-up issue)": (2, 2),
    # the issue, its timeline, the repository; labels and the note; the notes read back
    "priority apply, security note": (4, 2),
    # the page of open issues, a question on each of the 3 bugs, their newest comments read back
    "priority triage, 3 bugs to ask": (2, 3),
}


def test_one_run_alone_pays_one_read_for_convergence(figures: dict) -> None:
    assert {name: (alone.reads, alone.writes) for name, (alone, _) in figures.items()} == ALONE


def test_runs_together_leave_one_of_each_and_repair_each_twin(figures: dict) -> None:
    for name, (alone, together) in figures.items():
        for t in together:
            assert set(t.standing.values()) == {1}, (name, t)
            # Each twin issue is closed by one mutation (the benchmark checks it seed by seed); a
            # twin comment costs its delete, and a merge into the oldest when the texts differ.
            assert t.closes <= t.twins and t.repairs <= 2 * t.twins, (name, t)
            # A run reads at most once more than alone: to correct what a stale run left.
            assert t.reads_per_run <= alone.reads + 1, (name, t)
