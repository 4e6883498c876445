"""The `yolo:` section: what counts as reviewed, which bots pass, and the labels gh-ops uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gh_ops.config import Section, Source, login

APPROVAL_MODES = ("latest-on-head", "any-approval")


@dataclass(frozen=True)
class YoloSettings:
    """Yolo merges: what counts as reviewed, which bots pass, and the labels gh-ops uses."""

    emergency_label: str = "emergency"
    allow_bots: tuple[str, ...] = ("dependabot[bot]",)
    approval: str = "latest-on-head"  # or "any-approval" (see APPROVAL_MODES)
    label: str = "yolo-merge"
    follow_up_issue: bool = False  # emergency merges always get one

    def managed_labels(self) -> dict[str, str]:
        """The label `yolo check` puts on a pull request and takes off (the emergency label is only read)."""
        return {self.label: "yolo.label"}


def build(source: Source) -> YoloSettings:
    """The schema has checked every value; logins lose a leading @ like everywhere else."""
    raw = source.raw("yolo")
    defaults = YoloSettings()
    label = raw.get("label", defaults.label)
    emergency = raw.get("emergency_label", defaults.emergency_label)
    if label.casefold() == emergency.casefold():
        key = "yolo.label" if "yolo.label" in source.lines else "yolo.emergency_label"
        source.problem(
            f"label and emergency_label are both {label!r}: gh-ops would take its own yolo-merge "
            "label for an emergency. Give them different names",
            key,
        )
    allow_bots = tuple(login(b) for b in raw.get("allow_bots", defaults.allow_bots))
    for index, bot in enumerate(allow_bots):
        if not bot.casefold().endswith("[bot]"):
            # A person listed here would pass every change unreviewed; GitHub's bot logins end in [bot].
            source.problem(
                f"{bot!r} is not a bot login: allow_bots lets a bot's changes pass without a review, "
                "and a bot's login ends in [bot] (e.g. dependabot[bot], renovate[bot]). A person's "
                "changes always need a review: remove it",
                f"yolo.allow_bots.{index}",
            )
    return YoloSettings(
        emergency_label=emergency,
        allow_bots=allow_bots,
        approval=raw.get("approval", defaults.approval),
        label=label,
        follow_up_issue=raw.get("follow_up_issue", defaults.follow_up_issue),
    )


SCHEMA: dict[str, Any] = {
    "yolo": {
        "type": "object",
        "additionalProperties": False,
        "description": (
            "Yolo merges: changes that reach the default branch without someone other than their "
            "author checking them. Every key has a default, so the section may be left out."
        ),
        "properties": {
            "emergency_label": {
                "$ref": "#/$defs/label",
                "description": (
                    "A merged pull request with this label (or an `Emergency: <reason>` line in its "
                    "body) is recorded as an emergency merge and gets a follow-up issue asking for a "
                    "post-merge review. Default: emergency."
                ),
                "default": "emergency",
            },
            "allow_bots": {
                "$ref": "#/$defs/logins",
                "description": (
                    "Bot accounts (e.g. dependabot[bot], renovate[bot]) whose changes pass without a "
                    "human review; each must be a bot login, ending in [bot]. Other bots' changes are "
                    "yolo merges. Default: [dependabot[bot]]."
                ),
                "default": [
                    "dependabot[bot]",
                ],
            },
            "approval": {
                "type": "string",
                "enum": [
                    "latest-on-head",
                    "any-approval",
                ],
                "x-expect": "latest-on-head or any-approval",
                "description": (
                    "latest-on-head: the approval must be on the merged head commit, or on a commit "
                    "after which only merges of the base branch were added. any-approval: an approval"
                    " on any commit of the pull request counts. Either way it must be the reviewer's "
                    "latest opinion (not followed by changes requested, not dismissed). Default: "
                    "latest-on-head."
                ),
                "default": "latest-on-head",
            },
            "label": {
                "$ref": "#/$defs/label",
                "description": (
                    "Label on a pull request merged without a valid review; removed when a valid "
                    "post-merge approval arrives. Default: yolo-merge."
                ),
                "default": "yolo-merge",
            },
            "follow_up_issue": {
                "type": "boolean",
                "x-expect": "true or false",
                "description": (
                    "Also open a follow-up issue (assigned to the merger) for a yolo merge that is "
                    "not an emergency; emergency merges always get one. Default: false."
                ),
                "default": False,
            },
        },
    },
}


# What `gh-ops init` writes for this section (the other keys are written commented out).
EXAMPLE: dict[str, Any] = {"yolo": {"label": "yolo-merge", "emergency_label": "emergency"}}

SECTION = Section(keys=("yolo",), schema=SCHEMA, build=build, example=EXAMPLE)
