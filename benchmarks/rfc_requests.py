"""Count GitHub requests for `gh-ops rfc check` and `gh-ops rfc remind`.

Run: .venv/bin/python benchmarks/rfc_requests.py
Uses the tests' stateful fake GitHub (no network). Prints one line per scenario: reads, writes,
GraphQL points, and the least the API allows for it (LEAST).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import FakeGitHub, fake_checkout  # noqa: E402 (it also puts tests/ on the path)
from rfc_data import AUTHOR, REPO, pull_event, rfc_body  # noqa: E402

from gh_ops.cli import main  # noqa: E402
from gh_ops.rfc import run as rfc_run  # noqa: E402

OPENED = datetime(2026, 11, 24, 10, tzinfo=UTC)
CONFIG = "timezone: Europe/London\nteams: {}\n"


def _invoke(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    if result.exit_code not in (0, 1):
        raise SystemExit(f"gh-ops {' '.join(args)} failed: {result.output}")


def _together(fake: FakeGitHub, number: int) -> None:
    """Two `rfc check --pr N` runs started at the same moment (tests/concurrency.py)."""
    from concurrency import run_together  # tests/ is on the path (harness)

    argv = ["--now", "2026-11-24T11:00:00+00:00", "rfc", "check", "--pr", str(number)]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        codes = run_together(fake, [argv, argv], seed=0)
    if codes != [0, 0]:
        raise SystemExit(f"two overlapping rfc check runs failed: {codes}")


def _check_event(fake: FakeGitHub, action: str, number: int, **fields: Any) -> None:
    pr = fake.pull(REPO, number)
    payload = pull_event(
        action,
        number=number,
        title=pr["title"],
        body=pr["body"] or "",
        labels=tuple(label["name"] for label in pr["labels"]),
        head_sha=pr["head"]["sha"],
        created_at=OPENED,
        **fields,
    )
    Path("event.json").write_text(json.dumps(payload))
    os.environ.update(GITHUB_EVENT_NAME="pull_request", GITHUB_EVENT_PATH=str(Path("event.json").resolve()))
    _invoke("--now", "2026-11-24T11:00:00+00:00", "rfc", "check")


# GraphQL points per scenario, as the fake charged them by GitHub's rule (filled by measure()).
POINTS: dict[str, int] = {}

# The least the API allows for each scenario (reads, writes). A run that posts or changes the RFC
# comment, a reminder or labels reads the pull request once more after its writes: GitHub has no
# unique key for comments, so only a read after the write shows an overlapping run's (gh_ops.converge).
LEAST: dict[str, tuple[int, int]] = {
    "check: not an RFC, files from the checkout": (0, 0),
    "check: not an RFC, no checkout": (1, 0),
    "check: first RFC ever (creates the label)": (2, 2),  # read, label, mutation, read after
    "check: valid RFC, opened": (2, 1),  # read, one mutation, read after
    "check: valid RFC, nothing changed": (1, 1),  # the check run only: nothing to converge
    "check: date moved by an edit": (2, 1),
    "check: two RFC comments left by a race": (1, 2),  # the check run, the DELETE
    "check: merged without a decision": (2, 2),  # + the no-decision label, created once
    "remind: 51 RFCs, first sweep": (4 + 3, 50),  # the pages with what it wrote, read once more
    "remind: 51 RFCs, nothing due": (4, 0),
    "remind: 51 RFCs, day before": (4 + 3, 51),
    # Two runs at once, both together: each reads, writes and reads after; the newer comment is deleted.
    "check: 2 runs together on an opened RFC": (4, 3),
}


def measure() -> dict[str, tuple[int, int]]:
    """(reads, writes) per scenario, measured at the HTTP layer of the fake; points in POINTS."""
    saved_files = rfc_run.changed_files_from_checkout
    figures: dict[str, tuple[int, int]] = {}
    with fake_checkout(CONFIG, REPO, datetime(2026, 11, 24, 10, 30, tzinfo=UTC)) as (fake, _):
        try:
            fake.add_repo(REPO, collaborators=[AUTHOR, "alice", "bob", "carol", "dave"])

            def scenario(name: str, action: Callable[[], None]) -> None:
                fake.clear_requests()
                action()
                figures[name] = (len(fake.reads), len(fake.writes))
                POINTS[name] = fake.points_spent

            plain = fake.add_pull(REPO, title="Fix a typo", body="x", author=AUTHOR, files=["README.md"])
            rfc_run.changed_files_from_checkout = lambda head, cwd=None: ("README.md",)  # type: ignore[assignment]
            scenario(
                "check: not an RFC, files from the checkout", lambda: _check_event(fake, "opened", plain)
            )
            rfc_run.changed_files_from_checkout = lambda head, cwd=None: None  # type: ignore[assignment]
            scenario("check: not an RFC, no checkout", lambda: _check_event(fake, "opened", plain))

            kw = {"title": "RFC: Event store", "body": rfc_body(), "author": AUTHOR, "created_at": OPENED}
            first = fake.add_pull(REPO, **kw)
            scenario("check: first RFC ever (creates the label)", lambda: _check_event(fake, "opened", first))
            second = fake.add_pull(REPO, **kw)
            scenario("check: valid RFC, opened", lambda: _check_event(fake, "opened", second))
            scenario("check: valid RFC, nothing changed", lambda: _check_event(fake, "synchronize", second))
            fake.edit_pull(REPO, second, body=rfc_body(date="2026-11-30"))
            scenario(
                "check: date moved by an edit",
                lambda: _check_event(fake, "edited", second, body_from=rfc_body()),
            )
            # `rfc check` and `rfc remind` racing each posted the RFC comment: the next run deletes one.
            fake.add_comment(
                REPO, second, body="<!-- gh-ops:rfc -->\nposted twice", author="github-actions[bot]"
            )
            scenario(
                "check: two RFC comments left by a race",
                lambda: _check_event(fake, "synchronize", second),
            )
            fake.merge_pull(REPO, second, by="bob")
            scenario(
                "check: merged without a decision",
                lambda: _check_event(fake, "closed", second, merged_by="bob"),
            )

            for i in range(50):
                fake.add_pull(REPO, **{**kw, "title": f"RFC: Decision {i}"})
            for i in range(10):
                fake.add_pull(REPO, title=f"Change {i}", body="x", author=AUTHOR, files=[f"src/{i}.py"])
            # 51 open RFCs, 11 other open pull requests.
            scenario(
                "remind: 51 RFCs, first sweep",
                lambda: _invoke("--now", "2026-11-25T09:00:00Z", "rfc", "remind"),
            )
            scenario(
                "remind: 51 RFCs, nothing due",
                lambda: _invoke("--now", "2026-11-25T10:00:00Z", "rfc", "remind"),
            )
            scenario(
                "remind: 51 RFCs, day before",
                lambda: _invoke("--now", "2026-11-30T09:00:00Z", "rfc", "remind"),
            )
            third = fake.add_pull(REPO, **{**kw, "title": "RFC: Queue"})
            scenario("check: 2 runs together on an opened RFC", lambda: _together(fake, third))
        finally:
            rfc_run.changed_files_from_checkout = saved_files  # type: ignore[assignment]
    return figures


if __name__ == "__main__":
    figures = measure()
    width = max(len(name) for name in figures)
    for name, (reads, writes) in figures.items():
        least = "{} / {}".format(*LEAST[name])
        print(
            f"{name:{width}}  {reads:3} read(s) {writes:3} write(s) {POINTS[name]:4} point(s)"
            f"   least: {least}"
        )
