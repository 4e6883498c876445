"""What yolo merges need from GitHub: one read for a merged pull request, one for the commits of a
push, and one per page of default-branch history for the audit, and how their answers become the
rules' plain data. Each document is validated against GitHub's schema in tests; writes use the
composed mutation of gh_ops.gql."""

from __future__ import annotations

from typing import Any

from gh_ops.dates import parse_time
from gh_ops.gql import login
from gh_ops.models import Comment, Review
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

# A default-branch commit and the pull request that brought it, if any.
YOLO_COMMIT_FRAGMENT = """fragment YoloCommit on Commit {
  oid
  message
  committedDate
  author { name email user { login } }
  associatedPullRequests(first: 1) { nodes { merged baseRefName ...YoloPull } }
}
"""

# The commits of a push: the branch's history from the pushed tip, as many as the push holds.
YOLO_PUSH_QUERY = """query YoloPush($owner: String!, $name: String!, $after: GitObjectID!, $count: Int!) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef { name }
    object(oid: $after) {
      ... on Commit {
        history(first: $count) { nodes { ...YoloCommit } }
      }
    }
  }
}
"""

# The audit: default-branch history since a date, a page at a time, each commit with its merged
# pull request, reviews (with the commit each was on), labels and merge data.
YOLO_HISTORY_QUERY = """query YoloHistory($owner: String!, $name: String!, $since: GitTimestamp!,
  $after: String, $pageSize: Int!) {
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


def merged_pulls(commit: dict[str, Any], default: str | None) -> list[dict[str, Any]]:
    """The pull requests merged into the default branch that GitHub associates with a commit."""
    return [
        p
        for p in ((commit.get("associatedPullRequests") or {}).get("nodes") or [])
        if p and p.get("merged") and (default is None or p.get("baseRefName") == default)
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
