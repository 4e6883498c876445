"""Behaviour of .github/gh-ops.yml loading: the typed result, every error a user can make, the schema."""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from configfiles import (
    CONFIG_NAME,
    ISSUE_EXAMPLE,
    assert_one_config_error,
    edit,
    line_of,
    problem_lines,
    run_cli,
    validate_text,
)

from gh_ops import config as config_module
from gh_ops.config import (
    EMBEDDED_NAME,
    Config,
    Team,
    embedded_example_text,
    load_config,
    parse_config,
)
from gh_ops.errors import ConfigError
from gh_ops.people.settings import PeopleIssues, PeopleSettings
from gh_ops.priority.settings import DEFAULT_PRIORITY_LABELS, ManagedLabel, PriorityRule, PrioritySettings
from gh_ops.rfc.settings import RFC_SECTIONS, RfcSettings
from gh_ops.sprint.settings import SprintSchedule, SprintSettings
from gh_ops.yamlfile import parse_yaml
from gh_ops.yolo.settings import YoloSettings

# Every test passes --now: a result that changed with the date would be a flaky test.
pytestmark = pytest.mark.usefixtures("no_wall_clock")


# --------------------------------------------------------------------------- the example is valid


def test_issue_example_loads_into_teams_and_schedule() -> None:
    config = parse_config(ISSUE_EXAMPLE, CONFIG_NAME, base_dir=None)

    assert config.timezone == "Europe/London"
    assert config.bot == "github-actions[bot]"
    assert config.trusted("github-actions[bot]") and not config.trusted("mallory")
    assert list(config.teams) == ["web", "infra"]
    web, infra = config.teams["web"], config.teams["infra"]
    assert (web.name, web.lead, web.members, web.labels) == (
        "Team Web",
        "alice",
        ("alice", "bob", "carol"),
        ("team/web",),
    )
    assert web.timezone == "America/New_York"
    assert infra.timezone == "Europe/London"  # inherits the top-level timezone
    assert infra.labels == ()
    expected = SprintSchedule(every_weeks=2, anchor=date(2026, 1, 5), open_days_before=3)
    assert config.section(SprintSettings) == SprintSettings(
        configured=True,
        template="sprint.md",
        labels=("sprint",),
        close_previous=True,
        goals_heading="Goals",
        schedules={"web": expected, "infra": expected},
    )


def test_shipped_example_is_the_issue_example() -> None:
    shipped = parse_config(embedded_example_text(), EMBEDDED_NAME, base_dir=None)
    issue = parse_config(ISSUE_EXAMPLE, EMBEDDED_NAME, base_dir=None)
    assert shipped == issue


def test_defaults_fill_in_what_the_file_leaves_out() -> None:
    config = parse_config(
        "teams:\n  web:\n    lead: alice\nsprint:\n  every: 1w\n  anchor: 2026-01-05\n",
        CONFIG_NAME,
        base_dir=None,
    )
    assert config.timezone == "UTC"
    assert config.bot == "github-actions[bot]"
    team = config.teams["web"]
    assert (team.name, team.members, team.timezone) == ("web", (), "UTC")
    assert config.section(SprintSettings) == SprintSettings(
        True, "sprint.md", ("sprint",), True, "Goals", {"web": SprintSchedule(1, date(2026, 1, 5), 3)}
    )


def test_example_validates_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "gh-ops.yml").write_text(ISSUE_EXAMPLE, encoding="utf-8")

    by_default = run_cli(["validate"])
    explicit = run_cli(["--config", ".github/gh-ops.yml", "validate"])

    for result in (by_default, explicit):
        assert result.exit_code == 0, result.output
        assert ".github/gh-ops.yml: OK" in result.output
        assert "rendered for web, infra" in result.output


def test_load_config_finds_the_default_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="no config"):
        load_config(None)
    assert load_config(None, allow_embedded=True).embedded

    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "gh-ops.yml").write_text(ISSUE_EXAMPLE, encoding="utf-8")
    config = load_config(None)
    assert config.path == ".github/gh-ops.yml"
    assert not config.embedded
    # templates_dir defaults to gh-ops/templates next to the config file
    assert config.templates_dir == Path(".github/gh-ops/templates")


# --------------------------------------------------------------------------- one message per error


def _add_top(text: str) -> str:
    return text + "colour: red\n"


def _add_nested(text: str) -> str:
    return edit(text, "    labels: [team/web]\n", "    labels: [team/web]\n    colour: red\n")


ERRORS = {
    # id: (mutation, snippet on the reported line, key, words in the message)
    "unknown key at top level": (
        _add_top,
        "colour: red",
        "colour",
        "unknown key 'colour'; allowed here: bot, max_writes, offboarding, onboarding, people, priority, "
        "rfc, schedules, sprint, teams, templates_dir, timezone, trusted_authors, yolo",
    ),
    "unknown key in a team": (
        _add_nested,
        "colour: red",
        "teams.web.colour",
        "unknown key 'colour'; allowed here: labels, lead, members, name, sprint, timezone",
    ),
    "unknown key in a team's sprint": (
        lambda t: edit(
            t,
            "    members: [dave, erin]\n",
            "    members: [dave, erin]\n    sprint:\n      every: 1w\n      length: 5\n",
        ),
        "length: 5",
        "teams.infra.sprint.length",
        "unknown key 'length'",
    ),
    "wrong type: text for a list": (
        lambda t: edit(t, "members: [dave, erin]", "members: dave"),
        "members: dave",
        "teams.infra.members",
        'expected a list, got text "dave"',
    ),
    "wrong type: text for a boolean": (
        lambda t: edit(t, "close_previous: true", "close_previous: sometimes"),
        "close_previous",
        "sprint.close_previous",
        "expected true or false",
    ),
    "missing lead": (
        lambda t: edit(t, "    lead: dave\n", ""),
        "  infra:",
        "teams.infra",
        "missing required key 'lead'",
    ),
    "cadence in words": (
        lambda t: edit(t, "every: 2w", 'every: "2 weeks"'),
        "every:",
        "sprint.every",
        'expected a cadence in whole weeks such as 1w or 2w, got text "2 weeks"',
    ),
    "cadence of zero weeks": (
        lambda t: edit(t, "every: 2w", "every: 0w"),
        "every:",
        "sprint.every",
        'expected a cadence in whole weeks such as 1w or 2w, got text "0w"',
    ),
    "cadence as a number": (
        lambda t: edit(t, "every: 2w", "every: 2"),
        "every:",
        "sprint.every",
        "got integer 2",
    ),
    "impossible anchor date": (
        lambda t: edit(t, "anchor: 2026-01-05", "anchor: 2026-02-30"),
        "anchor:",
        "sprint.anchor",
        "'2026-02-30' is not a real calendar date",
    ),
    "anchor in words": (
        lambda t: edit(t, "anchor: 2026-01-05", "anchor: tomorrow"),
        "anchor:",
        "sprint.anchor",
        'expected a date written YYYY-MM-DD, got text "tomorrow"',
    ),
    "unknown top-level timezone": (
        lambda t: edit(t, "timezone: Europe/London", "timezone: Europe/Londn"),
        "timezone: Europe/Londn",
        "timezone",
        "unknown timezone 'Europe/Londn'",
    ),
    "a timezone that depends on the machine": (
        lambda t: edit(t, "timezone: Europe/London", "timezone: localtime"),
        "timezone: localtime",
        "timezone",
        "'localtime' is not a timezone name gh-ops can use (it depends on the machine that runs it)",
    ),
    "a timezone in the wrong case": (
        lambda t: edit(t, "timezone: America/New_York", "timezone: america/new_york"),
        "timezone: america/new_york",
        "teams.web.timezone",
        "unknown timezone 'america/new_york' (did you mean America/New_York?)",
    ),
    "unknown team timezone": (
        lambda t: edit(t, "timezone: America/New_York", "timezone: Mars/Olympus_Mons"),
        "Mars/Olympus_Mons",
        "teams.web.timezone",
        "unknown timezone 'Mars/Olympus_Mons'",
    ),
    "window as long as the sprint": (
        lambda t: edit(t, "open_days_before: 3", "open_days_before: 14"),
        "open_days_before",
        "sprint.open_days_before",
        "open_days_before is 14 but a sprint lasts only 14 days",
    ),
    "window longer than a team's own cadence": (
        lambda t: edit(
            t,
            "    members: [dave, erin]\n",
            "    members: [dave, erin]\n    sprint:\n      every: 1w\n      open_days_before: 7\n",
        ),
        "open_days_before: 7",
        "teams.infra.sprint.open_days_before",
        "open_days_before is 7 but a sprint lasts only 7 days",
    ),
    "team's weekly cadence against the shared window": (
        lambda t: edit(
            t,
            "    members: [dave, erin]\n",
            "    members: [dave, erin]\n    sprint:\n      every: 1w\n",
        ).replace("open_days_before: 3", "open_days_before: 9"),
        "open_days_before: 9",
        "sprint.open_days_before",
        "open_days_before is 9 but a sprint lasts only 7",
    ),
    "anchor at the end of the calendar": (
        lambda t: edit(t, "anchor: 2026-01-05", "anchor: 9999-12-31"),
        "anchor:",
        "sprint.anchor",
        "anchor 9999-12-31 is too close to the edge of the calendar",
    ),
    "absurdly long cadence": (
        lambda t: edit(t, "every: 2w", "every: 99999999999999999999w"),
        "every:",
        "sprint.every",
        "longer than the calendar",
    ),
    "bad team id": (
        lambda t: edit(t, "  infra:", "  'in fra':"),
        "in fra",
        "teams.in fra",
        "bad name 'in fra'",
    ),
    "login that is not a login": (
        lambda t: edit(t, "lead: dave", "lead: dave smith"),
        "lead: dave smith",
        "teams.infra.lead",
        "expected a GitHub login",
    ),
    "unknown key in rfc": (
        lambda t: t + "rfc:\n  label: rfc\n  prefix: RFC\n",
        "prefix: RFC",
        "rfc.prefix",
        "unknown key 'prefix'; allowed here: assign_feedback, chat_webhook_env, folder, label, "
        "max_decision_days, no_decision_label, overdue_label, remind_every, sections, template, title_prefix",
    ),
    "reminder interval in words": (
        lambda t: t + "rfc:\n  remind_every: daily\n",
        "remind_every",
        "rfc.remind_every",
        'expected a duration in whole days or hours such as 1d or 12h, got text "daily"',
    ),
    "reminder interval in weeks": (
        lambda t: t + "rfc:\n  remind_every: 1w\n",
        "remind_every",
        "rfc.remind_every",
        'expected a duration in whole days or hours such as 1d or 12h, got text "1w"',
    ),
    "reminder interval of zero": (
        lambda t: t + "rfc:\n  remind_every: 0h\n",
        "remind_every",
        "rfc.remind_every",
        "expected a duration in whole days or hours",
    ),
    "absurd reminder interval": (
        lambda t: t + "rfc:\n  remind_every: 99999999999999999999d\n",
        "remind_every",
        "rfc.remind_every",
        "remind_every 99999999999999999999d is longer than the calendar",
    ),
    "decision days as text": (
        lambda t: t + "rfc:\n  max_decision_days: a week\n",
        "max_decision_days",
        "rfc.max_decision_days",
        'expected a whole number, got text "a week"',
    ),
    "negative decision days": (
        lambda t: t + "rfc:\n  max_decision_days: -1\n",
        "max_decision_days",
        "rfc.max_decision_days",
        "expected a whole number of days from 0 to 365, got integer -1",
    ),
    "decision days beyond a year": (
        lambda t: t + "rfc:\n  max_decision_days: 400\n",
        "max_decision_days",
        "rfc.max_decision_days",
        "expected a whole number of days from 0 to 365, got integer 400",
    ),
    "rfc folder outside the repository": (
        lambda t: t + "rfc:\n  folder: ../decisions/\n",
        "folder:",
        "rfc.folder",
        "folder '../decisions/' must be a folder inside the repository",
    ),
    "absolute rfc folder": (
        lambda t: t + "rfc:\n  folder: /decisions\n",
        "folder:",
        "rfc.folder",
        "must be a folder inside the repository",
    ),
    "webhook URL instead of a variable name": (
        lambda t: t + "rfc:\n  chat_webhook_env: https://hooks.example.com/x\n",
        "chat_webhook_env",
        "rfc.chat_webhook_env",
        "expected an environment variable name such as GH_OPS_CHAT_WEBHOOK",
    ),
    "blank title prefix": (
        lambda t: t + "rfc:\n  title_prefix: '  '\n",
        "title_prefix",
        "rfc.title_prefix",
        "expected a title prefix of 1 to 50 characters",
    ),
    "unknown rfc section": (
        lambda t: t + "rfc:\n  sections:\n    summary: [TL;DR]\n",
        "summary:",
        "rfc.sections.summary",
        "bad name 'summary': expected a section id: decision_to_make, decision_maker, decision_date, "
        "feedback, problem, recommendation, context, decision",
    ),
    "rfc section headings that are not a list": (
        lambda t: t + "rfc:\n  sections:\n    context: Background\n",
        "context:",
        "rfc.sections.context",
        'expected a list, got text "Background"',
    ),
    "empty list of rfc headings": (
        lambda t: t + "rfc:\n  sections:\n    context: []\n",
        "context:",
        "rfc.sections.context",
        "the list is empty",
    ),
    "rfc heading given to two sections": (
        lambda t: t + "rfc:\n  sections:\n    problem: [Why now]\n    context: ['Why now?']\n",
        "Why now?",
        "rfc.sections.context.0",
        "heading 'Why now?' is also given to section problem",
    ),
    "rfc heading without words": (
        lambda t: t + "rfc:\n  sections:\n    context: ['🙂']\n",
        "🙂",
        "rfc.sections.context.0",
        "has no letters or digits",
    ),
    "unknown key in yolo": (
        lambda t: t + "yolo:\n  label: yolo-merge\n  bots: ['renovate[bot]']\n",
        "bots:",
        "yolo.bots",
        "unknown key 'bots'; allowed here: allow_bots, approval, emergency_label, follow_up_issue, label",
    ),
    "unknown yolo approval mode": (
        lambda t: t + "yolo:\n  approval: latest\n",
        "approval:",
        "yolo.approval",
        'expected latest-on-head or any-approval, got text "latest"',
    ),
    "yolo bot that is not a login": (
        lambda t: t + "yolo:\n  allow_bots: ['dependabot[bot]', 'renovate bot']\n",
        "allow_bots",
        "yolo.allow_bots.1",
        "expected a GitHub login",
    ),
    "yolo bot that is a person": (
        lambda t: t + "yolo:\n  allow_bots:\n    - dependabot[bot]\n    - '@alice'\n",
        "'@alice'",
        "yolo.allow_bots.1",
        "'alice' is not a bot login: allow_bots lets a bot's changes pass without a review",
    ),
    "yolo labels with the same name": (
        lambda t: t + "yolo:\n  emergency_label: hotfix\n  label: Hotfix\n",
        "label: Hotfix",
        "yolo.label",
        "label and emergency_label are both 'Hotfix'",
    ),
    "rfc overdue label the same as the rfc label": (
        lambda t: t + "rfc:\n  label: RFC\n  overdue_label: rfc\n",
        "overdue_label: rfc",
        "rfc.overdue_label",
        "overdue_label and label are both 'rfc': gh-ops adds and removes each of them on its own",
    ),
    "rfc label the same as the default no-decision label": (
        lambda t: t + "rfc:\n  label: RFC:No-Decision\n",
        "label: RFC:No-Decision",
        "rfc.label",
        "label and no_decision_label are both 'RFC:No-Decision'",
    ),
    "rfc overdue and no-decision labels the same": (
        lambda t: t + "rfc:\n  no_decision_label: Late\n  overdue_label: late\n",
        "overdue_label: late",
        "rfc.overdue_label",
        "overdue_label and no_decision_label are both 'late'",
    ),
    # A label two capabilities put on and take off would flap: the core refuses it, naming both keys.
    "yolo's label is a priority label": (
        lambda t: t + "yolo:\n  label: P0\n",
        "label: P0",
        "yolo.label",
        "yolo.label 'P0' is also managed by priority.labels: each would add and remove the label",
    ),
    "rfc's label is the security label, in another case": (
        lambda t: t + "rfc:\n  label: Security\n",
        "label: Security",
        "rfc.label",
        "rfc.label 'Security' is also managed by priority.labels ('security')",
    ),
    "two sections written with one label": (
        lambda t: t + "yolo:\n  label: needs-review\nrfc:\n  overdue_label: Needs-Review\n",
        "overdue_label",
        "rfc.overdue_label",
        "rfc.overdue_label 'Needs-Review' is also managed by yolo.label ('needs-review')",
    ),
    "a lead left empty": (
        lambda t: edit(t, "lead: dave", "lead: null"),
        "lead: null",
        "teams.infra.lead",
        "got null (nothing)",
    ),
    "non-ASCII text is shown as written": (
        lambda t: edit(t, "lead: dave", "lead: dåve"),
        "lead: dåve",
        "teams.infra.lead",
        'got text "dåve"',
    ),
    "a login YAML reads as a number": (
        lambda t: edit(t, "lead: dave", "lead: 7"),
        "lead: 7",
        "teams.infra.lead",
        "got integer 7; YAML reads it as a number: put it in quotes (lead: '...')",
    ),
    "a list item YAML reads as a number": (
        lambda t: t + "priority:\n  bug_labels: [1]\n",
        "bug_labels",
        "priority.bug_labels.0",
        "got integer 1; YAML reads it as a number: put it in quotes ('...')",
    ),
    "a label colour YAML reads as a number": (
        lambda t: t + "priority:\n  labels:\n    P0:\n      color: 000000\n",
        "color: 000000",
        "priority.labels.P0.color",
        "put it in quotes (color: '...')",
    ),
    "an empty title prefix is one problem": (
        lambda t: t + "rfc:\n  title_prefix: ''\n",
        "title_prefix",
        "rfc.title_prefix",
        "expected a title prefix of 1 to 50 characters",
    ),
    "a CVSS score that is not a number": (
        lambda t: t + "priority:\n  cvss:\n    P0: .nan\n",
        "P0: .nan",
        "priority.cvss.P0",
        "nan is not a CVSS score: give one from 0.1 to 10.0",
    ),
    "yolo follow-up issue not a boolean": (
        lambda t: t + "yolo:\n  follow_up_issue: sometimes\n",
        "follow_up_issue",
        "yolo.follow_up_issue",
        'expected true or false, got text "sometimes"',
    ),
}


@pytest.mark.parametrize("case", list(ERRORS), ids=list(ERRORS))
def test_each_config_error_is_one_message_with_file_line_and_key(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mutate, snippet, key, says = ERRORS[case]
    text = mutate(ISSUE_EXAMPLE)
    result = validate_text(tmp_path, monkeypatch, text)
    assert_one_config_error(result, line=line_of(text, snippet), key=key, says=says)
    assert result.output.startswith(f"error: {CONFIG_NAME} is not valid\n"), result.output

    # the library reports the same single problem
    with pytest.raises(ConfigError) as caught:
        parse_config(text, CONFIG_NAME, base_dir=None)
    assert len(caught.value.problems) == 1
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.key) == (CONFIG_NAME, line_of(text, snippet), key)


def test_a_shared_bad_value_is_reported_once_not_once_per_team(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = edit(ISSUE_EXAMPLE, "anchor: 2026-01-05", "anchor: 2026-02-30")  # both teams inherit it
    result = validate_text(tmp_path, monkeypatch, text)
    assert result.output.count("is not a real calendar date") == 1, result.output


def test_every_schema_problem_is_listed_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = edit(_add_nested(ISSUE_EXAMPLE), "every: 2w", 'every: "2 weeks"')
    result = validate_text(tmp_path, monkeypatch, text)
    assert result.exit_code == 2
    assert problem_lines(result.output) == [
        f"{CONFIG_NAME}:{line_of(text, 'colour')} (teams.web.colour): unknown key 'colour'; "
        "allowed here: labels, lead, members, name, sprint, timezone",
        f"{CONFIG_NAME}:{line_of(text, 'every:')} (sprint.every): expected a cadence in whole weeks "
        'such as 1w or 2w, got text "2 weeks"',
    ]


def test_duplicate_key_names_the_second_occurrence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = edit(ISSUE_EXAMPLE, "    lead: dave\n", "    lead: dave\n    lead: erin\n")
    result = validate_text(tmp_path, monkeypatch, text)
    assert_one_config_error(
        result,
        line=line_of(text, "lead: erin"),
        key="teams.infra.lead",
        says="duplicate key 'lead'",
    )


def test_duplicate_top_level_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ISSUE_EXAMPLE + "timezone: UTC\n"
    result = validate_text(tmp_path, monkeypatch, text)
    assert_one_config_error(
        result, line=line_of(text, "timezone: UTC"), key="timezone", says="duplicate key 'timezone'"
    )


SYNTAX_ERRORS = {
    # id: (old, new, snippet of the line that is wrong)
    "colon inside a value": ("every: 2w ", "every: 2w: x ", "every: 2w: x"),
    "unclosed quote": ("lead: dave", "lead: 'dave", "lead: 'dave"),
    "key without colon": ("    lead: dave\n", "    lead dave\n", "lead dave"),
    "tab indentation": ("    lead: dave", "\tlead: dave", "\tlead: dave"),
    "bad indentation": ("    lead: dave", "   lead: dave", "   lead: dave"),
}


@pytest.mark.parametrize("case", list(SYNTAX_ERRORS), ids=list(SYNTAX_ERRORS))
def test_yaml_syntax_error_points_at_the_line(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new, snippet = SYNTAX_ERRORS[case]
    text = edit(ISSUE_EXAMPLE, old, new)
    result = validate_text(tmp_path, monkeypatch, text)
    assert result.output.startswith(f"error: {CONFIG_NAME} is not valid YAML\n"), result.output
    assert_one_config_error(
        result, line=line_of(text, snippet), key=None, says="check indentation, quoting and colons"
    )


def test_unquoted_at_login_gets_a_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = edit(ISSUE_EXAMPLE, "lead: dave", "lead: @dave")
    result = validate_text(tmp_path, monkeypatch, text)
    message = assert_one_config_error(result, line=line_of(text, "@dave"), key=None, says="must be quoted")
    assert "'@alice'" in message


@pytest.mark.parametrize("text", ["\x00\x01", "lead: !!int x\n"], ids=["control characters", "bad tag"])
def test_unreadable_yaml_is_a_config_error_not_a_crash(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = validate_text(tmp_path, monkeypatch, text)
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output
    assert f"error: {CONFIG_NAME} is not valid YAML" in result.output


@pytest.mark.parametrize("text", ["", "# nothing here yet\n", "~\n"], ids=["empty", "comments only", "null"])
def test_empty_file_is_valid_but_sprint_open_says_what_is_missing(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sections are optional (later capabilities have defaults), so an empty file validates...
    result = validate_text(tmp_path, monkeypatch, text)
    assert result.exit_code == 0, result.output
    assert "sprint: not configured" in result.output
    # ...and the command that needs a section names it.
    result = run_cli(["--config", CONFIG_NAME, "--dry-run", "--repo", "acme/widgets", "sprint", "open"])
    assert result.exit_code == 2, result.output
    assert "has no sprint: section" in result.output


def test_file_that_is_a_list_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = validate_text(tmp_path, monkeypatch, "- web\n- infra\n")
    assert_one_config_error(result, line=1, key=None, says="the file must be a mapping of keys")


# --------------------------------------------------------------------------- YAML aliases and key types

ALIAS_MESSAGE = "YAML aliases are not supported in gh-ops config; write the value out"


def billion_laughs(levels: int = 12) -> str:
    """Twelve lines whose aliases expand to 9**11 entries: a few hundred bytes, no end of work."""
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


ALIASES = {
    # id: (config text, snippet of the line with the first alias)
    "shared list": (
        edit(ISSUE_EXAMPLE, "members: [dave, erin]", "members: *web_members").replace(
            "members: [alice, bob, carol]", "members: &web_members [alice, bob, carol]"
        ),
        "*web_members",
    ),
    "recursive": (edit(ISSUE_EXAMPLE, "labels: [sprint]", "labels: &loop [*loop]"), "*loop"),
    "undefined": (edit(ISSUE_EXAMPLE, "lead: dave", "lead: *nobody"), "*nobody"),
    "billion laughs": (billion_laughs(), "l1:"),
}


@pytest.mark.parametrize("case", list(ALIASES), ids=list(ALIASES))
def test_yaml_aliases_are_refused_with_file_and_line(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, snippet = ALIASES[case]
    # Before aliases were refused, a recursive alias hit RecursionError (exit 4) and the billion
    # laughs ran until memory ran out: a child process turns a hang into a failure here.
    (tmp_path / CONFIG_NAME).write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "gh_ops", "--config", CONFIG_NAME, "--now", "2026-11-20", "validate"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(config_module.__file__).resolve().parents[1])},
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert done.returncode == 2, done.stdout + done.stderr

    # The bound is on expanding aliases, not on a full garbage collection of the whole test session
    # that may happen to fall in this half second (on a slow runner it alone can take that long).
    gc.disable()
    try:
        started = time.perf_counter()
        result = validate_text(tmp_path, monkeypatch, text)
        elapsed = time.perf_counter() - started
    finally:
        gc.enable()
    assert elapsed < 0.5
    assert "internal error" not in result.output
    assert_one_config_error(result, line=line_of(text, snippet), key=None, says=ALIAS_MESSAGE)


def test_anchors_without_aliases_are_harmless(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = edit(ISSUE_EXAMPLE, "members: [dave, erin]", "members: &infra [dave, erin]")
    result = validate_text(tmp_path, monkeypatch, text)
    assert result.exit_code == 0, result.output


NON_TEXT_KEYS = ["1", "1.5", "yes", "off", "null", "~"]
KEY_PLACES = {
    # id: (edit that puts KEY in the file, the key path reported for it)
    "top level": (lambda text, key: text + f"{key}: x\ncolour: red\n", "{key}"),
    "team id": (lambda text, key: edit(text, "  infra:", f"  {key}:"), "teams.{key}"),
    "team setting": (
        lambda text, key: edit(text, "    lead: dave\n", f"    lead: dave\n    {key}: x\n"),
        "teams.infra.{key}",
    ),
}


@pytest.mark.parametrize("place", list(KEY_PLACES), ids=list(KEY_PLACES))
@pytest.mark.parametrize("key", NON_TEXT_KEYS)
def test_a_key_that_is_not_text_is_one_clear_error(
    key: str, place: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    put, key_path = KEY_PLACES[place]
    text = put(ISSUE_EXAMPLE, key)
    result = validate_text(tmp_path, monkeypatch, text)
    assert "internal error" not in result.output and "Traceback" not in result.output
    problems = problem_lines(result.output)
    where = f"{CONFIG_NAME}:{line_of(text, f'{key}:')} ({key_path.format(key=key)}): "
    assert problems == [where + f"key {key} must be text: quote it ('{key}':)"], result.output
    assert result.exit_code == 2


def test_a_quoted_key_is_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = edit(ISSUE_EXAMPLE, "  infra:", "  '1':")
    result = validate_text(tmp_path, monkeypatch, text)
    assert result.exit_code == 0, result.output
    assert "rendered for web, 1 " in result.output


def test_a_date_like_key_is_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # gh-ops reads dates as text (`anchor: 2026-01-05`), keys included: this is a team id.
    text = edit(ISSUE_EXAMPLE, "  infra:", "  2026-01-01:")
    result = validate_text(tmp_path, monkeypatch, text)
    assert result.exit_code == 0, result.output
    assert "rendered for web, 2026-01-01 " in result.output


@pytest.mark.parametrize(
    ("old", "new", "key", "says"),
    [
        ("  infra:", "  ? [a, b]\n  :", "teams.?", "a list or mapping cannot be a key: write a name"),
        (
            "    lead: dave\n",
            "    <<: {lead: dave}\n",
            "teams.infra.<<",
            "YAML merge keys (<<) are not supported",
        ),
    ],
    ids=["list as key", "merge key"],
)
def test_other_keys_that_are_not_text(
    old: str, new: str, key: str, says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = edit(ISSUE_EXAMPLE, old, new)
    result = validate_text(tmp_path, monkeypatch, text)
    assert_one_config_error(result, line=line_of(text, new.strip().splitlines()[0]), key=key, says=says)


def test_missing_config_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli(["--config", "nope/gh-ops.yml", "validate"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "config file nope/gh-ops.yml not found" in result.output
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yml", allow_embedded=True)  # an explicit path never falls back


def test_missing_config_path_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GH_OPS_CONFIG", "elsewhere.yml")
    result = run_cli(["validate"])
    assert result.exit_code == 2
    assert "config file elsewhere.yml not found" in result.output


# --------------------------------------------------------------------------- unknown team names


@pytest.mark.parametrize(
    "args",
    [
        ["preview", "sprint", "--team", "mobile"],
        ["sprint", "open", "--dry-run", "--team", "mobile"],
        ["sprint", "open", "--dry-run", "--team", "web", "--team", "mobile"],
    ],
    ids=["preview", "sprint open", "sprint open, one of two"],
)
def test_unknown_team_lists_the_known_ones(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / CONFIG_NAME).write_text(ISSUE_EXAMPLE, encoding="utf-8")
    result = run_cli(["--config", CONFIG_NAME, "--repo", "acme/widgets", *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"unknown team 'mobile': {CONFIG_NAME} defines infra (Team Infra), web (Team Web)" in result.output
    assert "GitHub requests" not in result.output  # refused before talking to GitHub


@pytest.mark.parametrize("given", ["web", "Team Web", "team  web", "WEB"])
def test_a_team_is_chosen_by_its_id_or_its_name_in_any_case(
    given: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / CONFIG_NAME).write_text(ISSUE_EXAMPLE, encoding="utf-8")
    result = run_cli(["--config", CONFIG_NAME, "preview", "sprint", "--team", given])
    assert result.exit_code == 0, result.output
    assert "Team Web" in result.output and "Team Infra" not in result.output


def test_sprint_open_takes_a_team_by_name_once_however_it_is_spelt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / CONFIG_NAME).write_text(ISSUE_EXAMPLE, encoding="utf-8")
    config = parse_config(ISSUE_EXAMPLE, CONFIG_NAME, base_dir=None)
    assert [t.key for t in config.select_teams(["Team Web", "web", "team infra"])] == ["web", "infra"]


@pytest.mark.parametrize(
    ("teams", "key", "says"),
    [
        (
            "  web:\n    lead: alice\n  infra:\n    name: Web\n    lead: dave\n",
            "teams.infra.name",
            "team name 'Web' is also the id of team web",
        ),
        (
            "  web:\n    name: Core\n    lead: alice\n  infra:\n    name: core\n    lead: dave\n",
            "teams.infra.name",
            "team name 'core' is also the name of team web",
        ),
        (
            "  web:\n    lead: alice\n  Web:\n    lead: dave\n",
            "teams.Web",
            "team id 'Web' differs from team web only in case",
        ),
    ],
    ids=["name is another id", "two teams, one name", "ids differing in case"],
)
def test_a_team_name_must_point_to_one_team(
    teams: str, key: str, says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "teams:\n" + teams
    result = validate_text(tmp_path, monkeypatch, text)
    snippet = {"teams.infra.name": "name: ", "teams.Web": "Web:"}[key]
    line = line_of(text, snippet, occurrence=2 if key == "teams.infra.name" and "Core" in text else 1)
    assert_one_config_error(result, line=line, key=key, says=says)


# --------------------------------------------------------------------------- logins, overrides, folders


def test_logins_with_at_are_normalised() -> None:
    text = (
        edit(ISSUE_EXAMPLE, "lead: alice", "lead: '@alice'")
        .replace("members: [alice, bob, carol]", "members: ['@alice', bob, '@carol']")
        .replace("bot: github-actions[bot]", "bot: '@gh-ops-bot[bot]'")
        + "trusted_authors: ['@maintainer']\n"
    )
    config = parse_config(text, CONFIG_NAME, base_dir=None)
    web = config.teams["web"]
    assert web.lead == "alice"
    assert web.members == ("alice", "bob", "carol")
    assert config.bot == "gh-ops-bot[bot]"
    assert config.trusted_authors == ("maintainer",)
    assert config.trusted("maintainer") and config.trusted("gh-ops-bot[bot]")


def test_logins_with_at_reach_the_issue_without_doubling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = edit(ISSUE_EXAMPLE, "lead: alice", "lead: '@alice'").replace(
        "members: [alice, bob, carol]", "members: ['@alice', bob]"
    )
    (tmp_path / CONFIG_NAME).write_text(text, encoding="utf-8")
    result = run_cli(["--config", CONFIG_NAME, "preview", "sprint", "--team", "web", "--now", "2026-11-20"])
    assert result.exit_code == 0, result.output
    assert "assignees: alice\n" in result.stdout
    assert "**@alice**" in result.stdout and "**@bob**" in result.stdout
    assert "@@" not in result.stdout


def test_templates_dir_that_does_not_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ISSUE_EXAMPLE + "templates_dir: my-templates\n"
    result = validate_text(tmp_path, monkeypatch, text)
    assert_one_config_error(
        result,
        line=line_of(text, "templates_dir"),
        key="templates_dir",
        says="my-templates is not a folder",
    )


def test_templates_dir_is_relative_to_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "conf" / "tpl").mkdir(parents=True)
    (tmp_path / "conf" / CONFIG_NAME).write_text(ISSUE_EXAMPLE + "templates_dir: tpl\n", encoding="utf-8")
    config = load_config(tmp_path / "conf" / CONFIG_NAME)
    assert config.templates_dir == tmp_path / "conf" / "tpl"


# --------------------------------------------------------------------------- the JSON Schema


# Dataclass fields that are not config keys, or that are spelt differently in the file.
DERIVED = {
    "path",
    "lines",
    "present",  # the top-level keys the file writes (which sections are enabled)
    "key",
    "every_weeks",
    "sections",
    "configured",
    "schedules",
    "onboarding",
    "offboarding",
}
RENAMED = {"every_weeks": "every"}


def _schema_properties() -> dict[str, set[str]]:
    schema = config_module.schema()
    defs = schema["$defs"]
    return {
        "top": set(schema["properties"]),
        "team": set(defs["team"]["properties"]),
        "team sprint": set(defs["team"]["properties"]["sprint"]["properties"]),
        "sprint": set(defs["sprint"]["properties"]),
        "people": set(schema["properties"]["people"]["properties"]),
        "onboarding": set(schema["properties"]["onboarding"]["properties"]),
        "offboarding": set(schema["properties"]["offboarding"]["properties"]),
        "rfc": set(schema["properties"]["rfc"]["properties"]),
        "priority": set(schema["properties"]["priority"]["properties"]),
        "yolo": set(schema["properties"]["yolo"]["properties"]),
    }


@pytest.mark.parametrize(
    ("cls", "where"),
    [
        (Config, "top"),
        (Team, "team"),
        (SprintSettings, "sprint"),
        (SprintSchedule, "sprint"),
        (SprintSchedule, "team sprint"),
        (PeopleSettings, "people"),
        (PeopleIssues, "offboarding"),
        (RfcSettings, "rfc"),
        (PrioritySettings, "priority"),
        (YoloSettings, "yolo"),
    ],
)
def test_every_dataclass_field_is_a_schema_key(cls: type, where: str) -> None:
    keys = _schema_properties()[where]
    for f in dataclasses.fields(cls):
        if f.name in DERIVED and f.name not in RENAMED:
            continue
        assert RENAMED.get(f.name, f.name) in keys, f"{cls.__name__}.{f.name} is missing from the schema"


def test_every_schema_key_is_accepted_and_used(tmp_path: Path) -> None:
    """A config that sets every key the schema allows loads, and each value arrives in the result."""
    (tmp_path / "tpl").mkdir()
    text = """\
timezone: Asia/Tokyo
bot: ops-bot[bot]
trusted_authors: [maintainer]
templates_dir: tpl
max_writes: 250
schedules:
  "0 7 * * 1-5": [priority triage]
teams:
  web:
    name: Web
    lead: alice
    members: [alice]
    labels: [team/web]
    timezone: UTC
    sprint:
      every: 3w
      anchor: 2026-02-02
      open_days_before: 5
      enabled: true
sprint:
  every: 2w
  anchor: 2026-01-05
  open_days_before: 2
  template: retro.md
  labels: [ritual]
  close_previous: false
  goals_heading: Objectives
  kind_label: bot/ritual
people:
  repo: acme/people
onboarding:
  template: joiner.md
  labels: [joiner]
  form_label: joiner-request
  assignees: [pat]
offboarding:
  template: leaver.md
  labels: [leaver]
  form_label: leaver-request
  assignees: [pat]
  access: [Slack]
rfc:
  title_prefix: "Decision:"
  label: decision
  folder: ./docs/decisions
  max_decision_days: 3
  remind_every: 12h
  chat_webhook_env: SLACK_RFC_WEBHOOK
  assign_feedback: true
  overdue_label: decision/late
  no_decision_label: decision/missing
  template: decision.md
  sections:
    decision_date: [Timeline]
priority:
  bug_labels: [defect]
  bug_title_prefixes: ["[Bug]"]
  bug_form_questions: [Steps to reproduce]
  form_question: Severity
  untriaged_after: 12h
  triage_team: web
  rules:
    - match: "(?i)outage"
      label: P1
  cvss:
    security-P0: 9.5
    security-P2: 5.0
    P3: 0.1
  private_repo: acme/security
  private_place: security@acme.example
  labels:
    P3:
      color: "#00ff00"
    needs-repro:
      color: 0e8a16
      description: We could not reproduce it yet.
yolo:
  emergency_label: hotfix
  allow_bots:
    - renovate[bot]
    - "@dependabot[bot]"
  approval: any-approval
  label: unreviewed
  follow_up_issue: true
"""
    data, _ = parse_yaml(text, CONFIG_NAME)
    props = _schema_properties()
    assert set(data) == props["top"]
    assert set(data["teams"]["web"]) == props["team"]
    assert set(data["teams"]["web"]["sprint"]) == props["team sprint"]
    assert set(data["sprint"]) == props["sprint"]
    for section in ("people", "onboarding", "offboarding", "rfc", "priority", "yolo"):
        assert set(data[section]) == props[section], section

    config = parse_config(text, CONFIG_NAME, base_dir=tmp_path)
    assert (config.timezone, config.bot, config.trusted_authors) == (
        "Asia/Tokyo",
        "ops-bot[bot]",
        ("maintainer",),
    )
    assert config.templates_dir == tmp_path / "tpl"
    assert config.max_writes == 250
    assert config.schedules == {"0 7 * * 1-5": (("priority", "triage"),)}
    assert config.teams["web"] == Team("web", "Web", "alice", ("alice",), ("team/web",), "UTC")
    assert config.section(SprintSettings) == SprintSettings(
        True,
        "retro.md",
        ("ritual",),
        False,
        "Objectives",
        {"web": SprintSchedule(3, date(2026, 2, 2), 5)},
        kind_label="bot/ritual",
    )
    assert config.section(PeopleSettings) == PeopleSettings(
        "acme/people",
        PeopleIssues("joiner.md", ("joiner",), "joiner-request", ("pat",)),
        PeopleIssues("leaver.md", ("leaver",), "leaver-request", ("pat",), ("Slack",)),
    )
    sections = {**RFC_SECTIONS, "decision_date": (*RFC_SECTIONS["decision_date"], "Timeline")}
    assert config.section(RfcSettings) == RfcSettings(
        "Decision:",
        "decision",
        "docs/decisions/",
        3,
        timedelta(hours=12),
        "SLACK_RFC_WEBHOOK",
        True,
        "decision/late",
        "decision/missing",
        "decision.md",
        sections,
    )
    builtin = {label.name: label for label in DEFAULT_PRIORITY_LABELS}
    assert config.section(PrioritySettings) == PrioritySettings(
        bug_labels=("defect",),
        bug_title_prefixes=("[Bug]",),
        bug_form_questions=("Steps to reproduce",),
        form_question="Severity",
        untriaged_after=timedelta(hours=12),
        triage_team="web",
        rules=(PriorityRule("(?i)outage", "P1"),),
        cvss=(("security-P0", 9.5), ("security-P2", 5.0), ("P3", 0.1)),
        private_repo="acme/security",
        private_place="security@acme.example",
        labels=(
            *(builtin[n] for n in ("P0", "P1", "P2")),
            ManagedLabel("P3", "00ff00", builtin["P3"].description),
            *DEFAULT_PRIORITY_LABELS[4:],
            ManagedLabel("needs-repro", "0e8a16", "We could not reproduce it yet."),
        ),
    )
    assert config.section(YoloSettings) == YoloSettings(
        "hotfix", ("renovate[bot]", "dependabot[bot]"), "any-approval", "unreviewed", True
    )


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    from jsonschema import Draft202012Validator

    schema_path = Path(config_module.__file__).parent / "data" / "gh-ops.schema.json"
    schema = json.loads(schema_path.read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_published_schema_is_the_composed_one() -> None:
    """Editors read gh_ops/data/gh-ops.schema.json; the CLI checks against the schema composed from
    the shared keys and each capability's section. Regenerate with `python -m gh_ops.config`."""
    published = Path(config_module.__file__).parent / config_module.PUBLISHED_SCHEMA
    assert published.read_text("utf-8") == config_module.published_schema_text(), (
        "the published schema is out of date: run `python -m gh_ops.config`"
    )


def _defaults(
    node: dict[str, Any], path: tuple[str, ...], defs: dict[str, Any]
) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(key path, default) of every key whose schema documents a default; a team stands for every team."""
    if "$ref" in node:
        node = {**defs[node["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
    if "default" in node and path:
        yield path, node["default"]
    for key, child in node.get("properties", {}).items():
        yield from _defaults(child, (*path, key), defs)
    if path == ("teams",):
        yield from _defaults(node["additionalProperties"], (*path, "web"), defs)


# The smallest config in which every section's defaults apply: one team, and a sprint calendar.
MINIMAL = {"teams": {"web": {"lead": "alice"}}, "sprint": {"every": "2w", "anchor": "2026-01-05"}}


def test_every_default_the_schema_documents_is_the_one_the_code_applies(tmp_path: Path) -> None:
    """Leaving a key out and writing it with the schema's default give the same config."""
    import copy

    import yaml

    (tmp_path / "gh-ops" / "templates").mkdir(parents=True)  # templates_dir's default exists
    schema = config_module.schema()
    found = list(_defaults(schema, (), schema["$defs"]))
    assert len(found) >= 45, found  # the walk reaches every section (not vacuous)
    for path, default in found:
        base = {} if path == ("teams",) else copy.deepcopy(MINIMAL)
        explicit = copy.deepcopy(base)
        target = explicit
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = default
        left_out = parse_config(yaml.safe_dump(base), CONFIG_NAME, base_dir=tmp_path)
        written = parse_config(yaml.safe_dump(explicit), CONFIG_NAME, base_dir=tmp_path)
        assert written == left_out, ".".join(path)


def test_a_default_that_differs_from_the_code_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The check above, on a schema that documents a wrong default: the two configs differ.
    import yaml

    base = {"teams": {"web": {"lead": "alice"}}}
    explicit = {**base, "yolo": {"label": "not-the-default"}}
    left_out = parse_config(yaml.safe_dump(base), CONFIG_NAME, base_dir=tmp_path)
    assert parse_config(yaml.safe_dump(explicit), CONFIG_NAME, base_dir=tmp_path) != left_out


@pytest.mark.parametrize("text", [ISSUE_EXAMPLE, embedded_example_text()], ids=["issue", "shipped"])
def test_example_validates_against_the_schema(text: str) -> None:
    from jsonschema import Draft202012Validator

    data, _ = parse_yaml(text, CONFIG_NAME)
    errors = list(Draft202012Validator(config_module.schema()).iter_errors(data))
    assert errors == []


def test_schema_rejects_what_the_cli_rejects() -> None:
    """Editors using the schema see the same mistakes: unknown keys and bad cadences."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(config_module.schema())
    for bad in (_add_nested(ISSUE_EXAMPLE), edit(ISSUE_EXAMPLE, "every: 2w", 'every: "2 weeks"')):
        data, _ = parse_yaml(bad, CONFIG_NAME)
        assert not validator.is_valid(data)
