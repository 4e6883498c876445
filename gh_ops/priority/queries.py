"""What bug priorities need from GitHub's GraphQL API: moving a security issue to a private repository
(REST has no transfer). Validated against GitHub's schema in tests."""

from __future__ import annotations

TRANSFER_ISSUE_MUTATION = """mutation TransferIssue($issueId: ID!, $repositoryId: ID!) {
  transferIssue(input: {issueId: $issueId, repositoryId: $repositoryId, createLabelsIfMissing: true}) {
    issue { number url }
  }
}"""
