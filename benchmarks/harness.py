"""What every request benchmark needs: a checkout with a config, a token, and the tests' fake GitHub.

`with fake_checkout(CONFIG, REPO, clock) as (fake, workdir):` runs the body in a temporary
working copy holding .github/gh-ops.yml, with GITHUB_TOKEN and GITHUB_REPOSITORY set, against a
FakeGitHub at `clock`. Waits are instant and the wall clock is far ahead (the scenarios' dates are
fixed, and commands that write refuse a --now in the future). Everything is restored afterwards.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import responses

ROOT = Path(__file__).resolve().parent.parent
for folder in ("tests", "tests/rfc", "tests/priority"):  # the fake, and the scenarios' data
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
