"""The `rfc:` section: which pull requests are RFCs, the headings of their sections, their limits,
labels and reminders."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from gh_ops.config import Section, Source

# The sections of an RFC, by id, each with the headings that name it (compared in any case, with
# punctuation and emoji ignored). The first heading is the one `gh-ops rfc new` writes.
RFC_SECTIONS: dict[str, tuple[str, ...]] = {
    "decision_to_make": (
        "Decision to be made",
        "Decision to make",
        "Decision needed",
        "The decision",
        "What is being decided",
        "What are we deciding",
        "Question",
    ),
    "decision_maker": (
        "Decision maker",
        "Who decides",
        "Who will decide",
        "Decider",
        "Decided by",
    ),
    "decision_date": (
        "Decision date",
        "Deadline",
        "Decide by",
        "Decision by",
        "Decision deadline",
        "By when",
        "When",
    ),
    "feedback": (
        "Feedback wanted from",
        "Feedback needed from",
        "Feedback from",
        "Feedback",
        "Reviewers",
        "Who should give feedback",
        "Input wanted from",
    ),
    "problem": ("Problem", "The problem", "Problem statement", "Motivation", "Why"),
    "recommendation": (
        "Recommendation",
        "Our recommendation",
        "Proposal",
        "Proposed solution",
        "Recommended option",
    ),
    "context": ("Context", "Background", "Useful context", "Context for reviewers"),
    "decision": ("Decision", "Decision made", "Final decision", "Outcome", "Resolution"),
}


@dataclass(frozen=True)
class RfcSettings:
    """Requests for comments: which pull requests are RFCs, their sections and their limits."""

    title_prefix: str = "RFC:"
    label: str = "rfc"
    folder: str = "requests-for-comments/"  # always ends with one /
    max_decision_days: int = 7
    remind_every: timedelta = timedelta(days=1)
    chat_webhook_env: str = "GH_OPS_CHAT_WEBHOOK"  # the variable's name, never the URL
    assign_feedback: bool = False  # assign the feedback people (False: the comment asks the author to)
    overdue_label: str = "rfc:overdue"
    no_decision_label: str = "rfc:no-decision"
    template: str = "rfc.md"
    sections: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(RFC_SECTIONS))

    @property
    def labels(self) -> dict[str, str]:
        """The labels RFCs use, by role: rfc, overdue, no_decision."""
        return {"rfc": self.label, "overdue": self.overdue_label, "no_decision": self.no_decision_label}

    def managed_labels(self) -> dict[str, str]:
        """The labels gh-ops puts on RFC pull requests by its own rules (and takes off again)."""
        return {
            self.label: "rfc.label",
            self.overdue_label: "rfc.overdue_label",
            self.no_decision_label: "rfc.no_decision_label",
        }


def heading_key(text: str) -> str:
    """A heading as RFC sections match it: lower case, words only (no punctuation, emoji or numbering)."""
    words = "".join(ch if unicodedata.category(ch)[0] in "LN" else " " for ch in text.casefold()).split()
    while words and words[0].isdigit():  # "1. Problem", "2) Context"
        words.pop(0)
    return " ".join(words)


def build(source: Source) -> RfcSettings:
    raw = source.raw("rfc")
    defaults = RfcSettings()
    folder = raw.get("folder", defaults.folder).strip().replace("\\", "/")
    while folder.startswith("./"):
        folder = folder[2:]
    parts = [p for p in folder.split("/") if p not in ("", ".")]
    if folder.startswith("/") or ".." in parts or not parts:
        source.problem(
            f"folder {raw['folder']!r} must be a folder inside the repository, such as "
            "requests-for-comments/ (no leading /, no ..)",
            "rfc.folder",
        )
    remind_every = defaults.remind_every
    if "remind_every" in raw:
        remind_every = source.duration(raw["remind_every"], "rfc.remind_every", defaults.remind_every)
    labels = {key: raw.get(key, getattr(defaults, key)) for key in LABEL_KEYS}
    _distinct_labels(labels, source)
    return RfcSettings(
        title_prefix=raw.get("title_prefix", defaults.title_prefix).strip(),
        label=labels["label"],
        folder="/".join(parts) + "/",
        max_decision_days=raw.get("max_decision_days", defaults.max_decision_days),
        remind_every=remind_every,
        chat_webhook_env=raw.get("chat_webhook_env", defaults.chat_webhook_env),
        assign_feedback=raw.get("assign_feedback", defaults.assign_feedback),
        overdue_label=labels["overdue_label"],
        no_decision_label=labels["no_decision_label"],
        template=raw.get("template", defaults.template),
        sections=_sections(raw.get("sections") or {}, source),
    )


# The keys of the labels gh-ops adds and removes on RFCs, each on its own condition.
LABEL_KEYS = ("label", "overdue_label", "no_decision_label")


def _distinct_labels(labels: dict[str, str], source: Source) -> None:
    """Two roles sharing one label (GitHub compares label names in any case) would make it flap:
    added for one reason, removed for the other on the same run or the next. The key written
    later in the file is named (one left at its default is taken as written first)."""
    order = sorted(LABEL_KEYS, key=lambda key: source.lines.get(f"rfc.{key}", 0))
    for n, key in enumerate(order):
        same = next((k for k in order[:n] if labels[k].casefold() == labels[key].casefold()), None)
        if same is not None:
            source.problem(
                f"{key} and {same} are both {labels[key]!r}: gh-ops adds and removes each of them "
                "on its own, so one label for both would be taken off as soon as it is put on. "
                "Give them different names",
                f"rfc.{key}",
            )


def _sections(raw: dict[str, list[str]], source: Source) -> dict[str, tuple[str, ...]]:
    """The built-in headings plus the configured ones; a configured heading belongs to its section only."""
    claimed: dict[str, str] = {}  # heading key -> the section the config gives it to
    for section, headings in raw.items():
        for i, heading in enumerate(headings):
            key = heading_key(heading)
            where = f"rfc.sections.{section}.{i}"
            if not key:
                source.problem(f"heading {heading!r} has no letters or digits", where)
            elif claimed.get(key, section) != section:
                source.problem(
                    f"heading {heading!r} is also given to section {claimed[key]}: "
                    "a heading can name one section only",
                    where,
                )
            else:
                claimed[key] = section
    merged: dict[str, tuple[str, ...]] = {}
    for section, builtin in RFC_SECTIONS.items():
        kept = [h for h in builtin if claimed.get(heading_key(h), section) == section]
        added = [h for h in raw.get(section, []) if heading_key(h) not in {heading_key(k) for k in kept}]
        merged[section] = tuple(kept + added)
    return merged


SCHEMA: dict[str, Any] = {
    "rfc": {
        "type": "object",
        "additionalProperties": False,
        "description": (
            "Requests for comments: pull requests that propose a decision. Every key has a default, "
            "so the section may be left out."
        ),
        "properties": {
            "title_prefix": {
                "type": "string",
                "minLength": 1,
                "maxLength": 50,
                "x-expect": "a title prefix of 1 to 50 characters, such as RFC:, that is not only spaces",
                "description": (
                    "A pull request whose title starts with this (in any case) is an RFC. Default: RFC:."
                ),
                "pattern": "\\S",
                "default": "RFC:",
            },
            "label": {
                "$ref": "#/$defs/label",
                "description": "A pull request with this label is an RFC. Default: rfc.",
                "default": "rfc",
            },
            "folder": {
                "type": "string",
                "minLength": 1,
                "x-expect": "a folder of the repository such as requests-for-comments/",
                "description": (
                    "A pull request that changes a file under this folder is an RFC; `gh-ops rfc new`"
                    " writes there. Default: requests-for-comments/."
                ),
                "default": "requests-for-comments/",
            },
            "max_decision_days": {
                "type": "integer",
                "minimum": 0,
                "maximum": 365,
                "x-expect": "a whole number of days from 0 to 365",
                "description": (
                    "The decision date may be at most this many days after the pull request was "
                    "opened (0: the same day). Default: 7."
                ),
                "default": 7,
            },
            "remind_every": {
                "type": "string",
                "pattern": "^[1-9][0-9]*[dh]$",
                "x-expect": "a duration in whole days or hours such as 1d or 12h",
                "description": (
                    "How often to remind the decision maker of an RFC that is due or overdue. Default: 1d."
                ),
                "default": "1d",
            },
            "chat_webhook_env": {
                "type": "string",
                "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
                "x-expect": "an environment variable name such as GH_OPS_CHAT_WEBHOOK",
                "description": (
                    "The name of the environment variable that holds the chat webhook URL (never the "
                    "URL itself). Default: GH_OPS_CHAT_WEBHOOK."
                ),
                "default": "GH_OPS_CHAT_WEBHOOK",
            },
            "assign_feedback": {
                "type": "boolean",
                "x-expect": "true or false",
                "description": (
                    "Assign the people named under Feedback to the pull request when they are not "
                    "assigned yet (false: the RFC comment lists them and asks the author to). "
                    "Default: false."
                ),
                "default": False,
            },
            "overdue_label": {
                "$ref": "#/$defs/label",
                "description": (
                    "Label on an open RFC whose decision date has passed with no decision recorded; "
                    "removed once it is recorded. Default: rfc:overdue."
                ),
                "default": "rfc:overdue",
            },
            "no_decision_label": {
                "$ref": "#/$defs/label",
                "description": "Label on an RFC merged with no decision recorded. Default: rfc:no-decision.",
                "default": "rfc:no-decision",
            },
            "template": {
                "type": "string",
                "minLength": 1,
                "description": "Template file name for `gh-ops rfc new`. Default: rfc.md.",
                "default": "rfc.md",
            },
            "sections": {
                "type": "object",
                "description": (
                    "More headings to recognise for a section, by section id. They are added to the "
                    "built-in headings; a heading listed here is recognised only for this section."
                ),
                "propertyNames": {
                    "enum": list(RFC_SECTIONS),
                    "x-expect": f"a section id: {', '.join(RFC_SECTIONS)}",
                },
                "additionalProperties": {
                    "type": "array",
                    "minItems": 1,
                    "uniqueItems": True,
                    "items": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 100,
                        "x-expect": "a heading of 1 to 100 characters",
                    },
                },
                "default": {},
            },
        },
    },
}


# What `gh-ops init` writes for this section (the other keys are written commented out).
EXAMPLE: dict[str, Any] = {
    "rfc": {"folder": "requests-for-comments/", "label": "rfc", "max_decision_days": 7, "remind_every": "1d"}
}

SECTION = Section(keys=("rfc",), schema=SCHEMA, build=build, example=EXAMPLE)
