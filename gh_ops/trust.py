"""Whose gh-ops markers count: the token's account must be one the next run will trust."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gh_ops.config import Config
    from gh_ops.github import GitHub
    from gh_ops.models import Issue


def check_token_account(gh: GitHub, config: Config, what: str) -> None:
    """Before the first write: issues opened by an account whose markers are not trusted would be
    opened again by every run. Installation tokens (Actions, Apps) cannot say who they are: None."""
    if not gh.has_token:
        return
    login = gh.authenticated_login()
    if login is not None and not config.trusted(login):
        raise config.untrusted_account_error(login, what)


def check_opened_by_trusted(issue: Issue, config: Config, what: str) -> None:
    """After the first write, for tokens that could not say who they are (a GitHub App)."""
    if issue.planned or config.trusted(issue.author):
        return
    error = config.untrusted_account_error(issue.author or "?", what)
    error.message += f" (#{issue.number} was opened before this was known.)"
    raise error
