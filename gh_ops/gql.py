"""GraphQL helpers every capability shares: logins as REST spells them, a repository's owner and name,
the one composed mutation for a pull request's writes, and the one reader of its partial failures."""

from __future__ import annotations

from typing import Any


def login(actor: dict[str, Any] | None) -> str | None:
    """A login as REST spells it: GraphQL leaves "[bot]" off bots' logins (select `__typename`)."""
    if not actor or not actor.get("login"):
        return None
    name = str(actor["login"])
    if actor.get("__typename") == "Bot" and not name.endswith("[bot]"):
        name += "[bot]"
    return name


def owner_name(repo: str) -> dict[str, str]:
    """The `$owner` and `$name` variables of a query about OWNER/NAME."""
    owner, name = repo.split("/", 1)
    return {"owner": owner, "name": name}


# --- what a read costs --------------------------------------------------------------------------

# Asked in every query (gh_ops.github adds it): the points GitHub charged and what the hour has left.
RATE_LIMIT_ALIAS = "ghOpsRateLimit"
_RATE_LIMIT_FIELD = f"{RATE_LIMIT_ALIAS}: rateLimit {{ cost remaining resetAt }}\n"


def with_rate_limit(document: str) -> str:
    """The query with `rateLimit { cost remaining resetAt }` (aliased) added to its root selection.

    Finds the operation's opening brace after its name and variable definitions, skipping strings
    and comments; a document that is not one query (a mutation, or anything it cannot place the
    field in) is returned unchanged.
    """
    i, n = 0, len(document)
    depth = 0  # parentheses: variable definitions

    def skip_ignored(k: int) -> int:
        while k < n:
            if document[k] == "#":
                end = document.find("\n", k)
                k = n if end < 0 else end + 1
            elif document[k] in " \t\r\n,":
                k += 1
            else:
                break
        return k

    i = skip_ignored(0)
    if document.startswith("{", i):
        return document[: i + 1] + _RATE_LIMIT_FIELD + document[i + 1 :]
    if not (document.startswith("query", i) and (i + 5 == n or not document[i + 5].isalnum())):
        return document
    i += 5
    while i < n:
        ch = document[i]
        if ch == '"':
            end = document.find('"', i + 1)
            while end > 0 and document[end - 1] == "\\":
                end = document.find('"', end + 1)
            if end < 0:
                return document
            i = end + 1
            continue
        if ch == "#":
            i = skip_ignored(i)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "{" and depth == 0:
            return document[: i + 1] + "\n  " + _RATE_LIMIT_FIELD + document[i + 1 :]
        i += 1
    return document


# --- composed mutations ------------------------------------------------------------------------

# The writes for one pull request (RFCs, yolo merges), as fields of one mutation (GitHub runs them
# in order and answers for each): a run that creates a check run, a comment and a label costs one
# request.
# alias -> (input type, field with its selection). tests/test_graphql_queries.py validates every
# combination against the schema.
MUTATION_PARTS: dict[str, tuple[str, str]] = {
    "checkRun": ("CreateCheckRunInput", "createCheckRun(input: $checkRun) { checkRun { id } }"),
    "newComment": ("AddCommentInput", "addComment(input: $newComment) { commentEdge { node { id } } }"),
    "editComment": (
        "UpdateIssueCommentInput",
        "updateIssueComment(input: $editComment) { issueComment { id } }",
    ),
    "notice": ("AddCommentInput", "addComment(input: $notice) { commentEdge { node { id } } }"),
    "addLabels": (
        "AddLabelsToLabelableInput",
        "addLabelsToLabelable(input: $addLabels) { clientMutationId }",
    ),
    "removeLabels": (
        "RemoveLabelsFromLabelableInput",
        "removeLabelsFromLabelable(input: $removeLabels) { clientMutationId }",
    ),
    # gh_ops.converge: an issue two overlapping runs both opened, closed as the older one's duplicate.
    "closeAsDuplicate": ("CloseIssueInput", "closeIssue(input: $closeAsDuplicate) { issue { number } }"),
}


# Parts that leave the same result when GitHub applies them twice (setting a comment's text, adding
# or removing labels): a mutation of these alone is retried after a 5xx like a read. One that creates
# something (a check run, a comment) is not: its run stops, and the next run sends what is missing.
REPEATABLE_PARTS = frozenset({"editComment", "addLabels", "removeLabels"})


def repeatable(aliases: list[str]) -> bool:
    """Whether a mutation of these parts may be sent again when its answer is lost."""
    return set(aliases) <= REPEATABLE_PARTS


def mutation(aliases: list[str]) -> str:
    """The mutation document with the given parts, in MUTATION_PARTS order."""
    chosen = [a for a in MUTATION_PARTS if a in aliases]
    unknown = set(aliases) - set(chosen)
    if unknown or not chosen:
        raise ValueError(f"unknown or no mutation parts: {sorted(unknown) or aliases}")
    params = ", ".join(f"${a}: {MUTATION_PARTS[a][0]}!" for a in chosen)
    fields = "\n".join(f"  {a}: {MUTATION_PARTS[a][1]}" for a in chosen)
    return f"mutation GhOpsWrites({params}) {{\n{fields}\n}}\n"


def error_messages(errors: list[dict[str, Any]]) -> str:
    """GitHub's errors of a mutation, as one line for a message."""
    return "; ".join(str(e.get("message") or e) for e in errors)


def failed_parts(
    errors: list[dict[str, Any]], aliases: list[str], data: dict[str, Any], *, dry_run: bool
) -> dict[str, tuple[str, str]]:
    """Which parts of a composed mutation failed: alias -> (GitHub's message, its error type).

    GitHub names the failed field in each error's `path`; an error without one is counted against
    every part not already failed. A part with no answer failed too (except in a dry run, which sends
    nothing).
    """
    failed: dict[str, tuple[str, str]] = {}
    for error in errors:
        path = error.get("path") or []
        alias = path[0] if path and path[0] in aliases else None
        targets = [alias] if alias else [a for a in aliases if a not in failed]
        for target in targets:
            failed.setdefault(target, (str(error.get("message") or "refused"), str(error.get("type") or "")))
    if not dry_run:
        for alias in aliases:
            if alias not in failed and data.get(alias) is None:
                failed[alias] = ("no answer", "")
    return failed
