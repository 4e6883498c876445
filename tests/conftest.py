"""Shared pytest fixtures: a hermetic environment, no network, no wall clock, the one factory of fake
GitHubs, real webhook payloads, and a checkout to run gh-ops in."""

from __future__ import annotations

import functools
import ipaddress
import os
import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import responses
from fakegithub import FakeGitHub, NewFake, make_fake
from fakegithub import load_payload as _load_payload

# --------------------------------------------------------------------------- hermetic environment

# Variables a GitHub Actions runner (or a developer's shell) sets that gh-ops reads; a test that
# needs one sets it explicitly with monkeypatch.setenv.
GITHUB_ENV_VARS = (
    "GITHUB_ACTIONS",
    "GITHUB_OUTPUT",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_EVENT_PATH",
    "GITHUB_EVENT_NAME",
    "GITHUB_REPOSITORY",
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "GITHUB_API_URL",
    "GITHUB_GRAPHQL_URL",
    "GH_OPS_CONFIG",
    "GH_OPS_NOW",
    "GH_OPS_DRY_RUN",
)


@pytest.fixture(autouse=True)
def _clean_github_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove GitHub Actions / gh-ops variables so the outer environment cannot leak in."""
    for name in GITHUB_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    # Action inputs arrive as INPUT_<NAME>; a stray one would silently change behaviour.
    for name in [n for n in os.environ if n.startswith("INPUT_")]:
        monkeypatch.delenv(name, raising=False)


# --------------------------------------------------------------------------- no wall clock


@pytest.fixture
def no_wall_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a test that lets gh-ops read the current time: its result would change with the date.

    Such a test must pass --now (or GH_OPS_NOW). Opt in with
    `pytestmark = pytest.mark.usefixtures("no_wall_clock")`.
    """
    from gh_ops import dates

    real_parse_now = dates.parse_now
    clock_reads: list[str] = []

    def parse_now(text: str | None, *args: Any, **kwargs: Any) -> Any:
        if not text:
            clock_reads.append("gh-ops read the wall clock: pass --now (or set GH_OPS_NOW)")
        return real_parse_now(text, *args, **kwargs)

    monkeypatch.setattr(dates, "parse_now", parse_now)
    yield
    assert clock_reads == [], clock_reads[0]


# --------------------------------------------------------------------------- no network

NETWORK_ERROR = "tests must not reach the network"


def _is_loopback(address: Any) -> bool:
    """True for addresses that stay on this machine (loopback hosts, Unix sockets)."""
    if not isinstance(address, tuple):
        return True  # AF_UNIX path (str/bytes): local by definition
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode()
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False  # any other hostname would need DNS, i.e. the network


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail loudly on any non-loopback connection (local benchmark servers stay allowed)."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_create_connection = socket.create_connection

    def guarded_connect(self: socket.socket, address: Any) -> None:
        if not _is_loopback(address):
            raise RuntimeError(NETWORK_ERROR)
        return real_connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        if not _is_loopback(address):
            raise RuntimeError(NETWORK_ERROR)
        return real_connect_ex(self, address)

    def guarded_create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        if not _is_loopback(address):
            raise RuntimeError(NETWORK_ERROR)
        return real_create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "create_connection", guarded_create_connection)


# --------------------------------------------------------------------------- fake GitHub


@pytest.fixture
def new_fake() -> Iterator[NewFake]:
    """The one factory of fake GitHubs: `new_fake(at, repos={...}, labels={...}, **options)` (see
    fakegithub.make_fake). The fake answers the test's requests until it ends, through `responses`:
    nothing reaches the network."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield functools.partial(make_fake, rsps)


@pytest.fixture
def fake_github(new_fake: NewFake) -> FakeGitHub:
    """A FakeGitHub on https://api.github.com with the public repository acme/widgets."""
    return new_fake(repos={"acme/widgets": {}})


# --------------------------------------------------------------------------- payload fixtures


@pytest.fixture
def load_payload() -> Callable[[str], dict[str, Any]]:
    """load_payload("issues.opened") -> a fresh deep copy of tests/fixtures/webhooks/<name>.json."""
    return _load_payload


# --------------------------------------------------------------------------- end-to-end helpers


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Waits the GitHub client asked for (back-off, write spacing), recorded instead of slept."""
    from gh_ops import github as gh_module

    waited: list[float] = []
    monkeypatch.setattr(gh_module, "SLEEP", waited.append)
    return waited


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], Path]:
    """checkout(config_text, repo): a working copy with .github/gh-ops.yml, a token and
    GITHUB_REPOSITORY set, as a workflow job has them; the test runs inside it."""

    def make(config_text: str, repo: str) -> Path:
        (tmp_path / ".github").mkdir(exist_ok=True)
        (tmp_path / ".github/gh-ops.yml").write_text(config_text)
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("GITHUB_TOKEN", "ghs_secret_token_value")
        monkeypatch.setenv("GITHUB_REPOSITORY", repo)
        return tmp_path

    return make


@pytest.fixture(autouse=True)
def _wall_clock_far_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests use fixed dates in late 2026 and 2027 with --now; the guard against a future --now
    compares with the wall clock, which tests pin well after all of them."""

    from gh_ops import dates

    monkeypatch.setattr(dates, "real_now", lambda: datetime(2100, 1, 1, tzinfo=UTC))
