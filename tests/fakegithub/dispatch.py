"""How a request reaches the fake: registration with `responses`, parsing, the request log, auth,
routing, and the headers and error bodies every GitHub answer carries."""

from __future__ import annotations

import functools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from graphql import GraphQLError, get_operation_ast, parse
from requests import PreparedRequest
from requests.structures import CaseInsensitiveDict

from .state import _Repo, _utc

DOCS = "https://docs.github.com/rest"
RATE_LIMIT = 5000

_Resp = tuple[int, dict[str, str], Any]


# --------------------------------------------------------------------------- recorded requests


@dataclass
class RecordedRequest:
    """A request that reached the fake; `path` is relative to the API root ("/graphql" for GQL)."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    headers: CaseInsensitiveDict[str]
    url: str = ""
    status: int | None = None
    points: int = 0  # GraphQL rate-limit points GitHub charged (0 for REST, and for a refused query)

    @property
    def is_graphql(self) -> bool:
        """True for POSTs to the GraphQL endpoint."""
        return self.path == "/graphql"

    @functools.cached_property
    def is_write(self) -> bool:
        """GETs and GraphQL queries are reads; everything else (incl. mutations) is a write."""
        if self.is_graphql:
            data = self.json if isinstance(self.json, dict) else {}
            return _operation_type(str(data.get("query", "")), data.get("operationName")) == "mutation"
        return self.method not in ("GET", "HEAD")


def _operation_name(query: str) -> str | None:
    """The name of the document's first operation (fragments may come first)."""
    match = re.search(r"(?:^|[}\s])(?:query|mutation|subscription)\s+(\w+)", _strip_comments(query))
    return match.group(1) if match else None


def _strip_comments(query: str) -> str:
    return re.sub(r"#[^\n]*", "", query)


def _operation_type(query: str, operation_name: str | None = None) -> str:
    """ "query", "mutation" or "subscription": what GitHub would run for this document."""
    try:
        operation = get_operation_ast(parse(query), operation_name)
    except GraphQLError:
        operation = None
    if operation is not None:
        return operation.operation.value
    match = re.match(r"\s*(mutation|subscription)\b", _strip_comments(query))
    return match.group(1) if match else "query"


# --------------------------------------------------------------------------- requests & errors


@dataclass
class _Req:
    """A parsed incoming request, as handlers see it."""

    method: str
    url: str
    path: str
    query: dict[str, str]
    query_pairs: list[tuple[str, str]]
    json: Any
    json_error: bool
    headers: CaseInsensitiveDict[str]


@dataclass
class _Route:
    method: str
    pattern: str  # regex on the API-relative path
    handler: Callable[..., _Resp]
    repo_scoped: bool = True


class _HttpError(Exception):
    """Raised inside handlers to short-circuit with a GitHub-style error response."""

    def __init__(self, code: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        # Current GitHub error bodies carry documentation_url and the status as a string.
        body = {"message": message, **extra}
        body.setdefault("documentation_url", DOCS)
        body["status"] = str(code)
        self.response: _Resp = (code, {}, body)


def _not_found() -> _HttpError:
    return _HttpError(404, "Not Found")


# --------------------------------------------------------------------------- URLs


def _derive_urls(api_url: str) -> tuple[str, str]:
    """(web root, GraphQL URL) for an API root: api.github.com or a GHE /api/v3 root."""
    parts = urlsplit(api_url)
    if parts.path.rstrip("/").endswith("/api/v3"):
        root = parts.path.rstrip("/")[: -len("/v3")]  # ".../api"
        web = urlunsplit((parts.scheme, parts.netloc, root[: -len("/api")], "", ""))
        return web, urlunsplit((parts.scheme, parts.netloc, f"{root}/graphql", "", ""))
    host = parts.netloc[len("api.") :] if parts.netloc.startswith("api.") else parts.netloc
    return urlunsplit((parts.scheme, host, "", "", "")), f"{api_url}/graphql"


_DEFAULT_PORTS = {"https": 443, "http": 80}


def _url_regex(url: str) -> str:
    """Regex for a URL root that also accepts an explicit default port (PyGithub sends :443)."""
    parts = urlsplit(url)
    prefix = f"{parts.scheme}://{parts.netloc}"
    port = _DEFAULT_PORTS.get(parts.scheme)
    optional_port = f"(?::{port})?" if parts.port is None and port else ""
    return re.escape(prefix) + optional_port + re.escape(parts.path)


def _without_default_port(url: str) -> str:
    """Canonical form of a request URL, as GitHub itself would spell it in Link headers."""
    parts = urlsplit(url)
    if parts.port is not None and parts.port == _DEFAULT_PORTS.get(parts.scheme):
        parts = parts._replace(netloc=parts.netloc.rsplit(":", 1)[0])
    return urlunsplit(parts)


# --------------------------------------------------------------------------- dispatch


class Dispatch:
    """FakeGitHub's HTTP side (a mixin of core.FakeGitHub, whose __init__ sets up the state it
    uses): the request log and the `responses` callbacks that serve the routes."""

    # ----------------------------------------------------------------- log views

    @property
    def reads(self) -> list[RecordedRequest]:
        """Recorded GETs and GraphQL queries."""
        return [r for r in self.requests if not r.is_write]

    @property
    def writes(self) -> list[RecordedRequest]:
        """Recorded POST/PATCH/PUT/DELETE requests and GraphQL mutations."""
        return [r for r in self.requests if r.is_write]

    @property
    def points_spent(self) -> int:
        """The GraphQL rate-limit points charged for the requests recorded (tests/fakegithub/cost.py)."""
        return sum(r.points for r in self.requests)

    def clear_requests(self) -> None:
        """Forget the request log (e.g. after API-driven setup)."""
        self.requests.clear()

    # ----------------------------------------------------------------- registration & dispatch

    def _register(self) -> None:
        """Register one `responses` callback per route, plus the GraphQL endpoint."""
        for route in self._routes():
            url = re.compile(_url_regex(self.api_url) + route.pattern + r"(?:\?.*)?$")
            self.rsps.add_callback(
                route.method,
                url,
                callback=functools.partial(self._dispatch, route),
                content_type=None,
            )
        graphql = _Route("POST", "/graphql", self._graphql, repo_scoped=False)
        self.rsps.add_callback(
            "POST",
            re.compile(_url_regex(self.graphql_url) + r"(?:\?.*)?$"),
            callback=functools.partial(self._dispatch, graphql),
            content_type=None,
        )

    def _dispatch(self, route: _Route, prepared: PreparedRequest) -> tuple[int, dict[str, str], str]:
        """The `responses` callback: record, serve, and decorate with GitHub headers."""
        if self.latency:
            time.sleep(self.latency)  # outside the lock: like GitHub, answers may overlap
        delay = self._random_delay()
        if delay:
            time.sleep(delay)
        with self._lock:
            req = self._parse(route, prepared)
            record = RecordedRequest(req.method, req.path, dict(req.query), req.json, req.headers, req.url)
            self.requests.append(record)
            self._charge = 0
            status, headers, body = self._serve(route, req, is_write=record.is_write)
            record.status = status
            record.points = self._charge
            return self._finish(route, status, headers, body)

    def _parse(self, route: _Route, prepared: PreparedRequest) -> _Req:
        """Split a prepared request into the parts handlers need."""
        url = _without_default_port(str(prepared.url))
        parts = urlsplit(url)
        api_prefix = len(urlsplit(self.api_url).path)
        path = "/graphql" if route.pattern == "/graphql" else parts.path[api_prefix:]
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        raw = prepared.body
        payload: Any = None
        json_error = False
        if raw:
            try:
                payload = json.loads(raw)
            except ValueError:
                json_error = True
        return _Req(
            method=str(prepared.method).upper(),
            url=url,
            path=path,
            query=dict(pairs),
            query_pairs=pairs,
            json=payload,
            json_error=json_error,
            headers=CaseInsensitiveDict(dict(prepared.headers)),
        )

    def _serve(self, route: _Route, req: _Req, *, is_write: bool = True) -> _Resp:
        """Run what others do meanwhile, then apply injected failures, auth, routing and the handler."""
        self._run_hooks(req)
        early = self._take_failure(req, after_apply=False)
        if early is not None:
            return early
        try:
            resp = self._handle(route, req)
        except _HttpError as err:
            return err.response
        if resp[0] < 400 and is_write:
            late = self._take_failure(req, after_apply=True)
            if late is not None:
                return late
        return resp

    def _handle(self, route: _Route, req: _Req) -> _Resp:
        """Authenticate, resolve the repository and call the route handler."""
        if req.json_error:
            raise _HttpError(400, "Problems parsing JSON")
        match = re.fullmatch(route.pattern, req.path)
        assert match is not None, (route.pattern, req.path)
        args = [unquote(g) for g in match.groups()]
        if not route.repo_scoped:
            self._check_auth(req, repo=None)
            return route.handler(req)
        repo = self._repos.get(f"{args[0]}/{args[1]}".lower())
        self._check_auth(req, repo=repo)
        if repo is None:
            raise _not_found()
        if req.method != "GET" and repo.archived:
            raise _HttpError(403, "Repository was archived so is read-only.")
        return route.handler(req, repo, *args[2:])

    def _check_auth(self, req: _Req, repo: _Repo | None) -> None:
        """Refuse anonymous requests, except reads of public repositories."""
        if not self.require_auth or req.headers.get("Authorization"):
            return
        if req.method == "GET" and repo is not None and not repo.private:
            return
        if req.path == "/graphql":
            raise _HttpError(
                401,
                "This endpoint requires you to be authenticated.",
                documentation_url="https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql",
            )
        raise _HttpError(401, "Requires authentication")

    def spend_graphql_points(self, used: int, *, reset_in: int = 3600) -> None:
        """Start an hourly window `reset_in` seconds from its end with `used` GraphQL points spent
        (of `graphql_points_limit`): a run that begins with little left, as after another job."""
        self._rate_reset = int(_utc(self.clock()).timestamp()) + reset_in
        self._rate_used = {"core": 0, "graphql": used}

    def _rate_window(self) -> int:
        """The current hourly window's reset time (a fresh window once it passed, like GitHub's)."""
        now = int(_utc(self.clock()).timestamp())
        if self._rate_reset is None or now >= self._rate_reset:
            self._rate_reset = now + 3600
            self._rate_used = {"core": 0, "graphql": 0}
        return self._rate_reset

    def _finish(
        self, route: _Route, status: int, extra: dict[str, str], body: Any
    ) -> tuple[int, dict[str, str], str]:
        """Attach the headers every GitHub response carries and serialise the body."""
        graphql = route.pattern == "/graphql"
        resource = "graphql" if graphql else "core"
        self._rate_window()
        # GraphQL's window counts points (charged by _graphql); REST's, requests.
        self._rate_used[resource] += self._charge if graphql else 1
        used = self._rate_used[resource]
        limit = self.graphql_points_limit if graphql else RATE_LIMIT
        request_no = next(self._ids["request"])
        headers = {
            "x-github-api-version-selected": "2022-11-28",
            "x-github-media-type": "github.v3; format=json",
            "x-ratelimit-limit": str(limit),
            "x-ratelimit-remaining": str(max(0, limit - used)),
            "x-ratelimit-reset": str(self._rate_reset),
            "x-ratelimit-used": str(used),
            "x-ratelimit-resource": resource,
            # Same five-part hex shape as GitHub's ids, deterministic for reproducible logs.
            "x-github-request-id": f"F00D:{request_no:04X}:{request_no * 7919:06X}:"
            f"{request_no * 104729:07X}:65B0C0DE",
        }
        if status == 204 or body is None:
            return status, {**headers, **extra}, ""
        headers["Content-Type"] = "application/json; charset=utf-8"
        return status, {**headers, **extra}, json.dumps(body)
