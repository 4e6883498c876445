"""What onboarding and offboarding need from GitHub's GraphQL API: the leaver's teams in the
organization, listed as access to remove. Validated against GitHub's schema in tests."""

from __future__ import annotations

ORG_TEAMS_QUERY = """query OrgTeamsOfMember($org: String!, $login: String!) {
  organization(login: $org) {
    teams(first: 100, userLogins: [$login]) {
      nodes { name slug url }
      pageInfo { hasNextPage }
    }
  }
}"""
