"""What yolo merges need from GitHub: one read for a merged pull request, one per 100 commits of a
push, and one per page of default-branch history for the audit (plus one or two for what the last
pages' pull requests still need), and how their answers become the rules' plain data. Each document is
validated against GitHub's schema in tests; writes use the composed mutation of gh_ops.gql."""

from __future__ import annotations

from typing import Any

from gh_ops.dates import parse_time
from gh_ops.gql import login
from gh_ops.models import Comment, Issue, Review
from gh_ops.yolo import rules

# Everything the rules need about a merged pull request, and gh-ops' comment on it. The last 100
# commits and reviews: freshness depends on the latest ones. Bots' logins come back without
# "[bot]" in GraphQL, hence __typename.
YOLO_PULL_FRAGMENT = """fragment YoloPull on PullRequest {
  id
  number
  title
  body
  url
  merged
  mergedAt
  headRefOid
  baseRefName
  mergeCommit { oid }
  author { __typename login }
  mergedBy { __typename login }
  labels(first: 100) { nodes { id name } }
  commits(last: 100) {
    nodes {
      commit {
        oid
        message
        author { name email user { login } }
        authors(first: 10) { nodes { user { login } } }
        parents(first: 2) { totalCount }
      }
    }
  }
  reviews(last: 100) {
    nodes { author { __typename login } state submittedAt commit { oid } }
  }
}
"""

YOLO_PULL_QUERY = """query YoloPullRequest($owner: String!, $name: String!, $number: Int!, $label: String!) {
  repository(owner: $owner, name: $name) {
    id
    defaultBranchRef { name }
    yoloLabel: label(name: $label) { id name }
    pullRequest(number: $number) {
      ...YoloPull
      comments(first: 100) { nodes { id author { __typename login } body } }
    }
  }
}
"""

# After a `yolo check` created its comment or a follow-up issue (issue 15): the pull request again,
# with its newest comments (where another run's comment posted at the same moment is; databaseId:
# the REST id a duplicate is deleted by), and the newest 100 issues (where another run's follow-up
# issue is). Connections, not the search API, which lags. 2 points (1 + 100 + 100 fetches, and the
# pull request's commits, reviews and labels).
YOLO_SETTLE_QUERY = """query YoloSettle($owner: String!, $name: String!, $number: Int!, $label: String!) {
  repository(owner: $owner, name: $name) {
    yoloLabel: label(name: $label) { id name }
    pullRequest(number: $number) {
      ...YoloPull
      comments(last: 100) { nodes { id databaseId author { __typename login } body } }
    }
    newestIssues: issues(first: 100, orderBy: {field: CREATED_AT, direction: DESC}) {
      nodes { id number state stateReason body author { __typename login } }
    }
  }
}
"""

# A commit on the branch and the pull requests GitHub associates with it: only what tells which one
# brought it (merged into the branch, by this merge commit) and its id, to read its details once.
# No connection is nested in the pull requests, so a page of 100 commits with their 10 pull requests
# each costs 1 point (GitHub counts one fetch per connection per parent node: 1 + 100 = 101 fetches;
# benchmarks/graphql_points.py). A commit may be associated with several: one merged into a release
# branch and the release's pull request into the default branch, for instance.
YOLO_COMMIT_FRAGMENT = """fragment YoloCommit on Commit {
  oid
  message
  committedDate
  author { name email user { login } }
  associatedPullRequests(first: 10) {
    nodes { id number merged baseRefName headRefOid mergeCommit { oid } }
  }
}
"""

# The commits of a push: the branch's history from the pushed tip, a page at a time until every
# pushed commit is found. 1 point per page of up to 100 commits.
YOLO_PUSH_QUERY = """query YoloPush($owner: String!, $name: String!, $after: GitObjectID!, $count: Int!,
  $cursor: String) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef { name }
    object(oid: $after) {
      ... on Commit {
        history(first: $count, after: $cursor) {
          pageInfo { hasNextPage endCursor }
          nodes { ...YoloCommit }
        }
      }
    }
  }
}
"""

# What the audit reads of a merged pull request first: everything the rules need except its
# commits' parents and the accounts GitHub matched to their Co-authored-by trailers. No connection is
# nested in its commits, so 100 pull requests cost 3 points (their labels, commits and reviews: one
# fetch each per pull request), not the 200 that `authors` and `parents` under 100 commits each cost.
YOLO_AUDIT_PULL_FRAGMENT = """fragment YoloAuditPull on PullRequest {
  id
  number
  merged
  mergedAt
  headRefOid
  baseRefName
  body
  mergeCommit { oid }
  author { __typename login }
  mergedBy { __typename login }
  labels(first: 100) { nodes { id name } }
  commits(last: 100) {
    nodes { commit { id oid message author { name email user { login } } } }
  }
  reviews(last: 100) {
    nodes { author { __typename login } state submittedAt commit { oid } }
  }
}
"""

# The second pass, only for the commits whose parents (a merge of the base branch?) or matched
# co-authors can change a verdict (rules.commits_to_confirm): 1 fetch per commit, by id.
YOLO_COMMIT_PARENTS_FRAGMENT = """fragment YoloCommitParents on Commit {
  id
  parents(first: 2) { totalCount }
}
"""
YOLO_COMMIT_AUTHORS_FRAGMENT = """fragment YoloCommitAuthors on Commit {
  id
  authors(first: 10) { nodes { user { login } } }
}
"""

# The audit: default-branch history since a date, a page at a time, each commit with the pull
# requests it is associated with (1 point per page), and in the same request what the pages before
# asked for: the first read of their pull requests (3 points per 100), then the parents or matched
# co-authors of the few commits that decide a verdict (1 point per 100 commits). Ids: at most 100
# per list.
YOLO_HISTORY_QUERY = """query YoloHistory($owner: String!, $name: String!, $since: GitTimestamp!,
  $after: String, $pageSize: Int!, $pulls: [ID!]!, $parents: [ID!]!, $authors: [ID!]!) {
  repository(owner: $owner, name: $name) {
    nameWithOwner
    defaultBranchRef {
      name
      target {
        ... on Commit {
          history(since: $since, first: $pageSize, after: $after) {
            pageInfo { hasNextPage endCursor }
            nodes { ...YoloCommit }
          }
        }
      }
    }
  }
  pulls: nodes(ids: $pulls) { ... on PullRequest { ...YoloAuditPull } }
  parents: nodes(ids: $parents) { ... on Commit { ...YoloCommitParents } }
  authors: nodes(ids: $authors) { ... on Commit { ...YoloCommitAuthors } }
}
"""

# What is still due once the history is read: the same lists, without the history.
YOLO_PULLS_QUERY = """query YoloPulls($pulls: [ID!]!, $parents: [ID!]!, $authors: [ID!]!) {
  pulls: nodes(ids: $pulls) { ... on PullRequest { ...YoloAuditPull } }
  parents: nodes(ids: $parents) { ... on Commit { ...YoloCommitParents } }
  authors: nodes(ids: $authors) { ... on Commit { ...YoloCommitAuthors } }
}
"""

# `--org`: the organization's repositories, 100 a request, each with whether its default branch has
# a commit since the period's start (the newest one, if any): 1 + 100 fetches, 1 point per 100
# repositories, so a quiet organization costs no more, and only the active ones are audited.
YOLO_ACTIVE_REPOSITORIES_QUERY = """query YoloActiveRepositories($org: String!, $since: GitTimestamp!,
  $after: String) {
  organization(login: $org) {
    repositories(first: 100, after: $after, orderBy: {field: CREATED_AT, direction: ASC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        nameWithOwner
        isArchived
        defaultBranchRef {
          target { ... on Commit { history(since: $since, first: 1) { nodes { oid } } } }
        }
      }
    }
  }
}
"""


# --- reading the answers ------------------------------------------------------------------------


def git_author(actor: dict[str, Any] | None) -> str | None:
    """A commit's author as a login: the GitHub user, else a bot's noreply address (bots are not
    users, so GitHub links no user to their commits), else None."""
    if not actor:
        return None
    user = actor.get("user") or {}
    if user.get("login"):
        return str(user["login"])
    return rules.login_from_email(actor.get("email") or "")


def pull_that_landed(commit: dict[str, Any], branches: set[str]) -> dict[str, Any] | None:
    """The merged pull request that brought a commit to one of these branches (all, when none is
    known), of those GitHub associates with it: the one whose merge commit it is (squash, merge
    commit, the last commit of a rebase), else the one whose head it is, else the first merged into
    the branch (a commit a merge commit brought along). None: no pull request did (a direct push)."""
    merged = [
        p
        for p in ((commit.get("associatedPullRequests") or {}).get("nodes") or [])
        if p and p.get("merged") and (not branches or p.get("baseRefName") in branches)
    ]
    oid = commit.get("oid")
    for pull in merged:
        if (pull.get("mergeCommit") or {}).get("oid") == oid:
            return pull
    for pull in merged:
        if pull.get("headRefOid") == oid:
            return pull
    return merged[0] if merged else None


def issues_from_json(connection: dict[str, Any] | None) -> list[Issue]:
    """The issues of a connection (number, state, body, author: what settling follow-ups needs)."""
    return [
        Issue(
            number=node["number"],
            title="",
            body=node.get("body") or "",
            state=str(node.get("state") or "OPEN").lower(),
            labels=(),
            assignees=(),
            author=login(node.get("author")),
            url="",
            created_at=None,
            state_reason=str(node["stateReason"]).lower() if node.get("stateReason") else None,
            node_id=node.get("id") or "",
        )
        for node in (connection or {}).get("nodes") or []
        if node
    ]


def pull_from_json(node: dict[str, Any]) -> rules.PullInfo:
    commits = []
    for item in (node.get("commits") or {}).get("nodes") or []:
        c = (item or {}).get("commit") or {}
        commits.append(
            rules.PullCommit(
                oid=c.get("oid") or "",
                message=c.get("message") or "",
                author=git_author(c.get("author")),
                parents=((c.get("parents") or {}).get("totalCount")) or 1,
                authors=tuple(
                    str(user["login"])
                    for n in (c.get("authors") or {}).get("nodes") or []
                    if (user := (n or {}).get("user")) and user.get("login")
                ),
            )
        )
    reviews = tuple(Review.from_graphql(r) for r in (node.get("reviews") or {}).get("nodes") or [] if r)
    labels = {n["name"]: n["id"] for n in (node.get("labels") or {}).get("nodes") or []}
    comments = tuple(Comment.from_graphql(n) for n in (node.get("comments") or {}).get("nodes") or [] if n)
    return rules.PullInfo(
        node_id=node.get("id") or "",
        title=node.get("title") or "",
        url=node.get("url") or "",
        merged=bool(node.get("merged")),
        merge_sha=(node.get("mergeCommit") or {}).get("oid"),
        label_ids=labels,
        comments=comments,
        rules=rules.MergedPull(
            number=node["number"],
            author=login(node.get("author")),
            merged_by=login(node.get("mergedBy")),
            merged_at=parse_time(node.get("mergedAt")),
            head=node.get("headRefOid") or "",
            base=node.get("baseRefName") or "",
            body=node.get("body") or "",
            labels=tuple(labels),
            commits=tuple(commits),
            reviews=reviews,
        ),
    )


def commit_ids(node: dict[str, Any]) -> dict[str, str]:
    """oid -> node id of the commits a pull request's first read (YoloAuditPull) holds."""
    found = {}
    for item in (node.get("commits") or {}).get("nodes") or []:
        c = (item or {}).get("commit") or {}
        if c.get("oid") and c.get("id"):
            found[str(c["oid"])] = str(c["id"])
    return found


def parents_count(node: dict[str, Any]) -> int:
    """A YoloCommitParents answer: how many parents the commit has."""
    return ((node.get("parents") or {}).get("totalCount")) or 1


def matched_authors(node: dict[str, Any]) -> tuple[str, ...]:
    """A YoloCommitAuthors answer: the logins GitHub matched to the commit's author and co-authors."""
    return tuple(
        str(user["login"])
        for n in (node.get("authors") or {}).get("nodes") or []
        if (user := (n or {}).get("user")) and user.get("login")
    )
