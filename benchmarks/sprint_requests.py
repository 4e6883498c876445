"""Count GitHub requests for `gh-ops sprint open` over 5 teams: first run, repeated run, next sprint.

Run: .venv/bin/python benchmarks/sprint_requests.py
Uses the tests' stateful fake GitHub (no network). Prints one line per scenario.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import fake_checkout, print_figures  # noqa: E402 (it also puts tests/ on the path)

from gh_ops.cli import main  # noqa: E402

TEAMS = ["web", "infra", "data", "growth", "platform"]
REPO = "acme/widgets"
CONFIG = (
    "timezone: Europe/London\nteams:\n"
    + "".join(f"  {t}:\n    lead: {t}-lead\n    members: [{t}-lead, {t}-dev]\n" for t in TEAMS)
    + "sprint:\n  every: 2w\n  anchor: 2026-01-05\n  open_days_before: 3\n"
)


def _run(now: str) -> int:
    result = CliRunner().invoke(main, ["--now", now, "sprint", "open"])
    if result.exit_code != 0:
        raise SystemExit(f"sprint open failed: {result.output}")
    return result.exit_code


def measure() -> dict[str, tuple[int, int]]:
    """(reads, writes) per scenario, measured at the HTTP layer of the fake."""
    figures: dict[str, tuple[int, int]] = {}
    with fake_checkout(CONFIG, REPO, datetime(2026, 11, 6, 6, tzinfo=UTC)) as (fake, _):
        fake.add_repo(REPO, collaborators=[f"{t}-lead" for t in TEAMS])
        for n in range(300):  # a repository with history: other issues by people and the bot
            fake.add_issue(
                REPO,
                title=f"issue {n}",
                author="github-actions[bot]" if n % 3 else "someone",
                created_at=datetime(2025, 6, 1, tzinfo=UTC),
            )
        scenarios = [
            ("first run (5 teams, no previous issue)", "2026-11-06T06:00:00Z"),
            ("repeated run (same day)", "2026-11-06T07:00:00Z"),
            ("repeated run (next day)", "2026-11-07T06:00:00Z"),
            ("next sprint (5 opens + 5 link-and-close)", "2026-11-20T06:00:00Z"),
            ("repeated run after next sprint", "2026-11-21T06:00:00Z"),
        ]
        for name, now in scenarios:
            fake.clock.now = datetime.fromisoformat(now.replace("Z", "+00:00"))
            fake.clear_requests()
            _run(now)
            figures[name] = (len(fake.reads), len(fake.writes))
    return figures


if __name__ == "__main__":
    print_figures(measure())
