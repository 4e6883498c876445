"""`yolo audit --org` first finds which repositories have commits in the period (one GraphQL query,
1 point, per 100 repositories) and audits only those: a quiet organization costs ceil(repos/100)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakegithub import FakeGitHub, NewFake

from gh_ops.cli import main

pytestmark = pytest.mark.usefixtures("no_wall_clock")

START = datetime(2026, 10, 1, tzinfo=UTC)
NOW = "2026-11-24T12:00:00Z"


@pytest.fixture
def fake(new_fake: NewFake, sleeps: list[float], checkout: Callable[[str, str], Path]) -> FakeGitHub:
    fake = new_fake(START, repos={f"acme/repo-{i:03}": {} for i in range(150)})
    fake.add_repo("acme/old", archived=True)
    fake.add_repo("other/elsewhere")
    checkout("timezone: UTC\nteams: {}\n", "acme/repo-000")
    for i in range(150):  # every repository had a commit before the period
        fake.push_commit(f"acme/repo-{i:03}", author="maya", at=START - timedelta(days=5))
    fake.push_commit("acme/old", author="maya", at=START + timedelta(days=1))
    fake.push_commit("other/elsewhere", author="maya", at=START + timedelta(days=1))
    return fake


def audit() -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main, ["--now", NOW, "yolo", "audit", "--since", "2026-10-01", "--format", "json", "--org", "acme"]
    )
    return result.exit_code, result.stdout, result.stderr


def test_a_quiet_organization_costs_one_point_per_100_repositories(fake: FakeGitHub) -> None:
    code, out, err = audit()
    assert code == 0, err
    assert out.strip() == "[]"
    assert len(fake.reads) == 2 and fake.points_spent == 2  # 150 repositories: 2 pages, 1 point each
    assert "acme: 150 repositories, 0 with commits since 2026-10-01 (1 archived, skipped)" in err


def test_only_the_repositories_with_commits_in_the_period_are_audited(fake: FakeGitHub) -> None:
    fake.push_commit("acme/repo-007", author="maya", message="Direct", at=START + timedelta(days=2))
    number = fake.add_pull("acme/repo-120", title="Change", body="x", author="maya", created_at=START)
    fake.merge_pull("acme/repo-120", number, by="maya", at=START + timedelta(days=3), method="squash")
    code, out, err = audit()
    assert code == 0, err
    assert '"repository": "acme/repo-007"' in out and '"repository": "acme/repo-120"' in out
    histories = [r.json["variables"]["name"] for r in fake.reads if "YoloHistory" in r.json["query"]]
    assert histories == ["repo-007", "repo-120"]
    assert "acme: 150 repositories, 2 with commits since 2026-10-01" in err
