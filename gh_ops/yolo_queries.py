"""The GraphQL documents of the yolo capability: one read for a merged pull request, one for the
commits of a push, and one per page of default-branch history for the audit. Each is validated
against GitHub's schema in tests/test_graphql_queries.py. Writes use rfc_queries.mutation()."""

from __future__ import annotations

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
