"""Helpers for tests of .github/gh-ops.yml: the issue's example, editing it, finding a line, and
running gh-ops on a config at a fixed time."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gh_ops.cli import main

# The example configuration from the issue (and the README), as written there.
ISSUE_EXAMPLE = """\
timezone: Europe/London
bot: github-actions[bot]        # the account whose markers are trusted
teams:
  web:
    name: Team Web
    lead: alice
    members: [alice, bob, carol]
    labels: [team/web]
    timezone: America/New_York  # optional, overrides the top-level one
  infra:
    name: Team Infra
    lead: dave
    members: [dave, erin]
sprint:
  every: 2w                     # cadence: 1w, 2w, 3w ...
  anchor: 2026-01-05            # first day of sprint 1
  open_days_before: 3           # the issue is up this many days before the sprint starts
  template: sprint.md
  labels: [sprint]
  close_previous: true
"""

CONFIG_NAME = "gh-ops.yml"


def edit(text: str, old: str, new: str) -> str:
    """Replace one exact snippet; fail loudly if the example no longer contains it."""
    assert text.count(old) == 1, f"{old!r} should occur once in the config under test"
    return text.replace(old, new)


def line_of(text: str, snippet: str, occurrence: int = 1) -> int:
    """1-based line number of the n-th line containing `snippet`."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if snippet in line]
    assert len(hits) >= occurrence, f"{snippet!r} not found {occurrence} time(s)"
    return hits[occurrence - 1]


NOW = "2026-11-20"


def run_cli(args: list[str]) -> Result:
    """Run gh-ops at a fixed time (NOW) unless the test gives its own --now."""
    return CliRunner().invoke(main, args if "--now" in args else ["--now", NOW, *args])


def validate_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Result:
    monkeypatch.chdir(tmp_path)
    (tmp_path / CONFIG_NAME).write_text(text, encoding="utf-8")
    return run_cli(["--config", CONFIG_NAME, "validate"])


def problem_lines(output: str) -> list[str]:
    """The indented per-problem lines of an error report."""
    return [line.strip() for line in output.splitlines() if line.startswith("  ")]


def assert_one_config_error(result: Result, *, line: int | None, key: str | None, says: str) -> str:
    """Exit 2, no traceback, exactly one problem, naming file, line and key."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    problems = problem_lines(result.output)
    assert len(problems) == 1, result.output
    where = f"{CONFIG_NAME}:{line}" if line is not None else CONFIG_NAME
    if key:
        where += f" ({key})"
    assert problems[0].startswith(where + ": "), result.output
    assert says in problems[0], result.output
    return problems[0]
