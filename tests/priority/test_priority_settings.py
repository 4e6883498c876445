"""The `priority:` section of the config: its defaults, the managed label set, and every mistake named
by line and key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from gh_ops.cli import main
from gh_ops.config import parse_config
from gh_ops.errors import ConfigError
from gh_ops.priority.settings import DEFAULT_PRIORITY_LABELS, PRIORITY_LABELS, ManagedLabel, PrioritySettings

CFG = PrioritySettings()
CONFIG_NAME = "gh-ops.yml"


def load(text: str) -> PrioritySettings:
    return parse_config(text, CONFIG_NAME, base_dir=None).section(PrioritySettings)


def test_the_section_may_be_absent_and_defaults_are_the_issues() -> None:
    assert load("timezone: UTC\n") == PrioritySettings()
    # The issue's example, as written there, is exactly the defaults.
    issue_example = """\
priority:
  bug_labels: [bug]            # what makes an issue a bug (forms and title prefixes may be added)
  untriaged_after: 2d          # triage nags bugs with no priority older than this
  rules:                       # regular expression on title/body -> label
    - match: "(?i)crash|data loss"
      label: P0
  private_repo: null           # where security issues may be transferred
"""
    assert load(issue_example) == PrioritySettings()
    assert CFG.untriaged_after == timedelta(days=2)
    assert CFG.cvss == (
        ("security-P0", 9.0),
        ("security-P1", 7.0),
        ("security-P2", 4.0),
        ("security-P3", 0.1),
    )
    assert [label.name for label in CFG.labels] == [*PRIORITY_LABELS, "security"]


def test_default_labels_have_github_valid_colours_and_descriptions() -> None:
    for label in DEFAULT_PRIORITY_LABELS:
        assert len(label.color) == 6 and int(label.color, 16) >= 0
        assert 0 < len(label.description) <= 100  # GitHub's limit


@pytest.mark.parametrize(
    ("snippet", "line", "key", "says"),
    [
        ("  untriaged_after: 2 days\n", 2, "priority.untriaged_after", "a duration in whole days or hours"),
        ("  rules:\n    - match: '(crash'\n      label: P0\n", 3, "priority.rules.0.match", "not a regular"),
        ("  rules:\n    - match: crash\n      label: P9\n", 4, "priority.rules.0.label", "a priority label"),
        ("  rules:\n    - label: P1\n", 3, "priority.rules.0", "missing required key 'match'"),
        (
            "  cvss:\n    security-P0: 11\n    P3: 0.1\n",
            3,
            "priority.cvss.security-P0",
            "a CVSS score from 0.1 to 10.0",
        ),
        (
            "  cvss:\n    P1: 7.0\n    security-P1: 7.0\n    P3: 0.1\n",
            4,
            "priority.cvss.security-P1",
            "both start at 7.0",
        ),
        ("  cvss:\n    urgent: 7.0\n    P3: 0.1\n", 3, "priority.cvss.urgent", "a priority label"),
        ("  cvss:\n    security-P0: 9.5\n", 3, "priority.cvss.security-P0", "no label starts at 0.1"),
        ("  private_repo: security\n", 2, "priority.private_repo", "OWNER/NAME"),
        ("  triage_team: nobody\n", 2, "priority.triage_team", "neither a GitHub team"),
        ("  labels:\n    P0:\n      color: red\n", 4, "priority.labels.P0.color", "six hex digits"),
        ("  colour: red\n", 2, "priority.colour", "unknown key 'colour'"),
        # A label gh-ops sets itself cannot also say what a bug is: its own label would make bugs.
        ("  bug_labels: [bug, Security]\n", 2, "priority.bug_labels.1", "puts on issues itself (for a CVSS"),
        ("  bug_labels:\n    - bug\n    - p1\n", 4, "priority.bug_labels.1", "puts on issues itself (as a"),
        ("  bug_labels: [SECURITY-p0]\n", 2, "priority.bug_labels.0", "every issue gh-ops gave it"),
        # Two keys of `labels` that GitHub takes for one label: which style wins would be a guess.
        (
            "  labels:\n    Regression: {}\n    regression:\n      color: 5319e7\n",
            4,
            "priority.labels.regression",
            "'regression' and 'Regression' are one label on GitHub",
        ),
        ("  labels:\n    p0: {}\n    P0: {}\n", 4, "priority.labels.P0", "give it once"),
    ],
)
def test_bad_priority_config_is_one_problem_naming_line_and_key(
    snippet: str, line: int, key: str, says: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load("priority:\n" + snippet)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.key) == (CONFIG_NAME, line, key)
    assert says in problem.message


def test_bad_priority_config_through_the_cli_exits_2_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / CONFIG_NAME).write_text("priority:\n  rules:\n    - match: '(crash'\n      label: P0\n")
    result = CliRunner().invoke(main, ["--config", CONFIG_NAME, "priority", "labels", "--dry-run"])
    assert result.exit_code == 2, result.output
    assert "gh-ops.yml:3 (priority.rules.0.match)" in result.output
    assert "Traceback" not in result.output


def test_config_labels_add_to_and_restyle_the_managed_set() -> None:
    cfg = load('priority:\n  labels:\n    p0:\n      color: "#FF0000"\n    regression: {}\n')
    by_name = {label.name: label for label in cfg.labels}
    assert by_name["P0"] == ManagedLabel("P0", "ff0000", DEFAULT_PRIORITY_LABELS[0].description)
    assert by_name["regression"] == ManagedLabel("regression", "ededed", "")
    assert len(cfg.labels) == len(DEFAULT_PRIORITY_LABELS) + 1


def test_a_label_that_is_only_styled_may_have_another_role() -> None:
    """`labels` entries other than the priority family are only kept at their colour: one that is also
    a bug label, or another capability's label, is no collision."""
    text = "priority:\n  bug_labels: [bug]\n  labels:\n    Bug: {color: d73a4a}\n    yolo-merge: {}\n"
    assert load(text).bug_labels == ("bug",)


def test_triage_team_may_be_a_config_team_or_a_github_team() -> None:
    teams = "teams:\n  web:\n    lead: alice\n"
    assert (
        parse_config(teams + "priority:\n  triage_team: web\n", CONFIG_NAME, base_dir=None)
        .section(PrioritySettings)
        .triage_team
        == "web"
    )
    assert load("priority:\n  triage_team: '@acme/triage'\n").triage_team == "acme/triage"
