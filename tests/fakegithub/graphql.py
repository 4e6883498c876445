"""GraphQL: the /graphql endpoint, handlers tests register, and answers from state obtained by
running documents against GitHub's real schema (tests/fixtures/graphql-schema.graphql)."""

from __future__ import annotations

import base64
import copy
import functools
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    OperationType,
    build_schema,
    execute_sync,
    get_operation_ast,
    parse,
    validate,
)

from .cost import points
from .dispatch import _HttpError, _operation_name, _Req, _Resp
from .state import (
    GRAPHQL_SCHEMA_FILE,
    MAX_BODY,
    _CheckRun,
    _Comment,
    _Commit,
    _dedupe,
    _Issue,
    _Label,
    _node_id,
    _Repo,
    _Review,
    _user_id,
    _utc,
    iso,
)

if TYPE_CHECKING:
    from .core import FakeGitHub

# The GraphQL operations FakeGitHub answers from its state without per-test setup (the documents of
# gh_ops/rfc/queries.py, gh_ops/yolo/queries.py, and gh_ops/priority/queries.py).
STATE_OPERATIONS = (
    "RfcPullRequest",
    "RfcOpenPullRequests",
    "RfcRecentPullRequests",
    "RfcMoreComments",
    "RfcMoreReviews",
    "GhOpsWrites",
    "YoloPullRequest",
    "YoloPush",
    "YoloHistory",
    "YoloPulls",
    "PriorityTriage",
    "PriorityTriageComments",
    "PriorityOrgLabels",
    "PriorityMoreLabels",
    "YoloActiveRepositories",
    "PriorityNotes",  # issue 15: the read after posting notes
    "YoloSettle",  # issue 15: the read after a yolo check created its comment or follow-up issue
)


class GraphqlApi:
    """FakeGitHub's GraphQL endpoint (a mixin of core.FakeGitHub): a registered handler answers,
    else the state does (see "GraphQL from state" below)."""

    # ----------------------------------------------------------------- GraphQL

    def on_graphql(self, operation: str, handler: Callable[[str, dict[str, Any]], dict[str, Any]]) -> None:
        """Answer GraphQL requests whose operation name equals (or query contains) `operation`.

        The handler returns the response body; a dict without "data"/"errors" is wrapped in
        {"data": ...}. A handler for one of STATE_OPERATIONS, by exact name, replaces the built-in
        answer from state; `fake.execute_graphql` may be registered to answer other operations
        from state too.
        """
        self._graphql_handlers.append((operation, handler))

    def execute_graphql(
        self, query: str, variables: dict[str, Any] | None = None, operation_name: str | None = None
    ) -> dict[str, Any]:
        """Run a document against GitHub's schema (tests/fixtures/graphql-schema.graphql) and the
        fake's state; returns the response body ({"data": ..., "errors": [...]}, GitHub-style).

        The real schema decides what is valid and which fields the answer holds; the fake models
        the fields of gh_ops/rfc/queries.py and gh_ops/yolo/queries.py (and a few neighbours).
        Selecting a field or passing an argument the fake does not model raises NotImplementedError,
        so the gap is obvious.
        """
        return _execute(self, query, variables or {}, operation_name)

    # ----------------------------------------------------------------- GraphQL handler

    def _graphql(self, req: _Req) -> _Resp:
        data = req.json if isinstance(req.json, dict) else {}
        query = data.get("query")
        if not isinstance(query, str):
            raise _HttpError(400, "A query attribute must be specified and must be a string.")
        variables = data.get("variables") or {}
        if not isinstance(variables, dict):
            raise _HttpError(400, "Variables are invalid JSON.")
        operation_name = data.get("operationName")
        self._charge = _cost(query, variables)
        reset = self._rate_window()
        if self._rate_used["graphql"] + self._charge > self.graphql_points_limit:
            # GitHub answers 200 with a RATE_LIMITED error (and charges nothing) once the hour's
            # points are spent.
            self._charge = 0
            return (
                200,
                {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)},
                {
                    "errors": [
                        {
                            "type": "RATE_LIMITED",
                            "code": "graphql_rate_limit",
                            "message": "API rate limit already exceeded for user ID 1.",
                        }
                    ]
                },
            )
        handler = self._graphql_handler(query, operation_name)
        if handler is None:
            if (operation_name or _operation_name(query)) in self._state_operations:
                return 200, {}, self.execute_graphql(query, variables, operation_name)
            return 200, {}, {"errors": [{"message": "no fake handler"}]}
        result = handler(query, variables)
        if isinstance(result, dict) and ("data" in result or "errors" in result):
            return 200, {}, result
        return 200, {}, {"data": result}

    def _graphql_handler(
        self, query: str, operation_name: str | None
    ) -> Callable[[str, dict[str, Any]], dict[str, Any]] | None:
        """Prefer an exact operation-name match, then (unless the fake answers the operation from
        state) the first key found in the query text."""
        name = operation_name or _operation_name(query)
        for key, handler in self._graphql_handlers:
            if key == name:
                return handler
        if name in self._state_operations:
            return None
        for key, handler in self._graphql_handlers:
            if key in query:
                return handler
        return None

    def _transfer_issue(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """transferIssue: the issue moves with its comments to a new number in the other repository."""
        issue_id, repo_id = variables.get("issueId"), variables.get("repositoryId")
        source = next(
            (
                r
                for r in self._repos.values()
                for i in r.issues.values()
                if _node_id("Issue", i.id) == issue_id
            ),
            None,
        )
        target = next((r for r in self._repos.values() if _node_id("Repository", r.id) == repo_id), None)
        if source is None or target is None:
            return {"data": {"transferIssue": None}, "errors": [{"message": "Could not resolve to a node"}]}
        if source.owner.lower() != target.owner.lower() or (target.private is False and source.private):
            return {"data": {"transferIssue": None}, "errors": [{"message": "Cannot transfer this issue"}]}
        issue = next(i for i in source.issues.values() if _node_id("Issue", i.id) == issue_id)
        names = [source.labels[i].name for i in issue.label_ids]
        del source.issues[issue.number]
        issue.number = target.next_number
        target.next_number += 1
        target.issues[issue.number] = issue
        for comment_id in issue.comment_ids:
            comment = source.comments.pop(comment_id)
            comment.issue_number = issue.number
            target.comments[comment_id] = comment
        issue.label_ids = [self._ensure_label(target, name).id for name in names]
        issue.timeline = [e for e in issue.timeline if e[0] == "commented"]
        moved = self._render_issue(target, issue)
        return {"transferIssue": {"issue": {"number": moved["number"], "url": moved["html_url"]}}}

    def _issue_by_id(self, ident: int) -> tuple[_Repo, _Issue] | None:
        """The repository and issue (or pull request) with this id, from an index rebuilt when it
        misses or is stale (issues are added, transferred and deleted in many places): a query for
        thousands of nodes would otherwise scan every issue for each."""
        index = self._issue_index
        found = index.get(ident)
        if found is not None:
            repo, issue = found
            if repo.issues.get(issue.number) is issue and any(r is repo for r in self._repos.values()):
                return found
        index.clear()
        index.update((i.id, (r, i)) for r in self._repos.values() for i in r.issues.values())
        return index.get(ident)

    def _node(self, node_id: Any) -> tuple[str, _Repo, Any] | None:
        """(type name, repository, state object) for a node id this fake handed out, else None."""
        try:
            raw = base64.b64decode(str(node_id), validate=True).decode()
            length, rest = raw.split(":", 1)
            kind, tail = rest[: int(length)], rest[int(length) :]
            if kind == "Commit":  # _GqlCommit.id: the repository's id, then the oid
                repo_id, oid = tail.split(":", 1)
                for repo in self._repos.values():
                    if repo.id == int(repo_id) and oid in repo.commit_objects:
                        return kind, repo, oid
                return None
            ident = int(tail)
        except ValueError:
            return None
        if kind in ("Issue", "PullRequest"):
            found = self._issue_by_id(ident)
            if found is not None and found[1].is_pr == (kind == "PullRequest"):
                return kind, *found
            return None
        for repo in self._repos.values():
            if kind == "Repository" and repo.id == ident:
                return kind, repo, repo
            if kind == "IssueComment" and ident in repo.comments:
                return kind, repo, repo.comments[ident]
            if kind == "Label" and ident in repo.labels:
                return kind, repo, repo.labels[ident]
            if kind == "CheckRun":
                run = next((r for r in repo.check_runs if r.id == ident), None)
                if run is not None:
                    return kind, repo, run
        return None


# --------------------------------------------------------------------------- GraphQL from state
#
# Documents run against GitHub's real schema with graphql-core, so validation, variables, aliases,
# fragments, @include/@skip and "exactly the selected fields" are the schema's business. The
# classes below resolve fields from the fake's state: a view's attribute (or a Mapping key) of the
# field's name answers it; a method is called with the field's arguments. A field or argument the
# fake does not model raises NotImplementedError out of the request, so a gap is never silent.


class _GqlError(Exception):
    """A GitHub-style field error: the field becomes null, errors get {type, path, locations, message}."""

    def __init__(self, message: str, type_: str = "NOT_FOUND") -> None:
        super().__init__(message)
        self.type = type_


def _cost(query: str, variables: dict[str, Any]) -> int:
    """The points GitHub charges for a document (1 when it cannot be parsed or sized)."""
    try:
        return points(query, variables)
    except (GraphQLError, AssertionError, TypeError, ValueError):
        return 1


def _unresolvable(node_id: Any) -> _GqlError:
    return _GqlError(f"Could not resolve to a node with the global id of '{node_id}'.")


def _wide_int(value: Any) -> int:
    """GitHub answers Int fields past 32 bits (IssueComment.databaseId is > 2**31 today) as they are."""
    if isinstance(value, bool | int):
        return int(value)
    raise GraphQLError(f"Int cannot represent non-integer value: {value!r}")


# graphql-core reserves the name "Int"; the name of an output scalar never reaches a response.
_WIDE_INT = GraphQLScalarType("WideInt", serialize=_wide_int)


def _with_wide_ints(type_: Any) -> Any:
    if isinstance(type_, GraphQLNonNull):
        return GraphQLNonNull(_with_wide_ints(type_.of_type))
    if isinstance(type_, GraphQLList):
        return GraphQLList(_with_wide_ints(type_.of_type))
    return _WIDE_INT if type_ is GraphQLInt else type_


@functools.cache
def _github_schema() -> GraphQLSchema:
    """GitHub's public schema, built once per session (about 1.5 s) on the first GraphQL request."""
    schema = build_schema(GRAPHQL_SCHEMA_FILE.read_text(encoding="utf-8"), assume_valid_sdl=True)
    # GitHub's own schema fails graphql-core's strict schema checks; it is GitHub's by definition.
    schema._validation_errors = []
    for named in schema.type_map.values():
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType) and not named.name.startswith("__"):
            for definition in named.fields.values():
                definition.type = _with_wide_ints(definition.type)
    return schema


def _execute(
    fake: FakeGitHub, query: str, variables: dict[str, Any], operation_name: str | None
) -> dict[str, Any]:
    schema = _github_schema()
    document, problems = _prepared(query)
    if document is None:
        return {"errors": copy.deepcopy(problems)}
    operation = get_operation_ast(document, operation_name)
    mutation = operation is not None and operation.operation == OperationType.MUTATION
    result = execute_sync(
        schema,
        document,
        root_value=_GqlMutation(fake) if mutation else _GqlQuery(fake),
        variable_values=variables,
        operation_name=operation_name,
        field_resolver=_resolve_field,
        type_resolver=_resolve_type,
    )
    for err in result.errors or ():
        if err.original_error is not None and not isinstance(err.original_error, _GqlError | GraphQLError):
            raise err.original_error  # a gap or a bug in the fake: fail the test, not the query
    body: dict[str, Any] = {}
    if result.data is not None or not result.errors:
        body["data"] = result.data
    if result.errors:
        body["errors"] = [_format_error(err) for err in result.errors]
    return body


@functools.lru_cache(maxsize=256)
def _prepared(query: str) -> tuple[DocumentNode | None, list[dict[str, Any]]]:
    """Parse and validate a document once: clients send the same few documents over and over."""
    try:
        document = parse(query)
    except GraphQLError as err:
        return None, [_format_error(err)]
    problems = validate(_github_schema(), document)
    if problems:
        return None, [_format_error(err) for err in problems]
    return document, []


def _format_error(err: GraphQLError) -> dict[str, Any]:
    """GitHub's error shape: {"type": "NOT_FOUND", "path": [...], "locations": [...], "message": ...}."""
    out: dict[str, Any] = {}
    if isinstance(err.original_error, _GqlError):
        out["type"] = err.original_error.type
    if err.path is not None:
        out["path"] = list(err.path)
    if err.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in err.locations]
    out["message"] = err.message
    return out


_MISSING = object()


def _resolve_field(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    name = info.field_name
    if isinstance(source, _GqlMutation):
        source._fake._take_field_failure(name)
    if isinstance(source, Mapping):
        value = source.get(name, _MISSING)
    else:
        value = _MISSING if name.startswith("_") else getattr(source, name, _MISSING)
    if value is _MISSING:
        raise NotImplementedError(f"FakeGitHub does not model {info.parent_type.name}.{name}")
    if callable(value):
        return value(info, **args)
    _modelled(info)
    return value


def _resolve_type(value: Any, info: GraphQLResolveInfo, abstract_type: Any) -> str | None:
    if isinstance(value, Mapping):
        return value.get("__typename")
    return getattr(value, "_typename", None)


def _modelled(info: GraphQLResolveInfo, *names: str) -> None:
    """Refuse arguments the query passes explicitly that the fake would otherwise ignore."""
    given = {arg.name.value for node in info.field_nodes for arg in node.arguments or ()}
    extra = sorted(given - set(names))
    if extra:
        raise NotImplementedError(
            f"FakeGitHub does not model argument(s) {extra} of {info.parent_type.name}.{info.field_name}"
        )


def _cursor(index: int) -> str:
    return base64.b64encode(f"cursor:v2:{index}".encode()).decode()


def _cursor_index(cursor: str) -> int:
    try:
        prefix, _, index = base64.b64decode(cursor, validate=True).decode().rpartition(":")
        if prefix != "cursor:v2":
            raise ValueError(cursor)
        return int(index)
    except (ValueError, UnicodeDecodeError):
        raise _GqlError(
            f"`{cursor}` does not appear to be a valid cursor.", "INVALID_CURSOR_ARGUMENTS"
        ) from None


_PAGING = ("first", "after", "last", "before")


def _connection(
    info: GraphQLResolveInfo, items: list[Any], render: Callable[[Any], Any], args: dict[str, Any]
) -> dict[str, Any]:
    """A Relay connection over `items` honouring first/after/last/before like GitHub (max 100)."""
    name = info.field_name
    first, last = args.get("first"), args.get("last")
    if first is None and last is None:
        raise _GqlError(
            f"You must provide a `first` or `last` value to properly paginate the `{name}` connection.",
            "MISSING_PAGINATION_BOUNDARIES",
        )
    for arg, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= 100:
            raise _GqlError(
                f"Requesting {value} records on the `{name}` connection exceeds the `{arg}` limit of "
                "100 records.",
                "EXCESSIVE_PAGINATION",
            )
    lo, hi = 0, len(items)
    if args.get("after") is not None:
        lo = min(hi, _cursor_index(args["after"]) + 1)
    if args.get("before") is not None:
        hi = max(lo, min(hi, _cursor_index(args["before"])))
    if first is not None:
        hi = min(hi, lo + first)
    if last is not None:
        lo = max(lo, hi - last)
    nodes = [render(items[i]) for i in range(lo, hi)]
    return {
        "nodes": nodes,
        "edges": [{"cursor": _cursor(i), "node": node} for i, node in zip(range(lo, hi), nodes, strict=True)],
        "pageInfo": {
            "hasNextPage": hi < len(items),
            "hasPreviousPage": lo > 0,
            "startCursor": _cursor(lo) if lo < hi else None,
            "endCursor": _cursor(hi - 1) if lo < hi else None,
        },
        "totalCount": len(items),
    }


def _ordered(items: list[Any], order: Any, keys: dict[str, Callable[[Any], Any]]) -> list[Any]:
    """Sort by an {field, direction} orderBy argument, given a key per modelled field."""
    if order is None:
        return items
    if order["field"] not in keys:
        raise NotImplementedError(f"FakeGitHub does not model ordering by {order['field']}")
    return sorted(items, key=keys[order["field"]], reverse=order["direction"] == "DESC")


def _gql_time(raw: Any, name: str) -> datetime:
    try:
        return _utc(datetime.fromisoformat(str(raw)))
    except ValueError:
        raise _GqlError(f"{name} is not a valid ISO-8601 date time: {raw!r}", "UNPROCESSABLE") from None


def _gql_body(raw: Any) -> str:
    body = str(raw)
    if not body.strip():
        raise _GqlError("Body can't be blank", "UNPROCESSABLE")
    if len(body) > MAX_BODY:
        raise _GqlError(f"Body is too long (maximum is {MAX_BODY} characters)", "UNPROCESSABLE")
    return body


class _GqlView:
    """Base of the views: the fake and the repository the object lives in."""

    _typename = ""

    def __init__(self, fake: FakeGitHub, repo: _Repo) -> None:
        self._fake = fake
        self._repo = repo

    def _actor(self, login: str | None) -> dict[str, Any] | None:
        """An Actor: User, or Bot whose GraphQL login drops the REST "[bot]" suffix."""
        if login is None:
            return None
        uid = _user_id(login)
        is_bot = login.endswith("[bot]")
        short = login.removesuffix("[bot]")
        web = self._fake.web_url
        return {
            "__typename": "Bot" if is_bot else "User",
            "id": _node_id("Bot" if is_bot else "User", uid),
            "databaseId": uid,
            "login": short,
            "url": f"{web}/apps/{short}" if is_bot else f"{web}/{login}",
        }

    def _label(self, label: _Label) -> dict[str, Any]:
        return {
            "__typename": "Label",
            "id": _node_id("Label", label.id),
            "name": label.name,
            "color": label.color,
            "description": label.description,
            "isDefault": label.default,
            "url": f"{self._fake.web_url}/{self._repo.full_name}/labels/{quote(label.name, safe='')}",
        }

    def _comment(self, comment: _Comment) -> dict[str, Any]:
        return {
            "__typename": "IssueComment",
            "id": _node_id("IssueComment", comment.id),
            "databaseId": comment.id,
            "fullDatabaseId": str(comment.id),  # BigInt is a string on GitHub
            "author": self._actor(comment.author),
            "body": comment.body,
            "createdAt": iso(comment.created_at),
            "updatedAt": iso(comment.updated_at),
            "url": self._fake._comment_html_url(self._repo, comment),
            "viewerDidAuthor": comment.author == self._fake.actor,
        }

    def _review(self, review: _Review) -> dict[str, Any]:
        return {
            "__typename": "PullRequestReview",
            "id": _node_id("PullRequestReview", review.id),
            "databaseId": review.id,
            "fullDatabaseId": str(review.id),
            "author": self._actor(review.author),
            "state": review.state,
            "body": review.body,
            "submittedAt": iso(review.submitted_at),
            "createdAt": iso(review.submitted_at),
            "commit": None
            if review.commit_id is None
            else _GqlCommit(self._fake, self._repo, review.commit_id),
        }

    def _check_run(self, run: _CheckRun) -> dict[str, Any]:
        return {
            "__typename": "CheckRun",
            "id": _node_id("CheckRun", run.id),
            "databaseId": run.id,
            "name": run.name,
            "status": run.status.upper(),
            "conclusion": run.conclusion.upper() if run.conclusion else None,
            "title": run.title,
            "summary": run.summary,
            "text": run.text,
            "detailsUrl": run.details_url,
            "externalId": run.external_id,
            "startedAt": iso(run.started_at),
            "completedAt": iso(run.completed_at),
            "url": f"{self._fake.web_url}/{self._repo.full_name}/runs/{run.id}",
        }


class _GqlIssue(_GqlView):
    """An Issue or a PullRequest (PR-only fields are only asked of PullRequests by the schema)."""

    def __init__(self, fake: FakeGitHub, repo: _Repo, issue: _Issue) -> None:
        super().__init__(fake, repo)
        self._issue = issue

    @property
    def _typename(self) -> str:  # type: ignore[override]
        return "PullRequest" if self._issue.is_pr else "Issue"

    @property
    def id(self) -> str:
        return _node_id(self._typename, self._issue.id)

    @property
    def databaseId(self) -> int:
        return self._issue.id

    @property
    def fullDatabaseId(self) -> str:
        return str(self._issue.id)

    @property
    def number(self) -> int:
        return self._issue.number

    @property
    def title(self) -> str:
        return self._issue.title

    @property
    def body(self) -> str:
        return self._issue.body or ""

    @property
    def url(self) -> str:
        kind = "pull" if self._issue.is_pr else "issues"
        return f"{self._fake.web_url}/{self._repo.full_name}/{kind}/{self._issue.number}"

    @property
    def createdAt(self) -> str | None:
        return iso(self._issue.created_at)

    @property
    def updatedAt(self) -> str | None:
        return iso(self._issue.updated_at)

    @property
    def closedAt(self) -> str | None:
        return iso(self._issue.closed_at)

    @property
    def closed(self) -> bool:
        return self._issue.state == "closed"

    @property
    def locked(self) -> bool:
        return self._issue.locked

    @property
    def stateReason(self) -> str | None:  # Issue only: COMPLETED, NOT_PLANNED, DUPLICATE, REOPENED
        reason = self._issue.state_reason
        return reason.upper() if reason else None

    @property
    def state(self) -> str:
        if self._issue.merged_at is not None:
            return "MERGED"
        return self._issue.state.upper()

    @property
    def author(self) -> dict[str, Any] | None:
        return self._actor(self._issue.author)

    @property
    def repository(self) -> _GqlRepository:
        return _GqlRepository(self._fake, self._repo)

    # pull requests only

    @property
    def merged(self) -> bool:
        return self._issue.merged_at is not None

    @property
    def mergedAt(self) -> str | None:
        return iso(self._issue.merged_at)

    @property
    def mergedBy(self) -> dict[str, Any] | None:
        return self._actor(self._issue.merged_by)

    @property
    def isDraft(self) -> bool:
        return self._issue.draft

    @property
    def headRefOid(self) -> str | None:
        return self._issue.head_sha

    @property
    def headRefName(self) -> str | None:
        return self._issue.head_ref

    @property
    def baseRefName(self) -> str:
        return self._issue.base_ref or self._repo.default_branch

    # connections

    def labels(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        _modelled(info, *_PAGING, "orderBy")
        labels = [self._repo.labels[i] for i in self._issue.label_ids]
        keys = {"CREATED_AT": lambda lb: lb.id, "NAME": lambda lb: lb.name.lower()}
        return _connection(info, _ordered(labels, args.get("orderBy"), keys), self._label, args)

    def assignees(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        _modelled(info, *_PAGING)
        return _connection(info, list(self._issue.assignees), self._actor, args)

    def comments(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        _modelled(info, *_PAGING, "orderBy")
        comments = [self._repo.comments[c] for c in self._issue.comment_ids]
        keys = {"UPDATED_AT": lambda c: (c.updated_at, c.id)}
        return _connection(info, _ordered(comments, args.get("orderBy"), keys), self._comment, args)

    def reviews(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        _modelled(info, *_PAGING, "states", "author")
        reviews = list(self._issue.reviews)
        if args.get("states") is not None:
            reviews = [r for r in reviews if r.state in args["states"]]
        if args.get("author") is not None:
            wanted = args["author"].lower()
            reviews = [r for r in reviews if r.author.lower().removesuffix("[bot]") == wanted]
        return _connection(info, reviews, self._review, args)

    def files(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        _modelled(info, *_PAGING)
        return _connection(info, list(self._issue.files), lambda path: {"path": path}, args)

    def commits(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        _modelled(info, *_PAGING)

        def render(oid: str) -> dict[str, Any]:
            return {"__typename": "PullRequestCommit", "commit": _GqlCommit(self._fake, self._repo, oid)}

        return _connection(info, list(self._issue.commit_oids), render, args)

    @property
    def mergeCommit(self) -> _GqlCommit | None:
        if self._issue.merge_sha is None:
            return None
        return _GqlCommit(self._fake, self._repo, self._issue.merge_sha)


class _GqlCommit(_GqlView):
    """A commit the fake knows (default-branch history, a pull request's commits, a merge)."""

    _typename = "Commit"

    def __init__(self, fake: FakeGitHub, repo: _Repo, oid: str) -> None:
        super().__init__(fake, repo)
        self._oid = oid
        self._commit = repo.commit_objects.get(oid) or _Commit(oid, "Change", None, fake.clock())

    @property
    def id(self) -> str:
        return base64.b64encode(f"06:Commit{self._repo.id}:{self._oid}".encode()).decode()

    @property
    def oid(self) -> str:
        return self._oid

    @property
    def abbreviatedOid(self) -> str:
        return self._oid[:7]

    @property
    def message(self) -> str:
        return self._commit.message

    @property
    def messageHeadline(self) -> str:
        return self._commit.message.splitlines()[0] if self._commit.message else ""

    @property
    def committedDate(self) -> str | None:
        return iso(self._commit.committed_at)

    @property
    def url(self) -> str:
        return f"{self._fake.web_url}/{self._repo.full_name}/commit/{self._oid}"

    @property
    def author(self) -> dict[str, Any]:
        """A GitActor: bots are not Users, so GitHub gives them no `user`, only name and email."""
        login = self._commit.author
        is_bot = bool(login) and str(login).endswith("[bot]")
        return {
            "name": login or "Someone",
            "email": f"{_user_id(login)}+{login}@users.noreply.github.com"
            if login
            else "someone@example.com",
            "date": iso(self._commit.committed_at),
            "user": None if login is None or is_bot else self._actor(login),
        }

    def authors(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        """GitHub's list: the git author first, then each Co-authored-by trailer, each a GitActor
        whose `user` is the account that email belongs to (noreply addresses, or fake.emails)."""
        _modelled(info, *_PAGING)
        actors = [self.author]
        for name, email in re.findall(
            r"(?im)^\s*co-authored-by:\s*([^<\n]*?)\s*<([^>\n]*)>\s*$", self._commit.message
        ):
            noreply = re.match(
                r"^(?:\d+\+)?([A-Za-z0-9-]+)@users\.noreply\.github\.com$", email.strip(), re.I
            )
            login = noreply.group(1) if noreply else self._fake.emails.get(email.strip().casefold())
            actors.append(
                {"name": name, "email": email, "date": None, "user": self._actor(login) if login else None}
            )
        return _connection(info, actors, lambda actor: actor, args)

    def parents(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        _modelled(info, *_PAGING)
        fake_parents = [f"{i}" * 40 for i in range(self._commit.parents)]
        return _connection(info, fake_parents, lambda oid: _GqlCommit(self._fake, self._repo, oid), args)

    def associatedPullRequests(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        """Merged pull requests whose commits (or merge commit) this is, then open ones holding it."""
        _modelled(info, *_PAGING)
        found = self._fake._associated(self._repo).get(self._oid, [])
        return _connection(info, found, lambda p: _GqlIssue(self._fake, self._repo, p), args)

    def history(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        """The default branch from this commit back, newest first (since: committed at or after)."""
        _modelled(info, *_PAGING, "since")
        line = self._repo.history
        upto = line.index(self._oid) + 1 if self._oid in line else 0
        oids = list(reversed(line[:upto]))
        if args.get("since") is not None:
            since = _gql_time(args["since"], "since")
            oids = [o for o in oids if self._repo.commit_objects[o].committed_at >= since]
        return _connection(info, oids, lambda oid: _GqlCommit(self._fake, self._repo, oid), args)


class _GqlRepository(_GqlView):
    _typename = "Repository"

    @property
    def id(self) -> str:
        return _node_id("Repository", self._repo.id)

    @property
    def databaseId(self) -> int:
        return self._repo.id

    @property
    def name(self) -> str:
        return self._repo.name

    @property
    def nameWithOwner(self) -> str:
        return self._repo.full_name

    @property
    def url(self) -> str:
        return f"{self._fake.web_url}/{self._repo.full_name}"

    @property
    def isPrivate(self) -> bool:
        return self._repo.private

    @property
    def isArchived(self) -> bool:
        return self._repo.archived

    def object(self, info: GraphQLResolveInfo, **args: Any) -> _GqlCommit | None:
        _modelled(info, "oid")
        oid = args.get("oid")
        return _GqlCommit(self._fake, self._repo, oid) if oid in self._repo.commit_objects else None

    @property
    def defaultBranchRef(self) -> dict[str, Any] | None:
        tip = self._repo.history[-1] if self._repo.history else None
        return {
            "__typename": "Ref",
            "name": self._repo.default_branch,
            "prefix": "refs/heads/",
            "target": None if tip is None else _GqlCommit(self._fake, self._repo, tip),
        }

    def label(self, info: GraphQLResolveInfo, name: str) -> dict[str, Any] | None:
        found = self._fake._find_label(self._repo, name)
        return None if found is None else self._label(found)

    def pullRequest(self, info: GraphQLResolveInfo, number: int) -> _GqlIssue:
        issue = self._repo.issues.get(number)
        if issue is None or not issue.is_pr:
            raise _GqlError(f"Could not resolve to a PullRequest with the number of {number}.")
        return _GqlIssue(self._fake, self._repo, issue)

    def issue(self, info: GraphQLResolveInfo, number: int) -> _GqlIssue:
        issue = self._repo.issues.get(number)
        if issue is None or issue.is_pr:
            raise _GqlError(f"Could not resolve to an Issue with the number of {number}.")
        return _GqlIssue(self._fake, self._repo, issue)

    def issues(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        """Issues (never pull requests), in number order unless ordered."""
        _modelled(info, *_PAGING, "states", "orderBy")
        issues = [i for _, i in sorted(self._repo.issues.items()) if not i.is_pr]
        if args.get("states") is not None:
            issues = [i for i in issues if i.state.upper() in args["states"]]
        keys = {
            "CREATED_AT": lambda i: (i.created_at, i.number),
            "UPDATED_AT": lambda i: (i.updated_at, i.number),
            "COMMENTS": lambda i: (len(i.comment_ids), i.number),
        }
        issues = _ordered(issues, args.get("orderBy"), keys)
        return _connection(info, issues, lambda i: _GqlIssue(self._fake, self._repo, i), args)

    def labels(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        """The repository's labels, oldest first (GitHub's default order)."""
        _modelled(info, *_PAGING, "orderBy")
        keys = {"CREATED_AT": lambda lb: lb.id, "NAME": lambda lb: lb.name.lower()}
        labels = _ordered(list(self._repo.labels.values()), args.get("orderBy"), keys)
        return _connection(info, labels, self._label, args)

    def pullRequests(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        _modelled(info, *_PAGING, "states", "orderBy")
        pulls = [i for _, i in sorted(self._repo.issues.items()) if i.is_pr]
        if args.get("states") is not None:
            pulls = [p for p in pulls if _GqlIssue(self._fake, self._repo, p).state in args["states"]]
        keys = {
            "CREATED_AT": lambda p: (p.created_at, p.number),
            "UPDATED_AT": lambda p: (p.updated_at, p.number),
            "COMMENTS": lambda p: (len(p.comment_ids), p.number),
        }
        pulls = _ordered(pulls, args.get("orderBy"), keys)
        return _connection(info, pulls, lambda p: _GqlIssue(self._fake, self._repo, p), args)


class _GqlOrganization:
    """An account whose repositories are listed (any owner of a repository, as the REST listing)."""

    _typename = "Organization"

    def __init__(self, fake: FakeGitHub, login: str) -> None:
        self._fake = fake
        self.login = login

    def repositories(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        """Its repositories (archived ones too, unless `isArchived` says), oldest first unless ordered."""
        _modelled(info, *_PAGING, "orderBy", "isArchived")
        archived = args.get("isArchived")
        owned = sorted(
            (
                r
                for r in self._fake._repos.values()
                if r.owner.lower() == self.login.lower() and (archived is None or r.archived == archived)
            ),
            key=lambda r: r.id,
        )
        keys = {"CREATED_AT": lambda r: r.id, "NAME": lambda r: r.name.lower()}
        owned = _ordered(owned, args.get("orderBy"), keys)
        return _connection(info, owned, lambda r: _GqlRepository(self._fake, r), args)


class _GqlQuery:
    """The Query root."""

    def __init__(self, fake: FakeGitHub) -> None:
        self._fake = fake

    def repository(self, info: GraphQLResolveInfo, owner: str, name: str, **args: Any) -> _GqlRepository:
        _modelled(info, "owner", "name", "followRenames")
        repo = self._fake._repos.get(f"{owner}/{name}".lower())
        if repo is None:
            raise _GqlError(f"Could not resolve to a Repository with the name '{owner}/{name}'.")
        return _GqlRepository(self._fake, repo)

    def organization(self, info: GraphQLResolveInfo, login: str) -> _GqlOrganization:
        fake = self._fake
        known = login.lower() in fake.organizations
        if not known and not any(r.owner.lower() == login.lower() for r in fake._repos.values()):
            raise _GqlError(f"Could not resolve to an Organization with the login of '{login}'.")
        return _GqlOrganization(fake, login)

    def rateLimit(self, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        """This query's cost and what is left of the hour's points once it is paid."""
        _modelled(info, "dryRun")
        fake = self._fake
        reset = fake._rate_window()
        used = fake._rate_used["graphql"] + fake._charge
        return {
            "cost": fake._charge,
            "limit": fake.graphql_points_limit,
            "remaining": max(0, fake.graphql_points_limit - used),
            "used": used,
            "resetAt": iso(datetime.fromtimestamp(reset, UTC)),
            "nodeCount": 0,
        }

    def node(self, info: GraphQLResolveInfo, id: str) -> Any:
        found = self._fake._node(id)
        if found is None:
            raise _unresolvable(id)
        kind, repo, obj = found
        view = _GqlView(self._fake, repo)
        if kind in ("Issue", "PullRequest"):
            return _GqlIssue(self._fake, repo, obj)
        if kind == "Repository":
            return _GqlRepository(self._fake, repo)
        if kind == "Commit":
            return _GqlCommit(self._fake, repo, obj)
        return {"IssueComment": view._comment, "Label": view._label, "CheckRun": view._check_run}[kind](obj)

    def nodes(self, info: GraphQLResolveInfo, ids: list[str]) -> list[Any]:
        """Each id's node, in order (null for an id the fake never handed out), at most 100."""
        if len(ids) > 100:
            raise _GqlError("You may not request more than 100 nodes at once.", "EXCESSIVE_PAGINATION")
        found = []
        for node_id in ids:
            try:
                found.append(self.node(info, node_id))
            except _GqlError:
                found.append(None)
        return found


class _GqlMutation:
    """The Mutation root: each field applies to state in document order (graphql-core runs mutation
    fields serially), failing alone like on GitHub."""

    def __init__(self, fake: FakeGitHub) -> None:
        self._fake = fake

    def _issue(self, node_id: str) -> tuple[_Repo, _Issue]:
        found = self._fake._node(node_id)
        if found is None or found[0] not in ("Issue", "PullRequest"):
            raise _unresolvable(node_id)
        repo = found[1]
        if repo.archived:
            raise _GqlError("Repository was archived so is read-only.", "UNPROCESSABLE")
        return repo, found[2]

    def _labels(self, repo: _Repo, ids: list[str]) -> list[_Label]:
        labels = []
        for label_id in ids:
            found = self._fake._node(label_id)
            if found is None or found[0] != "Label" or found[1] is not repo:
                raise _unresolvable(label_id)
            labels.append(found[2])
        return labels

    def createCheckRun(self, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:
        fake = self._fake
        found = fake._node(input["repositoryId"])
        if found is None or found[0] != "Repository":
            raise _unresolvable(input["repositoryId"])
        repo = found[1]
        modelled = {"repositoryId", "headSha", "name", "status", "conclusion", "output", "completedAt",
                    "startedAt", "detailsUrl", "externalId", "clientMutationId"}  # fmt: skip
        if set(input) - modelled:
            raise NotImplementedError(
                f"FakeGitHub does not model createCheckRun {sorted(set(input) - modelled)}"
            )
        if input["headSha"] not in repo.commits:
            raise _GqlError(f"No commit found for SHA: {input['headSha']}", "UNPROCESSABLE")
        status = "COMPLETED" if input.get("conclusion") else (input.get("status") or "QUEUED")
        if status == "COMPLETED" and not input.get("conclusion"):
            raise _GqlError("Conclusion must be set when status is completed", "UNPROCESSABLE")
        now = _utc(fake.clock())
        completed = input.get("completedAt")
        output = input.get("output") or {}
        run = _CheckRun(
            id=next(fake._ids["check_run"]),
            name=input["name"],
            head_sha=input["headSha"],
            status=status.lower(),
            conclusion=input["conclusion"].lower() if input.get("conclusion") else None,
            title=output.get("title"),
            summary=output.get("summary"),
            text=output.get("text"),
            details_url=input.get("detailsUrl"),
            external_id=input.get("externalId"),
            started_at=_gql_time(input["startedAt"], "startedAt") if input.get("startedAt") else now,
            completed_at=_gql_time(completed, "completedAt")
            if completed
            else (now if status == "COMPLETED" else None),
            app=fake.actor,
        )
        repo.check_runs.append(run)
        view = _GqlView(fake, repo)
        return {"clientMutationId": input.get("clientMutationId"), "checkRun": view._check_run(run)}

    def addComment(self, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:
        repo, issue = self._issue(input["subjectId"])
        body = _gql_body(input["body"])
        comment = self._fake._new_comment(repo, issue, body, self._fake.actor, _utc(self._fake.clock()))
        view = _GqlView(self._fake, repo)
        return {
            "clientMutationId": input.get("clientMutationId"),
            "commentEdge": {"cursor": _cursor(len(issue.comment_ids) - 1), "node": view._comment(comment)},
            "subject": _GqlIssue(self._fake, repo, issue),
        }

    def closeIssue(self, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:
        repo, issue = self._issue(input["issueId"])
        if issue.is_pr:
            raise _unresolvable(input["issueId"])  # closeIssue takes an Issue id only
        reason = input.get("stateReason")
        duplicate_id = input.get("duplicateIssueId")
        original: _Issue | None = None
        if duplicate_id is not None:
            if reason != "DUPLICATE":
                raise _GqlError("duplicateIssueId can only be given with the DUPLICATE state reason")
            _, original = self._issue(duplicate_id)
            if original is issue:
                raise _GqlError("An issue cannot be a duplicate of itself", "UNPROCESSABLE")
        self._fake._apply_state(
            issue, "closed", reason.lower() if reason else None, _utc(self._fake.clock()), self._fake.actor
        )
        if original is not None:
            issue.duplicate_of = original.number
        issue.updated_at = _utc(self._fake.clock())
        return {
            "clientMutationId": input.get("clientMutationId"),
            "issue": _GqlIssue(self._fake, repo, issue),
        }

    def updateIssueComment(self, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:
        found = self._fake._node(input["id"])
        if found is None or found[0] != "IssueComment":
            raise _unresolvable(input["id"])
        repo, comment = found[1], found[2]
        comment.body = _gql_body(input["body"])
        comment.updated_at = _utc(self._fake.clock())
        view = _GqlView(self._fake, repo)
        return {"clientMutationId": input.get("clientMutationId"), "issueComment": view._comment(comment)}

    def addLabelsToLabelable(self, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:
        repo, issue = self._issue(input["labelableId"])
        labels = self._labels(repo, input["labelIds"])
        issue.label_ids = _dedupe(issue.label_ids + [label.id for label in labels])
        issue.updated_at = _utc(self._fake.clock())
        return {
            "clientMutationId": input.get("clientMutationId"),
            "labelable": _GqlIssue(self._fake, repo, issue),
        }

    def removeLabelsFromLabelable(self, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:
        repo, issue = self._issue(input["labelableId"])
        gone = {label.id for label in self._labels(repo, input["labelIds"])}
        issue.label_ids = [i for i in issue.label_ids if i not in gone]
        issue.updated_at = _utc(self._fake.clock())
        return {
            "clientMutationId": input.get("clientMutationId"),
            "labelable": _GqlIssue(self._fake, repo, issue),
        }
