"""Bug priorities: one managed label set, one priority label per bug (from a person, the issue form,
a CVSS vector or the rules), security details kept out of public issues, and a triage sweep."""

from __future__ import annotations

from gh_ops.priority import commands, settings
from gh_ops.registry import Capability

CAPABILITY = Capability(name="priority", section=settings.SECTION, commands=(commands.priority,))
