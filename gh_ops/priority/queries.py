"""What bug priorities need from GitHub's GraphQL API: moving a security issue to a private repository
(REST has no transfer), the triage sweep's pages of open issues, and an organization's labels 100
repositories at a time. Validated against GitHub's schema in tests."""

from __future__ import annotations

TRANSFER_ISSUE_MUTATION = """mutation TransferIssue($issueId: ID!, $repositoryId: ID!) {
  transferIssue(input: {issueId: $issueId, repositoryId: $repositoryId, createLabelsIfMissing: true}) {
    issue { number url }
  }
}"""

# `priority triage`: one page of 100 open issues (pull requests are not issues here), oldest first as
# the report lists them, each with its labels and its first 100 comments (to find gh-ops' note). The
# first 100, not the last: comments only ever come after the note, so a note among the first 100
# stays there. 2 points a page (1 + 100 + 100 fetches).
TRIAGE_ISSUES_QUERY = """query PriorityTriage($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    issues(first: 100, after: $after, states: OPEN, orderBy: {field: CREATED_AT, direction: ASC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id number title body url createdAt
        labels(first: 100) { nodes { name } }
        comments(first: 100) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes { author { __typename login } body }
        }
      }
    }
  }
}"""

# The comments after the first 100 of one issue, read only for an untriaged bug whose note is not
# among its first 100 (it was asked when it already had over 100 comments). 1 point a page.
TRIAGE_MORE_COMMENTS_QUERY = """query PriorityTriageComments($id: ID!, $after: String) {
  node(id: $id) {
    ... on Issue {
      comments(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { author { __typename login } body }
      }
    }
  }
}"""

# `priority labels --org`: one page of 100 repositories of the organization, oldest first, each with
# its first 100 labels. 1 point a page (1 + 100 fetches).
ORG_LABELS_QUERY = """query PriorityOrgLabels($org: String!, $after: String) {
  organization(login: $org) {
    repositories(first: 100, after: $after, orderBy: {field: CREATED_AT, direction: ASC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        nameWithOwner isArchived
        labels(first: 100) {
          pageInfo { hasNextPage endCursor }
          nodes { name color description }
        }
      }
    }
  }
}"""

# The labels after the first 100 of one repository (only for a repository with more). 1 point a page.
MORE_LABELS_QUERY = """query PriorityMoreLabels($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    labels(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { name color description }
    }
  }
}"""

# After posting notes: the newest 100 comments of each issue a run commented on (up to 100 issues a
# read), where a note another run posted at the same moment is (gh_ops.converge). A connection, not
# the search API, which lags. `databaseId`: the REST id a duplicate is deleted by.
NOTES_PER_READ = 100
NOTES_QUERY = """query PriorityNotes($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on Issue {
      comments(last: 100) { nodes { id databaseId author { __typename login } body } }
    }
  }
}"""
