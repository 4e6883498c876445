"""Tests of the FakeGitHub test double itself, driven through PyGithub and plain requests."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from typing import Any

import github
import pytest
import requests
from fakegithub import FakeGitHub, FrozenClock, NewFake, load_payload

API = "https://api.github.com"
REPO = "acme/widgets"
AUTH = {"Authorization": "token t"}
NOW = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)


def make_client(base_url: str = API, *, token: str | None = "t", per_page: int = 30) -> github.Github:
    """A PyGithub client that never sleeps or retries, so request counts are exact."""
    return github.Github(
        auth=github.Auth.Token(token) if token else None,
        base_url=base_url,
        per_page=per_page,
        retry=None,
        seconds_between_requests=0,
        seconds_between_writes=0,
    )


@pytest.fixture
def gh() -> github.Github:
    return make_client()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def fake(new_fake: NewFake, clock: FrozenClock) -> FakeGitHub:
    """Like the conftest fake_github, but with a frozen clock for exact timestamps."""
    return new_fake(clock=clock, repos={REPO: {"collaborators": ["alice"]}})


def api(path: str) -> str:
    return f"{API}{path}"


# --------------------------------------------------------------------------- shapes


def test_repo_endpoint_shape_and_headers(fake: FakeGitHub) -> None:
    resp = requests.get(api(f"/repos/{REPO}"), headers=AUTH)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/json")
    data = resp.json()
    assert data["full_name"] == REPO
    assert data["name"] == "widgets"
    assert data["owner"]["login"] == "acme"
    assert (data["private"], data["visibility"], data["archived"]) == (False, "public", False)
    assert data["default_branch"] == "main"
    assert data["html_url"] == "https://github.com/acme/widgets"
    for header in ("limit", "remaining", "reset", "used", "resource"):
        assert f"x-ratelimit-{header}" in resp.headers
    assert resp.headers["x-ratelimit-resource"] == "core"
    assert int(resp.headers["x-ratelimit-remaining"]) == 4999
    assert resp.headers["x-github-request-id"]


def test_unknown_repo_is_404(fake: FakeGitHub) -> None:
    resp = requests.get(api("/repos/acme/nope/issues"), headers=AUTH)
    assert resp.status_code == 404
    assert resp.json()["message"] == "Not Found"
    assert len(fake.requests) == 1


def test_issue_shape_matches_real_payload_keys(fake: FakeGitHub) -> None:
    fake.add_milestone(REPO, "Sprint 1")
    issue = fake.add_issue(REPO, title="T", body="B", author="alice", labels=["bug"], assignees=["alice"])
    template = load_payload("issues.opened")["issue"]
    assert set(template) - {"draft"} <= set(issue)
    assert issue["number"] == 1
    assert issue["html_url"] == "https://github.com/acme/widgets/issues/1"
    assert issue["url"] == "https://api.github.com/repos/acme/widgets/issues/1"
    assert issue["comments_url"] == issue["url"] + "/comments"
    assert issue["created_at"] == "2024-03-04T09:30:00Z"
    assert issue["closed_at"] is None and issue["state_reason"] is None
    assert issue["user"]["login"] == "alice"
    assert issue["user"]["html_url"] == "https://github.com/alice"
    assert set(issue["user"]) == set(template["user"])
    assert [a["login"] for a in issue["assignees"]] == ["alice"]
    assert issue["assignee"]["login"] == "alice"
    (label,) = issue["labels"]
    assert set(label) == {"id", "node_id", "url", "name", "color", "default", "description"}
    assert label["name"] == "bug"
    assert issue["milestone"] is None
    assert "pull_request" not in issue and "draft" not in issue


def test_pull_requests_are_listed_as_issues(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, title="issue")
    fake.add_issue(REPO, title="pr", pull_request=True)
    listed = requests.get(api(f"/repos/{REPO}/issues"), headers=AUTH).json()
    by_title = {i["title"]: i for i in listed}
    assert "pull_request" not in by_title["issue"]
    pr = by_title["pr"]
    assert pr["pull_request"]["url"] == "https://api.github.com/repos/acme/widgets/pulls/2"
    assert pr["html_url"] == "https://github.com/acme/widgets/pull/2"


def test_bot_user_shape(fake: FakeGitHub) -> None:
    issue = fake.add_issue(REPO, title="by the bot")
    user = issue["user"]
    assert user["login"] == "github-actions[bot]"
    assert user["type"] == "Bot"
    assert user["id"] == 41898282
    assert user["html_url"] == "https://github.com/apps/github-actions"


# --------------------------------------------------------------------------- issues via PyGithub


def test_create_then_list_with_creator_filter(fake: FakeGitHub, gh: github.Github) -> None:
    repo = gh.get_repo(REPO)
    created = repo.create_issue(title="Sprint 12", body="Plan", labels=["sprint"], assignees=["alice"])
    assert created.number == 1
    assert created.user.login == "github-actions[bot]"
    assert created.created_at == NOW
    assert [lb.name for lb in created.labels] == ["sprint"]
    fake.add_issue(REPO, title="someone else's", author="bob")

    mine = list(repo.get_issues(state="open", creator="github-actions[bot]"))
    assert [i.title for i in mine] == ["Sprint 12"]
    everyone = list(repo.get_issues())
    assert {i.title for i in everyone} == {"Sprint 12", "someone else's"}
    assert [lb["name"] for lb in fake.labels(REPO)] == ["sprint"]  # auto-created


def test_create_returns_201_with_location(fake: FakeGitHub) -> None:
    resp = requests.post(api(f"/repos/{REPO}/issues"), json={"title": "x"}, headers=AUTH)
    assert resp.status_code == 201
    assert resp.headers["Location"] == resp.json()["url"]
    assert resp.json()["body"] is None


def test_list_filters_and_sorting(fake: FakeGitHub, clock: FrozenClock) -> None:
    first = fake.add_issue(REPO, title="a", labels=["bug", "p1"])
    clock.advance(hours=1)
    fake.add_issue(REPO, title="b", labels=["bug"])
    clock.advance(hours=1)
    fake.add_issue(REPO, title="c", state="closed")

    def titles(**params: str) -> list[str]:
        resp = requests.get(api(f"/repos/{REPO}/issues"), params=params, headers=AUTH)
        assert resp.status_code == 200, resp.text
        return [i["title"] for i in resp.json()]

    assert titles() == ["b", "a"]
    assert titles(state="all") == ["c", "b", "a"]
    assert titles(state="closed") == ["c"]
    assert titles(labels="bug,P1") == ["a"]  # all labels required, names case-insensitive
    assert titles(labels="bug", direction="asc") == ["a", "b"]
    assert titles(creator="someone") == []
    assert titles(since="2024-03-04T10:00:00Z", state="all") == ["c", "b"]
    assert first["labels"][0]["name"] == "bug"


def test_pagination_link_headers(fake: FakeGitHub) -> None:
    for n in range(65):
        fake.add_issue(REPO, title=f"issue {n}")
    url = api(f"/repos/{REPO}/issues")

    page1 = requests.get(url, params={"state": "all"}, headers=AUTH)
    assert len(page1.json()) == 30
    assert set(page1.links) == {"next", "last"}
    assert page1.links["next"]["url"] == f"{url}?state=all&page=2"
    assert page1.links["last"]["url"] == f"{url}?state=all&page=3"

    page2 = requests.get(page1.links["next"]["url"], headers=AUTH)
    assert len(page2.json()) == 30
    assert page2.headers["Link"].index('rel="prev"') < page2.headers["Link"].index('rel="next"')
    assert set(page2.links) == {"prev", "next", "last", "first"}
    assert page2.links["first"]["url"] == f"{url}?state=all&page=1"

    page3 = requests.get(page2.links["next"]["url"], headers=AUTH)
    assert len(page3.json()) == 5
    assert set(page3.links) == {"prev", "first"}

    seen = [i["number"] for p in (page1, page2, page3) for i in p.json()]
    assert sorted(seen) == list(range(1, 66))


def test_single_page_has_no_link_header_and_per_page_is_capped(fake: FakeGitHub) -> None:
    for n in range(3):
        fake.add_issue(REPO, title=f"issue {n}")
    resp = requests.get(api(f"/repos/{REPO}/issues"), params={"per_page": 500}, headers=AUTH)
    assert "Link" not in resp.headers
    assert len(resp.json()) == 3


def test_pygithub_iterates_all_pages(fake: FakeGitHub) -> None:
    for n in range(65):
        fake.add_issue(REPO, title=f"issue {n}")
    gh = make_client(per_page=25)
    repo = gh.get_repo(REPO)
    fake.clear_requests()

    numbers = [i.number for i in repo.get_issues(state="all")]

    assert sorted(numbers) == list(range(1, 66))
    assert numbers == sorted(numbers, reverse=True)  # created desc, ties broken by number
    assert [r.query.get("page") for r in fake.reads] == [None, "2", "3"]
    assert all(r.query["per_page"] == "25" for r in fake.reads)
    assert fake.writes == []


def test_close_and_reopen_via_patch(fake: FakeGitHub, gh: github.Github, clock: FrozenClock) -> None:
    fake.add_issue(REPO, title="t")
    issue = gh.get_repo(REPO).get_issue(1)
    clock.advance(days=1)

    issue.edit(state="closed", state_reason="not_planned")

    stored = fake.issue(REPO, 1)
    assert stored["state"] == "closed"
    assert stored["state_reason"] == "not_planned"
    assert stored["closed_at"] == stored["updated_at"] == "2024-03-05T09:30:00Z"
    assert stored["closed_by"]["login"] == "github-actions[bot]"
    assert issue.closed_at == clock()

    issue.edit(state="open")
    stored = fake.issue(REPO, 1)
    assert (stored["state"], stored["state_reason"], stored["closed_at"]) == (
        "open",
        "reopened",
        None,
    )


def test_patch_replaces_labels_and_assignees(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, title="t", labels=["old"], assignees=["alice"])
    resp = requests.patch(
        api(f"/repos/{REPO}/issues/1"),
        json={"title": "new", "labels": ["new"], "assignees": []},
        headers=AUTH,
    )
    assert resp.status_code == 200
    data = resp.json()
    assert data["title"] == "new"
    assert [lb["name"] for lb in data["labels"]] == ["new"]
    assert data["assignees"] == [] and data["assignee"] is None


# --------------------------------------------------------------------------- validation errors


def test_unassignable_assignee_is_422_and_changes_nothing(fake: FakeGitHub, gh: github.Github) -> None:
    repo = gh.get_repo(REPO)
    with pytest.raises(github.GithubException) as excinfo:
        repo.create_issue(title="t", labels=["fresh"], assignees=["mallory"])
    assert excinfo.value.status == 422
    assert excinfo.value.data["message"] == "Validation Failed"
    assert excinfo.value.data["errors"] == [
        {"value": "mallory", "resource": "Issue", "field": "assignees", "code": "invalid"}
    ]
    assert "documentation_url" in excinfo.value.data
    assert fake.issues(REPO) == []
    assert fake.labels(REPO) == []  # validation happens before labels are auto-created


def test_owner_and_actor_are_assignable(fake: FakeGitHub) -> None:
    resp = requests.post(
        api(f"/repos/{REPO}/issues"),
        json={"title": "t", "assignees": ["ACME", "github-actions[bot]"]},
        headers=AUTH,
    )
    assert resp.status_code == 201
    assert [a["login"] for a in resp.json()["assignees"]] == ["acme", "github-actions[bot]"]


def test_missing_title_and_unknown_milestone_are_422(fake: FakeGitHub) -> None:
    url = api(f"/repos/{REPO}/issues")
    assert requests.post(url, json={"body": "no title"}, headers=AUTH).status_code == 422
    bad = requests.post(url, json={"title": "t", "milestone": 7}, headers=AUTH)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "milestone"
    fake.add_milestone(REPO, "Sprint 7", number=7)
    good = requests.post(url, json={"title": "t", "milestone": 7}, headers=AUTH)
    assert good.status_code == 201
    assert good.json()["milestone"]["title"] == "Sprint 7"
    assert good.json()["milestone"]["open_issues"] == 1


def test_body_too_long_is_422(fake: FakeGitHub) -> None:
    resp = requests.post(api(f"/repos/{REPO}/issues"), json={"title": "t", "body": "x" * 65537}, headers=AUTH)
    assert resp.status_code == 422
    assert "too long" in resp.json()["errors"][0]["message"]


# --------------------------------------------------------------------------- comments & labels


def test_comments_roundtrip(fake: FakeGitHub, gh: github.Github) -> None:
    fake.add_issue(REPO, title="t")
    fake.add_comment(REPO, 1, body="seeded", author="alice")
    issue = gh.get_repo(REPO).get_issue(1)

    posted = issue.create_comment("from the bot")
    assert posted.user.login == "github-actions[bot]"
    assert posted.html_url == f"https://github.com/acme/widgets/issues/1#issuecomment-{posted.id}"
    posted.edit("edited")

    bodies = [c.body for c in issue.get_comments()]
    assert bodies == ["seeded", "edited"]
    assert fake.issue(REPO, 1)["comments"] == 2
    assert [c["body"] for c in fake.comments(REPO, 1)] == ["seeded", "edited"]
    assert fake.comments(REPO, 1)[0]["author_association"] == "COLLABORATOR"


def test_comment_list_is_paginated(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, title="t")
    for n in range(5):
        fake.add_comment(REPO, 1, body=str(n), author="alice")
    resp = requests.get(api(f"/repos/{REPO}/issues/1/comments?per_page=2&page=3"), headers=AUTH)
    assert [c["body"] for c in resp.json()] == ["4"]
    assert set(resp.links) == {"prev", "first"}


def test_issue_labels_add_remove_and_repo_labels(fake: FakeGitHub, gh: github.Github) -> None:
    fake.add_issue(REPO, title="t")
    issue = gh.get_repo(REPO).get_issue(1)
    issue.add_to_labels("good first issue", "bug")
    issue.remove_from_labels("good first issue")  # URL-encoded on the wire
    assert [lb["name"] for lb in fake.issue(REPO, 1)["labels"]] == ["bug"]
    assert "/labels/good%20first%20issue" in fake.writes[-1].path

    resp = requests.post(api(f"/repos/{REPO}/issues/1/labels"), json={"labels": ["Bug", "p2"]}, headers=AUTH)
    assert [lb["name"] for lb in resp.json()] == ["bug", "p2"]  # case-insensitive reuse

    created = requests.post(
        api(f"/repos/{REPO}/labels"), json={"name": "sprint", "color": "0e8a16"}, headers=AUTH
    )
    assert created.status_code == 201
    dup = requests.post(api(f"/repos/{REPO}/labels"), json={"name": "SPRINT"}, headers=AUTH)
    assert dup.status_code == 422
    renamed = requests.patch(api(f"/repos/{REPO}/labels/p2"), json={"new_name": "priority-2"}, headers=AUTH)
    assert renamed.json()["name"] == "priority-2"
    assert [lb["name"] for lb in fake.issue(REPO, 1)["labels"]] == ["bug", "priority-2"]
    listed = requests.get(api(f"/repos/{REPO}/labels?per_page=2"), headers=AUTH)
    assert [lb["name"] for lb in listed.json()] == ["bug", "good first issue"]
    assert "next" in listed.links


def test_milestones_listing(fake: FakeGitHub, gh: github.Github) -> None:
    fake.add_milestone(REPO, "Sprint 1", state="closed")
    fake.add_milestone(REPO, "Sprint 2")
    repo = gh.get_repo(REPO)
    assert [m.title for m in repo.get_milestones()] == ["Sprint 2"]
    assert sorted(m.title for m in repo.get_milestones(state="all")) == ["Sprint 1", "Sprint 2"]
    assert repo.get_milestone(1).state == "closed"


# --------------------------------------------------------------------------- failure injection


def test_server_error_is_not_applied_and_is_recorded(fake: FakeGitHub, gh: github.Github) -> None:
    repo = gh.get_repo(REPO)
    fake.server_error("POST", rf"/repos/{REPO}/issues$", times=2)

    for _ in range(2):
        with pytest.raises(github.GithubException) as excinfo:
            repo.create_issue(title="t")
        assert excinfo.value.status == 502
    assert fake.issues(REPO) == []
    repo.create_issue(title="t")

    assert [r.status for r in fake.writes] == [502, 502, 201]
    assert len(fake.issues(REPO)) == 1
    assert fake.pending_failures == 0


def test_fail_next_only_matches_its_method_and_path(fake: FakeGitHub) -> None:
    fake.fail_next("GET", r"/issues$", 500, json={"message": "boom"}, headers={"X-Why": "test"})
    assert requests.get(api(f"/repos/{REPO}"), headers=AUTH).status_code == 200
    assert requests.post(api(f"/repos/{REPO}/issues"), json={"title": "t"}, headers=AUTH).ok
    failed = requests.get(api(f"/repos/{REPO}/issues"), headers=AUTH)
    assert (failed.status_code, failed.json(), failed.headers["X-Why"]) == (
        500,
        {"message": "boom"},
        "test",
    )
    assert "x-ratelimit-remaining" in failed.headers
    assert requests.get(api(f"/repos/{REPO}/issues"), headers=AUTH).status_code == 200


def test_fail_after_apply_lands_the_write(fake: FakeGitHub, gh: github.Github) -> None:
    fake.fail_after_apply("POST", r"/issues$")
    with pytest.raises(github.GithubException) as excinfo:
        gh.get_repo(REPO).create_issue(title="lost response")
    assert excinfo.value.status == 502
    assert [i["title"] for i in fake.issues(REPO)] == ["lost response"]


def test_before_next_changes_the_state_just_before_the_matching_request(fake: FakeGitHub) -> None:
    issue = fake.add_issue(REPO, title="t", body="as listed")
    fake.before_next(
        "GET", rf"/issues/{issue['number']}$", lambda: fake.edit_issue(REPO, issue["number"], body="edited")
    )
    assert requests.get(api(f"/repos/{REPO}/issues"), headers=AUTH).json()[0]["body"] == "as listed"
    one = api(f"/repos/{REPO}/issues/{issue['number']}")
    assert requests.get(one, headers=AUTH).json()["body"] == "edited"
    fake.edit_issue(REPO, issue["number"], body="later")
    assert requests.get(one, headers=AUTH).json()["body"] == "later"  # it ran once


def test_secondary_rate_limit(fake: FakeGitHub) -> None:
    fake.secondary_rate_limit("POST", r"/issues$", retry_after=17)
    resp = requests.post(api(f"/repos/{REPO}/issues"), json={"title": "t"}, headers=AUTH)
    assert resp.status_code == 403
    assert resp.headers["Retry-After"] == "17"
    assert resp.json()["message"].startswith("You have exceeded a secondary rate limit")
    assert fake.issues(REPO) == []


def test_too_many_requests_variant(fake: FakeGitHub) -> None:
    fake.too_many_requests("GET", r"/issues$", retry_after=5)
    resp = requests.get(api(f"/repos/{REPO}/issues"), headers=AUTH)
    assert (resp.status_code, resp.headers["Retry-After"]) == (429, "5")


def test_primary_rate_limit(fake: FakeGitHub, gh: github.Github, clock: FrozenClock) -> None:
    repo = gh.get_repo(REPO)
    fake.primary_rate_limit("GET", r"/issues$", reset_in=30)
    with pytest.raises(github.RateLimitExceededException) as excinfo:
        list(repo.get_issues())
    assert excinfo.value.status == 403
    assert excinfo.value.headers["x-ratelimit-remaining"] == "0"
    assert int(excinfo.value.headers["x-ratelimit-reset"]) == int(clock().timestamp()) + 30
    assert excinfo.value.data["message"] == "API rate limit exceeded for installation ID 123."


# --------------------------------------------------------------------------- auth


def test_anonymous_reads_of_public_repo_are_allowed_but_writes_are_not(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, title="public")
    anon = make_client(token=None)
    repo = anon.get_repo(REPO)
    assert [i.title for i in repo.get_issues()] == ["public"]
    with pytest.raises(github.GithubException) as excinfo:
        repo.create_issue(title="nope")
    assert excinfo.value.status == 401
    assert excinfo.value.data["message"] == "Requires authentication"
    assert len(fake.issues(REPO)) == 1
    assert all("Authorization" not in r.headers for r in fake.requests)


def test_private_repo_requires_auth(fake: FakeGitHub) -> None:
    fake.add_repo("acme/secret", private=True)
    assert requests.get(api("/repos/acme/secret")).status_code == 401
    authed = requests.get(api("/repos/acme/secret"), headers=AUTH)
    assert authed.json()["visibility"] == "private"
    assert fake.requests[-1].headers["Authorization"] == "token t"
    fake.require_auth = False
    assert requests.get(api("/repos/acme/secret")).status_code == 200


def test_pygithub_sends_the_token(fake: FakeGitHub, gh: github.Github) -> None:
    gh.get_repo(REPO)
    assert fake.requests[0].headers["Authorization"] == "token t"


# --------------------------------------------------------------------------- GHE & GraphQL


def test_github_enterprise_root(new_fake: NewFake) -> None:
    ghe = "https://ghe.example.com/api/v3"
    fake = new_fake(repos={REPO: {}}, api_url=ghe)
    assert fake.graphql_url == "https://ghe.example.com/api/graphql"
    repo = make_client(ghe).get_repo(REPO)
    for n in range(3):
        repo.create_issue(title=f"ghe {n}")
    issues = list(make_client(ghe, per_page=2).get_repo(REPO).get_issues())
    assert len(issues) == 3
    assert issues[0].html_url == "https://ghe.example.com/acme/widgets/issues/3"
    assert issues[0].url == f"{ghe}/repos/acme/widgets/issues/3"
    assert fake.requests[-1].path == "/repos/acme/widgets/issues"
    assert fake.requests[-1].url.startswith(ghe)

    fake.on_graphql("Viewer", lambda q, v: {"viewer": {"login": "bot"}})
    resp = requests.post(fake.graphql_url, json={"query": "query Viewer { viewer { login } }"}, headers=AUTH)
    assert resp.json() == {"data": {"viewer": {"login": "bot"}}}


def test_graphql_dispatch_and_counting(fake: FakeGitHub) -> None:
    seen: list[dict[str, Any]] = []

    def handler(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        seen.append(variables)
        return {"data": {"repository": {"id": "R_1"}}}

    fake.on_graphql("FindRepo", handler)
    fake.on_graphql("addComment", lambda q, v: {"addComment": {"clientMutationId": None}})
    gql = f"{API}/graphql"

    found = requests.post(
        gql,
        json={
            "query": "query FindRepo($o: String!) { repository(owner: $o) { id } }",
            "variables": {"o": "acme"},
        },
        headers=AUTH,
    )
    assert found.json() == {"data": {"repository": {"id": "R_1"}}}
    assert seen == [{"o": "acme"}]
    assert found.headers["x-ratelimit-resource"] == "graphql"

    mutated = requests.post(
        gql, json={"query": "mutation { addComment(input: {}) { clientMutationId } }"}, headers=AUTH
    )
    assert mutated.json() == {"data": {"addComment": {"clientMutationId": None}}}
    missing = requests.post(gql, json={"query": "query Other { viewer { login } }"}, headers=AUTH)
    assert missing.status_code == 200
    assert missing.json() == {"errors": [{"message": "no fake handler"}]}
    assert requests.post(gql, json={"query": "{ viewer { login } }"}).status_code == 401

    assert (len(fake.reads), len(fake.writes)) == (3, 1)
    assert [r.path for r in fake.requests] == ["/graphql"] * 4


# --------------------------------------------------------------------------- request log


def test_request_counters_are_exact(fake: FakeGitHub, gh: github.Github) -> None:
    repo = gh.get_repo(REPO)  # 1 read
    issue = repo.create_issue(title="t")  # 1 write
    issue.create_comment("hi")  # 1 write
    list(issue.get_comments())  # 1 read
    issue.edit(state="closed")  # 1 write
    list(repo.get_issues(state="closed"))  # 1 read
    fake.server_error("GET", r"/issues/1$")
    with pytest.raises(github.GithubException):
        repo.get_issue(1)  # 1 read, failed

    assert [(r.method, r.path) for r in fake.writes] == [
        ("POST", "/repos/acme/widgets/issues"),
        ("POST", "/repos/acme/widgets/issues/1/comments"),
        ("PATCH", "/repos/acme/widgets/issues/1"),
    ]
    assert len(fake.reads) == 4
    assert len(fake.requests) == 7
    assert fake.writes[0].json == {"title": "t"}
    assert fake.reads[-2].query == {"state": "closed"}
    assert fake.reads[-2].status == 200
    assert fake.requests[-1].status == 502


# --------------------------------------------------------------------------- conftest fixtures


def test_conftest_fake_github_fixture(fake_github: FakeGitHub) -> None:
    resp = requests.get(api(f"/repos/{REPO}"))
    assert resp.status_code == 200
    assert fake_github.issues(REPO) == []


def test_load_payload_returns_independent_copies(load_payload: Any) -> None:
    first = load_payload("issues.opened")
    first["issue"]["title"] = "changed"
    assert load_payload("issues.opened.json")["issue"]["title"] != "changed"


def test_network_is_blocked_but_loopback_allowed() -> None:
    with pytest.raises(RuntimeError, match="tests must not reach the network"):
        socket.create_connection(("example.com", 443), timeout=1)
    with pytest.raises(RuntimeError, match="tests must not reach the network"):
        socket.socket().connect(("93.184.215.14", 80))
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    try:
        client = socket.create_connection(server.getsockname(), timeout=1)
        client.close()
    finally:
        server.close()


def test_github_env_is_cleared() -> None:
    # Meaningful on CI runners, where GITHUB_ACTIONS/GITHUB_TOKEN are really set.
    for name in ("GITHUB_ACTIONS", "GITHUB_TOKEN", "GH_TOKEN", "GITHUB_EVENT_PATH", "GH_OPS_NOW"):
        assert name not in os.environ


def test_label_set_clear_and_missing_label_removal(fake: FakeGitHub, gh: github.Github) -> None:
    fake.add_issue(REPO, title="t", labels=["a"])
    issue = gh.get_repo(REPO).get_issue(1)
    issue.set_labels("b", "c")  # PUT replaces
    assert [lb["name"] for lb in fake.issue(REPO, 1)["labels"]] == ["b", "c"]
    missing = requests.delete(api(f"/repos/{REPO}/issues/1/labels/a"), headers=AUTH)
    assert (missing.status_code, missing.json()["message"]) == (404, "Label does not exist")
    issue.delete_labels()
    assert fake.issue(REPO, 1)["labels"] == []
    deleted = requests.delete(api(f"/repos/{REPO}/labels/b"), headers=AUTH)
    assert deleted.status_code == 204 and deleted.content == b""
    assert [lb["name"] for lb in fake.labels(REPO)] == ["a", "c"]


def test_assignee_check_and_archived_repo(fake: FakeGitHub, gh: github.Github) -> None:
    repo = gh.get_repo(REPO)
    assert repo.has_in_assignees("alice")
    assert not repo.has_in_assignees("mallory")
    fake.add_repo("acme/old", archived=True)
    resp = requests.post(api("/repos/acme/old/issues"), json={"title": "t"}, headers=AUTH)
    assert resp.status_code == 403
    assert "archived" in resp.json()["message"]


def test_invalid_json_body_is_400(fake: FakeGitHub) -> None:
    resp = requests.post(api(f"/repos/{REPO}/issues"), data="{not json", headers=AUTH)
    assert (resp.status_code, resp.json()["message"]) == (400, "Problems parsing JSON")


def test_routes_never_overlap(fake: FakeGitHub, gh: github.Github) -> None:
    # responses silently *removes* a registration when two match one request; guard against it.
    registered = len(fake.rsps.registered())
    fake.add_issue(REPO, title="t", labels=["x"])
    fake.add_comment(REPO, 1, body="c", author="alice")
    issue = gh.get_repo(REPO).get_issue(1)
    comment = next(iter(issue.get_comments()))
    comment.edit("edited")
    issue.remove_from_labels("x")
    list(issue.get_labels())
    gh.get_repo(REPO).get_label("x")
    list(gh.get_repo(REPO).get_milestones())
    assert len(fake.rsps.registered()) == registered


def test_edit_issue_out_of_band(fake: FakeGitHub, clock: FrozenClock) -> None:
    fake.add_issue(REPO, title="t", state="closed")
    clock.advance(hours=2)
    reopened = fake.edit_issue(REPO, 1, state="open", labels=["wip"], by="alice")
    assert (reopened["state"], reopened["state_reason"]) == ("open", "reopened")
    assert reopened["updated_at"] == "2024-03-04T11:30:00Z"
    closed = fake.edit_issue(REPO, 1, state="closed", by="alice")
    assert closed["closed_by"]["login"] == "alice"
    assert [lb["name"] for lb in closed["labels"]] == ["wip"]
    assert fake.requests == []


# --------------------------------------------------------------------------- timeline, org repos, transfer


def test_timeline_records_who_labeled_and_the_comments_in_order(fake: FakeGitHub) -> None:
    number = fake.add_issue(REPO, title="t", author="alice", labels=["bug"])["number"]
    requests.post(api(f"/repos/{REPO}/issues/{number}/labels"), json={"labels": ["P1"]}, headers=AUTH)
    fake.add_comment(REPO, number, body="hi", author="bob")
    requests.delete(api(f"/repos/{REPO}/issues/{number}/labels/P1"), headers=AUTH)
    items = requests.get(api(f"/repos/{REPO}/issues/{number}/timeline"), headers=AUTH).json()
    assert [(i["event"], i["actor"]["login"], (i.get("label") or {}).get("name")) for i in items] == [
        ("labeled", "alice", "bug"),
        ("labeled", "github-actions[bot]", "P1"),
        ("commented", "bob", None),
        ("unlabeled", "github-actions[bot]", "P1"),
    ]
    assert items[2]["body"] == "hi" and items[2]["user"]["login"] == "bob"


def test_transfer_issue_moves_it_with_comments_and_labels(fake: FakeGitHub) -> None:
    issue = fake.add_issue(REPO, title="t", labels=["security"])
    fake.add_comment(REPO, issue["number"], body="note", author="bob")
    target = fake.add_repo("acme/vault", private=True)
    query = (
        "mutation TransferIssue($issueId: ID!, $repositoryId: ID!) { transferIssue(input: "
        "{issueId: $issueId, repositoryId: $repositoryId}) { issue { number } } }"
    )
    answer = requests.post(
        api("/graphql"),
        json={"query": query, "variables": {"issueId": issue["node_id"], "repositoryId": target["node_id"]}},
        headers=AUTH,
    ).json()
    assert answer["data"]["transferIssue"]["issue"]["number"] == 1
    assert fake.issues(REPO) == []
    assert [label["name"] for label in fake.issue("acme/vault", 1)["labels"]] == ["security"]
    assert [c["body"] for c in fake.comments("acme/vault", 1)] == ["note"]
