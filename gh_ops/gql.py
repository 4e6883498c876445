"""Reading GitHub's GraphQL answers: times and logins as the rest of gh-ops spells them."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def login(actor: dict[str, Any] | None) -> str | None:
    """A login as REST spells it: GraphQL leaves "[bot]" off bots' logins (select `__typename`)."""
    if not actor or not actor.get("login"):
        return None
    name = str(actor["login"])
    if actor.get("__typename") == "Bot" and not name.endswith("[bot]"):
        name += "[bot]"
    return name
