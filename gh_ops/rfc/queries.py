"""What RFCs need from GitHub: one read per pull request (or per page of them), and how the answers
become the rules' plain data. Each document is validated against GitHub's schema in tests; the
writes of a pull request go out as the composed mutation of gh_ops.gql."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gh_ops.config import Config
from gh_ops.dates import parse_time
from gh_ops.gql import login
from gh_ops.models import Comment, Review
from gh_ops.rfc.rules import Pull
from gh_ops.rfc.settings import RfcSettings

# Everything `rfc check` and `rfc remind` need to know about one pull request. Bots' logins come
# back without "[bot]" in GraphQL, hence __typename; a comment's databaseId is its REST id (to
# delete a second kept comment). Files are fetched only when neither the title
# nor a label says whether the pull request is an RFC.
RFC_PULL_FRAGMENT = """fragment RfcPull on PullRequest {
  id
  number
  title
  body
  url
  createdAt
  updatedAt
  state
  merged
  mergedAt
  closedAt
  isDraft
  headRefOid
  author { __typename login }
  mergedBy { __typename login }
  labels(first: 100) { nodes { id name } }
  assignees(first: 100) { nodes { login } }
  files(first: 100) @include(if: $withFiles) { nodes { path } }
  reviews(first: 100) {
    pageInfo { hasNextPage endCursor }
    nodes { author { __typename login } state submittedAt }
  }
  comments(first: 100) {
    pageInfo { hasNextPage endCursor }
    nodes { id databaseId author { __typename login } body createdAt }
  }
}
"""

RFC_PULL_QUERY = """query RfcPullRequest($owner: String!, $name: String!, $number: Int!, $withFiles: Boolean!,
  $rfcLabel: String!, $overdueLabel: String!, $noDecisionLabel: String!) {
  repository(owner: $owner, name: $name) {
    id
    rfcLabel: label(name: $rfcLabel) { id name }
    overdueLabel: label(name: $overdueLabel) { id name }
    noDecisionLabel: label(name: $noDecisionLabel) { id name }
    pullRequest(number: $number) { ...RfcPull }
  }
}
"""

# Open pull requests, oldest first, a page at a time: a page holds every RFC field, so the sweep
# costs one request per page, not one per pull request.
RFC_OPEN_PULLS_QUERY = """query RfcOpenPullRequests($owner: String!, $name: String!, $after: String,
  $withFiles: Boolean!, $rfcLabel: String!, $overdueLabel: String!, $noDecisionLabel: String!) {
  repository(owner: $owner, name: $name) {
    id
    rfcLabel: label(name: $rfcLabel) { id name }
    overdueLabel: label(name: $overdueLabel) { id name }
    noDecisionLabel: label(name: $noDecisionLabel) { id name }
    pullRequests(states: [OPEN], first: 25, after: $after, orderBy: {field: CREATED_AT, direction: ASC}) {
      pageInfo { hasNextPage endCursor }
      nodes { ...RfcPull }
    }
  }
}
"""

# Closed and merged pull requests, most recently updated first: the digest's "recently decided".
RFC_RECENT_PULLS_QUERY = """query RfcRecentPullRequests($owner: String!, $name: String!, $after: String,
  $withFiles: Boolean!) {
  repository(owner: $owner, name: $name) {
    pullRequests(states: [CLOSED, MERGED], first: 25, after: $after,
      orderBy: {field: UPDATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes { ...RfcPull }
    }
  }
}
"""

# More comments or reviews, for a pull request with over 100 of them.
RFC_MORE_COMMENTS_QUERY = """query RfcMoreComments($owner: String!, $name: String!, $number: Int!,
  $after: String!) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      comments(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { id databaseId author { __typename login } body createdAt }
      }
    }
  }
}
"""

RFC_MORE_REVIEWS_QUERY = """query RfcMoreReviews($owner: String!, $name: String!, $number: Int!,
  $after: String!) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviews(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { author { __typename login } state submittedAt }
      }
    }
  }
}
"""


# --- reading the answers ------------------------------------------------------------------------


def pull_from_json(node: dict[str, Any]) -> Pull:
    files = node.get("files")
    return Pull(
        node_id=node["id"],
        number=node["number"],
        title=node.get("title") or "",
        body=node.get("body") or "",
        url=node.get("url") or "",
        created_at=parse_time(node["createdAt"]),  # type: ignore[arg-type]
        updated_at=parse_time(node.get("updatedAt")),
        state=node.get("state") or "OPEN",
        merged_at=parse_time(node.get("mergedAt")),
        closed_at=parse_time(node.get("closedAt")),
        draft=bool(node.get("isDraft")),
        head_sha=node.get("headRefOid") or "",
        author=login(node.get("author")),
        merged_by=login(node.get("mergedBy")),
        labels={n["name"]: n["id"] for n in (node.get("labels") or {}).get("nodes") or []},
        assignees=tuple(n["login"] for n in (node.get("assignees") or {}).get("nodes") or []),
        files=None if files is None else tuple(n["path"] for n in files.get("nodes") or []),
        reviews=tuple(Review.from_graphql(n) for n in (node.get("reviews") or {}).get("nodes") or [] if n),
        comments=tuple(Comment.from_graphql(n) for n in (node.get("comments") or {}).get("nodes") or [] if n),
    )


@dataclass(frozen=True)
class RepoInfo:
    node_id: str
    labels: dict[str, str | None]  # configured label name -> node id, None when it does not exist


# The variable (and alias) that reads each of the labels RFCs use, by role (RfcSettings.labels).
LABEL_ALIASES = {"rfc": "rfcLabel", "overdue": "overdueLabel", "no_decision": "noDecisionLabel"}


def repo_info(data: dict[str, Any], cfg: Config) -> RepoInfo:
    """The repository's id and the node ids of the labels RFCs use (None: not created yet)."""
    labels = {}
    for role, name in cfg.section(RfcSettings).labels.items():
        found = data.get(LABEL_ALIASES[role])
        labels[name] = found["id"] if found else None
    return RepoInfo(data["id"], labels)


def label_variables(cfg: Config) -> dict[str, str]:
    """The label names a read asks about ($rfcLabel, $overdueLabel, $noDecisionLabel)."""
    return {LABEL_ALIASES[role]: name for role, name in cfg.section(RfcSettings).labels.items()}
