"""The `rfc:` section of the config: defaults, durations, folders and the section headings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from configfiles import CONFIG_NAME, ISSUE_EXAMPLE

from gh_ops import config as config_module
from gh_ops.config import parse_config
from gh_ops.errors import ConfigError
from gh_ops.rfc.settings import RFC_SECTIONS, RfcSettings

RFC_EXAMPLE = """\
rfc:
  title_prefix: "RFC:"
  label: rfc
  folder: requests-for-comments/
  max_decision_days: 7
  remind_every: 1d
  chat_webhook_env: GH_OPS_CHAT_WEBHOOK   # name of the env var holding the webhook URL
"""


def test_rfc_defaults_when_the_section_is_absent() -> None:
    config = parse_config(ISSUE_EXAMPLE, CONFIG_NAME, base_dir=None)
    assert config.section(RfcSettings) == RfcSettings()
    assert config.section(RfcSettings) == RfcSettings(
        title_prefix="RFC:",
        label="rfc",
        folder="requests-for-comments/",
        max_decision_days=7,
        remind_every=timedelta(days=1),
        chat_webhook_env="GH_OPS_CHAT_WEBHOOK",
        template="rfc.md",
        sections=RFC_SECTIONS,
    )


def test_the_issue_rfc_example_gives_the_defaults() -> None:
    config = parse_config(ISSUE_EXAMPLE + RFC_EXAMPLE, CONFIG_NAME, base_dir=None)
    assert config.section(RfcSettings) == RfcSettings()
    assert (
        parse_config(ISSUE_EXAMPLE + "rfc: {}\n", CONFIG_NAME, base_dir=None).section(RfcSettings)
        == RfcSettings()
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1d", timedelta(days=1)),
        ("3d", timedelta(days=3)),
        ("1h", timedelta(hours=1)),
        ("36h", timedelta(hours=36)),
    ],
)
def test_rfc_reminder_interval(written: str, expected: timedelta) -> None:
    config = parse_config(ISSUE_EXAMPLE + f"rfc:\n  remind_every: {written}\n", CONFIG_NAME, base_dir=None)
    assert config.section(RfcSettings).remind_every == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("requests-for-comments/", "requests-for-comments/"),
        ("requests-for-comments", "requests-for-comments/"),
        ("./docs//rfcs/", "docs/rfcs/"),
        ("docs/rfcs", "docs/rfcs/"),
    ],
)
def test_rfc_folder_is_normalised(written: str, expected: str) -> None:
    config = parse_config(ISSUE_EXAMPLE + f"rfc:\n  folder: {written}\n", CONFIG_NAME, base_dir=None)
    assert config.section(RfcSettings).folder == expected


def test_rfc_section_headings_add_to_the_built_in_ones() -> None:
    text = ISSUE_EXAMPLE + "rfc:\n  sections:\n    context: [Links]\n    problem: [Why, Pain point]\n"
    sections = parse_config(text, CONFIG_NAME, base_dir=None).section(RfcSettings).sections
    assert sections["context"] == (*RFC_SECTIONS["context"], "Links")
    assert sections["problem"] == (*RFC_SECTIONS["problem"], "Pain point")  # Why was built in already
    assert sections["decision_maker"] == RFC_SECTIONS["decision_maker"]


def test_an_rfc_heading_given_to_another_section_moves_there() -> None:
    # "Deadline" is built in for the decision date; a company that means something else by it says so.
    text = ISSUE_EXAMPLE + "rfc:\n  sections:\n    decision_to_make: [deadline]\n"
    sections = parse_config(text, CONFIG_NAME, base_dir=None).section(RfcSettings).sections
    assert "deadline" in sections["decision_to_make"]
    assert "Deadline" not in sections["decision_date"]


def test_built_in_rfc_headings_name_one_section_each() -> None:
    from gh_ops.rfc.settings import heading_key

    keys = [heading_key(h) for headings in RFC_SECTIONS.values() for h in headings]
    assert len(keys) == len(set(keys))
    ids = config_module.schema()["properties"]["rfc"]["properties"]["sections"]["propertyNames"]["enum"]
    assert ids == list(RFC_SECTIONS)


def test_one_label_in_all_three_rfc_roles_names_each_key_that_repeats_it() -> None:
    text = ISSUE_EXAMPLE + "rfc:\n  label: rfc\n  overdue_label: RFC\n  no_decision_label: Rfc\n"
    with pytest.raises(ConfigError) as caught:
        parse_config(text, CONFIG_NAME, base_dir=None)
    lines = text.splitlines()
    assert [(p.key, p.line) for p in caught.value.problems] == [
        ("rfc.overdue_label", lines.index("  overdue_label: RFC") + 1),
        ("rfc.no_decision_label", lines.index("  no_decision_label: Rfc") + 1),
    ]
    assert "overdue_label and label are both 'RFC'" in caught.value.problems[0].message
    assert "no_decision_label and label are both 'Rfc'" in caught.value.problems[1].message
