"""Count GitHub requests for `gh-ops sprint open` over 5 teams: first run, repeated run, next sprint;
then the same in a sprint repository of 50,000 issues, with and without trusted_authors, from the
first run after upgrading from a gh-ops that did not label its sprint issues.

Run: .venv/bin/python benchmarks/sprint_requests.py
Uses the tests' stateful fake GitHub (no network). Prints one line per scenario; at scale, beside
the least the API allows (sprint open makes no GraphQL request: 0 points).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import FakeGitHub, fake_checkout, print_figures  # noqa: E402 (it also puts tests/ on the path)

from gh_ops.cli import main  # noqa: E402

TEAMS = ["web", "infra", "data", "growth", "platform"]
REPO = "acme/widgets"
CONFIG = (
    "timezone: Europe/London\nteams:\n"
    + "".join(f"  {t}:\n    lead: {t}-lead\n    members: [{t}-lead, {t}-dev]\n" for t in TEAMS)
    + "sprint:\n  every: 2w\n  anchor: 2026-01-05\n  open_days_before: 3\n"
)


def _run(now: str) -> str:
    """`sprint open` as of `now`; its output."""
    result = CliRunner().invoke(main, ["--now", now, "sprint", "open"])
    if result.exit_code != 0:
        raise SystemExit(f"sprint open failed: {result.output}")
    return result.output


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


# --- at scale ---------------------------------------------------------------------------------

ISSUES = 50_000
BOT = "github-actions[bot]"
MAINTAINER = "maintainer"  # the trusted author of the trusted_authors scenarios
PEOPLE = [f"dev{n}" for n in range(40)]
SPAN = timedelta(days=730)  # two years of issues, up to the first run: 68 a day


def _author(n: int) -> str:
    """Everyone files issues; the bot opens 1 in 20 (the repository's other workflows), the
    maintainer 1 in 50."""
    return BOT if n % 20 == 0 else MAINTAINER if n % 50 == 1 else PEOPLE[n % len(PEOPLE)]


class Figure(NamedTuple):
    reads: int
    writes: int
    least_reads: int  # the least the API allows: one page of sprint issues, plus what the writes need
    least_writes: int


def _least(opens: int, links: int) -> tuple[int, int]:
    """One listing page; before opening, one check of the token's account; after opening, one read
    of the newest sprint issues, which is how a run learns that another opened the same issue at the
    same moment (gh_ops.converge: GitHub has no unique key for issues); one read of each previous
    issue right before its PATCH (GitHub has no conditional write); one write per issue and per link."""
    return 1 + (2 if opens else 0) + links, opens + links


FIRST_RUN = datetime(2026, 11, 6, 6, tzinfo=UTC)  # the first run after the upgrade (sprint 23)


def scale_config(trusted: bool) -> str:
    """The 5 teams' config, with the maintainer as a trusted author or not."""
    return CONFIG + (f"trusted_authors: [{MAINTAINER}]\n" if trusted else "")


def seed_at_scale(fake: FakeGitHub) -> None:
    """The sprint repository: 50,000 issues over two years up to FIRST_RUN, and the 5 teams'
    sprint 22 issues an older gh-ops opened (no kind label)."""
    fake.add_repo(REPO, collaborators=[f"{t}-lead" for t in TEAMS])
    step = SPAN / ISSUES
    start = FIRST_RUN - SPAN
    fake.add_plain_issues(REPO, ((f"issue {n}", _author(n), start + n * step) for n in range(ISSUES)))
    for team in TEAMS:  # sprint 22 (26 Oct - 8 Nov), opened on 23 Oct by an older gh-ops
        fake.add_issue(
            REPO,
            title=f"{team} sprint 22",
            body=f"<!-- gh-ops:sprint team={team} period=2026-10-26 number=22 -->\n## Sprint 22\n",
            author=BOT,
            labels=["sprint"],
            created_at=datetime(2026, 10, 23, 6, tzinfo=UTC),
        )


def measure_at_scale(trusted: bool) -> dict[str, Figure]:
    """A sprint repository of 50,000 issues, 5 teams whose sprint 22 issues an older gh-ops opened
    (no kind label): the first run after the upgrade (sprint 23), a repeat, the next sprint, a repeat."""
    figures: dict[str, Figure] = {}
    with fake_checkout(scale_config(trusted), REPO, FIRST_RUN) as (fake, _):
        seed_at_scale(fake)
        scenarios = [
            ("first run after the upgrade (5 opens, 5 links)", "2026-11-06T06:00:00Z", _least(5, 5)),
            ("repeated run (next day)", "2026-11-07T06:00:00Z", _least(0, 0)),
            ("next sprint (5 opens, 5 links)", "2026-11-20T06:00:00Z", _least(5, 5)),
            ("repeated run after next sprint", "2026-11-21T06:00:00Z", _least(0, 0)),
        ]
        for name, now, (least_reads, least_writes) in scenarios:
            fake.clock.now = datetime.fromisoformat(now.replace("Z", "+00:00"))
            fake.clear_requests()
            _run(now)
            figures[name] = Figure(len(fake.reads), len(fake.writes), least_reads, least_writes)
    return figures


def print_scale(trusted: bool, figures: dict[str, Figure]) -> None:
    print(
        f"\n{ISSUES:,} issues in the repository, 5 teams, "
        + ("trusted_authors set" if trusted else "bot only")
    )
    width = max(len(name) for name in figures)
    for name, f in figures.items():
        ratio = (f.reads + f.writes) / (f.least_reads + f.least_writes)
        print(
            f"{name:{width}}  {f.reads:3} read(s) {f.writes:3} write(s)  0 points"
            f"  least: {f.least_reads} read(s) {f.least_writes} write(s)  ratio {ratio:.2f}"
        )


if __name__ == "__main__":
    print_figures(measure())
    for trusted in (False, True):
        print_scale(trusted, measure_at_scale(trusted))
