"""The `priority:` section: which issues are bugs, where a priority comes from, the managed label set,
CVSS ranges and the triage sweep."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from gh_ops.config import Section, Source

# Bug priorities. The priority labels are one family: a bug carries exactly one of them. The lower
# the number, the higher the priority; a security-Pn label ranks with Pn.
PRIORITY_LABELS = ("P0", "P1", "P2", "P3", "security-P0", "security-P1", "security-P2", "security-P3")
SECURITY_LABEL = "security"


@dataclass(frozen=True)
class ManagedLabel:
    """A label `priority labels` creates and keeps at this colour and description."""

    name: str
    color: str  # six lowercase hex digits, no #
    description: str


# The handbook's label set, in its order. Descriptions are at most 100 characters (GitHub's limit).
DEFAULT_PRIORITY_LABELS = (
    ManagedLabel("P0", "b60205", "Critical, breaking: a crash or missing functionality. Drop everything."),
    ManagedLabel("P1", "d93f0b", "Urgent, not breaking: it works, but it is hard to use."),
    ManagedLabel("P2", "fbca04", "Semi-urgent: it works, and the experience suffers."),
    ManagedLabel("P3", "c5def5", "Icebox: fix when there is time."),
    ManagedLabel("security-P0", "5c0000", "Security, critical (CVSS 9.0-10.0): e.g. remote code execution."),
    ManagedLabel("security-P1", "a80000", "Security, high (CVSS 7.0-8.9): e.g. stored XSS."),
    ManagedLabel("security-P2", "e4606d", "Security, medium (CVSS 4.0-6.9): e.g. reflected XSS."),
    ManagedLabel("security-P3", "f9c4c9", "Security, low (CVSS 0.1-3.9): e.g. debug information shown."),
    ManagedLabel("security", "ee0701", "A vulnerability: keep the details out of public issues."),
)


@dataclass(frozen=True)
class PriorityRule:
    """A regular expression searched in a bug's title and body, and the label it gives."""

    match: str
    label: str


@dataclass(frozen=True)
class PrioritySettings:
    """Bug priorities: which issues are bugs, where a priority comes from, the label set, triage."""

    bug_labels: tuple[str, ...] = ("bug",)
    bug_title_prefixes: tuple[str, ...] = ()
    bug_form_questions: tuple[str, ...] = ()
    form_question: str = "Priority"
    untriaged_after: timedelta = timedelta(days=2)
    triage_team: str | None = None  # "@org/team", or a key of teams:
    rules: tuple[PriorityRule, ...] = (PriorityRule("(?i)crash|data loss", "P0"),)
    # (label, lowest score), highest first: a score gets the first label whose minimum it reaches.
    cvss: tuple[tuple[str, float], ...] = (
        ("security-P0", 9.0),
        ("security-P1", 7.0),
        ("security-P2", 4.0),
        ("security-P3", 0.1),
    )
    private_repo: str | None = None
    private_place: str | None = None
    labels: tuple[ManagedLabel, ...] = DEFAULT_PRIORITY_LABELS  # the built-in ones, then the config's

    def managed_labels(self) -> dict[str, str]:
        """The labels `priority apply` puts on issues and takes off. The other labels of `labels` are
        only kept at their colour and description: another section may use them."""
        return {name: "priority.labels" for name in (*PRIORITY_LABELS, SECURITY_LABEL)}


def build(source: Source) -> PrioritySettings:
    raw = source.raw("priority")
    teams = source.teams
    defaults = PrioritySettings()
    problem = source.problem

    untriaged_after = defaults.untriaged_after
    if "untriaged_after" in raw:
        untriaged_after = source.duration(
            raw["untriaged_after"], "priority.untriaged_after", defaults.untriaged_after
        )
    team = raw.get("triage_team")
    if team is not None:
        team = team.lstrip("@")
        if "/" not in team and team not in teams:
            known = ", ".join(sorted(teams)) or "none defined"
            problem(
                f"triage_team {raw['triage_team']!r} is neither a GitHub team (@org/team) nor a team id "
                f"from teams: ({known})",
                "priority.triage_team",
            )
    rules = defaults.rules
    if "rules" in raw:
        rules = tuple(PriorityRule(r["match"], r["label"]) for r in raw["rules"])
        for i, rule in enumerate(rules):
            try:
                re.compile(rule.match)
            except re.error as exc:
                problem(f"{rule.match!r} is not a regular expression: {exc}", f"priority.rules.{i}.match")
    cvss = defaults.cvss
    for label, score in (raw.get("cvss") or {}).items():
        if not math.isfinite(score):  # .nan passes the schema's range (it compares false to both ends)
            problem(f"{score} is not a CVSS score: give one from 0.1 to 10.0", f"priority.cvss.{label}")
    if "cvss" in raw and not any(not math.isfinite(score) for score in raw["cvss"].values()):
        cvss = tuple(sorted(((k, float(v)) for k, v in raw["cvss"].items()), key=lambda kv: -kv[1]))
        if cvss and cvss[-1][1] > 0.1:
            # The map replaces the defaults: a gap at the bottom would leave low scores unlabelled.
            problem(
                f"no label starts at 0.1: scores from 0.1 to below {cvss[-1][1]} would get none "
                f"(give the lowest label, {cvss[-1][0]}, 0.1, or list every label)",
                f"priority.cvss.{cvss[-1][0]}",
            )
        seen: dict[float, str] = {}
        for label, low in cvss:
            if low in seen:
                problem(
                    f"{label} and {seen[low]} both start at {low}: give each label its own lowest score",
                    f"priority.cvss.{label}",
                )
            seen[low] = label
    bug_labels = tuple(raw.get("bug_labels", defaults.bug_labels))
    for index, name in enumerate(bug_labels):
        if name.casefold() in _SET_BY_GH_OPS:
            role = "for a CVSS vector" if name.casefold() == SECURITY_LABEL else "as a priority"
            problem(
                f"{name!r} is a label gh-ops puts on issues itself ({role}): as a bug label, every issue "
                "gh-ops gave it would become a bug. Remove it from bug_labels",
                f"priority.bug_labels.{index}",
            )
    labels = {label.name.casefold(): label for label in DEFAULT_PRIORITY_LABELS}
    written: dict[str, str] = {}
    for name, settings in (raw.get("labels") or {}).items():
        if name.casefold() in written:
            problem(
                f"{name!r} and {written[name.casefold()]!r} are one label on GitHub (names compare in "
                "any case): give it once",
                f"priority.labels.{name}",
            )
        written[name.casefold()] = name
        builtin = labels.get(name.casefold())
        color = settings.get("color", builtin.color if builtin else "ededed").lstrip("#").lower()
        description = settings.get("description", builtin.description if builtin else "")
        labels[name.casefold()] = ManagedLabel(builtin.name if builtin else name, color, description)
    return PrioritySettings(
        bug_labels=bug_labels,
        bug_title_prefixes=tuple(p.strip() for p in raw.get("bug_title_prefixes", ())),
        bug_form_questions=tuple(raw.get("bug_form_questions", ())),
        form_question=raw.get("form_question", defaults.form_question).strip(),
        untriaged_after=untriaged_after,
        triage_team=team,
        rules=rules,
        cvss=cvss,
        private_repo=raw.get("private_repo"),
        private_place=raw.get("private_place"),
        labels=tuple(labels.values()),
    )


_SET_BY_GH_OPS = frozenset(name.casefold() for name in (*PRIORITY_LABELS, SECURITY_LABEL))


SCHEMA: dict[str, Any] = {
    "priority": {
        "type": "object",
        "additionalProperties": False,
        "description": (
            "Bug priorities: the managed label set, how gh-ops chooses a priority, and the triage "
            "sweep. Every key has a default, so the section may be left out."
        ),
        "properties": {
            "bug_labels": {
                "$ref": "#/$defs/labels",
                "description": "An issue with any of these labels is a bug. Default: [bug].",
                "default": [
                    "bug",
                ],
            },
            "bug_title_prefixes": {
                "type": "array",
                "uniqueItems": True,
                "items": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 50,
                    "pattern": "\\S",
                    "x-expect": "a title prefix of 1 to 50 characters such as [Bug] or Bug:",
                },
                "description": (
                    "An issue whose title starts with one of these (in any case) is a bug. Default: none."
                ),
                "default": [],
            },
            "bug_form_questions": {
                "type": "array",
                "uniqueItems": True,
                "items": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 100,
                    "x-expect": "an issue form question of 1 to 100 characters",
                },
                "description": (
                    "An issue whose body answers one of these issue-form questions (a `### Question` "
                    "heading) is a bug, e.g. Steps to reproduce. Default: none."
                ),
                "default": [],
            },
            "form_question": {
                "type": "string",
                "minLength": 1,
                "maxLength": 100,
                "x-expect": "an issue form question of 1 to 100 characters",
                "description": (
                    "The issue-form question whose answer (`### Priority` then the choice) sets the "
                    "priority. Default: Priority."
                ),
                "default": "Priority",
            },
            "untriaged_after": {
                "type": "string",
                "pattern": "^[1-9][0-9]*[dh]$",
                "x-expect": "a duration in whole days or hours such as 2d or 12h",
                "description": (
                    "`priority triage` asks for a priority on open bugs without one that are older "
                    "than this. Default: 2d."
                ),
                "default": "2d",
            },
            "triage_team": {
                "type": "string",
                "pattern": "^@?[A-Za-z0-9][A-Za-z0-9_-]*(/[A-Za-z0-9._-]+)?$",
                "x-expect": "a GitHub team written @org/team, or a team id from teams:",
                "description": (
                    "Who the triage comment mentions: a GitHub team (@org/team), or a team id from "
                    "teams: (its lead and members). Default: nobody."
                ),
            },
            "rules": {
                "type": "array",
                "description": (
                    "Regular expressions (Python syntax) searched in the title and body of a bug; the"
                    " first that matches gives its label. Default: one rule, (?i)crash|data loss -> "
                    "P0."
                ),
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": [
                        "match",
                        "label",
                    ],
                    "properties": {
                        "match": {
                            "type": "string",
                            "minLength": 1,
                            "x-expect": "a regular expression",
                        },
                        "label": {
                            "$ref": "#/$defs/priority_label",
                        },
                    },
                },
                "default": [
                    {
                        "match": "(?i)crash|data loss",
                        "label": "P0",
                    },
                ],
            },
            "cvss": {
                "type": "object",
                "description": (
                    "The lowest CVSS score of each label: a score gets the label with the highest "
                    "minimum it reaches. Default: security-P0 9.0, security-P1 7.0, security-P2 4.0, "
                    "security-P3 0.1."
                ),
                "propertyNames": {
                    "$ref": "#/$defs/priority_label",
                },
                "minProperties": 1,
                "additionalProperties": {
                    "type": "number",
                    "minimum": 0.1,
                    "maximum": 10.0,
                    "x-expect": "a CVSS score from 0.1 to 10.0",
                },
                "default": {
                    "security-P0": 9.0,
                    "security-P1": 7.0,
                    "security-P2": 4.0,
                    "security-P3": 0.1,
                },
            },
            "private_repo": {
                "type": [
                    "string",
                    "null",
                ],
                "pattern": "^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$",
                "x-expect": "a repository written OWNER/NAME, or null",
                "description": (
                    "A private repository of the same owner: a security issue filed in a public "
                    "repository is transferred there. Default: null (no transfer)."
                ),
                "default": None,
            },
            "private_place": {
                "type": "string",
                "minLength": 1,
                "maxLength": 300,
                "x-expect": "a URL or short text of 1 to 300 characters",
                "description": (
                    "Where reporters should send vulnerability details (a URL or an address), named "
                    "in the comment on a public security issue. Default: the repository's private "
                    "vulnerability reporting page."
                ),
            },
            "labels": {
                "type": "object",
                "description": (
                    "More labels for `priority labels` to manage, or other colours and descriptions "
                    "for the built-in ones, by label name."
                ),
                "propertyNames": {
                    "$ref": "#/$defs/label",
                },
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "color": {
                            "type": "string",
                            "pattern": "^#?[0-9a-fA-F]{6}$",
                            "x-expect": "a colour of six hex digits such as b60205",
                        },
                        "description": {
                            "type": "string",
                            "maxLength": 100,
                            "x-expect": "a description of at most 100 characters",
                        },
                    },
                },
                "default": {},
            },
        },
    },
}

DEFS: dict[str, Any] = {
    "priority_label": {
        "enum": [
            "P0",
            "P1",
            "P2",
            "P3",
            "security-P0",
            "security-P1",
            "security-P2",
            "security-P3",
        ],
        "x-expect": "a priority label: P0, P1, P2, P3, security-P0, security-P1, security-P2, security-P3",
    },
}


# What `gh-ops init` writes for this section (the other keys are written commented out).
EXAMPLE: dict[str, Any] = {
    "priority": {
        "bug_labels": ["bug"],
        "untriaged_after": "2d",
        "rules": [{"match": "(?i)crash|data loss", "label": "P0"}],
    }
}

SECTION = Section(keys=("priority",), schema=SCHEMA, defs=DEFS, build=build, example=EXAMPLE)
