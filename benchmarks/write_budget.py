"""`gh-ops priority labels --org` first run over 200 repositories with the default write budget (400):
how many runs it takes, the writes of each, and the total against the minimum (exactly the writes
needed: 9 labels x 200 repositories, none repeated).

Run: .venv/bin/python benchmarks/write_budget.py
Uses the tests' stateful fake GitHub (no network).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import fake_checkout  # noqa: E402 (it also puts tests/ on the path)

from gh_ops.cli import main  # noqa: E402

REPOSITORIES = 200
LABELS = 9  # the managed set `priority labels` creates in an empty repository
CONFIG = "timezone: UTC\n"


def measure() -> dict[str, object]:
    """Runs until one ends without stopping at the budget; writes and reads of each run."""
    with fake_checkout(CONFIG, "big-org/r000", datetime(2026, 11, 20, 15, tzinfo=UTC)) as (fake, _):
        for n in range(REPOSITORIES):
            fake.add_repo(f"big-org/r{n:03}")
        writes: list[int] = []
        reads: list[int] = []
        while True:
            fake.clear_requests()
            result = CliRunner().invoke(main, ["priority", "labels", "--org", "big-org"])
            if result.exit_code != 0:
                raise SystemExit(f"priority labels failed: {result.output}")
            writes.append(len(fake.writes))
            reads.append(len(fake.reads))
            if "stopped at the write budget" not in result.output:
                break
        complete = all(len(fake.labels(f"big-org/r{n:03}")) == LABELS for n in range(REPOSITORIES))
    return {"runs": len(writes), "writes": writes, "reads": reads, "complete": complete}


if __name__ == "__main__":
    figures = measure()
    total, minimum = sum(figures["writes"]), REPOSITORIES * LABELS  # type: ignore[call-overload]
    print(f"priority labels --org, first run, {REPOSITORIES} repositories, default --max-writes 400")
    print(f"  runs needed:    {figures['runs']}")
    print(f"  writes per run: {figures['writes']}")
    print(f"  reads per run:  {figures['reads']}")
    print(f"  total writes:   {total} (API minimum {minimum}: ratio {total / minimum:.2f})")
    print(f"  end state complete: {figures['complete']}")
