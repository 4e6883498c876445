"""Count GitHub requests for `gh-ops priority apply` (per event) and `priority labels` (per repository).

Run: .venv/bin/python benchmarks/priority_requests.py
Uses the tests' stateful fake GitHub and the real issues payloads (no network). One line per scenario.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import fake_checkout, print_figures  # noqa: E402 (it also puts tests/ on the path)
from priority_data import CONFIG, FORM, NOW, REPO, send_event  # noqa: E402

from gh_ops.cli import main  # noqa: E402

VECTOR = "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:L"  # 8.9: security-P1


def _run(*args: str) -> None:
    result = CliRunner().invoke(main, ["--now", NOW, "priority", *args])
    if result.exit_code != 0:
        raise SystemExit(f"priority {' '.join(args)} failed: {result.output}")


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


if __name__ == "__main__":
    print_figures(measure())
