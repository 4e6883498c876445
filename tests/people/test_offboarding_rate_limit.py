"""Spent GraphQL points while `offboarding open` reads the leaver's GitHub teams stop the run (exit
3) instead of being taken for a missing read:org permission: a checklist opened without the teams
would never list them, as a re-run finds the checklist and does not read the teams again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fakegithub import FakeGitHub
from people_data import GITHUB_TEAMS, LEAVER, checklists, offboard

from gh_ops import github as gh_module

pytestmark = pytest.mark.usefixtures("no_wall_clock")


def test_spent_graphql_points_stop_offboarding_instead_of_dropping_the_teams(
    fake: FakeGitHub,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(gh_module, "WALL_CLOCK", lambda: fake.clock().timestamp())
    seen: list[dict[str, Any]] = []

    def teams(_query: str, variables: dict[str, Any]) -> dict[str, Any]:
        seen.append(variables)
        return {"organization": {"teams": {"nodes": GITHUB_TEAMS}}}

    fake.on_graphql("OrgTeamsOfMember", teams)
    fake.spend_graphql_points(fake.graphql_points_limit, reset_in=3000)  # back in 50 minutes

    result = offboard(*LEAVER, "--kind", "voluntary")

    opened = checklists(fake, "offboarding")
    assert not any(all(t["name"] not in issue["body"] for t in GITHUB_TEAMS) for issue in opened), (
        f"an offboarding checklist without the leaver's teams was opened (exit {result.exit_code}):\n"
        + result.output
    )
    assert result.exit_code == 3, result.output
