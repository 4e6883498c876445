"""Failure injection: make the next matching requests, or GraphQL mutation fields, fail the ways
GitHub does (server errors, primary and secondary rate limits, errors after applying a write); and
what other people do on GitHub between two of a run's requests."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .dispatch import RATE_LIMIT, _Req, _Resp
from .graphql import _GqlError
from .state import _utc


@dataclass
class _Failure:
    """An injected failure; `after_apply` ones let the request change state first."""

    method: str
    pattern: re.Pattern[str]
    status: int
    remaining: int
    headers: dict[str, str]
    body: Any
    after_apply: bool = False

    def matches(self, req: _Req) -> bool:
        return self.method in ("*", req.method) and bool(self.pattern.search(req.path))


@dataclass
class _Hook:
    """Something done to the state just before a matching request is served."""

    method: str
    pattern: re.Pattern[str]
    action: Callable[[], None]
    remaining: int

    def matches(self, req: _Req) -> bool:
        return self.method in ("*", req.method) and bool(self.pattern.search(req.path))


@dataclass
class _FieldFailure:
    """An injected failure of one GraphQL mutation field (by field name, not alias)."""

    field_name: str
    message: str
    type: str
    remaining: int


class FailureInjection:
    """FakeGitHub's failure injection (a mixin of core.FakeGitHub): what tests arm, and what
    dispatch (a request) and the GraphQL mutation root (a field) consume."""

    # ----------------------------------------------------------------- failure injection

    def fail_next(
        self,
        method: str,
        path_pattern: str,
        status: int,
        *,
        times: int = 1,
        headers: dict[str, str] | None = None,
        json: Any = None,
    ) -> None:
        """Answer the next `times` matching requests with an error, without touching state.

        `path_pattern` is re.search-ed against the API-relative path (no query), e.g.
        r"/repos/acme/widgets/issues$"; method "*" matches any method.
        """
        body = json if json is not None else {"message": "Server Error"}
        self._failures.append(
            _Failure(method.upper(), re.compile(path_pattern), status, times, dict(headers or {}), body)
        )

    def fail_after_apply(self, method: str, path_pattern: str, status: int = 502, *, times: int = 1) -> None:
        """Apply the next matching successful write to state, then answer with an error.

        Only writes match (reads have nothing to apply): on "/graphql" the next mutation fails,
        while queries before it pass through."""
        self._failures.append(
            _Failure(
                method.upper(),
                re.compile(path_pattern),
                status,
                times,
                {},
                {"message": "Server Error"},
                after_apply=True,
            )
        )

    def before_next(
        self, method: str, path_pattern: str, action: Callable[[], None], *, times: int = 1
    ) -> None:
        """Run `action` (say, someone editing an issue through the seeding API) just before the next
        `times` matching requests are served: a change made on GitHub while a run is under way.
        `method` and `path_pattern` match as in fail_next."""
        self._hooks.append(_Hook(method.upper(), re.compile(path_pattern), action, times))

    def server_error(self, method: str, pattern: str, times: int = 1, status: int = 502) -> None:
        """Inject 5xx responses like a flaky GitHub frontend."""
        self.fail_next(method, pattern, status, times=times, json={"message": "Server Error"})

    def secondary_rate_limit(
        self, method: str, pattern: str, retry_after: int = 60, *, status: int = 403, times: int = 1
    ) -> None:
        """Inject GitHub's secondary (abuse) rate limit: 403/429 with Retry-After."""
        self.fail_next(
            method,
            pattern,
            status,
            times=times,
            headers={"Retry-After": str(retry_after)},
            json={
                "message": "You have exceeded a secondary rate limit. Please wait a few minutes "
                "before you try again.",
                "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
            },
        )

    def primary_rate_limit(
        self,
        method: str,
        pattern: str,
        reset_in: int = 30,
        *,
        status: int = 403,
        times: int = 1,
        retry_after: int | None = None,
    ) -> None:
        """Inject an exhausted primary rate limit: remaining 0, reset `reset_in` seconds ahead
        (and, as GitHub sometimes adds, a Retry-After)."""
        reset = int(_utc(self.clock()).timestamp()) + reset_in
        headers = {
            "x-ratelimit-remaining": "0",
            "x-ratelimit-used": str(RATE_LIMIT),
            "x-ratelimit-reset": str(reset),
        }
        if retry_after is not None:
            headers["retry-after"] = str(retry_after)
        self.fail_next(
            method,
            pattern,
            status,
            times=times,
            headers=headers,
            json={
                "message": "API rate limit exceeded for installation ID 123.",
                "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
            },
        )

    def too_many_requests(self, method: str, pattern: str, retry_after: int = 60) -> None:
        """The 429 flavour of the secondary rate limit."""
        self.secondary_rate_limit(method, pattern, retry_after, status=429)

    def fail_mutation_field(
        self,
        field_name: str,
        *,
        message: str = "Resource not accessible by integration",
        type: str = "FORBIDDEN",
        times: int = 1,
    ) -> None:
        """Make the next `times` GraphQL mutation fields named `field_name` (e.g. "createCheckRun")
        fail without applying: null in data, an error with the field's alias as path. The other
        fields of the mutation still apply, as on GitHub."""
        self._field_failures.append(_FieldFailure(field_name, message, type, times))

    @property
    def pending_failures(self) -> int:
        """How many injected failures (request- and mutation-field-level) have not fired yet."""
        return sum(f.remaining for f in self._failures) + sum(f.remaining for f in self._field_failures)

    # ----------------------------------------------------------------- firing (dispatch, GraphQL)

    def _run_hooks(self, req: _Req) -> None:
        """Run the actions armed with before_next for this request."""
        for hook in self._hooks:
            if hook.remaining > 0 and hook.matches(req):
                hook.remaining -= 1
                hook.action()

    def _take_failure(self, req: _Req, *, after_apply: bool) -> _Resp | None:
        """Consume the first matching injected failure of the given kind."""
        for failure in self._failures:
            if failure.after_apply == after_apply and failure.remaining > 0 and failure.matches(req):
                failure.remaining -= 1
                return failure.status, dict(failure.headers), copy.deepcopy(failure.body)
        return None

    def _take_field_failure(self, field_name: str) -> None:
        """Raise the first pending injected failure for this mutation field, if any."""
        for failure in self._field_failures:
            if failure.field_name == field_name and failure.remaining > 0:
                failure.remaining -= 1
                raise _GqlError(failure.message, failure.type)
