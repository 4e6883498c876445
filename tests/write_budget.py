"""Shared by the write-budget tests: running a command again and again until it finishes its work,
and a snapshot of what a user sees in a repository, to compare a bounded series of runs with one
unbounded run."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import responses
from click.testing import Result
from fakegithub import FakeGitHub, make_fake

STOPPED = "stopped at the write budget"


def runs_until_done(
    fake: FakeGitHub, invoke: Callable[[], Result], *, max_writes: int, most: int = 60
) -> list[int]:
    """Invoke the command until a run ends without stopping at the budget; each run must exit 0
    and make at most `max_writes` writes. Returns the writes each run made."""
    per_run: list[int] = []
    while True:
        before = len(fake.writes)
        result = invoke()
        assert result.exit_code == 0, result.output
        per_run.append(len(fake.writes) - before)
        assert per_run[-1] <= max_writes, (per_run, result.output)
        if STOPPED not in result.output:
            return per_run
        assert "The next run continues from here" in result.output, result.output
        assert per_run[-1] > 0 or max_writes == 0, f"a run made no progress: {result.output}"
        assert len(per_run) < most, "the runs do not end"


def snapshot(fake: FakeGitHub, *repos: str) -> dict[str, Any]:
    """Everything a write of gh-ops can change that a user sees: issues and pull requests (title,
    body, state, labels, assignees, comments) and the repositories' labels."""
    seen: dict[str, Any] = {}
    for repo in repos:
        issues = []
        for issue in fake.issues(repo):
            issues.append(
                (
                    issue["number"],
                    issue["title"],
                    issue["body"],
                    issue["state"],
                    sorted(label["name"] for label in issue["labels"]),
                    sorted(a["login"] for a in issue["assignees"] or []),
                    [(c["user"]["login"], c["body"]) for c in fake.comments(repo, issue["number"])],
                )
            )
        labels = [(label["name"], label["color"], label["description"]) for label in fake.labels(repo)]
        seen[repo] = {"issues": issues, "labels": labels}
    return seen


def bounded_runs_match_one_run(
    at: datetime,
    setup: Callable[[FakeGitHub], None],
    invoke: Callable[[tuple[str, ...]], Result],
    *,
    max_writes: int,
    repos: tuple[str, ...],
) -> tuple[list[int], int]:
    """On two fakes set up alike: one run with room for every write, then runs with `--max-writes`
    until done. The end states must be equal (no duplicate issue, comment or label). Returns the
    writes of each bounded run and the writes the single run needed."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake = make_fake(rsps, at)
        setup(fake)
        result = invoke(("--max-writes", "100000"))
        assert result.exit_code == 0 and STOPPED not in result.output, result.output
        one_run, needed = snapshot(fake, *repos), len(fake.writes)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake = make_fake(rsps, at)
        setup(fake)
        per_run = runs_until_done(
            fake, lambda: invoke(("--max-writes", str(max_writes))), max_writes=max_writes
        )
        assert snapshot(fake, *repos) == one_run
    return per_run, needed
