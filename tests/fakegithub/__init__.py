"""A small, stateful, in-memory fake of the GitHub REST (and GraphQL) API served via `responses`.

Usage::

    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake = FakeGitHub(rsps)
        fake.add_repo("acme/widgets")
        ...  # drive PyGithub / requests against https://api.github.com
        assert len(fake.writes) == 1

Object shapes are built from the real webhook payloads in tests/fixtures/webhooks so that code
under test sees the same keys it will see from GitHub. Only behaviour the project relies on is
modelled; anything else is deliberately absent (an unknown endpoint is not mocked at all, so
`responses` raises ConnectionError and the gap is obvious).

Pull requests are issues with PR fields (add_pull, merge_pull, add_review...). GraphQL documents
named in STATE_OPERATIONS are answered from state by running them against GitHub's real schema
(tests/fixtures/graphql-schema.graphql), so answers hold exactly the selected fields; other
operations need an on_graphql handler (fake.execute_graphql answers any document from state).

One concern per module; FakeGitHub (core.py) is composed of a mixin from each of the others:

- state.py: the in-memory records, FrozenClock, fixture paths and payloads, times and node ids.
- core.py: FakeGitHub's construction, the seeding API tests use, and the shared state operations.
- dispatch.py: registration with `responses`, parsing, the request log, auth, routing, headers.
- failures.py: failure injection (fail_next, rate limits, fail_after_apply, fail_mutation_field).
- rest.py: the REST route table and handlers, with GitHub's validation and pagination.
- render.py: the JSON objects the REST API returns, built on the webhook payloads' shapes.
- graphql.py: the GraphQL endpoint, registered handlers, and answers from state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import responses

from .core import DEFAULT_ACTOR, PUBLIC_API_URL, FakeGitHub
from .dispatch import DOCS, RATE_LIMIT, RecordedRequest
from .graphql import STATE_OPERATIONS
from .state import (
    FIXTURES_DIR,
    GRAPHQL_SCHEMA_FILE,
    MAX_BODY,
    MAX_TITLE,
    REVIEW_STATES,
    WEBHOOKS_DIR,
    Clock,
    FrozenClock,
    iso,
    load_payload,
)


def make_fake(
    rsps: responses.RequestsMock,
    at: datetime | None = None,
    *,
    repos: Mapping[str, Mapping[str, Any]] | None = None,
    labels: Mapping[str, Sequence[str]] | None = None,
    **options: Any,
) -> FakeGitHub:
    """The one way a fake GitHub is made (tests through the conftest's `new_fake`, benchmarks
    through their harness): answering through `rsps`, its clock frozen `at`, with `repos` (OWNER/NAME
    -> FakeGitHub.add_repo's options: private, collaborators, ...) and the `labels` each already
    has. `options` are FakeGitHub's own: api_url (GitHub Enterprise Server), actor (the token's
    account), clock (one the caller moves itself)."""
    clock = options.pop("clock", None) or (FrozenClock(at) if at is not None else None)
    fake = FakeGitHub(rsps, clock=clock, **options)
    for repo, settings in (repos or {}).items():
        fake.add_repo(repo, **settings)
    for repo, names in (labels or {}).items():
        for name in names:
            fake.add_label(repo, name)
    return fake


# What the conftest's `new_fake` fixture is: make_fake with the test's `responses` mock.
NewFake = Callable[..., FakeGitHub]

__all__ = [
    "DEFAULT_ACTOR",
    "DOCS",
    "FIXTURES_DIR",
    "GRAPHQL_SCHEMA_FILE",
    "MAX_BODY",
    "MAX_TITLE",
    "PUBLIC_API_URL",
    "RATE_LIMIT",
    "REVIEW_STATES",
    "STATE_OPERATIONS",
    "WEBHOOKS_DIR",
    "Clock",
    "FakeGitHub",
    "FrozenClock",
    "NewFake",
    "RecordedRequest",
    "iso",
    "load_payload",
    "make_fake",
]
