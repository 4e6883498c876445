"""The request budget of `sprint open` over 5 teams, as measured by benchmarks/sprint_requests.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "sprint_requests.py"


def _measure() -> dict[str, tuple[int, int]]:
    spec = importlib.util.spec_from_file_location("sprint_requests", BENCHMARK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.measure()


def test_sprint_open_for_five_teams_stays_within_budget() -> None:
    figures = _measure()
    # A repeated run costs at most 2 requests, all reads.
    for scenario in ("repeated run (same day)", "repeated run (next day)", "repeated run after next sprint"):
        reads, writes = figures[scenario]
        assert reads <= 2 and writes == 0, (scenario, reads, writes)
    # A first run costs one write per issue, plus one per link-and-close of the previous issue;
    # its reads are the listing and one check of which account the token acts as.
    assert figures["first run (5 teams, no previous issue)"] == (2, 5)
    assert figures["next sprint (5 opens + 5 link-and-close)"] == (2, 10)


RFC_BENCHMARK = BENCHMARK.parent / "rfc_requests.py"


def test_rfc_check_and_remind_stay_within_budget() -> None:
    spec = importlib.util.spec_from_file_location("rfc_requests", RFC_BENCHMARK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    figures = module.measure()
    # The budget: a non-RFC pull request costs 0 requests (when the checkout shows its
    # files; one read otherwise), a valid RFC at most 3.
    assert figures["check: not an RFC, files from the checkout"] == (0, 0)
    assert figures["check: not an RFC, no checkout"] == (1, 0)
    for scenario in ("valid RFC, opened", "valid RFC, nothing changed", "date moved by an edit"):
        assert figures[f"check: {scenario}"] == (1, 1), scenario
    assert sum(figures["check: first RFC ever (creates the label)"]) == 3
    # rfc remind over 51 open RFCs (and 11 other pull requests): one read per page of 25, never
    # one per RFC; one write per RFC that needs any.
    assert figures["remind: 51 RFCs, nothing due"] == (4, 0)
    reads, writes = figures["remind: 51 RFCs, day before"]
    assert reads == 4 and writes == 51
