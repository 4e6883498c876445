"""The `yolo:` section of the config: its defaults and the mistakes people make writing it."""

from __future__ import annotations

from pathlib import Path

import pytest
from configfiles import CONFIG_NAME, ISSUE_EXAMPLE, line_of, validate_text

from gh_ops.config import parse_config
from gh_ops.yolo.settings import YoloSettings

pytestmark = pytest.mark.usefixtures("no_wall_clock")


def test_a_bot_login_unquoted_in_a_flow_list_says_to_quote_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`allow_bots: [dependabot[bot]]` is not YAML (a [ ] list cannot hold a bare [); say the fix."""
    text = ISSUE_EXAMPLE + "yolo:\n  allow_bots: [dependabot[bot]]\n"
    result = validate_text(tmp_path, monkeypatch, text)
    assert result.exit_code == 2
    assert f"{CONFIG_NAME}:{line_of(text, 'allow_bots')}:" in result.output
    assert "must be quoted, e.g. allow_bots: ['dependabot[bot]']" in result.output


def test_the_yolo_section_has_the_issues_defaults() -> None:
    config = parse_config("teams: {}\n", CONFIG_NAME, base_dir=None)
    assert config.section(YoloSettings) == YoloSettings(
        "emergency", ("dependabot[bot]",), "latest-on-head", "yolo-merge", False
    )
    assert parse_config("yolo: {}\n", CONFIG_NAME, base_dir=None).section(YoloSettings) == config.section(
        YoloSettings
    )


def test_allow_bots_takes_bot_logins() -> None:
    text = "yolo:\n  allow_bots: ['Renovate[bot]', '@dependabot[bot]']\n"
    settings = parse_config(text, CONFIG_NAME, base_dir=None).section(YoloSettings)
    assert settings.allow_bots == ("Renovate[bot]", "dependabot[bot]")
