"""Requests for comments: decisions proposed in pull requests titled "RFC: ...", checked, reminded
and recorded."""

from __future__ import annotations

from gh_ops.registry import Capability
from gh_ops.rfc import commands, samples, settings

CAPABILITY = Capability(
    name="rfc",
    section=settings.SECTION,
    commands=(commands.rfc,),
    check_templates=samples.check_templates,
)
