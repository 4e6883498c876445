"""GraphQL points as a first-class cost: every query asks what it cost, the run adds it up and says
it beside its requests, and a spent hour is waited out (up to 15 minutes) or stops the run with exit
3 and the time it comes back."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fakegithub import FakeGitHub, FrozenClock, NewFake
from fakegithub.cost import points

from gh_ops import github as gh_module
from gh_ops.cli import main
from gh_ops.errors import RateLimited
from gh_ops.github import GitHub
from gh_ops.gql import with_rate_limit

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
REPO = "acme/widgets"
QUERY = """query Labels($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) { id nameWithOwner }
}"""
HEAVY = """query Heavy($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    pullRequests(first: 100) { nodes { number commits(last: 100) { nodes { commit {
      authors(first: 10) { nodes { name } } parents(first: 2) { totalCount } } } } } }
  }
}"""
VARIABLES = {"owner": "acme", "name": "widgets"}


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def fake(new_fake: NewFake, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    monkeypatch.setattr(gh_module, "WALL_CLOCK", lambda: clock().timestamp())
    fake = new_fake(clock=clock, repos={REPO: {}})
    fake.on_graphql("Labels", fake.execute_graphql)  # answered from state
    fake.on_graphql("Heavy", fake.execute_graphql)
    return fake


def test_the_fake_charges_a_query_what_github_would_and_says_so(fake: FakeGitHub) -> None:
    answer = fake.execute_graphql(with_rate_limit(HEAVY), VARIABLES)
    assert "errors" not in answer, answer
    # Sent through the endpoint, the fake charges the documented cost and answers it in rateLimit.
    gh = GitHub(token="t")
    gh.graphql(HEAVY, VARIABLES, why="read")
    expected = points(with_rate_limit(HEAVY), VARIABLES)
    assert expected == 201  # 1 + 100 + 100 * 100 * 2 fetches: nested connections multiply
    assert fake.points_spent == expected
    assert gh.counter.points == expected
    assert gh.counter.points_left == 5000 - expected


def test_points_add_up_over_a_run_and_the_answer_hides_the_cost_field(fake: FakeGitHub) -> None:
    gh = GitHub(token="t")
    first = gh.graphql(QUERY, VARIABLES, why="read")
    gh.graphql(QUERY, VARIABLES, why="read again")
    assert set(first) == {"repository"}  # the rateLimit alias is the client's, not the caller's
    assert gh.counter.points == 2 and gh.counter.points_left == 4998
    assert fake.requests[0].json["query"].count("rateLimit") == 1


def test_a_spent_hour_that_resets_soon_is_waited_out(
    fake: FakeGitHub, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    waited: list[float] = []

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        clock.advance(seconds=seconds)

    monkeypatch.setattr(gh_module, "SLEEP", sleep)
    fake.spend_graphql_points(5000, reset_in=600)
    said: list[str] = []
    gh = GitHub(token="t", on_wait=said.append)
    assert gh.graphql(QUERY, VARIABLES, why="read")["repository"]["nameWithOwner"] == REPO
    assert waited == [601.0]
    assert "GraphQL points are spent until 12:10 UTC" in said[0]
    assert gh.counter.points == 1 and gh.counter.points_left == 4999


def test_a_spent_hour_that_resets_later_stops_the_run_saying_when(
    fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    waited: list[float] = []
    monkeypatch.setattr(gh_module, "SLEEP", waited.append)
    fake.spend_graphql_points(4999, reset_in=1800)
    gh = GitHub(token="t")
    with pytest.raises(RateLimited) as caught:
        gh.graphql(HEAVY, VARIABLES, why="read the pull requests")
    assert waited == []
    assert caught.value.resets_at == datetime(2026, 11, 30, 12, 30, tzinfo=UTC)
    assert "come back at 12:30 UTC" in caught.value.message
    assert caught.value.exit_code == 3


def test_a_spent_rest_hour_that_resets_later_is_a_rate_limit_stop_too(
    fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gh_module, "SLEEP", lambda _s: None)
    fake.primary_rate_limit("GET", r"/repos/acme/widgets$", reset_in=3000, times=5)
    with pytest.raises(RateLimited) as caught:
        GitHub(token="t").get_repository(REPO)
    assert caught.value.resets_at == datetime(2026, 11, 30, 12, 50, tzinfo=UTC)


YOLO_CONFIG = "yolo:\n  label: yolo-merge\n"


def test_the_closing_line_and_the_outputs_report_points_beside_requests(
    fake: FakeGitHub, checkout: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkout(YOLO_CONFIG, REPO)
    output = tmp_path / "out.txt"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    fake.push_commit(REPO, message="Direct change", author="alice", at=NOW)
    result = CliRunner().invoke(
        main, ["--now", "2026-11-30T12:00:00Z", "yolo", "audit", "--since", "2026-11-01", "--format", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    spent = fake.points_spent
    assert spent >= 1
    reads = len(fake.reads)
    assert (
        f"GitHub requests: {reads} read(s), 0 write(s); GraphQL: {spent} point(s), {5000 - spent:,} left"
        in (result.stderr)
    )
    outputs = _outputs(output.read_text())
    assert outputs["graphql-points"] == str(spent)
    assert outputs["graphql-points-left"] == str(5000 - spent)
    assert outputs["github-reads"] == str(reads)


def test_a_run_without_graphql_says_nothing_of_points(
    fake: FakeGitHub, checkout: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkout("priority: {}\n", REPO)
    # `priority labels` for one repository reads its labels through REST (triage is GraphQL now).
    result = CliRunner().invoke(main, ["--now", "2026-11-30T12:00:00Z", "priority", "labels"])
    assert result.exit_code == 0, result.output
    assert "GitHub requests:" in result.stderr and "GraphQL" not in result.stderr


def _outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT's heredoc records as a dict."""
    found: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        name, delimiter = line.split("<<", 1)
        value = []
        for inner in lines:
            if inner == delimiter:
                break
            value.append(inner)
        found[name] = "\n".join(value)
    return found


def test_outputs_parser_reads_what_set_outputs_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gh_ops import actions_io

    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "o"))
    actions_io.set_outputs({"a": "1", "b": json.dumps([1, 2])})
    assert _outputs((tmp_path / "o").read_text()) == {"a": "1", "b": "[1, 2]"}


MUTATION = """mutation Note($id: ID!, $body: String!) {
  addComment(input: {subjectId: $id, body: $body}) { commentEdge { node { id } } }
}"""


def test_a_mutation_refused_for_spent_points_is_a_rate_limit_stop_not_a_field_failure(
    fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GitHub applies nothing of a mutation it answers RATE_LIMITED: it is waited out like a read,
    or stops the run; never taken for one field that failed."""
    monkeypatch.setattr(gh_module, "SLEEP", lambda _s: None)
    fake.spend_graphql_points(5000, reset_in=3000)
    gh = GitHub(token="t")
    with pytest.raises(RateLimited):
        gh.mutate(MUTATION, {"id": "I_1", "body": "hi"}, why="comment")
    with pytest.raises(RateLimited):
        gh.graphql(MUTATION, {"id": "I_1", "body": "hi"}, why="comment")


def test_an_error_on_the_cost_field_alone_does_not_fail_the_query(fake: FakeGitHub) -> None:
    """GitHub Enterprise Server without rate limiting may refuse `rateLimit`: the query's own data
    still counts, and the point is counted as GitHub's least (1)."""

    def without_rate_limiting(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        assert "ghOpsRateLimit: rateLimit" in query
        return {
            "data": {"repository": {"id": "R_1", "nameWithOwner": REPO}, "ghOpsRateLimit": None},
            "errors": [{"path": ["ghOpsRateLimit"], "message": "Rate limiting is not enabled."}],
        }

    fake.on_graphql("Enterprise", without_rate_limiting)
    gh = GitHub(token="t")
    query = QUERY.replace("query Labels", "query Enterprise")
    assert gh.graphql(query, VARIABLES, why="read") == {"repository": {"id": "R_1", "nameWithOwner": REPO}}
    assert gh.counter.points == 1
