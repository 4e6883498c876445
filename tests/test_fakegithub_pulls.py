"""Tests of FakeGitHub's pull requests and of its GraphQL answers from state (the documents of
gh_ops/rfc/queries.py), driven through plain requests like a real client."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from fakegithub import FakeGitHub, FrozenClock, NewFake, load_payload
from graphql import FieldNode, parse

from gh_ops import gql as ghql
from gh_ops.rfc import queries as q

API = "https://api.github.com"
GQL = f"{API}/graphql"
REPO = "acme/widgets"
AUTH = {"Authorization": "token t"}
NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)
LABELS = {"rfcLabel": "rfc", "overdueLabel": "rfc: overdue", "noDecisionLabel": "rfc: no decision"}


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def fake(new_fake: NewFake, clock: FrozenClock) -> FakeGitHub:
    return new_fake(clock=clock, repos={REPO: {"collaborators": ["alice", "bob"]}}, labels={REPO: ["rfc"]})


def post(query: str, variables: dict[str, Any] | None = None) -> requests.Response:
    return requests.post(GQL, json={"query": query, "variables": variables or {}}, headers=AUTH)


def gql(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    resp = post(query, variables)
    assert resp.status_code == 200
    return resp.json()


def pull_query(number: int, *, with_files: bool = True, **labels: str) -> dict[str, Any]:
    variables = {"owner": "acme", "name": "widgets", "number": number, "withFiles": with_files}
    return gql(q.RFC_PULL_QUERY + q.RFC_PULL_FRAGMENT, {**variables, **LABELS, **labels})


def page(query: str, after: str | None = None, **extra: Any) -> dict[str, Any]:
    variables = {"owner": "acme", "name": "widgets", "after": after, "withFiles": False, **extra}
    body = gql(query + q.RFC_PULL_FRAGMENT, variables)
    assert "errors" not in body, body
    return body["data"]["repository"]["pullRequests"]


def open_page(after: str | None = None) -> dict[str, Any]:
    return page(q.RFC_OPEN_PULLS_QUERY, after, **LABELS)


def response_keys(selection_owner: str) -> set[str]:
    """The response keys a fragment selects at its top level (aliases count)."""
    (definition,) = parse(selection_owner).definitions
    fields = [s for s in definition.selection_set.selections if isinstance(s, FieldNode)]
    return {(f.alias or f.name).value for f in fields}


# --------------------------------------------------------------------------- seeding & REST views


def test_add_pull_shares_numbers_with_issues_and_renders_like_rest(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, title="an issue")
    number = fake.add_pull(
        REPO,
        title="RFC: x",
        body="why",
        author="alice",
        files=["rfcs/x.md"],
        labels=["RFC"],
        assignees=["bob"],
    )
    assert number == 2
    pull = fake.pull(REPO, number)
    template = load_payload("pull_request.opened")["pull_request"]
    assert set(template) <= set(pull)
    assert pull["html_url"] == "https://github.com/acme/widgets/pull/2"
    assert pull["node_id"] == fake.issue(REPO, number)["node_id"]
    assert len(pull["head"]["sha"]) == 40 and int(pull["head"]["sha"], 16) >= 0
    assert (pull["state"], pull["merged"], pull["draft"], pull["merged_by"]) == ("open", False, False, None)
    assert [label["name"] for label in pull["labels"]] == [
        "rfc"
    ]  # existing label, matched case-insensitively
    assert [a["login"] for a in pull["assignees"]] == ["bob"]
    assert pull["changed_files"] == 1
    assert pull["base"]["ref"] == "main" and pull["head"]["repo"]["full_name"] == REPO


def test_rest_issue_endpoints_work_on_pull_requests(fake: FakeGitHub, clock: FrozenClock) -> None:
    number = fake.add_pull(REPO, title="t", body=None, author="alice", draft=True)
    clock.advance(hours=1)
    made = requests.post(f"{API}/repos/{REPO}/issues/{number}/comments", json={"body": "hi"}, headers=AUTH)
    assert made.status_code == 201
    assert made.json()["html_url"].startswith(f"https://github.com/{REPO}/pull/{number}#issuecomment-")
    labelled = requests.post(
        f"{API}/repos/{REPO}/issues/{number}/labels", json={"labels": ["x"]}, headers=AUTH
    )
    assert [label["name"] for label in labelled.json()] == ["x"]
    issue = requests.get(f"{API}/repos/{REPO}/issues/{number}", headers=AUTH).json()
    assert issue["draft"] is True and issue["pull_request"]["merged_at"] is None
    assert issue["comments"] == 1
    assert fake.pull(REPO, number)["updated_at"] == "2026-11-20T10:00:00Z"


def test_merge_close_reopen_and_reviews(fake: FakeGitHub) -> None:
    a = fake.add_pull(REPO, title="a", body="", author="alice")
    b = fake.add_pull(REPO, title="b", body="", author="alice")
    review = fake.add_review(REPO, a, author="bob", state="approved", submitted_at=NOW + timedelta(hours=1))
    assert (review["state"], review["user"]["login"], review["commit_id"]) == (
        "APPROVED",
        "bob",
        fake.pull(REPO, a)["head"]["sha"],
    )
    with pytest.raises(ValueError):
        fake.add_review(REPO, a, author="bob", state="PENDING")

    merged = fake.merge_pull(REPO, a, by="bob", at=NOW + timedelta(hours=2))
    assert (merged["state"], merged["merged"], merged["merged_by"]["login"]) == ("closed", True, "bob")
    assert merged["merged_at"] == merged["closed_at"] == merged["updated_at"] == "2026-11-20T11:00:00Z"
    assert len(merged["merge_commit_sha"]) == 40
    assert fake.issue(REPO, a)["pull_request"]["merged_at"] == "2026-11-20T11:00:00Z"
    with pytest.raises(ValueError):
        fake.reopen_pull(REPO, a)

    closed = fake.close_pull(REPO, b, by="alice")
    assert (closed["state"], closed["merged"], closed["merged_at"]) == ("closed", False, None)
    assert fake.reopen_pull(REPO, b)["state"] == "open"
    assert [r["state"] for r in fake.reviews(REPO, a)] == ["APPROVED"]


def test_edit_pull(fake: FakeGitHub, clock: FrozenClock) -> None:
    number = fake.add_pull(REPO, title="t", body="b", author="alice")
    old_sha = fake.pull(REPO, number)["head"]["sha"]
    edited = fake.edit_pull(REPO, number, head_sha="a" * 40, draft=True, files=["x.md"], title="t2", at=NOW)
    assert (edited["head"]["sha"], edited["draft"], edited["title"]) == ("a" * 40, True, "t2")
    assert edited["head"]["sha"] != old_sha
    with pytest.raises(TypeError):
        fake.edit_pull(REPO, number, mergeable=True)
    with pytest.raises(KeyError):
        fake.pull(REPO, 99)


def test_assignees_endpoint_adds_assignable_logins_and_ignores_others(fake: FakeGitHub) -> None:
    number = fake.add_pull(REPO, title="t", body="b", author="alice")
    url = f"{API}/repos/{REPO}/issues/{number}/assignees"
    resp = requests.post(url, json={"assignees": ["ALICE", "stranger", "bob"]}, headers=AUTH)
    assert resp.status_code == 201
    assert [a["login"] for a in resp.json()["assignees"]] == ["alice", "bob"]
    assert resp.json()["pull_request"]["html_url"].endswith(f"/pull/{number}")
    again = requests.post(url, json={"assignees": ["alice"]}, headers=AUTH)
    assert [a["login"] for a in again.json()["assignees"]] == ["alice", "bob"]
    removed = requests.delete(url, json={"assignees": ["alice"]}, headers=AUTH)
    assert [a["login"] for a in removed.json()["assignees"]] == ["bob"]
    bad = requests.post(url, json={"assignees": "alice"}, headers=AUTH)
    assert bad.status_code == 422
    assert [r.method for r in fake.writes] == ["POST", "POST", "DELETE", "POST"]


# --------------------------------------------------------------------------- GraphQL queries


def test_pull_request_query_shape(fake: FakeGitHub, clock: FrozenClock) -> None:
    number = fake.add_pull(
        REPO,
        title="RFC: x",
        body="why",
        author="alice",
        files=["rfcs/x.md"],
        labels=["rfc"],
        assignees=["bob"],
    )
    fake.add_comment(REPO, number, body="bot says", author="github-actions[bot]", created_at=NOW)
    fake.add_comment(REPO, number, body="me too", author="bob", created_at=NOW + timedelta(minutes=5))
    fake.add_review(REPO, number, author="bob", state="CHANGES_REQUESTED", submitted_at=NOW)
    fake.add_review(REPO, number, author="dependabot[bot]", state="COMMENTED", submitted_at=NOW)

    body = pull_query(number)
    assert "errors" not in body
    repo = body["data"]["repository"]
    assert repo["id"] == requests.get(f"{API}/repos/{REPO}", headers=AUTH).json()["node_id"]
    rest_label = requests.get(f"{API}/repos/{REPO}/labels/RFC", headers=AUTH).json()
    assert repo["rfcLabel"] == {"id": rest_label["node_id"], "name": "rfc"}
    assert repo["overdueLabel"] is None and repo["noDecisionLabel"] is None

    pr = repo["pullRequest"]
    assert set(pr) == response_keys(q.RFC_PULL_FRAGMENT)  # exactly the selected fields
    rest = fake.pull(REPO, number)
    assert pr["id"] == rest["node_id"]
    assert (pr["number"], pr["title"], pr["body"], pr["url"]) == (number, "RFC: x", "why", rest["html_url"])
    assert (pr["state"], pr["merged"], pr["mergedAt"], pr["closedAt"], pr["isDraft"]) == (
        "OPEN",
        False,
        None,
        None,
        False,
    )
    assert pr["createdAt"] == "2026-11-20T09:00:00Z"
    assert pr["updatedAt"] == "2026-11-20T09:05:00Z"  # the last comment
    assert pr["headRefOid"] == rest["head"]["sha"]
    assert pr["author"] == {"__typename": "User", "login": "alice"}
    assert pr["mergedBy"] is None
    assert pr["labels"] == {"nodes": [{"id": rest_label["node_id"], "name": "rfc"}]}
    assert pr["assignees"] == {"nodes": [{"login": "bob"}]}
    assert pr["files"] == {"nodes": [{"path": "rfcs/x.md"}]}
    assert pr["reviews"]["pageInfo"]["hasNextPage"] is False
    assert pr["reviews"]["nodes"] == [
        {
            "author": {"__typename": "User", "login": "bob"},
            "state": "CHANGES_REQUESTED",
            "submittedAt": iso(NOW),
        },
        {
            "author": {"__typename": "Bot", "login": "dependabot"},
            "state": "COMMENTED",
            "submittedAt": iso(NOW),
        },
    ]
    rest_comments = fake.comments(REPO, number)
    first, second = pr["comments"]["nodes"]
    assert first == {
        "id": rest_comments[0]["node_id"],
        "databaseId": rest_comments[0]["id"],  # the REST id
        "author": {"__typename": "Bot", "login": "github-actions"},  # GraphQL drops "[bot]"
        "body": "bot says",
        "createdAt": "2026-11-20T09:00:00Z",
    }
    assert second["author"] == {"__typename": "User", "login": "bob"}
    assert second["createdAt"] == "2026-11-20T09:05:00Z"


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_with_files_false_omits_the_files_key(fake: FakeGitHub) -> None:
    number = fake.add_pull(REPO, title="t", body="b", author="alice", files=["a.md"])
    pr = pull_query(number, with_files=False)["data"]["repository"]["pullRequest"]
    assert "files" not in pr
    assert set(pr) == response_keys(q.RFC_PULL_FRAGMENT) - {"files"}


def test_label_lookup_is_case_insensitive_and_null_when_missing(fake: FakeGitHub) -> None:
    number = fake.add_pull(REPO, title="t", body="b", author="alice")
    fake.add_label(REPO, "RFC: Overdue")
    repo = pull_query(number, overdueLabel="rfc: overdue", rfcLabel="nope")["data"]["repository"]
    assert repo["overdueLabel"]["name"] == "RFC: Overdue"
    assert repo["rfcLabel"] is None


def test_merged_and_closed_states_and_bot_merger(fake: FakeGitHub) -> None:
    merged = fake.add_pull(REPO, title="m", body="b", author="alice")
    closed = fake.add_pull(REPO, title="c", body="b", author="alice")
    fake.merge_pull(REPO, merged, by="github-actions[bot]", at=NOW + timedelta(days=1))
    fake.close_pull(REPO, closed, at=NOW + timedelta(days=2))
    pr = pull_query(merged)["data"]["repository"]["pullRequest"]
    assert (pr["state"], pr["merged"], pr["mergedAt"], pr["closedAt"]) == (
        "MERGED",
        True,
        "2026-11-21T09:00:00Z",
        "2026-11-21T09:00:00Z",
    )
    assert pr["mergedBy"] == {"__typename": "Bot", "login": "github-actions"}
    pr = pull_query(closed)["data"]["repository"]["pullRequest"]
    assert (pr["state"], pr["merged"], pr["mergedAt"], pr["mergedBy"]) == ("CLOSED", False, None, None)
    assert pr["closedAt"] == "2026-11-22T09:00:00Z"


def test_missing_pull_request_is_null_with_a_not_found_error(fake: FakeGitHub) -> None:
    issue = fake.add_issue(REPO, title="an issue, not a pull request")["number"]
    for number in (issue, 99):
        body = pull_query(number)
        assert body["data"]["repository"]["pullRequest"] is None
        assert body["data"]["repository"]["rfcLabel"]["name"] == "rfc"  # the rest still answers
        (error,) = body["errors"]
        assert error == {
            "type": "NOT_FOUND",
            "path": ["repository", "pullRequest"],
            "locations": [{"line": 8, "column": 5}],
            "message": f"Could not resolve to a PullRequest with the number of {number}.",
        }


def test_missing_repository(fake: FakeGitHub) -> None:
    body = gql(
        q.RFC_MORE_COMMENTS_QUERY, {"owner": "acme", "name": "nope", "number": 1, "after": "Y3Vyc29yOnYyOjA="}
    )
    assert body["data"] == {"repository": None}
    (error,) = body["errors"]
    assert (error["type"], error["path"]) == ("NOT_FOUND", ["repository"])
    assert error["message"] == "Could not resolve to a Repository with the name 'acme/nope'."


def test_open_pull_requests_oldest_first_in_pages_of_25(fake: FakeGitHub) -> None:
    # Numbers and creation times disagree on purpose: the order is by creation.
    for n in range(30):
        fake.add_pull(REPO, title=f"p{n}", body="", author="alice", created_at=NOW - timedelta(hours=n))
    fake.add_issue(REPO, title="not a pull request", created_at=NOW - timedelta(days=9))
    done = fake.add_pull(REPO, title="merged", body="", author="alice", created_at=NOW - timedelta(days=9))
    fake.merge_pull(REPO, done, by="alice")

    first = open_page()
    assert len(first["nodes"]) == 25
    assert [p["title"] for p in first["nodes"][:2]] == ["p29", "p28"]
    assert first["pageInfo"]["hasNextPage"] is True
    second = open_page(first["pageInfo"]["endCursor"])
    assert [p["title"] for p in second["nodes"]] == ["p4", "p3", "p2", "p1", "p0"]
    assert second["pageInfo"]["hasNextPage"] is False
    assert all(p["state"] == "OPEN" for p in first["nodes"] + second["nodes"])
    assert all("files" not in p for p in second["nodes"])
    assert len(fake.reads) == 2 and fake.writes == []


def test_recent_pull_requests_by_update_newest_first(fake: FakeGitHub, clock: FrozenClock) -> None:
    a = fake.add_pull(REPO, title="a", body="", author="alice")
    b = fake.add_pull(REPO, title="b", body="", author="alice")
    c = fake.add_pull(REPO, title="c", body="", author="alice")
    fake.add_pull(REPO, title="still open", body="", author="alice")
    fake.merge_pull(REPO, a, by="bob", at=NOW + timedelta(hours=1))
    fake.close_pull(REPO, b, at=NOW + timedelta(hours=2))
    fake.merge_pull(REPO, c, by="bob", at=NOW + timedelta(hours=3))
    fake.add_comment(REPO, a, body="late word", author="bob", created_at=NOW + timedelta(hours=4))

    nodes = page(q.RFC_RECENT_PULLS_QUERY)["nodes"]
    assert [(p["title"], p["state"]) for p in nodes] == [("a", "MERGED"), ("c", "MERGED"), ("b", "CLOSED")]


def test_more_comments_and_reviews_pages(fake: FakeGitHub) -> None:
    number = fake.add_pull(REPO, title="busy", body="", author="alice")
    for n in range(150):
        fake.add_comment(REPO, number, body=f"c{n}", author="bob", created_at=NOW + timedelta(minutes=n))
    for n in range(101):
        fake.add_review(
            REPO, number, author="bob", state="COMMENTED", submitted_at=NOW + timedelta(minutes=n)
        )

    pr = pull_query(number)["data"]["repository"]["pullRequest"]
    assert len(pr["comments"]["nodes"]) == 100 and pr["comments"]["pageInfo"]["hasNextPage"] is True
    assert len(pr["reviews"]["nodes"]) == 100 and pr["reviews"]["pageInfo"]["hasNextPage"] is True

    where = {"owner": "acme", "name": "widgets", "number": number}
    more = gql(q.RFC_MORE_COMMENTS_QUERY, {**where, "after": pr["comments"]["pageInfo"]["endCursor"]})
    comments = more["data"]["repository"]["pullRequest"]["comments"]
    assert [c["body"] for c in comments["nodes"]] == [f"c{n}" for n in range(100, 150)]
    assert comments["pageInfo"]["hasNextPage"] is False
    more = gql(q.RFC_MORE_REVIEWS_QUERY, {**where, "after": pr["reviews"]["pageInfo"]["endCursor"]})
    reviews = more["data"]["repository"]["pullRequest"]["reviews"]
    assert reviews["nodes"] == [
        {
            "author": {"__typename": "User", "login": "bob"},
            "state": "COMMENTED",
            "submittedAt": "2026-11-20T10:40:00Z",
        }
    ]
    assert reviews["pageInfo"] == {"hasNextPage": False, "endCursor": reviews["pageInfo"]["endCursor"]}

    bad = gql(q.RFC_MORE_COMMENTS_QUERY, {**where, "after": "nonsense"})
    assert bad["data"]["repository"]["pullRequest"] is None  # comments is non-null: the null bubbles up
    assert bad["errors"][0]["type"] == "INVALID_CURSOR_ARGUMENTS"
    assert bad["errors"][0]["path"] == ["repository", "pullRequest", "comments"]


def test_documents_are_validated_and_gaps_are_loud(fake: FakeGitHub) -> None:
    fake.on_graphql("Bad", fake.execute_graphql)  # answer from state, like the built-in operations
    body = gql('query Bad { repository(owner: "acme", name: "widgets") { colour } }')
    assert "data" not in body
    assert "colour" in body["errors"][0]["message"]
    missing = gql(q.RFC_PULL_QUERY + q.RFC_PULL_FRAGMENT, {"owner": "acme", "name": "widgets"})
    assert "data" not in missing and "$number" in missing["errors"][0]["message"]
    # A valid field the fake does not model fails the test rather than answering null.
    assert fake.add_pull(REPO, title="t", body="b", author="alice") == 1
    gap = 'query Gap { repository(owner: "acme", name: "widgets") { pullRequest(number: 1) { mergeable } } }'
    fake.on_graphql("Gap", fake.execute_graphql)
    with pytest.raises(NotImplementedError, match="PullRequest.mergeable"):
        post(gap)


def test_pagination_limits_like_github(fake: FakeGitHub) -> None:
    query = 'query Many { repository(owner: "acme", name: "widgets") { pullRequests(%s) { totalCount } } }'
    too_many = fake.execute_graphql(query % "first: 101")
    assert too_many["errors"][0]["type"] == "EXCESSIVE_PAGINATION"
    assert too_many["errors"][0]["message"] == (
        "Requesting 101 records on the `pullRequests` connection exceeds the `first` limit of 100 records."
    )
    unbounded = fake.execute_graphql(query % "states: [OPEN]")
    assert unbounded["errors"][0]["type"] == "MISSING_PAGINATION_BOUNDARIES"


def test_a_registered_handler_replaces_the_state_answer(fake: FakeGitHub) -> None:
    fake.on_graphql("RfcPullRequest", lambda query, variables: {"repository": None})
    assert pull_query(1) == {"data": {"repository": None}}


# --------------------------------------------------------------------------- GraphQL mutation


def writes_for(fake: FakeGitHub, number: int) -> dict[str, Any]:
    """Variables for every part of GhOpsWrites, aimed at pull request `number`."""
    pr = pull_query(number)["data"]["repository"]
    node = pr["pullRequest"]
    return {
        "checkRun": {
            "repositoryId": pr["id"],
            "headSha": node["headRefOid"],
            "name": "RFC",
            "conclusion": "SUCCESS",
            "output": {"title": "RFC ok", "summary": "All good", "text": "details"},
            "completedAt": "2026-11-20T09:00:00Z",
        },
        "newComment": {"subjectId": node["id"], "body": "status"},
        "editComment": {"id": node["comments"]["nodes"][0]["id"], "body": "edited"},
        "notice": {"subjectId": node["id"], "body": "notice"},
        "addLabels": {"labelableId": node["id"], "labelIds": [pr["rfcLabel"]["id"]]},
        "removeLabels": {"labelableId": node["id"], "labelIds": [fake.labels(REPO)[1]["node_id"]]},
    }


def seeded(fake: FakeGitHub) -> int:
    number = fake.add_pull(REPO, title="RFC: x", body="b", author="alice", labels=["stale"])
    fake.add_comment(REPO, number, body="old status", author="github-actions[bot]")
    return number


def test_every_mutation_part_applies_in_one_request(fake: FakeGitHub, clock: FrozenClock) -> None:
    number = seeded(fake)
    variables = writes_for(fake, number)
    fake.clear_requests()
    clock.advance(hours=1)

    on_pulls = [part for part in ghql.MUTATION_PARTS if part != "closeAsDuplicate"]  # issues only
    body = gql(ghql.mutation(on_pulls), variables)
    assert "errors" not in body
    data = body["data"]
    assert list(data) == on_pulls
    (run,) = fake.check_runs(REPO)
    assert data["checkRun"] == {"checkRun": {"id": run["node_id"]}}
    assert (run["name"], run["head_sha"], run["status"], run["conclusion"]) == (
        "RFC",
        variables["checkRun"]["headSha"],
        "completed",
        "success",
    )
    assert run["output"] == {"title": "RFC ok", "summary": "All good", "text": "details"}
    assert run["completed_at"] == "2026-11-20T09:00:00Z"

    comments = fake.comments(REPO, number)
    assert [(c["user"]["login"], c["body"]) for c in comments] == [
        ("github-actions[bot]", "edited"),
        ("github-actions[bot]", "status"),
        ("github-actions[bot]", "notice"),
    ]
    assert data["newComment"] == {"commentEdge": {"node": {"id": comments[1]["node_id"]}}}
    assert data["notice"] == {"commentEdge": {"node": {"id": comments[2]["node_id"]}}}
    assert data["editComment"] == {"issueComment": {"id": comments[0]["node_id"]}}
    assert comments[0]["updated_at"] == "2026-11-20T10:00:00Z"
    assert data["addLabels"] == data["removeLabels"] == {"clientMutationId": None}
    assert [label["name"] for label in fake.pull(REPO, number)["labels"]] == ["rfc"]
    assert fake.pull(REPO, number)["updated_at"] == "2026-11-20T10:00:00Z"
    assert (len(fake.writes), len(fake.reads)) == (1, 0)


def test_a_failing_field_is_null_and_the_others_still_apply(fake: FakeGitHub) -> None:
    number = seeded(fake)
    variables = writes_for(fake, number)
    fake.fail_mutation_field("createCheckRun")
    assert fake.pending_failures == 1
    document = ghql.mutation(["checkRun", "newComment"])
    parts = {"checkRun": variables["checkRun"], "newComment": variables["newComment"]}

    body = gql(document, parts)
    assert body["data"]["checkRun"] is None
    assert body["data"]["newComment"]["commentEdge"]["node"]["id"]
    (error,) = body["errors"]
    assert error == {
        "type": "FORBIDDEN",
        "path": ["checkRun"],
        "locations": [{"line": 2, "column": 3}],
        "message": "Resource not accessible by integration",
    }
    assert fake.check_runs(REPO) == [] and len(fake.comments(REPO, number)) == 2
    assert fake.pending_failures == 0
    assert gql(document, parts)["data"]["checkRun"]["checkRun"]["id"]  # `times` was 1


def test_mutation_fields_fail_alone_on_unknown_ids(fake: FakeGitHub) -> None:
    number = seeded(fake)
    variables = writes_for(fake, number)
    other = fake.add_repo("acme/other")
    fake.add_label("acme/other", "foreign")
    variables["checkRun"]["repositoryId"] = other["node_id"]  # the sha is not a commit there
    variables["newComment"]["subjectId"] = "bm9wZQ=="
    variables["addLabels"]["labelIds"] = [fake.labels("acme/other")[0]["node_id"]]
    variables["removeLabels"]["labelableId"] = variables["checkRun"]["repositoryId"]
    on_pulls = [part for part in ghql.MUTATION_PARTS if part != "closeAsDuplicate"]  # issues only

    body = gql(ghql.mutation(on_pulls), variables)
    errors = {e["path"][0]: (e["type"], e["message"]) for e in body["errors"]}
    assert errors == {
        "checkRun": ("UNPROCESSABLE", f"No commit found for SHA: {variables['checkRun']['headSha']}"),
        "newComment": ("NOT_FOUND", "Could not resolve to a node with the global id of 'bm9wZQ=='."),
        "addLabels": (
            "NOT_FOUND",
            f"Could not resolve to a node with the global id of '{other_label(fake)}'.",
        ),
        "removeLabels": (
            "NOT_FOUND",
            f"Could not resolve to a node with the global id of '{other['node_id']}'.",
        ),
    }
    assert {k for k, v in body["data"].items() if v is not None} == {"editComment", "notice"}
    assert [c["body"] for c in fake.comments(REPO, number)] == ["edited", "notice"]
    assert [label["name"] for label in fake.pull(REPO, number)["labels"]] == ["stale"]


def other_label(fake: FakeGitHub) -> str:
    return fake.labels("acme/other")[0]["node_id"]


def test_request_level_failures_apply_to_the_mutation(fake: FakeGitHub) -> None:
    number = seeded(fake)
    parts = {"newComment": writes_for(fake, number)["newComment"]}
    document = ghql.mutation(["newComment"])

    fake.server_error("POST", "^/graphql$")
    assert post(document, parts).status_code == 502
    fake.secondary_rate_limit("POST", "^/graphql$", retry_after=30)
    limited = post(document, parts)
    assert (limited.status_code, limited.headers["Retry-After"]) == (403, "30")
    assert len(fake.comments(REPO, number)) == 1  # neither was applied

    fake.fail_after_apply("POST", "^/graphql$")
    assert "errors" not in pull_query(number)  # a query has nothing to apply: it passes through
    assert post(document, parts).status_code == 502
    assert len(fake.comments(REPO, number)) == 2  # applied, then failed
    assert [r.is_write for r in fake.requests[-4:]] == [True, True, False, True]


def test_operation_kind_decides_read_or_write(fake: FakeGitHub) -> None:
    fake.on_graphql("Later", lambda query, variables: {"addComment": None})
    later = "mutation Later { addComment(input: {subjectId: 1, body: 2}) { clientMutationId } }"
    post("fragment F on Repository { id }\n" + later)
    post("# a comment first\nquery Q { viewer { login } }")
    assert [r.is_write for r in fake.requests] == [True, False]


def test_add_issue_pull_requests_have_a_head_for_check_runs(fake: FakeGitHub) -> None:
    number = fake.add_issue(REPO, title="legacy seeding", pull_request=True)["number"]
    pr = pull_query(number)["data"]["repository"]
    run = {
        "repositoryId": pr["id"],
        "headSha": pr["pullRequest"]["headRefOid"],
        "name": "x",
        "status": "IN_PROGRESS",
    }
    body = gql(ghql.mutation(["checkRun"]), {"checkRun": run})
    assert "errors" not in body
    (made,) = fake.check_runs(REPO)
    assert (made["status"], made["conclusion"], made["completed_at"]) == ("in_progress", None, None)


def test_close_as_duplicate_closes_an_issue_and_names_the_original(fake: FakeGitHub) -> None:
    original = fake.add_issue(REPO, title="first", body="x")
    twin = fake.add_issue(REPO, title="second", body="x")
    pull = seeded(fake)
    document = ghql.mutation(["notice", "closeAsDuplicate"])

    def parts(issue_id: str) -> dict:
        return {
            "notice": {"subjectId": issue_id, "body": f"Duplicate of #{original['number']}"},
            "closeAsDuplicate": {
                "issueId": issue_id,
                "stateReason": "DUPLICATE",
                "duplicateIssueId": original["node_id"],
            },
        }

    assert "errors" not in gql(document, parts(twin["node_id"]))
    closed = fake.issue(REPO, twin["number"])
    assert (closed["state"], closed["state_reason"]) == ("closed", "duplicate")
    assert [c["body"] for c in fake.comments(REPO, twin["number"])] == [f"Duplicate of #{original['number']}"]
    assert fake.issue(REPO, original["number"])["state"] == "open"
    # closeIssue takes issues only: a pull request's id does not resolve.
    refused = gql(document, parts(fake.pull(REPO, pull)["node_id"]))
    assert [e["path"] for e in refused["errors"]] == [["closeAsDuplicate"]]
    assert fake.pull(REPO, pull)["state"] == "open"
