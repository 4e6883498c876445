"""Runs that overlap converge: after creating what must be unique, read its siblings and keep one.

Every duplicate check is "look, then write", and two runs that look at the same moment both write:
a schedule and a manual run, a laptop and the workflow, an `opened` and an `edited` delivery of the
same issue seconds apart. So after a run creates an issue or a comment that must exist once, it
reads what carries the same marker (one read, made by the capability, which knows where its
objects live) and applies one rule that every run applies the same way:

    The oldest stands: the lowest issue number, the lowest comment id.

- A newer issue is closed as a duplicate of the oldest, with a comment that links it (one GraphQL
  mutation: GitHub then shows it as "Duplicate of #N"). It is only ever closed by the run that
  created it, so nothing is closed twice, and what a person wrote in it stays there, linked.
- A newer comment is deleted after its text is put into the oldest (when the texts differ, the
  newer run's text is the more recent reading of the same facts).

Why this converges for any interleaving: numbers and ids grow in the order GitHub creates things.
The run that created the lowest-numbered object never sees a lower one, so it keeps its object. Every
other run created its object after that one and reads after its own write, so it sees the lowest
one and removes its own. The end state has exactly one of each, whatever N runs do in between.

These writes are few (only when runs overlapped) and they repair: they are never held back by the
write budget (they are still counted), and they are not made in a dry run (nothing was created).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from gh_ops.errors import GitHubError
from gh_ops.gql import error_messages, mutation
from gh_ops.models import Comment, Issue

if TYPE_CHECKING:
    from gh_ops.github import GitHub

RULE = "the oldest stands"

# How far before a run's own comment another run's twin can have been posted: a twin comes from a run
# that looked before this run posted, and no run spends this long between its look and its post (a
# rate-limit wait is at most 15 minutes). Times are GitHub's, from the comment as GitHub made it.
SIBLING_WINDOW = timedelta(hours=1)


def siblings_since(mine: Comment) -> datetime | None:
    """The `since` for reading a comment's twins: shortly before it was posted, on GitHub's clock."""
    return mine.created_at - SIBLING_WINDOW if mine.created_at else None


def duplicate_note(original: Issue) -> str:
    """What a closed duplicate says: which issue to use, and why this one exists."""
    return (
        f"Duplicate of #{original.number}\n\n"
        f"Two gh-ops runs overlapped and both opened this issue; the older one, #{original.number}, "
        "is the one to use. Anything written here before it was closed stays here."
    )


def is_closed_duplicate(issue: Issue) -> bool:
    """An issue a run closed as the duplicate of an older one: a look for what exists skips it."""
    return issue.state == "closed" and (issue.state_reason or "").lower() == "duplicate"


def settle_issue(
    gh: GitHub, repo: str, mine: Issue, siblings: Iterable[Issue], *, say: Callable[[str], None]
) -> Issue:
    """The issue that stands among `mine` (just created) and `siblings` (every trusted issue with the
    same marker, read after it was created; `mine` may or may not be among them). When an older one
    exists, `mine` is closed as its duplicate and the older one is returned."""
    if mine.planned:
        return mine
    found = {issue.number: issue for issue in siblings if not is_closed_duplicate(issue)}
    found.setdefault(mine.number, mine)
    oldest = found[min(found)]
    if oldest.number == mine.number:
        return mine
    say(
        f"#{mine.number} was opened at the same time as #{oldest.number} by another run: "
        f"closing #{mine.number} as its duplicate ({RULE})"
    )
    why = f"close #{mine.number} as a duplicate of #{oldest.number}"
    with gh.repairing():
        _, errors = gh.mutate(
            mutation(["notice", "closeAsDuplicate"]),
            {
                "notice": {"subjectId": mine.node_id, "body": duplicate_note(oldest)},
                "closeAsDuplicate": {
                    "issueId": mine.node_id,
                    "stateReason": "DUPLICATE",
                    "duplicateIssueId": oldest.node_id,
                },
            },
            why=why,
        )
    if errors:
        raise GitHubError(f"could not {why} in {repo}: {error_messages(errors)}; close it by hand")
    return oldest


def settle_comment(
    gh: GitHub,
    repo: str,
    number: int,
    mine: Comment,
    siblings: Iterable[Comment],
    *,
    say: Callable[[str], None],
    text: Callable[[Comment, Comment], str] | None = None,
) -> Comment:
    """The comment that stands among `mine` (just posted on #`number`) and `siblings` (every trusted
    comment there with the same marker, read after it was posted). When an older one exists, it gets
    `mine`'s text (if different) and `mine` is deleted; the older one is returned, as it now reads.

    `text(oldest, mine)`: the text the oldest ends with, when newer is not always better (e.g. an
    answer that links a checklist outranks a request for fixes made from an older reading)."""
    if not mine.id:
        return mine  # a dry run: nothing was posted
    found = {c.id: c for c in siblings if c.id}
    found.setdefault(mine.id, mine)
    oldest = found[min(found)]
    if oldest.id == mine.id:
        return mine
    say(
        f"another run posted the same comment on #{number} at the same time: keeping the older one "
        f"and removing this run's ({RULE})"
    )
    body = text(oldest, mine) if text is not None else mine.body
    with gh.repairing():
        if oldest.body != body:
            gh.update_comment(repo, oldest.id, body, why=f"merge a duplicate comment on #{number}")
        gh.delete_comment(repo, mine.id, why=f"delete a duplicate comment on #{number}")
    return replace(oldest, body=body)
