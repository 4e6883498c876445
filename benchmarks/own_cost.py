"""gh-ops' own CPU time and peak memory at the largest sizes the request benchmarks use, without the
fake GitHub's: each command is run once against the fake, which records its answers, then replayed
twice with those answers (harness.own_cost): once timed (time.process_time), once under tracemalloc
(peak Python memory). The measured runs make exactly the recorded requests and print exactly the
recorded output, or the benchmark stops.

Run: .venv/bin/python benchmarks/own_cost.py [COMMITS ...]
The `yolo audit` sizes are 1,000, 10,000 and 20,000 commits by default (about 5 minutes in all, nearly
all of it the fake's: seeding the pull requests, and answering the recorded run through graphql-core).
50,000 commits (`own_cost.py 50000`) takes about 15 minutes on a loaded 2-CPU machine, for figures of
the same size per commit.

The scenarios are those of the other benchmarks, seeded by their own functions:
- sprint_requests.py: `sprint open`, repeated run (the next day) in a sprint repository of 50,000
  issues, trusted_authors set;
- people_requests.py: `onboarding open`, first run, in a people repository of 10,000 checklists;
- priority_requests.py: `priority triage`, repeat, over 5,000 open issues, and `priority labels
  --org` over 200 repositories already up to date;
- yolo_points.py: `yolo audit` of 1,000, 10,000 and 20,000 commits (the common case), to show the
  cost per commit stays the same.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
import people_requests  # noqa: E402 (puts tests/ on the path, as all these do)
import priority_requests  # noqa: E402
import sprint_requests  # noqa: E402
import yolo_points  # noqa: E402
from harness import OwnCost, fake_checkout, own_cost  # noqa: E402

from gh_ops.cli import main  # noqa: E402

COMMITS = (1_000, 10_000, 20_000)


class Row(NamedTuple):
    operation: str
    size: int
    unit: str  # what the size counts, singular
    cost: OwnCost


def _command(*args: str) -> Callable[[], tuple[int, str]]:
    """A run of `gh-ops ARGS`: its exit code and output (what the replays must reproduce)."""

    def run() -> tuple[int, str]:
        result = CliRunner().invoke(main, list(args))
        if result.exit_code != 0:
            raise SystemExit(f"gh-ops {' '.join(args)} failed ({result.exit_code}): {result.output}")
        return result.exit_code, result.output

    return run


def sprint_repeat() -> Row:
    """`sprint open` the day after the first run after the upgrade, 50,000 issues, trusted_authors."""
    s = sprint_requests
    with fake_checkout(s.scale_config(trusted=True), s.REPO, s.FIRST_RUN) as (fake, _):
        s.seed_at_scale(fake)
        _command("--now", "2026-11-06T06:00:00Z", "sprint", "open")()  # the first run: 5 opens, 5 links
        fake.clock.now = datetime(2026, 11, 7, 6, tzinfo=UTC)
        cost = own_cost(fake, _command("--now", "2026-11-07T06:00:00Z", "sprint", "open"))
    return Row("`sprint open`, repeated run (trusted_authors set)", s.ISSUES, "issue", cost)


def onboarding_first(checklists: int = 10_000) -> Row:
    """`onboarding open` for a new joiner, first run, among `checklists` checklists of 9.6 KB."""
    p = people_requests
    with fake_checkout(p.CONFIG, p.CHECKOUT, p.CLOCK) as (fake, _):
        p.seed(fake, checklists)
        cost = own_cost(fake, _command("--now", p.NOW, "onboarding", "open", *p.JOINER_FULL))
    return Row("`onboarding open`, first run", checklists, "checklist", cost)


def triage_repeat(open_issues: int = 5_000) -> Row:
    """`priority triage`, repeat (the first run asked on every old bug without a priority)."""
    p = priority_requests
    triage = _command("--now", p.NOW, "priority", "triage", "--max-writes", "1000")
    with fake_checkout(p.CONFIG, p.REPO, p.CLOCK) as (fake, _):
        p.seed_triage(fake, open_issues)
        triage()  # the first run
        cost = own_cost(fake, triage)
    return Row("`priority triage`, repeat", open_issues, "open issue", cost)


def labels_org(repositories: int = 200) -> Row:
    """`priority labels --org` over `repositories` repositories already up to date."""
    p = priority_requests
    with fake_checkout(p.CONFIG, p.REPO, p.CLOCK) as (fake, _):
        p.seed_labels_org(fake, repositories)
        cost = own_cost(fake, _command("--now", p.NOW, "priority", "labels", "--org", "big-org"))
    return Row("`priority labels --org`, up to date", repositories, "repository", cost)


def audit(commits: int) -> Row:
    """`yolo audit` of `commits` squashed, approved pull requests (yolo_points' common case)."""
    cpu, peak, requests, points = yolo_points.own_cost(commits)
    return Row("`yolo audit`, common case", commits, "commit", OwnCost(cpu, peak, requests, points))


def table(rows: list[Row]) -> str:
    lines = [
        "| operation | size | CPU s | peak MB | per unit (CPU, peak memory) | requests |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        c = row.cost
        per_cpu_us = 1e6 * c.cpu_s / row.size
        per_peak_kb = 1000 * c.peak_mb / row.size
        unit = row.unit[:-1] + "ies" if row.unit.endswith("y") else row.unit + "s"
        lines.append(
            f"| {row.operation} | {row.size:,} {unit} | {c.cpu_s:.2f} | {c.peak_mb:.1f} | "
            f"{per_cpu_us:.3g} µs, {per_peak_kb:.3g} KB per {row.unit} | {c.requests} |"
        )
    return "\n".join(lines)


def measure(commits: tuple[int, ...] = COMMITS) -> list[Row]:
    rows = []
    for scenario in [sprint_repeat, onboarding_first, triage_repeat, labels_org] + [
        functools.partial(audit, n) for n in commits
    ]:
        rows.append(scenario())
        print(f"measured: {rows[-1].operation}, {rows[-1].size:,}", file=sys.stderr, flush=True)
    return rows


if __name__ == "__main__":
    sizes = tuple(int(arg) for arg in sys.argv[1:]) or COMMITS
    print(table(measure(sizes)))
