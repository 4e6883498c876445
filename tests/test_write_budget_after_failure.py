"""A run over several repositories that stops at the write budget after GitHub failed for an earlier
one says so exactly: how many failed of all the repositories, and how many are not done yet, never
that "the others were done"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakegithub import FakeGitHub, NewFake

from gh_ops import github as gh_module
from gh_ops.cli import main

REPOS = [f"acme/r{i}" for i in range(1, 5)]


@pytest.fixture
def fake(new_fake: NewFake, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    monkeypatch.setattr(gh_module, "SLEEP", lambda _s: None)
    return new_fake(repos={repo: {} for repo in REPOS})


def test_a_budget_stop_after_a_failed_repository_does_not_say_the_others_were_done(
    fake: FakeGitHub, checkout: Callable[[str, str], Path]
) -> None:
    checkout("priority: {}\n", REPOS[0])
    fake.fail_next("POST", r"/repos/acme/r1/labels$", 403, json={"message": "Resource not accessible"})
    result = CliRunner().invoke(main, ["priority", "labels", "--org", "acme", "--max-writes", "5"])
    assert result.exit_code == 3, result.output
    assert "stopped at the write budget" in result.stderr
    assert "the others were done" not in result.stderr, result.stderr
    assert "of 4 repositories" in result.stderr, result.stderr
