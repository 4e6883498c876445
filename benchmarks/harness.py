"""What every request benchmark needs: a checkout with a config, a token, and the tests' fake GitHub.

`with fake_checkout(CONFIG, REPO, clock) as (fake, workdir):` runs the body in a temporary
working copy holding .github/gh-ops.yml, with GITHUB_TOKEN and GITHUB_REPOSITORY set, against a
FakeGitHub at `clock`. Waits are instant and the wall clock is far ahead (the scenarios' dates are
fixed, and commands that write refuse a --now in the future). Everything is restored afterwards.

`own_cost(fake, run)` measures gh-ops' own CPU time and peak memory for `run` (one command against
`fake`), without the fake's: `run` is recorded once against the fake, then replayed twice, each
request answered with the recorded answer (status, headers and body text, as the fake sent them), so
that only gh-ops and the HTTP layer (requests, responses) work in the measured runs.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import responses

ROOT = Path(__file__).resolve().parent.parent
for folder in ("tests", "tests/rfc", "tests/priority", "tests/people"):  # the fake, and the scenarios' data
    if str(ROOT / folder) not in sys.path:
        sys.path.insert(0, str(ROOT / folder))

from fakegithub import FakeGitHub, FrozenClock, load_payload, make_fake  # noqa: E402, F401 (for the benchmarks)

from gh_ops import dates  # noqa: E402
from gh_ops import github as gh_module  # noqa: E402


@contextmanager
def fake_checkout(config: str, repo: str, clock: datetime) -> Iterator[tuple[FakeGitHub, Path]]:
    saved_sleep, saved_real_now = gh_module.SLEEP, dates.real_now
    saved_env, old_cwd = dict(os.environ), os.getcwd()
    gh_module.SLEEP = lambda _s: None  # write spacing is real in production; not worth waiting here
    dates.real_now = lambda: datetime(2100, 1, 1, tzinfo=UTC)
    with (
        tempfile.TemporaryDirectory() as tmp,
        responses.RequestsMock(assert_all_requests_are_fired=False) as rsps,
    ):
        os.chdir(tmp)
        os.environ.update(GITHUB_TOKEN="benchmark", GITHUB_REPOSITORY=repo)
        try:
            Path(".github").mkdir()
            Path(".github/gh-ops.yml").write_text(config)
            fake = make_fake(rsps, clock)
            yield fake, Path(tmp)
        finally:
            os.chdir(old_cwd)
            os.environ.clear()
            os.environ.update(saved_env)
            gh_module.SLEEP, dates.real_now = saved_sleep, saved_real_now


def print_figures(figures: dict[str, tuple[int, int]]) -> None:
    width = max(len(name) for name in figures)
    for name, (reads, writes) in figures.items():
        print(f"{name:{width}}  {reads:3} read(s) {writes:3} write(s)")


# --- gh-ops' own cost: record, then replay -----------------------------------------------------

Answer = tuple[int, dict[str, str], str]  # what the fake sends back: status, headers, body text
RequestKey = tuple[str, str, str]  # method, URL, JSON body (canonical): what identifies a request


class ReplayMismatch(AssertionError):
    """A replayed run did not do what the recorded one did: another request, one more or fewer, or
    another result. Its figures would measure some other run."""


class Recording(NamedTuple):  # not a dataclass: tests load benchmarks without registering modules
    """One run against the fake: each request, the fake's answer to it, and what `run` returned."""

    requests: list[RequestKey]
    answers: list[Answer]
    points: int  # GraphQL points the fake charged
    result: object


class OwnCost(NamedTuple):
    """gh-ops' own cost for one run: CPU seconds, peak Python memory (MB, tracemalloc), and the
    requests and GraphQL points of the recorded run."""

    cpu_s: float
    peak_mb: float
    requests: int
    points: int


def _key(method: str, url: str, body: Any) -> RequestKey:
    return method.upper(), url, json.dumps(body, sort_keys=True)


@contextmanager
def _patched(fake: FakeGitHub, **methods: Callable[..., Any]) -> Iterator[None]:
    """Replace the fake's `_serve` / `_finish` (looked up on the instance for each request), then
    put back whatever was there (a benchmark may have wrapped them already)."""
    saved = {name: fake.__dict__[name] for name in methods if name in fake.__dict__}
    fake.__dict__.update(methods)
    try:
        yield
    finally:
        for name in methods:
            fake.__dict__.pop(name, None)
        fake.__dict__.update(saved)


def record(fake: FakeGitHub, run: Callable[[], object]) -> Recording:
    """Run `run` against the fake and keep every answer as sent (after the fake's headers and
    serialisation)."""
    answers: list[Answer] = []
    finish = fake._finish

    def recording(route: Any, status: int, extra: dict[str, str], body: Any) -> Answer:
        answer = finish(route, status, extra, body)
        answers.append(answer)
        return answer

    start = len(fake.requests)
    with _patched(fake, _finish=recording):
        result = run()
    made = fake.requests[start:]
    if len(made) != len(answers):
        raise ReplayMismatch(f"{len(made)} request(s) but {len(answers)} answer(s) recorded")
    requests = [_key(r.method, r.url, r.json) for r in made]
    return Recording(requests, answers, sum(r.points for r in made), result)


def replay(fake: FakeGitHub, recording: Recording, run: Callable[[], object]) -> object:
    """Run `run` again with each request answered from `recording`, without the fake's work
    (routing, state, rendering, serialising): raises ReplayMismatch unless the run makes exactly
    the recorded requests, in the same order, and returns what the recorded run returned."""
    position = 0
    problems: list[str] = []

    def serve(_route: Any, req: Any, **_kwargs: Any) -> tuple[int, dict[str, str], None]:
        nonlocal position
        if position >= len(recording.requests):
            problems.append(f"request {position + 1} was not in the recorded run: {req.method} {req.url}")
        elif _key(req.method, req.url, req.json) != recording.requests[position]:
            problems.append(
                f"request {position + 1}: {req.method} {req.url}, recorded "
                f"{recording.requests[position][0]} {recording.requests[position][1]}"
            )
        position += 1
        return 0, {}, None

    def finish(_route: Any, _status: int, _extra: dict[str, str], _body: Any) -> Answer:
        index = position - 1
        if problems or index >= len(recording.answers):
            # gh-ops may catch the error; the problem is raised after the run.
            return 500, {}, '{"message": "not in the recorded run"}'
        status, headers, body = recording.answers[index]
        return status, dict(headers), body  # a copy: nothing the HTTP layer does reaches the next replay

    with _patched(fake, _serve=serve, _finish=finish):
        result = run()
    if not problems and position != len(recording.requests):
        problems.append(f"{position} request(s), recorded {len(recording.requests)}")
    if not problems and result != recording.result:
        problems.append(f"another result: {result!r:.300}, recorded {recording.result!r:.300}")
    if problems:
        raise ReplayMismatch("; ".join(problems))
    return result


@contextmanager
def _alone() -> Iterator[None]:
    """What is alive before a measured run (the fake and its state, the recording) out of the
    garbage collector's way: a full collection traverses every object it tracks, and in production
    the fake's objects are not in gh-ops' heap. gc.freeze moves them to a generation never
    collected; gh-ops' own objects are collected as usual."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def own_cost(fake: FakeGitHub, run: Callable[[], object]) -> OwnCost:
    """gh-ops' own CPU seconds (time.process_time) and peak memory (tracemalloc, in a separate
    replay: tracing slows what it traces) for `run`, recorded once against the fake and measured in
    replays (module docstring), with the objects alive before each (the fake's) frozen out of the
    garbage collector. `run` returns what must not change between runs (e.g. the command's exit
    code and output); the fake's state is left as the recorded run left it."""
    recording = record(fake, run)
    with _alone():
        started = time.process_time()
        replay(fake, recording, run)
        cpu = time.process_time() - started
    with _alone():
        tracemalloc.start()
        try:
            replay(fake, recording, run)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return OwnCost(cpu, peak / 1e6, len(recording.requests), recording.points)
