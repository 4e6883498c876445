"""Count GitHub requests for `gh-ops rfc check` and `gh-ops rfc remind`.

Run: .venv/bin/python benchmarks/rfc_requests.py
Uses the tests' stateful fake GitHub (no network). Prints one line per scenario: reads, writes.
"""

from __future__ import annotations

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
        finally:
            rfc_run.changed_files_from_checkout = saved_files  # type: ignore[assignment]
    return figures


if __name__ == "__main__":
    figures = measure()
    width = max(len(name) for name in figures)
    for name, (reads, writes) in figures.items():
        print(f"{name:{width}}  {reads:3} read(s) {writes:3} write(s) {POINTS[name]:4} point(s)")
