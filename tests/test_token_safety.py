"""The token never reaches the log: not in a message, an annotation, the step summary or a step output,
whatever fails; a pasted token's surrounding whitespace is dropped, and one that cannot be sent is
refused (exit 2) without being shown. In Actions the runner is asked to mask it first thing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, NewFake

from gh_ops import github as gh_module
from gh_ops.cli import main

TOKEN = "ghs_RECOGNISABLE_token_0123456789abcdef"
REPO = "acme/widgets"
PEOPLE = "acme/people"
CONFIG = f"""\
timezone: UTC
teams:
  web:
    name: Team Web
    lead: alice
sprint:
  every: 2w
  anchor: 2026-01-05
people:
  repo: {PEOPLE}
"""
NOW = "2026-11-20T15:00:00Z"

COMMANDS = {
    "sprint open": ["sprint", "open"],
    "onboarding open": [
        *("onboarding", "open", "--login", "nadia", "--name", "Nadia Newbie"),
        *("--team", "web", "--start", "2026-12-07"),
    ],
    "offboarding open": [
        *("offboarding", "open", "--login", "leo", "--name", "Leo Leaver"),
        *("--last-day", "2026-12-18", "--kind", "voluntary"),
    ],
    "rfc check": ["rfc", "check", "--pr", "1"],
    "rfc remind": ["rfc", "remind"],
    "priority labels": ["priority", "labels"],
    "priority apply": ["priority", "apply", "--issue", "1"],
    "priority triage": ["priority", "triage"],
    "yolo check": ["yolo", "check", "--pr", "1"],
    "yolo audit": ["yolo", "audit", "--since", "30d"],
}


@pytest.fixture
def fake(new_fake: NewFake, sleeps: list[float]) -> FakeGitHub:
    return new_fake(
        datetime(2026, 11, 20, 15, tzinfo=UTC),
        repos={REPO: {"collaborators": ["alice"]}, PEOPLE: {"private": True, "collaborators": ["alice"]}},
    )


@pytest.fixture
def actions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Result]:
    """run(command) in a workflow step of REPO's checkout, with `GITHUB_TOKEN` as the test sets it."""
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github/gh-ops.yml").write_text(CONFIG)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "output.txt"))

    def run(command: str) -> Result:
        return CliRunner().invoke(main, ["--now", NOW, *COMMANDS[command]])

    return run


def assert_token_nowhere(result: Result, where: Path, token: str = TOKEN) -> None:
    log = [line for line in result.output.splitlines() if not line.startswith("::add-mask::")]
    assert not any(token.strip() in line for line in log), result.output
    for name in ("summary.md", "output.txt"):
        written = where / name
        assert not written.exists() or token.strip() not in written.read_text(), name


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("failure", ["401 everywhere", "502 everywhere", "a library quotes the header"])
def test_no_failure_prints_the_token(
    command: str,
    failure: str,
    fake: FakeGitHub,
    actions: Callable[[str], Result],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN + "\n")  # as a pasted secret often is
    if failure == "401 everywhere":
        fake.fail_next("*", ".*", 401, times=10_000, json={"message": "Bad credentials"})
    elif failure == "502 everywhere":
        fake.server_error("*", ".*", times=10_000)
    else:

        def quote_the_header(*_args: object, **_kwargs: object) -> object:
            raise requests.exceptions.InvalidHeader(f"Invalid header value b'token {TOKEN}\\n'")

        monkeypatch.setattr(gh_module.GitHub, "_send", quote_the_header)
    result = actions(command)
    assert result.exit_code in (3, 4), result.output  # GitHub failed, or (the quoted header) a bug
    assert f"::add-mask::{TOKEN}" in result.output.splitlines()[0]  # masked before anything else
    assert_token_nowhere(result, tmp_path)


@pytest.mark.parametrize("command", ["sprint open", "priority labels", "yolo audit"])
def test_a_token_with_a_trailing_newline_works(
    command: str,
    fake: FakeGitHub,
    actions: Callable[[str], Result],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", f"  {TOKEN}\r\n")
    result = actions(command)
    assert result.exit_code == 0, result.output
    assert all(r.headers.get("Authorization") == f"token {TOKEN}" for r in fake.requests)
    assert_token_nowhere(result, tmp_path)


@pytest.mark.parametrize(
    ("bad", "holds"),
    [
        (f"{TOKEN}é", "a control or non-ASCII character"),
        (f"{TOKEN[:10]}\n{TOKEN[10:]}", "a control or non-ASCII character"),
        (f"{TOKEN}\x07", "a control or non-ASCII character"),
        (f"{TOKEN[:10]} {TOKEN[10:]}", "a space inside it"),
        ("   \n", "only whitespace"),
    ],
)
@pytest.mark.parametrize("variable", ["GITHUB_TOKEN", "GH_TOKEN"])
def test_a_token_that_cannot_be_sent_is_refused_without_showing_it(
    bad: str,
    holds: str,
    variable: str,
    fake: FakeGitHub,
    actions: Callable[[str], Result],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(variable, bad)
    result = actions("priority labels")
    assert result.exit_code == 2, result.output
    assert f"${variable} is not a usable token: it holds {holds} (the value is not shown)" in result.output
    assert fake.requests == []
    for part in bad.split():
        assert_token_nowhere(result, tmp_path, token=part)


def test_outside_actions_nothing_is_masked(
    fake: FakeGitHub, actions: Callable[[str], Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    result = actions("priority labels")
    assert result.exit_code == 0, result.output
    assert "::add-mask::" not in result.output


def test_the_action_masks_the_token_before_it_prints_the_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gh_ops import action

    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GH_TOKEN", TOKEN + "\n")
    monkeypatch.setenv("GH_OPS_COMMAND", "nonsense")
    with pytest.raises(SystemExit):
        action.main()
    out = capsys.readouterr()
    assert out.out.splitlines()[0] == f"::add-mask::{TOKEN}"
    assert TOKEN not in out.err
