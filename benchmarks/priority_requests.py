"""Count GitHub requests for `gh-ops priority apply` (per event) and `priority labels` (per repository),
and requests and GraphQL points for `priority triage` and `priority labels --org` at scale.

Run: .venv/bin/python benchmarks/priority_requests.py
Uses the tests' stateful fake GitHub and the real issues payloads (no network). One line per scenario.

At scale (`measure_at_scale`): `triage` over 200 and 5,000 open issues (a fifth of them old bugs
without a priority, asked on the first run; three in five with a priority; the rest newer bugs and
other issues), first run (with --max-writes 1000, so that it is one run) and repeat; `labels --org`
over 200 repositories already up to date. Each
line gives the API's minimum beside the figure: a read can hold at most 100 issues or repositories,
so ceil(N / 100) reads; a page of 100 issues with their labels and comments costs 2 points (1 + 100 +
100 fetches, GitHub's rule: benchmarks/graphql_points.py), a page of 100 repositories with their
labels 1. A run that asks on old bugs reads their newest comments once more after asking, 100 bugs
a read (1 point): a comment has no key GitHub checks, so only a read after the write tells whether an
overlapping run asked too (issue 15); the minimum counts it.
"""

from __future__ import annotations

import math
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import FakeGitHub, fake_checkout, print_figures  # noqa: E402 (it also puts tests/ on the path)
from priority_data import CONFIG, FORM, NOW, REPO, send_event  # noqa: E402

from gh_ops.cli import main  # noqa: E402
from gh_ops.priority.settings import DEFAULT_PRIORITY_LABELS  # noqa: E402

VECTOR = "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:L"  # 8.9: security-P1


def _run(*args: str) -> str:
    """`priority ARGS` as of NOW; its output."""
    result = CliRunner().invoke(main, ["--now", NOW, "priority", *args])
    if result.exit_code != 0:
        raise SystemExit(f"priority {' '.join(args)} failed: {result.output}")
    return result.output


def measure() -> dict[str, tuple[int, int]]:
    """(reads, writes) per scenario, measured at the HTTP layer of the fake."""
    figures: dict[str, tuple[int, int]] = {}
    with fake_checkout(CONFIG, REPO, datetime(2026, 11, 20, 15, tzinfo=UTC)) as (fake, tmp):
        fake.add_repo(REPO)
        for n in range(250):  # a repository with many labels of its own
            fake.add_label(REPO, f"area/{n:03}")

        def scenario(name: str, *args: str) -> None:
            fake.clear_requests()
            _run(*args)
            figures[name] = (len(fake.reads), len(fake.writes))

        def event(action: str, **kwargs: object) -> int:
            return send_event(fake, tmp, action, setenv=os.environ.__setitem__, **kwargs)  # type: ignore[arg-type]

        scenario("labels: first run (259 labels)", "labels")
        scenario("labels: up to date (259 labels)", "labels")
        fake.add_repo("acme/small")
        scenario("labels: first run (new repo)", "labels", "--repo", "acme/small")
        scenario("labels: up to date (9 labels)", "labels", "--repo", "acme/small")

        number = event("opened", body=FORM.format(answer="P1"))
        scenario("apply: opened, form answer", "apply")
        scenario("apply: the same event again", "apply")
        event("edited", number=number, body=FORM.format(answer="P2"))
        scenario("apply: edited answer (replace P1 by P2)", "apply")
        event("labeled", number=number, label="P0", sender="alice")
        scenario("apply: a person adds P0 (conflict note)", "apply")
        event("opened", title="XSS", body=f"Vector: {VECTOR}")
        scenario("apply: CVSS in a public repo (labels + note)", "apply")
        event("opened", title="Add dark mode", labels=("enhancement",))
        scenario("apply: not a bug", "apply")
        event("opened", title="Typo", body=FORM.format(answer="_No response_"))
        scenario("apply: a bug with no priority source", "apply")
    return figures


class Cost(NamedTuple):  # not a dataclass: tests load this file without registering it as a module
    """What one run cost, and the least the API allows for it."""

    reads: int
    writes: int
    points: int
    least_reads: int
    least_points: int

    def line(self) -> str:
        ratio = self.reads / self.least_reads
        return (
            f"{self.reads:5} read(s) {self.writes:5} write(s) {self.points:4} point(s); API minimum "
            f"{self.least_reads} read(s), {self.least_points} point(s); ratio {ratio:.2f}"
        )


CLOCK = datetime(2026, 11, 20, 15, tzinfo=UTC)  # NOW


def seed_triage(fake: FakeGitHub, open_issues: int) -> None:
    """REPO with `open_issues` open issues: a fifth of them old bugs without a priority, three in
    five with one, the rest newer bugs and other issues."""
    fake.add_repo(REPO)
    old, new = CLOCK - timedelta(days=10), CLOCK - timedelta(hours=3)
    for n in range(open_issues):
        kind = n % 10
        if kind < 2:  # an old bug without a priority: asked on the first run
            fake.add_issue(REPO, title=f"Bug {n}", labels=["bug"], created_at=old)
        elif kind < 8:
            fake.add_issue(REPO, title=f"Bug {n}", labels=["bug", f"P{n % 4}"], created_at=old)
        elif kind == 8:
            fake.add_issue(REPO, title=f"Bug {n}", labels=["bug"], created_at=new)
        else:
            fake.add_issue(REPO, title=f"Idea {n}", labels=["enhancement"], created_at=old)


def seed_labels_org(fake: FakeGitHub, repos: int) -> None:
    """The organization big-org with `repos` repositories whose priority labels are up to date."""
    for n in range(repos):
        name = f"big-org/repo-{n:03}"
        fake.add_repo(name)
        for label in DEFAULT_PRIORITY_LABELS:  # up to date already
            fake.add_label(name, label.name, color=label.color, description=label.description)
        fake.add_label(name, "wontfix")


def _triage_at(open_issues: int, figures: dict[str, Cost]) -> None:
    with fake_checkout(CONFIG, REPO, CLOCK) as (fake, _tmp):
        seed_triage(fake, open_issues)
        pages = max(1, math.ceil(open_issues / 100))
        for run in ("first run", "repeat"):
            fake.clear_requests()
            # A budget the first run at 5,000 issues (1,000 questions) fits in: with the default
            # 400 it takes three runs, each reading only up to where it stopped.
            _run("triage", "--max-writes", "1000")
            settle = math.ceil(len(fake.writes) / 100)  # the read after asking, 100 bugs a read
            figures[f"triage: {open_issues:,} open issues, {run}"] = Cost(
                len(fake.reads), len(fake.writes), fake.points_spent, pages + settle, 2 * pages + settle
            )


def _labels_org_at(repos: int, figures: dict[str, Cost]) -> None:
    with fake_checkout(CONFIG, REPO, CLOCK) as (fake, _tmp):
        seed_labels_org(fake, repos)
        fake.clear_requests()
        _run("labels", "--org", "big-org")
        pages = math.ceil(repos / 100)
        figures[f"labels --org: {repos} repositories up to date"] = Cost(
            len(fake.reads), len(fake.writes), fake.points_spent, pages, pages
        )


def measure_at_scale(
    open_issues: tuple[int, ...] = (200, 5000), repositories: tuple[int, ...] = (200,)
) -> dict[str, Cost]:
    """Requests and points of `triage` and `labels --org` at these sizes."""
    figures: dict[str, Cost] = {}
    for size in open_issues:
        _triage_at(size, figures)
    for size in repositories:
        _labels_org_at(size, figures)
    return figures


if __name__ == "__main__":
    print_figures(measure())
    scale = measure_at_scale()
    width = max(len(name) for name in scale)
    for name, cost in scale.items():
        print(f"{name:{width}}  {cost.line()}")
