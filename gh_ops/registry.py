"""The capabilities gh-ops has, one line each, and what each adds to the core. The core knows the
capabilities only through this list: adding one is a folder, a line here and its schema section.

A capability's package holds settings.SECTION (its part of the config file, with its slice of the
JSON Schema) and commands.CAPABILITY (its commands, preview kinds and template checks). They are
loaded apart: `gh-ops --help` needs the commands, reading the config needs the sections."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import click

    from gh_ops.config import Section
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
class Capability:
    """What one capability adds to gh-ops."""

    name: str  # its package's name
    commands: tuple[click.Command, ...]  # added to the `gh-ops` group
    previews: tuple[PreviewKind, ...] = ()  # the kinds of issue `gh-ops preview KIND` renders
    check_templates: Callable[[TemplateCheck], None] | None = None  # its part of `gh-ops validate`
    personal: bool = False  # its commands and previews handle a person's details: kept out of logs


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
