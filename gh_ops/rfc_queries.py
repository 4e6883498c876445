"""The GraphQL documents of the RFC capability: one read per pull request (or per page of them) and
one mutation per pull request that carries every write the run needs. Each is validated against
GitHub's schema in tests/test_graphql_queries.py."""

from __future__ import annotations

# Everything `rfc check` and `rfc remind` need to know about one pull request. Bots' logins come
# back without "[bot]" in GraphQL, hence __typename. Files are fetched only when neither the title
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
    nodes { id author { __typename login } body createdAt }
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
        nodes { id author { __typename login } body createdAt }
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
