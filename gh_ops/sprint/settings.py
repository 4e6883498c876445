"""The `sprint:` section and each team's `sprint:` override: the sprint calendar (cadence, anchor,
how early an issue opens), the template, labels and what happens to the previous issue."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from gh_ops.config import Section, Source

_CALENDAR_DAYS = (date.max - date.min).days // 4  # sprints longer than this cannot be scheduled
_WEEKS = re.compile(r"^([1-9][0-9]*)w$")


@dataclass(frozen=True)
class SprintSchedule:
    every_weeks: int
    anchor: date
    open_days_before: int

    @property
    def cadence_days(self) -> int:
        return self.every_weeks * 7


@dataclass(frozen=True)
class SprintSettings:
    configured: bool = False  # the file has a sprint: section (without one, no team holds sprints)
    template: str = "sprint.md"
    labels: tuple[str, ...] = ("sprint",)
    close_previous: bool = True
    goals_heading: str = "Goals"
    schedules: dict[str, SprintSchedule] = field(default_factory=dict)  # by team key; absent: no sprints
    # On every sprint issue gh-ops opens, whatever `labels` says: the issue listing filters by it,
    # so finding the sprint issues costs one read however many issues the repository holds.
    kind_label: str = "gh-ops:sprint"

    def managed_labels(self) -> dict[str, str]:
        """The label gh-ops puts on its sprint issues and finds them by (a section that also put it
        on, or took it off, other issues would make every run read more, or open a duplicate)."""
        return {self.kind_label: "sprint.kind_label"} if self.configured else {}


def build(source: Source) -> SprintSettings:
    if source.data.get("sprint") is None:
        return SprintSettings()
    raw = source.raw("sprint")
    defaults = SprintSettings()
    base: dict[str, Any] = {k: raw[k] for k in ("every", "anchor", "open_days_before") if k in raw}
    base.setdefault("open_days_before", 3)
    schedules: dict[str, SprintSchedule] = {}
    for key in source.teams:
        override = (source.data["teams"][key] or {}).get("sprint") or {}
        if override.get("enabled", True):
            schedules[key] = _schedule(source, f"teams.{key}", base, override)
    if not source.teams:
        source.problem("a sprint section needs at least one team under teams:", "sprint")
    return SprintSettings(
        configured=True,
        template=raw.get("template", defaults.template),
        labels=tuple(raw.get("labels", defaults.labels)),
        kind_label=raw.get("kind_label", defaults.kind_label),
        close_previous=raw.get("close_previous", defaults.close_previous),
        goals_heading=raw.get("goals_heading", defaults.goals_heading),
        schedules=schedules,
    )


def _schedule(source: Source, prefix: str, base: dict[str, Any], override: dict[str, Any]) -> SprintSchedule:
    """A team's calendar: the sprint section's, with the team's override; each problem names the key
    that causes it (the team's, or the shared one)."""
    merged = {**base, **{k: v for k, v in override.items() if k != "enabled"}}
    where = {k: (f"{prefix}.sprint.{k}" if k in override else f"sprint.{k}") for k in merged}
    weeks = int(_WEEKS.match(merged["every"]).group(1))  # type: ignore[union-attr]
    schedule = SprintSchedule(
        every_weeks=weeks,
        anchor=source.date(merged["anchor"], where["anchor"]),
        open_days_before=merged["open_days_before"],
    )
    if schedule.cadence_days > _CALENDAR_DAYS:
        source.problem(f"a sprint of {weeks} weeks is longer than the calendar", where["every"])
    elif schedule.open_days_before >= schedule.cadence_days:
        source.problem(
            f"open_days_before is {schedule.open_days_before} but a sprint lasts only "
            f"{schedule.cadence_days} days: it must be smaller, or two sprints would be due at once",
            where["open_days_before"],
        )
    elif not (
        date.min + timedelta(days=schedule.open_days_before)
        <= schedule.anchor
        <= date.max - timedelta(days=2 * schedule.cadence_days)
    ):
        # sprint 1, its window and the next sprint must be real dates
        source.problem(
            f"anchor {schedule.anchor} is too close to the edge of the calendar for sprints to fit around it",
            where["anchor"],
        )
    return schedule


SCHEMA: dict[str, Any] = {
    "sprint": {
        "$ref": "#/$defs/sprint",
        "description": "Sprint issues: one per team per sprint, opened before the sprint starts.",
    },
}

DEFS: dict[str, Any] = {
    "sprint": {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "every",
            "anchor",
        ],
        "properties": {
            "every": {
                "$ref": "#/$defs/weeks",
                "description": "Sprint length: 1w, 2w, 3w ...",
            },
            "anchor": {
                "$ref": "#/$defs/date",
                "description": "First day of sprint 1; sprint N starts (N-1) cadences later.",
            },
            "open_days_before": {
                "type": "integer",
                "minimum": 0,
                "description": "Open the issue this many days before the sprint starts. Default: 3.",
                "default": 3,
            },
            "template": {
                "type": "string",
                "minLength": 1,
                "description": "Template file name. Default: sprint.md.",
                "default": "sprint.md",
            },
            "labels": {
                "$ref": "#/$defs/labels",
                "description": "Labels for every sprint issue. Default: [sprint].",
                "default": [
                    "sprint",
                ],
            },
            "kind_label": {
                "type": "string",
                "minLength": 1,
                "maxLength": 50,
                "pattern": "^[^,]+$",
                "x-expect": "a label name of 1 to 50 characters without a comma",
                "description": (
                    "Label gh-ops puts on every sprint issue it opens and finds them by, so a run "
                    "reads one page however many issues the repository has. Default: gh-ops:sprint."
                ),
                "default": "gh-ops:sprint",
            },
            "close_previous": {
                "type": "boolean",
                "description": "Close the previous sprint issue once the new one is open. Default: true.",
                "default": True,
            },
            "goals_heading": {
                "type": "string",
                "minLength": 1,
                "description": (
                    "Heading of the goals checklist carried into the next retrospective. Default: Goals."
                ),
                "default": "Goals",
            },
        },
    },
    "weeks": {
        "type": "string",
        "pattern": "^[1-9][0-9]*w$",
        "x-expect": "a cadence in whole weeks such as 1w or 2w",
    },
    "date": {
        "type": "string",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        "x-expect": "a date written YYYY-MM-DD",
    },
}

TEAM_SCHEMA: dict[str, Any] = {
    "sprint": {
        "type": "object",
        "additionalProperties": False,
        "description": "Overrides of the sprint schedule for this team (e.g. a team that meets weekly).",
        "properties": {
            "every": {
                "$ref": "#/$defs/weeks",
            },
            "anchor": {
                "$ref": "#/$defs/date",
            },
            "open_days_before": {
                "type": "integer",
                "minimum": 0,
            },
            "enabled": {
                "type": "boolean",
                "description": "false: this team has no sprint issues.",
                "default": True,
            },
        },
    },
}


# What `gh-ops init` writes for this section (the other keys are written commented out).
EXAMPLE: dict[str, Any] = {"sprint": {"every": "2w", "anchor": "2026-01-05", "open_days_before": 3}}

SECTION = Section(
    keys=("sprint",), schema=SCHEMA, defs=DEFS, team_schema=TEAM_SCHEMA, build=build, example=EXAMPLE
)
