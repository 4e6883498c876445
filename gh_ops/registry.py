"""The capabilities gh-ops has, one line each, and what each adds to the core. The core knows the
capabilities only through this list: adding one is a folder, a line here and its schema section.

A capability's package holds settings.SECTION (its part of the config file, with its slice of the
JSON Schema) and commands.CAPABILITY (its commands, preview kinds and template checks, and what
`gh-ops run` and the one workflow need: the events it handles, its scheduled and dispatchable jobs,
the token permissions it needs). They are loaded apart: `gh-ops --help` needs the commands, reading
the config needs the sections."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime

    import click

    from gh_ops.config import Config, Section
    from gh_ops.preview import PreviewKind, TemplateCheck

# Each capability is a package with the same shape (settings, rules, run, commands). The order is
# the order of `validate`'s report and of the schema.
PACKAGES = (
    "gh_ops.sprint",
    "gh_ops.people",
    "gh_ops.rfc",
    "gh_ops.priority",
    "gh_ops.yolo",
)


@dataclass(frozen=True)
class Trigger:
    """A workflow trigger a capability needs: the event and its activity types (none: every one)."""

    event: str  # e.g. "issues", "pull_request", "push"
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Job:
    """A command a workflow runs on a schedule or by hand: its command words, the arguments it needs
    there, and (for a scheduled job) the cron `gh-ops init` suggests, with why."""

    command: str  # command words, e.g. "yolo audit"
    args: tuple[str, ...] = ()  # e.g. ("--since", "7d")
    cron: str | None = None  # the suggested schedule (UTC); None: not a scheduled job
    why: str = ""  # one line: what it does, and why at that cadence

    @property
    def text(self) -> str:
        """The job as the config's `schedules:` map writes it, e.g. "yolo audit --since 7d"."""
        import shlex

        return shlex.join([*self.command.split(), *self.args])


@dataclass(frozen=True)
class Permission:
    """A GitHub token permission a capability needs, e.g. ("issues", "write", "open sprint issues")."""

    scope: str  # as `permissions:` writes it: contents, issues, pull-requests, checks ...
    level: str  # "read" or "write"
    why: str  # one line, written beside it in the workflow


@dataclass(frozen=True)
class Backfill:
    """What a schedule that did not run left undone, and the command that does it now."""

    what: str  # e.g. "sprint 12 of team web, due from 2026-11-20"
    command: str  # e.g. "gh-ops sprint open --now 2026-11-20 --team web"


# What a capability's scheduled jobs would have done between the last scheduled run (None: none is
# known) and now, had the schedule run (`gh-ops doctor` names each, with its backfill). Pure: from
# the config and the two moments alone, no request.
Missed = Callable[["Config", "datetime | None", "datetime"], tuple[Backfill, ...]]


# What `gh-ops run` runs for an event: the event's name, its payload and the loaded config in; the
# command lines (each a tuple of words and options, e.g. ("yolo", "check")) out. Pure and cheap:
# it decides from the payload alone, so an event a capability does not handle costs no request.
Route = Callable[[str, Mapping[str, Any], "Config"], tuple[tuple[str, ...], ...]]


@dataclass(frozen=True)
class Capability:
    """What one capability adds to gh-ops."""

    name: str  # its package's name
    commands: tuple[click.Command, ...]  # added to the `gh-ops` group
    previews: tuple[PreviewKind, ...] = ()  # the kinds of issue `gh-ops preview KIND` renders
    check_templates: Callable[[TemplateCheck], None] | None = None  # its part of `gh-ops validate`
    personal: bool = False  # its commands and previews handle a person's details: kept out of logs
    # --- for `gh-ops run` and the one workflow (gh_ops.workflow renders it from these) ---
    triggers: tuple[Trigger, ...] = ()  # the events it handles (schedule and workflow_dispatch aside)
    route: Route | None = None  # what it runs for one of those events (`gh-ops run`)
    scheduled: tuple[Job, ...] = ()  # its jobs for `schedule`, each with a suggested cron
    dispatchable: tuple[Job, ...] = ()  # its jobs a person may start by hand (workflow_dispatch)
    permissions: tuple[Permission, ...] = ()  # what its token needs, each with why
    missed: Missed | None = None  # what its scheduled jobs missed while the schedule did not run
    # The repositories it writes personal or security details to, each with the config key that
    # names it (the current repository given): `gh-ops doctor` checks that each is private.
    private_repos: Callable[[Config, str], tuple[tuple[str, str], ...]] | None = None
    step_env: tuple[tuple[str, str, str], ...] = ()  # (variable, the secret it comes from, why)
    # Files `gh-ops init` writes for it beside the config, as (path from the repository root, text).
    starter_files: tuple[tuple[str, str], ...] = ()


@cache
def capabilities() -> tuple[Capability, ...]:
    """What each capability adds to the CLI (from its commands.py)."""
    found = []
    for package in PACKAGES:
        capability = importlib.import_module(f"{package}.commands").CAPABILITY
        assert isinstance(capability, Capability), package
        found.append(capability)
    return tuple(found)


@cache
def sections() -> tuple[Section, ...]:
    """Each capability's part of the config file (from its settings.py)."""
    from gh_ops.config import Section

    found = []
    for package in PACKAGES:
        section = importlib.import_module(f"{package}.settings").SECTION
        assert isinstance(section, Section), package
        found.append(section)
    return tuple(found)


def enabled(config: Config) -> tuple[Capability, ...]:
    """The capabilities the config enables: those with one of their sections in the file."""
    return tuple(
        capability
        for capability, section in zip(capabilities(), sections(), strict=True)
        if set(section.keys) & config.present
    )
