"""Count GitHub requests for `gh-ops doctor`, with and without `--issue`.

Run: .venv/bin/python benchmarks/doctor_requests.py
Uses the tests' stateful fake GitHub (no network). Prints one line per scenario: reads and writes,
and beside them the least the API allows for what the scenario checks (tests/test_doctor_budget.py
holds these figures; the README quotes them).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import FakeGitHub, fake_checkout  # noqa: E402 (it also puts tests/ on the path)

from gh_ops.cli import main  # noqa: E402
from gh_ops.doctor import used_labels  # noqa: E402

REPO = "acme/widgets"
NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)
# Every capability enabled; people's checklists in this (private) repository.
CONFIG = (
    "timezone: UTC\ntrusted_authors: [ops-bot]\nteams:\n  web:\n    lead: alice\n"
    "sprint:\n  every: 2w\n  anchor: 2026-01-05\npeople: {}\nrfc: {}\npriority: {}\nyolo: {}\n"
)
WORKFLOW = """name: gh-ops
on:
  schedule:
    - cron: "17 6 * * *"
jobs:
  gh-ops:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      issues: write
      pull-requests: write
      checks: write
    steps:
      - run: gh-ops run
"""


@dataclass(frozen=True)
class Figure:
    reads: int
    writes: int
    least_reads: int  # what the checks need from the API at the least
    least_writes: int
    why: str  # how the least is counted


def _setup(fake: FakeGitHub, workdir: Path) -> dict[str, object]:
    from gh_ops.config import load_config

    (workdir / ".github/workflows").mkdir(parents=True)
    (workdir / ".github/workflows/gh-ops.yml").write_text(WORKFLOW, encoding="utf-8")
    fake.add_repo(REPO, private=True)
    for name in used_labels(load_config(None)):
        fake.add_label(REPO, name)
    return fake.add_workflow(REPO, scheduled_runs=[NOW - timedelta(hours=3)])


def _run(fake: FakeGitHub, *args: str) -> tuple[int, int]:
    fake.requests.clear()
    result = CliRunner().invoke(main, ["--now", NOW.isoformat(), "doctor", *args])
    if result.exit_code not in (0, 1):
        raise SystemExit(f"gh-ops doctor {' '.join(args)} failed: {result.output}")
    writes = sum(r.method != "GET" for r in fake.requests)
    return len(fake.requests) - writes, writes


# One read each, none of which another answers: the token's account (and a classic token's scopes,
# in the same answer's header), the labels (one page up to 100), the workflows, the last scheduled
# run, the repository (whether it is private, and the account's role on it).
HEALTHY_LEAST = 5


def measure() -> dict[str, Figure]:
    figures: dict[str, Figure] = {}
    with fake_checkout(CONFIG, REPO, NOW) as (fake, workdir):
        fake.actor = "ops-bot"
        workflow = _setup(fake, workdir)
        figures["healthy setup"] = Figure(
            *_run(fake), HEALTHY_LEAST, 0, "user, labels, workflows, last scheduled run, repository"
        )
        figures["healthy setup, --issue (no issue open)"] = Figure(
            *_run(fake, "--issue"), HEALTHY_LEAST + 1, 0, "and the open issues with the health label"
        )
        workflow["state"] = "disabled_inactivity"
        figures["disabled workflow, --issue (opens the issue)"] = Figure(
            *_run(fake, "--issue"),
            HEALTHY_LEAST + 2,
            1,
            "one write: the issue; then the health issues again, for a twin an overlapping run opened",
        )
        figures["disabled workflow, --issue again (up to date)"] = Figure(
            *_run(fake, "--issue"), HEALTHY_LEAST + 1, 0, "unchanged checklist: no write"
        )
        workflow["state"] = "active"
        figures["healthy again, --issue (closes it)"] = Figure(
            *_run(fake, "--issue"),
            HEALTHY_LEAST + 2,
            2,
            "a comment, then the close; between them the comments since, for an overlapping run's twin",
        )
    return figures


def main_() -> None:
    figures = measure()
    width = max(len(name) for name in figures)
    for name, f in figures.items():
        print(
            f"{name:{width}}  {f.reads:2} read(s) {f.writes} write(s)  "
            f"(least: {f.least_reads} read(s) {f.least_writes} write(s): {f.why})"
        )


if __name__ == "__main__":
    main_()
