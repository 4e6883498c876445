"""Sprint issues: one per small team per sprint, opened ahead of time, linked to the previous one,
with its goals carried into the retrospective, never twice."""

from __future__ import annotations

from gh_ops.registry import Capability
from gh_ops.sprint import commands, samples, settings

CAPABILITY = Capability(
    name="sprint",
    section=settings.SECTION,
    commands=(commands.sprint,),
    previews=samples.PREVIEWS,
    check_templates=samples.check_templates,
)
