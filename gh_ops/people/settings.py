"""The `people:`, `onboarding:` and `offboarding:` sections: where checklists live, their templates,
labels, the issue forms' labels, who else is assigned, and the access a leaver loses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gh_ops.config import Section, Source, login
from gh_ops.models import PERSON_LABEL_PREFIX

DEFAULT_ACCESS = (
    "Chat workspace (Slack)",
    "Google Workspace: email, calendar and drive (transfer ownership of documents first)",
    "Error tracking (Sentry)",
    "Cloud consoles (AWS and others)",
    "Password manager",
    "Payroll and HR tools",
    "Company card",
)


@dataclass(frozen=True)
class PeopleIssues:
    """Settings shared by onboarding and offboarding checklists."""

    template: str
    labels: tuple[str, ...]
    form_label: str
    assignees: tuple[str, ...]
    access: tuple[str, ...] = ()


@dataclass(frozen=True)
class PeopleSettings:
    repo: str | None = None  # the private repository for checklists (None: the current one, if private)
    onboarding: PeopleIssues = PeopleIssues("onboarding.md", ("onboarding",), "new-joiner", ())
    offboarding: PeopleIssues = PeopleIssues("offboarding.md", ("offboarding",), "leaver", (), DEFAULT_ACCESS)

    def of(self, kind: str) -> PeopleIssues:
        return self.onboarding if kind == "onboarding" else self.offboarding


def build(source: Source) -> PeopleSettings:
    defaults = PeopleSettings()
    onboarding = _issues(source.raw("onboarding"), defaults.onboarding)
    offboarding = _issues(source.raw("offboarding"), defaults.offboarding)
    if onboarding.form_label == offboarding.form_label:
        key = (
            "offboarding.form_label" if "offboarding.form_label" in source.lines else "onboarding.form_label"
        )
        source.problem(
            f"onboarding and offboarding share the form label {onboarding.form_label!r}: every "
            "request would carry both kinds' label",
            key,
        )
    for kind, issues in (("onboarding", onboarding), ("offboarding", offboarding)):
        for label in issues.labels:
            if label.lower().startswith(PERSON_LABEL_PREFIX):
                source.problem(
                    f"{label!r} looks like the label gh-ops gives each person's checklists "
                    f"({PERSON_LABEL_PREFIX}…, set by gh-ops alone): choose another name",
                    f"{kind}.labels",
                )
    return PeopleSettings(
        repo=source.raw("people").get("repo"), onboarding=onboarding, offboarding=offboarding
    )


def _issues(raw: dict[str, Any], defaults: PeopleIssues) -> PeopleIssues:
    return PeopleIssues(
        template=raw.get("template", defaults.template),
        labels=tuple(raw.get("labels", defaults.labels)),
        form_label=raw.get("form_label", defaults.form_label),
        assignees=tuple(login(a) for a in raw.get("assignees", defaults.assignees)),
        access=tuple(raw.get("access", defaults.access)),
    )


SCHEMA: dict[str, Any] = {
    "people": {
        "type": "object",
        "additionalProperties": False,
        "description": "Where joiner and leaver checklists live.",
        "properties": {
            "repo": {
                "$ref": "#/$defs/repo",
                "description": (
                    "Private repository for onboarding and offboarding issues. Default: the current "
                    "repository, if it is private."
                ),
            },
        },
    },
    "onboarding": {
        "type": "object",
        "additionalProperties": False,
        "description": "Onboarding checklist issues.",
        "properties": {
            "template": {
                "type": "string",
                "minLength": 1,
                "description": "Template file name. Default: onboarding.md.",
                "default": "onboarding.md",
            },
            "labels": {
                "$ref": "#/$defs/labels",
                "description": "Labels for every onboarding issue. Default: [onboarding].",
                "default": [
                    "onboarding",
                ],
            },
            "form_label": {
                "$ref": "#/$defs/label",
                "description": (
                    "The label the issue form puts on a request; gh-ops acts on issues events "
                    "carrying it. Default: new-joiner."
                ),
                "default": "new-joiner",
            },
            "assignees": {
                "$ref": "#/$defs/logins",
                "description": "Also assigned to every issue of this kind (e.g. someone in the People team).",
                "default": [],
            },
        },
    },
    "offboarding": {
        "type": "object",
        "additionalProperties": False,
        "description": "Offboarding checklist issues.",
        "properties": {
            "template": {
                "type": "string",
                "minLength": 1,
                "description": "Template file name. Default: offboarding.md.",
                "default": "offboarding.md",
            },
            "labels": {
                "$ref": "#/$defs/labels",
                "description": "Labels for every offboarding issue. Default: [offboarding].",
                "default": [
                    "offboarding",
                ],
            },
            "form_label": {
                "$ref": "#/$defs/label",
                "description": (
                    "The label the issue form puts on a request; gh-ops acts on issues events "
                    "carrying it. Default: leaver."
                ),
                "default": "leaver",
            },
            "assignees": {
                "$ref": "#/$defs/logins",
                "description": "Also assigned to every issue of this kind (e.g. someone in the People team).",
                "default": [],
            },
            "access": {
                "type": "array",
                "items": {
                    "type": "string",
                    "minLength": 1,
                },
                "description": (
                    "Systems to remove the leaver's access from, one checklist item each (GitHub "
                    "teams are read from the API)."
                ),
                "default": [
                    "Chat workspace (Slack)",
                    ("Google Workspace: email, calendar and drive (transfer ownership of documents first)"),
                    "Error tracking (Sentry)",
                    "Cloud consoles (AWS and others)",
                    "Password manager",
                    "Payroll and HR tools",
                    "Company card",
                ],
            },
        },
    },
}


# What `gh-ops init` writes for this section (the other keys are written commented out).
EXAMPLE: dict[str, Any] = {
    "onboarding": {"labels": ["onboarding"], "form_label": "new-joiner"},
    "offboarding": {"labels": ["offboarding"], "form_label": "leaver"},
}

SECTION = Section(keys=("people", "onboarding", "offboarding"), schema=SCHEMA, build=build, example=EXAMPLE)
