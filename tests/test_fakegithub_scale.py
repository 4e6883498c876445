"""FakeGitHub at audit scale: a commit's associated pull requests come from an index built once per
state change, not recomputed over every pull request for every commit (which made an audit of
N commits cost O(N x pulls)). Proven by counting index builds, never by timing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fakegithub import FakeGitHub, NewFake

REPO = "acme/widgets"
START = datetime(2026, 9, 1, tzinfo=UTC)
PULLS = 2000

# Default-branch history, newest first, each commit with the pull requests GitHub associates.
HISTORY_QUERY = """query ScaleHistory($after: String) {
  repository(owner: "acme", name: "widgets") {
    defaultBranchRef {
      target {
        ... on Commit {
          history(first: 100, after: $after) {
            pageInfo { hasNextPage endCursor }
            nodes { oid associatedPullRequests(first: 5) { nodes { number merged } } }
          }
        }
      }
    }
  }
}
"""

COMMIT_QUERY = """query ScaleCommit($oid: GitObjectID!) {
  repository(owner: "acme", name: "widgets") {
    object(oid: $oid) { ... on Commit { associatedPullRequests(first: 5) { nodes { number } } } }
  }
}
"""


@pytest.fixture
def fake(new_fake: NewFake) -> FakeGitHub:
    return new_fake(START, repos={REPO: {"collaborators": ["maya", "bob"]}})


def walk_history(fake: FakeGitHub) -> dict[str, list[int]]:
    """oid -> numbers of its associated pull requests, for the whole default branch, page by page."""
    found: dict[str, list[int]] = {}
    after = None
    while True:
        body = fake.execute_graphql(HISTORY_QUERY, {"after": after})
        assert "errors" not in body, body
        history = body["data"]["repository"]["defaultBranchRef"]["target"]["history"]
        for node in history["nodes"]:
            pulls = node["associatedPullRequests"]["nodes"]
            assert all(p["merged"] for p in pulls), node
            found[node["oid"]] = [p["number"] for p in pulls]
        if not history["pageInfo"]["hasNextPage"]:
            return found
        after = history["pageInfo"]["endCursor"]


def associated(fake: FakeGitHub, oid: str) -> list[int]:
    body = fake.execute_graphql(COMMIT_QUERY, {"oid": oid})
    assert "errors" not in body, body
    return [p["number"] for p in body["data"]["repository"]["object"]["associatedPullRequests"]["nodes"]]


def test_an_audit_of_thousands_of_commits_builds_the_association_index_once(fake: FakeGitHub) -> None:
    expected: dict[str, list[int]] = {}  # what each default-branch commit maps to
    line = fake._repo(REPO).history  # the live default branch (fake.history() copies it)
    for i in range(PULLS):
        at = START + timedelta(minutes=10 * i)
        number = fake.add_pull(REPO, title=f"Change {i}", body="x", author="maya", created_at=at)
        method = ("squash", "merge", "rebase")[i % 3]
        if method != "squash":
            fake.add_pull_commit(REPO, number, message="Second step", at=at + timedelta(minutes=1))
        before = len(line)
        fake.merge_pull(REPO, number, by="maya", at=at + timedelta(minutes=2), method=method)
        # Every commit the merge put on the default branch (the pull request's commits and the
        # merge commit, the squash commit, or the rebased copies) belongs to this pull request.
        expected.update({sha: [number] for sha in line[before:]})
        if i % 100 == 0:
            sha = fake.push_commit(REPO, author="bob", at=at + timedelta(minutes=3))
            expected[sha] = []  # a direct push: no pull request
    assert fake.association_index_builds == 0  # seeding never builds it: only a lookup does

    answers = walk_history(fake)

    assert len(answers) == len(line) > 2 * PULLS
    assert answers == expected
    assert fake.association_index_builds == 1  # not once per commit, nor once per page
    assert "errors" not in fake.execute_graphql(HISTORY_QUERY, {"after": None})
    assert fake.association_index_builds == 1  # unchanged state: the index is reused


def test_every_change_that_can_move_an_association_rebuilds_the_index(fake: FakeGitHub) -> None:
    def rebuilt(action: Callable[[], object]) -> bool:
        builds = fake.association_index_builds
        action()
        fake._associated(fake._repo(REPO))
        return fake.association_index_builds == builds + 1

    merged = fake.add_pull(REPO, title="merged", body="x", author="maya")
    fake.merge_pull(REPO, merged, by="maya", method="rebase")
    fake._associated(fake._repo(REPO))
    number = 0

    def open_one() -> None:
        nonlocal number
        number = fake.add_pull(REPO, title="open", body="x", author="maya")

    assert rebuilt(open_one)
    head = fake.pull(REPO, number)["head"]["sha"]
    assert associated(fake, head) == [number]  # an open pull request holding the commit
    assert rebuilt(lambda: fake.add_pull_commit(REPO, number))
    assert rebuilt(lambda: fake.edit_pull(REPO, number, head_sha="e" * 40))
    assert associated(fake, "e" * 40) == [number]
    assert rebuilt(lambda: fake.close_pull(REPO, number))
    assert rebuilt(lambda: fake.reopen_pull(REPO, number))
    assert rebuilt(lambda: fake.merge_pull(REPO, number, by="maya", method="merge", sha="f" * 40))
    assert associated(fake, "f" * 40) == [number] and associated(fake, head) == [number]
    assert rebuilt(lambda: fake.push_commit(REPO, author="bob", sha="a" * 40))
    assert associated(fake, "a" * 40) == []
    assert rebuilt(lambda: fake.rewrite_history(REPO, 1))
    assert rebuilt(lambda: fake.add_issue(REPO, title="a pull request", pull_request=True))
    # Changes that cannot move an association leave the index alone.
    assert not rebuilt(lambda: fake.add_review(REPO, number, author="bob", state="APPROVED"))
    assert not rebuilt(lambda: fake.add_comment(REPO, number, body="hi", author="bob"))
    assert not rebuilt(lambda: fake.add_issue(REPO, title="an issue"))
