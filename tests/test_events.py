"""Real webhook payloads with a field of another type, or null, never crash a command: every field a
command reads goes through one validating reader per event shape (gh_ops/events.py), and a field it
needs but cannot use is a usage error naming the field's path. Checked here on every field of every
payload the commands take, each replaced by null, text, a number, a boolean, a list and an object."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fakegithub import load_payload

from gh_ops.cli import main
from gh_ops.config import embedded_example_text, parse_config
from gh_ops.errors import UsageError
from gh_ops.people.rules import request_from_event
from gh_ops.priority.rules import target_from_event
from gh_ops.rfc.rules import event_target
from gh_ops.yolo.rules import merged_pull_of, push_to_check

CONFIG = parse_config(embedded_example_text(), "gh-ops.yml", base_dir=None)
REPLACEMENTS: tuple[Any, ...] = (None, "x", -1, True, [], {})

Reader = Callable[[str, dict[str, Any]], object]
# What each command reads from an event, and the real payloads it meets.
READERS: dict[str, tuple[Reader, tuple[str, ...]]] = {
    "onboarding open": (
        lambda name, payload: request_from_event(name, payload, "onboarding", CONFIG),
        ("issues.opened.new-joiner", "issues.edited.new-joiner", "issues.opened"),
    ),
    "offboarding open": (
        lambda name, payload: request_from_event(name, payload, "offboarding", CONFIG),
        ("issues.opened.leaver",),
    ),
    "priority apply": (
        lambda name, payload: target_from_event(name, payload, CONFIG),
        ("issues.opened", "issues.edited", "issues.labeled", "issues.unlabeled"),
    ),
    "rfc check": (
        event_target,
        (
            "pull_request.opened",
            "pull_request.synchronize",
            "pull_request.closed",
            "pull_request_review.submitted",
            "issue_comment.created",
        ),
    ),
    "yolo check": (
        lambda name, payload: push_to_check(payload) if name == "push" else merged_pull_of(name, payload),
        ("pull_request.closed", "pull_request_review.submitted", "push"),
    ),
}


def event_name(fixture: str) -> str:
    return fixture.split(".", 1)[0]


def paths(value: Any, prefix: str = "") -> Iterator[tuple[str, tuple[str | int, ...]]]:
    """(dotted path as messages write it, key path) of every field; a list's first item stands for all."""
    if isinstance(value, dict):
        for key, item in value.items():
            dotted = f"{prefix}.{key}" if prefix else key
            yield dotted, (key,)
            for sub, keys in paths(item, dotted):
                yield sub, (key, *keys)
    elif isinstance(value, list) and value:
        yield f"{prefix}[0]", (0,)
        for sub, keys in paths(value[0], f"{prefix}[0]"):
            yield sub, (0, *keys)


def mutated(payload: dict[str, Any], keys: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    copied = copy.deepcopy(payload)
    target: Any = copied
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value
    return copied


CASES = [(command, fixture) for command, (_, fixtures) in READERS.items() for fixture in fixtures]


@pytest.mark.parametrize(("command", "fixture"), CASES, ids=[f"{c}: {f}" for c, f in CASES])
def test_every_field_of_another_type_is_read_or_named(command: str, fixture: str) -> None:
    reader, _ = READERS[command]
    payload = load_payload(fixture)
    reader(event_name(fixture), payload)  # the payload as GitHub sent it is read
    tried = 0
    for dotted, keys in paths(payload):
        for value in REPLACEMENTS:
            tried += 1
            try:
                reader(event_name(fixture), mutated(payload, keys, value))
            except UsageError as exc:
                # It names the field, or one below it (an emptied object), or above it (a value that
                # leaves nothing below to read).
                named = re.search(r"payload is not as GitHub sends it: (\S+) is ", exc.message)
                assert named, (dotted, value, exc.message)
                path = named.group(1)
                related = (
                    path == dotted
                    or path.startswith((f"{dotted}.", f"{dotted}["))
                    or (dotted.startswith((f"{path}.", f"{path}[")))
                )
                assert related, (dotted, value, exc.message)
    assert tried > 300  # the walk reached the whole payload


# --- through the CLI: the examples the issue lists ---------------------------------------------------


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github/gh-ops.yml").write_text(embedded_example_text() + "people:\n  repo: acme/people\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/widgets")
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_token")
    return tmp_path


@pytest.mark.parametrize(
    ("command", "fixture", "keys", "value", "says"),
    [
        (
            ["onboarding", "open"],
            "issues.opened.new-joiner",
            ("issue", "labels", 0, "name"),
            None,
            "issue.labels[0].name is null",
        ),
        (["priority", "apply"], "issues.opened", ("issue", "user"), "x", 'issue.user is text "x"'),
        (["priority", "apply"], "issues.labeled", ("sender",), "x", 'sender is text "x"'),
        (
            ["priority", "apply"],
            "issues.opened",
            ("issue", "created_at"),
            True,
            "issue.created_at is true or false",
        ),
        (["priority", "apply"], "issues.opened", ("issue", "number"), -1, "issue.number is a number -1"),
        (
            ["rfc", "check"],
            "pull_request.opened",
            ("pull_request", "labels"),
            1,
            "pull_request.labels is a number 1",
        ),
        (["yolo", "check"], "push", ("commits",), True, "commits is true or false"),
    ],
)
def test_a_mistyped_field_is_exit_2_naming_it(
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    fixture: str,
    keys: tuple[str | int, ...],
    value: Any,
    says: str,
) -> None:
    import json

    payload = mutated(load_payload(fixture), keys, value)
    if fixture == "push":
        default = payload["repository"]["default_branch"]
        payload["ref"] = f"refs/heads/{default}"
    (workdir / "event.json").write_text(json.dumps(payload))
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(workdir / "event.json"))
    monkeypatch.setenv("GITHUB_EVENT_NAME", event_name(fixture))
    result = CliRunner().invoke(main, ["--now", "2026-11-20T15:00:00Z", *command])
    assert result.exit_code == 2, result.output
    assert says in result.output and "$GITHUB_EVENT_PATH" in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


@pytest.mark.parametrize(
    ("command", "number"),
    [("priority apply --issue", "2147483648"), ("rfc check --pr", "0"), ("yolo check --pr", "-1")],
)
def test_a_number_github_cannot_have_is_refused_before_any_request(
    workdir: Path, command: str, number: str
) -> None:
    result = CliRunner().invoke(main, ["--now", "2026-11-20T15:00:00Z", *command.split(), number])
    assert result.exit_code == 2, result.output
    assert "is not in the range 1<=x<=2147483647" in result.output


@pytest.mark.parametrize(
    ("fixture", "keys", "named"),
    [
        ("push", ("repository", "default_branch"), "repository.default_branch"),
        ("pull_request.closed", ("repository", "default_branch"), "repository.default_branch"),
        ("pull_request.closed", ("pull_request", "base", "ref"), "pull_request.base.ref"),
    ],
)
def test_yolo_needs_to_know_the_default_branch_and_the_base(
    fixture: str, keys: tuple[str, ...], named: str
) -> None:
    # Without them a push or merge to any branch would be checked as one to the default branch.
    payload = load_payload(fixture)
    if fixture == "pull_request.closed":
        payload["pull_request"]["merged"] = True
    target: Any = payload
    for key in keys[:-1]:
        target = target[key]
    del target[keys[-1]]
    reader, _ = READERS["yolo check"]
    with pytest.raises(UsageError, match=rf"payload is not as GitHub sends it: {re.escape(named)} is "):
        reader(event_name(fixture), payload)
