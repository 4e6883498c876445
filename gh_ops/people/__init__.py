"""Onboarding and offboarding: one checklist issue per joiner and leaver in a private people
repository, dated from their first or last day, kept in step when the dates move."""

from __future__ import annotations

from gh_ops.people import commands, samples, settings
from gh_ops.registry import Capability

CAPABILITY = Capability(
    name="people",
    section=settings.SECTION,
    commands=(commands.onboarding, commands.offboarding),
    previews=samples.PREVIEWS,
    check_templates=samples.check_templates,
)
