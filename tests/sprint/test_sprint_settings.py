"""The `sprint:` section and each team's `sprint:` override: schedules per team, shown in previews."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from configfiles import (
    CONFIG_NAME,
    ISSUE_EXAMPLE,
    assert_one_config_error,
    edit,
    line_of,
    run_cli,
    validate_text,
)

from gh_ops.config import parse_config
from gh_ops.sprint.settings import SprintSchedule, SprintSettings

pytestmark = pytest.mark.usefixtures("no_wall_clock")


WEEKLY_INFRA = edit(
    ISSUE_EXAMPLE,
    "    members: [dave, erin]\n",
    "    members: [dave, erin]\n    sprint:\n      every: 1w\n",
)


def test_team_sprint_override_changes_only_that_team() -> None:
    schedules = parse_config(WEEKLY_INFRA, CONFIG_NAME, base_dir=None).section(SprintSettings).schedules
    assert schedules["infra"] == SprintSchedule(1, date(2026, 1, 5), 3)
    assert schedules["web"] == SprintSchedule(2, date(2026, 1, 5), 3)


def test_team_sprint_override_shows_in_the_preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / CONFIG_NAME).write_text(WEEKLY_INFRA, encoding="utf-8")
    infra = run_cli(["--config", CONFIG_NAME, "preview", "sprint", "--team", "infra", "--now", "2026-11-20"])
    web = run_cli(["--config", CONFIG_NAME, "preview", "sprint", "--team", "web", "--now", "2026-11-20"])
    assert infra.exit_code == 0 and web.exit_code == 0
    # weekly from 5 Jan 2026: sprint 47 starts Monday 23 Nov and ends that Sunday
    assert "title: Team Infra · Sprint 47 · 23 Nov – 29 Nov 2026\n" in infra.stdout
    assert "title: Team Web · Sprint 24 · 23 Nov – 6 Dec 2026\n" in web.stdout


def test_team_with_sprints_disabled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = edit(
        ISSUE_EXAMPLE,
        "    members: [dave, erin]\n",
        "    members: [dave, erin]\n    sprint:\n      enabled: false\n",
    )
    schedules = parse_config(text, CONFIG_NAME, base_dir=None).section(SprintSettings).schedules
    assert "infra" not in schedules
    assert "web" in schedules

    monkeypatch.chdir(tmp_path)
    (tmp_path / CONFIG_NAME).write_text(text, encoding="utf-8")
    validated = run_cli(["--config", CONFIG_NAME, "validate"])
    assert validated.exit_code == 0, validated.output
    assert "rendered for web " in validated.output
    asked = run_cli(
        [
            "--config",
            CONFIG_NAME,
            "--repo",
            "acme/widgets",
            "sprint",
            "open",
            "--dry-run",
            "--team",
            "infra",
        ]
    )
    assert asked.exit_code == 2
    assert "team infra has sprints disabled" in asked.output
    previewed = run_cli(["--config", CONFIG_NAME, "preview", "sprint", "--team", "infra"])
    assert previewed.exit_code == 2
    assert "team infra has sprints disabled" in previewed.output


# --- the kind label ------------------------------------------------------------------------------


def test_the_kind_label_defaults_and_can_be_named() -> None:
    assert parse_config(ISSUE_EXAMPLE, CONFIG_NAME, base_dir=None).section(SprintSettings).kind_label == (
        "gh-ops:sprint"
    )
    text = ISSUE_EXAMPLE + "  kind_label: bots/sprint\n"
    assert parse_config(text, CONFIG_NAME, base_dir=None).section(SprintSettings).kind_label == "bots/sprint"


@pytest.mark.parametrize(
    ("addition", "snippet", "key", "says"),
    [
        # Another section taking the label on and off other issues would make every sprint run
        # read those too, or (taking it off a sprint issue) send it looking the slow way.
        (
            "yolo:\n  label: GH-OPS:Sprint\n",
            "label: GH-OPS:Sprint",
            "yolo.label",
            "yolo.label 'GH-OPS:Sprint' is also managed by sprint.kind_label ('gh-ops:sprint')",
        ),
        (
            "  kind_label: rfc\n",
            "kind_label: rfc",
            "sprint.kind_label",
            "sprint.kind_label 'rfc' is also managed by rfc.label",
        ),
        # The listing's labels filter is a comma-separated list: such a name could not be found.
        (
            "  kind_label: sprint,ops\n",
            "kind_label:",
            "sprint.kind_label",
            "expected a label name of 1 to 50 characters without a comma",
        ),
    ],
)
def test_a_kind_label_that_cannot_work_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, addition: str, snippet: str, key: str, says: str
) -> None:
    text = ISSUE_EXAMPLE + addition
    result = validate_text(tmp_path, monkeypatch, text)
    assert_one_config_error(result, line=line_of(text, snippet), key=key, says=says)
