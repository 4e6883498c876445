"""Yolo merges: changes that reach the default branch without someone other than their author
checking them, caught on merge, push and review, and audited over time."""

from __future__ import annotations

from gh_ops.registry import Capability
from gh_ops.yolo import commands, settings

CAPABILITY = Capability(name="yolo", section=settings.SECTION, commands=(commands.yolo,))
